//! The decoder entry point (`decode::open`, then `Decoder::run`) on damaged and mutated
//! recordings: no panic, no sample that is not a finite number within ±1e6 (NaN, Inf and
//! absurd values are replaced by silence), a sample rate in the accepted range, and a decoded length that a
//! file this small can honestly hold.
//!
//! Seed corpus: `tests/fuzz-corpus/audio/` (scripts/make_audio_fuzz_corpus.py: every
//! container talign reads and each damaged-file class of docs/reliability.md); inputs that
//! once broke something live in its `regressions/`. `TALIGN_FUZZ_SECONDS=60` for CI's run.

use crate::fuzz_harness as harness;

use std::io::Write;

/// Container and codec headers the mutator inserts (allocation bait among them).
const INSERTS: &[&[u8]] = &[
    b"RIFF\xff\xff\xff\xffWAVE",
    b"fmt \x10\x00\x00\x00\x01\x00\x01\x00\x01\x00\x00\x00",
    b"data\xff\xff\xff\xff",
    b"fLaC\x00\x00\x00\x22",
    b"\xff\xfb\x90\x64",
    b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f",
    b"\x00\x00\x00\x20ftypM4A ",
    b"\xff\xff\xff\xffmoov",
    b"\x00\x00\x00\x10stsz\x00\x00\x00\x00\xff\xff\xff\xff",
    b"OggS\x00\x02",
    b"OpusHead\x01\x06\x38\x01\x80\xbb\x00\x00\x00\x00\x01\x04\x02",
    b"\x1a\x45\xdf\xa3\x01\x00\x00\x00\x00\x00\x00\x1f",
    b"\x00\x00\xc0\x7f",
    b"\x00\x00\x80\x7f",
];

/// Decodes one input from a file (the decoder reads paths), checking what comes out.
fn decode(bytes: &[u8]) {
    let mut file = tempfile::Builder::new().suffix(".bin").tempfile().unwrap();
    file.write_all(bytes).unwrap();
    let Ok(decoder) = talign::decode::open(file.path()) else {
        return;
    };
    let rate = decoder.info().sample_rate;
    assert!((1000..=768_000).contains(&rate), "rate {rate} Hz accepted");
    let mut samples = 0u64;
    let outcome = decoder.run(|chunk| {
        assert!(
            chunk.iter().all(|s| s.is_finite() && s.abs() <= 1.0e6),
            "a sample that is not a finite number within ±1e6 reached the analysis"
        );
        samples += chunk.len() as u64;
    });
    if let Ok(info) = outcome {
        assert_eq!(
            info.frames, samples,
            "reported length is what was delivered"
        );
    }
}

#[test]
fn corpus_mutations() {
    let target = harness::Target {
        name: "decode",
        corpus: "audio",
        inserts: INSERTS,
        max_input: 64 << 10,
        min_seeds: 15,
    };
    harness::fuzz(&target, decode);
}
