//! Per-frame records of a whole recording, kept in memory up to a budget and the older ones
//! in an unnamed temporary file, so that a 10-hour recording needs the memory of a 1-hour one.
//!
//! The recording's frames arrive in order while it streams and are read back a window at a
//! time once the speech regions (or the turns) are known. Where no temporary file can be
//! made, or writing to it fails, the frames stay in memory, as they would without a file.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::time::HOP_SAMPLES;

/// Frames kept in memory before they spill to a temporary file: one hour of 10 ms frames.
pub const SPILL_AFTER_FRAMES: usize = 360_000;

/// Frames written to (or read from) the file per system call: the bytes in flight stay
/// small (a few hundred kB) however many frames spill at once.
const FRAMES_PER_WRITE: usize = 4096;

/// A frame's record as fixed-size bytes on disk (exact: read back equal to what was written).
pub trait Record: Copy {
    /// Bytes of one record.
    const BYTES: usize;
    /// Appends the record's `BYTES` bytes.
    fn encode(&self, out: &mut Vec<u8>);
    /// The record from `BYTES` bytes written by [`Record::encode`].
    fn decode(bytes: &[u8]) -> Self;
}

/// Records of a recording's frames, in order, in memory or partly on disk.
#[derive(Debug)]
pub struct SpillVec<T> {
    /// Frames `spilled..` (all of them when nothing spilled).
    memory: Vec<T>,
    /// Frames `0..spilled`, when some spilled.
    file: Option<Mutex<File>>,
    spilled: usize,
    spill_after: usize,
}

impl<T: Record> Default for SpillVec<T> {
    fn default() -> Self {
        SpillVec::with_spill_after(SPILL_AFTER_FRAMES)
    }
}

impl<T> From<Vec<T>> for SpillVec<T> {
    /// Frames already in memory, kept there.
    fn from(memory: Vec<T>) -> Self {
        SpillVec {
            memory,
            file: None,
            spilled: 0,
            spill_after: usize::MAX,
        }
    }
}

/// Appends frames, spilling the ones in memory to disk when there are too many.
impl<T: Record> Extend<T> for SpillVec<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, frames: I) {
        for frame in frames {
            self.push(frame);
        }
    }
}

impl<T: Record> SpillVec<T> {
    /// An empty store that spills once `frames` frames are in memory.
    pub fn with_spill_after(frames: usize) -> Self {
        SpillVec {
            memory: Vec::new(),
            file: None,
            spilled: 0,
            spill_after: frames.max(1),
        }
    }

