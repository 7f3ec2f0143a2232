//! What dockstage's test suites share, so each suite reads the same corpus the same way and a
//! failing random case is reproduced from its seed in any suite. A dev-dependency only.
use std::path::{Path, PathBuf};

/// The shared fixtures (`../shared` beside the workspace, or `$DOCKSTAGE_SHARED`): seeds,
/// BuildKit's conformance fixtures and the corpus of real Dockerfiles. Fails loudly when they
/// are missing, so that a test can never pass by finding nothing.
pub fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("DOCKSTAGE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    assert!(
        dir.join("corpus").is_dir(),
        "shared fixtures not found at {}; set DOCKSTAGE_SHARED",
        dir.display()
    );
    dir
}

/// Whether a file name is a Dockerfile's as the corpus names them: `Dockerfile*`,
/// `Containerfile*` or `*.Dockerfile`, but not a `.dockerignore` beside one.
pub fn is_dockerfile_name(name: &str) -> bool {
    !name.ends_with(".dockerignore")
        && (name.starts_with("Dockerfile")
            || name.starts_with("Containerfile")
            || name.ends_with(".Dockerfile"))
}

/// Every file under `dir` whose name `keep` accepts, sorted, so that suites walk them in the
/// same order.
pub fn files_under(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d)
            .unwrap_or_else(|e| panic!("{}: {e} (set DOCKSTAGE_SHARED)", d.display()));
        for entry in entries {
            let path = entry
                .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
                .path();
            if path.is_dir() {
                stack.push(path);
            } else if keep(&path.file_name().unwrap_or_default().to_string_lossy()) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Every Dockerfile under `dir` (see [`is_dockerfile_name`]), sorted.
pub fn dockerfiles_under(dir: &Path) -> Vec<PathBuf> {
    files_under(dir, is_dockerfile_name)
}

/// The corpus's Dockerfiles (`shared/corpus`, 258 files).
pub fn corpus_dockerfiles() -> Vec<PathBuf> {
    dockerfiles_under(&shared_dir().join("corpus"))
}

/// xorshift64*: small, deterministic and without a dependency; a failure names the seed that
/// reproduces it.
#[derive(Clone, Debug)]
pub struct Rng(pub u64);

impl Rng {
    // Not an `Iterator`: the sequence never ends, and every caller would unwrap an `Option`.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_the_xorshift64_star_sequence() {
        // xorshift64* from seed 1, computed independently (Python, 64-bit wrapping).
        let mut r = Rng(1);
        let first: Vec<u64> = (0..3).map(|_| r.next()).collect();
        assert_eq!(
            first,
            [
                5180492295206395165,
                12380297144915551517,
                13389498078930870103
            ]
        );
        assert_eq!(Rng(7).below(0), 0);
    }

    #[test]
    fn dockerfile_names() {
        for yes in [
            "Dockerfile",
            "Dockerfile.prod",
            "Containerfile",
            "api.Dockerfile",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in [
            "Dockerfile.dockerignore",
            "README.md",
            "dockerfile-utils.js",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }
}
