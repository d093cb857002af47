//! EPUB 3 media overlays (`.smil`): the document that makes a reading system highlight
//! each passage of a book while its recording plays.
//!
//! One `<par>` per transcribed turn, in order, pairing the turn's text element
//! (`<text src="book.xhtml#id"/>`) with its stretch of the recording (`<audio src=…
//! clipBegin=… clipEnd=…/>`, clock values to the millisecond). Untranscribed turns have no
//! text in a book and get no `<par>`; neither does a turn of no duration.
//!
//! The text ids come from the book ([`text_ids`] reads them from its XHTML: the elements
//! with an `id` that hold no other element with an `id`, in document order, paired one to
//! one with the transcribed turns), or are generated (`turn-1`, `turn-2`, … by the turn's
//! position in the transcript) together with an XHTML document holding those elements
//! ([`xhtml`]), to start a book from.

use std::fmt::Write;
use std::path::Path;

use super::srt::clock;
use super::xml::{escape, url_path};
use super::{ExportOptions, display_text, media_relative, one_line, speaker_name, to_ms};
use crate::report::Alignment;
use crate::{Error, Result};

/// The XHTML file name a SMIL refers to when none is given.
pub(crate) const DEFAULT_TEXT_HREF: &str = "text.xhtml";

/// The id each transcribed turn's text has: from `options.text_ids` in order, generated
/// past their end. Pairs of (turn index, id).
fn turn_ids(alignment: &Alignment, options: &ExportOptions) -> Vec<(usize, String)> {
    let given = options.text_ids.as_deref().unwrap_or(&[]);
    alignment
        .turns
        .iter()
        .enumerate()
        .filter(|(_, t)| t.transcribed)
        .enumerate()
        .map(|(k, (index, _))| {
            let id = given
                .get(k)
                .cloned()
                .unwrap_or_else(|| format!("turn-{}", index + 1));
            (index, id)
        })
        .collect()
}

/// Renders the media overlay.
pub(super) fn render(alignment: &Alignment, options: &ExportOptions) -> String {
    let href = url_path(options.text_href.as_deref().unwrap_or(DEFAULT_TEXT_HREF));
    let audio = url_path(&media_relative(alignment, options));
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <smil xmlns=\"http://www.w3.org/ns/SMIL\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
         version=\"3.0\">\n  <body>\n    <seq id=\"seq1\" epub:textref=\"{}\">\n",
        escape(&href)
    );
    for (index, id) in turn_ids(alignment, options) {
        let turn = &alignment.turns[index];
        let start = to_ms(turn.start).max(0);
        let end = to_ms(turn.end);
        if end <= start {
            continue;
        }
        let _ = write!(
            out,
            "      <par id=\"par{}\">\n        <text src=\"{}#{}\"/>\n        \
             <audio src=\"{}\" clipBegin=\"{}\" clipEnd=\"{}\"/>\n      </par>\n",
            index + 1,
            escape(&href),
            escape(&url_fragment(&id)),
            escape(&audio),
            clock(start, '.'),
            clock(end, '.')
        );
    }
    out.push_str("    </seq>\n  </body>\n</smil>\n");
    out
}

