//! Reading a real built image for comparison: the application's files are fingerprinted while
//! the layers stream (later layers win, deleted files are gone), Debian packages own their
//! files, installed Python packages are keyed by their place in site-packages.
mod common;

use std::path::PathBuf;
use std::process::Command;

use dockstage_build::app_paths::AppPaths;
use dockstage_build::contents::read_image;
use dockstage_image::layer::Content;
use sha2::{Digest, Sha256};

fn wasteful() -> PathBuf {
    let archive = common::cache().join("archives/wasteful.docker.tar");
    if !archive.is_file() {
        let out = Command::new("bash")
            .arg(common::workspace().join("scripts/make-test-images.sh"))
            .arg("fixtures")
            .env("DOCKSTAGE_IMAGE_CACHE", common::cache())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    archive
}

#[test]
fn app_files_are_hashed_as_the_final_file_system_shows_them() {
    let ws = common::workspace();
    let dockerfile = std::fs::read_to_string(ws.join("crates/image/tests/fixtures/wasteful/Dockerfile")).unwrap();
    let mut app = AppPaths::from_dockerfile(&dockerfile);
    app.add("/opt");
    let img = read_image(&wasteful(), &app).unwrap();

    let expected: [u8; 32] = Sha256::digest(std::fs::read(ws.join("crates/image/tests/fixtures/wasteful/app.txt")).unwrap()).into();
    assert_eq!(img.app_files["/srv/app.txt"], ("/srv/app.txt".to_string(), Content::Sha256(expected)));
    // Deleted in a later layer: not the application's any more.
    assert!(!img.app_files.contains_key("/opt/blob.bin"));
    // Written twice: the second write (700000 random bytes) is what the key holds.
    let keep = &img.app_files["/opt/keep.bin"];
    assert!(matches!(keep.1, Content::Sha256(_)));
    let mut sizes = std::collections::HashMap::new();
    img.tree.walk_files(|parts, size| {
        sizes.insert(parts.join("/"), size);
    });
    assert_eq!(sizes["opt/keep.bin"], 700000);
    // pip installed six into the system's dist-packages; the key ignores the prefix.
    assert!(img.app_files.keys().any(|k| k == "<python packages>/six.py"), "{:?}", img.app_files.keys().take(20).collect::<Vec<_>>());
    // The command (python3 on PATH) is an application file too.
    assert!(img.app_files.contains_key("<command>/python3"), "{:?}", img.app_files.keys().filter(|k| k.starts_with('<')).collect::<Vec<_>>());
    // dpkg's file lists name each file's package.
    assert_eq!(img.owners.get("/usr/bin/apt-get").map(String::as_str), Some("apt"));
    assert!(img.owners.len() > 1000, "{}", img.owners.len());
}

/// Streaming the image out of buildah (no archive on disk) reads the same as its archive.
#[test]
fn streaming_from_the_engine_reads_what_the_archive_holds() {
    let archive = wasteful();
    let ws = common::workspace();
    let dockerfile = std::fs::read_to_string(ws.join("crates/image/tests/fixtures/wasteful/Dockerfile")).unwrap();
    let mut app = AppPaths::from_dockerfile(&dockerfile);
    app.add("/opt");
    let from_archive = read_image(&archive, &app).unwrap();
    let from_engine = dockstage_build::contents::read_from_engine(
        &common::engine(),
        "localhost/dockstage-test/wasteful:latest",
        &app,
    )
    .unwrap();
    assert_eq!(from_archive.app_files, from_engine.app_files);
    let differing: Vec<_> = from_archive
        .owners
        .iter()
        .filter(|(k, v)| from_engine.owners.get(*k) != Some(v))
        .take(5)
        .map(|(k, v)| (k.clone(), v.clone(), from_engine.owners.get(k).cloned()))
        .collect();
    assert!(
        differing.is_empty() && from_archive.owners.len() == from_engine.owners.len(),
        "{} vs {} owners; differing: {differing:?}",
        from_archive.owners.len(),
        from_engine.owners.len()
    );
    assert_eq!(from_archive.analysis.final_size_bytes, from_engine.analysis.final_size_bytes);
    assert!(dockstage_build::contents::read_from_engine(&common::engine(), "localhost/no/such-image:latest", &app).is_err());
}
