//! ELAN annotation files (`.eaf`, XML): time slots, tiers, annotations.
//!
//! Top-level tiers (no `PARENT_REF`) of a time-alignable linguistic type give the turns, one
//! per `ALIGNABLE_ANNOTATION` with text, starting at its first time slot. Each such tier is
//! one speaker: its `PARTICIPANT`, else its `TIER_ID` (a lone tier with a generic id such as
//! `default` names none, and `A: text` labels then name speakers, as in TextGrid). Dependent
//! tiers (words, glosses, translations) and top-level tiers named as word, comment or
//! translation tiers are listed in [`Transcript::tiers`](super::Transcript::tiers) with why
//! they were not read. The media descriptor is reported in the reading notes.
//!
//! Refused as `malformed` (line given): XML that does not parse (a cut-off file among it),
//! a root that is not `ANNOTATION_DOCUMENT`, time units other than milliseconds, a tier whose
//! linguistic type is not declared or cannot be a top-level tier, an annotation naming a
//! missing time slot or ending before it starts, overlapping annotations in one tier (a slot
//! without `TIME_VALUE` taken at the time ELAN gives it, between its timed neighbours), a
//! time value that is not a number. An annotation starting on such a slot has no stamp.

use std::collections::HashMap;

use roxmltree::{Document, Node, ParsingOptions};

use super::timed::{self, Item, is_generic, is_subunit, malformed};
use super::{Draft, TierInfo};

/// Nodes an EAF may hold: a ten-hour, many-tier file has well under a million; the limit
/// keeps a hostile file from taking the memory of a hundred.
const NODES_LIMIT: u32 = 8_000_000;

const FIX: &str = "open it in ELAN to see what is wrong, or save it again from the program \
                   that wrote it";

/// Why reading stopped: the line and what to say.
type Stop = (usize, String);

/// Parses an EAF file.
pub(crate) fn parse(source: &str) -> Draft {
    let mut draft = read_draft(source);
    timed::clamp_lines(&mut draft, source);
    draft
}

/// [`parse`] before problem lines are kept inside the file.
fn read_draft(source: &str) -> Draft {
    let mut draft = Draft::default();
    let text = source.trim_start_matches('\u{feff}');
    // The BOM is skipped, so lines are the same in `text` and `source`.
    let options = ParsingOptions {
        nodes_limit: NODES_LIMIT,
        ..ParsingOptions::default()
    };
    let doc = match Document::parse_with_options(text, options) {
        Ok(doc) => doc,
        Err(roxmltree::Error::DtdDetected) => {
            let line = text
                .find("<!DOCTYPE")
                .map_or(1, |at| text[..at].matches('\n').count() + 1);
            draft.problems.push(malformed(
                line,
                "the EAF has a document type declaration (`<!DOCTYPE ...>`), which talign does \
                 not read: a DTD can define entities that expand the file, and ELAN never \
                 writes one"
                    .into(),
                "delete the declaration, from `<!DOCTYPE` to its closing `>` (`]>` when it holds \
                 a `[...]` part), and give the file again",
            ));
            return draft;
        }
        Err(e) => {
            let (line, message) = xml_error(text, &e);
            draft.problems.push(malformed(line, message, FIX));
            return draft;
        }
    };
    if let Err((line, message)) = read(&doc, &mut draft) {
        draft.problems.push(malformed(line, message, FIX));
        draft.turns.clear();
    }
    draft
}

/// What roxmltree's error means for a person, with its line.
fn xml_error(text: &str, e: &roxmltree::Error) -> Stop {
    use roxmltree::Error as E;
    let last_line = text.lines().count().max(1);
    match e {
        E::UnexpectedEndOfStream | E::UnclosedRootNode => (
            last_line,
            "the EAF's XML ends before its elements are closed; the file looks cut short".into(),
        ),
        E::NoRootNode => (
            1,
            "no XML element at all: this is not an ELAN (.eaf) file".into(),
        ),
        E::NodesLimitReached => (
            0,
            format!(
                "the EAF holds more than {NODES_LIMIT} XML nodes, far more than any transcript"
            ),
        ),
        other => (
            (other.pos().row as usize).min(last_line),
            format!("not well-formed XML: {other}"),
        ),
    }
}

