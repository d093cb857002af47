//! ELAN annotation files (`.eaf`, format 3.0), as ELAN itself writes them.
//!
//! One tier per speaker (named as in TextGrid: the speaker, or `speech`), holding its
//! turns; when the speaker's turns carry word timings, a dependent tier `<speaker> - words`
//! under it, and when the words carry phones, `<speaker> - phones` under that. Dependent
//! tiers are of linguistic type `word` / `phone` with the `Included_In` constraint: their
//! annotations keep their own times, inside their parent's (a word is clipped to its turn,
//! a phone to its word). Times are whole milliseconds (`TIME_UNITS="milliseconds"`).
//! Overlapping annotations on one tier are clipped as in TextGrid; zero-length ones are left
//! out (ELAN cannot hold them).
//!
//! The `MEDIA_DESCRIPTOR` points at the recording: `RELATIVE_MEDIA_URL` relative to the
//! EAF file ([`ExportOptions::media_relative`]), `MEDIA_URL` its absolute `file://` URL
//! when known, so ELAN opens the audio with the annotations.

use std::fmt::Write;

use super::xml::{escape, file_url, url_path};
use super::{
    ExportOptions, Ms, Span, display_text, media_relative, one_line, tier_name, tier_names, to_ms,
    untangle,
};
use crate::report::{Alignment, TurnTiming};

/// An annotation before it is written: times, text, and the key its children refer to.
#[derive(Debug, Clone, PartialEq)]
struct Annotation {
    start: Ms,
    end: Ms,
    text: String,
    /// Position of the turn (for words) or word (for phones) it was made from.
    key: usize,
}

impl Span for Annotation {
    fn bounds(&self) -> (Ms, Ms) {
        (self.start, self.end)
    }

    fn set_bounds(&mut self, start: Ms, end: Ms) {
        (self.start, self.end) = (start, end);
    }
}

/// One tier: its id, its parent's id, its linguistic type, and its annotations.
struct Tier {
    id: String,
    participant: String,
    parent: Option<String>,
    kind: &'static str,
    annotations: Vec<Annotation>,
}

/// Renders the alignment as an EAF document.
pub(super) fn render(alignment: &Alignment, options: &ExportOptions) -> String {
    let mut tiers: Vec<Tier> = Vec::new();
    for speaker in tier_names(alignment) {
        let turns: Vec<(usize, &TurnTiming)> = alignment
            .turns
            .iter()
            .enumerate()
            .filter(|(_, t)| tier_name(t) == speaker)
            .collect();
        let mut spans: Vec<Annotation> = turns
            .iter()
            .map(|&(k, t)| Annotation {
                start: to_ms(t.start).max(0),
                end: to_ms(t.end),
                text: display_text(t),
                key: k,
            })
            .collect();
        untangle(&mut spans);

        // Words inside their turn as kept; keys number the speaker's words in order.
        let mut words: Vec<Annotation> = Vec::new();
        let mut phones: Vec<Annotation> = Vec::new();
        let mut word_key = 0;
        for parent in &spans {
            let turn = &alignment.turns[parent.key];
            for word in turn.words.iter().flatten() {
                let clip = |s: f64| to_ms(s).clamp(parent.start, parent.end);
                words.push(Annotation {
                    start: clip(word.start),
                    end: clip(word.end),
                    text: one_line(&word.word),
                    key: word_key,
                });
                for phone in word.phones.iter().flatten() {
                    phones.push(Annotation {
                        start: to_ms(phone.start),
                        end: to_ms(phone.end),
                        text: one_line(&phone.phone),
                        key: word_key,
                    });
                }
                word_key += 1;
            }
        }
        untangle(&mut words);
        // Each phone inside its word as kept; a phone of a dropped word goes too.
        phones.retain_mut(|p| match words.iter().find(|w| w.key == p.key) {
            Some(w) => {
                p.start = p.start.clamp(w.start, w.end);
                p.end = p.end.clamp(w.start, w.end);
                true
            }
            None => false,
        });
        untangle(&mut phones);

        let has_words = turns.iter().any(|(_, t)| t.words.is_some());
        let has_phones = turns
            .iter()
            .flat_map(|(_, t)| t.words.iter().flatten())
            .any(|w| w.phones.is_some());
        let words_id = format!("{speaker} - words");
        tiers.push(Tier {
            id: speaker.clone(),
            participant: speaker.clone(),
            parent: None,
            kind: "turn",
            annotations: spans,
        });
        if has_words {
            tiers.push(Tier {
                id: words_id.clone(),
                participant: speaker.clone(),
                parent: Some(speaker.clone()),
                kind: "word",
                annotations: words,
            });
        }
        if has_phones {
            tiers.push(Tier {
                id: format!("{speaker} - phones"),
                participant: speaker.clone(),
                parent: Some(words_id),
                kind: "phone",
                annotations: phones,
            });
        }
    }
    write_document(&tiers, alignment, options)
}

