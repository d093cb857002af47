#!/usr/bin/env python3
"""Render talign's example transcript as a recording with exact ground truth.

    python3 scripts/make_sample.py [--out DIR] [--variant NAME|all] [--clips] [--fixtures]

With no option it renders the main rendition into sample-audio/. Everything is
deterministic: one seed (SEED) feeds named random streams, espeak-ng and lame are
deterministic for a given version (made with espeak-ng 1.51, LAME 3.100, ffmpeg 5.1).
Needs python3 with numpy, espeak-ng, sox, lame and ffmpeg on PATH. docs/sample-audio.md
describes the result, the truth format and every constant below in prose.

What a rendition is
-------------------
* The transcript (`/work/shared/transcripts/kerry-aleppo-2016.txt`, copied byte for
  byte next to the audio) is read by scripts/block_transcript.py: 113 turns, each with
  the 1-based line of its speaker label, its stamp and its paragraphs.
* Every normalised speaker gets an espeak-ng voice (VOICES); transcribed turns speak the
  turn's words with the notes (`[?]`, `[White Helmet]`, `Translates.`, `Speaks English`)
  left out and every `...` turned into a 150-450 ms pause; paragraphs are 600 ms apart.
  Untranscribed turns (`Speaks Arabic/Syrian`) speak sentences from ARABIC_* with the
  speaker's Arabic voice (`ar` + the same variant), 250-700 ms apart.
* Clock: a turn whose stamp is valid and in order ("anchored") is aimed at
      target = offset + rate * stated_s + e,  e = rate*u + n,
  u ~ U[0,1) (stamps written as whole seconds, floored), n ~ N(0, 0.2 s) clipped to
  +-0.4 s, e clipped to [-0.4, 1.2] s. Main: offset 1.8 s, rate 1.003.
* INJECT_COUNT anchored turns are moved away from their stamp by 3.5-7 s (later) or
  4.5-8 s (earlier), where there is room; their |stamp error| is >= 3 s ("bad").
* Turns whose stamp is invalid, out of order, duplicate or missing are placed after the
  previous turn's speech with a natural pause (0.3-2 s, shrunk when the time is short).
* The turns from one anchor to the next share the time to the next anchor's target.
  English turns get the slowest espeak speed (within VOICES[..]["speed"]: 130-230 wpm in
  main) at which their speech fills at most a share drawn from FILL_RANGE (80-90 %) of
  that time; turns of at most CRUNCH_WORDS words may go up to the crunch speed (265 wpm)
  in the few crowded cross-talk stretches. In a stretch that also holds untranscribed
  turns, English keeps its speaker's natural speed and the Arabic fills 60-90 % of what is
  left (at most 60 s). When speech still does not fit, the next anchor starts MIN_PAUSE
  after it ("pushed"; `pushed_s` in the truth) and its stamp error is whatever results;
  should that error fall between GOOD_MAX and BAD_MIN the stretch before is re-planned
  with the crunch speed, and failing that the anchor is pushed on to a clearly bad stamp.
* Room noise (the "bed"): pink + brown noise and 50 Hz mains hum with harmonics,
  scaled so that speech power / bed power over speech-active samples is the variant's
  SNR (main 30 dB). Events in pauses: clicks, knocks, paper rustles, at levels relative
  to speech (not to the bed), identical in main and the snr* variants.
* The mix (peak -1 dBFS) is resampled to OUT_SR (16 kHz) and encoded by lame, mono CBR
  MP3_KBPS; every MP3 is decoded back with ffmpeg and must match the WAV sample for sample
  in length and lag (lame's gapless tag).
* Truth times come from the clean (noise-free) speech: 1 ms blocks (BLOCK = 22 samples
  at 22050 Hz); a block is speech when its RMS is at least -40 dB relative to the
  loudest block of its turn. A turn's start/end = start of its first / end of its last
  speech block. `speech` = each turn's speech blocks split at silences >= 200 ms, then
  merged across turns (gaps < 200 ms joined).

Outputs
-------
  (default)            sample-audio/kerry-aleppo-2016.{mp3,txt,truth.json}   [committed]
                       eval-out/main/kerry-aleppo-2016.16k.wav (+ .clean.16k.wav)
  --variant NAME       eval-out/NAME/kerry-aleppo-2016.{mp3,txt,truth.json}
                       NAME in: main voices snr20 snr10 snr5 drift1pct nostamps, or all
  --clips              sample-audio/clip-kerry-45s.{wav,txt,truth.json}
                       sample-audio/clip-kerry-45s-snr10.{mp3,truth.json}        [committed]
  --fixtures           tests/fixtures/audio/*                                    [committed]
  --out DIR            put everything under DIR instead: DIR/main, DIR/NAME, DIR/clips,
                       DIR/fixtures (for checking that a re-render reproduces the files)
"""

from __future__ import annotations

import argparse
import atexit
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import wave
import zlib
from dataclasses import dataclass

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import block_transcript as bt  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = "/work/shared/transcripts/kerry-aleppo-2016.txt"
BASENAME = "kerry-aleppo-2016"
SEED = 20160930

SR = 22050  # espeak-ng's native rate; the whole timeline is rendered at it
BLOCK = 22  # samples per "1 ms" analysis block (0.998 ms)
SPEECH_DB = -40.0  # block is speech when RMS >= turn's loudest block + SPEECH_DB
SPLIT_S = 0.200  # silences at least this long split speech intervals
TAIL_S = 2.5  # room tone after the last turn

# Clock and placement
CLOCK_MAIN = (1.8, 1.003)
CLOCK_DRIFT = (4.0, 1.01)
HUMAN_NOISE_SD, HUMAN_NOISE_MAX = 0.2, 0.4
HUMAN_ERR_MIN, HUMAN_ERR_MAX = -0.4, 1.2
INJECT_COUNT = 5
INJECT_LATER = (3.5, 7.0)
INJECT_EARLIER = (4.5, 8.0)
GOOD_MAX, BAD_MIN = 1.5, 3.0
FILL_MAX = 0.90  # speech fills at most this share of the time to the next anchor
FILL_RANGE = (0.80, 0.90)  # share aimed at (drawn per window) when choosing a speed
CRUNCH_WORDS = 15  # turns this short may go up to the crunch speed to avoid a push
AR_FILL = (0.60, 0.90)
AR_CAP_S = 60.0
AR_MIN_S = 1.2
PAUSE_RANGE = (0.3, 2.0)  # before a turn that has no usable stamp
PAUSE_SHORT_P = 0.25  # probability that such a pause is short (0.3-0.5 s)
MIN_PAUSE = 0.25  # pause before a pushed anchor
ELLIPSIS_MS = (150, 450)
PARAGRAPH_MS = 600
AR_GAP_MS = (250, 700)

