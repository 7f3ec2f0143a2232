//! File trees built from tar metadata only: an arena of nodes, children kept sorted by name
//! (byte order), which is also the order dive walks them in. No file contents are kept.

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

/// A path component, stored in the node itself when short (almost all are): a tree of a few
/// hundred thousand entries then makes no allocation per name.
#[derive(Clone)]
enum Name {
    Inline { len: u8, bytes: [u8; INLINE_NAME] },
    Heap(Box<str>),
}

/// Bytes a name may have and still be stored inline: what fits beside the length and the tag
/// in the 24 bytes the heap variant takes anyway.
const INLINE_NAME: usize = 22;

impl Name {
    fn new(s: &str) -> Name {
        if s.len() <= INLINE_NAME {
            let mut bytes = [0u8; INLINE_NAME];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Name::Inline {
                len: s.len() as u8,
                bytes,
            }
        } else {
            Name::Heap(s.into())
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            Name::Inline { len, bytes } => &bytes[..*len as usize],
            Name::Heap(s) => s.as_bytes(),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Made from a `&str` and cut at its length: always valid UTF-8.
            Name::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Name::Heap(s) => s,
        }
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

#[derive(Clone, Debug)]
pub struct Node {
    pub parent: NodeId,
    /// `None` for directories that only exist because a deeper path needs them
    /// (dive gives those an empty FileInfo: size 0, not a directory).
    pub info: Option<FileInfo>,
    /// Index of the layer that last set this node (stacked trees only).
    pub layer: u16,
    name: Name,
    /// Children sorted by name (byte order); see [`Tree::children`]. Boxed so that files, most
    /// of the nodes, pay one pointer for it.
    children: Option<Box<Vec<NodeId>>>,
}

impl Node {
    pub fn name(&self) -> &str {
        self.name.as_str()
    }

    pub fn has_children(&self) -> bool {
        !self.child_ids().is_empty()
    }

    /// Ids of the children, by name.
    pub fn child_ids(&self) -> &[NodeId] {
        self.children.as_deref().map_or(&[], Vec::as_slice)
    }
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
                name: Name::new(""),
                children: None,
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

    /// Releases spare capacity (of the arena and of every child list) once a tree is complete.
    pub fn shrink(&mut self) {
        self.nodes.shrink_to_fit();
        for c in self.nodes.iter_mut().filter_map(|n| n.children.as_mut()) {
            c.shrink_to_fit();
        }
    }

    /// Number of arena slots (an upper bound of live nodes).
    pub fn capacity(&self) -> usize {
        self.nodes.len()
    }

    /// The children of `id` with their names, by name.
    pub fn children(&self, id: NodeId) -> impl DoubleEndedIterator<Item = (&str, NodeId)> + '_ {
        self.nodes[id as usize]
            .child_ids()
            .iter()
            .map(|&c| (self.nodes[c as usize].name(), c))
    }

    /// Where `name` is or would go among the children of `id`.
    fn find_child(&self, id: NodeId, name: &str) -> Result<usize, usize> {
        self.nodes[id as usize]
            .child_ids()
            .binary_search_by(|&c| self.nodes[c as usize].name.as_bytes().cmp(name.as_bytes()))
    }

    pub fn child(&self, id: NodeId, name: &str) -> Option<NodeId> {
        let at = self.find_child(id, name).ok()?;
        Some(self.nodes[id as usize].child_ids()[at])
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
            id = match self.find_child(id, name) {
                Ok(at) => self.nodes[id as usize].child_ids()[at],
                Err(at) => {
                    if name.starts_with(OPAQUE_PREFIX) {
                        return None;
                    }
                    let new = self.nodes.len() as NodeId;
                    self.nodes.push(Node {
                        parent: id,
                        info: None,
                        layer,
                        name: Name::new(name),
                        children: None,
                    });
                    self.nodes[id as usize]
                        .children
                        .get_or_insert_with(Default::default)
                        .insert(at, new);
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
        let mut at = 0;
        let mut any = false;
        for p in parts {
            parent = id;
            at = self.find_child(id, p).ok()?;
            id = self.nodes[id as usize].child_ids()[at];
            any = true;
        }
        if !any {
            return None;
        }
        if let Some(c) = self.nodes[parent as usize].children.as_mut() {
            c.remove(at);
        }
        Some(id)
    }

    /// Sum of sizes of the node and everything under it.
    pub fn subtree_size(&self, id: NodeId) -> u64 {
        let mut total = 0u64;
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            let node = &self.nodes[n as usize];
            total += node.info.as_ref().map_or(0, |i| i.size);
            stack.extend_from_slice(node.child_ids());
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
            iter: self.nodes[0].child_ids().iter(),
            id: ROOT,
        }];
        while let Some(top) = stack.last_mut() {
            match top.iter.next() {
                Some(&child) => {
                    let node = &self.nodes[child as usize];
                    path.push(node.name());
                    stack.push(Frame {
                        iter: node.child_ids().iter(),
                        id: child,
                    });
                }
                None => {
                    let frame = stack.pop().expect("non-empty");
                    if frame.id != ROOT {
                        let name = self.nodes[frame.id as usize].name();
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
            vec![(self.nodes[0].child_ids().iter(), 0)];
        while let Some((iter, depth)) = stack.last_mut() {
            let depth = *depth;
            match iter.next() {
                Some(&child) => {
                    let node = &self.nodes[child as usize];
                    let name = node.name();
                    path.truncate(depth);
                    path.push(name);
                    f(child, name, &path);
                    stack.push((node.child_ids().iter(), depth + 1));
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
        assert!(!t.node(d).has_children());
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
