//! Image references, checked against the grammar of the Docker reference library
//! (`distribution/reference`): BuildKit refuses a base or `--from` image that does not match it.

use serde::Serialize;

/// A parsed image reference such as `ghcr.io/org/app:1.2@sha256:...`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageRef {
    /// The reference as the build sees it (ARGs expanded), not normalised.
    pub raw: String,
    /// Registry host (with port) when written, e.g. `ghcr.io`.
    pub domain: Option<String>,
    /// Repository path without the domain, e.g. `library/python` is written `python`.
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses a reference; `None` when BuildKit would refuse it.
    pub fn parse(raw: &str) -> Option<ImageRef> {
        if raw.is_empty() || raw.len() > 4096 {
            return None;
        }
        let (rest, digest) = match raw.split_once('@') {
            Some((r, d)) => {
                if !valid_digest(d) {
                    return None;
                }
                (r, Some(d.to_string()))
            }
            None => (raw, None),
        };
        // A tag is after the last ':' that follows the last '/'.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => {
                let t = &rest[last_slash + i + 1..];
                if !valid_tag(t) {
                    return None;
                }
                (&rest[..last_slash + i], Some(t.to_string()))
            }
            None => (rest, None),
        };
        let mut parts: Vec<&str> = name.split('/').collect();
        let domain = if parts.len() > 1 && (parts[0].contains('.') || parts[0].contains(':') || parts[0] == "localhost") {
            let d = parts.remove(0);
            if !valid_domain(d) {
                return None;
            }
            Some(d.to_string())
        } else {
            None
        };
        if parts.is_empty() || !parts.iter().all(|p| valid_path_component(p)) {
            return None;
        }
        Some(ImageRef { raw: raw.to_string(), domain, path: parts.join("/"), tag, digest })
    }

    /// The last path component: `python` for `docker.io/library/python:3.11`.
    pub fn short_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

fn valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

fn valid_digest(d: &str) -> bool {
    match d.split_once(':') {
        Some((alg, hex)) => {
            !alg.is_empty()
                && alg.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'+' | b'.' | b'_' | b'-'))
                && hex.len() >= 32
                && hex.bytes().all(|c| c.is_ascii_hexdigit())
        }
        None => false,
    }
}

fn valid_domain(d: &str) -> bool {
    let (host, port) = match d.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (d, None),
    };
    if let Some(p) = port {
        if p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    !host.is_empty()
        && host.split('.').all(|l| {
            !l.is_empty()
                && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn valid_path_component(p: &str) -> bool {
    let b = p.as_bytes();
    if b.is_empty() || !is_alnum(b[0]) || !is_alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if is_alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !is_alnum(b[i]) {
            i += 1;
        }
        let sep = &p[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|c| c == b'-');
        if !ok {
            return false;
        }
    }
    true
}

fn is_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::ImageRef;

    #[test]
    fn accepts_and_splits_common_references() {
        let r = ImageRef::parse("python:3.11-slim").unwrap();
        assert_eq!((r.domain.as_deref(), r.path.as_str(), r.tag.as_deref()), (None, "python", Some("3.11-slim")));
        let r = ImageRef::parse("localhost:5000/team/app:v1").unwrap();
        assert_eq!((r.domain.as_deref(), r.path.as_str(), r.tag.as_deref()), (Some("localhost:5000"), "team/app", Some("v1")));
        let r = ImageRef::parse("gcr.io/distroless/python3-debian12").unwrap();
        assert_eq!(r.short_name(), "python3-debian12");
        let d = format!("alpine@sha256:{}", "a".repeat(64));
        assert!(ImageRef::parse(&d).unwrap().digest.is_some());
    }

    #[test]
    fn refuses_what_buildkit_refuses() {
        for bad in ["", "Builder", "python:", "a b", "python:3.11:x", "-x", "x-", "a/B", "python@sha256:zz"] {
            assert!(ImageRef::parse(bad).is_none(), "{bad}");
        }
    }
}
