//! What is in an image: dive's efficiency score and wasted bytes (same definitions, same
//! numbers), per-layer changes, the biggest files and directories, and build leftovers.
//!
//! dive's definitions, restated (from reading wagoodman/dive v0.13.1, dive/filetree/efficiency.go):
//! * Every leaf node of every layer's tree is a "discovery" of its path. A file's discovery
//!   weighs its size; a whiteout's weighs the size of what it deletes if that was a directory
//!   in the layers below (all nodes of that subtree), else nothing.
//! * A path discovered twice or more is inefficient; wasted bytes = the summed weight of all
//!   discoveries of inefficient paths.
//! * efficiency = sum over paths of the smallest discovery / sum of all discoveries (1 if 0).
//! * A whiteout of a path the lower layers do not have ends that layer's walk early (dive
//!   returns the lookup error from its visitor); the path still enters the table with a
//!   smallest discovery of -1. We reproduce this, since scores are compared to the byte.
//! * Layer size = sum of the layer tar's header sizes; user size = all layers but the first.
use std::collections::HashMap;

use serde::Serialize;

use crate::source::{Format, Image, ReadOptions, Source};
pub use crate::source::LayerMeta;
use crate::error::Result;
use crate::config::HistoryEntry;
use crate::layer::LayerTree;
use crate::leakage::{classify, LeakKind, Leakage};
use crate::tree::{join_path, NodeId, Tree, ROOT, WHITEOUT_PREFIX};

/// How many entries the "biggest" and "inefficient" lists keep.
#[derive(Clone, Copy, Debug)]
pub struct AnalyzeOptions {
    pub top: usize,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions { top: 10 }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    pub image: String,
    pub format: Format,
    pub repo_tags: Vec<String>,
    /// dive's SizeBytes: all layers' content bytes (sum of tar header sizes).
    pub size_bytes: u64,
    /// dive's UserSizeBytes: the same without the first layer.
    pub user_size_bytes: u64,
    /// Bytes in the final file system as a container sees it.
    pub final_size_bytes: u64,
    pub final_files: u64,
    /// Stored (compressed) bytes of all layer blobs.
    pub blob_bytes: u64,
    pub efficiency: f64,
    pub wasted_bytes: u64,
    /// wasted_bytes / user_size_bytes, a ratio (dive prints it times 100). NaN (null) if there are no user bytes.
    pub user_wasted_percent: f64,
    pub layers: Vec<LayerReport>,
    pub history: Vec<HistoryEntry>,
    pub inefficiencies: Vec<Inefficiency>,
    pub biggest_files: Vec<PathSize>,
    pub biggest_dirs: Vec<PathSize>,
    pub leakage: Vec<Leakage>,
    /// Installed packages of the final file system (empty when the source was read without
    /// capturing package databases).
    pub packages: crate::packages::Packages,
}

