//! Finding what an elementary-stream demuxer skipped: garbage between frames, a cut-off tail.
//!
//! Raw MP3 (and ADTS AAC) has no timestamps: symphonia numbers the frames it finds, and when
//! it meets garbage it silently resyncs to the next frame header. The frames lost in between
//! vanish from the timeline and everything after them comes out early. [`ByteTrail`] follows
//! the demuxer through a second handle on the same file: each packet's bytes should start
//! where the previous packet's ended, and when they do not, the distance is the garbage
//! skipped, which converts to lost frames at the stream's mean frame size.
//!
//! Garbage can also pass for frames: a fake header the demuxer hands on as a packet, which
//! then decodes to noise or fails. Its bytes are not counted as garbage, so the mean-size
//! estimate comes out short (0.1–0.5 s early after a few KB of random bytes). A
//! constant-bitrate MP3 needs no estimate: every frame has the same nominal size, so a
//! frame's place in the file says which frame it is ([`ByteTrail::cbr_place`]).

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// How far past the expected position a packet is looked for before the trail is lost.
const SEARCH_LIMIT: u64 = 4 << 20;
/// Bytes read per step of a search.
const BLOCK: usize = 64 << 10;

/// Where a packet was found relative to where the previous one ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    /// Right after the previous packet (or, for the first packet, anywhere: tags precede it).
    InPlace,
    /// After this many bytes that are not part of any packet.
    After(u64),
    /// Not within reach; the trail is lost and nothing more can be said.
    Lost,
}

/// What follows the last packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tail {
    /// Nothing, or a tag (ID3v1, APE, Lyrics3) or zero padding.
    Clean,
    /// A frame header whose frame the file cuts off: `bytes` left over.
    CutFrame { bytes: u64 },
}

/// A second reader that follows the demuxer's packets through the file.
pub(crate) struct ByteTrail {
    file: BufReader<File>,
    /// Where the reader is.
    at: u64,
    /// Where the next packet should start.
    expected: u64,
    len: u64,
    /// Bytes of framing the demuxer leaves out of each packet (the ADTS header: 7, or 9 with
    /// a CRC); a distance up to this is not garbage.
    framing: u64,
    started: bool,
    /// Packets found in place, the bytes they spanned (framing included) and their framing.
    in_place: u64,
    span_bytes: u64,
    framing_bytes: u64,
    /// Packets too short to search for (a silent AAC frame is 4 bytes, and all alike) that
    /// were not where expected: judged with the next packet that can be searched for.
    deferred: u64,
    deferred_bytes: u64,
    scratch: Vec<u8>,
    /// Where the first packet starts and where the last one found starts.
    origin: Option<u64>,
    last_start: u64,
    /// Whether the packets found in place all have the same bitrate (MP3 only).
    rate: Bitrate,
}

/// What the in-place MP3 frames say about the bitrate.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Bitrate {
    /// No frame header read yet (or not MP3).
    Unknown,
    /// Every frame so far has this header (version, layer, bitrate, rate), nominal size in
    /// bytes (the mean, padding included) and samples.
    Constant {
        key: [u8; 2],
        frame_bytes: f64,
        samples: u64,
    },
    /// The frames differ: no position from the offset.
    Variable,
}

/// Packets shorter than this are not searched for: too likely to match the wrong place.
const MIN_SEARCH_LEN: usize = 16;

impl ByteTrail {
    /// Opens a second handle on `path`; `None` when that fails (then nothing is tracked).
    /// `framing`: bytes between packets that belong to the stream (headers the demuxer
    /// does not hand on).
    pub(crate) fn open(path: &Path, framing: u64) -> Option<ByteTrail> {
        let file = File::open(path).ok()?;
        let len = file.metadata().ok()?.len();
        Some(ByteTrail {
            file: BufReader::with_capacity(BLOCK, file),
            at: 0,
            expected: 0,
            len,
            framing,
            started: false,
            in_place: 0,
            span_bytes: 0,
            framing_bytes: 0,
            deferred: 0,
            deferred_bytes: 0,
            scratch: Vec::new(),
            origin: None,
            last_start: 0,
            rate: Bitrate::Unknown,
        })
    }

    /// Mean bytes a packet takes in the file, framing included (for converting skipped bytes
    /// to frames).
    pub(crate) fn mean_packet_bytes(&self) -> Option<f64> {
        (self.in_place > 0).then(|| self.span_bytes as f64 / self.in_place as f64)
    }

