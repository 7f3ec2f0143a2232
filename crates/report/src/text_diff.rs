//! Unified diffs of a file and its fixed or formatted text, for `--diff`.

/// A unified diff (three lines of context) from `old` to `new`, labelled `a/{name}` and
/// `b/{name}`; empty when they are equal.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = line_ops(&a, &b);
    let mut out = format!("--- a/{name}\n+++ b/{name}\n");
    const CONTEXT: usize = 3;
    let changed: Vec<usize> = ops.iter().enumerate().filter(|(_, o)| !matches!(o, Op::Same(..))).map(|(i, _)| i).collect();
    let mut i = 0;
    while i < changed.len() {
        let start = changed[i].saturating_sub(CONTEXT);
        let mut end = changed[i];
        while i < changed.len() && changed[i] <= end + 2 * CONTEXT + 1 {
            end = changed[i];
            i += 1;
        }
        let end = (end + CONTEXT + 1).min(ops.len());
        let (mut a_start, mut b_start) = (0, 0);
        for o in &ops[..start] {
            match o {
                Op::Same(..) => { a_start += 1; b_start += 1; }
                Op::Del(_) => a_start += 1,
                Op::Add(_) => b_start += 1,
            }
        }
        let a_len = ops[start..end].iter().filter(|o| !matches!(o, Op::Add(_))).count();
        let b_len = ops[start..end].iter().filter(|o| !matches!(o, Op::Del(_))).count();
        out.push_str(&format!("@@ -{},{} +{},{} @@\n", a_start + usize::from(a_len > 0), a_len, b_start + usize::from(b_len > 0), b_len));
        for o in &ops[start..end] {
            let (sign, line) = match o {
                Op::Same(l) => (' ', *l),
                Op::Del(l) => ('-', *l),
                Op::Add(l) => ('+', *l),
            };
            out.push(sign);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}

enum Op<'a> {
    Same(&'a str),
    Del(&'a str),
    Add(&'a str),
}

/// A shortest edit script by longest common subsequence over the lines between the common
/// head and tail (Dockerfiles are small, and fixes change few lines).
fn line_ops<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<Op<'a>> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..].iter().rev().zip(b[head..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let (n, m) = (ma.len(), mb.len());
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * (m + 1) + j] = if ma[i] == mb[j] { lcs[(i + 1) * (m + 1) + j + 1] + 1 } else { lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1]) };
        }
    }
    let mut ops: Vec<Op> = a[..head].iter().map(|l| Op::Same(l)).collect();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && ma[i] == mb[j] {
            ops.push(Op::Same(ma[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
            ops.push(Op::Del(ma[i]));
            i += 1;
        } else {
            ops.push(Op::Add(mb[j]));
            j += 1;
        }
    }
    ops.extend(a[a.len() - tail..].iter().map(|l| Op::Same(l)));
    ops
}

#[cfg(test)]
mod tests {
    use super::unified_diff;

    #[test]
    fn one_changed_line() {
        let d = unified_diff("Dockerfile", "FROM a\nrun x\n", "FROM a\nRUN x\n");
        assert_eq!(d, "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n FROM a\n-run x\n+RUN x\n");
        assert_eq!(unified_diff("f", "x\n", "x\n"), "");
    }
}
