//! Semantic tokens: instruction keywords, flags, variables (declarations marked), quoted
//! strings, comments and heredocs (the `<<EOF` opener and terminator as `macro`, the body as
//! `string`). Tokens never span lines, and a variable inside a string splits the string.

use dockstage_syntax::Span;
use lsp_types::*;

use super::Snapshot;

const KEYWORD: u32 = 0;
const FLAG: u32 = 1;
const VARIABLE: u32 = 2;
const STRING: u32 = 3;
const COMMENT: u32 = 4;
const HEREDOC: u32 = 5;
const DECLARATION: u32 = 1;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: vec![SemanticTokenType::KEYWORD, SemanticTokenType::PARAMETER, SemanticTokenType::VARIABLE, SemanticTokenType::STRING, SemanticTokenType::COMMENT, SemanticTokenType::MACRO],
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

pub fn full(snap: &Snapshot, _p: SemanticTokensParams) -> Option<SemanticTokensResult> {
    let a = &snap.analysis;
    let mut base: Vec<(Span, u32, u32)> = Vec::new();
    if let Some(df) = a.dockerfile() {
        base.extend(df.comments.iter().map(|c| (c.span, COMMENT, 0)));
    }
    for ins in &a.instrs {
        base.push((ins.keyword, KEYWORD, 0));
        if let Some(k) = ins.inner_keyword {
            base.push((k, KEYWORD, 0));
        }
        base.extend(ins.flags.iter().map(|f| (f.name_span, FLAG, 0)));
        for w in &ins.words {
            if w.text.starts_with("<<") {
                base.push((w.span, HEREDOC, 0));
            } else if w.quoted {
                base.push((w.span, STRING, 0));
            }
        }
        for hd in &ins.heredocs {
            let body = &snap.doc.text[hd.start..hd.end];
            let term = body.rfind('\n').map_or(hd.start, |i| hd.start + i + 1);
            if term > hd.start {
                base.push((Span::new(hd.start, term - 1), STRING, 0));
            }
            base.push((Span::new(term, hd.end), HEREDOC, 0));
        }
    }
    let mut over: Vec<(Span, u32, u32)> = a.var_refs.iter().map(|r| (r.span, VARIABLE, 0)).collect();
    over.extend(a.vars.iter().map(|d| (d.span, VARIABLE, DECLARATION)));
    over.sort_by_key(|t| t.0.start);
    // Cut the variables out of the strings and heredoc bodies that contain them.
    let mut tokens: Vec<(Span, u32, u32)> = Vec::new();
    for (span, ty, m) in base {
        let mut start = span.start;
        for (o, _, _) in over.iter().filter(|(o, _, _)| o.start >= span.start && o.end <= span.end) {
            if o.start > start {
                tokens.push((Span::new(start, o.start), ty, m));
            }
            start = start.max(o.end);
        }
        if start < span.end {
            tokens.push((Span::new(start, span.end), ty, m));
        }
    }
    tokens.extend(over);
    tokens.sort_by_key(|t| (t.0.start, t.0.end));
    let text = &snap.doc.text;
    let idx = &snap.doc.index;
    let mut data = Vec::new();
    let (mut prev_line, mut prev_char) = (0u32, 0u32);
    let mut last_end = 0usize;
    for (span, ty, m) in tokens {
        if span.start < last_end || span.end > text.len() {
            continue;
        }
        last_end = span.end;
        // One token per line the span touches.
        let mut s = span.start;
        while s < span.end {
            let p = idx.position(text, s);
            let (_, line_end) = idx.line_span(text, p.line as usize);
            let e = span.end.min(line_end);
            if e > s {
                let len = text[s..e].encode_utf16().count() as u32;
                let delta_line = p.line - prev_line;
                let delta_start = if delta_line == 0 { p.character - prev_char } else { p.character };
                data.push(SemanticToken { delta_line, delta_start, length: len, token_type: ty, token_modifiers_bitset: m });
                prev_line = p.line;
                prev_char = p.character;
            }
            s = idx.offset(text, Position { line: p.line + 1, character: 0 }).unwrap_or(span.end).max(e + 1);
        }
    }
    Some(SemanticTokensResult::Tokens(SemanticTokens { result_id: None, data }))
}
