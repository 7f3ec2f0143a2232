//! Completion: instruction keywords, each instruction's flags, `--mount=` keys and types, stage
//! names after `--from=` and mount `from=`, variables in scope after `$`, and parser directives
//! in the leading comments.

use dockstage_syntax::Keyword;
use lsp_types::*;

use super::Snapshot;
use crate::docs;

fn item(label: String, kind: CompletionItemKind, detail: &str, range: Range, insert: String) -> CompletionItem {
    CompletionItem {
        label,
        kind: Some(kind),
        documentation: (!detail.is_empty()).then(|| Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value: detail.to_string() })),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text: insert })),
        ..Default::default()
    }
}

pub fn completion(snap: &Snapshot, p: CompletionParams) -> Option<CompletionResponse> {
    let pos = p.text_document_position.position;
    let offset = snap.offset(pos)?;
    let text = &snap.doc.text;
    let line = pos.line as usize;
    let (line_start, _) = snap.doc.index.line_span(text, line);
    let prefix = &text[line_start..offset];
    let a = &snap.analysis;
    let escape = a.dockerfile().map_or('\\', |d| d.escape);
    let word_start = prefix.rfind([' ', '\t']).map_or(0, |i| i + 1);
    let word = &prefix[word_start..];
    let range_from = |start: usize| snap.doc.range(line_start + start, offset);
    let mut items = Vec::new();

    let continued = line > 0 && {
        let (s, e) = snap.doc.index.line_span(text, line - 1);
        let prev = text[s..e].trim_end();
        prev.ends_with(escape) && !prev.trim_start().starts_with('#')
    };
    let instr = a.instr_at(offset).filter(|&i| a.instrs[i].first_line < line || a.instrs[i].span.start < offset);
    let in_heredoc = instr.is_some_and(|i| a.instrs[i].heredocs.iter().any(|h| h.start <= offset && offset <= h.end));
    if in_heredoc {
        return Some(CompletionResponse::Array(vars_after_dollar(snap, word, offset, &range_from, word_start).unwrap_or_default()));
    }
    // Parser directives in the leading comment block.
    let before_instructions = a.instrs.first().map_or(true, |i| i.span.start >= offset);
    if before_instructions && prefix.trim_start().starts_with('#') {
        let hash = prefix.find('#').unwrap_or(0);
        let typed = prefix[hash + 1..].trim_start();
        if !typed.contains('=') {
            let start = prefix.len() - typed.len();
            for (name, doc) in docs::DIRECTIVES {
                items.push(item(format!("{name}="), CompletionItemKind::PROPERTY, doc, range_from(start), format!("{name}=")));
            }
        }
        return Some(CompletionResponse::Array(items));
    }
    if prefix.trim_start().starts_with('#') {
        return Some(CompletionResponse::Array(items));
    }
    if let Some(vars) = vars_after_dollar(snap, word, offset, &range_from, word_start) {
        return Some(CompletionResponse::Array(vars));
    }
    let first_word = !continued && !prefix.trim_start().contains([' ', '\t']);
    let after_onbuild = !continued && prefix.trim_start().to_ascii_uppercase().strip_prefix("ONBUILD").is_some_and(|r| r.starts_with([' ', '\t']) && !r.trim().contains(' '));
    if first_word || after_onbuild {
        for k in Keyword::ALL {
            if after_onbuild && matches!(k, Keyword::Onbuild | Keyword::From | Keyword::Maintainer) {
                continue;
            }
            items.push(item(k.as_str().to_string(), CompletionItemKind::KEYWORD, docs::instruction(k), range_from(word_start), format!("{} ", k.as_str())));
        }
        return Some(CompletionResponse::Array(items));
    }
    let kind = instr
        .map(|i| a.instrs[i].kind)
        .unwrap_or_else(|| Keyword::from_word(prefix.split_whitespace().next().unwrap_or("")));
    if let Some(flag) = word.strip_prefix("--") {
        let stage_items = |items: &mut Vec<CompletionItem>, start: usize| {
            let current = a.stage_at(offset);
            for st in &a.stages {
                if Some(st.index) == current {
                    continue;
                }
                if let Some(name) = &st.name {
                    items.push(item(name.clone(), CompletionItemKind::CLASS, &format!("stage {} (FROM {})", st.index, st.image), range_from(start), name.clone()));
                }
            }
        };
        if let Some(v) = flag.strip_prefix("from=") {
            stage_items(&mut items, prefix.len() - v.len());
        } else if let Some(v) = flag.strip_prefix("mount=") {
            let field_start = v.rfind(',').map_or(0, |i| i + 1);
            let field = &v[field_start..];
            let start = prefix.len() - field.len();
            match field.split_once('=') {
                Some(("from", val)) => stage_items(&mut items, prefix.len() - val.len()),
                Some(("type", val)) => {
                    for t in docs::MOUNT_TYPES {
                        items.push(item(t.to_string(), CompletionItemKind::ENUM_MEMBER, "", range_from(prefix.len() - val.len()), t.to_string()));
                    }
                }
                Some(_) => {}
                None => {
                    for k in docs::MOUNT_KEYS {
                        items.push(item(format!("{k}="), CompletionItemKind::PROPERTY, "", range_from(start), format!("{k}=")));
                    }
                }
            }
        } else if let Some(v) = flag.strip_prefix("network=") {
            for n in ["default", "none", "host"] {
                items.push(item(n.to_string(), CompletionItemKind::ENUM_MEMBER, "", range_from(prefix.len() - v.len()), n.to_string()));
            }
        } else if !flag.contains('=') {
            for (name, doc) in docs::flags(kind) {
                let insert = if *name == "mount" { "--mount=type=cache,target=".to_string() } else if matches!(*name, "link" | "parents" | "keep-git-dir") { format!("--{name}") } else { format!("--{name}=") };
                items.push(item(format!("--{name}"), CompletionItemKind::PROPERTY, doc, range_from(word_start), insert));
            }
        }
    }
    Some(CompletionResponse::Array(items))
}

/// Variable names after a `$` or `${` at the end of the typed word.
fn vars_after_dollar(snap: &Snapshot, word: &str, offset: usize, range_from: &dyn Fn(usize) -> Range, word_start: usize) -> Option<Vec<CompletionItem>> {
    let dollar = word.rfind('$')?;
    let after = &word[dollar + 1..];
    let typed = after.strip_prefix('{').unwrap_or(after);
    if !typed.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let start = word_start + word.len() - typed.len();
    let items = snap
        .analysis
        .visible_vars(offset)
        .into_iter()
        .map(|d| {
            let detail = match &d.value {
                Some(v) => format!("`{v}`"),
                None => "unset".to_string(),
            };
            item(d.name.clone(), CompletionItemKind::VARIABLE, &detail, range_from(start), d.name.clone())
        })
        .collect();
    Some(items)
}
