//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared fixtures: `$DOCKSTAGE_SHARED`, else `../shared` beside the workspace. Fails loudly
/// when missing, so a test can never pass by finding nothing.
pub fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("DOCKSTAGE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    assert!(dir.join("corpus").is_dir(), "shared fixtures not found at {}; set DOCKSTAGE_SHARED", dir.display());
    dir
}

/// A small deterministic generator (xorshift), so a failure names a seed that reproduces it.
pub struct Gen(pub u64);

impl Gen {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}
