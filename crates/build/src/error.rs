use std::fmt;
use std::path::Path;

/// Why a build, an export, a run or a read failed; the message names what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    pub message: String,
}

impl BuildError {
    pub fn new(message: impl Into<String>) -> BuildError {
        BuildError { message: message.into() }
    }

    pub(crate) fn io(path: &Path, e: std::io::Error) -> BuildError {
        BuildError::new(format!("{}: {e}", path.display()))
    }

    pub(crate) fn spawn(program: &str, e: std::io::Error) -> BuildError {
        BuildError::new(format!("cannot run {program}: {e}"))
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {}

impl From<dockstage_image::ImageError> for BuildError {
    fn from(e: dockstage_image::ImageError) -> BuildError {
        BuildError::new(e.to_string())
    }
}
