"use strict";
// talign's review page. The data (alignment, envelope, stamp check, problems) is inline;
// nothing is fetched. Canvases draw only the visible stretch; the table's rows are skipped
// by the browser while off screen (content-visibility), so 10 hours open quickly.
(function () {
  const D = JSON.parse(document.getElementById("data").textContent);
  const A = D.alignment;
  const LOW = D.low_confidence;
  const audio = document.getElementById("audio");
  const dur = Math.max(A.audio.duration_s, 0.001);
  const env = Uint8Array.from(atob(D.envelope.base64), (c) => c.charCodeAt(0));
  const perSecond = D.envelope.per_second;

  // Turns are replaced, never changed in place, so undo can put the old objects back.
  let turns = A.turns.slice();
  // What the page knows of a turn beyond its JSON (stamp check, problems), kept off the
  // saved object.
  const meta = new WeakMap();
  const done = [];
  const undone = [];
  let cur = 0;

  // ---- What is known of each turn: the stamp check and the transcript's problems.
  const stamps = D.drift && D.drift.stamps.length === turns.length ? D.drift.stamps : null;
  turns.forEach((t, i) => {
    const notes = [];
    const s = stamps ? stamps[i] : null;
    if (s && s.status !== "consistent" && s.status !== "missing") {
      let note = "stamp " + s.status.replace(/_/g, " ");
      if (s.fit_delta_s != null) note += " (" + signed(s.fit_delta_s) + " s from the fit)";
      else if (s.delta_s != null) note += " (" + signed(s.delta_s) + " s)";
      if (s.suggestion) note += "; suggest " + s.suggestion;
      notes.push(note);
    }
    const next = turns[i + 1] ? turns[i + 1].line : Infinity;
    for (const p of D.problems) {
      if (p.line >= t.line && p.line < next) notes.push(p.message);
    }
    meta.set(t, { stamp: s, notes: notes });
  });

  // ---- Speakers: one lane each, in order of first appearance.
  const PALETTE = ["#1f5fa8", "#2e7d32", "#6a3d9a", "#00695c", "#8e24aa", "#37474f", "#5d4037", "#283593"];
  const speakerName = (t) => t.speaker || "(no speaker)";
  let speakers = [];
  function refreshSpeakers() {
    const seen = new Map();
    for (const t of turns) if (!seen.has(speakerName(t))) seen.set(speakerName(t), seen.size);
    speakers = Array.from(seen.keys());
  }
  const lane = (t) => Math.max(0, speakers.indexOf(speakerName(t)));
  const colour = (t) => PALETTE[lane(t) % PALETTE.length];
  const isLow = (t) => t.confidence < LOW;
  // A word is marked only when it carries a confidence of its own (schema 3); older JSON,
  // words placed without the acoustic model and words whose boundary was edited have none.
  const isLowWord = (w) => w.confidence != null && w.confidence < LOW;
  const lowWords = (t) => (t.words ? t.words.filter(isLowWord) : []);
  function wordNote(w) {
    return "low confidence " + w.confidence.toFixed(2) + (w.fit != null ? ", fit " + w.fit.toFixed(1) : "");
  }

  // ---- Small helpers.
  function r3(x) { return Math.round(x * 1000) / 1000; }
  function signed(x) { return (x >= 0 ? "+" : "") + x.toFixed(1); }
  function clock(s) {
    const ms = Math.round(s * 1000);
    const h = Math.floor(ms / 3600000), m = Math.floor(ms / 60000) % 60, sec = (ms % 60000) / 1000;
    const ss = sec.toFixed(3).padStart(6, "0");
    return (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + ss;
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }
  const norm = (s) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  // A turn's text as HTML with its low-confidence words marked (a dotted underline, and the
  // confidence as a title and an accessible description). The timed words are the text's
  // tokens without their punctuation, in order: each token is matched to the next words.
  function textHtml(t) {
    if (!lowWords(t).length) return esc(t.text);
    let k = 0;
    return t.text.split(/(\s+)/).map((part) => {
      const n = norm(part);
      if (!n) return esc(part);
      for (let j = k; j < Math.min(k + 4, t.words.length); j++) {
        if (norm(t.words[j].word) !== n) continue;
        k = j + 1;
        const w = t.words[j];
        if (!isLowWord(w)) return esc(part);
        return '<span class="lowword" title="' + wordNote(w) + '" aria-description="' + wordNote(w) + '">' + esc(part) + "</span>";
      }
      return esc(part);
    }).join("");
  }
  function copy(t) {
    const c = JSON.parse(JSON.stringify(t));
    meta.set(c, meta.get(t) || { stamp: null, notes: [] });
    return c;
  }
  // Words (and their phones) kept inside [start, end]. A word whose boundary moves loses
  // its confidence and fits: they were about the old boundaries, and a person set the new one.
  function clampWords(words, start, end) {
    if (!words) return words;
    const clip = (x) => ({ ...x, start: r3(Math.max(x.start, start)), end: r3(Math.min(x.end, end)) });
    return words.filter((w) => w.end > start && w.start < end).map((w) => {
      const c = clip(w);
      if (Math.abs(c.start - w.start) > 0.0005 || Math.abs(c.end - w.end) > 0.0005) {
        delete c.confidence;
        delete c.fit;
        delete c.onset_fit;
        delete c.pause_fit;
      }
      if (w.phones) c.phones = w.phones.filter((p) => p.end > start && p.start < end).map(clip);
      return c;
    });
  }

  // ---- Editing: every edit replaces turns[at .. at+removed.length] with `inserted`.
  function apply(edit) {
    turns.splice(edit.at, edit.removed.length, ...edit.inserted);
  }
  function edit(at, count, inserted, what) {
    const e = { at: at, removed: turns.slice(at, at + count), inserted: inserted, what: what };
    apply(e);
    done.push(e);
    undone.length = 0;
    changed("Done: " + what);
  }
  function undo() {
    const e = done.pop();
    if (!e) return;
    turns.splice(e.at, e.inserted.length, ...e.removed);
    undone.push(e);
    changed("Undone: " + e.what);
  }
  function redo() {
    const e = undone.pop();
    if (!e) return;
    apply(e);
    done.push(e);
    changed("Redone: " + e.what);
  }
  function setBound(i, which, time) {
    const t = turns[i];
    if (!t) return false;
    time = r3(Math.min(Math.max(time, 0), dur));
    if (which === "start" ? time >= t.end : time <= t.start) {
      say("The " + which + " must stay " + (which === "start" ? "before the end" : "after the start") + " of turn " + (i + 1) + ".");
      return false;
    }
    const c = copy(t);
    c[which] = time;
    c.words = clampWords(c.words, c.start, c.end);
    if (c.words === undefined) delete c.words;
    c.corrected = true;
    edit(i, 1, [c], "turn " + (i + 1) + " " + which + " at " + clock(time));
    return true;
  }
  function setTextAndSpeaker(i, text, speaker) {
    const t = turns[i];
    speaker = speaker.trim();
    const newSpeaker = speaker === "" ? null : speaker;
    if (text === t.text && newSpeaker === t.speaker) return;
    const c = copy(t);
    if (text !== t.text) {
      c.text = text;
      // The word times belonged to the old words.
      const same = (a, b) => a.split(/\s+/).filter(Boolean).join(" ") === b.split(/\s+/).filter(Boolean).join(" ");
      if (!same(text, t.text)) delete c.words;
    }
    if (newSpeaker !== t.speaker) {
      c.speaker = newSpeaker;
      c.speaker_raw = newSpeaker;
    }
    c.corrected = true;
    edit(i, 1, [c], "turn " + (i + 1) + " text/speaker");
  }
  function split(i, time) {
    const t = turns[i];
    if (!t || !(time > t.start + 0.01 && time < t.end - 0.01)) {
      say("Put the playhead inside the current turn to split it.");
      return false;
    }
    time = r3(time);
    const tokens = t.text.split(/\s+/).filter(Boolean);
    let k;
    if (t.words && t.words.length) {
      const before = t.words.filter((w) => (w.start + w.end) / 2 < time).length;
      k = Math.round((tokens.length * before) / t.words.length);
    } else {
      k = Math.round((tokens.length * (time - t.start)) / (t.end - t.start));
    }
    if (tokens.length >= 2) k = Math.min(Math.max(k, 1), tokens.length - 1);
    const a = copy(t), b = copy(t);
    a.end = time; b.start = time;
    a.text = tokens.slice(0, k).join(" ");
    b.text = tokens.slice(k).join(" ");
    if (t.words) {
      a.words = t.words.filter((w) => (w.start + w.end) / 2 < time);
      b.words = t.words.filter((w) => (w.start + w.end) / 2 >= time);
      a.words = clampWords(a.words, a.start, a.end);
      b.words = clampWords(b.words, b.start, b.end);
    }
    b.stated = { raw: null, seconds: null, status: "missing" };
    meta.set(b, { stamp: null, notes: [] });
    a.corrected = b.corrected = true;
    edit(i, 1, [a, b], "split turn " + (i + 1) + " at " + clock(time));
    return true;
  }
  function merge(i) {
    const a = turns[i], b = turns[i + 1];
    if (!a || !b) {
      say("The last turn has no next turn to merge with.");
      return false;
    }
    const c = copy(a);
    c.text = [a.text, b.text].filter((x) => x !== "").join(" ");
    c.start = r3(Math.min(a.start, b.start));
    c.end = r3(Math.max(a.end, b.end));
    c.transcribed = a.transcribed || b.transcribed;
    c.confidence = Math.min(a.confidence, b.confidence);
    if (a.words || b.words) c.words = (a.words || []).concat(b.words || []);
    if (a.fit != null && b.fit != null) c.fit = Math.min(a.fit, b.fit);
    else delete c.fit;
    c.corrected = true;
    edit(i, 2, [c], "merge turns " + (i + 1) + " and " + (i + 2));
    return true;
  }

  // ---- Saving: talign JSON of the same schema, indices renumbered, edited turns marked.
  function savedJson() {
    const out = Object.assign({}, A, { turns: turns.map((t, i) => Object.assign({}, t, { index: i })) });
    return JSON.stringify(out, null, 2) + "\n";
  }
  function save() {
    const blob = new Blob([savedJson()], { type: "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = D.save_name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    say("Saved " + D.save_name + " (" + done.length + " edits). Re-export with: talign export " + D.save_name + " -o out.srt");
  }

  // ---- Where things are in time.
  let maxDur = 0;
  function refreshMaxDur() { maxDur = turns.reduce((m, t) => Math.max(m, t.end - t.start), 0); }
  // Index of the first turn that may reach past `time` (turns are in order of start,
  // give or take overlaps no longer than the longest turn).
  function firstFrom(time) {
    let lo = 0, hi = turns.length;
    const from = time - maxDur;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (turns[mid].start < from) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
  function turnAt(time) {
    let found = -1;
    for (let i = firstFrom(time); i < turns.length && turns[i].start <= time; i++) {
      if (turns[i].end >= time) found = i;
    }
    return found;
  }

  // ---- Overview: the envelope, a lane per speaker, stamps joined to aligned starts.
  const ov = document.getElementById("overview");
  const ovBase = document.createElement("canvas");
  const ENV_H = 48, LANE_H = 16, STAMP_H = 26, FIT_H = 64;
  const FIT_COLOUR = "#111111";

  // ---- `check`'s fit of the stamps: recording time = offset + rate × stated time, one
  // offset per stretch (cut or pause), as `talign check` reports it. Drawn in a strip under
  // the stamps: x the recording's time, y how far the recording runs ahead of the stamps
  // (recording − stated, seconds), so a drift is a slope and a cut a step.
  const FIT = D.drift && D.drift.fit && D.drift.fit.segments.length ? D.drift.fit : null;
  const TOL = D.drift ? D.drift.tolerance_s : 2;
  function fitLabel() {
    if (!FIT) return "";
    const pct = Math.abs(FIT.drift_percent);
    const pace = FIT.rate_fixed ? "rate fixed at 1" :
      pct < 0.005 ? "stamps keep time" : "stamps run " + pct.toFixed(2) + "% " + (FIT.drift_percent > 0 ? "slow" : "fast");
    const cuts = FIT.segments.length - 1;
    return "check's fit: recording = " + signed(FIT.offset_s) + " s + " + FIT.rate.toFixed(4) + " × stated (" + pace + ")" +
      (cuts ? "; " + cuts + " cut" + (cuts === 1 ? "" : "s") + " or pause" + (cuts === 1 ? "" : "s") + ", one offset each" : "");
  }
  // The fit's pieces in recording time, clipped to the recording: [{from, to, offset}].
  function fitPieces() {
    if (!FIT) return [];
    const n = FIT.segments.length;
    const pieces = [];
    FIT.segments.forEach((seg, i) => {
      // Stated span of the piece: from 0 (the first) or its first stamp, to the next's first
      // stamp (the last: to the end of the recording).
      const a = i === 0 ? 0 : seg.from_stated_s;
      const b = i + 1 < n ? FIT.segments[i + 1].from_stated_s : Infinity;
      const from = Math.max(0, seg.offset_s + FIT.rate * a);
      const to = Math.min(dur, seg.offset_s + FIT.rate * b);
      if (to > from) pieces.push({ from: from, to: to, offset: seg.offset_s });
    });
    return pieces;
  }
  // recording − stated on piece `p` at recording time `x`.
  const fitLead = (p, x) => x - (x - p.offset) / FIT.rate;
  let fitDrawn = [];
  // Sizes a canvas's pixels to its CSS box (or `cssWidth` for one off screen).
  function sizeCanvas(c, cssHeight, cssWidth) {
    const ratio = window.devicePixelRatio || 1;
    const w = Math.max(200, Math.floor(cssWidth || c.clientWidth || 800));
    c.style.height = cssHeight + "px";
    c.width = Math.floor(w * ratio);
    c.height = Math.floor(cssHeight * ratio);
    const g = c.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    return { g: g, w: w, h: cssHeight };
  }
  function drawEnvelope(g, w, top, h, from, to) {
    g.fillStyle = "#9aa5b1";
    const bins = env.length;
    for (let x = 0; x < w; x++) {
      const a = Math.floor(((from + ((to - from) * x) / w)) * perSecond);
      const b = Math.max(a + 1, Math.floor(((from + ((to - from) * (x + 1)) / w)) * perSecond));
      let m = 0;
      for (let k = Math.max(a, 0); k < Math.min(b, bins); k++) if (env[k] > m) m = env[k];
      const bar = (m / 255) * h;
      g.fillRect(x, top + (h - bar) / 2, 1, Math.max(bar, 0.5));
    }
  }
  function drawOverviewBase() {
    const height = ENV_H + speakers.length * LANE_H + STAMP_H + (FIT ? FIT_H : 0) + 4;
    const { w: width } = sizeCanvas(ov, height);
    const { g, w, h } = sizeCanvas(ovBase, height, width);
    g.clearRect(0, 0, w, h);
    drawEnvelope(g, w, 0, ENV_H, 0, dur);
    const x = (s) => (s / dur) * w;
    g.font = "10px system-ui, sans-serif";
    speakers.forEach((name, k) => {
      g.fillStyle = k % 2 ? "#f7f7f7" : "#eef1f5";
      g.fillRect(0, ENV_H + k * LANE_H, w, LANE_H);
    });
    for (const t of turns) {
      const y = ENV_H + lane(t) * LANE_H;
      g.fillStyle = isLow(t) ? "#b35900" : colour(t);
      g.fillRect(x(t.start), y + 2, Math.max(1, x(t.end) - x(t.start)), LANE_H - 4);
      if (isLow(t)) {
        g.beginPath();
        g.moveTo(x(t.start), y);
        g.lineTo(x(t.start) + 4, y + 5);
        g.lineTo(x(t.start) - 4, y + 5);
        g.fill();
      }
    }
    speakers.forEach((name, k) => {
      g.fillStyle = "#1a1a1a";
      g.fillText(name, 3, ENV_H + k * LANE_H + 11);
    });
    // Stated stamps along the bottom, each joined to where its turn really starts.
    const stampY = ENV_H + speakers.length * LANE_H + STAMP_H - 4;
    g.lineWidth = 1;
    for (const t of turns) {
      if (t.stated.seconds == null) continue;
      const m = meta.get(t);
      const wrong = m && m.stamp && /^(off|out_of_order|duplicate|invalid|beyond_audio)$/.test(m.stamp.status);
      g.strokeStyle = wrong ? "#b00020" : "rgba(106,61,154,0.55)";
      g.beginPath();
      g.moveTo(x(t.stated.seconds), stampY);
      g.lineTo(x(t.start), ENV_H + lane(t) * LANE_H + LANE_H);
      g.stroke();
      g.fillStyle = wrong ? "#b00020" : "#6a3d9a";
      g.fillRect(x(t.stated.seconds) - 1, stampY, 2, 4);
    }
    g.fillStyle = "#555";
    g.fillText("stated stamps", 3, stampY - 2);
    if (FIT) drawFit(g, w, stampY + 8, x);
  }
  // The fit strip at `top`: zero and ±tolerance, each judged stamp as a dot, the fit on top.
  function drawFit(g, w, top, x) {
    const pieces = fitPieces();
    const h = FIT_H - 12;
    let lo = -TOL, hi = TOL;
    for (const p of pieces) for (const at of [p.from, p.to]) {
      lo = Math.min(lo, fitLead(p, at) - TOL);
      hi = Math.max(hi, fitLead(p, at) + TOL);
    }
    const pad = Math.max(TOL, (hi - lo) * 0.15);
    lo -= pad; hi += pad;
    const y = (v) => top + h - ((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * h;
    g.fillStyle = "#f4f1f8";
    g.fillRect(0, top, w, h);
    g.fillStyle = "#e3dcee";
    g.fillRect(0, y(TOL), w, y(-TOL) - y(TOL));
    g.strokeStyle = "#888";
    g.setLineDash([3, 3]);
    g.beginPath(); g.moveTo(0, y(0)); g.lineTo(w, y(0)); g.stroke();
    g.setLineDash([]);
    for (const t of turns) {
      const m = meta.get(t);
      if (!m || !m.stamp || t.stated.seconds == null) continue;
      if (!/^(consistent|off|out_of_order|duplicate)$/.test(m.stamp.status)) continue;
      const lead = t.start - t.stated.seconds;
      g.fillStyle = m.stamp.status === "consistent" ? "#6a3d9a" : "#b00020";
      const clipped = lead < lo || lead > hi;
      g.fillRect(x(t.start) - 1.5, y(lead) - (clipped ? 3 : 1.5), 3, clipped ? 6 : 3);
    }
    fitDrawn = [];
    g.strokeStyle = FIT_COLOUR;
    g.lineWidth = 2.5;
    for (const p of pieces) {
      const seg = { from_s: p.from, to_s: p.to, x0: x(p.from), y0: y(fitLead(p, p.from)), x1: x(p.to), y1: y(fitLead(p, p.to)) };
      g.beginPath(); g.moveTo(seg.x0, seg.y0); g.lineTo(seg.x1, seg.y1); g.stroke();
      fitDrawn.push(seg);
    }
    g.lineWidth = 1;
    g.fillStyle = "#1a1a1a";
    g.fillText(fitLabel() + "; y: recording − stated, " + signed(lo) + " to " + signed(hi) + " s", 3, top + h + 10);
  }
  function drawOverview(time) {
    const g = ov.getContext("2d");
    const ratio = window.devicePixelRatio || 1;
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, ov.width, ov.height);
    g.drawImage(ovBase, 0, 0);
    const xp = (time / dur) * ov.width;
    const t = turns[cur];
    if (t) {
      g.fillStyle = "rgba(255,200,0,0.35)";
      g.fillRect((t.start / dur) * ov.width, 0, Math.max(2 * ratio, ((t.end - t.start) / dur) * ov.width), ov.height);
    }
    g.fillStyle = "#0b57d0";
    g.fillRect(xp - ratio, 0, 2 * ratio, ov.height);
  }
  ov.addEventListener("click", (e) => {
    const r = ov.getBoundingClientRect();
    seek(((e.clientX - r.left) / r.width) * dur, false);
  });

  // ---- Detail: the stretch around the playhead, turns and word boundaries; drag edges.
  const dt = document.getElementById("detail");
  let span = 12;
  let view0 = 0;
  let drag = null;
  const D_ENV = 60, D_TURN = 64, D_WORD = 96;
  function detailGeometry() { return { w: dt.clientWidth || 800 }; }
  function drawDetail(time) {
    const { g, w, h } = sizeCanvas(dt, 170);
    // The view follows the playhead, recentring when it nears an edge.
    if (time < view0 + span * 0.1 || time > view0 + span * 0.9) view0 = time - span / 2;
    view0 = Math.min(Math.max(view0, 0), Math.max(0, dur - span));
    const from = view0, to = view0 + span;
    const x = (s) => ((s - from) / (to - from)) * w;
    g.clearRect(0, 0, w, h);
    drawEnvelope(g, w, 0, D_ENV, from, to);
    g.font = "12px system-ui, sans-serif";
    g.textBaseline = "middle";
    for (let i = firstFrom(from); i < turns.length && turns[i].start <= to; i++) {
      const t = turns[i];
      if (t.end < from) continue;
      let s = t.start, e = t.end;
      if (drag && drag.i === i) { if (drag.which === "start") s = drag.time; else e = drag.time; }
      g.fillStyle = i === cur ? "#fff3b0" : "#eef1f5";
      g.fillRect(x(s), D_TURN - 26, x(e) - x(s), 24);
      g.fillStyle = isLow(t) ? "#b35900" : colour(t);
      g.fillRect(x(s), D_TURN - 26, 3, 24);
      g.fillRect(x(e) - 3, D_TURN - 26, 3, 24);
      g.save();
      g.beginPath();
      g.rect(x(s) + 4, D_TURN - 26, Math.max(0, x(e) - x(s) - 8), 24);
      g.clip();
      g.fillStyle = "#1a1a1a";
      g.fillText((i + 1) + " " + speakerName(t) + (isLow(t) ? " ⚠ " + t.confidence.toFixed(2) : "") + ": " + t.text.replace(/\s+/g, " "), x(s) + 6, D_TURN - 14);
      g.restore();
      if (!t.words) continue;
      for (const wd of t.words) {
        if (wd.end < from || wd.start > to) continue;
        const active = time >= wd.start && time < wd.end;
        g.fillStyle = active ? "#0b57d0" : "#ffffff";
        g.fillRect(x(wd.start), D_WORD - 12, Math.max(1, x(wd.end) - x(wd.start)), 24);
        g.strokeStyle = "#666";
        g.strokeRect(x(wd.start) + 0.5, D_WORD - 12 + 0.5, Math.max(1, x(wd.end) - x(wd.start)) - 1, 23);
        g.save();
        g.beginPath();
        g.rect(x(wd.start), D_WORD - 12, Math.max(0, x(wd.end) - x(wd.start)), 24);
        g.clip();
        g.fillStyle = active ? "#fff" : "#1a1a1a";
        g.fillText(wd.word, x(wd.start) + 2, D_WORD);
        if (isLowWord(wd)) {
          // Low confidence: a dotted underline and a "?" (not colour alone).
          g.strokeStyle = active ? "#fff" : "#b35900";
          g.lineWidth = 2;
          g.setLineDash([2, 2]);
          g.beginPath();
          g.moveTo(x(wd.start) + 2, D_WORD + 8);
          g.lineTo(x(wd.end) - 2, D_WORD + 8);
          g.stroke();
          g.setLineDash([]);
          g.lineWidth = 1;
          g.fillStyle = active ? "#fff" : "#b35900";
          g.fillText("?", x(wd.end) - 9, D_WORD - 5);
        }
        g.restore();
      }
    }
    // Time ticks.
    g.fillStyle = "#555";
    const step = span > 60 ? 10 : span > 20 ? 5 : span > 6 ? 1 : 0.5;
    for (let s = Math.ceil(from / step) * step; s <= to; s += step) {
      g.fillRect(x(s), h - 20, 1, 5);
      g.fillText(clock(s).replace(/\.?0+$/, ""), x(s) + 2, h - 8);
    }
    g.fillStyle = "#0b57d0";
    g.fillRect(x(time) - 1, 0, 2, h);
    document.getElementById("span").textContent = span.toFixed(span < 10 ? 1 : 0) + " s shown";
  }
  function detailTime(e) {
    const r = dt.getBoundingClientRect();
    return view0 + ((e.clientX - r.left) / r.width) * span;
  }
  // The turn edge within 6 px of the pointer, if any.
  function edgeAt(e) {
    const r = dt.getBoundingClientRect();
    const y = e.clientY - r.top;
    if (y < D_TURN - 30 || y > D_TURN + 2) return null;
    const time = detailTime(e);
    const tol = (6 / r.width) * span;
    for (let i = firstFrom(view0); i < turns.length && turns[i].start <= view0 + span; i++) {
      if (Math.abs(turns[i].start - time) < tol) return { i: i, which: "start" };
      if (Math.abs(turns[i].end - time) < tol) return { i: i, which: "end" };
    }
    return null;
  }
  dt.addEventListener("mousemove", (e) => {
    if (drag) { drag.time = detailTime(e); drag.moved = true; drawDetail(audio.currentTime); return; }
    dt.style.cursor = edgeAt(e) ? "ew-resize" : "crosshair";
  });
  dt.addEventListener("mousedown", (e) => {
    const edge = edgeAt(e);
    if (edge) { drag = { i: edge.i, which: edge.which, time: detailTime(e), moved: false }; e.preventDefault(); }
  });
  window.addEventListener("mouseup", (e) => {
    if (!drag) return;
    const d = drag;
    drag = null;
    if (d.moved) { setBound(d.i, d.which, d.time); select(d.i, false); } else drawDetail(audio.currentTime);
  });
  dt.addEventListener("click", (e) => {
    if (e.detail === 0 || dt.style.cursor === "ew-resize") return;
    const time = detailTime(e);
    const r = dt.getBoundingClientRect();
    const y = e.clientY - r.top;
    // A click on a word plays from the word's start.
    if (y >= D_WORD - 12 && y <= D_WORD + 12) {
      for (let i = firstFrom(time); i < turns.length && turns[i].start <= time; i++) {
        for (const wd of turns[i].words || []) {
          if (time >= wd.start && time <= wd.end) { seek(wd.start, true); return; }
        }
      }
    }
    seek(time, true);
  });

  // ---- Transcript table and the current turn.
  const tbody = document.querySelector("#turns tbody");
  function row(t, i) {
    const m = meta.get(t) || { notes: [] };
    const cls = [isLow(t) ? "low" : "", t.corrected ? "edited" : "", i === cur ? "cur" : ""].join(" ").trim();
    const stated = t.stated.raw == null ? "" : esc(t.stated.raw);
    const unsure = lowWords(t);
    const unsureSaid = unsure.length ? ", " + unsure.length + " low-confidence word" + (unsure.length === 1 ? "" : "s") + ": " +
      unsure.slice(0, 5).map((w) => w.word).join(" ") + (unsure.length > 5 ? " …" : "") : "";
    return '<tr data-i="' + i + '" tabindex="0" class="' + cls + '" aria-label="Turn ' + (i + 1) + ", " + esc(speakerName(t)) + ", " + clock(t.start) +
      (isLow(t) ? ", low confidence" : "") + esc(unsureSaid) + '"><td class="idx">' + (i + 1) + "</td><td>" + esc(t.speaker_raw || t.speaker || "") +
      '</td><td class="num">' + stated + '</td><td class="num">' + clock(t.start) + "–" + clock(t.end) +
      '</td><td class="conf">' + t.confidence.toFixed(2) + '</td><td class="text">' + textHtml(t) + '</td><td class="problems">' +
      m.notes.map(esc).join("<br>") + "</td></tr>";
  }
  function drawTable() {
    const parts = new Array(turns.length);
    for (let i = 0; i < turns.length; i++) parts[i] = row(turns[i], i);
    tbody.innerHTML = parts.join("");
  }
  function rowEl(i) { return tbody.children[i]; }
  tbody.addEventListener("click", (e) => {
    const tr = e.target.closest("tr");
    if (tr) play(+tr.dataset.i);
  });
  tbody.addEventListener("keydown", (e) => {
    const tr = e.target.closest("tr");
    if (tr && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); e.stopPropagation(); play(+tr.dataset.i); }
  });

  const wordsEl = document.getElementById("words");
  const speakerEl = document.getElementById("speaker");
  const textEl = document.getElementById("text");
  function showCurrent() {
    const t = turns[cur];
    if (!t) return;
    speakerEl.value = t.speaker || "";
    textEl.value = t.text;
    if (t.words && t.words.length) {
      wordsEl.innerHTML = t.words.map((w, k) => {
        const low = isLowWord(w);
        return '<button type="button" data-k="' + k + '"' + (low ? ' class="low" title="' + wordNote(w) + '"' : "") +
          ' aria-label="' + esc(w.word) + " at " + clock(w.start) + (low ? ", " + wordNote(w) : "") + '">' + esc(w.word) + "</button>";
      }).join(" ");
    } else {
      wordsEl.textContent = "No word times for this turn; click the detail view or use the row to play.";
    }
  }
  wordsEl.addEventListener("click", (e) => {
    const b = e.target.closest("button");
    const t = turns[cur];
    if (b && t && t.words) seek(t.words[+b.dataset.k].start, true);
  });
  let lastWord = -1;
  function highlightWord(time) {
    const t = turns[cur];
    let k = -1;
    if (t && t.words) k = t.words.findIndex((w) => time >= w.start && time < w.end);
    if (k === lastWord) return;
    const old = wordsEl.querySelector("button.playing");
    if (old) old.classList.remove("playing");
    if (k >= 0 && wordsEl.children[k]) wordsEl.children[k].classList.add("playing");
    lastWord = k;
  }
  function select(i, scroll) {
    if (i < 0 || i >= turns.length) return;
    const old = rowEl(cur);
    if (old) old.classList.remove("cur");
    cur = i;
    const el = rowEl(i);
    if (el) {
      el.classList.add("cur");
      if (scroll) el.scrollIntoView({ block: "nearest" });
    }
    lastWord = -1;
    showCurrent();
    drawDetail(audio.currentTime);
    drawOverview(audio.currentTime);
  }
  function seek(time, andPlay) {
    time = Math.min(Math.max(time, 0), dur);
    audio.currentTime = time;
    const i = turnAt(time);
    if (i >= 0 && i !== cur) select(i, true);
    if (andPlay) audio.play().catch(() => {});
    frame();
  }
  function play(i) {
    select(i, false);
    audio.currentTime = turns[i].start;
    audio.play().catch(() => {});
    frame();
  }
  function go(i) {
    if (i < 0 || i >= turns.length) return;
    select(i, true);
    audio.currentTime = turns[i].start;
    frame();
  }
  function nextLow() {
    for (let k = 1; k <= turns.length; k++) {
      const i = (cur + k) % turns.length;
      if (isLow(turns[i])) { go(i); say("Turn " + (i + 1) + ": confidence " + turns[i].confidence.toFixed(2) + "."); return; }
    }
    say("No low-confidence turn.");
  }

  // ---- Status lines and redraws.
  const status = document.getElementById("edits");
  function say(text) { status.textContent = text; }
  function changed(text) {
    refreshSpeakers();
    refreshMaxDur();
    if (cur >= turns.length) cur = turns.length - 1;
    drawTable();
    drawOverviewBase();
    select(cur, false);
    document.getElementById("undo").disabled = done.length === 0;
    document.getElementById("redo").disabled = undone.length === 0;
    say(text + " — " + done.length + " edit" + (done.length === 1 ? "" : "s") + ", not saved yet");
  }
  const clockEl = document.getElementById("clock");
  function frame() {
    const time = audio.currentTime;
    clockEl.textContent = clock(time);
    if (!audio.paused) {
      const i = turnAt(time);
      if (i >= 0 && i !== cur) select(i, true);
    }
    highlightWord(time);
    drawOverview(time);
    if (!drag) drawDetail(time);
  }
  function loop() {
    frame();
    if (!audio.paused) requestAnimationFrame(loop);
  }
  audio.addEventListener("play", () => requestAnimationFrame(loop));
  audio.addEventListener("seeked", frame);
  audio.addEventListener("error", () => {
    say("The recording cannot be played from " + audio.getAttribute("src") + ": keep it beside this page, or make the page with --embed-audio.");
  });

  // ---- Keys.
  document.addEventListener("keydown", (e) => {
    const tag = e.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA") return;
    if ((e.ctrlKey || e.metaKey) && !e.altKey) {
      if (e.key === "z" && !e.shiftKey) { undo(); e.preventDefault(); }
      else if (e.key === "y" || (e.key === "Z" && e.shiftKey)) { redo(); e.preventDefault(); }
      return;
    }
    if (e.altKey) return;
    switch (e.key) {
      case " ":
        if (tag === "BUTTON" || tag === "AUDIO") return;
        e.preventDefault();
        if (audio.paused) audio.play().catch(() => {}); else audio.pause();
        break;
      case "j": go(cur + 1); break;
      case "k": go(cur - 1); break;
      case "n": nextLow(); break;
      case "[": setBound(cur, "start", audio.currentTime); break;
      case "]": setBound(cur, "end", audio.currentTime); break;
      case "s": split(cur, audio.currentTime); break;
      case "m": merge(cur); break;
      case "+": case "=": zoom(0.5); break;
      case "-": zoom(2); break;
      default: return;
    }
  });
  function zoom(f) {
    span = Math.min(Math.max(span * f, 1), Math.max(1, dur));
    view0 = audio.currentTime - span / 2;
    drawDetail(audio.currentTime);
  }
  dt.addEventListener("wheel", (e) => { if (e.ctrlKey || e.deltaX === 0) { e.preventDefault(); zoom(e.deltaY > 0 ? 1.25 : 0.8); } }, { passive: false });
  document.getElementById("zoomin").onclick = () => zoom(0.5);
  document.getElementById("zoomout").onclick = () => zoom(2);
  document.getElementById("undo").onclick = undo;
  document.getElementById("redo").onclick = redo;
  document.getElementById("split").onclick = () => split(cur, audio.currentTime);
  document.getElementById("merge").onclick = () => merge(cur);
  document.getElementById("save").onclick = save;
  document.getElementById("apply").onclick = () => setTextAndSpeaker(cur, textEl.value, speakerEl.value);
  window.addEventListener("resize", () => { drawOverviewBase(); frame(); });

  // ---- Start.
  const lowCount = turns.filter(isLow).length;
  const wordsRated = turns.some((t) => t.words && t.words.some((w) => w.confidence != null));
  const lowWordCount = turns.reduce((n, t) => n + lowWords(t).length, 0);
  document.getElementById("lowvalue").textContent = String(LOW);
  document.getElementById("lowwordvalue").textContent = String(LOW);
  document.getElementById("lowwordkey").hidden = !wordsRated;
  if (FIT) {
    document.getElementById("fitlabel").textContent = fitLabel() +
      ": the black line in the strip under the stamps (recording − stated time against the recording's time; dots are the stamps)";
  } else {
    document.getElementById("fitkey").hidden = true;
  }
  document.getElementById("summary").textContent = turns.length + " turns in " + clock(dur) + "; " + lowCount +
    " with low confidence (n jumps to the next)" + (wordsRated ? "; " + lowWordCount + " words with low confidence (dotted underline)" : "") +
    (D.drift ? "; stamps: " + D.drift.summary : "; stamps not checked (transcript not found)");
  refreshSpeakers();
  refreshMaxDur();
  drawTable();
  drawOverviewBase();
  select(0, false);
  document.getElementById("undo").disabled = true;
  document.getElementById("redo").disabled = true;

  // For tests and scripts: the same JSON the save button downloads, and the state.
  window.talignReview = {
    savedJson: savedJson,
    current: () => cur,
    turnCount: () => turns.length,
    edits: () => done.length,
    view: () => [view0, span],
    // check's fit as drawn in the overview: its label, the rate and offset, and each piece's
    // ends in recording seconds and in the overview's CSS pixels.
    fitLine: () => (FIT ? { label: fitLabel(), rate: FIT.rate, offset_s: FIT.offset_s, pieces: fitDrawn } : null),
    readyMs: performance.now(),
  };
})();