    /// Appends one frame.
    pub fn push(&mut self, frame: T) {
        if self.memory.capacity() == 0 && self.spill_after != usize::MAX {
            // The whole budget at once: doubling would overshoot it by up to half.
            self.memory.reserve_exact(self.spill_after);
        }
        self.memory.push(frame);
        if self.memory.len() >= self.spill_after {
            self.spill();
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
        let written = {
            let mut f = file.lock().unwrap_or_else(|e| e.into_inner());
            let mut bytes = Vec::with_capacity(FRAMES_PER_WRITE.min(self.memory.len()) * T::BYTES);
            f.seek(SeekFrom::Start((self.spilled * T::BYTES) as u64))
                .and_then(|_| {
                    self.memory.chunks(FRAMES_PER_WRITE).try_for_each(|frames| {
                        bytes.clear();
                        frames.iter().for_each(|frame| frame.encode(&mut bytes));
                        f.write_all(&bytes)
                    })
                })
        };
        match written {
            Ok(()) => {
                self.spilled += self.memory.len();
                self.memory.clear();
                self.file = Some(file);
            }
            Err(_) => {
                // Frames before `spilled` are on disk and intact (a partial write past them
                // is overwritten by the next spill, which never comes); the rest stays here.
                self.spill_after = usize::MAX;
                self.file = (self.spilled > 0).then_some(file);
            }
        }
    }

    /// A copy of frames `range` (clamped to the frames stored; empty when it is reversed).
    pub fn window(&self, range: Range<usize>) -> Result<Vec<T>> {
        let end = range.end.min(self.len());
        let range = range.start.min(end)..end;
        let mut out = Vec::with_capacity(range.len());
        if range.start < self.spilled {
            let on_disk = range.start..range.end.min(self.spilled);
            let file = self.file.as_ref().expect("frames spilled to a file");
            let mut f = file.lock().unwrap_or_else(|e| e.into_inner());
            let mut bytes = vec![0u8; FRAMES_PER_WRITE.min(on_disk.len()) * T::BYTES];
            f.seek(SeekFrom::Start((on_disk.start * T::BYTES) as u64))
                .and_then(|_| {
                    let mut left = on_disk.len();
                    while left > 0 {
                        let n = left.min(FRAMES_PER_WRITE);
                        let bytes = &mut bytes[..n * T::BYTES];
                        f.read_exact(bytes)?;
                        out.extend(bytes.chunks_exact(T::BYTES).map(T::decode));
                        left -= n;
                    }
                    Ok(())
                })
                .map_err(|e| {
                    Error::Io(std::io::Error::new(
                        e.kind(),
                        format!("reading back frames spilled to a temporary file: {e}"),
                    ))
                })?;
        }
        if range.end > self.spilled {
            let from = range.start.max(self.spilled) - self.spilled;
            out.extend_from_slice(&self.memory[from..range.end - self.spilled]);
        }
        Ok(out)
    }
}

/// A recording's samples at 16 kHz in 10 ms hops, kept as a [`SpillVec`] (in memory up to a
/// budget, the rest in an unnamed temporary file): what the subtitle sync reads again,
/// without holding the whole recording (230 MB an hour) in memory.
#[derive(Debug)]
pub struct SpilledSamples {
    hops: SpillVec<[f32; HOP_SAMPLES]>,
    /// The samples after the last whole hop.
    tail: Vec<f32>,
}

impl SpilledSamples {
    /// An empty store that keeps up to `seconds` of samples in memory.
    pub fn with_memory_s(seconds: f64) -> Self {
        let hops = (seconds * f64::from(crate::time::FRAME_RATE)).ceil() as usize;
        SpilledSamples {
            hops: SpillVec::with_spill_after(hops),
            tail: Vec::new(),
        }
    }

    /// Appends samples.
    pub fn push(&mut self, mut samples: &[f32]) {
        if !self.tail.is_empty() {
            let take = (HOP_SAMPLES - self.tail.len()).min(samples.len());
            self.tail.extend_from_slice(&samples[..take]);
            samples = &samples[take..];
            if self.tail.len() < HOP_SAMPLES {
                return;
            }
            let hop: [f32; HOP_SAMPLES] = self.tail[..].try_into().expect("a whole hop");
            self.hops.push(hop);
            self.tail.clear();
        }
        let mut hops = samples.chunks_exact(HOP_SAMPLES);
        for hop in &mut hops {
            self.hops.push(hop.try_into().expect("a whole hop"));
        }
        self.tail.extend_from_slice(hops.remainder());
    }

    /// Number of samples stored.
    pub fn len(&self) -> usize {
        self.hops.len() * HOP_SAMPLES + self.tail.len()
    }

    /// Whether no sample is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether some samples are on disk.
    pub fn spilled(&self) -> bool {
        self.hops.spilled()
    }

    /// A copy of samples `range` (clamped to the samples stored; empty when reversed).
    pub fn read(&self, range: Range<usize>) -> Result<Vec<f32>> {
        let end = range.end.min(self.len());
        let range = range.start.min(end)..end;
        let whole = self.hops.len() * HOP_SAMPLES;
        let mut out = Vec::with_capacity(range.len());
        if range.start < whole {
            let hops = range.start / HOP_SAMPLES..range.end.min(whole).div_ceil(HOP_SAMPLES);
            let first = hops.start * HOP_SAMPLES;
            let read = self.hops.window(hops)?;
            let flat = read.as_flattened();
            out.extend_from_slice(&flat[range.start - first..range.end.min(whole) - first]);
        }
        if range.end > whole {
            out.extend_from_slice(&self.tail[range.start.max(whole) - whole..range.end - whole]);
        }
        Ok(out)
    }
}

/// A byte a frame (the speech detector's scores).
impl Record for i8 {
    const BYTES: usize = 1;

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }

    fn decode(bytes: &[u8]) -> Self {
        i8::from_le_bytes([bytes[0]])
    }
}

/// A cepstrum (or any fixed run of floats) as little-endian f32s.
impl<const N: usize> Record for [f32; N] {
    const BYTES: usize = N * 4;