fn line_of(doc: &Document<'_>, node: Node<'_, '_>) -> usize {
    doc.text_pos_at(node.range().start).row as usize
}

fn elements<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |n| n.is_element() && n.tag_name().name() == name)
}

/// A time slot: its `TIME_VALUE` (seconds), and the time ELAN gives it when it has none.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// The time the file gives; `None` for an unaligned slot.
    stated: Option<f64>,
    /// The stated time, or for an unaligned slot the one interpolated from its neighbours.
    guess: f64,
}

/// Times for slots listed in TIME_ORDER order, unaligned ones (no `TIME_VALUE`) interpolated
/// as ELAN places them: evenly between the nearest timed slots before and after them in the
/// list, from 0 when no timed slot comes before, at the last timed slot's time when none
/// comes after.
fn interpolated(listed: &[(&str, Option<f64>)]) -> Vec<f64> {
    let mut out = Vec::with_capacity(listed.len());
    // (index, time) of the last timed slot seen; the start of the media before any.
    let mut before: (Option<usize>, f64) = (None, 0.0);
    let mut k = 0;
    while k < listed.len() {
        if let Some(t) = listed[k].1 {
            out.push(t);
            before = (Some(k), t);
            k += 1;
            continue;
        }
        let next = (k..listed.len()).find_map(|j| listed[j].1.map(|t| (j, t)));
        let (start_at, from) = (before.0.map_or(-1.0, |i| i as f64), before.1);
        let end = next.map_or(listed.len(), |(j, _)| j);
        for j in k..end {
            out.push(match next {
                Some((n, to)) => from + (to - from) * (j as f64 - start_at) / (n as f64 - start_at),
                None => from,
            });
        }
        k = end;
    }
    out
}

/// A linguistic type: whether its annotations have times, and its constraint.
struct LinguisticType {
    alignable: bool,
    constraint: Option<String>,
}

