//! The reference voice (`--reference voice`): espeak-ng speaks each transcribed turn, and
//! the recording is warped onto that voice to find where the turn and its words are.
//!
//! [`speak_turns`] synthesises and analyses the turns into the recording's cepstra;
//! [`snap_turns`] warps windows of them onto the recording (banded DTW, [`warp`]) around the
//! lattice's placements; `confidence.rs` says how far to trust each result and
//! [`apply_snapped`] moves the turns. The align stage ([`crate::align::align`]) calls them
//! in that order when given [`crate::align::Evidence::Reference`]; for languages the
//! acoustic model does not know.

mod confidence;
mod dtw;
mod snap;
mod speak;

/// Whether espeak-ng is installed with a voice, before asking for
/// [`Listener::ReferenceVoice`](crate::pipeline::Listener::ReferenceVoice).
pub use crate::espeak::{Unavailable, has_voice};
pub(crate) use confidence::after_snap as confidence_after_snap;
pub use dtw::{Anchor, Band, Costs, Frames, Warp, warp};
pub use snap::{SnapConfig, apply as apply_snapped, snap_turns};
pub use speak::{SpokenTurn, speak_turns};
