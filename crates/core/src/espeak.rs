//! espeak-ng, talign's reference voice: it speaks each turn's words so the aligner can match
//! them against the recording, and tells where each word starts in what it spoke.
//!
//! The library (`libespeak-ng.so.1`, Debian package `espeak-ng`) is loaded at run time, not
//! linked, so talign builds and runs without it; without it the aligner falls back to pauses,
//! durations and voices alone and says so. The library keeps global state and is not
//! thread-safe: every call goes through one process-wide lock.

use std::cell::RefCell;
use std::ffi::{CString, c_char, c_int, c_uint, c_void};
use std::sync::{Mutex, OnceLock};

use libloading::Library;

/// File names tried in order, unless `TALIGN_ESPEAK_LIB` names the one to use.
const LIBRARY_NAMES: [&str; 2] = ["libespeak-ng.so.1", "libespeak-ng.so"];
const AUDIO_OUTPUT_SYNCHRONOUS: c_int = 2;
const INITIALIZE_DONT_EXIT: c_int = 0x8000;
const CHARS_UTF8: c_uint = 1;
const POS_CHARACTER: c_int = 1;
const PARAM_RATE: c_int = 1;
const EVENT_LIST_TERMINATED: c_int = 0;
const EVENT_WORD: c_int = 1;
/// Slowest and fastest rates espeak-ng accepts, words per minute.
pub(crate) const RATE_RANGE_WPM: (u32, u32) = (80, 450);

/// `espeak_EVENT` from `speak_lib.h` (API revision 12).
#[repr(C)]
struct Event {
    kind: c_int,
    unique_identifier: c_uint,
    text_position: c_int,
    length: c_int,
    audio_position: c_int,
    sample: c_int,
    user_data: *mut c_void,
    id: EventId,
}

#[repr(C)]
union EventId {
    number: c_int,
    name: *const c_char,
    string: [c_char; 8],
}

type SynthCallback = unsafe extern "C" fn(*mut i16, c_int, *mut Event) -> c_int;

/// The functions talign uses, resolved once.
struct Api {
    set_voice_by_name: unsafe extern "C" fn(*const c_char) -> c_int,
    set_parameter: unsafe extern "C" fn(c_int, c_int, c_int) -> c_int,
    synth: unsafe extern "C" fn(
        *const c_void,
        usize,
        c_uint,
        c_int,
        c_uint,
        c_uint,
        *mut c_uint,
        *mut c_void,
    ) -> c_int,
    synchronize: unsafe extern "C" fn() -> c_int,
    text_to_phonemes: unsafe extern "C" fn(*mut *const c_void, c_int, c_int) -> *const c_char,
}

/// A loaded, initialised espeak-ng.
struct Engine {
    api: Api,
    sample_rate: u32,
    /// Keeps the functions in `api` mapped.
    _library: Library,
}

// SAFETY: the engine is only ever used behind `ENGINE`'s mutex, one call at a time.
unsafe impl Send for Engine {}

static ENGINE: OnceLock<Result<Mutex<Engine>, String>> = OnceLock::new();

thread_local! {
    /// Where the synthesis callback collects samples and word events for the current call.
    static COLLECTED: RefCell<Collected> = RefCell::new(Collected::default());
}

#[derive(Default)]
struct Collected {
    samples: Vec<i16>,
    /// (character position, 1-based as espeak-ng reports it; milliseconds where it starts).
    words: Vec<(usize, usize)>,
}

unsafe extern "C" fn collect(wav: *mut i16, count: c_int, mut event: *mut Event) -> c_int {
    COLLECTED.with(|c| {
        let mut c = c.borrow_mut();
        // SAFETY: espeak-ng passes `count` valid samples at `wav` (or null at the end), and a
        // list of events terminated by an event of kind 0.
        unsafe {
            if !wav.is_null() && count > 0 {
                c.samples
                    .extend_from_slice(std::slice::from_raw_parts(wav, count as usize));
            }
            while !event.is_null() && (*event).kind != EVENT_LIST_TERMINATED {
                if (*event).kind == EVENT_WORD {
                    let position = (*event).text_position.max(0) as usize;
                    let ms = (*event).audio_position.max(0) as usize;
                    c.words.push((position, ms));
                }
                event = event.add(1);
            }
        }
    });
    0
}

/// What the reference voice said: 16-bit samples and where each word started.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Utterance {
    /// Mono samples at `sample_rate`.
    pub samples: Vec<i16>,
    /// espeak-ng's own rate (22050 Hz).
    pub sample_rate: u32,
    /// For each word event: its character position in the text (0-based) and the sample
    /// where it starts.
    pub words: Vec<(usize, usize)>,
}

