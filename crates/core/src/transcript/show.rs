//! Transcript text shown on a terminal: control characters escaped, long tokens clipped.
//!
//! A transcript is untrusted input. Echoed raw, an escape sequence in a speaker label
//! (`\x1b]0;title\x07`) would retitle or reprogram the user's terminal, and a bidirectional
//! override would make a message read differently from what it says.

use std::borrow::Cow;

/// `text` with every control character (C0, DEL, C1) and bidirectional override written as
/// a Rust escape (`\u{1b}`, `\n`, `\t`, `\r`), so it can be printed safely. Borrowed when
/// there is nothing to escape, which is almost always.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// [`printable`] cut to at most `max` characters, with `…` when cut: a 5000-digit stamp is
/// named in a message, not copied into it.
pub(crate) fn clipped(text: &str, max: usize) -> String {
    let shown = printable(text);
    if shown.chars().count() <= max {
        return shown.into_owned();
    }
    let cut: String = shown.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_and_bidi_characters_only() {
        assert!(matches!(printable("Kerry: café"), Cow::Borrowed(_)));
        assert_eq!(
            printable("A\u{1b}]0;pwned\u{7}B"),
            "A\\u{1b}]0;pwned\\u{7}B"
        );
        assert_eq!(printable("a\tb\nc\u{9b}d"), "a\\tb\\nc\\u{9b}d");
        assert_eq!(printable("x\u{202e}y\u{7f}"), "x\\u{202e}y\\u{7f}");
    }

    #[test]
    fn clipped_counts_characters() {
        assert_eq!(clipped("[0:00.000000]", 6), "[0:00…");
        assert_eq!(clipped("abc", 3), "abc");
        assert_eq!(clipped("\u{1b}x", 20), "\\u{1b}x");
    }
}
