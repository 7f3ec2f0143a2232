//! # LegacyKeyValueFormat: Legacy key/value format with whitespace separator should not be used
//!
//! Semantics: BuildKit's `LegacyKeyValueFormat` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=LegacyKeyValueFormat` (or `skip=all`) turns them off.
//!
//! ENV or LABEL written as `KEY value` instead of `KEY=value`.
//!
//! ## Why
//!
//! The legacy form allows only one pair and is easy to misread.
//!
//! ## Bad
//!
//! ```dockerfile
//! ENV PATH /opt/bin:$PATH
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! ENV PATH=/opt/bin:$PATH
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    LegacyKeyValueFormat { id: "LegacyKeyValueFormat", name: "legacy-key-value-format", severity: Style, origin: Buildkit, summary: "Legacy key/value format with whitespace separator should not be used", source: include_str!("legacy_key_value_format.rs"), fix: Safe }
    fn check(ctx, out) {
        for inst in ctx.instructions() {
            if !matches!(inst.kind, Keyword::Env | Keyword::Label) { continue; }
            if inst.args.chunks(3).any(|c| c.len() == 3 && c[2].is_empty()) {
                let n = inst.kind.as_str();
                out.push(ctx.finding(&META, inst, format!("\"{n} key=value\" should be used instead of legacy \"{n} key value\" format")).with_fix(key_value_fix(inst)));
            }
        }
    }
}

/// `ENV key value words` as `ENV key="value words"`. The legacy form takes the rest of the line
/// as the value, so the value is quoted when it has blanks; a value with quotes or escapes of its
/// own would read differently inside new quotes, and gets no fix.
fn key_value_fix(inst: &dockstage_syntax::Instruction) -> Option<Fix> {
    if inst.start_line != inst.end_line || inst.args.len() != 3 || inst.onbuild.is_some() {
        return None;
    }
    let (key, value) = (&inst.args[0], &inst.args[1]);
    let value = if !value.chars().any(char::is_whitespace) {
        if value.contains('=') && value.starts_with(['"', '\'']) { return None; }
        value.clone()
    } else if is_one_quoted_word(value) {
        value.clone()
    } else if !value.contains(['"', '\'', '\\']) {
        format!("\"{value}\"")
    } else {
        return None;
    };
    if value.is_empty() { return None; }
    let text = format!("{} {key}={value}", inst.keyword);
    fixes::fix(Applicability::Safe, "Use `key=value`", vec![Edit::replace(inst.span, text)])
}

fn is_one_quoted_word(v: &str) -> bool {
    let Some(q) = v.chars().next().filter(|c| *c == '"' || *c == '\'') else { return false };
    v.len() >= 2 && v.ends_with(q) && !v[1..v.len() - 1].contains([q, '\\'])
}
