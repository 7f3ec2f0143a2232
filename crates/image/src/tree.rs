//! File trees built from tar metadata only: an arena of nodes, children kept sorted by name
//! (byte order), which is also the order dive walks them in. No file contents are kept.

/// Whiteout prefix of overlay/OCI layers: `.wh.NAME` deletes NAME from lower layers.
pub const WHITEOUT_PREFIX: &str = ".wh.";
/// `.wh..wh..opq` marks its directory opaque: lower layers' contents are hidden.
pub const OPAQUE_PREFIX: &str = ".wh..wh..";

/// Metadata of one tar entry; what dive keeps per node, minus the content hash and the link
/// target (few entries have one: the tree keeps those aside, see [`Tree::link`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileInfo {
    /// The tar header's size (0 for links, directories and devices).
    pub size: u64,
    pub mode: u32,
    /// The tar type flag byte ('0' file, '1' hard link, '2' symlink, '5' directory...).
    pub typeflag: u8,
    pub is_dir: bool,
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

/// `Node::children` of a node that never had a child.
const NO_CHILDREN: u32 = u32::MAX;
/// `Node::name_len` of a name too long for it; the length is then in `Tree::long_names`.
const LONG_NAME: u16 = u16::MAX;

/// One path component. Kept small because a tree has a node per entry of every layer (a
/// stacked tree of a large image holds hundreds of thousands): the name is a range of the
/// tree's name bytes and the children a list in the tree's table of directories.
#[derive(Clone, Debug)]
pub struct Node {
    pub parent: NodeId,
    name_start: u32,
    name_len: u16,
    /// Index of the layer that last set this node (stacked trees only).
    pub layer: u16,
    /// Index into `Tree::dirs`, or `NO_CHILDREN`.
    children: u32,
    /// `None` for directories that only exist because a deeper path needs them
    /// (dive gives those an empty FileInfo: size 0, not a directory).
    pub info: Option<FileInfo>,
}

