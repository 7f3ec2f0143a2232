//! A container process in the background: its own process group, output collected, and a
//! stop that leaves nothing behind (the group and every descendant killed, the container
//! removed), also when the owner panics (Drop).
use std::collections::HashMap;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::error::BuildError;

/// What removes the container once its process is gone.
#[derive(Debug)]
pub enum Stopper {
    /// `buildah rm CTR`, `podman rm --force NAME`, ...
    Remove(Command),
    Nothing,
}

impl Stopper {
    pub(crate) fn finish(self) {
        if let Stopper::Remove(mut c) = self {
            let _ = c.stdout(Stdio::null()).stderr(Stdio::null()).status();
        }
    }
}

/// A running container.
#[derive(Debug)]
pub struct Running {
    name: String,
    child: Option<Child>,
    output: Arc<Mutex<Vec<u8>>>,
    readers: Vec<JoinHandle<()>>,
    stopper: Option<Stopper>,
    status: Option<i32>,
}

impl Running {
    pub(crate) fn spawn(mut c: Command, name: &str, stopper: Stopper) -> Result<Running, BuildError> {
        c.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        // Its own group, so the stop reaches every process it starts.
        c.process_group(0);
        let program = c.get_program().to_string_lossy().into_owned();
        let mut child = match c.spawn() {
            Ok(child) => child,
            Err(e) => {
                stopper.finish();
                return Err(BuildError::spawn(&program, e));
            }
        };
        let output = Arc::new(Mutex::new(Vec::new()));
        let mut readers = Vec::new();
        let pipes: Vec<Box<dyn Read + Send>> = [
            child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>),
            child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>),
        ]
        .into_iter()
        .flatten()
        .collect();
        for mut pipe in pipes {
            let out = output.clone();
            readers.push(std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    out.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(&buf[..n]);
                }
            }));
        }
        Ok(Running {
            name: name.to_string(),
            child: Some(child),
            output,
            readers,
            stopper: Some(stopper),
            status: None,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Output so far (stdout and stderr interleaved as they came).
    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }

    /// The exit code if the process has ended (signals count as 128 + signal).
    pub fn exited(&mut self) -> Option<i32> {
        if self.status.is_some() {
            return self.status;
        }
        let child = self.child.as_mut()?;
        if let Ok(Some(st)) = child.try_wait() {
            use std::os::unix::process::ExitStatusExt;
            self.status = Some(st.code().unwrap_or_else(|| 128 + st.signal().unwrap_or(0)));
        }
        self.status
    }

    /// Waits up to `timeout` for the process to end.
    pub fn wait(&mut self, timeout: Duration) -> Option<i32> {
        let end = Instant::now() + timeout;
        loop {
            if let Some(code) = self.exited() {
                // Let the readers drain what is left in the pipes.
                for r in self.readers.drain(..) {
                    let _ = r.join();
                }
                return Some(code);
            }
            if Instant::now() >= end {
                return None;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Ends the process group and every descendant (TERM, then KILL after a grace period),
    /// then removes the container. Safe to call twice.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let pid = child.id() as i32;
            if child.try_wait().ok().flatten().is_none() {
                for signal in [libc::SIGTERM, libc::SIGKILL] {
                    let family = descendants(pid);
                    // SAFETY: kill(2) with a pid we spawned, its group, and its descendants.
                    unsafe {
                        libc::kill(-pid, signal);
                        for &p in &family {
                            libc::kill(p, signal);
                        }
                    }
                    let end = Instant::now() + Duration::from_secs(5);
                    while Instant::now() < end && child.try_wait().ok().flatten().is_none() {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    if child.try_wait().ok().flatten().is_some() && descendants_alive(&family) == 0 {
                        break;
                    }
                }
            }
            let _ = child.wait();
            // A process that left the group (setsid) but was seen as a descendant is gone too.
            // SAFETY: as above.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
        }
        for r in self.readers.drain(..) {
            let _ = r.join();
        }
        if let Some(s) = self.stopper.take() {
            s.finish();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Every process below `root`, from /proc (parents before children).
fn descendants(root: i32) -> Vec<i32> {
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            // The command name may hold spaces and parentheses: fields start after the last ')'.
            let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
                continue;
            };
            if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|s| s.parse::<i32>().ok()) {
                children.entry(ppid).or_default().push(pid);
            }
        }
    }
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(p) = stack.pop() {
        for &c in children.get(&p).map(Vec::as_slice).unwrap_or(&[]) {
            out.push(c);
            stack.push(c);
        }
    }
    out
}

fn descendants_alive(pids: &[i32]) -> usize {
    pids.iter()
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{p}/stat"))
                .map(|s| !s.rsplit_once(')').is_some_and(|(_, r)| r.trim_start().starts_with('Z')))
                .unwrap_or(false)
        })
        .count()
}
