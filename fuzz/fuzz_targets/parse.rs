//! Any bytes through the parser, both dialects, and everything derived from a parse: no panic,
//! no hang, and spans that stay inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for dialect in [dockstage_syntax::Dialect::Current, dockstage_syntax::Dialect::V0_12] {
        match dockstage_syntax::parse_with(&text, dialect) {
            Ok(df) => {
                for i in &df.instructions {
                    assert!(i.span.start <= i.span.end && i.span.end <= text.len());
                    assert!(i.start_line <= i.end_line);
                    assert!(text.is_char_boundary(i.span.start) && text.is_char_boundary(i.span.end));
                }
                for c in &df.comments {
                    assert!(c.span.end <= text.len());
                }
                let _ = dockstage_syntax::dump::dump(&df);
                let _ = dockstage_syntax::legacy::commands(&df);
            }
            Err(e) => assert!(e.line >= 1 && e.column >= 1, "error without a position: {e:?}"),
        }
    }
});
