//! Edge cases not covered by BuildKit's envVarTest/wordsTest fixtures (those
//! run in tests/shell_conformance.rs). Expected values were derived from
//! BuildKit's lexer source and its Go tests.

use super::*;

fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

type Vars<'a> = &'a [(&'a str, &'a str)];

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn word(input: &str, vars: &[(&str, &str)]) -> Result<String, ExpandError> {
    Lexer::new('\\').process_word(input, &env(vars))
}

#[track_caller]
fn ok(input: &str, vars: &[(&str, &str)], want: &str) {
    match word(input, vars) {
        Ok(got) => assert_eq!(got, want, "input {input:?}"),
        Err(e) => panic!("input {input:?}: unexpected error {e}"),
    }
}

#[track_caller]
fn fails(input: &str, vars: &[(&str, &str)], want_message: &str) {
    match word(input, vars) {
        Ok(got) => panic!("input {input:?}: expected error {want_message:?}, got {got:?}"),
        Err(e) => {
            assert_eq!(e.message, want_message, "input {input:?}");
            assert!(e.offset <= input.len() && input.is_char_boundary(e.offset));
        }
    }
}

#[test]
fn matched_and_unmatched_names() {
    let lexer = Lexer::new('\\');
    #[allow(clippy::type_complexity)]
    let cases: &[(&str, Vars, &str, &[&str], &[&str])] = &[
        ("x", &[("DUMMY", "dummy")], "x", &[], &[]),
        ("x ${UNUSED}", &[("DUMMY", "dummy")], "x ", &[], &["UNUSED"]),
        ("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", &[("FOO", "xxx"), ("BAR", "")], "xxx  ccc", &["FOO", "BAR"], &["BAZ"]),
        ("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", &[("FOO", "xxx"), ("BAR", "")], "xxx bbb ccc", &["FOO", "BAR"], &["BAZ"]),
        ("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", &[("FOO", "xxx"), ("BAR", "")], "aaa bbb ", &["FOO", "BAR"], &["BAZ"]),
        ("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", &[("FOO", "xxx"), ("BAR", "")], "aaa  ", &["FOO", "BAR"], &["BAZ"]),
        ("${BAR?bbb}", &[("BAR", "")], "", &["BAR"], &[]),
        ("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "x")], "xyy", &["FOO", "BAR"], &[]),
        ("${ABC:-.}${FOO%x}${ABC:-.}", &[("FOO", "xxyy")], ".xxyy.", &["FOO"], &["ABC"]),
        // Positional parameters are looked up (and so reported) like names.
        ("a$1b", &[], "ab", &[], &["1"]),
        ("${FOO///}", &[], "", &[], &["FOO"]),
    ];
    for (input, vars, want, matched, unmatched) in cases {
        let (got, m, u) = lexer.process_word_with_matches(input, &env(vars)).unwrap();
        assert_eq!(got, *want, "{input:?}");
        assert_eq!(m, set(matched), "matched for {input:?}");
        assert_eq!(u, set(unmatched), "unmatched for {input:?}");
    }
}

#[test]
fn required_variables() {
    let set_ = [("VAR", "plain"), ("ARG", "x")];
    let empty = [("VAR", ""), ("ARG", "x")];
    let unset = [("ARG", "x")];
    ok("${VAR:?message here$ARG}", &set_, "plain");
    fails("${VAR:?message here$ARG}", &empty, "VAR: message herex");
    fails("${VAR:?message here$ARG}", &unset, "VAR: message herex");
    ok("${VAR?message here$ARG}", &set_, "plain");
    ok("${VAR?message here$ARG}", &empty, "");
    fails("${VAR?message here$ARG}", &unset, "VAR: message herex");
    fails("${VAR?}", &unset, "VAR: is not allowed to be unset");
    fails("${VAR:?}", &empty, "VAR: is not allowed to be empty");
    fails("${VAR:?}", &unset, "VAR: is not allowed to be unset");
}

#[test]
fn unsupported_modifiers() {
    fails("${FOO=aaa}", &[("FOO", "x")], "unsupported modifier (=) in substitution");
    fails("${FOO:=aaa}", &[("FOO", "x")], "unsupported modifier (:=) in substitution");
    fails("${FOO=}", &[], "unsupported modifier (=) in substitution");
    fails("${FOO:#}", &[], "unsupported modifier (:#) in substitution");
    fails("${FOO:##}", &[], "unsupported modifier (:#) in substitution");
    fails("${FOO:%}", &[], "unsupported modifier (:%) in substitution");
    fails("${FOO:%%}", &[], "unsupported modifier (:%) in substitution");
    // Go prints its end-of-input sentinel as U+FFFD.
    fails("${FOO", &[], "unsupported modifier (\u{FFFD}) in substitution");
    fails("${FOO:", &[], "syntax error: missing '}'");
    fails("${", &[], "syntax error: missing '}'");
    fails("${}", &[], "syntax error: bad substitution");
    fails("${:}", &[], "syntax error: bad substitution");
    fails("${{x}", &[], "syntax error: bad substitution");
    fails("${FOO:-abc", &[], "syntax error: missing '}'");
    fails("${FOO:-'abc}", &[], "syntax error: missing '}'");
    fails("${FOO/abc", &[], "syntax error: missing '/' in ${}");
    fails("${FOO/a/b", &[], "syntax error: missing '}'");
    fails("${FOO//ww}", &[("FOO", "xxyy")], "syntax error: missing '/' in ${}");
}

#[test]
fn quote_errors() {
    fails("\"abc", &[], "unexpected end of statement while looking for matching double-quote");
    fails("'abc", &[], "unexpected end of statement while looking for matching single-quote");
    // Running out of input inside ${} is always reported as the missing '}'.
    fails("${A:-\"x}\"", &[], "syntax error: missing '}'");
    // Other failures inside an operand keep their own message.
    fails("${A:-${}}x", &[], "syntax error: bad substitution");
}

#[test]
fn trimming_patterns() {
    let cases = [
        ("${FOO#()[]{\\}^$.\\*\\?|\\\\}", "()[]{}^$.*?|\\x", "x"),
        ("${FOO%%\\**}", "xx**", "xx"),
        ("${FOO#*x*y}", "xxyy", "y"),
        ("${FOO#*}", "xxyy", "xxyy"),
        ("${FOO#}", "xxyy", "xxyy"),
        ("${FOO##*x}", "xxyy", "yy"),
        ("${FOO##}", "xxyy", "xxyy"),
        ("${FOO#?\\?}", "???y", "?y"),
        ("${FOO%%\\**\\*}", "a***yy*", "a"),
        ("${FOO%}", "xxyy", "xxyy"),
        ("${FOO%y}", "xxyy", "xxy"),
        ("${FOO%%y*}", "xxyy", "xx"),
        ("${FOO%y*}", "xxyy", "xxy"),
        ("${FOO%.*}", "archive.tar.gz", "archive.tar"),
        ("${FOO%%.*}", "archive.tar.gz", "archive"),
        ("${FOO##*/}", "/usr/local/bin/tool", "tool"),
        ("${FOO#*/}", "/usr/local/bin/tool", "usr/local/bin/tool"),
        ("${FOO%/*}", "/usr/local/bin/tool", "/usr/local/bin"),
        ("${FOO#한}", "한국어", "국어"),
        ("${FOO%어}", "한국어", "한국"),
    ];
    for (input, value, want) in cases {
        ok(input, &[("FOO", value)], want);
    }
    ok("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "")], "xxyy");
    ok("${FOO%%$BAR}", &[("FOO", "xxyy"), ("BAR", "")], "xxyy");
    fails("${FOO#\\x}", &[("FOO", "x")], "invalid pattern (\\x) in substitution: invalid escape '\\x'");
    // `%` reports the reversed pattern, like BuildKit.
    fails("${FOO%a\\x}", &[("FOO", "x")], "invalid pattern (\\xa) in substitution: invalid escape '\\x'");
}

#[test]
fn replacement() {
    let cases: &[(&str, Vars, &str)] = &[
        ("${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", &[("FOO", "/foo*/*/*.txt"), ("NEEDLE", "\\*/")], "/foo.*/*.txt - /foo..*.txt"),
        ("${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", &[("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp")], "/tmp/bar.txt - /bar.txt"),
        (
            "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
            &[("FOO", "/a/foo/b/c.txt"), ("NEEDLE", "/?/"), ("REPLACEMENT", "/")],
            "/foo/b/c.txt - /foo/c.txt",
        ),
        ("${FOO/$NEEDLE/$R}", &[("FOO", "http://google.de"), ("NEEDLE", "http://"), ("R", "https://")], "https://google.de"),
        ("${FOO//\\//\\/}", &[("FOO", "/tmp/foo.txt")], "\\/tmp\\/foo.txt"),
        ("${FOO/$BAR/ww}", &[("FOO", "xxyy"), ("BAR", "")], "wwxxyy"),
        ("${FOO///}", &[("FOO", "xxyy")], "xxyy"),
        ("${FOO//x/-}", &[("FOO", "xxyy")], "--yy"),
        ("${FOO//*/-}", &[("FOO", "xxyy")], "-"),
        // Go's ReplaceAllString template: '$0' is the whole match.
        ("${FOO//y/'<$0>'}", &[("FOO", "xxyy")], "xx<y><y>"),
        ("${FOO/y/'<$0>'}", &[("FOO", "xxyy")], "xx<$0>y"),
    ];
    for (input, vars, want) in cases {
        ok(input, vars, want);
    }
    fails("${FOO//}", &[("FOO", "xxyy")], "syntax error: missing '/' in ${}");
}

#[test]
fn platform_release_name() {
    let tpl = "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
    let base = [("VERSION", "v1.2.3"), ("TARGETOS", "linux")];
    let with = |extra: &[(&'static str, &'static str)]| -> Vec<(&str, &str)> {
        base.iter().chain(extra).copied().collect()
    };
    ok(tpl, &with(&[("TARGETARCH", "arm"), ("TARGETVARIANT", "v7")]), "something-v1.2.3.linux-arm-v7.tar.gz");
    ok(tpl, &with(&[("TARGETARCH", "arm64"), ("TARGETVARIANT", "")]), "something-v1.2.3.linux-arm64.tar.gz");
    ok(tpl, &with(&[("TARGETARCH", "arm64")]), "something-v1.2.3.linux-arm64.tar.gz");
}

#[test]
fn names_and_special_parameters() {
    ok("$", &[], "$");
    ok("a$", &[], "a$");
    ok("$ x", &[], "$ x");
    ok("$@$*$#$?$-$$$!", &[], "");
    ok("$0abc", &[("0abc", "no")], "abc");
    ok("$12x", &[("12", "twelve")], "twelvex");
    ok("${#}", &[("#", "hash")], "hash");
    ok("$é", &[("é", "e-acute")], "e-acute");
    ok("$Ab_9.", &[("Ab_9", "v")], "v.");
    // U+2160 ROMAN NUMERAL ONE is alphabetic but not a Go letter: not a name.
    ok("$\u{2160}", &[("\u{2160}", "no")], "$\u{2160}");
    // Arabic-Indic digits are Go digits, so they form a positional parameter.
    ok("$٣x", &[("٣", "three")], "threex");
}

#[test]
fn escape_token_backtick() {
    let lexer = Lexer::new('`');
    let e = EmptyEnv;
    assert_eq!(lexer.process_word("a`$b", &e).unwrap(), "a$b");
    assert_eq!(lexer.process_word("C:\\path\\x", &e).unwrap(), "C:\\path\\x");
    assert_eq!(lexer.process_word("\"a`\"b\"", &e).unwrap(), "a\"b");
    assert_eq!(lexer.process_word("\"a\\\"", &e).unwrap(), "a\\");
    // Patterns always escape with a backslash, whatever the escape token.
    let env = env(&[("F", "a*b")]);
    assert_eq!(lexer.process_word("${F#a\\*}", &env).unwrap(), "b");
}

#[test]
fn raw_quotes_escapes_and_skip_unset() {
    let mut lexer = Lexer::new('\\');
    lexer.raw_quotes = true;
    lexer.skip_unset_env = true;
    let vars = env(&[("SET", "v")]);
    let cases = [
        ("'a b' \"c $SET\"", "'a b' \"c v\""),
        ("$UNSET/${UNSET}", "$UNSET/${UNSET}"),
        ("${UNSET:-d}${UNSET:+x}", "${UNSET:-d}${UNSET:+x}"),
        ("${UNSET//a/b}", "${UNSET/a/b}"),
        ("${SET:-d}", "v"),
    ];
    for (input, want) in cases {
        assert_eq!(lexer.process_word(input, &vars).unwrap(), want, "{input:?}");
    }
    lexer.raw_escapes = true;
    assert_eq!(lexer.process_word("a\\ b", &vars).unwrap(), "a\\ b");
    // An unescapable char after an escape in double quotes gets the escape twice.
    assert_eq!(lexer.process_word("\"\\x\"", &vars).unwrap(), "\"\\\\x\"");
}

#[test]
fn skip_process_quotes() {
    let mut lexer = Lexer::new('\\');
    lexer.skip_process_quotes = true;
    let vars = env(&[("A", "1")]);
    assert_eq!(lexer.process_word("'$A' \"$A", &vars).unwrap(), "'1' \"1");
}

#[test]
fn word_splitting_quirks() {
    let lexer = Lexer::new('\\');
    let vars = env(&[("X", "1 2")]);
    let words = |s: &str| lexer.process_words(s, &vars).unwrap();
    assert_eq!(words("a '' b"), ["a", "b"]);
    assert_eq!(words("a <<  EOF b"), ["a", "<<  EOF", "b"]);
    assert_eq!(words("a<b"), ["a<b"]);
    // BuildKit's shared word buffer: a nested ${...:-} scan discards the
    // current word's earlier text (but not completed words).
    assert_eq!(words("keep abc${U:-def}ghi"), ["keep", "defghi"]);
    assert_eq!(words("abc\"${U:-d}\""), ["d"]);
    assert_eq!(words("abc$X"), ["abc1", "2"]);
    assert_eq!(words("\u{a0}a\u{85}b\u{3000}c"), ["a", "b", "c"]);
}

#[test]
fn byte_order_mark_only_dropped_at_start() {
    ok("\u{FEFF}a\u{FEFF}", &[], "a\u{FEFF}");
}

#[test]
fn trailing_escape() {
    ok("abc\\", &[], "abc");
    fails("\"abc\\", &[], "unexpected end of statement while looking for matching double-quote");
    fails("${A:-x\\", &[], "syntax error: missing '}'");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let depth = 100_000;
    let input = "${A:-".repeat(depth) + &"}".repeat(depth);
    // Run on a small stack to prove the limit keeps us well inside it.
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || Lexer::new('\\').process_word(&input, &EmptyEnv))
        .unwrap();
    let err = handle.join().unwrap().unwrap_err();
    assert!(err.message.contains("nested"), "{err}");
    let ok_input = "${A:-".repeat(MAX_NESTING) + "x" + &"}".repeat(MAX_NESTING);
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || Lexer::new('\\').process_word(&ok_input, &EmptyEnv))
        .unwrap();
    assert_eq!(handle.join().unwrap().unwrap(), "x");
}

