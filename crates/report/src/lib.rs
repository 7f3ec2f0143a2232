//! Rendering results for people and for tools.

pub mod lint;
