//! Words and phones inside a placed turn: Viterbi forced alignment of the recording's frames
//! onto a chain of HMM states.
//!
//! The chain is plain data (`Chain`, built with `ChainBuilder`): each state emits one
//! senone (or, for a filler, the phone loop's score), arcs carry natural-log transition
//! probabilities and only go forward (or loop). A turn's chain is
//!
//! ```text
//! [filler] → [SIL] → word₁ (variants in parallel) → [SIL] → word₂ → … → wordₙ → [SIL] → [filler]
//! ```
//! where `[SIL]` may be skipped and the fillers are *free ends*: a phone loop (per frame the
//! best context-independent senone, [`FrameScores::phone_loop`]) that costs a fixed penalty a
//! frame. Speech of a neighbouring turn inside the window is cheaper to explain by the loop
//! than by the turn's own words, so it is absorbed there instead of being forced into them.
//!
//! The search keeps, per frame, only the states within `beam` of the best (a contiguous band,
//! since arcs go forward); back-pointers are one byte per state in the band, so memory is
//! O(frames × band), not O(frames × states).
//!
//! Goodness of pronunciation (GOP) per word is the mean per-frame difference between the
//! forced alignment's log-likelihood and the phone loop's over the word's frames: near or
//! above 0 when the audio sounds like the word, strongly negative when it does not.

use std::ops::Range;

use super::frontend;
use super::model::{AcousticModel, PhoneId, SenoneId, Transitions, WordPosition};
use super::pronounce::{self, Phone, Pronounced};
use super::scorer::{SenoneScores, SenoneSet};
use crate::error::{Error, Result};
use crate::time::frames_to_seconds;

/// Per-frame acoustic scores the search reads (natural-log likelihoods).
///
/// The search visits frames in increasing order and calls [`FrameScores::prepare`] before it
/// reads a frame, so a scorer may compute scores lazily, a block at a time, and forget the
/// blocks behind it: the search keeps what it needs of them.
pub trait FrameScores {
    /// Makes frame `frame`'s scores readable. Frames come in increasing order, except that
    /// a repeated search starts again from its first frame.
    fn prepare(&mut self, _frame: usize) {}
    /// Tells the scorer which senones the search may read at `frame` (after
    /// [`Self::prepare`], before any score of the frame is read, once per frame even when
    /// there are none; `u32::MAX` stands for a phone-loop state), so a lazy scorer can mix
    /// just those: the states within the beam are a small part of a window's chain. A
    /// scorer may let the phone loop depend on them.
    fn need(&mut self, _frame: usize, _senones: &[u32]) {}
    /// Score of senone `senone` at absolute frame `frame`.
    fn senone(&self, frame: usize, senone: u32) -> f32;
    /// Score of an unconstrained phone loop at `frame` (e.g. the best context-independent
    /// senone).
    fn phone_loop(&self, frame: usize) -> f32;
}

/// What a state emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Emission {
    /// One senone of the acoustic model.
    Senone(u32),
    /// The phone loop's score (fillers).
    Loop,
}

/// What a stretch of states stands for: one phone of one word, a silence or a filler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segment {
    /// Index of the word (into the caller's word list) this phone belongs to; `None` for
    /// silence and fillers.
    pub word: Option<usize>,
    /// Which pronunciation variant of the word.
    pub variant: usize,
    /// Phone name (`AH`, `SIL`, or `+FILLER+` for a free end), shared ([`pronounce::phone`]).
    pub phone: Phone,
}

/// Transition log-probabilities of a 3-state left-to-right HMM (natural log).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct HmmTransitions {
    /// State i to itself.
    pub stay: [f32; 3],
    /// State i to i+1; `next[2]` leaves the HMM.
    pub next: [f32; 3],
    /// State i to i+2; `skip[1]` leaves the HMM; `NEG_INFINITY` when absent.
    pub skip: [f32; 3],
}

/// A piece of the chain that can be connected to others: where it is entered and the states
/// (with their log-probabilities) that leave it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// The state entered from outside.
    pub entry: u32,
    /// States that leave the node, each with the log-probability of leaving.
    pub exits: Vec<(u32, f32)>,
}

/// One state of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct State {
    /// What it emits.
    pub emission: Emission,
    /// Index into [`Chain::segments`].
    pub segment: u32,
}

/// A compiled state chain: states in topological order, incoming arcs per state.
#[derive(Debug, Clone)]
pub(crate) struct Chain {
    /// The states, every arc going from a lower (or the same) index to a higher one.
    pub states: Vec<State>,
    /// What the states stand for.
    pub segments: Vec<Segment>,
    in_start: Vec<u32>,
    in_from: Vec<u32>,
    in_logp: Vec<f32>,
    /// States the path may start in, with the log-probability of starting there.
    pub initial: Vec<(u32, f32)>,
    /// States the path may end in, with the log-probability of ending there.
    pub finals: Vec<(u32, f32)>,
    /// The largest `to - from` over all arcs: how far the band can grow in one frame.
    max_span: u32,
    /// The fewest frames any complete path needs.
    pub min_frames: usize,
    /// Per state, the fewest frames from it (its own included) to the end of a path: a state
    /// reached with fewer frames left than this is on no complete path.
    frames_to_end: Vec<u32>,
    /// The words (caller's indices) that open a turn: the pause before one is the gap
    /// between two speakers' turns, whose tail is never taken as a closure.
    pub turn_openers: Vec<usize>,
    /// Per state, which of `entry_pulls` its entry costs (`u32::MAX`: none; empty when the
    /// chain has no pulls).
    entry_pull_of: Vec<u32>,
    /// Costs of entering a word away from a frame where something else expects it.
    entry_pulls: Vec<EntryPull>,
    /// Per state, the last frame at which a path through it can still enter the words
    /// after it that a bound holds (an [`EntryPull`] of infinite cost); `u32::MAX`: none
    /// (empty when the chain has no bounds). A path past it is on no complete path, and is
    /// dropped as it gets there: otherwise it could hold the beam's best (the free start,
    /// fitting better than the words) until the words' paths fall out of the beam, and the
    /// search would end with none.
    entry_deadline: Vec<u32>,
    /// Per state, the frames its phone may be held before each further frame costs
    /// `hold_cost` (`u16::MAX`: no limit; empty when the chain has no limits).
    hold_frames: Vec<u16>,
    /// Cost (natural log) of each frame a phone is held beyond its `hold_frames`.
    hold_cost: f32,
}

/// A soft expectation of where a word starts: entering it more than `free` frames from
/// `frame` costs `per_frame` (natural log) for every further frame. The search still goes
/// wherever the acoustic evidence outweighs it; with an infinite `per_frame`, nowhere
/// beyond `free` (a bound).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EntryPull {
    /// Frame of the search where the word is expected to start.
    pub frame: usize,
    /// Frames either side of `frame` entered at no cost.
    pub free: usize,
    /// Cost per frame beyond `free` (≥ 0; infinite: no entry beyond `free`).
    pub per_frame: f32,
    /// Most the entry costs, however far (infinite: no cap).
    pub most: f32,
}

impl EntryPull {
    fn cost(&self, frame: usize) -> f32 {
        match frame.abs_diff(self.frame).saturating_sub(self.free) {
            0 => 0.0,
            beyond => (beyond as f32 * self.per_frame).min(self.most),
        }
    }
}

/// Builds a [`Chain`] from HMMs, fillers and connections.
#[derive(Debug, Default, Clone)]
pub(crate) struct ChainBuilder {
    states: Vec<State>,
    segments: Vec<Segment>,
    arcs: Vec<(u32, u32, f32)>,
    initial: Vec<(u32, f32)>,
    finals: Vec<(u32, f32)>,
}

impl ChainBuilder {
    /// An empty builder.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    fn segment(&mut self, segment: Segment) -> u32 {
        self.segments.push(segment);
        (self.segments.len() - 1) as u32
    }

    /// Appends a 3-state HMM emitting `senones` with transitions `t`.
    pub(crate) fn add_hmm(
        &mut self,
        senones: [u32; 3],
        t: &HmmTransitions,
        segment: Segment,
    ) -> Node {
        let seg = self.segment(segment);
        let first = self.states.len() as u32;
        for s in senones {
            self.states.push(State {
                emission: Emission::Senone(s),
                segment: seg,
            });
        }
        for i in 0..3u32 {
            self.arcs.push((first + i, first + i, t.stay[i as usize]));
        }
        self.arcs.push((first, first + 1, t.next[0]));
        self.arcs.push((first + 1, first + 2, t.next[1]));
        self.arcs.push((first, first + 2, t.skip[0]));
        Node {
            entry: first,
            exits: vec![(first + 2, t.next[2]), (first + 1, t.skip[1])],
        }
    }

    /// Appends a one-state phone loop (a free end) that costs `penalty` (> 0, natural log) a
    /// frame: one on entering, one on each further frame.
    pub(crate) fn add_filler(&mut self, penalty: f32) -> Node {
        let seg = self.segment(Segment {
            word: None,
            variant: 0,
            phone: FILLER,
        });
        let s = self.states.len() as u32;
        self.states.push(State {
            emission: Emission::Loop,
            segment: seg,
        });
        self.arcs.push((s, s, -penalty));
        Node {
            entry: s,
            exits: vec![(s, 0.0)],
        }
    }

    /// Arcs from every exit of `from` into `to`'s entry, each with `logp` added.
    pub(crate) fn connect(&mut self, from: &Node, to: &Node, logp: f32) {
        for &(s, p) in &from.exits {
            self.arcs.push((s, to.entry, p + logp));
        }
    }

    /// Chains `nodes` one after another into a single node.
    pub(crate) fn sequence(&mut self, nodes: &[Node]) -> Option<Node> {
        for pair in nodes.windows(2) {
            self.connect(&pair[0], &pair[1], 0.0);
        }
        Some(Node {
            entry: nodes.first()?.entry,
            exits: nodes.last()?.exits.clone(),
        })
    }

    /// The path may start at `node`'s entry with log-probability `logp`.
    pub(crate) fn start_at(&mut self, node: &Node, logp: f32) {
        self.initial.push((node.entry, logp));
    }

    /// The path may end after `node` with log-probability `logp` added to its exits.
    pub(crate) fn end_after(&mut self, node: &Node, logp: f32) {
        self.finals
            .extend(node.exits.iter().map(|&(s, p)| (s, p + logp)));
    }

    /// Compiles the chain. Fails when an arc goes backwards, a state has more than 255
    /// incoming arcs, or there is no start or end.
    pub(crate) fn build(self) -> Result<Chain> {
        let n = self.states.len();
        let mut arcs: Vec<(u32, u32, f32)> = self
            .arcs
            .into_iter()
            .filter(|a| a.2 > f32::NEG_INFINITY)
            .collect();
        if let Some(a) = arcs.iter().find(|a| a.0 > a.1 || a.1 as usize >= n) {
            return Err(Error::Invalid(format!(
                "state chain has an arc {} → {} that goes backwards or nowhere",
                a.0, a.1
            )));
        }
        if self.initial.is_empty() || self.finals.is_empty() {
            return Err(Error::Invalid("state chain has no start or no end".into()));
        }
        arcs.sort_by_key(|a| (a.1, a.0));
        let live = |v: &(u32, f32)| v.1 > f32::NEG_INFINITY;
        let initial: Vec<(u32, f32)> = self.initial.into_iter().filter(live).collect();
        let finals: Vec<(u32, f32)> = self.finals.into_iter().filter(live).collect();
        if initial.is_empty() || finals.is_empty() {
            return Err(Error::Invalid("state chain has no start or no end".into()));
        }
        let mut in_start = vec![0u32; n + 1];
        for a in &arcs {
            in_start[a.1 as usize + 1] += 1;
        }
        if in_start.iter().any(|&c| c > 255) {
            return Err(Error::Invalid(
                "state chain has a state with more than 255 incoming arcs".into(),
            ));
        }
        for i in 0..n {
            in_start[i + 1] += in_start[i];
        }
        let max_span = arcs.iter().map(|a| a.1 - a.0).max().unwrap_or(0);
        let mut chain = Chain {
            in_from: arcs.iter().map(|a| a.0).collect(),
            in_logp: arcs.iter().map(|a| a.2).collect(),
            states: self.states,
            segments: self.segments,
            in_start,
            initial,
            finals,
            max_span,
            min_frames: 0,
            frames_to_end: Vec::new(),
            turn_openers: Vec::new(),
            entry_pull_of: Vec::new(),
            entry_pulls: Vec::new(),
            entry_deadline: Vec::new(),
            hold_frames: Vec::new(),
            hold_cost: 0.0,
        };
        chain.frames_to_end = chain.frames_to_end();
        chain.min_frames = chain.shortest_path();
        Ok(chain)
    }
}