# Noise (dB relative to speech power over speech-active samples)
SNR_MAIN = 30.0
HUM_DB = -4.0  # hum power relative to the pink/brown noise in the bed
EVENT_RATE = 0.2  # events per second of usable pause
EVENT_MARGIN_S = 0.3  # events keep this far from speech
OUT_SR = 16000  # delivered audio: talign's working rate
MP3_KBPS = 48  # 16 kHz mono CBR: ~13 MB for 37 min; lame's gapless tag fits the frame

# voice, pitch, natural speed (wpm), gain dB, per normalised speaker
VOICES = {
    "main": {
        "speed": (130, 230, 265),  # min, max, max in crowded stretches
        "speakers": {
            "kerry": ("en-us+m3", 38, 160, 0.0),
            "kerry? someone else": ("en-us+m1", 46, 165, -1.0),
            "kirby? someone else": ("en-us+m7", 54, 170, 1.0),
            "kirby": ("en-us+m5", 58, 170, 0.0),
            "michael": ("en-gb+m2", 48, 170, -2.0),
            "male voice": ("en+m4", 42, 160, 1.5),
            "male voice, syrian": ("en-gb+m6", 36, 155, 0.5),
            "someone else, male voice": ("en-gb-scotland+m5", 44, 165, -0.5),
            "female voice": ("en-us+f2", 62, 170, 0.0),
            "female voice1": ("en-gb+f1", 56, 165, -1.5),
            "female voice2, translator": ("en+f3", 66, 175, 1.0),
            "translator": ("en-gb+f4", 60, 170, 0.0),
        },
    },
    "voices": {
        "speed": (120, 250, 280),
        "speakers": {
            "kerry": ("en-gb-x-rp+m6", 30, 150, 0.0),
            "kerry? someone else": ("en-gb+m3", 40, 175, 0.5),
            "kirby? someone else": ("en+m2", 60, 185, -1.0),
            "kirby": ("en-029+m1", 50, 180, 0.0),
            "michael": ("en-us+m5", 35, 160, 1.0),
            "male voice": ("en-gb-x-gbclan+m7", 48, 150, -1.0),
            "male voice, syrian": ("en-us+m4", 44, 145, 1.5),
            "someone else, male voice": ("en+m1", 52, 155, 0.0),
            "female voice": ("en-gb+f4", 70, 180, 0.5),
            "female voice1": ("en-us+f5", 64, 175, 0.0),
            "female voice2, translator": ("en-gb-x-rp+f1", 58, 165, -1.0),
            "translator": ("en-us+f3", 72, 185, 0.0),
        },
    },
}
DEFAULT_VOICE = ("en+m1", 50, 165, 0.0)

# Real Arabic (MSA) sentences. Male speakers: statements; female (translator): reported
# speech. Short ones let tiny gaps be filled.
ARABIC_STATEMENTS = [
    "شكراً لكم على هذه الفرصة للحديث معكم اليوم.",
    "نحن نأتي من حلب، والمدينة تحت الحصار منذ أسابيع.",
    "الناس هناك لا يجدون الطعام ولا الدواء.",
    "المستشفيات تُقصف كل يوم، والأطباء يعملون في ظروف مستحيلة.",
    "نريد أن نعرف ماذا حدث في الاجتماع مع الروس.",
    "الهدنة لم تصمد، والطائرات عادت إلى السماء بعد يومين فقط.",
    "فرق الدفاع المدني تخرج بعد كل غارة لإنقاذ الناس من تحت الأنقاض.",
    "لقد فقدنا الكثير من المتطوعين في الغارات الأخيرة.",
    "القافلة الإنسانية قُصفت قبل أن تصل إلى الناس.",
    "نحن لا نثق بالضمانات الروسية بعد كل ما حصل.",
    "روسيا شريكة للنظام في كل ما يجري على الأرض.",
    "المجتمع المدني يوثّق كل انتهاك بالصور والتسجيلات.",
    "لدينا شهادات من الأهالي الذين رأوا الطائرات بأعينهم.",
    "الأطفال في حلب لم يذهبوا إلى المدرسة منذ شهور.",
    "نطلب منكم موقفاً واضحاً وحازماً.",
    "الكلام وحده لا يحمي المدنيين.",
    "نحن بحاجة إلى حماية حقيقية للمدنيين وليس إلى بيانات.",
    "كل يوم يمر يعني المزيد من الضحايا.",
    "السوريون فقدوا الثقة بالمجتمع الدولي.",
    "أنا طبيب، وقد رأيت بعيني ما تفعله البراميل المتفجرة.",
    "المعابر مغلقة، ولا يستطيع أحد الخروج من المدينة.",
    "نريد ممرات آمنة لإدخال المساعدات.",
    "إن استمر الحصار فستحدث كارثة إنسانية.",
    "النظام يستخدم التجويع سلاحاً في هذه الحرب.",
    "لم يعد هناك مكان آمن في الأحياء الشرقية.",
    "الانتخابات لا معنى لها تحت حكم الأجهزة الأمنية.",
    "الناس يخافون من المخابرات حتى خارج سوريا.",
    "نحن لا نطلب جيوشاً، نطلب منطقة حظر جوي.",
    "لو تحركتم قبل ثلاث سنوات لما وصلنا إلى هنا.",
    "هذا ما نراه كل يوم على الأرض.",
    "أرجو أن تنقلوا صوتنا إلى واشنطن.",
    "نحن نقدّر جهودكم، لكن النتائج على الأرض معدومة.",
    "المدنيون يدفعون الثمن دائماً.",
    "الوضع في الريف أسوأ من المدينة.",
    "نعم، هذا صحيح.",
    "شكراً جزيلاً.",
]
ARABIC_TRANSLATIONS = [
    "سأترجم ما قاله الوزير الآن.",
    "يقول إنهم يحاولون الوصول إلى اتفاق لوقف إطلاق النار.",
    "يقول إن الروس طلبوا وقتاً للتشاور مع موسكو.",
    "يسأل إن كانت لديكم تسجيلات فيديو للطائرات.",
    "يقول إن الأدلة يجب أن تكون موثقة ويمكن التحقق منها.",
    "يقول إن الكونغرس لن يوافق على استخدام القوة.",
    "يقول الوزير إنه يفهم إحباطكم.",
    "يقول إن الحل يجب أن يكون سياسياً.",
    "يقول إن الروس عرضوا ثلاثة أيام فقط، وهذا غير كافٍ.",
    "يقول إن الاتفاق في جنيف نص على سبعة أيام متتالية من الهدوء.",
    "يقول إن بعض الوزراء طالبوا بضمانات من روسيا.",
    "يقول إنهم سيعرفون الجواب غداً.",
    "يسأل ما الذي يمكن أن يُحدث فرقاً برأيكم.",
    "يقول إن هذا هو المكان الذي وصلنا إليه.",
    "يقول إن المراقبة ضرورية لكن لا أحد يعرف من سيقوم بها.",
    "يقول: شكراً لكم.",
    "هذا هو الوضع الآن.",
    "يقول: نعم.",
]


