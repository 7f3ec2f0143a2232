//! What rule files share.

pub(crate) use std::collections::HashMap;

pub(crate) use dockstage_syntax::expand::Lexer;
pub(crate) use dockstage_syntax::Keyword;

#[allow(unused_imports)]
pub(crate) use super::declare_rule;
#[allow(unused_imports)]
pub(crate) use crate::context::{copy_paths, drop_quotes, is_windows_absolute, Stage};
pub(crate) use crate::image_ref::ImageRef;
#[allow(unused_imports)]
pub(crate) use crate::hadolint_shell::{self as hs, base_name, cmd_has_args, from_alias, FromKey, HadolintRun, StageVars};
#[allow(unused_imports)]
pub(crate) use dockstage_model::shell::SimpleCommand;
pub(crate) use crate::{Context, Finding, LabelType};
#[allow(unused_imports)]
pub(crate) use super::fixes;
#[allow(unused_imports)]
pub(crate) use crate::fix::{Applicability, Edit, Fix};

/// The args BuildKit defines before any `FROM`.
pub(crate) const PLATFORM_ARGS: &[&str] = &[
    "BUILDPLATFORM", "BUILDOS", "BUILDOSVERSION", "BUILDARCH", "BUILDVARIANT", "TARGETPLATFORM", "TARGETOS", "TARGETOSVERSION", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
];

/// ARGs before the first FROM: every declared name, and the values of those with defaults (plus
/// the predefined args, for the machine's own platform), as FROM lines see them when no
/// `--build-arg` is given. As in BuildKit, `--platform` sets the TARGET* args, `--target` sets TARGETSTAGE, and a `--build-arg` counts here
/// only when it overrides a predefined arg: FROM lines are checked with the defaults.
pub(crate) struct GlobalArgs {
    pub declared: std::collections::HashSet<String>,
    pub values: HashMap<String, String>,
}

