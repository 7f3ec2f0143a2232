//! The package readers against the images' own tools: for a real built image, the dpkg list
//! equals `dpkg-query -W` and the Python list equals `pip list --format json`, both run inside
//! the same image with `buildah run` (scripts/make-test-images.sh package-lists, cached).
mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use dockstage_image::packages::{python::normalize, Ecosystem};
use dockstage_image::{analyze_source, AnalyzeOptions, ReadOptions};

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

#[test]
fn dpkg_and_pip_lists_match_the_tools_inside_the_image() {
    let dir = package_lists("wasteful");
    for archive in ["wasteful.docker.tar", "wasteful.oci.tar"] {
        let (a, _) = analyze_source(
            dir.join(archive).to_str().unwrap(),
            &ReadOptions::default(),
            &AnalyzeOptions::default(),
        )
        .unwrap();
        let ours: BTreeSet<(String, String, String)> = a
            .packages
            .all
            .iter()
            .filter(|p| p.ecosystem == Ecosystem::Deb)
            .map(|p| (p.name.clone(), p.version.clone(), p.arch.clone().unwrap_or_default()))
            .collect();
        let text = std::fs::read_to_string(dir.join("wasteful.dpkg.txt")).unwrap();
        let theirs: BTreeSet<(String, String, String)> = text
            .lines()
            .filter(|l| l.starts_with("ii"))
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f[1].to_string(), f[2].to_string(), f[3].to_string())
            })
            .collect();
        assert!(theirs.len() > 50, "dpkg-query listed {}", theirs.len());
        assert_eq!(ours, theirs, "{archive}: dpkg packages differ from dpkg-query -W");

        let pip: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("wasteful.pip.json")).unwrap()).unwrap();
        let theirs: BTreeSet<(String, String)> = pip
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (normalize(p["name"].as_str().unwrap()), p["version"].as_str().unwrap().to_string()))
            .collect();
        let ours: BTreeSet<(String, String)> = a
            .packages
            .all
            .iter()
            .filter(|p| p.ecosystem == Ecosystem::Python)
            .map(|p| (normalize(&p.name), p.version.clone()))
            .collect();
        assert!(theirs.contains(&("six".to_string(), "1.16.0".to_string())));
        assert_eq!(ours, theirs, "{archive}: Python packages differ from pip list");
        // Sizes come from the databases: dpkg's Installed-Size, a distribution's RECORD.
        let six = a.packages.all.iter().find(|p| p.name == "six").unwrap();
        assert!(six.size_bytes.unwrap() > 10_000);
    }
}
