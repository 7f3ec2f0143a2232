//! `dockstage sbom` as a user runs it: a one-layer docker-archive holding real database
//! formats (dpkg status, os-release, a wheel's METADATA, a scoped npm package), both formats,
//! `-o`, SOURCE_DATE_EPOCH, and a clear error for an unreadable image.
use std::path::Path;
use std::process::{Command, Output};

fn file(b: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Regular);
    h.set_mode(0o644);
    h.set_size(data.len() as u64);
    b.append_data(&mut h, name, data).unwrap();
}

fn image(path: &Path) {
    let mut l = tar::Builder::new(Vec::new());
    file(&mut l, "etc/os-release", b"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n");
    file(
        &mut l,
        "var/lib/dpkg/status",
        b"Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9+deb12u4\n\n\
Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\n",
    );
    file(
        &mut l,
        "usr/local/lib/python3.11/site-packages/typing_extensions-4.9.0.dist-info/METADATA",
        b"Metadata-Version: 2.1\nName: typing_extensions\nVersion: 4.9.0\n\nbody\n",
    );
    file(&mut l, "app/node_modules/@types/node/package.json", br#"{"name":"@types/node","version":"20.1.0"}"#);
    let layer = l.into_inner().unwrap();
    let mut outer = tar::Builder::new(Vec::new());
    file(&mut outer, "0/layer.tar", &layer);
    let config = serde_json::json!({"rootfs": {"type": "layers", "diff_ids": [format!("sha256:{:064x}", 1)]},
        "history": [{"created_by": "/bin/sh -c step"}]});
    file(&mut outer, "config.json", &serde_json::to_vec(&config).unwrap());
    let manifest = serde_json::json!([{"Config": "config.json", "RepoTags": ["app:1.0"], "Layers": ["0/layer.tar"]}]);
    file(&mut outer, "manifest.json", &serde_json::to_vec(&manifest).unwrap());
    std::fs::write(path, outer.into_inner().unwrap()).unwrap();
}

fn dockstage(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockstage"))
        .current_dir(dir)
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap()
}

const PURLS: [&str; 3] = [
    "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12",
    "pkg:npm/%40types/node@20.1.0",
    "pkg:pypi/typing-extensions@4.9.0",
];

#[test]
fn cyclonedx_lists_the_packages_with_purls_under_the_image() {
    let dir = tempfile::tempdir().unwrap();
    image(&dir.path().join("img.tar"));
    let out = dockstage(dir.path(), &["sbom", "img.tar"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bom: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(bom["specVersion"], "1.5");
    assert_eq!(bom["metadata"]["component"]["name"], "app");
    assert_eq!(bom["metadata"]["component"]["version"], "1.0");
    assert!(bom["metadata"].get("timestamp").is_none(), "no clock reading where none is required");
    let purls: Vec<&str> = bom["components"].as_array().unwrap().iter().map(|c| c["purl"].as_str().unwrap()).collect();
    assert_eq!(purls, PURLS, "sorted by purl; the removed package is not listed");
    let again = dockstage(dir.path(), &["sbom", "img.tar"]);
    assert_eq!(again.stdout, out.stdout, "deterministic");
}

#[test]
fn spdx_goes_to_a_file_with_the_source_date() {
    let dir = tempfile::tempdir().unwrap();
    image(&dir.path().join("img.tar"));
    let out = dockstage(dir.path(), &["sbom", "img.tar", "--format", "spdx-json", "-o", "sbom.json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty());
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("sbom.json")).unwrap()).unwrap();
    assert_eq!(doc["spdxVersion"], "SPDX-2.3");
    assert_eq!(doc["creationInfo"]["created"], "2023-11-14T22:13:20Z");
    let purls: Vec<&str> = doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["externalRefs"].get(0))
        .map(|r| r["referenceLocator"].as_str().unwrap())
        .collect();
    assert_eq!(purls, PURLS);
}

#[test]
fn an_unreadable_image_is_one_clear_error_and_no_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.tar"), b"not a tar, just text that goes on and on").unwrap();
    let out = dockstage(dir.path(), &["sbom", "bad.tar", "-o", "sbom.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("dockstage: ") && err.contains("bad.tar"), "{err}");
    assert!(!dir.path().join("sbom.json").exists());
}
