//! Writing output files so that a crash or an error never leaves a damaged file behind, and
//! nothing but a regular file is ever replaced.
//!
//! The rule: a regular file (or a new path) is written to a temporary file beside it and
//! renamed over it, keeping the old file's mode (and owner, where permitted); a symlink has
//! its target written that way and the link kept; anything else — `/dev/null`,
//! `/dev/stdout`, a FIFO, a terminal, a device — is written through, never replaced.
//!
//! [`crate::export::write_file`] writes this way; the module is public for the command line
//! (every output file, and `check --fix`'s backup) and for callers who write their own.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// How many symlinks a path may go through before it is called a loop (as the kernel does).
const MAX_LINKS: usize = 40;

/// Writes `bytes` to `path` by the rule above. Readers of a regular file see the old file or
/// the new one, never a partial write.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match destination(path)? {
        Destination::Through => write_through(path, bytes),
        Destination::New(target) => replace(&target, bytes, None),
        Destination::Regular(target, old) => {
            refuse_read_only(&target, &old, "or write elsewhere")?;
            replace(&target, bytes, Some(&old))
        }
    }
}

/// Replaces the regular file `path` with `bytes`, first keeping its current content complete
/// in `backup` (written, synced, then renamed over any older backup, so a failure at any
/// point leaves the old backup as it was). Both keep the original's mode.
pub fn replace_keeping_backup(path: &Path, backup: &Path, bytes: &[u8]) -> io::Result<()> {
    let Destination::Regular(target, old) = destination(path)? else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is not a regular file; it cannot be edited in place",
                path.display()
            ),
        ));
    };
    refuse_read_only(
        &target,
        &old,
        "to fix it in place, or write the corrected copy elsewhere with -o",
    )?;
    let original = fs::read(&target)?;
    let backup_target = match destination(backup)? {
        Destination::New(b) | Destination::Regular(b, _) => b,
        Destination::Through => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} is not a regular file; move it away to keep a backup there",
                    backup.display()
                ),
            ));
        }
    };
    replace(&backup_target, &original, Some(&old))?;
    replace(&target, bytes, Some(&old))
}

/// A read-only file is the user's "do not change this": refused (even for root, who could),
/// with how to change it on purpose, `what_else` being the other way out.
fn refuse_read_only(target: &Path, old: &fs::Metadata, what_else: &str) -> io::Result<()> {
    if !old.permissions().readonly() {
        return Ok(());
    }
    Err(io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!(
            "{} is read-only; make it writable (chmod u+w) {what_else}",
            target.display()
        ),
    ))
}

/// True when `a` and `b` name the same file: the same inode when both exist, else the same
/// absolute path once their directories are resolved.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        (Err(_), Err(_)) => resolved_name(a).is_some() && resolved_name(a) == resolved_name(b),
        _ => false,
    }
}

/// `path` with its directory canonicalised (the file itself need not exist).
fn resolved_name(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(fs::canonicalize(parent).ok()?.join(name))
}

/// Where the bytes go.
enum Destination {
    /// Not a regular file (device, FIFO, terminal, socket, a descriptor alias): write into it.
    Through,
    /// Nothing there yet: create this path.
    New(PathBuf),
    /// A regular file at this (symlink-resolved) path, with its metadata.
    Regular(PathBuf, fs::Metadata),
}

fn destination(path: &Path) -> io::Result<Destination> {
    if is_descriptor_alias(path) {
        return Ok(Destination::Through);
    }
    let target = follow_links(path)?;
    match fs::symlink_metadata(&target) {
        Ok(meta) if meta.is_file() => Ok(Destination::Regular(target, meta)),
        Ok(meta) if meta.is_dir() => Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            format!("{} is a directory; give a file name", target.display()),
        )),
        Ok(_) => Ok(Destination::Through),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Destination::New(target)),
        Err(e) => Err(e),
    }
}

/// `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`: names of an open descriptor, which may be a
/// pipe or a file opened for appending by the shell. Always written through.
fn is_descriptor_alias(path: &Path) -> bool {
    let p = path.to_string_lossy();
    matches!(p.as_ref(), "/dev/stdout" | "/dev/stderr")
        || p.starts_with("/dev/fd/")
        || p.starts_with("/proc/self/fd/")
}

