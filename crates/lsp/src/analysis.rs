//! What the server knows about one version of a document, computed once per change and shared
//! by every handler: the parse, the tokens of each instruction with their byte spans, the stages
//! and the references between them, and ARG/ENV declarations with every use resolved by
//! BuildKit's scoping rules.
//!
//! The parser gives each instruction's span; the words inside it are found here by walking the
//! instruction's physical lines the way the parser joins them (comment lines and empty lines
//! inside a continuation dropped, the escape character and line break removed), keeping the byte
//! offset of every character so that every token maps back to the text the user sees.

use std::collections::HashMap;

use dockstage_model::Build;
use dockstage_syntax::expand::Lexer;
use dockstage_syntax::{Dockerfile, Keyword, ParseError, Span};

use crate::document::LineIndex;

/// A `--name[=value]` flag of an instruction.
#[derive(Debug, Clone)]
pub struct FlagToken {
    pub name: String,
    /// The whole flag.
    pub span: Span,
    /// `--name`.
    pub name_span: Span,
    /// The text after `=` as written, and where it is.
    pub value: Option<(String, Span)>,
}

/// A word of an instruction's arguments, as written (continuations removed).
#[derive(Debug, Clone)]
pub struct WordToken {
    pub text: String,
    pub span: Span,
    /// A quoted string (always so in JSON form).
    pub quoted: bool,
}

/// One instruction's tokens.
#[derive(Debug, Clone)]
pub struct InstrInfo {
    pub span: Span,
    /// The instruction word; for ONBUILD, the word `ONBUILD`.
    pub keyword: Span,
    /// The instruction ONBUILD carries.
    pub inner_keyword: Option<Span>,
    /// The kind that takes effect (the inner one for ONBUILD).
    pub kind: Keyword,
    pub onbuild: bool,
    pub json: bool,
    pub flags: Vec<FlagToken>,
    pub words: Vec<WordToken>,
    /// Comment lines inside a line continuation.
    pub comments: Vec<Span>,
    /// Heredoc bodies, each with its terminator line.
    pub heredocs: Vec<Span>,
    /// The stage the instruction belongs to; `None` before the first `FROM`.
    pub stage: Option<usize>,
    /// 0-based first and last line.
    pub first_line: usize,
    pub last_line: usize,
}

#[derive(Debug, Clone)]
pub struct StageInfo {
    pub index: usize,
    /// The `AS` name, lower-cased as BuildKit keeps it.
    pub name: Option<String>,
    pub name_span: Option<Span>,
    /// The index of the `FROM` in [`Analysis::instrs`]; the stage runs to `end_instr` (exclusive).
    pub from_instr: usize,
    pub end_instr: usize,
    pub image: String,
    pub image_span: Option<Span>,
    /// The earlier stage `FROM` names, if any.
    pub base_stage: Option<usize>,
    /// From the `FROM` to the end of the stage's last instruction.
    pub span: Span,
}