/// Phone name of a free end.
pub(crate) const FILLER: &str = "+FILLER+";

/// How long a phone can be held: a vowel (`YUCK!`, a drawn-out `the`), a nasal, liquid or
/// glide (`thennn`), or one of the other consonants, whose closures, bursts and hisses
/// last a fraction of a second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hold {
    Vowel,
    Sonorant,
    Obstruent,
}

impl Hold {
    /// The class of `phone` (the model's phone set, as `AH` or `NG`).
    fn of(phone: &str) -> Hold {
        match phone {
            _ if pronounce::is_vowel(phone) => Hold::Vowel,
            "M" | "N" | "NG" | "L" | "R" | "W" | "Y" => Hold::Sonorant,
            _ => Hold::Obstruent,
        }
    }
}

impl Chain {
    fn incoming(&self, s: usize) -> Range<usize> {
        self.in_start[s] as usize..self.in_start[s + 1] as usize
    }

    /// Per state, frames on the shortest path from it to an end (itself included, self-loops
    /// not counted); `u32::MAX` when no end can be reached.
    fn frames_to_end(&self) -> Vec<u32> {
        let n = self.states.len();
        let mut to_end = vec![u32::MAX; n];
        for &(s, _) in &self.finals {
            to_end[s as usize] = 1;
        }
        // Arcs go forward, so a state has its value once every later state has passed theirs on.
        for s in (0..n).rev() {
            if to_end[s] == u32::MAX {
                continue;
            }
            for a in self.incoming(s) {
                let from = self.in_from[a] as usize;
                if from != s {
                    to_end[from] = to_end[from].min(to_end[s] + 1);
                }
            }
        }
        to_end
    }

    /// Makes entering word `word` (the caller's index; every variant, from a pause or another
    /// word, or at the first frame) cost as `pull` says.
    pub(crate) fn pull_entry(&mut self, word: usize, pull: EntryPull) {
        let word_of = |s: usize| self.segments[self.states[s].segment as usize].word;
        let entries: Vec<usize> = (0..self.states.len())
            .filter(|&s| {
                word_of(s) == Some(word)
                    && (self.initial.iter().any(|&(i, _)| i as usize == s)
                        || self
                            .incoming(s)
                            .any(|a| word_of(self.in_from[a] as usize) != Some(word)))
            })
            .collect();
        if entries.is_empty() {
            return;
        }
        if self.entry_pull_of.is_empty() {
            self.entry_pull_of = vec![u32::MAX; self.states.len()];
        }
        // States before the word's first (in topological order) are on paths still to
        // enter it: every word of the chain is on every path.
        if pull.per_frame == f32::INFINITY {
            if self.entry_deadline.is_empty() {
                self.entry_deadline = vec![u32::MAX; self.states.len()];
            }
            let last = (pull.frame + pull.free).min(u32::MAX as usize - 1) as u32;
            let first = entries.iter().copied().min().unwrap_or(0);
            for d in &mut self.entry_deadline[..first] {
                *d = (*d).min(last);
            }
        }
        for s in entries {
            self.entry_pull_of[s] = self.entry_pulls.len() as u32;
        }
        self.entry_pulls.push(pull);
    }

    /// What entering state `s` at `frame` costs (≥ 0).
    fn entry_cost(&self, s: usize, frame: usize) -> f32 {
        match self.entry_pull_of.get(s) {
            Some(&k) if k != u32::MAX => self.entry_pulls[k as usize].cost(frame),
            _ => 0.0,
        }
    }

    /// Makes every frame that a word's phone is held beyond its class's limit cost
    /// `limits.cost` (natural log). A consonant's closure or hiss reads like a pause, so in
    /// a room's echo a stop could take a second of the tail, and the next turn's opening
    /// with it; vowels, nasals and liquids may be drawn out and get longer limits or none.
    pub(crate) fn limit_holds(&mut self, limits: HoldLimits) {
        if limits.cost <= 0.0 {
            return;
        }
        let most = |frames: u16| if frames == 0 { u16::MAX } else { frames };
        let frames: Vec<u16> = self
            .states
            .iter()
            .map(|st| {
                let segment = &self.segments[st.segment as usize];
                match segment.word.map(|_| Hold::of(segment.phone)) {
                    Some(Hold::Obstruent) => most(limits.obstruent_frames),
                    Some(Hold::Sonorant) => most(limits.sonorant_frames),
                    Some(Hold::Vowel) => most(limits.vowel_frames),
                    None => u16::MAX,
                }
            })
            .collect();
        if frames.iter().any(|&f| f != u16::MAX) {
            self.hold_frames = frames;
            self.hold_cost = limits.cost;
        }
    }

    /// What holding state `s`'s phone one more frame costs after `held` frames in it.
    fn hold_cost_after(&self, s: usize, held: u16) -> f32 {
        match self.hold_frames.get(s) {
            Some(&most) if held >= most => self.hold_cost,
            _ => 0.0,
        }
    }

    /// Frames on the shortest path from a start to an end (states, not counting self-loops):
    /// the fewest [`Chain::frames_to_end`] of a start state.
    fn shortest_path(&self) -> usize {
        self.initial
            .iter()
            .map(|&(s, _)| self.frames_to_end[s as usize])
            .min()
            .filter(|&f| f != u32::MAX)
            .map_or(usize::MAX, |f| f as usize)
    }
}

/// Settings of the search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForcedConfig {
    /// States more than this far (natural log) below the frame's best are dropped. Default
    /// 500: wide enough that pruning never changes the result on clean speech, narrow enough
    /// that the band stays a few phones wide.
    pub beam: f32,
    /// What a frame of free end (filler) costs against the phone loop, natural log. Default
    /// 3.0: words that fit worse than the unconstrained loop by more than this a frame are
    /// left to the filler.
    pub filler_penalty: f32,
    /// Log-probability of an optional silence between words. Default ln 0.005 (Sphinx's
    /// `-silprob`): a real pause pays it once and wins back as many frames as it lasts,
    /// while a few frames of weak onset or closure no longer pass for one.
    pub silence_logp: f32,
    /// What the search does when its beam loses every complete path. Default
    /// [`BeamLoss::SearchAgain`].
    pub on_beam_loss: BeamLoss,
    /// How long a word's phones may be held before each further frame costs (a room's echo
    /// read as a stop's closure held for a second).
    pub hold_limits: HoldLimits,
    /// The beam [`BeamLoss::SearchAgain`] tries first, among the paths that can still
    /// finish, before it searches without one. Default 5000: ten times the beam, so the
    /// best path is pruned only where it falls that far below the best path that can
    /// finish; on the evaluation set every word kept the full search's times, and
    /// `nostamps` took a sixth less CPU (docs/speed.md, session 25). `f32::INFINITY` goes
    /// straight to the search without a beam.
    pub retry_beam: f32,
}

/// What the search does when its beam loses every complete path: the words fit worse than
/// the free start for longer than the beam allows, or a path that cannot reach the end in
/// the frames left fits better than every one that can.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BeamLoss {
    /// Search again, keeping only the paths that can still finish: with the wide
    /// [`ForcedConfig::retry_beam`] first, then without a beam (both within
    /// [`FULL_SEARCH_CELLS`]): the best alignment, slowly on a long window. `align`'s
    /// turns are placed by their words' best fit.
    SearchAgain,
    /// Keep in the beam only the paths that can still reach the end, measured against each
    /// other, and take the best of them (a full search only when even they all fall out):
    /// a near-best alignment in one pass. The sync asks where a cue is heard in windows
    /// most of which do not hold it, and such searches were most of its CPU (docs/sync.md,
    /// session 19); on `align` the path kept could be seconds from the best (a festival
    /// turn's end 28 s late), so `align` searches again.
    KeepFinishers,
}

impl Default for ForcedConfig {
    fn default() -> Self {
        ForcedConfig {
            beam: 500.0,
            filler_penalty: 3.0,
            silence_logp: 0.005f32.ln(),
            on_beam_loss: BeamLoss::SearchAgain,
            hold_limits: HoldLimits::default(),
            retry_beam: 5000.0,
        }
    }
}

/// The frames a word's phone may be held, per class, before each further frame costs `cost`
/// (natural log); 0 frames sets no limit for the class.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HoldLimits {
    /// Stops, affricates and fricatives. Default 15 (0.15 s).
    pub obstruent_frames: u16,
    /// Nasals, liquids and glides. Default 0 (no limit).
    pub sonorant_frames: u16,
    /// Vowels. Default 60 (0.6 s).
    pub vowel_frames: u16,
    /// Cost of each frame beyond a limit. Default 3: the limits were chosen on the
    /// Drascula scenes, dry and in two reverberant rooms (docs/accuracy.md, session 34).
    pub cost: f32,
}

impl Default for HoldLimits {
    fn default() -> Self {
        HoldLimits {
            obstruent_frames: 15,
            sonorant_frames: 0,
            vowel_frames: 60,
            cost: 3.0,
        }
    }
}

/// Where a phone sits: absolute frames `start..end` (10 ms each).
#[derive(Debug, Clone, PartialEq)]
pub struct PhoneSpan {
    /// Phone name (`AH`, `SIL`, …), shared: a long recording holds a quarter of a million
    /// phones, and a copy of each name cost 13 MB of peak RSS at 10.5 h (docs/speed.md).
    pub phone: Phone,
    /// First frame.
    pub start: usize,
    /// One past the last frame.
    pub end: usize,
}

/// Where a word sits and how well it fits.
#[derive(Debug, Clone, PartialEq)]
pub struct WordSpan {
    /// Index into the caller's word list.
    pub word: usize,
    /// Pronunciation variant chosen.
    pub variant: usize,
    /// First frame.
    pub start: usize,
    /// One past the last frame.
    pub end: usize,
    /// The word's phones in order.
    pub phones: Vec<PhoneSpan>,
    /// Sum of the word's frames' emission scores on the forced path (natural log).
    pub log_likelihood: f64,
    /// Sum of the phone loop's scores over the same frames.
    pub loop_log_likelihood: f64,
    /// How well the word's start sits where the path put it ([`edge_fits`]).
    pub edge: EdgeFit,
}

/// The fit at a word's start, where a misplaced start shows: the path's emissions against the
/// phone loop's, per frame, over [`EDGE_FIT_FRAMES`] each side of the start.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct EdgeFit {
    /// Over the word's first frames: a start placed too early or too late puts frames of
    /// something else there, which fit the word's first phone poorly.
    pub onset: f32,
    /// Over the pause frames just before the word (silence against the phone loop; 0 over a
    /// free end, which the phone loop itself fills); `None` when the word follows a word
    /// directly. Speech a pause swallowed (an onset masked by noise) fits silence poorly.
    pub pause: Option<f32>,
}

/// Frames each side of a word's start that [`EdgeFit`] reads: 40 ms, a closure's or a
/// masked onset's length (as [`CLOSURE_FRAMES`]).
pub const EDGE_FIT_FRAMES: usize = 4;

impl WordSpan {
    /// Goodness of pronunciation: mean per-frame (forced − phone loop) log-likelihood.
    pub fn goodness(&self) -> f32 {
        ((self.log_likelihood - self.loop_log_likelihood) / (self.end - self.start).max(1) as f64)
            as f32
    }
}

