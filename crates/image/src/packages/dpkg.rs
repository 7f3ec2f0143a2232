//! dpkg's status database: one deb822 stanza per package; installed ones have a `Status`
//! ending in `installed`.
use super::{field, stanzas, Ecosystem, Package};

const KEPT: [&str; 6] = ["Package", "Status", "Version", "Architecture", "Installed-Size", "Source"];

/// Keeps only the fields read (descriptions and conffiles are most of the file).
pub fn shrink(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 8);
    let mut keep = false;
    for line in data.split(|b| *b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            out.push(b'\n');
            keep = false;
            continue;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if keep {
                out.extend_from_slice(line);
                out.push(b'\n');
            }
            continue;
        }
        keep = KEPT.iter().any(|k| line.len() > k.len() && line.starts_with(k.as_bytes()) && line[k.len()] == b':');
        if keep {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
    }
    out
}

pub fn parse(data: &[u8], location: &str) -> Vec<Package> {
    stanzas(data)
        .iter()
        .filter_map(|s| {
            let name = field(s, "Package")?;
            let status = field(s, "Status").unwrap_or("install ok installed");
            if status.split_whitespace().last() != Some("installed") || name.is_empty() {
                return None;
            }
            Some(Package {
                ecosystem: Ecosystem::Deb,
                name: name.to_string(),
                version: field(s, "Version").unwrap_or("").to_string(),
                arch: field(s, "Architecture").map(str::to_string),
                size_bytes: field(s, "Installed-Size")
                    .and_then(|v| v.parse::<u64>().ok())
                    .map(|k| k.saturating_mul(1024)),
                license: None,
                location: location.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installed_only_and_sizes() {
        let db = b"Package: a\nStatus: install ok installed\nVersion: 1:2.0-1\nArchitecture: amd64\nInstalled-Size: 10\nDescription: x\n long\n\nPackage: b\nStatus: deinstall ok config-files\nVersion: 1\n";
        let small = shrink(db);
        assert!(!String::from_utf8_lossy(&small).contains("long"));
        let p = parse(&small, "/var/lib/dpkg/status");
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].name.as_str(), p[0].version.as_str(), p[0].size_bytes), ("a", "1:2.0-1", Some(10240)));
    }

    #[test]
    fn hostile_input_reads_without_panic() {
        let mut junk = b"Package: \xff\xfe\nStatus: install ok installed\nInstalled-Size: 99999999999999999999999\n".to_vec();
        junk.extend(std::iter::repeat(b'x').take(1 << 20));
        junk.extend_from_slice(b"\nPackage: cut");
        let p = parse(&shrink(&junk), "s");
        assert!(p.iter().all(|p| p.size_bytes.is_none()));
        let _ = parse(b":\n:\n \n\0\0", "s");
    }
}
