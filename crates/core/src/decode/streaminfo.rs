//! FLAC: trusting the frames over a STREAMINFO block that disagrees with them.
//!
//! symphonia places every FLAC frame at `frame number × STREAMINFO's block size` and stops
//! at STREAMINFO's total sample count. A header with the wrong block size (written by a
//! broken tool, or damaged) spreads 48 s of frames over 2740 s of timestamps, which the
//! decoder then fills with silence; a wrong total makes a whole file look cut short. The
//! frames themselves say how long they are: [`check`] reads the first frame's header (block
//! size, blocking strategy) and the last complete frame's (where the stream ends), and when
//! STREAMINFO disagrees, a [`Patch`] hands symphonia a corrected copy of the block while
//! the file is read as it is.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::patch::Patch;

/// Where STREAMINFO's 34 bytes start: after `fLaC` and the 4-byte block header.
const STREAMINFO_AT: u64 = 8;
const STREAMINFO_LEN: usize = 34;
/// How far from the end the last frame's header is looked for.
const TAIL_WINDOW: u64 = 256 << 10;
/// Metadata blocks read before giving up (real files have a handful).
const MAX_BLOCKS: usize = 1024;

/// A corrected STREAMINFO and what was wrong with the file's.
#[derive(Debug)]
pub(crate) struct Fix {
    /// The corrected STREAMINFO, where it goes.
    pub(crate) patch: Patch,
    /// What was corrected, for the warnings.
    pub(crate) warnings: Vec<String>,
}

/// The parts of a FLAC frame header that place the frame in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FrameHeader {
    /// Variable blocking: `number` is the first sample's, not the frame's.
    variable: bool,
    number: u64,
    block: u64,
    /// The codes that stay the same over a stream (rate, bits per sample) and the channels.
    rate_code: u8,
    size_code: u8,
    channels: u8,
}

impl FrameHeader {
    /// The first sample of the frame, with `nominal` samples per frame of a fixed stream.
    fn start(&self, nominal: u64) -> u64 {
        if self.variable {
            self.number
        } else {
            self.number * nominal
        }
    }

    fn same_stream(&self, other: &FrameHeader) -> bool {
        self.variable == other.variable
            && self.rate_code == other.rate_code
            && self.size_code == other.size_code
            && self.channels == other.channels
    }
}

/// Checks a FLAC file's STREAMINFO against its frames; `None` when it agrees with them, or
/// when the file is not FLAC or too damaged to tell (symphonia then says what is wrong).
pub(crate) fn check(path: &Path) -> Option<Fix> {
    let mut file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let mut head = [0u8; 8 + STREAMINFO_LEN];
    file.read_exact(&mut head).ok()?;
    if &head[..4] != b"fLaC" || head[4] & 0x7F != 0 || block_len(&head[4..8]) != 34 {
        return None;
    }
    let mut info: [u8; STREAMINFO_LEN] = head[8..].try_into().ok()?;
    // Skip the metadata blocks to the first frame.
    let mut pos = STREAMINFO_AT + STREAMINFO_LEN as u64;
    let mut last = head[4] & 0x80 != 0;
    for _ in 0..MAX_BLOCKS {
        if last {
            break;
        }
        let mut h = [0u8; 4];
        file.seek(SeekFrom::Start(pos)).ok()?;
        file.read_exact(&mut h).ok()?;
        last = h[0] & 0x80 != 0;
        pos += 4 + block_len(&h);
    }
    if !last || pos >= len {
        return None;
    }
    let first = read_header_at(&mut file, pos)?;
    let end = last_frame_end(&mut file, pos, len, &first);

    let min_block = u64::from(u16::from_be_bytes([info[0], info[1]]));
    let max_block = u64::from(u16::from_be_bytes([info[2], info[3]]));
    let rate = (u32::from(info[10]) << 12) | (u32::from(info[11]) << 4) | u32::from(info[12] >> 4);
    let total = (u64::from(info[13] & 0x0F) << 32)
        | u64::from(u32::from_be_bytes([info[14], info[15], info[16], info[17]]));
    let mut warnings = Vec::new();

    // A fixed-size stream's frames are all `first.block` long but the last; symphonia reads
    // the stream as fixed only when min = max, and rejects frames longer than max.
    let one_frame = end.is_some_and(|(_, frames_end)| frames_end == first.block);
    let blocks_wrong = if first.variable {
        min_block == max_block || first.block > max_block
    } else {
        !one_frame && (min_block != max_block || max_block != first.block)
    };
    if blocks_wrong {
        let (min, max) = if first.variable {
            (16u16, u16::MAX)
        } else {
            let b = u16::try_from(first.block).ok()?;
            (b, b)
        };
        info[0..2].copy_from_slice(&min.to_be_bytes());
        info[2..4].copy_from_slice(&max.to_be_bytes());
        // Frame byte sizes are then suspect too: 0 means unknown.
        info[4..10].fill(0);
        warnings.push(format!(
            "the header (STREAMINFO) gives blocks of {min_block}–{max_block} samples but the \
             frames hold {}{}; times are taken from the frames",
            first.block,
            if first.variable {
                " and more (variable block size)"
            } else {
                ""
            }
        ));
    }
    // The last frame is complete (its CRC holds up to the end of the file), so the stream
    // ends there, whatever STREAMINFO's total says. A cut file is left to the cut-short check.
    if let Some((true, frames_end)) = end
        && total != 0
        && total != frames_end
        && frames_end < 1 << 36
    {
        info[13] = (info[13] & 0xF0) | (frames_end >> 32) as u8;
        info[14..18].copy_from_slice(&(frames_end as u32).to_be_bytes());
        let secs = |n: u64| {
            if rate == 0 {
                String::from("?")
            } else {
                format!("{:.3}", n as f64 / f64::from(rate))
            }
        };
        warnings.push(format!(
            "the header (STREAMINFO) says the stream is {} s long but its frames end at {} s, \
             with the last frame complete; the length is taken from the frames",
            secs(total),
            secs(frames_end)
        ));
    }
    (!warnings.is_empty()).then(|| Fix {
        patch: Patch {
            at: STREAMINFO_AT,
            bytes: info.to_vec(),
        },
        warnings,
    })
}

