//! Terminal text: stage boxes that fit their contents and the terminal, plain ASCII on request,
//! colour only when asked for.

use dockstage_model::practices::Status;

use crate::analysis::Analysis;

#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    /// Terminal width in columns.
    pub width: usize,
    /// Plain ASCII instead of box drawing and symbols.
    pub ascii: bool,
    /// ANSI colours (callers decide: a TTY and no NO_COLOR).
    pub color: bool,
}

struct Glyphs {
    tl: &'static str,
    tr: &'static str,
    bl: &'static str,
    br: &'static str,
    h: &'static str,
    v: &'static str,
    down: &'static str,
    pass: &'static str,
    fail: &'static str,
    na: &'static str,
    arrow: &'static str,
    bullet: &'static str,
}

const UNICODE: Glyphs = Glyphs { tl: "┌", tr: "┐", bl: "└", br: "┘", h: "─", v: "│", down: "▼", pass: "✔", fail: "✘", na: "–", arrow: "→", bullet: "•" };
const ASCII: Glyphs = Glyphs { tl: "+", tr: "+", bl: "+", br: "+", h: "-", v: "|", down: "v", pass: "[pass]", fail: "[FAIL]", na: "[ -- ]", arrow: "->", bullet: "-" };

fn width_of(s: &str) -> usize {
    s.chars().count()
}

/// Splits `text` into lines of at most `max` columns, at spaces where possible.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    wrap_impl(text, max, true)
}

fn wrap_impl(text: &str, max: usize, split_words: bool) -> Vec<String> {
    let max = max.max(8);
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        let mut word = word.to_string();
        while split_words && width_of(&word) > max {
            if !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
            }
            // A cut that would leave only punctuation for the next line takes it along.
            let tail_is_punct = word.chars().skip(max).all(|c| c.is_ascii_punctuation());
            let cut = if tail_is_punct { width_of(&word) } else { max };
            let head: String = word.chars().take(cut).collect();
            word = word.chars().skip(cut).collect();
            lines.push(head);
        }
        if word.is_empty() && split_words && !lines.is_empty() && cur.is_empty() {
            continue;
        }
        if cur.is_empty() {
            cur = word;
        } else if width_of(&cur) + 1 + width_of(&word) <= max {
            cur.push(' ');
            cur.push_str(&word);
        } else {
            lines.push(std::mem::replace(&mut cur, word));
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

struct Out<'a> {
    buf: String,
    o: &'a TextOptions,
    g: &'a Glyphs,
}

