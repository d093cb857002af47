// Reads talign's WebVTT, TTML and SBV output with readers from npm, for
// scripts/check_formats.py: `node format_readers.mjs FORMAT FILE` prints the cues as JSON
// ({cues: [{start, end, voice, text, stamps: [[ms, word], ...]}], errors: [...]}).
//   vtt  — webvtt-parser (the W3C validator's parser): cue times, <v> voice, inline timestamps
//   ttml — imsc (imscJS, the IMSC reference renderer): parse errors and warnings, cue times
//   sbv  — subsrt-ts: cue times and text
import { createRequire } from "module";
import fs from "fs";

const require = createRequire(import.meta.url);
const [format, file] = process.argv.slice(2);
const text = fs.readFileSync(file, "utf8");
const out = { cues: [], errors: [] };

if (format === "vtt") {
  const { WebVTTParser } = require("webvtt-parser");
  const tree = new WebVTTParser().parse(text, "metadata");
  out.errors = tree.errors.map((e) => `line ${e.line}: ${e.message}`);
  for (const cue of tree.cues) {
    const c = { start: Math.round(cue.startTime * 1000), end: Math.round(cue.endTime * 1000), voice: null, text: "", stamps: [] };
    let pending = null;
    const walk = (node) => {
      for (const child of node.children) {
        if (child.type === "object" && child.name === "v") c.voice = child.value ?? c.voice;
        if (child.type === "timestamp") pending = Math.round(child.value * 1000);
        if (child.type === "text") {
          if (pending !== null) {
            const word = child.value.trim().split(/\s+/)[0];
            c.stamps.push([pending, word]);
            pending = null;
          }
          c.text += child.value;
        }
        if (child.children) walk(child);
      }
    };
    walk(cue.tree);
    out.cues.push(c);
  }
} else if (format === "ttml") {
  // imscJS's document module needs no browser; its HTML renderer does.
  const imsc = require("imsc/src/main/js/doc.js");
  const report = (kind) => (msg) => { out.errors.push(`${kind}: ${msg}`); };
  const doc = imsc.fromXML(text, { error: report("error"), fatal: report("fatal"), warn: report("warn"), info: () => {} });
  if (doc === null) out.errors.push("fatal: imsc returned no document");
  else out.events = doc.getMediaTimeEvents().map((t) => Math.round(t * 1000));
} else if (format === "sbv") {
  const subsrt = (await import("subsrt-ts")).default;
  for (const cue of subsrt.parse(text, { format: "sbv" })) {
    if (cue.type === "caption") out.cues.push({ start: cue.start, end: cue.end, voice: null, text: cue.text.replace(/\r\n/g, "\n"), stamps: [] });
  }
} else {
  out.errors.push(`unknown format ${format}`);
}
process.stdout.write(JSON.stringify(out));