fn read(doc: &Document<'_>, draft: &mut Draft) -> Result<(), Stop> {
    let root = doc.root_element();
    if root.tag_name().name() != "ANNOTATION_DOCUMENT" {
        return Err((
            line_of(doc, root),
            format!(
                "the root element is <{}>, not <ANNOTATION_DOCUMENT>: this is not an ELAN file",
                super::show::clipped(root.tag_name().name(), 40)
            ),
        ));
    }
    if let Some(header) = elements(root, "HEADER").next() {
        let units = header.attribute("TIME_UNITS").unwrap_or("milliseconds");
        if units != "milliseconds" {
            return Err((
                line_of(doc, header),
                format!(
                    "time units `{}`; talign reads EAF times in milliseconds, as ELAN writes them",
                    super::show::clipped(units, 40)
                ),
            ));
        }
        for media in elements(header, "MEDIA_DESCRIPTOR") {
            if let Some(url) = media.attribute("MEDIA_URL") {
                draft.reading.push(format!(
                    "made for the media {}",
                    super::show::clipped(url, 200)
                ));
            }
        }
    }
    // Every slot in TIME_ORDER order: its id and its TIME_VALUE in seconds, if it has one.
    let mut listed: Vec<(&str, Option<f64>)> = Vec::new();
    for order in elements(root, "TIME_ORDER") {
        for slot in elements(order, "TIME_SLOT") {
            let id = slot.attribute("TIME_SLOT_ID").ok_or_else(|| {
                (
                    line_of(doc, slot),
                    "a TIME_SLOT without TIME_SLOT_ID".to_owned(),
                )
            })?;
            let value = match slot.attribute("TIME_VALUE") {
                None => None,
                Some(v) => Some(timed::seconds(v).map(|ms| ms / 1000.0).ok_or_else(|| {
                    (
                        line_of(doc, slot),
                        format!(
                            "time slot {}: TIME_VALUE `{}` is not a number of milliseconds",
                            super::show::clipped(id, 40),
                            super::show::clipped(v, 40)
                        ),
                    )
                })?),
            };
            listed.push((id, value));
        }
    }
    let slots: HashMap<&str, Slot> = listed
        .iter()
        .zip(interpolated(&listed))
        .map(|(&(id, stated), guess)| (id, Slot { stated, guess }))
        .collect();
    let mut types: HashMap<&str, LinguisticType> = HashMap::new();
    for lt in elements(root, "LINGUISTIC_TYPE") {
        if let Some(id) = lt.attribute("LINGUISTIC_TYPE_ID") {
            types.insert(
                id,
                LinguisticType {
                    alignable: lt.attribute("TIME_ALIGNABLE") != Some("false"),
                    constraint: lt.attribute("CONSTRAINTS").map(str::to_owned),
                },
            );
        }
    }
    let tiers: Vec<Node<'_, '_>> = elements(root, "TIER").collect();
    let mut read_tiers: Vec<(usize, Vec<Item>)> = Vec::new();
    for tier in &tiers {
        let line = line_of(doc, *tier);
        let id = tier.attribute("TIER_ID").unwrap_or("");
        let shown = super::show::clipped(id, 40);
        let type_ref = tier.attribute("LINGUISTIC_TYPE_REF").unwrap_or("");
        let Some(lt) = types.get(type_ref) else {
            return Err((
                line,
                format!(
                    "tier \"{shown}\" has linguistic type `{}`, which the file does not declare \
                     (no LINGUISTIC_TYPE with that id): an unknown tier type",
                    super::show::clipped(type_ref, 40)
                ),
            ));
        };
        let participant = tier
            .attribute("PARTICIPANT")
            .map(str::trim)
            .filter(|p| !p.is_empty());
        let mut info = TierInfo {
            name: id.to_owned(),
            kind: "top-level".into(),
            line,
            speaker: None,
            turns: 0,
            ignored: None,
        };
        if let Some(parent) = tier.attribute("PARENT_REF") {
            info.kind = "dependent".into();
            info.ignored = Some(format!(
                "a dependent tier (of \"{}\"): it annotates that tier's turns",
                super::show::clipped(parent, 40)
            ));
            draft.tiers.push(info);
            continue;
        }
        if !lt.alignable || lt.constraint.is_some() {
            return Err((
                line,
                format!(
                    "top-level tier \"{shown}\" has linguistic type `{}`{}, which only a \
                     dependent tier can have, yet it has no PARENT_REF",
                    super::show::clipped(type_ref, 40),
                    lt.constraint
                        .as_deref()
                        .map(|c| format!(" (constraint {})", super::show::clipped(c, 40)))
                        .unwrap_or_else(|| " (not time-alignable)".into())
                ),
            ));
        }
        let mut items = annotations(doc, *tier, &shown, &slots, read_tiers.len())?;
        if is_subunit(id) {
            info.ignored = Some(
                "by its name a word, phone, comment or translation tier: the turns come from \
                 the other tiers"
                    .into(),
            );
        } else if items.is_empty() {
            info.ignored = Some("no annotation has text".into());
        } else {
            info.turns = items.len();
            info.speaker = participant.map(str::to_owned);
            for item in &mut items {
                item.speaker.clone_from(&info.speaker);
            }
            read_tiers.push((draft.tiers.len(), items));
        }
        draft.tiers.push(info);
    }
    // Several speaking tiers are several speakers: a tier without a participant is named by
    // its id; a lone one only when the id is not generic.
    let several = read_tiers.len() > 1;
    let mut all = Vec::new();
    for (at, mut items) in read_tiers {
        let info = &mut draft.tiers[at];
        if info.speaker.is_none() && (several || !is_generic(&info.name)) {
            info.speaker = Some(info.name.trim().to_owned()).filter(|s| !s.is_empty());
            for item in &mut items {
                item.speaker.clone_from(&info.speaker);
            }
        }
        all.extend(items);
    }
    if several {
        draft.reading.push(
            "each top-level tier read as one speaker's turns (PARTICIPANT, else TIER_ID)".into(),
        );
    }
    let before = all.iter().filter(|i| i.speaker.is_none()).count();
    timed::labels_in_text(&mut all);
    let labelled = before - all.iter().filter(|i| i.speaker.is_none()).count();
    if labelled > 0 {
        draft.reading.push(format!(
            "{labelled} annotation(s) named their speaker in a `Name: text` label"
        ));
    }
    timed::into_turns(all, draft);
    Ok(())
}

