//! Indexes the vendored pronouncing dictionary at build time, so that no process parses or
//! sorts its 135 000 lines at run time: the text stays in the binary as shipped, and
//! `OUT_DIR/cmudict.index` holds the start of every pronunciation's line, sorted by (word,
//! variant), as little-endian `u32`s (`acoustic::dictionary` reads it; a test checks that
//! it agrees with parsing the text).

use std::path::Path;

fn main() {
    // Read at run time: `env!` would bake in the directory the build script was compiled
    // in, and a target directory shared by two checkouts would index the other's text.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it");
    let source = Path::new(&manifest_dir).join("../../models/en-us/cmudict-en-us.dict");
    println!("cargo:rerun-if-changed={}", source.display());
    println!("cargo:rerun-if-changed=build.rs");
    let text = std::fs::read_to_string(&source)
        .unwrap_or_else(|e| panic!("reading {}: {e}", source.display()));
    let mut lines: Vec<(&str, u16, u32)> = Vec::new();
    let mut start = 0usize;
    for line in text.split_inclusive('\n') {
        let head = line
            .split('#')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .next();
        if let Some(head) = head {
            let (word, variant) = match head.strip_suffix(')').and_then(|h| h.rsplit_once('(')) {
                Some((word, n)) => (word, n.parse().expect("a variant number")),
                None => (head, 1),
            };
            assert!(
                word.bytes().all(|b| !b.is_ascii_uppercase()) && word.is_ascii(),
                "the vendored dictionary's words are lower-case ASCII: `{word}`"
            );
            lines.push((word, variant, u32::try_from(start).expect("under 4 GB")));
        }
        start += line.len();
    }
    lines.sort_by(|a, b| a.0.cmp(b.0).then(a.1.cmp(&b.1)));
    let index: Vec<u8> = lines.iter().flat_map(|l| l.2.to_le_bytes()).collect();
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("cmudict.index");
    std::fs::write(&out, index).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
}
