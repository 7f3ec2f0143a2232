//! Random-input robustness for the expander: whatever the word, every lexer
//! mode returns (no panic, no hang) and reports errors at a valid offset.
//! A small seeded generator keeps this std-only and reproducible; the
//! seed of a failing case is in the assertion message.

use std::collections::BTreeMap;
use std::time::Instant;

use dockstage_syntax::expand::{EmptyEnv, Env, Lexer};
use dockstage_test_support::Rng;

// Heavy on the characters the lexer treats specially, plus multi-byte ones
// to catch slicing in the middle of a UTF-8 sequence.
const ALPHABET: &[&str] = &[
    "$", "$", "$", "{", "{", "}", "}", ":", "-", "+", "?", "#", "#", "%", "%", "/", "/", "*", "*", "\\", "\\",
    "`", "'", "\"", "<", "<<", " ", "\t", "\n", "=", "@", "!", "0", "1", "A", "B", "_", "x", "é", "한", "🖖",
    "\u{FEFF}", "\u{a0}", "\u{0}", "$A", "${A", "${B:-", "${A#", "${A%%", "${A//", "}",
];

fn random_word(rng: &mut Rng, max_len: usize) -> String {
    let len = rng.below(max_len + 1);
    (0..len).map(|_| ALPHABET[rng.below(ALPHABET.len())]).collect()
}

fn lexers() -> Vec<Lexer> {
    let mut out = Vec::new();
    for escape in ['\\', '`'] {
        for flags in 0..16u8 {
            let mut l = Lexer::new(escape);
            l.raw_quotes = flags & 1 != 0;
            l.raw_escapes = flags & 2 != 0;
            l.skip_unset_env = flags & 4 != 0;
            l.skip_process_quotes = flags & 8 != 0;
            out.push(l);
        }
    }
    out
}

fn check(lexer: &Lexer, word: &str, env: &dyn Env, seed: u64) {
    let single = lexer.process_word(word, env);
    let with_matches = lexer.process_word_with_matches(word, env);
    let split = lexer.process_words(word, env);
    match (&single, &with_matches) {
        (Ok(a), Ok((b, matched, unmatched))) => {
            assert_eq!(a, b, "seed {seed}: process_word and _with_matches disagree on {word:?}");
            assert!(matched.is_disjoint(unmatched), "seed {seed}: {word:?}");
            for name in matched {
                assert!(env.get(name).is_some(), "seed {seed}: {name:?} reported set in {word:?}");
            }
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "seed {seed}: {word:?}"),
        _ => panic!("seed {seed}: process_word {single:?} vs with_matches {with_matches:?} for {word:?}"),
    }
    // Splitting must fail exactly when expanding does.
    assert_eq!(single.is_ok(), split.is_ok(), "seed {seed}: {word:?}: {single:?} vs {split:?}");
    if let Ok(words) = &split {
        assert!(words.iter().all(|w| !w.is_empty()), "seed {seed}: empty word from {word:?}");
    }
    if let Err(e) = &single {
        assert!(
            e.offset <= word.len() && word.is_char_boundary(e.offset),
            "seed {seed}: bad offset {} for {word:?}",
            e.offset
        );
        assert!(!e.message.is_empty());
    }
}

#[test]
fn random_words_never_panic() {
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    env.insert("A".into(), "a*b?c/한🖖 \\*x".into());
    env.insert("B".into(), String::new());
    env.insert("0".into(), "zero".into());
    let lexers = lexers();
    let start = Instant::now();
    let mut cases = 0usize;
    for seed in 1..=4000u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let word = random_word(&mut rng, 40);
        for lexer in &lexers {
            check(lexer, &word, &env, seed);
            check(lexer, &word, &EmptyEnv, seed);
            cases += 2;
        }
    }
    println!("{cases} expansions in {:?}", start.elapsed());
}

#[test]
fn plain_text_is_left_alone() {
    let mut rng = Rng(42);
    let lexer = Lexer::new('\\');
    for _ in 0..2000 {
        let word: String = (0..rng.below(30))
            .map(|_| ["a", "Z", "9", " ", "-", "=", "é", "🖖", ".", "/", ":", "{", "}"][rng.below(13)])
            .collect();
        assert_eq!(lexer.process_word(&word, &EmptyEnv).unwrap(), word);
        let words: Vec<&str> = word.split(' ').filter(|w| !w.is_empty()).collect();
        assert_eq!(lexer.process_words(&word, &EmptyEnv).unwrap(), words);
    }
}

/// Pattern operators on long values with many wildcards must finish: a
/// backtracking matcher would take exponential time here; ours is
/// O(pattern x value).
#[test]
fn pathological_patterns_finish_quickly() {
    let value = "a".repeat(20_000);
    let env = [("V", value.as_str())];
    let lexer = Lexer::new('\\');
    let stars = "*a".repeat(50);
    for op in ["#", "##", "%", "%%", "/", "//"] {
        let sep = if op.starts_with('/') { "/x" } else { "" };
        let word = format!("${{V{op}{stars}b{sep}}}");
        let out = lexer.process_word(&word, &env).unwrap();
        // No 'b' in the value: nothing matches, nothing changes.
        assert_eq!(out, value, "{op}");
    }
}
