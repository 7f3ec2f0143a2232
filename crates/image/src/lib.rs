//! Reads container images without unpacking them and tells what is in them.
//!
//! * [`archive`]: docker-archive and oci-archive tarballs, OCI layout directories, `docker save`
//!   streams; each layer is read once, as a stream, into a tree of metadata.
//! * [`engine`]: images in a running Docker-compatible engine (Docker, `podman system service`).
//! * [`analysis`]: per-layer changes, dive's efficiency score and wasted bytes (same numbers),
//!   biggest files and directories, and build leftovers ([`leakage`]).
//! * [`ci`]: dive-compatible CI thresholds (`.dive-ci`), [`diff`]: two images side by side,
//!   [`render`]: text and JSON output.
pub mod analysis;
pub mod archive;
pub mod ci;
pub mod config;
pub mod diff;
pub mod dockerfile_map;
pub mod engine;
pub mod error;
pub mod layer;
pub mod leakage;
pub mod render;
pub mod tree;

pub use analysis::{analyze, Analysis, AnalyzeOptions};
pub use archive::{analyze_source, open_path, read_stream, Format, Image, ReadOptions, Source};
pub use error::{ImageError, Result};
pub use layer::Limits;

/// Reads an image from any source: a path, an `oci:`/`docker-archive:`/`oci-archive:` spec,
/// or a reference in a running engine.
pub fn open(spec: &str, opts: &ReadOptions<'_>) -> Result<Image> {
    match Source::parse(spec) {
        Source::Engine(reference) => engine::export(&reference, opts),
        other => open_path(&other, opts),
    }
}
