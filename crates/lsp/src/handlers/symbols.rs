//! The outline (stages with their instructions), folding ranges (stages, multi-line
//! instructions, heredocs, comment blocks) and links to local COPY/ADD sources.

use dockstage_syntax::Keyword;
use lsp_types::*;

use super::Snapshot;

fn instr_name(snap: &Snapshot, i: usize) -> String {
    let ins = &snap.analysis.instrs[i];
    snap.text(ins.keyword).to_string()
}

fn instr_detail(snap: &Snapshot, i: usize) -> String {
    let ins = &snap.analysis.instrs[i];
    let first_line_end = snap.doc.text[ins.keyword.end..ins.span.end].find('\n').map_or(ins.span.end, |n| ins.keyword.end + n);
    snap.doc.text[ins.keyword.end..first_line_end].trim().trim_end_matches('\\').trim().chars().take(80).collect()
}

#[allow(deprecated)]
fn doc_symbol(snap: &Snapshot, i: usize) -> DocumentSymbol {
    let ins = &snap.analysis.instrs[i];
    DocumentSymbol {
        name: instr_name(snap, i),
        detail: Some(instr_detail(snap, i)),
        kind: SymbolKind::FUNCTION,
        tags: None,
        deprecated: None,
        range: snap.range(ins.span),
        selection_range: snap.range(ins.keyword),
        children: None,
    }
}

#[allow(deprecated)]
pub fn document_symbols(snap: &Snapshot, _p: DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
    let a = &snap.analysis;
    if !snap.client.hierarchical_symbols {
        let uri: Uri = snap.doc.uri.parse().ok()?;
        let flat = (0..a.instrs.len())
            .map(|i| SymbolInformation {
                name: instr_name(snap, i),
                kind: SymbolKind::FUNCTION,
                tags: None,
                deprecated: None,
                location: Location { uri: uri.clone(), range: snap.range(a.instrs[i].span) },
                container_name: a.instrs[i].stage.map(|s| a.stages[s].display_name()),
            })
            .collect();
        return Some(DocumentSymbolResponse::Flat(flat));
    }
    let mut out: Vec<DocumentSymbol> = (0..a.instrs.len()).take_while(|&i| a.instrs[i].stage.is_none()).map(|i| doc_symbol(snap, i)).collect();
    for st in &a.stages {
        let children = (st.from_instr..st.end_instr).map(|i| doc_symbol(snap, i)).collect();
        out.push(DocumentSymbol {
            name: st.display_name(),
            detail: Some(format!("FROM {}", st.image)),
            kind: SymbolKind::CLASS,
            tags: None,
            deprecated: None,
            range: snap.range(st.span),
            selection_range: snap.range(st.name_span.unwrap_or(a.instrs[st.from_instr].keyword)),
            children: Some(children),
        });
    }
    Some(DocumentSymbolResponse::Nested(out))
}

fn fold(start: usize, end: usize, kind: Option<FoldingRangeKind>) -> FoldingRange {
    FoldingRange { start_line: start as u32, end_line: end as u32, kind, ..Default::default() }
}

pub fn folding_ranges(snap: &Snapshot, _p: FoldingRangeParams) -> Vec<FoldingRange> {
    let a = &snap.analysis;
    let mut out = Vec::new();
    for st in &a.stages {
        let (first, last) = (a.instrs[st.from_instr].first_line, a.instrs[st.end_instr - 1].last_line);
        if last > first {
            out.push(fold(first, last, Some(FoldingRangeKind::Region)));
        }
    }
    for ins in &a.instrs {
        if ins.last_line > ins.first_line {
            out.push(fold(ins.first_line, ins.last_line, None));
        }
        for hd in &ins.heredocs {
            let (s, e) = (snap.doc.index.position(&snap.doc.text, hd.start).line as usize, snap.doc.index.position(&snap.doc.text, hd.end).line as usize);
            if e > s {
                out.push(fold(s.saturating_sub(1), e, None));
            }
        }
    }
    // Blocks of two or more comment lines.
    if let Some(df) = a.dockerfile() {
        let mut i = 0;
        let c = &df.comments;
        while i < c.len() {
            let mut j = i;
            while j + 1 < c.len() && c[j + 1].line == c[j].line + 1 {
                j += 1;
            }
            if j > i {
                out.push(fold(c[i].line - 1, c[j].line - 1, Some(FoldingRangeKind::Comment)));
            }
            i = j + 1;
        }
    }
    out.sort_by_key(|f| (f.start_line, std::cmp::Reverse(f.end_line)));
    out.dedup_by_key(|f| (f.start_line, f.end_line));
    out
}

/// The Docker Hub page of an image that lives there: official images under `_/`, others under
/// `r/`. Images on other registries, stage names, `scratch` and names still holding a variable
/// have no page we can name without the network.
fn docker_hub_page(image: &str) -> Option<String> {
    if image.contains('$') || image.eq_ignore_ascii_case("scratch") {
        return None;
    }
    let r = dockstage_model::ImageRef::parse(image)?;
    if r.domain.as_deref().is_some_and(|d| d != "docker.io" && d != "index.docker.io") {
        return None;
    }
    let path = r.path.strip_prefix("library/").unwrap_or(&r.path);
    Some(if path.contains('/') { format!("https://hub.docker.com/r/{path}") } else { format!("https://hub.docker.com/_/{path}") })
}

pub fn document_links(snap: &Snapshot, _p: DocumentLinkParams) -> Vec<DocumentLink> {
    let mut out = Vec::new();
    for st in &snap.analysis.stages {
        let (Some(span), None) = (st.image_span, st.base_stage) else { continue };
        if let Some(page) = docker_hub_page(&st.image) {
            if let Ok(target) = page.parse() {
                out.push(DocumentLink { range: snap.range(span), target: Some(target), tooltip: Some(format!("{} on Docker Hub", st.image)), data: None });
            }
        }
    }
    let Some(dir) = snap.doc.path.as_ref().and_then(|p| p.parent()) else { return out };
    for ins in &snap.analysis.instrs {
        if !matches!(ins.kind, Keyword::Copy | Keyword::Add) || ins.flags.iter().any(|f| f.name == "from") || ins.words.len() < 2 {
            continue;
        }
        for w in &ins.words[..ins.words.len() - 1] {
            let t = w.text.trim_matches('"');
            if t.is_empty() || t.contains(['$', '*', '?', '[']) || t.starts_with("<<") || t.contains("://") || t.starts_with("git@") {
                continue;
            }
            let path = dir.join(t.trim_start_matches("./"));
            if path.exists() {
                if let Ok(target) = crate::uri::from_path(&path).parse() {
                    out.push(DocumentLink { range: snap.range(w.span), target: Some(target), tooltip: Some(path.display().to_string()), data: None });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::docker_hub_page;

    #[test]
    fn hub_pages_only_for_images_on_docker_hub() {
        assert_eq!(docker_hub_page("python:3.11-slim").as_deref(), Some("https://hub.docker.com/_/python"));
        assert_eq!(docker_hub_page("docker.io/library/node:20").as_deref(), Some("https://hub.docker.com/_/node"));
        assert_eq!(docker_hub_page("bitnami/redis@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef").as_deref(), Some("https://hub.docker.com/r/bitnami/redis"));
        assert_eq!(docker_hub_page("gcr.io/distroless/static-debian12"), None);
        assert_eq!(docker_hub_page("scratch"), None);
        assert_eq!(docker_hub_page("python:${VERSION}"), None);
    }
}
