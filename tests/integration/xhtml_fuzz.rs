//! The XHTML id reader of `talign align --text-ids` (`talign::export::text_ids`) on
//! arbitrary text and on mutations of the seed corpus `tests/fuzz-corpus/xhtml/` (a book
//! chapter, and each kind of broken document, written by hand): no panic; an answer is
//! either ids — at least one, none twice, each written in the document — or a line inside
//! the document and a message.
//!
//! `TALIGN_FUZZ_SECONDS` (default 5) and `TALIGN_FUZZ_SEED` as for the other targets.

use proptest::prelude::*;

use crate::fuzz_harness as harness;
use talign::export::text_ids;

fn check(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    match text_ids(&text) {
        Ok(ids) => {
            assert!(!ids.is_empty());
            let mut seen = std::collections::HashSet::new();
            for id in &ids {
                assert!(seen.insert(id), "{id} twice");
            }
        }
        Err((line, message)) => {
            assert!(line <= text.split('\n').count(), "line {line}: {message}");
            assert!(!message.is_empty());
        }
    }
}

/// Pieces XHTML documents are made of, for the mutator.
const INSERTS: &[&str] = &[
    "<p id=\"x\">",
    "</p>",
    "<br/>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE html [",
    "]>",
    " id='",
    "&amp;",
    "&#x",
    "<body>",
    "</body>",
    "<",
    ">",
    "\"",
    "話者",
];

#[test]
fn corpus_mutations() {
    let inserts: Vec<&[u8]> = INSERTS.iter().map(|s| s.as_bytes()).collect();
    let target = harness::Target {
        name: "xhtml",
        corpus: "xhtml",
        inserts: &inserts,
        max_input: 16 << 10,
        min_seeds: 10,
    };
    harness::fuzz(&target, check);
}

proptest! {
    #![proptest_config(harness::seeded_proptest(0x0e9b_0075))]

    #[test]
    fn arbitrary_text_never_panics(s in "(?s).{0,400}") {
        check(s.as_bytes());
    }

    #[test]
    fn tag_shaped_text_never_panics(s in "(<[/!?]?[a-z:]{0,3}( id=['\"][a-z]{0,2}['\"]?)?/?>?|[a-z &;#]{0,3}){0,30}") {
        check(s.as_bytes());
    }
}
