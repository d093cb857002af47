//! Word evidence: each cue's words forced-aligned by the acoustic model around where the
//! speech evidence put it ([`crate::align::hear_turns`], windows with free ends), then one
//! straight line per stretch fitted through where the cues' first words start and last words
//! end ([`points`]), so every cue moves with its stretch and a few misheard cues move nothing.

use crate::acoustic::cepstra::Cepstra;
use crate::acoustic::dictionary::Dictionary;
use crate::acoustic::model::AcousticModel;
use crate::acoustic::pronounce::{self, Pronounced};
use crate::acoustic::{BeamLoss, ForcedConfig};
use crate::align::{Clock, Heard, HeardConfig, Placement, hear_turns};
use crate::stats::median;
use crate::time::Frame;
use crate::transcript::{Language, ends_in_a_pause_mark};

/// Goodness of pronunciation at or above which a cue counts as heard (the aligner's own
/// threshold, [`crate::pipeline::HEARD_FIT`]).
pub const HEARD_FIT: f32 = crate::pipeline::HEARD_FIT;

/// When layouts are told apart, a cue counts for one when its words were placed where its
/// stretch puts it and fit at least this well: a wrong layout puts most cues' words where
/// they are not, whatever their fit.
pub const PLACED_FIT: f32 = -12.0;

/// For the confidence, a cue counts when its words were heard where its stretch puts it and
/// fit at least this well. Another recording's words, forced into a window, still land
/// somewhere, and on a short file a third of them where the stretch puts them by chance,
/// but they fit poorly there: -5 to -10 on the real recordings' mismatched pairs, where
/// matched cues heard in place fit at -4.5 or better in all but a few (docs/sync.md,
/// session 11).
pub const CLEAR_FIT: f32 = HEARD_FIT;

/// Each cue's words as the model is to hear them (time order): `None` for a cue without
/// words.
pub type Said = Vec<Option<Vec<Option<Pronounced>>>>;

/// Pronounces every cue's `words` once, for all the hearings of a sync. English from the
/// model's dictionary (spelling rules for the words it lacks); another language wholly by
/// espeak-ng's voice for it, mapped onto the English model's phones, as the aligner hears a
/// transcript in that language (cross-language forced alignment).
pub fn pronounce_cues(words: &[Vec<String>], language: &Language) -> Said {
    let empty = Dictionary::parse("").expect("an empty dictionary parses");
    let (dictionary, options) = if language.is_english() {
        let options = pronounce::Options {
            espeak_voice: None,
            english: true,
        };
        (Dictionary::embedded(), options)
    } else {
        let options = pronounce::Options {
            espeak_voice: Some(language.espeak_voice.clone()),
            english: false,
        };
        (&empty, options)
    };
    let mut pronouncer = pronounce::Pronouncer::new(dictionary, &options);
    words
        .iter()
        .map(|w| {
            (!w.is_empty()).then(|| {
                let tokens: Vec<&str> = w.iter().map(String::as_str).collect();
                let mut said = pronouncer.turn(&tokens).words;
                let pauses = tokens.iter().map(|t| ends_in_a_pause_mark(t));
                pronounce::mark_written_pauses(&mut said, pauses);
                said
            })
        })
        .collect()
}

/// What hears a cue's words: the acoustic model, the recording's cepstra, and the cues' words
/// pronounced once ([`pronounce_cues`]; time order, or the one cue [`Ears::only`] keeps).
#[derive(Clone, Copy)]
pub struct Ears<'a> {
    pub model: &'a AcousticModel,
    pub cepstra: &'a Cepstra,
    pub said: &'a [Option<Vec<Option<Pronounced>>>],
}

impl<'a> Ears<'a> {
    /// The same ears for cue `k` alone (its words at index 0).
    pub fn only(self, k: usize) -> Ears<'a> {
        Ears {
            said: &self.said[k..=k],
            ..self
        }
    }
}

/// Where each cue's first word was heard (seconds) and how well its words fit; `None` for
/// cues without words or not heard. `placed` are the cues' (start, end) in seconds after the
/// speech evidence (as `ears.said`), `None` for cut cues.
pub fn hear(ears: Ears, placed: &[Option<(f64, f64)>], slack_s: f64) -> Vec<Option<(f64, f32)>> {
    hear_spans(ears, placed, slack_s)
        .into_iter()
        .map(|h| h.map(|(start, _, g)| (start, g)))
        .collect()
}