/// The path after every symlink (also dangling ones) is followed.
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{}: too many levels of symbolic links", path.display()),
    ))
}

fn write_through(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// Writes a temporary file beside `target` and renames it over `target`; with `old`, the
/// temporary file takes its mode and (where permitted) its owner first.
fn replace(target: &Path, bytes: &[u8], old: Option<&fs::Metadata>) -> io::Result<()> {
    let (tmp, mut file) = create_temp(target)?;
    let result = (|| {
        if let Some(old) = old {
            file.set_permissions(fs::Permissions::from_mode(old.mode() & 0o7777))?;
            // Only root may give a file away; anyone else keeps their own ownership.
            let _ = std::os::unix::fs::fchown(&file, Some(old.uid()), Some(old.gid()));
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A new temporary file in the target's directory (rename is atomic only within one
/// filesystem), created exclusively so a planted file or link there is never followed.
fn create_temp(target: &Path) -> io::Result<(PathBuf, fs::File)> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut attempt = 0u32;
    loop {
        let tmp = target.with_file_name(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o666)
            .open(&tmp)
        {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{FileTypeExt, symlink};

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().mode() & 0o777
    }

    #[test]
    fn replaces_content_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.srt");
        fs::write(&target, "old").unwrap();
        write_atomic(&target, b"new").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn failure_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let missing_dir = dir.path().join("no-such-dir").join("out.srt");
        assert!(write_atomic(&missing_dir, b"new").is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn keeps_the_mode_of_the_file_it_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("private.json");
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&target, b"new").unwrap();
        assert_eq!(mode(&target), 0o600);
    }

    #[test]
    fn refuses_a_read_only_file_and_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("locked.json");
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o444)).unwrap();
        let err = write_atomic(&target, b"new").unwrap_err();
        assert!(err.to_string().contains("read-only"), "{err}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
    }

    #[test]
    fn a_symlink_keeps_pointing_at_its_target_which_gets_the_text() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.srt");
        let link = dir.path().join("link.srt");
        fs::write(&target, "old").unwrap();
        symlink("real.srt", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    }

    #[test]
    fn a_dangling_symlink_creates_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link.srt");
        symlink("made.srt", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("made.srt")).unwrap(),
            "new"
        );
    }

    #[test]
    fn a_symlink_loop_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        symlink(&b, &a).unwrap();
        symlink(&a, &b).unwrap();
        assert!(write_atomic(&a, b"x").is_err());
        assert!(fs::symlink_metadata(&a).unwrap().file_type().is_symlink());
    }

    #[test]
    fn dev_null_is_written_through_not_replaced() {
        write_atomic(Path::new("/dev/null"), b"discarded").unwrap();
        let meta = fs::metadata("/dev/null").unwrap();
        assert!(meta.file_type().is_char_device());
    }

    #[test]
    fn a_fifo_is_written_through_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(&fifo).unwrap())
        };
        write_atomic(&fifo, b"through").unwrap();
        assert_eq!(reader.join().unwrap(), b"through");
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomic(dir.path(), b"x").unwrap_err();
        assert!(err.to_string().contains("is a directory"), "{err}");
    }

    #[test]
    fn backup_is_complete_and_both_keep_the_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.txt");
        let backup = dir.path().join("t.txt.bak");
        fs::write(&path, "original").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        fs::write(&backup, "older backup").unwrap();
        replace_keeping_backup(&path, &backup, b"fixed").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "fixed");
        assert_eq!(fs::read_to_string(&backup).unwrap(), "original");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&backup), 0o600);
    }

    #[test]
    fn a_failed_backup_leaves_the_old_backup_and_the_original() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.txt");
        fs::write(&path, "original").unwrap();
        // A backup path inside a missing directory cannot be written.
        let backup = dir.path().join("missing").join("t.txt.bak");
        assert!(replace_keeping_backup(&path, &backup, b"fixed").is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "original");
    }

    #[test]
    fn same_file_sees_through_links_and_relative_names() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("rec.wav");
        fs::write(&real, "x").unwrap();
        let link = dir.path().join("alias.wav");
        symlink(&real, &link).unwrap();
        assert!(same_file(&real, &link));
        assert!(same_file(
            &dir.path().join("new.json"),
            &dir.path().join(".").join("new.json")
        ));
        assert!(!same_file(&real, &dir.path().join("new.json")));
    }
}
