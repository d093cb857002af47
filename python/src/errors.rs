//! talign's errors as Python exceptions, with the command line's messages.
//!
//! | talign error                         | Python exception                     |
//! |--------------------------------------|--------------------------------------|
//! | no such file                         | `FileNotFoundError`                  |
//! | a directory given for a file         | `IsADirectoryError`                  |
//! | I/O error (permissions, disk, ...)   | `OSError` (its subclass by errno)    |
//! | recording does not match transcript  | `talign.MismatchError` (`ValueError`) |
//! | espeak-ng missing where it is needed | `RuntimeError`                       |
//! | any other bad input                  | `ValueError`                         |

use pyo3::exceptions::{
    PyFileNotFoundError, PyIsADirectoryError, PyOSError, PyRuntimeError, PyValueError,
};
use pyo3::prelude::*;

pyo3::create_exception!(
    talign,
    MismatchError,
    PyValueError,
    "The recording does not sound like the transcript (another recording, reversed audio, far \
     more text than speech): refused rather than aligned; `force=True` aligns anyway. The \
     command line exits 1 for it."
);

/// The error and its causes, each said once, control characters escaped: the text the
/// command line prints after `talign: `.
pub fn message(err: &talign::Error) -> String {
    let mut text = String::new();
    let mut cause: Option<&dyn std::error::Error> = Some(err);
    while let Some(c) = cause {
        let part = c.to_string();
        if !text.contains(&part) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&part);
        }
        cause = c.source();
    }
    text.split('\n')
        .map(|line| talign::transcript::printable(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The Python exception for a talign error.
pub fn to_py(err: talign::Error) -> PyErr {
    let text = message(&err);
    let mut inner = &err;
    while let talign::Error::WithPath { source, .. } = inner {
        inner = source;
    }
    match inner {
        talign::Error::NotFound { .. } => PyFileNotFoundError::new_err(text),
        talign::Error::IsDirectory { .. } => PyIsADirectoryError::new_err(text),
        talign::Error::Mismatch { .. } => MismatchError::new_err(text),
        talign::Error::External(_) => PyRuntimeError::new_err(text),
        // OSError(errno, text) becomes the subclass for the errno (PermissionError, ...).
        talign::Error::Io(io) => match io.raw_os_error() {
            Some(code) => PyOSError::new_err((code, text)),
            None if io.kind() == std::io::ErrorKind::NotFound => PyFileNotFoundError::new_err(text),
            None => PyOSError::new_err(text),
        },
        _ => PyValueError::new_err(text),
    }
}

/// `Result<T, talign::Error>` into `PyResult<T>`.
pub trait IntoPy<T> {
    /// The error as its Python exception.
    fn py_err(self) -> PyResult<T>;
}

impl<T> IntoPy<T> for talign::Result<T> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}
