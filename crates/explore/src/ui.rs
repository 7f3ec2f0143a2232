//! Draws an [`App`]: layers, the selected layer's details and the image's figures on the
//! left, the file tree on the right, a status line and the keys at the bottom.
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use dockstage_image::render::bytes;

use crate::app::{App, Focus};
use crate::history::Mark;

/// Below this the panes cannot show their columns; a message is drawn instead.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

const FOOTER: &[(&str, &str)] = &[
    ("q", "quit"),
    ("?", "help"),
    ("Tab", "pane"),
    ("a", "layer/all"),
    ("c", "changes"),
    ("s", "sort"),
    ("/", "filter"),
    ("b", "biggest"),
    ("w", "wasted"),
];

pub const HELP: &[(&str, &str)] = &[
    ("q, Ctrl-C", "quit"),
    ("?", "this help (any key closes it)"),
    ("Tab", "switch between the layer list and the file tree"),
    ("Up/Down, j/k", "select a layer / move in the tree"),
    ("PgUp/PgDn, g/G", "page, first, last"),
    ("Space, Enter", "collapse or expand a directory"),
    ("Left/Right, h/l", "collapse (or go to parent) / expand"),
    ("e", "expand or collapse everything"),
    ("a", "tree after this layer, or only this layer's changes"),
    ("c", "show only what this layer changed"),
    ("s", "sort by size or by name"),
    ("/", "filter by path (Enter keeps it, Esc clears)"),
    ("b", "jump to the next biggest file of the view"),
    ("w", "jump to the next wasted entry (written twice)"),
];

struct Styles {
    color: bool,
}

impl Styles {
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }
    fn mark(&self, m: Mark) -> Style {
        match m {
            Mark::Added => self.fg(Color::Green),
            Mark::Modified => self.fg(Color::Yellow),
            Mark::Removed => self.fg(Color::Red),
            Mark::Unchanged => Style::default(),
        }
    }
    fn title(&self, focused: bool) -> Style {
        let s = Style::default().add_modifier(Modifier::BOLD);
        if focused && self.color {
            s.fg(Color::Cyan)
        } else {
            s
        }
    }
    fn dim(&self) -> Style {
        if self.color {
            Style::default().add_modifier(Modifier::DIM)
        } else {
            Style::default()
        }
    }
    fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }
}

pub fn mark_char(m: Mark) -> char {
    match m {
        Mark::Added => '+',
        Mark::Modified => '~',
        Mark::Removed => '-',
        Mark::Unchanged => ' ',
    }
}

pub fn draw(f: &mut Frame, app: &mut App) {
    let area = f.area();
    let st = Styles { color: app.color };
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "Terminal too small: {}x{}. dockstage explore needs at least {}x{}; enlarge it or press q.",
            area.width, area.height, MIN_WIDTH, MIN_HEIGHT
        );
        f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    let [main, status, footer] = Layout::vertical([
        Constraint::Min(5),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(main);
    let layers_h = (app.total_layers as u16 + 2).clamp(4, main.height * 2 / 5);
    let [layers_area, details_area, image_area] = Layout::vertical([
        Constraint::Length(layers_h),
        Constraint::Length(6),
        Constraint::Min(4),
    ])
    .areas(left);
    let tree_rows = right.height.saturating_sub(3) as usize;
    let layer_rows = layers_area.height.saturating_sub(2) as usize;
    app.scroll_into_view(tree_rows, layer_rows);
    draw_layers(f, app, &st, layers_area);
    draw_details(f, app, &st, details_area);
    draw_image(f, app, &st, image_area);
    draw_tree(f, app, &st, right);
    draw_status(f, app, &st, status);
    draw_footer(f, &st, footer);
    if app.help {
        draw_help(f, &st, area);
    }
}

fn block<'a>(title: String, focused: bool, st: &Styles) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, st.title(focused)))
}

