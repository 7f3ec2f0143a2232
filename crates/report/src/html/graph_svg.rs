//! The stage graph as SVG, laid out in layers (a Sugiyama-style layered DAG): each stage sits one
//! layer below the deepest stage it reads from, stages within a layer are ordered to keep edges
//! short (barycentre sweeps), edges carry what `COPY --from` copies. The final stage is drawn
//! bold and skipped stages dashed, in words too (`<title>`, badges), not only in colour.

use super::escape;
use crate::analysis::Analysis;
use dockstage_model::EdgeKind;

const NODE_W: f64 = 200.0;
const NODE_H: f64 = 58.0;
const H_GAP: f64 = 36.0;
const V_GAP: f64 = 84.0;
const MARGIN: f64 = 16.0;
/// Above this many nodes in a layer the graph keeps its size and scrolls instead of shrinking.
const SHRINK_MAX_PER_LAYER: usize = 4;
const MIN_WIDTH: f64 = 300.0;

/// A node placed by the layout.
#[derive(Clone, Debug)]
pub struct NodeBox {
    /// `stage-N` for stages, `image-N` for external images read with `COPY --from=IMAGE`.
    pub id: String,
    pub label: String,
    pub layer: usize,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// Where the layout put every node.
#[derive(Clone, Debug)]
pub struct GraphLayout {
    pub nodes: Vec<NodeBox>,
    pub width: f64,
    pub height: f64,
    /// (from node, to node) per edge of the analysis, in its order.
    pub edges: Vec<(usize, usize)>,
    pub max_per_layer: usize,
}

fn images(a: &Analysis) -> Vec<&str> {
    let mut seen: Vec<&str> = Vec::new();
    for e in a.edges.iter().filter(|e| e.from_index.is_none()) {
        if !seen.contains(&e.from.as_str()) {
            seen.push(&e.from);
        }
    }
    seen
}

impl GraphLayout {
    pub fn of(a: &Analysis) -> GraphLayout {
        let n_stages = a.stages.len();
        let imgs = images(a);
        let n = n_stages + imgs.len();
        let node_of_from = |e: &crate::analysis::EdgeView| match e.from_index {
            Some(i) => i,
            None => n_stages + imgs.iter().position(|i| *i == e.from).unwrap_or(0),
        };
        let edges: Vec<(usize, usize)> = a.edges.iter().map(|e| (node_of_from(e), e.to_index)).filter(|(f, t)| *f < n && *t < n_stages).collect();
        // Longest path from the sources; bounded passes so a cycle (which BuildKit rejects, but
        // a report must still draw) cannot loop forever.
        let mut layer = vec![0usize; n];
        for _ in 0..n {
            let mut changed = false;
            for &(f, t) in &edges {
                if f != t && layer[t] < layer[f] + 1 && layer[f] + 1 < n.max(1) {
                    layer[t] = layer[f] + 1;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // An external image sits just above the first stage that reads it.
        for k in 0..imgs.len() {
            let node = n_stages + k;
            let first = edges.iter().filter(|(f, _)| *f == node).map(|(_, t)| layer[*t]).min().unwrap_or(1);
            layer[node] = first.saturating_sub(1);
        }
        let layers = layer.iter().copied().max().map_or(0, |m| m + 1);
        let mut rows: Vec<Vec<usize>> = vec![Vec::new(); layers];
        for (i, &l) in layer.iter().enumerate() {
            rows[l].push(i);
        }
        // Barycentre sweeps, down then up, to reduce crossings.
        let mut pos = vec![0f64; n];
        let set_pos = |rows: &Vec<Vec<usize>>, pos: &mut Vec<f64>| {
            for r in rows {
                for (k, &i) in r.iter().enumerate() {
                    pos[i] = k as f64;
                }
            }
        };
        set_pos(&rows, &mut pos);
        for sweep in 0..4 {
            let down = sweep % 2 == 0;
            let order: Vec<usize> = if down { (1..layers).collect() } else { (0..layers.saturating_sub(1)).rev().collect() };
            for l in order {
                let mut keyed: Vec<(f64, usize)> = rows[l]
                    .iter()
                    .map(|&i| {
                        let nbrs: Vec<f64> = edges
                            .iter()
                            .filter_map(|&(f, t)| if down && t == i && layer[f] < l { Some(pos[f]) } else if !down && f == i && layer[t] > l { Some(pos[t]) } else { None })
                            .collect();
                        let key = if nbrs.is_empty() { pos[i] } else { nbrs.iter().sum::<f64>() / nbrs.len() as f64 };
                        (key, i)
                    })
                    .collect();
                keyed.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
                rows[l] = keyed.into_iter().map(|(_, i)| i).collect();
                set_pos(&rows, &mut pos);
            }
        }
        let max_per_layer = rows.iter().map(Vec::len).max().unwrap_or(0);
        // At least as wide as the longest edge label, so a one-column graph still shows labels.
        let width = (MARGIN * 2.0 + (max_per_layer.max(1) as f64) * (NODE_W + H_GAP) - H_GAP).max(MIN_WIDTH);
        let height = MARGIN * 2.0 + (layers.max(1) as f64) * (NODE_H + V_GAP) - V_GAP;
        let mut nodes: Vec<NodeBox> = (0..n)
            .map(|i| NodeBox {
                id: if i < n_stages { format!("stage-{i}") } else { format!("image-{}", i - n_stages) },
                label: if i < n_stages { a.stages[i].name.clone() } else { imgs[i - n_stages].to_string() },
                layer: layer[i],
                x: 0.0,
                y: 0.0,
                w: NODE_W,
                h: NODE_H,
            })
            .collect();
        for (l, r) in rows.iter().enumerate() {
            let row_w = r.len() as f64 * (NODE_W + H_GAP) - H_GAP;
            let x0 = (width - row_w) / 2.0;
            for (k, &i) in r.iter().enumerate() {
                nodes[i].x = x0 + k as f64 * (NODE_W + H_GAP);
                nodes[i].y = MARGIN + l as f64 * (NODE_H + V_GAP);
            }
        }
        GraphLayout { nodes, width, height, edges, max_per_layer }
    }
}

/// Cuts `s` to `max` characters with an ellipsis.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max.saturating_sub(1)).collect::<String>() + "\u{2026}"
    }
}

/// What an edge carries, without the `--from=` the arrow already shows.
fn edge_text(label: &str) -> String {
    label.split_whitespace().filter(|w| !w.starts_with("--from=")).collect::<Vec<_>>().join(" ")
}

/// The SVG of `a`'s stage graph (its ids are fixed: one graph per page).
pub fn stage_graph(a: &Analysis) -> String {
    let g = GraphLayout::of(a);
    let n_stages = a.stages.len();
    let mut o = String::new();
    let class = if g.max_per_layer > SHRINK_MAX_PER_LAYER { "stage-graph wide" } else { "stage-graph" };
    let skipped: Vec<&str> = a.stages.iter().filter(|s| !s.needed).map(|s| s.name.as_str()).collect();
    let desc = format!(
        "{} stage{}; the final stage is {}{}. {}",
        n_stages,
        if n_stages == 1 { "" } else { "s" },
        a.target,
        if skipped.is_empty() { String::new() } else { format!("; skipped: {}", skipped.join(", ")) },
        a.edges.iter().map(|e| format!("{} to {} (line {}): {}.", e.from, e.to, e.line, e.label)).collect::<Vec<_>>().join(" ")
    );
    o.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{class}\" role=\"img\" aria-labelledby=\"graph-title graph-desc\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\">\n<title id=\"graph-title\">Stage graph</title>\n<desc id=\"graph-desc\">{}</desc>\n",
        escape(&desc),
        w = g.width,
        h = g.height
    ));
    o.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" class=\"arrowhead\"/></marker></defs>\n");
    // Edges leave and enter nodes at ports spread along the node's side, ordered by where the
    // other end is, so edges into or out of one node do not share a line.
    let ports = |node: usize, outgoing: bool| -> Vec<usize> {
        let mut ks: Vec<usize> = (0..g.edges.len()).filter(|&k| if outgoing { g.edges[k].0 == node } else { g.edges[k].1 == node }).collect();
        let other = |k: usize| if outgoing { g.edges[k].1 } else { g.edges[k].0 };
        ks.sort_by(|&a, &b| g.nodes[other(a)].x.total_cmp(&g.nodes[other(b)].x).then(a.cmp(&b)));
        ks
    };
    let port_x = |node: usize, k: usize, outgoing: bool| {
        let ks = ports(node, outgoing);
        let i = ks.iter().position(|&e| e == k).unwrap_or(0);
        let nb = &g.nodes[node];
        nb.x + nb.w * (i + 1) as f64 / (ks.len() + 1) as f64
    };
    let obstacles: Vec<(f64, f64, f64, f64)> = g.nodes.iter().map(|n| (n.x - 2.0, n.y - 2.0, n.w + 4.0, n.h + 4.0)).collect();
    let mut labels = String::new();
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    let free = |r: (f64, f64, f64, f64), placed: &Vec<(f64, f64, f64, f64)>| {
        let hit = |o: &(f64, f64, f64, f64)| r.0 < o.0 + o.2 && o.0 < r.0 + r.2 && r.1 < o.1 + o.3 && o.1 < r.1 + r.3;
        r.0 >= 0.0 && r.0 + r.2 <= g.width && !placed.iter().any(hit) && !obstacles.iter().any(hit)
    };
    for (k, (e, &(f, t))) in a.edges.iter().zip(&g.edges).enumerate() {
        let (nf, nt) = (&g.nodes[f], &g.nodes[t]);
        let (x1, y1) = (port_x(f, k, true), nf.y + nf.h);
        let (x2, y2) = (port_x(t, k, false), nt.y);
        let dy = (y2 - y1).max(20.0);
        let (c1, c2) = (y1 + dy / 2.0, y2 - dy / 2.0);
        let kind = match e.kind {
            EdgeKind::From => "from",
            EdgeKind::Copy | EdgeKind::Add => "copy",
            _ => "mount",
        };
        let title = format!("#{} {} \u{2192} {}, line {}: {}", k + 1, e.from, e.to, e.line, e.label);
        o.push_str(&format!(
            "<g class=\"edge {kind}\" data-from=\"{}\" data-to=\"{}\"><title>{}</title><path d=\"M{x1:.1} {y1:.1}C{x1:.1} {c1:.1} {x2:.1} {c2:.1} {x2:.1} {y2:.1}\" marker-end=\"url(#arrow)\"/></g>\n",
            escape(&e.from),
            escape(&e.to),
            escape(&title),
        ));
        // The label sits on its curve where it overlaps no node and no other label; where there
        // is no such place it shrinks to its number, which the table under the graph explains.
        let at = |t: f64| {
            let u = 1.0 - t;
            (u * u * u * x1 + 3.0 * u * u * t * x1 + 3.0 * u * t * t * x2 + t * t * t * x2, u * u * u * y1 + 3.0 * u * u * t * c1 + 3.0 * u * t * t * c2 + t * t * t * y2)
        };
        let full = clip(&edge_text(&e.label), 34);
        let number = format!("#{}", k + 1);
        let candidates = [0.5, 0.3, 0.7, 0.15, 0.85, 0.4, 0.6, 0.22, 0.78, 0.08, 0.92];
        let mut chosen = None;
        'search: for text in [&full, &number] {
            let tw = text.chars().count() as f64 * 6.8 + 10.0;
            for &tt in &candidates {
                let (px, py) = at(tt);
                let r = (px - tw / 2.0, py - 8.0, tw, 16.0);
                if free(r, &placed) {
                    chosen = Some((text.clone(), r));
                    break 'search;
                }
            }
        }
        let (text, r) = chosen.unwrap_or_else(|| {
            let tw = number.chars().count() as f64 * 6.8 + 10.0;
            let (px, py) = at(0.5);
            (number.clone(), (px - tw / 2.0, py - 8.0, tw, 16.0))
        });
        placed.push(r);
        labels.push_str(&format!(
            "<g class=\"edge-label\"><title>{}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"16\" rx=\"3\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text></g>\n",
            escape(&title),
            r.0,
            r.1,
            r.2,
            r.0 + 5.0,
            r.1 + 12.0,
            escape(&text)
        ));
    }
    for (i, nb) in g.nodes.iter().enumerate() {
        if i < n_stages {
            let s = &a.stages[i];
            let is_final = s.name == a.target;
            let mut class = String::from("node stage");
            if is_final {
                class.push_str(" final");
            }
            if !s.needed {
                class.push_str(" skipped");
            }
            let state = if is_final { ", the final stage" } else if !s.needed { ", skipped: the target does not need it" } else { "" };
            let base = match s.base_kind {
                "stage" => format!("FROM stage {}", s.base),
                _ => format!("FROM {}", s.base),
            };
            o.push_str(&format!(
                "<g class=\"{class}\" id=\"{}\" data-stage=\"{}\"><title>Stage {}{state}: {base}, lines {}-{}</title>",
                nb.id,
                escape(&s.name),
                escape(&s.name),
                s.line,
                s.end_line
            ));
            o.push_str(&format!("<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{}\" height=\"{}\" rx=\"6\"/>", nb.x, nb.y, nb.w, nb.h));
            o.push_str(&format!("<text class=\"name\" x=\"{:.1}\" y=\"{:.1}\">{}</text>", nb.x + 10.0, nb.y + 20.0, escape(&clip(&s.name, 20))));
            let badge = if is_final { Some("final") } else if !s.needed { Some("skipped") } else { None };
            if let Some(b) = badge {
                o.push_str(&format!("<text class=\"badge\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{b}</text>", nb.x + nb.w - 8.0, nb.y + 19.0));
            }
            o.push_str(&format!("<text class=\"sub\" x=\"{:.1}\" y=\"{:.1}\">{}</text>", nb.x + 10.0, nb.y + 37.0, escape(&clip(&base, 30))));
            o.push_str(&format!("<text class=\"sub\" x=\"{:.1}\" y=\"{:.1}\">lines {}\u{2013}{}</text></g>\n", nb.x + 10.0, nb.y + 52.0, s.line, s.end_line));
        } else {
            o.push_str(&format!("<g class=\"node image\" id=\"{}\"><title>Image {}</title>", nb.id, escape(&nb.label)));
            o.push_str(&format!("<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{}\" height=\"{}\" rx=\"26\"/>", nb.x, nb.y + 8.0, nb.w, nb.h - 16.0));
            o.push_str(&format!("<text class=\"sub\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text></g>\n", nb.x + nb.w / 2.0, nb.y + nb.h / 2.0 + 4.0, escape(&clip(&nb.label, 30))));
        }
    }
    o.push_str(&labels);
    o.push_str("</svg>\n");
    o
}