impl StageInfo {
    pub fn display_name(&self) -> String {
        self.name.clone().unwrap_or_else(|| format!("stage-{}", self.index))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageRefKind {
    /// `FROM <stage>`.
    From,
    /// `COPY --from=` / `ADD --from=`.
    CopyFrom,
    /// `RUN --mount=...,from=`.
    Mount,
}

/// A place that names a stage (or an image, when nothing matches).
#[derive(Debug, Clone)]
pub struct StageRef {
    pub span: Span,
    pub text: String,
    pub kind: StageRefKind,
    pub target: Option<usize>,
    pub instr: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    /// An ARG before the first FROM: visible in FROM lines, and inside a stage that declares it
    /// again with `ARG NAME`.
    MetaArg,
    Arg,
    Env,
}

#[derive(Debug, Clone)]
pub struct VarDecl {
    pub name: String,
    /// The name as written.
    pub span: Span,
    pub kind: VarKind,
    pub instr: usize,
    pub stage: Option<usize>,
    /// The value as written after `=`.
    pub default: Option<String>,
    /// The value in force after this declaration, expanded; `None` when unset.
    pub value: Option<String>,
    /// For `ARG NAME` inside a stage: the meta-ARG whose value it takes.
    pub imports: Option<usize>,
}

/// A `$NAME` or `${NAME...}`; `span` covers the name only.
#[derive(Debug, Clone)]
pub struct VarRef {
    pub name: String,
    pub span: Span,
    pub instr: usize,
    pub decl: Option<usize>,
}

pub struct Analysis {
    pub parsed: Result<Dockerfile, ParseError>,
    pub model: Option<Build>,
    pub instrs: Vec<InstrInfo>,
    pub stages: Vec<StageInfo>,
    pub stage_refs: Vec<StageRef>,
    pub vars: Vec<VarDecl>,
    pub var_refs: Vec<VarRef>,
}

/// What is under the cursor, for navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbol {
    Stage(usize),
    Var(usize),
}

impl Analysis {
    pub fn new(text: &str) -> Analysis {
        let parsed = dockstage_syntax::parse(text);
        let mut a = Analysis {
            parsed: Err(ParseError { message: String::new(), line: 0, column: 0 }),
            model: None,
            instrs: Vec::new(),
            stages: Vec::new(),
            stage_refs: Vec::new(),
            vars: Vec::new(),
            var_refs: Vec::new(),
        };
        let df = match parsed {
            Ok(df) => df,
            Err(e) => {
                a.parsed = Err(e);
                return a;
            }
        };
        let index = LineIndex::new(text);
        a.instrs = df.instructions.iter().map(|ins| lex_instruction(text, &index, df.escape, ins)).collect();
        a.model = Build::from_dockerfile(&df).ok();
        a.find_stages();
        a.resolve_vars(text, &index, &df);
        a.parsed = Ok(df);
        a
    }

    pub fn dockerfile(&self) -> Option<&Dockerfile> {
        self.parsed.as_ref().ok()
    }

    /// The instruction whose span contains `offset` (its end included, for a cursor at the end).
    pub fn instr_at(&self, offset: usize) -> Option<usize> {
        let i = self.instrs.partition_point(|ins| ins.span.start <= offset);
        let i = i.checked_sub(1)?;
        (offset <= self.instrs[i].span.end).then_some(i)
    }

    /// The stage in force at `offset`: the last `FROM` at or before it.
    pub fn stage_at(&self, offset: usize) -> Option<usize> {
        self.stages.iter().rev().find(|s| self.instrs[s.from_instr].span.start <= offset).map(|s| s.index)
    }