fn draw_layers(f: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let focused = app.focus == Focus::Layers;
    let title = format!(" Layers {}/{} ", app.layers.len(), app.total_layers);
    let b = block(title, focused, st);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let width = inner.width as usize;
    // The line column only when a Dockerfile was given.
    let lines_known = app.instructions.iter().any(Option::is_some);
    let mut lines = Vec::new();
    for i in app.layer_scroll..app.total_layers.min(app.layer_scroll + inner.height as usize) {
        let (line, cmd) = app.command(i);
        let size = app
            .layers
            .get(i)
            .map_or_else(|| "...".to_string(), |l| bytes(l.size));
        let text = if lines_known {
            let line_col = line.map_or("   ".into(), |l| format!("L{l:<2}"));
            format!("{size:>7} {line_col} {cmd}")
        } else {
            format!("{size:>7} {cmd}")
        };
        let text: String = text.chars().take(width).collect();
        let style = if i == app.layer {
            st.selected(focused)
        } else if i >= app.layers.len() {
            st.dim()
        } else {
            Style::default()
        };
        lines.push(Line::styled(format!("{text:<width$}"), style));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn draw_details(f: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let id = app.layers.get(app.layer).map_or("", |info| {
        let id = info
            .meta
            .diff_id
            .as_deref()
            .unwrap_or(&info.meta.blob)
            .trim_start_matches("sha256:");
        &id[..id.len().min(12)]
    });
    let b = block(format!(" Layer {} {id} ", app.layer), false, st);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let mut lines: Vec<Line> = Vec::new();
    let Some(info) = app.layers.get(app.layer) else {
        lines.push(Line::raw("reading..."));
        f.render_widget(Paragraph::new(lines), inner);
        return;
    };
    lines.push(Line::raw(format!("{} in {} entries", bytes(info.size), info.entries)));
    match app.analysis.as_ref().and_then(|a| a.layers.get(app.layer)) {
        Some(r) => {
            lines.push(Line::from(vec![
                Span::styled(format!("+{} ", r.files_added), st.mark(Mark::Added)),
                Span::raw(format!("{}  ", bytes(r.bytes_added))),
                Span::styled(format!("~{} ", r.files_changed), st.mark(Mark::Modified)),
                Span::raw(format!("{}  ", bytes(r.bytes_changed))),
                Span::styled(format!("-{} ", r.files_removed), st.mark(Mark::Removed)),
                Span::raw(bytes(r.bytes_removed)),
            ]));
            lines.push(Line::raw(format!(
                "wasted later: {}",
                bytes(r.wasted_bytes)
            )));
        }
        None => lines.push(Line::styled("counting changes...", st.dim())),
    }
    let (line, cmd) = app.command(app.layer);
    let at = line.map_or(String::new(), |l| format!("line {l}: "));
    lines.push(Line::raw(format!("{at}{cmd}")));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn draw_image(f: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let b = block(" Image ".into(), false, st);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let Some(a) = &app.analysis else {
        let lines = vec![
            Line::raw(format!("{} layers", app.total_layers)),
            Line::styled("efficiency and waste once all layers are read", st.dim()),
        ];
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
        return;
    };
    let mut lines = vec![
        Line::raw(format!(
            "efficiency {:.2} %   size {}",
            a.efficiency * 100.0,
            bytes(a.size_bytes)
        )),
        Line::from(vec![
            Span::raw("wasted "),
            Span::styled(bytes(a.wasted_bytes), st.mark(if a.wasted_bytes > 0 { Mark::Removed } else { Mark::Unchanged })),
            Span::raw(format!(
                ", {:.1} % of user bytes",
                if a.user_wasted_percent.is_nan() { 0.0 } else { a.user_wasted_percent * 100.0 }
            )),
        ]),
    ];
    if a.leakage.is_empty() {
        lines.push(Line::raw("build leftovers: none"));
    } else {
        lines.push(Line::raw("build leftovers:"));
        for l in &a.leakage {
            lines.push(Line::from(vec![
                Span::styled(format!(" {:<16}", l.kind.as_str()), st.fg(Color::Magenta)),
                Span::raw(format!("{:>7} {} files", bytes(l.bytes), l.files)),
            ]));
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn draw_tree(f: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let focused = app.focus == Focus::Tree;
    let mut title = if app.aggregated {
        format!(" Files after layer {} ", app.layer)
    } else {
        format!(" Layer {} changes ", app.layer)
    };
    if app.only_changes && app.aggregated {
        title.push_str("[changes] ");
    }
    if app.by_size {
        title.push_str("[by size] ");
    }
    let b = block(title, focused, st);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let [head, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    let width = inner.width as usize;
    let Some(view) = app.view() else {
        f.render_widget(Paragraph::new("reading the first layer..."), body);
        return;
    };
    let head_text = if app.filter.is_empty() && !app.editing_filter {
        format!("  {:>7} {}", bytes(view.total(&app.tree)), "Name")
    } else {
        format!("  filter: {}{}", app.filter, if app.editing_filter { "_" } else { "" })
    };
    f.render_widget(Paragraph::new(Line::styled(head_text, st.dim())), head);
    let rows = app.rows();
    if rows.is_empty() {
        let what = if app.filter.is_empty() { "nothing in this view" } else { "no path matches the filter" };
        f.render_widget(Paragraph::new(what), body);
        return;
    }
    let mut lines = Vec::new();
    for (i, r) in rows
        .iter()
        .enumerate()
        .skip(app.tree_scroll)
        .take(body.height as usize)
    {
        let e = app.tree.entry(r.id);
        let m = view.mark[r.id as usize];
        let dir = view.is_dir[r.id as usize];
        let mut guides = String::new();
        for d in 0..r.depth.min(63) {
            guides.push_str(if r.last & (1 << d) != 0 { "  " } else { "│ " });
        }
        let d = r.depth.min(63);
        guides.push_str(if r.last & (1 << d) != 0 { "└─" } else { "├─" });
        let fold = if dir {
            if app.is_expanded(r.id) { "▾" } else { "▸" }
        } else {
            " "
        };
        let name = if dir { format!("{}/", e.name) } else { e.name.to_string() };
        let text = format!(
            "{} {:>7} {}{}{}",
            mark_char(m),
            bytes(view.size[r.id as usize]),
            guides,
            fold,
            name
        );
        let text: String = text.chars().take(width).collect();
        let mut style = st.mark(m);
        if i == app.cursor {
            style = style.patch(st.selected(focused));
        }
        lines.push(Line::styled(format!("{text:<width$}"), style));
    }
    f.render_widget(Paragraph::new(lines), body);
}

fn draw_status(f: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let width = area.width as usize;
    let text = if app.loading() {
        let done = app.layers.len();
        let frac = if app.bytes_total > 0 {
            (app.bytes_read as f64 / app.bytes_total as f64).min(1.0)
        } else {
            done as f64 / app.total_layers.max(1) as f64
        };
        let bar_w = 20usize;
        let filled = (frac * bar_w as f64).round() as usize;
        format!(
            "reading layers {done}/{} [{}{}] {:>3.0} %  {}",
            app.total_layers,
            "#".repeat(filled),
            ".".repeat(bar_w - filled),
            frac * 100.0,
            if app.bytes_total > 0 {
                format!("{} of {}", bytes(app.bytes_read), bytes(app.bytes_total))
            } else {
                String::new()
            }
        )
    } else if let Some(m) = &app.message {
        m.clone()
    } else {
        let shown = app.rows().len();
        format!("{} | {} rows", app.name, shown)
    };
    let text: String = text.chars().take(width).collect();
    let style = if app.loading() { st.fg(Color::Cyan) } else { Style::default() };
    f.render_widget(Paragraph::new(Line::styled(text, style)), area);
}

fn draw_footer(f: &mut Frame, st: &Styles, area: Rect) {
    let mut spans = Vec::new();
    for (k, what) in FOOTER {
        spans.push(Span::styled(
            (*k).to_string(),
            Style::default().add_modifier(Modifier::BOLD).patch(st.fg(Color::Cyan)),
        ));
        spans.push(Span::raw(format!(" {what} ")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_help(f: &mut Frame, st: &Styles, area: Rect) {
    let h = (HELP.len() as u16 + 4).min(area.height);
    let w = 72.min(area.width);
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    f.render_widget(Clear, r);
    let b = block(" Keys ".into(), true, st);
    let inner = b.inner(r);
    f.render_widget(b, r);
    let mut lines: Vec<Line> = HELP
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!("{k:<16}"), Style::default().add_modifier(Modifier::BOLD)),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled("+ added  ~ modified  - removed", st.dim()));
    f.render_widget(Paragraph::new(lines), inner);
}