pub(crate) fn global_args(ctx: &Context) -> GlobalArgs {
    let build = host_platform();
    let target = ctx.config.platform.as_deref().map(split_platform).unwrap_or(build);
    let join = |(os, arch, variant): (&str, &str, &str)| if variant.is_empty() { format!("{os}/{arch}") } else { format!("{os}/{arch}/{variant}") };
    let mut values: HashMap<String, String> = HashMap::from([
        ("BUILDPLATFORM".into(), join(build)),
        ("BUILDOS".into(), build.0.into()),
        ("BUILDOSVERSION".into(), String::new()),
        ("BUILDARCH".into(), build.1.into()),
        ("BUILDVARIANT".into(), build.2.into()),
        ("TARGETPLATFORM".into(), join(target)),
        ("TARGETOS".into(), target.0.into()),
        ("TARGETOSVERSION".into(), String::new()),
        ("TARGETARCH".into(), target.1.into()),
        ("TARGETVARIANT".into(), target.2.into()),
        ("TARGETSTAGE".into(), ctx.options.target.unwrap_or("default").into()),
    ]);
    for (k, v) in &ctx.config.build_args {
        if let Some(slot) = values.get_mut(k) {
            *slot = v.clone();
        }
    }
    let mut declared = std::collections::HashSet::new();
    let lexer = Lexer::new(ctx.dockerfile.escape);
    for inst in ctx.instructions() {
        match inst.kind {
            Keyword::From => break,
            Keyword::Arg => {
                for a in &inst.args {
                    match a.split_once('=') {
                        Some((k, v)) => {
                            let v = lexer.process_word(v, &values).unwrap_or_default();
                            values.insert(k.to_string(), v);
                            declared.insert(k.to_string());
                        }
                        None => {
                            declared.insert(a.clone());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    GlobalArgs { declared, values }
}

/// A label key or value as hadolint compares it: surrounding quotes removed.
pub(crate) fn unquote(s: &str) -> String {
    let b = s.as_bytes();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        s[1..s.len() - 1].to_string()
    } else {
        s.to_string()
    }
}

/// Splits a shell script into simple commands (words), at `;`, `&`, `|`, newlines and parentheses.
/// Enough to find a command name and its literal arguments; no expansion.
pub(crate) fn simple_commands(script: &str) -> Vec<Vec<&str>> {
    script
        .split(['\n', ';', '&', '|', '(', ')'])
        .map(|c| c.split_whitespace().filter(|w| !w.contains('=') || w.starts_with('-')).collect::<Vec<_>>())
        .filter(|c| !c.is_empty())
        .collect()
}

/// Reports the failures of one of `dockstage analyze`'s practices (`dockstage_model::practices`):
/// DS001-DS007 are those checks, so the logic has one home.
pub(crate) fn report_practice(ctx: &Context, meta: &crate::RuleMeta, practice: &str, out: &mut Vec<Finding>) {
    let Some(model) = ctx.model() else { return };
    for r in model.practices.iter().filter(|r| r.id == practice && r.status == dockstage_model::practices::Status::Fail) {
        out.extend(ctx.finding_at_line(meta, r.line, r.reason.clone()));
    }
}

/// Reports multi-stage findings of `dockstage_model::shell::ships` as lint findings.
pub(crate) fn report_stage_findings(ctx: &Context, meta: &crate::RuleMeta, findings: Vec<dockstage_model::shell::ships::StageFinding>, out: &mut Vec<Finding>) {
    for f in findings {
        out.extend(ctx.finding_at_line(meta, Some(f.line), f.message));
    }
}

/// The stages a stage is built on, nearest first: `FROM <name>` of an earlier stage's name
/// (compared case-insensitively, as BuildKit lower-cases stage names) continues the chain.
pub(crate) fn ancestor_stages(ctx: &Context, stage: usize) -> Vec<usize> {
    let mut chain = Vec::new();
    let mut current = stage;
    loop {
        let base = &ctx.stages[current].image.name;
        let parent = ctx.stages[..current].iter().rposition(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(base)));
        match parent {
            Some(p) if !chain.contains(&p) => {
                chain.push(p);
                current = p;
            }
            _ => return chain,
        }
    }
}

/// Whether a stage built on others inherits something they set: some instruction of an ancestor
/// stage's body satisfies `set`.
pub(crate) fn inherited(ctx: &Context, stage: usize, set: impl Fn(&dockstage_syntax::Instruction) -> bool) -> bool {
    ancestor_stages(ctx, stage).into_iter().any(|p| ctx.instructions()[ctx.stages[p].body.clone()].iter().any(&set))
}

/// The platform of the machine running the check, as BuildKit names it: a build without
/// `--platform` is for the worker's own platform.
pub(crate) fn host_platform() -> (&'static str, &'static str, &'static str) {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "powerpc64" => "ppc64le",
        "arm" => "arm",
        "s390x" => "s390x",
        "riscv64" => "riscv64",
        _ => "amd64",
    };
    ("linux", arch, if arch == "arm" { "v7" } else { "" })
}

/// `os/arch[/variant]`; a missing part is empty.
pub(crate) fn split_platform(p: &str) -> (&str, &str, &str) {
    let mut parts = p.splitn(3, '/');
    (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""))
}

/// BuildKit's "did you mean" for a name: the option closest to it by edit distance, when that is
/// under 3 and the name is not itself an option. Ties go to the first option in sorted order
/// (BuildKit walks a Go map, so its pick among ties varies from run to run).
pub(crate) fn suggest<'o>(name: &str, options: impl IntoIterator<Item = &'o str>) -> Option<&'o str> {
    let mut options: Vec<&str> = options.into_iter().collect();
    options.sort_unstable();
    options.dedup();
    if options.contains(&name) {
        return None;
    }
    let mut best = None;
    let mut min = 3;
    for opt in options {
        let d = levenshtein(name, opt);
        if d < min {
            min = d;
            best = Some(opt);
        }
    }
    best
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