/// A cue of more words than twice this is heard as its first and last this many words
/// (with a pronunciation) when the middle left unheard is longer than both windows' slack:
/// the two word edges a stretch's line goes through ([`points`]) are where they would be
/// if the whole cue were heard, and most of a long cue's frames are not scored. On the
/// evaluation's 37-minute files, whose cues run up to 152 s, the fast path's hearing took
/// about half the time and `splits` under half, every cue within 50 ms as before. Fewer
/// words fit lines less exactly: 4 lost a cut on the real recording's `splits` and two
/// `splits` in a hall, 6 moved a hall's lines by up to 18 ms (docs/sync.md, session 45).
pub const EDGE_WORDS: usize = 8;

/// How a long cue is heard by its edges: its first `head_words` words in
/// `(start, start + head_s)`, from word `tail_from` on in `(end - tail_s, end)`, each
/// edge's share of the cue's time that of its phones.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Edges {
    head_words: usize,
    tail_from: usize,
    head_s: f64,
    tail_s: f64,
}

/// A cue's [`Edges`] when it is long enough to be heard by them (see [`EDGE_WORDS`]);
/// `None`: heard whole (always with `edge_words` 0).
fn edges(
    words: &[Option<Pronounced>],
    (start, end): (f64, f64),
    slack_s: f64,
    edge_words: usize,
) -> Option<Edges> {
    let said: Vec<usize> = (0..words.len()).filter(|&i| words[i].is_some()).collect();
    if edge_words == 0 || said.len() <= edge_words.saturating_mul(2) {
        return None;
    }
    let (head_words, tail_from) = (said[edge_words - 1] + 1, said[said.len() - edge_words]);
    let phones = |ws: &[Option<Pronounced>]| -> usize {
        ws.iter()
            .flatten()
            .map(|p| p.variants.first().map_or(0, Vec::len))
            .sum()
    };
    let len = end - start;
    let per_phone = len / phones(words).max(1) as f64;
    let head_s = per_phone * phones(&words[..head_words]) as f64;
    let tail_s = per_phone * phones(&words[tail_from..]) as f64;
    (len - head_s - tail_s > 2.0 * slack_s).then_some(Edges {
        head_words,
        tail_from,
        head_s,
        tail_s,
    })
}

/// As [`hear`], with where each cue's last word ends: `(first word's start s, last word's
/// end s, goodness)`. A long cue is heard by its [`Edges`], its goodness theirs weighted by
/// their frames.
pub fn hear_spans(
    ears: Ears,
    placed: &[Option<(f64, f64)>],
    slack_s: f64,
) -> Vec<Option<(f64, f64, f32)>> {
    hear_edges(ears, placed, slack_s, EDGE_WORDS)
}

/// [`hear_spans`] with `edge_words` words per edge (`usize::MAX`: every cue whole).
fn hear_edges(
    ears: Ears,
    placed: &[Option<(f64, f64)>],
    slack_s: f64,
    edge_words: usize,
) -> Vec<Option<(f64, f64, f32)>> {
    // What is heard, in time order: whole cues, and long cues' edges with an unheard turn
    // between them, so that the two edges are heard apart (an untranscribed turn ends a
    // run of turns heard together) and the middle not at all. `of_cue`: each cue's first
    // and last part.
    let mut pronounced: Said = Vec::new();
    let mut places: Vec<(f64, f64)> = Vec::new();
    let mut of_cue: Vec<(usize, usize)> = Vec::with_capacity(placed.len());
    for (p, s) in placed.iter().zip(ears.said) {
        // Cut cues sit where their neighbours leave room; they have no words to hear.
        let place = p.unwrap_or((0.0, 0.0));
        let words = p.and(s.as_ref());
        match words.and_then(|w| edges(w, place, slack_s, edge_words).map(|e| (w, e))) {
            Some((w, e)) => {
                let (head_end, tail_start) = (place.0 + e.head_s, place.1 - e.tail_s);
                of_cue.push((places.len(), places.len() + 2));
                pronounced.extend([
                    Some(w[..e.head_words].to_vec()),
                    None,
                    Some(w[e.tail_from..].to_vec()),
                ]);
                places.extend([
                    (place.0, head_end),
                    (head_end, tail_start),
                    (tail_start, place.1),
                ]);
            }
            None => {
                of_cue.push((places.len(), places.len()));
                pronounced.push(words.cloned());
                places.push(place);
            }
        }
    }
    let placements: Vec<Placement> = places
        .iter()
        .map(|&(start_s, end_s)| Placement {
            start: Frame::from_seconds(start_s),
            end: Frame::from_seconds(end_s),
            confidence: 0.5,
        })
        .collect();
    // The window is the question (is the cue heard here?): never widened past it, and the
    // search keeps the paths that can still finish rather than searching the window again
    // without a beam (`BeamLoss::KeepFinishers`). Every frame is scored in one search: a
    // stretch's line goes through a few cues' word edges, and the two-pass search moved
    // one short stretch of a telephone call by 38 ms (docs/sync.md, session 24). Nor is a
    // cue pulled towards where the offset puts it: that place is what the hearing tests;
    // and only fits the aligner vouches for count (session 33's weak fits do not).
    let config = HeardConfig {
        slack_s,
        lattice_start_pull: 0.0,
        run_start_bound_s: Some(slack_s),
        hear_past_edges: false,
        rehear_past_untranscribed: false,
        refine_reach_frames: 0,
        forced: ForcedConfig {
            on_beam_loss: BeamLoss::KeepFinishers,
            ..ForcedConfig::default()
        },
        ..HeardConfig::default()
    }
    .without_weak_fits();
    let heard = hear_turns(&placements, &pronounced, ears.model, ears.cepstra, &config);
    of_cue
        .iter()
        .map(|&(a, b)| {
            let (first, last) = (heard[a].as_ref()?, heard[b].as_ref()?);
            if a == b {
                return Some((first.start.seconds(), first.end.seconds(), first.goodness));
            }
            let frames = |h: &Heard| h.end.0.saturating_sub(h.start.0).max(1) as f32;
            let (fa, fb) = (frames(first), frames(last));
            let goodness = (first.goodness * fa + last.goodness * fb) / (fa + fb);
            Some((first.start.seconds(), last.end.seconds(), goodness))
        })
        .collect()
}

