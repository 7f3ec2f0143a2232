//! Every source format yields the same analysis; Dockerfile mapping and leakage on a real
//! build say what the build did.
mod common;

use common::*;
use dockstage_image::leakage::LeakKind;
use dockstage_image::{
    analyze, dockerfile_map, open, read_stream, AnalyzeOptions, Format, ReadOptions,
};

fn stack() -> Vec<SynLayer> {
    let mut l = vec![
        layer(vec![
            d("usr"),
            d("usr/include"),
            f("usr/include/stdio.h", 900),
            f("usr/bin/gcc-12", 5000),
            f("app/main.py", 40),
        ]),
        layer(vec![
            d("var/lib/apt/lists"),
            f("var/lib/apt/lists/x_Packages", 7000),
            E::Sym("usr/bin/gcc".into(), "gcc-12".into()),
        ]),
        layer(vec![
            wh("app/main.py"),
            f("app/.git/HEAD", 23),
            E::Hard("app/h".into(), "usr/bin/gcc-12".into()),
        ]),
    ];
    l[1].comp = Comp::Gzip;
    l[2].comp = Comp::Zstd;
    l
}

fn key(a: &dockstage_image::Analysis) -> (u64, u64, u64, u64, Vec<u64>) {
    (
        a.efficiency.to_bits(),
        a.wasted_bytes,
        a.size_bytes,
        a.final_size_bytes,
        a.layers.iter().map(|l| l.size_bytes).collect(),
    )
}

#[test]
fn docker_oci_layout_and_stream_agree() {
    let dir = tempfile::tempdir().unwrap();
    let layers = stack();
    let docker = dir.path().join("d.tar");
    let oci = dir.path().join("o.tar");
    docker_archive(&docker, &layers);
    oci_archive(&oci, &layers);
    let opts = ReadOptions::default();
    let ad = analyze(
        &open(&docker.display().to_string(), &opts).unwrap(),
        &AnalyzeOptions::default(),
    );
    let io = open(&format!("oci-archive:{}", oci.display()), &opts).unwrap();
    assert_eq!(io.format, Format::OciArchive);
    let ao = analyze(&io, &AnalyzeOptions::default());
    assert_eq!(key(&ad), key(&ao));

    // OCI layout directory: the same archive unpacked.
    let layout = dir.path().join("layout");
    tar::Archive::new(std::fs::File::open(&oci).unwrap())
        .unpack(&layout)
        .unwrap();
    let il = open(&format!("oci:{}", layout.display()), &opts).unwrap();
    assert_eq!(il.format, Format::OciLayout);
    assert_eq!(key(&ad), key(&analyze(&il, &AnalyzeOptions::default())));
    let plain_dir = open(&layout.display().to_string(), &opts).unwrap();
    assert_eq!(plain_dir.format, Format::OciLayout);

    // One-pass stream (what the engine path reads), from a non-seekable reader.
    let bytes = std::fs::read(&docker).unwrap();
    let is = read_stream(&mut &bytes[..], "stream", &opts).unwrap();
    assert_eq!(key(&ad), key(&analyze(&is, &AnalyzeOptions::default())));
    let bytes = std::fs::read(&oci).unwrap();
    let is = read_stream(&mut &bytes[..], "stream", &opts).unwrap();
    assert_eq!(key(&ad), key(&analyze(&is, &AnalyzeOptions::default())));
}

#[test]
fn leakage_and_final_view_of_a_synthetic_image() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("d.tar");
    docker_archive(&p, &stack());
    let a = analyze(
        &open(&p.display().to_string(), &ReadOptions::default()).unwrap(),
        &AnalyzeOptions::default(),
    );
    let bytes_of = |k: LeakKind| a.leakage.iter().find(|l| l.kind == k).map(|l| l.bytes);
    assert_eq!(bytes_of(LeakKind::Headers), Some(900));
    assert_eq!(bytes_of(LeakKind::Compilers), Some(5000));
    assert_eq!(bytes_of(LeakKind::AptLists), Some(7000));
    assert_eq!(bytes_of(LeakKind::Git), Some(23));
    // main.py was deleted: not in the final view, and wasted in its layer.
    assert_eq!(a.final_size_bytes, 900 + 5000 + 7000 + 23);
    assert_eq!(a.layers[0].wasted_bytes, 40);
    assert_eq!(a.biggest_files[0].path, "/var/lib/apt/lists/x_Packages");
    assert_eq!(a.biggest_files[0].layer, 1);
}

