//! Reading images from a running Docker-compatible engine: podman's API service over the same
//! storage the test images were built in. The result equals reading the saved archive.
mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dockstage_image::{analyze, open, AnalyzeOptions, ImageError, ReadOptions};

/// The service we start; stopped (by its own pid) when the test ends, pass or fail.
struct Service(Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_podman(cache: &Path, socket: &Path) -> Service {
    let child = Command::new("podman")
        .arg("--root")
        .arg(cache.join("storage"))
        .arg("--runroot")
        .arg(cache.join("run"))
        .args(["--storage-driver", "vfs", "system", "service", "--time=0"])
        .arg(format!("unix://{}", socket.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("podman must be installed: scripts/install-test-deps.sh");
    let service = Service(child);
    let start = Instant::now();
    while !socket.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "podman service did not come up"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    service
}

#[test]
fn engine_export_equals_the_archive() {
    let archives = common::real_archives();
    let cache = archives.parent().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("podman.sock");
    let _service = start_podman(cache, &socket);
    // Only this test runs in this binary, so setting the variable races with nothing.
    std::env::set_var("DOCKER_HOST", format!("unix://{}", socket.display()));

    let opts = ReadOptions::default();
    let from_engine = open(
        "docker-daemon:localhost/dockstage-test/wasteful:latest",
        &opts,
    )
    .unwrap();
    let from_file = open(
        &archives.join("wasteful.docker.tar").display().to_string(),
        &opts,
    )
    .unwrap();
    let (a, b) = (
        analyze(&from_engine, &AnalyzeOptions::default()),
        analyze(&from_file, &AnalyzeOptions::default()),
    );
    assert_eq!(a.efficiency.to_bits(), b.efficiency.to_bits());
    assert_eq!(a.wasted_bytes, b.wasted_bytes);
    assert_eq!(a.final_size_bytes, b.final_size_bytes);
    let sizes = |x: &dockstage_image::Analysis| {
        x.layers
            .iter()
            .map(|l| (l.size_bytes, l.diff_id.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(sizes(&a), sizes(&b));

    // The path the CLI takes (analysis while reading) gives the same numbers.
    let (c, _) = dockstage_image::analyze_source(
        "docker-daemon:localhost/dockstage-test/wasteful:latest",
        &opts,
        &AnalyzeOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (c.efficiency.to_bits(), c.wasted_bytes),
        (b.efficiency.to_bits(), b.wasted_bytes)
    );
    assert_eq!(sizes(&c), sizes(&b));

    match open(
        "docker-daemon:localhost/dockstage-test/no-such-image:latest",
        &opts,
    ) {
        Err(ImageError::Engine { message }) => {
            assert!(message.contains("no-such-image"), "{message}")
        }
        other => panic!("expected an engine error, got {other:?}"),
    }
}
