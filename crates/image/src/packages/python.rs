//! Python distributions: `NAME-VER.dist-info/METADATA` (sized by the `RECORD` beside it) and
//! `*.egg-info` (a `PKG-INFO` file or the egg-info file itself).
use super::{field, stanzas, Ecosystem, Package};

/// The header block of a metadata file (the description after the first blank line is not
/// needed).
pub fn header_block(data: &[u8]) -> &[u8] {
    let end = data
        .windows(2)
        .position(|w| w == b"\n\n")
        .or_else(|| data.windows(4).position(|w| w == b"\r\n\r\n"))
        .unwrap_or(data.len());
    &data[..end]
}

/// Sum of the sizes RECORD lists (`path,hash,size`; the last field).
pub fn record_size(data: &[u8]) -> u64 {
    String::from_utf8_lossy(data)
        .lines()
        .filter_map(|l| l.rsplit(',').next()?.trim().parse::<u64>().ok())
        .fold(0u64, |a, b| a.saturating_add(b))
}

pub fn parse(data: &[u8], location: &str, size: Option<u64>) -> Option<Package> {
    let st = stanzas(header_block(data));
    let s = st.first()?;
    let name = field(s, "Name")?.trim();
    if name.is_empty() {
        return None;
    }
    Some(Package {
        ecosystem: Ecosystem::Python,
        name: name.to_string(),
        version: field(s, "Version").unwrap_or("").trim().to_string(),
        arch: None,
        size_bytes: size,
        license: field(s, "License-Expression")
            .or_else(|| field(s, "License"))
            .filter(|l| !l.is_empty() && l.len() < 200 && *l != "UNKNOWN")
            .map(str::to_string),
        location: location.to_string(),
    })
}

/// PEP 503 normalisation: lower case, runs of `-_.` become `-`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_and_record() {
        let md = b"Metadata-Version: 2.1\nName: Six\nVersion: 1.16.0\nLicense: MIT\n\nLong text: not a header\n";
        let p = parse(md, "/x/six-1.16.0.dist-info/METADATA", Some(3)).unwrap();
        assert_eq!((p.name.as_str(), p.version.as_str(), p.license.as_deref()), ("Six", "1.16.0", Some("MIT")));
        assert_eq!(record_size(b"six.py,sha256=x,34549\nsix-1.16.0.dist-info/RECORD,,\n"), 34549);
        assert_eq!(normalize("Foo__Bar.baz"), "foo-bar-baz");
        assert!(parse(b"\xff\xfe", "x", None).is_none());
    }
}
