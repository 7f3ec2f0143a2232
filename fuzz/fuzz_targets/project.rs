//! Any text as a compose, bake HCL or bake JSON file: a project or an error, never a panic or
//! a hang (anchors, inheritance and user functions are bounded).
#![no_main]

use std::collections::BTreeMap;
use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let env = BTreeMap::new();
    for name in ["fuzz-nonexistent/compose.yaml", "fuzz-nonexistent/docker-bake.hcl", "fuzz-nonexistent/docker-bake.json"] {
        match dockstage_project::load_text(Path::new(name), &text, &env) {
            Ok(_) => {}
            Err(e) => assert!(e.to_string().starts_with(name), "{e}"),
        }
    }
});
