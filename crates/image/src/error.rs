//! One error type for everything that can go wrong reading an image.
use std::fmt;
use std::io;

/// Why an image could not be read. Every variant names the place (archive, entry, layer)
/// so a user can find the broken part without a debugger.
#[derive(Debug)]
pub enum ImageError {
    /// Reading the source failed (file missing, permission, truncated stream, bad compression).
    Io { context: String, source: io::Error },
    /// The archive is readable but is not a valid image, or breaks one of our safety rules.
    Invalid { context: String, message: String },
    /// A limit that protects memory and time was exceeded (tar bombs).
    Limit { context: String, message: String },
    /// The container engine answered with an error or could not be reached.
    Engine { message: String },
}

impl ImageError {
    pub(crate) fn io(context: impl Into<String>, source: io::Error) -> Self {
        ImageError::Io {
            context: context.into(),
            source,
        }
    }
    pub(crate) fn invalid(context: impl Into<String>, message: impl Into<String>) -> Self {
        ImageError::Invalid {
            context: context.into(),
            message: message.into(),
        }
    }
    pub(crate) fn limit(context: impl Into<String>, message: impl Into<String>) -> Self {
        ImageError::Limit {
            context: context.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::Io { context, source } => {
                if source.kind() == io::ErrorKind::UnexpectedEof {
                    write!(f, "{context}: data ends early (truncated archive or compressed stream): {source}")
                } else {
                    write!(f, "{context}: {source}")
                }
            }
            ImageError::Invalid { context, message } => write!(f, "{context}: {message}"),
            ImageError::Limit { context, message } => write!(f, "{context}: {message}"),
            ImageError::Engine { message } => write!(f, "container engine: {message}"),
        }
    }
}

impl std::error::Error for ImageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ImageError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

pub type Result<T, E = ImageError> = std::result::Result<T, E>;
