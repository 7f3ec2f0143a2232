//! Installed packages, read from the package databases of an image's final file system:
//! dpkg (`var/lib/dpkg/status`, distroless `var/lib/dpkg/status.d/*`), apk
//! (`lib/apk/db/installed`), Python distributions (`*.dist-info/METADATA` with `RECORD`,
//! `*.egg-info`), Node packages (`node_modules/**/package.json`) and the build info of Go
//! executables (Go 1.18 and later; see [`go`]).
//!
//! Not read: rpm databases (a SQLite, Berkeley DB or ndb file; reading one needs a database
//! engine): one found is reported in [`Packages::notes`] (see [`rpm`]), as is a Go binary
//! built before Go 1.18.
//!
//! The files are captured while layers stream by ([`PackageFiles`], a [`Capture`]), shrunk to
//! the fields used, and parsed once the final file system is known; executables are scanned
//! as they pass, keeping only a Go build info blob. Hostile databases (cut short, huge
//! fields, not UTF-8) give fewer packages, never a panic.
pub mod apk;
pub mod dpkg;
pub mod go;
pub mod node;
pub mod python;
pub mod rpm;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::layer::{Capture, CapturedFile, Scanner};
use crate::tree::Tree;

/// Where a package comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    Deb,
    Apk,
    Python,
    Npm,
    Go,
}

impl Ecosystem {
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Deb => "deb",
            Ecosystem::Apk => "apk",
            Ecosystem::Python => "python",
            Ecosystem::Npm => "npm",
            Ecosystem::Go => "go",
        }
    }
}

/// One installed package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Package {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: String,
    pub arch: Option<String>,
    /// Installed bytes, when the database says (dpkg `Installed-Size`, apk `I:`, the sum of a
    /// Python distribution's RECORD).
    pub size_bytes: Option<u64>,
    pub license: Option<String>,
    /// The database file it was read from (for Go, the executable), absolute in the image.
    pub location: String,
}

/// The packages of one image.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Packages {
    /// Packages per ecosystem.
    pub counts: BTreeMap<Ecosystem, usize>,
    /// The biggest packages by installed size, largest first.
    pub biggest: Vec<Package>,
    /// All packages, by ecosystem then name.
    pub all: Vec<Package>,
    /// The distribution from `/etc/os-release` (`ID` and `VERSION_ID`), for package URLs.
    pub distro: Option<(String, String)>,
    /// What was found but not read (an rpm database, an old Go binary), sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

const MAX_DB_BYTES: u64 = 64 << 20;
const MAX_SMALL_BYTES: u64 = 4 << 20;

/// What package files look like, by path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Dpkg,
    Apk,
    PyMetadata,
    PyRecord,
    EggInfo,
    NodeManifest,
    OsRelease,
    Rpm,
}

fn kind_of(parts: &[&str]) -> Option<Kind> {
    let n = parts.len();
    let last = *parts.last()?;
    match parts {
        ["var", "lib", "dpkg", "status"] => return Some(Kind::Dpkg),
        ["var", "lib", "dpkg", "status.d", _] => return Some(Kind::Dpkg),
        ["lib", "apk", "db", "installed"] => return Some(Kind::Apk),
        ["etc", "os-release"] | ["usr", "lib", "os-release"] => return Some(Kind::OsRelease),
        _ => {}
    }
    if rpm::is_database(parts) {
        return Some(Kind::Rpm);
    }
    let parent = if n >= 2 { parts[n - 2] } else { "" };
    if parent.ends_with(".dist-info") {
        return match last {
            "METADATA" => Some(Kind::PyMetadata),
            "RECORD" => Some(Kind::PyRecord),
            _ => None,
        };
    }
    if parent.ends_with(".egg-info") && last == "PKG-INFO" {
        return Some(Kind::EggInfo);
    }
    if last.ends_with(".egg-info") && n >= 2 {
        return Some(Kind::EggInfo);
    }
    if last == "package.json" && n >= 3 {
        let unscoped = parts[n - 3] == "node_modules";
        let scoped = n >= 4 && parts[n - 4] == "node_modules" && parts[n - 3].starts_with('@');
        if unscoped || scoped {
            return Some(Kind::NodeManifest);
        }
    }
    None
}

/// The [`Capture`] for package databases.
pub struct PackageFiles;

/// The one instance the analysis uses.
pub static PACKAGE_FILES: PackageFiles = PackageFiles;

