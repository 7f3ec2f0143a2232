//! Word expansion the way BuildKit's Dockerfile shell lexer does it.
//!
//! Dockerfile instructions are not run through a shell; BuildKit expands
//! `$VAR`, `${VAR...}`, quotes and escapes with its own small lexer, and a
//! Dockerfile means whatever that lexer makes of it. This module reproduces
//! that lexer's observable behaviour, quirks included (they are pointed out
//! where they happen), so that what we report matches what a build does.
//!
//! ```
//! use std::collections::HashMap;
//! use dockstage_syntax::expand::Lexer;
//!
//! let env = HashMap::from([("V".to_string(), "1.2".to_string())]);
//! let lexer = Lexer::new('\\');
//! assert_eq!(lexer.process_word("app-${V:-dev}.tgz", &env).unwrap(), "app-1.2.tgz");
//! assert_eq!(lexer.process_words("a \"b c\" $V", &env).unwrap(), ["a", "b c", "1.2"]);
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

mod pattern;
mod unicode_tables;

/// Variables visible to an expansion (build args and `ENV` values).
pub trait Env {
    /// The value of `key`, or `None` when it is unset (set-but-empty is
    /// `Some("")`; the two differ for `${VAR-x}` versus `${VAR:-x}`).
    fn get(&self, key: &str) -> Option<String>;
    /// Names of all variables, for diagnostics such as "did you mean".
    fn keys(&self) -> Vec<String>;
}

/// No variables at all.
#[derive(Debug, Clone, Copy, Default)]
pub struct EmptyEnv;

impl Env for EmptyEnv {
    fn get(&self, _key: &str) -> Option<String> {
        None
    }
    fn keys(&self) -> Vec<String> {
        Vec::new()
    }
}

impl<S: std::hash::BuildHasher> Env for HashMap<String, String, S> {
    fn get(&self, key: &str) -> Option<String> {
        HashMap::get(self, key).cloned()
    }
    fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = HashMap::keys(self).cloned().collect();
        keys.sort();
        keys
    }
}

impl Env for BTreeMap<String, String> {
    fn get(&self, key: &str) -> Option<String> {
        BTreeMap::get(self, key).cloned()
    }
    fn keys(&self) -> Vec<String> {
        BTreeMap::keys(self).cloned().collect()
    }
}

