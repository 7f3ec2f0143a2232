//! Any bytes as the package databases of an image (dpkg status, apk installed, Python METADATA,
//! RECORD and egg-info, npm package.json, os-release, an rpm database) and as an executable
//! that may hold Go build info, read as a streamed image reads them: the executable fed
//! through the capture's scanner in small pieces, the databases shrunk by the capture, then
//! all parsed; every package found gets a purl. Never a panic or a hang.
//! Input: a little-endian u16 N, N bytes of executable (ELF headers are full of NULs), then
//! chunks separated by NUL bytes, each given to the next database path in turn.
#![no_main]

use dockstage_image::layer::{Capture, CapturedFile};
use dockstage_image::packages::{go, read_packages, PACKAGE_FILES};
use dockstage_image::sbom::purl;
use libfuzzer_sys::fuzz_target;

const PATHS: [&str; 9] = [
    "var/lib/dpkg/status",
    "lib/apk/db/installed",
    "usr/lib/python3/dist-packages/a-1.dist-info/METADATA",
    "usr/lib/python3/dist-packages/a-1.dist-info/RECORD",
    "usr/lib/python3/dist-packages/b.egg-info",
    "app/node_modules/@s/c/package.json",
    "etc/os-release",
    "var/lib/dpkg/status.d/d",
    "var/lib/rpm/rpmdb.sqlite",
];

/// Runs `bytes` through the capture's scanner for a file at `path`, in pieces of `piece`.
fn scanned(path: &str, bytes: &[u8], piece: usize) -> Option<CapturedFile> {
    let parts: Vec<&str> = path.split('/').collect();
    let mut scanner = PACKAGE_FILES.scan(&parts, 0o755, bytes.len() as u64)?;
    for p in bytes.chunks(piece) {
        if !scanner.wants_more() {
            break;
        }
        scanner.feed(p);
    }
    let data = scanner.finish()?;
    assert!(data.len() <= go::MAX_BLOB, "a blob over the cap was kept");
    Some(CapturedFile { path: path.into(), data })
}

fuzz_target!(|data: &[u8]| {
    let (exe, rest) = match data {
        [a, b, rest @ ..] => {
            let n = usize::from(u16::from_le_bytes([*a, *b])).min(rest.len());
            rest.split_at(n)
        }
        _ => (&data[..0], data),
    };
    // The blob reader alone, on the raw bytes, and the scanner in two pieces sizes: both
    // must find the same blob.
    let _ = go::parse(exe, "/usr/bin/raw");
    let whole = scanned("usr/bin/tool", exe, 1 << 16);
    let small = scanned("usr/bin/tool", exe, 7);
    assert_eq!(whole.as_ref().map(|f| &f.data), small.as_ref().map(|f| &f.data), "piece size changed the result");
    let mut files: Vec<CapturedFile> = whole.into_iter().collect();
    for (chunk, path) in rest.split(|b| *b == 0).zip(PATHS.iter().cycle()) {
        let parts: Vec<&str> = path.split('/').collect();
        if PACKAGE_FILES.wants(&parts).is_some() {
            files.push(CapturedFile { path: (*path).into(), data: PACKAGE_FILES.keep(&parts, chunk.to_vec()) });
        } else if let Some(f) = scanned(path, chunk, 64) {
            files.push(f);
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let packages = read_packages(&files, 5);
    for p in &packages.all {
        let purl = purl(p, packages.distro.as_ref());
        assert!(purl.starts_with("pkg:") && purl.is_ascii(), "{purl}");
    }
});
