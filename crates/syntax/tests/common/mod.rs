//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub use dockstage_test_support::shared_dir;

/// The seeded generator the test suites share; a failure names the seed that reproduces it.
#[allow(unused_imports)] // not every test binary that shares this module draws random cases
pub use dockstage_test_support::Rng as Gen;