/// Why the reference voice is unavailable or failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable(pub String);

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn load() -> Result<Mutex<Engine>, String> {
    let names: Vec<String> = match std::env::var("TALIGN_ESPEAK_LIB") {
        Ok(path) => vec![path],
        Err(_) => LIBRARY_NAMES.iter().map(|s| s.to_string()).collect(),
    };
    let mut last_error = String::new();
    for name in &names {
        // SAFETY: loading espeak-ng runs its (trivial) initialisers; nothing else is assumed.
        match unsafe { Library::new(name) } {
            Ok(library) => return init(library).map(Mutex::new),
            Err(e) => last_error = format!("{name}: {e}"),
        }
    }
    Err(format!(
        "espeak-ng library not found ({last_error}); install it with `apt-get install espeak-ng` \
         or point TALIGN_ESPEAK_LIB at libespeak-ng.so"
    ))
}

fn init(library: Library) -> Result<Engine, String> {
    let missing = |e: libloading::Error| format!("espeak-ng library lacks a function: {e}");
    // SAFETY: the signatures match speak_lib.h (API revision 12, espeak-ng 1.49–1.52).
    unsafe {
        let initialize = *library
            .get::<unsafe extern "C" fn(c_int, c_int, *const c_char, c_int) -> c_int>(
                b"espeak_Initialize\0",
            )
            .map_err(missing)?;
        let set_callback = *library
            .get::<unsafe extern "C" fn(SynthCallback)>(b"espeak_SetSynthCallback\0")
            .map_err(missing)?;
        let api = Api {
            set_voice_by_name: *library.get(b"espeak_SetVoiceByName\0").map_err(missing)?,
            set_parameter: *library.get(b"espeak_SetParameter\0").map_err(missing)?,
            synth: *library.get(b"espeak_Synth\0").map_err(missing)?,
            synchronize: *library.get(b"espeak_Synchronize\0").map_err(missing)?,
            text_to_phonemes: *library.get(b"espeak_TextToPhonemes\0").map_err(missing)?,
        };
        let rate = initialize(
            AUDIO_OUTPUT_SYNCHRONOUS,
            0,
            std::ptr::null(),
            INITIALIZE_DONT_EXIT,
        );
        if rate <= 0 {
            return Err(
                "espeak-ng could not start (its data directory, espeak-ng-data, was not \
                        found); reinstall espeak-ng"
                    .into(),
            );
        }
        set_callback(collect);
        Ok(Engine {
            api,
            sample_rate: rate as u32,
            _library: library,
        })
    }
}

fn engine() -> Result<&'static Mutex<Engine>, Unavailable> {
    ENGINE
        .get_or_init(load)
        .as_ref()
        .map_err(|e| Unavailable(e.clone()))
}

/// Whether the reference voice can be used, and why not.
pub(crate) fn available() -> Result<(), Unavailable> {
    engine().map(|_| ())
}

/// Whether espeak-ng has voice `voice` (`Err` when espeak-ng itself is unavailable).
pub fn has_voice(voice: &str) -> Result<bool, Unavailable> {
    let engine = engine()?;
    let engine = engine.lock().unwrap_or_else(|p| p.into_inner());
    let Ok(voice) = CString::new(voice) else {
        return Ok(false);
    };
    // SAFETY: the engine is initialised and locked; the name outlives the call.
    Ok(unsafe { (engine.api.set_voice_by_name)(voice.as_ptr()) } == 0)
}

/// Speaks `text` (UTF-8, plain text) with espeak-ng voice `voice` (e.g. `en`, `de`) at `rate_wpm`
/// words per minute (clamped to what espeak-ng accepts).
pub(crate) fn speak(text: &str, voice: &str, rate_wpm: u32) -> Result<Utterance, Unavailable> {
    let engine = engine()?;
    let engine = engine.lock().unwrap_or_else(|p| p.into_inner());
    let voice_c = CString::new(voice).map_err(|_| Unavailable("voice name has a NUL".into()))?;
    // espeak-ng reads the text up to a NUL; any inside would cut it short.
    let text_c = CString::new(text.replace('\0', " ")).expect("NULs replaced");
    let rate = rate_wpm.clamp(RATE_RANGE_WPM.0, RATE_RANGE_WPM.1) as c_int;
    COLLECTED.with(|c| *c.borrow_mut() = Collected::default());
    // SAFETY: the engine is initialised and locked; the strings outlive the synchronous call.
    let status = unsafe {
        if (engine.api.set_voice_by_name)(voice_c.as_ptr()) != 0 {
            return Err(Unavailable(format!(
                "espeak-ng has no voice `{voice}` (see `espeak-ng --voices`)"
            )));
        }
        (engine.api.set_parameter)(PARAM_RATE, rate, 0);
        let status = (engine.api.synth)(
            text_c.as_ptr().cast(),
            text_c.as_bytes_with_nul().len(),
            0,
            POS_CHARACTER,
            0,
            CHARS_UTF8,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        );
        (engine.api.synchronize)();
        status
    };
    let collected = COLLECTED.with(|c| std::mem::take(&mut *c.borrow_mut()));
    if status != 0 {
        return Err(Unavailable(format!(
            "espeak-ng failed to speak a turn (error {status})"
        )));
    }
    Ok(Utterance {
        samples: collected.samples,
        sample_rate: engine.sample_rate,
        words: collected
            .words
            .into_iter()
            .map(|(p, ms)| (p.saturating_sub(1), ms * engine.sample_rate as usize / 1000))
            .collect(),
    })
}

