#!/usr/bin/env python3
"""Render evaluation recordings with Festival's voices (not espeak-ng), with word truth.

    python3 scripts/make_festival.py [--variant NAME|all] [--out DIR] [--jobs N]

NAME: festival, festival-snr20-drift03, festival-snr10-drift1, festival-en-only,
festival-czech (all = every one). Output: eval-out/NAME/ (or DIR/NAME/), not committed.
Needs what scripts/make_sample.py needs plus festival with the Debian voices
festvox-kallpc16k (kal_diphone), festvox-kdlpc16k (ked_diphone), festvox-us-slt-hts
(cmu_us_slt_arctic_hts), festvox-czech-dita, festvox-czech-machac, festvox-czech-ph.
Deterministic: the placement, pauses, noise and events come from make_sample's seeded
streams; Festival itself is deterministic (festival 2.5).

What a rendition is
-------------------
The Kerry variants reuse make_sample.py's placement, clock, injected bad stamps, room noise,
events, mixing, MP3 encoding and truth schema (make_sample.render with a FestivalPlanner);
only the voices differ:
* each normalised speaker gets an English Festival voice (FEST_SPEAKERS: two diphone voices,
  kal and ked, with their own pitch, and the HTS voice slt with a pitch shift), its speed set
  with Duration_Stretch (diphone) or hts_engine's -r (HTS);
* untranscribed turns (`Speaks Arabic/Syrian`) are real speech in another language: Czech
  sentences (CZECH_STATEMENTS / CZECH_TRANSLATIONS) with a Czech voice (czech_machac or
  czech_ph for men, czech_dita for women), so the recording holds foreign speech, not silence;
* each paragraph and each stretch between `...` is one Festival utterance; utterances are cut
  50 ms before their first word and 100 ms after their last and joined with the pause
  make_sample uses (150-450 ms for `...`, 600 ms between paragraphs).
Word truth: every transcript token Festival speaks gets `{"word", "start", "end"}` in its
turn's `words`: start = start of the token's first word, end = end of its last word, from
Festival's own Segment times (`word_start` / `word_end` features of the Word items, after
synthesis: the diphone voices map their units to these target times, hts_engine writes its
state durations back). `word` is Festival's token name: the transcript's token without
surrounding punctuation (`Aleppo,` -> `Aleppo`, `U.S.` -> `U.S`). Turn start/end stay
make_sample's: first / last 1 ms block within 40 dB of the turn's loudest block.

Variants
--------
  festival               main clock (+1.8 s, 0.3 % slow), 30 dB room bed + events
  festival-snr20-drift03 the same speech, 20 dB
  festival-snr10-drift1  clock +4 s, 1 % slow (its own placement), 10 dB
  festival-en-only       the transcript without its 20 untranscribed turns, main clock, 20 dB
  festival-czech         a 22-turn Czech dialogue (CZECH_DIALOGUE, written for this set),
                         two speakers (czech_dita, czech_machac), no stamps, 20 dB
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import block_transcript as bt  # noqa: E402
import make_sample as ms  # noqa: E402

SR = ms.SR
REF_WPM = 170.0  # speed (words per minute, make_sample's unit) at stretch 1.0
CUT_BEFORE_S, CUT_AFTER_S = 0.05, 0.10  # kept around each utterance's words
FEST_SPEED = (130, 230, 265)  # as make_sample's main: min, max, max in crowded stretches

# speaker -> (voice, pitch, natural wpm, gain dB); pitch = target F0 mean in Hz for the
# diphone voices, a shift in half-tones for the HTS voice.
FEST_SPEAKERS = {
    "kerry": ("kal_diphone", 100, 160, 0.0),
    "kerry? someone else": ("ked_diphone", 118, 165, -1.0),
    "kirby? someone else": ("kal_diphone", 128, 170, 1.0),
    "kirby": ("ked_diphone", 100, 170, 0.0),
    "michael": ("kal_diphone", 88, 170, -2.0),
    "male voice": ("ked_diphone", 130, 160, 1.5),
    "male voice, syrian": ("kal_diphone", 112, 155, 0.5),
    "someone else, male voice": ("ked_diphone", 90, 165, -0.5),
    "female voice": ("cmu_us_slt_arctic_hts", 0, 170, 0.0),
    "female voice1": ("cmu_us_slt_arctic_hts", -2, 165, -1.5),
    "female voice2, translator": ("cmu_us_slt_arctic_hts", 2, 175, 1.0),
    "translator": ("cmu_us_slt_arctic_hts", 1, 170, 0.0),
}
FEST_DEFAULT = ("kal_diphone", 105, 165, 0.0)
# Czech voice for a speaker's untranscribed turns
CZECH_OF = {"kal_diphone": "czech_machac", "ked_diphone": "czech_ph", "cmu_us_slt_arctic_hts": "czech_dita"}
CZECH_WPM = 150

CZECH_STATEMENTS = [
    "Děkujeme vám za tuto příležitost mluvit s vámi dnes.",
    "Přicházíme z Aleppa a město je už několik týdnů v obležení.",
    "Lidé tam nemají jídlo ani léky.",
    "Nemocnice jsou bombardovány každý den a lékaři pracují v nemožných podmínkách.",
    "Chceme vědět, co se stalo na schůzce s Rusy.",
    "Příměří nevydrželo a letadla se vrátila už po dvou dnech.",
    "Týmy civilní obrany vyjíždějí po každém náletu zachraňovat lidi z trosek.",
    "V posledních náletech jsme ztratili mnoho dobrovolníků.",
    "Humanitární konvoj byl zasažen dříve, než dorazil k lidem.",
    "Po tom všem už ruským zárukám nevěříme.",
    "Občanská společnost dokumentuje každé porušení na fotografiích a nahrávkách.",
    "Děti v Aleppu nechodí do školy už celé měsíce.",
    "Žádáme vás o jasný a pevný postoj.",
    "Samotná slova civilisty neochrání.",
    "Každý den znamená další oběti.",
    "Jsem lékař a na vlastní oči jsem viděl, co dělají sudové bomby.",
    "Přechody jsou uzavřené a nikdo nemůže z města odejít.",
    "Potřebujeme bezpečné koridory pro humanitární pomoc.",
    "Ve východních čtvrtích už není žádné bezpečné místo.",
    "Nežádáme armády, žádáme bezletovou zónu.",
    "Prosím, vyřiďte náš hlas ve Washingtonu.",
    "Vážíme si vašeho úsilí, ale výsledky na místě nejsou žádné.",
    "Civilisté vždycky platí nejvyšší cenu.",
    "Na venkově je situace horší než ve městě.",
    "Ano, to je pravda.",
    "Děkuji mnohokrát.",
]
CZECH_TRANSLATIONS = [
    "Přeložím, co ministr právě řekl.",
    "Říká, že se snaží dosáhnout dohody o příměří.",
    "Říká, že Rusové požádali o čas na konzultace s Moskvou.",
    "Ptá se, jestli máte videozáznamy letadel.",
    "Říká, že důkazy musí být zdokumentované a ověřitelné.",
    "Říká, že Kongres nepovolí použití síly.",
    "Ministr říká, že chápe vaši frustraci.",
    "Říká, že řešení musí být politické.",
    "Říká, že Rusové nabídli jen tři dny, a to nestačí.",
    "Říká, že zítra budou znát odpověď.",
    "Ptá se, co by podle vás mohlo něco změnit.",
    "Říká: děkujeme vám.",
    "Tak je to teď.",
    "Říká: ano.",
]

# A short everyday dialogue written for this set (no source text): speaker, text.
CZECH_DIALOGUE = [
    ("Jana", "Dobrý den, Petře. Máš chvilku čas?"),
    ("Petr", "Dobrý den. Ano, mám. Co potřebuješ?"),
    ("Jana", "Chtěla bych s tebou probrat plán na příští týden. Je toho hodně a nechci na nic zapomenout."),
    ("Petr", "Dobře. V pondělí ráno máme poradu v devět hodin."),
    ("Jana", "To vím. Ale v úterý musím jet do Brna za zákazníkem."),
    ("Petr", "Pojedeš vlakem, nebo autem?"),
    ("Jana", "Asi vlakem. Je to rychlejší a můžu cestou pracovat."),
    ("Petr", "To je rozumné. Kdy se vrátíš?"),
    ("Jana", "Ve středu večer, pokud všechno půjde dobře."),
    ("Petr", "Potom bychom mohli ve čtvrtek dokončit zprávu pro vedení. Chtějí ji mít na stole před víkendem."),
    ("Jana", "Ano, zpráva musí být hotová do pátku do poledne."),
    ("Petr", "Kolik stran ještě zbývá napsat?"),
    ("Jana", "Zhruba deset. Nejtěžší je kapitola o rozpočtu, protože čísla pořád nesedí."),
    ("Petr", "S rozpočtem ti pomůžu. Mám všechna čísla z loňského roku a tabulky z účtárny."),
    ("Jana", "Výborně, to mi ušetří spoustu času."),
    ("Petr", "A co ta nová kolegyně? Už nastoupila?"),
    ("Jana", "Nastoupí až první den příštího měsíce. Říkala, že se moc těší."),
    ("Petr", "Měli bychom pro ni připravit počítač a stůl u okna."),
    ("Jana", "Máš pravdu. Napíšu to ještě dnes správci budovy."),
    ("Petr", "Dobře. Tak se uvidíme v pondělí na poradě."),
    ("Jana", "Ano, na shledanou a hezký víkend."),
    ("Petr", "Děkuji, tobě také."),
]
CZECH_DIALOGUE_VOICES = {"Jana": ("czech_dita", 0, 150, 0.0), "Petr": ("czech_machac", 0, 145, 1.0)}
CZECH_BASENAME = "czech-dialogue"

ASCII_FIX = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": " - ", "\u2026": "..."}


# ----------------------------------------------------------------------------- Festival


SCHEME_SETUP = r"""
(define (talign_tok tok)
  (let ((ws nil))
    (mapcar (lambda (w) (if (> (item.feat w "word_end") 0) (set! ws (append ws (list w)))))
            (item.daughters tok))
    (if ws (format t "W\t%s\t%f\t%f\n" (item.name tok)
                   (item.feat (car ws) "word_start") (item.feat (car (last ws)) "word_end")))))
