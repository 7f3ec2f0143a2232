//! File trees built from tar metadata only: an arena of nodes, children kept sorted by name
//! (byte order), which is also the order dive walks them in. No file contents are kept.
use std::collections::BTreeMap;

/// Whiteout prefix of overlay/OCI layers: `.wh.NAME` deletes NAME from lower layers.
pub const WHITEOUT_PREFIX: &str = ".wh.";
/// `.wh..wh..opq` marks its directory opaque: lower layers' contents are hidden.
pub const OPAQUE_PREFIX: &str = ".wh..wh..";

/// Metadata of one tar entry; what dive keeps per node, minus the content hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileInfo {
    /// The tar header's size (0 for links, directories and devices).
    pub size: u64,
    pub mode: u32,
    /// The tar type flag byte ('0' file, '1' hard link, '2' symlink, '5' directory...).
    pub typeflag: u8,
    pub is_dir: bool,
    pub link: Option<Box<str>>,
}

impl FileInfo {
    pub fn is_regular(&self) -> bool {
        matches!(self.typeflag, b'0' | 0 | b'7') && !self.is_dir
    }
    pub fn is_symlink(&self) -> bool {
        self.typeflag == b'2'
    }
    pub fn is_hardlink(&self) -> bool {
        self.typeflag == b'1'
    }
}

pub type NodeId = u32;
pub const ROOT: NodeId = 0;

#[derive(Clone, Debug)]
pub struct Node {
    pub parent: NodeId,
    /// `None` for directories that only exist because a deeper path needs them
    /// (dive gives those an empty FileInfo: size 0, not a directory).
    pub info: Option<FileInfo>,
    /// Index of the layer that last set this node (stacked trees only).
    pub layer: u16,
    pub children: BTreeMap<Box<str>, NodeId>,
}

/// A tree of paths. Removing a node unlinks it; its arena slot is simply not reused,
/// which keeps ids stable and removal O(1).
#[derive(Clone, Debug)]
pub struct Tree {
    nodes: Vec<Node>,
}

impl Default for Tree {
    fn default() -> Self {
        Self::new()
    }
}

