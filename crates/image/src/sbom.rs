//! Software bills of materials for an image: CycloneDX 1.5 JSON and SPDX 2.3 JSON, built from
//! the packages an [`Analysis`] read from the final file system, each with a package URL
//! (purl).
//!
//! The output is deterministic: components are identified and sorted by their purl, and the
//! only clock reading is SPDX's required `creationInfo.created`, which `SOURCE_DATE_EPOCH`
//! overrides (see [`SbomOptions::from_env`]). CycloneDX has no required timestamp, so none is
//! written.
use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::analysis::Analysis;
use crate::packages::{Ecosystem, Package};

/// The SBOM formats written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SbomFormat {
    CycloneDxJson,
    SpdxJson,
}

/// What is not read from the image.
#[derive(Clone, Debug)]
pub struct SbomOptions {
    /// Seconds since the Unix epoch for SPDX's `created`.
    pub created_unix: u64,
}

impl SbomOptions {
    /// `SOURCE_DATE_EPOCH` when set to a number, otherwise the current time.
    pub fn from_env() -> SbomOptions {
        let created_unix = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
            });
        SbomOptions { created_unix }
    }
}

/// The SBOM of an analysed image, as pretty-printed JSON ending in a newline.
pub fn sbom_json(analysis: &Analysis, format: SbomFormat, opts: &SbomOptions) -> String {
    let doc = match format {
        SbomFormat::CycloneDxJson => cyclonedx(analysis),
        SbomFormat::SpdxJson => spdx(analysis, opts),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("JSON values serialize");
    s.push('\n');
    s
}

/// One SBOM component: the packages with the same purl, found in one or more databases.
struct Component<'a> {
    purl: String,
    package: &'a Package,
    locations: Vec<&'a str>,
}

/// The components, sorted by purl.
fn components(analysis: &Analysis) -> Vec<Component<'_>> {
    let distro = analysis.packages.distro.as_ref();
    let mut by_purl: BTreeMap<String, Component<'_>> = BTreeMap::new();
    for p in &analysis.packages.all {
        let purl = purl(p, distro);
        by_purl
            .entry(purl.clone())
            .or_insert_with(|| Component { purl, package: p, locations: Vec::new() })
            .locations
            .push(&p.location);
    }
    let mut out: Vec<Component<'_>> = by_purl.into_values().collect();
    for c in &mut out {
        c.locations.sort_unstable();
        c.locations.dedup();
    }
    out
}

/// The package URL of a package (github.com/package-url/purl-spec): `pkg:deb/debian/NAME@VER?arch=A&distro=debian-12`,
/// `pkg:apk/alpine/NAME@VER?arch=A`, `pkg:pypi/NAME@VER` (name lower case, `_` as `-`),
/// `pkg:npm/%40SCOPE/NAME@VER`, `pkg:golang/MODULE/PATH@VER`. `distro` is `/etc/os-release`'s
/// ID and VERSION_ID.
///
/// Go module paths keep their case although the golang type's text asks for lower case: Go
/// treats `github.com/BurntSushi/toml` and a lower-cased path as different modules, and Go's
/// vulnerability database keys on the path as written. A module built from a directory has
/// the version `(devel)`, which is no version, so its purl has none.
pub fn purl(p: &Package, distro: Option<&(String, String)>) -> String {
    let mut qualifiers: Vec<(&str, String)> = Vec::new();
    let (ty, namespace, name) = match p.ecosystem {
        Ecosystem::Deb | Ecosystem::Apk => {
            let default = if p.ecosystem == Ecosystem::Deb { "debian" } else { "alpine" };
            let vendor = distro.map_or(default, |(id, _)| id.as_str());
            let vendor = if vendor.is_empty() { default } else { vendor };
            if let Some(arch) = p.arch.as_deref().filter(|a| !a.is_empty()) {
                qualifiers.push(("arch", arch.to_string()));
            }
            if let Some((id, version)) = distro.filter(|(id, v)| !id.is_empty() && !v.is_empty()) {
                qualifiers.push(("distro", format!("{id}-{version}")));
            }
            let ty = if p.ecosystem == Ecosystem::Deb { "deb" } else { "apk" };
            (ty, Some(vendor.to_ascii_lowercase()), p.name.to_ascii_lowercase())
        }
        Ecosystem::Python => ("pypi", None, p.name.to_lowercase().replace('_', "-")),
        Ecosystem::Npm => match p.name.split_once('/').filter(|(s, _)| s.starts_with('@')) {
            Some((scope, name)) => ("npm", Some(scope.to_string()), name.to_string()),
            None => ("npm", None, p.name.clone()),
        },
        Ecosystem::Go => match p.name.trim_end_matches('/').rsplit_once('/') {
            Some((ns, name)) => ("golang", Some(ns.to_string()), name.to_string()),
            None => ("golang", None, p.name.clone()),
        },
    };
    let version = if p.ecosystem == Ecosystem::Go && p.version == "(devel)" { "" } else { p.version.as_str() };
    let mut s = format!("pkg:{ty}/");
    if let Some(ns) = namespace {
        for segment in ns.split('/').filter(|s| !s.is_empty()) {
            percent_encode(&mut s, segment);
            s.push('/');
        }
    }
    percent_encode(&mut s, &name);
    if !version.is_empty() {
        s.push('@');
        percent_encode(&mut s, version);
    }
    qualifiers.sort();
    for (i, (k, v)) in qualifiers.iter().enumerate() {
        s.push(if i == 0 { '?' } else { '&' });
        s.push_str(k);
        s.push('=');
        percent_encode(&mut s, v);
    }
    s
}

