//! talign's integration tests, one binary (a cold build links it once, not nine times):
//! the command line on real recordings and transcripts (and `talign sync` on subtitles), the decoder and transcript readers
//! on good, damaged and hostile input, the drift check, export goldens, and the fuzz targets.
//!
//! Run one group with a filter: `cargo test --profile ci --test integration cli_audio::`;
//! the fuzz targets for longer with `TALIGN_FUZZ_SECONDS=60 cargo test --profile ci --test
//! integration corpus_mutations`.

mod cli_audio;
mod cli_batch;
mod cli_lint;
mod cli_sync;
mod decode;
mod decode_fuzz;
mod drift;
mod export_golden;
mod fuzz_harness;
mod review;
mod subtitle_fuzz;
mod transcript_annotations;
mod transcript_formats;
mod transcript_fuzz;
mod transcript_kerry;
mod xhtml_fuzz;