impl Out<'_> {
    fn line(&mut self, s: &str) {
        self.buf.push_str(s.trim_end());
        self.buf.push('\n');
    }
    fn paint(&self, code: &str, s: &str) -> String {
        if self.o.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn heading(&mut self, title: &str) {
        self.line("");
        let t = self.paint("1", title);
        self.line(&t);
        let rule = self.g.h.repeat(width_of(title).min(self.o.width));
        self.line(&rule);
    }
    /// Indented text wrapped to the terminal, continuation lines aligned under the first.
    fn para(&mut self, indent: usize, first: &str, text: &str) {
        self.para_w(indent, first, width_of(first), text)
    }
    /// Like `para`, for a `first` whose visible width differs from its length (colour codes).
    fn para_w(&mut self, indent: usize, first: &str, first_width: usize, text: &str) {
        let pad = " ".repeat(indent);
        let hang = " ".repeat(indent + first_width);
        let lines = wrap(text, self.o.width.saturating_sub(indent + first_width));
        for (i, l) in lines.iter().enumerate() {
            let lead = if i == 0 { format!("{pad}{first}") } else { hang.clone() };
            self.line(&format!("{lead}{l}"));
        }
    }
    /// Text whose continuation lines are indented `hang` more than its first line; the first
    /// line keeps its own spacing (aligned columns).
    fn hang(&mut self, indent: usize, hang: usize, text: &str) {
        let start = self.buf.len();
        self.hang_inner(indent, hang, text);
        // No-break spaces hold a number to its unit while wrapping; they print as spaces.
        let printed = self.buf[start..].replace('\u{a0}', " ");
        self.buf.truncate(start);
        self.buf.push_str(&printed);
    }
    fn hang_inner(&mut self, indent: usize, hang: usize, text: &str) {
        let max = self.o.width.saturating_sub(indent).max(16);
        let pad = " ".repeat(indent);
        if width_of(text) <= max {
            self.line(&format!("{pad}{text}"));
            return;
        }
        let limit = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
        let lead = text.len() - text.trim_start().len();
        match text[..limit].rfind(' ').filter(|&i| i > lead) {
            Some(cut) => {
                self.line(&format!("{pad}{}", &text[..cut]));
                for l in wrap(text[cut..].trim_start(), max.saturating_sub(hang)) {
                    self.line(&format!("{pad}{}{l}", " ".repeat(hang)));
                }
            }
            None => {
                for l in wrap(text, max) {
                    self.line(&format!("{pad}{l}"));
                }
            }
        }
    }
    /// A shell command: wrapped lines end in ` \\` so it still pastes as one command.
    fn command(&mut self, indent: usize, text: &str) {
        let pad = " ".repeat(indent);
        // Words are never split: a split word would change the command.
        let lines = wrap_impl(text, self.o.width.saturating_sub(indent + 6), false);
        let n = lines.len();
        for (i, l) in lines.iter().enumerate() {
            let lead = if i == 0 { pad.clone() } else { format!("{pad}    ") };
            let tail = if i + 1 < n { " \\" } else { "" };
            self.line(&format!("{lead}{l}{tail}"));
        }
    }
    fn boxed(&mut self, indent: usize, title: &str, rows: &[String], dim: bool) {
        let g = self.g;
        let inner_max = self.o.width.saturating_sub(indent + 4).max(16);
        let mut body: Vec<String> = Vec::new();
        for r in rows {
            body.extend(wrap(r, inner_max));
        }
        let title_lines = wrap(title, inner_max);
        let inner = title_lines.iter().chain(body.iter()).map(|l| width_of(l)).max().unwrap_or(0);
        let pad = " ".repeat(indent);
        let top = format!("{pad}{}{}{}", g.tl, g.h.repeat(inner + 2), g.tr);
        let bottom = format!("{pad}{}{}{}", g.bl, g.h.repeat(inner + 2), g.br);
        let colour = if dim { "2" } else { "36" };
        let t = self.paint(colour, &top);
        self.line(&t);
        for (i, l) in title_lines.iter().chain(body.iter()).enumerate() {
            let text = format!("{l:<inner$}", inner = inner);
            let text = if i < title_lines.len() { self.paint("1", &text) } else { text };
            let (v1, v2) = (self.paint(colour, g.v), self.paint(colour, g.v));
            self.buf.push_str(&format!("{pad}{v1} {text} {v2}\n"));
        }
        let b = self.paint(colour, &bottom);
        self.line(&b);
    }
}

