//! A reverberant room's late echo taken out of the energy the forced aligner hears.
//!
//! In a hall (RT60 about 0.9 s) every sound lingers for most of a second, and the model,
//! trained on close speech, hears a word's echo as the word held on: a long turn's words
//! slip later and later and its last ones land on the next turn (docs/accuracy.md, session
//! 38). The late echo of a frame is, to a first approximation, the sound of 50 ms earlier
//! decayed at the room's rate (Lebart, Boucher and Denbigh 2001). Each frame's energy is
//! lowered by that share, down to at most [`KEEP_FRACTION`] of itself, after the window's
//! mean is taken: the echo falls below the speech's level, which keeps its own.
//!
//! Only the energy is lowered, all filters alike (a shift of the cepstra along the DCT of a
//! flat spectrum, c0 for the model's DCT), not each filter on its own. Each keeping a tenth,
//! per filter the subtraction moved the cepstra of the Drascula scenes' hall copies further
//! from their dry takes' (spectral shape, c1–c12: 0.55 → 0.85 in a mean squared distance
//! scaled by the dry spread) while the energy alone came nearer (c0: 0.094 → 0.058), and
//! per filter the turns moved for the worse (docs/accuracy.md, session 38).
//!
//! The room's rate is measured on the recording itself ([`measure`]): the level after a
//! sound stops can fall no faster than the room lets it, so in a hall no stretch of the
//! recording falls faster than about 60 dB per RT60; dry speech falls 25–40 dB in 0.2 s.
//! A recording that falls that fast is left exactly as it is.
//!
//! Only the cepstra are kept (13 a frame), so a frame's energy is read from its cepstrally
//! smoothed filter energies: the inverse of the model's DCT and lifter.

use std::ops::Range;

use super::frontend::{self, NCEP};
use super::model::FeatParams;

/// Stretch over which a fall is measured (0.2 s).
const FALL_FRAMES: usize = 20;
/// A fall is measured only from a level this far above the recording's floor (its 10th
/// percentile)...
const FALL_FROM_DB: f32 = 30.0;
/// ...to a level still this far above it: a fall into the floor says nothing of the room.
const FALL_ABOVE_FLOOR_DB: f32 = 6.0;
/// Falls smaller than this are a sound held, not a decay.
const MIN_FALL_DB: f32 = 6.0;
/// A rise of more than this from one frame to the next is a new sound, not a decay.
const RISE_DB: f32 = 3.0;
/// Falls needed before the room is judged (1 s of frames).
const MIN_FALLS: usize = 100;
/// The recording echoes when even its fastest falls (the 99th percentile) are at most this
/// over [`FALL_FRAMES`]: dry speech and a meeting room (RT60 0.5 s) reach 24–39 dB, a hall
/// (0.9 s) 14–16 (docs/accuracy.md, session 38).
const ECHOES_BELOW_DB: f32 = 20.0;
/// Range of RT60 the measure gives, seconds.
const RT60_RANGE: (f32, f32) = (0.3, 2.0);

/// Histogram bins, dB, for levels and falls.
const BIN_DB: f32 = 0.25;
const LEVEL_FLOOR_DB: f32 = -60.0;
const LEVEL_BINS: usize = 1000;
const FALL_BINS: usize = 320;

/// Frames read at a time while measuring.
const CHUNK_FRAMES: usize = 6000;

/// The sound this long before a frame is what its late echo is made of (50 ms): earlier
/// reflections colour a sound but do not smear it.
const DELAY_FRAMES: usize = 5;
/// Over-subtraction of the estimated late echo: none. 0.7 and 1.5 placed fewer turn starts
/// and ends within 0.25 s and within 1 s (docs/accuracy.md, session 38).
const OVER_SUBTRACT: f64 = 1.0;
/// What a frame keeps of its own energy at least (-5.2 dB). Chosen on every recording the
/// measure calls reverberant (docs/accuracy.md, session 38): with 0.1 and 0.2, 242 and 243
/// of their 250 turn starts were within 1 s, against 246.
const KEEP_FRACTION: f64 = 0.3;

/// How a recording echoes, measured on it by `late_reverb::measure` (within the crate).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LateReverb {
    /// Reverberation time (a fall of 60 dB), seconds.
    pub rt60_s: f32,
}

