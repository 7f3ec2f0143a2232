//! Which Dockerfile instruction made which layer.
//! The Dockerfile is read with `dockstage_syntax` (BuildKit's reading: continuations,
//! heredocs, escape directive).
//!
//! An image's history has one entry per instruction of the final stage (after the base image's
//! own entries), in order; builders phrase `created_by` differently (BuildKit:
//! `RUN /bin/sh -c ... # buildkit`, legacy and buildah: `/bin/sh -c ...` for RUN and
//! `/bin/sh -c #(nop) COPY ...` for the rest). We align instructions with history entries
//! from the end, matching keyword and command text, as a longest common subsequence; the
//! base image's entries then stay unmatched.
use crate::analysis::{Analysis, InstructionRef};
use crate::config::HistoryEntry;

/// One instruction as the mapping needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// 1-based line of the instruction's first line.
    pub line: usize,
    /// Upper-case keyword (RUN, COPY...).
    pub keyword: String,
    /// Arguments with continuation lines joined.
    pub args: String,
    /// Index of the stage (0-based) and its `AS` name.
    pub stage: usize,
    pub stage_name: Option<String>,
}

/// The instructions of a Dockerfile the caller has parsed (with `dockstage_syntax`, which
/// reads as BuildKit does): the file is read once per command, so this takes no text.
pub fn instructions(df: &dockstage_syntax::Dockerfile) -> Vec<Instruction> {
    let mut out = Vec::new();
    let mut stage: Option<usize> = None;
    let mut stage_name: Option<String> = None;
    for ins in &df.instructions {
        let keyword = ins.kind.as_str().to_ascii_uppercase();
        if keyword == "FROM" {
            stage = Some(stage.map_or(0, |s| s + 1));
            stage_name = ins
                .args
                .iter()
                .position(|w| w.eq_ignore_ascii_case("as"))
                .and_then(|i| ins.args.get(i + 1))
                .cloned();
        }
        // The logical line without its keyword; flags stay (the matcher skips them).
        let original = ins.original.trim_start();
        let args = original
            .get(ins.keyword.len()..)
            .unwrap_or("")
            .trim()
            .to_string();
        out.push(Instruction {
            line: ins.start_line,
            keyword,
            args,
            stage: stage.unwrap_or(0),
            stage_name: stage_name.clone(),
        });
    }
    out
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The command part of a history entry, with builder decorations removed.
fn history_command(created_by: &str) -> String {
    let mut c = created_by.trim();
    if let Some(rest) = c.strip_suffix("# buildkit") {
        c = rest.trim_end();
    }
    // `|2 A=1 B=2 /bin/sh -c ...`: build args used by a RUN.
    if let Some(rest) = c.strip_prefix('|') {
        if let Some(pos) = rest.find("/bin/sh -c ") {
            c = &rest[pos..];
        }
    }
    if let Some(rest) = c.strip_prefix("RUN ") {
        c = rest.trim_start();
    }
    for prefix in ["/bin/sh -c ", "/bin/bash -c ", "cmd /S /C "] {
        if let Some(rest) = c.strip_prefix(prefix) {
            c = rest;
            break;
        }
    }
    if let Some(rest) = c.strip_prefix("#(nop)") {
        c = rest.trim_start();
    }
    normalize(c)
}

fn matches(created_by: &str, ins: &Instruction) -> bool {
    let cmd = history_command(created_by);
    let first = cmd.split_whitespace().next().unwrap_or("");
    if first.eq_ignore_ascii_case(&ins.keyword) {
        return true;
    }
    if ins.keyword == "RUN" {
        let mut args = ins.args.as_str();
        // Drop RUN flags (--mount=..., --network=...), which history does not record.
        while let Some(rest) = args.strip_prefix("--") {
            args = rest
                .split_once(char::is_whitespace)
                .map_or("", |(_, r)| r)
                .trim_start();
        }
        let want = normalize(args.trim_start_matches('[').trim());
        let prefix: String = want.chars().take(40).collect();
        return !prefix.is_empty() && (cmd.starts_with(&prefix) || cmd.contains(&prefix));
    }
    false
}

/// Sets `instruction` on each layer of `analysis` that an instruction of the final stage made.
/// Returns how many layers were mapped.
pub fn map_layers(analysis: &mut Analysis, dockerfile: &[Instruction]) -> usize {
    let by_history = map_history(&analysis.history, dockerfile);
    let mut mapped = 0;
    for layer in &mut analysis.layers {
        if let Some(Some(ins)) = layer.history_index.and_then(|h| by_history.get(h)) {
            layer.instruction = Some(ins.clone());
            mapped += 1;
        }
    }
    mapped
}

/// The instruction of the final stage that made each history entry, if any: what
/// [`map_layers`] uses, available before any layer is read (history is in the config).
pub fn map_history(history: &[HistoryEntry], dockerfile: &[Instruction]) -> Vec<Option<InstructionRef>> {
    let mut out = vec![None; history.len()];
    let Some(last_stage) = dockerfile.iter().map(|i| i.stage).max() else {
        return out;
    };
    let stage: Vec<&Instruction> = dockerfile
        .iter()
        .filter(|i| i.stage == last_stage && i.keyword != "FROM")
        .collect();
    let hist: Vec<String> = history
        .iter()
        .map(|h| h.created_by.clone().unwrap_or_default())
        .collect();
    let (n, m) = (hist.len(), stage.len());
    // LCS table over suffix-aligned prefixes.
    let mut dp = vec![vec![0u32; m + 1]; n + 1];
    for i in 1..=n {
        for j in 1..=m {
            dp[i][j] = if matches(&hist[i - 1], stage[j - 1]) {
                dp[i - 1][j - 1] + 1
            } else {
                dp[i - 1][j].max(dp[i][j - 1])
            };
        }
    }
    // Walk back from the end, preferring the latest history entries.
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        if matches(&hist[i - 1], stage[j - 1]) && dp[i][j] == dp[i - 1][j - 1] + 1 {
            let ins = stage[j - 1];
            let mut text = format!("{} {}", ins.keyword, ins.args);
            if text.chars().count() > 120 {
                text = text.chars().take(117).collect::<String>() + "...";
            }
            out[i - 1] = Some(InstructionRef {
                line: ins.line,
                stage: ins.stage_name.clone(),
                text,
            });
            i -= 1;
            j -= 1;
        } else if dp[i - 1][j] >= dp[i][j - 1] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    out
}

/// Which history entry made each layer, the way dive pairs them: layer by layer, each takes
/// the next entry not marked `empty_layer`.
pub fn layer_history(history: &[HistoryEntry], layers: usize) -> Vec<Option<usize>> {
    let mut next = 0;
    (0..layers)
        .map(|_| {
            while next < history.len() && history[next].empty_layer {
                next += 1;
            }
            (next < history.len()).then(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_instructions() {
        let df = "# syntax=docker/dockerfile:1\nFROM python:3.11 AS build\nRUN apt-get update && \\\n    # a comment\n    apt-get install -y gcc\nCOPY <<EOF /x\nRUN not an instruction\nEOF\nFROM python:3.11-slim\nCOPY --from=build /x /x\n";
        let ins = instructions(&dockstage_syntax::parse(df).unwrap());
        let kws: Vec<(&str, usize, usize)> = ins
            .iter()
            .map(|i| (i.keyword.as_str(), i.line, i.stage))
            .collect();
        assert_eq!(
            kws,
            [
                ("FROM", 2, 0),
                ("RUN", 3, 0),
                ("COPY", 6, 0),
                ("FROM", 9, 1),
                ("COPY", 10, 1)
            ]
        );
        assert_eq!(
            normalize(&ins[1].args),
            "apt-get update && apt-get install -y gcc"
        );
        assert_eq!(ins[0].stage_name.as_deref(), Some("build"));
    }

    #[test]
    fn history_commands_of_each_builder() {
        let run = Instruction {
            line: 3,
            keyword: "RUN".into(),
            args: "--mount=type=cache,target=/root/.cache pip install  -r r.txt".into(),
            stage: 0,
            stage_name: None,
        };
        assert!(matches(
            "RUN /bin/sh -c pip install -r r.txt # buildkit",
            &run
        ));
        assert!(matches("/bin/sh -c pip install -r r.txt", &run));
        assert!(matches("|1 V=2 /bin/sh -c pip install -r r.txt", &run));
        assert!(!matches("/bin/sh -c apt-get update", &run));
        let copy = Instruction {
            line: 4,
            keyword: "COPY".into(),
            args: ". /app".into(),
            stage: 0,
            stage_name: None,
        };
        assert!(matches("/bin/sh -c #(nop) COPY dir:abc in /app ", &copy));
        assert!(matches("COPY . /app # buildkit", &copy));
    }
}
