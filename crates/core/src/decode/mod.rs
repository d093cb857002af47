//! Reading any recording with symphonia: probe → packets → mono f32 at the source rate.
//!
//! Gapless: encoder delay and padding are removed (symphonia's gapless mode for MP3/Vorbis,
//! the MP4 edit list for AAC, the OpusHead pre-skip for Opus), so sample `n` of the output is
//! sample `n` of the original. Opus, which symphonia demuxes but cannot decode, is decoded by
//! `opus` (pure Rust), registered beside symphonia's decoders.
//! Damage never shifts time: undecodable packets, garbage an MP3 demuxer resyncs past
//! (`resync`) and jumps in the container's timestamps are replaced by silence of the same
//! length, and reported with their time (`damage`); decoding goes on. Header fields that
//! contradict the data are corrected before symphonia reads them (`streaminfo` for FLAC,
//! `mp4_cut` for a moov-first MP4 cut short, both through `patch`); sample rates outside
//! 1 kHz–768 kHz are refused; NaN and infinite samples become silence. See docs/decoding.md.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use serde::Serialize;
use symphonia::core::codecs::audio::well_known::CODEC_ID_OPUS;
use symphonia::core::codecs::audio::{
    AudioCodecId, AudioCodecParameters, AudioDecoder, AudioDecoderOptions,
};
use symphonia::core::codecs::registry::CodecRegistry;
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, TrackType};
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::packet::Packet;
use symphonia::core::units::TimeBase;

use crate::error::{Error, Result};

mod damage;
mod edit_list;
mod mp4_cut;
mod opus;
mod patch;
mod resync;
mod streaminfo;

use damage::{Cause, DamageLog};
use patch::PatchedFile;
use resync::{ByteTrail, Found, Tail};

pub(crate) use edit_list::read_edit_list;

/// What was found in the file and what went wrong while decoding it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceInfo {
    /// Path as given.
    pub path: PathBuf,
    /// Container, e.g. `wav`, `mp3`, `isomp4`.
    pub container: String,
    /// Codec, e.g. `pcm_s16le`, `mp3`, `aac`.
    pub codec: String,
    /// Source sample rate, Hz.
    pub sample_rate: u32,
    /// Source channel count.
    pub channels: u32,
    /// Sample frames decoded (after gapless trimming).
    pub frames: u64,
    /// Largest absolute sample value seen (0 for digital silence).
    pub peak: f32,
    /// Frames of silence put in place of damaged or missing data (included in `frames`).
    pub filled_frames: u64,
    /// Problems met and what was skipped, with times.
    pub warnings: Vec<String>,
}

impl SourceInfo {
    /// Decoded duration in seconds.
    pub fn duration_s(&self) -> f64 {
        if self.sample_rate == 0 {
            0.0
        } else {
            self.frames as f64 / f64::from(self.sample_rate)
        }
    }
}

/// An opened recording, ready to stream.
pub struct Decoder {
    format: Box<dyn FormatReader>,
    decoder: Box<dyn AudioDecoder>,
    track_id: u32,
    info: SourceInfo,
    /// Frames still to drop from the start (MP4 edit-list priming not applied by the codec).
    skip_frames: u64,
    /// Frames to present in all: the MP4 edit list's length, or an MP3's gapless length.
    keep_frames: Option<u64>,
    /// Frame count the container declares, when it does.
    expected_frames: Option<u64>,
    /// Frame count the container declares and that can be trusted to spot a cut-short file.
    declared_frames: Option<u64>,
    /// The track's time base, to place packets by their timestamps.
    time_base: Option<TimeBase>,
    /// Follows an MP3/ADTS demuxer through the file to see the garbage it skips.
    trail: Option<ByteTrail>,
    /// NaN and infinite samples replaced by silence.
    non_finite: NonFinite,
}

/// Samples that were not numbers (NaN, ±Inf), replaced by silence: how many, and where the
/// first was. Used by the decoder and for samples handed over in memory.
#[derive(Debug, Default)]
pub(crate) struct NonFinite {
    count: u64,
    first_s: Option<f64>,
}

/// Samples beyond this magnitude are damage too: audio is ±1 (a float file scaled like
/// 16-bit integers reaches 32 768), and squares of larger values overflow the energies.
pub(crate) const MAX_SAMPLE_MAGNITUDE: f32 = 1.0e6;

