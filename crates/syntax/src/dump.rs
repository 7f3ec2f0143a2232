//! BuildKit's test notation for a parsed file: one `(cmd ["--flags"] "arg" ...)` per instruction,
//! as BuildKit's `Node.Dump` prints it. The conformance fixtures are written in it.

use crate::ast::{Dockerfile, Instruction};
use crate::words::go_quote;

pub fn dump(df: &Dockerfile) -> String {
    let lines: Vec<String> = df.instructions.iter().map(|i| format!("({})", dump_instruction(i))).collect();
    lines.join("\n")
}

fn dump_instruction(instruction: &Instruction) -> String {
    let mut out = instruction.keyword.to_lowercase();
    if !instruction.flags.is_empty() {
        let flags: Vec<String> = instruction.flags.iter().map(|f| go_quote(&f.raw)).collect();
        out.push_str(&format!(" [{}]", flags.join(" ")));
    }
    if let Some(inner) = &instruction.onbuild {
        out.push_str(&format!(" ({})", dump_instruction(inner)));
    }
    for arg in &instruction.args {
        out.push(' ');
        out.push_str(&go_quote(arg));
    }
    out.trim().to_string()
}
