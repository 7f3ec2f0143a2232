//! Broken and hostile archives end in a clear error, never a panic, a hang or a file written.
mod common;

use std::path::Path;

use common::*;
use dockstage_image::{open, ImageError, Limits, ReadOptions};

fn raw_entry(b: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Regular);
    h.set_mode(0o644);
    h.set_size(data.len() as u64);
    // Write the name bytes directly: the tar crate refuses `..` and absolute names, which is
    // exactly what these tests need to produce.
    let gnu = h.as_gnu_mut().unwrap();
    gnu.name[..name.len()].copy_from_slice(name.as_bytes());
    h.set_cksum();
    b.append(&h, data).unwrap();
}

/// A docker-archive whose single layer is the given raw tar bytes.
fn archive_with_layer(dir: &Path, layer: Vec<u8>) -> std::path::PathBuf {
    let p = dir.join("img.tar");
    let mut b = tar::Builder::new(Vec::new());
    raw_entry(&mut b, "l/layer.tar", &layer);
    let config =
        br#"{"rootfs":{"type":"layers","diff_ids":["sha256:00"]},"history":[{"created_by":"x"}]}"#;
    raw_entry(&mut b, "c.json", config);
    raw_entry(
        &mut b,
        "manifest.json",
        br#"[{"Config":"c.json","Layers":["l/layer.tar"]}]"#,
    );
    std::fs::write(&p, b.into_inner().unwrap()).unwrap();
    p
}

fn layer_with_names(names: &[&str]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for n in names {
        raw_entry(&mut b, n, b"data");
    }
    b.into_inner().unwrap()
}

/// A layer of empty regular files with these names: many entries from a few bytes of input.
fn layer_of_empty_files(names: impl Iterator<Item = String>) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Regular);
    h.set_size(0);
    h.set_mode(0o644);
    for name in names {
        b.append_data(&mut h.clone(), name, std::io::empty()).unwrap();
    }
    b.into_inner().unwrap()
}

fn err_of(path: &Path) -> String {
    let before = snapshot(path.parent().unwrap());
    let e = open(&path.display().to_string(), &ReadOptions::default()).expect_err("must fail");
    assert_eq!(
        before,
        snapshot(path.parent().unwrap()),
        "nothing may be written next to the archive"
    );
    let msg = e.to_string();
    assert!(
        msg.contains(&path.display().to_string()),
        "error names the archive: {msg}"
    );
    msg
}

fn snapshot(dir: &Path) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().len(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn names_that_climb_out_or_are_absolute() {
    let dir = tempfile::tempdir().unwrap();
    let p = archive_with_layer(
        dir.path(),
        layer_with_names(&["etc/ok", "../../etc/passwd"]),
    );
    let msg = err_of(&p);
    assert!(
        msg.contains("'../../etc/passwd' climbs out of the root"),
        "{msg}"
    );
    let p = archive_with_layer(dir.path(), layer_with_names(&["/etc/shadow"]));
    let msg = err_of(&p);
    assert!(msg.contains("'/etc/shadow' has an absolute name"), "{msg}");
    let p = archive_with_layer(dir.path(), layer_with_names(&["a/../../b"]));
    assert!(err_of(&p).contains("climbs out"));
}

#[test]
fn declared_size_larger_than_data() {
    let dir = tempfile::tempdir().unwrap();
    // Layer entry claims 1 MB but the layer ends after 4 bytes of it.
    let mut short = layer_with_names(&["big"]);
    let mut h = tar::Header::from_byte_slice(&short[..512]).clone();
    h.set_size(1 << 20);
    h.set_cksum();
    short[..512].copy_from_slice(h.as_bytes());
    short.truncate(512 + 512);
    let p = archive_with_layer(dir.path(), short);
    let msg = err_of(&p);
    assert!(msg.contains("layer l/layer.tar"), "{msg}");

    // The outer archive's member claims more than the file holds.
    let good = dir.path().join("good.tar");
    docker_archive(&good, &[layer(vec![f("x", 100_000)])]);
    let bytes = std::fs::read(&good).unwrap();
    let cut = dir.path().join("cut.tar");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let e =
        open(&cut.display().to_string(), &ReadOptions::default()).expect_err("truncated archive");
    assert!(e.to_string().contains("cut.tar"), "{e}");
}

#[test]
fn truncated_gzip_layer() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = layer(vec![f("etc/a", 300_000), f("etc/b", 300_000)]);
    l.comp = Comp::Gzip;
    let gz = compress(layer_tar(&l.entries), Comp::Gzip);
    let p = archive_with_layer(dir.path(), gz[..gz.len() - 200].to_vec());
    let msg = err_of(&p);
    assert!(
        msg.contains("truncated") || msg.contains("corrupt") || msg.contains("end"),
        "{msg}"
    );
    // A flipped byte in the middle is caught by the decoder or the CRC.
    let mut bad = gz.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0xff;
    let p = archive_with_layer(dir.path(), bad);
    err_of(&p);
}