    /// Finds `data` (one packet's bytes) at or after the end of the previous packet.
    pub(crate) fn locate(&mut self, data: &[u8]) -> Found {
        if data.is_empty() {
            return Found::InPlace;
        }
        for skip in 0..=self.framing {
            if self.matches_at(self.expected + skip, data) {
                if self.started && self.deferred == 0 {
                    self.in_place += 1;
                    self.span_bytes += skip + data.len() as u64;
                    self.framing_bytes += skip;
                }
                self.started = true;
                self.deferred = 0;
                self.deferred_bytes = 0;
                self.expected += skip + data.len() as u64;
                self.placed(self.expected - data.len() as u64, data, true);
                return Found::InPlace;
            }
        }
        if self.started && data.len() < MIN_SEARCH_LEN {
            self.deferred += 1;
            self.deferred_bytes += data.len() as u64;
            return Found::InPlace;
        }
        let limit = if self.started { SEARCH_LIMIT } else { self.len };
        let from = self.expected;
        let Some(found) = self.search(from, data, limit) else {
            return Found::Lost;
        };
        self.expected = found + data.len() as u64;
        if !std::mem::replace(&mut self.started, true) {
            self.placed(found, data, true);
            return Found::InPlace; // tags and headers before the first packet
        }
        let prev_start = self.last_start;
        self.placed(found, data, false);
        // The distance holds the deferred packets and everyone's framing; the rest is garbage.
        let framing = match self.in_place {
            0 => self.framing,
            n => (self.framing_bytes as f64 / n as f64).round() as u64,
        };
        let accounted = self.deferred_bytes + (self.deferred + 1) * framing;
        self.deferred = 0;
        self.deferred_bytes = 0;
        match (found - from).saturating_sub(accounted) {
            0 => Found::InPlace,
            _ if self.metadata_at(from) => {
                // A tag takes no time: this packet follows the previous one.
                if let (Bitrate::Constant { frame_bytes, .. }, Some(origin)) =
                    (self.rate, self.origin)
                {
                    let previous = ((prev_start - origin) as f64 / frame_bytes).round();
                    let shift = ((previous + 1.0) * frame_bytes).round() as u64;
                    self.origin = Some(found.saturating_sub(shift));
                }
                Found::InPlace
            }
            garbage => Found::After(garbage),
        }
    }

    /// Notes where a packet starts; in-place MP3 frames also tell whether the bitrate is
    /// constant.
    fn placed(&mut self, start: u64, data: &[u8], in_place: bool) {
        self.origin.get_or_insert(start);
        self.last_start = start;
        if !in_place || self.framing != 0 || self.rate == Bitrate::Variable {
            return;
        }
        self.rate = match (mp3_frame(data), self.rate) {
            (Some((key, frame_bytes, samples)), Bitrate::Unknown) => Bitrate::Constant {
                key,
                frame_bytes,
                samples,
            },
            (Some((key, ..)), Bitrate::Constant { key: was, .. }) if key == was => self.rate,
            _ => Bitrate::Variable,
        };
    }

    /// For a constant-bitrate MP3: the frame (sample) where the packet just located starts,
    /// from where it lies in the file, counted from the first packet; `None` for other
    /// streams.
    pub(crate) fn cbr_place(&self) -> Option<u64> {
        let Bitrate::Constant {
            frame_bytes,
            samples,
            ..
        } = self.rate
        else {
            return None;
        };
        let origin = self.origin?;
        let index = ((self.last_start - origin) as f64 / frame_bytes).round() as u64;
        Some(index * samples)
    }

    /// True when the bytes at `pos` are a tag, not garbage: files joined end to end (`cat
    /// a.mp3 b.mp3`) put the second file's ID3 tag and Xing/Info frame between two frames.
    fn metadata_at(&mut self, pos: u64) -> bool {
        let mut head = [0u8; 64];
        let n = (self.len.saturating_sub(pos) as usize).min(head.len());
        if n < 4 || !self.read_at(pos, &mut head[..n]) {
            return false;
        }
        let head = &head[..n];
        let tag = [b"ID3".as_slice(), b"TAG", b"APETAGEX", b"LYRICSBEGIN"]
            .iter()
            .any(|t| head.starts_with(t));
        let info_frame = head[0] == 0xFF
            && head[1] & 0xE0 == 0xE0
            && head
                .windows(4)
                .any(|w| w == b"Xing" || w == b"Info" || w == b"VBRI");
        tag || info_frame
    }

