//! Any bytes as what a registry answers: a manifest, image manifest or index
//! (`check_manifest`), a `WWW-Authenticate` challenge, an image reference and an auth file:
//! an error or a value, never a panic or a hang.
#![no_main]

use dockstage_image::source::registry::{auths_lookup, check_manifest, parse_challenge, Reference};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = check_manifest(data);
    let _ = auths_lookup(data, "127.0.0.1:5000");
    let text = String::from_utf8_lossy(data);
    let _ = parse_challenge(&text);
    let _ = Reference::parse(&text);
});
