//! Advanced SubStation Alpha (`.ass`), written through the subtitle module's ASS writer
//! ([`crate::subtitle::ass`]): one style per speaker (its own text colour, so viewers tell
//! voices apart), the speaker as the event's `Name`, the cues of SRT and WebVTT.
//!
//! When a turn's words are timed, each word carries a karaoke tag `{\kN}`: `N`
//! centiseconds from the word's start to the next word's start (the last word's to the
//! cue's end), after a `{\kN}` of silence when the first word starts after the cue. Times
//! are ASS's centiseconds; each tag is rounded from the cue's start, so the sum of the tags
//! lands every word within 5 ms of its time.

#[cfg(test)]
use super::cues::TokenTime;
use super::cues::{Cue, subtitle_cues};
use super::{ExportOptions, Ms, speaker_name};
use crate::report::Alignment;
use crate::subtitle::ass::{Style, dialogue, field, plain_text, script_header};

/// Text colours of the speakers' styles in turn (`&HAABBGGRR`): white, yellow, cyan,
/// light green, pink, orange; repeated past six speakers.
const COLOURS: [&str; 6] = [
    "&H00FFFFFF",
    "&H0000FFFF",
    "&H00FFFF00",
    "&H0080FF80",
    "&H00FF80FF",
    "&H000080FF",
];

/// Renders the alignment as an ASS script.
pub(super) fn render(alignment: &Alignment, options: &ExportOptions) -> String {
    let mut speakers: Vec<String> = Vec::new();
    for turn in &alignment.turns {
        if let Some(name) = speaker_name(turn).map(|s| field(&s))
            && !speakers.contains(&name)
        {
            speakers.push(name);
        }
    }
    let mut styles = vec![Style::default_style()];
    styles.extend(speakers.iter().enumerate().map(|(k, name)| Style {
        name: name.clone(),
        colour: COLOURS[(k + 1) % COLOURS.len()].to_owned(),
    }));
    let mut out = script_header(&styles);
    for cue in subtitle_cues(alignment, options, false) {
        let turn = &alignment.turns[cue.turn];
        let speaker = speaker_name(turn).map(|s| field(&s));
        let style = speaker.as_deref().unwrap_or("Default");
        let name = speaker
            .as_deref()
            .filter(|_| options.speaker_names)
            .unwrap_or("");
        let text = if turn.transcribed && turn.words.is_some() {
            karaoke(&cue)
        } else {
            plain_text(&cue.lines.join("\n"))
        };
        out.push_str(&dialogue(cue.start, cue.end, style, name, &text));
    }
    out
}

/// The cue's text with a `{\kN}` tag before each word.
fn karaoke(cue: &Cue) -> String {
    // Centiseconds from the cue's start, rounded.
    let cs = |ms: Ms| ((ms - cue.start).max(0) + 5) / 10;
    let mut starts: Vec<Ms> = Vec::with_capacity(cue.tokens.len());
    let mut floor = cue.start;
    for token in &cue.tokens {
        let start = token.start;
        floor = start.clamp(floor, cue.end.max(floor));
        starts.push(floor);
    }
    let mut out = String::new();
    if let Some(&first) = starts.first()
        && cs(first) > 0
    {
        out.push_str(&format!("{{\\k{}}}", cs(first)));
    }
    let mut k = 0;
    for (l, line) in cue.lines.iter().enumerate() {
        if l > 0 {
            out.push_str("\\N");
        }
        for (w, word) in line.split(' ').enumerate() {
            let start = starts.get(k).copied().unwrap_or(cue.end);
            let next = starts.get(k + 1).copied().unwrap_or(cue.end);
            let space = if w > 0 { " " } else { "" };
            out.push_str(&format!(
                "{space}{{\\k{}}}{}",
                cs(next) - cs(start),
                plain_text(word)
            ));
            k += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn karaoke_tags_sum_to_word_starts() {
        let cue = Cue {
            start: 1000,
            end: 3000,
            lines: vec!["So, {what}".into(), "next".into()],
            tokens: [1204, 1500, 900]
                .map(|start| TokenTime {
                    start,
                    end: start + 100,
                    timed: true,
                })
                .to_vec(),
            turn: 0,
        };
        // "next" starts before the word before it: it is held at that word's start.
        assert_eq!(
            karaoke(&cue),
            "{\\k20}{\\k30}So, {\\k0}\u{ff5b}what\u{ff5d}\\N{\\k150}next"
        );
    }
}