/// The room's reverberation time from the recording's levels (dB a frame, `levels(range)`
/// gives those of `range`), or `None` when the recording falls faster than a reverberant
/// room lets it, or falls too seldom to tell.
///
/// The measure is the 90th percentile of the falls over [`FALL_FRAMES`] that rise nowhere:
/// free decays, the steepest of which are the room's own. It reads the levels twice, a
/// chunk at a time, and keeps two histograms.
pub fn measure(levels: impl Fn(Range<usize>) -> Vec<f32>, frames: usize) -> Option<LateReverb> {
    let bin =
        |db: f32, from: f32, bins: usize| (((db - from) / BIN_DB).max(0.0) as usize).min(bins - 1);
    let mut level_hist = vec![0usize; LEVEL_BINS];
    for start in (0..frames).step_by(CHUNK_FRAMES) {
        for db in levels(start..(start + CHUNK_FRAMES).min(frames)) {
            level_hist[bin(db, LEVEL_FLOOR_DB, LEVEL_BINS)] += 1;
        }
    }
    let floor = LEVEL_FLOOR_DB + BIN_DB * percentile_bin(&level_hist, 0.10)? as f32;
    let mut fall_hist = vec![0usize; FALL_BINS];
    for start in (0..frames).step_by(CHUNK_FRAMES) {
        let end = (start + CHUNK_FRAMES + FALL_FRAMES).min(frames);
        let chunk = levels(start..end);
        for t in 0..CHUNK_FRAMES.min(chunk.len().saturating_sub(FALL_FRAMES)) {
            let stretch = &chunk[t..=t + FALL_FRAMES];
            if stretch[0] < floor + FALL_FROM_DB
                || stretch[FALL_FRAMES] < floor + FALL_ABOVE_FLOOR_DB
                || stretch[0] - stretch[FALL_FRAMES] < MIN_FALL_DB
                || stretch.windows(2).any(|w| w[1] - w[0] > RISE_DB)
            {
                continue;
            }
            fall_hist[bin(stretch[0] - stretch[FALL_FRAMES], 0.0, FALL_BINS)] += 1;
        }
    }
    if fall_hist.iter().sum::<usize>() < MIN_FALLS {
        return None;
    }
    let fastest = BIN_DB * (percentile_bin(&fall_hist, 0.99)? as f32 + 0.5);
    if fastest > ECHOES_BELOW_DB {
        return None;
    }
    let typical = BIN_DB * (percentile_bin(&fall_hist, 0.90)? as f32 + 0.5);
    let seconds = FALL_FRAMES as f32 / 100.0;
    let rt60_s = (60.0 * seconds / typical).clamp(RT60_RANGE.0, RT60_RANGE.1);
    Some(LateReverb { rt60_s })
}

/// The bin below which a share `q` of the histogram's counts lies.
fn percentile_bin(hist: &[usize], q: f64) -> Option<usize> {
    let total: usize = hist.iter().sum();
    if total == 0 {
        return None;
    }
    let target = (q * total as f64).ceil().max(1.0) as usize;
    let mut seen = 0;
    hist.iter().position(|&n| {
        seen += n;
        seen >= target
    })
}

/// Lowers each frame of a reverberant recording by its share of the room's late echo.
#[derive(Debug, Clone)]
pub(crate) struct Dereverb {
    /// Cepstra (lifter removed) to log filter energies: the DCT's pseudo-inverse,
    /// `[nfilt][NCEP]`.
    to_log: Vec<[f64; NCEP]>,
    lifter: [f64; NCEP],
    /// What each cepstrum gains when every filter energy is scaled by e: the DCT rows'
    /// sums with the lifter (c0 alone for the model's orthonormal DCT).
    flat: [f64; NCEP],
    /// Share of a frame's energy [`DELAY_FRAMES`] earlier that is its late echo now.
    gain: f64,
}

