//! placeholder
pub mod expand;
