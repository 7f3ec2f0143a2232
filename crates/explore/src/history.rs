//! Every path any layer touches, in one tree, each with what each layer did to it.
//!
//! The explorer shows a layer's own changes or the file system as it is after a layer; keeping
//! one tree with per-path events (instead of one tree per layer, as dive does) answers both
//! for any layer with a single pass, and costs one node per distinct path.
use dockstage_image::layer::LayerTree;
use dockstage_image::tree::{NodeId, Tree, OPAQUE_PREFIX, ROOT, WHITEOUT_PREFIX};

pub type Id = u32;

/// What a layer left at a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Present { size: u64, dir: bool },
    Gone,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub layer: u16,
    pub state: State,
}

/// How an entry looks from one layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Unchanged,
    Added,
    Modified,
    Removed,
}

#[derive(Debug)]
pub struct Entry {
    pub name: Box<str>,
    pub parent: Id,
    /// Sorted by name (byte order).
    pub children: Vec<Id>,
    /// In layer order; several for one layer when a whiteout is followed by a new copy.
    pub events: Vec<Event>,
}

/// The union of all layers' paths. Parents always have smaller ids than their children,
/// which lets bottom-up sums run as one reverse loop.
#[derive(Debug)]
pub struct History {
    entries: Vec<Entry>,
    layers: usize,
}

impl Default for History {
    fn default() -> Self {
        Self::new()
    }
}

impl History {
    pub fn new() -> History {
        History {
            entries: vec![Entry {
                name: "".into(),
                parent: 0,
                children: Vec::new(),
                events: vec![Event {
                    layer: 0,
                    state: State::Present { size: 0, dir: true },
                }],
            }],
            layers: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.len() <= 1
    }

    /// How many layers were added.
    pub fn layers(&self) -> usize {
        self.layers
    }

    pub fn entry(&self, id: Id) -> &Entry {
        &self.entries[id as usize]
    }

    pub fn child(&self, id: Id, name: &str) -> Option<Id> {
        let ch = &self.entries[id as usize].children;
        ch.binary_search_by(|c| (*self.entries[*c as usize].name).cmp(name))
            .ok()
            .map(|i| ch[i])
    }

    /// Finds an absolute path ("/a/b").
    pub fn find(&self, path: &str) -> Option<Id> {
        let mut id = 0;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            id = self.child(id, part)?;
        }
        Some(id)
    }

    pub fn path(&self, id: Id) -> String {
        let mut parts = Vec::new();
        let mut n = id;
        while n != 0 {
            parts.push(&*self.entries[n as usize].name);
            n = self.entries[n as usize].parent;
        }
        if parts.is_empty() {
            return "/".into();
        }
        parts.iter().rev().fold(String::new(), |mut s, p| {
            s.push('/');
            s.push_str(p);
            s
        })
    }

    fn child_or_insert(&mut self, parent: Id, name: &str) -> Id {
        let pos = {
            let entries = &self.entries;
            entries[parent as usize]
                .children
                .binary_search_by(|c| (*entries[*c as usize].name).cmp(name))
        };
        match pos {
            Ok(i) => self.entries[parent as usize].children[i],
            Err(i) => {
                let id = self.entries.len() as Id;
                self.entries.push(Entry {
                    name: name.into(),
                    parent,
                    children: Vec::new(),
                    events: Vec::new(),
                });
                self.entries[parent as usize].children.insert(i, id);
                id
            }
        }
    }

    /// The state after `layer` (including it), if any layer up to it touched the path.
    pub fn state_at(&self, id: Id, layer: usize) -> Option<State> {
        self.entries[id as usize]
            .events
            .iter()
            .rev()
            .find(|e| e.layer as usize <= layer)
            .map(|e| e.state)
    }

    /// What `layer` did to the entry.
    pub fn mark(&self, id: Id, layer: usize) -> Mark {
        let ev = &self.entries[id as usize].events;
        let Some(now) = ev.iter().rev().find(|e| e.layer as usize == layer) else {
            return Mark::Unchanged;
        };
        if id == ROOT as Id {
            return Mark::Unchanged;
        }
        match now.state {
            State::Gone => Mark::Removed,
            State::Present { .. } => {
                let before = ev.iter().rev().find(|e| (e.layer as usize) < layer);
                match before.map(|e| e.state) {
                    Some(State::Present { .. }) => Mark::Modified,
                    _ => Mark::Added,
                }
            }
        }
    }

    /// The last state before `layer` changed it: what a removed entry was.
    pub fn before(&self, id: Id, layer: usize) -> Option<State> {
        self.entries[id as usize]
            .events
            .iter()
            .rev()
            .find(|e| (e.layer as usize) < layer)
            .map(|e| e.state)
    }

    fn present_at(&self, id: Id, layer: usize) -> bool {
        matches!(self.state_at(id, layer), Some(State::Present { .. }))
    }

