//! Splitting a `FROM` image reference into registry, name, tag and digest, textually (no variable
//! expansion), the way hadolint reads it.

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageRef {
    /// `registry.example.com:5000`, when the first path component looks like a host.
    pub registry: Option<String>,
    /// The repository path without registry, e.g. `library/ubuntu` or `ubuntu`.
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(reference: &str) -> ImageRef {
        let (rest, digest) = match reference.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (reference, None),
        };
        let (registry, path) = match rest.split_once('/') {
            Some((first, tail)) if first.contains('.') || first.contains(':') || first == "localhost" => {
                (Some(first.to_string()), tail)
            }
            _ => (None, rest),
        };
        let last_slash = path.rfind('/').map(|i| i + 1).unwrap_or(0);
        let (name, tag) = match path[last_slash..].find(':') {
            Some(i) => (&path[..last_slash + i], Some(path[last_slash + i + 1..].to_string())),
            None => (path, None),
        };
        ImageRef { registry, name: name.to_string(), tag, digest }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_references() {
        let r = ImageRef::parse("localhost:5000/team/app:1.2@sha256:abc");
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.name, "team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = ImageRef::parse("ubuntu");
        assert_eq!((r.registry, r.name.as_str(), r.tag), (None, "ubuntu", None));
        let r = ImageRef::parse("library/debian:bookworm");
        assert_eq!((r.name.as_str(), r.tag.as_deref()), ("library/debian", Some("bookworm")));
    }
}
