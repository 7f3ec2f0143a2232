//! Runtime bases by official-image naming: `python:3.11` -> `python:3.11-slim`,
//! `node:20` -> `node:20-slim`, `rust:1.75` -> `debian:bookworm-slim`,
//! `maven:3.9-eclipse-temurin-17` -> `eclipse-temurin:17-jre`.

use dockstage_model::ImageRef;

struct Parts {
    /// The reference without its tag (registry and path as written).
    name: String,
    short: String,
    tag: String,
}

fn parts(base: &str) -> Option<Parts> {
    let r = ImageRef::parse(base)?;
    if r.digest.is_some() {
        return None;
    }
    let short = r.path.rsplit('/').next().unwrap_or(&r.path).to_string();
    let tag = r.tag.clone().unwrap_or_else(|| "latest".into());
    let name = base[..base.len() - r.tag.as_ref().map_or(0, |t| t.len() + 1)].to_string();
    Some(Parts { name, short, tag })
}

/// The slim variant of an official Python or Node image's tag, when there is one.
pub fn slim_base(base: &str) -> Option<String> {
    let Parts { name, short, tag } = parts(base)?;
    if tag.contains("slim") || tag.contains("alpine") {
        return Some(base.to_string());
    }
    match short.as_str() {
        // python:3.11-bookworm -> python:3.11-slim-bookworm
        "python" => Some(match tag.as_str() {
            "latest" => format!("{name}:slim"),
            t => match t.split_once('-') {
                Some((v, distro)) => format!("{name}:{v}-slim-{distro}"),
                None => format!("{name}:{t}-slim"),
            },
        }),
        // node:20-bookworm -> node:20-bookworm-slim
        "node" => Some(match tag.as_str() {
            "latest" => format!("{name}:slim"),
            t => format!("{name}:{t}-slim"),
        }),
        _ => None,
    }
}

/// The Debian release a toolchain image is built on, from its tag (bookworm when unsaid).
pub(crate) fn debian_release(base: &str) -> &'static str {
    const RELEASES: &[&str] = &["trixie", "bookworm", "bullseye", "buster", "stretch"];
    RELEASES.iter().copied().find(|r| base.contains(r)).unwrap_or("bookworm")
}

/// The slim Debian image matching a toolchain image (`golang:1.22-bullseye` -> `debian:bullseye-slim`).
pub(crate) fn debian_slim_for(base: &str) -> String {
    format!("debian:{}-slim", debian_release(base))
}

/// The JRE image matching a JDK/build-tool image, when its Java version can be read.
pub(crate) fn jre_for(base: &str) -> Option<String> {
    let p = parts(base)?;
    let lower = format!("{}:{}", p.short, p.tag).to_ascii_lowercase();
    let version = ["temurin-", "jdk-", "jdk", "openjdk-", "corretto-"]
        .iter()
        .filter_map(|m| lower.find(m).map(|i| &lower[i + m.len()..]))
        .chain(matches!(p.short.as_str(), "openjdk" | "eclipse-temurin" | "amazoncorretto").then_some(p.tag.as_str()))
        .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect::<String>())
        .find(|v| !v.is_empty())?;
    let alpine = if lower.contains("alpine") { "-alpine" } else { "" };
    Some(format!("eclipse-temurin:{version}-jre{alpine}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_names() {
        assert_eq!(slim_base("python:3.11").as_deref(), Some("python:3.11-slim"));
        assert_eq!(slim_base("python:3.11-bookworm").as_deref(), Some("python:3.11-slim-bookworm"));
        assert_eq!(slim_base("python").as_deref(), Some("python:slim"));
        assert_eq!(slim_base("node:20").as_deref(), Some("node:20-slim"));
        assert_eq!(slim_base("node:20-bookworm").as_deref(), Some("node:20-bookworm-slim"));
        assert_eq!(slim_base("node:18-alpine").as_deref(), Some("node:18-alpine"));
        assert_eq!(slim_base("ubuntu:22.04"), None);
        assert_eq!(debian_slim_for("rust:1.75"), "debian:bookworm-slim");
        assert_eq!(debian_slim_for("golang:1.21-bullseye"), "debian:bullseye-slim");
        assert_eq!(jre_for("maven:3.9-eclipse-temurin-17").as_deref(), Some("eclipse-temurin:17-jre"));
        assert_eq!(jre_for("gradle:8.5-jdk21").as_deref(), Some("eclipse-temurin:21-jre"));
        assert_eq!(jre_for("openjdk:11").as_deref(), Some("eclipse-temurin:11-jre"));
        assert_eq!(jre_for("eclipse-temurin:17-jdk-alpine").as_deref(), Some("eclipse-temurin:17-jre-alpine"));
        assert_eq!(jre_for("maven:3"), None);
    }
}
