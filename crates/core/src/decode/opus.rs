//! Opus for symphonia 0.6, which demuxes it (Ogg, Matroska/WebM) but has no decoder: a
//! symphonia [`AudioDecoder`] around the pure-Rust `opus-pure` decoder (no C, no FFI).
//!
//! Output is always 48 kHz, the rate every Opus stream decodes to whatever its source was.
//! Mono and stereo (channel mapping family 0) and the Vorbis surround layouts of family 1
//! (up to 7.1) are decoded; other mappings are refused when the decoder is made. The
//! header's output gain is applied. Each packet's `trim_start`/`trim_end` are honoured in
//! gapless mode, as symphonia's own decoders do (the Ogg demuxer puts the final granule's
//! end trim there); the header's pre-skip is left to the caller, who reads it with
//! [`OpusHead::parse`] (`decode::open` drops it like an MP4 edit list's priming), so the
//! packets' timestamps keep matching the frames decoded.

use symphonia::core::audio::{
    AsGenericAudioBufferRef, AudioBuffer, AudioMut, AudioSpec, Channels, GenericAudioBufferRef,
};
use symphonia::core::codecs::CodecInfo;
use symphonia::core::codecs::audio::well_known::CODEC_ID_OPUS;
use symphonia::core::codecs::audio::{
    AudioCodecParameters, AudioDecoder, AudioDecoderOptions, FinalizeResult,
};
use symphonia::core::codecs::registry::{RegisterableAudioDecoder, SupportedAudioCodec};
use symphonia::core::errors::{Error, Result};
use symphonia::core::packet::PacketRef;

/// The one rate Opus decodes to here.
pub(crate) const OPUS_RATE: u32 = 48_000;

/// The longest packet Opus allows (120 ms at 48 kHz), per channel.
const MAX_FRAMES: usize = opus_pure::MAX_PACKET_SAMPLES;

/// The identification header of an Opus stream (RFC 7845 §5.1): the Ogg stream's first
/// packet, and the `CodecPrivate` of a Matroska/WebM Opus track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpusHead {
    /// Output channels.
    pub channels: u8,
    /// Frames at 48 kHz to drop from the start of the decoded stream (the encoder's delay).
    pub pre_skip: u16,
    /// Gain to apply to the output, in dB × 256.
    pub gain_q8: i16,
    /// Channel mapping family: 0 mono/stereo, 1 Vorbis surround order, others rarer.
    pub family: u8,
    /// Opus streams in each packet (1 for family 0).
    pub streams: u8,
    /// How many of those streams are coupled stereo pairs.
    pub coupled: u8,
    /// For each output channel, the stream channel that feeds it (255: silent).
    pub mapping: Vec<u8>,
}

impl OpusHead {
    /// Reads the header, checking its magic, version and lengths.
    pub(crate) fn parse(data: &[u8]) -> std::result::Result<OpusHead, &'static str> {
        if data.len() < 19 || &data[..8] != b"OpusHead" {
            return Err("no OpusHead at the start of the stream");
        }
        // Versions 0–15 are compatible (the upper four bits are the major version).
        if data[8] >> 4 != 0 {
            return Err("OpusHead of an incompatible version");
        }
        let channels = data[9];
        if channels == 0 {
            return Err("OpusHead gives 0 channels");
        }
        let pre_skip = u16::from_le_bytes([data[10], data[11]]);
        let gain_q8 = i16::from_le_bytes([data[16], data[17]]);
        let family = data[18];
        let (streams, coupled, mapping) = if family == 0 {
            if channels > 2 {
                return Err("OpusHead gives more than 2 channels for mapping family 0");
            }
            (1, channels - 1, (0..channels).collect())
        } else {
            let table = data
                .get(19..21 + usize::from(channels))
                .ok_or("OpusHead ends inside its channel mapping table")?;
            let (streams, coupled) = (table[0], table[1]);
            if streams == 0 || coupled > streams {
                return Err("OpusHead gives impossible stream counts");
            }
            let inputs = u16::from(streams) + u16::from(coupled);
            let mapping = table[2..].to_vec();
            if mapping.iter().any(|&m| m != 255 && u16::from(m) >= inputs) {
                return Err("OpusHead maps a channel to a stream that does not exist");
            }
            (streams, coupled, mapping)
        };
        Ok(OpusHead {
            channels,
            pre_skip,
            gain_q8,
            family,
            streams,
            coupled,
            mapping,
        })
    }
}