/// The whole `analyze` report.
pub fn render(a: &Analysis, o: &TextOptions) -> String {
    let g = if o.ascii { &ASCII } else { &UNICODE };
    let mut out = Out { buf: String::new(), o, g };
    let title = format!("dockstage analyze: {}", a.file);
    for l in wrap(&title, o.width) {
        let l = out.paint("1", &l);
        out.line(&l);
    }
    let skipped = a.stages.iter().filter(|s| !s.needed).count();
    let mut summary = format!("{} stage{}, target {}", a.stages.len(), if a.stages.len() == 1 { "" } else { "s" }, a.target);
    if skipped > 0 {
        summary.push_str(&format!(", {skipped} skipped for this target"));
    }
    out.para(0, "", &summary);

    out.heading("Stages and flow");
    flow(&mut out, a);

    out.heading("Best practices");
    let label_w = a.checks.iter().map(|c| width_of(c.title)).max().unwrap_or(0);
    for c in &a.checks {
        let (mark, colour) = match c.status {
            Status::Pass => (g.pass, "32"),
            Status::Fail => (g.fail, "31"),
            Status::NotApplicable => (g.na, "2"),
        };
        let mark_w = width_of(mark);
        let mark = out.paint(colour, mark);
        let at = c.line.map(|l| format!("line {l}")).unwrap_or_else(|| "-".into());
        let first = format!("{mark} {:<label_w$}  {:<8} ", c.title, at, label_w = label_w);
        let first_w = mark_w + 1 + label_w + 2 + 8 + 1;
        // Narrow terminals: the reason goes on its own line under the title.
        if out.o.width < first_w + 24 {
            out.para_w(2, &format!("{mark} "), mark_w + 1, c.title);
            out.para(3 + mark_w, "", &format!("{at}: {}", c.reason));
        } else {
            out.para_w(2, &first, first_w, &c.reason);
        }
    }
    let na = a.score.total - a.score.applicable;
    let mut score = format!("Score: {}/{} checks passed", a.score.passed, a.score.applicable);
    if na > 0 {
        score.push_str(&format!(" ({na} not applicable to this file)"));
    }
    out.line("");
    for l in wrap(&score, out.o.width.saturating_sub(2)) {
        out.line(&format!("  {}", out.paint("1", &l)));
    }

    out.heading("Image size");
    if a.size.image.is_some() {
        for (indent, l) in crate::measured_lines(&a.size) {
            // Continuation lines hang under the first so each figure stays one block.
            out.hang(2 + indent, if l.starts_with("fix: ") { 5 } else { 4 }, &l);
        }
    } else {
        out.para(2, "", &a.size.note);
        for m in &a.size.measured {
            out.line(&format!("  {}: {} bytes ({})", m.label, m.bytes, m.source));
        }
    }
    for c in &a.size.commands {
        out.para(2, "# ", &c.description);
        out.command(2, &c.command);
    }

    out.heading("Build and run");
    for c in &a.commands {
        out.para(2, "# ", &c.description);
        out.command(2, &c.command);
    }

    if !a.takeaways.is_empty() {
        out.heading("Takeaways");
        for t in &a.takeaways {
            out.para(2, &format!("{} ", g.bullet), t);
        }
    }
    out.buf
}

/// Just the stage boxes, arrows and build order.
pub fn render_flow(a: &Analysis, o: &TextOptions) -> String {
    let g = if o.ascii { &ASCII } else { &UNICODE };
    let mut out = Out { buf: String::new(), o, g };
    flow(&mut out, a);
    out.buf
}

fn flow(out: &mut Out, a: &Analysis) {
    let g = out.g;
    for s in &a.stages {
        let incoming: Vec<&crate::analysis::EdgeView> = a.edges.iter().filter(|e| e.to_index == s.index).collect();
        if s.index > 0 || !incoming.is_empty() {
            out.line(&format!("    {}", g.v));
        }
        for e in &incoming {
            let label = format!("{} (line {})", e.label, e.line);
            out.para(4, &format!("{} ", g.v), &label);
        }
        if s.index > 0 || !incoming.is_empty() {
            out.line(&format!("    {}", g.down));
        }
        let mut title = format!("Stage {}: {}", s.index, s.name);
        if !s.needed {
            title.push_str(&format!(" (skipped: {} does not need it)", a.target));
        } else if s.name == a.target {
            title.push_str(" (target)");
        }
        let mut rows = vec![format!("Base: {}{}", s.base, if s.base_kind == "stage" { " (stage)" } else { "" })];
        if let Some(p) = &s.platform {
            rows.push(format!("Platform: {p}"));
        }
        rows.push(format!("Lines: {}-{}", s.line, s.end_line));
        if !s.instructions.is_empty() {
            rows.push(format!("Instructions: {}", s.instructions.join(", ")));
        }
        out.boxed(2, &title, &rows, !s.needed);
    }
    if a.stages.len() > 1 {
        out.line("");
        let levels: Vec<String> = a.levels.iter().enumerate().map(|(i, l)| format!("{}) {}", i + 1, l.join(" + "))).collect();
        out.para(2, "Build order: ", &levels.join("  "));
        out.para(2, "Longest chain: ", &format!("{} ({} stage{})", a.critical_path.join(&format!(" {} ", g.arrow)), a.critical_path.len(), if a.critical_path.len() == 1 { "" } else { "s" }));
    }
}
