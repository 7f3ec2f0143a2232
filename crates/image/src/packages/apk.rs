//! apk's installed database: blocks of `K:value` lines, one block per package.
use super::{Ecosystem, Package};

/// Keeps the package-level lines (file lists `R:`/`Z:` are most of the file).
pub fn shrink(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in data.split(|b| *b == b'\n') {
        if line.is_empty() || matches!(line, [b'P' | b'V' | b'A' | b'I' | b'L', b':', ..]) {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
    }
    out
}

pub fn parse(data: &[u8], location: &str) -> Vec<Package> {
    let text = String::from_utf8_lossy(data);
    let mut out = Vec::new();
    let mut cur: Option<Package> = None;
    let flush = |p: Option<Package>, out: &mut Vec<Package>| {
        if let Some(p) = p.filter(|p| !p.name.is_empty()) {
            out.push(p);
        }
    };
    for line in text.lines() {
        if line.is_empty() {
            flush(cur.take(), &mut out);
            continue;
        }
        let Some((k, v)) = line.split_once(':') else { continue };
        let p = cur.get_or_insert_with(|| Package {
            ecosystem: Ecosystem::Apk,
            name: String::new(),
            version: String::new(),
            arch: None,
            size_bytes: None,
            license: None,
            location: location.to_string(),
        });
        match k {
            "P" => p.name = v.to_string(),
            "V" => p.version = v.to_string(),
            "A" => p.arch = Some(v.to_string()),
            "I" => p.size_bytes = v.parse().ok(),
            "L" => p.license = Some(v.to_string()),
            _ => {}
        }
    }
    flush(cur.take(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn blocks() {
        let db = b"C:Q1x\nP:musl\nV:1.2.4-r2\nA:x86_64\nI:622592\nL:MIT\nR:lib/ld.so\n\nP:busybox\nV:1.36\n";
        let p = super::parse(&super::shrink(db), "/lib/apk/db/installed");
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].name.as_str(), p[0].size_bytes), ("musl", Some(622592)));
        let _ = super::parse(b"P:\xff\nI:-1\n::\n", "x");
    }
}