/// The points a stretch's line is fitted through: for each of `members` (time order) heard
/// with a fit of at least [`HEARD_FIT`] within `slack_s` of where `mapped` puts it, both
/// `(mapped start, its first word's start)` and `(mapped end, its last word's end)`.
///
/// Both ends, because a cue covers its words: it starts before its first word (by a breath,
/// a click, a subtitler's lead) and ends after its last, by amounts that differ from one
/// subtitle file (or one annotator) to the next. Starts alone put a stretch late by its
/// cues' lead; ends alone early by their tail. Their pooled median is the offset that puts
/// as many of the cues' edges early of their words' edges as late: where the cues are tight
/// on their words (the synthetic recordings) that is on them, and where the cues are wider
/// than their words, between the leads and the tails (docs/sync.md, session 16).
pub fn points(
    members: &[usize],
    mapped: &[Option<(f64, f64)>],
    heard: &[Option<(f64, f64, f32)>],
    slack_s: f64,
) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for &k in members {
        let (Some((hs, he, g)), Some((ms, me))) = (heard[k], mapped[k]) else {
            continue;
        };
        if g >= HEARD_FIT && (hs - ms).abs() <= slack_s {
            out.push((ms, hs));
            out.push((me, he));
        }
    }
    out
}

/// Largest rate a stretch's line may keep (|rate − 1|). The ratio was already chosen on a
/// grid of 5·10⁻⁵ (`correlate::global`'s fine search), so the line corrects at most what
/// that grid left; a steeper line follows the subtitler's lead changing from cue to cue
/// (a few cues shown well before their words), not the clock.
pub const MAX_RESIDUAL_RATE: f64 = 1e-4;

/// The robust line (Theil–Sen) through `points`, its rate as it comes, when they hold enough
/// for a rate to mean anything: at least 8 of them over at least 60 s.
pub fn robust_line(points: &[(f64, f64)]) -> Option<Clock> {
    let span = points.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max)
        - points.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    if points.len() >= 8 && span >= 60.0 {
        crate::align::theil_sen(points)
    } else {
        None
    }
}

/// A stretch's correction from its heard cues: `(mapped start s, heard start s)` pairs of
/// cues heard well. With many points over a long stretch, a robust line (Theil–Sen) when its
/// rate stays within [`MAX_RESIDUAL_RATE`] of 1; otherwise the median shift. `None` without
/// points.
pub fn fit(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    fit_with(points, robust_line(points))
}