/// A top-level tier's annotations with text, checked: slots exist, each ends after it
/// starts, none overlaps another in time (unaligned slots at their interpolated times, as
/// ELAN shows them: one tier's annotations follow one another there too).
fn annotations(
    doc: &Document<'_>,
    tier: Node<'_, '_>,
    shown: &str,
    slots: &HashMap<&str, Slot>,
    order: usize,
) -> Result<Vec<Item>, Stop> {
    // Every annotation, for the overlap check.
    let mut spans: Vec<Span> = Vec::new();
    let mut items = Vec::new();
    for annotation in elements(tier, "ANNOTATION") {
        for a in annotation.children().filter(Node::is_element) {
            let line = line_of(doc, a);
            let id = super::show::clipped(a.attribute("ANNOTATION_ID").unwrap_or("?"), 40);
            if a.tag_name().name() != "ALIGNABLE_ANNOTATION" {
                return Err((
                    line,
                    format!(
                        "annotation {id} of top-level tier \"{shown}\" is a <{}>; a top-level \
                         tier holds ALIGNABLE_ANNOTATIONs",
                        super::show::clipped(a.tag_name().name(), 40)
                    ),
                ));
            }
            let slot = |attr: &str| -> Result<Slot, Stop> {
                let name = a.attribute(attr).unwrap_or("");
                slots.get(name).copied().ok_or_else(|| {
                    (
                        line,
                        format!(
                            "annotation {id} of tier \"{shown}\": {attr} names time slot `{}`, \
                             which TIME_ORDER does not hold",
                            super::show::clipped(name, 40)
                        ),
                    )
                })
            };
            let start = slot("TIME_SLOT_REF1")?;
            let end = slot("TIME_SLOT_REF2")?;
            if let (Some(s), Some(e)) = (start.stated, end.stated)
                && e < s
            {
                return Err((
                    line,
                    format!(
                        "annotation {id} of tier \"{shown}\" ends ({e:.3} s) before it starts \
                         ({s:.3} s)"
                    ),
                ));
            }
            spans.push(Span {
                start: start.guess,
                end: end.guess,
                guessed: start.stated.is_none() || end.stated.is_none(),
                id: id.clone(),
                line,
            });
            let start = start.stated;
            let text: String = elements(a, "ANNOTATION_VALUE")
                .flat_map(|v| v.descendants().filter(|n| n.is_text()))
                .filter_map(|n| n.text())
                .collect();
            if !text.trim().is_empty() {
                items.push(Item {
                    start,
                    line,
                    tier: order,
                    speaker: None,
                    text,
                });
            }
        }
    }
    spans.sort_by(|a, b| a.start.total_cmp(&b.start).then(a.end.total_cmp(&b.end)));
    for w in spans.windows(2) {
        let (first, second) = (&w[0], &w[1]);
        if second.start + 1e-9 < first.end {
            let (a, b) = (&first.id, &second.id);
            return Err((
                second.line,
                format!(
                    "annotations {a} and {b} of tier \"{shown}\" overlap ({b} starts at {:.3} s, \
                     before {a} ends at {:.3} s{}); one tier's annotations follow one another",
                    second.start,
                    first.end,
                    if first.guessed || second.guessed {
                        ", a slot without TIME_VALUE placed between its timed neighbours in \
                         TIME_ORDER, as ELAN places it"
                    } else {
                        ""
                    }
                ),
            ));
        }
    }
    Ok(items)
}