    /// What lies after the last packet found.
    pub(crate) fn tail(&mut self) -> Tail {
        let left = self.len.saturating_sub(self.expected);
        if !self.started || self.deferred > 0 || left <= self.framing.max(3) {
            return Tail::Clean;
        }
        let mut head = [0u8; 4];
        if !self.read_at(self.expected, &mut head) {
            return Tail::Clean;
        }
        let sync = head[0] == 0xFF && head[1] & 0xE0 == 0xE0;
        if sync {
            Tail::CutFrame { bytes: left }
        } else {
            Tail::Clean
        }
    }

    fn matches_at(&mut self, pos: u64, data: &[u8]) -> bool {
        if pos + data.len() as u64 > self.len {
            return false;
        }
        let mut buf = std::mem::take(&mut self.scratch);
        buf.resize(data.len(), 0);
        let same = self.read_at(pos, &mut buf) && buf == data;
        self.scratch = buf;
        same
    }

    /// First position in `[from, from + limit]` where `needle` starts.
    fn search(&mut self, from: u64, needle: &[u8], limit: u64) -> Option<u64> {
        let end = (from + limit + needle.len() as u64).min(self.len);
        let mut block_start = from;
        let mut buf = Vec::with_capacity(BLOCK + needle.len());
        while block_start + needle.len() as u64 <= end {
            let take = ((end - block_start) as usize).min(BLOCK + needle.len() - 1);
            buf.resize(take, 0);
            if !self.read_at(block_start, &mut buf) {
                return None;
            }
            if let Some(i) = buf.windows(needle.len()).position(|w| w == needle) {
                return Some(block_start + i as u64);
            }
            block_start += (take + 1).saturating_sub(needle.len()) as u64;
        }
        None
    }

    fn read_at(&mut self, pos: u64, buf: &mut [u8]) -> bool {
        if pos != self.at {
            let moved = i64::try_from(pos).ok().zip(i64::try_from(self.at).ok());
            let ok = match moved {
                Some((p, a)) => self.file.seek_relative(p - a).is_ok(),
                None => self.file.seek(SeekFrom::Start(pos)).is_ok(),
            };
            if !ok {
                return false;
            }
            self.at = pos;
        }
        match self.file.read_exact(buf) {
            Ok(()) => {
                self.at += buf.len() as u64;
                true
            }
            Err(_) => {
                // Position unknown after a failed read: the next read seeks from the start.
                self.at = u64::MAX;
                false
            }
        }
    }
}