#[test]
fn manifest_naming_a_missing_blob() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("img.tar");
    let mut b = tar::Builder::new(Vec::new());
    raw_entry(
        &mut b,
        "c.json",
        br#"{"rootfs":{"type":"layers","diff_ids":[]},"history":[]}"#,
    );
    raw_entry(
        &mut b,
        "manifest.json",
        br#"[{"Config":"c.json","Layers":["gone/layer.tar"]}]"#,
    );
    std::fs::write(&p, b.into_inner().unwrap()).unwrap();
    let msg = err_of(&p);
    assert!(
        msg.contains(
            "the manifest names layer 'gone/layer.tar', but 'gone/layer.tar' is not in the archive"
        ),
        "{msg}"
    );

    // OCI: a layer digest with no blob.
    let oci = dir.path().join("oci.tar");
    oci_archive(&oci, &[layer(vec![f("a", 1)])]);
    let bytes = std::fs::read(&oci).unwrap();
    let mut ar = tar::Archive::new(&bytes[..]);
    let mut out = tar::Builder::new(Vec::new());
    for e in ar.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e.path().unwrap().to_string_lossy().into_owned();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut data).unwrap();
        if name.starts_with("blobs/") && data.first() != Some(&b'{') {
            continue; // drop the layer blob
        }
        raw_entry(&mut out, &name, &data);
    }
    let missing = dir.path().join("oci-missing.tar");
    std::fs::write(&missing, out.into_inner().unwrap()).unwrap();
    let msg = err_of(&missing);
    assert!(
        msg.contains("names layer 'blobs/sha256/") && msg.contains("not in the archive"),
        "{msg}"
    );
}

#[test]
fn symlink_loops_between_members() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("img.tar");
    let mut b = tar::Builder::new(Vec::new());
    for (name, target) in [
        ("a/layer.tar", "../b/layer.tar"),
        ("b/layer.tar", "../a/layer.tar"),
    ] {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        h.set_mode(0o777);
        b.append_link(&mut h, name, target).unwrap();
    }
    raw_entry(
        &mut b,
        "c.json",
        br#"{"rootfs":{"type":"layers","diff_ids":["sha256:0"]},"history":[]}"#,
    );
    raw_entry(
        &mut b,
        "manifest.json",
        br#"[{"Config":"c.json","Layers":["a/layer.tar"]}]"#,
    );
    std::fs::write(&p, b.into_inner().unwrap()).unwrap();
    let msg = err_of(&p);
    assert!(msg.contains("symlink loop"), "{msg}");
}

#[test]
fn duplicate_layers_linked_in_the_archive_are_followed() {
    // docker save links identical layers to one tar; both positions read the same tree.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("img.tar");
    let mut b = tar::Builder::new(Vec::new());
    raw_entry(&mut b, "a/layer.tar", &layer_tar(&[f("x", 10)]));
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Symlink);
    h.set_size(0);
    b.append_link(&mut h, "b/layer.tar", "../a/layer.tar")
        .unwrap();
    raw_entry(
        &mut b,
        "c.json",
        br#"{"rootfs":{"type":"layers","diff_ids":["sha256:0","sha256:0"]},"history":[]}"#,
    );
    raw_entry(
        &mut b,
        "manifest.json",
        br#"[{"Config":"c.json","Layers":["a/layer.tar","b/layer.tar"]}]"#,
    );
    std::fs::write(&p, b.into_inner().unwrap()).unwrap();
    let img = open(&p.display().to_string(), &ReadOptions::default()).unwrap();
    assert_eq!(img.layers.len(), 2);
    assert_eq!(img.layers[1].tree.size, 10);
}

#[test]
fn tar_bomb_stops_at_the_entry_limit() {
    // 300k empty files, gzip-compressed to a small blob.
    let dir = tempfile::tempdir().unwrap();
    let gz = compress(
        layer_of_empty_files((0..300_000u32).map(|i| format!("d{}/f{i}", i % 100))),
        Comp::Gzip,
    );
    let p = archive_with_layer(dir.path(), gz);
    let limits = Limits {
        max_entries: 100_000,
        ..Limits::default()
    };
    let img = stopped_by_limit(&p, limits, "more than 100000 entries");
    assert_eq!(img.layers[0].tree.entries, 300_000);
}

/// Opens `archive` under `limits`, which must stop it with a limit error saying `message`, then
/// under the default limits, which must read it: the limit, not the reader, stopped it.
fn stopped_by_limit(archive: &Path, limits: Limits, message: &str) -> dockstage_image::Image {
    let spec = archive.display().to_string();
    let e = open(&spec, &ReadOptions { limits, ..Default::default() }).expect_err(message);
    assert!(matches!(e, ImageError::Limit { .. }), "{e}");
    assert!(e.to_string().contains(message), "{e}");
    open(&spec, &ReadOptions::default()).unwrap()
}

#[test]
fn names_stop_at_the_name_bytes_limit() {
    // 200 entries with 1 kB names: 200 kB of names (the trees keep every name's bytes).
    let dir = tempfile::tempdir().unwrap();
    let layer = layer_of_empty_files((0..200u32).map(|i| format!("d/{i}{}", "n".repeat(1000))));
    let p = archive_with_layer(dir.path(), layer);
    let limits = Limits {
        max_name_bytes: 100_000,
        ..Limits::default()
    };
    let img = stopped_by_limit(&p, limits, "more than 100000 bytes of entry names");
    assert_eq!(img.layers[0].tree.entries, 200);
}

#[test]
fn not_an_image_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("random.tar");
    let mut b = tar::Builder::new(Vec::new());
    raw_entry(&mut b, "hello.txt", b"hi");
    std::fs::write(&p, b.into_inner().unwrap()).unwrap();
    assert!(err_of(&p).contains("neither manifest.json"));
    let junk = dir.path().join("junk.tar");
    std::fs::write(&junk, vec![0x42u8; 3000]).unwrap();
    err_of(&junk);
    let bad_json = dir.path().join("badjson.tar");
    let mut b = tar::Builder::new(Vec::new());
    raw_entry(&mut b, "manifest.json", b"[{\"Config\": ");
    std::fs::write(&bad_json, b.into_inner().unwrap()).unwrap();
    assert!(err_of(&bad_json).contains("manifest.json is not valid"));
}