/// True for a sample the analysis can use.
fn usable(x: f32) -> bool {
    x.abs() <= MAX_SAMPLE_MAGNITUDE
}

impl NonFinite {
    /// Replaces NaN, infinite and absurdly large samples by 0.0 (silence), counting them:
    /// one such sample poisons every energy and correlation it enters, and moves turns by
    /// seconds.
    /// `frames_before` is the frame at which `interleaved` starts.
    pub(crate) fn silence(
        &mut self,
        interleaved: &mut [f32],
        channels: usize,
        frames_before: u64,
        rate: u32,
    ) {
        if interleaved.iter().all(|&x| usable(x)) {
            return;
        }
        for (i, x) in interleaved.iter_mut().enumerate() {
            if !usable(*x) {
                *x = 0.0;
                self.count += 1;
                if self.first_s.is_none() {
                    let at = frames_before + (i / channels.max(1)) as u64;
                    self.first_s = Some(seconds(at, rate));
                }
            }
        }
    }

    /// The one warning, when any sample was replaced.
    pub(crate) fn warning(&self) -> Option<String> {
        let first = self.first_s?;
        let what = if self.count == 1 {
            "1 sample is not a number (NaN, infinite or beyond ±1e6)".to_string()
        } else {
            format!(
                "{} samples are not numbers (NaN, infinite or beyond ±1e6)",
                self.count
            )
        };
        Some(format!(
            "{what}, the first at {first:.3} s; replaced by silence, so they move nothing. \
             The file is damaged, or the program that wrote it has a bug: check it"
        ))
    }
}

/// Sample rates talign accepts: below 1 kHz no speech fits, above 768 kHz no recorder goes;
/// a header outside them is damaged or hand-made, and believing it costs minutes and GBs.
pub(crate) const MIN_SAMPLE_RATE: u32 = 1_000;
/// See [`MIN_SAMPLE_RATE`].
pub(crate) const MAX_SAMPLE_RATE: u32 = 768_000;

/// Refuses a sample rate outside [`MIN_SAMPLE_RATE`]..=[`MAX_SAMPLE_RATE`], before any work.
pub(crate) fn check_rate(rate: u32, codec: &str, channels: u32, path: &Path) -> Result<()> {
    if (MIN_SAMPLE_RATE..=MAX_SAMPLE_RATE).contains(&rate) {
        return Ok(());
    }
    let name = file_name(path);
    let stem = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "OUT".into());
    // PCM can be reread as raw samples at the right rate; anything else can be retimed.
    let fix = match codec.strip_prefix("pcm_") {
        Some(format) if channels > 0 => {
            format!("`ffmpeg -f {format} -ar 16000 -ac {channels} -i {name} {stem}-fixed.flac`")
        }
        _ => format!("`ffmpeg -i {name} -af asetrate=16000 {stem}-fixed.flac`"),
    };
    Err(Error::UnsupportedAudio {
        path: path.to_path_buf(),
        message: format!(
            "its header gives a sample rate of {rate} Hz, outside the 1 kHz–768 kHz of real \
             recordings: the header is damaged or was written wrong. Export the recording \
             again, or if you know its real rate, rewrite it with that rate (16000 here): {fix}"
        ),
    })
}

fn channels_of(params: &AudioCodecParameters) -> u32 {
    params
        .channels
        .as_ref()
        .map(|c| c.count() as u32)
        .unwrap_or(0)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "IN".into())
}

impl std::fmt::Debug for Decoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decoder")
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

/// What talign can read, for error messages.
const SUPPORTED: &str = "talign reads WAV, AIFF, CAF, MP3, FLAC, Ogg Vorbis, Opus (Ogg, WebM), \
                         AAC and ALAC in MP4/M4A, and MKV/WebM with those codecs";

/// symphonia's decoders plus talign's Opus decoder (`opus`).
static CODECS: LazyLock<CodecRegistry> = LazyLock::new(|| {
    let mut registry = CodecRegistry::new();
    symphonia::default::register_enabled_codecs(&mut registry);
    registry.register_audio_decoder::<opus::OpusDecoder>();
    registry
});

