//! The page: a summary, the stage graph, the checks, the findings, the Dockerfile with the
//! findings at their lines, and for images the layers, the treemap and the comparison.

use std::fmt::Write as _;

use super::charts::{layer_bars, treemap};
use super::{escape, graph_svg::stage_graph, CompareFacts, ImageFacts, Page};
use crate::{human_bytes, saving_sentence, size_rows};
use dockstage_model::practices::Status;

const CSS: &str = include_str!("page.css");

/// The whole page, one self-contained HTML document.
pub fn render(p: &Page) -> String {
    let mut body = String::new();
    let mut nav: Vec<(&str, &str)> = Vec::new();
    summary(&mut body, p);
    if let Some(a) = p.analysis {
        nav.push(("graph", "Stage graph"));
        let _ = write!(body, "<section id=\"graph\"><h2>Stage graph</h2><p class=\"muted\">Arrows show what each stage takes from another; the final stage (<strong>{}</strong>) is drawn bold, stages the target does not need are dashed and marked <em>skipped</em>.</p><div class=\"scroll\">{}</div>", escape(&a.target), stage_graph(a));
        if !a.edges.is_empty() {
            body.push_str("<details><summary>The graph as a table</summary><table><thead><tr><th scope=\"col\">#</th><th scope=\"col\">From</th><th scope=\"col\">To</th><th scope=\"col\">Line</th><th scope=\"col\">What</th></tr></thead><tbody>");
            for (k, e) in a.edges.iter().enumerate() {
                let _ = write!(body, "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td><code>{}</code></td></tr>", k + 1, escape(&e.from), escape(&e.to), line_link(p, e.line), escape(&e.label));
            }
            body.push_str("</tbody></table></details>");
        }
        body.push_str("</section>\n");
        nav.push(("checks", "Best practices"));
        checks(&mut body, p, a);
    }
    if p.source.is_some() || !p.findings.is_empty() {
        nav.push(("findings", "Lint findings"));
        findings(&mut body, p);
    }
    if let Some(src) = p.source {
        nav.push(("dockerfile", "Dockerfile"));
        listing(&mut body, p, src);
    }
    if let Some(img) = &p.image {
        nav.push(("image", if p.compare.is_some() { "Images" } else { "Image" }));
        image(&mut body, p, img);
    }
    let mut nav_html = String::from("<nav aria-label=\"Sections\"><ul>");
    for (id, name) in &nav {
        let _ = write!(nav_html, "<li><a href=\"#{id}\">{name}</a></li>");
    }
    nav_html.push_str("</ul></nav>");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<meta name=\"generator\" content=\"dockstage {}\">\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<svg class=\"defs\" aria-hidden=\"true\" width=\"0\" height=\"0\"><defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"2.5\" height=\"6\" class=\"hatch-line\"/></pattern></defs></svg>\n<header><h1>{}</h1>{nav_html}</header>\n<main>\n{body}</main>\n<footer><p>Made by dockstage {}: every size was read from the image layers; nothing is estimated. This page fetches nothing and runs no script.</p></footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        escape(&p.title),
        escape(&p.title),
        env!("CARGO_PKG_VERSION"),
    )
}

fn line_link(p: &Page, line: usize) -> String {
    if p.source.is_some() {
        format!("<a href=\"#L{line}\">{line}</a>")
    } else {
        line.to_string()
    }
}

fn summary(o: &mut String, p: &Page) {
    let mut cards: Vec<(String, String, &str)> = Vec::new();
    if let Some(a) = p.analysis {
        cards.push(("Stages".into(), a.stages.len().to_string(), ""));
        cards.push(("Final stage".into(), escape(&a.target), ""));
        let cls = if a.score.passed == a.score.applicable { "good" } else { "bad" };
        cards.push(("Checks passed".into(), format!("{} of {}", a.score.passed, a.score.applicable), cls));
    }
    if p.source.is_some() {
        cards.push(("Lint findings".into(), p.findings.len().to_string(), if p.findings.is_empty() { "good" } else { "bad" }));
    }
    if let Some(i) = &p.image {
        cards.push(("Image size".into(), human_bytes(i.measured.total_bytes), ""));
        cards.push(("Wasted".into(), human_bytes(i.measured.wasted_bytes), if i.measured.wasted_bytes > 0 { "bad" } else { "good" }));
        cards.push(("Efficiency".into(), format!("{:.1}%", i.measured.efficiency * 100.0), ""));
    }
    if let Some(c) = &p.compare {
        let s = c.comparison.saving_bytes;
        let (label, cls) = if s >= 0 { ("Saving", "good") } else { ("Bigger by", "bad") };
        cards.push((label.into(), format!("{} ({:.1}%)", human_bytes(s.unsigned_abs()), c.comparison.saving_percent.abs()), cls));
    }
    o.push_str("<section id=\"summary\" aria-label=\"Summary\"><dl class=\"cards\">");
    for (k, v, cls) in cards {
        let _ = write!(o, "<div class=\"card {cls}\"><dt>{k}</dt><dd>{v}</dd></div>");
    }
    o.push_str("</dl></section>\n");
}

