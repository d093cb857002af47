//! WebVTT: a `WEBVTT` header, then cues (optional identifier line, `start --> end settings`,
//! payload). `<v Speaker>` at the start of a cue names its speaker (the tag is removed from
//! the text, other tags stay and count as notes), or else `Name: text` as Zoom writes it; `NOTE` blocks go to the notes; `STYLE` and
//! `REGION` blocks are skipped. The cue parsing itself is shared with SubRip.

use super::Draft;

/// Parses WebVTT.
pub(crate) fn parse(source: &str) -> Draft {
    super::srt::parse_cues(source, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voices_notes_and_identifiers() {
        let src = "WEBVTT - talk\n\nNOTE written by hand\n\nSTYLE\n::cue { color: red }\n\n\
                   intro\n00:01.000 --> 00:04.000 align:start\n<v Kerry>I understand ...</v>\n\n\
                   00:00:05.000 --> 00:00:06.000\n<v.loud Female voice>Huh?\n";
        let d = parse(src);
        assert_eq!(d.notes, [(3, "NOTE written by hand".to_owned())]);
        assert_eq!(d.turns.len(), 2);
        assert_eq!(d.turns[0].line, 8);
        assert_eq!(d.turns[0].speaker_raw.as_deref(), Some("Kerry"));
        assert_eq!(d.turns[0].paragraphs, [(10, "I understand ...".to_owned())]);
        assert_eq!(d.turns[0].stamp.as_ref().unwrap().raw, "00:01.000");
        assert_eq!(d.turns[1].speaker_raw.as_deref(), Some("Female voice"));
        assert_eq!(d.turns[1].stamp.as_ref().unwrap().line, Some(12));
    }

    #[test]
    fn zoom_style_name_colon_cues() {
        let src = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nJohn Kerry: Hello.\n\n\
                   2\n00:00:03.000 --> 00:00:04.000\nJohn Kerry: Again.\n";
        let d = parse(src);
        assert_eq!(d.turns[0].speaker_raw.as_deref(), Some("John Kerry"));
        assert_eq!(d.turns[1].paragraphs, [(9, "Again.".to_owned())]);
    }
}