    /// Marks `id` and everything under it that is present before `layer` as gone in `layer`.
    fn remove_subtree(&mut self, id: Id, layer: u16, include_self: bool) {
        let mut stack = if include_self {
            vec![id]
        } else {
            self.entries[id as usize].children.clone()
        };
        while let Some(n) = stack.pop() {
            // Earlier events of this same layer (an entry written, then hidden) are replaced.
            if self.present_at(n, layer as usize) {
                self.entries[n as usize].events.push(Event {
                    layer,
                    state: State::Gone,
                });
                stack.extend(self.entries[n as usize].children.iter().copied());
            }
        }
    }

    /// Adds the next layer (bottom first): its opaque directories hide what lower layers put
    /// there, its whiteouts delete, every other entry is written.
    pub fn push_layer(&mut self, layer: &LayerTree) {
        let index = self.layers as u16;
        self.layers += 1;
        for dir in &layer.opaque_dirs {
            if let Some(id) = self.find_parts(dir.iter().map(|s| &**s)) {
                if index > 0 {
                    self.remove_subtree(id, index, false);
                }
            }
        }
        let tree: &Tree = &layer.tree;
        // Parents first, so a directory's event precedes its children's and ids grow downwards.
        let mut ids: Vec<Id> = vec![0; tree.capacity()];
        tree.walk_parent_first(|nid: NodeId, name, _| {
            let node = tree.node(nid);
            let parent = ids[node.parent as usize];
            if name.starts_with(OPAQUE_PREFIX) {
                return;
            }
            if let Some(target) = name.strip_prefix(WHITEOUT_PREFIX) {
                if let Some(t) = self.child(parent, target) {
                    self.remove_subtree(t, index, true);
                }
                return;
            }
            let id = self.child_or_insert(parent, name);
            ids[nid as usize] = id;
            let is_dir = !matches!(&node.info, Some(i) if !i.is_dir) || tree.has_children(nid);
            // Directories that only exist as parents of deeper entries change nothing when
            // they are there already as directories (over a file they replace it, as in dive).
            if node.info.is_none()
                && matches!(self.state_at(id, index as usize), Some(State::Present { dir: true, .. }))
            {
                return;
            }
            self.entries[id as usize].events.push(Event {
                layer: index,
                state: State::Present {
                    size: node.info.as_ref().filter(|_| !is_dir).map_or(0, |i| i.size),
                    dir: is_dir,
                },
            });
        });
    }

    fn find_parts<'a>(&self, parts: impl IntoIterator<Item = &'a str>) -> Option<Id> {
        let mut id = 0;
        for p in parts {
            id = self.child(id, p)?;
        }
        Some(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dockstage_image::tree::FileInfo;

    fn file(size: u64) -> Option<FileInfo> {
        Some(FileInfo {
            size,
            mode: 0o644,
            typeflag: b'0',
            is_dir: false,
        })
    }

    fn layer(entries: &[(&str, u64)], opaque: &[&str]) -> LayerTree {
        let mut t = Tree::new();
        for (p, s) in entries {
            let parts: Vec<&str> = p.split('/').filter(|x| !x.is_empty()).collect();
            t.add_path(&parts, file(*s), 0);
        }
        LayerTree {
            tree: t,
            size: 0,
            entries: entries.len() as u64,
            opaque_dirs: opaque
                .iter()
                .map(|d| d.split('/').filter(|x| !x.is_empty()).map(Into::into).collect())
                .collect(),
            compression: None,
            captured: Vec::new(),
            digests: Vec::new(),
        }
    }

    #[test]
    fn marks_follow_each_layer() {
        let mut h = History::new();
        h.push_layer(&layer(&[("/a/x", 1), ("/a/y", 2), ("/b/z", 3)], &[]));
        h.push_layer(&layer(&[("/a/x", 10), ("/a/.wh.y", 0), ("/c", 4)], &[]));
        h.push_layer(&layer(&[("/b/new", 5)], &["/b"]));
        let x = h.find("/a/x").unwrap();
        let y = h.find("/a/y").unwrap();
        let z = h.find("/b/z").unwrap();
        assert_eq!(h.mark(x, 0), Mark::Added);
        assert_eq!(h.mark(x, 1), Mark::Modified);
        assert_eq!(h.mark(y, 1), Mark::Removed);
        assert_eq!(h.state_at(y, 2), Some(State::Gone));
        assert_eq!(h.mark(z, 2), Mark::Removed);
        assert_eq!(h.mark(h.find("/b/new").unwrap(), 2), Mark::Added);
        assert_eq!(h.mark(h.find("/c").unwrap(), 0), Mark::Unchanged);
        assert_eq!(h.path(x), "/a/x");
        assert!(h.find("/a/.wh.y").is_none());
    }
}
