//! The stage graph as ASCII, Mermaid and Graphviz DOT. Skipped stages are drawn dashed.

use crate::analysis::{Analysis, EdgeView};
use crate::text::{self, TextOptions};

/// Node id for an external image, stable and safe for Mermaid and DOT.
fn image_id(a: &Analysis, image: &str) -> String {
    let mut images: Vec<&str> = a.edges.iter().filter(|e| e.from_kind == "image").map(|e| e.from.as_str()).collect();
    images.dedup();
    let pos = images.iter().position(|i| *i == image).unwrap_or(0);
    format!("img{pos}")
}

fn from_id(a: &Analysis, e: &EdgeView) -> String {
    match e.from_index {
        Some(i) => format!("s{i}"),
        None => image_id(a, &e.from),
    }
}

fn external_images(a: &Analysis) -> Vec<&str> {
    let mut seen: Vec<&str> = Vec::new();
    for e in a.edges.iter().filter(|e| e.from_kind == "image") {
        if !seen.contains(&e.from.as_str()) {
            seen.push(&e.from);
        }
    }
    seen
}

fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;")
}

pub fn mermaid(a: &Analysis) -> String {
    let mut o = String::from("flowchart TD\n");
    for s in &a.stages {
        let base = if s.base_kind == "stage" { String::new() } else { format!("<br/>{}", mermaid_text(&s.base)) };
        o.push_str(&format!("  s{}[\"{}{}\"]\n", s.index, mermaid_text(&s.name), base));
    }
    for img in external_images(a) {
        o.push_str(&format!("  {}[(\"{}\")]\n", image_id(a, img), mermaid_text(img)));
    }
    for e in &a.edges {
        let arrow = if e.kind == dockstage_model::EdgeKind::From { "==>" } else { "-->" };
        o.push_str(&format!("  {} {arrow}|\"{}\"| s{}\n", from_id(a, e), mermaid_text(&e.label), e.to_index));
    }
    let skipped: Vec<String> = a.stages.iter().filter(|s| !s.needed).map(|s| format!("s{}", s.index)).collect();
    if !skipped.is_empty() {
        o.push_str("  classDef skipped stroke-dasharray: 5 5,color:#888\n");
        o.push_str(&format!("  class {} skipped\n", skipped.join(",")));
    }
    o
}

fn dot_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

pub fn dot(a: &Analysis) -> String {
    let mut o = String::from("digraph stages {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\"];\n");
    for s in &a.stages {
        let mut label = dot_text(&format!("{}: {}", s.index, s.name));
        if s.base_kind != "stage" {
            label.push_str(&format!("\\n{}", dot_text(&s.base)));
        }
        let style = if !s.needed {
            ", style=dashed, fontcolor=gray"
        } else if s.name == a.target {
            ", penwidth=2"
        } else {
            ""
        };
        o.push_str(&format!("  s{} [label=\"{label}\"{style}];\n", s.index));
    }
    for img in external_images(a) {
        o.push_str(&format!("  {} [label=\"{}\", shape=cylinder];\n", image_id(a, img), dot_text(img)));
    }
    for e in &a.edges {
        let style = if e.kind == dockstage_model::EdgeKind::From { ", style=bold" } else { "" };
        o.push_str(&format!("  {} -> s{} [label=\"{}\"{style}];\n", from_id(a, e), e.to_index, dot_text(&e.label)));
    }
    o.push_str("}\n");
    o
}

/// The stage boxes and arrows of the text report, without the other sections.
pub fn ascii(a: &Analysis, o: &TextOptions) -> String {
    text::render_flow(a, o)
}