/// Opens `path` and prepares its first audio track for decoding.
///
/// Errors say what is wrong with the file (missing, a directory, empty, not audio, damaged
/// headers, no audio track, a codec talign cannot decode) and what to do about it.
pub fn open(path: &Path) -> Result<Decoder> {
    let meta = std::fs::metadata(path).map_err(|e| Error::reading_input(path, e))?;
    if meta.is_dir() {
        return Err(Error::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    if meta.len() == 0 {
        return Err(Error::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    let file = File::open(path).map_err(|e| Error::reading_input(path, e))?;
    // A FLAC whose STREAMINFO disagrees with its frames is read with a corrected one; a
    // moov-first MP4 cut short, with its mdat box ended where the file ends.
    let (patch, warnings) = match streaminfo::check(path) {
        Some(fix) => (Some(fix.patch), fix.warnings),
        None => (None, Vec::new()),
    };
    let mdat_cut = if patch.is_none() {
        mp4_cut::check(path)
    } else {
        None
    };
    let source: Box<dyn MediaSource> = match patch.or(mdat_cut.clone()) {
        Some(patch) => {
            Box::new(PatchedFile::new(file, patch).map_err(|e| Error::Io(e).with_path(path))?)
        }
        None => Box::new(file),
    };
    let stream = MediaSourceStream::new(source, Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let unsupported = |message: String| Error::UnsupportedAudio {
        path: path.to_path_buf(),
        message,
    };
    let format = symphonia::default::get_probe()
        .probe(
            &hint,
            stream,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(|e| unsupported(probe_error_message(&e, path)))?;
    let container = format.format_info().short_name.to_string();
    let container_name = format.format_info().long_name;
    let track = format.default_track(TrackType::Audio).ok_or_else(|| {
        unsupported(format!(
            "this {container_name} file has no audio track; give the file with the sound"
        ))
    })?;
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .ok_or_else(|| {
            unsupported(format!(
                "the audio track of this {container_name} file does not say how it is encoded; \
                 convert it: {}",
                convert_hint(path)
            ))
        })?
        .clone();
    let codecs = &*CODECS;
    let registered = codecs.get_audio_decoder(params.codec).ok_or_else(|| {
        unsupported(format!(
            "{} audio (in this {container_name} file) cannot be decoded: talign's decoder \
             (symphonia 0.6) has none for it; {SUPPORTED}. Convert it first: {}",
            codec_name(params.codec),
            convert_hint(path)
        ))
    })?;
    let codec = registered.codec.info.short_name.to_string();
    if let Some(rate) = params.sample_rate {
        check_rate(rate, &codec, channels_of(&params), path)?;
    }
    let decoder = codecs
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .map_err(|e| {
            unsupported(format!(
                "cannot decode this {codec} audio ({e}); convert it: {}",
                convert_hint(path)
            ))
        })?;
    let is_opus = params.codec == CODEC_ID_OPUS;
    // Opus always decodes at 48 kHz, whatever rate a Matroska header states.
    let sample_rate = if is_opus {
        opus::OPUS_RATE
    } else {
        params.sample_rate.unwrap_or(0)
    };
    let channels = channels_of(&params);
    let edits = if container == "isomp4" {
        File::open(path)
            .ok()
            .and_then(|mut f| read_edit_list(&mut f, sample_rate))
    } else {
        None
    };
    let elementary = matches!(container.as_str(), "mp1" | "mp2" | "mp3" | "aac");
    // A length from the LAME/Xing tag is exact only when the tag also gave the gapless trim.
    let mpeg_gapless = elementary && track.delay.is_some();
    let declared_frames = match container.as_str() {
        // A placeholder data size (streamed WAV) claims more frames than the file has bytes.
        "wave" | "aiff" | "caf" => track.num_frames.filter(|&n| n > 0 && n <= meta.len()),
        "flac" => track.num_frames.filter(|&n| n > 0),
        _ if mpeg_gapless => track.num_frames.filter(|&n| n > 0),
        // A cut mdat: the sample table still says how long the track is.
        _ => edits
            .and_then(|e| e.keep)
            .or(track.num_frames.filter(|_| mdat_cut.is_some())),
    };
    // Opus: the demuxers leave the header's pre-skip (the encoder's delay) to the decoder;
    // it is dropped here like an edit list's priming, so packet timestamps still match.
    let pre_skip = params
        .extra_data
        .as_deref()
        .filter(|_| is_opus)
        .and_then(|head| opus::OpusHead::parse(head).ok())
        .map_or(0, |head| u64::from(head.pre_skip));
    let skip_frames = edits.map_or(0, |e| e.skip) + pre_skip;
    let keep_frames =
        edits
            .and_then(|e| e.keep)
            .or(if mpeg_gapless { declared_frames } else { None });
    let track_id = track.id;
    let expected_frames = track.num_frames;
    let time_base = track.time_base;
    let trail = match container.as_str() {
        "mp1" | "mp2" | "mp3" => ByteTrail::open(path, 0),
        // ADTS packets leave out their 7-byte header (9 with a CRC).
        "aac" => ByteTrail::open(path, 9),
        _ => None,
    };
    Ok(Decoder {
        expected_frames,
        declared_frames,
        time_base,
        trail,
        format,
        decoder,
        track_id,
        info: SourceInfo {
            path: path.to_path_buf(),
            container,
            codec,
            sample_rate,
            channels,
            frames: 0,
            peak: 0.0,
            filled_frames: 0,
            warnings,
        },
        non_finite: NonFinite::default(),
        skip_frames,
        keep_frames,
    })
}

/// What to tell the user when symphonia cannot even open the file.
fn probe_error_message(e: &SymphoniaError, path: &Path) -> String {
    match e {
        SymphoniaError::Unsupported(msg) if msg.contains("moov") => format!(
            "this MP4 has no index (moov box): it was cut short before the end, or is still \
             being recorded; talign cannot open it. If it plays elsewhere, re-encode it: {}",
            convert_hint(path)
        ),
        SymphoniaError::Unsupported(msg) if msg.contains("no suitable format reader") => format!(
            "not a recording talign can read (no audio container recognised in it); \
             {SUPPORTED}. If it plays elsewhere, convert it: {}",
            convert_hint(path)
        ),
        SymphoniaError::Unsupported(msg) => format!(
            "talign cannot open it ({msg}); {SUPPORTED}. If it plays elsewhere, convert it: {}",
            convert_hint(path)
        ),
        SymphoniaError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => format!(
            "the file ends before its headers do (cut short, or not really audio); talign \
             cannot open it. If it plays elsewhere, re-encode it: {}",
            convert_hint(path)
        ),
        SymphoniaError::DecodeError(msg) => format!(
            "the file is damaged where talign reads its headers ({msg}); talign cannot open it. \
             If it plays elsewhere, re-encode it: {}",
            convert_hint(path)
        ),
        other => format!(
            "cannot open it as audio ({other}); {SUPPORTED}. If it plays elsewhere, convert it: {}",
            convert_hint(path)
        ),
    }
}

/// An ffmpeg command that turns `path` into something talign reads.
fn convert_hint(path: &Path) -> String {
    let name = file_name(path);
    let stem = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "OUT".into());
    format!("`ffmpeg -i {name} -vn -c:a flac {stem}.flac`")
}

/// A person's name for a codec id, for codecs symphonia knows of but may not decode.
fn codec_name(id: AudioCodecId) -> String {
    use symphonia::core::codecs::audio::well_known::*;
    let name = match id {
        CODEC_ID_OPUS => "Opus",
        CODEC_ID_SPEEX => "Speex",
        CODEC_ID_MUSEPACK => "Musepack",
        CODEC_ID_MP1 => "MPEG Layer 1",
        CODEC_ID_MP2 => "MPEG Layer 2",
        CODEC_ID_MP3 => "MP3",
        CODEC_ID_AAC => "AAC",
        CODEC_ID_AC3 => "AC-3 (Dolby Digital)",
        CODEC_ID_EAC3 => "E-AC-3 (Dolby Digital Plus)",
        CODEC_ID_AC4 => "AC-4",
        CODEC_ID_DCA => "DTS",
        CODEC_ID_WMA => "Windows Media Audio",
        CODEC_ID_ATRAC1 | CODEC_ID_ATRAC3 | CODEC_ID_ATRAC3PLUS | CODEC_ID_ATRAC9 => "ATRAC",
        CODEC_ID_VORBIS => "Vorbis",
        CODEC_ID_FLAC => "FLAC",
        CODEC_ID_ALAC => "ALAC",
        CODEC_ID_WAVPACK => "WavPack",
        CODEC_ID_MONKEYS_AUDIO => "Monkey's Audio",
        CODEC_ID_TTA => "TTA",
        CODEC_ID_ADPCM_G722 | CODEC_ID_ADPCM_G726 | CODEC_ID_ADPCM_G726LE => "G.72x ADPCM",
        CODEC_ID_ADPCM_MS | CODEC_ID_ADPCM_IMA_WAV | CODEC_ID_ADPCM_IMA_QT => "ADPCM",
        CODEC_ID_PCM_ALAW => "A-law PCM",
        CODEC_ID_PCM_MULAW => "mu-law PCM",
        _ => return format!("an unknown codec (symphonia id {id})"),
    };
    name.to_string()
}

/// Consecutive demuxer errors tolerated (each skipping damaged data) before giving up.
const MAX_DEMUX_ERRORS: usize = 32;
/// Consecutive packets that may fail to decode (each replaced by silence) before giving up.
const MAX_DECODE_FAILURES: usize = 1000;
/// Jumps in the timestamps longer than this are reported but not filled with silence.
const MAX_FILL_S: f64 = 1800.0;

impl Decoder {
    /// What is known before decoding (rate, channels, container, codec).
    pub fn info(&self) -> &SourceInfo {
        &self.info
    }

    /// Duration the container declares, if any (for progress bars; not trusted otherwise).
    pub fn expected_duration_s(&self) -> Option<f64> {
        let rate = self.info.sample_rate;
        self.expected_frames
            .filter(|_| rate > 0)
            .map(|n| n as f64 / f64::from(rate))
    }

    /// Decodes the whole track, handing mono f32 chunks at the source rate to `sink`.
    ///
    /// Channels are averaged. Damage never shifts time: packets that fail to decode,
    /// garbage an MP3 demuxer skips and jumps in the container's timestamps are replaced by
    /// silence of the same length, and reported (where, how long, why) in
    /// [`SourceInfo::warnings`]. A file that ends early yields what was decoded plus a
    /// warning. Returns the final [`SourceInfo`].
    pub fn run(mut self, mut sink: impl FnMut(&[f32])) -> Result<SourceInfo> {
        let mut interleaved: Vec<f32> = Vec::new();
        let mut mono: Vec<f32> = Vec::new();
        let mut damage = DamageLog::default();
        let mut timeline = Timeline::new(self.time_base);
        let mut demux_errors = 0usize;
        let mut failures = 0usize;
        let mut decoded_any = false;
        let mut packets_seen = false;
        let mut beyond_end = 0u64;
        let mut ended_early = false;
        // Frames the packets so far stand for (decoded, gapless trim and silence filled in),
        // to compare with where a constant-bitrate MP3's packet lies in the file.
        let mut spanned = 0u64;
        loop {
            let packet = match self.format.next_packet() {
                Ok(Some(packet)) => {
                    demux_errors = 0;
                    packets_seen = true;
                    packet
                }
                Ok(None) => break,
                Err(SymphoniaError::IoError(e))
                    if e.kind() == std::io::ErrorKind::UnexpectedEof =>
                {
                    ended_early = true;
                    break;
                }
                Err(SymphoniaError::ResetRequired) => {
                    self.info.warnings.push(format!(
                        "the stream changes format at {:.3} s; decoding stopped there",
                        self.seconds()
                    ));
                    break;
                }
                // Garbage that passes for a frame header can also look like a feature the
                // demuxer lacks (ADTS: "only 1 aac frame per adts packet"); after good
                // packets, that is damage too.
                Err(SymphoniaError::DecodeError(msg) | SymphoniaError::Unsupported(msg))
                    if demux_errors < MAX_DEMUX_ERRORS && packets_seen =>
                {
                    demux_errors += 1;
                    damage.note(
                        self.seconds(),
                        0.0,
                        Cause::Demux {
                            first: msg.to_string(),
                        },
                    );
                    continue;
                }
                Err(e) => {
                    self.info.warnings.push(format!(
                        "unreadable data at {:.3} s ({e}); decoded up to there",
                        self.seconds()
                    ));
                    break;
                }
            };
            if packet.track_id != self.track_id {
                continue;
            }
            // A packet wholly past the length the header gives is dropped by the demuxer's
            // trim (an MP3's LAME tag): count it, it is audio left out.
            if packet.dur.get() > 0 && packet.trim_end.get() >= packet.dur.get() {
                beyond_end += packet.dur.get();
            }
            let rate = self.info.sample_rate;
            // Garbage the demuxer resynced past: those bytes held frames; keep their time.
            let placed = self.trail.as_mut().map(|trail| {
                let found = trail.locate(&packet.data);
                (found, trail.cbr_place(), trail.mean_packet_bytes())
            });
            let mut cbr = None;
            if let Some((found, cbr_place, mean_bytes)) = placed {
                let at = self.seconds();
                let bytes = match found {
                    Found::After(bytes) => bytes,
                    _ => 0,
                };
                match (found, cbr_place) {
                    (Found::Lost, _) => self.trail = None,
                    // Constant bitrate: the packet's place in the file says where it starts,
                    // however many false frames the garbage before it held.
                    (_, Some(place)) => {
                        cbr = Some(place);
                        if place > spanned {
                            let frames = place - spanned;
                            self.fill_silence(frames, &mut sink);
                            damage.note(at, seconds(frames, rate), Cause::Garbage { bytes });
                        } else if place < spanned {
                            // Garbage decoded as frames: drop as much audio as it added.
                            self.skip_frames += spanned - place;
                            damage.note(at, 0.0, Cause::FakeFrames { bytes });
                        } else if bytes > 0 {
                            damage.note(at, 0.0, Cause::Garbage { bytes });
                        }
                        spanned = place;
                    }
                    (Found::After(bytes), None) => {
                        let frame_len = mean_bytes.unwrap_or(bytes as f64);
                        let lost = (bytes as f64 / frame_len).round() as u64;
                        let frames = lost * packet_frames(&packet);
                        self.fill_silence(frames, &mut sink);
                        spanned += frames;
                        damage.note(at, seconds(frames, rate), Cause::Estimated { bytes });
                    }
                    (Found::InPlace, None) => {}
                }
            }
            // Data missing between packets (including packets that failed to decode).
            let gap = timeline.gap_before(&packet, rate);
            if gap > 0 && cbr.is_some() {
                // Already placed by its byte offset.
                timeline.advance(gap);
            } else if gap > 0 {
                let at = self.seconds();
                if seconds(gap, rate) <= MAX_FILL_S {
                    self.fill_silence(gap, &mut sink);
                    timeline.advance(gap);
                    spanned += gap;
                    damage.note(at, seconds(gap, rate), Cause::Jump);
                } else {
                    self.info.warnings.push(format!(
                        "the stream's timestamps jump {:.3} s ahead at {at:.3} s; not filled, so \
                         times after {at:.3} s are early by that much",
                        seconds(gap, rate)
                    ));
                    timeline.advance(gap);
                    spanned += gap;
                }
            }
            let failure = match self.decoder.decode(&packet) {
                Ok(_) => None,
                Err(SymphoniaError::DecodeError(msg)) => Some(msg.to_string()),
                Err(SymphoniaError::IoError(e)) => Some(e.to_string()),
                // Garbage that passes for a packet can ask for a feature the decoder lacks;
                // once packets have decoded, that is damage, not an unsupported stream.
                Err(SymphoniaError::Unsupported(msg)) if decoded_any => Some(msg.to_string()),
                Err(e) => {
                    self.info.warnings.push(format!(
                        "decoder failed at {:.3} s ({e}); decoded up to there",
                        self.seconds()
                    ));
                    break;
                }
            };
            if let Some(first) = failure {
                failures += 1;
                if failures > MAX_DECODE_FAILURES {
                    self.info.warnings.push(format!(
                        "{failures} packets in a row failed to decode from {:.3} s ({first}); \
                         decoded up to there",
                        self.seconds()
                    ));
                    break;
                }
                damage.note(
                    self.seconds(),
                    0.0,
                    Cause::Undecodable { packets: 1, first },
                );
                continue;
            }
            failures = 0;
            decoded_any = true;
            let buffer = self.decoder.last_decoded();
            let channels = buffer.spec().channels().count().max(1);
            if self.info.sample_rate == 0 {
                let rate = buffer.spec().rate();
                check_rate(rate, &self.info.codec, channels as u32, &self.info.path)?;
                self.info.sample_rate = rate;
            }
            if self.info.channels == 0 {
                self.info.channels = channels as u32;
            }
            buffer.copy_to_vec_interleaved(&mut interleaved);
            self.silence_non_finite(&mut interleaved, channels);
            // Mono needs no mixing: hand the decoded samples on as they are.
            let mono = if channels == 1 {
                &interleaved
            } else {
                downmix(&interleaved, channels, &mut mono);
                &mono
            };
            // The timeline counts what the packet spans, gapless trim included.
            // (symphonia's end trim on packets past the gapless length can exceed the packet.)
            let mut span = mono.len() as u64 + packet.trim_start.get() + packet.trim_end.get();
            if packet.dur.get() > 0 {
                span = span.min(packet.dur.get());
            }
            timeline.advance(span);
            spanned += span;
            self.emit(mono, &mut sink);
        }
        self.info.filled_frames =
            (damage.filled_s() * f64::from(self.info.sample_rate)).round() as u64;
        damage.report(&mut self.info.warnings);
        self.report_non_finite();
        self.report_cut_short(ended_early);
        let rate = self.info.sample_rate;
        if beyond_end > u64::from(rate / 10) {
            self.info.warnings.push(format!(
                "the file goes on for {:.3} s past the {:.3} s its header gives (files joined \
                 end to end?); that part is left out. To use it, re-encode the whole file: {}",
                seconds(beyond_end, rate),
                self.seconds(),
                convert_hint(&self.info.path)
            ));
        }
        Ok(self.info)
    }

    /// Hands decoded (or filler) audio on, after the edit list's priming and length.
    fn emit(&mut self, mono: &[f32], sink: &mut impl FnMut(&[f32])) {
        let drop = (self.skip_frames as usize).min(mono.len());
        self.skip_frames -= drop as u64;
        let mut kept = &mono[drop..];
        if let Some(keep) = self.keep_frames {
            let room = keep.saturating_sub(self.info.frames) as usize;
            kept = &kept[..kept.len().min(room)];
        }
        if kept.is_empty() {
            return;
        }
        self.info.frames += kept.len() as u64;
        self.info.peak = self.info.peak.max(peak(kept));
        sink(kept);
    }

    /// Emits `frames` of digital silence in place of lost audio.
    fn fill_silence(&mut self, frames: u64, sink: &mut impl FnMut(&[f32])) {
        const ZEROS: [f32; 4096] = [0.0; 4096];
        let mut left = frames;
        while left > 0 {
            let n = left.min(ZEROS.len() as u64) as usize;
            self.emit(&ZEROS[..n], sink);
            left -= n as u64;
        }
    }

    fn silence_non_finite(&mut self, interleaved: &mut [f32], channels: usize) {
        let (frames, rate) = (self.info.frames, self.info.sample_rate);
        self.non_finite.silence(interleaved, channels, frames, rate);
    }

    fn report_non_finite(&mut self) {
        if let Some(warning) = self.non_finite.warning() {
            self.info.warnings.push(warning);
        }
    }

    /// One warning when the file stops before its header says it should, or mid-frame.
    fn report_cut_short(&mut self, ended_early: bool) {
        let rate = self.info.sample_rate;
        let tolerance = u64::from(rate / 100);
        let cut_frame = match self.trail.as_mut().map(ByteTrail::tail) {
            Some(Tail::CutFrame { bytes }) => Some(bytes),
            _ => None,
        };
        let short = self
            .declared_frames
            .filter(|&d| self.info.frames + tolerance < d);
        let end = self.seconds();
        let detail = match cut_frame {
            Some(bytes) => format!("; its last {bytes} bytes, an incomplete frame, are dropped"),
            None => String::new(),
        };
        if let Some(declared) = short {
            self.info.warnings.push(format!(
                "the file ends at {end:.3} s but its header says {:.3} s: it is cut short (an \
                 interrupted download or copy?){detail}; decoded the {end:.3} s that are there",
                seconds(declared, rate)
            ));
        } else if ended_early || cut_frame.is_some() {
            self.info.warnings.push(format!(
                "the file ends in the middle of a frame at {end:.3} s: it is cut short (an \
                 interrupted download or copy?){detail}; decoded up to there"
            ));
        }
    }

    fn seconds(&self) -> f64 {
        self.info.duration_s()
    }
}

/// Frames a packet stands for before any gapless trimming.
fn packet_frames(packet: &Packet) -> u64 {
    packet.dur.get().max(1)
}

fn seconds(frames: u64, rate: u32) -> f64 {
    if rate == 0 {
        0.0
    } else {
        frames as f64 / f64::from(rate)
    }
}

/// Where packets should start, by their timestamps, against the frames decoded so far.
struct Timeline {
    time_base: Option<TimeBase>,
    /// Position (frames) of the first packet; earlier time is not the file's to explain.
    origin: Option<i128>,
    /// Frames spanned (decoded, trimmed or filled) since the first packet.
    seen: u64,
}

impl Timeline {
    fn new(time_base: Option<TimeBase>) -> Timeline {
        Timeline {
            time_base,
            origin: None,
            seen: 0,
        }
    }

    /// Frames missing before `packet`: how far its timestamp lies past what the packets so
    /// far spanned (decoded frames plus the frames gapless trimming removed from them).
    ///
    /// Jumps under 5 ms are timestamp rounding (Matroska stores milliseconds), not damage.
    fn gap_before(&mut self, packet: &Packet, rate: u32) -> u64 {
        let Some(tb) = self.time_base else { return 0 };
        if rate == 0 {
            return 0;
        }
        let ticks = i128::from(packet.pts.get());
        let at = ticks * i128::from(tb.numer.get()) * i128::from(rate) / i128::from(tb.denom.get());
        let Some(origin) = self.origin else {
            self.origin = Some(at);
            return 0;
        };
        let gap = at - (origin + i128::from(self.seen));
        if gap > i128::from(rate / 200) {
            u64::try_from(gap).unwrap_or(0)
        } else {
            0
        }
    }

    fn advance(&mut self, frames: u64) {
        self.seen += frames;
    }
}

/// Largest absolute value in `samples` (0 for none; NaNs are ignored), in eight lanes so
/// that it vectorises.
fn peak(samples: &[f32]) -> f32 {
    const LANES: usize = 8;
    let mut lanes = [0.0f32; LANES];
    let chunks = samples.chunks_exact(LANES);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (lane, x) in lanes.iter_mut().zip(chunk) {
            let a = x.abs();
            *lane = if a > *lane { a } else { *lane };
        }
    }
    rest.iter()
        .map(|x| x.abs())
        .chain(lanes)
        .fold(0.0, |m, a| if a > m { a } else { m })
}

/// Averages interleaved channels into `mono` (cleared first).
pub(crate) fn downmix(interleaved: &[f32], channels: usize, mono: &mut Vec<f32>) {
    mono.clear();
    if channels == 1 {
        mono.extend_from_slice(interleaved);
        return;
    }
    let scale = 1.0 / channels as f32;
    mono.extend(
        interleaved
            .chunks_exact(channels)
            .map(|frame| frame.iter().sum::<f32>() * scale),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_is_the_largest_magnitude() {
        assert_eq!(peak(&[]), 0.0);
        let mut x: Vec<f32> = (0..37).map(|i| (i as f32 * 0.37).sin() * 0.5).collect();
        x[29] = -0.75;
        x[3] = f32::NAN;
        assert_eq!(peak(&x), 0.75);
        assert_eq!(
            peak(&x[30..]),
            x[30..].iter().fold(0.0f32, |m, v| m.max(v.abs()))
        );
    }

    #[test]
    fn downmix_averages_channels() {
        let mut mono = Vec::new();
        downmix(&[1.0, 0.0, 0.5, 0.5, -1.0, 1.0], 2, &mut mono);
        assert_eq!(mono, vec![0.5, 0.5, 0.0]);
        downmix(&[0.25, 0.75], 1, &mut mono);
        assert_eq!(mono, vec![0.25, 0.75]);
    }
}