impl Capture for PackageFiles {
    fn wants(&self, parts: &[&str]) -> Option<u64> {
        kind_of(parts).and_then(|k| match k {
            Kind::Dpkg | Kind::Apk => Some(MAX_DB_BYTES),
            // Only its presence is reported; see `scan`.
            Kind::Rpm => None,
            _ => Some(MAX_SMALL_BYTES),
        })
    }
    fn keep(&self, parts: &[&str], data: Vec<u8>) -> Vec<u8> {
        match kind_of(parts) {
            Some(Kind::Dpkg) => dpkg::shrink(&data),
            Some(Kind::Apk) => apk::shrink(&data),
            Some(Kind::PyMetadata) | Some(Kind::EggInfo) => python::header_block(&data).to_vec(),
            Some(Kind::PyRecord) => python::record_size(&data).to_string().into_bytes(),
            Some(Kind::NodeManifest) => node::shrink(&data),
            _ => data,
        }
    }
    fn scan(&self, parts: &[&str], mode: u32, size: u64) -> Option<Box<dyn Scanner>> {
        match kind_of(parts) {
            Some(Kind::Rpm) => Some(Box::new(Found)),
            None if go::is_candidate(parts.last().copied().unwrap_or(""), mode, size) => Some(Box::new(go::BuildInfoScanner::new())),
            _ => None,
        }
    }
}

/// Keeps an empty record of a file without reading a byte of it.
struct Found;

impl Scanner for Found {
    fn wants_more(&self) -> bool {
        false
    }
    fn feed(&mut self, _bytes: &[u8]) {}
    fn finish(self: Box<Self>) -> Option<Vec<u8>> {
        Some(Vec::new())
    }
}

/// Adds one layer's captured files to those of the layers below: a file this layer writes
/// replaces the one below whether or not it was captured again (a Go binary overwritten by a
/// script, a database grown past its cap), so nothing stale is read.
pub fn stack_captured(held: &mut HashMap<Box<str>, Vec<u8>>, layer_tree: &Tree, captured: Vec<CapturedFile>) {
    if !held.is_empty() {
        held.retain(|path, _| layer_tree.get(path.split('/')).is_none());
    }
    for f in captured {
        held.insert(f.path, f.data);
    }
}

/// Reads the packages from the captured files of the final file system (paths relative to
/// the root, without a leading `/`).
pub fn read_packages(files: &[CapturedFile], top: usize) -> Packages {
    let mut all = Vec::new();
    let mut records: BTreeMap<&str, u64> = BTreeMap::new();
    let mut distro = None;
    let mut notes = Vec::new();
    for f in files {
        let parts: Vec<&str> = f.path.split('/').collect();
        if kind_of(&parts) == Some(Kind::PyRecord) {
            let dir = f.path.rsplit_once('/').map_or("", |(d, _)| d);
            if let Some(n) = std::str::from_utf8(&f.data).ok().and_then(|s| s.parse().ok()) {
                records.insert(dir, n);
            }
        }
    }
    for f in files {
        let parts: Vec<&str> = f.path.split('/').collect();
        let location = format!("/{}", f.path);
        match kind_of(&parts) {
            Some(Kind::Dpkg) => all.extend(dpkg::parse(&f.data, &location)),
            Some(Kind::Apk) => all.extend(apk::parse(&f.data, &location)),
            Some(Kind::PyMetadata) | Some(Kind::EggInfo) => {
                let dir = f.path.rsplit_once('/').map_or("", |(d, _)| d);
                let size = (kind_of(&parts) == Some(Kind::PyMetadata))
                    .then(|| records.get(dir).copied())
                    .flatten();
                all.extend(python::parse(&f.data, &location, size));
            }
            Some(Kind::NodeManifest) => all.extend(node::parse(&f.data, &location)),
            Some(Kind::Rpm) => notes.push(rpm::note(&location)),
            None if f.data.starts_with(go::MAGIC) => match go::parse(&f.data, &location) {
                Ok(found) => all.extend(found),
                Err(note) => notes.push(note),
            },
            Some(Kind::OsRelease) => {
                // /etc/os-release wins over /usr/lib/os-release.
                if distro.is_none() || f.path.starts_with("etc/") {
                    distro = os_release(&f.data).or(distro);
                }
            }
            _ => {}
        }
    }
    all.sort_by(|a, b| {
        (a.ecosystem, &a.name, &a.version, &a.location).cmp(&(b.ecosystem, &b.name, &b.version, &b.location))
    });
    let mut counts = BTreeMap::new();
    for p in &all {
        *counts.entry(p.ecosystem).or_insert(0) += 1;
    }
    let mut biggest: Vec<Package> = all.iter().filter(|p| p.size_bytes.is_some()).cloned().collect();
    biggest.sort_by(|a, b| b.size_bytes.cmp(&a.size_bytes).then_with(|| a.name.cmp(&b.name)));
    biggest.truncate(top);
    notes.sort();
    notes.dedup();
    Packages {
        counts,
        biggest,
        all,
        distro,
        notes,
    }
}

fn os_release(data: &[u8]) -> Option<(String, String)> {
    let text = String::from_utf8_lossy(data);
    let mut id = None;
    let mut version = String::new();
    for line in text.lines() {
        let Some((k, v)) = line.split_once('=') else { continue };
        let v = v.trim().trim_matches('"').to_string();
        match k.trim() {
            "ID" => id = Some(v),
            "VERSION_ID" => version = v,
            _ => {}
        }
    }
    id.map(|i| (i, version))
}