/// The forced alignment of one turn.
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    /// The words in order (words the chain skipped are absent).
    pub words: Vec<WordSpan>,
    /// Silences between words, and the free ends (`+FILLER+`), in order.
    pub pauses: Vec<PhoneSpan>,
    /// Score of the whole path, transitions included (natural log).
    pub log_likelihood: f64,
    /// Back-pointer cells the search kept (frames × band): its memory in bytes.
    pub cells: usize,
}

impl Alignment {
    /// Goodness of pronunciation of the turn: mean per-frame (forced − phone loop)
    /// log-likelihood over all its words' frames; `None` when no word was aligned.
    pub fn goodness(&self) -> Option<f32> {
        let frames: usize = self.words.iter().map(|w| w.end - w.start).sum();
        let diff: f64 = self
            .words
            .iter()
            .map(|w| w.log_likelihood - w.loop_log_likelihood)
            .sum();
        (frames > 0).then(|| (diff / frames as f64) as f32)
    }

    /// First word frame and one past the last (`None` without words).
    pub fn speech(&self) -> Option<Range<usize>> {
        Some(self.words.first()?.start..self.words.last()?.end)
    }
}

fn emit(scores: &impl FrameScores, frame: usize, e: Emission) -> f32 {
    match e {
        Emission::Senone(s) => scores.senone(frame, s),
        Emission::Loop => scores.phone_loop(frame),
    }
}

/// Aligns frames `frames` (absolute indices into `scores`) onto `chain`: the best path from a
/// start state at the first frame to an end state at the last.
///
/// Fails when the window is shorter than the chain's shortest path (text longer than the
/// audio). When the beam loses every complete path (words the audio does not contain), the
/// search goes on as [`ForcedConfig::on_beam_loss`] says, at worst without a beam if
/// frames × states stays under [`FULL_SEARCH_CELLS`]: the caller gets the least bad
/// alignment and its low goodness rather than nothing.
pub(crate) fn viterbi(
    chain: &Chain,
    scores: &mut impl FrameScores,
    frames: Range<usize>,
    config: &ForcedConfig,
) -> Result<Alignment> {
    best_path(chain, scores, frames, config).map(|path| path.read(chain))
}

/// [`viterbi`]'s path, before it is read as words.
fn best_path(
    chain: &Chain,
    scores: &mut impl FrameScores,
    frames: Range<usize>,
    config: &ForcedConfig,
) -> Result<Path> {
    let finishers_only = config.on_beam_loss == BeamLoss::KeepFinishers;
    match search(chain, scores, frames.clone(), config.beam, finishers_only) {
        Err(e)
            if config.beam.is_finite()
                && frames.len().saturating_mul(chain.states.len()) <= FULL_SEARCH_CELLS =>
        {
            // The wide beam's band can hold most of the chain: the path's senones are
            // scored again after it rather than every cell's kept.
            let retry = (!finishers_only && config.retry_beam.is_finite()).then(|| {
                search_with(
                    chain,
                    scores,
                    frames.clone(),
                    config.retry_beam,
                    0,
                    true,
                    None,
                )
            });
            match retry {
                Some(Ok(path)) => Ok(path),
                _ => search(chain, scores, frames, f32::INFINITY, true),
            }
            .map_err(|_| e)
        }
        result => result,
    }
}

/// [`viterbi`] in two passes: a search on `coarse` scores (cheap, e.g. the Gaussians at
/// every other frame), then again on the scores `fine` makes from `coarse` (every frame) in
/// a band of the states the first path holds within `reach` frames of each frame (`reach`
/// gives them per frame of the window from the first path's alignment, or `None` to keep
/// that alignment as it is). The second pass decides the boundaries at full resolution
/// where the first one could only see pairs of frames; the band keeps it cheap: a few
/// codebooks a frame. When the second pass finds no path, the first one stands.
///
/// Fails when the first pass loses its beam: it does not search again without one, as
/// [`viterbi`] does, since such a search costs as much on coarse scores as on exact ones,
/// and its words fit poorly (they are not all in the window), which the caller checks
/// with exact scores anyway (on `nostamps`, docs/speed.md, session 25).
pub(crate) fn viterbi_refined<C: FrameScores, F: FrameScores>(
    chain: &Chain,
    coarse: &mut C,
    fine: impl FnOnce(&C) -> F,
    frames: Range<usize>,
    config: &ForcedConfig,
    reach: impl FnOnce(&Alignment) -> Option<Vec<usize>>,
) -> Result<Alignment> {
    let finishers_only = config.on_beam_loss == BeamLoss::KeepFinishers;
    let first = search(chain, coarse, frames.clone(), config.beam, finishers_only)?;
    let first_alignment = first.read(chain);
    let Some(reach) = reach(&first_alignment) else {
        return Ok(first_alignment);
    };
    let mut band = band_around(&first.states, &reach);
    let n = chain.states.len() as u32;
    for b in &mut band {
        *b = b.start.saturating_sub(BAND_MARGIN_STATES)..(b.end + BAND_MARGIN_STATES).min(n);
    }
    let second = search_with(
        chain,
        &mut fine(coarse),
        frames,
        config.beam,
        RESCORE_FROM_CELLS,
        finishers_only,
        Some(&band),
    );
    Ok(match second {
        Ok(second) => second.read(chain),
        Err(_) => first_alignment,
    })
}

/// States [`viterbi_refined`]'s band reaches beyond the first path's, on each side: a
/// phone's worth, so that a word the first path put a pause away from its place (0.2-0.5 s
/// on clean Festival speech) can come back through the silence between (docs/speed.md,
/// session 24).
const BAND_MARGIN_STATES: u32 = 3;

/// Per frame `i` of `path`, the states it holds from `reach[i]` frames before to `reach[i]`
/// frames after (states are in topological order, so a path's states never decrease).
fn band_around(path: &[(u32, f32)], reach: &[usize]) -> Vec<Range<u32>> {
    let last = path.len().saturating_sub(1);
    (0..path.len())
        .map(|i| {
            let r = reach[i];
            path[i.saturating_sub(r)].0..path[(i + r).min(last)].0 + 1
        })
        .collect()
}

/// A search's best path: per frame its state and what the state emitted, the phone loop's
/// score per frame, the path's score with transitions, and the back-pointer cells kept.
struct Path {
    states: Vec<(u32, f32)>,
    phone_loop: Vec<f32>,
    t0: usize,
    total: f64,
    cells: usize,
}

impl Path {
    fn read(&self, chain: &Chain) -> Alignment {
        read_path(chain, self)
    }
}

/// Largest frames × states searched without a beam when the beam loses every path (bytes of
/// back-pointers).
pub(crate) const FULL_SEARCH_CELLS: usize = 64 << 20;

/// A search without a beam over more cells than this scores its path again rather than keep
/// every cell's emission (32 MB of them here).
pub(crate) const RESCORE_FROM_CELLS: usize = 8 << 20;

/// The best path within `beam` of the frame's best state; with `finishers_only`, states with
/// fewer frames left than they need to reach the end are dropped as they are reached (so they
/// no longer set the best). Without a beam that drops only states on no complete path: the
/// same alignment, fewer emissions read.
fn search(
    chain: &Chain,
    scores: &mut impl FrameScores,
    frames: Range<usize>,
    beam: f32,
    finishers_only: bool,
) -> Result<Path> {
    search_with(
        chain,
        scores,
        frames,
        beam,
        RESCORE_FROM_CELLS,
        finishers_only,
        None,
    )
}