/// An id as a URL fragment: characters outside the fragment set percent-encoded.
fn url_fragment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/?".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// The XHTML content document for generated ids: one `<p>` per transcribed turn with its
/// id, the speaker's name in a `<span class="speaker">` before the text.
pub(super) fn xhtml(alignment: &Alignment, options: &ExportOptions) -> String {
    let language = options.language_tag();
    let title = Path::new(&alignment.transcript.path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
         xml:lang=\"{lang}\" lang=\"{lang}\">\n  <head>\n    <meta charset=\"UTF-8\"/>\n    \
         <title>{}</title>\n  </head>\n  <body>\n",
        escape(&one_line(&title)),
        lang = escape(language)
    );
    for (index, id) in turn_ids(alignment, options) {
        let turn = &alignment.turns[index];
        let speaker = speaker_name(turn)
            .filter(|_| options.speaker_names)
            .map(|s| format!("<span class=\"speaker\">{}:</span> ", escape(&s)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    <p id=\"{}\">{speaker}{}</p>",
            escape(&id),
            escape(&display_text(turn))
        );
    }
    out.push_str("  </body>\n</html>\n");
    out
}

/// Refuses ids that do not pair one to one with the transcribed turns, saying how many of
/// each there are and where the pairing first runs out.
pub(super) fn check_ids(alignment: &Alignment, ids: &[String]) -> Result<()> {
    let turns: Vec<_> = alignment.turns.iter().filter(|t| t.transcribed).collect();
    if turns.len() == ids.len() {
        return Ok(());
    }
    let first_unpaired = if ids.len() < turns.len() {
        let turn = turns[ids.len()];
        format!(
            "the first turn without an element is line {} of the transcript (`{}`)",
            turn.line,
            excerpt(&turn.text)
        )
    } else {
        format!("the first element without a turn is `{}`", ids[turns.len()])
    };
    Err(Error::Invalid(format!(
        "--text-ids: the book has {} text elements with an id, the transcript {} transcribed \
         turns; they are paired in order, one element per turn: {first_unpaired}. Give a \
         book (or a part of it) whose innermost elements with ids are exactly the turns' \
         passages, or drop --text-ids to have talign write the XHTML",
        ids.len(),
        turns.len()
    )))
}

/// The first words of a text, for messages.
fn excerpt(text: &str) -> String {
    let text = one_line(text);
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// Reads the ids of a book's text elements from its XHTML file ([`text_ids`]); errors
/// name the file and line (exit 2 on the command line).
pub fn read_text_ids(path: &Path) -> Result<Vec<String>> {
    let (bytes, _) = crate::transcript::file::read_capped(path)?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Transcript {
        path: path.to_owned(),
        line: 0,
        message: format!(
            "not UTF-8 (byte {}): an EPUB content document is UTF-8; convert it",
            e.utf8_error().valid_up_to()
        ),
    })?;
    text_ids(&text).map_err(|(line, message)| Error::Transcript {
        path: path.to_owned(),
        line,
        message,
    })
}

/// The ids of the text elements of an XHTML document, in document order: elements inside
/// `<body>` (the whole document when it has none) that carry an `id` (or `xml:id`) and
/// hold no other element with one — the paragraphs and sentences a media overlay points at,
/// not the sections around them. `Err` gives the 1-based line and what is wrong: a tag,
/// comment or attribute left open, an end tag that closes the wrong element, an id used
/// twice, or no id at all.
pub fn text_ids(xhtml: &str) -> std::result::Result<Vec<String>, (usize, String)> {
    struct Open {
        name: String,
        /// Index into `found` when the element has an id.
        found: Option<usize>,
        line: usize,
    }
    // (id, line, inside body, holds another id)
    let mut found: Vec<(String, usize, bool, bool)> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut body_depth: Option<usize> = None;
    let mut saw_body = false;
    let mut lines_to = (0, 1); // (byte, line number there): positions only move forward
    let mut line_at = |at: usize| {
        let (from, line) = lines_to;
        let line = line + xhtml[from..at].matches('\n').count();
        lines_to = (at, line);
        line
    };
    let mut by_id: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut at = 0;
    while let Some(open) = xhtml[at..].find('<') {
        let start = at + open;
        let line = line_at(start);
        let rest = &xhtml[start..];
        let skip = |end: &str, what: &str| {
            rest.find(end)
                .map(|e| start + e + end.len())
                .ok_or_else(|| (line, format!("{what} never closed (no `{end}`)")))
        };
        if rest.starts_with("<!--") {
            at = skip("-->", "comment")?;
        } else if rest.starts_with("<![CDATA[") {
            at = skip("]]>", "CDATA section")?;
        } else if rest.starts_with("<?") {
            at = skip("?>", "processing instruction")?;
        } else if rest.starts_with("<!") {
            // A DOCTYPE, perhaps with an internal subset in brackets.
            let mut depth = 0;
            let end = rest.char_indices().find_map(|(i, c)| match c {
                '[' => {
                    depth += 1;
                    None
                }
                ']' => {
                    depth -= 1;
                    None
                }
                '>' if depth <= 0 => Some(i),
                _ => None,
            });
            at = start + end.ok_or_else(|| (line, "DOCTYPE never closed (no `>`)".into()))? + 1;
        } else if let Some(close) = rest.strip_prefix("</") {
            let end = close
                .find('>')
                .ok_or_else(|| (line, "end tag never closed (no `>`)".to_owned()))?;
            let name = close[..end].trim();
            let Some(top) = stack.pop() else {
                return Err((line, format!("`</{name}>` closes no open element")));
            };
            if top.name != name {
                return Err((
                    line,
                    format!(
                        "`</{name}>` closes `<{}>` opened on line {}; the XHTML is not well-formed",
                        top.name, top.line
                    ),
                ));
            }
            if body_depth == Some(stack.len()) {
                body_depth = None;
            }
            at = start + 2 + end + 1;
        } else {
            let (tag_len, name, id, empty) = start_tag(rest).map_err(|m| (line, m))?;
            if local_name(&name) == "body" && body_depth.is_none() {
                body_depth = Some(stack.len());
                saw_body = true;
            }
            let mut index = None;
            if let Some(id) = id {
                if let Some(other) = by_id.get(&id) {
                    return Err((
                        line,
                        format!("id `{id}` is used twice (also on line {other})"),
                    ));
                }
                by_id.insert(id.clone(), line);
                // The nearest open element with an id holds another: it is a container
                // (those further out were marked when it was found).
                if let Some(k) = stack.iter().rev().find_map(|open| open.found) {
                    found[k].3 = true;
                }
                found.push((id, line, body_depth.is_some(), false));
                index = Some(found.len() - 1);
            }
            if !empty {
                stack.push(Open {
                    name,
                    found: index,
                    line,
                });
            }
            at = start + tag_len;
        }
    }
    if let Some(open) = stack.last() {
        return Err((
            open.line,
            format!("`<{}>` is never closed; the XHTML is cut short?", open.name),
        ));
    }
    let ids: Vec<String> = found
        .into_iter()
        .filter(|f| f.2 || !saw_body)
        .filter(|f| !f.3)
        .map(|f| f.0)
        .collect();
    if ids.is_empty() {
        return Err((
            0,
            "no element has an id; give each passage read aloud an id (`<p id=\"p1\">`)".into(),
        ));
    }
    Ok(ids)
}

/// `prefix:name` → `name`.
fn local_name(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, n)| n)
}