/// The purl spec's encoding: everything but ASCII letters, digits, `.-_~` and `:` is
/// percent-encoded as UTF-8 bytes.
fn percent_encode(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~' | b':') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// The image's name and version: its first tag, else the name it was read by.
fn image_identity(analysis: &Analysis) -> (String, Option<String>) {
    split_tag(analysis.repo_tags.first().unwrap_or(&analysis.image))
}

fn split_tag(full: &str) -> (String, Option<String>) {
    // A tag follows the last ':' after the last '/' (a registry port is not a tag).
    let slash = full.rfind('/').map_or(0, |i| i + 1);
    match full[slash..].rfind(':') {
        Some(i) if !full.contains("://") => {
            let at = slash + i;
            (full[..at].to_string(), Some(full[at + 1..].to_string()))
        }
        _ => (full.to_string(), None),
    }
}

const TOOL: &str = "dockstage";
const VERSION: &str = env!("CARGO_PKG_VERSION");

fn cyclonedx(analysis: &Analysis) -> Value {
    let comps = components(analysis);
    let (name, version) = image_identity(analysis);
    let mut root = json!({"type": "container", "bom-ref": "image", "name": name});
    if let Some(v) = version {
        root["version"] = json!(v);
    }
    let list: Vec<Value> = comps
        .iter()
        .map(|c| {
            let p = c.package;
            let mut v = json!({
                "type": "library",
                "bom-ref": c.purl,
                "name": p.name,
                "purl": c.purl,
            });
            if !p.version.is_empty() {
                v["version"] = json!(p.version);
            }
            if let Some(l) = &p.license {
                v["licenses"] = json!([{"license": {"name": l}}]);
            }
            let mut props = vec![json!({"name": "dockstage:package:ecosystem", "value": p.ecosystem.as_str()})];
            props.extend(c.locations.iter().map(|l| json!({"name": "dockstage:package:location", "value": l})));
            if let Some(size) = p.size_bytes {
                props.push(json!({"name": "dockstage:package:installed-size", "value": size.to_string()}));
            }
            v["properties"] = Value::Array(props);
            v
        })
        .collect();
    let refs: Vec<&str> = comps.iter().map(|c| c.purl.as_str()).collect();
    let mut metadata = json!({
        "tools": {"components": [{"type": "application", "name": TOOL, "version": VERSION}]},
        "component": root,
    });
    if !analysis.packages.notes.is_empty() {
        let notes: Vec<Value> =
            analysis.packages.notes.iter().map(|n| json!({"name": "dockstage:note", "value": n})).collect();
        metadata["properties"] = Value::Array(notes);
    }
    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "metadata": metadata,
        "components": list,
        "dependencies": [{"ref": "image", "dependsOn": refs}],
    })
}

/// An SPDX identifier: `SPDXRef-` then letters, digits, `.` and `-` only.
fn spdx_id(prefix: &str, name: &str, index: usize) -> String {
    let clean: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '-' }).collect();
    format!("SPDXRef-{prefix}-{clean}-{index}")
}

