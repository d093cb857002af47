//! Splitting turns into readable subtitle cues, timed inside their turn.
//!
//! A turn's text is cut at whitespace into tokens; notes such as `...` stay tokens as
//! written. Every token gets a time span: from the turn's word timings where a timed word
//! matches it, otherwise by spreading the time between known points over the characters
//! in between (with no word timings: the whole turn, proportionally to characters). A
//! dynamic programme then groups tokens into cues that fit the layout limits, preferring
//! breaks after a sentence, then after a clause, then before a conjunction, then between
//! other words, and least after an article or preposition; and cues of similar size. Last,
//! the times are tidied: short pauses inside a turn are bridged, short cues lengthened, long
//! ones cut, and cues of overlapping turns clipped.

use std::ops::Range;

use super::{ExportOptions, Ms, Span, display_text, speaker_name, to_ms, untangle};
use crate::report::{Alignment, WordTiming};
use crate::transcript::{CLOSERS, WrittenPause, written_pause};

/// Pauses inside a turn shorter than this keep the earlier cue on screen, so text does not
/// flicker off between two cues of one sentence.
const BRIDGE_GAP_MS: Ms = 1000;
/// How many word pieces ahead a timed word may be matched in the text (skips notes and
/// words the aligner left out, without jumping to a far repetition of a common word).
const WORD_LOOKAHEAD: usize = 12;

/// Cost of one more cue: fewer, fuller cues read better.
const CUE_COST: f64 = 1.0;
/// Weight of a cue's unused capacity, squared: balances cue sizes.
const SLACK_WEIGHT: f64 = 0.3;
/// Weight of a cue being shorter than the minimum time, relative to the shortfall.
const SHORT_WEIGHT: f64 = 2.0;
/// Weight of a cue lasting longer than the maximum, per maximum of excess.
const EXCESS_WEIGHT: f64 = 3.0;
/// Cost of a cue holding only notes such as `...`.
const NOTE_ONLY_COST: f64 = 3.0;
/// Weight of a line break's kind against line balance inside one cue.
const LINE_BREAK_WEIGHT: f64 = 0.1;

/// What a break after a token would cut.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Boundary {
    /// After `.`, `!`, `?` (or at the end of the text).
    Sentence,
    /// After `,`, `;`, `:`, a dash, or a pause `...`.
    Clause,
    /// Between two words, before a conjunction (`… | and then`): reads well.
    BeforeConjunction,
    /// Between two words.
    Word,
    /// After an article, preposition, conjunction or pronoun (`the | opposition`): leaves
    /// the line hanging.
    AfterFunctionWord,
    /// Before punctuation standing alone (`right ?`): never wanted.
    Glued,
}

impl Boundary {
    fn cost(self) -> f64 {
        match self {
            Boundary::Sentence => 0.0,
            Boundary::Clause => 0.3,
            Boundary::BeforeConjunction => 0.8,
            Boundary::Word => 1.5,
            Boundary::AfterFunctionWord => 2.5,
            Boundary::Glued => 5.0,
        }
    }
}

/// A whitespace-separated piece of a turn's text.
#[derive(Debug)]
struct Token<'a> {
    text: &'a str,
    /// Length in characters (what a line limit counts).
    chars: usize,
    /// The kind of break after this token.
    after: Boundary,
}

/// A subtitle cue, ready to print.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cue {
    /// Start, ms.
    pub start: Ms,
    /// End, ms (after `start`).
    pub end: Ms,
    /// Display lines, the speaker prefix included when asked for.
    pub lines: Vec<String>,
    /// The time of each whitespace-separated word of `lines`, the speaker prefix left out,
    /// in order. Not clipped to the cue (karaoke and word timestamps clip them).
    pub tokens: Vec<TokenTime>,
    /// Index of the turn in `Alignment::turns`.
    pub turn: usize,
}

/// When one word of a cue's text is spoken.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TokenTime {
    /// Start, ms.
    pub start: Ms,
    /// End, ms.
    pub end: Ms,
    /// True when a timed word of the alignment gave its start; false when it was spread
    /// over the characters between known points (notes such as `...`, words the aligner
    /// did not time, every word of a turn without word timings).
    pub timed: bool,
}