    fn find_stages(&mut self) {
        let mut current: Option<usize> = None;
        for i in 0..self.instrs.len() {
            if self.instrs[i].kind == Keyword::From && !self.instrs[i].onbuild {
                let ins = &self.instrs[i];
                let words = &ins.words;
                let (name, name_span) = match words.as_slice() {
                    [_, as_word, name] if as_word.text.eq_ignore_ascii_case("as") => (Some(name.text.to_ascii_lowercase()), Some(name.span)),
                    _ => (None, None),
                };
                let image = words.first().map(|w| w.text.clone()).unwrap_or_default();
                let image_span = words.first().map(|w| w.span);
                // FROM matches earlier stages by exact comparison with their lower-cased names.
                let base_stage = self.stages.iter().rev().find(|s| s.name.as_deref() == Some(image.as_str())).map(|s| s.index);
                if let (Some(b), Some(span)) = (base_stage, image_span) {
                    self.stage_refs.push(StageRef { span, text: image.clone(), kind: StageRefKind::From, target: Some(b), instr: i });
                }
                let index = self.stages.len();
                self.stages.push(StageInfo { index, name, name_span, from_instr: i, end_instr: i + 1, image, image_span, base_stage, span: ins.span });
                current = Some(index);
            }
            self.instrs[i].stage = current;
            if let Some(s) = current {
                self.stages[s].end_instr = i + 1;
                self.stages[s].span.end = self.instrs[i].span.end;
            }
        }
        // `--from` and mount `from=` may name any stage, by name (case-insensitively, the last of
        // that name) or by index.
        let mut refs = Vec::new();
        for (i, ins) in self.instrs.iter().enumerate() {
            for flag in &ins.flags {
                let Some((value, vspan)) = &flag.value else { continue };
                match (ins.kind, flag.name.as_str()) {
                    (Keyword::Copy | Keyword::Add, "from") => {
                        refs.push(StageRef { span: *vspan, text: value.clone(), kind: StageRefKind::CopyFrom, target: self.stage_named(value), instr: i })
                    }
                    (Keyword::Run, "mount") => {
                        let mut at = 0;
                        for field in value.split(',') {
                            let start = at;
                            at += field.len() + 1;
                            let Some((key, v)) = field.split_once('=') else { continue };
                            if !key.trim().eq_ignore_ascii_case("from") || v.is_empty() {
                                continue;
                            }
                            let vstart = vspan.start + start + key.len() + 1;
                            let span = Span::new(vstart, vstart + v.len());
                            // A value that crosses a line continuation has no single span; skip it.
                            if span.end <= vspan.end {
                                refs.push(StageRef { span, text: v.to_string(), kind: StageRefKind::Mount, target: self.stage_named(v), instr: i });
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        self.stage_refs.extend(refs);
        self.stage_refs.sort_by_key(|r| r.span.start);
    }

    /// The stage a `--from` value means.
    pub fn stage_named(&self, value: &str) -> Option<usize> {
        if let Ok(n) = value.parse::<usize>() {
            return (n < self.stages.len()).then_some(n);
        }
        let lower = value.to_ascii_lowercase();
        self.stages.iter().rev().find(|s| s.name.as_deref() == Some(lower.as_str())).map(|s| s.index)
    }

    fn resolve_vars(&mut self, text: &str, index: &LineIndex, df: &Dockerfile) {
        let lexer = Lexer::new(df.escape);
        let mut meta: HashMap<String, usize> = HashMap::new();
        let mut scope: HashMap<String, usize> = HashMap::new();
        let mut stage_scopes: Vec<HashMap<String, usize>> = Vec::new();
        let mut vars: Vec<VarDecl> = Vec::new();
        let mut refs: Vec<VarRef> = Vec::new();
        let env_of = |scope: &HashMap<String, usize>, vars: &[VarDecl]| -> HashMap<String, String> {
            scope.iter().filter_map(|(k, &d)| vars[d].value.clone().map(|v| (k.clone(), v))).collect()
        };

        for i in 0..self.instrs.len() {
            let ins = &self.instrs[i];
            let stage = ins.stage;
            if ins.kind == Keyword::From && !ins.onbuild {
                if let Some(prev) = stage.and_then(|s| s.checked_sub(1)) {
                    stage_scopes.push(std::mem::take(&mut scope));
                    debug_assert_eq!(stage_scopes.len(), prev + 1);
                }
                for r in instr_var_refs(text, index, df.escape, ins, &df.instructions[i]) {
                    let decl = meta.get(&r.0).copied();
                    refs.push(VarRef { name: r.0, span: r.1, instr: i, decl });
                }
                // A stage built on another stage inherits that stage's environment, not its ARGs.
                scope = match stage.and_then(|s| self.stages[s].base_stage) {
                    Some(b) => stage_scopes.get(b).map(|sc| sc.iter().filter(|(_, &d)| vars[d].kind == VarKind::Env).map(|(k, &d)| (k.clone(), d)).collect()).unwrap_or_default(),
                    None => HashMap::new(),
                };
                continue;
            }
            let lookup = if stage.is_none() { &meta } else { &scope };
            let declares = !ins.onbuild && matches!(ins.kind, Keyword::Arg | Keyword::Env);
            if !declares {
                for r in instr_var_refs(text, index, df.escape, ins, &df.instructions[i]) {
                    let decl = lookup.get(&r.0).copied();
                    refs.push(VarRef { name: r.0, span: r.1, instr: i, decl });
                }
                continue;
            }
            // ENV sees the environment before the instruction; each ARG word sees the ones before it.
            let before: HashMap<String, usize> = lookup.clone();
            let env_before = env_of(&before, &vars);
            let pairs = decl_words(ins);
            for (name, name_span, default) in pairs {
                let table = if ins.kind == Keyword::Env {
                    &before
                } else if stage.is_none() {
                    &meta
                } else {
                    &scope
                };
                if let Some((dtext, dspan)) = &default {
                    for (rname, rspan) in var_refs_in(dtext, dspan.start, df.escape, text) {
                        let decl = table.get(&rname).copied();
                        refs.push(VarRef { name: rname, span: rspan, instr: i, decl });
                    }
                }
                let env_now = if ins.kind == Keyword::Env { env_before.clone() } else { env_of(table, &vars) };
                let expanded = default.as_ref().map(|(d, _)| lexer.process_word(d, &env_now).unwrap_or_else(|_| d.clone()));
                let (kind, imports, value) = match (stage, ins.kind) {
                    (None, _) => (VarKind::MetaArg, None, expanded),
                    (Some(_), Keyword::Arg) => {
                        let imports = if default.is_none() { meta.get(&name).copied() } else { None };
                        let value = expanded.or_else(|| imports.and_then(|m| vars[m].value.clone()));
                        (VarKind::Arg, imports, value)
                    }
                    _ => (VarKind::Env, None, expanded.or(Some(String::new()))),
                };
                let id = vars.len();
                vars.push(VarDecl { name: name.clone(), span: name_span, kind, instr: i, stage, default: default.map(|d| d.0), value, imports });
                if stage.is_none() {
                    meta.insert(name, id);
                } else {
                    scope.insert(name, id);
                }
            }
        }
        refs.sort_by_key(|r| r.span.start);
        self.vars = vars;
        self.var_refs = refs;
    }

    /// The stage or variable named at `offset` (a definition or a use).
    pub fn symbol_at(&self, offset: usize) -> Option<Symbol> {
        let hit = |s: &Span| s.start <= offset && offset <= s.end;
        if let Some(st) = self.stages.iter().find(|s| s.name_span.as_ref().is_some_and(hit)) {
            return Some(Symbol::Stage(st.index));
        }
        if let Some(r) = self.stage_refs.iter().find(|r| hit(&r.span)) {
            return r.target.map(Symbol::Stage);
        }
        if let Some((id, _)) = self.vars.iter().enumerate().find(|(_, d)| hit(&d.span)) {
            return Some(Symbol::Var(id));
        }
        self.var_refs.iter().find(|r| hit(&r.span)).and_then(|r| r.decl).map(Symbol::Var)
    }

    /// The declarations that are one variable: a meta-ARG and the stage ARGs that import it.
    pub fn var_group(&self, decl: usize) -> Vec<usize> {
        let root = self.vars[decl].imports.unwrap_or(decl);
        (0..self.vars.len()).filter(|&d| d == root || self.vars[d].imports == Some(root)).collect()
    }

    /// Every span naming `symbol`, the definition(s) first; `bool` marks a definition.
    pub fn occurrences(&self, symbol: Symbol) -> Vec<(Span, bool)> {
        let mut out = Vec::new();
        match symbol {
            Symbol::Stage(s) => {
                if let Some(span) = self.stages[s].name_span {
                    out.push((span, true));
                }
                out.extend(self.stage_refs.iter().filter(|r| r.target == Some(s) && r.text.parse::<usize>().is_err()).map(|r| (r.span, false)));
            }
            Symbol::Var(d) => {
                let group = self.var_group(d);
                out.extend(group.iter().map(|&g| (self.vars[g].span, true)));
                out.extend(self.var_refs.iter().filter(|r| r.decl.is_some_and(|x| group.contains(&x))).map(|r| (r.span, false)));
            }
        }
        out
    }

    /// Names visible to `$` completion at `offset`: declarations before it in scope.
    pub fn visible_vars(&self, offset: usize) -> Vec<&VarDecl> {
        let stage = self.stage_at(offset);
        let in_from = self.instr_at(offset).is_some_and(|i| self.instrs[i].kind == Keyword::From);
        let mut seen: HashMap<&str, &VarDecl> = HashMap::new();
        let mut chain = Vec::new();
        let mut s = if in_from { None } else { stage };
        while let Some(x) = s {
            chain.push(x);
            s = self.stages[x].base_stage;
        }
        for d in self.vars.iter().filter(|d| self.instrs[d.instr].span.end < offset) {
            let visible = match (d.stage, d.kind) {
                (None, _) => in_from || stage.is_none(),
                (Some(ds), VarKind::Env) => chain.contains(&ds),
                (Some(ds), _) => chain.first() == Some(&ds),
            };
            if visible {
                seen.insert(&d.name, d);
            }
        }
        let mut out: Vec<&VarDecl> = seen.into_values().collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }
}

/// ARG and ENV declarations of an instruction: name, its span, and the value as written.
fn decl_words(ins: &InstrInfo) -> Vec<(String, Span, Option<(String, Span)>)> {
    let mut out = Vec::new();
    let words = &ins.words;
    let legacy_env = ins.kind == Keyword::Env && words.first().is_some_and(|w| !w.text.contains('='));
    if legacy_env {
        let w = &words[0];
        let value = match (words.get(1), words.last()) {
            (Some(first), Some(last)) => Some((words[1..].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" "), Span::new(first.span.start, last.span.end))),
            _ => None,
        };
        out.push((w.text.clone(), w.span, value));
        return out;
    }
    for w in words {
        match w.text.split_once('=') {
            Some((name, value)) => {
                if name.is_empty() || name.len() > w.span.len() {
                    continue;
                }
                let vstart = w.span.end.saturating_sub(value.len()).max(w.span.start);
                out.push((name.to_string(), Span::new(w.span.start, w.span.start + name.len()), Some((value.to_string(), Span::new(vstart, w.span.end)))));
            }
            None if ins.kind == Keyword::Arg => out.push((w.text.clone(), w.span, None)),
            None => {}
        }
    }
    out
}

/// Variable uses in an instruction other than the ARG/ENV declarations themselves.
fn instr_var_refs(text: &str, index: &LineIndex, escape: char, ins: &InstrInfo, parsed: &dockstage_syntax::Instruction) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    // Exec form runs without a shell or expansion (except in the few instructions that BuildKit
    // expands, which never take JSON).
    if !ins.json {
        for f in &ins.flags {
            if let Some((v, span)) = &f.value {
                out.extend(var_refs_in(v, span.start, escape, text));
            }
        }
        for w in &ins.words {
            out.extend(var_refs_in(&w.text, w.span.start, escape, text));
        }
    }
    // Heredoc bodies of RUN are shell scripts; those of COPY/ADD expand unless the delimiter was quoted.
    let inner = parsed.effective();
    for (hd, span) in inner.heredocs.iter().zip(&ins.heredocs) {
        if ins.kind == Keyword::Run || hd.expand {
            let body_start = span.start;
            let body_end = (body_start + hd.content.len()).min(span.end);
            if let Some(body) = text.get(body_start..body_end) {
                out.extend(var_refs_in(body, body_start, escape, text));
            }
        }
    }
    let _ = index;
    out
}

/// `$NAME` and `${NAME...}` in `word`, which starts at byte `base` of the document. Offsets are
/// mapped back through the document text so that a word joined across a line continuation still
/// points at the right bytes: a name that does not appear verbatim there is dropped.
fn var_refs_in(word: &str, base: usize, escape: char, text: &str) -> Vec<(String, Span)> {
    let b = word.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut single = false;
    let mut double = false;
    while i < b.len() {
        let c = b[i];
        if c as char == escape && !single {
            i += 2;
            continue;
        }
        match c {
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'$' if !single => {
                let braced = b.get(i + 1) == Some(&b'{');
                let start = i + 1 + braced as usize;
                let mut end = start;
                while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'_') {
                    end += 1;
                }
                let name = &word[start..end];
                if !name.is_empty() && !name.as_bytes()[0].is_ascii_digit() {
                    let span = Span::new(base + start, base + end);
                    if text.get(span.start..span.end) == Some(name) {
                        out.push((name.to_string(), span));
                    }
                }
                i = end.max(i + 1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The characters of an instruction's logical line with their byte offsets.
struct Logical {
    chars: Vec<(usize, char)>,
}

impl Logical {
    fn span(&self, from: usize, to: usize) -> Span {
        let start = self.chars[from].0;
        let (last, c) = self.chars[to - 1];
        Span::new(start, last + c.len_utf8())
    }
    fn text(&self, from: usize, to: usize) -> String {
        self.chars[from..to].iter().map(|(_, c)| *c).collect()
    }
}

fn lex_instruction(text: &str, index: &LineIndex, escape: char, ins: &dockstage_syntax::Instruction) -> InstrInfo {
    let first_line = ins.start_line.saturating_sub(1);
    let last_line = ins.end_line.saturating_sub(1).max(first_line).min(index.line_count() - 1);
    let inner = ins.effective();
    // Heredoc bodies follow the command lines; each ends with its terminator line.
    let mut heredocs = Vec::new();
    let mut cmd_last = last_line;
    if let Some(first) = inner.heredocs.first() {
        let body_lines = first.content.matches('\n').count();
        cmd_last = first.end_line.saturating_sub(body_lines + 2).max(first_line);
        let mut line = cmd_last + 1;
        for hd in &inner.heredocs {
            let end = hd.end_line.saturating_sub(1).min(last_line);
            if line <= end {
                let (s, _) = index.line_span(text, line);
                let (_, e) = index.line_span(text, end);
                heredocs.push(Span::new(s, e));
            }
            line = end + 1;
        }
    }
    let mut chars = Vec::new();
    let mut comments = Vec::new();
    for line in first_line..=cmd_last {
        let (mut s, e) = index.line_span(text, line);
        if line == first_line {
            s = ins.span.start.clamp(s, e);
        }
        let body = &text[s..e];
        if line > first_line && body.trim_start().starts_with('#') {
            let indent = body.len() - body.trim_start().len();
            comments.push(Span::new(s + indent, e));
            continue;
        }
        let trimmed = body.trim_end_matches([' ', '\t']);
        let kept = match trimmed.strip_suffix(escape) {
            Some(before) if !before.ends_with(escape) || before.is_empty() => before,
            _ => body,
        };
        chars.extend(kept.char_indices().map(|(i, c)| (s + i, c)));
    }
    let lg = Logical { chars };
    let n = lg.chars.len();
    let is_blank = |c: char| c == ' ' || c == '\t';
    let mut i = 0;
    let skip_blanks = |i: &mut usize| {
        while *i < n && is_blank(lg.chars[*i].1) {
            *i += 1;
        }
    };
    // A shell-ish word: up to an unquoted blank.
    let read_word = |i: &mut usize| -> (usize, usize, bool) {
        let start = *i;
        let mut quote: Option<char> = None;
        let mut quoted = false;
        while *i < n {
            let c = lg.chars[*i].1;
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if is_blank(c) => break,
                None if c == '\'' || c == '"' => {
                    quote = Some(c);
                    quoted = true;
                }
                None if c == escape => *i += 1,
                None => {}
            }
            *i += 1;
        }
        *i = (*i).min(n);
        (start, *i, quoted)
    };
    // The instruction word ends at the first blank, quotes or not, as BuildKit splits it.
    let read_plain = |i: &mut usize| -> (usize, usize) {
        let start = *i;
        while *i < n && !is_blank(lg.chars[*i].1) {
            *i += 1;
        }
        (start, *i)
    };
    skip_blanks(&mut i);
    let (ks, ke) = read_plain(&mut i);
    let keyword = if ke > ks { lg.span(ks, ke) } else { Span::new(ins.span.start, ins.span.start) };
    let mut inner_keyword = None;
    if ins.onbuild.is_some() {
        skip_blanks(&mut i);
        let (s, e) = read_plain(&mut i);
        if e > s {
            inner_keyword = Some(lg.span(s, e));
        }
    }
    let mut flags = Vec::new();
    loop {
        skip_blanks(&mut i);
        if i + 1 < n && lg.chars[i].1 == '-' && lg.chars[i + 1].1 == '-' {
            let (s, e, _) = read_word(&mut i);
            let raw = lg.text(s, e);
            let body = raw.trim_start_matches('-');
            let dashes = raw.len() - body.len();
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (body.to_string(), None),
            };
            let name_end = s + dashes + name.chars().count();
            let name_span = lg.span(s, name_end.max(s + 1).min(e));
            let value = value.map(|v| {
                let vs = (name_end + 1).min(e);
                let span = if vs < e { lg.span(vs, e) } else { Span::new(lg.span(s, e).end, lg.span(s, e).end) };
                (v, span)
            });
            flags.push(FlagToken { name: name.to_ascii_lowercase(), span: lg.span(s, e), name_span, value });
        } else {
            break;
        }
    }
    let mut words = Vec::new();
    let json = inner.json;
    if json && i < n {
        // Strings of the JSON array.
        while i < n {
            if lg.chars[i].1 == '"' {
                let s = i;
                i += 1;
                while i < n && lg.chars[i].1 != '"' {
                    if lg.chars[i].1 == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i = (i + 1).min(n);
                words.push(WordToken { text: lg.text(s, i), span: lg.span(s, i), quoted: true });
            } else {
                i += 1;
            }
        }
    } else {
        loop {
            skip_blanks(&mut i);
            if i >= n {
                break;
            }
            let (s, e, quoted) = read_word(&mut i);
            if e > s {
                words.push(WordToken { text: lg.text(s, e), span: lg.span(s, e), quoted });
            } else {
                i += 1;
            }
        }
    }
    InstrInfo {
        span: ins.span,
        keyword,
        inner_keyword,
        kind: inner.kind,
        onbuild: ins.onbuild.is_some(),
        json,
        flags,
        words,
        comments,
        heredocs,
        stage: None,
        first_line,
        last_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, needle: &str, nth: usize) -> usize {
        text.match_indices(needle).nth(nth).unwrap().0
    }

    #[test]
    fn stages_and_refs() {
        let t = "ARG V=1\nFROM alpine:$V AS Build\nRUN --mount=type=cache,from=build,target=/c true\nFROM build\nCOPY --from=BUILD /a /b\nCOPY --from=0 /a /c\n";
        let a = Analysis::new(t);
        assert_eq!(a.stages.len(), 2);
        assert_eq!(a.stages[0].name.as_deref(), Some("build"));
        assert_eq!(a.stages[1].base_stage, Some(0));
        let targets: Vec<_> = a.stage_refs.iter().map(|r| (&t[r.span.start..r.span.end], r.kind, r.target)).collect();
        assert_eq!(
            targets,
            [("build", StageRefKind::Mount, Some(0)), ("build", StageRefKind::From, Some(0)), ("BUILD", StageRefKind::CopyFrom, Some(0)), ("0", StageRefKind::CopyFrom, Some(0))]
        );
        assert_eq!(a.symbol_at(at(t, "BUILD", 0) + 2), Some(Symbol::Stage(0)));
        // The index reference is not renamed with the name.
        assert_eq!(a.occurrences(Symbol::Stage(0)).len(), 4);
        // `$V` in FROM is the meta-ARG.
        assert_eq!(a.symbol_at(at(t, "$V", 0) + 1), Some(Symbol::Var(0)));
    }

    #[test]
    fn buildkit_scoping() {
        let t = "ARG V=1\nARG W=2\nFROM a AS one\nARG V\nENV E=$V X=$W\nRUN echo $V $E $W\nFROM one\nRUN echo $E $V\n";
        let a = Analysis::new(t);
        let decl_of = |needle: &str, nth: usize| {
            let off = at(t, needle, nth) + 1;
            a.var_refs.iter().find(|r| r.span.start == off).map(|r| r.decl)
        };
        // Inside the stage, V is the re-declared ARG with the meta-ARG's value.
        let v = decl_of("$V", 0).unwrap().unwrap();
        assert_eq!(a.vars[v].kind, VarKind::Arg);
        assert_eq!(a.vars[v].value.as_deref(), Some("1"));
        assert_eq!(a.vars[v].imports, Some(0));
        // W was not re-declared: not visible in the stage.
        assert_eq!(decl_of("$W", 0), Some(None));
        let e = a.vars.iter().position(|d| d.name == "E").unwrap();
        assert_eq!(a.vars[e].value.as_deref(), Some("1"));
        assert_eq!(a.vars[a.vars.iter().position(|d| d.name == "X").unwrap()].value.as_deref(), Some(""));
        // A stage built FROM another inherits its ENV but not its ARGs.
        assert_eq!(decl_of("$E", 1), Some(Some(e)));
        assert_eq!(decl_of("$V", 2), Some(None));
        // Renaming the meta-ARG takes the stage's re-declaration and its uses along.
        assert_eq!(a.occurrences(Symbol::Var(0)).len(), 4);
    }

    #[test]
    fn tokens_across_continuations_and_heredocs() {
        let t = "FROM a\nRUN --mount=type=cache,target=/x \\\n  # note\n  apt-get \\\n  install $PKG\nCOPY <<EOF /dst\nhello $X\nEOF\nENV A=b\n";
        let a = Analysis::new(t);
        let run = &a.instrs[1];
        assert_eq!(run.flags[0].name, "mount");
        assert_eq!(run.comments.len(), 1);
        assert_eq!(&t[run.comments[0].start..run.comments[0].end], "# note");
        let words: Vec<_> = run.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(words, ["apt-get", "install", "$PKG"]);
        let copy = &a.instrs[2];
        assert_eq!(copy.heredocs.len(), 1);
        assert_eq!(&t[copy.heredocs[0].start..copy.heredocs[0].end], "hello $X\nEOF");
        assert_eq!(copy.words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), ["<<EOF", "/dst"]);
        assert!(a.var_refs.iter().any(|r| r.name == "X"));
        assert_eq!(a.instrs[3].kind, Keyword::Env);
    }
}