fn spdx(analysis: &Analysis, opts: &SbomOptions) -> Value {
    let comps = components(analysis);
    let (name, version) = image_identity(analysis);
    // The namespace must be unique per document: a digest of what the document says.
    let mut h = Sha256::new();
    h.update(analysis.image.as_bytes());
    for c in &comps {
        h.update(c.purl.as_bytes());
        h.update(b"\n");
    }
    let digest: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let mut root = json!({
        "SPDXID": "SPDXRef-Image",
        "name": name,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": false,
        "primaryPackagePurpose": "CONTAINER",
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": "NOASSERTION",
        "copyrightText": "NOASSERTION",
    });
    if let Some(v) = version {
        root["versionInfo"] = json!(v);
    }
    let mut packages = vec![root];
    let mut relationships = vec![json!({
        "spdxElementId": "SPDXRef-DOCUMENT",
        "relationshipType": "DESCRIBES",
        "relatedSpdxElement": "SPDXRef-Image",
    })];
    for (i, c) in comps.iter().enumerate() {
        let p = c.package;
        let id = spdx_id(p.ecosystem.as_str(), &p.name, i + 1);
        let mut v = json!({
            "SPDXID": id,
            "name": p.name,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": false,
            "primaryPackagePurpose": "LIBRARY",
            // Databases' license fields are free text, not SPDX expressions.
            "licenseConcluded": "NOASSERTION",
            "licenseDeclared": "NOASSERTION",
            "copyrightText": "NOASSERTION",
            "sourceInfo": format!("read from {}", c.locations.join(", ")),
            "externalRefs": [{
                "referenceCategory": "PACKAGE-MANAGER",
                "referenceType": "purl",
                "referenceLocator": c.purl,
            }],
        });
        if !p.version.is_empty() {
            v["versionInfo"] = json!(p.version);
        }
        if let Some(l) = &p.license {
            v["licenseComments"] = json!(format!("declared: {l}"));
        }
        packages.push(v);
        relationships.push(json!({
            "spdxElementId": "SPDXRef-Image",
            "relationshipType": "CONTAINS",
            "relatedSpdxElement": id,
        }));
    }
    let mut doc = json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": analysis.repo_tags.first().unwrap_or(&analysis.image),
        "documentNamespace": format!("https://dockstage.invalid/spdx/{digest}"),
        "creationInfo": {
            "created": rfc3339(opts.created_unix),
            "creators": [format!("Tool: {TOOL}-{VERSION}")],
        },
        "packages": packages,
        "relationships": relationships,
    });
    if !analysis.packages.notes.is_empty() {
        doc["comment"] = json!(analysis.packages.notes.join("\n"));
    }
    doc
}

/// `YYYY-MM-DDThh:mm:ssZ` for seconds since the epoch (proleptic Gregorian, UTC).
fn rfc3339(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // Civil date from a day count, counting in 400-year eras that start on 1 March.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(ecosystem: Ecosystem, name: &str, version: &str, arch: Option<&str>) -> Package {
        Package {
            ecosystem,
            name: name.into(),
            version: version.into(),
            arch: arch.map(Into::into),
            size_bytes: None,
            license: None,
            location: "/x".into(),
        }
    }

    #[test]
    fn purls_follow_each_type_s_rules() {
        let deb = ("debian".to_string(), "12".to_string());
        assert_eq!(
            purl(&pkg(Ecosystem::Deb, "libc6", "2.36-9+deb12u4", Some("amd64")), Some(&deb)),
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12"
        );
        assert_eq!(
            purl(&pkg(Ecosystem::Deb, "perl-base", "1:5.36.0-7", Some("amd64")), None),
            "pkg:deb/debian/perl-base@1:5.36.0-7?arch=amd64"
        );
        let alpine = ("alpine".to_string(), "3.19.1".to_string());
        assert_eq!(
            purl(&pkg(Ecosystem::Apk, "musl", "1.2.4_git20230717-r4", Some("x86_64")), Some(&alpine)),
            "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1"
        );
        assert_eq!(purl(&pkg(Ecosystem::Python, "Typing_Extensions", "4.9.0", None), None), "pkg:pypi/typing-extensions@4.9.0");
        assert_eq!(purl(&pkg(Ecosystem::Npm, "@types/node", "20.1.0", None), None), "pkg:npm/%40types/node@20.1.0");
        assert_eq!(purl(&pkg(Ecosystem::Npm, "left-pad", "1.3.0", None), None), "pkg:npm/left-pad@1.3.0");
        assert_eq!(
            purl(&pkg(Ecosystem::Go, "github.com/BurntSushi/toml", "v1.3.2", None), None),
            "pkg:golang/github.com/BurntSushi/toml@v1.3.2"
        );
        assert_eq!(purl(&pkg(Ecosystem::Go, "stdlib", "go1.19.8", None), None), "pkg:golang/stdlib@go1.19.8");
        assert_eq!(purl(&pkg(Ecosystem::Go, "example.com/app", "(devel)", None), None), "pkg:golang/example.com/app");
        assert_eq!(
            purl(&pkg(Ecosystem::Go, "example.com/m/v2", "v2.0.0+incompatible", None), None),
            "pkg:golang/example.com/m/v2@v2.0.0%2Bincompatible"
        );
        assert_eq!(purl(&pkg(Ecosystem::Python, "odd name", "", None), None), "pkg:pypi/odd%20name");
        assert_eq!(
            purl(&pkg(Ecosystem::Deb, "libstdc++6", "12.2.0-14", Some("amd64")), None),
            "pkg:deb/debian/libstdc%2B%2B6@12.2.0-14?arch=amd64"
        );
    }

    #[test]
    fn dates_are_utc_civil_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn an_image_s_tag_is_its_version() {
        assert_eq!(split_tag("127.0.0.1:5000/app:1.2"), ("127.0.0.1:5000/app".into(), Some("1.2".into())));
        assert_eq!(split_tag("127.0.0.1:5000/app"), ("127.0.0.1:5000/app".into(), None));
        assert_eq!(split_tag("/tmp/app.tar"), ("/tmp/app.tar".into(), None));
    }
}