# ----------------------------------------------------------------------------- utilities


def rng_for(*names) -> np.random.Generator:
    """A random stream of its own for each purpose, so one change does not shift others."""
    key = [SEED] + [zlib.crc32(str(n).encode()) for n in names]
    return np.random.default_rng(key)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def read_wav_mono(path: str) -> tuple[np.ndarray, int]:
    with wave.open(path, "rb") as w:
        n, sr, ch, sw = w.getnframes(), w.getframerate(), w.getnchannels(), w.getsampwidth()
        raw = w.readframes(n)
    assert sw == 2, path
    x = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    if ch > 1:
        x = x.reshape(-1, ch).mean(axis=1)
    return x, sr


def write_wav_s16(path: str, x: np.ndarray, sr: int) -> None:
    """Mono or (frames, channels) float in [-1, 1] -> 16-bit PCM WAV."""
    x = np.asarray(x)
    ch = 1 if x.ndim == 1 else x.shape[1]
    pcm = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(ch)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(pcm.tobytes())


def decode_ffmpeg(path: str, sr: int, ch: int = 1) -> np.ndarray:
    p = run(["ffmpeg", "-v", "error", "-i", path, "-f", "f32le", "-ac", str(ch), "-ar", str(sr), "-"])
    x = np.frombuffer(p.stdout, dtype="<f4")
    return x if ch == 1 else x.reshape(-1, ch)


_TTS_CACHE: dict = {}
_TMP = tempfile.mkdtemp(prefix="make_sample_")
atexit.register(shutil.rmtree, _TMP, True)


def tts(text: str, voice: str, pitch: int, speed: int, ssml: bool = True) -> np.ndarray:
    """espeak-ng → float32 mono at SR, untrimmed."""
    key = (text, voice, pitch, speed, ssml)
    if key not in _TTS_CACHE:
        tf, wf = os.path.join(_TMP, "t.txt"), os.path.join(_TMP, "t.wav")
        with open(tf, "w", encoding="utf-8") as f:
            f.write(text)
        cmd = ["espeak-ng", "-v", voice, "-p", str(pitch), "-s", str(speed), "-w", wf, "-f", tf]
        if ssml:
            cmd.insert(1, "-m")
        run(cmd)
        x, sr = read_wav_mono(wf)
        assert sr == SR, sr
        _TTS_CACHE[key] = x
    return _TTS_CACHE[key]


def block_rms(x: np.ndarray) -> np.ndarray:
    n = len(x) // BLOCK
    b = x[: n * BLOCK].astype(np.float64).reshape(n, BLOCK)
    return np.sqrt((b * b).mean(axis=1))