/// An MPEG audio frame header's identity (version, layer, bitrate and rate bits), the
/// nominal size of its frames in bytes (padding spread evenly) and their samples; `None`
/// for free-format or invalid headers.
fn mp3_frame(data: &[u8]) -> Option<([u8; 2], f64, u64)> {
    const MPEG1: [[u16; 15]; 3] = [
        [
            0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448,
        ],
        [
            0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384,
        ],
        [
            0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
        ],
    ];
    const MPEG2: [[u16; 15]; 2] = [
        [
            0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256,
        ],
        [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    ];
    let &[b0, b1, b2, ..] = data else { return None };
    if b0 != 0xFF || b1 & 0xE0 != 0xE0 {
        return None;
    }
    let version = (b1 >> 3) & 3; // 0: MPEG-2.5, 2: MPEG-2, 3: MPEG-1
    let layer = 4 - ((b1 >> 1) & 3); // 1, 2 or 3 (4: reserved)
    let bitrate_index = usize::from(b2 >> 4);
    let rate_index = usize::from((b2 >> 2) & 3);
    if version == 1 || layer == 4 || bitrate_index == 0 || bitrate_index == 15 || rate_index == 3 {
        return None;
    }
    let kbps = if version == 3 {
        MPEG1[usize::from(layer) - 1][bitrate_index]
    } else {
        MPEG2[usize::from(layer.min(2)) - 1][bitrate_index]
    };
    let rate = [44_100.0, 48_000.0, 32_000.0][rate_index]
        / match version {
            3 => 1.0,
            2 => 2.0,
            _ => 4.0,
        };
    let bits_per_second = f64::from(kbps) * 1000.0;
    let bytes = match (layer, version) {
        (1, _) => 12.0 * bits_per_second / rate * 4.0,
        (3, 0 | 2) => 72.0 * bits_per_second / rate,
        _ => 144.0 * bits_per_second / rate,
    };
    let samples = match (layer, version) {
        (1, _) => 384,
        (3, 0 | 2) => 576,
        _ => 1152,
    };
    Some(([b1 & 0xFE, b2 & 0xFC], bytes, samples))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn trail_over(bytes: &[u8], framing: u64) -> (tempfile::NamedTempFile, ByteTrail) {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f.flush().unwrap();
        let trail = ByteTrail::open(f.path(), framing).unwrap();
        (f, trail)
    }

    fn packet(i: u8, len: usize) -> Vec<u8> {
        let mut p = vec![0xFF, 0xFB];
        p.extend((0..len - 2).map(|k| i.wrapping_mul(31).wrapping_add(k as u8)));
        p
    }

    #[test]
    fn follows_packets_and_measures_garbage() {
        // A 10-byte tag, three 20-byte packets, 7 bytes of garbage, a packet, a cut frame.
        let mut file = b"ID3tagtag!".to_vec();
        let packets: Vec<Vec<u8>> = (0..4u8).map(|i| packet(i, 20)).collect();
        file.extend(&packets[0]);
        file.extend(&packets[1]);
        file.extend(&packets[2]);
        file.extend(b"garbage");
        file.extend(&packets[3]);
        file.extend([0xFF, 0xFB, 9, 9]);
        let (_f, mut trail) = trail_over(&file, 0);
        assert_eq!(trail.locate(&packets[0]), Found::InPlace);
        assert_eq!(trail.locate(&packets[1]), Found::InPlace);
        assert_eq!(trail.locate(&packets[2]), Found::InPlace);
        assert_eq!(trail.locate(&packets[3]), Found::After(7));
        assert_eq!(trail.mean_packet_bytes(), Some(20.0));
        assert_eq!(trail.tail(), Tail::CutFrame { bytes: 4 });
        assert_eq!(trail.locate(b"not in the file at all"), Found::Lost);
    }

    #[test]
    fn a_tag_at_the_end_is_clean() {
        let mut file = packet(1, 20);
        file.extend(b"TAG and some id3v1 fields");
        let (_f, mut trail) = trail_over(&file, 0);
        assert_eq!(trail.locate(&file[..20]), Found::InPlace);
        assert_eq!(trail.tail(), Tail::Clean);
    }

    #[test]
    fn search_crosses_block_boundaries() {
        let mut file = vec![0u8; BLOCK * 2 + 17];
        let needle = packet(7, 20);
        let at = BLOCK - 2;
        file[at..at + needle.len()].copy_from_slice(&needle);
        let (_f, mut trail) = trail_over(&file, 0);
        assert_eq!(trail.locate(&needle), Found::InPlace);
        assert_eq!(trail.expected, (at + needle.len()) as u64);
    }

    #[test]
    fn headers_left_out_of_packets_are_not_garbage() {
        // ADTS: a 7-byte header before each payload; the demuxer hands on payloads only.
        // Two tiny payloads (silence) sit between the garbage and the next long one.
        let header = [0xFF, 0xF1, 0, 0, 0, 0, 0];
        let payloads: Vec<Vec<u8>> = [30, 30, 30, 4, 4, 30]
            .iter()
            .enumerate()
            .map(|(i, &n)| packet(i as u8 + 1, n))
            .collect();
        let mut file = Vec::new();
        for (i, p) in payloads.iter().enumerate() {
            if i == 3 {
                file.extend(b"0123456789012345678901234567890123456789"); // 40 bytes
            }
            file.extend(header);
            file.extend(p);
        }
        let (_f, mut trail) = trail_over(&file, 9);
        for p in &payloads[..3] {
            assert_eq!(trail.locate(p), Found::InPlace);
        }
        assert_eq!(trail.mean_packet_bytes(), Some(37.0));
        assert_eq!(trail.locate(&payloads[3]), Found::InPlace, "deferred");
        assert_eq!(trail.locate(&payloads[4]), Found::InPlace, "deferred");
        assert_eq!(trail.locate(&payloads[5]), Found::After(40));
        assert_eq!(trail.tail(), Tail::Clean);
    }

    #[test]
    fn tags_between_frames_are_not_garbage() {
        // Two files joined: the second one's ID3 tag and Info frame sit between two frames.
        let packets: Vec<Vec<u8>> = (0..3u8).map(|i| packet(i, 20)).collect();
        let mut file = Vec::new();
        file.extend(&packets[0]);
        file.extend(&packets[1]);
        file.extend(b"ID3\x04\0\0\0\0\0\x05tag!!");
        let mut info = vec![0xFF, 0xFB, 0x90, 0x64, 0, 0, 0, 0];
        info.extend(b"Info and then the LAME tag");
        file.extend(&info);
        file.extend(&packets[2]);
        let (_f, mut trail) = trail_over(&file, 0);
        for p in &packets {
            assert_eq!(trail.locate(p), Found::InPlace);
        }
    }
}