/// The XML of the document.
fn write_document(tiers: &[Tier], alignment: &Alignment, options: &ExportOptions) -> String {
    let relative = media_relative(alignment, options);
    let relative_url = if relative.starts_with("../") || relative.starts_with('/') {
        url_path(&relative)
    } else {
        format!("./{}", url_path(&relative))
    };
    let media_url = options
        .media_absolute
        .as_deref()
        .map_or_else(|| relative_url.clone(), file_url);
    let annotations: usize = tiers.iter().map(|t| t.annotations.len()).sum();

    // One time slot per annotation boundary, numbered in time order.
    let mut slots: Vec<(Ms, usize)> = Vec::with_capacity(2 * annotations);
    for (k, a) in tiers.iter().flat_map(|t| &t.annotations).enumerate() {
        slots.push((a.start, 2 * k));
        slots.push((a.end, 2 * k + 1));
    }
    slots.sort();
    let mut slot_id = vec![0; slots.len()];
    for (n, &(_, boundary)) in slots.iter().enumerate() {
        slot_id[boundary] = n + 1;
    }

    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <ANNOTATION_DOCUMENT AUTHOR=\"talign\" DATE=\"{}\" FORMAT=\"3.0\" VERSION=\"3.0\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:noNamespaceSchemaLocation=\"http://www.mpi.nl/tools/elan/EAFv3.0.xsd\">\n    \
         <HEADER MEDIA_FILE=\"\" TIME_UNITS=\"milliseconds\">\n        \
         <MEDIA_DESCRIPTOR MEDIA_URL=\"{}\" MIME_TYPE=\"{}\" RELATIVE_MEDIA_URL=\"{}\"/>\n        \
         <PROPERTY NAME=\"lastUsedAnnotationId\">{annotations}</PROPERTY>\n    </HEADER>\n    \
         <TIME_ORDER>\n",
        iso_date(options.created_unix.unwrap_or(0)),
        escape(&media_url),
        mime_type(&relative),
        escape(&relative_url),
    );
    for (n, &(ms, _)) in slots.iter().enumerate() {
        let _ = writeln!(
            out,
            "        <TIME_SLOT TIME_SLOT_ID=\"ts{}\" TIME_VALUE=\"{ms}\"/>",
            n + 1
        );
    }
    out.push_str("    </TIME_ORDER>\n");
    let mut k = 0;
    for tier in tiers {
        let parent = tier
            .parent
            .as_deref()
            .map(|p| format!(" PARENT_REF=\"{}\"", escape(p)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    <TIER LINGUISTIC_TYPE_REF=\"{}\"{parent} PARTICIPANT=\"{}\" TIER_ID=\"{}\">",
            tier.kind,
            escape(&tier.participant),
            escape(&tier.id)
        );
        for a in &tier.annotations {
            let _ = write!(
                out,
                "        <ANNOTATION>\n            <ALIGNABLE_ANNOTATION ANNOTATION_ID=\"a{}\" \
                 TIME_SLOT_REF1=\"ts{}\" TIME_SLOT_REF2=\"ts{}\">\n                \
                 <ANNOTATION_VALUE>{}</ANNOTATION_VALUE>\n            </ALIGNABLE_ANNOTATION>\n        \
                 </ANNOTATION>\n",
                k + 1,
                slot_id[2 * k],
                slot_id[2 * k + 1],
                escape(&a.text)
            );
            k += 1;
        }
        out.push_str("    </TIER>\n");
    }
    out.push_str(
        "    <LINGUISTIC_TYPE GRAPHIC_REFERENCES=\"false\" LINGUISTIC_TYPE_ID=\"turn\" \
         TIME_ALIGNABLE=\"true\"/>\n    \
         <LINGUISTIC_TYPE CONSTRAINTS=\"Included_In\" GRAPHIC_REFERENCES=\"false\" \
         LINGUISTIC_TYPE_ID=\"word\" TIME_ALIGNABLE=\"true\"/>\n    \
         <LINGUISTIC_TYPE CONSTRAINTS=\"Included_In\" GRAPHIC_REFERENCES=\"false\" \
         LINGUISTIC_TYPE_ID=\"phone\" TIME_ALIGNABLE=\"true\"/>\n    \
         <CONSTRAINT DESCRIPTION=\"Time subdivision of parent annotation's time interval, no \
         time gaps allowed within this interval\" STEREOTYPE=\"Time_Subdivision\"/>\n    \
         <CONSTRAINT DESCRIPTION=\"Symbolic subdivision of a parent annotation. Annotations \
         refering to the same parent are ordered\" STEREOTYPE=\"Symbolic_Subdivision\"/>\n    \
         <CONSTRAINT DESCRIPTION=\"1-1 association with a parent annotation\" \
         STEREOTYPE=\"Symbolic_Association\"/>\n    \
         <CONSTRAINT DESCRIPTION=\"Time alignable annotations within the parent annotation's \
         time interval, gaps are allowed\" STEREOTYPE=\"Included_In\"/>\n\
         </ANNOTATION_DOCUMENT>\n",
    );
    out
}

/// The MIME type ELAN expects for the recording, from its extension.
fn mime_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "wav" => "audio/x-wav",
        "mp3" => "audio/mpeg",
        "m4a" | "aac" => "audio/mp4",
        "flac" => "audio/flac",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "mp4" | "m4v" => "video/mp4",
        "mpg" | "mpeg" => "video/mpeg",
        "mov" => "video/quicktime",
        _ => "application/octet-stream",
    }
}

/// Seconds since 1970 as an `xs:dateTime` in UTC, `2026-12-03T13:23:11Z`.
fn iso_date(unix: i64) -> String {
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_utc() {
        assert_eq!(iso_date(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_date(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso_date(1_796_304_191), "2026-12-03T13:23:11Z");
        assert_eq!(iso_date(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn media_types() {
        assert_eq!(mime_type("a/b.MP3"), "audio/mpeg");
        assert_eq!(mime_type("x.wav"), "audio/x-wav");
        assert_eq!(mime_type("noext"), "application/octet-stream");
    }
}
