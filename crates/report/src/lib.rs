//! Renders dockstage's analyses for terminals (UTF-8 box drawing or plain ASCII), markdown,
//! JSON, and stage graphs (ASCII, Mermaid, Graphviz DOT).

pub mod analysis;
pub mod graph;
pub mod lint;
pub mod markdown;
pub mod text;
pub mod text_diff;

pub use analysis::{analyze, analyze_with, Analysis, BuildSetup, LeakPair, LeakedTools, MeasuredImage, MeasuredLayer, OnlyIn, PathBytes, RuleFinding, SizeComparison};

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

/// Lines of the measured size section shared by the text and markdown reports: (indent, text).
pub(crate) fn measured_lines(size: &analysis::SizeSection) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let Some(m) = &size.image else { return out };
    let hb = human_bytes;
    // Full names once; after that the file name says which image a figure is from.
    let short = |s: &str| s.rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or(s).to_string();
    out.push((0, format!("Measured from {}{}; nothing here is estimated.", m.image, size.compare.as_ref().map(|c| format!(", compared with {}", c.image)).unwrap_or_default())));
    let src = format!("measured from {}", short(&m.image));
    let m = &analysis::MeasuredImage { source: src, ..m.clone() };
    out.push((0, format!("Total size: {} ({} bytes, {} files), {}", hb(m.total_bytes), m.total_bytes, m.files, m.source)));
    out.push((0, format!("Wasted: {} in layers that later layers overwrite or delete, efficiency {:.1}% (all layers: {}), {}", hb(m.wasted_bytes), m.efficiency * 100.0, hb(m.layers_bytes), m.source)));
    let made: Vec<&analysis::MeasuredLayer> = m.layers.iter().filter(|l| l.line.is_some()).collect();
    if made.is_empty() {
        out.push((0, format!("No layer could be matched to an instruction of this Dockerfile's target ({} layers in the image).", m.layers.len())));
    } else {
        out.push((0, format!("Layers this Dockerfile made, largest first ({}):", m.source)));
        for l in &made {
            out.push((2, format!("{:>8}  line {}: {}", hb(l.bytes), l.line.unwrap_or(0), l.instruction.as_deref().unwrap_or(""))));
        }
    }
    let base: Vec<&analysis::MeasuredLayer> = m.layers.iter().filter(|l| l.line.is_none()).collect();
    if !base.is_empty() {
        let bytes: u64 = base.iter().map(|l| l.bytes).sum();
        out.push((2, format!("{:>8}  {} layer{} not made by this Dockerfile's target (base image)", hb(bytes), base.len(), if base.len() == 1 { "" } else { "s" })));
    }
    if m.leaked.is_empty() {
        out.push((0, format!("Leaked build tools: none found ({}).", m.source)));
    } else {
        out.push((0, format!("Leaked build tools ({}):", m.source)));
        for l in &m.leaked {
            let top: Vec<String> = l.top.iter().take(3).map(|t| format!("{} {}", t.path, hb(t.bytes))).collect();
            out.push((2, format!("{:>8}  {} in {} files ({}); {}", hb(l.bytes), l.kind, l.files, top.join(", "), l.advice)));
        }
    }
    if let Some(c) = &size.compare {
        let c = &analysis::SizeComparison { image: short(&c.image), source: format!("measured from {}", short(&c.image)), ..c.clone() };
        let m = &analysis::MeasuredImage { image: short(&m.image), ..m.clone() };
        out.push((0, format!("Compared with {} ({}):", c.image, c.source)));
        out.push((2, format!("{:>8}  {} ({} bytes, efficiency {:.1}%)", hb(c.total_bytes), c.image, c.total_bytes, c.efficiency * 100.0)));
        out.push((2, format!("{:>8}  {} ({} bytes, efficiency {:.1}%)", hb(m.total_bytes), m.image, m.total_bytes, m.efficiency * 100.0)));
        if c.saving_bytes >= 0 {
            out.push((2, format!("Saving: {} ({} bytes, {:.1}%) with this Dockerfile's image", hb(c.saving_bytes as u64), c.saving_bytes, c.saving_percent)));
        } else {
            out.push((2, format!("This Dockerfile's image is bigger by {} ({} bytes, {:.1}%)", hb(c.saving_bytes.unsigned_abs()), c.saving_bytes.unsigned_abs(), -c.saving_percent)));
        }
        for (who, only) in [(c.image.as_str(), &c.only_in_compared), (m.image.as_str(), &c.only_in_image)] {
            let dirs: Vec<String> = only.top_dirs.iter().take(5).map(|d| format!("{} {}", d.path, hb(d.bytes))).collect();
            let tail = if dirs.is_empty() { String::new() } else { format!(": {}", dirs.join(", ")) };
            out.push((2, format!("Only {who} ships {} in {} files{tail}", hb(only.bytes), only.files)));
        }
        for l in c.leaked.iter().filter(|l| l.image_bytes != l.compared_bytes) {
            out.push((2, format!("{}: {} in {}, {} in {}", l.kind, hb(l.compared_bytes), c.image, hb(l.image_bytes), m.image)));
        }
    }
    out
}

/// The analysis as pretty JSON (schema: docs/analyze-schema.json).
pub fn render_json(a: &Analysis) -> String {
    let mut s = serde_json::to_string_pretty(a).expect("analysis serialises");
    s.push('\n');
    s
}
