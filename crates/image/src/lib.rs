//! Reads container images without unpacking them and tells what is in them.
//!
//! Two layers, no cycle between them:
//! * [`source`]: where images live. docker-archive and oci-archive tarballs, OCI layout
//!   directories, `docker save` streams, a running engine, a registry. Each yields the image's
//!   config and its layers in order, as metadata trees ([`layer`], [`tree`]), plus the few
//!   files a consumer asked for ([`layer::Capture`]).
//! * [`analysis`] consumes those layers: per-layer changes, dive's efficiency score and wasted
//!   bytes (same numbers), biggest files and directories, build leftovers ([`leakage`]) and
//!   installed packages ([`packages`]).
//!
//! Around them: [`ci`] (dive-compatible thresholds), [`diff`] (two images side by side),
//! [`dockerfile_map`] (layers to Dockerfile lines), [`render`] (text and JSON).
pub mod analysis;
pub mod ci;
pub mod config;
pub mod diff;
pub mod dockerfile_map;
pub mod error;
pub mod layer;
pub mod leakage;
pub mod packages;
pub mod render;
pub mod sbom;
pub mod source;
pub mod tree;

pub use analysis::{analyze, analyze_source, Analysis, AnalyzeOptions};
pub use error::{ImageError, Result};
pub use layer::Limits;
pub use source::registry::RegistryOptions;
pub use source::{open, open_path, open_source, read_stream, Format, Image, Opened, ReadOptions, Source};
