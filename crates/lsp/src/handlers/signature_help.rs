//! Signature help: the forms an instruction takes, with the flag or argument under the cursor
//! marked, the way a code editor shows a function's parameters while they are typed.

use dockstage_syntax::Keyword;
use lsp_types::*;

use super::Snapshot;
use crate::analysis::InstrInfo;
use crate::docs;

/// One written form of an instruction: the label and the parts of it that are parameters.
struct Form {
    label: &'static str,
    /// Flag parameters, written as in the label (`--from=<stage>`), matched by flag name.
    flags: &'static [&'static str],
    /// Positional parameters in order; the last one takes every later argument unless
    /// `last_is_destination` says the last word is special (COPY's `<dest>`).
    positional: &'static [&'static str],
    last_is_destination: bool,
}

const fn form(label: &'static str, flags: &'static [&'static str], positional: &'static [&'static str]) -> Form {
    Form { label, flags, positional, last_is_destination: false }
}

fn forms(kind: Keyword) -> Vec<Form> {
    match kind {
        Keyword::From => vec![form(
            "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]",
            &["--platform=<platform>"],
            &["<image>[:<tag>|@<digest>]", "[AS <name>]"],
        )],
        Keyword::Run => vec![
            form("RUN [--mount=<mount>] [--network=<network>] [--security=<security>] <command>", &["--mount=<mount>", "--network=<network>", "--security=<security>"], &["<command>"]),
            form("RUN [\"<executable>\", \"<param>\", ...]", &[], &["\"<executable>\"", "\"<param>\""]),
        ],
        Keyword::Cmd => vec![
            form("CMD [\"<executable>\", \"<param>\", ...]", &[], &["\"<executable>\"", "\"<param>\""]),
            form("CMD <command> <param> ...", &[], &["<command>", "<param>"]),
        ],
        Keyword::Entrypoint => vec![
            form("ENTRYPOINT [\"<executable>\", \"<param>\", ...]", &[], &["\"<executable>\"", "\"<param>\""]),
            form("ENTRYPOINT <command> <param> ...", &[], &["<command>", "<param>"]),
        ],
        Keyword::Copy => vec![Form {
            label: "COPY [--from=<stage|image>] [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--parents] [--exclude=<pattern>] <src>... <dest>",
            flags: &["--from=<stage|image>", "--chown=<user>:<group>", "--chmod=<perms>", "--link", "--parents", "--exclude=<pattern>"],
            positional: &["<src>...", "<dest>"],
            last_is_destination: true,
        }],
        Keyword::Add => vec![Form {
            label: "ADD [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--checksum=<digest>] [--keep-git-dir] [--exclude=<pattern>] <src>... <dest>",
            flags: &["--chown=<user>:<group>", "--chmod=<perms>", "--link", "--checksum=<digest>", "--keep-git-dir", "--exclude=<pattern>"],
            positional: &["<src>...", "<dest>"],
            last_is_destination: true,
        }],
        Keyword::Env => vec![form("ENV <key>=<value> ...", &[], &["<key>=<value>"])],
        Keyword::Arg => vec![form("ARG <name>[=<default>] ...", &[], &["<name>[=<default>]"])],
        Keyword::Label => vec![form("LABEL <key>=<value> ...", &[], &["<key>=<value>"])],
        Keyword::Expose => vec![form("EXPOSE <port>[/<protocol>] ...", &[], &["<port>[/<protocol>]"])],
        Keyword::Volume => vec![
            form("VOLUME [\"<path>\", ...]", &[], &["\"<path>\""]),
            form("VOLUME <path> ...", &[], &["<path>"]),
        ],
        Keyword::User => vec![form("USER <user>[:<group>]", &[], &["<user>[:<group>]"])],
        Keyword::Workdir => vec![form("WORKDIR <path>", &[], &["<path>"])],
        Keyword::Shell => vec![form("SHELL [\"<executable>\", \"<param>\", ...]", &[], &["\"<executable>\"", "\"<param>\""])],
        Keyword::Stopsignal => vec![form("STOPSIGNAL <signal>", &[], &["<signal>"])],
        Keyword::Healthcheck => vec![
            form(
                "HEALTHCHECK [--interval=<duration>] [--timeout=<duration>] [--start-period=<duration>] [--start-interval=<duration>] [--retries=<n>] CMD <command>",
                &["--interval=<duration>", "--timeout=<duration>", "--start-period=<duration>", "--start-interval=<duration>", "--retries=<n>"],
                &["CMD <command>"],
            ),
            form("HEALTHCHECK NONE", &[], &["NONE"]),
        ],
        Keyword::Onbuild => vec![form("ONBUILD <instruction>", &[], &["<instruction>"])],
        Keyword::Maintainer => vec![form("MAINTAINER <name>", &[], &["<name>"])],
        Keyword::Unknown => Vec::new(),
    }
}

/// The flag a parameter label names: `from` for `--from=<stage|image>`, `link` for `--link`.
fn flag_name(param: &str) -> &str {
    let flag = param.trim_start_matches("--");
    flag.split_once('=').map_or(flag, |(name, _)| name)
}

/// Which parameter of `form` the cursor at `offset` is on.
fn active_parameter(form: &Form, ins: &InstrInfo, offset: usize) -> Option<u32> {
    if let Some(flag) = ins.flags.iter().find(|f| f.span.start <= offset && offset <= f.span.end) {
        let i = form.flags.iter().position(|p| flag_name(p) == flag.name)?;
        return Some(i as u32);
    }
    if form.positional.is_empty() {
        return None;
    }
    let before = ins.words.iter().filter(|w| w.span.end < offset).count();
    let after = ins.words.iter().filter(|w| w.span.start > offset).count();
    let last = form.positional.len() - 1;
    let index = if form.last_is_destination {
        // The destination is the last word: the cursor is on it when no word follows.
        if before >= 1 && after == 0 { last } else { 0 }
    } else {
        before.min(last)
    };
    Some((form.flags.len() + index) as u32)
}

pub fn signature_help(snap: &Snapshot, p: SignatureHelpParams) -> Option<SignatureHelp> {
    let offset = snap.offset(p.text_document_position_params.position)?;
    let analysis = &snap.analysis;
    let ins = &analysis.instrs[analysis.instr_at(offset)?];
    // On the keyword itself there is nothing to fill in yet.
    if offset < ins.keyword.end {
        return None;
    }
    let on_inner = ins.inner_keyword.is_some_and(|k| offset >= k.end);
    let kind = if ins.onbuild && !on_inner { Keyword::Onbuild } else { ins.kind };
    let forms = forms(kind);
    if forms.is_empty() {
        return None;
    }
    // Where an instruction has an exec (JSON) and a shell form, the one written is active.
    let is_exec = |f: &Form| f.label.contains("[\"");
    let active_signature = forms.iter().position(|f| is_exec(f) == ins.json).unwrap_or(0) as u32;
    let signatures = forms
        .iter()
        .map(|f| SignatureInformation {
            label: f.label.to_string(),
            documentation: Some(Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value: docs::instruction(kind).to_string() })),
            parameters: Some(
                f.flags
                    .iter()
                    .chain(f.positional.iter())
                    .map(|p| {
                        let doc = docs::flags(kind).iter().find(|(n, _)| flag_name(p) == *n).map(|(_, d)| *d);
                        ParameterInformation {
                            label: ParameterLabel::Simple(p.to_string()),
                            documentation: doc.map(|d| Documentation::String(d.to_string())),
                        }
                    })
                    .collect(),
            ),
            active_parameter: active_parameter(f, ins, offset),
        })
        .collect();
    Some(SignatureHelp { signatures, active_signature: Some(active_signature), active_parameter: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parameter_label_is_part_of_its_form() {
        use Keyword::*;
        for k in [From, Run, Cmd, Entrypoint, Copy, Add, Env, Arg, Label, Expose, Volume, User, Workdir, Shell, Stopsignal, Healthcheck, Onbuild, Maintainer] {
            let fs = forms(k);
            assert!(!fs.is_empty(), "{k:?}");
            for f in fs {
                for p in f.flags.iter().chain(f.positional.iter()) {
                    assert!(f.label.contains(p), "{k:?}: {p} not in {}", f.label);
                }
                for flag in f.flags {
                    let name = flag_name(flag);
                    assert!(docs::flags(k).iter().any(|(n, _)| *n == name), "{k:?}: --{name} has no docs");
                }
            }
        }
    }
}