/// One turn's cue before cues of different turns are reconciled.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TurnCue {
    pub start: Ms,
    pub end: Ms,
    pub lines: Vec<String>,
    /// As [`Cue::tokens`].
    pub tokens: Vec<TokenTime>,
}

/// Layout limits in export's units, sanitised from [`ExportOptions`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub max_line_chars: usize,
    pub max_lines: usize,
    /// `Ms::MAX` for no limit.
    pub max_cue: Ms,
    pub min_cue: Ms,
}

impl Limits {
    pub(crate) fn new(options: &ExportOptions) -> Limits {
        let positive = |s: f64| s.is_finite() && s > 0.0;
        Limits {
            max_line_chars: options.max_line_chars.max(1),
            max_lines: options.max_lines.max(1),
            max_cue: if positive(options.max_cue_seconds) {
                to_ms(options.max_cue_seconds).max(1)
            } else {
                Ms::MAX
            },
            min_cue: if positive(options.min_cue_seconds) {
                to_ms(options.min_cue_seconds)
            } else {
                0
            },
        }
    }
}

/// The subtitle cues of a whole alignment, in time order, never overlapping (see
/// [`untangle`]).
///
/// `name_first_cue`: put `Speaker:` before the first cue of each turn (SRT) when
/// `options.speaker_names` is on.
pub(crate) fn subtitle_cues(
    alignment: &Alignment,
    options: &ExportOptions,
    name_first_cue: bool,
) -> Vec<Cue> {
    let limits = Limits::new(options);
    let mut cues = Vec::new();
    for (index, turn) in alignment.turns.iter().enumerate() {
        if !turn.transcribed && !options.include_untranscribed {
            continue;
        }
        let prefix = speaker_name(turn)
            .filter(|_| name_first_cue && options.speaker_names)
            .map(|s| format!("{s}:"));
        let start = to_ms(turn.start).max(0);
        let mut end = to_ms(turn.end).max(start);
        let words: &[WordTiming] = match (&turn.words, turn.transcribed) {
            (Some(words), true) => words,
            _ => &[],
        };
        if !turn.transcribed {
            // A label for speech nobody wrote down: shown at the turn's start, as long as
            // one cue may last, not split over the whole untranscribed stretch.
            end = end.min(start.saturating_add(limits.max_cue));
        }
        let text = display_text(turn);
        for cue in split_turn(&text, prefix.as_deref(), start, end, words, &limits) {
            cues.push(Cue {
                start: cue.start,
                end: cue.end,
                lines: cue.lines,
                tokens: cue.tokens,
                turn: index,
            });
        }
    }
    untangle(&mut cues);
    cues
}

impl Span for Cue {
    fn bounds(&self) -> (Ms, Ms) {
        (self.start, self.end)
    }

    fn set_bounds(&mut self, start: Ms, end: Ms) {
        (self.start, self.end) = (start, end);
    }
}

/// Splits one turn's `text` into cues inside `[start, end]` (ms).
///
/// `prefix` (e.g. `Kerry:`) heads the first cue and counts towards its line length;
/// `words` are the turn's word timings, possibly empty. The cues are ordered, do not
/// overlap, stay inside the turn, last at most `limits.max_cue` and, when the turn is long
/// enough for all of them, at least `limits.min_cue`; their lines, joined, give `text`
/// with whitespace collapsed.
pub(crate) fn split_turn(
    text: &str,
    prefix: Option<&str>,
    start: Ms,
    end: Ms,
    words: &[WordTiming],
    limits: &Limits,
) -> Vec<TurnCue> {
    let tokens = tokenize(text);
    if tokens.is_empty() {
        return Vec::new();
    }
    let end = end.max(start);
    let times = token_times(&tokens, start, end, words);
    let timed: Vec<bool> = match_words(&tokens, words)
        .iter()
        .map(|(s, _)| s.is_some())
        .collect();
    let mut cues: Vec<TurnCue> = cut(&tokens, prefix, &times, limits)
        .into_iter()
        .map(|r| {
            let mut items: Vec<(&str, usize, Boundary)> = Vec::with_capacity(r.len() + 1);
            if let (0, Some(p)) = (r.start, prefix) {
                // When the cue needs two lines anyway, the name reads best alone on the first.
                items.push((p, p.chars().count(), Boundary::Sentence));
            }
            items.extend(tokens[r.clone()].iter().map(|t| (t.text, t.chars, t.after)));
            TurnCue {
                start: times[r.start].0,
                end: times[r.end - 1].1,
                lines: wrap(&items, limits.max_line_chars),
                tokens: r
                    .map(|k| TokenTime {
                        start: times[k].0,
                        end: times[k].1,
                        timed: timed[k],
                    })
                    .collect(),
            }
        })
        .collect();
    retime(&mut cues, start, end, limits);
    cues
}