/// An annotation's times for the overlap check.
struct Span {
    start: f64,
    end: f64,
    /// True when a slot has no TIME_VALUE and its time is interpolated.
    guessed: bool,
    id: String,
    line: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    const EAF: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2026-01-01T00:00:00+00:00" FORMAT="3.0" VERSION="3.0">
    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">
        <MEDIA_DESCRIPTOR MEDIA_URL="file:///talk.wav" MIME_TYPE="audio/x-wav"/>
    </HEADER>
    <TIME_ORDER>
        <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="500"/>
        <TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="2000"/>
        <TIME_SLOT TIME_SLOT_ID="ts3" TIME_VALUE="1250"/>
        <TIME_SLOT TIME_SLOT_ID="ts4" TIME_VALUE="3000"/>
    </TIME_ORDER>
    <TIER LINGUISTIC_TYPE_REF="utt" PARTICIPANT="Kerry" TIER_ID="K">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">
                <ANNOTATION_VALUE>I said &quot;no&quot;.</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="utt" TIER_ID="Diane">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="ts3" TIME_SLOT_REF2="ts4">
                <ANNOTATION_VALUE>Yes.</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="tr" PARENT_REF="K" TIER_ID="K-translation">
        <ANNOTATION>
            <REF_ANNOTATION ANNOTATION_ID="a3" ANNOTATION_REF="a1">
                <ANNOTATION_VALUE>Dije que no.</ANNOTATION_VALUE>
            </REF_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="utt" TIME_ALIGNABLE="true"/>
    <LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Association" GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="tr" TIME_ALIGNABLE="false"/>
    <CONSTRAINT DESCRIPTION="1-1 association" STEREOTYPE="Symbolic_Association"/>
</ANNOTATION_DOCUMENT>
"#;

    #[test]
    fn top_level_tiers_are_speakers_dependent_tiers_listed() {
        let d = parse(EAF);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        let got = crate::transcript::timed::stamped_turns(&d);
        assert_eq!(
            got,
            [
                (Some("Kerry"), "0:00:00.500", vec!["I said \"no\"."], 14),
                (Some("Diane"), "0:00:01.250", vec!["Yes."], 21),
            ]
        );
        assert_eq!(d.tiers.len(), 3);
        assert_eq!(d.tiers[2].kind, "dependent");
        assert!(d.reading.iter().any(|r| r.contains("file:///talk.wav")));
    }

    fn refused(src: &str) -> (usize, String) {
        let d = parse(src);
        let p = d
            .problems
            .iter()
            .find(|p| p.kind == "malformed")
            .unwrap_or_else(|| panic!("not refused: {:?}", d.turns));
        assert!(d.turns.is_empty());
        (p.line, p.message.clone())
    }

    #[test]
    fn broken_files_are_refused_with_their_line() {
        let (line, message) =
            refused(&EAF[..EAF.find("<TIER LINGUISTIC_TYPE_REF=\"tr\"").unwrap()]);
        assert!(message.contains("cut short"), "{message}");
        assert_eq!(line, 26);
        // Diane's annotation moved into Kerry's tier, starting before Kerry's ends.
        let one_tier = EAF
            .replace(
                "</ANNOTATION>\n    </TIER>\n    <TIER LINGUISTIC_TYPE_REF=\"utt\" TIER_ID=\"Diane\">\n        <ANNOTATION>",
                "</ANNOTATION>\n        <ANNOTATION>",
            )
            .replace("TIME_VALUE=\"1250\"", "TIME_VALUE=\"1000\"");
        let (line, message) = refused(&one_tier);
        assert_eq!(line, 19);
        assert!(
            message.contains("annotations a1 and a2 of tier \"K\" overlap"),
            "{message}"
        );
        let (line, message) = refused(&EAF.replace(
            "REF=\"utt\" TIER_ID=\"Diane\"",
            "REF=\"speech\" TIER_ID=\"Diane\"",
        ));
        assert_eq!(line, 19);
        assert!(message.contains("unknown tier type"), "{message}");
        let (_, message) =
            refused(&EAF.replace("TIME_SLOT_REF2=\"ts4\"", "TIME_SLOT_REF2=\"ts9\""));
        assert!(message.contains("`ts9`"), "{message}");
        let (_, message) = refused(&EAF.replace("TIME_VALUE=\"3000\"", "TIME_VALUE=\"100\""));
        assert!(
            message.contains("ends (0.100 s) before it starts"),
            "{message}"
        );
        let (_, message) = refused(&EAF.replace("TIME_VALUE=\"3000\"", "TIME_VALUE=\"soon\""));
        assert!(message.contains("`soon` is not a number"), "{message}");
        let (line, message) = refused(&EAF.replace(
            "<ANNOTATION_VALUE>Yes.</ANNOTATION_VALUE>",
            "<ANNOTATION_VALUE>Yes.</ANNOTATION>",
        ));
        assert_eq!(line, 22);
        assert!(message.contains("not well-formed XML"), "{message}");
        let (line, message) = refused(&EAF.replace(
            "<ANNOTATION_DOCUMENT",
            "<!DOCTYPE a [<!ENTITY x \"xx\">]>\n<ANNOTATION_DOCUMENT",
        ));
        assert_eq!(line, 2);
        assert!(
            message.starts_with("the EAF has a document type declaration (`<!DOCTYPE ...>`)"),
            "{message}"
        );
        let (_, message) = refused("<?xml version=\"1.0\"?>\n<html><body/></html>\n");
        assert!(message.contains("not an ELAN file"), "{message}");
        let (_, message) = refused(&EAF.replace("PARENT_REF=\"K\" ", ""));
        assert!(message.contains("no PARENT_REF"), "{message}");
    }