impl Dereverb {
    /// For the model's front end (`params`) and a room that falls 60 dB in `reverb.rt60_s`.
    pub(crate) fn new(params: &FeatParams, reverb: LateReverb) -> Dereverb {
        let dct = frontend::dct_rows(params);
        let lifter = frontend::lifter_weights(params);
        let flat = std::array::from_fn(|i| {
            dct.get(i)
                .map_or(0.0, |row| row.iter().sum::<f64>() * lifter[i])
        });
        let delay_s = DELAY_FRAMES as f64 / 100.0;
        let gain = OVER_SUBTRACT * 10f64.powf(-6.0 * delay_s / f64::from(reverb.rt60_s));
        Dereverb {
            to_log: pseudo_inverse(&dct),
            lifter,
            flat,
            gain,
        }
    }

    /// Frames before a window that its first frames' echoes come from.
    pub(crate) const LEAD_IN_FRAMES: usize = DELAY_FRAMES;

    /// The share of each frame of `window` (cepstra as the front end gave them) that is
    /// not the late echo: `1 - gain * energy[t - DELAY] / energy[t]`, at least
    /// [`KEEP_FRACTION`]. `lead_in` are the frames just before the window (up to
    /// [`Self::LEAD_IN_FRAMES`]; fewer at the recording's start, whose first frames keep all).
    /// A frame gets the same share in every window that holds it.
    pub(crate) fn echo_gains(&self, lead_in: &[[f32; NCEP]], window: &[[f32; NCEP]]) -> Vec<f64> {
        let lead_in = &lead_in[lead_in.len().saturating_sub(DELAY_FRAMES)..];
        let energies: Vec<f64> = lead_in
            .iter()
            .chain(window)
            .map(|c| self.energy(c))
            .collect();
        (lead_in.len()..energies.len())
            .map(|t| match t.checked_sub(DELAY_FRAMES) {
                Some(before) => {
                    (1.0 - self.gain * energies[before] / energies[t]).max(KEEP_FRACTION)
                }
                None => 1.0,
            })
            .collect()
    }

    /// Scales every filter energy of each frame of `cep` by its gain: a shift of the
    /// cepstra along [`Self::flat`] (whatever mean was taken from them before).
    pub(crate) fn lower(&self, cep: &mut [[f32; NCEP]], gains: &[f64]) {
        for (c, g) in cep.iter_mut().zip(gains) {
            let ln_gain = g.ln();
            for (v, shift) in c.iter_mut().zip(&self.flat) {
                *v = (f64::from(*v) + ln_gain * shift) as f32;
            }
        }
    }

    /// A frame's energy: the sum of its (cepstrally smoothed) linear filter energies.
    fn energy(&self, c: &[f32; NCEP]) -> f64 {
        let unliftered: [f64; NCEP] = std::array::from_fn(|i| f64::from(c[i]) / self.lifter[i]);
        self.to_log
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&unliftered)
                    .map(|(a, b)| a * b)
                    .sum::<f64>()
                    .exp()
            })
            .sum()
    }
}

