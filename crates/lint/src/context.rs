//! What a rule sees: the parsed file, its text, the configuration, and the stage structure.

use dockstage_syntax::{Dockerfile, Instruction, Keyword};

use crate::image_ref::ImageRef;
use crate::{Config, Finding, RuleMeta, Severity};

/// One `FROM` and the instructions after it.
#[derive(Debug, Clone)]
pub struct Stage<'a> {
    pub from: &'a Instruction,
    /// Index of the `FROM` in [`Dockerfile::instructions`].
    pub from_index: usize,
    /// Indices of the stage's instructions after `FROM`, up to the next `FROM`.
    pub body: std::ops::Range<usize>,
    pub image: ImageRef,
    /// The `AS` name as written.
    pub name: Option<String>,
    pub platform: Option<String>,
}

impl Stage<'_> {
    /// hadolint's stage key: the alias, else the image name.
    pub fn key(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.image.name)
    }
}

pub struct Context<'a> {
    pub dockerfile: &'a Dockerfile,
    pub source: &'a str,
    pub config: &'a Config,
    pub stages: Vec<Stage<'a>>,
}

impl<'a> Context<'a> {
    pub fn new(dockerfile: &'a Dockerfile, source: &'a str, config: &'a Config) -> Self {
        let ins = &dockerfile.instructions;
        let mut stages: Vec<Stage<'a>> = Vec::new();
        for (i, inst) in ins.iter().enumerate() {
            if inst.kind != Keyword::From {
                continue;
            }
            if let Some(last) = stages.last_mut() {
                last.body.end = i;
            }
            let image = ImageRef::parse(inst.args.first().map(String::as_str).unwrap_or(""));
            let name = (inst.args.len() >= 3 && inst.args[1].eq_ignore_ascii_case("as")).then(|| inst.args[2].clone());
            let platform = inst.flag("platform").and_then(|f| f.value.clone());
            stages.push(Stage { from: inst, from_index: i, body: i + 1..ins.len(), image, name, platform });
        }
        Context { dockerfile, source, config, stages }
    }

    pub fn instructions(&self) -> &'a [Instruction] {
        &self.dockerfile.instructions
    }

    /// A finding on a whole instruction.
    pub fn finding(&self, meta: &RuleMeta, inst: &Instruction, message: impl Into<String>) -> Finding {
        Finding {
            rule: meta.id,
            severity: Severity::Warning,
            message: message.into(),
            line: inst.start_line,
            column: inst.column,
            end_line: inst.end_line,
            span: inst.span,
        }
    }

    /// A finding whose message is the rule's summary.
    pub fn summary(&self, meta: &RuleMeta, inst: &Instruction) -> Finding {
        self.finding(meta, inst, meta.summary)
    }
}

/// hadolint's `dropQuotes`: strip `"` and `'` from both ends.
pub fn drop_quotes(s: &str) -> &str {
    s.trim_matches(|c| c == '"' || c == '\'')
}

/// The source and destination words of COPY/ADD (flags already removed by the parser).
pub fn copy_paths(inst: &Instruction) -> (&[String], Option<&str>) {
    let args: &[String] = &inst.args;
    let args = if inst.heredocs.is_empty() { args } else { args };
    match args.split_last() {
        Some((dest, srcs)) => (srcs, Some(dest.as_str())),
        None => (&[], None),
    }
}

/// True for `C:\...` or `C:/...` style absolute paths.
pub fn is_windows_absolute(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}
