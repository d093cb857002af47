//! talign's JSON report: exactly [`Alignment`], pretty-printed, seconds with 3 decimals
//! (the serializers in `report.rs` round them). Reads back with `serde_json`.

use crate::report::Alignment;

/// Renders the alignment as pretty JSON with a final newline.
///
/// # Panics
///
/// Never for a real alignment: `Alignment` holds only strings, numbers, booleans and
/// sequences, which `serde_json` always serialises (non-finite numbers become `null`).
pub(super) fn render(alignment: &Alignment) -> String {
    let mut text = serde_json::to_string_pretty(alignment).expect("an Alignment always serialises");
    text.push('\n');
    text
}
