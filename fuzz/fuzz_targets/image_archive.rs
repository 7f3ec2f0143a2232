//! Any bytes as an image archive (docker-archive, OCI archive, `docker save` stream) and as a
//! single layer (plain, and the same bytes gzip- and zstd-wrapped so the decoders hand arbitrary
//! tar bytes on): an error or an image, never a panic, a hang or unbounded memory.
#![no_main]

use std::io::{Cursor, Write};
use std::path::PathBuf;

use dockstage_image::layer::{read_layer, EntryBudget};
use dockstage_image::{open_path, read_stream, Limits, ReadOptions, Source};
use libfuzzer_sys::fuzz_target;

fn scratch() -> PathBuf {
    std::env::temp_dir().join(format!("dockstage-fuzz-archive-{}.tar", std::process::id()))
}

fuzz_target!(|data: &[u8]| {
    // Small caps so a tar bomb in a few KiB is caught by the limits, not by the RSS limit.
    let limits = Limits { max_entries: 10_000, max_json_bytes: 1 << 20, max_depth: 256 };
    let opts = ReadOptions { limits, progress: None, ..Default::default() };

    let path = scratch();
    std::fs::write(&path, data).unwrap();
    for source in [Source::Archive(path.clone()), Source::DockerArchive(path.clone()), Source::OciArchive(path.clone())] {
        let _ = open_path(&source, &opts);
    }
    let _ = read_stream(Cursor::new(data), "stream", &opts);

    let _ = read_layer(Cursor::new(data), "layer", &limits, &EntryBudget::default());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).unwrap();
    let gz = gz.finish().unwrap();
    let _ = read_layer(Cursor::new(&gz), "layer.gz", &limits, &EntryBudget::default());
    let zst = zstd::encode_all(Cursor::new(data), 1).unwrap();
    let _ = read_layer(Cursor::new(&zst), "layer.zst", &limits, &EntryBudget::default());
});