/// The opus-pure decoder behind it: one stream, or several for surround.
enum Inner {
    Single(Box<opus_pure::OpusDecoder>),
    Multi(opus_pure::OpusMSDecoder),
}

impl Inner {
    fn new(head: &OpusHead) -> std::result::Result<Inner, &'static str> {
        let rate = OPUS_RATE as i32;
        let channels = usize::from(head.channels);
        let gain = i32::from(head.gain_q8);
        if head.family == 0 {
            let mut decoder = opus_pure::OpusDecoder::new(rate, channels)
                .map_err(|_| "Opus: cannot make a decoder for this stream")?;
            decoder.gain_q8 = gain;
            return Ok(Inner::Single(Box::new(decoder)));
        }
        // opus-pure decodes the standard layouts of family 1 (RFC 7845 §5.1.1.2); a header
        // that asks for anything else would be decoded wrong, so it is refused.
        let standard = opus_pure::ChannelLayout::surround(channels, head.family)
            .ok()
            .filter(|l| {
                l.nb_streams == usize::from(head.streams)
                    && l.nb_coupled_streams == usize::from(head.coupled)
                    && l.mapping == head.mapping
            });
        if standard.is_none() {
            return Err(
                "Opus with this channel mapping (not mono, stereo or a standard surround \
                 layout of mapping family 1) is not supported",
            );
        }
        let mut decoder = opus_pure::OpusMSDecoder::new(rate, channels, head.family)
            .map_err(|_| "Opus: cannot make a surround decoder for this stream")?;
        for stream in decoder.streams_mut() {
            stream.gain_q8 = gain;
        }
        Ok(Inner::Multi(decoder))
    }

    /// Decodes one packet into interleaved `out`; returns the frames decoded.
    fn decode(&mut self, packet: &[u8], out: &mut [f32]) -> opus_pure::Result<usize> {
        match self {
            Inner::Single(d) => d.decode(packet, MAX_FRAMES, out),
            Inner::Multi(d) => d.decode(packet, MAX_FRAMES, out),
        }
    }

    fn reset(&mut self) {
        // Resetting only clears state; it cannot fail for a decoder that was made.
        let _ = match self {
            Inner::Single(d) => d.reset_state(),
            Inner::Multi(d) => d.reset_state(),
        };
    }
}

/// symphonia's Opus decoder, registered with talign's codec registry.
pub(crate) struct OpusDecoder {
    params: AudioCodecParameters,
    inner: Inner,
    channels: usize,
    gapless: bool,
    /// One packet, interleaved, as opus-pure writes it.
    interleaved: Vec<f32>,
    buf: AudioBuffer<f32>,
}

const SUPPORTED: &[SupportedAudioCodec] = &[SupportedAudioCodec {
    id: CODEC_ID_OPUS,
    info: CodecInfo {
        short_name: "opus",
        long_name: "Opus (opus-pure)",
        profiles: &[],
    },
}];

impl OpusDecoder {
    fn try_new(params: &AudioCodecParameters, opts: &AudioDecoderOptions) -> Result<OpusDecoder> {
        if params.codec != CODEC_ID_OPUS {
            return Err(Error::Unsupported("opus: not an Opus stream"));
        }
        let head = match params.extra_data.as_deref() {
            Some(data) => OpusHead::parse(data).map_err(Error::Unsupported)?,
            // No header (a Matroska track without CodecPrivate): mono or stereo, no pre-skip.
            None => {
                let channels = params.channels.as_ref().map_or(0, Channels::count);
                let header = [
                    b"OpusHead".as_slice(),
                    &[1, u8::try_from(channels).unwrap_or(0), 0, 0],
                    &[0; 7],
                ]
                .concat();
                OpusHead::parse(&header)
                    .map_err(|_| Error::Unsupported("opus: no OpusHead and not mono or stereo"))?
            }
        };
        let inner = Inner::new(&head).map_err(Error::Unsupported)?;
        let channels = usize::from(head.channels);
        let layout = match params.channels.clone() {
            Some(layout) if layout.count() == channels => layout,
            _ => Channels::Discrete(u16::from(head.channels)),
        };
        let mut params = params.clone();
        params
            .with_sample_rate(OPUS_RATE)
            .with_channels(layout.clone())
            .with_max_frames_per_packet(MAX_FRAMES as u64);
        Ok(OpusDecoder {
            params,
            inner,
            channels,
            gapless: opts.gapless,
            interleaved: vec![0.0; MAX_FRAMES * channels],
            buf: AudioBuffer::new(AudioSpec::new(OPUS_RATE, layout), MAX_FRAMES),
        })
    }