impl Tree {
    pub fn new() -> Self {
        Tree {
            nodes: vec![Node {
                parent: ROOT,
                info: None,
                layer: 0,
                children: BTreeMap::new(),
            }],
        }
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id as usize]
    }

    /// Makes room for `n` more nodes without the doubling slack of ordinary growth.
    pub fn reserve(&mut self, n: usize) {
        self.nodes.reserve_exact(n);
    }

    /// Releases spare arena capacity once a tree is complete.
    pub fn shrink(&mut self) {
        self.nodes.shrink_to_fit();
    }

    /// Number of arena slots (an upper bound of live nodes).
    pub fn capacity(&self) -> usize {
        self.nodes.len()
    }

    pub fn child(&self, id: NodeId, name: &str) -> Option<NodeId> {
        self.nodes[id as usize].children.get(name).copied()
    }

    /// Finds a node by its components.
    pub fn get<'a>(&self, parts: impl IntoIterator<Item = &'a str>) -> Option<NodeId> {
        let mut id = ROOT;
        for p in parts {
            id = self.child(id, p)?;
        }
        Some(id)
    }

    /// dive's `AddPath`: creates missing parents without payload, sets `info` on the last node.
    /// A missing component that starts with `.wh..wh..` stops the walk: opaque markers
    /// never become nodes. Returns the final node, if one was reached.
    pub fn add_path(
        &mut self,
        parts: &[&str],
        info: Option<FileInfo>,
        layer: u16,
    ) -> Option<NodeId> {
        let mut id = ROOT;
        let last = parts.len().checked_sub(1)?;
        for (i, name) in parts.iter().enumerate() {
            id = match self.child(id, name) {
                Some(c) => c,
                None => {
                    if name.starts_with(OPAQUE_PREFIX) {
                        return None;
                    }
                    let new = self.nodes.len() as NodeId;
                    self.nodes.push(Node {
                        parent: id,
                        info: None,
                        layer,
                        children: BTreeMap::new(),
                    });
                    self.nodes[id as usize].children.insert((*name).into(), new);
                    new
                }
            };
            if i == last {
                let n = &mut self.nodes[id as usize];
                n.info = info;
                n.layer = layer;
                return Some(id);
            }
        }
        None
    }

    /// Unlinks the node at `parts`; returns it if it existed.
    pub fn remove<'a>(&mut self, parts: impl IntoIterator<Item = &'a str>) -> Option<NodeId> {
        let mut parent = ROOT;
        let mut id = ROOT;
        let mut last_name: Option<&str> = None;
        for p in parts {
            parent = id;
            id = self.child(id, p)?;
            last_name = Some(p);
        }
        let name = last_name?;
        self.nodes[parent as usize].children.remove(name);
        Some(id)
    }

    /// Sum of sizes of the node and everything under it.
    pub fn subtree_size(&self, id: NodeId) -> u64 {
        let mut total = 0u64;
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            let node = &self.nodes[n as usize];
            total += node.info.as_ref().map_or(0, |i| i.size);
            stack.extend(node.children.values().copied());
        }
        total
    }

    /// Visits every node below the root, children before their parent, siblings by name:
    /// the order of dive's `VisitDepthChildFirst`. The callback gets the node, its name and
    /// its path components; returning `false` stops the walk.
    pub fn walk_child_first(&self, mut f: impl FnMut(NodeId, &str, &[&str]) -> bool) {
        // Explicit stack so deep trees cannot overflow the thread's stack.
        struct Frame<'a> {
            iter: std::collections::btree_map::Iter<'a, Box<str>, NodeId>,
            id: NodeId,
            name: &'a str,
        }
        let mut path: Vec<&str> = Vec::new();
        let mut stack: Vec<Frame<'_>> = vec![Frame {
            iter: self.nodes[0].children.iter(),
            id: ROOT,
            name: "",
        }];
        while let Some(top) = stack.last_mut() {
            match top.iter.next() {
                Some((name, &child)) => {
                    path.push(name);
                    stack.push(Frame {
                        iter: self.nodes[child as usize].children.iter(),
                        id: child,
                        name,
                    });
                }
                None => {
                    let frame = stack.pop().expect("non-empty");
                    if frame.id != ROOT {
                        let keep_going = f(frame.id, frame.name, &path);
                        path.pop();
                        if !keep_going {
                            return;
                        }
                    }
                }
            }
        }
    }

    /// Parents before children, siblings by name.
    pub fn walk_parent_first(&self, mut f: impl FnMut(NodeId, &str, &[&str])) {
        let mut path: Vec<&str> = Vec::new();
        let mut stack: Vec<(
            std::collections::btree_map::Iter<'_, Box<str>, NodeId>,
            usize,
        )> = vec![(self.nodes[0].children.iter(), 0)];
        while let Some((iter, depth)) = stack.last_mut() {
            let depth = *depth;
            match iter.next() {
                Some((name, &child)) => {
                    path.truncate(depth);
                    path.push(name);
                    f(child, name, &path);
                    stack.push((self.nodes[child as usize].children.iter(), depth + 1));
                }
                None => {
                    stack.pop();
                }
            }
        }
    }
}

/// Joins components into an absolute path the way dive prints it.
pub fn join_path(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for p in parts {
        s.push('/');
        s.push_str(p);
    }
    if s.is_empty() {
        s.push('/');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(size: u64) -> Option<FileInfo> {
        Some(FileInfo {
            size,
            mode: 0o644,
            typeflag: b'0',
            is_dir: false,
            link: None,
        })
    }

    #[test]
    fn child_first_order_matches_dive() {
        let mut t = Tree::new();
        t.add_path(&["a.b"], file(1), 0);
        t.add_path(&["a", "b"], file(2), 0);
        t.add_path(&["a", "a"], file(3), 0);
        let mut seen = vec![];
        t.walk_child_first(|_, _, p| {
            seen.push(join_path(p));
            true
        });
        assert_eq!(seen, ["/a/a", "/a/b", "/a", "/a.b"]);
    }

    #[test]
    fn opaque_markers_never_become_nodes_but_parents_do() {
        let mut t = Tree::new();
        assert!(t.add_path(&["d", ".wh..wh..opq"], file(0), 0).is_none());
        let d = t.get(["d"]).unwrap();
        assert!(t.node(d).children.is_empty());
        assert!(t.node(d).info.is_none());
    }

    #[test]
    fn remove_and_subtree_size() {
        let mut t = Tree::new();
        t.add_path(&["x", "y", "z"], file(5), 0);
        t.add_path(&["x", "w"], file(7), 0);
        assert_eq!(t.subtree_size(t.get(["x"]).unwrap()), 12);
        assert!(t.remove(["x", "y"]).is_some());
        assert_eq!(t.subtree_size(t.get(["x"]).unwrap()), 7);
        assert!(t.remove(["x", "nope"]).is_none());
    }
}
