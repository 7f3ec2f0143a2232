//! The HTML report: the stage graph is valid SVG with every stage and every edge (the corpus's
//! multi-stage files and a generated 30-stage file), the layout keeps nodes apart and edges
//! pointing down, and everything from a Dockerfile or an image is escaped.

use std::path::Path;

use dockstage_model::Build;
use dockstage_report::html::{self, DirSizes, GraphLayout, ImageFacts, Page};
use dockstage_report::{Analysis, BuildSetup, LeakedTools, MeasuredImage, MeasuredLayer, PathBytes};
use dockstage_test_support::corpus_dockerfiles as corpus_files;

fn analysis(src: &str) -> Option<Analysis> {
    let df = dockstage_syntax::parse(src).ok()?;
    let build = Build::from_dockerfile(&df).ok()?;
    let plan = build.target(None).ok()?;
    let setup = BuildSetup { file: "Dockerfile".into(), dockerfile_flag: None, context: ".".into(), image: "app".into() };
    Some(dockstage_report::analyze(&build, &plan, &setup))
}

/// Parses the graph and checks that every stage and every edge is drawn, the final stage and
/// the skipped stages are marked, and the layout's nodes are apart and its edges point down.
fn check_graph(a: &Analysis, what: &str) {
    let svg = html::stage_graph(a);
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{what}: the graph is not XML: {e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{what}");
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"), "{what}");
    assert!(root.children().any(|c| c.has_tag_name("title")) && root.children().any(|c| c.has_tag_name("desc")), "{what}: no text alternative");
    for s in &a.stages {
        let nodes: Vec<_> = doc.descendants().filter(|n| n.attribute("data-stage") == Some(s.name.as_str())).collect();
        assert_eq!(nodes.len(), 1, "{what}: stage {} drawn {} times", s.name, nodes.len());
        let g = nodes[0];
        let class = g.attribute("class").unwrap();
        let title = g.children().find(|c| c.has_tag_name("title")).and_then(|t| t.text()).unwrap_or("");
        assert!(title.contains(&s.name), "{what}: {title}");
        assert_eq!(class.contains("final"), s.name == a.target, "{what}: {} {class}", s.name);
        assert_eq!(class.contains("skipped"), !s.needed, "{what}: {} {class}", s.name);
        assert_eq!(g.descendants().filter(|n| n.has_tag_name("rect")).count(), 1);
    }
    let mut drawn: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.attribute("class").is_some_and(|c| c.split(' ').next() == Some("edge")))
        .map(|n| (n.attribute("data-from").unwrap().to_string(), n.attribute("data-to").unwrap().to_string()))
        .collect();
    let mut expected: Vec<(String, String)> = a.edges.iter().map(|e| (e.from.clone(), e.to.clone())).collect();
    drawn.sort();
    expected.sort();
    assert_eq!(drawn, expected, "{what}");
    for e in a.edges.iter().filter(|e| e.from_index.is_none()) {
        assert!(doc.descendants().any(|n| n.attribute("class") == Some("node image") && n.children().any(|t| t.has_tag_name("title") && t.text().unwrap_or("").contains(&e.from))), "{what}: image {} missing", e.from);
    }
    let layout = GraphLayout::of(a);
    for (i, p) in layout.nodes.iter().enumerate() {
        assert!(p.x >= 0.0 && p.y >= 0.0 && p.x + p.w <= layout.width + 0.01 && p.y + p.h <= layout.height + 0.01, "{what}: {p:?} outside");
        for q in &layout.nodes[i + 1..] {
            let apart = p.x + p.w <= q.x || q.x + q.w <= p.x || p.y + p.h <= q.y || q.y + q.h <= p.y;
            assert!(apart, "{what}: {p:?} overlaps {q:?}");
        }
    }
    for &(f, t) in &layout.edges {
        assert!(layout.nodes[f].layer < layout.nodes[t].layer, "{what}: edge {f}->{t} does not point down");
    }
}