/// `rows`' pseudo-inverse, `rowsᵀ (rows rowsᵀ)⁻¹`, one row per filter: the log filter
/// energies nearest to given (unliftered) cepstra.
fn pseudo_inverse(rows: &[Vec<f64>]) -> Vec<[f64; NCEP]> {
    let n = rows.len().min(NCEP);
    let cols = rows.first().map_or(0, Vec::len);
    // The Gram matrix with the identity beside it, reduced by Gauss-Jordan.
    let mut m: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            let mut row: Vec<f64> = (0..n)
                .map(|k| rows[i].iter().zip(&rows[k]).map(|(a, b)| a * b).sum())
                .collect();
            row.extend((0..n).map(|k| if i == k { 1.0 } else { 0.0 }));
            row
        })
        .collect();
    for p in 0..n {
        let pivot = (p..n)
            .max_by(|&a, &b| m[a][p].abs().total_cmp(&m[b][p].abs()))
            .unwrap_or(p);
        m.swap(p, pivot);
        let d = m[p][p];
        if d.abs() < 1e-12 {
            continue;
        }
        for v in m[p].iter_mut() {
            *v /= d;
        }
        let pivot_row = m[p].clone();
        for (r, row) in m.iter_mut().enumerate() {
            let f = row[p];
            if r != p && f != 0.0 {
                for (v, q) in row.iter_mut().zip(&pivot_row) {
                    *v -= f * q;
                }
            }
        }
    }
    (0..cols)
        .map(|j| {
            std::array::from_fn(|i| {
                if i < n {
                    (0..n).map(|k| rows[k][j] * m[k][n + i]).sum()
                } else {
                    0.0
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_params() -> FeatParams {
        crate::acoustic::AcousticModel::embedded()
            .expect("the vendored model loads")
            .feat_params()
            .clone()
    }

    /// Cepstra of a flat spectrum: every filter at natural-log energy `ln`.
    fn flat(params: &FeatParams, ln: f64) -> [f32; NCEP] {
        let dct = frontend::dct_rows(params);
        let lifter = frontend::lifter_weights(params);
        std::array::from_fn(|i| (dct[i].iter().sum::<f64>() * ln * lifter[i]) as f32)
    }

    #[test]
    fn the_pseudo_inverse_gives_back_the_filter_energies_of_smooth_spectra() {
        let params = model_params();
        let d = Dereverb::new(&params, LateReverb { rt60_s: 0.9 });
        let nfilt = params.nfilt as f64;
        // A flat spectrum at ln 7 in every filter: the energy is nfilt * e^7.
        let energy = d.energy(&flat(&params, 7.0));
        assert!(
            (energy / (nfilt * 7f64.exp()) - 1.0).abs() < 1e-5,
            "{energy}"
        );
        // Lowering by a gain scales every filter's energy by it.
        let mut c = [flat(&params, 7.0)];
        d.lower(&mut c, &[0.25]);
        let lowered = d.energy(&c[0]);
        assert!((lowered / energy - 0.25).abs() < 1e-5, "{lowered}");
    }

    #[test]
    fn an_echo_is_lowered_and_a_new_sound_keeps_its_level() {
        let params = model_params();
        let d = Dereverb::new(&params, LateReverb { rt60_s: 0.9 });
        // A sound for 0.2 s, its echo falling 60 dB over 0.9 s for 0.4 s, a new sound.
        let per_frame = 6.0 * std::f64::consts::LN_10 / 90.0; // ln energy per frame
        let mut frames: Vec<[f32; NCEP]> = (0..20).map(|_| flat(&params, 20.0)).collect();
        frames.extend((1..=40).map(|k| flat(&params, 19.5 - per_frame * k as f64)));
        frames.extend((0..10).map(|_| flat(&params, 20.0)));
        let gains = d.echo_gains(&[], &frames);
        // The echo (past its first frames) is what the room made of the sound before it:
        // taken down as far as a frame may be.
        for (t, g) in gains.iter().enumerate().take(60).skip(20 + DELAY_FRAMES) {
            assert_eq!(*g, KEEP_FRACTION, "frame {t}");
        }
        // A new sound far above its echo keeps nearly all of itself...
        for (t, g) in gains.iter().enumerate().take(65).skip(60) {
            assert!(*g > 0.99, "frame {t}: {g}");
        }
        // ...a held one loses the share its own echo would be (3 dB at most here).
        for (t, g) in gains.iter().enumerate().skip(65) {
            assert!(*g > 0.45 && *g < 0.55, "frame {t}: {g}");
        }
        // The first frames have nothing before them to echo.
        assert!(gains[..DELAY_FRAMES].iter().all(|&g| g == 1.0));
    }

    #[test]
    fn a_frame_gets_the_same_gain_in_every_window_that_holds_it() {
        let params = model_params();
        let d = Dereverb::new(&params, LateReverb { rt60_s: 0.6 });
        let all: Vec<[f32; NCEP]> = (0..60)
            .map(|t| flat(&params, 10.0 + 5.0 * ((t % 13) as f64 / 13.0)))
            .collect();
        let whole = d.echo_gains(&[], &all);
        assert_eq!(d.echo_gains(&all[..30], &all[30..]), whole[30..]);
        assert_eq!(d.echo_gains(&all[28..30], &all[30..])[3..], whole[33..]);
    }

    /// Levels (dB a frame) of bursts of sound, each falling at `db_per_frame` into a floor.
    fn bursts(db_per_frame: f32, bursts: usize) -> Vec<f32> {
        let mut levels = Vec::new();
        for _ in 0..bursts {
            levels.extend(std::iter::repeat_n(0.0, 50));
            levels.extend(std::iter::repeat_n(70.0, 30));
            let mut l = 70.0;
            while l > 0.0 {
                l = (l - db_per_frame).max(0.0);
                levels.push(l);
            }
        }
        levels
    }

    #[test]
    fn a_hall_is_measured_and_dry_speech_is_not_called_reverberant() {
        let hall = bursts(60.0 / 90.0, 40);
        let measured = measure(|r| hall[r].to_vec(), hall.len()).expect("a hall echoes");
        assert!((measured.rt60_s - 0.9).abs() < 0.1, "{measured:?}");
        // Falls of 1.2 dB a frame (RT60 0.5 s) or faster are not a hall's.
        for db_per_frame in [1.2, 10.0, 70.0] {
            let dry = bursts(db_per_frame, 40);
            assert_eq!(
                measure(|r| dry[r].to_vec(), dry.len()),
                None,
                "{db_per_frame}"
            );
        }
        // Too few falls to tell.
        let short = bursts(60.0 / 90.0, 1);
        assert_eq!(measure(|r| short[r].to_vec(), short.len()), None);
    }

    /// c0 of each frame, in dB (the mean of the filters' levels).
    fn levels_db(cep: &[[f32; NCEP]], params: &FeatParams) -> Vec<f32> {
        let db_per_c0 = frontend::db_per_c0(params.nfilt);
        cep.iter().map(|c| c[0] * db_per_c0).collect()
    }

    /// Mean squared difference of the mean-normalised c0 of two takes of the same speech,
    /// over the frames where `b` (the dry take) is speech: above its median.
    fn c0_distance(a: &[[f32; NCEP]], b: &[[f32; NCEP]]) -> f64 {
        let n = a.len().min(b.len());
        let mean =
            |c: &[[f32; NCEP]]| c[..n].iter().map(|f| f64::from(f[0])).sum::<f64>() / n as f64;
        let (ma, mb) = (mean(a), mean(b));
        let mut sorted: Vec<f32> = b[..n].iter().map(|f| f[0]).collect();
        sorted.sort_by(f32::total_cmp);
        let median = sorted[n / 2];
        let speech: Vec<usize> = (0..n).filter(|&t| b[t][0] > median).collect();
        speech
            .iter()
            .map(|&t| (f64::from(a[t][0]) - ma - (f64::from(b[t][0]) - mb)).powi(2))
            .sum::<f64>()
            / speech.len() as f64
    }

    /// Four turns of a real scene (`tests/fixtures/real/drascula-en-ch1-bar`), dry and in a
    /// synthetic hall of RT60 0.9 s: the hall is measured as one, the dry take is not, and
    /// with the late echo taken out the hall's energy contour lies nearer the dry one's.
    #[test]
    fn a_real_scene_in_a_hall_is_measured_and_heard_nearer_its_dry_take() {
        let model = crate::acoustic::AcousticModel::embedded().expect("the vendored model loads");
        let params = model.feat_params();
        let dir = crate::test_signals::repo_path("tests/fixtures/real/drascula-en-ch1-bar");
        let cepstra = |name: &str| {
            let samples = crate::analysis::samples_16k(&dir.join(name)).expect("fixture decodes");
            frontend::cepstra(&samples, params)
        };
        let (dry, hall) = (cepstra("audio.flac"), cepstra("hall.flac"));
        let levels = |cep: &[[f32; NCEP]]| levels_db(cep, params);
        let (dry_db, hall_db) = (levels(&dry), levels(&hall));
        assert_eq!(measure(|r| dry_db[r].to_vec(), dry_db.len()), None);
        let reverb = measure(|r| hall_db[r].to_vec(), hall_db.len()).expect("the hall echoes");
        assert!((0.7..=1.1).contains(&reverb.rt60_s), "{reverb:?}");

        let d = Dereverb::new(params, reverb);
        let mut heard = hall.clone();
        let gains = d.echo_gains(&[], &heard);
        d.lower(&mut heard, &gains);
        let (before, after) = (c0_distance(&hall, &dry), c0_distance(&heard, &dry));
        assert!(
            after < 0.8 * before,
            "c0 distance to the dry take {before:.1} -> {after:.1}"
        );
    }
}
