//! Screens of the explorer after key sequences, drawn on ratatui's TestBackend, on the real
//! `wasteful` test image (built by scripts/make-test-images.sh, cached).
//!
//! The base layers come from debootstrap and change with Debian's point releases, so figures
//! that depend on them (the base layers' sizes, totals, efficiency, entry counts, layer ids)
//! are masked in snapshots; the layers the fixture's own RUN lines make are exact and are
//! also asserted number by number.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dockstage_explore::app::App;
use dockstage_explore::history::Mark;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use ratatui::Terminal;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The archives directory, after building (once, cached) the fixture images.
/// DOCKSTAGE_TEST_ARCHIVES names an already built one (the script waits for a lock other
/// builds may hold for long).
fn archives() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(dir) = std::env::var_os("DOCKSTAGE_TEST_ARCHIVES") {
            return PathBuf::from(dir);
        }
        let out = Command::new("bash")
            .arg(workspace().join("scripts/make-test-images.sh"))
            .arg("fixtures")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "make-test-images.sh failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
    })
}

fn wasteful() -> String {
    archives().join("wasteful.docker.tar").display().to_string()
}

fn dockerfile() -> Vec<dockstage_image::dockerfile_map::Instruction> {
    let text = std::fs::read_to_string(
        workspace().join("crates/image/tests/fixtures/wasteful/Dockerfile"),
    )
    .unwrap();
    dockstage_image::dockerfile_map::instructions(&dockstage_syntax::parse(&text).unwrap())
}

fn app(color: bool) -> App {
    dockstage_explore::load(&wasteful(), Some(&dockerfile()), color).unwrap()
}

fn key(app: &mut App, k: &str) {
    let code = match k {
        "Tab" => KeyCode::Tab,
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Space" => KeyCode::Char(' '),
        "End" => KeyCode::End,
        s if s.chars().count() == 1 => KeyCode::Char(s.chars().next().unwrap()),
        s => panic!("unknown key {s}"),
    };
    app.key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn keys(app: &mut App, seq: &str) {
    for k in seq.split_whitespace() {
        key(app, k);
    }
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| dockstage_explore::ui::draw(f, app)).unwrap();
    t
}