fn tokenize(text: &str) -> Vec<Token<'_>> {
    let pieces: Vec<&str> = text.split_whitespace().collect();
    pieces
        .iter()
        .enumerate()
        .map(|(k, &t)| Token {
            text: t,
            chars: t.chars().count(),
            after: boundary_after(t, pieces.get(k + 1).copied()),
        })
        .collect()
}

fn boundary_after(token: &str, next: Option<&str>) -> Boundary {
    let Some(next) = next else {
        return Boundary::Sentence;
    };
    let stands_alone = |c: char| matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')' | ']' | '}');
    if next.chars().all(stands_alone) && !next.starts_with("..") {
        return Boundary::Glued;
    }
    match written_pause(token) {
        Some(WrittenPause::Sentence) => return Boundary::Sentence,
        Some(WrittenPause::Clause) => return Boundary::Clause,
        None => {}
    }
    let core = token.trim_end_matches(CLOSERS);
    if is_one_of(core, FUNCTION_WORDS) {
        Boundary::AfterFunctionWord
    } else if is_one_of(next, CONJUNCTIONS) {
        Boundary::BeforeConjunction
    } else {
        Boundary::Word
    }
}

/// English words a line should not end on (the usual subtitling advice); other languages
/// simply get plain word breaks.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "and",
    "or", "but", "because", "if", "my", "your", "our", "their", "his", "her", "its", "i", "we",
    "you", "they", "he", "she", "it's", "i'm", "we're", "you're", "they're",
];

/// English words a line may well start with.
const CONJUNCTIONS: &[&str] = &[
    "and", "but", "or", "because", "so", "that", "which", "who", "when", "where", "while", "if",
    "than", "then",
];

