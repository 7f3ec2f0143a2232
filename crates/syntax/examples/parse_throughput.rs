//! Parse throughput over a directory of Dockerfiles, in process, on one thread.
//!
//! `cargo run --release -p dockstage-syntax --example parse_throughput -- DIR [SECONDS]`

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
            if name.starts_with("Dockerfile") || name == "Containerfile" {
                out.push(path);
            }
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: parse_throughput DIR [SECONDS]"));
    let seconds: f64 = args.next().map(|s| s.parse().expect("seconds")).unwrap_or(3.0);
    let mut paths = Vec::new();
    collect(&dir, &mut paths);
    let texts: Vec<String> = paths.iter().map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned()).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let budget = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut files = 0usize;
    let mut instructions = 0usize;
    while start.elapsed() < budget {
        for text in &texts {
            if let Ok(df) = dockstage_syntax::parse(text) {
                instructions += df.instructions.len();
            }
            files += 1;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "dockstage-syntax: {} files ({} KiB) x {} rounds: {:.0} files/s, {:.1} MiB/s, {} instructions",
        texts.len(),
        bytes / 1024,
        files / texts.len(),
        files as f64 / elapsed,
        (bytes * (files / texts.len())) as f64 / elapsed / 1048576.0,
        instructions
    );
}