/// Reads a start tag at the start of `text` (which begins with `<`): its length in bytes,
/// its name, its `id`/`xml:id` value (entities decoded), and whether it is empty (`/>`).
fn start_tag(text: &str) -> std::result::Result<(usize, String, Option<String>, bool), String> {
    let body = &text[1..];
    let name_len = body
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(body.len());
    let name = body[..name_len].to_owned();
    if name.is_empty() {
        return Err("`<` that starts no tag; write `&lt;` in text".into());
    }
    let mut id = None;
    let mut i = 1 + name_len;
    loop {
        let rest = &text[i..];
        let trimmed = rest.trim_start();
        i += rest.len() - trimmed.len();
        if trimmed.starts_with("/>") {
            return Ok((i + 2, name, id, true));
        }
        if trimmed.starts_with('>') {
            return Ok((i + 1, name, id, false));
        }
        if trimmed.is_empty() {
            return Err(format!("tag `<{name}` never closed (no `>`)"));
        }
        let eq = trimmed
            .find(['=', '>', '<'])
            .filter(|&e| trimmed[e..].starts_with('='))
            .ok_or_else(|| format!("an attribute of `<{name}>` has no `=\"value\"`"))?;
        let attr = trimmed[..eq].trim();
        let after = trimmed[eq + 1..].trim_start();
        let quote = after
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            .ok_or_else(|| format!("attribute `{attr}` of `<{name}` has no quoted value"))?;
        let close = after[1..]
            .find(quote)
            .ok_or_else(|| format!("attribute `{attr}` of `<{name}` never closed"))?;
        if attr == "id" || attr == "xml:id" {
            id = Some(decode_entities(after[1..1 + close].trim()));
        }
        let consumed = trimmed.len() - after.len() + 1 + close + 1;
        i += consumed;
    }
}

/// The five XML entities and numeric references decoded; others kept as written.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let Some(semi) = tail.find(';') else {
            out.push_str(tail);
            return out;
        };
        let entity = &tail[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&tail[..=semi]),
        }
        rest = &tail[semi + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn innermost_ids_inside_body_in_order() {
        let book = "<?xml version=\"1.0\"?>\n<!DOCTYPE html [<!ENTITY x \"y\">]>\n\
            <html xmlns=\"http://www.w3.org/1999/xhtml\" id=\"doc\"><head><title id='t'>B</title></head>\n\
            <body>\n<section id=\"ch1\"><h1 id=\"h\">One &amp; <b>two</b></h1>\n\
            <!-- <p id=\"no\"> -->\n<p id='p1' class=\"a > b\">x<br/>y</p>\
            <p id=\"p&amp;2\"><![CDATA[<p id=\"no2\">]]></p><img id=\"i\" src=\"a.png\"/></section>\n\
            </body></html>\n";
        assert_eq!(text_ids(book).unwrap(), ["h", "p1", "p&2", "i"]);
        // Without a body, the whole document counts.
        assert_eq!(
            text_ids("<div><p id=\"a\"/><p id=\"b\"></p></div>").unwrap(),
            ["a", "b"]
        );
    }

    #[test]
    fn broken_books_are_refused_with_a_line() {
        let cases = [
            ("<body>\n<p id=\"a\">x</div></body>", 2, "closes `<p>`"),
            (
                "<body>\n<p id=\"a\">x</p>\n<p id=\"a\">y</p></body>",
                3,
                "used twice",
            ),
            ("<body>\n<p id=\"a>x</p></body>", 2, "never closed"),
            ("<body>\n<p id=\"a\">x</p>", 1, "never closed"),
            ("<body><p>no ids</p></body>", 0, "no element has an id"),
            ("<body>\n<!-- open", 2, "comment never closed"),
            ("<body>\n< p</body>", 2, "starts no tag"),
            (
                "<body>\n<p hidden>x</p><p id=\"a\">y</p></body>",
                2,
                "no `=\"value\"`",
            ),
        ];
        for (text, line, what) in cases {
            let (l, message) = text_ids(text).unwrap_err();
            assert_eq!(l, line, "{text}: {message}");
            assert!(message.contains(what), "{text}: {message}");
        }
    }

    #[test]
    fn fragments_are_encoded() {
        assert_eq!(url_fragment("p1"), "p1");
        assert_eq!(url_fragment("a b#ü"), "a%20b%23%C3%BC");
    }
}