def speech_blocks(x: np.ndarray) -> np.ndarray:
    """Boolean per block: RMS >= loudest block + SPEECH_DB."""
    r = block_rms(x)
    peak = r.max() if len(r) else 0.0
    if peak <= 0:
        return np.zeros(len(r), bool)
    return r >= peak * 10 ** (SPEECH_DB / 20)


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) index pairs of True runs."""
    if not len(mask):
        return []
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)))


def split_runs(mask: np.ndarray, min_gap_blocks: int) -> list[tuple[int, int]]:
    """Runs of speech blocks, joined across gaps shorter than min_gap_blocks."""
    out: list[list[int]] = []
    for a, b in runs(mask):
        if out and a - out[-1][1] < min_gap_blocks:
            out[-1][1] = b
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


GAP_BLOCKS = math.ceil(SPLIT_S * SR / BLOCK)  # 201 blocks = 200.6 ms


def trim(x: np.ndarray, margin_blocks: int = 10) -> tuple[np.ndarray, float]:
    """Cut silence around the speech of one clip (block-aligned); return (clip, speech length s)."""
    m = speech_blocks(x)
    idx = np.flatnonzero(m)
    if not len(idx):
        return x[:0], 0.0
    a, b = idx[0], idx[-1] + 1
    lo = max(0, a - margin_blocks) * BLOCK
    hi = min(len(x), (b + margin_blocks) * BLOCK)
    return x[lo:hi], (b - a) * BLOCK / SR


def speech_offset(clip: np.ndarray) -> int:
    """Samples from the clip start to its first speech block (block-aligned)."""
    idx = np.flatnonzero(speech_blocks(clip))
    return int(idx[0]) * BLOCK if len(idx) else 0


# ---------------------------------------------------------------------------- turn text


def ssml_for(turn: bt.Turn, rng: np.random.Generator) -> tuple[str, int]:
    """espeak SSML for a transcribed turn and its spoken word count."""
    paras = []
    words = 0
    for p in turn.paragraphs:
        p = bt.LEADING_NOTES.sub("", p)
        p = re.sub(r"\[[^\]]*\]", " ", p)  # [?], [White Helmet], them[selves]
        p = p.replace("\u2026", "...")
        pieces = [s.strip() for s in re.split(r"\.{2,}", p)]
        pieces = [s for s in pieces if re.search(r"[A-Za-z0-9]", s)]
        if not pieces:
            continue
        out = []
        for i, s in enumerate(pieces):
            words += len(re.findall(r"[A-Za-z0-9]+(?:'[A-Za-z]+)*", s))
            s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            if i:
                out.append(f'<break time="{int(rng.integers(*ELLIPSIS_MS))}ms"/>')
            out.append(s)
        paras.append(" ".join(out))
    return f' <break time="{PARAGRAPH_MS}ms"/> '.join(paras), words


# ---------------------------------------------------------------------------- placement


@dataclass
class Placed:
    turn: bt.Turn
    voice: str
    pitch: int
    wpm: int
    clip: np.ndarray  # trimmed, gain applied
    pos: int  # sample where clip[0] goes (block-aligned)
    target: float | None = None  # anchored turns: where the clock put it (incl. injection)
    nominal: float | None = None  # offset + rate * stated_s (None when no valid time)
    injected: float = 0.0  # seconds added to target by injection
    pushed_s: float = 0.0
    start: float = 0.0  # truth, filled by render()
    end: float = 0.0


@dataclass
class Rendition:
    name: str
    clock: tuple[float, float]
    tr: bt.Transcript
    placed: list[Placed]
    speech: np.ndarray  # clean speech, float32 at SR
    intervals: list[tuple[float, float]]


class Planner:
    def __init__(self, tr: bt.Transcript, vname: str, clock: tuple[float, float], seed_name: str):
        self.tr, self.vname, self.clock, self.seed = tr, vname, clock, seed_name
        v = VOICES[vname]
        self.smin, self.smax, self.scrunch = v["speed"]
        self.spk = v["speakers"]

    def voice_of(self, t: bt.Turn):
        voice, pitch, base, gain = self.spk.get(t.speaker, DEFAULT_VOICE)
        if not t.transcribed:
            voice = "ar+" + voice.split("+")[1]
            base = 165
        base = min(max(base, self.smin), self.smax)
        return voice, pitch, base, gain

    # -- speech for one turn ------------------------------------------------------------
    def english(self, t: bt.Turn, budget: float | None, crunch: bool = False):
        """Speak a transcribed turn: natural speed when budget is None, else the slowest
        speed in [min, max] whose speech fits the budget (max, or the crunch maximum when
        allowed, when nothing fits)."""
        voice, pitch, base, _ = self.voice_of(t)
        ssml, words = ssml_for(t, rng_for(self.seed, "ellipsis", t.index))
        memo = {}

        def at(s):
            if s not in memo:
                memo[s] = trim(tts(ssml, voice, pitch, s))
            return memo[s]

        if budget is None:
            s = base
        else:
            top = self.scrunch if crunch or words <= CRUNCH_WORDS else self.smax
            if at(top)[1] > budget:
                s = top
            else:
                lo, hi = self.smin, top  # d(hi) <= budget
                if at(lo)[1] <= budget:
                    hi = lo
                while hi - lo > 1:  # invariant: d(lo) > budget >= d(hi)
                    mid = (lo + hi) // 2
                    if at(mid)[1] <= budget:
                        hi = mid
                    else:
                        lo = mid
                s = hi
        clip, d = at(s)
        return clip, d, voice, pitch, s

    def natural(self, t: bt.Turn) -> float:
        if not t.transcribed:
            return AR_MIN_S
        return self.english(t, None)[1]

    def arabic(self, t: bt.Turn, target: float):
        """Sentences from the speaker's pool, pauses between, total speech <= target s."""
        voice, pitch, base, _ = self.voice_of(t)
        female = "+f" in voice
        pool = ARABIC_TRANSLATIONS if female else ARABIC_STATEMENTS
        rng = rng_for(self.seed, "arabic", t.index)
        order = list(rng.permutation(len(pool)))
        parts: list[np.ndarray] = []
        total = 0.0
        tried = 0
        speed = base
        while order and tried < len(pool):
            k = order.pop(0)
            c, d = trim(tts(pool[k], voice, pitch, speed, ssml=False), margin_blocks=5)
            gap = rng.integers(*AR_GAP_MS) / 1000.0 if parts else 0.0
            if total + gap + d <= target:
                if parts:
                    parts.append(np.zeros(int(round(gap * SR / BLOCK)) * BLOCK, np.float32))
                parts.append(c)
                total += gap + d
            else:
                order.append(k)
                tried += 1
            if total >= 0.8 * target:
                break
        if not parts:  # nothing fits: the shortest sentence, as fast as allowed
            k = min(range(len(pool)), key=lambda i: len(pool[i]))
            for speed in range(base, self.scrunch + 1, 5):
                c, d = trim(tts(pool[k], voice, pitch, speed, ssml=False), margin_blocks=5)
                if d <= target:
                    break
            parts = [c]
        clip = np.concatenate(parts)
        pad = np.zeros(10 * BLOCK, np.float32)
        return np.concatenate([pad, clip, pad]), voice, pitch, speed

    # -- whole timeline -----------------------------------------------------------------
    def plan(self) -> list[Placed]:
        """Place every turn; re-plan while a pushed anchor's stamp error falls between
        GOOD_MAX and BAD_MIN (first allow the crunch speed before it, then push it on to a
        bad stamp), so that no stamp is in between."""
        turns = self.tr.turns
        off, rate = self.clock
        rng = rng_for(self.seed, "clock")
        nominal: dict[int, float] = {}
        target: dict[int, float] = {}
        for t in turns:
            if t.stamp_s is not None:
                nominal[t.index] = off + rate * t.stamp_s
            if t.status == "ok":
                u = rng.random()
                n = float(np.clip(rng.normal(0, HUMAN_NOISE_SD), -HUMAN_NOISE_MAX, HUMAN_NOISE_MAX))
                e = float(np.clip(rate * u + n, HUMAN_ERR_MIN, HUMAN_ERR_MAX))
                target[t.index] = nominal[t.index] + e
        nat = {t.index: self.natural(t) for t in turns}
        injected = self.choose_injections(turns, target, nat)
        for i, d in injected.items():
            target[i] += d
        crunch: set[int] = set()  # windows (by first turn) allowed the crunch speed
        extra: dict[int, float] = {}  # anchors pushed on to a clearly bad stamp
        for _ in range(20):
            placed = self.place(turns, nominal, target, injected, nat, crunch, extra)
            fix = None
            for p in placed:
                if p.target is None or p.pushed_s <= 0:
                    continue
                err = p.nominal - (p.pos + speech_offset(p.clip)) / SR
                if GOOD_MAX < abs(err) < BAD_MIN:
                    fix = (p, err)
                    break
            if fix is None:
                return placed
            p, err = fix
            prev = max(k for k in target if k < p.turn.index)
            if prev not in crunch:
                crunch.add(prev)
            else:
                extra[p.turn.index] = extra.get(p.turn.index, 0.0) + BAD_MIN + 0.05 - abs(err)
        raise RuntimeError("placement did not settle")

    def place(self, turns, nominal, target, injected, nat, crunch, extra) -> list[Placed]:
        placed: list[Placed] = []
        anchors = [t.index for t in turns if t.index in target]
        prng = rng_for(self.seed, "pauses")
        arng = rng_for(self.seed, "arabic-fill")
        frng = rng_for(self.seed, "fill")
        cursor = 0.0
        i = 0
        while i < len(turns):
            j = next((a for a in anchors if a > i), len(turns))
            window = turns[i:j]
            t0 = window[0]
            if t0.index in target:
                s0 = max(target[t0.index], cursor + MIN_PAUSE + extra.get(t0.index, 0.0))
            else:
                s0 = cursor + self.pause(prng)
            pauses = [self.pause(prng) for _ in window[1:]]
            fill = frng.uniform(*FILL_RANGE)
            end = target.get(j) if j < len(turns) else None
            budgets: dict[int, float | None] = {t.index: None for t in window}
            eng = [t for t in window if t.transcribed]
            ara = [t for t in window if not t.transcribed]
            if end is not None:
                room = end - s0
                if pauses and sum(pauses) > 0.3 * room:
                    scale = 0.3 * room / sum(pauses)
                    pauses = [max(0.15, p * scale) for p in pauses]
                room2 = room - sum(pauses)
                need = sum(nat[t.index] for t in eng)
                if ara:  # English at natural speed unless the Arabic would get no room
                    want = min(need, FILL_MAX * room2 - len(ara) * AR_MIN_S)
                else:  # speed chosen so that speech fills `fill` of the time
                    want = fill * room2
                for t in eng:
                    budgets[t.index] = max(0.2, nat[t.index] * want / need)
            rendered = {t.index: self.english(t, budgets[t.index], i in crunch) for t in eng}
            eng_used = sum(r[1] for r in rendered.values())
            pos_t = s0
            for k, t in enumerate(window):
                if k:
                    pos_t = cursor + pauses[k - 1]
                if t.transcribed:
                    clip, d, voice, pitch, wpm = rendered[t.index]
                else:
                    if end is None:
                        slot = 20.0
                    else:
                        slot = max(0.0, end - s0 - sum(pauses) - eng_used) / len(ara)
                    want_ar = min(AR_CAP_S, max(AR_MIN_S, arng.uniform(*AR_FILL) * slot))
                    clip, voice, pitch, wpm = self.arabic(t, want_ar)
                    d = trim(clip)[1]
                gain = 10 ** ((self.voice_of(t)[3] + rng_for(self.seed, "gain", t.index).uniform(-1, 1)) / 20)
                clip = (clip * gain).astype(np.float32)
                lead = speech_offset(clip)
                pos = int(round(pos_t * SR / BLOCK)) * BLOCK - lead
                p = Placed(t, voice, pitch, int(wpm), clip, pos)
                p.nominal = nominal.get(t.index)
                if t.index in target:
                    p.target = target[t.index]
                    p.injected = injected.get(t.index, 0.0)
                    p.pushed_s = max(0.0, pos_t - target[t.index])
                placed.append(p)
                cursor = (pos + lead) / SR + d
            i = j
        return placed

    def pause(self, rng) -> float:
        if rng.random() < PAUSE_SHORT_P:
            return float(rng.uniform(0.3, 0.5))
        return float(rng.uniform(*PAUSE_RANGE))

    def choose_injections(self, turns, target, nat) -> dict[int, float]:
        """Move INJECT_COUNT anchored, transcribed turns >= 3 s off their stamp, where there is room."""
        anchors = [t.index for t in turns if t.index in target]
        rng = rng_for(self.seed, "inject")
        cands = []
        for a_prev, a, a_next in zip(anchors, anchors[1:], anchors[2:]):
            t = turns[a]
            if not t.transcribed or nat[a] > 20:
                continue
            before = sum(nat[k] + PAUSE_RANGE[1] for k in range(a_prev, a))
            slack_before = (target[a] - target[a_prev]) - before / FILL_MAX
            own = sum(nat[k] + PAUSE_RANGE[1] for k in range(a, a_next))
            slack_after = (target[a_next] - target[a]) - own / FILL_MAX
            cands.append((a, slack_before, slack_after))
        total = target[anchors[-1]]
        chosen: dict[int, float] = {}

        def options(lo, hi, later):
            out = []
            for a, sb, sa in cands:
                if not lo <= target[a] < hi or {a - 1, a, a + 1} & chosen.keys():
                    continue
                d = rng.uniform(*INJECT_LATER) if later else rng.uniform(*INJECT_EARLIER)
                if later and sa >= d + 1.0:
                    out.append((a, d))
                elif not later and sb >= d + 1.0:
                    out.append((a, -d))
            return out

        # one per equal stretch of the recording, alternating later / earlier; a stretch
        # with no room in either direction leaves its pick to the whole recording
        left = 0
        for seg in range(INJECT_COUNT):
            lo, hi = total * seg / INJECT_COUNT, total * (seg + 1) / INJECT_COUNT
            opts = options(lo, hi, seg % 2 == 0) or options(lo, hi, seg % 2 == 1)
            if opts:
                a, d = opts[int(rng.integers(len(opts)))]
                chosen[a] = float(d)
            else:
                left += 1
        for k in range(left):
            opts = options(0, math.inf, k % 2 == 0) or options(0, math.inf, k % 2 == 1)
            if opts:
                a, d = opts[int(rng.integers(len(opts)))]
                chosen[a] = float(d)
        return chosen


