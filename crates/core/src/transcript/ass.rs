//! ASS/SSA subtitle scripts as transcripts, read through the subtitle reader
//! ([`Subtitles`](crate::subtitle::Subtitles), the one that `sync` uses).
//!
//! Each `Dialogue:` event with words is a turn starting at the event's start; the `Name`
//! (`Actor`) field is its speaker, else a `Name: text` label at its start when the script's
//! events use them. Override tags (`{\i1}`, karaoke `{\k20}`) are removed, `\N` breaks a line,
//! `\h` is a space; drawings (`{\p1}`) and `Comment:` events are not speech. Events are put
//! in time order. What the subtitle reader refuses (a time that is not a time, an event ending
//! before it starts, `Dialogue:` before `Format:`) is `malformed`, with its line.

use std::collections::BTreeMap;

use super::timed::{self, Item, malformed};
use super::{Draft, TierInfo};
use crate::subtitle::{SubtitleFormat, Subtitles, order_warnings, strip_markup};

/// Parses an ASS/SSA script.
pub(crate) fn parse(source: &str) -> Draft {
    let mut draft = read_draft(source);
    timed::clamp_lines(&mut draft, source);
    draft
}

/// [`parse`] before problem lines are kept inside the file.
fn read_draft(source: &str) -> Draft {
    let mut draft = Draft::default();
    let subs = match Subtitles::parse(source, Some(SubtitleFormat::Ass)) {
        Ok(subs) => subs,
        Err((line, message)) => {
            draft.problems.push(malformed(
                line,
                format!("ASS script: {message}"),
                "fix it there (Aegisub opens the script and shows the event), or give the \
                 script as its program saved it",
            ));
            return draft;
        }
    };
    // The subtitle reader's notes on order and overlap speak of `sync`, which keeps cues in
    // file order; read as a transcript, events are put in time order (`into_turns` says so
    // when it reorders them) and overlapping ones are overlapping speech.
    let sync_notes = order_warnings(&subs.cues);
    draft.reading.extend(
        subs.warnings
            .iter()
            .filter(|w| !sync_notes.contains(w))
            .cloned(),
    );
    let overlapping: Vec<usize> = subs
        .cues
        .windows(2)
        .filter(|w| w[0].start_ms <= w[1].start_ms && w[1].start_ms < w[0].end_ms)
        .map(|w| w[1].number)
        .collect();
    if let Some(first) = overlapping.first() {
        draft.reading.push(format!(
            "{} event(s) start before the event above them ends (first: event {first}): read as \
             overlapping speech, each a turn at its own start",
            overlapping.len()
        ));
    }
    // Speaker (Name field) → (first line, events read).
    let mut names: BTreeMap<Option<String>, (usize, usize)> = BTreeMap::new();
    let mut items = Vec::new();
    for cue in &subs.cues {
        if is_drawing(&cue.text) {
            continue;
        }
        let text = strip_markup(&cue.text);
        if text.trim().is_empty() {
            continue;
        }
        let entry = names.entry(cue.name.clone()).or_insert((cue.line, 0));
        entry.1 += 1;
        items.push(Item {
            start: Some(cue.start_ms as f64 / 1000.0),
            line: cue.line,
            tier: 0,
            speaker: cue.name.clone(),
            text,
        });
    }
    let mut by_line: Vec<_> = names.into_iter().collect();
    by_line.sort_by_key(|(_, (line, _))| *line);
    for (name, (line, turns)) in by_line {
        draft.tiers.push(TierInfo {
            name: name
                .clone()
                .unwrap_or_else(|| "(events without a Name)".into()),
            kind: "events".into(),
            line,
            speaker: name,
            turns,
            ignored: None,
        });
    }
    timed::labels_in_text(&mut items);
    timed::into_turns(items, &mut draft);
    draft
}

/// True for an event in drawing mode (`{\p1}` and up): vector shapes, not words.
fn is_drawing(text: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find("\\p") {
        rest = &rest[at + 2..];
        if rest.starts_with(|c: char| ('1'..='9').contains(&c)) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const ASS: &str = "[Script Info]\nScriptType: v4.00+\n\n[V4+ Styles]\nFormat: Name, Fontname\nStyle: Default,Arial\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:03.00,0:00:04.00,Default,Diane,0,0,0,,{\\i1}Yes{\\i0}, sure.\nDialogue: 0,0:00:01.25,0:00:02.50,Default,Kerry,0,0,0,,{\\k20}I {\\k30}said,\\Nno.\nComment: 0,0:00:05.00,0:00:06.00,Default,,0,0,0,,not shown\nDialogue: 0,0:00:05.00,0:00:06.00,Default,,0,0,0,,{\\p1}m 0 0 l 100 0 100 100{\\p0}\n";

    #[test]
    fn events_are_turns_in_time_order_named_by_the_name_field() {
        let d = parse(ASS);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        let got = crate::transcript::timed::stamped_turns(&d);
        assert_eq!(
            got,
            [
                (Some("Kerry"), "0:00:01.250", vec!["I said,\nno."], 11),
                (Some("Diane"), "0:00:03.000", vec!["Yes, sure."], 10),
            ]
        );
        assert_eq!(d.tiers.len(), 2);
        assert_eq!(d.tiers[0].name, "Diane");
    }

    #[test]
    fn a_broken_time_is_refused_with_its_line() {
        let d = parse(&ASS.replace("0:00:04.00", "0:00:0x.00"));
        assert_eq!(d.problems[0].kind, "malformed");
        assert_eq!(d.problems[0].line, 10);
        assert_eq!(
            d.problems[0].message,
            "ASS script: cue 1: end time `0:00:0x.00` is not a timecode; write it as h:mm:ss.cc \
             (ASS, e.g. 0:01:02.50)"
        );
    }

    #[test]
    fn events_out_of_order_are_put_in_time_order_said_once() {
        // ASS lists Diane (3 s) before Kerry (1.25 s); the drawing overlaps nothing.
        let d = parse(ASS);
        assert_eq!(
            d.reading,
            ["stretches were put in time order (the file lists some out of order)"]
        );
        let overlapping = ASS.replace("0:00:01.25,0:00:02.50", "0:00:03.50,0:00:04.50");
        let d = parse(&overlapping);
        assert_eq!(
            d.reading,
            [
                "1 event(s) start before the event above them ends (first: event 2): read as \
                 overlapping speech, each a turn at its own start"
            ]
        );
    }
}
