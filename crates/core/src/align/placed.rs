//! Where the evidence put a turn and its words: the result shared by the acoustic model
//! ([`super::heard`]) and the reference warp ([`crate::reference`]).

use crate::acoustic::forced::EdgeFit;
use crate::acoustic::pronounce::Phone;
use crate::time::Frame;

/// What the acoustic model says of one word where it placed it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordFit {
    /// Goodness of pronunciation over the word's frames.
    pub fit: f32,
    /// The fit at its start, where the forced alignment put it (a rule that moves the word
    /// afterwards, e.g. a lone edge word pulled to its turn, leaves it as it was).
    pub edge: EdgeFit,
}

/// One word's place, frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordSpan {
    /// First frame.
    pub start: Frame,
    /// One past the last frame.
    pub end: Frame,
}

/// What the warp found for one turn.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapped {
    /// First speech frame.
    pub start: Frame,
    /// One past the last speech frame.
    pub end: Frame,
    /// Mean match cost over the turn's speech frames (lower is a better match).
    pub match_cost: f32,
    /// Where each word is, in the order of `Turn::words`.
    pub words: Vec<WordSpan>,
    /// Each word's phones (name, first frame, one past the last), where known: the acoustic
    /// model gives them, the reference warp does not (empty).
    pub phones: Vec<Vec<(Phone, Frame, Frame)>>,
    /// The acoustic model's goodness of pronunciation of the turn, when it placed it.
    pub goodness: Option<f32>,
    /// Each word's fit, where the acoustic model heard it (empty for the reference warp).
    pub word_fits: Vec<Option<WordFit>>,
}