fn is_one_of(token: &str, list: &[&str]) -> bool {
    let word = token.trim_matches(|c: char| !c.is_alphanumeric());
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Start and end (ms) of every token: word timings where they match, the rest spread
/// linearly over character positions between the known points.
fn token_times(tokens: &[Token], start: Ms, end: Ms, words: &[WordTiming]) -> Vec<(Ms, Ms)> {
    // Character positions: a token covers [a, b), one position for each separating space.
    let mut spans = Vec::with_capacity(tokens.len());
    let mut at = 0;
    for t in tokens {
        spans.push((at, at + t.chars));
        at += t.chars + 1;
    }
    let total = at - 1;

    // Known (position, time) points, non-decreasing in both, inside [start, end].
    let mut anchors: Vec<(usize, Ms)> = vec![(0, start)];
    let mut anchor = |pos: usize, time: Ms| {
        let last = anchors.last_mut().expect("anchors start non-empty");
        let time = time.clamp(last.1, end);
        if pos == last.0 {
            last.1 = time;
        } else {
            anchors.push((pos, time));
        }
    };
    for (k, (s, e)) in match_words(tokens, words).into_iter().enumerate() {
        if let Some(s) = s {
            anchor(spans[k].0, s);
        }
        if let Some(e) = e {
            anchor(spans[k].1, e);
        }
    }
    if anchors.last().is_some_and(|a| a.0 < total) {
        anchors.push((total, end));
    }

    let time_at = |pos: usize| -> Ms {
        let i = anchors.partition_point(|a| a.0 <= pos);
        let (p0, t0) = anchors[i - 1];
        match anchors.get(i) {
            None => t0,
            Some(&(p1, t1)) => {
                let f = (pos - p0) as f64 / (p1 - p0) as f64;
                t0 + ((t1 - t0) as f64 * f).round() as Ms
            }
        }
    };
    spans
        .iter()
        .map(|&(a, b)| (time_at(a), time_at(b)))
        .collect()
}

/// For each token, the start and end of the timed words matched to it, in order. A word
/// is matched by its lower-cased letters/digits to the next token pieces (`day-to-day` is
/// three pieces, so either one timed word or three match it); unmatched words are skipped.
fn match_words(tokens: &[Token], words: &[WordTiming]) -> Vec<(Option<Ms>, Option<Ms>)> {
    let mut known = vec![(None, None); tokens.len()];
    if words.is_empty() {
        return known;
    }
    let pieces: Vec<(String, usize)> = tokens
        .iter()
        .enumerate()
        .flat_map(|(k, t)| word_pieces(t.text).map(move |p| (p, k)))
        .collect();
    let mut cursor = 0;
    for word in words {
        let wanted: Vec<String> = word_pieces(&word.word).collect();
        let Some(first) = wanted.first() else {
            continue;
        };
        let window = cursor..pieces.len().min(cursor + WORD_LOOKAHEAD);
        let Some(found) = window.into_iter().find(|&i| pieces[i].0 == *first) else {
            continue;
        };
        let last = (found + wanted.len() - 1).min(pieces.len() - 1);
        let (ws, we) = (to_ms(word.start), to_ms(word.end));
        let (a, b) = (pieces[found].1, pieces[last].1);
        known[a].0 = Some(known[a].0.map_or(ws, |s: Ms| s.min(ws)));
        known[b].1 = Some(known[b].1.map_or(we, |e: Ms| e.max(we)));
        cursor = last + 1;
    }
    known
}

/// Lower-cased runs of letters, digits and inner apostrophes: `"We're` → `we're`.
fn word_pieces(s: &str) -> impl Iterator<Item = String> + '_ {
    let apostrophe = |c: char| c == '\'' || c == '\u{2019}';
    s.split(move |c: char| !(c.is_alphanumeric() || apostrophe(c)))
        .map(move |p| {
            p.trim_matches(apostrophe)
                .to_lowercase()
                .replace('\u{2019}', "'")
        })
        .filter(|p| !p.is_empty())
}

/// Greedy line filling: the fewest lines a run of tokens needs.
struct LineFill {
    max: usize,
    lines: usize,
    len: usize,
}

impl LineFill {
    fn push(&mut self, chars: usize) {
        if self.lines == 0 {
            self.lines = 1;
            self.len = chars;
        } else if self.len + 1 + chars <= self.max {
            self.len += 1 + chars;
        } else {
            self.lines += 1;
            self.len = chars;
        }
    }
}

/// Groups tokens into cues: the cheapest sequence of cues that each fit the line limits
/// and last at most `max_cue` (a single token always fits). A cue of at most one line of
/// text may last longer, at a cost: a short text spoken slowly ("I understand ...") reads
/// better whole, shown for `max_cue`, than one word per cue. Costs favour few cues, breaks
/// after sentences and clauses, balanced sizes, cues of at least `min_cue`, and cues with
/// words in them (not a lone `...`).
fn cut(
    tokens: &[Token],
    prefix: Option<&str>,
    times: &[(Ms, Ms)],
    limits: &Limits,
) -> Vec<Range<usize>> {
    let n = tokens.len();
    let capacity = limits.max_lines.saturating_mul(limits.max_line_chars) as f64;
    let mut best = vec![f64::INFINITY; n + 1];
    let mut from = vec![0; n + 1];
    best[0] = 0.0;
    for i in 0..n {
        let mut fill = LineFill {
            max: limits.max_line_chars,
            lines: 0,
            len: 0,
        };
        let mut chars = 0;
        let mut has_word = false;
        if let (0, Some(p)) = (i, prefix) {
            chars = p.chars().count();
            fill.push(chars);
        }
        for j in i + 1..=n {
            let token = &tokens[j - 1];
            fill.push(token.chars);
            chars += token.chars + usize::from(chars > 0);
            has_word |= token.text.chars().any(char::is_alphanumeric);
            let duration = times[j - 1].1 - times[i].0;
            let over = (duration - limits.max_cue).max(0);
            let too_long = over > 0 && chars > limits.max_line_chars;
            if j > i + 1 && (fill.lines > limits.max_lines || too_long) {
                break;
            }
            let slack = 1.0 - (chars as f64 / capacity).min(1.0);
            let short = if duration < limits.min_cue {
                SHORT_WEIGHT * (limits.min_cue - duration) as f64 / limits.min_cue as f64
            } else {
                0.0
            };
            let excess = EXCESS_WEIGHT * over as f64 / limits.max_cue as f64;
            let note_only = if has_word { 0.0 } else { NOTE_ONLY_COST };
            let brk = if j < n { token.after.cost() } else { 0.0 };
            let cost = best[i]
                + CUE_COST
                + brk
                + SLACK_WEIGHT * slack * slack
                + short
                + excess
                + note_only;
            if cost < best[j] {
                best[j] = cost;
                from[j] = i;
            }
        }
    }
    let mut ranges = Vec::new();
    let mut j = n;
    while j > 0 {
        ranges.push(from[j]..j);
        j = from[j];
    }
    ranges.reverse();
    ranges
}

