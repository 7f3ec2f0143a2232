//! The explorer's state and what each key does to it; drawing is in [`crate::ui`].
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dockstage_image::analysis::{Analysis, InstructionRef};
use dockstage_image::config::HistoryEntry;
use dockstage_image::dockerfile_map::{self, Instruction};
use dockstage_image::layer::LayerTree;
use dockstage_image::source::LayerMeta;

use crate::history::{History, Id, Mark};
use crate::view::{rows, Row, View, ViewSpec};

/// Which pane the arrow keys move in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Layers,
    Tree,
}

/// What is known of a layer once it is read.
#[derive(Clone, Debug)]
pub struct LayerInfo {
    pub meta: LayerMeta,
    /// dive's layer size: the sum of the tar's header sizes.
    pub size: u64,
    pub entries: u64,
}

/// Everything the screens show; fed by [`App::push_layer`] and [`App::finish`] as the image
/// is read, changed by [`App::key`].
pub struct App {
    pub name: String,
    pub history: Vec<HistoryEntry>,
    /// Per layer: the history entry that made it.
    pub layer_history: Vec<Option<usize>>,
    /// Per history entry: the Dockerfile instruction that made it.
    pub instructions: Vec<Option<InstructionRef>>,
    pub total_layers: usize,
    pub layers: Vec<LayerInfo>,
    pub tree: History,
    pub analysis: Option<Analysis>,
    /// Source bytes read so far and in all (0 when unknown).
    pub bytes_read: u64,
    pub bytes_total: u64,
    pub color: bool,

    pub focus: Focus,
    pub layer: usize,
    pub aggregated: bool,
    pub only_changes: bool,
    pub by_size: bool,
    pub filter: String,
    pub editing_filter: bool,
    pub expand_all: bool,
    pub help: bool,
    pub message: Option<String>,
    pub quit: bool,

    view: Option<View>,
    rows: Vec<Row>,
    expanded: Vec<bool>,
    pub cursor: usize,
    pub tree_scroll: usize,
    pub layer_scroll: usize,
    /// Rows the tree pane had at the last draw, for page moves.
    pub tree_height: usize,
    next_biggest: usize,
    next_wasted: usize,
}

impl App {
    pub fn new(
        name: &str,
        history: Vec<HistoryEntry>,
        total_layers: usize,
        dockerfile: Option<&[Instruction]>,
        color: bool,
    ) -> App {
        let layer_history = dockerfile_map::layer_history(&history, total_layers);
        let instructions = match dockerfile {
            Some(d) => dockerfile_map::map_history(&history, d),
            None => vec![None; history.len()],
        };
        App {
            name: name.to_string(),
            history,
            layer_history,
            instructions,
            total_layers,
            layers: Vec::new(),
            tree: History::new(),
            analysis: None,
            bytes_read: 0,
            bytes_total: 0,
            color,
            focus: Focus::Layers,
            layer: 0,
            aggregated: true,
            only_changes: false,
            by_size: false,
            filter: String::new(),
            editing_filter: false,
            expand_all: false,
            help: false,
            message: None,
            quit: false,
            view: None,
            rows: Vec::new(),
            expanded: Vec::new(),
            cursor: 0,
            tree_scroll: 0,
            layer_scroll: 0,
            tree_height: 10,
            next_biggest: 0,
            next_wasted: 0,
        }
    }

    /// The next layer, bottom first, as the reader yields it.
    pub fn push_layer(&mut self, meta: LayerMeta, layer: &LayerTree) {
        self.tree.push_layer(layer);
        self.layers.push(LayerInfo {
            meta,
            size: layer.size,
            entries: layer.entries,
        });
        self.expanded.resize(self.tree.len(), false);
        // New entries grow the per-entry arrays, so the view is computed again.
        self.view = None;
        self.refresh();
    }

    /// All layers are read and analysed.
    pub fn finish(&mut self, analysis: Analysis) {
        self.analysis = Some(analysis);
    }

    pub fn loading(&self) -> bool {
        self.analysis.is_none()
    }