/// The last frame's header within reach of the end: whether the frame is complete (its
/// CRC-16 holds up to the end of the file) and the sample where it ends.
fn last_frame_end(
    file: &mut File,
    audio_start: u64,
    len: u64,
    first: &FrameHeader,
) -> Option<(bool, u64)> {
    let from = len.saturating_sub(TAIL_WINDOW).max(audio_start);
    let mut tail = vec![0u8; (len - from) as usize];
    file.seek(SeekFrom::Start(from)).ok()?;
    file.read_exact(&mut tail).ok()?;
    let nominal = first.block;
    (0..tail.len().saturating_sub(1)).rev().find_map(|i| {
        let h = parse_header(&tail[i..])?;
        if !h.same_stream(first) {
            return None;
        }
        let complete = crc16(&tail[i..]) == 0;
        Some((complete, h.start(nominal) + h.block))
    })
}

fn read_header_at(file: &mut File, pos: u64) -> Option<FrameHeader> {
    let mut buf = [0u8; 16];
    file.seek(SeekFrom::Start(pos)).ok()?;
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(_) => return None,
        }
    }
    parse_header(&buf[..n])
}

fn block_len(h: &[u8]) -> u64 {
    u64::from(u32::from_be_bytes([0, h[1], h[2], h[3]]))
}

/// Parses a FLAC frame header at the start of `b`, checking its CRC-8.
fn parse_header(b: &[u8]) -> Option<FrameHeader> {
    if b.len() < 6 || b[0] != 0xFF || b[1] & 0xFE != 0xF8 {
        return None;
    }
    let variable = b[1] & 1 == 1;
    let block_code = b[2] >> 4;
    let rate_code = b[2] & 0x0F;
    let channel_code = b[3] >> 4;
    let size_code = (b[3] >> 1) & 0x07;
    if block_code == 0 || rate_code == 15 || channel_code > 10 || size_code == 3 || b[3] & 1 != 0 {
        return None;
    }
    // The frame or sample number, UTF-8 style.
    let lead = b[4].leading_ones() as usize;
    let (mut number, extra) = match lead {
        0 => (u64::from(b[4]), 0),
        2..=7 => (u64::from(b[4] & (0x7F >> lead)), lead - 1),
        _ => return None,
    };
    let mut i = 5;
    for _ in 0..extra {
        let c = *b.get(i)?;
        if c & 0xC0 != 0x80 {
            return None;
        }
        number = (number << 6) | u64::from(c & 0x3F);
        i += 1;
    }
    let block = match block_code {
        1 => 192,
        2..=5 => 576 << (block_code - 2),
        6 => {
            i += 1;
            u64::from(*b.get(i - 1)?) + 1
        }
        7 => {
            i += 2;
            u64::from(u16::from_be_bytes([*b.get(i - 2)?, *b.get(i - 1)?])) + 1
        }
        _ => 256 << (block_code - 8),
    };
    i += match rate_code {
        12 => 1,
        13 | 14 => 2,
        _ => 0,
    };
    if crc8(b.get(..i)?) != *b.get(i)? {
        return None;
    }
    Some(FrameHeader {
        variable,
        number,
        block,
        rate_code,
        size_code,
        channels: if channel_code < 8 {
            channel_code + 1
        } else {
            2
        },
    })
}

fn crc8(data: &[u8]) -> u8 {
    let mut crc = 0u8;
    for &byte in data {
        crc ^= byte;
        for _ in 0..8 {
            crc = if crc & 0x80 != 0 {
                (crc << 1) ^ 0x07
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// FLAC's frame CRC over `data`; 0 when `data` is a whole frame, its CRC included.
fn crc16(data: &[u8]) -> u16 {
    let mut crc = 0u16;
    for &byte in data {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x8005
            } else {
                crc << 1
            };
        }
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed-blocksize frame header: frame `n`, 4096 samples, 16 kHz, mono, 16-bit.
    fn header(n: u8) -> Vec<u8> {
        let mut h = vec![0xFF, 0xF8, 0xC5, 0x08, n];
        h.push(crc8(&h));
        h
    }

    #[test]
    fn frame_headers_parse_and_check_their_crc() {
        let h = parse_header(&header(3)).unwrap();
        assert_eq!(
            (h.variable, h.number, h.block, h.channels),
            (false, 3, 4096, 1)
        );
        assert_eq!(h.start(4096), 3 * 4096);
        let mut bad = header(3);
        bad[5] ^= 1;
        assert_eq!(parse_header(&bad), None);
        // Block size in an extra byte (code 6: 8 bits, minus one).
        let mut v = vec![0xFF, 0xF9, 0x65, 0x08, 0x00, 99];
        v.push(crc8(&v));
        let h = parse_header(&v).unwrap();
        assert!(h.variable);
        assert_eq!(h.block, 100);
    }

    #[test]
    fn crc16_of_a_whole_frame_is_zero() {
        let mut frame = b"any frame bytes".to_vec();
        let crc = crc16(&frame);
        frame.extend(crc.to_be_bytes());
        assert_eq!(crc16(&frame), 0);
    }
}
