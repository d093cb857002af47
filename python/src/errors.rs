//! talign's errors as Python exceptions, with the command line's messages.
//!
//! | talign error                         | Python exception                     |
//! |--------------------------------------|--------------------------------------|
//! | no such file                         | `FileNotFoundError`                  |
//! | a directory given for a file         | `IsADirectoryError`                  |
//! | I/O error (permissions, disk, ...)   | `OSError` (its subclass by kind)     |
//! | an input that cannot be read         | `OSError` (its subclass by kind)     |
//! | recording does not match transcript  | `talign.MismatchError` (`ValueError`) |
//! | espeak-ng missing where it is needed | `RuntimeError`                       |
//! | any other bad input                  | `ValueError`                         |

use pyo3::exceptions::{
    PyFileExistsError, PyFileNotFoundError, PyIsADirectoryError, PyNotADirectoryError, PyOSError,
    PyPermissionError, PyRuntimeError, PyValueError,
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
    exception(&err, text)
}

/// The Python exception for `err`'s kind, saying `text`.
pub fn exception(err: &talign::Error, text: String) -> PyErr {
    let mut inner = err;
    while let talign::Error::WithPath { source, .. } = inner {
        inner = source;
    }
    match inner {
        talign::Error::NotFound { .. } => PyFileNotFoundError::new_err(text),
        talign::Error::IsDirectory { .. } => PyIsADirectoryError::new_err(text),
        talign::Error::Mismatch { .. } => MismatchError::new_err(text),
        talign::Error::External(_) => PyRuntimeError::new_err(text),
        talign::Error::Io(io) | talign::Error::Unreadable { source: io, .. } => os_error(io, text),
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

/// An I/O error as the `OSError` subclass for its kind, its text the message alone (no
/// `[Errno N]` prefix) and `errno` set when the system gave one.
fn os_error(io: &std::io::Error, text: String) -> PyErr {
    use std::io::ErrorKind;
    let err = match io.kind() {
        ErrorKind::NotFound => PyFileNotFoundError::new_err(text),
        ErrorKind::IsADirectory => PyIsADirectoryError::new_err(text),
        ErrorKind::NotADirectory => PyNotADirectoryError::new_err(text),
        ErrorKind::PermissionDenied => PyPermissionError::new_err(text),
        ErrorKind::AlreadyExists => PyFileExistsError::new_err(text),
        _ => PyOSError::new_err(text),
    };
    if let Some(code) = io.raw_os_error() {
        Python::attach(|py| {
            // Setting an attribute on a fresh exception does not fail; if it did, the
            // exception would still say what went wrong.
            let _ = err.value(py).setattr("errno", code);
        });
    }
    err
}