#[test]
fn the_graph_of_every_multi_stage_corpus_file_is_svg_with_all_stages_and_edges() {
    let mut multi = 0;
    let mut with_edges = 0;
    for p in corpus_files() {
        let src = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
        let Some(a) = analysis(&src) else { continue };
        if a.stages.len() < 2 {
            continue;
        }
        multi += 1;
        with_edges += usize::from(!a.edges.is_empty());
        check_graph(&a, &p.display().to_string());
    }
    // The corpus has these; if it shrinks or stops parsing, the test must say so.
    assert!(multi >= 10 && with_edges >= 5, "only {multi} multi-stage files ({with_edges} with edges) in the corpus");
}

#[test]
fn the_examples_graphs_are_complete() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for f in ["streamlit-app/Dockerfile", "streamlit-app/Dockerfile.single", "ml-service/Dockerfile", "bert-classifier/multistage/Dockerfile", "bert-classifier/naive/Dockerfile", "bert-classifier/slim/Dockerfile", "churn-api/docker/Dockerfile.api", "churn-api/docker/Dockerfile.train"] {
        let p = root.join(f);
        let Ok(src) = std::fs::read_to_string(&p) else { panic!("{} missing", p.display()) };
        check_graph(&analysis(&src).unwrap(), f);
    }
}

/// 30 stages: fan-out from a base, fan-in to the final stage, chains, an external image, a
/// `FROM stage`, a cache mount and stages the target does not need.
fn thirty_stages() -> String {
    let mut s = String::from("FROM debian:bookworm AS s0\nRUN echo base\n");
    for i in 1..30 {
        if i % 7 == 0 {
            s.push_str(&format!("FROM s{} AS s{i}\n", i - 1));
        } else {
            s.push_str(&format!("FROM python:3.11-slim AS s{i}\n"));
        }
        match i % 5 {
            0 => s.push_str(&format!("COPY --from=s{} /out /in/{i}\n", i - 1)),
            1 => s.push_str(&format!("COPY --from=s0 /etc/os-release /os\nCOPY --from=s{} /b /b\n", i / 2)),
            2 => s.push_str(&format!("RUN --mount=type=cache,target=/c,from=s{} true\n", i - 2)),
            3 => s.push_str("COPY --from=busybox:1.36 /bin/busybox /bin/\n"),
            _ => s.push_str("RUN echo unused\n"),
        }
    }
    s.push_str("FROM scratch AS final\n");
    for i in (1..30).filter(|i| i % 3 != 0) {
        s.push_str(&format!("COPY --from=s{i} /x /x{i}\n"));
    }
    s
}

#[test]
fn a_thirty_stage_graph_is_complete_and_readable() {
    let a = analysis(&thirty_stages()).expect("the generated file builds");
    assert_eq!(a.stages.len(), 31);
    assert!(a.stages.iter().any(|s| !s.needed), "the file must have skipped stages");
    assert!(a.edges.len() > 40, "{}", a.edges.len());
    check_graph(&a, "30 stages");
    // Readable: text stays at its size (the graph scrolls rather than shrinking when wide).
    let layout = GraphLayout::of(&a);
    let svg = html::stage_graph(&a);
    if layout.max_per_layer > 4 {
        assert!(svg.contains("class=\"stage-graph wide\""));
    }
}

fn hostile_image() -> (MeasuredImage, DirSizes) {
    let bad = "/srv/<script>alert(1)</script>/\"><img src=x onerror=alert(2)>";
    let m = MeasuredImage {
        image: "images/<b>evil</b>.tar".into(),
        source: "measured from images/<b>evil</b>.tar".into(),
        total_bytes: 3000,
        layers_bytes: 4000,
        files: 3,
        efficiency: 0.75,
        wasted_bytes: 1000,
        layers: vec![
            MeasuredLayer { index: 0, bytes: 1000, line: None, instruction: None, created_by: Some("/bin/sh -c #(nop) ADD <script>x</script>".into()) },
            MeasuredLayer { index: 1, bytes: 3000, line: Some(3), instruction: Some("RUN echo '<script>alert(3)</script>'".into()), created_by: None },
        ],
        leaked: vec![LeakedTools { kind: "apt-lists".into(), bytes: 2000, files: 1, advice: "rm -rf </style>".into(), top: vec![PathBytes { path: bad.into(), bytes: 2000 }] }],
    };
    let mut b = DirSizes::builder(3);
    b.add(&["srv", "<script>alert(1)</script>", "\"><img src=x onerror=alert(2)>", "f"], 2000);
    b.add(&["etc", "</svg><script>"], 1000);
    (m, b.finish())
}