/// [`search`], a search without a beam over more than `rescore_from` cells scoring its path
/// again (every search when `rescore_from` is 0, with a beam too); with `band`, frame
/// `frames.start + i` keeps to the states `band[i]`.
fn search_with(
    chain: &Chain,
    scores: &mut impl FrameScores,
    frames: Range<usize>,
    beam: f32,
    rescore_from: usize,
    finishers_only: bool,
    band: Option<&[Range<u32>]>,
) -> Result<Path> {
    let n_frames = frames.len();
    let n = chain.states.len();
    if n_frames < chain.min_frames {
        return Err(Error::Invalid(format!(
            "the words need at least {} frames ({:.2} s) but the window has {} ({:.2} s): \
             the text is longer than its audio",
            chain.min_frames,
            frames_to_seconds(chain.min_frames),
            n_frames,
            frames_to_seconds(n_frames)
        )));
    }
    // Band per frame: states lo..hi that survived the beam, their back-pointers (index of
    // the best incoming arc) at bp[offset..offset + hi - lo] and what they emitted at
    // emitted[offset..offset + hi - lo] (the path's scores, read back without the scorer).
    let mut bands: Vec<(u32, u32, usize)> = Vec::with_capacity(n_frames);
    let mut bp: Vec<u8> = Vec::new();
    let mut emitted: Vec<f32> = Vec::new();
    let mut frame_bp: Vec<u8> = Vec::new();
    let mut frame_emitted: Vec<f32> = Vec::new();
    let mut prev = vec![f32::NEG_INFINITY; n];
    let mut cur = vec![f32::NEG_INFINITY; n];
    // Per state, frames the best path into it has spent in its phone (only with limits).
    // A hold's cost follows that best path alone: a path that entered the phone later, and
    // lost to it there, is not kept, though it might have held on more cheaply after. The
    // usual approximation of durations inside a Viterbi search, which keeps one path a state.
    let holding = !chain.hold_frames.is_empty();
    let mut prev_held = vec![1u16; if holding { n } else { 0 }];
    let mut cur_held = prev_held.clone();
    let (mut lo, mut hi) = (u32::MAX, 0u32);
    let t0 = frames.start;
    // Each state's senone, `u32::MAX` for the phone loop (for `FrameScores::need`).
    let senones: Vec<u32> = chain
        .states
        .iter()
        .map(|st| match st.emission {
            Emission::Senone(s) => s,
            Emission::Loop => u32::MAX,
        })
        .collect();
    // The states frame `t` may hold.
    let allowed = |t: usize| band.map_or(0..n as u32, |b| b[t - t0].clone());
    let initial: Vec<(u32, f32)> = chain
        .initial
        .iter()
        .copied()
        .filter(|(s, _)| allowed(t0).contains(s))
        .collect();
    scores.prepare(t0);
    for &(s, _) in &initial {
        lo = lo.min(s);
        hi = hi.max(s + 1);
    }
    scores.need(t0, &senones[lo.min(hi) as usize..hi as usize]);
    // Without a beam every state reached is kept: frame t's band is lo..min(hi + t · max_span,
    // n), so the back-pointers' size is known before the search. Reserved once, not grown by
    // doubling: a full search holds up to FULL_SEARCH_CELLS of them, and doubling kept up to
    // twice that, and both copies while it grew (docs/sync.md, session 18).
    let full_cells = (!beam.is_finite() && band.is_none() && lo < hi).then(|| {
        (0..n_frames)
            .map(|t| (hi as usize + t * chain.max_span as usize).min(n) - lo as usize)
            .sum::<usize>()
    });
    if let Some(cells) = full_cells {
        bp.reserve_exact(cells);
    }
    // A large search without a beam keeps no emissions: its band is every state reached (up
    // to FULL_SEARCH_CELLS cells, 4 bytes each), so the path's senones are scored again after
    // it, one a frame (the same values; docs/sync.md, session 18). A small one keeps them:
    // scoring again costs per frame, the emissions per cell.
    let keep_emitted = rescore_from > 0 && full_cells.is_none_or(|cells| cells <= rescore_from);
    if let Some(cells) = full_cells.filter(|_| keep_emitted) {
        emitted.reserve_exact(cells);
    }
    bp.resize(hi.saturating_sub(lo) as usize, u8::MAX);
    if keep_emitted {
        emitted.resize(bp.len(), f32::NEG_INFINITY);
    }
    for &(s, p) in &initial {
        let e = emit(scores, t0, chain.states[s as usize].emission);
        if keep_emitted {
            emitted[(s - lo) as usize] = e;
        }
        let v = p + e - chain.entry_cost(s as usize, t0);
        if v > prev[s as usize] {
            prev[s as usize] = v;
        }
    }
    bands.push((lo, hi, 0));
    let mut phone_loop = Vec::with_capacity(n_frames);
    phone_loop.push(scores.phone_loop(t0));
    for t in frames.clone().skip(1) {
        // States that need more frames than are left are on no complete path.
        let too_late = |s: usize| {
            (finishers_only && chain.frames_to_end[s] > (frames.end - t) as u32)
                || chain.entry_deadline.get(s).is_some_and(|&d| t > d as usize)
        };
        scores.prepare(t);
        // The states this frame may reach: lo_t..new_hi (the previous band is lo..hi).
        let reach = allowed(t);
        let new_hi = (hi + chain.max_span).min(reach.end);
        let lo_t = lo.max(reach.start).min(new_hi);
        scores.need(t, &senones[lo_t as usize..new_hi as usize]);
        phone_loop.push(scores.phone_loop(t));
        frame_bp.clear();
        frame_bp.resize((new_hi - lo_t) as usize, u8::MAX);
        frame_emitted.clear();
        frame_emitted.resize((new_hi - lo_t) as usize, f32::NEG_INFINITY);
        let mut best = f32::NEG_INFINITY;
        for s in lo_t..new_hi {
            let su = s as usize;
            let mut best_in = f32::NEG_INFINITY;
            let mut best_arc = u8::MAX;
            let entry = chain.entry_cost(su, t);
            let mut best_held = 1u16;
            for (k, a) in chain.incoming(su).enumerate() {
                let from = chain.in_from[a];
                if from < lo || from >= hi {
                    continue;
                }
                let mut v =
                    prev[from as usize] + chain.in_logp[a] - if from == s { 0.0 } else { entry };
                let same_phone =
                    holding && chain.states[from as usize].segment == chain.states[su].segment;
                if same_phone {
                    v -= chain.hold_cost_after(su, prev_held[from as usize]);
                }
                if v > best_in {
                    best_in = v;
                    best_arc = k as u8;
                    best_held = if same_phone {
                        prev_held[from as usize].saturating_add(1)
                    } else {
                        1
                    };
                }
            }
            if best_in > f32::NEG_INFINITY && !too_late(su) {
                let e = emit(scores, t, chain.states[su].emission);
                let v = best_in + e;
                cur[su] = v;
                if holding {
                    cur_held[su] = best_held;
                }
                frame_bp[(s - lo_t) as usize] = best_arc;
                frame_emitted[(s - lo_t) as usize] = e;
                best = best.max(v);
            } else {
                cur[su] = f32::NEG_INFINITY;
            }
        }
        for s in lo..hi {
            prev[s as usize] = f32::NEG_INFINITY;
        }
        if best == f32::NEG_INFINITY {
            return Err(Error::Invalid(
                "no path through the words survives the search; the audio may not contain them"
                    .into(),
            ));
        }
        // Prune to the band within the beam; only its back-pointers can be on the best path.
        let floor = best - beam;
        let keep = |s: &u32| cur[*s as usize] >= floor;
        let new_lo = (lo_t..new_hi).find(keep).unwrap_or(lo_t);
        let new_top = (lo_t..new_hi).rev().find(keep).unwrap_or(new_lo) + 1;
        for s in (lo_t..new_lo).chain(new_top..new_hi) {
            cur[s as usize] = f32::NEG_INFINITY;
        }
        let offset = bp.len();
        let kept = (new_lo - lo_t) as usize..(new_top - lo_t) as usize;
        bp.extend_from_slice(&frame_bp[kept.clone()]);
        if keep_emitted {
            emitted.extend_from_slice(&frame_emitted[kept]);
        }
        bands.push((new_lo, new_top, offset));
        lo = new_lo;
        hi = new_top;
        std::mem::swap(&mut prev, &mut cur);
        std::mem::swap(&mut prev_held, &mut cur_held);
    }
    // Best end state at the last frame.
    let (mut state, total) = chain
        .finals
        .iter()
        .filter(|&&(s, _)| s >= lo && s < hi)
        .map(|&(s, p)| (s, prev[s as usize] + p))
        .filter(|v| v.1 > f32::NEG_INFINITY)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .ok_or_else(|| {
            Error::Invalid(
                "the words could not be fitted into the window (no path reaches the end); \
                 the audio may not contain them"
                    .into(),
            )
        })?;
    // Trace back: one state per frame, and what it emitted.
    let mut path = vec![(0u32, 0f32); n_frames];
    for i in (0..n_frames).rev() {
        let (b_lo, b_hi, offset) = bands[i];
        debug_assert!(state >= b_lo && state < b_hi);
        let cell = offset + (state - b_lo) as usize;
        path[i] = (state, if keep_emitted { emitted[cell] } else { 0.0 });
        if i == 0 {
            break;
        }
        let arc = chain.in_start[state as usize] as usize + bp[cell] as usize;
        state = chain.in_from[arc];
    }
    debug_assert!(full_cells.is_none_or(|cells| cells == bp.len()));
    if !keep_emitted {
        // The path's emissions, frame by frame from the first (a repeated pass, as
        // `FrameScores` allows): its senones scored again, the phone loop's as the search
        // read it.
        for (i, (state, e)) in path.iter_mut().enumerate() {
            let t = t0 + i;
            scores.prepare(t);
            *e = match chain.states[*state as usize].emission {
                Emission::Senone(s) => {
                    scores.need(t, &[s]);
                    scores.senone(t, s)
                }
                Emission::Loop => {
                    scores.need(t, &[u32::MAX]);
                    phone_loop[i]
                }
            };
        }
    }
    Ok(Path {
        states: path,
        phone_loop,
        t0,
        total: total as f64,
        cells: bp.len(),
    })
}

/// Turns a searched path (per frame its state, that state's emission score and the phone
/// loop's score) into words, phones and pauses with their scores.
fn read_path(chain: &Chain, searched: &Path) -> Alignment {
    let (path, phone_loop, t0) = (&searched.states, &searched.phone_loop, searched.t0);
    // The emissions' and the phone loop's sums over path frames `frames`.
    let sums = |frames: Range<usize>| {
        let forced: f64 = path[frames.clone()].iter().map(|&(_, e)| e as f64).sum();
        let looped: f64 = phone_loop[frames].iter().map(|&v| v as f64).sum();
        (forced, looped)
    };
    let mut words: Vec<WordSpan> = Vec::new();
    let mut pauses: Vec<PhoneSpan> = Vec::new();
    // The last pause's emission and phone-loop sums, in case the next word claims it.
    let mut pause_scores = (0f64, 0f64);
    let mut i = 0;
    while i < path.len() {
        let seg_id = chain.states[path[i].0 as usize].segment;
        let mut j = i;
        while j < path.len() && chain.states[path[j].0 as usize].segment == seg_id {
            j += 1;
        }
        let (forced, looped) = sums(i..j);
        let seg = &chain.segments[seg_id as usize];
        let span = PhoneSpan {
            phone: seg.phone,
            start: t0 + i,
            end: t0 + j,
        };
        match seg.word {
            Some(w)
                if words
                    .last()
                    .is_some_and(|l| l.word == w && l.end == span.start) =>
            {
                let last = words.last_mut().expect("checked");
                last.end = span.end;
                last.log_likelihood += forced;
                last.loop_log_likelihood += looped;
                last.phones.push(span);
            }
            Some(w) => {
                let mut word = WordSpan {
                    word: w,
                    variant: seg.variant,
                    start: span.start,
                    end: span.end,
                    phones: vec![span],
                    log_likelihood: forced,
                    loop_log_likelihood: looped,
                    edge: EdgeFit::default(),
                };
                match quiet_onset(&word.phones[0], pauses.last()) {
                    Some(Onset::WholePause) if !words.is_empty() => {
                        let onset = pauses.pop().expect("checked");
                        word.start = onset.start;
                        word.phones[0].start = onset.start;
                        word.log_likelihood += pause_scores.0;
                        word.loop_log_likelihood += pause_scores.1;
                    }
                    Some(Onset::PauseTail)
                        if !words.is_empty() && !chain.turn_openers.contains(&w) =>
                    {
                        let from = word.start - CLOSURE_FRAMES;
                        let (forced, looped) = sums(from - t0..word.start - t0);
                        word.log_likelihood += forced;
                        word.loop_log_likelihood += looped;
                        word.start = from;
                        word.phones[0].start = from;
                        pauses.last_mut().expect("checked").end = from;
                    }
                    _ => {}
                }
                words.push(word);
            }
            None => {
                pause_scores = (forced, looped);
                pauses.push(span);
            }
        }
        i = j;
    }
    for word in &mut words {
        word.edge = edge_fits(chain, searched, word.start);
    }
    Alignment {
        words,
        pauses,
        log_likelihood: searched.total,
        cells: searched.cells,
    }
}

/// The [`EdgeFit`] of a word that starts at frame `start` of `searched`'s path.
fn edge_fits(chain: &Chain, searched: &Path, start: usize) -> EdgeFit {
    let (path, phone_loop) = (&searched.states, &searched.phone_loop);
    let fit = |f: usize| path[f].1 - phone_loop[f];
    let in_pause = |f: &usize| {
        let segment = chain.states[path[*f].0 as usize].segment;
        chain.segments[segment as usize].word.is_none()
    };
    fn mean(values: impl Iterator<Item = f32>) -> Option<f32> {
        let (sum, n) = values.fold((0f32, 0usize), |(sum, n), v| (sum + v, n + 1));
        (n > 0).then(|| sum / n as f32)
    }
    let at = start - searched.t0;
    let onset = at..(at + EDGE_FIT_FRAMES).min(path.len());
    let before = at.saturating_sub(EDGE_FIT_FRAMES)..at;
    EdgeFit {
        onset: mean(onset.map(fit)).unwrap_or(0.0),
        pause: mean(before.filter(in_pause).map(fit)),
    }
}

/// Phones whose onset can pass for silence: a stop's (or an affricate's) closure, the
/// silent hold before its burst; and the voiceless fricatives, weak, with most of their
/// energy above 4 kHz, which a telephone line cuts and noise covers.
const QUIET_ONSET_PHONES: [&str; 12] = [
    "P", "T", "K", "B", "D", "G", "CH", "JH", "S", "SH", "F", "TH",
];

/// The longest silence between two words that is read as the next word's quiet onset
/// (80 ms: voiceless closures run 50–100 ms).
const QUIET_ONSET_FRAMES: usize = 8;

/// What a word with a quiet onset takes of a longer silence before it: its tail, 40 ms, a
/// closure's or a masked onset's usual length (chosen on Festival's English and Czech
/// voices, clean, at 20 and 10 dB and telephone-band: docs/accuracy.md, session 16).
const CLOSURE_FRAMES: usize = 4;

/// How much of the silence before it a word takes as its first phone's onset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Onset {
    /// A silence this short between two words is no pause: all of it.
    WholePause,
    /// A pause inside a turn: its last [`CLOSURE_FRAMES`]. (Not before a turn's first word:
    /// turn starts are measured at the audible onset, and claiming there put them 30–40 ms
    /// earlier than the truth on every voice family, docs/accuracy.md, session 16.)
    PauseTail,
}

/// Whether a word takes (part of) the silence just before it as the onset of its first
/// phone.
///
/// Where noise fills a closure, or a telephone line takes a fricative's energy, the silence
/// model fits those frames better than the phone's first state, and the word would start
/// late, at its burst or its audible part. Annotators (and synthesisers' own segment times)
/// start such a word at its onset: after a short silence, at the silence's start; after a
/// pause, a closure's length before the burst.
fn quiet_onset(first: &PhoneSpan, before: Option<&PhoneSpan>) -> Option<Onset> {
    let pause = before?;
    if pause.phone != "SIL"
        || pause.end != first.start
        || !QUIET_ONSET_PHONES.contains(&first.phone)
    {
        return None;
    }
    let len = pause.end - pause.start;
    Some(if len <= QUIET_ONSET_FRAMES {
        Onset::WholePause
    } else {
        Onset::PauseTail
    })
}

