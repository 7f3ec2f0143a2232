//! One layer's look at the [`History`]: which entries show, how each is marked, how big each
//! directory is, and the rows the tree pane lists.
use crate::history::{History, Id, Mark, State};

/// What the tree pane shows for the selected layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewSpec {
    pub layer: usize,
    /// The file system as it is after the layer (true) or only what the layer changed.
    pub aggregated: bool,
    /// Hide entries the layer did not change (aggregated mode).
    pub only_changes: bool,
    /// Substring of the full path; empty for none.
    pub filter: String,
}

/// Per-entry results of a [`ViewSpec`], indexed by entry id.
pub struct View {
    pub spec: ViewSpec,
    pub shown: Vec<bool>,
    pub mark: Vec<Mark>,
    /// Files: their size (a removed file: the size it had). Directories: the sum of the
    /// present files shown under them.
    pub size: Vec<u64>,
    pub is_dir: Vec<bool>,
}

impl View {
    pub fn compute(h: &History, spec: &ViewSpec) -> View {
        let n = h.len();
        let layer = spec.layer;
        let mut shown = vec![false; n];
        let mut mark = vec![Mark::Unchanged; n];
        let mut size = vec![0u64; n];
        let mut is_dir = vec![false; n];
        // A substring filter needs each path; built top-down (parents have smaller ids).
        let matches: Option<Vec<bool>> = (!spec.filter.is_empty()).then(|| {
            let mut paths: Vec<String> = Vec::with_capacity(n);
            let mut m = vec![false; n];
            for (id, hit) in m.iter_mut().enumerate() {
                let e = h.entry(id as Id);
                let p = if id == 0 {
                    String::new()
                } else {
                    format!("{}/{}", paths[e.parent as usize], e.name)
                };
                *hit = id != 0 && p.contains(&spec.filter);
                paths.push(p);
            }
            m
        });
        // Own status of each entry.
        let mut changed_below = vec![false; n];
        for id in 1..n {
            let id32 = id as Id;
            let mk = h.mark(id32, layer);
            let state = h.state_at(id32, layer);
            let (present, dir, own): (bool, bool, u64) = match (mk, state) {
                (Mark::Removed, _) => match h.before(id32, layer) {
                    Some(State::Present { size, dir }) => (false, dir, size),
                    _ => (false, false, 0),
                },
                (_, Some(State::Present { size, dir })) => (true, dir, size),
                _ => continue,
            };
            // Children of an earlier directory at this path may be gone; the bottom-up pass
            // below marks directories that still show something.
            is_dir[id] = dir;
            mark[id] = mk;
            let visible = if spec.aggregated {
                (present || mk == Mark::Removed) && (!spec.only_changes || mk != Mark::Unchanged)
            } else {
                mk != Mark::Unchanged
            };
            // Directories are decided bottom-up below (they show when something under them does).
            if visible && !is_dir[id] {
                shown[id] = !matches!(&matches, Some(m) if !m[id]);
                size[id] = own;
            } else if visible && is_dir[id] {
                // A directory shows on its own (empty, added, removed) unless filtered out; a
                // filter matching a directory matches every path under it too.
                shown[id] = !matches!(&matches, Some(m) if !m[id])
                    && (mk != Mark::Unchanged || spec.aggregated && !spec.only_changes);
            }
        }
        // Bottom-up: a directory shows if anything under it does; sizes add up present files.
        for id in (1..n).rev() {
            let e = h.entry(id as Id);
            let parent = e.parent as usize;
            if shown[id] {
                if parent != 0 {
                    shown[parent] = true;
                    if !is_dir[parent] {
                        is_dir[parent] = true;
                    }
                }
                let counts = mark[id] != Mark::Removed;
                if counts {
                    size[parent] += size[id];
                }
                if mark[id] != Mark::Unchanged {
                    changed_below[parent] = true;
                }
            }
            if changed_below[id] {
                changed_below[parent] = true;
            }
        }
        for id in 1..n {
            if is_dir[id] && mark[id] == Mark::Unchanged && changed_below[id] {
                mark[id] = Mark::Modified;
            }
        }
        View {
            spec: spec.clone(),
            shown,
            mark,
            size,
            is_dir,
        }
    }

    /// Total bytes shown.
    pub fn total(&self, h: &History) -> u64 {
        h.entry(0)
            .children
            .iter()
            .filter(|c| self.shown[**c as usize] && self.mark[**c as usize] != Mark::Removed)
            .map(|c| self.size[*c as usize])
            .sum()
    }

    /// The `n` biggest files shown, biggest first.
    pub fn biggest_files(&self, n: usize) -> Vec<Id> {
        let mut v: Vec<Id> = (1..self.shown.len())
            .filter(|&i| self.shown[i] && !self.is_dir[i] && self.mark[i] != Mark::Removed)
            .map(|i| i as Id)
            .collect();
        v.sort_by(|a, b| self.size[*b as usize].cmp(&self.size[*a as usize]).then(a.cmp(b)));
        v.truncate(n);
        v
    }
}

/// One line of the tree pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: Id,
    pub depth: u16,
    /// Bit d set: the ancestor at depth d (or the row itself at its depth) is its parent's
    /// last shown child, which decides the guide lines drawn before the name.
    pub last: u64,
}

/// Lists the shown entries, expanded directories opened, in name or size order.
pub fn rows(h: &History, v: &View, expanded: &[bool], by_size: bool, expand_all: bool) -> Vec<Row> {
    let mut out = Vec::new();
    let kids = |id: Id| -> Vec<Id> {
        let mut k: Vec<Id> = h
            .entry(id)
            .children
            .iter()
            .copied()
            .filter(|c| v.shown[*c as usize])
            .collect();
        if by_size {
            k.sort_by(|a, b| v.size[*b as usize].cmp(&v.size[*a as usize]));
        }
        k
    };
    // Stack of (remaining children reversed, depth, last-bits of ancestors).
    let mut stack: Vec<(Vec<Id>, u16, u64)> = Vec::new();
    let mut top = kids(0);
    top.reverse();
    stack.push((top, 0, 0));
    while let Some((pending, depth, bits)) = stack.last_mut() {
        let Some(id) = pending.pop() else {
            stack.pop();
            continue;
        };
        let (depth, mut bits) = (*depth, *bits);
        if pending.is_empty() && depth < 64 {
            bits |= 1 << depth;
        }
        out.push(Row {
            id,
            depth,
            last: bits,
        });
        let open = v.is_dir[id as usize] && (expand_all || expanded.get(id as usize).copied().unwrap_or(false));
        if open {
            let mut k = kids(id);
            if !k.is_empty() {
                k.reverse();
                stack.push((k, depth + 1, bits));
            }
        }
    }
    out
}
