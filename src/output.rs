//! Where command output goes: stdout, or a file written by the atomic-file rule
//! (`talign::atomic_file`), never over one of the command's own inputs.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use talign::atomic_file::same_file;

/// Writes `text` to `path` atomically, or to stdout when `path` is `None` or `-`.
pub fn emit(path: Option<&Path>, text: &str) -> anyhow::Result<()> {
    emit_bytes(path, text.as_bytes())
}

/// [`emit`] for bytes (text in the encoding its input had).
pub fn emit_bytes(path: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match path {
        Some(p) if p != Path::new("-") => talign::atomic_file::write_atomic(p, bytes)
            .with_context(|| format!("{}: cannot write output", p.display())),
        _ => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()?;
            Ok(())
        }
    }
}

/// Refuses, before any work, outputs that name one of the inputs or each other: `-o` over
/// the recording or the transcript would destroy what the user asked to read.
pub fn refuse_clobbering(inputs: &[&Path], outputs: &[(&str, &Path)]) -> anyhow::Result<()> {
    for (i, (flag, out)) in outputs.iter().enumerate() {
        if *out == Path::new("-") {
            continue;
        }
        if let Some(input) = inputs.iter().find(|input| same_file(input, out)) {
            return Err(talign::Error::Invalid(format!(
                "{flag} {} is the input {}; writing there would destroy it: choose another \
                 output file",
                out.display(),
                input.display()
            ))
            .into());
        }
        if let Some((other, _)) = outputs[..i].iter().find(|(_, o)| same_file(o, out)) {
            return Err(talign::Error::Invalid(format!(
                "{other} and {flag} both name {}; give each output its own file",
                out.display()
            ))
            .into());
        }
    }
    Ok(())
}

/// The hint for an I/O error while writing, by its kind: what to do next.
pub fn io_hint(err: &std::io::Error) -> Option<&'static str> {
    use std::io::ErrorKind::*;
    // Errors talign made itself already say what to do; only the OS's bare ones need it.
    err.raw_os_error()?;
    /// ELOOP on Linux: its `ErrorKind` is not stable yet.
    const TOO_MANY_LINKS: i32 = 40;
    if err.raw_os_error() == Some(TOO_MANY_LINKS) {
        return Some("a symbolic link points back at itself: fix or remove it");
    }
    Some(match err.kind() {
        PermissionDenied => "check the permissions of the file and of its directory (ls -l)",
        StorageFull | QuotaExceeded => "free some space on that disk, or write elsewhere",
        ReadOnlyFilesystem => "that filesystem is mounted read-only: write elsewhere",
        NotFound => "check that the directory exists",
        InvalidFilename => "shorten the file name or path",
        _ => return None,
    })
}
