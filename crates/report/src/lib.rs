//! Renders dockstage's analyses for terminals (UTF-8 box drawing or plain ASCII), markdown,
//! JSON, stage graphs (ASCII, Mermaid, Graphviz DOT), and one self-contained HTML page ([`html`]).

pub mod analysis;
pub mod graph;
pub mod html;
pub mod lint;
pub mod markdown;
pub mod text;
pub mod text_diff;

pub use analysis::{analyze, analyze_model, analyze_with, Analysis, BuildSetup, LeakPair, LeakedTools, MeasuredImage, MeasuredLayer, OnlyIn, PathBytes, RuleFinding, SizeComparison};

/// Bytes for people: decimal units (kB, MB, GB), as `dockstage inspect` and dive print them.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let e = (((n as f64).ln() / 1000f64.ln()).floor() as usize).min(UNITS.len() - 1);
    let val = n as f64 / 1000f64.powi(e as i32);
    if val < 10.0 {
        format!("{val:.1} {}", UNITS[e])
    } else {
        format!("{val:.0} {}", UNITS[e])
    }
}

/// The leftover rows of the size table: (label, kinds summed into it).
pub const LEFTOVER_ROWS: [(&str, &[&str]); 6] = [
    ("Compilers", &["compilers"]),
    ("Headers", &["headers"]),
    ("Static libraries", &["static-libraries"]),
    ("Apt lists", &["apt-lists"]),
    ("Caches", &["apt-cache", "pip-cache", "npm-cache", "cargo-cache"]),
    ("Git metadata", &["git"]),
];

/// One row of the side-by-side size table: label, this build's cell, the compared image's cell.
pub struct SizeRow {
    pub label: &'static str,
    pub image: String,
    pub compared: Option<String>,
}

/// The measured figures as rows (total, files, wasted, efficiency, then one row per kind of
/// leftover), shared by the text, markdown and HTML reports so they carry the same facts.
pub fn size_rows(size: &analysis::SizeSection) -> Vec<SizeRow> {
    let Some(m) = &size.image else { return Vec::new() };
    let c = size.compare.as_ref();
    let pct = |e: f64| format!("{:.1}%", e * 100.0);
    let mut rows = vec![
        SizeRow { label: "Total", image: human_bytes(m.total_bytes), compared: c.map(|c| human_bytes(c.total_bytes)) },
        SizeRow { label: "Files", image: m.files.to_string(), compared: c.map(|c| c.files.to_string()) },
        SizeRow { label: "Wasted", image: human_bytes(m.wasted_bytes), compared: c.map(|c| human_bytes(c.wasted_bytes)) },
        SizeRow { label: "Efficiency", image: pct(m.efficiency), compared: c.map(|c| pct(c.efficiency)) },
    ];
    for (label, kinds) in LEFTOVER_ROWS {
        let mine: u64 = m.leaked.iter().filter(|l| kinds.contains(&l.kind.as_str())).map(|l| l.bytes).sum();
        let theirs: Option<u64> = c.map(|c| c.leaked.iter().filter(|l| kinds.contains(&l.kind.as_str())).map(|l| l.compared_bytes).sum());
        // Git metadata is rare: a row only when some image has it.
        if label == "Git metadata" && mine == 0 && theirs.unwrap_or(0) == 0 {
            continue;
        }
        rows.push(SizeRow { label, image: human_bytes(mine), compared: theirs.map(human_bytes) });
    }
    rows
}

/// The saving in one sentence, or `None` without a comparison.
pub fn saving_sentence(size: &analysis::SizeSection) -> Option<String> {
    let c = size.compare.as_ref()?;
    Some(if c.saving_bytes >= 0 {
        format!("Saving: {} ({} bytes, {:.1}% of the compared image) with this build.", human_bytes(c.saving_bytes as u64), c.saving_bytes, c.saving_percent)
    } else {
        format!("This build is bigger by {} ({} bytes, {:.1}%).", human_bytes(c.saving_bytes.unsigned_abs()), c.saving_bytes.unsigned_abs(), -c.saving_percent)
    })
}

/// A layer row in build order: consecutive base-image layers at the bottom are one row.
pub struct LayerRow {
    pub bytes: u64,
    pub line: Option<usize>,
    pub what: String,
}

/// The image's layers in build order, the base image first.
pub fn layer_rows(m: &analysis::MeasuredImage) -> Vec<LayerRow> {
    let mut layers: Vec<&analysis::MeasuredLayer> = m.layers.iter().collect();
    layers.sort_by_key(|l| l.index);
    let mut rows = Vec::new();
    let base = layers.iter().take_while(|l| l.line.is_none()).count();
    if base > 0 {
        let bytes = layers[..base].iter().map(|l| l.bytes).sum();
        rows.push(LayerRow { bytes, line: None, what: format!("base image ({base} layer{})", if base == 1 { "" } else { "s" }) });
    }
    for l in &layers[base..] {
        let what = match (&l.instruction, &l.created_by) {
            (Some(i), _) => i.clone(),
            (None, Some(c)) => format!("(not from this file) {}", c.trim_start_matches("/bin/sh -c ").trim_start_matches("#(nop) ")),
            (None, None) => "(not from this file)".to_string(),
        };
        rows.push(LayerRow { bytes: l.bytes, line: l.line, what: one_line(&what) });
    }
    rows
}

