//! Charts for measured images: the size of each layer tied to its Dockerfile line (bars in a
//! table, so the chart is its own text alternative) and a squarified treemap of the final file
//! system by directory, with the cells holding build leftovers or wasted bytes hatched and named.

use std::collections::BTreeMap;

use super::escape;
use crate::analysis::{MeasuredImage, MeasuredLayer, PathBytes};
use crate::{human_bytes, layer_rows};

/// Bytes per directory of a file system, a few levels deep, largest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DirSizes {
    /// The full path (`/` for the root).
    pub path: String,
    pub bytes: u64,
    pub files: u64,
    pub children: Vec<DirSizes>,
}

#[derive(Default)]
struct Building {
    bytes: u64,
    files: u64,
    children: BTreeMap<String, Building>,
}

/// Collects files into [`DirSizes`]; directories below `depth` are summed into their ancestor.
pub struct DirSizesBuilder {
    depth: usize,
    root: Building,
}

impl DirSizes {
    pub fn builder(depth: usize) -> DirSizesBuilder {
        DirSizesBuilder { depth, root: Building::default() }
    }
}

impl DirSizesBuilder {
    /// Adds one file, given as its path's components (`["usr", "bin", "python3"]`).
    pub fn add(&mut self, parts: &[&str], bytes: u64) {
        let dirs = &parts[..parts.len().saturating_sub(1)];
        let mut node = &mut self.root;
        node.bytes += bytes;
        node.files += 1;
        for d in dirs.iter().take(self.depth) {
            node = node.children.entry((*d).to_string()).or_default();
            node.bytes += bytes;
            node.files += 1;
        }
    }

    pub fn finish(self) -> DirSizes {
        fn conv(path: String, b: Building) -> DirSizes {
            let mut children: Vec<DirSizes> = b
                .children
                .into_iter()
                .map(|(name, c)| {
                    let p = if path == "/" { format!("/{name}") } else { format!("{path}/{name}") };
                    conv(p, c)
                })
                .collect();
            children.sort_by(|x, y| y.bytes.cmp(&x.bytes).then_with(|| x.path.cmp(&y.path)));
            DirSizes { path, bytes: b.bytes, files: b.files, children }
        }
        conv("/".to_string(), self.root)
    }
}

/// The layers of `m` in build order as a bar chart (an HTML table: screen readers read it as
/// one, and it reflows on a phone). Lines link to the listing's `#L<line>` anchors.
pub fn layer_bars(m: &MeasuredImage, link_lines: bool) -> String {
    // Without a Dockerfile no layer has a line: list each one rather than one "base image" row.
    let rows = if m.layers.iter().any(|l| l.line.is_some()) {
        layer_rows(m)
    } else {
        let mut layers: Vec<&MeasuredLayer> = m.layers.iter().collect();
        layers.sort_by_key(|l| l.index);
        layers
            .into_iter()
            .map(|l| crate::LayerRow {
                bytes: l.bytes,
                line: None,
                what: crate::one_line(l.created_by.as_deref().unwrap_or("(no history)").trim_start_matches("/bin/sh -c ").trim_start_matches("#(nop) ")),
            })
            .collect()
    };
    let max = rows.iter().map(|r| r.bytes).max().unwrap_or(0).max(1);
    let mut o = String::from("<table class=\"bars\"><caption>Size of each layer, in build order (the base image first)</caption>\n<thead><tr><th scope=\"col\">Size</th><th scope=\"col\">Line</th><th scope=\"col\">Instruction</th></tr></thead><tbody>\n");
    for r in rows {
        let pct = r.bytes as f64 * 100.0 / max as f64;
        let line = match r.line {
            Some(n) if link_lines => format!("<a href=\"#L{n}\">{n}</a>"),
            Some(n) => n.to_string(),
            None => "\u{2014}".to_string(),
        };
        o.push_str(&format!(
            "<tr><td class=\"num\">{}</td><td class=\"num\">{line}</td><td><div class=\"bar\" style=\"width:{pct:.1}%\"></div><code>{}</code></td></tr>\n",
            human_bytes(r.bytes),
            escape(&crate::truncate(&r.what, 160))
        ));
    }
    o.push_str("</tbody></table>\n");
    o
}

#[derive(Clone, Copy, Debug)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// The worst aspect ratio of a row of `areas` laid along a side of length `side`.
fn worst(areas: &[f64], side: f64) -> f64 {
    let s: f64 = areas.iter().sum();
    let (mx, mn) = areas.iter().fold((0f64, f64::MAX), |(a, b), &v| (a.max(v), b.min(v)));
    let s2 = s * s;
    let w2 = side * side;
    (w2 * mx / s2).max(s2 / (w2 * mn))
}