/// `phonememode` bit of `espeak_TextToPhonemes`: IPA in UTF-8 rather than espeak's mnemonics.
const PHONEMES_IPA: c_int = 0x02;

/// How espeak-ng voice `voice` pronounces `text`, in IPA (UTF-8), words separated by spaces
/// and clauses by newlines, with stress marks (`ˈ`, `ˌ`) and lengths (`ː`) as espeak-ng writes
/// them: `Aleppo` → `ɐlˈɛpoʊ` with `en-us`.
pub(crate) fn phonemes(text: &str, voice: &str) -> Result<String, Unavailable> {
    let engine = engine()?;
    let engine = engine.lock().unwrap_or_else(|p| p.into_inner());
    let voice_c = CString::new(voice).map_err(|_| Unavailable("voice name has a NUL".into()))?;
    let text_c = CString::new(text.replace('\0', " ")).expect("NULs replaced");
    let mut out = String::new();
    // SAFETY: the engine is initialised and locked; espeak-ng advances `cursor` through the
    // NUL-terminated text (setting it to null at the end) and returns a NUL-terminated string
    // valid until its next call, which we copy at once.
    unsafe {
        if (engine.api.set_voice_by_name)(voice_c.as_ptr()) != 0 {
            return Err(Unavailable(format!(
                "espeak-ng has no voice `{voice}` (see `espeak-ng --voices`)"
            )));
        }
        let mut cursor: *const c_void = text_c.as_ptr().cast();
        // Each call phonemises one clause; a bound keeps a misbehaving library from spinning.
        for _ in 0..=text_c.as_bytes().len() {
            if cursor.is_null() {
                break;
            }
            let clause =
                (engine.api.text_to_phonemes)(&mut cursor, CHARS_UTF8 as c_int, PHONEMES_IPA);
            if clause.is_null() {
                break;
            }
            let clause = std::ffi::CStr::from_ptr(clause).to_string_lossy();
            let clause = clause.trim();
            if !clause.is_empty() {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(clause);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CI machine installs espeak-ng (`.ci/run`); these tests need it.
    #[test]
    fn speaks_words_with_their_positions() {
        let text = "Yes. That is the only solution?";
        let u = speak(text, "en", 175).expect("espeak-ng installed");
        assert_eq!(u.sample_rate, 22050);
        let seconds = u.samples.len() as f64 / 22050.0;
        assert!((1.0..4.0).contains(&seconds), "{seconds} s");
        let starts: Vec<usize> = u.words.iter().map(|w| w.0).collect();
        let expected: Vec<usize> = [0, 5, 10, 13, 17, 22].into_iter().collect();
        assert_eq!(starts, expected, "word character positions");
        let samples: Vec<usize> = u.words.iter().map(|w| w.1).collect();
        assert!(samples.windows(2).all(|w| w[0] < w[1]), "{samples:?}");
    }

    #[test]
    fn faster_rate_is_shorter_and_unknown_voice_is_an_error() {
        let slow = speak("one two three four five six", "en", 120).unwrap();
        let fast = speak("one two three four five six", "en", 300).unwrap();
        assert!(fast.samples.len() * 3 < slow.samples.len() * 2);
        let err = speak("hello", "no-such-voice-xx", 175).unwrap_err();
        assert!(err.0.contains("no-such-voice-xx"), "{err}");
        assert_eq!(has_voice("no-such-voice-xx"), Ok(false));
        assert_eq!(has_voice("en"), Ok(true));
        assert_eq!(has_voice("de"), Ok(true));
    }

    #[test]
    fn phonemises_names_in_ipa() {
        assert_eq!(phonemes("Aleppo", "en-us").unwrap(), "ɐlˈɛpoʊ");
        assert_eq!(phonemes("Daesh", "en-us").unwrap(), "dˈiːʃ");
        let two = phonemes("Nusra front", "en-us").unwrap();
        assert_eq!(two.split_whitespace().count(), 2, "{two}");
        assert!(phonemes("hello", "no-such-voice-xx").is_err());
    }
}
