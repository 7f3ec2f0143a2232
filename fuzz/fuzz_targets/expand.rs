//! `cargo +nightly fuzz run expand` (from the workspace root).
//! The first byte picks the lexer mode, the rest is the word.
#![no_main]

use dockstage_syntax::expand::{EmptyEnv, Lexer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Ok(word) = std::str::from_utf8(rest) else { return };
    let mut lexer = Lexer::new(if mode & 1 != 0 { '`' } else { '\\' });
    lexer.raw_quotes = mode & 2 != 0;
    lexer.raw_escapes = mode & 4 != 0;
    lexer.skip_unset_env = mode & 8 != 0;
    lexer.skip_process_quotes = mode & 16 != 0;
    let env = [("A", "a*b?/\\*x é"), ("B", ""), ("1", "one")];
    let single = lexer.process_word(word, &env);
    let split = lexer.process_words(word, &env);
    assert_eq!(single.is_ok(), split.is_ok());
    if let Err(e) = &single {
        assert!(e.offset <= word.len() && word.is_char_boundary(e.offset));
    }
    let _ = lexer.process_word_with_matches(word, &EmptyEnv);
});
