//! The MP4 edit list of the audio track: how many priming samples to drop, how many to keep.
//!
//! symphonia parses `elst` but does not apply it, and AAC encoders put 1024–2112 samples of
//! priming before the audio. Without this, every time in an M4A or MP4 would be ~23 ms late.
//! Only the few boxes needed are read: moov/mvhd, trak/mdia/hdlr, trak/mdia/mdhd, trak/edts/elst.

use std::io::{Read, Seek, SeekFrom};

/// Priming to skip and length to keep, in the audio track's own samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditList {
    /// Samples at the start that are encoder priming.
    pub skip: u64,
    /// Samples to present after the priming (`None`: to the end).
    pub keep: Option<u64>,
}

/// Reads the first sound track's edit list; `None` when the file has none or is not MP4.
pub fn read_edit_list(file: &mut (impl Read + Seek), sample_rate: u32) -> Option<EditList> {
    let len = file.seek(SeekFrom::End(0)).ok()?;
    let moov = find_child(file, 0, len, b"moov")?;
    let movie_timescale = {
        let (start, end) = find_child(file, moov.0, moov.1, b"mvhd")?;
        let body = read_body(file, start, end, 32)?;
        timescale_of(&body)?
    };
    let mut cursor = moov.0;
    while let Some((start, end)) = find_child(file, cursor, moov.1, b"trak") {
        cursor = end;
        let Some(mdia) = find_child(file, start, end, b"mdia") else {
            continue;
        };
        let Some(hdlr) = find_child(file, mdia.0, mdia.1, b"hdlr") else {
            continue;
        };
        let handler = read_body(file, hdlr.0, hdlr.1, 12)?;
        if &handler[8..12] != b"soun" {
            continue;
        }
        let media_timescale = {
            let (s, e) = find_child(file, mdia.0, mdia.1, b"mdhd")?;
            timescale_of(&read_body(file, s, e, 32)?)?
        };
        let edts = find_child(file, start, end, b"edts")?;
        let elst = find_child(file, edts.0, edts.1, b"elst")?;
        let body = read_body(file, elst.0, elst.1, 64)?;
        return parse_elst(&body, movie_timescale, media_timescale, sample_rate);
    }
    None
}

/// Version-dependent timescale field of mvhd/mdhd.
fn timescale_of(body: &[u8]) -> Option<u64> {
    let offset = if body[0] == 1 { 20 } else { 12 };
    let bytes = body.get(offset..offset + 4)?;
    let scale = u64::from(u32::from_be_bytes(bytes.try_into().ok()?));
    (scale > 0).then_some(scale)
}

/// The first non-empty edit gives priming (media_time) and presented length (segment_duration).
fn parse_elst(body: &[u8], movie_scale: u64, media_scale: u64, rate: u32) -> Option<EditList> {
    let version = *body.first()?;
    let count = u32::from_be_bytes(body.get(4..8)?.try_into().ok()?) as usize;
    let entry_len = if version == 1 { 20 } else { 12 };
    for i in 0..count.min(4) {
        let at = 8 + i * entry_len;
        let entry = body.get(at..at + entry_len)?;
        let (duration, media_time) = if version == 1 {
            (
                u64::from_be_bytes(entry[0..8].try_into().ok()?),
                i64::from_be_bytes(entry[8..16].try_into().ok()?),
            )
        } else {
            (
                u64::from(u32::from_be_bytes(entry[0..4].try_into().ok()?)),
                i64::from(i32::from_be_bytes(entry[4..8].try_into().ok()?)),
            )
        };
        if media_time < 0 {
            continue; // an empty edit (a delay before the track starts)
        }
        let to_samples = |value: u64, scale: u64| {
            (u128::from(value) * u128::from(rate) / u128::from(scale)) as u64
        };
        let keep = (duration > 0).then(|| to_samples(duration, movie_scale));
        return Some(EditList {
            skip: to_samples(media_time as u64, media_scale),
            keep,
        });
    }
    None
}

/// Finds the first box of `kind` among the boxes in `[start, end)`; returns its body range.
fn find_child(
    file: &mut (impl Read + Seek),
    start: u64,
    end: u64,
    kind: &[u8; 4],
) -> Option<(u64, u64)> {
    let mut at = start;
    while at + 8 <= end {
        file.seek(SeekFrom::Start(at)).ok()?;
        let mut header = [0u8; 8];
        file.read_exact(&mut header).ok()?;
        let mut size = u64::from(u32::from_be_bytes(header[0..4].try_into().ok()?));
        let mut body_start = at + 8;
        if size == 1 {
            let mut large = [0u8; 8];
            file.read_exact(&mut large).ok()?;
            size = u64::from_be_bytes(large);
            body_start += 8;
        } else if size == 0 {
            size = end - at;
        }
        if size < body_start - at || at + size > end {
            return None;
        }
        if &header[4..8] == kind {
            return Some((body_start, at + size));
        }
        at += size;
    }
    None
}

/// Up to `max` bytes of a box body.
fn read_body(file: &mut (impl Read + Seek), start: u64, end: u64, max: u64) -> Option<Vec<u8>> {
    let len = (end - start).min(max) as usize;
    let mut body = vec![0u8; len];
    file.seek(SeekFrom::Start(start)).ok()?;
    file.read_exact(&mut body).ok()?;
    (len >= 4).then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxed(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(body);
        v
    }

    fn header_with_timescale(scale: u32) -> Vec<u8> {
        let mut b = vec![0u8; 32];
        b[12..16].copy_from_slice(&scale.to_be_bytes());
        b
    }

    #[test]
    fn reads_priming_and_length_from_a_minimal_movie() {
        let mut elst = vec![0, 0, 0, 0, 0, 0, 0, 1];
        elst.extend_from_slice(&12_000u32.to_be_bytes()); // 12 s at movie scale 1000
        elst.extend_from_slice(&1024i32.to_be_bytes());
        elst.extend_from_slice(&[0, 1, 0, 0]);
        let mut hdlr = vec![0u8; 8];
        hdlr.extend_from_slice(b"soun");
        hdlr.extend_from_slice(&[0u8; 12]);
        let mdia = [
            boxed(b"mdhd", &header_with_timescale(44_100)),
            boxed(b"hdlr", &hdlr),
        ]
        .concat();
        let trak = [
            boxed(b"edts", &boxed(b"elst", &elst)),
            boxed(b"mdia", &mdia),
        ]
        .concat();
        let moov = [
            boxed(b"mvhd", &header_with_timescale(1000)),
            boxed(b"trak", &trak),
        ]
        .concat();
        let file = [boxed(b"ftyp", b"M4A \0\0\0\0"), boxed(b"moov", &moov)].concat();
        let got = read_edit_list(&mut std::io::Cursor::new(file), 44_100);
        assert_eq!(
            got,
            Some(EditList {
                skip: 1024,
                keep: Some(529_200)
            })
        );
    }

    #[test]
    fn garbage_gives_none() {
        assert_eq!(
            read_edit_list(&mut std::io::Cursor::new(vec![0xFFu8; 100]), 44_100),
            None
        );
        assert_eq!(
            read_edit_list(&mut std::io::Cursor::new(Vec::new()), 44_100),
            None
        );
    }
}
