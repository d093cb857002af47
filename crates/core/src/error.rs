//! One error type for the library, with context as wrapping variants.

use std::path::PathBuf;

/// Result alias used across talign.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in talign's library.
///
/// Context (file, line, time) wraps the underlying error so messages read
/// `file:line: what is wrong; what to do`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An I/O error without further context.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The input file does not exist.
    #[error("{}: no such file; check the path", path.display())]
    NotFound {
        /// The missing path.
        path: PathBuf,
    },
    /// The input path is a directory.
    #[error("{}: is a directory; give a file", path.display())]
    IsDirectory {
        /// The offending path.
        path: PathBuf,
    },
    /// The input file has no bytes.
    #[error("{}: file is empty (0 bytes); check the path, or that the download or copy finished", path.display())]
    EmptyFile {
        /// The empty file.
        path: PathBuf,
    },
    /// The file is not a recording talign can read.
    #[error("{}: {message}", path.display())]
    UnsupportedAudio {
        /// The file.
        path: PathBuf,
        /// What was found and what to do.
        message: String,
    },
    /// The recording decoded to no audio, or only silence.
    #[error("{}: {message}", path.display())]
    NoAudio {
        /// The file.
        path: PathBuf,
        /// What was found.
        message: String,
    },
    /// A transcript could not be read.
    #[error("{}:{line}: {message}", path.display())]
    Transcript {
        /// The transcript file.
        path: PathBuf,
        /// 1-based line (0 when the whole file is at fault).
        line: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// An input was well-formed but cannot be used (e.g. a transcript with no turns).
    #[error("{0}")]
    Invalid(String),
    /// A required external program (espeak-ng) is missing or failed.
    #[error("{0}")]
    External(String),
    /// The recording does not sound like its transcript (another recording, reversed audio,
    /// far more text than speech): refused rather than aligned.
    #[error("{}: {message}", path.display())]
    Mismatch {
        /// The recording.
        path: PathBuf,
        /// How much matched and what to do.
        message: String,
    },
    /// An input the user named exists but cannot be read (permissions, a symbolic link
    /// loop, an I/O error): bad input (exit 2), unlike an output that cannot be written.
    #[error("{}: cannot be read: {source}", path.display())]
    Unreadable {
        /// The input.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Context: the error happened while handling this path.
    #[error("{}: {source}", path.display())]
    WithPath {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: Box<Error>,
    },
}

impl Error {
    /// The error of reading `path`: [`Error::NotFound`] when it does not exist, else the
    /// I/O error with the path.
    pub fn reading(path: &std::path::Path, err: std::io::Error) -> Error {
        match err.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound {
                path: path.to_path_buf(),
            },
            _ => Error::Io(err).with_path(path),
        }
    }

    /// The error of reading an input the user named: [`Error::NotFound`] when it does not
    /// exist, else [`Error::Unreadable`] (both input errors, exit 2 on the command line).
    pub fn reading_input(path: &std::path::Path, err: std::io::Error) -> Error {
        match err.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound {
                path: path.to_path_buf(),
            },
            _ => Error::Unreadable {
                path: path.to_path_buf(),
                source: err,
            },
        }
    }

    /// `self` as an error in reading an input the user named: an I/O error with its path
    /// ([`Error::WithPath`] around [`Error::Io`]) becomes [`Error::reading_input`]'s error
    /// for that path; any other error is returned as it is.
    pub fn as_input(self) -> Error {
        match self {
            Error::WithPath { path, source } => match *source {
                Error::Io(err) => Error::reading_input(&path, err),
                other => Error::WithPath {
                    path,
                    source: Box::new(other.as_input()),
                },
            },
            other => other,
        }
    }

    /// Wraps `self` with the path it concerns.
    pub fn with_path(self, path: impl Into<PathBuf>) -> Error {
        Error::WithPath {
            path: path.into(),
            source: Box::new(self),
        }
    }

    /// True for errors in the user's input (exit code 2 class), false for internal/IO failures.
    pub fn is_input_error(&self) -> bool {
        if let Error::WithPath { source, .. } = self {
            return source.is_input_error();
        }
        !matches!(self, Error::Io(_) | Error::External(_))
    }

    /// True when the recording and transcript do not match (the CLI exits 1).
    pub fn is_mismatch(&self) -> bool {
        match self {
            Error::Mismatch { .. } => true,
            Error::WithPath { source, .. } => source.is_mismatch(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_input_that_cannot_be_read_is_an_input_error() {
        let path = std::path::Path::new("list.csv");
        let eloop = std::io::Error::from_raw_os_error(40);
        let plain = Error::Io(std::io::Error::from_raw_os_error(40)).with_path(path);
        assert!(
            !plain.is_input_error(),
            "an I/O error alone is not the user's"
        );
        let input = plain.as_input();
        assert!(input.is_input_error());
        assert!(matches!(input, Error::Unreadable { .. }), "{input:?}");
        assert!(input.to_string().starts_with("list.csv: cannot be read: "));
        let missing = Error::reading_input(path, std::io::ErrorKind::NotFound.into());
        assert!(matches!(missing, Error::NotFound { .. }));
        assert!(Error::reading_input(path, eloop).is_input_error());
        // Other errors stay as they are.
        let invalid = Error::Invalid("x".into()).with_path(path).as_input();
        assert!(matches!(invalid, Error::WithPath { .. }));
    }
}