(define (talign_job text out)
  (let ((u (utt.synth (eval (list 'Utterance 'Text text)))))
    (utt.wave.resample u 22050)
    (utt.save.wave u out 'riff)
    (mapcar (lambda (tok) (if (not (item.parent tok)) (talign_tok tok))) (utt.relation.items u 'Token))
    t))
"""


class Festival:
    """One persistent `festival --pipe` per voice; results come back on stdout, flushed
    after each job (Festival buffers its stdout otherwise)."""

    def __init__(self, voice: str):
        self.voice = voice
        self.enc = "iso-8859-2" if voice.startswith("czech") else "ascii"
        self.p = subprocess.Popen(["festival", "--pipe"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.tmp = tempfile.mkdtemp(prefix="fest_", dir=ms._TMP)
        self.n = 0
        self.seconds = 0.0
        self._send(f"(voice_{voice})\n" + SCHEME_SETUP)
        if voice.startswith("czech"):  # festival's Czech varies its prosody at random unless told
            self._send("(set! czech-randomize nil)\n")
        if voice == "cmu_us_slt_arctic_hts":
            # hts_engine follows Festival's segment durations, so the Segment times are the
            # waveform's (without it, pauses come out ~165 ms shorter than the segments say)
            self._send("(set! talign_hts_base hts_engine_params)\n(set! hts_use_phone_align 1)\n")
        self._sync()

    def _send(self, s: str) -> None:
        self.p.stdin.write(s.encode(self.enc, errors="replace"))
        self.p.stdin.flush()

    def _sync(self) -> list[str]:
        self._send('(format t "@@END\\n")\n(fflush nil)\n')
        out = []
        while True:
            ln = self.p.stdout.readline()
            if not ln:
                raise RuntimeError(f"festival ({self.voice}) exited: {''.join(out)[-500:]}")
            s = ln.decode(self.enc, errors="replace").rstrip("\n")
            if s == "@@END":
                return out
            out.append(s)

    def say(self, text: str, wpm: float, pitch: float) -> tuple[np.ndarray, list[tuple[str, float, float]]]:
        """One utterance at `wpm` (REF_WPM = the voice's own speed): audio at SR, tokens."""
        t0 = time.time()
        stretch = REF_WPM / wpm
        cmd = f"(Parameter.set 'Duration_Stretch {stretch:.4f})\n"  # HTS: -r below
        if self.voice == "cmu_us_slt_arctic_hts":
            cmd += f'(set! hts_engine_params (append talign_hts_base (list (list "-r" {1 / stretch:.4f}) (list "-fm" {float(pitch):.2f}))))\n'
        else:
            if self.voice.endswith("_diphone"):
                cmd += f"(set! int_lr_params '((target_f0_mean {pitch}) (target_f0_std 14) (model_f0_mean 170) (model_f0_std 34)))\n"
        self.n += 1
        wav = os.path.join(self.tmp, f"{self.n}.wav")
        esc = text.replace("\\", "\\\\").replace('"', '\\"')
        self._send(cmd + f'(talign_job "{esc}" "{wav}")\n')
        lines = self._sync()
        toks, errs = [], []
        for ln in lines:
            f = ln.split("\t")
            if f[0] == "W" and len(f) == 4:
                toks.append((f[1], float(f[2]), float(f[3])))
            elif "error" in ln.lower():
                errs.append(ln)
        if errs or not os.path.exists(wav):
            raise RuntimeError(f"festival ({self.voice}) failed on {text[:60]!r}: {' | '.join(errs or lines)[-400:]}")
        x, sr = ms.read_wav_mono(wav)
        os.remove(wav)
        assert sr == SR, sr
        self.seconds += time.time() - t0
        return x, toks

    def close(self) -> None:
        if self.p.poll() is None:
            self.p.stdin.close()
            self.p.wait()


class Voices:
    def __init__(self):
        self.procs: dict[str, Festival] = {}
        self.cache: dict = {}

    def say(self, voice: str, text: str, wpm: float, pitch: float):
        key = (voice, text, round(wpm, 3), pitch)
        if key not in self.cache:
            if voice not in self.procs:
                self.procs[voice] = Festival(voice)
            self.cache[key] = self.procs[voice].say(text, wpm, pitch)
        return self.cache[key]

    def close(self):
        for p in self.procs.values():
            p.close()


def pieces_of(turn: bt.Turn, rng: np.random.Generator) -> list[tuple[int, str]]:
    """(pause in ms before, text) per Festival utterance of a transcribed turn: the same
    cleaning and pauses as make_sample.ssml_for (notes dropped, `...` = 150-450 ms,
    paragraphs 600 ms apart)."""
    out = []
    for p in turn.paragraphs:
        p = bt.LEADING_NOTES.sub("", p)
        p = re.sub(r"\[[^\]]*\]", " ", p)
        for a, b in ASCII_FIX.items():
            p = p.replace(a, b)
        p = p.encode("ascii", "ignore").decode()
        parts = [s.strip() for s in re.split(r"\.{2,}", p)]
        parts = [s for s in parts if re.search(r"[A-Za-z0-9]", s)]
        for i, s in enumerate(parts):
            if i:
                gap = int(rng.integers(*ms.ELLIPSIS_MS))
            else:
                gap = ms.PARAGRAPH_MS if out else 0
            out.append((gap, s))
    return out


def speak(voices: Voices, voice: str, pieces: list[tuple[int, str]], wpm: float, pitch: float):
    """Utterances joined with their pauses, trimmed like make_sample.trim: (clip, speech s,
    tokens with times relative to clip[0])."""
    parts, toks, pos = [], [], 0
    for gap, text in pieces:
        x, tk = voices.say(voice, text, wpm, pitch)
        if not tk:
            continue
        a = max(0, int(round((tk[0][1] - CUT_BEFORE_S) * SR)))
        b = min(len(x), int(round((tk[-1][2] + CUT_AFTER_S) * SR)))
        if parts and gap:
            g = np.zeros(int(round(gap * SR / 1000)), np.float32)
            parts.append(g)
            pos += len(g)
        parts.append(x[a:b])
        toks += [(w, pos / SR + s - a / SR, pos / SR + e - a / SR) for w, s, e in tk]
        pos += b - a
    if not parts:
        return np.zeros(0, np.float32), 0.0, []
    clip = np.concatenate(parts).astype(np.float32)
    m = ms.speech_blocks(clip)
    idx = np.flatnonzero(m)
    a, b = idx[0], idx[-1] + 1
    lo = max(0, a - 10) * ms.BLOCK
    hi = min(len(clip), (b + 10) * ms.BLOCK)
    toks = [(w, s - lo / SR, e - lo / SR) for w, s, e in toks]
    return clip[lo:hi], (b - a) * ms.BLOCK / SR, toks


# ----------------------------------------------------------------------------- planner


class FestivalPlanner(ms.Planner):
    """make_sample's placement with Festival voices. Speed is set from the natural length
    (Festival's durations scale with the stretch), then checked, instead of a bisection."""

    def __init__(self, tr, clock, seed_name, voices: Voices):
        self.tr, self.vname, self.clock, self.seed = tr, "festival", clock, seed_name
        self.smin, self.smax, self.scrunch = FEST_SPEED
        self.spk = FEST_SPEAKERS
        self.voices = voices
        self.words: dict[tuple[int, int], list] = {}  # (turn index, wpm) -> tokens in clip

    def voice_of(self, t):
        voice, pitch, base, gain = self.spk.get(t.speaker, FEST_DEFAULT)
        if not t.transcribed:
            return CZECH_OF[voice], 0, CZECH_WPM, gain
        return voice, pitch, min(max(base, self.smin), self.smax), gain

    def _at(self, t, s):
        voice, pitch, _, _ = self.voice_of(t)
        pieces = pieces_of(t, ms.rng_for(self.seed, "ellipsis", t.index))
        clip, d, toks = speak(self.voices, voice, pieces, s, pitch)
        self.words[(t.index, int(s))] = toks
        fixed = sum(g for g, _ in pieces) / 1000 + len(pieces) * (CUT_BEFORE_S + CUT_AFTER_S)
        return clip, d, fixed

    def english(self, t, budget, crunch=False):
        voice, pitch, base, _ = self.voice_of(t)
        clip, d, fixed = self._at(t, base)
        if budget is None:
            return clip, d, voice, pitch, base
        top = self.scrunch if crunch or len(self.words[(t.index, base)]) <= ms.CRUNCH_WORDS else self.smax
        # slowest speed that fits, from d(s) ~ fixed + (d(base) - fixed) * base / s; checked
        s = int(min(max(np.ceil(base * max(d - fixed, 0.05) / max(budget - fixed, 0.05)), self.smin), top))
        for _ in range(4):
            clip, d, fixed = self._at(t, s)
            if d <= budget or s == top:
                break
            s = int(min(top, np.ceil(s * max(d - fixed, 0.05) / max(budget - fixed, 0.05)) + 2))
        return clip, d, voice, pitch, s

    def natural(self, t):
        if not t.transcribed:
            return ms.AR_MIN_S
        return self.english(t, None)[1]

    def arabic(self, t, target):
        """Untranscribed turn: Czech sentences from the speaker's pool, as make_sample's
        Arabic (250-700 ms apart, total speech <= target s)."""
        voice, _, base, _ = self.voice_of(t)
        pool = CZECH_TRANSLATIONS if voice == "czech_dita" else CZECH_STATEMENTS
        rng = ms.rng_for(self.seed, "arabic", t.index)
        order = list(rng.permutation(len(pool)))
        parts, total, tried = [], 0.0, 0
        speed = base
        while order and tried < len(pool):
            k = order.pop(0)
            c, d, _ = speak(self.voices, voice, [(0, pool[k])], speed, 0)
            gap = rng.integers(*ms.AR_GAP_MS) / 1000.0 if parts else 0.0
            if total + gap + d <= target:
                if parts:
                    parts.append(np.zeros(int(round(gap * SR / ms.BLOCK)) * ms.BLOCK, np.float32))
                parts.append(c)
                total += gap + d
            else:
                order.append(k)
                tried += 1
            if total >= 0.8 * target:
                break
        if not parts:
            k = min(range(len(pool)), key=lambda i: len(pool[i]))
            for speed in range(base, self.scrunch + 1, 10):
                c, d, _ = speak(self.voices, voice, [(0, pool[k])], speed, 0)
                if d <= target:
                    break
            parts = [c]
        pad = np.zeros(10 * ms.BLOCK, np.float32)
        return np.concatenate([pad, *parts, pad]), voice, 0, speed


def turn_words(planner: FestivalPlanner, r: ms.Rendition, shift: float = 0.0) -> dict[int, list[dict]]:
    """Absolute word truth per turn index."""
    out = {}
    for p in r.placed:
        if not p.turn.transcribed:
            continue
        toks = planner.words[(p.turn.index, p.wpm)]
        out[p.turn.index] = [{"word": w, "start": round(p.pos / SR + s - shift, 3), "end": round(p.pos / SR + e - shift, 3)} for w, s, e in toks]
    return out


def add_words(truth: dict, words: dict[int, list[dict]], path: str) -> None:
    for t in truth["turns"]:
        if t["index"] in words:
            t["words"] = words[t["index"]]
    truth["synth"] = "festival " + festival_version() + "; word times from Festival's Segment relation"
    ms.dump_truth(path, truth)


def festival_version() -> str:
    p = subprocess.run(["festival", "--version"], capture_output=True, text=True)
    m = re.search(r"\d+\.\d+(?:\.\d+)?", p.stdout + p.stderr)
    return m.group(0) if m else "?"


# ----------------------------------------------------------------------------- variants


def en_only_text(text: str, tr: bt.Transcript) -> str:
    """The transcript without the blocks (label, stamp, paragraphs) of untranscribed turns."""
    lines = text.split("\n")
    drop = set()
    starts = [t.line for t in tr.turns] + [len(lines) + 1]
    for t, nxt in zip(tr.turns, starts[1:]):
        if not t.transcribed:
            drop.update(range(t.line, nxt))
    return "\n".join(ln for i, ln in enumerate(lines, 1) if i not in drop)


class FestSession:
    def __init__(self, out: str | None):
        self.out = out or os.path.join(ms.ROOT, "eval-out")
        with open(ms.SOURCE, encoding="utf-8", newline="") as f:
            self.text = f.read()
        self.tr = bt.parse(self.text)
        self.voices = Voices()
        self._r: dict = {}

    def rendition(self, key: str, tr: bt.Transcript, clock):
        if key not in self._r:
            pl = FestivalPlanner(tr, clock, key, self.voices)
            r = ms.render(tr, "festival", clock, key, key, planner=pl)
            srms = ms.speech_rms(r)
            ev_track, ev = ms.events_for(r, srms)
            bed = ms.bed_noise(len(r.speech), ms.rng_for(key, "bed"))
            self._r[key] = (r, pl, srms, ev_track, ev, bed)
        return self._r[key]

    def variant(self, name: str) -> dict:
        t0 = time.time()
        print(f"rendering {name} ...", file=sys.stderr)
        if name == "festival-czech":
            return self.czech()
        text, tr = self.text, self.tr
        if name in ("festival", "festival-snr20-drift03"):
            key, clock = "festival", ms.CLOCK_MAIN
        elif name == "festival-snr10-drift1":
            key, clock = "festival-drift1", ms.CLOCK_DRIFT
        elif name == "festival-en-only":
            key, clock = "festival-en-only", ms.CLOCK_MAIN
            text = en_only_text(self.text, self.tr)
            tr = bt.parse(text)
            assert all(t.transcribed for t in tr.turns)
        else:
            raise SystemExit(f"unknown variant {name!r}")
        snr = {"festival": ms.SNR_MAIN, "festival-snr20-drift03": 20.0, "festival-snr10-drift1": 10.0, "festival-en-only": 20.0}[name]
        r, pl, srms, ev_track, ev, bed = self.rendition(key, tr, clock)
        y = ms.mix(r, snr, bed, ev_track, srms)
        d = os.path.join(self.out, name)
        truth = ms.write_rendition(r, y, d, name, text, ev)
        add_words(truth, turn_words(pl, r), os.path.join(d, ms.BASENAME + ".truth.json"))
        nw = sum(len(t.get("words", [])) for t in truth["turns"])
        print(f"  {ms.summary(truth)}, {nw} words, {time.time() - t0:.0f} s", file=sys.stderr)
        return truth

    def czech(self) -> dict:
        """A Czech dialogue: turns one after another with 0.3-1.2 s pauses, no stamps."""
        rng = ms.rng_for("festival-czech", "pauses")
        lines, turns = [], []
        for spk, text in CZECH_DIALOGUE:
            turns.append({"line": len(lines) + 1, "speaker": spk, "text": text})
            lines += [spk, "", text, ""]
        ttext = "\n".join(lines)
        clips, cursor, placed = [], 1.0, []
        for i, t in enumerate(turns):
            voice, pitch, wpm, gain = CZECH_DIALOGUE_VOICES[t["speaker"]]
            clip, d, toks = speak(self.voices, voice, [(0, t["text"])], wpm, pitch)
            clip = clip * 10 ** (gain / 20)
            lead = ms.speech_offset(clip)
            if i:
                cursor += float(rng.uniform(0.3, 1.2))
            pos = int(round(cursor * SR / ms.BLOCK)) * ms.BLOCK - lead
            placed.append((t, voice, wpm, clip, pos, toks))
            cursor = (pos + lead) / SR + d
        n = max(pos + len(clip) for _, _, _, clip, pos, _ in placed) + int(ms.TAIL_S * SR)
        n = (n // ms.BLOCK + 1) * ms.BLOCK
        speech = np.zeros(n, np.float32)
        tturns, merged = [], []
        for i, (t, voice, wpm, clip, pos, toks) in enumerate(placed):
            speech[pos : pos + len(clip)] += clip
            a0, b0 = pos // ms.BLOCK, (pos + len(clip)) // ms.BLOCK + 1
            rr = ms.split_runs(ms.speech_blocks(speech[a0 * ms.BLOCK : b0 * ms.BLOCK]), ms.GAP_BLOCKS)
            for a, b in rr:
                s, e = (a0 + a) * ms.BLOCK / SR, (a0 + b) * ms.BLOCK / SR
                if merged and s - merged[-1][1] < ms.SPLIT_S:
                    merged[-1][1] = e
                else:
                    merged.append([s, e])
            tturns.append({
                "index": i, "line": t["line"], "speaker_raw": t["speaker"], "speaker": t["speaker"].lower(),
                "transcribed": True, "start": round((a0 + rr[0][0]) * ms.BLOCK / SR, 3),
                "end": round((a0 + rr[-1][1]) * ms.BLOCK / SR, 3), "stated_raw": None, "stated_s": None,
                "stamp": "missing", "stamp_status": "missing", "stamp_error_s": None, "voice": voice,
                "wpm": wpm, "injected": False, "pushed_s": 0.0,
                "words": [{"word": w, "start": round(pos / SR + s, 3), "end": round(pos / SR + e, 3)} for w, s, e in toks],
            })
        r = ms.Rendition("festival-czech", (0.0, 1.0), None, [], speech, [(a, b) for a, b in merged])
        srms = ms.speech_rms(r)
        ev_track, ev = ms.events_for(r, srms)
        bed = ms.bed_noise(len(speech), ms.rng_for("festival-czech", "bed"))
        y = ms.mix(r, 20.0, bed, ev_track, srms)
        d = os.path.join(self.out, "festival-czech")
        os.makedirs(d, exist_ok=True)
        wav = os.path.join(ms._TMP, "czech.16k.wav")
        y16 = ms.to_wav16k(y, wav)
        mp3 = os.path.join(d, CZECH_BASENAME + ".mp3")
        ms.encode_mp3(wav, mp3)
        ms.check_gapless(mp3, y16)
        with open(os.path.join(d, CZECH_BASENAME + ".txt"), "w", encoding="utf-8", newline="") as f:
            f.write(ttext)
        truth = {
            "audio": CZECH_BASENAME + ".mp3", "transcript": CZECH_BASENAME + ".txt", "variant": "festival-czech",
            "duration_s": round(len(y16) / ms.OUT_SR, 3), "clock": {"offset_s": 0.0, "rate": 1.0},
            "turns": tturns, "speech": [[round(a, 3), round(b, 3)] for a, b in r.intervals], "events": ev,
        }
        ms.check_truth(truth, ttext.splitlines())
        add_words(truth, {}, os.path.join(d, CZECH_BASENAME + ".truth.json"))
        nw = sum(len(t["words"]) for t in tturns)
        print(f"  festival-czech: {truth['duration_s']:.1f} s, {len(tturns)} turns, {nw} words", file=sys.stderr)
        return truth


VARIANTS = ["festival", "festival-snr20-drift03", "festival-snr10-drift1", "festival-en-only", "festival-czech"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--variant", default="all", help=" ".join(VARIANTS) + ", or all (default)")
    ap.add_argument("--out", help="write DIR/<variant>/ instead of eval-out/<variant>/")
    a = ap.parse_args(argv)
    names = VARIANTS if a.variant == "all" else a.variant.split(",")
    s = FestSession(a.out)
    try:
        for n in names:
            s.variant(n)
    finally:
        for v, p in s.voices.procs.items():
            print(f"  festival {v}: {p.n} utterances, {p.seconds:.0f} s", file=sys.stderr)
        s.voices.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