#[test]
fn real_build_maps_to_dockerfile_lines() {
    let dir = real_archives();
    let fx = workspace().join("crates/image/tests/fixtures");

    // Layers of the wasteful fixture map to their Dockerfile lines.
    let img = open(
        &dir.join("wasteful.docker.tar").display().to_string(),
        &ReadOptions::default(),
    )
    .unwrap();
    let mut a = analyze(&img, &AnalyzeOptions::default());
    let text = std::fs::read_to_string(fx.join("wasteful/Dockerfile")).unwrap();
    let ins = dockerfile_map::instructions(&dockstage_syntax::parse(&text).unwrap());
    let mapped = dockerfile_map::map_layers(&mut a, &ins);
    let run_and_copy = ins
        .iter()
        .filter(|i| i.keyword == "RUN" || i.keyword == "COPY")
        .count();
    assert_eq!(mapped, run_and_copy, "every RUN/COPY made one layer");
    assert!(
        a.layers[0].instruction.is_none(),
        "the base layer is not from this Dockerfile"
    );
    let lines: Vec<usize> = a
        .layers
        .iter()
        .filter_map(|l| l.instruction.as_ref().map(|i| i.line))
        .collect();
    let expected: Vec<usize> = ins
        .iter()
        .filter(|i| i.keyword == "RUN" || i.keyword == "COPY")
        .map(|i| i.line)
        .collect();
    assert_eq!(lines, expected);
    let rm_blob = ins
        .iter()
        .find(|i| i.args.starts_with("rm /opt/blob.bin"))
        .unwrap();
    let deleting = a
        .layers
        .iter()
        .find(|l| l.instruction.as_ref().map(|i| i.line) == Some(rm_blob.line))
        .unwrap();
    assert_eq!(deleting.files_removed, 1);
    assert!(a
        .leakage
        .iter()
        .any(|l| l.kind == LeakKind::AptLists && l.bytes > 1_000_000));
    assert!(a
        .inefficiencies
        .iter()
        .any(|i| i.path == "/opt/blob.bin" && i.wasted_bytes == 3_000_000));
}

/// The tree keeps names in one arena per tree and link targets aside: long names (past the
/// tar header's 100 bytes, and past what a node's length field holds) and link targets must
/// come back whole from the stacked tree, read layer by layer (plain layers are read in
/// place) as well as in parallel (gzip), and a later layer's overwrite drops the old target.
#[test]
fn long_names_and_link_targets_survive_stacking() {
    let long = format!("site-packages/{}.cpython-311.pyc", "m".repeat(300));
    let huge = "h".repeat(70_000);
    for comp in [Comp::Plain, Comp::Gzip] {
        let mut layers = vec![
            layer(vec![
                f(&long, 7),
                f(&format!("big/{huge}"), 3),
                E::Sym("lib/libz.so".into(), "libz.so.1.3".into()),
                E::Sym("lib/keep".into(), format!("../{long}")),
            ]),
            layer(vec![f("lib/libz.so", 11), f("lib/other", 1)]),
        ];
        for l in &mut layers {
            l.comp = comp;
        }
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("img.tar");
        docker_archive(&p, &layers);
        let spec = p.display().to_string();
        let (a, fin) =
            dockstage_image::analyze_source(&spec, &ReadOptions::default(), &AnalyzeOptions::default())
                .unwrap();
        let t = &fin.tree;
        let parts: Vec<&str> = long.split('/').collect();
        let l = t.get(parts.iter().copied()).expect("long name found");
        assert_eq!(t.name(l), parts[1]);
        assert_eq!(t.node(l).info.map(|i| i.size), Some(7));
        let h = t.get(["big", huge.as_str()]).expect("huge name found");
        assert_eq!(t.name(h).len(), 70_000);
        let keep = t.get(["lib", "keep"]).unwrap();
        assert_eq!(t.link(keep), Some(format!("../{long}").as_str()), "{comp:?}");
        let z = t.get(["lib", "libz.so"]).unwrap();
        assert_eq!(t.link(z), None, "overwritten by a regular file: {comp:?}");
        assert_eq!(t.node(z).info.map(|i| i.size), Some(11));
        assert_eq!(a.final_files, 5);
        // The layer trees as read (all at once) keep the target the first layer wrote.
        let img = open(&spec, &ReadOptions::default()).unwrap();
        let first = &img.layers[0].tree.tree;
        assert_eq!(first.link(first.get(["lib", "libz.so"]).unwrap()), Some("libz.so.1.3"));
    }
}