fn checks(o: &mut String, p: &Page, a: &crate::Analysis) {
    let _ = write!(o, "<section id=\"checks\"><h2>Best practices <span class=\"muted\">({} of {} passed)</span></h2><table class=\"checks\"><thead><tr><th scope=\"col\">Result</th><th scope=\"col\">Check</th><th scope=\"col\">Line</th><th scope=\"col\">Why</th></tr></thead><tbody>", a.score.passed, a.score.applicable);
    for c in &a.checks {
        let (cls, word) = match c.status {
            Status::Pass => ("pass", "\u{2713} pass"),
            Status::Fail => ("fail", "\u{2717} fail"),
            Status::NotApplicable => ("na", "\u{2013} n/a"),
        };
        let line = c.line.map(|l| line_link(p, l)).unwrap_or_default();
        let _ = writeln!(o, "<tr class=\"{cls}\"><td class=\"status\">{word}</td><td>{}</td><td class=\"num\">{line}</td><td>{}</td></tr>", escape(c.title), escape(&c.reason));
    }
    o.push_str("</tbody></table>");
    if !a.takeaways.is_empty() {
        o.push_str("<h3>Takeaways</h3><ul>");
        for t in &a.takeaways {
            let _ = write!(o, "<li>{}</li>", escape(t));
        }
        o.push_str("</ul>");
    }
    o.push_str("</section>\n");
}

fn findings(o: &mut String, p: &Page) {
    o.push_str("<section id=\"findings\"><h2>Lint findings</h2>");
    if p.findings.is_empty() {
        o.push_str("<p class=\"good\">\u{2713} No findings.</p></section>\n");
        return;
    }
    o.push_str("<table class=\"findings\"><thead><tr><th scope=\"col\">Line</th><th scope=\"col\">Rule</th><th scope=\"col\">Severity</th><th scope=\"col\">Message</th></tr></thead><tbody>\n");
    for f in &p.findings {
        let _ = writeln!(
            o,
            "<tr><td class=\"num\">{}:{}</td><td><code>{}</code></td><td><span class=\"sev {}\">{}</span></td><td>{}</td></tr>",
            line_link(p, f.line),
            f.column,
            escape(&f.rule),
            sev_class(&f.severity),
            escape(&f.severity),
            escape(&f.message)
        );
    }
    o.push_str("</tbody></table></section>\n");
}

fn sev_class(s: &str) -> &'static str {
    match s {
        "error" => "error",
        "warning" => "warning",
        "info" => "info",
        _ => "style",
    }
}