    fn decode_inner(&mut self, packet: &PacketRef<'_>) -> Result<()> {
        self.buf.clear();
        if packet.data.is_empty() {
            return Err(Error::DecodeError("opus: empty packet"));
        }
        let frames = self
            .inner
            .decode(packet.data, &mut self.interleaved)
            .map_err(|e| match e {
                opus_pure::Error::InvalidPacket(what) => Error::DecodeError(what),
                _ => Error::DecodeError("opus: undecodable packet"),
            })?;
        let frames = frames.min(MAX_FRAMES);
        self.buf.render_uninit(Some(frames));
        let channels = self.channels;
        for c in 0..channels {
            let Some(plane) = self.buf.plane_mut(c) else {
                return Err(Error::DecodeError("opus: missing audio plane"));
            };
            let samples = self.interleaved[..frames * channels].iter().skip(c);
            for (out, &x) in plane.iter_mut().zip(samples.step_by(channels)) {
                *out = x;
            }
        }
        if self.gapless {
            self.buf.trim(
                packet.trim_start.get() as usize,
                packet.trim_end.get() as usize,
            );
        }
        Ok(())
    }
}

impl AudioDecoder for OpusDecoder {
    fn reset(&mut self) {
        self.inner.reset();
        self.buf.clear();
    }

    fn codec_info(&self) -> &CodecInfo {
        &SUPPORTED[0].info
    }

    fn codec_params(&self) -> &AudioCodecParameters {
        &self.params
    }

    fn decode_ref(&mut self, packet: &PacketRef<'_>) -> Result<GenericAudioBufferRef<'_>> {
        if let Err(e) = self.decode_inner(packet) {
            self.buf.clear();
            return Err(e);
        }
        Ok(self.buf.as_generic_audio_buffer_ref())
    }

    fn finalize(&mut self) -> FinalizeResult {
        FinalizeResult::default()
    }

    fn last_decoded(&self) -> GenericAudioBufferRef<'_> {
        self.buf.as_generic_audio_buffer_ref()
    }
}

impl RegisterableAudioDecoder for OpusDecoder {
    fn try_registry_new(
        params: &AudioCodecParameters,
        opts: &AudioDecoderOptions,
    ) -> Result<Box<dyn AudioDecoder>> {
        Ok(Box::new(OpusDecoder::try_new(params, opts)?))
    }

    fn supported_codecs() -> &'static [SupportedAudioCodec] {
        SUPPORTED
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(family: u8, channels: u8, table: &[u8]) -> Vec<u8> {
        let mut h = b"OpusHead".to_vec();
        h.extend_from_slice(&[
            1, channels, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0x00, 0x01, family,
        ]);
        h.extend_from_slice(table);
        h
    }

    #[test]
    fn opus_head_is_read_with_its_checks() {
        let stereo = OpusHead::parse(&head(0, 2, &[])).unwrap();
        assert_eq!(stereo.pre_skip, 312);
        assert_eq!(stereo.gain_q8, 256);
        assert_eq!((stereo.streams, stereo.coupled), (1, 1));
        let surround = OpusHead::parse(&head(1, 6, &[4, 2, 0, 4, 1, 2, 3, 5])).unwrap();
        assert_eq!(surround.mapping, vec![0, 4, 1, 2, 3, 5]);
        assert!(Inner::new(&surround).is_ok());
        // Same counts, another order: refused rather than decoded in the wrong order.
        let odd = OpusHead::parse(&head(1, 6, &[4, 2, 0, 1, 2, 3, 4, 5])).unwrap();
        assert!(Inner::new(&odd).is_err());
        for bad in [
            head(0, 3, &[]),
            head(0, 0, &[]),
            head(1, 6, &[4, 2, 0]),
            head(1, 2, &[1, 2, 0, 1]),
            head(1, 2, &[1, 0, 0, 7]),
            b"OpusHeaX".to_vec(),
            head(0, 2, &[])[..18].to_vec(),
        ] {
            assert!(OpusHead::parse(&bad).is_err(), "{bad:?}");
        }
    }
}
