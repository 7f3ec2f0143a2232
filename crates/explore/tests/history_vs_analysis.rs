//! Random layer stacks (files, directories, overwrites, whiteouts, opaque directories) go
//! through the explorer's [`History`] and through dockstage-image's analyzer; after every
//! stack, the files the explorer shows after the last layer are the analyzer's final file
//! system, and each layer's own view lists exactly the paths that layer wrote or removed.
use dockstage_explore::history::{History, Mark};
use dockstage_explore::view::{View, ViewSpec};
use dockstage_image::analysis::{AnalyzeOptions, Analyzer};
use dockstage_image::layer::LayerTree;
use dockstage_image::source::{Format, LayerMeta};
use dockstage_image::tree::{join_path, FileInfo, Tree};
use dockstage_test_support::Rng;

const NAMES: &[&str] = &["a", "b", "c", "lib", "x.so", ".hidden"];

fn random_path(r: &mut Rng) -> Vec<String> {
    let depth = 1 + r.below(3);
    (0..depth).map(|_| r.pick(NAMES).to_string()).collect()
}

fn info(size: u64, dir: bool) -> Option<FileInfo> {
    Some(FileInfo { size, mode: 0o644, typeflag: if dir { b'5' } else { b'0' }, is_dir: dir })
}

/// Builders never turn a file into a directory (or back) without deleting it first, and dive's
/// reading of such a tar keeps the old children; `kinds` remembers what each path was so the
/// generator keeps to what real layers do.
fn random_layer(r: &mut Rng, first: bool, kinds: &mut std::collections::HashMap<String, bool>) -> LayerTree {
    let mut t = Tree::new();
    let mut opaque = Vec::new();
    for _ in 0..(1 + r.below(8)) {
        let p = random_path(r);
        let parts: Vec<&str> = p.iter().map(String::as_str).collect();
        // A path cannot be both a file and the parent of another entry in one tar.
        let clash = |t: &Tree| {
            (1..parts.len()).any(|i| t.get(parts[..i].iter().copied()).is_some_and(|n| t.node(n).info.as_ref().is_some_and(|f| !f.is_dir)))
                || t.get(parts.iter().copied()).is_some_and(|n| t.has_children(n))
        };
        if clash(&t) {
            continue;
        }
        let kind = r.below(10);
        let is_dir = matches!(kind, 6) || (kind >= 9 && !first);
        let conflicts = (1..parts.len()).any(|i| kinds.get(&parts[..i].join("/")) == Some(&false))
            || kinds.get(&parts.join("/")).is_some_and(|d| *d != is_dir && kind <= 6 || kind >= 9 && !*d);
        if conflicts {
            continue;
        }
        if kind <= 6 || kind >= 9 && !first {
            for i in 1..parts.len() {
                kinds.insert(parts[..i].join("/"), true);
            }
            kinds.insert(parts.join("/"), is_dir);
        }
        match kind {
            0..=5 => {
                t.add_path(&parts, info(1 + r.below(1000) as u64, false), 0);
            }
            6 => {
                t.add_path(&parts, info(0, true), 0);
            }
            7 | 8 if !first => {
                let mut w = parts.clone();
                let last = format!(".wh.{}", w.pop().unwrap());
                w.push(&last);
                if !clash(&t) {
                    t.add_path(&w, info(0, false), 0);
                }
            }
            _ if !first => {
                t.add_path(&parts, info(0, true), 0);
                opaque.push(parts.iter().map(|s| Box::<str>::from(*s)).collect());
            }
            _ => {}
        }
    }
    let size = {
        let mut s = 0;
        t.walk_child_first(|id, _, _| {
            s += t.node(id).info.as_ref().map_or(0, |i| i.size);
            true
        });
        s
    };
    LayerTree { tree: t, size, entries: 0, opaque_dirs: opaque, compression: None, captured: Vec::new(), digests: Default::default() }
}

#[test]
fn random_stacks_agree_with_the_analysis() {
    let seed: u64 = std::env::var("DOCKSTAGE_EXPLORE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(12);
    let cases: u64 = std::env::var("DOCKSTAGE_EXPLORE_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(500);
    for case in 0..cases {
        let mut r = Rng(seed.wrapping_mul(1_000_003).wrapping_add(case) | 1);
        let n = 1 + r.below(5);
        let mut kinds = std::collections::HashMap::new();
        let layers: Vec<LayerTree> = (0..n).map(|i| random_layer(&mut r, i == 0, &mut kinds)).collect();
        let mut h = History::new();
        let mut an = Analyzer::new(Vec::new());
        for l in &layers {
            h.push_layer(l);
            let meta = LayerMeta { diff_id: None, blob: String::new(), blob_size: 0 };
            an.push(meta, l.clone());
        }
        let (_, fin) = an.finish("x", Format::DockerArchive, &[], &AnalyzeOptions::default());
        let mut theirs: Vec<(String, u64)> = Vec::new();
        fin.walk_files(|parts, size| theirs.push((join_path(parts), size)));
        theirs.sort();
        let spec = ViewSpec { layer: n - 1, aggregated: true, only_changes: false, filter: String::new() };
        let v = View::compute(&h, &spec);
        let mut ours: Vec<(String, u64)> = (1..h.len())
            .filter(|&i| v.shown[i] && !v.is_dir[i] && v.mark[i] != Mark::Removed)
            .map(|i| (h.path(i as u32), v.size[i]))
            .collect();
        ours.sort();
        assert_eq!(ours, theirs, "case {case} (seed {seed}): {}", describe(&layers));

        // Each layer's own view: every file it wrote is there, marked added or modified.
        for (i, l) in layers.iter().enumerate() {
            let spec = ViewSpec { layer: i, aggregated: false, only_changes: false, filter: String::new() };
            let v = View::compute(&h, &spec);
            l.tree.walk_child_first(|id, name, parts| {
                let node = l.tree.node(id);
                if name.starts_with(".wh.") || !matches!(&node.info, Some(f) if !f.is_dir) {
                    return true;
                }
                // A tar that writes a name and whites it out in the same layer removes it
                // (the analyzer's reading too); no builder writes that.
                let whited = (0..parts.len()).any(|k| {
                    let wh = format!(".wh.{}", parts[k]);
                    l.tree.get(parts[..k].iter().copied().chain(std::iter::once(wh.as_str()))).is_some()
                });
                if whited {
                    return true;
                }
                let e = h.find(&join_path(parts)).expect("written path is known");
                assert!(v.shown[e as usize], "case {case}: layer {i} view lacks {} {:?} {:?}", join_path(parts), v.mark[e as usize], h.entry(e).events);
                assert!(matches!(v.mark[e as usize], Mark::Added | Mark::Modified), "case {case}: layer {i} {} {:?} {:?} opaque {:?}", join_path(parts), v.mark[e as usize], h.entry(e).events, l.opaque_dirs);
                true
            });
        }
    }
}

fn describe(layers: &[LayerTree]) -> String {
    let mut out = String::new();
    for (i, l) in layers.iter().enumerate() {
        out.push_str(&format!("\nlayer {i}, opaque {:?}:", l.opaque_dirs));
        l.tree.walk_parent_first(|id, _, parts| {
            let what = match &l.tree.node(id).info {
                None => "(parent)".to_string(),
                Some(f) if f.is_dir => "dir".to_string(),
                Some(f) => format!("{} B", f.size),
            };
            out.push_str(&format!(" {} {what};", join_path(parts)));
        });
    }
    out
}
