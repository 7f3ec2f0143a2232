//! Any text as `.hadolint.yaml`: a config or an error message, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match dockstage_lint::Config::from_yaml(&text) {
        Ok(_) => {}
        Err(e) => assert!(!e.is_empty()),
    }
});
