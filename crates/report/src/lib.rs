//! Renders dockstage's analyses for terminals (UTF-8 box drawing or plain ASCII), markdown,
//! JSON, and stage graphs (ASCII, Mermaid, Graphviz DOT).

pub mod analysis;
pub mod graph;
pub mod lint;
pub mod markdown;
pub mod text;

pub use analysis::{analyze, Analysis, BuildSetup};

/// The analysis as pretty JSON (schema: docs/analyze-schema.json).
pub fn render_json(a: &Analysis) -> String {
    let mut s = serde_json::to_string_pretty(a).expect("analysis serialises");
    s.push('\n');
    s
}
