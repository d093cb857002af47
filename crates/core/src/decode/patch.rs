//! Reading a file with a few header bytes corrected, for symphonia.
//!
//! Some damage is in one header field that symphonia believes over the data: a FLAC
//! STREAMINFO that disagrees with the frames (`streaminfo`), the size of a web-optimised
//! MP4's `mdat` box that runs past the end of a cut file (`mp4_cut`). Rather than copy the
//! file, [`PatchedFile`] reads it as it is and overlays the corrected bytes where they lie.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use symphonia::core::io::MediaSource;

/// Bytes to present at `at` instead of the file's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Patch {
    /// Offset in the file.
    pub(crate) at: u64,
    /// What symphonia reads there.
    pub(crate) bytes: Vec<u8>,
}

/// The file as it is, but with one patch applied to everything read from it.
pub(crate) struct PatchedFile {
    file: File,
    pos: u64,
    len: u64,
    patch: Patch,
}

impl PatchedFile {
    pub(crate) fn new(file: File, patch: Patch) -> std::io::Result<PatchedFile> {
        let len = file.metadata()?.len();
        Ok(PatchedFile {
            file,
            pos: 0,
            len,
            patch,
        })
    }
}

impl Read for PatchedFile {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        let (start, end) = (self.pos, self.pos + n as u64);
        let from = self.patch.at;
        let to = from + self.patch.bytes.len() as u64;
        for p in start.max(from)..end.min(to) {
            buf[(p - start) as usize] = self.patch.bytes[(p - from) as usize];
        }
        self.pos = end;
        Ok(n)
    }
}

impl Seek for PatchedFile {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.pos = self.file.seek(to)?;
        Ok(self.pos)
    }
}

impl MediaSource for PatchedFile {
    fn is_seekable(&self) -> bool {
        true
    }

    fn byte_len(&self) -> Option<u64> {
        Some(self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_patch_covers_its_bytes_only() {
        let mut bytes: Vec<u8> = (0..100u8).collect();
        let mut f = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut f, &bytes).unwrap();
        let patch = Patch {
            at: 8,
            bytes: vec![0xEE; 34],
        };
        let mut p = PatchedFile::new(File::open(f.path()).unwrap(), patch).unwrap();
        let mut got = Vec::new();
        let mut chunk = [0u8; 7];
        loop {
            let n = p.read(&mut chunk).unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&chunk[..n]);
        }
        bytes[8..42].fill(0xEE);
        assert_eq!(got, bytes);
        p.seek(SeekFrom::Start(40)).unwrap();
        let n = p.read(&mut chunk).unwrap();
        assert_eq!(&chunk[..n], &bytes[40..40 + n]);
        assert_eq!(p.byte_len(), Some(100));
    }
}