/// Whitespace runs as single spaces.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts `s` to `max` characters, marking the cut.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max.saturating_sub(3)).collect::<String>() + "..."
    }
}

/// The text report's measured size section: (indent, text) lines; long lines wrap with a hang.
pub(crate) fn measured_lines(size: &analysis::SizeSection) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let Some(m) = &size.image else { return out };
    // A no-break space keeps a number with its unit when the text report wraps.
    let hb = |n: u64| human_bytes(n).replace(' ', "\u{a0}");
    let c = size.compare.as_ref();
    // Where the figures come from, said once; the folder once when both images share it.
    let split = |p: &str| match p.rfind('/') {
        Some(i) if i + 1 < p.len() => (p[..=i].to_string(), p[i + 1..].to_string()),
        _ => (String::new(), p.to_string()),
    };
    let (dir, name) = split(&m.image);
    let other = c.map(|c| split(&c.image));
    let same_dir = !dir.is_empty() && other.as_ref().is_none_or(|(d, _)| *d == dir);
    if same_dir {
        let which = if c.is_some() { "these images" } else { "this image" };
        out.push((0, format!("Read from the layers of {which} in {dir} (nothing estimated):")));
        out.push((2, format!("this build  {name}")));
        if let Some((_, n)) = &other {
            out.push((2, format!("compared    {n}")));
        }
    } else {
        out.push((0, format!("Read from the layers of {} (nothing estimated):", if c.is_some() { "these images" } else { "this image" })));
        out.push((2, format!("this build  {}", m.image)));
        if let Some(c) = c {
            out.push((2, format!("compared    {}", c.image)));
        }
    }
    out.push((0, String::new()));
    let rows = size_rows(size);
    let w = rows.iter().map(|r| r.image.len().max(r.compared.as_ref().map_or(0, |s| s.len()))).max().unwrap_or(0).max(10);
    let head = if c.is_some() { format!("{:<16}  {:>w$}  {:>w$}", "Image", "this build", "compared") } else { format!("{:<16}  {:>w$}", "Image", "this build") };
    out.push((2, head));
    for r in &rows {
        let line = match &r.compared {
            Some(x) => format!("{:<16}  {:>w$}  {:>w$}", r.label, r.image, x),
            None if c.is_some() => format!("{:<16}  {:>w$}  {:>w$}", r.label, r.image, "?"),
            None => format!("{:<16}  {:>w$}", r.label, r.image),
        };
        out.push((2, line));
    }
    if let Some(s) = saving_sentence(size) {
        out.push((0, String::new()));
        out.push((0, s));
    }
    if let Some(c) = c {
        for (who, only) in [("the compared image", &c.only_in_compared), ("this build", &c.only_in_image)] {
            let dirs: Vec<String> = only.top_dirs.iter().take(5).map(|d| format!("{} {}", d.path, hb(d.bytes))).collect();
            let tail = if dirs.is_empty() { String::new() } else { format!(": {}", dirs.join(", ")) };
            out.push((0, format!("Only {who} ships {} in {} files{tail}", hb(only.bytes), only.files)));
        }
    }
    out.push((0, String::new()));
    out.push((0, "Layers of this build, base first:".to_string()));
    for l in layer_rows(m) {
        let at = l.line.map(|n| format!("line {n}")).unwrap_or_default();
        out.push((2, format!("{:>8}  {:<8}  {}", human_bytes(l.bytes), at, truncate(&l.what, 56))));
    }
    if !m.leaked.is_empty() {
        out.push((0, "Build leftovers in this build:".to_string()));
        for l in &m.leaked {
            let top: Vec<String> = l.top.iter().take(3).map(|t| format!("{} {}", t.path, hb(t.bytes))).collect();
            out.push((2, format!("{:>8}  {} in {} files: {}", human_bytes(l.bytes), l.kind, l.files, top.join(", "))));
            out.push((12, format!("fix: {}", l.advice)));
        }
    } else {
        out.push((0, "Build leftovers in this build: none found.".to_string()));
    }
    out
}


/// The analysis as pretty JSON (schema: docs/analyze-schema.json).
pub fn render_json(a: &Analysis) -> String {
    let mut s = serde_json::to_string_pretty(a).expect("analysis serialises");
    s.push('\n');
    s
}