#[test]
fn buildkit_message_quotes_like_go() {
    let err = word("\"a\tb\u{1}é\u{200b}", &[]).unwrap_err();
    assert_eq!(
        err.buildkit_message("\"a\tb\u{1}é\u{200b}"),
        "failed to process \"\\\"a\\tb\\x01é\\u200b\": unexpected end of statement while looking for matching double-quote"
    );
}

#[test]
fn env_impls_agree() {
    let pairs = [("A", "1"), ("B", "2"), ("A", "3")];
    assert_eq!(Env::get(&pairs, "A").as_deref(), Some("3"));
    assert_eq!(Env::keys(&pairs), ["A", "B"]);
    let v: Vec<(String, String)> = vec![("K".into(), "".into())];
    assert_eq!(Env::get(&v, "K").as_deref(), Some(""));
    assert_eq!(Env::get(&v, "k"), None);
    let h: HashMap<String, String> = HashMap::from([("Z".into(), "z".into()), ("Y".into(), "y".into())]);
    assert_eq!(Env::keys(&h), ["Y", "Z"]);
    assert_eq!(EmptyEnv.get("A"), None);
    let lexer = Lexer::default();
    assert_eq!(lexer.process_word("$A$B", &pairs).unwrap(), "32");
    assert_eq!(lexer.process_word("$A$B", &pairs[..2].to_vec()).unwrap(), "12");
}

#[test]
fn multiplying_replacements_are_cut_off() {
    // Each level replaces every empty match (one per char, plus one) with the
    // next level's output: 5 levels of a 30-char value would be ~30^5 * 30
    // bytes... and 8 levels far beyond memory. BuildKit would grind; we stop.
    let value = "x".repeat(30);
    let mut word = "${A///y}".to_string();
    for _ in 0..8 {
        word = format!("${{A///{word}}}");
    }
    let err = Lexer::new('\\').process_word(&word, &env(&[("A", &value)])).unwrap_err();
    assert!(err.message.contains("too large"), "{err}");
    // Two levels are fine and exact.
    let out = Lexer::new('\\').process_word("${A///${A///-}}", &env(&[("A", "ab")])).unwrap();
    assert_eq!(out, "-a-b-a-a-b-b-a-b-");
}