    pub fn view(&self) -> Option<&View> {
        self.view.as_ref()
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The command that made a layer: the Dockerfile instruction when mapped, else history's.
    pub fn command(&self, layer: usize) -> (Option<usize>, String) {
        let hist = self.layer_history.get(layer).copied().flatten();
        if let Some(ins) = hist.and_then(|h| self.instructions.get(h)).and_then(|i| i.as_ref()) {
            return (Some(ins.line), ins.text.clone());
        }
        let raw = hist
            .and_then(|h| self.history[h].created_by.as_deref())
            .unwrap_or("");
        (None, clean_command(raw))
    }

    fn spec(&self) -> ViewSpec {
        ViewSpec {
            layer: self.layer,
            aggregated: self.aggregated,
            only_changes: self.only_changes,
            filter: self.filter.clone(),
        }
    }

    /// Recomputes the view when its spec changed (or it was dropped), then the rows.
    fn refresh(&mut self) {
        if self.layers.is_empty() {
            return;
        }
        let spec = self.spec();
        if self.view.as_ref().map(|v| &v.spec) != Some(&spec) {
            self.view = Some(View::compute(&self.tree, &spec));
        }
        self.relist();
    }

    fn relist(&mut self) {
        let Some(v) = &self.view else { return };
        let keep = self.rows.get(self.cursor).map(|r| r.id);
        let expand_all = self.expand_all || !self.filter.is_empty();
        self.rows = rows(&self.tree, v, &self.expanded, self.by_size, expand_all);
        self.cursor = keep
            .and_then(|id| self.rows.iter().position(|r| r.id == id))
            .unwrap_or(self.cursor.min(self.rows.len().saturating_sub(1)));
    }

    /// Opens every ancestor of `id` and puts the cursor on it.
    fn reveal(&mut self, id: Id) {
        let mut p = self.tree.entry(id).parent;
        while p != 0 {
            self.expanded[p as usize] = true;
            p = self.tree.entry(p).parent;
        }
        self.relist();
        if let Some(i) = self.rows.iter().position(|r| r.id == id) {
            self.cursor = i;
            self.tree_scroll = i.saturating_sub(self.tree_height / 2);
        }
    }

    fn select_layer(&mut self, l: usize) {
        let max = self.layers.len().saturating_sub(1);
        self.layer = l.min(max);
        self.next_biggest = 0;
        self.refresh();
    }

    pub fn selected(&self) -> Option<Id> {
        self.rows.get(self.cursor).map(|r| r.id)
    }

    pub fn key(&mut self, k: KeyEvent) {
        if k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char('c') {
            self.quit = true;
            return;
        }
        if self.editing_filter {
            match k.code {
                KeyCode::Enter => self.editing_filter = false,
                KeyCode::Esc => {
                    self.editing_filter = false;
                    self.filter.clear();
                }
                KeyCode::Backspace => {
                    self.filter.pop();
                }
                KeyCode::Char(c) => self.filter.push(c),
                _ => return,
            }
            self.cursor = 0;
            self.tree_scroll = 0;
            self.refresh();
            return;
        }
        if self.help {
            // Any key closes the help; q still quits.
            self.help = false;
            if k.code == KeyCode::Char('q') {
                self.quit = true;
            }
            return;
        }
        self.message = None;
        match k.code {
            KeyCode::Char('q') => self.quit = true,
            KeyCode::Char('?') => self.help = true,
            KeyCode::Tab | KeyCode::BackTab => {
                self.focus = match self.focus {
                    Focus::Layers => Focus::Tree,
                    Focus::Tree => Focus::Layers,
                }
            }
            KeyCode::Char('a') => {
                self.aggregated = !self.aggregated;
                self.refresh();
            }
            KeyCode::Char('c') => {
                self.only_changes = !self.only_changes;
                if !self.aggregated {
                    self.message = Some("a layer's own view shows only its changes anyway".into());
                }
                self.refresh();
            }
            KeyCode::Char('s') => {
                self.by_size = !self.by_size;
                self.relist();
            }
            KeyCode::Char('e') => {
                self.expand_all = !self.expand_all;
                if !self.expand_all {
                    self.expanded.iter_mut().for_each(|e| *e = false);
                }
                self.relist();
            }
            KeyCode::Char('/') => {
                self.editing_filter = true;
                self.focus = Focus::Tree;
            }
            KeyCode::Esc if !self.filter.is_empty() => {
                self.filter.clear();
                self.refresh();
            }
            KeyCode::Char('b') => self.jump_biggest(),
            KeyCode::Char('w') => self.jump_wasted(),
            _ => match self.focus {
                Focus::Layers => self.layer_key(k.code),
                Focus::Tree => self.tree_key(k.code),
            },
        }
    }

    fn layer_key(&mut self, code: KeyCode) {
        match code {
            KeyCode::Up | KeyCode::Char('k') => self.select_layer(self.layer.saturating_sub(1)),
            KeyCode::Down | KeyCode::Char('j') => self.select_layer(self.layer + 1),
            KeyCode::Home | KeyCode::Char('g') => self.select_layer(0),
            KeyCode::End | KeyCode::Char('G') => self.select_layer(usize::MAX),
            KeyCode::Enter | KeyCode::Right => self.focus = Focus::Tree,
            _ => {}
        }
    }

    fn tree_key(&mut self, code: KeyCode) {
        let last = self.rows.len().saturating_sub(1);
        let page = self.tree_height.max(1);
        match code {
            KeyCode::Up | KeyCode::Char('k') => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.cursor = (self.cursor + 1).min(last),
            KeyCode::PageUp => self.cursor = self.cursor.saturating_sub(page),
            KeyCode::PageDown => self.cursor = (self.cursor + page).min(last),
            KeyCode::Home | KeyCode::Char('g') => self.cursor = 0,
            KeyCode::End | KeyCode::Char('G') => self.cursor = last,
            KeyCode::Char(' ') | KeyCode::Enter => {
                if let Some(id) = self.selected() {
                    let e = &mut self.expanded[id as usize];
                    *e = !*e;
                    self.relist();
                }
            }
            KeyCode::Right | KeyCode::Char('l') => {
                if let Some(id) = self.selected() {
                    self.expanded[id as usize] = true;
                    self.relist();
                }
            }
            KeyCode::Left | KeyCode::Char('h') => {
                let Some(id) = self.selected() else { return };
                if self.expanded[id as usize] && self.view.as_ref().is_some_and(|v| v.is_dir[id as usize]) {
                    self.expanded[id as usize] = false;
                    self.relist();
                } else {
                    let p = self.tree.entry(id).parent;
                    if p != 0 {
                        self.expanded[p as usize] = false;
                        self.relist();
                        if let Some(i) = self.rows.iter().position(|r| r.id == p) {
                            self.cursor = i;
                        }
                    } else {
                        self.focus = Focus::Layers;
                    }
                }
            }
            _ => {}
        }
    }

    fn jump_biggest(&mut self) {
        let Some(v) = &self.view else { return };
        let top = v.biggest_files(10);
        if top.is_empty() {
            self.message = Some("no files in this view".into());
            return;
        }
        let i = self.next_biggest % top.len();
        self.next_biggest += 1;
        let id = top[i];
        let size = v.size[id as usize];
        self.focus = Focus::Tree;
        self.reveal(id);
        self.message = Some(format!(
            "biggest #{} of this view: {} ({})",
            i + 1,
            self.tree.path(id),
            dockstage_image::render::bytes(size)
        ));
    }

    /// Cycles through the paths written more than once (dive's inefficient files), showing
    /// each as the last layer that wrote or removed it leaves it.
    fn jump_wasted(&mut self) {
        let Some(a) = &self.analysis else {
            self.message = Some("wasted entries are known once every layer is read".into());
            return;
        };
        let found: Vec<(Id, String, u64, u32)> = a
            .inefficiencies
            .iter()
            .filter_map(|w| self.tree.find(&w.path).map(|id| (id, w.path.clone(), w.wasted_bytes, w.count)))
            .collect();
        if found.is_empty() {
            self.message = Some("no wasted entries: nothing is written twice".into());
            return;
        }
        let i = self.next_wasted % found.len();
        self.next_wasted += 1;
        let (id, path, bytes, count) = found[i].clone();
        let last = self.tree.entry(id).events.last().map_or(0, |e| e.layer as usize);
        self.filter.clear();
        self.aggregated = true;
        self.only_changes = false;
        self.layer = last.min(self.layers.len().saturating_sub(1));
        self.refresh();
        self.focus = Focus::Tree;
        self.reveal(id);
        self.message = Some(format!(
            "wasted #{} of {}: {path} written {count}x, {} wasted; last touched by layer {}",
            i + 1,
            found.len(),
            dockstage_image::render::bytes(bytes),
            self.layer
        ));
    }

    /// Keeps the cursor rows inside the visible windows of both panes.
    pub fn scroll_into_view(&mut self, tree_rows: usize, layer_rows: usize) {
        self.tree_height = tree_rows;
        if tree_rows > 0 {
            if self.cursor < self.tree_scroll {
                self.tree_scroll = self.cursor;
            } else if self.cursor >= self.tree_scroll + tree_rows {
                self.tree_scroll = self.cursor + 1 - tree_rows;
            }
            let max = self.rows.len().saturating_sub(tree_rows);
            self.tree_scroll = self.tree_scroll.min(max);
        }
        if layer_rows > 0 {
            if self.layer < self.layer_scroll {
                self.layer_scroll = self.layer;
            } else if self.layer >= self.layer_scroll + layer_rows {
                self.layer_scroll = self.layer + 1 - layer_rows;
            }
        }
    }

    pub fn is_expanded(&self, id: Id) -> bool {
        self.expand_all || !self.filter.is_empty() || self.expanded.get(id as usize).copied().unwrap_or(false)
    }

    /// Counts of the selected layer's own changes (from the analysis once it is done).
    pub fn mark_of(&self, id: Id) -> Mark {
        self.view.as_ref().map_or(Mark::Unchanged, |v| v.mark[id as usize])
    }
}

/// A history command without the shell wrapper builders put around it.
pub fn clean_command(raw: &str) -> String {
    let mut s = raw.trim();
    for p in ["/bin/sh -c #(nop) ", "/bin/sh -c ", "RUN /bin/sh -c "] {
        if let Some(r) = s.strip_prefix(p) {
            s = r.trim();
            if p.ends_with("-c ") && !p.contains("nop") {
                return format!("RUN {}", s.trim_end_matches("# buildkit").trim());
            }
            break;
        }
    }
    s.trim_end_matches("# buildkit").trim().to_string()
}
