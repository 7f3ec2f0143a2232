//! Go binaries' build info against the Go tool itself: for real built images, the Go modules
//! dockstage reads from the layer streams equal what `go version -m` reports for the same
//! image's directories, run inside it with `buildah run` (scripts/make-test-images.sh
//! go-lists, cached). `go-modules` (crates/image/tests/go-modules) has dependencies (a local
//! `replace` and a version from a file:// module proxy) linked four ways; `example-go-app`
//! is the stdlib-only example on the golang base with Go's own tools.
mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use common::{docker_archive, layer, E};
use dockstage_image::packages::Ecosystem;
use dockstage_image::sbom::{sbom_json, SbomFormat, SbomOptions};
use dockstage_image::{analyze_source, AnalyzeOptions, ReadOptions};

fn go_lists(name: &str) -> PathBuf {
    let out = Command::new("bash")
        .arg(common::workspace().join("scripts/make-test-images.sh"))
        .args(["go-lists", name])
        .output()
        .unwrap();
    assert!(out.status.success(), "go-lists {name}: {}", String::from_utf8_lossy(&out.stderr));
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

type Row = (String, String, String);

/// `go version -m` output as (binary, module, version) rows: `stdlib` at the Go version, the
/// `mod` and `dep` lines, a `=>` replacement by a directory as the module at `(devel)` and by
/// another module as that module's version.
fn go_version_rows(text: &str) -> BTreeSet<Row> {
    let mut rows = BTreeSet::new();
    let mut binary = String::new();
    let mut last: Option<(String, String)> = None;
    let flush = |binary: &str, last: &mut Option<(String, String)>, rows: &mut BTreeSet<Row>| {
        if let Some((m, v)) = last.take() {
            rows.insert((binary.to_string(), m, v));
        }
    };
    for line in text.lines() {
        if !line.starts_with('\t') {
            flush(&binary, &mut last, &mut rows);
            let (b, v) = line.rsplit_once(": ").expect("BINARY: goVERSION");
            binary = b.to_string();
            rows.insert((binary.clone(), "stdlib".into(), v.to_string()));
            continue;
        }
        let f: Vec<&str> = line.trim_start_matches('\t').split('\t').collect();
        match f[0] {
            "mod" | "dep" => {
                flush(&binary, &mut last, &mut rows);
                last = Some((f[1].to_string(), f[2].to_string()));
            }
            "=>" => {
                let (m, _) = last.take().expect("a replacement follows a module");
                let dir = f[1].starts_with('.') || f[1].starts_with('/');
                last = Some(if dir { (m, "(devel)".into()) } else { (f[1].to_string(), f[2].to_string()) });
            }
            _ => {}
        }
    }
    flush(&binary, &mut last, &mut rows);
    rows
}

/// Rows of `go version -m` for binaries that are files in the image: it follows symbolic
/// links (`/usr/bin/go` -> `../lib/go-1.19/bin/go`), dockstage lists a binary once, at its
/// own path.
fn without_symlinks(rows: BTreeSet<Row>, tree: &dockstage_image::analysis::FinalTree) -> BTreeSet<Row> {
    rows.into_iter()
        .filter(|(bin, _, _)| {
            let id = tree.tree.get(bin.trim_start_matches('/').split('/')).expect("a listed binary is in the image");
            !tree.tree.node(id).info.as_ref().is_some_and(|i| i.is_symlink())
        })
        .collect()
}

fn ours(archive: &std::path::Path) -> (dockstage_image::Analysis, BTreeSet<Row>) {
    let (a, _) = ours_with_tree(archive);
    let rows = go_rows(&a);
    (a, rows)
}

fn ours_with_tree(archive: &std::path::Path) -> (dockstage_image::Analysis, dockstage_image::analysis::FinalTree) {
    analyze_source(archive.to_str().unwrap(), &ReadOptions::default(), &AnalyzeOptions::default()).unwrap()
}

fn go_rows(a: &dockstage_image::Analysis) -> BTreeSet<Row> {
    a
        .packages
        .all
        .iter()
        .filter(|p| p.ecosystem == Ecosystem::Go)
        .map(|p| (p.location.clone(), p.name.clone(), p.version.clone()))
        .collect()
}

#[test]
fn go_modules_match_go_version_m_inside_the_image() {
    let dir = go_lists("go-modules");
    let (a, tree) = ours_with_tree(&dir.join("go-modules.docker.tar"));
    let rows = go_rows(&a);
    let listed = go_version_rows(&std::fs::read_to_string(dir.join("go-modules.go.txt")).unwrap());
    let theirs = without_symlinks(listed.clone(), &tree);
    assert!(listed.len() > theirs.len(), "the symbolic links /usr/bin/go and gofmt were listed");
    assert_eq!(rows, theirs, "Go modules differ from go version -m");
    // Every way of linking is read: the default, static and stripped, PIE, external linker.
    for bin in ["/usr/local/bin/greeter", "/opt/greeter-static", "/opt/greeter-pie", "/opt/greeter-external"] {
        for (m, v) in [("example.com/greeter", "(devel)"), ("example.com/greeting", "(devel)"), ("example.org/colors", "v1.2.3")] {
            assert!(rows.contains(&(bin.into(), m.into(), v.into())), "{bin}: {m} {v}");
        }
    }
    // Go's own tools are binaries too: `go` itself is listed with the Go version.
    assert!(rows.contains(&("/usr/lib/go-1.19/bin/go".into(), "stdlib".into(), "go1.19.8".into())));
    assert_eq!(a.packages.counts.get(&Ecosystem::Go), Some(&rows.len()));

    let cdx = sbom_json(&a, SbomFormat::CycloneDxJson, &SbomOptions { created_unix: 0 });
    assert!(cdx.contains("\"pkg:golang/example.org/colors@v1.2.3\""));
    assert!(cdx.contains("\"pkg:golang/example.com/greeter\""), "a (devel) module has no version");
    assert!(cdx.contains("\"pkg:golang/stdlib@go1.19.8\""));

    // diff names the modules only one image has.
    let (b, _) = ours(&go_lists("example-go-app").join("example-go-app.docker.tar"));
    let (a, ta) = analyze_source(
        dir.join("go-modules.docker.tar").to_str().unwrap(),
        &ReadOptions::default(),
        &AnalyzeOptions::default(),
    )
    .unwrap();
    let (b2, tb) = analyze_source(
        dir.join("example-go-app.docker.tar").to_str().unwrap(),
        &ReadOptions::default(),
        &AnalyzeOptions::default(),
    )
    .unwrap();
    assert_eq!(b.packages.all, b2.packages.all, "the same archive reads the same twice");
    let d = dockstage_image::diff::diff(&a, &ta, &b2, &tb, 10);
    let only_a: BTreeSet<&str> =
        d.packages.only_in_a.iter().filter(|p| p.ecosystem == Ecosystem::Go).map(|p| p.name.as_str()).collect();
    assert!(only_a.contains("example.org/colors") && only_a.contains("example.com/greeting"), "{only_a:?}");
    let only_b: BTreeSet<&str> =
        d.packages.only_in_b.iter().filter(|p| p.ecosystem == Ecosystem::Go).map(|p| p.name.as_str()).collect();
    assert!(only_b.contains("example.com/go-app"), "{only_b:?}");
    let text = dockstage_image::render::diff_text(&d);
    assert!(text.contains("example.org/colors (go)"), "{text}");
}

#[test]
fn the_stdlib_only_example_matches_go_version_m() {
    let dir = go_lists("example-go-app");
    let (a, tree) = ours_with_tree(&dir.join("example-go-app.docker.tar"));
    let rows = go_rows(&a);
    let theirs = without_symlinks(
        go_version_rows(&std::fs::read_to_string(dir.join("example-go-app.go.txt")).unwrap()),
        &tree,
    );
    assert_eq!(rows, theirs, "Go modules differ from go version -m");
    assert!(rows.contains(&("/usr/local/bin/app".into(), "example.com/go-app".into(), "(devel)".into())));
    let text = dockstage_image::render::inspect_text(&a, None);
    assert!(text.contains(&format!("go {}", rows.len())), "inspect counts Go packages:\n{text}");
}

#[test]
fn only_the_final_file_system_s_binaries_count_and_rpm_is_noted() {
    let tmp = tempfile::tempdir().unwrap();
    let modules = "path\texample.com/tool\nmod\texample.com/tool\tv1.0.0\th1:x=\ndep\tgithub.com/BurntSushi/toml\tv1.3.2\th1:y=\n";
    let go = common::go_elf("go1.22.1", modules, 2);
    let old = common::go_elf("go1.16", "", 0);
    let layers = vec![
        layer(vec![
            E::Exec("usr/bin/tool".into(), go.clone()),
            E::Exec("usr/bin/replaced".into(), go.clone()),
            E::Exec("usr/bin/deleted".into(), go.clone()),
            E::Exec("usr/bin/old".into(), old),
            // Not executable: not scanned (as `go version` skips it in a directory).
            common::f("usr/lib/data.bin", 100),
            // Shared libraries are not scanned, execute bit or not.
            E::Exec("usr/lib/python3/dist-packages/torch/lib/libtorch.so".into(), go.clone()),
            E::Exec("usr/lib/x86_64-linux-gnu/libz.so.1.2.13".into(), go.clone()),
            E::Exec("var/lib/rpm/rpmdb.sqlite".into(), b"SQLite format 3\0".to_vec()),
        ]),
        layer(vec![
            E::Exec("usr/bin/replaced".into(), b"#!/bin/sh\necho not go any more\n".to_vec()),
            common::wh("usr/bin/deleted"),
        ]),
    ];
    let archive = tmp.path().join("img.tar");
    docker_archive(&archive, &layers);
    let (a, rows) = ours(&archive);
    let want: BTreeSet<Row> = [
        ("/usr/bin/tool", "stdlib", "go1.22.1"),
        ("/usr/bin/tool", "example.com/tool", "v1.0.0"),
        ("/usr/bin/tool", "github.com/BurntSushi/toml", "v1.3.2"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(rows, want);
    assert_eq!(
        a.packages.notes,
        [
            "Go binary /usr/bin/old: build info from before Go 1.18: not read (unsupported)",
            "rpm database found at /var/lib/rpm/rpmdb.sqlite: not read (unsupported)",
        ]
    );
    let text = dockstage_image::render::inspect_text(&a, None);
    assert!(text.contains("note: rpm database found at /var/lib/rpm/rpmdb.sqlite: not read (unsupported)"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&dockstage_image::render::inspect_json(&a, None)).unwrap();
    assert_eq!(json["packages"]["notes"][1], "rpm database found at /var/lib/rpm/rpmdb.sqlite: not read (unsupported)");
    let cdx = sbom_json(&a, SbomFormat::CycloneDxJson, &SbomOptions { created_unix: 0 });
    assert!(cdx.contains("pkg:golang/github.com/BurntSushi/toml@v1.3.2"));
    assert!(cdx.contains("rpm database found at"));
    let spdx = sbom_json(&a, SbomFormat::SpdxJson, &SbomOptions { created_unix: 0 });
    assert!(spdx.contains("rpm database found at"));
}
