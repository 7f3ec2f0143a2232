//! Two images side by side: sizes, layers, and the files only one of them ships.
use std::collections::HashMap;

use serde::Serialize;

use crate::analysis::{Analysis, FinalTree};
use crate::leakage::LeakKind;

#[derive(Clone, Debug, Serialize)]
pub struct Side {
    pub image: String,
    pub layers: usize,
    /// Bytes in the final file system.
    pub final_size_bytes: u64,
    /// dive's size: all layers' content bytes.
    pub size_bytes: u64,
    pub blob_bytes: u64,
    pub files: u64,
    pub efficiency: f64,
    pub wasted_bytes: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct LayerBrief {
    pub size_bytes: u64,
    pub diff_id: Option<String>,
    pub created_by: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LayerPair {
    pub index: usize,
    pub a: Option<LayerBrief>,
    pub b: Option<LayerBrief>,
    /// Same content digest on both sides (a shared base layer).
    pub shared: bool,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct OnlyIn {
    pub files: u64,
    pub bytes: u64,
    /// Largest directories (three levels deep at most) by bytes only this side has.
    pub top_dirs: Vec<(String, u64)>,
    pub top_files: Vec<(String, u64)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LeakDelta {
    pub kind: LeakKind,
    pub a_bytes: u64,
    pub b_bytes: u64,
}

/// Packages installed in one image and not the other (same ecosystem and name), with counts.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PackageDelta {
    pub a_count: usize,
    pub b_count: usize,
    pub only_in_a: Vec<crate::packages::Package>,
    pub only_in_b: Vec<crate::packages::Package>,
}

fn package_delta(a: &Analysis, b: &Analysis) -> PackageDelta {
    use std::collections::HashSet;
    let key = |p: &crate::packages::Package| (p.ecosystem, p.name.to_ascii_lowercase());
    let ka: HashSet<_> = a.packages.all.iter().map(key).collect();
    let kb: HashSet<_> = b.packages.all.iter().map(key).collect();
    let only = |from: &[crate::packages::Package], other: &HashSet<_>| {
        let mut seen = HashSet::new();
        from.iter()
            .filter(|p| !other.contains(&key(p)) && seen.insert(key(p)))
            .cloned()
            .collect::<Vec<_>>()
    };
    PackageDelta {
        a_count: a.packages.all.len(),
        b_count: b.packages.all.len(),
        only_in_a: only(&a.packages.all, &kb),
        only_in_b: only(&b.packages.all, &ka),
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ImageDiff {
    pub a: Side,
    pub b: Side,
    /// a.final_size_bytes - b.final_size_bytes: what choosing B saves (negative: B is bigger).
    pub saving_bytes: i64,
    /// The saving relative to A, in percent.
    pub saving_percent: f64,
    pub shared_layers: usize,
    pub layers: Vec<LayerPair>,
    pub only_in_a: OnlyIn,
    pub only_in_b: OnlyIn,
    /// Files on both sides whose size differs: count and byte change (b - a).
    pub changed_files: u64,
    pub changed_bytes: i64,
    pub leakage: Vec<LeakDelta>,
    /// Installed packages only one side has (the build tools a single-stage image ships).
    pub packages: PackageDelta,
}

fn side(a: &Analysis) -> Side {
    Side {
        image: a.image.clone(),
        layers: a.layers.len(),
        final_size_bytes: a.final_size_bytes,
        size_bytes: a.size_bytes,
        blob_bytes: a.blob_bytes,
        files: a.final_files,
        efficiency: a.efficiency,
        wasted_bytes: a.wasted_bytes,
    }
}

fn files_of(t: &FinalTree) -> HashMap<String, u64> {
    let mut m = HashMap::new();
    t.walk_files(|parts, size| {
        m.insert(parts.join("/"), size);
    });
    m
}

fn only_in(mine: &HashMap<String, u64>, other: &HashMap<String, u64>, top: usize) -> OnlyIn {
    let mut out = OnlyIn::default();
    let mut dirs: HashMap<String, u64> = HashMap::new();
    let mut files: Vec<(String, u64)> = Vec::new();
    for (path, &size) in mine {
        if other.contains_key(path) {
            continue;
        }
        out.files += 1;
        out.bytes += size;
        let parts: Vec<&str> = path.split('/').collect();
        let depth = (parts.len() - 1).min(3);
        if depth > 0 {
            *dirs
                .entry(format!("/{}", parts[..depth].join("/")))
                .or_default() += size;
        }
        files.push((format!("/{path}"), size));
    }
    let mut dirs: Vec<(String, u64)> = dirs.into_iter().collect();
    dirs.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
    dirs.truncate(top);
    files.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
    files.truncate(top);
    out.top_dirs = dirs;
    out.top_files = files;
    out
}

/// Compares two analysed images; `top` bounds the lists.
pub fn diff(a: &Analysis, ta: &FinalTree, b: &Analysis, tb: &FinalTree, top: usize) -> ImageDiff {
    let fa = files_of(ta);
    let fb = files_of(tb);
    let (mut changed_files, mut changed_bytes) = (0u64, 0i64);
    for (p, &sa) in &fa {
        if let Some(&sb) = fb.get(p) {
            if sa != sb {
                changed_files += 1;
                changed_bytes += sb as i64 - sa as i64;
            }
        }
    }
    let n = a.layers.len().max(b.layers.len());
    let brief = |an: &Analysis, i: usize| {
        an.layers.get(i).map(|l| LayerBrief {
            size_bytes: l.size_bytes,
            diff_id: l.diff_id.clone(),
            created_by: l.created_by.clone(),
        })
    };
    let layers: Vec<LayerPair> = (0..n)
        .map(|i| {
            let (la, lb) = (brief(a, i), brief(b, i));
            let shared = matches!((&la, &lb), (Some(x), Some(y)) if x.diff_id.is_some() && x.diff_id == y.diff_id);
            LayerPair { index: i, a: la, b: lb, shared }
        })
        .collect();
    let shared_layers = layers.iter().take_while(|l| l.shared).count();
    let mut kinds: Vec<LeakKind> = a.leakage.iter().chain(&b.leakage).map(|l| l.kind).collect();
    kinds.sort();
    kinds.dedup();
    let leak_bytes = |an: &Analysis, k| {
        an.leakage
            .iter()
            .find(|l| l.kind == k)
            .map_or(0, |l| l.bytes)
    };
    let leakage = kinds
        .into_iter()
        .map(|k| LeakDelta {
            kind: k,
            a_bytes: leak_bytes(a, k),
            b_bytes: leak_bytes(b, k),
        })
        .collect();
    let saving = a.final_size_bytes as i64 - b.final_size_bytes as i64;
    ImageDiff {
        a: side(a),
        b: side(b),
        saving_bytes: saving,
        saving_percent: if a.final_size_bytes == 0 {
            0.0
        } else {
            saving as f64 * 100.0 / a.final_size_bytes as f64
        },
        shared_layers,
        layers,
        only_in_a: only_in(&fa, &fb, top),
        only_in_b: only_in(&fb, &fa, top),
        changed_files,
        changed_bytes,
        leakage,
        packages: package_delta(a, b),
    }
}
