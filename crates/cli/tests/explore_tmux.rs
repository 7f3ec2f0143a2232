//! `dockstage explore` in a real terminal: tmux (private socket) runs it on the real
//! `wasteful` test image, keys are sent, the screen is read back with capture-pane.
//! Every wait is bounded; the tmux server is killed at the end, also on failure.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// The fixture archives (built once and cached by scripts/make-test-images.sh; see
/// crates/explore/tests/screens.rs for DOCKSTAGE_TEST_ARCHIVES).
fn archives() -> PathBuf {
    if let Some(dir) = std::env::var_os("DOCKSTAGE_TEST_ARCHIVES") {
        return PathBuf::from(dir);
    }
    let out = Command::new("bash")
        .arg(workspace().join("scripts/make-test-images.sh"))
        .arg("fixtures")
        .output()
        .unwrap();
    assert!(out.status.success(), "make-test-images.sh failed:\n{}", String::from_utf8_lossy(&out.stderr));
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

/// A tmux server on its own socket, killed when dropped.
struct Tmux {
    socket: String,
    dir: PathBuf,
}

impl Tmux {
    fn start(name: &str, cmd: &str, env: &[(&str, &str)]) -> Tmux {
        let socket = format!("dockstage-explore-{name}-{}", std::process::id());
        let dir = std::env::temp_dir().join(&socket);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let t = Tmux { socket, dir };
        let status = t.dir.join("status");
        // The exit status goes to a file; the pane then stays so its screen can be read.
        let script = format!("{cmd}; echo $? > {}; sleep 60", status.display());
        let mut c = Command::new("tmux");
        c.args(["-L", &t.socket, "-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24"]);
        for (k, v) in env {
            c.args(["-e", &format!("{k}={v}")]);
        }
        c.args(["sh", "-c", &script]);
        let out = c.env_remove("TMUX").output().expect("tmux must be installed (scripts/install-test-deps.sh)");
        assert!(out.status.success(), "tmux new-session: {}", String::from_utf8_lossy(&out.stderr));
        t
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").args(["-L", &self.socket]).args(args).output().unwrap();
        assert!(out.status.success(), "tmux {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p"])
    }

    /// The screen with lines the pane wrapped joined back (`-J`), their blanks kept: a wrap
    /// that falls on a space must not glue two words together.
    fn screen_unwrapped(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-J"])
    }

    fn screen_with_escapes(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-e"])
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Polls the screen until `ok` holds; panics with the last screen after 30 s.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + Duration::from_secs(30);
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(Instant::now() < end, "timed out waiting for {what}; screen:\n{s}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn exit_status(&self) -> i32 {
        let f = self.dir.join("status");
        let end = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(s) = std::fs::read_to_string(&f) {
                if !s.trim().is_empty() {
                    return s.trim().parse().unwrap();
                }
            }
            assert!(Instant::now() < end, "the program did not exit; screen:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Whether SGR sequences in `s` set a foreground or background colour (not just reset it).
fn has_colour(s: &str) -> bool {
    s.split("\x1b[").skip(1).any(|seq| {
        let params = seq.split('m').next().unwrap_or("");
        params.split(';').filter_map(|p| p.parse::<u32>().ok()).any(|p| {
            matches!(p, 30..=38 | 40..=48 | 90..=97 | 100..=107)
        })
    })
}

fn explore_cmd(args: &str) -> String {
    format!("{} explore {args}", env!("CARGO_BIN_EXE_dockstage"))
}

#[test]
fn navigate_a_real_image_then_quit_with_status_0() {
    let archive = archives().join("wasteful.docker.tar");
    let df = workspace().join("crates/image/tests/fixtures/wasteful/Dockerfile");
    let t = Tmux::start(
        "nav",
        &explore_cmd(&format!("{} --dockerfile {}", archive.display(), df.display())),
        &[("NO_COLOR", "1")],
    );
    let s = t.wait_for("the analysed image", |s| s.contains("Layers 10/10") && s.contains("efficiency"));
    assert!(s.contains("L4  RUN apt-get update"), "{s}");
    assert!(s.contains("q quit"), "footer:\n{s}");
    assert!(!has_colour(&t.screen_with_escapes()), "NO_COLOR: no colours");

    // Layer 3 (`RUN rm /opt/blob.bin`) alone, everything expanded: the removed file.
    t.keys(&["Down", "Down", "Down", "a", "Tab", "e"]);
    let s = t.wait_for("layer 3's changes", |s| s.contains("Layer 3 changes") && s.contains("blob.bin"));
    assert!(s.lines().any(|l| l.contains("-  3.0 MB") && l.contains("blob.bin")), "{s}");
    assert!(s.contains("line 6: RUN rm /opt/blob.bin"), "{s}");

    // Filter, then the help.
    t.keys(&["a", "/", "k", "e", "e", "p", "Enter"]);
    t.wait_for("the filter", |s| s.contains("filter: keep") && s.contains("keep.bin"));
    t.keys(&["?"]);
    t.wait_for("the help", |s| s.contains("Keys") && s.contains("jump to the next wasted entry"));
    t.keys(&["x"]);
    t.wait_for("the help to close", |s| !s.contains("jump to the next wasted entry"));

    // Resizing redraws; too small a window gets a message.
    t.tmux(&["resize-window", "-x", "120", "-y", "40"]);
    let s = t.wait_for("a 120x40 screen", |s| s.lines().count() >= 40 && s.lines().any(|l| l.chars().count() == 120));
    assert!(s.contains("Layers 10/10"), "{s}");
    t.tmux(&["resize-window", "-x", "50", "-y", "12"]);
    t.wait_for("the too-small message", |s| s.contains("Terminal too small: 50x12"));
    t.tmux(&["resize-window", "-x", "80", "-y", "24"]);
    t.wait_for("the panes again", |s| s.contains("Layers 10/10"));

    t.keys(&["q"]);
    assert_eq!(t.exit_status(), 0);
    // The alternate screen is left: the panes are gone from the shell's screen.
    let s = t.wait_for("the normal screen", |s| !s.contains("Layers 10/10"));
    assert!(!s.contains("q quit"), "{s}");
}

#[test]
fn colours_unless_no_color() {
    let archive = archives().join("wasteful.docker.tar");
    let t = Tmux::start("colour", &explore_cmd(&archive.display().to_string()), &[("TERM", "xterm-256color")]);
    t.wait_for("the analysed image", |s| s.contains("Layers 10/10") && s.contains("efficiency"));
    let s = t.screen_with_escapes();
    assert!(has_colour(&s), "added entries are green, etc.:\n{s:?}");
    t.keys(&["q"]);
    assert_eq!(t.exit_status(), 0);
}

#[test]
fn an_unreadable_image_gives_inspects_error_before_any_screen() {
    let dir = std::env::temp_dir().join(format!("explore-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.tar");
    std::fs::write(&bad, b"this is not an image").unwrap();
    let inspect = Command::new(env!("CARGO_BIN_EXE_dockstage")).arg("inspect").arg(&bad).output().unwrap();
    assert_eq!(inspect.status.code(), Some(2));
    let inspect_err = String::from_utf8_lossy(&inspect.stderr).trim().to_string();
    assert!(inspect_err.starts_with("dockstage: "), "{inspect_err}");

    let t = Tmux::start("bad", &explore_cmd(&bad.display().to_string()), &[]);
    assert_eq!(t.exit_status(), 2);
    let s = t.screen_unwrapped();
    assert!(s.contains(&inspect_err), "same error as inspect ({inspect_err}):\n{s}");
    assert!(!s.contains("Layers"), "no screen was drawn:\n{s}");

    // Without a terminal the error is the same.
    let out = Command::new(env!("CARGO_BIN_EXE_dockstage")).arg("explore").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr).trim(), inspect_err);
    std::fs::remove_dir_all(&dir).unwrap();
}
