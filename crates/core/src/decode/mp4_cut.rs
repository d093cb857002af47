//! A web-optimised MP4 cut short: its `mdat` box claims more bytes than the file has.
//!
//! With the index (`moov`) first (`-movflags +faststart`), a file cut anywhere in its
//! audio still holds the whole sample table and every sample up to the cut. symphonia skips
//! a top-level box that runs past the end of the file, so it finds no `mdat` to read
//! samples from and decodes nothing. [`check`] finds such a box and gives the size that
//! ends it at the end of the file; decoding then goes as far as the data reaches and
//! stops at the first sample the cut took.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::patch::Patch;

/// Top-level boxes looked at before giving up (real files have a handful).
const MAX_BOXES: usize = 1024;

/// The corrected size of a top-level `mdat` box that runs past the end of the file, or
/// `None` (not an MP4, or nothing cut).
pub(crate) fn check(path: &Path) -> Option<Patch> {
    let mut file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let mut head = [0u8; 16];
    file.read_exact(&mut head[..8]).ok()?;
    if &head[4..8] != b"ftyp" {
        return None;
    }
    let mut pos = 0u64;
    for _ in 0..MAX_BOXES {
        if pos + 8 > len {
            return None;
        }
        file.seek(SeekFrom::Start(pos)).ok()?;
        let n = (len - pos).min(16) as usize;
        file.read_exact(&mut head[..n]).ok()?;
        let size32 = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
        let (size, wide) = match size32 {
            0 => return None, // runs to the end of the file already
            1 if n == 16 => (
                u64::from_be_bytes(head[8..16].try_into().expect("8 bytes")),
                true,
            ),
            1 => return None,
            s => (u64::from(s), false),
        };
        if size < if wide { 16 } else { 8 } {
            return None;
        }
        let end = pos.checked_add(size)?;
        if end > len {
            if &head[4..8] != b"mdat" {
                return None;
            }
            let left = len - pos;
            let bytes = if wide {
                left.to_be_bytes().to_vec()
            } else {
                // 0 means "to the end of the file" when the true size does not fit.
                u32::try_from(left).unwrap_or(0).to_be_bytes().to_vec()
            };
            let at = if wide { pos + 8 } else { pos };
            return Some(Patch { at, bytes });
        }
        pos = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn boxed(kind: &[u8; 4], body: usize) -> Vec<u8> {
        let mut b = ((body + 8) as u32).to_be_bytes().to_vec();
        b.extend(kind);
        b.extend(std::iter::repeat_n(7u8, body));
        b
    }

    fn check_bytes(bytes: &[u8]) -> Option<Patch> {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f.flush().unwrap();
        check(f.path())
    }

    #[test]
    fn a_cut_mdat_is_ended_at_the_end_of_the_file() {
        let mut file = boxed(b"ftyp", 12);
        file.extend(boxed(b"moov", 40));
        let mdat_at = file.len() as u64;
        file.extend(boxed(b"mdat", 100));
        assert_eq!(check_bytes(&file), None, "intact");
        let cut = &file[..file.len() - 30];
        let patch = check_bytes(cut).unwrap();
        assert_eq!(patch.at, mdat_at);
        assert_eq!(patch.bytes, 78u32.to_be_bytes().to_vec());
        // A cut through anything else is not this module's to repair.
        assert_eq!(check_bytes(&file[..30]), None);
        assert_eq!(check_bytes(b"not an mp4 at all"), None);
    }
}
