//! SBOMs of a real built image: both formats validate against the official CycloneDX 1.5 and
//! SPDX 2.3 JSON schemas (vendored under tests/sbom-schemas, their `$ref`s resolved
//! locally), and every package `dpkg-query -W` and `pip list` report inside the image
//! (scripts/make-test-images.sh package-lists, cached) is a component with the right purl.
mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use dockstage_image::sbom::{sbom_json, SbomFormat, SbomOptions};
use dockstage_image::{analyze_source, AnalyzeOptions, ReadOptions};
use serde_json::Value;

fn package_lists(name: &str) -> PathBuf {
    common::real_archives();
    let out = Command::new("bash")
        .arg(common::workspace().join("scripts/make-test-images.sh"))
        .args(["package-lists", name])
        .output()
        .unwrap();
    assert!(out.status.success(), "package-lists: {}", String::from_utf8_lossy(&out.stderr));
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

fn schema(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sbom-schemas").join(name);
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn validator(name: &str, refs: &[(&str, &str)]) -> jsonschema::Validator {
    let mut opts = jsonschema::options();
    for (uri, file) in refs {
        opts = opts.with_resource(*uri, jsonschema::Resource::from_contents(schema(file)).unwrap());
    }
    opts.build(&schema(name)).expect("schema compiles")
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = v.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path)).take(10).collect();
    assert!(errors.is_empty(), "{what} does not match its schema:\n{}", errors.join("\n"));
}

fn cyclonedx_validator() -> jsonschema::Validator {
    validator(
        "bom-1.5.schema.json",
        &[
            ("http://cyclonedx.org/schema/spdx.schema.json", "spdx.schema.json"),
            ("http://cyclonedx.org/schema/jsf-0.82.schema.json", "jsf-0.82.schema.json"),
        ],
    )
}

fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_~:".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn sboms_of_a_real_image_validate_and_list_what_dpkg_and_pip_report() {
    let dir = package_lists("wasteful");
    let (a, _) = analyze_source(
        dir.join("wasteful.docker.tar").to_str().unwrap(),
        &ReadOptions::default(),
        &AnalyzeOptions::default(),
    )
    .unwrap();
    let opts = SbomOptions { created_unix: 1_700_000_000 };
    let cdx: Value = serde_json::from_str(&sbom_json(&a, SbomFormat::CycloneDxJson, &opts)).unwrap();
    let spdx: Value = serde_json::from_str(&sbom_json(&a, SbomFormat::SpdxJson, &opts)).unwrap();
    assert_valid(&cyclonedx_validator(), &cdx, "CycloneDX");
    assert_valid(&validator("spdx-2.3.schema.json", &[]), &spdx, "SPDX");
    assert_eq!(spdx["creationInfo"]["created"], "2023-11-14T22:13:20Z");

    let cdx_purls: BTreeSet<String> =
        cdx["components"].as_array().unwrap().iter().map(|c| c["purl"].as_str().unwrap().to_string()).collect();
    let spdx_purls: BTreeSet<String> = spdx["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["externalRefs"].get(0))
        .map(|r| r["referenceLocator"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(cdx_purls, spdx_purls, "both formats list the same packages");

    // The image is Debian bookworm: /etc/os-release says debian 12.
    let dpkg = std::fs::read_to_string(dir.join("wasteful.dpkg.txt")).unwrap();
    let mut deb = 0;
    for l in dpkg.lines().filter(|l| l.starts_with("ii")) {
        let f: Vec<&str> = l.split('\t').collect();
        let want = format!("pkg:deb/debian/{}@{}?arch={}&distro=debian-12", pct(f[1]), pct(f[2]), f[3]);
        assert!(cdx_purls.contains(&want), "missing {want}");
        deb += 1;
    }
    assert!(deb > 50, "dpkg-query listed {deb}");
    assert_eq!(cdx_purls.iter().filter(|p| p.starts_with("pkg:deb/")).count(), deb);
    assert!(cdx_purls.iter().any(|p| p.starts_with("pkg:deb/debian/libstdc%2B%2B6@")), "a name with + is percent-encoded");

    let pip: Value = serde_json::from_slice(&std::fs::read(dir.join("wasteful.pip.json")).unwrap()).unwrap();
    let pip = pip.as_array().unwrap();
    for p in pip {
        let name = p["name"].as_str().unwrap().to_lowercase().replace('_', "-");
        let want = format!("pkg:pypi/{}@{}", pct(&name), pct(p["version"].as_str().unwrap()));
        assert!(cdx_purls.contains(&want), "missing {want}");
    }
    assert!(cdx_purls.contains("pkg:pypi/six@1.16.0"));
    assert_eq!(cdx_purls.iter().filter(|p| p.starts_with("pkg:pypi/")).count(), pip.len());

    // The image is the described root.
    assert_eq!(cdx["metadata"]["component"]["type"], "container");
    assert_eq!(cdx["dependencies"][0]["dependsOn"].as_array().unwrap().len(), cdx_purls.len());
    let describes = spdx["relationships"].as_array().unwrap().iter().find(|r| r["relationshipType"] == "DESCRIBES").unwrap();
    assert_eq!(describes["relatedSpdxElement"], "SPDXRef-Image");

    // Deterministic: the same image gives the same bytes, read through another format.
    let (b, _) = analyze_source(
        dir.join("wasteful.oci.tar").to_str().unwrap(),
        &ReadOptions::default(),
        &AnalyzeOptions::default(),
    )
    .unwrap();
    let again: Value = serde_json::from_str(&sbom_json(&b, SbomFormat::CycloneDxJson, &opts)).unwrap();
    assert_eq!(again["components"], cdx["components"]);
    assert_eq!(sbom_json(&a, SbomFormat::SpdxJson, &opts), sbom_json(&a, SbomFormat::SpdxJson, &opts));
}

#[test]
fn the_validators_reject_a_broken_document() {
    // Guards the test above against a schema that accepts anything.
    let bad = serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"name": "x"}]});
    assert!(!cyclonedx_validator().is_valid(&bad));
    let bad = serde_json::json!({"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": "bad id"}]});
    assert!(!validator("spdx-2.3.schema.json", &[]).is_valid(&bad));
}

