//! Any text as a `.dive-ci` file: rules or an error at file:line:column, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match dockstage_image::ci::Rules::from_dive_ci(&text, ".dive-ci") {
        Ok(rules) => assert!(rules.validate().is_ok()),
        Err(e) => {
            // `.dive-ci:LINE:COLUMN: message`
            let mut parts = e.splitn(4, ':');
            assert_eq!(parts.next(), Some(".dive-ci"), "{e}");
            assert!(parts.next().is_some_and(|l| l.parse::<usize>().is_ok_and(|l| l >= 1)), "{e}");
            assert!(parts.next().is_some_and(|c| c.parse::<usize>().is_ok_and(|c| c >= 1)), "{e}");
        }
    }
    let _ = dockstage_image::ci::parse_bytes(text.trim());
});
