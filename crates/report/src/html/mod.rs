//! One self-contained HTML page: inline CSS and SVG, no script, nothing fetched. It opens
//! offline, in a CI artefact or attached to a mail, in light or dark, on a phone or printed.
//!
//! Everything that comes from a Dockerfile or an image (paths, instructions, stage names) goes
//! through [`escape`], so a hostile file name cannot break out of the page.

mod charts;
mod graph_svg;
mod page;

pub use charts::{layer_bars, treemap, DirSizes, DirSizesBuilder};
pub use graph_svg::{stage_graph, GraphLayout, NodeBox};
pub use page::render;

use crate::analysis::{Analysis, MeasuredImage, PathBytes, SizeComparison};

/// What one page shows; every part is optional, so `analyze`, `inspect`, `diff` and `report`
/// share the same renderer.
#[derive(Default)]
pub struct Page<'a> {
    /// The page's heading (and `<title>`).
    pub title: String,
    /// The Dockerfile's analysis: stage graph, best-practice checks.
    pub analysis: Option<&'a Analysis>,
    /// The Dockerfile's text, listed with the findings marked at their lines.
    pub source: Option<&'a str>,
    /// Lint findings on `source`.
    pub findings: Vec<Finding>,
    /// The built image of this Dockerfile (or the image inspected; the "to" side of a diff).
    pub image: Option<ImageFacts<'a>>,
    /// Another build to compare with (the "from" side of a diff).
    pub compare: Option<CompareFacts<'a>>,
}

/// A lint finding as the page shows it.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: String,
    /// error, warning, info or style.
    pub severity: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// One measured image.
pub struct ImageFacts<'a> {
    pub measured: &'a MeasuredImage,
    /// The final file system by directory, for the treemap.
    pub fs: Option<&'a DirSizes>,
    /// Paths written more than once or deleted later (dive's inefficiencies), largest first.
    pub wasted: Vec<PathBytes>,
}

/// The compared image and what the comparison found.
pub struct CompareFacts<'a> {
    pub comparison: &'a SizeComparison,
    pub fs: Option<&'a DirSizes>,
}

/// Escapes text for HTML and XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0; show them, don't emit them.
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(escape("<a href=\"x\">'&'</a>\u{1}"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\u{FFFD}");
    }
}
