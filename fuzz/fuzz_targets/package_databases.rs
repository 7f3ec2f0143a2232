//! Any bytes as the package databases of an image (dpkg status, apk installed, Python METADATA,
//! RECORD and egg-info, npm package.json, os-release), read as a streamed image reads them:
//! shrunk by the capture, then parsed; every package found gets a purl. Never a panic or a hang.
//! Input: chunks separated by NUL bytes, each given to the next path in turn.
#![no_main]

use dockstage_image::layer::{Capture, CapturedFile};
use dockstage_image::packages::{read_packages, PACKAGE_FILES};
use dockstage_image::sbom::purl;
use libfuzzer_sys::fuzz_target;

const PATHS: [&str; 8] = [
    "var/lib/dpkg/status",
    "lib/apk/db/installed",
    "usr/lib/python3/dist-packages/a-1.dist-info/METADATA",
    "usr/lib/python3/dist-packages/a-1.dist-info/RECORD",
    "usr/lib/python3/dist-packages/b.egg-info",
    "app/node_modules/@s/c/package.json",
    "etc/os-release",
    "var/lib/dpkg/status.d/d",
];

fuzz_target!(|data: &[u8]| {
    let files: Vec<CapturedFile> = data
        .split(|b| *b == 0)
        .zip(PATHS.iter().cycle())
        .map(|(chunk, path)| {
            let parts: Vec<&str> = path.split('/').collect();
            CapturedFile { path: (*path).into(), data: PACKAGE_FILES.keep(&parts, chunk.to_vec()) }
        })
        .collect();
    let packages = read_packages(&files, 5);
    for p in &packages.all {
        let purl = purl(p, packages.distro.as_ref());
        assert!(purl.starts_with("pkg:") && purl.is_ascii(), "{purl}");
    }
});