/// Breaks a cue's items (text, characters, kind of break after) into the fewest lines of
/// at most `max` characters (a longer single item gets its own line), balanced in length,
/// preferring breaks after sentences and clauses.
fn wrap(items: &[(&str, usize, Boundary)], max: usize) -> Vec<String> {
    let n = items.len();
    let mut fill = LineFill {
        max,
        lines: 0,
        len: 0,
    };
    for item in items {
        fill.push(item.1);
    }
    let m = fill.lines;
    // best[l][k]: cheapest way to set the first k items on l lines.
    let mut best = vec![vec![f64::INFINITY; n + 1]; m + 1];
    let mut from = vec![vec![0; n + 1]; m + 1];
    best[0][0] = 0.0;
    for l in 1..=m {
        for k in 1..=n {
            let mut chars = 0;
            for a in (0..k).rev() {
                chars += items[a].1 + usize::from(a + 1 < k);
                if chars > max && a + 1 < k {
                    break;
                }
                if !best[l - 1][a].is_finite() {
                    continue;
                }
                let width = chars as f64 / max as f64;
                let brk = if k < n { items[k - 1].2.cost() } else { 0.0 };
                let cost = best[l - 1][a] + width * width + LINE_BREAK_WEIGHT * brk;
                if cost < best[l][k] {
                    best[l][k] = cost;
                    from[l][k] = a;
                }
            }
        }
    }
    let mut lines = Vec::with_capacity(m);
    let mut k = n;
    for l in (1..=m).rev() {
        let a = from[l][k];
        let words: Vec<&str> = items[a..k].iter().map(|i| i.0).collect();
        lines.push(words.join(" "));
        k = a;
    }
    lines.reverse();
    lines
}

/// Tidies one turn's cue times, keeping them ordered and inside `[start, end]`: pauses
/// under [`BRIDGE_GAP_MS`] are bridged; cues shorter than `min_cue` grow into pauses and
/// into their neighbours (forward, then back from the turn's end); cues longer than
/// `max_cue` are cut at their end.
fn retime(cues: &mut [TurnCue], start: Ms, end: Ms, limits: &Limits) {
    let n = cues.len();
    for k in 1..n {
        let next = cues[k].start;
        let prev = &mut cues[k - 1];
        if next - prev.end < BRIDGE_GAP_MS {
            prev.end = prev
                .end
                .max(next.min(prev.start.saturating_add(limits.max_cue)));
        }
    }
    let min = limits.min_cue;
    for k in 0..n {
        if k > 0 {
            cues[k].start = cues[k].start.max(cues[k - 1].end);
        }
        cues[k].end = cues[k].end.max(cues[k].start.saturating_add(min));
    }
    let mut limit = end;
    for cue in cues.iter_mut().rev() {
        cue.end = cue.end.min(limit);
        cue.start = cue.start.min(cue.end.saturating_sub(min));
        limit = cue.start;
    }
    let mut floor = start;
    for cue in cues.iter_mut() {
        cue.start = cue.start.max(floor);
        cue.end = cue.end.max(cue.start);
        cue.end = cue.end.min(cue.start.saturating_add(limits.max_cue));
        floor = cue.end;
    }
}