/// [`fit`], given `points`' [`robust_line`].
pub fn fit_with(points: &[(f64, f64)], line: Option<Clock>) -> Option<(f64, f64)> {
    if points.is_empty() {
        return None;
    }
    if let Some(clock) = line
        && (clock.rate - 1.0).abs() <= MAX_RESIDUAL_RATE
    {
        return Some((clock.offset, clock.rate));
    }
    let mut shifts: Vec<f64> = points.iter().map(|(x, y)| y - x).collect();
    median(&mut shifts).map(|m| (m, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acoustic::pronounce::{Source, phone};

    /// `n` words of three phones each; `None` at the positions in `unsaid`.
    fn cue_words(n: usize, unsaid: &[usize]) -> Vec<Option<Pronounced>> {
        (0..n)
            .map(|i| {
                let phones = vec![phone("K"), phone("AE"), phone("T")];
                (!unsaid.contains(&i))
                    .then(|| Pronounced::new("cat", vec![phones], Source::Dictionary))
            })
            .collect()
    }

    /// A long cue is heard by its first and last [`EDGE_WORDS`] words, each edge given its
    /// phones' share of the cue's time; a cue of twice as many words or fewer, or one whose
    /// unheard middle would be shorter than both windows' slack, is heard whole.
    #[test]
    fn a_long_cue_is_heard_by_its_edges() {
        let e = EDGE_WORDS;
        let words = cue_words(30, &[]);
        let got = edges(&words, (100.0, 115.0), 1.5, e).expect("heard by its edges");
        assert_eq!((got.head_words, got.tail_from), (e, 30 - e));
        let edge_s = 15.0 * e as f64 / 30.0;
        assert!((got.head_s - edge_s).abs() < 1e-9, "{got:?}");
        assert!((got.tail_s - edge_s).abs() < 1e-9, "{got:?}");
        // The middle (15 s less both edges) must outlast twice the slack.
        let short = 2.0 * 1.5 / (1.0 - 2.0 * e as f64 / 30.0);
        assert!(edges(&words, (0.0, short + 0.1), 1.5, e).is_some());
        assert_eq!(edges(&words, (0.0, short - 0.1), 1.5, e), None);
        assert_eq!(edges(&cue_words(2 * e, &[]), (0.0, 60.0), 1.5, e), None);
    }

    /// Words without a pronunciation are not counted among an edge's words, nor do they
    /// take any of the cue's time.
    #[test]
    fn an_edge_counts_only_words_with_a_pronunciation() {
        let e = EDGE_WORDS;
        let n = 2 * e + 4;
        let words = cue_words(n, &[0, 2, n - 1]);
        let got = edges(&words, (0.0, 60.0), 1.5, e).expect("heard by its edges");
        assert_eq!((got.head_words, got.tail_from), (e + 2, n - 1 - e));
        let per_word = 60.0 / (n - 3) as f64;
        assert!((got.head_s - per_word * e as f64).abs() < 1e-9, "{got:?}");
        assert!((got.tail_s - per_word * e as f64).abs() < 1e-9, "{got:?}");
        // No words per edge: heard whole.
        assert_eq!(edges(&words, (0.0, 60.0), 1.5, 0), None);
        // One pronounced word fewer: 2 · EDGE_WORDS of them, heard whole.
        assert_eq!(
            edges(&cue_words(n, &[0, 2, 5, n - 1]), (0.0, 60.0), 1.5, e),
            None
        );
    }

    /// The sample clip's first turn (Kerry, 29 words over 8.4 s) heard by its edges starts
    /// and ends where it does heard whole, and fits about as well: what a stretch's line is
    /// fitted through does not move, only the middle's frames go unscored.
    #[test]
    fn a_long_cues_edges_are_heard_where_the_whole_cue_is() {
        use crate::acoustic::denoise::TwinCepstra;
        use crate::acoustic::frontend::FrontEnd;
        let root = crate::test_signals::repo_path("sample-audio");
        let mut wav = hound::WavReader::open(root.join("clip-kerry-45s.wav")).unwrap();
        assert_eq!(wav.spec().sample_rate, 16000);
        let samples: Vec<f32> = wav
            .samples::<i16>()
            .map(|s| f32::from(s.unwrap()) / 32768.0)
            .collect();
        let model = AcousticModel::shared().unwrap();
        let mut front_end = FrontEnd::denoising(model.feat_params());
        let mut twin = TwinCepstra::default();
        front_end.push(&samples, &mut twin);
        front_end.finish(&mut twin);
        let cepstra = twin.choose();
        let transcript = crate::transcript::read(&root.join("clip-kerry-45s.txt"), None).unwrap();
        let words: Vec<String> = transcript.turns[0].words().map(str::to_string).collect();
        assert_eq!(words.len(), 29, "{words:?}");
        let said = pronounce_cues(std::slice::from_ref(&words), &Language::english());
        let ears = Ears {
            model: &model,
            cepstra: &cepstra,
            said: &said,
        };
        // The turn's true span (sample-audio/clip-kerry-45s.truth.json), 0.3 s late.
        let place = [Some((1.1, 9.51))];
        let cue = said[0].as_deref().unwrap();
        assert!(edges(cue, place[0].unwrap(), 1.5, EDGE_WORDS).is_some());
        let (s, e, g) = hear_edges(ears, &place, 1.5, EDGE_WORDS)[0].expect("heard by its edges");
        let (ws, we, wg) = hear_edges(ears, &place, 1.5, usize::MAX)[0].expect("heard whole");
        assert!(
            (s - ws).abs() <= 0.02 && (e - we).abs() <= 0.02,
            "{s}-{e} vs {ws}-{we}"
        );
        assert!((s - 0.8).abs() <= 0.1 && (e - 9.21).abs() <= 0.1, "{s}-{e}");
        assert!(g >= HEARD_FIT && (g - wg).abs() <= 1.0, "{g} vs {wg}");
    }

    /// Forty cues over 136 s heard at one offset (0.1 s) and the first fifteen 0.4 s late
    /// (cues shown in the pause before their words): a line through them would drift by
    /// 0.1 s over the file; the stretch keeps one shift.
    #[test]
    fn a_changing_lead_is_no_clock_drift() {
        let points: Vec<(f64, f64)> = (0..40)
            .map(|k| {
                let m = 3.4 * f64::from(k);
                let lead = if k < 15 { 0.4 } else { 0.0 };
                (m, m + 0.1 + lead + 0.01 * f64::from(k % 3))
            })
            .collect();
        let (offset, rate) = fit(&points).expect("points");
        assert_eq!(rate, 1.0);
        assert!((offset - 0.11).abs() < 0.011, "{offset}");
    }

    /// Cues wider than their words, as the real telephone call's (its truth starts at the
    /// first energy of each turn, often a breath before the first word): each starts 0–0.8 s
    /// before its first word and ends 0–0.6 s after its last. Their first words alone put
    /// the stretch 0.21 s late; both ends within 50 ms. Cues tight on their words keep their
    /// offset exactly.
    #[test]
    fn a_stretch_sits_between_its_cues_leads_and_tails() {
        let leads = [0.78, -0.02, 0.13, 0.61, 0.21, 0.27, -0.02];
        let tails = [0.52, 0.08, 0.02, 0.3, 0.03, 0.61, 0.09];
        let mapped: Vec<Option<(f64, f64)>> = (0..7)
            .map(|k| {
                let m = 10.0 + 3.0 * f64::from(k);
                Some((m, m + 2.0))
            })
            .collect();
        let members: Vec<usize> = (0..7).collect();
        let wide: Vec<Option<(f64, f64, f32)>> = mapped
            .iter()
            .zip(leads.iter().zip(&tails))
            .map(|(m, (l, t))| m.map(|(s, e)| (s + l, e - t, -1.0)))
            .collect();
        let (starts_only, _) = fit(&points(&members, &mapped, &wide, 1.5)
            .into_iter()
            .step_by(2)
            .collect::<Vec<_>>())
        .expect("points");
        assert!((starts_only - 0.21).abs() < 1e-9, "{starts_only}");
        let (offset, rate) = fit(&points(&members, &mapped, &wide, 1.5)).expect("points");
        assert_eq!(rate, 1.0);
        assert!(offset.abs() < 0.05, "{offset}");
        let tight: Vec<Option<(f64, f64, f32)>> = mapped
            .iter()
            .map(|m| m.map(|(s, e)| (s + 0.4, e + 0.4, -1.0)))
            .collect();
        let (offset, _) = fit(&points(&members, &mapped, &tight, 1.5)).expect("points");
        assert!((offset - 0.4).abs() < 1e-9, "{offset}");
    }

    /// What the ratio grid leaves (3·10⁻⁵ over 2000 s: 60 ms at the end) is followed.
    #[test]
    fn a_small_residual_rate_is_followed() {
        let points: Vec<(f64, f64)> = (0..50)
            .map(|k| {
                let m = 40.0 * f64::from(k);
                (m, 0.2 + m * (1.0 + 3e-5))
            })
            .collect();
        let (offset, rate) = fit(&points).expect("points");
        assert!((rate - (1.0 + 3e-5)).abs() < 1e-6, "{rate}");
        assert!((offset - 0.2).abs() < 1e-3, "{offset}");
    }
}