/// One word of a turn as the chain builder needs it: its index in the caller's list and its
/// pronunciations, each a list of phones given as (name, senones, transitions) by the caller's
/// model lookup.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WordModel {
    /// Index into the caller's word list (kept in the output).
    pub word: usize,
    /// Per variant, per phone: the phone's name, its three senones and its transitions.
    pub variants: Vec<Vec<(Phone, [u32; 3], HmmTransitions)>>,
}

/// Builds a turn's chain: filler → words (variants in parallel, optional `silence` between)
/// → filler. Words with no variant are left out.
pub(crate) fn turn_chain(
    words: &[WordModel],
    silence: &([u32; 3], HmmTransitions),
    config: &ForcedConfig,
) -> Result<Chain> {
    let mut b = ChainBuilder::new();
    let lead = b.add_filler(config.filler_penalty);
    b.start_at(&lead, -config.filler_penalty);
    let mut previous: Vec<Node> = Vec::new();
    let words: Vec<&WordModel> = words.iter().filter(|w| !w.variants.is_empty()).collect();
    if words.is_empty() {
        return Err(Error::Invalid("the turn has no word to align".into()));
    }
    for (wi, w) in words.iter().enumerate() {
        // Optional silence before every word; before the first it sits between the free end
        // and the word, so a window's leading silence is silence, not a costly filler.
        let sil = b.add_hmm(
            silence.0,
            &silence.1,
            Segment {
                word: None,
                variant: 0,
                phone: "SIL",
            },
        );
        if wi == 0 {
            b.connect(&lead, &sil, 0.0);
            b.start_at(&sil, 0.0);
        }
        let sil = Some(sil);
        let mut nodes = Vec::new();
        for (vi, phones) in w.variants.iter().enumerate() {
            let hmms: Vec<Node> = phones
                .iter()
                .map(|(name, senones, t)| {
                    b.add_hmm(
                        *senones,
                        t,
                        Segment {
                            word: Some(w.word),
                            variant: vi,
                            phone: name,
                        },
                    )
                })
                .collect();
            let Some(node) = b.sequence(&hmms) else {
                continue;
            };
            if wi == 0 {
                b.connect(&lead, &node, 0.0);
                b.start_at(&node, 0.0);
            }
            for p in &previous {
                b.connect(p, &node, 0.0);
            }
            if let Some(sil) = &sil {
                b.connect(sil, &node, 0.0);
            }
            nodes.push(node);
        }
        if let Some(sil) = &sil {
            for p in &previous {
                b.connect(p, sil, config.silence_logp);
            }
        }
        previous = nodes;
    }
    // Optional silence after the last word, then the free end.
    let trail_sil = b.add_hmm(
        silence.0,
        &silence.1,
        Segment {
            word: None,
            variant: 0,
            phone: "SIL",
        },
    );
    let trail = b.add_filler(config.filler_penalty);
    for p in &previous {
        b.connect(p, &trail, -config.filler_penalty);
        b.connect(p, &trail_sil, 0.0);
        b.end_after(p, 0.0);
    }
    b.connect(&trail_sil, &trail, -config.filler_penalty);
    b.end_after(&trail_sil, 0.0);
    b.end_after(&trail, 0.0);
    let mut chain = b.build()?;
    chain.limit_holds(config.hold_limits);
    Ok(chain)
}

impl FrameScores for &SenoneScores {
    fn senone(&self, frame: usize, senone: u32) -> f32 {
        self.get(frame, SenoneId(senone))
    }
    fn phone_loop(&self, frame: usize) -> f32 {
        self.best_ci(frame)
    }
}

fn hmm_transitions(t: &Transitions) -> HmmTransitions {
    HmmTransitions {
        stay: t.stay,
        next: t.next,
        skip: t.skip,
    }
}

/// The model's HMMs for a turn's words: triphones chosen by word position, with the
/// neighbouring words' phones as cross-word context (their first pronunciation; silence at
/// the turn's edges). Returns the word models and a note per pronunciation dropped because
/// the model lacks one of its phones.
pub(crate) fn word_models(
    model: &AcousticModel,
    words: &[Option<Pronounced>],
) -> (Vec<WordModel>, Vec<String>) {
    let mut notes = Vec::new();
    // Per word, its variants as phone ids (only variants whose phones the model has).
    let ids: Vec<(usize, Vec<Vec<PhoneId>>)> = words
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let w = w.as_ref()?;
            let variants: Vec<Vec<PhoneId>> = w
                .variants
                .iter()
                .filter_map(|v| {
                    let ids: Option<Vec<PhoneId>> = v.iter().map(|p| model.ci_phone(p)).collect();
                    if ids.is_none() {
                        notes.push(format!(
                            "`{}`: pronunciation {} uses a phone the acoustic model lacks; dropped",
                            w.token,
                            v.join(" ")
                        ));
                    }
                    ids.filter(|ids| !ids.is_empty())
                })
                .collect();
            (!variants.is_empty()).then_some((i, variants))
        })
        .collect();
    let sil = model.silence();
    let models = ids
        .iter()
        .enumerate()
        .map(|(k, (word, variants))| {
            let before = k
                .checked_sub(1)
                .and_then(|k| ids[k].1[0].last().copied())
                .unwrap_or(sil);
            let after = ids
                .get(k + 1)
                .and_then(|(_, v)| v[0].first().copied())
                .unwrap_or(sil);
            let variants = variants
                .iter()
                .map(|phones| {
                    let n = phones.len();
                    (0..n)
                        .map(|j| {
                            let left = if j == 0 { before } else { phones[j - 1] };
                            let right = if j + 1 == n { after } else { phones[j + 1] };
                            let pos = match (j == 0, j + 1 == n) {
                                (true, true) => WordPosition::Single,
                                (true, false) => WordPosition::Begin,
                                (false, true) => WordPosition::End,
                                (false, false) => WordPosition::Internal,
                            };
                            let hmm = model.hmm(phones[j], left, right, pos);
                            (
                                pronounce::phone(model.ci_phone_name(phones[j])),
                                model.senones(hmm).map(|s| s.0),
                                hmm_transitions(model.transitions(hmm)),
                            )
                        })
                        .collect()
                })
                .collect();
            WordModel {
                word: *word,
                variants,
            }
        })
        .collect();
    (models, notes)
}

/// Forced-aligns one turn: `words` (as [`pronounce`](super::pronounce::pronounce) gives
/// them; `None` entries are skipped) inside frames `frames` of the recording's `scores`.
/// Pure and `Send`: the caller runs turns in parallel (rayon).
pub fn align_turn(
    model: &AcousticModel,
    scores: &SenoneScores,
    frames: Range<usize>,
    words: &[Option<Pronounced>],
    config: &ForcedConfig,
) -> Result<Alignment> {
    if frames.end > scores.frames() || frames.start >= frames.end {
        return Err(Error::Invalid(format!(
            "turn window frames {}..{} is empty or beyond the recording's {} frames",
            frames.start,
            frames.end,
            scores.frames()
        )));
    }
    viterbi(
        &model_chain(model, words, config)?,
        &mut &*scores,
        frames,
        config,
    )
}

/// The chain for `words` on `model`: their HMMs ([`word_models`]) between the model's
/// silence and free ends ([`turn_chain`]).
pub(crate) fn model_chain(
    model: &AcousticModel,
    words: &[Option<Pronounced>],
    config: &ForcedConfig,
) -> Result<Chain> {
    let (models, _) = word_models(model, words);
    let sil = model.ci_hmm(model.silence());
    let silence = (
        model.senones(sil).map(|s| s.0),
        hmm_transitions(model.transitions(sil)),
    );
    turn_chain(&models, &silence, config)
}

/// The senones the chain of `words` reads (each once, in chain order).
pub(crate) fn chain_senones(chain: &Chain) -> Vec<u32> {
    let mut seen = std::collections::HashSet::new();
    chain
        .states
        .iter()
        .filter_map(|state| match state.emission {
            Emission::Senone(s) => Some(s),
            Emission::Loop => None,
        })
        .filter(|s| seen.insert(*s))
        .collect()
}

/// The senones a forced alignment of `words` reads, as a set to score alone
/// ([`AcousticModel::score_set`]): what `align` scores per window.
pub fn words_senone_set(
    model: &AcousticModel,
    words: &[Option<Pronounced>],
    config: &ForcedConfig,
) -> Result<SenoneSet> {
    let chain = model_chain(model, words, config)?;
    Ok(model.senone_set(chain_senones(&chain)))
}