# ---------------------------------------------------------------------------- rendering


def render(tr: bt.Transcript, vname: str, clock, seed_name: str, name: str, planner: Planner | None = None) -> Rendition:
    """Place and mix every turn; `planner` (default: espeak-ng voices VOICES[vname]) lets
    another synthesiser (scripts/make_festival.py) reuse the placement and the truth."""
    placed = (planner or Planner(tr, vname, clock, seed_name)).plan()
    n = max(p.pos + len(p.clip) for p in placed) + int(TAIL_S * SR)
    n = (n // BLOCK + 1) * BLOCK
    speech = np.zeros(n, np.float32)
    for p in placed:
        assert p.pos >= 0, p.turn.index
        seg = speech[p.pos : p.pos + len(p.clip)]
        assert not np.any(seg), f"turn {p.turn.index} overlaps the previous one"
        seg += p.clip
    # truth, per turn on the global block grid
    merged: list[list[float]] = []
    for p in placed:
        a0 = p.pos // BLOCK
        b0 = (p.pos + len(p.clip)) // BLOCK + 1
        m = speech_blocks(speech[a0 * BLOCK : b0 * BLOCK])
        rr = split_runs(m, GAP_BLOCKS)
        p.start = (a0 + rr[0][0]) * BLOCK / SR
        p.end = (a0 + rr[-1][1]) * BLOCK / SR
        for a, b in rr:
            s, e = (a0 + a) * BLOCK / SR, (a0 + b) * BLOCK / SR
            if merged and s - merged[-1][1] < SPLIT_S:
                merged[-1][1] = e
            else:
                merged.append([s, e])
    return Rendition(name, clock, tr, placed, speech, [(a, b) for a, b in merged])


def fir_colour(ntaps: int = 8192) -> np.ndarray:
    """FIR whose power response is pink (1/f) plus brown (1/f^2) above 25 Hz, unit gain at 1 kHz."""
    f = np.fft.rfftfreq(ntaps, 1 / SR)
    fc = np.maximum(f, 25.0)
    p = 1000.0 / fc + 0.5 * (100.0 / fc) ** 2 * 10
    p[f < 20] *= (np.maximum(f[f < 20], 1) / 20) ** 4
    h = np.fft.irfft(np.sqrt(p), ntaps)
    h = np.roll(h, ntaps // 2) * np.hanning(ntaps)
    return (h / np.sqrt(np.sum(h * h))).astype(np.float64)


def bed_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS room bed: pink/brown noise plus 50 Hz hum and harmonics (HUM_DB below)."""
    h = fir_colour()
    L = 1 << 17
    out = np.zeros(n + len(h), np.float64)
    nfft = 1 << int(math.ceil(math.log2(L + len(h))))
    H = np.fft.rfft(h, nfft)
    for a in range(0, n, L):
        w = rng.standard_normal(min(L, n - a))
        y = np.fft.irfft(np.fft.rfft(w, nfft) * H, nfft)[: len(w) + len(h) - 1]
        out[a : a + len(y)] += y
    noise = out[len(h) // 2 : len(h) // 2 + n]
    noise /= np.sqrt(np.mean(noise**2))
    hum = np.zeros(n, np.float64)
    harmonics = [(50, 1.0), (100, 0.5), (150, 0.7), (200, 0.2), (250, 0.35), (350, 0.15), (450, 0.08)]
    phases = rng.uniform(0, 2 * np.pi, len(harmonics))
    wob_f, wob_p = rng.uniform(0.05, 0.2), rng.uniform(0, 2 * np.pi)
    C = 1 << 20
    for a in range(0, n, C):
        t = np.arange(a, min(n, a + C)) / SR
        seg = sum(amp * np.sin(2 * np.pi * f * t + ph) for (f, amp), ph in zip(harmonics, phases))
        hum[a : a + len(t)] = seg * (1 + 0.1 * np.sin(2 * np.pi * wob_f * t + wob_p))
    hum /= np.sqrt(np.mean(hum**2))
    bed = noise + hum * 10 ** (HUM_DB / 20)
    return (bed / np.sqrt(np.mean(bed**2))).astype(np.float32)


def make_event(kind: str, rng: np.random.Generator, srms: float) -> np.ndarray:
    if kind == "click":
        n = int(rng.integers(60, 120))
        t = np.arange(n) / SR
        x = np.exp(-t / rng.uniform(3e-4, 8e-4)) * np.sin(2 * np.pi * rng.uniform(2000, 5000) * t + 0.3)
        x[0] = 1.0
        peak = srms * 10 ** (rng.uniform(0, 8) / 20)
    elif kind == "knock":
        n = int(SR * rng.uniform(0.08, 0.15))
        t = np.arange(n) / SR
        f1, f2 = rng.uniform(110, 220), rng.uniform(300, 600)
        x = np.exp(-t / rng.uniform(0.012, 0.025)) * (np.sin(2 * np.pi * f1 * t) + 0.5 * np.sin(2 * np.pi * f2 * t))
        x[:40] += rng.standard_normal(40) * np.linspace(1, 0, 40)
        peak = srms * 10 ** (rng.uniform(-2, 6) / 20)
    else:  # rustle: band-limited noise in crinkly bursts
        n = int(SR * rng.uniform(0.15, 0.6))
        spec = np.fft.rfft(rng.standard_normal(n))
        f = np.fft.rfftfreq(n, 1 / SR)
        spec[(f < 1000) | (f > 7000)] = 0
        x = np.fft.irfft(spec, n)
        env = np.convolve(rng.random(n) ** 6, np.ones(220) / 220, "same")
        env *= np.hanning(n)
        x *= env / (env.max() + 1e-12)
        x *= srms * 10 ** (rng.uniform(-22, -14) / 20) / (np.sqrt(np.mean(x**2)) + 1e-12)
        return x.astype(np.float32)
    return (x / np.abs(x).max() * peak).astype(np.float32)


def speech_rms(r: Rendition) -> float:
    idx = np.concatenate([np.arange(int(a * SR), int(b * SR)) for a, b in r.intervals])
    return float(np.sqrt(np.mean(r.speech[idx].astype(np.float64) ** 2)))


def events_for(r: Rendition, srms: float) -> tuple[np.ndarray, list[dict]]:
    """Room events in pauses, >= EVENT_MARGIN_S from speech, Poisson(EVENT_RATE per second
    of usable pause, at most 4 per pause). Start/end by the same 1 ms / -40 dB rule as speech,
    relative to the event's own loudest block."""
    rng = rng_for(r.name, "events")
    track = np.zeros(len(r.speech), np.float32)
    ev = []
    gaps = [(0.0, r.intervals[0][0])] + [(a[1], b[0]) for a, b in zip(r.intervals, r.intervals[1:])]
    gaps.append((r.intervals[-1][1], len(r.speech) / SR))
    for a, b in gaps:
        a, b = a + EVENT_MARGIN_S, b - EVENT_MARGIN_S
        if b - a < 0.6:
            continue
        n = min(4, int(rng.poisson(EVENT_RATE * (b - a))))
        for k in range(n):  # one event in each of n equal parts of the pause
            lo, hi = a + (b - a) * k / n, a + (b - a) * (k + 1) / n
            kind = ["click", "knock", "rustle"][int(rng.choice(3, p=[0.4, 0.3, 0.3]))]
            x = make_event(kind, rng, srms)
            if hi - lo < len(x) / SR + 0.05:
                continue
            pos = int(round(rng.uniform(lo, hi - len(x) / SR) * SR / BLOCK)) * BLOCK
            track[pos : pos + len(x)] += x
            m = speech_blocks(np.concatenate([x, np.zeros(BLOCK, np.float32)]))
            idx = np.flatnonzero(m)
            ev.append({"kind": kind, "start": round((pos + idx[0] * BLOCK) / SR, 3), "end": round((pos + (idx[-1] + 1) * BLOCK) / SR, 3)})
    return track, ev


def mix(r: Rendition, snr_db: float, bed: np.ndarray, events: np.ndarray, srms: float) -> np.ndarray:
    g = srms * 10 ** (-snr_db / 20)
    y = r.speech + events + bed[: len(r.speech)] * g
    peak = float(np.abs(y).max())
    return (y * (0.89 / peak)).astype(np.float32)  # -1 dBFS


# ---------------------------------------------------------------------------- truth & files


def stamp_class(p: Placed) -> tuple[str, float | None]:
    t = p.turn
    if t.status == "missing":
        return "missing", None
    if t.stamp_s is None:
        return "invalid", None
    err = round(p.nominal - p.start, 3)
    if t.status != "ok":
        return "invalid", err
    if abs(err) <= GOOD_MAX:
        return "good", err
    if abs(err) >= BAD_MIN:
        return "bad", err
    return "between", err  # never produced: checked by check_truth()


def truth_of(r: Rendition, audio: str, transcript: str, variant: str, events: list[dict], duration: float, line_map=None, stamps=True, shift=0.0, clock=None) -> dict:
    off, rate = clock or r.clock
    turns = []
    for p in r.placed:
        t = p.turn
        kind, err = stamp_class(p) if stamps else ("missing", None)
        turns.append(
            {
                "index": t.index if line_map is None else line_map[1][t.index],
                "line": t.line if line_map is None else line_map[0][t.line],
                "speaker_raw": t.label,
                "speaker": t.speaker,
                "transcribed": t.transcribed,
                "start": round(p.start - shift, 3),
                "end": round(p.end - shift, 3),
                "stated_raw": t.stamp_raw if stamps else None,
                "stated_s": t.stamp_s if stamps else None,
                "stamp": kind,
                "stamp_status": t.status if stamps else "missing",
                "stamp_error_s": err,
                "voice": f"{p.voice} -p {p.pitch}",
                "wpm": p.wpm,
                "injected": bool(p.injected) and stamps,
                "pushed_s": round(p.pushed_s, 3),
            }
        )
    return {
        "audio": audio,
        "transcript": transcript,
        "variant": variant,
        "duration_s": round(duration, 3),
        "clock": {"offset_s": off, "rate": rate},
        "turns": turns,
        "speech": [[round(a - shift, 3), round(b - shift, 3)] for a, b in r.intervals],
        "events": events,
    }


def check_truth(truth: dict, lines: list[str]) -> None:
    for t in truth["turns"]:
        assert t["stamp"] != "between", f"turn {t['index']} stamp error {t['stamp_error_s']} s"
        assert lines[t["line"] - 1].strip() == t["speaker_raw"], (t["line"], t["speaker_raw"])
        assert t["start"] < t["end"]
    ts = truth["turns"]
    for a, b in zip(ts, ts[1:]):
        assert a["end"] < b["start"], (a["index"], b["index"])


def dump_truth(path: str, truth: dict) -> None:
    """JSON with one turn / interval / event per line, so diffs stay readable."""
    out = ["{"]
    keys = list(truth)
    for k in keys:
        v = truth[k]
        comma = "," if k != keys[-1] else ""
        if isinstance(v, list):
            out.append(f'  "{k}": [')
            for i, item in enumerate(v):
                out.append("    " + json.dumps(item, ensure_ascii=False) + ("," if i < len(v) - 1 else ""))
            out.append("  ]" + comma)
        else:
            out.append(f'  "{k}": ' + json.dumps(v, ensure_ascii=False) + comma)
    out.append("}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def encode_mp3(wav: str, mp3: str, kbps: int = MP3_KBPS) -> None:
    # lame writes a Xing/LAME tag with encoder delay and padding: ffmpeg and symphonia
    # use it to drop the padding, so decoded sample 0 is the WAV's sample 0.
    run(["lame", "--quiet", "-m", "m", "--cbr", "-b", str(kbps), "-q", "2", wav, mp3])


def check_gapless(mp3: str, y: np.ndarray) -> None:
    """The MP3 decoded by ffmpeg has the WAV's length and no lag (lame's gapless tag works)."""
    d = decode_ffmpeg(mp3, OUT_SR)
    assert len(d) == len(y), f"{mp3}: decoded {len(d)} samples, wrote {len(y)}"
    for c in (len(y) // 4, len(y) // 2, 3 * len(y) // 4):
        a, b = y[c : c + (1 << 18)].astype(np.float64), d[c : c + (1 << 18)].astype(np.float64)
        n = 1 << 19
        xc = np.fft.irfft(np.fft.rfft(b, n) * np.conj(np.fft.rfft(a, n)), n)
        lag = int(np.argmax(xc))
        lag = lag - n if lag > n // 2 else lag
        assert lag == 0, f"{mp3}: decoded audio is {lag} samples off"


def to_wav16k(y: np.ndarray, path: str) -> np.ndarray:
    """Resample a SR mix to OUT_SR 16-bit WAV (sox, linear phase: times are unchanged)."""
    tmp = os.path.join(_TMP, "src.wav")
    write_wav_s16(tmp, y, SR)
    run(["sox", "-D", tmp, "-b", "16", path, "rate", "-v", str(OUT_SR)])
    os.remove(tmp)
    x, sr = read_wav_mono(path)
    assert sr == OUT_SR
    return x


def write_rendition(r: Rendition, y: np.ndarray, outdir: str, variant: str, transcript_text: str, events, keep_wav: str | None = None, **truth_kw) -> dict:
    os.makedirs(outdir, exist_ok=True)
    wav = keep_wav or os.path.join(_TMP, f"{variant}.16k.wav")
    y16 = to_wav16k(y, wav)
    mp3 = os.path.join(outdir, BASENAME + ".mp3")
    encode_mp3(wav, mp3)
    check_gapless(mp3, y16)
    with open(os.path.join(outdir, BASENAME + ".txt"), "w", encoding="utf-8", newline="") as f:
        f.write(transcript_text)
    truth = truth_of(r, BASENAME + ".mp3", BASENAME + ".txt", variant, events, len(y16) / OUT_SR, **truth_kw)
    check_truth(truth, transcript_text.splitlines())
    dump_truth(os.path.join(outdir, BASENAME + ".truth.json"), truth)
    if not keep_wav:
        os.remove(wav)
    return truth


def remove_stamps(text: str) -> tuple[str, dict[int, int]]:
    """Transcript with every stamp line (and the blank line after it) removed; old→new line map."""
    lines = text.split("\n")
    keep = []
    skip_blank = False
    for i, ln in enumerate(lines, 1):
        if bt.is_stamp_line(ln):
            skip_blank = True
            continue
        if skip_blank and not ln.strip():
            skip_blank = False
            continue
        skip_blank = False
        keep.append((i, ln))
    return "\n".join(ln for _, ln in keep), {old: new for new, (old, _) in enumerate(keep, 1)}


def summary(truth: dict) -> str:
    ts = truth["turns"]
    c = {}
    for t in ts:
        c[t["stamp"]] = c.get(t["stamp"], 0) + 1
    inj = [t["index"] for t in ts if t["injected"]]
    pushed = [t["index"] for t in ts if t["pushed_s"] > 0]
    return (
        f"{truth['variant']}: {truth['duration_s']:.1f} s, {len(ts)} turns "
        f"({sum(t['transcribed'] for t in ts)} transcribed), stamps {c}, injected {inj}, "
        f"pushed {pushed}, {len(truth['speech'])} speech intervals, {len(truth['events'])} events"
    )


# ---------------------------------------------------------------------------- variants


class Session:
    def __init__(self, out: str | None):
        self.out = out
        with open(SOURCE, encoding="utf-8", newline="") as f:
            self.text = f.read()
        self.tr = bt.parse(self.text)
        self._main = None
        self._bed = None
        self._events = None

    def dir(self, name: str) -> str:
        if self.out:
            return os.path.join(self.out, name)
        if name == "main":
            return os.path.join(ROOT, "sample-audio")
        if name == "clips":
            return os.path.join(ROOT, "sample-audio")
        if name == "fixtures":
            return os.path.join(ROOT, "tests", "fixtures", "audio")
        return os.path.join(ROOT, "eval-out", name)

    def main(self):
        if self._main is None:
            r = render(self.tr, "main", CLOCK_MAIN, "main", "main")
            srms = speech_rms(r)
            ev_track, ev = events_for(r, srms)
            bed = bed_noise(len(r.speech), rng_for("main", "bed"))
            self._main = (r, srms, ev_track, ev, bed)
        return self._main

    def variant(self, name: str) -> dict:
        print(f"rendering {name} ...", file=sys.stderr)
        if name in ("main", "snr20", "snr10", "snr5", "nostamps"):
            r, srms, ev_track, ev, bed = self.main()
            snr = {"main": SNR_MAIN, "nostamps": SNR_MAIN, "snr20": 20.0, "snr10": 10.0, "snr5": 5.0}[name]
            y = mix(r, snr, bed, ev_track, srms)
            d = self.dir(name)
            keep = None
            if name == "main":  # the 16 kHz WAV that the MP3 is made from, for comparisons
                ed = d if self.out else os.path.join(ROOT, "eval-out", "main")
                os.makedirs(ed, exist_ok=True)
                keep = os.path.join(ed, BASENAME + ".16k.wav")
                clean = r.speech * (0.89 / float(np.abs(r.speech).max()))
                to_wav16k(clean, os.path.join(ed, BASENAME + ".clean.16k.wav"))
            if name == "nostamps":
                text, line_map = remove_stamps(self.text)
                idx_map = {t.index: t.index for t in self.tr.turns}
                truth = write_rendition(r, y, d, name, text, ev, line_map=(line_map, idx_map), stamps=False)
            else:
                truth = write_rendition(r, y, d, name, self.text, ev, keep_wav=keep)
        elif name in ("voices", "drift1pct"):
            vname = "voices" if name == "voices" else "main"
            clock = CLOCK_DRIFT if name == "drift1pct" else CLOCK_MAIN
            r = render(self.tr, vname, clock, name, name)
            srms = speech_rms(r)
            ev_track, ev = events_for(r, srms)
            bed = bed_noise(len(r.speech), rng_for(name, "bed"))
            y = mix(r, SNR_MAIN, bed, ev_track, srms)
            truth = write_rendition(r, y, self.dir(name), name, self.text, ev)
        else:
            raise SystemExit(f"unknown variant {name!r}")
        print("  " + summary(truth), file=sys.stderr)
        return truth

    # -- clips --------------------------------------------------------------------------
    CLIP_NAME = "clip-kerry-45s"
    CLIP_TURNS = (21, 30)  # Kerry [08:20] .. Female voice [08:50] (out of order): 9 turns, 4 in Arabic
    CLIP_SHIFT_S = 8 * 60 + 20  # stamps in the clip transcript are shifted by -8:20
    CLIP_PAD_S = (0.8, 1.0)  # room tone kept before the first / after the last turn

    def clips(self) -> None:
        r, srms, ev_track, ev, bed = self.main()
        a, b = self.CLIP_TURNS
        sel = [p for p in r.placed if a <= p.turn.index < b]
        i0 = int(round((sel[0].start - self.CLIP_PAD_S[0]) * SR))
        i1 = int(round((sel[-1].end + self.CLIP_PAD_S[1]) * SR))
        t0 = i0 / SR
        d = self.dir("clips")
        os.makedirs(d, exist_ok=True)
        name = self.CLIP_NAME

        # transcript excerpt: a title line, then the selected turns' lines, stamps shifted
        first_line = sel[0].turn.line
        last_line = r.placed[b].turn.line - 1 if b < len(r.placed) else len(self.tr.lines)
        body = self.tr.lines[first_line - 1 : last_line]
        while body and not body[-1].strip():
            body.pop()
        m, sec = divmod(self.CLIP_SHIFT_S, 60)
        out_lines = [f"Excerpt of {BASENAME}.txt, lines {first_line}-{first_line + len(body) - 1}, stamps moved {m}:{sec:02d} earlier", ""]
        for ln in body:
            if bt.is_stamp_line(ln):
                s = bt.parse_stamp(ln) - self.CLIP_SHIFT_S
                width = len(ln.strip()[1:].split(":")[0])
                ln = f"[{int(s // 60):0{width}d}:{int(s % 60):02d}]"
            out_lines.append(ln)
        text = "\n".join(out_lines) + "\n"
        tr_clip = bt.parse(text)
        line_map = {t.line: t.line - first_line + 3 for t in self.tr.turns}
        idx_map = {t.index: t.index - a for t in self.tr.turns}
        assert [t.line for t in tr_clip.turns] == [line_map[p.turn.line] for p in sel]
        assert [t.status for t in tr_clip.turns] == [p.turn.status for p in sel]
        with open(os.path.join(d, name + ".txt"), "w", encoding="utf-8", newline="") as f:
            f.write(text)

        off, rate = r.clock
        clock = (round(off + rate * self.CLIP_SHIFT_S - t0, 3), rate)
        iv = [(max(x, t0), min(y, i1 / SR)) for x, y in r.intervals if y > t0 and x < i1 / SR]
        sub = Rendition("clip", r.clock, self.tr, sel, r.speech, iv)
        evs = [dict(e, start=round(e["start"] - t0, 3), end=round(e["end"] - t0, 3)) for e in ev if e["start"] >= t0 and e["end"] <= i1 / SR]
        for suffix, ext, snr, variant in (("", ".wav", SNR_MAIN, "clip"), ("-snr10", ".mp3", 10.0, "clip-snr10")):
            y = mix(r, snr, bed, ev_track, srms)[i0:i1]
            audio = name + suffix + ext
            wav = os.path.join(d, audio) if ext == ".wav" else os.path.join(_TMP, "clip.wav")
            y16 = to_wav16k(y, wav)
            if ext == ".mp3":
                encode_mp3(wav, os.path.join(d, audio))
                check_gapless(os.path.join(d, audio), y16)
            truth = truth_of(sub, audio, name + ".txt", variant, evs, len(y16) / OUT_SR, line_map=(line_map, idx_map), shift=t0, clock=clock)
            for t, tc in zip(truth["turns"], tr_clip.turns):  # stamps as written in the excerpt
                t["stated_raw"], t["stated_s"] = tc.stamp_raw, tc.stamp_s
            check_truth(truth, out_lines)
            dump_truth(os.path.join(d, name + suffix + ".truth.json"), truth)
            print("  " + summary(truth), file=sys.stderr)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="write everything under DIR (DIR/main, DIR/<variant>, DIR/clips, DIR/fixtures)")
    ap.add_argument("--variant", help="main voices snr20 snr10 snr5 drift1pct nostamps, or all")
    ap.add_argument("--clips", action="store_true", help="write the short committed clips")
    ap.add_argument("--fixtures", action="store_true", help="write tests/fixtures/audio")
    a = ap.parse_args(argv)
    if not (a.variant or a.clips or a.fixtures):
        a.variant = "main"
    s = Session(a.out)
    names = ["main", "voices", "snr20", "snr10", "snr5", "drift1pct", "nostamps"] if a.variant == "all" else ([a.variant] if a.variant else [])
    for n in names:
        s.variant(n)
    if a.clips:
        s.clips()
    if a.fixtures:
        import fixtures

        fixtures.write_all(s.dir("fixtures"), _TMP)
    return 0


if __name__ == "__main__":
    sys.exit(main())
