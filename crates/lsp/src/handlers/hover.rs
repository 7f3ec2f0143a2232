//! Hover: the rule's docs on a diagnostic, an instruction's docs and flags, a stage's base and
//! what it copies where, a variable's value at that point, the image a `--from=` points to.

use dockstage_model::{Base, EdgeKind, ImageRef, Source};
use lsp_types::*;

use super::Snapshot;
use crate::analysis::{Symbol, VarKind};
use crate::docs;

fn stage_summary(snap: &Snapshot, s: usize) -> String {
    let a = &snap.analysis;
    let st = &a.stages[s];
    let mut out = format!("**stage `{}`** (#{})", st.display_name(), st.index);
    let line = |l: usize| format!("line {l}");
    if let Some(model) = &a.model {
        if let Some(ms) = model.stages.get(s) {
            out.push_str(&match &ms.base {
                Base::Image { image } => format!("\n\nbase image `{}`", image_text(image)),
                Base::Stage { index } => format!("\n\nbuilt on stage `{}`", model.stages[*index].display_name()),
                Base::Scratch => "\n\nstarts from `scratch` (empty)".to_string(),
            });
            if let Some(p) = &ms.platform {
                out.push_str(&format!(", platform `{p}`"));
            }
        }
        let copies: Vec<String> = model
            .edges
            .iter()
            .filter(|e| e.source_stage() == Some(s) && e.kind != EdgeKind::From)
            .map(|e| format!("- into `{}` ({}): {}", model.stages[e.to].display_name(), line(e.line), e.label()))
            .collect();
        if !copies.is_empty() {
            out.push_str("\n\nits files are used:\n");
            out.push_str(&copies.join("\n"));
        }
        let takes: Vec<String> = model
            .edges
            .iter()
            .filter(|e| e.to == s && e.kind != EdgeKind::From)
            .map(|e| format!("- ({}) {}", line(e.line), e.label()))
            .collect();
        if !takes.is_empty() {
            out.push_str("\n\nit takes:\n");
            out.push_str(&takes.join("\n"));
        }
    } else {
        out.push_str(&format!("\n\nFROM `{}`", st.image));
    }
    out
}

fn image_text(image: &ImageRef) -> String {
    let registry = image.domain.as_deref().unwrap_or("docker.io");
    let tag = match (&image.tag, &image.digest) {
        (_, Some(d)) => format!("@{d}"),
        (Some(t), None) => format!(":{t}"),
        (None, None) => ":latest (no tag)".to_string(),
    };
    format!("{}` on `{registry}`, `{}{tag}", image.raw, image.path)
}

pub fn hover(snap: &Snapshot, p: HoverParams) -> Option<Hover> {
    let pos = p.text_document_position_params.position;
    let offset = snap.offset(pos)?;
    let a = &snap.analysis;
    let mut parts: Vec<String> = Vec::new();
    // A diagnostic under the cursor: its rule's documentation.
    let report = snap.lint();
    for f in &report.findings {
        let r = super::diagnostics::finding_range(snap.doc, f);
        if r.start <= pos && pos <= r.end {
            let docs = dockstage_lint::find_rule(f.rule).map(|r| r.meta().docs()).unwrap_or_default();
            parts.push(format!("**{}**: {}\n\n{}", f.rule, f.message, docs.trim_end()));
        }
    }
    let hit = |s: &dockstage_syntax::Span| s.start <= offset && offset <= s.end;
    match a.symbol_at(offset) {
        Some(Symbol::Stage(s)) => parts.push(stage_summary(snap, s)),
        Some(Symbol::Var(d)) => {
            let decl = &a.vars[d];
            let kind = match decl.kind {
                VarKind::MetaArg => "meta-ARG (before the first FROM)",
                VarKind::Arg => "ARG",
                VarKind::Env => "ENV",
            };
            let line = snap.doc.index.position(&snap.doc.text, decl.span.start).line + 1;
            let where_ = decl.stage.map(|s| format!(" of stage `{}`", a.stages[s].display_name())).unwrap_or_default();
            let value = match &decl.value {
                Some(v) => format!("value here: `{v}`"),
                None => "unset here unless given with `--build-arg`".to_string(),
            };
            let from_meta = decl.imports.map(|m| format!(" (takes the meta-ARG of line {})", snap.doc.index.position(&snap.doc.text, a.vars[m].span.start).line + 1)).unwrap_or_default();
            parts.push(format!("**`{}`**: {kind}{where_}, line {line}{from_meta}\n\n{value}", decl.name));
        }
        None => {
            if let Some(i) = a.instr_at(offset) {
                let ins = &a.instrs[i];
                if let Some(r) = a.stage_refs.iter().find(|r| hit(&r.span)) {
                    if let Some(image) = ImageRef::parse(&r.text) {
                        parts.push(format!("**image** `{}` (no stage has this name)", image_text(&image)));
                    }
                } else if let Some(f) = ins.flags.iter().find(|f| hit(&f.span)) {
                    if let Some((_, doc)) = docs::flags(ins.kind).iter().find(|(n, _)| *n == f.name) {
                        parts.push(format!("**`--{}`**: {doc}", f.name));
                    }
                    if f.name == "from" {
                        if let Some(e) = a.model.as_ref().and_then(|m| m.edges.iter().find(|e| e.line == ins.first_line + 1 && matches!(e.from, Source::Image { .. }))) {
                            if let Source::Image { image } = &e.from {
                                parts.push(format!("copies from image `{}`", image_text(image)));
                            }
                        }
                    }
                } else if hit(&ins.keyword) || ins.inner_keyword.as_ref().is_some_and(hit) {
                    let mut text = format!("**{}**: {}", ins.kind.as_str(), docs::instruction(ins.kind));
                    for (n, d) in docs::flags(ins.kind) {
                        text.push_str(&format!("\n- `--{n}`: {d}"));
                    }
                    parts.push(text);
                } else if ins.kind == dockstage_syntax::Keyword::From && ins.words.first().is_some_and(|w| hit(&w.span)) {
                    if let Some(st) = ins.stage {
                        parts.push(stage_summary(snap, st));
                    }
                }
            }
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(Hover { contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: parts.join("\n\n---\n\n") }), range: None })
}
