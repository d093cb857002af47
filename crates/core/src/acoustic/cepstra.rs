//! The recording's cepstra from the model's front end, kept for the forced aligner, which
//! reads them back a window at a time once the turn lattice has placed the turns.
//!
//! At 52 bytes a frame they are most of what grows with a recording's length (190 MB at
//! 10 h), so past an hour of frames they go to an unnamed temporary file
//! ([`SpillVec`](crate::spill::SpillVec)) and only the newest stay in memory.

use super::frontend::NCEP;
use crate::spill::SpillVec;

/// A recording's cepstra, one `[f32; NCEP]` per 10 ms frame, in memory or partly on disk.
pub type Cepstra = SpillVec<[f32; NCEP]>;