#[test]
fn everything_from_the_file_and_the_image_is_escaped() {
    let src = "FROM python:3.11 AS builder\nRUN touch '/x\"><img src=x onerror=alert(1)>'\nRUN echo '<script>alert(3)</script>' </svg>\nFROM python:3.11-slim\nCOPY --from=builder \"/</title><script>x</script>\" /app\n";
    let a = analysis(src).unwrap();
    let (m, fs) = hostile_image();
    let page = Page {
        title: "report: <script>t</script>".into(),
        analysis: Some(&a),
        source: Some(src),
        findings: vec![html::Finding { rule: "DL<x>".into(), severity: "warning".into(), line: 2, column: 1, message: "<script>m</script>".into() }],
        image: Some(ImageFacts { measured: &m, fs: Some(&fs), wasted: vec![PathBytes { path: "/srv/<script>w</script>".into(), bytes: 1000 }] }),
        compare: None,
    };
    let out = html::render(&page);
    for raw in ["<script", "<img", "</title><script", "</svg><script"] {
        assert!(!out.contains(raw), "unescaped {raw:?} in the page");
    }
    assert_eq!(out.matches("</style>").count(), 1, "only the page's own style ends");
    assert!(out.contains("&lt;script&gt;alert(3)&lt;/script&gt;"), "the instruction is listed, escaped");
    assert!(out.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), "the hostile path appears, escaped");
    // Every SVG in the page is well-formed XML, hostile labels and all.
    let mut n = 0;
    let mut rest = out.as_str();
    while let Some(start) = rest.find("<svg ") {
        let end = rest[start..].find("</svg>").unwrap() + start + "</svg>".len();
        roxmltree::Document::parse(&rest[start..end]).unwrap_or_else(|e| panic!("{e}: {}", &rest[start..end]));
        n += 1;
        rest = &rest[end..];
    }
    assert_eq!(n, 4, "defs, the graph and two treemaps");
}

#[test]
fn a_page_shows_only_what_it_was_given() {
    let empty = html::render(&Page { title: "nothing".into(), ..Default::default() });
    assert!(empty.starts_with("<!DOCTYPE html>") && empty.ends_with("</html>\n"));
    assert!(!empty.contains("id=\"graph\"") && !empty.contains("id=\"image\""));
    let (m, fs) = hostile_image();
    let image_only = html::render(&Page { title: "i".into(), image: Some(ImageFacts { measured: &m, fs: Some(&fs), wasted: Vec::new() }), ..Default::default() });
    assert!(image_only.contains("id=\"image\"") && !image_only.contains("id=\"dockerfile\""));
    // Without a Dockerfile no line can be linked.
    assert!(!image_only.contains("href=\"#L"));
}

#[test]
fn the_page_fetches_nothing() {
    let a = analysis("FROM python:3.11 AS b\nRUN true\nFROM python:3.11-slim\nCOPY --from=b /a /a\n").unwrap();
    let out = html::render(&Page { title: "t".into(), analysis: Some(&a), source: Some("FROM x\n"), ..Default::default() });
    // The only URLs are the SVG namespace and in-page anchors; the policy forbids the rest.
    for needle in ["src=", "<link", "@import", "url(http", "<script"] {
        assert!(!out.contains(needle), "{needle} in the page");
    }
    assert!(out.contains("Content-Security-Policy"));
}