/// Splits deb822-style text (dpkg status, PKG-INFO headers) into stanzas of (field, value);
/// continuation lines join their field's value with newlines. Never fails: bytes that are not
/// UTF-8 are replaced.
pub(crate) fn stanzas(data: &[u8]) -> Vec<Vec<(String, String)>> {
    let text = String::from_utf8_lossy(data);
    let mut out = Vec::new();
    let mut cur: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some((_, v)) = cur.last_mut() {
                v.push('\n');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            cur.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

pub(crate) fn field<'a>(stanza: &'a [(String, String)], name: &str) -> Option<&'a str> {
    stanza
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_hold_packages() {
        assert_eq!(kind_of(&["var", "lib", "dpkg", "status"]), Some(Kind::Dpkg));
        assert_eq!(kind_of(&["var", "lib", "dpkg", "status-old"]), None);
        assert_eq!(
            kind_of(&["usr", "lib", "python3", "dist-packages", "six-1.16.0.dist-info", "METADATA"]),
            Some(Kind::PyMetadata)
        );
        assert_eq!(kind_of(&["app", "node_modules", "@types", "node", "package.json"]), Some(Kind::NodeManifest));
        assert_eq!(kind_of(&["app", "node_modules", "left-pad", "package.json"]), Some(Kind::NodeManifest));
        assert_eq!(kind_of(&["app", "node_modules", "left-pad", "lib", "package.json"]), None);
        assert_eq!(kind_of(&["app", "package.json"]), None);
    }

    /// Reads files through the capture (shrink) then the readers, as a streamed image does.
    fn read(files: &[(&str, Vec<u8>)]) -> Packages {
        let captured: Vec<CapturedFile> = files
            .iter()
            .map(|(path, data)| {
                let parts: Vec<&str> = path.split('/').collect();
                assert!(PACKAGE_FILES.wants(&parts).is_some(), "{path}");
                CapturedFile { path: (*path).into(), data: PACKAGE_FILES.keep(&parts, data.clone()) }
            })
            .collect();
        read_packages(&captured, 10)
    }

    #[test]
    fn hostile_databases_read_without_panic() {
        let status = b"Package: a\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\n\nPackage: b\nStatus: install ok installed\nVersion: 2.0\n".to_vec();
        // Cut short at every byte: never a panic, and a complete first stanza is still read.
        for cut in 0..status.len() {
            let p = read(&[("var/lib/dpkg/status", status[..cut].to_vec())]);
            if cut > status.iter().position(|b| *b == b'\n').unwrap() + 30 {
                assert!(p.all.iter().any(|p| p.name == "a"), "cut at {cut}");
            }
        }
        let huge = "9".repeat(8 << 20);
        let mut big = format!("Package: big\nStatus: install ok installed\nVersion: {huge}\nInstalled-Size: {huge}\n").into_bytes();
        big.extend_from_slice(b"Description: \xff\xfe\x00\n \xc3\x28\n");
        let p = read(&[
            ("var/lib/dpkg/status", big),
            ("lib/apk/db/installed", b"P:musl\nV:1.2\nI:99999999999999999999999\nA:\xff\nP".to_vec()),
            // METADATA without Name, egg-info without Name: no package rather than a nameless one.
            ("usr/lib/python3/dist-packages/x-1.dist-info/METADATA", b"Metadata-Version: 2.1\nVersion: 1\n".to_vec()),
            ("usr/lib/python3/dist-packages/x-1.dist-info/RECORD", b"a,,18446744073709551615\nb,,5\n\xff,,".to_vec()),
            ("usr/lib/python3/dist-packages/y.egg-info", b"Version: 2\n".to_vec()),
            ("usr/lib/python3/dist-packages/z-1.dist-info/METADATA", b"Name: \xff\xfez\nVersion: \xc3\n".to_vec()),
            ("app/node_modules/n/package.json", b"{\"name\": 5, \"version\": [1]}".to_vec()),
            ("app/node_modules/m/package.json", b"{\"name\": \"m\", \"vers".to_vec()),
            ("etc/os-release", b"\xffID\n=\nID=\"\nVERSION_ID".to_vec()),
        ]);
        let big = p.all.iter().find(|p| p.name == "big").expect("a huge field keeps its package");
        assert_eq!(big.version.len(), 8 << 20);
        assert_eq!(big.size_bytes, None, "an overflowing size is no size");
        assert!(p.all.iter().any(|p| p.name == "musl" && p.size_bytes.is_none()));
        let python: Vec<&str> = p.all.iter().filter(|p| p.ecosystem == Ecosystem::Python).map(|p| p.name.as_str()).collect();
        assert_eq!(python, ["\u{fffd}\u{fffd}z"], "only the distribution with a Name");
        assert!(!p.all.iter().any(|p| p.ecosystem == Ecosystem::Npm), "no valid package.json");
        // Every package still gets a well-formed purl.
        for pkg in &p.all {
            let purl = crate::sbom::purl(pkg, p.distro.as_ref());
            assert!(purl.starts_with("pkg:") && purl.is_ascii() && !purl.contains(' '), "{purl}");
        }
    }
}
