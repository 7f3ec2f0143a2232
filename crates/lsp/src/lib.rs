//! `dockstage lsp`: a language server for Dockerfiles on dockstage's BuildKit-exact parser,
//! its lint rules and their fixes.
//!
//! The shape is rust-analyzer's: [`main_loop`] owns the state (the open documents, the lint
//! configuration per folder, the diagnostics waiting for their debounce), takes one message at a
//! time, and hands each request a snapshot of the document it is about: the text and its
//! [`analysis::Analysis`], computed once per change. The answers live in [`handlers`], one module
//! per area of the protocol.
//!
//! It speaks LSP 3.17 over stdio through `lsp-server`, the small synchronous transport
//! rust-analyzer is built on: no async runtime, a reader and a writer thread, and a loop that is
//! easy to reason about (requests are answered in the order they arrive, so a document cannot be
//! closed under a request that is being answered).

pub mod analysis;
pub mod config;
pub mod docs;
pub mod document;
pub mod handlers;
pub mod main_loop;
pub mod uri;

use std::time::Duration;

pub use main_loop::{capabilities, main_loop};

/// What the server does that a client can tune through `initializationOptions`.
#[derive(Debug, Clone)]
pub struct Options {
    /// How long after the last `didChange` diagnostics are published.
    pub debounce: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options { debounce: Duration::from_millis(150) }
    }
}

/// Serves one client over standard input and output until it says `exit`.
pub fn run_stdio() -> Result<(), String> {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    let result = main_loop::serve(connection);
    io_threads.join().map_err(|e| format!("stdio: {e}"))?;
    result
}

/// Whether the server treats a file as a Dockerfile: `Dockerfile`, `*.Dockerfile`,
/// `Dockerfile.*`, `Containerfile*` (any case).
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile" || lower.ends_with(".dockerfile") || lower.starts_with("dockerfile.") || lower.starts_with("containerfile")
}

#[cfg(test)]
mod tests {
    #[test]
    fn dockerfile_names() {
        for yes in ["Dockerfile", "dockerfile", "api.Dockerfile", "Dockerfile.dev", "Containerfile", "Containerfile.arm"] {
            assert!(super::is_dockerfile_name(yes), "{yes}");
        }
        for no in ["Dockerfiles", "README.md", "docker-compose.yml", "mydockerfile"] {
            assert!(!super::is_dockerfile_name(no), "{no}");
        }
    }
}