fn listing(o: &mut String, p: &Page, src: &str) {
    let name = p.analysis.map(|a| a.file.as_str()).unwrap_or("Dockerfile");
    let _ = write!(o, "<section id=\"dockerfile\"><h2>Dockerfile <span class=\"muted\"><code>{}</code></span></h2><div class=\"listing\" role=\"list\" aria-label=\"The Dockerfile, line by line, with findings under their lines\">", escape(name));
    // Stage starts get a divider, so the listing reads with the graph.
    let stage_at: Vec<(usize, &str)> = p.analysis.map(|a| a.stages.iter().map(|s| (s.line, s.name.as_str())).collect()).unwrap_or_default();
    // A finding's note goes under the last line of its instruction, not inside a continuation.
    let mut pending = String::new();
    for (i, text) in src.lines().enumerate() {
        let n = i + 1;
        let here: Vec<&super::Finding> = p.findings.iter().filter(|f| f.line == n).collect();
        let worst = here.iter().map(|f| sev_rank(&f.severity)).min();
        let cls = match worst {
            Some(0) => " has error",
            Some(1) => " has warning",
            Some(_) => " has info",
            None => "",
        };
        if let Some((_, stage)) = stage_at.iter().find(|(l, _)| *l == n) {
            let _ = write!(o, "<div class=\"stage-start\" role=\"presentation\">stage {}</div>", escape(stage));
        }
        let _ = write!(o, "<div class=\"ln{cls}\" id=\"L{n}\" role=\"listitem\"><a class=\"no\" href=\"#L{n}\" aria-label=\"line {n}\">{n}</a><code>{}</code></div>", escape(text));
        for f in here {
            let _ = write!(pending, "<div class=\"note {}\" role=\"note\"><span class=\"sev {}\">{}</span> <code>{}</code> line {}: {}</div>", sev_class(&f.severity), sev_class(&f.severity), escape(&f.severity), escape(&f.rule), f.line, escape(&f.message));
        }
        if !text.trim_end().ends_with('\\') {
            o.push_str(&pending);
            pending.clear();
        }
        o.push('\n');
    }
    o.push_str(&pending);
    // Findings past the end of the text (an unterminated instruction, say) are still listed.
    for f in p.findings.iter().filter(|f| f.line > src.lines().count()) {
        let _ = write!(o, "<div class=\"note {}\" role=\"note\"><span class=\"sev {}\">{}</span> <code>{}</code> line {}: {}</div>", sev_class(&f.severity), sev_class(&f.severity), escape(&f.severity), escape(&f.rule), f.line, escape(&f.message));
    }
    o.push_str("</div></section>\n");
}

fn sev_rank(s: &str) -> u8 {
    match s {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    }
}

fn image(o: &mut String, p: &Page, img: &ImageFacts) {
    let m = img.measured;
    let heading = if p.compare.is_some() { "Images" } else { "Image" };
    let _ = write!(o, "<section id=\"image\"><h2>{heading}</h2>");
    let section = crate::analysis::SizeSection { measured: Vec::new(), note: String::new(), commands: Vec::new(), image: Some(m.clone()), compare: p.compare.as_ref().map(|c| c.comparison.clone()) };
    // Where the figures come from, once.
    let _ = write!(o, "<p class=\"muted\">Read from the layers of <code>{}</code>{}; nothing is estimated.</p>", escape(&m.image), p.compare.as_ref().map(|c| format!(" and <code>{}</code>", escape(&c.comparison.image))).unwrap_or_default());
    let compared = p.compare.is_some();
    o.push_str("<table class=\"sizes\"><caption>Sizes</caption><thead><tr><th scope=\"col\">Measure</th>");
    let _ = write!(o, "<th scope=\"col\">{}</th>", if compared { "This build" } else { "Size" });
    if let Some(c) = &p.compare {
        let _ = write!(o, "<th scope=\"col\">Compared <span class=\"muted\"><code>{}</code></span></th>", escape(base_name(&c.comparison.image)));
    }
    o.push_str("</tr></thead><tbody>");
    for r in size_rows(&section) {
        let _ = write!(o, "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td>", r.label, escape(&r.image));
        if compared {
            let _ = write!(o, "<td class=\"num\">{}</td>", escape(r.compared.as_deref().unwrap_or("?")));
        }
        o.push_str("</tr>");
    }
    o.push_str("</tbody></table>");
    if let Some(s) = saving_sentence(&section) {
        let cls = if p.compare.as_ref().is_some_and(|c| c.comparison.saving_bytes >= 0) { "good" } else { "bad" };
        let _ = write!(o, "<p class=\"saving {cls}\">{}</p>", escape(&s));
    }
    if let Some(c) = &p.compare {
        comparison(o, img, c);
    }
    o.push_str("<h3>Layers</h3>");
    o.push_str(&layer_bars(m, p.source.is_some()));
    leftovers(o, m);
    if !img.wasted.is_empty() {
        let total: u64 = img.wasted.iter().map(|w| w.bytes).sum();
        let _ = write!(o, "<h3>Wasted bytes <span class=\"muted\">({} in {} paths written more than once or deleted later)</span></h3><table class=\"wasted\"><thead><tr><th scope=\"col\">Wasted</th><th scope=\"col\">Path</th></tr></thead><tbody>", human_bytes(total), img.wasted.len());
        for w in &img.wasted {
            let _ = write!(o, "<tr><td class=\"num\">{}</td><td><code>{}</code></td></tr>", human_bytes(w.bytes), escape(&w.path));
        }
        o.push_str("</tbody></table>");
    }
    if p.compare.is_none() {
        if let Some(fs) = img.fs {
            o.push_str("<h3>Final file system by directory</h3><p class=\"muted\">Area is size. Hatched cells (\u{26a0}) hold build leftovers or wasted bytes; hover a cell for its path and size, or open the table below.</p>");
            treemaps(o, fs, Some(m), &img.wasted, base_name(&m.image), false);
        }
    }
    o.push_str("</section>\n");
}

