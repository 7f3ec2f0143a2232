//! Compose's variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
//! `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`, and `$$` for a literal `$`.

use std::collections::BTreeMap;

/// Replaces variables in `text`; an error says which variable is required and why.
pub fn interpolate(text: &str, env: &BTreeMap<String, String>) -> Result<String, String> {
    interpolate_depth(text, env, 0)
}

fn interpolate_depth(text: &str, env: &BTreeMap<String, String>, depth: usize) -> Result<String, String> {
    if depth > 16 {
        return Err("variables nested too deeply".into());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('$') {
            out.push('$');
            rest = r;
        } else if let Some(r) = rest.strip_prefix('{') {
            let end = closing_brace(r).ok_or_else(|| format!("unclosed ${{ in {text:?}"))?;
            out.push_str(&expand(&r[..end], env, depth)?);
            rest = &r[end + 1..];
        } else {
            let n = rest.bytes().take_while(|c| c.is_ascii_alphanumeric() || *c == b'_').count();
            if n == 0 {
                out.push('$');
            } else {
                out.push_str(env.get(&rest[..n]).map(String::as_str).unwrap_or(""));
            }
            rest = &rest[n..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The index of the `}` closing a `${`, skipping nested `${...}` in defaults.
fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'$' if b.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

fn expand(inner: &str, env: &BTreeMap<String, String>, depth: usize) -> Result<String, String> {
    let n = inner.bytes().take_while(|c| c.is_ascii_alphanumeric() || *c == b'_').count();
    let (name, op) = inner.split_at(n);
    if name.is_empty() {
        return Err(format!("invalid variable ${{{inner}}}"));
    }
    let value = env.get(name);
    let set_nonempty = value.is_some_and(|v| !v.is_empty());
    let sub = |s: &str| interpolate_depth(s, env, depth + 1);
    let or_empty = || value.cloned().unwrap_or_default();
    Ok(if op.is_empty() {
        or_empty()
    } else if let Some(d) = op.strip_prefix(":-") {
        if set_nonempty { or_empty() } else { sub(d)? }
    } else if let Some(d) = op.strip_prefix('-') {
        if value.is_some() { or_empty() } else { sub(d)? }
    } else if let Some(m) = op.strip_prefix(":?") {
        if set_nonempty { or_empty() } else { return Err(format!("required variable {name} is missing a value: {}", sub(m)?)) }
    } else if let Some(m) = op.strip_prefix('?') {
        if value.is_some() { or_empty() } else { return Err(format!("required variable {name} is missing a value: {}", sub(m)?)) }
    } else if let Some(a) = op.strip_prefix(":+") {
        if set_nonempty { sub(a)? } else { String::new() }
    } else if let Some(a) = op.strip_prefix('+') {
        if value.is_some() { sub(a)? } else { String::new() }
    } else {
        return Err(format!("invalid variable ${{{inner}}}"));
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let env: BTreeMap<String, String> = [("A".to_string(), "x".to_string()), ("E".to_string(), String::new())].into();
        let i = |s: &str| interpolate(s, &env);
        assert_eq!(i("a-$A-${A}").unwrap(), "a-x-x");
        assert_eq!(i("${B:-def}|${E:-def}|${E-def}|${B-d}").unwrap(), "def|def||d");
        assert_eq!(i("${A:+alt}|${E:+alt}|${E+alt}").unwrap(), "alt||alt");
        assert_eq!(i("$$A ${B:-${A}}").unwrap(), "$A x");
        assert!(i("${B:?set it}").unwrap_err().contains("set it"));
        assert!(i("${A").is_err());
        assert!(i("${}").is_err());
    }
}
