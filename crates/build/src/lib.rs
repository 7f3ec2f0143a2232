//! Builds Dockerfiles with a real container engine and proves a rewrite builds the same
//! application.
//!
//! * [`engine`]: finds docker buildx, podman or buildah (or the one named), builds a
//!   Dockerfile and context to a docker-archive, runs an image in the background
//!   ([`process::Running`]: bounded waits, the whole process group stopped, the container
//!   removed).
//! * [`verify`]: builds an original and its rewrite, reads both final images with
//!   dockstage-image (file contents hashed as the layers stream), and checks that both
//!   build, the runtime config is equal, the application's files ([`app_paths`]) are the
//!   same, and names what the rewrite drops. [`verify::verify_with_engine`] is the one call
//!   behind `dockstage split --verify`.
pub mod allowances;
pub mod app_paths;
pub mod contents;
pub mod engine;
pub mod error;
pub mod process;
pub mod verify;

pub use engine::{BuildRequest, Built, Engine, EngineKind, RunRequest};
pub use error::BuildError;
pub use process::Running;
pub use verify::{render_text, verify, verify_with_engine, VerifyOptions, VerifyReport};
