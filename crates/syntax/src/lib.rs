//! Lossless Dockerfile syntax, read exactly as BuildKit's frontend reads it.
//!
//! ```
//! let df = dockstage_syntax::parse("FROM python:3.11-slim AS builder\nRUN pip install x\n").unwrap();
//! assert_eq!(df.instructions[0].args, ["python:3.11-slim", "AS", "builder"]);
//! assert_eq!(df.instructions[1].start_line, 2);
//! ```
//!
//! - [`parse`] turns source text into a [`Dockerfile`] of [`Instruction`]s with byte spans.
//! - [`expand`] expands `$VAR` words as BuildKit's shell lexer does (ARGs in FROM, ...).
//! - [`dump`] prints the tree in BuildKit's test notation.
//! - [`legacy`] gives the per-instruction record of BuildKit's Go API as the `dockerfile` Python
//!   package exposes it, which `dockstage parse --format json` prints.

pub mod ast;
mod directives;
pub mod dump;
pub mod expand;
pub mod legacy;
mod parser;
pub mod words;

pub use ast::*;
pub use parser::{parse, parse_with, Dialect, ParseError};