#[derive(Clone, Debug, Serialize)]
pub struct LayerReport {
    pub index: usize,
    pub diff_id: Option<String>,
    pub blob: String,
    pub blob_size: u64,
    pub compression: crate::layer::Compression,
    /// dive's layer size: sum of the tar's header sizes.
    pub size_bytes: u64,
    pub entries: u64,
    pub files_added: u64,
    pub files_changed: u64,
    pub files_removed: u64,
    pub bytes_added: u64,
    pub bytes_changed: u64,
    pub bytes_removed: u64,
    /// Bytes this layer adds that a later layer overwrites or deletes.
    pub wasted_bytes: u64,
    /// Index into `history` of the entry that made this layer (dive's pairing).
    pub history_index: Option<usize>,
    pub created_by: Option<String>,
    /// Filled by the Dockerfile mapping.
    pub instruction: Option<InstructionRef>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct InstructionRef {
    pub line: usize,
    pub stage: Option<String>,
    pub text: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Inefficiency {
    pub path: String,
    pub count: u32,
    pub wasted_bytes: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PathSize {
    pub path: String,
    pub size_bytes: u64,
    /// The layer that last wrote it.
    pub layer: usize,
}

/// dive's per-path record. The table is keyed by a 128-bit hash of the path rather than the
/// path itself: the path text is only needed for paths seen twice (the report), and keeping
/// every path string would triple the table's memory.
struct Discovery {
    count: u32,
    /// Index into the analyzer's `repeated_paths` once the path is seen twice.
    path: u32,
    cumulative: i64,
    min: i64,
}

impl Discovery {
    fn new() -> Discovery {
        Discovery {
            count: 0,
            path: u32::MAX,
            cumulative: 0,
            min: -1,
        }
    }
}

/// Hashes a path for the discovery table (64-bit SipHash: among a million paths a collision
/// has a chance of about 3e-8).
fn path_key(path: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    h.finish()
}

/// dive's discovery table, split to save memory: a path discovered once (most paths) is only a
/// mark on its node in the stacked tree (a bit in `singles`; the discovery's size is the node's
/// size) plus a running sum; it moves to `map` when discovered again, when its node leaves the
/// stack or when a later layer changes the node's size. Whiteout discoveries always go to
/// `map`. The sums equal dive's because a single discovery adds the same amount to the
/// minimum and the cumulative sum, wherever it is kept.
#[derive(Default)]
struct Table {
    map: HashMap<u64, Discovery>,
    repeated_paths: Vec<Box<str>>,
    /// Sum of the sizes of paths discovered exactly once and not in `map`.
    singles_sum: i64,
    /// Per stacked-tree node, a bit: its path was discovered once, with the node's size.
    singles: Vec<u64>,
}

const NONE: i64 = i64::MIN;

/// What a discovery of a node weighs (a whiteout's is computed apart).
fn node_size(tree: &Tree, id: NodeId) -> i64 {
    tree.node(id).info.map_or(0, |i| i.size as i64)
}

impl Table {
    fn is_single(&self, id: NodeId) -> bool {
        self.singles
            .get(id as usize / 64)
            .is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    fn first_of(&self, stacked: &Tree, id: NodeId) -> i64 {
        if self.is_single(id) {
            node_size(stacked, id)
        } else {
            NONE
        }
    }

    /// Sizes `singles` for a stacked tree of up to `nodes` slots, exactly: growth by doubling
    /// would leave up to half of it unused at the peak.
    fn make_room(&mut self, nodes: usize) {
        let words = nodes.div_ceil(64);
        if self.singles.len() < words {
            self.singles.reserve_exact(words - self.singles.len());
            self.singles.resize(words, 0);
        }
    }

    /// Marks the stacked node `id` as discovered once (its size is in `singles_sum` already).
    fn set_single(&mut self, id: NodeId) {
        let w = id as usize / 64;
        if self.singles.len() <= w {
            self.singles.resize(w + 1, 0);
        }
        self.singles[w] |= 1 << (id % 64);
    }

    /// The record for `path`, moving a single discovery on `node` of `stacked` into the map
    /// first.
    fn record(&mut self, stacked: &Tree, path: &str, node: Option<NodeId>) -> &mut Discovery {
        let key = path_key(path);
        if !self.map.contains_key(&key) {
            if let Some(n) = node {
                let first = self.first_of(stacked, n);
                if first != NONE {
                    self.singles_sum -= first;
                    self.singles[n as usize / 64] &= !(1 << (n % 64));
                    self.map.insert(
                        key,
                        Discovery {
                            count: 1,
                            path: u32::MAX,
                            cumulative: first,
                            min: first,
                        },
                    );
                }
            }
        }
        self.map.entry(key).or_insert_with(Discovery::new)
    }

    fn add(&mut self, stacked: &Tree, path: String, node: Option<NodeId>, size: i64) {
        let paths = self.repeated_paths.len() as u32;
        let d = self.record(stacked, &path, node);
        d.cumulative += size;
        if d.min < 0 || size < d.min {
            d.min = size;
        }
        d.count += 1;
        if d.count == 2 {
            d.path = paths;
            self.repeated_paths.push(path.into_boxed_str());
        }
    }

    /// Moves single discoveries under `id` (about to leave the stack) into the map.
    fn evict(&mut self, tree: &Tree, id: NodeId, parts: &[&str]) {
        let mut stack: Vec<(NodeId, String)> = vec![(id, join_path(parts))];
        while let Some((n, path)) = stack.pop() {
            if self.is_single(n) {
                self.record(tree, &path, Some(n));
            }
            for (name, c) in tree.children(n) {
                stack.push((c, format!("{path}/{name}")));
            }
        }
    }
}

/// The file system a container of the image sees: the stacked tree and which nodes show.
pub struct FinalTree {
    pub tree: Tree,
    pub visible: Vec<bool>,
}

impl FinalTree {
    /// Visible non-directory entries with their sizes, parents before children.
    pub fn walk_files(&self, mut f: impl FnMut(&[&str], u64)) {
        let tree = &self.tree;
        let mut hidden_below: Option<usize> = None;
        tree.walk_parent_first(|id, name, parts| {
            if let Some(d) = hidden_below {
                if parts.len() > d {
                    return;
                }
                hidden_below = None;
            }
            if !self.visible[id as usize] || name.starts_with(WHITEOUT_PREFIX) {
                hidden_below = Some(parts.len());
                return;
            }
            let node = tree.node(id);
            let is_dir = !matches!(&node.info, Some(i) if !i.is_dir) || tree.has_children(id);
            if !is_dir {
                f(parts, node.info.as_ref().map_or(0, |i| i.size));
            }
        });
    }
}

/// Analyzes an image's layer trees.
pub fn analyze(image: &Image, opts: &AnalyzeOptions) -> Analysis {
    analyze_with_tree(image, opts).0
}

/// Like [`analyze`], also returning the final file system for comparisons.
pub fn analyze_with_tree(image: &Image, opts: &AnalyzeOptions) -> (Analysis, FinalTree) {
    let mut an = Analyzer::new(image.config.history.clone());
    for l in &image.layers {
        an.push(LayerMeta::of(l), (*l.tree).clone());
    }
    an.finish(&image.name, image.format, &image.repo_tags, opts)
}

/// Like [`analyze_with_tree`], taking the image so each layer's tree is dropped once stacked.
pub fn analyze_owned(image: Image, opts: &AnalyzeOptions) -> (Analysis, FinalTree) {
    let Image {
        name,
        format,
        repo_tags,
        config,
        layers,
    } = image;
    let mut an = Analyzer::new(config.history);
    for l in layers {
        let meta = LayerMeta::of(&l);
        let tree = std::sync::Arc::try_unwrap(l.tree).unwrap_or_else(|shared| (*shared).clone());
        an.push(meta, tree);
    }
    an.finish(&name, format, &repo_tags, opts)
}

/// Reads and analyses an image in one go with bounded memory (see
/// [`crate::source::Opened::for_each_layer`]): each layer's tree is dropped once stacked.
pub fn analyze_source(
    spec: &str,
    opts: &ReadOptions<'_>,
    aopts: &AnalyzeOptions,
) -> Result<(Analysis, FinalTree)> {
    let mut opts = *opts;
    if opts.capture.is_none() {
        opts.capture = Some(&crate::packages::PACKAGE_FILES);
    }
    let opened = crate::source::open_source(&Source::parse(spec), &opts)?;
    let mut analyzer = Analyzer::new(opened.config().history.clone());
    opened.for_each_layer(&opts, |meta, tree| analyzer.push(meta, tree))?;
    Ok(analyzer.finish(opened.name(), opened.format(), opened.repo_tags(), aopts))
}

/// Analyzes layers one at a time, in order, so a caller can read layer N+1 while layer N is
/// analysed and drop each tree once it is stacked: peak memory is the stacked tree plus the
/// discovery table plus about two layers, not the whole image's metadata.
pub struct Analyzer {
    history: Vec<HistoryEntry>,
    next_history: usize,
    table: Table,
    stacked: Option<Tree>,
    opaque_at: HashMap<NodeId, u16>,
    reports: Vec<LayerReport>,
    /// Bytes each layer wrote that later layers overwrote, deleted or hid.
    waste: Vec<u64>,
    sizes: Vec<u64>,
    /// Captured package files by path; a later layer's copy replaces an earlier one.
    captured: HashMap<Box<str>, Vec<u8>>,
}

impl Analyzer {
    pub fn new(history: Vec<HistoryEntry>) -> Analyzer {
        Analyzer {
            history,
            next_history: 0,
            table: Table::default(),
            stacked: None,
            opaque_at: HashMap::new(),
            reports: Vec::new(),
            waste: Vec::new(),
            sizes: Vec::new(),
            captured: HashMap::new(),
        }
    }

    /// Adds the next layer (bottom first).
    pub fn push(&mut self, meta: LayerMeta, layer: LayerTree) {
        let i = self.reports.len();
        // dive's pairing with history: each layer takes the next entry not marked empty_layer.
        while self.next_history < self.history.len() && self.history[self.next_history].empty_layer
        {
            self.next_history += 1;
        }
        let hist = (self.next_history < self.history.len()).then(|| {
            self.next_history += 1;
            self.next_history - 1
        });
        let mut report = LayerReport {
            index: i,
            diff_id: meta.diff_id,
            blob: meta.blob,
            blob_size: meta.blob_size,
            compression: layer.compression.unwrap_or(crate::layer::Compression::None),
            size_bytes: layer.size,
            entries: layer.entries,
            history_index: hist,
            created_by: hist.and_then(|h| self.history[h].created_by.clone()),
            ..LayerReport::scratch()
        };
        self.sizes.push(layer.size);
        self.waste.push(0);
        let LayerTree {
            tree,
            opaque_dirs,
            captured,
            ..
        } = layer;
        crate::packages::stack_captured(&mut self.captured, &tree, captured);
        let stacked = match self.stacked.take() {
            None => {
                // The stack starts as a copy of the first layer, and dive stacks that layer on
                // its copy again, which only changes anything when it holds whiteouts.
                let singles = efficiency_visit(&tree, &tree, &mut self.table);
                self.table.make_room(tree.capacity());
                // The stack is this tree (or its copy): same node ids.
                for (id, single) in singles.iter().enumerate() {
                    if *single {
                        self.table.set_single(id as NodeId);
                    }
                }
                tree.walk_child_first(|id, name, _| {
                    if let Some(info) = &tree.node(id).info {
                        if !info.is_dir && !name.starts_with(WHITEOUT_PREFIX) {
                            report.files_added += 1;
                            report.bytes_added += info.size;
                        }
                    }
                    true
                });
                let mut has_whiteouts = false;
                tree.walk_child_first(|_, name, _| {
                    has_whiteouts |= name.starts_with(WHITEOUT_PREFIX);
                    !has_whiteouts
                });
                if has_whiteouts {
                    let mut s = tree.clone();
                    graft(
                        &mut s,
                        &tree,
                        0,
                        &mut LayerReport::scratch(),
                        &mut self.waste,
                        true,
                        &mut self.table,
                        &[],
                    );
                    s
                } else {
                    tree
                }
            }
            Some(mut s) => {
                let singles = efficiency_visit(&tree, &s, &mut self.table);
                s.reserve_for(&tree);
                self.table.make_room(s.capacity() + tree.capacity());
                graft(
                    &mut s,
                    &tree,
                    i as u16,
                    &mut report,
                    &mut self.waste,
                    false,
                    &mut self.table,
                    &singles,
                );
                drop(tree);
                s
            }
        };
        for dir in &opaque_dirs {
            if let Some(node) = stacked.get(dir.iter().map(|s| &**s)) {
                count_hidden(&stacked, node, i as u16, &mut report, &mut self.waste);
                self.opaque_at.insert(node, i as u16);
            }
        }
        self.stacked = Some(stacked);
        self.reports.push(report);
    }

    /// Computes the totals and the final file system.
    pub fn finish(
        self,
        name: &str,
        format: Format,
        repo_tags: &[String],
        opts: &AnalyzeOptions,
    ) -> (Analysis, FinalTree) {
        let Analyzer {
            history,
            table,
            stacked,
            opaque_at,
            mut reports,
            waste,
            sizes,
            captured,
            ..
        } = self;
        let stacked = stacked.unwrap_or_default();
        // Score and waste, exactly as dive sums them.
        let (mut min_sum, mut all_sum) = (table.singles_sum, table.singles_sum);
        let mut inefficiencies = Vec::new();
        let mut wasted = 0u64;
        for d in table.map.values() {
            min_sum += d.min;
            all_sum += d.cumulative;
            if d.count >= 2 {
                wasted += d.cumulative as u64;
                let path = table.repeated_paths[d.path as usize].to_string();
                inefficiencies.push(Inefficiency {
                    path,
                    count: d.count,
                    wasted_bytes: d.cumulative as u64,
                });
            }
        }
        drop(table);
        let efficiency = if all_sum == 0 {
            1.0
        } else {
            min_sum as f64 / all_sum as f64
        };
        inefficiencies.sort_by(|a, b| {
            b.wasted_bytes
                .cmp(&a.wasted_bytes)
                .then_with(|| a.path.cmp(&b.path))
        });

        let size_bytes: u64 = sizes.iter().sum();
        let user_size_bytes: u64 = sizes.iter().skip(1).sum();
        for (r, w) in reports.iter_mut().zip(&waste) {
            r.wasted_bytes = *w;
        }

        // The final file system: the stack minus what opaque directories hide.
        let visible = visibility(&stacked, &opaque_at);
        let mut files: Vec<PathSize> = Vec::new();
        let mut dir_sizes: Vec<PathSize> = Vec::new();
        let mut final_size = 0u64;
        let mut final_files = 0u64;
        let mut leaks = crate::leakage::Collector::default();
        // Directory totals, accumulated bottom-up.
        let mut totals: Vec<u64> = vec![0; stacked.capacity()];
        stacked.walk_child_first(|id, name, parts| {
            if !visible[id as usize] || name.starts_with(WHITEOUT_PREFIX) {
                return true;
            }
            let node = stacked.node(id);
            let own = node.info.as_ref().map_or(0, |i| i.size);
            totals[id as usize] += own;
            let total = totals[id as usize];
            totals[node.parent as usize] += total;
            let is_dir = !matches!(&node.info, Some(i) if !i.is_dir) || stacked.has_children(id);
            if is_dir {
                if parts.len() <= 3 {
                    dir_sizes.push(PathSize {
                        path: join_path(parts),
                        size_bytes: total,
                        layer: node.layer as usize,
                    });
                }
            } else {
                final_files += 1;
                final_size += own;
                if own > 0 {
                    push_top(
                        &mut files,
                        PathSize {
                            path: join_path(parts),
                            size_bytes: own,
                            layer: node.layer as usize,
                        },
                        opts.top,
                    );
                }
                if let Some((kind, group)) = classify(parts, node.info.as_ref()) {
                    leaks.add(kind, group, own);
                }
            }
            true
        });
        drop(totals);
        dir_sizes.sort_by(|a, b| {
            b.size_bytes
                .cmp(&a.size_bytes)
                .then_with(|| a.path.cmp(&b.path))
        });
        dir_sizes.truncate(opts.top);

        // Package files count only where the final file system still shows them.
        let mut package_files: Vec<crate::layer::CapturedFile> = captured
            .into_iter()
            .filter(|(path, _)| {
                stacked
                    .get(path.split('/'))
                    .is_some_and(|id| visible[id as usize] && stacked.node(id).info.as_ref().is_some_and(|i| i.is_regular()))
            })
            .map(|(path, data)| crate::layer::CapturedFile { path, data })
            .collect();
        package_files.sort_by(|a, b| a.path.cmp(&b.path));
        let packages = crate::packages::read_packages(&package_files, opts.top);
        drop(package_files);

        let analysis = Analysis {
            image: name.to_string(),
            format,
            repo_tags: repo_tags.to_vec(),
            size_bytes,
            user_size_bytes,
            final_size_bytes: final_size,
            final_files,
            blob_bytes: reports.iter().map(|l| l.blob_size).sum(),
            efficiency,
            wasted_bytes: wasted,
            user_wasted_percent: wasted as f64 / user_size_bytes as f64,
            layers: reports,
            history,
            inefficiencies: inefficiencies
                .into_iter()
                .take(opts.top.max(1) * 5)
                .collect(),
            biggest_files: files,
            biggest_dirs: dir_sizes,
            leakage: leaks.finish(opts.top),
            packages,
        };
        (
            analysis,
            FinalTree {
                tree: stacked,
                visible,
            },
        )
    }
}

/// Keeps the `n` largest, sorted descending.
fn push_top(list: &mut Vec<PathSize>, item: PathSize, n: usize) {
    if list.len() == n && list.last().is_some_and(|l| l.size_bytes >= item.size_bytes) {
        return;
    }
    let pos = list.partition_point(|x| {
        x.size_bytes > item.size_bytes || x.size_bytes == item.size_bytes && x.path < item.path
    });
    list.insert(pos, item);
    list.truncate(n);
}

impl LayerReport {
    fn scratch() -> LayerReport {
        LayerReport {
            index: 0,
            diff_id: None,
            blob: String::new(),
            blob_size: 0,
            compression: crate::layer::Compression::None,
            size_bytes: 0,
            entries: 0,
            files_added: 0,
            files_changed: 0,
            files_removed: 0,
            bytes_added: 0,
            bytes_changed: 0,
            bytes_removed: 0,
            wasted_bytes: 0,
            history_index: None,
            created_by: None,
            instruction: None,
        }
    }
}

/// Visits one layer's leaves as dive does. Returns, per node of `tree`, whether it was a
/// first (single) discovery whose mark must go on its stacked node once the layer is stacked.
fn efficiency_visit(tree: &Tree, stacked: &Tree, table: &mut Table) -> Vec<bool> {
    let mut singles = vec![false; tree.capacity()];
    tree.walk_child_first(|id, name, parts| {
        let node = tree.node(id);
        if tree.has_children(id) {
            return true;
        }
        let whiteout = name.starts_with(WHITEOUT_PREFIX);
        let stripped = if whiteout {
            &name[WHITEOUT_PREFIX.len()..]
        } else {
            name
        };
        let lookup = || {
            parts[..parts.len() - 1]
                .iter()
                .copied()
                .chain(std::iter::once(stripped))
        };
        let mut path = join_path(&parts[..parts.len() - 1]);
        if path != "/" {
            path.push('/');
        }
        path.push_str(stripped);
        let prev = stacked.get(lookup());
        if whiteout {
            // The deleted name may also be a leaf of this very layer, discovered just before
            // (".hidden" sorts before ".wh..hidden"): its pending single joins the table now.
            if let Some(sib) = tree.child(node.parent, stripped) {
                if singles[sib as usize] {
                    singles[sib as usize] = false;
                    let size = node_size(tree, sib);
                    table.singles_sum -= size;
                    table.map.insert(
                        path_key(&path),
                        Discovery {
                            count: 1,
                            path: u32::MAX,
                            cumulative: size,
                            min: size,
                        },
                    );
                }
            }
            let Some(prev) = prev else {
                table
                    .map
                    .entry(path_key(&path))
                    .or_insert_with(Discovery::new);
                return false;
            };
            let size = if stacked.node(prev).info.as_ref().is_some_and(|i| i.is_dir) {
                stacked.subtree_size(prev) as i64
            } else {
                0
            };
            table.add(stacked, path, Some(prev), size);
            return true;
        }
        let size = node_size(tree, id);
        let known = table.map.contains_key(&path_key(&path))
            || prev.is_some_and(|p| table.is_single(p));
        if known {
            table.add(stacked, path, prev, size);
        } else {
            table.singles_sum += size;
            singles[id as usize] = true;
        }
        true
    });
    singles
}

/// dive's `Stack`: every node of the upper layer, children first; whiteouts delete, the rest
/// (including payload-less parents) overwrite. Also counts what changed for the report.
/// `waste[l]` grows by the size of every file of layer `l` this layer overwrites or deletes;
/// `self_graft` is the first layer stacked on its own copy, where overwrites are not waste.
#[allow(clippy::too_many_arguments)]
fn graft(
    stacked: &mut Tree,
    upper: &Tree,
    layer: u16,
    report: &mut LayerReport,
    waste: &mut [u64],
    self_graft: bool,
    table: &mut Table,
    singles: &[bool],
) {
    upper.walk_child_first(|id, name, parts| {
        let node = upper.node(id);
        if let Some(stripped) = name.strip_prefix(WHITEOUT_PREFIX) {
            let target = parts[..parts.len() - 1]
                .iter()
                .copied()
                .chain(std::iter::once(stripped));
            if let Some(gone) = stacked.get(target.clone()) {
                report.bytes_removed += stacked.subtree_size(gone);
                report.files_removed += count_files(stacked, gone);
                attribute_waste(stacked, gone, waste);
                let target_parts: Vec<&str> = target.clone().collect();
                table.evict(stacked, gone, &target_parts);
                stacked.remove(target);
            }
            return true;
        }
        let previous = stacked.get(parts.iter().copied());
        let existed = previous.is_some_and(|n| stacked.node(n).info.is_some());
        if let Some(p) = previous {
            let old = stacked.node(p);
            if let Some(info) = &old.info {
                if !info.is_dir && !self_graft {
                    waste[old.layer as usize] += info.size;
                }
            }
        }
        if let Some(info) = &node.info {
            if !info.is_dir {
                if existed {
                    report.files_changed += 1;
                    report.bytes_changed += info.size;
                } else {
                    report.files_added += 1;
                    report.bytes_added += info.size;
                }
            }
        }
        // A single discovery's size is its node's: one about to change size joins the map.
        if let Some(p) = previous {
            if table.is_single(p) && node_size(stacked, p) != node.info.map_or(0, |i| i.size as i64) {
                table.record(stacked, &join_path(parts), Some(p));
            }
        }
        let sid = stacked.add_path(parts, node.info, layer);
        if let (Some(sid), Some(target)) = (sid, upper.link(id)) {
            stacked.set_link(sid, Some(target));
        }
        if let (Some(sid), true) = (sid, singles.get(id as usize).copied().unwrap_or(false)) {
            table.set_single(sid);
        }
        true
    });
}

fn count_files(tree: &Tree, id: NodeId) -> u64 {
    let mut n = 0;
    let mut stack = vec![id];
    while let Some(x) = stack.pop() {
        let node = tree.node(x);
        if !tree.has_children(x) && !node.info.as_ref().is_some_and(|i| i.is_dir) {
            n += 1;
        }
        stack.extend_from_slice(tree.child_ids(x));
    }
    n
}

/// Adds every file under `id` (itself included) to the waste of the layer that wrote it.
fn attribute_waste(tree: &Tree, id: NodeId, waste: &mut [u64]) {
    let mut stack = vec![id];
    while let Some(x) = stack.pop() {
        let node = tree.node(x);
        if let Some(info) = &node.info {
            if !info.is_dir {
                waste[node.layer as usize] += info.size;
            }
        }
        stack.extend_from_slice(tree.child_ids(x));
    }
}

/// Counts what an opaque directory hides (entries written by lower layers).
fn count_hidden(tree: &Tree, dir: NodeId, layer: u16, report: &mut LayerReport, waste: &mut [u64]) {
    let mut stack: Vec<NodeId> = tree.child_ids(dir).to_vec();
    while let Some(x) = stack.pop() {
        let node = tree.node(x);
        if node.layer < layer {
            report.files_removed += count_files(tree, x);
            report.bytes_removed += tree.subtree_size(x);
            attribute_waste(tree, x, waste);
        } else {
            stack.extend_from_slice(tree.child_ids(x));
        }
    }
}

/// Marks which stacked nodes a container would see: a node written before an opaque marker
/// on one of its ancestors is hidden.
fn visibility(tree: &Tree, opaque_at: &HashMap<NodeId, u16>) -> Vec<bool> {
    let mut visible = vec![false; tree.capacity()];
    // (node, strongest opaque layer above it)
    let mut stack: Vec<(NodeId, Option<u16>)> = vec![(ROOT, None)];
    while let Some((id, above)) = stack.pop() {
        let node = tree.node(id);
        if id != ROOT && above.is_some_and(|o| node.layer < o) {
            continue;
        }
        visible[id as usize] = true;
        let here = match (above, opaque_at.get(&id)) {
            (Some(a), Some(&b)) => Some(a.max(b)),
            (a, b) => a.or(b.copied()),
        };
        for &c in tree.child_ids(id) {
            stack.push((c, here));
        }
    }
    visible
}

/// Makes the leakage kinds reachable from here for callers that only import analysis.
pub type LeakCategory = LeakKind;