/// A tree of paths. Removing a node unlinks it; its arena slot is simply not reused,
/// which keeps ids stable and removal O(1).
#[derive(Clone, Debug)]
pub struct Tree {
    nodes: Vec<Node>,
    /// Every node's name, one after the other, and the link targets.
    names: String,
    /// Children of the nodes that have some, each list sorted by name (byte order).
    dirs: Vec<Vec<NodeId>>,
    /// Link targets (symbolic and hard) by node, as ranges of `names`.
    links: std::collections::HashMap<NodeId, (u32, u32)>,
    /// Lengths of names of `LONG_NAME` bytes or more, by start.
    long_names: std::collections::HashMap<u32, u32>,
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
                name_start: 0,
                name_len: 0,
                layer: 0,
                children: NO_CHILDREN,
                info: None,
            }],
            names: String::new(),
            dirs: Vec::new(),
            links: Default::default(),
            long_names: Default::default(),
        }
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id as usize]
    }

    /// The name of `id` ("" for the root).
    pub fn name(&self, id: NodeId) -> &str {
        self.name_of(&self.nodes[id as usize])
    }

    fn name_of(&self, node: &Node) -> &str {
        let start = node.name_start as usize;
        let len = match node.name_len {
            LONG_NAME => self.long_names.get(&node.name_start).map_or(0, |&l| l as usize),
            l => l as usize,
        };
        // Ranges are made when the bytes are appended, on `&str` boundaries.
        self.names.get(start..start + len).unwrap_or_default()
    }

    /// Appends text to `names`; returns its start. The readers bound the bytes an image may
    /// name (`Limits::max_name_bytes`) far below 4 GiB.
    fn push_text(&mut self, s: &str) -> u32 {
        let start = u32::try_from(self.names.len()).expect("names of a tree stay under 4 GiB");
        self.names.push_str(s);
        start
    }

    fn push_name(&mut self, s: &str) -> (u32, u16) {
        let start = self.push_text(s);
        match u16::try_from(s.len()) {
            Ok(len) if len < LONG_NAME => (start, len),
            _ => {
                self.long_names.insert(start, s.len() as u32);
                (start, LONG_NAME)
            }
        }
    }

    /// The target of a symbolic or hard link, as the tar header gives it.
    pub fn link(&self, id: NodeId) -> Option<&str> {
        let &(start, len) = self.links.get(&id)?;
        self.names.get(start as usize..start as usize + len as usize)
    }

    /// Sets (or with `None` clears) the link target of `id`.
    pub fn set_link(&mut self, id: NodeId, target: Option<&str>) {
        match target {
            Some(t) => {
                if self.link(id) == Some(t) {
                    return;
                }
                let start = self.push_text(t);
                self.links.insert(id, (start, t.len() as u32));
            }
            None => {
                if !self.links.is_empty() {
                    self.links.remove(&id);
                }
            }
        }
    }

    /// Makes room for the nodes, names and directories of `other` (the layer about to be
    /// stacked on this tree) without the doubling slack of ordinary growth.
    pub fn reserve_for(&mut self, other: &Tree) {
        self.nodes.reserve_exact(other.nodes.len());
        self.names.reserve_exact(other.names.len());
        self.dirs.reserve_exact(other.dirs.len());
    }

    /// Releases spare capacity (of the arenas and of every child list) once a tree is complete.
    pub fn shrink(&mut self) {
        self.nodes.shrink_to_fit();
        self.names.shrink_to_fit();
        self.dirs.shrink_to_fit();
        for c in &mut self.dirs {
            c.shrink_to_fit();
        }
        self.links.shrink_to_fit();
    }

    /// Number of arena slots (an upper bound of live nodes).
    pub fn capacity(&self) -> usize {
        self.nodes.len()
    }

    /// Ids of the children of `id`, by name.
    pub fn child_ids(&self, id: NodeId) -> &[NodeId] {
        match self.nodes[id as usize].children {
            NO_CHILDREN => &[],
            d => &self.dirs[d as usize],
        }
    }

    pub fn has_children(&self, id: NodeId) -> bool {
        !self.child_ids(id).is_empty()
    }

    /// The children of `id` with their names, by name.
    pub fn children(&self, id: NodeId) -> impl DoubleEndedIterator<Item = (&str, NodeId)> + '_ {
        self.child_ids(id).iter().map(|&c| (self.name(c), c))
    }

    /// Where `name` is or would go among the children of `id`.
    fn find_child(&self, id: NodeId, name: &str) -> Result<usize, usize> {
        self.child_ids(id)
            .binary_search_by(|&c| self.name(c).as_bytes().cmp(name.as_bytes()))
    }

    pub fn child(&self, id: NodeId, name: &str) -> Option<NodeId> {
        let at = self.find_child(id, name).ok()?;
        Some(self.child_ids(id)[at])
    }

    /// Finds a node by its components.
    pub fn get<'a>(&self, parts: impl IntoIterator<Item = &'a str>) -> Option<NodeId> {
        let mut id = ROOT;
        for p in parts {
            id = self.child(id, p)?;
        }
        Some(id)
    }

    /// dive's `AddPath`: creates missing parents without payload, sets `info` on the last node
    /// and clears its link target (set it again with [`Tree::set_link`]).
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
            id = match self.find_child(id, name) {
                Ok(at) => self.child_ids(id)[at],
                Err(at) => {
                    if name.starts_with(OPAQUE_PREFIX) {
                        return None;
                    }
                    let new = self.nodes.len() as NodeId;
                    let (name_start, name_len) = self.push_name(name);
                    self.nodes.push(Node {
                        parent: id,
                        name_start,
                        name_len,
                        layer,
                        children: NO_CHILDREN,
                        info: None,
                    });
                    let parent = &mut self.nodes[id as usize];
                    if parent.children == NO_CHILDREN {
                        parent.children = self.dirs.len() as u32;
                        self.dirs.push(Vec::new());
                    }
                    self.dirs[parent.children as usize].insert(at, new);
                    new
                }
            };
            if i == last {
                let n = &mut self.nodes[id as usize];
                n.info = info;
                n.layer = layer;
                self.set_link(id, None);
                return Some(id);
            }
        }
        None
    }

    /// Unlinks the node at `parts`; returns it if it existed.
    pub fn remove<'a>(&mut self, parts: impl IntoIterator<Item = &'a str>) -> Option<NodeId> {
        let mut parent = ROOT;
        let mut id = ROOT;
        let mut at = 0;
        let mut any = false;
        for p in parts {
            parent = id;
            at = self.find_child(id, p).ok()?;
            id = self.child_ids(id)[at];
            any = true;
        }
        if !any {
            return None;
        }
        // The node has a child list since `id` was found in it.
        let list = self.nodes[parent as usize].children as usize;
        if let Some(c) = self.dirs.get_mut(list) {
            c.remove(at);
        }
        Some(id)
    }

    /// Sum of sizes of the node and everything under it.
    pub fn subtree_size(&self, id: NodeId) -> u64 {
        let mut total = 0u64;
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            total += self.nodes[n as usize].info.map_or(0, |i| i.size);
            stack.extend_from_slice(self.child_ids(n));
        }
        total
    }

    /// Visits every node below the root, children before their parent, siblings by name:
    /// the order of dive's `VisitDepthChildFirst`. The callback gets the node, its name and
    /// its path components; returning `false` stops the walk.
    pub fn walk_child_first(&self, mut f: impl FnMut(NodeId, &str, &[&str]) -> bool) {
        // Explicit stack so deep trees cannot overflow the thread's stack.
        struct Frame<'a> {
            iter: std::slice::Iter<'a, NodeId>,
            id: NodeId,
        }
        let mut path: Vec<&str> = Vec::new();
        let mut stack: Vec<Frame<'_>> = vec![Frame {
            iter: self.child_ids(ROOT).iter(),
            id: ROOT,
        }];
        while let Some(top) = stack.last_mut() {
            match top.iter.next() {
                Some(&child) => {
                    path.push(self.name(child));
                    stack.push(Frame {
                        iter: self.child_ids(child).iter(),
                        id: child,
                    });
                }
                None => {
                    let frame = stack.pop().expect("non-empty");
                    if frame.id != ROOT {
                        let name = self.name(frame.id);
                        let keep_going = f(frame.id, name, &path);
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
        let mut stack: Vec<(std::slice::Iter<'_, NodeId>, usize)> =
            vec![(self.child_ids(ROOT).iter(), 0)];
        while let Some((iter, depth)) = stack.last_mut() {
            let depth = *depth;
            match iter.next() {
                Some(&child) => {
                    let name = self.name(child);
                    path.truncate(depth);
                    path.push(name);
                    f(child, name, &path);
                    stack.push((self.child_ids(child).iter(), depth + 1));
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
        assert!(!t.has_children(d));
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

    /// Every entry of every layer and of the stacked tree is a node: its size is most of
    /// `inspect`'s heap (issue 13). Grow it only knowingly.
    #[test]
    fn node_stays_small() {
        assert_eq!(std::mem::size_of::<Option<FileInfo>>(), 16);
        assert_eq!(std::mem::size_of::<Node>(), 32);
    }

    #[test]
    fn names_links_and_long_names() {
        let mut t = Tree::new();
        let long = "n".repeat(70_000);
        let l = t.add_path(&["d", &long], file(1), 0).unwrap();
        let s = t.add_path(&["d", "s"], file(0), 0).unwrap();
        t.set_link(s, Some("../target"));
        assert_eq!(t.name(l), long);
        assert_eq!(t.name(s), "s");
        assert_eq!(t.name(ROOT), "");
        assert_eq!(t.link(s), Some("../target"));
        assert_eq!(t.link(l), None);
        assert_eq!(t.get(["d", long.as_str()]), Some(l));
        t.shrink();
        assert_eq!(t.children(t.get(["d"]).unwrap()).map(|(n, _)| n.len()).collect::<Vec<_>>(), [70_000, 1]);
        // Writing the path again (a later layer) replaces the entry, link included.
        assert_eq!(t.add_path(&["d", "s"], file(3), 1), Some(s));
        assert_eq!(t.link(s), None);
    }
}