fn treemaps(o: &mut String, fs: &super::DirSizes, m: Option<&crate::MeasuredImage>, wasted: &[crate::PathBytes], label: &str, half: bool) {
    // Two shapes: a wide one for screens and paper, a tall one for phones (CSS shows one).
    // Side by side, each gets half the width: fewer units, so its text stays readable.
    let (w, h) = if half { (540.0, 460.0) } else { (960.0, 460.0) };
    let _ = write!(o, "<div class=\"tm-wide\">{}</div><div class=\"tm-narrow\" aria-hidden=\"true\">{}</div>", treemap(fs, m, wasted, w, h, label), treemap(fs, m, wasted, 360.0, 520.0, label));
    o.push_str("<details><summary>Largest directories as a table</summary><table><thead><tr><th scope=\"col\">Directory</th><th scope=\"col\">Size</th><th scope=\"col\">Files</th></tr></thead><tbody>");
    for d in fs.children.iter().take(12) {
        let _ = write!(o, "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>", escape(&d.path), human_bytes(d.bytes), d.files);
        for c in d.children.iter().take(4) {
            let _ = write!(o, "<tr class=\"sub\"><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>", escape(&c.path), human_bytes(c.bytes), c.files);
        }
    }
    o.push_str("</tbody></table></details>");
}

fn leftovers(o: &mut String, m: &crate::MeasuredImage) {
    if m.leaked.is_empty() {
        o.push_str("<h3>Build leftovers</h3><p class=\"good\">\u{2713} None found: no compilers, headers, static libraries, apt lists or caches in the final image.</p>");
        return;
    }
    let total: u64 = m.leaked.iter().map(|l| l.bytes).sum();
    let _ = write!(o, "<h3>Build leftovers <span class=\"muted\">({} that only the build needs)</span></h3><table class=\"leftovers\"><thead><tr><th scope=\"col\">Size</th><th scope=\"col\">Kind</th><th scope=\"col\">Where</th><th scope=\"col\">Fix</th></tr></thead><tbody>", human_bytes(total));
    for l in &m.leaked {
        let top: Vec<String> = l.top.iter().take(3).map(|t| format!("<code>{}</code> {}", escape(&t.path), human_bytes(t.bytes))).collect();
        let _ = write!(o, "<tr class=\"warn\"><td class=\"num\">{}</td><td>{} <span class=\"muted\">({} files)</span></td><td>{}</td><td>{}</td></tr>", human_bytes(l.bytes), escape(&l.kind), l.files, top.join("<br>"), escape(&l.advice));
    }
    o.push_str("</tbody></table>");
}

fn base_name(p: &str) -> &str {
    p.trim_end_matches('/').rsplit('/').next().unwrap_or(p)
}

fn comparison(o: &mut String, img: &ImageFacts, c: &CompareFacts) {
    let cmp = c.comparison;
    o.push_str("<div class=\"side-by-side\">");
    for (who, name, only, fs, m) in [
        ("This build", img.measured.image.as_str(), &cmp.only_in_image, img.fs, Some(img.measured)),
        ("Compared", cmp.image.as_str(), &cmp.only_in_compared, c.fs, None),
    ] {
        let _ = write!(o, "<div class=\"side\"><h3>{who} <span class=\"muted\"><code>{}</code></span></h3>", escape(base_name(name)));
        let _ = write!(o, "<p>Only {} ships <strong>{}</strong> in {} files{}</p>", if m.is_some() { "this build" } else { "the compared image" }, human_bytes(only.bytes), only.files, if only.top_dirs.is_empty() { "." } else { ":" });
        if !only.top_dirs.is_empty() {
            o.push_str("<ul class=\"only\">");
            for d in &only.top_dirs {
                let _ = write!(o, "<li><code>{}</code> {}</li>", escape(&d.path), human_bytes(d.bytes));
            }
            o.push_str("</ul>");
        }
        if let Some(fs) = fs {
            let wasted = if m.is_some() { img.wasted.as_slice() } else { &[] };
            treemaps(o, fs, m, wasted, base_name(name), true);
        }
        o.push_str("</div>");
    }
    o.push_str("</div>");
}
