//! Praat TextGrid, long text format (`ooTextFile`), written as Praat itself writes it.
//!
//! One interval tier per speaker, in order of first appearance (turns without a speaker
//! go on a tier named `speech`); when a speaker's turns carry word timings, a
//! `<speaker> - words` tier follows, and when the words carry phones (`--phones`), a
//! `<speaker> - phones` tier after it. Every tier covers `0 .. xmax` contiguously, with
//! empty-text intervals between turns; `xmax` is the audio duration (or the last turn's
//! end, if later). Overlaps on one tier are clipped as in subtitles; zero-length intervals
//! are left out (Praat cannot hold them).

use std::fmt::Write;

use super::{Ms, Span, display_text, one_line, tier_name, tier_names, to_ms, untangle};
use crate::report::Alignment;

/// A labelled stretch of time.
#[derive(Debug, Clone, PartialEq)]
struct Interval {
    start: Ms,
    end: Ms,
    text: String,
}

impl Span for Interval {
    fn bounds(&self) -> (Ms, Ms) {
        (self.start, self.end)
    }

    fn set_bounds(&mut self, start: Ms, end: Ms) {
        (self.start, self.end) = (start, end);
    }
}

fn interval(start: Ms, end: Ms, text: String) -> Interval {
    Interval { start, end, text }
}

/// Renders the alignment as a TextGrid.
pub(super) fn render(alignment: &Alignment) -> String {
    let xmax = alignment
        .turns
        .iter()
        .map(|t| to_ms(t.end))
        .chain(std::iter::once(to_ms(alignment.audio.duration_s)))
        .max()
        .unwrap_or(0)
        .max(0);

    let speakers = tier_names(alignment);
    let mut tiers: Vec<(String, Vec<Interval>)> = Vec::new();
    for speaker in speakers {
        let turns: Vec<_> = alignment
            .turns
            .iter()
            .filter(|t| tier_name(t) == speaker)
            .collect();
        let spans = turns
            .iter()
            .map(|t| interval(to_ms(t.start), to_ms(t.end), display_text(t)))
            .collect();
        let words: Vec<Interval> = turns
            .iter()
            .flat_map(|t| {
                let (start, end) = (to_ms(t.start), to_ms(t.end));
                t.words.iter().flatten().map(move |w| {
                    let clip = |s: f64| to_ms(s).clamp(start, end.max(start));
                    interval(clip(w.start), clip(w.end), one_line(&w.word))
                })
            })
            .collect();
        let phones: Vec<Interval> = turns
            .iter()
            .flat_map(|t| {
                let (start, end) = (to_ms(t.start), to_ms(t.end));
                let clip = move |s: f64| to_ms(s).clamp(start, end.max(start));
                t.words
                    .iter()
                    .flatten()
                    .flat_map(|w| w.phones.iter().flatten())
                    .map(move |p| interval(clip(p.start), clip(p.end), one_line(&p.phone)))
            })
            .collect();
        let has_words = turns.iter().any(|t| t.words.is_some());
        let has_phones = turns
            .iter()
            .flat_map(|t| t.words.iter().flatten())
            .any(|w| w.phones.is_some());
        tiers.push((speaker.clone(), contiguous(spans, xmax)));
        if has_words {
            tiers.push((format!("{speaker} - words"), contiguous(words, xmax)));
        }
        if has_phones {
            tiers.push((format!("{speaker} - phones"), contiguous(phones, xmax)));
        }
    }

    let mut out = String::new();
    let _ = write!(
        out,
        "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\n\
         xmin = 0 \nxmax = {} \ntiers? <exists> \nsize = {} \nitem []: \n",
        seconds(xmax),
        tiers.len()
    );
    for (i, (name, intervals)) in tiers.iter().enumerate() {
        let _ = write!(
            out,
            "    item [{}]:\n        class = \"IntervalTier\" \n        name = \"{}\" \n        \
             xmin = 0 \n        xmax = {} \n        intervals: size = {} \n",
            i + 1,
            quote(name),
            seconds(xmax),
            intervals.len()
        );
        for (k, Interval { start, end, text }) in intervals.iter().enumerate() {
            let _ = write!(
                out,
                "        intervals [{}]:\n            xmin = {} \n            xmax = {} \n            \
                 text = \"{}\" \n",
                k + 1,
                seconds(*start),
                seconds(*end),
                quote(text)
            );
        }
    }
    out
}

/// Intervals in time order covering `0..xmax` exactly: overlaps clipped as in subtitles
/// ([`untangle`]), what lies past `xmax` cut, gaps filled with empty text.
fn contiguous(mut intervals: Vec<Interval>, xmax: Ms) -> Vec<Interval> {
    untangle(&mut intervals);
    let mut out = Vec::with_capacity(2 * intervals.len() + 1);
    let mut cursor = 0;
    for Interval { start, end, text } in intervals {
        let (start, end) = (start.max(cursor), end.min(xmax));
        if end <= start {
            continue;
        }
        if start > cursor {
            out.push(interval(cursor, start, String::new()));
        }
        out.push(interval(start, end, text));
        cursor = end;
    }
    if cursor < xmax || out.is_empty() {
        out.push(interval(cursor, xmax, String::new()));
    }
    out
}

/// Seconds as Praat prints them: no trailing zeros, `0`, `1.5`, `12.345`.
fn seconds(ms: Ms) -> String {
    let text = super::fixed3(ms);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// TextGrid strings double their quotes.
fn quote(text: &str) -> String {
    text.replace('"', "\"\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_fill_gaps_and_clip() {
        let iv = |a, b, t: &str| interval(a, b, t.to_owned());
        let got = contiguous(
            vec![
                iv(3000, 5000, "b"),
                iv(1000, 3500, "a"),
                iv(6000, 6000, "z"),
            ],
            8000,
        );
        assert_eq!(
            got,
            [
                iv(0, 1000, ""),
                iv(1000, 3000, "a"), // "a" ends where "b" begins
                iv(3000, 5000, "b"),
                iv(5000, 8000, "")
            ]
        );
        assert_eq!(contiguous(vec![], 2000), [iv(0, 2000, "")]);
    }

    #[test]
    fn praat_numbers_and_quotes() {
        assert_eq!(seconds(0), "0");
        assert_eq!(seconds(1500), "1.5");
        assert_eq!(seconds(12_345), "12.345");
        assert_eq!(seconds(10_000), "10");
        assert_eq!(quote(r#"say "hi""#), r#"say ""hi"""#);
    }
}