#[cfg(test)]
mod tests {
    use super::super::one_line;
    use super::*;
    use proptest::prelude::*;

    /// Token times spread over characters, as for a turn without word timings.
    fn spread(times: &[(Ms, Ms)]) -> Vec<TokenTime> {
        times
            .iter()
            .map(|&(start, end)| TokenTime {
                start,
                end,
                timed: false,
            })
            .collect()
    }

    fn limits() -> Limits {
        Limits::new(&ExportOptions::default())
    }

    fn text_of(cues: &[TurnCue]) -> String {
        let lines: Vec<&str> = cues
            .iter()
            .flat_map(|c| c.lines.iter().map(String::as_str))
            .collect();
        lines.join(" ")
    }

    fn word(word: &str, start: f64, end: f64) -> WordTiming {
        WordTiming {
            word: word.into(),
            start,
            end,
            confidence: None,
            fit: None,
            onset_fit: None,
            pause_fit: None,
            phones: None,
        }
    }

    #[test]
    fn short_turn_is_one_cue_on_one_line() {
        let cues = split_turn(
            "I understand ...",
            Some("Kerry:"),
            115_000,
            116_800,
            &[],
            &limits(),
        );
        assert_eq!(
            cues,
            [TurnCue {
                start: 115_000,
                end: 116_800,
                lines: vec!["Kerry: I understand ...".into()],
                tokens: spread(&[(115_000, 115_113), (115_225, 116_350), (116_463, 116_800)]),
            }]
        );
    }

    #[test]
    fn two_lines_are_balanced_and_break_after_a_clause() {
        let text = "Look, I'm Kerry. A lot of wish there was an enforcement mechanism, right?";
        let cues = split_turn(text, None, 0, 5000, &[], &limits());
        assert_eq!(cues.len(), 1);
        assert_eq!(
            cues[0].lines,
            [
                "Look, I'm Kerry. A lot of wish there",
                "was an enforcement mechanism, right?"
            ]
        );
    }