/// The model's senone scores for a whole recording (16 kHz mono samples in [-1, 1]): its own
/// front end, mean normalisation over the recording, deltas, then the scorer.
pub fn score_recording(model: &AcousticModel, samples: &[f32]) -> SenoneScores {
    let mut cep = frontend::cepstra(samples, model.feat_params());
    frontend::normalise_mean(&mut cep);
    let feats = frontend::dynamic_features(&cep);
    model.score(&feats)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores where frame t prefers senone `truth[t]` (0 against -10 for others); the phone
    /// loop scores -3 everywhere.
    #[derive(Clone)]
    struct Synthetic {
        truth: Vec<Option<u32>>,
        loop_score: f32,
    }

    impl FrameScores for Synthetic {
        fn senone(&self, frame: usize, senone: u32) -> f32 {
            if self.truth[frame] == Some(senone) {
                0.0
            } else {
                -10.0
            }
        }
        fn phone_loop(&self, _frame: usize) -> f32 {
            self.loop_score
        }
    }

    /// [`Synthetic`] that answers only for the last frame prepared, as a lazy scorer that
    /// forgets the blocks behind it would.
    struct OneFrameAtATime {
        inner: Synthetic,
        prepared: Option<usize>,
    }

    impl FrameScores for OneFrameAtATime {
        fn prepare(&mut self, frame: usize) {
            self.prepared = Some(frame);
        }
        fn senone(&self, frame: usize, senone: u32) -> f32 {
            assert_eq!(self.prepared, Some(frame), "read a frame not prepared");
            self.inner.senone(frame, senone)
        }
        fn phone_loop(&self, frame: usize) -> f32 {
            assert_eq!(self.prepared, Some(frame), "read a frame not prepared");
            self.inner.phone_loop(frame)
        }
    }

    fn flat() -> HmmTransitions {
        let l = 0.5f32.ln();
        HmmTransitions {
            stay: [l; 3],
            next: [l; 3],
            skip: [f32::NEG_INFINITY; 3],
        }
    }

    /// Two words: "A B" (phones 0,1) and "C" (phone 2); phone p has senones 3p..3p+3.
    /// Silence has senones 90..93.
    fn two_words() -> Vec<WordModel> {
        let phone = |p: u32, name: &str| {
            (
                pronounce::phone(name),
                [3 * p, 3 * p + 1, 3 * p + 2],
                flat(),
            )
        };
        vec![
            WordModel {
                word: 0,
                variants: vec![vec![phone(0, "A"), phone(1, "B")]],
            },
            WordModel {
                word: 1,
                variants: vec![vec![phone(2, "C")]],
            },
        ]
    }

    fn silence() -> ([u32; 3], HmmTransitions) {
        ([90, 91, 92], flat())
    }

    /// `words` aligned over `truth` (matching senones score 0, others −10, the loop −3)
    /// with the default settings.
    fn align_synthetic(words: &[WordModel], truth: Vec<Option<u32>>) -> Alignment {
        align_turns_synthetic(words, &[], truth)
    }

    /// The same, with `turn_openers` (word indices) opening turns of their own.
    fn align_turns_synthetic(
        words: &[WordModel],
        turn_openers: &[usize],
        truth: Vec<Option<u32>>,
    ) -> Alignment {
        let n = truth.len();
        let mut scores = Synthetic {
            truth,
            loop_score: -3.0,
        };
        let config = ForcedConfig::default();
        let mut chain = turn_chain(words, &silence(), &config).unwrap();
        chain.turn_openers = turn_openers.to_vec();
        viterbi(&chain, &mut scores, 0..n, &config).unwrap()
    }

    /// Per-frame truth from runs of (senone, frames).
    fn runs(r: &[(Option<u32>, usize)]) -> Vec<Option<u32>> {
        r.iter()
            .flat_map(|&(s, n)| std::iter::repeat_n(s, n))
            .collect()
    }

    /// Noisy truth for 60 frames (so that the beam prunes and the path's scores differ frame
    /// to frame), as a scorer that keeps every frame and as one that answers only for the
    /// frame last prepared.
    fn noisy_whole_and_lazy() -> (usize, Synthetic, OneFrameAtATime) {
        let truth: Vec<Option<u32>> = (0..60u32)
            .map(|t| match t % 7 {
                0 => None,
                _ => Some([0, 1, 2, 90, 3, 4, 5, 6, 7, 8][(t / 6) as usize]),
            })
            .collect();
        let whole = Synthetic {
            truth: truth.clone(),
            loop_score: -3.0,
        };
        let lazy = OneFrameAtATime {
            inner: Synthetic {
                truth,
                loop_score: -3.0,
            },
            prepared: None,
        };
        (60, whole, lazy)
    }

    #[test]
    fn a_scorer_that_keeps_only_the_current_frame_gives_the_same_alignment() {
        let (n, mut whole, mut lazy) = noisy_whole_and_lazy();
        let config = ForcedConfig::default();
        let chain = turn_chain(&two_words(), &silence(), &config).unwrap();
        let a = viterbi(&chain, &mut whole, 0..n, &config).unwrap();
        let b = viterbi(&chain, &mut lazy, 0..n, &config).unwrap();
        assert_eq!(a, b);
        assert!(a.words.iter().any(|w| w.log_likelihood < 0.0));
    }

    /// A pause filled by the echo of "B": B's last senone fits it a little better than the
    /// silence does. Without a limit B holds on over the whole echo (40 frames); with one it
    /// stops a frame or two past its limit and the silence takes the rest; "C" starts where
    /// it is said either way. A vowel is held to the vowels' limit instead.
    #[test]
    fn a_consonant_held_over_an_echo_gives_the_pause_to_silence() {
        struct Echo {
            truth: Vec<Option<u32>>,
            echo: Range<usize>,
        }
        impl FrameScores for Echo {
            fn senone(&self, frame: usize, senone: u32) -> f32 {
                match (self.echo.contains(&frame), senone) {
                    (true, 5) => -1.0,
                    (true, 90..=92) => -2.0,
                    _ if self.truth[frame] == Some(senone) => 0.0,
                    _ => -10.0,
                }
            }
            fn phone_loop(&self, _frame: usize) -> f32 {
                -3.0
            }
        }
        let align = |names: [&str; 2], limits: (u16, u16)| {
            let phone = |p: u32, name: &str| {
                (
                    pronounce::phone(name),
                    [3 * p, 3 * p + 1, 3 * p + 2],
                    flat(),
                )
            };
            let words = vec![
                WordModel {
                    word: 0,
                    variants: vec![vec![phone(0, names[0]), phone(1, names[1])]],
                },
                WordModel {
                    word: 1,
                    variants: vec![vec![phone(2, "C")]],
                },
            ];
            let mut truth = runs(&[(Some(0), 2), (Some(1), 2), (Some(2), 2)]);
            truth.extend(runs(&[(Some(3), 2), (Some(4), 2), (Some(5), 2)]));
            truth.extend(runs(&[(None, 40)]));
            truth.extend(runs(&[(Some(6), 2), (Some(7), 2), (Some(8), 2)]));
            let n = truth.len();
            let mut scores = Echo {
                truth,
                echo: 12..52,
            };
            let config = ForcedConfig {
                hold_limits: HoldLimits {
                    obstruent_frames: limits.0,
                    vowel_frames: limits.1,
                    ..HoldLimits::default()
                },
                ..ForcedConfig::default()
            };
            let chain = turn_chain(&words, &silence(), &config).unwrap();
            let a = viterbi(&chain, &mut scores, 0..n, &config).unwrap();
            let b = &a.words[0].phones[1];
            (b.end - b.start, a.words[1].start)
        };
        // No limit: B takes the echo, and C is still entered where it is said.
        assert_eq!(align(["P", "T"], (0, 0)), (46, 52));
        // A consonant: held at most a few frames past its 20.
        let (held, c_start) = align(["P", "T"], (20, 60));
        assert!((20..=22).contains(&held), "held {held}");
        assert_eq!(c_start, 52);
        // A vowel keeps the vowels' limit.
        let (held, _) = align(["P", "AH"], (20, 60));
        assert_eq!(held, 46);
        let (held, _) = align(["P", "AH"], (20, 30));
        assert!((30..=32).contains(&held), "held {held}");
    }

    /// "C" fits at frame 29 exactly and at frame 16 but for one frame; pulled towards 16 it
    /// is entered there, at no cost to its own likelihood. Where its frames at 16 fit
    /// nowhere, the pull does not outweigh them.
    #[test]
    fn a_pull_settles_a_word_between_two_near_fits_but_not_against_clear_evidence() {
        let sil = Some(90);
        let truth = |c_early: [Option<u32>; 3]| {
            let mut t = runs(&[(Some(0), 1), (Some(1), 1), (Some(2), 1)]);
            t.extend(runs(&[(Some(3), 1), (Some(4), 1), (Some(5), 1), (sil, 10)]));
            t.extend(c_early);
            t.extend(runs(&[
                (sil, 10),
                (Some(6), 1),
                (Some(7), 1),
                (Some(8), 1),
                (sil, 5),
            ]));
            t
        };
        let config = ForcedConfig::default();
        let c_start = |truth: Vec<Option<u32>>, pull: Option<EntryPull>| {
            let n = truth.len();
            let mut scores = Synthetic {
                truth,
                loop_score: -30.0,
            };
            let mut chain = turn_chain(&two_words(), &silence(), &config).unwrap();
            if let Some(pull) = pull {
                chain.pull_entry(1, pull);
            }
            let aligned = viterbi(&chain, &mut scores, 0..n, &config).unwrap();
            aligned.words.iter().find(|w| w.word == 1).unwrap().start
        };
        let near = truth([Some(6), sil, Some(8)]);
        let pull = EntryPull {
            frame: 16,
            free: 2,
            per_frame: 2.0,
            most: f32::INFINITY,
        };
        assert_eq!(c_start(near.clone(), None), 29);
        assert_eq!(c_start(near, Some(pull)), 16);
        let far = truth([sil, sil, sil]);
        assert_eq!(c_start(far.clone(), Some(pull)), 29);
        // An infinite cost is a bound: "C" starts within it, however much better it fits
        // beyond; inside it costs nothing (not infinity times no frames).
        let bound = EntryPull {
            per_frame: f32::INFINITY,
            ..pull
        };
        assert!((14..=18).contains(&c_start(far, Some(bound))));
        assert_eq!(bound.cost(18), 0.0);
        assert_eq!(bound.cost(19), f32::INFINITY);
    }

    /// A bound on a word's entry the beam cannot keep (the pause before it fits far better
    /// than the word does inside the bound) ends the search at the bound: the paths still
    /// waiting to enter it are dropped there, not carried to the window's end (37 frames).
    #[test]
    fn a_search_that_cannot_keep_a_bound_ends_at_the_bound() {
        let sil = Some(90);
        let mut truth = runs(&[(Some(0), 1), (Some(1), 1), (Some(2), 1)]);
        truth.extend(runs(&[(Some(3), 1), (Some(4), 1), (Some(5), 1), (sil, 23)]));
        truth.extend(runs(&[(Some(6), 1), (Some(7), 1), (Some(8), 1), (sil, 5)]));
        let n = truth.len();
        let mut chain = turn_chain(&two_words(), &silence(), &ForcedConfig::default()).unwrap();
        let bound = EntryPull {
            frame: 16,
            free: 2,
            per_frame: f32::INFINITY,
            most: f32::INFINITY,
        };
        chain.pull_entry(1, bound);
        let mut scores = OneFrameAtATime {
            inner: Synthetic {
                truth,
                loop_score: -30.0,
            },
            prepared: None,
        };
        assert!(search(&chain, &mut scores, 0..n, 5.0, false).is_err());
        assert!(
            scores.prepared.is_some_and(|t| t <= 20),
            "{:?}",
            scores.prepared
        );
    }

    /// A search without a beam keeps no emissions and scores its path's senones again after
    /// it: the same alignment, likelihoods and all, as a search whose beam keeps every state
    /// it reaches, also with a scorer that answers only for the frame last prepared.
    #[test]
    fn a_full_search_scores_its_path_again_to_the_same_alignment() {
        let (n, mut kept, mut lazy) = noisy_whole_and_lazy();
        let chain = turn_chain(&two_words(), &silence(), &ForcedConfig::default()).unwrap();
        let a = search(&chain, &mut kept, 0..n, f32::MAX, false)
            .unwrap()
            .read(&chain);
        let b = search_with(&chain, &mut lazy, 0..n, f32::INFINITY, 0, true, None)
            .unwrap()
            .read(&chain);
        assert_eq!((&a.words, &a.pauses), (&b.words, &b.pauses));
        let c = search(&chain, &mut lazy, 0..n, f32::INFINITY, true)
            .unwrap()
            .read(&chain);
        assert_eq!((&a.words, &a.pauses), (&c.words, &c.pauses));
        assert!(b.words.iter().any(|w| w.log_likelihood < 0.0));
    }

    /// A (senones 0,1,2) slowly over 20 frames, then B (3,4,5) over 6; no C: the path that
    /// follows the audio cannot finish in the window. The scores and the window's frames.
    fn slow_and_unfinished() -> (Synthetic, usize) {
        let truth = runs(&[
            (Some(0), 7),
            (Some(1), 7),
            (Some(2), 6),
            (Some(3), 2),
            (Some(4), 2),
            (Some(5), 2),
        ]);
        let n = truth.len();
        let scores = Synthetic {
            truth,
            loop_score: -3.0,
        };
        (scores, n)
    }

    /// The window ends before the audio gets to the last word: the path that follows the
    /// audio fits best at every frame but cannot finish, and the complete path has to hurry
    /// through "B" and squeeze "C" into the last frames. A narrow beam measured from the
    /// path that cannot finish pruned every path that could, and the search failed; measured
    /// from the best path that can still finish, it keeps them and finds the full search's.
    #[test]
    fn a_narrow_beam_keeps_the_paths_that_can_still_finish() {
        let (mut scores, n) = slow_and_unfinished();
        let config = ForcedConfig::default();
        let chain = turn_chain(&two_words(), &silence(), &config).unwrap();
        let full = search(&chain, &mut scores, 0..n, f32::INFINITY, false)
            .unwrap()
            .read(&chain);
        assert!(search(&chain, &mut scores, 0..n, 20.0, false).is_err());
        let narrow = search(&chain, &mut scores, 0..n, 20.0, true)
            .expect("a complete path")
            .read(&chain);
        assert_eq!((&narrow.words, &narrow.pauses), (&full.words, &full.pauses));
        // Without a beam, dropping the states that cannot finish changes nothing.
        let full_finishers = search(&chain, &mut scores, 0..n, f32::INFINITY, true)
            .unwrap()
            .read(&chain);
        assert_eq!(full_finishers, full);
        assert_eq!(narrow.words.last().map(|w| (w.word, w.end)), Some((1, n)));
    }

    #[test]
    fn frames_to_end_count_the_states_left_on_the_shortest_way_out() {
        let chain = turn_chain(&two_words(), &silence(), &ForcedConfig::default()).unwrap();
        // From the free start: itself, then the words' 9 states ("A", "B", "C"); a path may
        // also start in the first word, and needs 9.
        assert_eq!(chain.frames_to_end[0], 10);
        assert_eq!(chain.min_frames, 9);
        for &(s, _) in &chain.finals {
            assert_eq!(chain.frames_to_end[s as usize], 1);
        }
    }

    #[test]
    fn recovers_known_boundaries_exactly() {
        // Word 0: A (frames 0..9), B (9..15); silence 15..21; word 1: C (21..30).
        let truth = runs(&[
            (Some(0), 3),
            (Some(1), 4),
            (Some(2), 2),
            (Some(3), 2),
            (Some(4), 2),
            (Some(5), 2),
            (Some(90), 2),
            (Some(91), 2),
            (Some(92), 2),
            (Some(6), 3),
            (Some(7), 3),
            (Some(8), 3),
        ]);
        let a = align_synthetic(&two_words(), truth);
        let spans: Vec<(usize, usize, usize)> =
            a.words.iter().map(|w| (w.word, w.start, w.end)).collect();
        assert_eq!(spans, [(0, 0, 15), (1, 21, 30)]);
        let phones: Vec<(&str, usize, usize)> = a.words[0]
            .phones
            .iter()
            .map(|p| (p.phone, p.start, p.end))
            .collect();
        assert_eq!(phones, [("A", 0, 9), ("B", 9, 15)]);
        assert_eq!(a.pauses.len(), 1);
        assert_eq!(
            (a.pauses[0].phone, a.pauses[0].start, a.pauses[0].end),
            ("SIL", 15, 21)
        );
        // Every frame matched its senone (score 0) against a loop at -3: GOP +3.
        assert!((a.words[0].goodness() - 3.0).abs() < 1e-6);
        assert!((a.goodness().unwrap() - 3.0).abs() < 1e-6);
    }

    /// [`Synthetic`] read at every other frame: an odd frame takes the frame before's
    /// scores, as [`viterbi_refined`]'s first pass does.
    struct EveryOtherFrame(Synthetic);

    impl FrameScores for EveryOtherFrame {
        fn senone(&self, frame: usize, senone: u32) -> f32 {
            self.0.senone(frame - frame % 2, senone)
        }
        fn phone_loop(&self, frame: usize) -> f32 {
            self.0.phone_loop(frame - frame % 2)
        }
    }

    /// Every state of the truth held for an odd number of frames, so that the boundaries
    /// fall on odd frames, which a scorer of every other frame cannot see.
    fn odd_boundaries() -> Vec<Option<u32>> {
        runs(&[
            (Some(0), 3),
            (Some(1), 3),
            (Some(2), 3),
            (Some(3), 3),
            (Some(4), 3),
            (Some(5), 3),
            (Some(90), 3),
            (Some(91), 3),
            (Some(92), 3),
            (Some(6), 3),
            (Some(7), 3),
            (Some(8), 5),
        ])
    }

    /// [`odd_boundaries`] as exact scores, the two words' chain and the default settings.
    fn odd_fixture() -> (Synthetic, Chain, ForcedConfig) {
        let config = ForcedConfig::default();
        let chain = turn_chain(&two_words(), &silence(), &config).unwrap();
        let exact = Synthetic {
            truth: odd_boundaries(),
            loop_score: -3.0,
        };
        (exact, chain, config)
    }

    #[test]
    fn a_second_pass_in_a_band_decides_the_boundaries_a_coarse_scorer_blurs() {
        let (scores, chain, config) = odd_fixture();
        let n = scores.truth.len();
        let exact = || scores.clone();
        let full = viterbi(&chain, &mut exact(), 0..n, &config).unwrap();
        let mut coarse = EveryOtherFrame(exact());
        let blurred = viterbi(&chain, &mut coarse, 0..n, &config).unwrap();
        // The twin can fail: the coarse path alone misplaces a boundary.
        assert_ne!(blurred.words, full.words);
        for reach in [2, 8] {
            let everywhere = |_: &Alignment| Some(vec![reach; n]);
            let refined =
                viterbi_refined(&chain, &mut coarse, |_| exact(), 0..n, &config, everywhere)
                    .unwrap();
            assert_eq!(
                (&refined.words, &refined.pauses),
                (&full.words, &full.pauses)
            );
        }
        assert_eq!(full.words[1].start, 27);
        assert_eq!(full.pauses[0].start, 18);
    }

    #[test]
    fn when_the_second_pass_finds_no_path_the_first_stands() {
        let (scores, chain, config) = odd_fixture();
        let n = scores.truth.len();
        let mut coarse = EveryOtherFrame(scores);
        let blurred = viterbi(&chain, &mut coarse, 0..n, &config).unwrap();
        // Nothing can be heard at all: every state of the band falls out.
        struct Deaf;
        impl FrameScores for Deaf {
            fn senone(&self, _frame: usize, _senone: u32) -> f32 {
                f32::NEG_INFINITY
            }
            fn phone_loop(&self, _frame: usize) -> f32 {
                f32::NEG_INFINITY
            }
        }
        let reach = |_: &Alignment| Some(vec![4; n]);
        let refined = viterbi_refined(&chain, &mut coarse, |_| Deaf, 0..n, &config, reach).unwrap();
        assert_eq!(refined, blurred);
    }

    /// [`Synthetic`] noting the most states a search reads at one frame.
    struct Widest(Synthetic, usize);

    impl FrameScores for Widest {
        fn need(&mut self, _frame: usize, senones: &[u32]) {
            self.1 = self.1.max(senones.len());
        }
        fn senone(&self, frame: usize, senone: u32) -> f32 {
            self.0.senone(frame, senone)
        }
        fn phone_loop(&self, frame: usize) -> f32 {
            self.0.phone_loop(frame)
        }
    }

    /// The fixture of [`a_narrow_beam_keeps_the_paths_that_can_still_finish`]: "C" is not
    /// in the audio, and a beam of 20 loses every path; a retry among the paths that can
    /// finish finds the full search's path in a narrower band.
    #[test]
    fn a_lost_beam_is_retried_among_the_paths_that_can_finish_before_none() {
        let (exact, n) = slow_and_unfinished();
        let narrow = ForcedConfig {
            beam: 20.0,
            retry_beam: 20.0,
            ..ForcedConfig::default()
        };
        let chain = turn_chain(&two_words(), &silence(), &narrow).unwrap();
        let full = search(&chain, &mut exact.clone(), 0..n, f32::INFINITY, true)
            .unwrap()
            .read(&chain);
        let mut retried = Widest(exact.clone(), 0);
        let a = viterbi(&chain, &mut retried, 0..n, &narrow).unwrap();
        assert_eq!((&a.words, &a.pauses), (&full.words, &full.pauses));
        let mut unbeamed = Widest(exact, 0);
        let no_retry = ForcedConfig {
            retry_beam: f32::INFINITY,
            ..narrow
        };
        let b = viterbi(&chain, &mut unbeamed, 0..n, &no_retry).unwrap();
        assert_eq!((&b.words, &b.pauses), (&full.words, &full.pauses));
        // Without the retry the search reads every state of the chain at a frame.
        assert_eq!(unbeamed.1, chain.states.len());
        assert!(retried.1 < unbeamed.1, "{} states", retried.1);
    }

    /// The fixture of [`a_narrow_beam_keeps_the_paths_that_can_still_finish`]: "C" is not
    /// in the audio, and a beam of 20 loses every path that can finish.
    #[test]
    fn a_first_pass_that_loses_its_beam_leaves_the_search_to_the_caller() {
        let (exact, n) = slow_and_unfinished();
        let config = ForcedConfig {
            beam: 20.0,
            ..ForcedConfig::default()
        };
        assert_eq!(config.on_beam_loss, BeamLoss::SearchAgain);
        let chain = turn_chain(&two_words(), &silence(), &config).unwrap();
        // One search alone searches again without the beam and finds a path.
        assert!(viterbi(&chain, &mut exact.clone(), 0..n, &config).is_ok());
        let mut coarse = EveryOtherFrame(exact.clone());
        let everywhere = |_: &Alignment| Some(vec![8; n]);
        let refined = viterbi_refined(&chain, &mut coarse, |_| exact, 0..n, &config, everywhere);
        assert!(refined.is_err());
    }

    #[test]
    fn the_band_around_a_path_holds_its_states_within_reach() {
        let path: Vec<(u32, f32)> = [0, 0, 1, 1, 1, 4, 5, 5].iter().map(|&s| (s, 0.0)).collect();
        let band = band_around(&path, &[2; 8]);
        assert_eq!(band[0], 0..2);
        assert_eq!(band[3], 0..5);
        assert_eq!(band[7], 4..6);
        assert_eq!(band_around(&path, &[0; 8])[5], 4..5);
        // A wider reach where the caller asks for it.
        let wider = band_around(&path, &[0, 0, 0, 0, 0, 3, 0, 0]);
        assert_eq!((wider[4].clone(), wider[5].clone()), (1..2, 1..6));
    }

    /// "A B" then a word of one phone named `second`, with `gap` frames of silence between.
    fn after_silence(second: &str, gap: usize) -> Alignment {
        after_silence_in(second, gap, &[])
    }

    /// The same, the second word opening a turn when `turn_openers` holds 1.
    fn after_silence_in(second: &str, gap: usize, turn_openers: &[usize]) -> Alignment {
        let silence = [
            (Some(90), gap / 3),
            (Some(91), gap - 2 * (gap / 3)),
            (Some(92), gap / 3),
        ];
        after_frames(second, &silence, turn_openers)
    }

    /// "A B" then `between` (truth senones and frames), then a word of one phone named
    /// `second`.
    fn after_frames(
        second: &str,
        between: &[(Option<u32>, usize)],
        turn_openers: &[usize],
    ) -> Alignment {
        let mut words = two_words();
        words[1].variants[0][0].0 = pronounce::phone(second);
        let first: Vec<_> = (0..6).map(|s| (Some(s), 3)).collect();
        let last: Vec<_> = (6..9).map(|s| (Some(s), 3)).collect();
        let truth = runs(&[first.as_slice(), between, last.as_slice()].concat());
        align_turns_synthetic(&words, turn_openers, truth)
    }

    #[test]
    fn a_stop_or_a_voiceless_fricative_takes_a_short_silence_before_it_as_its_onset() {
        for second in ["T", "S"] {
            let a = after_silence(second, 6);
            // Word 0 ends at 18; the 6 frames of silence are the phone's closure or onset.
            assert_eq!((a.words[1].start, a.words[1].end), (18, 33), "{second}");
            let first = &a.words[1].phones[0];
            assert_eq!((first.start, first.end), (18, 33), "{second}");
            assert!(a.pauses.is_empty(), "{second}");
            // Its fit counts the onset's frames with the silence's scores (0 against -3).
            assert!((a.words[1].goodness() - 3.0).abs() < 1e-6, "{second}");
        }
    }

    #[test]
    fn a_stop_after_a_pause_takes_a_closure_of_it_and_leaves_the_rest() {
        for second in ["T", "S"] {
            let a = after_silence(second, 12);
            // The pause runs 18..30; the word takes its last 4 frames as its onset.
            assert_eq!(a.words[1].start, 30 - CLOSURE_FRAMES, "{second}");
            assert_eq!(a.words[1].phones[0].start, 30 - CLOSURE_FRAMES, "{second}");
            assert_eq!(a.pauses.len(), 1, "{second}");
            assert_eq!(
                (a.pauses[0].start, a.pauses[0].end),
                (18, 30 - CLOSURE_FRAMES)
            );
            // Its fit counts those frames with the silence's scores (0 against -3).
            assert!((a.words[1].goodness() - 3.0).abs() < 1e-6, "{second}");
        }
    }

    /// A word's edge fits: its first frames' and the pause's before it, each against the
    /// phone loop (-3 here; the truth's senone scores 0, any other -10).
    #[test]
    fn a_words_edge_fits_read_its_first_frames_and_the_pause_before_it() {
        let a = after_silence("AA", 12);
        assert_eq!(a.words[1].start, 30);
        let edge = a.words[1].edge;
        assert_eq!((edge.onset, edge.pause), (3.0, Some(3.0)));
        // Word 0 has nothing before it; the pause before word 1 ends 4 frames in.
        assert_eq!(a.words[0].edge.pause, None);
        // A word right after another has no pause to read.
        let joined = after_silence("T", 6);
        assert_eq!(joined.words[1].edge.pause, None);
        // Frames that fit nothing (-10 for every state) at the word's start: one of its edge
        // fits falls, wherever the search puts them.
        let unfit = [(Some(90), 4), (Some(91), 4), (Some(92), 2), (None, 2)];
        let edge = after_frames("AA", &unfit, &[]).words[1].edge;
        assert!(
            edge.onset < 3.0 || edge.pause.is_some_and(|p| p < 3.0),
            "{edge:?}"
        );
    }

    #[test]
    fn a_turn_opening_after_a_pause_keeps_the_whole_pause() {
        // Between two speakers' turns the pause is no closure: the turn starts at its burst.
        let a = after_silence_in("T", 12, &[1]);
        assert_eq!(a.words[1].start, 30);
        assert_eq!((a.pauses[0].start, a.pauses[0].end), (18, 30));
    }

    #[test]
    fn a_word_without_a_quiet_onset_keeps_its_pause() {
        for gap in [6, 12] {
            let a = after_silence("AA", gap);
            assert_eq!(a.words[1].start, 18 + gap, "after {gap} frames");
            assert_eq!(a.pauses.len(), 1, "after {gap} frames");
            assert_eq!((a.pauses[0].start, a.pauses[0].end), (18, 18 + gap));
        }
    }

    #[test]
    fn absolute_frames_and_a_narrow_beam_give_the_same_path() {
        let mut truth = vec![None; 100];
        truth.extend(runs(&[
            (Some(0), 3),
            (Some(1), 3),
            (Some(2), 3),
            (Some(3), 3),
            (Some(4), 3),
            (Some(5), 3),
            (Some(6), 3),
            (Some(7), 3),
            (Some(8), 3),
        ]));
        let mut scores = Synthetic {
            truth,
            loop_score: -3.0,
        };
        let wide = ForcedConfig::default();
        let narrow = ForcedConfig { beam: 25.0, ..wide };
        let chain = turn_chain(&two_words(), &silence(), &wide).unwrap();
        let a = viterbi(&chain, &mut scores, 100..127, &wide).unwrap();
        let b = viterbi(&chain, &mut scores, 100..127, &narrow).unwrap();
        assert_eq!((&a.words, &a.pauses), (&b.words, &b.pauses));
        assert!(b.cells < a.cells, "{} vs {}", b.cells, a.cells);
        assert_eq!(a.speech(), Some(100..127));
        assert!(a.pauses.is_empty(), "{:?}", a.pauses);
    }

    #[test]
    fn free_ends_absorb_a_neighbours_speech() {
        // 40 frames of a neighbour (no senone of ours fits; the loop does), then the turn's
        // words, then 25 more frames of neighbour.
        let mut truth = vec![Some(500); 40];
        truth.extend(runs(&[
            (Some(0), 3),
            (Some(1), 3),
            (Some(2), 3),
            (Some(3), 3),
            (Some(4), 3),
            (Some(5), 3),
            (Some(6), 3),
            (Some(7), 3),
            (Some(8), 3),
        ]));
        truth.extend(vec![Some(500); 25]);
        let a = align_synthetic(&two_words(), truth);
        let spans: Vec<(usize, usize)> = a.words.iter().map(|w| (w.start, w.end)).collect();
        assert_eq!(spans, [(40, 58), (58, 67)]);
        let fillers: Vec<(usize, usize)> = a
            .pauses
            .iter()
            .filter(|p| p.phone == FILLER)
            .map(|p| (p.start, p.end))
            .collect();
        assert_eq!(fillers, [(0, 40), (67, 92)]);
    }

    #[test]
    fn without_free_ends_the_neighbour_would_be_forced_into_the_words() {
        // The same input with a filler so dear it is never used: the turn's own states (its
        // words, or the optional silence before them) must take the neighbour. This checks
        // that the previous test measures the fillers, not luck.
        let mut truth = vec![Some(500); 40];
        truth.extend(runs(&[(Some(0), 9), (Some(3), 9), (Some(6), 9)]));
        let n = truth.len();
        let mut scores = Synthetic {
            truth,
            loop_score: -3.0,
        };
        let config = ForcedConfig {
            filler_penalty: 1e6,
            ..ForcedConfig::default()
        };
        let chain = turn_chain(&two_words(), &silence(), &config).unwrap();
        let a = viterbi(&chain, &mut scores, 0..n, &config).unwrap();
        assert!(a.pauses.iter().all(|p| p.phone != FILLER), "{:?}", a.pauses);
        let first = a
            .pauses
            .first()
            .filter(|p| p.start == 0)
            .map_or(a.words[0].start, |p| p.start);
        assert_eq!(first, 0, "{:?}", a.pauses);
    }

    #[test]
    fn picks_the_variant_that_fits() {
        let phone = |p: u32| {
            (
                pronounce::phone(&format!("P{p}")),
                [3 * p, 3 * p + 1, 3 * p + 2],
                flat(),
            )
        };
        let words = vec![WordModel {
            word: 7,
            variants: vec![vec![phone(0), phone(1)], vec![phone(0), phone(2)]],
        }];
        let truth = runs(&[
            (Some(0), 3),
            (Some(1), 3),
            (Some(2), 3),
            (Some(6), 3),
            (Some(7), 3),
            (Some(8), 3),
        ]);
        let a = align_synthetic(&words, truth);
        assert_eq!(a.words.len(), 1);
        assert_eq!((a.words[0].word, a.words[0].variant), (7, 1));
        assert_eq!(a.words[0].phones[1].phone, "P2");
    }

    #[test]
    fn text_longer_than_audio_is_an_error_not_a_panic() {
        let config = ForcedConfig::default();
        let chain = turn_chain(&two_words(), &silence(), &config).unwrap();
        assert_eq!(chain.min_frames, 9);
        let mut scores = Synthetic {
            truth: vec![None; 5],
            loop_score: -3.0,
        };
        let e = viterbi(&chain, &mut scores, 0..5, &config).unwrap_err();
        assert!(e.to_string().contains("longer than its audio"), "{e}");
        assert!(turn_chain(&[], &silence(), &config).is_err());
    }

    #[test]
    fn band_stays_narrow() {
        // Memory: with a tight beam the stored band is a few phones wide, not the whole chain.
        let phone = |p: u32| {
            (
                pronounce::phone(&format!("P{p}")),
                [3 * p, 3 * p + 1, 3 * p + 2],
                flat(),
            )
        };
        let words: Vec<WordModel> = (0..50)
            .map(|w| WordModel {
                word: w,
                variants: vec![vec![phone(w as u32)]],
            })
            .collect();
        let truth: Vec<Option<u32>> = (0..150u32).flat_map(|s| [Some(s), Some(s)]).collect();
        let n = truth.len();
        let mut scores = Synthetic {
            truth,
            loop_score: -3.0,
        };
        let config = ForcedConfig {
            beam: 30.0,
            ..ForcedConfig::default()
        };
        let chain = turn_chain(&words, &silence(), &config).unwrap();
        let a = viterbi(&chain, &mut scores, 0..n, &config).unwrap();
        assert_eq!(a.words.len(), 50);
        assert!(a.words.iter().enumerate().all(|(i, w)| w.start == 6 * i));
        let full = n * chain.states.len();
        assert!(a.cells * 20 < full, "{} cells of {full}", a.cells);
    }

    /// End to end on real read speech with human word boundaries (praatio's clips).
    mod real {
        use super::super::*;
        use crate::acoustic::dictionary::Dictionary;
        use crate::acoustic::pronounce::{Options, pronounce};
        use std::sync::OnceLock;

        fn model() -> &'static AcousticModel {
            static M: OnceLock<AcousticModel> = OnceLock::new();
            M.get_or_init(|| AcousticModel::embedded().expect("the vendored model loads"))
        }

        fn samples(name: &str) -> Vec<f32> {
            let path = crate::test_signals::repo_path("")
                .join("tests/fixtures/real")
                .join(name)
                .join("audio.wav");
            let mut r = hound::WavReader::open(path).unwrap();
            assert_eq!(r.spec().sample_rate, 16000);
            r.samples::<i16>()
                .map(|s| f32::from(s.unwrap()) / 32768.0)
                .collect()
        }

        /// (word, start s) from the clip's human TextGrid tier, via truth.json.
        fn truth(name: &str) -> Vec<(String, f64)> {
            let path = crate::test_signals::repo_path("")
                .join("tests/fixtures/real")
                .join(name)
                .join("truth.json");
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            v["words"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| {
                    (
                        w["word"].as_str().unwrap().to_string(),
                        w["start"].as_f64().unwrap(),
                    )
                })
                .collect()
        }

        /// Aligns the whole clip as one turn; returns per word (start error in ms) and GOP.
        fn align_clip(name: &str) -> (Vec<f64>, Alignment) {
            let truth = truth(name);
            let tokens: Vec<&str> = truth.iter().map(|w| w.0.as_str()).collect();
            let p = pronounce(Dictionary::embedded(), &tokens, &Options::default());
            assert!(p.notes.is_empty(), "{:?}", p.notes);
            let scores = score_recording(model(), &samples(name));
            let config = ForcedConfig::default();
            let a = align_turn(model(), &scores, 0..scores.frames(), &p.words, &config).unwrap();
            assert_eq!(a.words.len(), truth.len(), "{a:?}");
            let errors: Vec<f64> = a
                .words
                .iter()
                .map(|w| (w.start as f64 * 10.0 - truth[w.word].1 * 1000.0).abs())
                .collect();
            for (w, e) in a.words.iter().zip(&errors) {
                let phones: Vec<String> = w
                    .phones
                    .iter()
                    .map(|p| format!("{}@{}", p.phone, p.start))
                    .collect();
                eprintln!(
                    "{name}: {:<8} {:>4}..{:<4} truth {:>5.0} ms, off {e:>3.0} ms, GOP {:+.2} [{}]",
                    tokens[w.word],
                    w.start,
                    w.end,
                    truth[w.word].1 * 1000.0,
                    w.goodness(),
                    phones.join(" ")
                );
            }
            eprintln!(
                "{name}: turn GOP {:+.2}, pauses {:?}",
                a.goodness().unwrap(),
                a.pauses
            );
            (errors, a)
        }

        #[test]
        fn mary_word_starts_match_the_human_tier() {
            let (errors, a) = align_clip("praatio-mary");
            let within = errors.iter().filter(|&&e| e <= 50.0).count();
            assert!(within >= 3, "{errors:?}");
            assert!(a.goodness().unwrap() > -1.0, "{:?}", a.goodness());
        }

        #[test]
        fn bobby_word_starts_match_the_human_tier() {
            let (errors, _) = align_clip("praatio-bobby");
            let within = errors.iter().filter(|&&e| e <= 50.0).count();
            assert!(within >= 3, "{errors:?}");
        }

        #[test]
        fn wrong_words_fit_worse_than_right_ones() {
            // The same clip aligned with another sentence: its GOP is far lower.
            let scores = score_recording(model(), &samples("praatio-mary"));
            let config = ForcedConfig::default();
            let gop = |text: &str| {
                let tokens: Vec<&str> = text.split_whitespace().collect();
                let p = pronounce(Dictionary::embedded(), &tokens, &Options::default());
                align_turn(model(), &scores, 0..scores.frames(), &p.words, &config)
                    .unwrap()
                    .goodness()
                    .unwrap()
            };
            let right = gop("mary rolled the barrel");
            let wrong = gop("she sells sea shells");
            eprintln!("GOP right {right:+.2}, wrong {wrong:+.2}");
            assert!(right > wrong + 1.0, "right {right}, wrong {wrong}");
        }
    }
}