#[test]
fn go_modules_and_notes_validate_in_both_formats() {
    // A Go binary and an rpm database (noted, not read) in a synthetic image.
    let tmp = tempfile::tempdir().unwrap();
    let modules = "path\texample.com/tool\nmod\texample.com/tool\t(devel)\t\ndep\tgithub.com/BurntSushi/toml\tv1.3.2\th1:y=\n";
    let archive = tmp.path().join("img.tar");
    common::docker_archive(
        &archive,
        &[common::layer(vec![
            common::E::Exec("usr/bin/tool".into(), common::go_elf("go1.22.1", modules, 2)),
            common::E::Exec("usr/lib/sysimage/rpm/rpmdb.sqlite".into(), b"SQLite format 3\0".to_vec()),
        ])],
    );
    let (a, _) =
        analyze_source(archive.to_str().unwrap(), &ReadOptions::default(), &AnalyzeOptions::default()).unwrap();
    let opts = SbomOptions { created_unix: 0 };
    let cdx: Value = serde_json::from_str(&sbom_json(&a, SbomFormat::CycloneDxJson, &opts)).unwrap();
    let spdx: Value = serde_json::from_str(&sbom_json(&a, SbomFormat::SpdxJson, &opts)).unwrap();
    assert_valid(&cyclonedx_validator(), &cdx, "CycloneDX");
    assert_valid(&validator("spdx-2.3.schema.json", &[]), &spdx, "SPDX");
    let purls: BTreeSet<&str> = cdx["components"].as_array().unwrap().iter().map(|c| c["purl"].as_str().unwrap()).collect();
    assert_eq!(
        purls,
        BTreeSet::from(["pkg:golang/example.com/tool", "pkg:golang/github.com/BurntSushi/toml@v1.3.2", "pkg:golang/stdlib@go1.22.1"])
    );
    let note = "rpm database found at /usr/lib/sysimage/rpm/rpmdb.sqlite: not read (unsupported)";
    assert_eq!(cdx["metadata"]["properties"][0]["value"], note);
    assert_eq!(spdx["comment"], note);
}