fn text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Masks figures that depend on the Debian base (see the module doc) in columns
/// `from..to` of each line, digit by digit so the layout stays visible.
fn mask(screen: &str, from: usize, to: usize) -> String {
    let volatile = regex::Regex::new(
        r"\d+(\.\d+)? ?(B|kB|MB|GB|%)|[+~-]\d+ |\d+ (entries|files|rows)|\b[0-9a-f]{12}\b",
    )
    .unwrap();
    let archive = wasteful();
    screen
        .lines()
        .map(|l| {
            let l = l.replace(&archive, "<archive>");
            let chars: Vec<char> = l.chars().collect();
            let cut = |a: usize, b: usize| chars[a.min(chars.len())..b.min(chars.len())].iter().collect::<String>();
            let mid = cut(from, to);
            let masked = volatile.replace_all(&mid, |c: &regex::Captures| {
                let id = c[0].len() == 12 && c[0].chars().all(|ch| ch.is_ascii_hexdigit());
                c[0].chars()
                    .map(|ch| if ch.is_ascii_digit() || id { '#' } else { ch })
                    .collect::<String>()
            });
            format!("{}{}{}", cut(0, from), masked, cut(to, chars.len()))
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Left panes (layers, layer details, image) and the status line are masked; the tree is not.
fn masked_left(t: &Terminal<TestBackend>) -> String {
    let s = text(t);
    let lines: Vec<&str> = s.lines().collect();
    let n = lines.len();
    let body = mask(&lines[..n - 2].join("\n"), 0, 36);
    let status = mask(lines[n - 2], 0, 200);
    format!("{body}\n{status}\n{}", lines[n - 1])
}

fn row_of(app: &App, path: &str) -> Option<usize> {
    let id = app.tree.find(path)?;
    app.rows().iter().position(|r| r.id == id)
}

#[test]
fn first_screen_lists_layers_with_dockerfile_lines() {
    let mut a = app(false);
    let t = draw(&mut a, 80, 24);
    let s = text(&t);
    assert!(s.contains("Layers 10/10"), "{s}");
    assert!(s.contains("L4  RUN apt-get update"), "{s}");
    assert!(s.contains("L5  RUN head -c 3000000"), "{s}");
    assert!(s.contains("q quit"), "footer: {s}");
    insta::assert_snapshot!(mask(&s, 0, 200));
}

#[test]
fn a_layer_alone_shows_what_it_removed_and_its_size() {
    let mut a = app(false);
    // Layer 3 is `RUN rm /opt/blob.bin`.
    keys(&mut a, "Down Down Down a Tab e");
    assert_eq!(a.layer, 3);
    let blob = a.tree.find("/opt/blob.bin").unwrap();
    assert_eq!(a.mark_of(blob), Mark::Removed);
    let v = a.view().unwrap();
    assert_eq!(v.size[blob as usize], 3_000_000);
    let t = draw(&mut a, 80, 24);
    let s = text(&t);
    assert!(s.contains("Layer 3 changes"), "{s}");
    assert!(s.contains("-  3.0 MB"), "{s}");
    insta::assert_snapshot!(masked_left(&t));
}

#[test]
fn after_a_layer_the_tree_marks_its_changes_and_sums_directories() {
    let mut a = app(false);
    // Layer 4 rewrites /opt/keep.bin (500 kB -> 700 kB): modified, and /opt holds only it.
    keys(&mut a, "Down Down Down Down Tab /");
    type_text(&mut a, "/opt/");
    key(&mut a, "Enter");
    let opt = a.tree.find("/opt").unwrap();
    let keep = a.tree.find("/opt/keep.bin").unwrap();
    assert_eq!(a.mark_of(keep), Mark::Modified);
    assert_eq!(a.view().unwrap().size[opt as usize], 700_000);
    assert!(row_of(&a, "/opt/blob.bin").is_none(), "removed in layer 3, gone after it");
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!(masked_left(&t));
}

#[test]
fn collapse_expand_and_only_changes() {
    let mut a = app(false);
    // Layer 9 (COPY app.txt) seen as the whole file system, then only its changes.
    keys(&mut a, "End Tab");
    assert_eq!(a.layer, 9);
    let srv = row_of(&a, "/srv").expect("/srv listed");
    assert!(row_of(&a, "/srv/app.txt").is_none(), "collapsed at first");
    while a.cursor < srv {
        key(&mut a, "Down");
    }
    key(&mut a, "Space");
    assert!(row_of(&a, "/srv/app.txt").is_some(), "expanded");
    key(&mut a, "Space");
    assert!(row_of(&a, "/srv/app.txt").is_none(), "collapsed again");
    keys(&mut a, "c e");
    let listed: Vec<String> = a.rows().iter().map(|r| a.tree.path(r.id)).collect();
    assert!(listed.contains(&"/srv/app.txt".to_string()), "{listed:?}");
    assert!(!listed.iter().any(|p| p.starts_with("/usr")), "only changes: {listed:?}");
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!(masked_left(&t));
}

#[test]
fn sort_by_size_and_jump_to_the_biggest() {
    let mut a = app(false);
    // Layer 6: a .git pack (200000), a header and a static library (90000).
    keys(&mut a, "Down Down Down Down Down Down a e s");
    let order: Vec<String> = a
        .rows()
        .iter()
        .filter(|r| !a.view().unwrap().is_dir[r.id as usize])
        .map(|r| a.tree.path(r.id))
        .collect();
    assert_eq!(
        order,
        ["/srv/repo/.git/objects/pack.bin", "/usr/local/lib/libdemo.a", "/usr/local/include/demo/demo.h"],
    );
    key(&mut a, "b");
    assert_eq!(a.tree.path(a.selected().unwrap()), "/srv/repo/.git/objects/pack.bin");
    key(&mut a, "b");
    assert_eq!(a.tree.path(a.selected().unwrap()), "/usr/local/lib/libdemo.a");
    let t = draw(&mut a, 80, 24);
    let s = text(&t);
    assert!(s.contains("biggest #2 of this view: /usr/local/lib/libdemo.a (90 kB)"), "{s}");
    insta::assert_snapshot!(masked_left(&t));
}

#[test]
fn jump_to_wasted_entries() {
    let mut a = app(false);
    key(&mut a, "w");
    // The biggest waste: /opt/blob.bin, written once and deleted by layer 3.
    assert_eq!(a.tree.path(a.selected().unwrap()), "/opt/blob.bin");
    assert_eq!(a.layer, 3);
    let t = draw(&mut a, 80, 24);
    let s = text(&t);
    assert!(s.contains("wasted #1 of"), "{s}");
    assert!(s.contains("/opt/blob.bin written 2x, 3.0 MB wasted"), "{s}");
    let wasted: Vec<String> = (0..4)
        .map(|_| {
            key(&mut a, "w");
            a.tree.path(a.selected().unwrap())
        })
        .collect();
    assert!(wasted.contains(&"/opt/keep.bin".to_string()), "{wasted:?}");
}

#[test]
fn filter_by_path() {
    let mut a = app(false);
    key(&mut a, "/");
    type_text(&mut a, "keep");
    let t = draw(&mut a, 80, 24);
    assert!(text(&t).contains("filter: keep_"));
    key(&mut a, "Enter");
    assert!(a.rows().is_empty(), "layer 0 has no keep.bin");
    assert!(text(&draw(&mut a, 80, 24)).contains("no path matches the filter"));
    keys(&mut a, "Tab Down Down");
    let listed: Vec<String> = a.rows().iter().map(|r| a.tree.path(r.id)).collect();
    assert_eq!(listed, ["/opt", "/opt/keep.bin"]);
    let t = draw(&mut a, 80, 24);
    insta::assert_snapshot!(masked_left(&t));
    key(&mut a, "Tab");
    key(&mut a, "Esc");
    assert!(a.filter.is_empty());
    assert!(a.rows().len() > 2);
}

#[test]
fn help_and_quit() {
    let mut a = app(false);
    key(&mut a, "?");
    let t = draw(&mut a, 80, 24);
    let s = text(&t);
    assert!(s.contains("Keys"), "{s}");
    // The panes behind the help box show cut figures of the base: every digit is masked.
    insta::assert_snapshot!(s.replace(|c: char| c.is_ascii_digit(), "#").replace(&wasteful(), "<archive>"));
    key(&mut a, "x");
    assert!(!a.help && !a.quit);
    key(&mut a, "q");
    assert!(a.quit);
}

#[test]
fn too_small_a_terminal_gets_a_message_and_resizing_redraws() {
    let mut a = app(false);
    let mut t = draw(&mut a, 50, 12);
    let s = text(&t);
    assert!(s.contains("Terminal too small: 50x12"), "{s}");
    assert!(!s.contains("Layers"), "{s}");
    t.backend_mut().resize(120, 40);
    t.draw(|f| dockstage_explore::ui::draw(f, &mut a)).unwrap();
    let s = text(&t);
    assert!(s.contains("Layers 10/10") && !s.contains("too small"), "{s}");
    assert_eq!(s.lines().count(), 40);
    assert!(s.lines().any(|l| l.chars().count() == 120), "{s}");
}

#[test]
fn progress_shows_while_layers_are_read() {
    let opening = dockstage_explore::open(&wasteful()).unwrap();
    let mut a = opening.app(Some(&dockerfile()), false);
    a.bytes_total = 1000;
    a.bytes_read = 400;
    // Before any layer: the list from the config, no tree yet.
    let t = draw(&mut a, 80, 24);
    let s = text(&t);
    assert!(s.contains("Layers 0/10"), "{s}");
    assert!(s.contains("reading layers 0/10 [########............]  40 %"), "{s}");
    let loader = opening.start();
    let mut got = 0;
    for u in loader.rx.iter() {
        if let dockstage_explore::Update::Layer(..) = u {
            dockstage_explore::apply(&mut a, u).unwrap();
            got += 1;
            if got == 3 {
                break;
            }
        }
    }
    let t = draw(&mut a, 80, 24);
    let s = text(&t);
    assert!(s.contains("Layers 3/10"), "{s}");
    assert!(s.contains("reading layers 3/10"), "{s}");
    assert!(s.contains("efficiency and waste once all"), "{s}");
    // The tree is the base layer's: masked too.
    insta::assert_snapshot!(mask(&s, 0, 200));
}

#[test]
fn no_color_means_no_colour_and_colour_otherwise() {
    let colours = |color: bool| -> usize {
        let mut a = app(color);
        keys(&mut a, "Down Down Down a");
        let t = draw(&mut a, 80, 24);
        let buf = t.backend().buffer();
        buf.content()
            .iter()
            .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
            .count()
    };
    assert_eq!(colours(false), 0);
    assert!(colours(true) > 0);
}

#[test]
fn an_unreadable_image_fails_like_inspect() {
    let dir = std::env::temp_dir().join(format!("explore-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.tar");
    std::fs::write(&bad, b"not a tar at all, not even close").unwrap();
    let err = dockstage_explore::open(&bad.display().to_string()).err().expect("an error");
    let inspect_err = dockstage_image::analyze_source(
        &bad.display().to_string(),
        &Default::default(),
        &Default::default(),
    )
    .err()
    .expect("an error");
    assert_eq!(err.to_string(), inspect_err.to_string());
    let missing = dockstage_explore::open("/nonexistent/x.tar").err().expect("an error");
    assert!(missing.to_string().contains("/nonexistent/x.tar"), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The explorer's file system after the last layer is the analysis's final file system, file
/// for file and byte for byte (whiteouts, opaque directories and overwrites included).
#[test]
fn the_tree_after_the_last_layer_is_the_final_file_system() {
    for archive in ["wasteful.docker.tar", "wasteful.oci.tar"] {
        let spec = archives().join(archive).display().to_string();
        let mut a = dockstage_explore::load(&spec, None, false).unwrap();
        keys(&mut a, "End");
        assert_eq!(a.layer, a.layers.len() - 1);
        let v = a.view().unwrap();
        let mut ours: Vec<(String, u64)> = (1..v.shown.len())
            .filter(|&i| v.shown[i] && !v.is_dir[i] && v.mark[i] != Mark::Removed)
            .map(|i| (a.tree.path(i as u32), v.size[i]))
            .collect();
        ours.sort();
        let (_, fin) = dockstage_image::analyze_source(&spec, &Default::default(), &Default::default()).unwrap();
        let mut theirs: Vec<(String, u64)> = Vec::new();
        fin.walk_files(|parts, size| theirs.push((dockstage_image::tree::join_path(parts), size)));
        theirs.sort();
        assert_eq!(ours.len(), theirs.len(), "{archive}");
        assert_eq!(ours, theirs, "{archive}");
        assert!(!ours.iter().any(|(p, _)| p == "/opt/blob.bin" || p.starts_with("/tmp/gone")));
    }
}