/// Squarified treemap (Bruls, Huizing, van Wijk) of `values`, sorted largest first, in `r`.
fn squarify(values: &[f64], mut r: Rect) -> Vec<Rect> {
    let total: f64 = values.iter().sum();
    if total <= 0.0 || r.w <= 0.0 || r.h <= 0.0 {
        return values.iter().map(|_| Rect { x: r.x, y: r.y, w: 0.0, h: 0.0 }).collect();
    }
    let scale = r.w * r.h / total;
    let areas: Vec<f64> = values.iter().map(|v| v * scale).collect();
    let mut out = Vec::with_capacity(areas.len());
    let mut i = 0;
    while i < areas.len() {
        let side = r.w.min(r.h);
        let mut j = i + 1;
        let mut best = worst(&areas[i..j], side);
        while j < areas.len() {
            let next = worst(&areas[i..=j], side);
            if next > best {
                break;
            }
            best = next;
            j += 1;
        }
        let sum: f64 = areas[i..j].iter().sum();
        if r.w >= r.h {
            let cw = if r.h > 0.0 { sum / r.h } else { 0.0 };
            let mut y = r.y;
            for a in &areas[i..j] {
                let h = if cw > 0.0 { a / cw } else { 0.0 };
                out.push(Rect { x: r.x, y, w: cw, h });
                y += h;
            }
            r.x += cw;
            r.w -= cw;
        } else {
            let rh = if r.w > 0.0 { sum / r.w } else { 0.0 };
            let mut x = r.x;
            for a in &areas[i..j] {
                let w = if rh > 0.0 { a / rh } else { 0.0 };
                out.push(Rect { x, y: r.y, w, h: rh });
                x += w;
            }
            r.y += rh;
            r.h -= rh;
        }
        i = j;
    }
    out
}

/// Marks for cells: build leftovers and wasted paths, each with a short description.
struct Marks<'a> {
    leftovers: Vec<(&'a str, u64, String)>,
    wasted: &'a [PathBytes],
}

impl Marks<'_> {
    fn under(path: &str, dir: &str) -> bool {
        dir == "/" || path == dir || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
    }
    /// What in `dir` deserves a mark, when `dir` is drawn without children: leftovers and
    /// wasted bytes that are at least a twentieth of it (a few kB in a 600 MB directory would
    /// hatch the whole cell and mislead; the tables list them all).
    fn notes(&self, dir: &str, dir_bytes: u64) -> Vec<String> {
        let big = |b: u64| b > 0 && b.saturating_mul(20) >= dir_bytes;
        let mut n: Vec<String> = self.leftovers.iter().filter(|(p, b, _)| Self::under(p, dir) && big(*b)).map(|(_, _, d)| d.clone()).collect();
        let wasted: u64 = self.wasted.iter().filter(|w| Self::under(&w.path, dir)).map(|w| w.bytes).sum();
        if big(wasted) {
            n.push(format!("wasted {}", human_bytes(wasted)));
        }
        n
    }
}

const MAX_CHILDREN: usize = 24;
const PALETTE: usize = 8;

fn cells(o: &mut String, d: &DirSizes, r: Rect, depth: usize, max_depth: usize, colour: usize, marks: &Marks) {
    let header = 15.0;
    let pad = 2.0;
    let drawable = depth < max_depth && r.w > 60.0 && r.h > 40.0 && !d.children.is_empty();
    let notes = if drawable { Vec::new() } else { marks.notes(&d.path, d.bytes) };
    let marked = !notes.is_empty();
    let mut class = format!("tm d{depth} c{colour}");
    if marked {
        class.push_str(" marked");
    }
    let title = if notes.is_empty() {
        format!("{}: {} in {} files", d.path, human_bytes(d.bytes), d.files)
    } else {
        format!("{}: {} in {} files; {}", d.path, human_bytes(d.bytes), d.files, notes.join("; "))
    };
    o.push_str(&format!("<g class=\"{class}\"><title>{}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>", escape(&title), r.x, r.y, r.w, r.h));
    if marked {
        o.push_str(&format!("<rect class=\"hatch\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>", r.x, r.y, r.w, r.h));
    }
    // A label only where it fits: about 6.5 units per character at 11 px.
    let name = if depth == 1 { d.path.clone() } else { d.path.rsplit('/').next().unwrap_or("").to_string() };
    let label = format!("{name} {}", human_bytes(d.bytes));
    let fits = (label.chars().count() as f64) * 6.5 + 6.0 < r.w && r.h > 14.0;
    let short_fits = (name.chars().count() as f64) * 6.5 + 6.0 < r.w && r.h > 14.0;
    if fits || short_fits {
        let text = if fits { label } else { name };
        o.push_str(&format!("<text x=\"{:.1}\" y=\"{:.1}\">{}{}</text>", r.x + 4.0, r.y + 12.0, if marked { "\u{26a0} " } else { "" }, escape(&text)));
    }
    o.push_str("</g>\n");
    if drawable {
        let inner = Rect { x: r.x + pad, y: r.y + header, w: r.w - 2.0 * pad, h: r.h - header - pad };
        let kids: Vec<&DirSizes> = d.children.iter().filter(|c| c.bytes > 0).take(MAX_CHILDREN).collect();
        let shown: u64 = kids.iter().map(|c| c.bytes).sum();
        let rest = d.bytes.saturating_sub(shown);
        let mut values: Vec<f64> = kids.iter().map(|c| c.bytes as f64).collect();
        let rest_node = DirSizes { path: format!("{}/(files and smaller directories)", d.path.trim_end_matches('/')), bytes: rest, files: d.files.saturating_sub(kids.iter().map(|c| c.files).sum()), children: Vec::new() };
        if rest > 0 {
            values.push(rest as f64);
        }
        // squarify wants the values in descending order.
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
        let sorted: Vec<f64> = order.iter().map(|&i| values[i]).collect();
        let rects = squarify(&sorted, inner);
        for (k, &i) in order.iter().enumerate() {
            let child = if i < kids.len() { kids[i] } else { &rest_node };
            cells(o, child, rects[k], depth + 1, max_depth, colour, marks);
        }
    }
}