    #[test]
    fn unaligned_slots_take_interpolated_times() {
        let listed = [
            ("a", None),
            ("b", Some(1.0)),
            ("c", None),
            ("d", None),
            ("e", Some(4.0)),
            ("f", None),
        ];
        assert_eq!(interpolated(&listed), [0.5, 1.0, 2.0, 3.0, 4.0, 4.0]);
        assert_eq!(interpolated(&[("a", None)]), [0.0]);
        assert!(interpolated(&[]).is_empty());
    }

    #[test]
    fn overlap_is_found_through_unaligned_slots() {
        // Diane's annotation moved into Kerry's tier, ending on a slot without a time: it
        // starts (1.250 s) before Kerry's ends (2.000 s).
        let one_tier = EAF
            .replace(
                "</ANNOTATION>\n    </TIER>\n    <TIER LINGUISTIC_TYPE_REF=\"utt\" TIER_ID=\"Diane\">\n        <ANNOTATION>",
                "</ANNOTATION>\n        <ANNOTATION>",
            )
            .replace("TIME_SLOT_ID=\"ts4\" TIME_VALUE=\"3000\"", "TIME_SLOT_ID=\"ts4\"");
        let (line, message) = refused(&one_tier);
        assert_eq!(line, 19);
        assert_eq!(
            message,
            "annotations a1 and a2 of tier \"K\" overlap (a2 starts at 1.250 s, before a1 ends \
             at 2.000 s, a slot without TIME_VALUE placed between its timed neighbours in \
             TIME_ORDER, as ELAN places it); one tier's annotations follow one another"
        );
        // Unaligned slots that follow one another in TIME_ORDER chain without overlap; a
        // turn starting on one has no stamp.
        let chained = one_tier
            .replace(
                "TIME_SLOT_ID=\"ts4\"",
                "TIME_SLOT_ID=\"ts4\" TIME_VALUE=\"3000\"",
            )
            .replace(
                "TIME_SLOT_ID=\"ts2\" TIME_VALUE=\"2000\"",
                "TIME_SLOT_ID=\"ts2\"",
            )
            .replace("TIME_SLOT_REF1=\"ts3\"", "TIME_SLOT_REF1=\"ts2\"");
        let d = parse(&chained);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert_eq!(d.turns.len(), 2);
        assert!(d.turns[1].stamp.is_none());
    }

    #[test]
    fn a_lone_generic_tier_takes_labels_from_the_text() {
        let start = EAF
            .find("    <TIER LINGUISTIC_TYPE_REF=\"utt\" TIER_ID=\"Diane\"")
            .unwrap();
        let end = EAF.find("    <LINGUISTIC_TYPE ").unwrap();
        let src = format!("{}{}", &EAF[..start], &EAF[end..])
            .replace("PARTICIPANT=\"Kerry\" TIER_ID=\"K\"", "TIER_ID=\"default\"")
            .replace("I said &quot;no&quot;.", "A: hello");
        let d = parse(&src);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert_eq!(d.turns[0].speaker_raw.as_deref(), Some("A"));
        assert_eq!(d.turns[0].paragraphs[0].1, "hello");
        assert_eq!(d.tiers[0].speaker, None);
    }
}