    #[test]
    fn long_turn_breaks_at_sentences_first() {
        let text = "Nusra makes it hard. Al Nusra and Daesh both make it hard because you have \
                    this extreme element out there. And unfortunately some of the opposition \
                    has already ... kind of ... chosen to work with them.";
        let cues = split_turn(text, None, 0, 14_000, &[], &limits());
        let lines: Vec<Vec<&str>> = cues
            .iter()
            .map(|c| c.lines.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(
            lines,
            [
                vec![
                    "Nusra makes it hard.",
                    "Al Nusra and Daesh both make it hard"
                ],
                vec!["because you have this", "extreme element out there."],
                vec![
                    "And unfortunately some",
                    "of the opposition has already ..."
                ],
                vec!["kind of ... chosen to work with them."],
            ]
        );
        assert_eq!(text_of(&cues), one_line(text));
        assert_eq!((cues[0].start, cues[3].end), (0, 14_000));
        for pair in cues.windows(2) {
            assert_eq!(pair[0].end, pair[1].start, "short pauses are bridged");
        }
    }

    #[test]
    fn slow_speech_is_split_by_time() {
        // 40 characters spoken over 20 s: the text fits one cue, the time does not.
        let text = "Well. Hmm. I do not know. We shall see it.";
        let cues = split_turn(text, None, 0, 20_000, &[], &limits());
        assert!(cues.len() >= 3, "{cues:#?}");
        for c in &cues {
            assert!(c.end - c.start <= 7000, "{c:?}");
        }
    }

    #[test]
    fn short_text_spoken_slowly_stays_whole() {
        let cues = split_turn("I understand ...", None, 0, 26_000, &[], &limits());
        assert_eq!(
            cues,
            [TurnCue {
                start: 0,
                end: 7000,
                lines: vec!["I understand ...".into()],
                // Spread over the turn by characters, past the cue's end.
                tokens: spread(&[(0, 1625), (3250, 19500), (21125, 26000)]),
            }]
        );
    }

    #[test]
    fn word_timings_place_cues_on_the_words() {
        let text = "First sentence is here and it is long enough to fill a cue, surely. \
                    Second sentence ... comes after a long pause and also fills its cue.";
        let mut words = Vec::new();
        let mut t = 10.0;
        for w in text.split_whitespace().filter(|w| *w != "...") {
            if w == "comes" {
                t += 5.0; // a pause after "Second sentence ..."
            }
            words.push(word(w, t, t + 0.3));
            t += 0.35;
        }
        let cues = split_turn(text, None, 10_000, to_ms(t), &words, &limits());
        assert!(cues.len() >= 2, "{cues:#?}");
        assert_eq!(cues[0].start, 10_000);
        let second = cues
            .iter()
            .find(|c| c.lines[0].starts_with("Second"))
            .expect("a cue starts at the second sentence");
        // 14 words of 0.35 s before it.
        assert_eq!(second.start, 10_000 + 14 * 350, "{cues:#?}");
        // The pause `...` is a clause break: the cue after it starts on the next word.
        let after_pause = cues
            .iter()
            .find(|c| c.lines[0].starts_with("comes"))
            .expect("a cue starts after the pause");
        assert_eq!(after_pause.start, 10_000 + 16 * 350 + 5000, "{cues:#?}");
        assert_eq!(text_of(&cues), one_line(text));
    }

    #[test]
    fn words_match_through_notes_hyphens_and_case() {
        let tokens = tokenize("So, day-to-day ... \"WE'RE\" fine [?] ok");
        let words = [
            word("so", 1.0, 1.2),
            word("day-to-day", 1.3, 1.9),
            word("we're", 2.5, 2.8),
            word("missing", 2.9, 3.0),
            word("fine", 3.1, 3.4),
            word("ok", 4.0, 4.2),
        ];
        let known = match_words(&tokens, &words);
        assert_eq!(
            known,
            [
                (Some(1000), Some(1200)),
                (Some(1300), Some(1900)),
                (None, None),
                (Some(2500), Some(2800)),
                (Some(3100), Some(3400)),
                (None, None),
                (Some(4000), Some(4200)),
            ]
        );
    }

    #[test]
    fn long_word_gets_its_own_line() {
        let limits = Limits {
            max_line_chars: 10,
            ..limits()
        };
        let cues = split_turn(
            "a Pneumonoultramicroscopic b",
            Some("K:"),
            0,
            3000,
            &[],
            &limits,
        );
        let lines: Vec<&str> = cues
            .iter()
            .flat_map(|c| c.lines.iter().map(String::as_str))
            .collect();
        assert_eq!(lines, ["K: a", "Pneumonoultramicroscopic", "b"]);
    }

    #[test]
    fn short_cues_borrow_from_neighbours() {
        let mut cues = vec![
            TurnCue {
                start: 0,
                end: 200,
                lines: vec![],
                tokens: vec![],
            },
            TurnCue {
                start: 200,
                end: 400,
                lines: vec![],
                tokens: vec![],
            },
            TurnCue {
                start: 400,
                end: 5000,
                lines: vec![],
                tokens: vec![],
            },
        ];
        retime(&mut cues, 0, 5000, &limits());
        let times: Vec<(Ms, Ms)> = cues.iter().map(|c| (c.start, c.end)).collect();
        assert_eq!(times, [(0, 800), (800, 1600), (1600, 5000)]);
    }

    #[test]
    fn overlapping_turns_are_clipped_and_sorted() {
        let cue = |start, end, turn| Cue {
            start,
            end,
            lines: vec![],
            tokens: vec![],
            turn,
        };
        let mut cues = vec![
            cue(0, 5000, 0),
            cue(4000, 6000, 1),
            cue(0, 1000, 2),
            cue(6000, 6000, 3),
        ];
        untangle(&mut cues);
        let got: Vec<(Ms, Ms, usize)> = cues.iter().map(|c| (c.start, c.end, c.turn)).collect();
        // Turn 2 lies under turn 0 and turn 3 has no length: neither can be shown.
        assert_eq!(got, [(0, 5000, 0), (5000, 6000, 1)]);
    }

    /// Proptest's defaults, but seeded, so every run checks the same cases;
    /// `PROPTEST_RNG_SEED` and `PROPTEST_CASES` explore further.
    fn seeded() -> ProptestConfig {
        use prop::test_runner::RngSeed;
        let mut config = ProptestConfig::default();
        if config.rng_seed == RngSeed::Random {
            config.rng_seed = RngSeed::Fixed(0x7a11_9e00);
        }
        config
    }

    fn token_strategy() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => "[a-zA-Z']{1,9}",
            2 => "[a-z]{1,8}[,.?!;:]",
            1 => Just("...".to_string()),
            1 => Just("?".to_string()),
            1 => "[a-z]{30,60}",
            1 => "[éüß—-]{1,4}",
        ]
    }

    fn turn_strategy() -> impl Strategy<Value = (Vec<String>, Vec<&'static str>, Ms, Ms)> {
        (
            prop::collection::vec(token_strategy(), 0..80),
            prop::collection::vec(
                prop_oneof![Just(" "), Just("  "), Just("\n\n"), Just("\t")],
                80,
            ),
            0..100_000i64,
            0..90_000i64,
        )
    }

    proptest! {
        #![proptest_config(seeded())]

        #[test]
        fn cues_are_well_formed(
            (tokens, spaces, start, duration) in turn_strategy(),
            max_line_chars in 8usize..60,
            max_lines in 1usize..4,
            prefix in prop::option::of("[A-Z][a-z]{0,8}:"),
            timed in any::<bool>(),
            seed in any::<u64>(),
        ) {
            let mut text = String::new();
            for (t, s) in tokens.iter().zip(&spaces) {
                text.push_str(t);
                text.push_str(s);
            }
            let end = start + duration;
            // Word timings: every other token, spread over the turn with jitter, some
            // spilling outside it and some out of order, as a shaky aligner might give.
            let mut words = Vec::new();
            if timed {
                let mut x = seed;
                for (k, t) in tokens.iter().enumerate().filter(|(k, _)| k % 2 == 0) {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    let jitter = ((x >> 33) % 2000) as f64 / 1000.0 - 1.0;
                    let at = (start as f64 + duration as f64 * k as f64 / tokens.len() as f64) / 1000.0 + jitter;
                    words.push(word(t, at, at + 0.2));
                }
            }
            let limits = Limits { max_line_chars, max_lines, ..limits() };
            let cues = split_turn(&text, prefix.as_deref(), start, end, &words, &limits);

            prop_assert_eq!(cues.is_empty(), tokens.is_empty());
            let mut joined = text_of(&cues);
            if let Some(p) = prefix.as_ref().filter(|_| !cues.is_empty()) {
                prop_assert!(joined.starts_with(p.as_str()));
                joined = joined[p.len()..].trim_start().to_string();
            }
            prop_assert_eq!(joined, one_line(&text));
            let mut previous_end = start;
            for cue in &cues {
                prop_assert!(previous_end <= cue.start, "ordered, no overlap: {:?}", cues);
                prop_assert!(cue.start <= cue.end && cue.end <= end, "inside: {:?}", cue);
                prop_assert!(cue.end - cue.start <= limits.max_cue);
                let single_token = cue.lines.iter().map(|l| l.split(' ').count()).sum::<usize>() == 1;
                let single_with_prefix = cue.lines.len() == 2 && cue.lines[0] == prefix.clone().unwrap_or_default() && !cue.lines[1].contains(' ');
                prop_assert!(cue.lines.len() <= max_lines || single_token || single_with_prefix, "lines: {:?}", cue);
                for line in &cue.lines {
                    prop_assert!(!line.is_empty());
                    prop_assert!(line.chars().count() <= max_line_chars || !line.contains(' '), "line too long: {:?}", line);
                }
                previous_end = cue.end;
            }
            if duration >= limits.min_cue * cues.len() as Ms {
                for cue in &cues {
                    prop_assert!(cue.end - cue.start >= limits.min_cue, "short: {:?}", cues);
                }
            }
        }
    }
}
