//! From the image and lint libraries' types to the HTML page's.

use dockstage_image::analysis::FinalTree;
use dockstage_report::html::{self, CompareFacts, DirSizes, ImageFacts, Page};
use dockstage_report::PathBytes;

/// How deep the treemap's directories go.
const TREEMAP_DEPTH: usize = 3;

pub(crate) fn dir_sizes(tree: &FinalTree) -> DirSizes {
    let mut b = DirSizes::builder(TREEMAP_DEPTH);
    tree.walk_files(|parts, size| b.add(parts, size));
    b.finish()
}

pub(crate) fn wasted(a: &dockstage_image::Analysis) -> Vec<PathBytes> {
    a.inefficiencies.iter().map(|i| PathBytes { path: i.path.clone(), bytes: i.wasted_bytes }).collect()
}

pub(crate) fn finding(f: &dockstage_lint::Finding) -> html::Finding {
    html::Finding { rule: f.rule.to_string(), severity: f.severity.as_str().to_string(), line: f.line, column: f.column, message: f.message.clone() }
}

/// `inspect --format html`: one image.
pub(crate) fn inspect_page(a: &dockstage_image::Analysis, tree: &FinalTree) -> String {
    let measured = crate::cmd_analyze::measured(a);
    let fs = dir_sizes(tree);
    let page = Page {
        title: format!("dockstage inspect: {}", file_name(&a.image)),
        image: Some(ImageFacts { measured: &measured, fs: Some(&fs), wasted: wasted(a) }),
        ..Default::default()
    };
    html::render(&page)
}

/// `diff --format html`: B (this build) against A (the compared image).
pub(crate) fn diff_page(a: &dockstage_image::Analysis, ta: &FinalTree, b: &dockstage_image::Analysis, tb: &FinalTree) -> String {
    let measured = crate::cmd_analyze::measured(b);
    let comparison = crate::cmd_analyze::comparison(b, tb, a, ta);
    let (fa, fb) = (dir_sizes(ta), dir_sizes(tb));
    let page = Page {
        title: format!("dockstage diff: {} \u{2192} {}", file_name(&a.image), file_name(&b.image)),
        image: Some(ImageFacts { measured: &measured, fs: Some(&fb), wasted: wasted(b) }),
        compare: Some(CompareFacts { comparison: &comparison, fs: Some(&fa) }),
        ..Default::default()
    };
    html::render(&page)
}

/// The last part of an image path, for titles (the page says the full path once).
fn file_name(spec: &str) -> &str {
    spec.trim_end_matches('/').rsplit('/').next().unwrap_or(spec)
}
