//! The recording's cepstra from the model's front end, kept for the forced aligner, which
//! reads them back a window at a time once the turn lattice has placed the turns.
//!
//! At 52 bytes a frame they are most of what grows with a recording's length (190 MB at
//! 10 h), so past [`SPILL_AFTER_FRAMES`] they go to an unnamed temporary file and only the
//! newest frames stay in memory: a 10-hour recording then needs the memory of a 1-hour one.
//! Where no temporary file can be made they stay in memory, as before.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::sync::Mutex;

use super::frontend::NCEP;
use crate::error::{Error, Result};

/// Frames kept in memory before they spill to a temporary file: one hour (18.7 MB).
pub const SPILL_AFTER_FRAMES: usize = 360_000;

/// Bytes of one frame on disk (`NCEP` little-endian f32).
const FRAME_BYTES: usize = NCEP * 4;

/// A recording's cepstra, one `[f32; NCEP]` per 10 ms frame, in memory or partly on disk.
#[derive(Debug)]
pub struct Cepstra {
    /// Frames `spilled..` (all of them when nothing spilled).
    memory: Vec<[f32; NCEP]>,
    /// Frames `0..spilled`, when some spilled.
    file: Option<Mutex<File>>,
    spilled: usize,
    spill_after: usize,
}

impl Default for Cepstra {
    fn default() -> Self {
        Cepstra::with_spill_after(SPILL_AFTER_FRAMES)
    }
}

impl From<Vec<[f32; NCEP]>> for Cepstra {
    /// Frames already in memory, kept there.
    fn from(memory: Vec<[f32; NCEP]>) -> Self {
        Cepstra {
            memory,
            file: None,
            spilled: 0,
            spill_after: usize::MAX,
        }
    }
}

/// Appends frames (as `frontend::FrontEnd` makes them), spilling the ones in
/// memory to disk when there are too many.
impl Extend<[f32; NCEP]> for Cepstra {
    fn extend<I: IntoIterator<Item = [f32; NCEP]>>(&mut self, frames: I) {
        for frame in frames {
            if self.memory.capacity() == 0 && self.spill_after != usize::MAX {
                // The whole budget at once: doubling would overshoot it by up to half.
                self.memory.reserve_exact(self.spill_after);
            }
            self.memory.push(frame);
            if self.memory.len() >= self.spill_after {
                self.spill();
            }
        }
    }
}

impl Cepstra {
    /// An empty store that spills once `frames` frames are in memory.
    pub fn with_spill_after(frames: usize) -> Self {
        Cepstra {
            memory: Vec::new(),
            file: None,
            spilled: 0,
            spill_after: frames.max(1),
        }
    }

    /// Number of frames stored.
    pub fn len(&self) -> usize {
        self.spilled + self.memory.len()
    }

    /// Whether no frame is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether some frames are on disk.
    pub fn spilled(&self) -> bool {
        self.spilled > 0
    }

    /// Writes the frames in memory to the temporary file; on any failure they stay in
    /// memory and spilling stops (memory then grows, as without a file).
    fn spill(&mut self) {
        let file = match self.file.take() {
            Some(file) => Some(file),
            None => tempfile::tempfile().ok().map(Mutex::new),
        };
        let Some(file) = file else {
            self.spill_after = usize::MAX;
            return;
        };
        let mut bytes = Vec::with_capacity(self.memory.len() * FRAME_BYTES);
        for frame in &self.memory {
            for v in frame {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
        }
        let written = {
            let mut f = file.lock().unwrap_or_else(|e| e.into_inner());
            f.seek(SeekFrom::Start((self.spilled * FRAME_BYTES) as u64))
                .and_then(|_| f.write_all(&bytes))
        };
        match written {
            Ok(()) => {
                self.spilled += self.memory.len();
                self.memory.clear();
                self.file = Some(file);
            }
            Err(_) => {
                // Frames before `spilled` are on disk and intact; the rest stays here.
                self.spill_after = usize::MAX;
                self.file = (self.spilled > 0).then_some(file);
            }
        }
    }

    /// A copy of frames `range` (clamped to the frames stored; empty when it is reversed).
    pub fn window(&self, range: Range<usize>) -> Result<Vec<[f32; NCEP]>> {
        let end = range.end.min(self.len());
        let range = range.start.min(end)..end;
        let mut out = Vec::with_capacity(range.len());
        if range.start < self.spilled {
            let on_disk = range.start..range.end.min(self.spilled);
            let mut bytes = vec![0u8; on_disk.len() * FRAME_BYTES];
            let file = self.file.as_ref().expect("frames spilled to a file");
            let mut f = file.lock().unwrap_or_else(|e| e.into_inner());
            f.seek(SeekFrom::Start((on_disk.start * FRAME_BYTES) as u64))
                .and_then(|_| f.read_exact(&mut bytes))
                .map_err(|e| {
                    Error::Io(std::io::Error::new(
                        e.kind(),
                        format!("reading back the cepstra spilled to a temporary file: {e}"),
                    ))
                })?;
            out.extend(bytes.chunks_exact(FRAME_BYTES).map(|b| {
                std::array::from_fn(|i| f32::from_le_bytes(b[4 * i..4 * i + 4].try_into().unwrap()))
            }));
        }
        if range.end > self.spilled {
            let from = range.start.max(self.spilled) - self.spilled;
            out.extend_from_slice(&self.memory[from..range.end - self.spilled]);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(n: usize) -> Vec<[f32; NCEP]> {
        (0..n)
            .map(|t| std::array::from_fn(|i| t as f32 * 0.5 - i as f32 * 1e-3))
            .collect()
    }

    #[test]
    fn spilled_frames_read_back_exactly_across_the_boundary() {
        let all = frames(23);
        let mut store = Cepstra::with_spill_after(5);
        for block in all.chunks(3) {
            store.extend(block.iter().copied());
        }
        assert!(store.spilled(), "23 frames with a budget of 5 spill");
        assert_eq!(store.len(), 23);
        for range in [0..23, 0..1, 4..6, 5..5, 7..19, 20..23, 22..40, 30..40] {
            let want = &all[range.start.min(23)..range.end.min(23)];
            assert_eq!(store.window(range.clone()).unwrap(), want, "{range:?}");
        }
    }

    #[test]
    fn frames_in_memory_stay_there() {
        let all = frames(7);
        let mut store = Cepstra::default();
        store.extend(all.iter().copied());
        assert!(!store.spilled());
        assert_eq!(store.window(2..6).unwrap(), &all[2..6]);
        let kept = Cepstra::from(all.clone());
        assert_eq!(kept.window(0..7).unwrap(), all);
    }

    /// A reversed range reads nothing instead of panicking, in memory and spilled.
    #[test]
    #[allow(clippy::reversed_empty_ranges)]
    fn a_reversed_window_is_empty() {
        let all = frames(23);
        let kept = Cepstra::from(all.clone());
        assert!(kept.window(6..2).unwrap().is_empty());
        let mut spilled = Cepstra::with_spill_after(5);
        spilled.extend(all.iter().copied());
        assert!(spilled.window(20..3).unwrap().is_empty());
        assert!(spilled.window(4..1).unwrap().is_empty());
    }
}
