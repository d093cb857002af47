//! Numbered lines of decoded text, whatever the line endings (`\n`, `\r\n`, lone `\r`).
//!
//! Every parser walks these, so that line numbers and byte offsets agree across formats and
//! stamp spans can be written back into [`Transcript::source`](super::Transcript::source).

/// One line of the source, without its terminator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    /// 1-based line number.
    pub number: usize,
    /// Byte offset of `text` in the source.
    pub start: usize,
    /// The line without `\n`, `\r\n` or `\r` (and without a leading byte-order mark).
    pub text: &'a str,
}

impl<'a> Line<'a> {
    /// True when the line holds only whitespace.
    pub(crate) fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// The line with surrounding whitespace removed.
    pub(crate) fn trimmed(&self) -> &'a str {
        self.text.trim()
    }

    /// Byte offset in the source of `part`, which must be a subslice of `self.text`.
    pub(crate) fn offset_of(&self, part: &str) -> usize {
        self.start + offset_in(self.text, part)
    }
}

/// Byte offset of `inner` within `outer`; `inner` must be a subslice of `outer`.
///
/// # Panics
/// When `inner` does not lie inside `outer` (a broken internal contract, not bad input).
pub(crate) fn offset_in(outer: &str, inner: &str) -> usize {
    let start = (inner.as_ptr() as usize).wrapping_sub(outer.as_ptr() as usize);
    assert!(
        start <= outer.len() && start + inner.len() <= outer.len(),
        "offset_in: not a subslice"
    );
    start
}

/// Splits `source` into lines. A final line terminator does not start an empty line, so
/// `"a\n"` has one line and `""` none. A byte-order mark at the start is skipped.
pub(crate) fn lines(source: &str) -> Lines<'_> {
    Lines {
        source,
        pos: 0,
        number: 0,
    }
}

/// Iterator over [`Line`]s; see [`lines`].
pub(crate) struct Lines<'a> {
    source: &'a str,
    pos: usize,
    number: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        let bytes = self.source.as_bytes();
        if self.pos >= bytes.len() {
            return None;
        }
        let mut start = self.pos;
        if start == 0 && self.source.starts_with('\u{feff}') {
            start = '\u{feff}'.len_utf8();
        }
        let rest = &bytes[start..];
        let (end, next) = match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(i) => {
                let end = start + i;
                let next = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                    end + 2
                } else {
                    end + 1
                };
                (end, next)
            }
            None => (bytes.len(), bytes.len()),
        };
        self.pos = next;
        self.number += 1;
        Some(Line {
            number: self.number,
            start,
            text: &self.source[start..end],
        })
    }
}

/// 1-based line holding byte `offset` of raw file bytes (`\n`, `\r\n` and `\r` all end a line).
pub(crate) fn line_of_byte(bytes: &[u8], offset: usize) -> usize {
    let end = offset.min(bytes.len());
    let mut line = 1;
    for (i, &b) in bytes[..end].iter().enumerate() {
        match b {
            b'\n' => line += 1,
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => line += 1,
            _ => {}
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<(usize, usize, &str)> {
        lines(s).map(|l| (l.number, l.start, l.text)).collect()
    }

    #[test]
    fn all_line_endings_count_once() {
        assert_eq!(
            texts("a\nb\r\nc\rd"),
            vec![(1, 0, "a"), (2, 2, "b"), (3, 5, "c"), (4, 7, "d")]
        );
        assert_eq!(texts("a\n"), vec![(1, 0, "a")]);
        assert_eq!(texts("\n\n"), vec![(1, 0, ""), (2, 1, "")]);
        assert_eq!(texts(""), vec![]);
        assert_eq!(texts("\r\r\n"), vec![(1, 0, ""), (2, 1, "")]);
    }

    #[test]
    fn bom_is_not_part_of_the_first_line() {
        assert_eq!(texts("\u{feff}Kerry\n"), vec![(1, 3, "Kerry")]);
        assert_eq!(texts("\u{feff}"), vec![(1, 3, "")]);
    }

    #[test]
    fn byte_lines_match_text_lines() {
        let s = "a\r\nb\rc\nd";
        for (i, _) in s.char_indices() {
            let by_text = lines(s).filter(|l| l.start <= i).last().unwrap().number;
            assert_eq!(line_of_byte(s.as_bytes(), i), by_text, "offset {i}");
        }
    }

    #[test]
    fn offsets_point_into_source() {
        let s = "x\r\n  [01:02] y";
        let l = lines(s).nth(1).unwrap();
        let stamp = &l.text[2..9];
        assert_eq!(
            &s[l.offset_of(stamp)..l.offset_of(stamp) + stamp.len()],
            "[01:02]"
        );
    }
}
