//! What the XML formats (EAF, TTML, SMIL and its XHTML) share: escaping text and
//! attribute values, and writing file paths as URL references.

/// `text` safe inside an element or a double-quoted attribute: `&`, `<`, `>`, `"` and `'`
/// escaped; characters XML 1.0 cannot hold at all (controls other than tab and line
/// breaks, U+FFFE, U+FFFF) dropped; tab and line breaks as character references, so an
/// attribute keeps them and no reader folds them into spaces.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A file path as a URL path (RFC 3986): every byte but unreserved characters and `/`
/// percent-encoded as UTF-8, `\` taken as a folder separator, so `my talk.mp3` is
/// `my%20talk.mp3` and `ü` is `%C3%BC`.
pub(super) fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An absolute path as a `file://` URL (`/a b/x.wav` → `file:///a%20b/x.wav`; a Windows
/// `C:\x.wav` → `file:///C:/x.wav`).
pub(super) fn file_url(absolute: &str) -> String {
    let path = url_path(absolute).replace("%3A", ":");
    if path.starts_with('/') {
        format!("file://{path}")
    } else {
        format!("file:///{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(
            escape("a <b> & \"c\" 'd'"),
            "a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;"
        );
        assert_eq!(escape("x\u{1}y\u{ffff}\tz\n"), "xy&#9;z&#10;");
        assert_eq!(escape("Ελληνικά 話者"), "Ελληνικά 話者");
    }

    #[test]
    fn paths_become_urls() {
        assert_eq!(url_path("my talk.mp3"), "my%20talk.mp3");
        assert_eq!(url_path("../a/ü#1.wav"), "../a/%C3%BC%231.wav");
        assert_eq!(url_path(r"sub\x.wav"), "sub/x.wav");
        assert_eq!(file_url("/home/a b/x.wav"), "file:///home/a%20b/x.wav");
        assert_eq!(file_url(r"C:\rec\x.wav"), "file:///C:/rec/x.wav");
    }
}
