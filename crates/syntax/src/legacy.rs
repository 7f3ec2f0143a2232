//! The per-instruction record of BuildKit's Go API as the `dockerfile` Python package exposes it
//! (`Command(cmd, sub_cmd, json, original, start_line, end_line, flags, value, heredocs)`).
//! `dockstage parse --format json` prints these, so they can be compared field by field.

use serde::Serialize;

use crate::ast::{Dockerfile, Instruction};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Command {
    pub cmd: String,
    pub sub_cmd: Option<String>,
    pub json: bool,
    pub original: String,
    pub flags: Vec<String>,
    pub value: Vec<String>,
    pub start_line: usize,
    pub end_line: usize,
    pub heredocs: Vec<HeredocRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeredocRecord {
    pub name: String,
    pub file_descriptor: u64,
    pub content: String,
}

pub fn commands(df: &Dockerfile) -> Vec<Command> {
    df.instructions.iter().map(command).collect()
}

pub fn command(instruction: &Instruction) -> Command {
    let inner = instruction.effective();
    let mut original = instruction.original.clone();
    // The Python package reads heredocs from the inner node, where BuildKit never puts them
    // for ONBUILD; we report the same.
    let heredocs = if instruction.onbuild.is_some() { &[][..] } else { &instruction.heredocs[..] };
    if !heredocs.is_empty() {
        original.push('\n');
        for h in heredocs {
            original.push_str(&h.content);
            original.push_str(&h.name);
            original.push('\n');
        }
    }
    Command {
        cmd: instruction.keyword.clone(),
        sub_cmd: instruction.onbuild.as_ref().map(|i| i.keyword.clone()),
        json: inner.json,
        original,
        flags: instruction.flags.iter().map(|f| f.raw.clone()).collect(),
        value: instruction.legacy_values(),
        start_line: instruction.start_line,
        end_line: instruction.end_line,
        heredocs: heredocs
            .iter()
            .map(|h| HeredocRecord { name: h.name.clone(), file_descriptor: h.file_descriptor, content: h.content.clone() })
            .collect(),
    }
}
