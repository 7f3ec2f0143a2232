//! Helpers for the real-build tests: the image cache scripts/make-test-images.sh fills, the
//! buildah engine on it, free ports, a small HTTP client and bounded waits.
#![allow(dead_code)]
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use dockstage_build::{Engine, Running};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// The cache the image script uses (scripts/test.sh sets it; the script's default otherwise).
pub fn cache() -> PathBuf {
    std::env::var_os("DOCKSTAGE_IMAGE_CACHE").map(PathBuf::from).unwrap_or_else(|| {
        let base = std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cache"));
        base.join("dockstage/images")
    })
}

/// buildah on the cache's storage, `--pull=never`.
pub fn engine() -> Engine {
    Engine::buildah_in_cache(&cache())
}

/// The Python examples (Python bases only).
pub const PYTHON_EXAMPLES: &[&str] = &["bert-classifier", "churn-api", "ml-service", "streamlit-app"];
/// The Node and Go examples (their bases are built first).
pub const NODE_GO_EXAMPLES: &[&str] = &["node-app", "go-app"];

/// Builds (cached on disk by content) the images of the named examples.
pub fn examples_built(names: &[&str]) {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    {
        let out = Command::new("bash")
            .arg(workspace().join("scripts/make-test-images.sh"))
            .arg("examples")
            .args(names)
            .env("DOCKSTAGE_IMAGE_CACHE", cache())
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "make-test-images.sh examples failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The base images (python:3.x[-slim], node:18[-slim], golang:1.19, distroless static). The
/// script writes its stamps only once the tags exist, so with both stamps present there is
/// nothing to wait for (the script's lock is held by whole example builds).
/// `node_go`: the Node and Go bases too, not only Python's.
pub fn bases_built(node_go: bool) {
    static DONE: OnceLock<()> = OnceLock::new();
    let stamps = cache().join("stamps");
    if stamps.join("bases").is_file() && (!node_go || stamps.join("bases-node-go").is_file()) {
        return;
    }
    DONE.get_or_init(|| {
        let out = Command::new("bash")
            .arg(workspace().join("scripts/make-test-images.sh"))
            .arg("node-go")
            .env("DOCKSTAGE_IMAGE_CACHE", cache())
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "make-test-images.sh node-go failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
}

/// A port nobody listens on now (the kernel's choice), for a service to bind.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One HTTP/1.1 request to 127.0.0.1:port (Connection: close), with a 30 s deadline.
pub fn http(port: u16, method: &str, path: &str, json: Option<&str>) -> std::io::Result<Reply> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let body = json.unwrap_or("");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    if json.is_some() {
        req.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line: {head:?}")))?;
    let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    Ok(Reply { status, body })
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// Polls `GET path` until it answers `want` (bounded by `timeout`); fails with the
/// container's output if the process ends or time runs out.
pub fn wait_for(running: &mut Running, port: u16, path: &str, want: u16, timeout: Duration) -> Reply {
    let end = Instant::now() + timeout;
    let mut last;
    loop {
        match http(port, "GET", path, None) {
            Ok(r) if r.status == want => return r,
            Ok(r) => last = format!("{} {}", r.status, r.body),
            Err(e) => last = e.to_string(),
        }
        if let Some(code) = running.exited() {
            panic!("{} exited with {code} before {path} answered:\n{}", running.name(), running.output());
        }
        if Instant::now() >= end {
            let out = running.output();
            running.stop();
            panic!("{}: {path} did not answer {want} within {}s (last: {last}):\n{out}", running.name(), timeout.as_secs());
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// Nothing listens on the port any more: the stop reached the service.
pub fn assert_port_closed(port: u16) {
    let end = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_ok() {
        assert!(Instant::now() < end, "something still listens on {port} after stop");
        std::thread::sleep(Duration::from_millis(200));
    }
}

pub fn argv(words: &[&str]) -> Vec<String> {
    words.iter().map(|s| s.to_string()).collect()
}
