//! The `analyze` report as GitHub-flavoured markdown, for PR comments and job summaries.

use dockstage_model::practices::Status;

use crate::analysis::Analysis;
use crate::graph;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render(a: &Analysis) -> String {
    let mut o = String::new();
    let p = |o: &mut String, s: &str| {
        o.push_str(s);
        o.push('\n');
    };
    p(&mut o, &format!("# dockstage analyze: `{}`", a.file));
    p(&mut o, "");
    p(&mut o, &format!("{} stages, target `{}`.", a.stages.len(), a.target));
    p(&mut o, "");
    p(&mut o, "## Stages and flow");
    p(&mut o, "");
    p(&mut o, "| # | Stage | Base | Lines | Instructions | Built |");
    p(&mut o, "|---|---|---|---|---|---|");
    for s in &a.stages {
        p(
            &mut o,
            &format!(
                "| {} | `{}` | `{}`{} | {}-{} | {} | {} |",
                s.index,
                cell(&s.name),
                cell(&s.base),
                if s.base_kind == "stage" { " (stage)" } else { "" },
                s.line,
                s.end_line,
                s.instructions.join(", "),
                if s.needed { "yes" } else { "skipped" }
            ),
        );
    }
    p(&mut o, "");
    p(&mut o, "```mermaid");
    o.push_str(&graph::mermaid(a));
    p(&mut o, "```");
    if a.stages.len() > 1 {
        p(&mut o, "");
        let levels: Vec<String> = a.levels.iter().enumerate().map(|(i, l)| format!("{}) {}", i + 1, l.join(" + "))).collect();
        p(&mut o, &format!("Build order: {}. Longest chain: {}.", levels.join(", "), a.critical_path.join(" → ")));
    }
    p(&mut o, "");
    p(&mut o, "## Best practices");
    p(&mut o, "");
    p(&mut o, "| | Check | Line | Why |");
    p(&mut o, "|---|---|---|---|");
    for c in &a.checks {
        let mark = match c.status {
            Status::Pass => "✅",
            Status::Fail => "❌",
            Status::NotApplicable => "➖",
        };
        p(&mut o, &format!("| {mark} | {} | {} | {} |", c.title, c.line.map(|l| l.to_string()).unwrap_or_default(), cell(&c.reason)));
    }
    p(&mut o, "");
    p(&mut o, &format!("**Score: {}/{}**{}", a.score.passed, a.score.applicable, if a.score.applicable < a.score.total { format!(" ({} not applicable)", a.score.total - a.score.applicable) } else { String::new() }));
    p(&mut o, "");
    p(&mut o, "## Image size");
    p(&mut o, "");
    p(&mut o, &a.size.note);
    p(&mut o, "");
    if let Some(m) = &a.size.image {
        let hb = crate::human_bytes;
        let c = a.size.compare.as_ref();
        p(&mut o, &format!("| Image | this build: `{}` |{}", cell(&m.image), c.map(|c| format!(" compared: `{}` |", cell(&c.image))).unwrap_or_default()));
        p(&mut o, if c.is_some() { "|---|---:|---:|" } else { "|---|---:|" });
        for r in crate::size_rows(&a.size) {
            let other = if c.is_some() { format!(" {} |", r.compared.as_deref().unwrap_or("?")) } else { String::new() };
            p(&mut o, &format!("| {} | {} |{other}", r.label, r.image));
        }
        if let Some(c) = c {
            p(&mut o, "");
            if let Some(s) = crate::saving_sentence(&a.size) {
                p(&mut o, &format!("**{s}**"));
            }
            p(&mut o, "");
            for (who, only) in [("the compared image", &c.only_in_compared), ("this build", &c.only_in_image)] {
                let dirs: Vec<String> = only.top_dirs.iter().take(5).map(|d| format!("`{}` {}", cell(&d.path), hb(d.bytes))).collect();
                p(&mut o, &format!("- Only {who} ships {} in {} files{}", hb(only.bytes), only.files, if dirs.is_empty() { String::new() } else { format!(": {}", dirs.join(", ")) }));
            }
        }
        p(&mut o, "");
        p(&mut o, "Layers of this build, base first:");
        p(&mut o, "");
        p(&mut o, "| Size | Line | Instruction |");
        p(&mut o, "|---:|---|---|");
        for l in crate::layer_rows(m) {
            let what = crate::truncate(&l.what, 100);
            p(&mut o, &format!("| {} | {} | `{}` |", hb(l.bytes), l.line.map(|n| n.to_string()).unwrap_or_default(), cell(&what).replace('`', "'")));
        }
        p(&mut o, "");
        if m.leaked.is_empty() {
            p(&mut o, "No build leftovers in this build.");
        } else {
            p(&mut o, "Build leftovers in this build:");
            p(&mut o, "");
            for l in &m.leaked {
                let top: Vec<String> = l.top.iter().take(3).map(|t| format!("`{}` {}", cell(&t.path), hb(t.bytes))).collect();
                p(&mut o, &format!("- **{}**: {} in {} files ({}); {}", l.kind, hb(l.bytes), l.files, top.join(", "), l.advice));
            }
        }
        p(&mut o, "");
    }
    p(&mut o, "```sh");
    for c in &a.size.commands {
        p(&mut o, &format!("# {}\n{}", c.description, c.command));
    }
    p(&mut o, "```");
    p(&mut o, "");
    p(&mut o, "## Build and run");
    p(&mut o, "");
    p(&mut o, "```sh");
    for c in &a.commands {
        p(&mut o, &format!("# {}\n{}", c.description, c.command));
    }
    p(&mut o, "```");
    if !a.takeaways.is_empty() {
        p(&mut o, "");
        p(&mut o, "## Takeaways");
        p(&mut o, "");
        for t in &a.takeaways {
            p(&mut o, &format!("- {t}"));
        }
    }
    o
}
