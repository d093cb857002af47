//! Reading a transcript path without trusting it: what it names is checked before a byte is
//! read, a named pipe with no writer cannot hang the open, and no more than
//! [`MAX_BYTES`](super::MAX_BYTES) (plus one, to know) is ever read.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::decode_text::{MAX_BYTES, too_large};
use crate::{Error, Result};

/// Where the bytes came from: the "empty" message differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// A regular file.
    File,
    /// A pipe or named pipe (FIFO), such as `/dev/stdin` or `<(command)`.
    Pipe,
}

/// Reads the whole transcript at `path`, refusing before reading what cannot be one: a
/// directory, a device (`/dev/zero`, `/dev/urandom`, a terminal), a socket, or a file over
/// [`MAX_BYTES`]. A pipe is read up to [`MAX_BYTES`] and refused past it.
pub(crate) fn read_capped(path: &Path) -> Result<(Vec<u8>, Source)> {
    let refuse = |message: String| Error::Transcript {
        path: path.to_owned(),
        line: 0,
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| Error::reading_input(path, e))?;
    if meta.is_dir() {
        return Err(Error::IsDirectory {
            path: path.to_owned(),
        });
    }
    source_of(&meta).map_err(&refuse)?;
    let file = open(path).map_err(|e| Error::reading_input(path, e))?;
    // Checked again on what was opened: the path may have changed in between.
    let meta = file.metadata().map_err(|e| Error::reading_input(path, e))?;
    let source = source_of(&meta).map_err(&refuse)?;
    if source == Source::File && meta.len() > MAX_BYTES as u64 {
        return Err(refuse(too_large(meta.len())));
    }
    let mut bytes = Vec::new();
    file.take(MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::reading_input(path, e))?;
    if bytes.len() > MAX_BYTES {
        return Err(refuse(match source {
            Source::File => too_large(bytes.len() as u64),
            Source::Pipe => format!(
                "more than {} MB came through the pipe, over the limit for a transcript; \
                 check what is writing into it",
                MAX_BYTES >> 20
            ),
        }));
    }
    Ok((bytes, source))
}

/// A regular file or a pipe; anything else is named in the refusal.
#[cfg(unix)]
fn source_of(meta: &std::fs::Metadata) -> std::result::Result<Source, String> {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    let what = if t.is_file() {
        return Ok(Source::File);
    } else if t.is_fifo() {
        return Ok(Source::Pipe);
    } else if t.is_char_device() {
        "a character device (like /dev/zero, /dev/urandom or a terminal)"
    } else if t.is_block_device() {
        "a block device (a disk)"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    };
    Err(format!(
        "is {what}, not a transcript file; give the path of the transcript's text file"
    ))
}

#[cfg(not(unix))]
fn source_of(meta: &std::fs::Metadata) -> std::result::Result<Source, String> {
    if meta.is_file() {
        Ok(Source::File)
    } else {
        Err("is not a regular file; give the path of the transcript's text file".to_owned())
    }
}

/// Opens for reading without waiting for a named pipe's writer, then reads block again: a
/// writer that has opened the pipe is waited for, and with none the read ends at once.
#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<File> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let fd = file.as_raw_fd();
    // SAFETY: `fd` is open and owned by `file` for the duration of both calls; F_GETFL and
    // F_SETFL only read and set its status flags.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(file)
}

#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn devices_are_refused_before_reading() {
        let e = read_capped(Path::new("/dev/zero")).unwrap_err();
        assert!(e.to_string().contains("is a character device"), "{e}");
        assert!(e.is_input_error());
    }

    #[test]
    fn a_fifo_without_writer_reads_as_empty_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("t.fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let started = std::time::Instant::now();
        let (bytes, source) = read_capped(&fifo).unwrap();
        assert!(bytes.is_empty());
        assert_eq!(source, Source::Pipe);
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn a_fifo_with_a_writer_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("t.fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        // The writer blocks in open until a reader opens the pipe; a reader that opened
        // before it sees an empty pipe (and the writer then a broken pipe), so both retry.
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(
                move || {
                    while std::fs::write(&fifo, "KERRY: Hello.\n").is_err() {}
                },
            )
        };
        let started = std::time::Instant::now();
        while started.elapsed().as_secs() < 10 {
            let (bytes, _) = read_capped(&fifo).unwrap();
            if !bytes.is_empty() {
                assert_eq!(bytes, b"KERRY: Hello.\n");
                writer.join().unwrap();
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!("the reader never saw the writer's text");
    }
}