    fn encode(&self, out: &mut Vec<u8>) {
        // Into bytes already there: a copy the compiler makes in one go (a push per float
        // cost the subtitle sync a tenth of a second on 37 minutes of samples).
        let start = out.len();
        out.resize(start + Self::BYTES, 0);
        for (bytes, v) in out[start..].chunks_exact_mut(4).zip(self) {
            bytes.copy_from_slice(&v.to_le_bytes());
        }
    }

    fn decode(bytes: &[u8]) -> Self {
        std::array::from_fn(|i| {
            f32::from_le_bytes([
                bytes[4 * i],
                bytes[4 * i + 1],
                bytes[4 * i + 2],
                bytes[4 * i + 3],
            ])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(n: usize) -> Vec<[f32; 3]> {
        (0..n)
            .map(|t| std::array::from_fn(|i| t as f32 * 0.5 - i as f32 * 1e-3))
            .collect()
    }

    #[test]
    fn spilled_frames_read_back_exactly_across_the_boundary() {
        let all = frames(23);
        let mut store = SpillVec::with_spill_after(5);
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

    /// More frames than one write or read holds, spilled at once and read back in one go.
    #[test]
    fn a_spill_larger_than_one_write_reads_back_exactly() {
        let n = 2 * FRAMES_PER_WRITE + 17;
        let all = frames(n + 3);
        let mut store = SpillVec::with_spill_after(n);
        store.extend(all.iter().copied());
        assert!(store.spilled());
        assert_eq!(store.window(0..n + 3).unwrap(), all);
        let mid = FRAMES_PER_WRITE - 2..FRAMES_PER_WRITE + 9;
        assert_eq!(store.window(mid.clone()).unwrap(), &all[mid]);
    }

    #[test]
    fn frames_in_memory_stay_there() {
        let all = frames(7);
        let mut store = SpillVec::default();
        store.extend(all.iter().copied());
        assert!(!store.spilled());
        assert_eq!(store.window(2..6).unwrap(), &all[2..6]);
        let kept = SpillVec::from(all.clone());
        assert_eq!(kept.window(0..7).unwrap(), all);
    }

    /// Samples pushed in runs of every length, across hop edges and the memory budget,
    /// read back bit for bit over any range.
    #[test]
    #[allow(clippy::reversed_empty_ranges)]
    fn spilled_samples_read_back_exactly_whatever_the_runs() {
        let n = 9 * HOP_SAMPLES + 37;
        let all: Vec<f32> = (0..n).map(|i| (i as f32 * 0.37).sin() * 1e-3).collect();
        let mut store = SpilledSamples::with_memory_s(0.02);
        let (mut at, mut runs) = (0, [1, 159, 160, 161, 7, 300, 2].iter().cycle());
        while at < n {
            let take = (*runs.next().unwrap()).min(n - at);
            store.push(&all[at..at + take]);
            at += take;
        }
        assert!(store.spilled(), "two hops of memory, nine hops pushed");
        assert_eq!(store.len(), n);
        let h = HOP_SAMPLES;
        for range in [
            0..n,
            0..1,
            h - 1..h + 1,
            2 * h..3 * h,
            9 * h - 3..9 * h + 10,
            n - 5..n + 9,
            10..3,
        ] {
            let want = &all[range.start.min(n)..range.end.min(n).max(range.start.min(n))];
            let got = store.read(range.clone()).unwrap();
            assert_eq!(got.len(), want.len(), "{range:?}");
            assert!(
                got.iter()
                    .zip(want)
                    .all(|(a, b)| a.to_bits() == b.to_bits()),
                "{range:?}"
            );
        }
        let mut kept = SpilledSamples::with_memory_s(3600.0);
        kept.push(&all);
        assert!(!kept.spilled());
        assert_eq!(kept.read(0..n).unwrap(), all);
    }

    /// A reversed range reads nothing instead of panicking, in memory and spilled.
    #[test]
    #[allow(clippy::reversed_empty_ranges)]
    fn a_reversed_window_is_empty() {
        let all = frames(23);
        let kept = SpillVec::from(all.clone());
        assert!(kept.window(6..2).unwrap().is_empty());
        let mut spilled = SpillVec::with_spill_after(5);
        spilled.extend(all.iter().copied());
        assert!(spilled.window(20..3).unwrap().is_empty());
        assert!(spilled.window(4..1).unwrap().is_empty());
    }
}