/// A treemap of `fs` (at most three levels) as SVG of `w` x `h` units. `leftovers` and `wasted`
/// are hatched where they fall. `label` names the image for the text alternative.
pub fn treemap(fs: &DirSizes, m: Option<&MeasuredImage>, wasted: &[PathBytes], w: f64, h: f64, label: &str) -> String {
    let leftovers: Vec<(&str, u64, String)> = m
        .map(|m| m.leaked.iter().flat_map(|l| l.top.iter().map(move |t| (t.path.as_str(), t.bytes, format!("build leftovers ({}) {}", l.kind, human_bytes(t.bytes))))).collect())
        .unwrap_or_default();
    let marks = Marks { leftovers, wasted };
    let tops: Vec<&DirSizes> = fs.children.iter().filter(|c| c.bytes > 0).take(MAX_CHILDREN).collect();
    let desc = format!(
        "Final file system of {label}, {} in {} files. Largest directories: {}.",
        human_bytes(fs.bytes),
        fs.files,
        tops.iter().take(8).map(|c| format!("{} {}", c.path, human_bytes(c.bytes))).collect::<Vec<_>>().join(", ")
    );
    let mut o = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"treemap\" role=\"img\" viewBox=\"0 0 {w} {h}\" preserveAspectRatio=\"xMidYMid meet\"><title>Treemap of the final file system of {}</title><desc>{}</desc>\n",
        escape(label),
        escape(&desc)
    );
    let shown: u64 = tops.iter().map(|c| c.bytes).sum();
    let mut values: Vec<f64> = tops.iter().map(|c| c.bytes as f64).collect();
    let rest = fs.bytes.saturating_sub(shown);
    if rest > 0 {
        values.push(rest as f64);
    }
    let rest_node = DirSizes { path: "/(files in the root and smaller directories)".into(), bytes: rest, files: 0, children: Vec::new() };
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    let sorted: Vec<f64> = order.iter().map(|&i| values[i]).collect();
    let rects = squarify(&sorted, Rect { x: 0.0, y: 0.0, w, h });
    for (k, &i) in order.iter().enumerate() {
        let node = if i < tops.len() { tops[i] } else { &rest_node };
        cells(&mut o, node, rects[k], 1, 3, i % PALETTE, &marks);
    }
    o.push_str("</svg>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squarify_fills_the_rectangle_without_overlap() {
        let values = [50.0, 25.0, 12.0, 8.0, 3.0, 2.0];
        let rs = squarify(&values, Rect { x: 0.0, y: 0.0, w: 300.0, h: 200.0 });
        let area: f64 = rs.iter().map(|r| r.w * r.h).sum();
        assert!((area - 60000.0).abs() < 1e-6, "{area}");
        for (i, a) in rs.iter().enumerate() {
            assert!((a.w * a.h - values[i] * 600.0).abs() < 1e-6);
            for b in &rs[i + 1..] {
                let overlap = (a.x + a.w).min(b.x + b.w) - a.x.max(b.x);
                let overlap_y = (a.y + a.h).min(b.y + b.h) - a.y.max(b.y);
                assert!(overlap <= 1e-9 || overlap_y <= 1e-9, "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn dir_sizes_sum_files_into_their_directories() {
        let mut b = DirSizes::builder(2);
        b.add(&["usr", "lib", "gcc", "cc1"], 100);
        b.add(&["usr", "bin", "python3"], 10);
        b.add(&["etc", "passwd"], 1);
        let d = b.finish();
        assert_eq!((d.bytes, d.files), (111, 3));
        assert_eq!(d.children[0].path, "/usr");
        assert_eq!(d.children[0].children[0].path, "/usr/lib");
        assert_eq!(d.children[0].children[0].bytes, 100);
        // Depth 2: /usr/lib/gcc is summed into /usr/lib.
        assert!(d.children[0].children[0].children.is_empty());
    }
}