/// Ordered `(name, value)` pairs; when a name repeats, the last one wins, as
/// with repeated `ENV` instructions.
impl<K: AsRef<str>, V: AsRef<str>> Env for [(K, V)] {
    fn get(&self, key: &str) -> Option<String> {
        self.iter()
            .rev()
            .find(|(k, _)| k.as_ref() == key)
            .map(|(_, v)| v.as_ref().to_string())
    }
    fn keys(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.iter()
            .map(|(k, _)| k.as_ref())
            .filter(|k| seen.insert(*k))
            .map(str::to_string)
            .collect()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Env for Vec<(K, V)> {
    fn get(&self, key: &str) -> Option<String> {
        Env::get(self.as_slice(), key)
    }
    fn keys(&self) -> Vec<String> {
        Env::keys(self.as_slice())
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> Env for [(K, V); N] {
    fn get(&self, key: &str) -> Option<String> {
        Env::get(self.as_slice(), key)
    }
    fn keys(&self) -> Vec<String> {
        Env::keys(self.as_slice())
    }
}

impl<T: Env + ?Sized> Env for &T {
    fn get(&self, key: &str) -> Option<String> {
        (**self).get(key)
    }
    fn keys(&self) -> Vec<String> {
        (**self).keys()
    }
}

/// An expansion that BuildKit would refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandError {
    /// BuildKit's wording, e.g. "unexpected end of statement while looking
    /// for matching double-quote" or "VAR: is not allowed to be unset".
    pub message: String,
    /// Byte offset into the processed word where the problem was noticed
    /// (always on a char boundary, at most the word's length).
    pub offset: usize,
}

impl ExpandError {
    /// The full message BuildKit prints for this error on `word`:
    /// `failed to process "<word>": <message>`.
    pub fn buildkit_message(&self, word: &str) -> String {
        format!("failed to process {}: {}", go_quote(word), self.message)
    }
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExpandError {}

/// Nesting depth of `${...}` beyond which we give up instead of risking the
/// stack (BuildKit's Go stacks grow; ours do not). No real Dockerfile nests
/// anywhere near this.
const MAX_NESTING: usize = 200;

/// Runaway guards (BuildKit has none and can spin for minutes or run out of
/// memory on a crafted word): the longest string any expansion step may
/// produce, and the most pattern-atom × value-char steps one match may take.
/// Both are far above anything a real Dockerfile needs.
const LIMITS: pattern::Limits = pattern::Limits { work: 1 << 27, len: 16 << 20 };

/// BuildKit's shell lexer settings. The defaults from [`Lexer::new`] are the
/// ones BuildKit uses to expand instruction arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lexer {
    /// The Dockerfile escape token: `\` (default) or `` ` `` (`# escape=`).
    pub escape: char,
    /// Keep quote characters in the output instead of removing them.
    pub raw_quotes: bool,
    /// Keep escape tokens in the output instead of removing them.
    pub raw_escapes: bool,
    /// Leave references to unset variables as written (`$X`, `${X:-d}`).
    pub skip_unset_env: bool,
    /// Treat `'` and `"` as ordinary characters.
    pub skip_process_quotes: bool,
}

impl Default for Lexer {
    fn default() -> Self {
        Self::new('\\')
    }
}

impl Lexer {
    pub fn new(escape: char) -> Self {
        Lexer {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_unset_env: false,
            skip_process_quotes: false,
        }
    }

    /// Expands `word` into a single string; whitespace is kept.
    pub fn process_word(&self, word: &str, env: &dyn Env) -> Result<String, ExpandError> {
        self.process_word_with_matches(word, env).map(|(w, _, _)| w)
    }

    /// Expands `word` and splits the result into words at unquoted
    /// whitespace (including whitespace that came out of a `$VAR`).
    pub fn process_words(&self, word: &str, env: &dyn Env) -> Result<Vec<String>, ExpandError> {
        let mut state = State::new(self, word, env, false);
        state.process_stop_on(None, self.raw_escapes).map(|(_, words)| words)
    }

    /// Like [`Lexer::process_word`], also returning the names of referenced
    /// variables that were set and those that were not (e.g. for the
    /// UndefinedVar check). Positional and special parameters (`$1`, `$@`)
    /// are looked up and reported like any other name, as BuildKit does.
    pub fn process_word_with_matches(
        &self,
        word: &str,
        env: &dyn Env,
    ) -> Result<(String, BTreeSet<String>, BTreeSet<String>), ExpandError> {
        let mut state = State::new(self, word, env, true);
        let (result, _) = state.process_stop_on(None, self.raw_escapes)?;
        Ok((result, state.matched, state.unmatched))
    }
}

/// Word splitting of the top-level output. `buf` lives in [`State`] because
/// BuildKit shares one buffer between nested scans (see `process_stop_on`).
#[derive(Default)]
struct Words {
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, buf: &mut String, ch: char) {
        if ch.is_whitespace() {
            if self.in_word && !buf.is_empty() {
                self.words.push(std::mem::take(buf));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(buf, ch);
        }
    }

    fn add_raw_char(&mut self, buf: &mut String, ch: char) {
        buf.push(ch);
        self.in_word = true;
    }

    fn add_string(&mut self, buf: &mut String, s: &str) {
        for ch in s.chars() {
            self.add_char(buf, ch);
        }
    }

    fn add_raw_string(&mut self, buf: &mut String, s: &str) {
        buf.push_str(s);
        self.in_word = true;
    }

    fn finish(mut self, buf: &mut String) -> Vec<String> {
        if !buf.is_empty() {
            self.words.push(std::mem::take(buf));
            self.in_word = false;
        }
        self.words
    }
}

struct State<'a> {
    lex: &'a Lexer,
    src: &'a str,
    pos: usize,
    env: &'a dyn Env,
    raw_escapes: bool,
    capture: bool,
    depth: usize,
    matched: BTreeSet<String>,
    unmatched: BTreeSet<String>,
    words_buf: String,
}

type Res<T> = Result<T, ExpandError>;

impl<'a> State<'a> {
    fn new(lex: &'a Lexer, src: &'a str, env: &'a dyn Env, capture: bool) -> Self {
        // Go's text/scanner drops a byte order mark at the very start.
        let pos = if src.starts_with('\u{FEFF}') { '\u{FEFF}'.len_utf8() } else { 0 };
        State {
            lex,
            src,
            pos,
            env,
            raw_escapes: lex.raw_escapes,
            capture,
            depth: 0,
            matched: BTreeSet::new(),
            unmatched: BTreeSet::new(),
            words_buf: String::new(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn err(&self, message: impl Into<String>) -> ExpandError {
        ExpandError { message: message.into(), offset: self.pos }
    }

    fn lookup(&mut self, name: &str) -> Option<String> {
        let value = self.env.get(name);
        if self.capture {
            let set = if value.is_some() { &mut self.matched } else { &mut self.unmatched };
            set.insert(name.to_string());
        }
        value
    }

    /// Scans until `stop` (consumed) or the end of input when `stop` is None,
    /// returning the expanded text and its split words.
    fn process_stop_on(&mut self, stop: Option<char>, raw_escapes: bool) -> Res<(String, Vec<String>)> {
        let saved = std::mem::replace(&mut self.raw_escapes, raw_escapes);
        let out = self.stop_on_inner(stop);
        self.raw_escapes = saved;
        out
    }

    fn stop_on_inner(&mut self, stop: Option<char>) -> Res<(String, Vec<String>)> {
        let mut result = String::new();
        // BuildKit quirk: every scan, including the nested one for the
        // operand of `${VAR:-...}`, clears the one shared word buffer, so
        // in process_words the text of the current word before such an
        // expansion is lost ("a${X:-b}" splits to ["b"]).
        self.words_buf.clear();
        let mut words = Words::default();
        let quotes = !self.lex.skip_process_quotes;
        while let Some(ch) = self.peek() {
            if stop == Some(ch) {
                self.next();
                let list = words.finish(&mut self.words_buf);
                return Ok((result, list));
            }
            let special = match ch {
                '$' => Some(self.process_dollar()?),
                '<' => Some(self.process_possible_heredoc()),
                '\'' if quotes => Some(self.process_single_quote()?),
                '"' if quotes => Some(self.process_double_quote()?),
                _ => None,
            };
            if let Some(text) = special {
                result.push_str(&text);
                if result.len() > LIMITS.len {
                    return Err(self.err(pattern::too_large(LIMITS.len)));
                }
                if ch == '$' {
                    words.add_string(&mut self.words_buf, &text);
                } else {
                    words.add_raw_string(&mut self.words_buf, &text);
                }
                continue;
            }
            let mut ch = self.next().unwrap_or(ch);
            if ch == self.lex.escape {
                if self.raw_escapes {
                    words.add_raw_char(&mut self.words_buf, ch);
                    result.push(ch);
                }
                // An escape token at the very end escapes nothing and vanishes.
                match self.next() {
                    Some(escaped) => ch = escaped,
                    None => break,
                }
                words.add_raw_char(&mut self.words_buf, ch);
            } else {
                words.add_char(&mut self.words_buf, ch);
            }
            result.push(ch);
        }
        if let Some(stop) = stop {
            return Err(self.err(format!("unexpected end of statement while looking for matching {stop}")));
        }
        let list = words.finish(&mut self.words_buf);
        Ok((result, list))
    }

    fn process_single_quote(&mut self) -> Res<String> {
        let mut result = String::new();
        let open = self.next();
        if self.lex.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.next() {
                None => {
                    return Err(self.err("unexpected end of statement while looking for matching single-quote"))
                }
                Some('\'') => {
                    if self.lex.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    fn process_double_quote(&mut self) -> Res<String> {
        let mut result = String::new();
        let open = self.next();
        if self.lex.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.peek() {
                None => {
                    return Err(self.err("unexpected end of statement while looking for matching double-quote"))
                }
                Some('"') => {
                    self.next();
                    if self.lex.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let value = self.process_dollar()?;
                    result.push_str(&value);
                    if result.len() > LIMITS.len {
                        return Err(self.err(pattern::too_large(LIMITS.len)));
                    }
                }
                Some(_) => {
                    let mut ch = self.next().unwrap_or_default();
                    if ch == self.lex.escape {
                        if self.raw_escapes {
                            result.push(ch);
                        }
                        match self.peek() {
                            // Trailing escape: the loop reports the missing quote.
                            None => continue,
                            Some(n) if n == '"' || n == '$' || n == self.lex.escape => {
                                ch = n;
                                self.next();
                            }
                            // Not escapable inside double quotes: the escape
                            // stays (and with raw escapes it is written twice,
                            // as BuildKit does).
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    fn process_dollar(&mut self) -> Res<String> {
        self.next(); // the '$'

        if self.peek() != Some('{') {
            let name = self.process_name();
            if name.is_empty() {
                return Ok("$".to_string());
            }
            return Ok(match self.lookup(&name) {
                Some(value) => value,
                None if self.lex.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }

        self.next(); // the '{'
        match self.peek() {
            None => return Err(self.err("syntax error: missing '}'")),
            Some('{' | '}' | ':') => return Err(self.err("syntax error: bad substitution")),
            Some(_) => {}
        }
        if self.depth >= MAX_NESTING {
            return Err(self.err(format!("too many nested ${{}} expansions (more than {MAX_NESTING})")));
        }
        self.depth += 1;
        let out = self.process_braced();
        self.depth -= 1;
        out
    }

    /// `${` has been consumed and the next character starts the name.
    fn process_braced(&mut self) -> Res<String> {
        let name = self.process_name();
        // Go reports its EOF sentinel as U+FFFD when it prints the modifier.
        let mut ch = self.next().unwrap_or('\u{FFFD}');
        let mut modifier = ch.to_string();
        let mut null_is_unset = false;

        match ch {
            '}' => {
                return Ok(match self.lookup(&name) {
                    Some(value) => value,
                    None if self.lex.skip_unset_env => format!("${{{name}}}"),
                    None => String::new(),
                });
            }
            '/' => return self.process_replace(&name),
            ':' => {
                null_is_unset = true;
                ch = self.next().unwrap_or('\u{FFFD}');
                modifier.push(ch);
                // Whatever follows ':' is handled like the operators below
                // (BuildKit falls through), even if it is not one of them.
            }
            '+' | '-' | '?' | '#' | '%' => {}
            _ => return Err(self.err(format!("unsupported modifier ({modifier}) in substitution"))),
        }

        let trimming = ch == '#' || ch == '%';
        if null_is_unset && trimming {
            return Err(self.err(format!("unsupported modifier ({modifier}) in substitution")));
        }
        let word = self.nested_until('}', trimming, "syntax error: missing '}'")?;

        let value = self.lookup(&name);
        let (set, value) = match value {
            Some(v) => (true, v),
            None if self.lex.skip_unset_env => return Ok(format!("${{{name}{modifier}{word}}}")),
            None => (false, String::new()),
        };
        let empty_counts_as_unset = null_is_unset && value.is_empty();

        match ch {
            '-' => Ok(if !set || empty_counts_as_unset { word } else { value }),
            '+' => Ok(if !set || empty_counts_as_unset { String::new() } else { word }),
            '?' => {
                let default = if !set {
                    "is not allowed to be unset"
                } else if empty_counts_as_unset {
                    "is not allowed to be empty"
                } else {
                    return Ok(value);
                };
                let message = if word.is_empty() { default } else { word.as_str() };
                Err(self.err(format!("{name}: {message}")))
            }
            '#' | '%' => {
                // One operator character: shortest match; doubled: longest.
                let (pat, greedy) = match word.strip_prefix(ch) {
                    Some(rest) => (rest.to_string(), true),
                    None => (word, false),
                };
                if ch == '%' {
                    // Done as a prefix trim on the reversed value and pattern;
                    // errors quote the reversed pattern, as BuildKit's do.
                    let reversed = pattern::reverse_pattern(&pat);
                    let atoms = self.compile(&reversed)?;
                    let trimmed = pattern::trim_prefix(&atoms, &pattern::reverse_string(&value), greedy, LIMITS)
                        .map_err(|m| self.err(m))?;
                    Ok(pattern::reverse_string(&trimmed))
                } else {
                    let atoms = self.compile(&pat)?;
                    pattern::trim_prefix(&atoms, &value, greedy, LIMITS).map_err(|m| self.err(m))
                }
            }
            _ => Err(self.err(format!("unsupported modifier ({modifier}) in substitution"))),
        }
    }

    /// `${name/pat/repl}` and `${name//pat/repl}`; the first '/' is consumed.
    fn process_replace(&mut self, name: &str) -> Res<String> {
        let all = self.peek() == Some('/');
        if all {
            self.next();
        }
        let pat = self.nested_until('/', true, "syntax error: missing '/' in ${}")?;
        let replacement = self.nested_until('}', true, "syntax error: missing '}'")?;

        let value = match self.lookup(name) {
            Some(v) => v,
            // Note: BuildKit writes a single '/' here even for '//'.
            None if self.lex.skip_unset_env => return Ok(format!("${{{name}/{pat}/{replacement}}}")),
            None => String::new(),
        };
        let atoms = self.compile(&pat)?;
        let replaced = if all {
            pattern::replace_all(&atoms, &value, &replacement, LIMITS)
        } else {
            pattern::replace_first(&atoms, &value, &replacement, LIMITS)
        };
        replaced.map_err(|m| self.err(m))
    }

    /// Scans a `${...}` operand up to `stop`. Any failure that happens because
    /// the input ran out is reported as `at_eof` instead.
    fn nested_until(&mut self, stop: char, raw_escapes: bool, at_eof: &str) -> Res<String> {
        match self.process_stop_on(Some(stop), raw_escapes) {
            Ok((word, _)) => Ok(word),
            Err(e) if self.peek().is_none() => Err(ExpandError { message: at_eof.to_string(), offset: e.offset }),
            Err(e) => Err(e),
        }
    }

    fn compile(&self, pat: &str) -> Res<Vec<pattern::Atom>> {
        pattern::compile(pat).map_err(|why| self.err(format!("invalid pattern ({pat}) in substitution: {why}")))
    }

    /// A variable name: letters, digits and '_'; or a run of digits
    /// (positional parameter); or one special parameter character.
    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && is_go_digit(ch) {
                while let Some(d) = self.peek().filter(|&c| is_go_digit(c)) {
                    self.next();
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return ch.to_string();
            }
            if !is_go_letter(ch) && !is_go_digit(ch) && ch != '_' {
                break;
            }
            self.next();
            name.push(ch);
        }
        name
    }

    /// `<<` (plus following blanks) passes through untouched but counts as
    /// quoted text for word splitting, so `<< EOF` stays one word.
    fn process_possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".to_string();
        }
        self.next();
        let mut out = "<<".to_string();
        while let Some(c) = self.peek().filter(|c| matches!(c, '\t' | '\r' | ' ')) {
            self.next();
            out.push(c);
        }
        out
    }
}

fn in_table(table: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Go's `unicode.IsLetter` (general category L).
fn is_go_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    in_table(unicode_tables::LETTER, c)
}

/// Go's `unicode.IsDigit` (general category Nd).
fn is_go_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    in_table(unicode_tables::DIGIT, c)
}

/// Go's `strconv.Quote`, so error messages quote the word as BuildKit does.
pub(crate) fn go_quote(s: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if in_table(unicode_tables::PRINT, c) => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests;
