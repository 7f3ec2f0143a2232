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
