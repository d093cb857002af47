//! Tests of the model loader, front end and scorer, against pocketsphinx's own numbers
//! where it logged them (tests/fixtures/acoustic/).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::denoise::{DENOISE_ABOVE_LN, TwinCepstra};
use super::frontend::{self, FrontEnd, NCEP};
use super::model::{AcousticModel, HmmId, SenoneId, WordPosition};
use super::scorer::{
    COARSE_LOOP_REFRESH, LOOP_CARRY, LOOP_REFRESH, LazyTops, Mixer, Scoring, SenoneScores,
    SenoneSet, score_naive,
};
use super::sendump::SENDUMP_UNIT;

fn model() -> &'static AcousticModel {
    static M: OnceLock<AcousticModel> = OnceLock::new();
    M.get_or_init(|| AcousticModel::embedded().expect("the vendored model loads"))
}

fn repo(path: &str) -> PathBuf {
    crate::test_signals::repo_path(path)
}

/// The praatio "mary rolled the barrel" clip as f32 samples.
fn mary() -> Vec<f32> {
    let mut r = hound::WavReader::open(repo("tests/fixtures/real/praatio-mary/audio.wav")).unwrap();
    assert_eq!(r.spec().sample_rate, 16000);
    r.samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect()
}

/// Non-comment lines of a fixture file, as numbers.
fn fixture_rows(name: &str) -> Vec<Vec<f64>> {
    std::fs::read_to_string(repo(&format!("tests/fixtures/acoustic/{name}")))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split_whitespace().map(|v| v.parse().unwrap()).collect())
        .collect()
}

fn mary_features() -> Vec<[f32; 39]> {
    let m = model();
    let mut cep = frontend::cepstra(&mary(), m.feat_params());
    normalise_and_delta(&mut cep)
}

fn normalise_and_delta(cep: &mut [[f32; NCEP]]) -> Vec<[f32; 39]> {
    frontend::normalise_mean(cep);
    frontend::dynamic_features(cep)
}

#[test]
fn vendored_model_counts_match_the_mdef_header() {
    let m = model();
    // The mdef header (pocketsphinx_mdef_convert -text): 42 n_base, 137053 n_tri,
    // 5126 n_tied_state, 126 n_tied_ci_state, 42 n_tied_tmat.
    assert_eq!(m.ci_phones(), 42);
    assert_eq!(m.n_hmms(), 42 + 137_053);
    assert_eq!(m.n_senones(), 5126);
    assert_eq!(m.ci_senones(), 126);
    assert_eq!(m.n_codebooks(), 42, "PTM: one codebook per CI phone");
    let fp = m.feat_params();
    assert_eq!(
        (fp.lowerf, fp.upperf, fp.nfilt, fp.lifter),
        (130.0, 6800.0, 25, 22)
    );
    assert_eq!(fp.cmninit.len(), 13);
    let sil = m.silence();
    assert_eq!(m.ci_phone_name(sil), "SIL");
    assert!(m.is_filler(sil) && m.is_filler(m.ci_phone("+NSN+").unwrap()));
    assert!(!m.is_filler(m.ci_phone("AA").unwrap()));
    assert_eq!(m.ci_phone("XX"), None);
    // SIL is CI phone 32 with senones 96, 97, 98.
    assert_eq!(m.senones(m.ci_hmm(sil)).map(|s| s.0), [96, 97, 98]);
    let words: Vec<&str> = m.noise_words().iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(words, ["<s>", "</s>", "<sil>", "[NOISE]", "[SPEECH]"]);
}

#[test]
fn triphones_are_found_and_back_off_as_pocketsphinx_does() {
    let m = model();
    let p = |n: &str| m.ci_phone(n).unwrap();
    // mdef text: "AA B D b n/a 2 156 174 208" (phone 495).
    let h = m.hmm(p("AA"), p("B"), p("D"), WordPosition::Begin);
    assert_eq!(h, HmmId(495));
    assert_eq!(m.senones(h).map(|s| s.0), [156, 174, 208]);
    assert_eq!(m.hmm_base(h), p("AA"));
    // "T AA SIL e" is phone 113079; a noise phone in context counts as silence.
    let t_end = m.hmm(p("T"), p("AA"), p("SIL"), WordPosition::End);
    assert_eq!(t_end, HmmId(113_079));
    assert_eq!(m.hmm(p("T"), p("AA"), p("+NSN+"), WordPosition::End), t_end);
    // Fillers have no triphones: the CI HMM.
    let nsn = p("+NSN+");
    assert_eq!(
        m.hmm(nsn, p("AA"), p("T"), WordPosition::Single),
        m.ci_hmm(nsn)
    );
    // CI senones come first.
    assert!(
        m.senones(m.ci_hmm(p("AA")))
            .iter()
            .all(|s| (s.0 as usize) < m.ci_senones())
    );
    assert!(m.senones(h).iter().any(|s| s.0 as usize >= m.ci_senones()));
    for hmm in [h, t_end, m.ci_hmm(p("SIL"))] {
        let t = m.transitions(hmm);
        for i in 0..3 {
            let total = t.stay[i].exp() + t.next[i].exp() + t.skip[i].exp();
            assert!((total - 1.0).abs() < 1e-4, "row {i} sums to {total}");
            assert!(t.next[i].is_finite());
        }
        assert_eq!(t.skip[2], f32::NEG_INFINITY);
    }
}

#[test]
fn loading_the_vendored_directory_matches_the_embedded_model() {
    let m = AcousticModel::load(&repo("models/en-us")).unwrap();
    let e = model();
    assert_eq!(m.n_senones(), e.n_senones());
    let feats = &mary_features()[40..43];
    assert_eq!(m.score(feats).frame(1), e.score(feats).frame(1));
}

/// A copy of the vendored model in a temporary directory, for damaging.
fn model_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "mdef",
        "means",
        "variances",
        "sendump",
        "transition_matrices",
        "feat.params",
        "noisedict",
    ] {
        std::fs::copy(repo("models/en-us").join(f), dir.path().join(f)).unwrap();
    }
    dir
}

fn load_error(dir: &Path) -> String {
    match AcousticModel::load(dir) {
        Ok(_) => panic!("a damaged model loaded"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_missing_model_file_is_named() {
    let dir = model_copy();
    std::fs::remove_file(dir.path().join("means")).unwrap();
    let msg = load_error(dir.path());
    assert!(msg.contains("means: missing"), "{msg}");
    assert!(msg.contains("TALIGN_MODEL_DIR"), "{msg}");
    let msg = load_error(&dir.path().join("nowhere"));
    assert!(msg.contains("not a directory"), "{msg}");
}

#[test]
fn truncated_means_are_refused() {
    let dir = model_copy();
    let path = dir.path().join("means");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let msg = load_error(dir.path());
    assert!(msg.contains("means") && msg.contains("truncated"), "{msg}");
    // Cut inside the header too.
    std::fs::write(&path, &bytes[..20]).unwrap();
    let msg = load_error(dir.path());
    assert!(msg.contains("means"), "{msg}");
}

#[test]
fn a_garbage_mdef_is_refused() {
    let dir = model_copy();
    let path = dir.path().join("mdef");
    std::fs::write(&path, b"this is not a model definition at all").unwrap();
    let msg = load_error(dir.path());
    assert!(msg.contains("mdef") && msg.contains("BMDF"), "{msg}");
    // Right magic, nonsense after it: every length is checked, nothing panics.
    let mut bytes = std::fs::read(repo("models/en-us/mdef")).unwrap();
    let mut x = 12345u32;
    for b in bytes.iter_mut().skip(12).step_by(7) {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        *b = (x >> 16) as u8;
    }
    std::fs::write(&path, &bytes).unwrap();
    let msg = load_error(dir.path());
    assert!(msg.contains("mdef"), "{msg}");
    // A truncated mdef.
    let good = std::fs::read(repo("models/en-us/mdef")).unwrap();
    std::fs::write(&path, &good[..good.len() - 100]).unwrap();
    assert!(load_error(dir.path()).contains("truncated"));
}

#[test]
fn sizes_that_disagree_with_the_mdef_are_refused() {
    let dir = model_copy();
    // A sendump cut short, and a transition matrix file from another model's size.
    let path = dir.path().join("sendump");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() - 5126]).unwrap();
    let msg = load_error(dir.path());
    assert!(
        msg.contains("sendump") && msg.contains("truncated"),
        "{msg}"
    );
    let dir = model_copy();
    let testdata = Path::new("/usr/share/pocketsphinx/test/data/an4_ci_cont/transition_matrices");
    if testdata.exists() {
        std::fs::copy(testdata, dir.path().join("transition_matrices")).unwrap();
        let msg = load_error(dir.path());
        assert!(msg.contains("transition_matrices"), "{msg}");
    }
    // A feat.params that asks for something else.
    std::fs::write(dir.path().join("feat.params"), "-feat s2_4x\n").unwrap();
    let msg = load_error(dir.path());
    assert!(
        msg.contains("feat.params") && msg.contains("s2_4x"),
        "{msg}"
    );
}

#[test]
fn front_end_matches_pocketsphinx_cepstra() {
    let reference = fixture_rows("mary-cepstra.txt");
    let samples = mary();
    let ours = frontend::cepstra(&samples, model().feat_params());
    // pocketsphinx: floor((n - 410) / 160) + 2 frames; ours: ceil(n / 160).
    assert_eq!(reference.len(), (samples.len() - 410) / 160 + 2);
    assert_eq!(ours.len(), samples.len().div_ceil(160));
    let mut worst = 0f64;
    for (t, (r, o)) in reference.iter().zip(&ours).enumerate() {
        for i in 0..NCEP {
            let d = (r[i] - f64::from(o[i])).abs();
            worst = worst.max(d);
            // The fixture has 5 decimals; pocketsphinx sums in f32.
            assert!(
                d < 2e-3,
                "frame {t} c{i}: pocketsphinx {} talign {}",
                r[i],
                o[i]
            );
        }
    }
    eprintln!("front end: largest difference from pocketsphinx {worst:.2e}");
}

/// `samples` through the denoising front end: the recording's noise level and the cepstra
/// `align` would hear.
fn heard_through_twin_front_end(samples: &[f32]) -> (f64, Vec<[f32; NCEP]>) {
    let mut fe = FrontEnd::denoising(model().feat_params());
    let mut twin = TwinCepstra::default();
    fe.push(samples, &mut twin);
    fe.finish(&mut twin);
    let level = twin.noise_level_ln().unwrap();
    let heard = twin.choose();
    (level, heard.window(0..heard.len()).unwrap())
}

#[test]
fn a_quiet_recording_is_heard_with_pocketsphinx_own_cepstra() {
    let samples = mary();
    let (level, heard) = heard_through_twin_front_end(&samples);
    assert!(level < DENOISE_ABOVE_LN, "noise level {level}");
    assert_eq!(heard, frontend::cepstra(&samples, model().feat_params()));
}

#[test]
fn a_noisy_recording_is_heard_denoised() {
    // The same speech under steady noise far above the quiet floor: the denoised cepstra
    // are chosen, and they differ from the plain ones.
    let mut state = 1u32;
    let noisy: Vec<f32> = mary()
        .iter()
        .map(|s| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            s + 0.05 * ((state >> 8) as f32 / (1u32 << 24) as f32 - 0.5)
        })
        .collect();
    let (level, heard) = heard_through_twin_front_end(&noisy);
    assert!(level > DENOISE_ABOVE_LN, "noise level {level}");
    assert_ne!(heard, frontend::cepstra(&noisy, model().feat_params()));
}

#[test]
fn streaming_front_end_equals_one_shot() {
    let samples = mary();
    let params = model().feat_params();
    let whole = frontend::cepstra(&samples, params);
    let mut fe = FrontEnd::new(params);
    let mut out = Vec::new();
    let mut rest = &samples[..];
    for size in [1usize, 7, 159, 160, 161, 409, 410, 411, 3000]
        .iter()
        .cycle()
    {
        if rest.is_empty() {
            break;
        }
        let n = (*size).min(rest.len());
        fe.push(&rest[..n], &mut out);
        rest = &rest[n..];
    }
    fe.finish(&mut out);
    assert_eq!(out, whole);
    // Reusable after finish; short inputs give ceil(n / 160) frames.
    fe.push(&samples[..100], &mut out);
    out.clear();
    fe.finish(&mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(frontend::cepstra(&[], params).len(), 0);
}

/// Mary's clip inside a noise gate: 0.5 s of exact zeros before and after, and 30 ms of
/// zeros inside it.
fn gated_mary() -> Vec<f32> {
    let mut samples = vec![0f32; 8000];
    let mut speech = mary();
    speech[8000..8480].fill(0.0);
    samples.extend(speech);
    samples.extend([0f32; 8000]);
    samples
}

#[test]
fn digital_silence_is_heard_as_a_quiet_room() {
    // The log energy (c0) of a second of zeros is that of 1-LSB noise, not ln(1e-4).
    let params = model().feat_params();
    let c0 =
        |cep: &[[f32; NCEP]]| cep.iter().map(|c| f64::from(c[0])).sum::<f64>() / cep.len() as f64;
    let silence = frontend::cepstra(&[0f32; 16000], params);
    let mut state = 7u32;
    let noise: Vec<f32> = (0..16000)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            // Uniform in [-sqrt 3, sqrt 3) LSB: 1 LSB RMS.
            (((state >> 8) as f32 / (1u32 << 24) as f32) * 2.0 - 1.0) * 3f32.sqrt() / 32768.0
        })
        .collect();
    let noisy = frontend::cepstra(&noise, params);
    // Away from the edges (the first 31 zeros of a run are left alone).
    let (silence, noisy) = (c0(&silence[5..95]), c0(&noisy[5..95]));
    assert!(
        (silence - noisy).abs() < 0.5,
        "zeros c0 {silence}, 1-LSB noise c0 {noisy}"
    );
}

#[test]
fn only_digital_silence_is_dithered() {
    let params = model().feat_params();
    // Mary has no run of 32 zeros: her cepstra are pocketsphinx's (checked above).
    let plain = mary();
    let longest = plain
        .split(|&s| s != 0.0)
        .map(<[f32]>::len)
        .max()
        .unwrap_or(0) as u64;
    assert!(longest < frontend::DIGITAL_SILENCE_RUN, "{longest}");
    // Gated, her speech frames away from the gate keep their cepstra exactly.
    let gated = frontend::cepstra(&gated_mary(), params);
    let alone = frontend::cepstra(&plain, params);
    // Frame 50 + t of the gated stream is frame t of the clip (0.5 s = 50 frames). Frames
    // 1..48 of the clip see neither the zeros before it (frame 0 does, through
    // pre-emphasis) nor those put in at 0.5 s.
    assert_eq!(gated[51..98], alone[1..48]);
    // Streamed in odd pieces, the dither is the same (it depends on the sample's index).
    let samples = gated_mary();
    let mut fe = FrontEnd::new(params);
    let mut out = Vec::new();
    for piece in samples.chunks(997) {
        fe.push(piece, &mut out);
    }
    fe.finish(&mut out);
    assert_eq!(out, gated);
}

/// Spread (root mean square) of dimension `i` over `cep`.
fn spread(cep: &[[f32; NCEP]], i: usize) -> f64 {
    (cep.iter().map(|c| f64::from(c[i]).powi(2)).sum::<f64>() / cep.len() as f64).sqrt()
}

/// A mean-free window whose dimension `i` alternates between `±amplitude[i]`.
fn alternating(amplitude: [f32; NCEP], frames: usize) -> Vec<[f32; NCEP]> {
    (0..frames)
        .map(|t| amplitude.map(|a| if t % 2 == 0 { a } else { -a }))
        .collect()
}

/// `spread` scaled by `c0` for c0 and by `rest` for the other cepstra.
fn shares_of(spread: &[f32; NCEP], c0: f32, rest: f32) -> [f32; NCEP] {
    std::array::from_fn(|i| spread[i] * if i == 0 { c0 } else { rest })
}

#[test]
fn a_window_flattened_by_noise_gets_the_models_spread_back() {
    let target = model().cepstral_spread;
    // c0 at a third of the model's spread (Festival at 10 dB: 0.27-0.60), the rest at half.
    let mut cep = alternating(shares_of(&target, 0.33, 0.5), 200);
    let before = cep.clone();
    frontend::restore_spread(&mut cep, &target);
    for (i, &want) in target.iter().enumerate().take(4) {
        let (got, want) = (spread(&cep, i), f64::from(want));
        assert!(
            (got - want).abs() < 1e-4 * want,
            "c{i}: {got} against {want}"
        );
    }
    // The higher cepstra carry the noise's own detail: left as they were.
    for (after, was) in cep.iter().zip(&before) {
        assert_eq!(after[4..], was[4..]);
        // Scaled, not shifted: the window stays mean-free and keeps its shape.
        assert!(
            (0..4).all(|i| after[i].signum() == was[i].signum() && after[i].abs() > was[i].abs())
        );
    }
}

#[test]
fn a_window_with_the_models_spread_is_left_exactly_as_it_is() {
    let target = model().cepstral_spread;
    // c0 at 0.8 of the model's spread (Festival's quiet rendition: median 0.96); the rest far
    // below: only c0 decides.
    let amplitude = shares_of(&target, 0.8, 0.1);
    for mut cep in [alternating(amplitude, 200), vec![[3.0; NCEP]], Vec::new()] {
        let before = cep.clone();
        frontend::restore_spread(&mut cep, &target);
        assert_eq!(cep, before);
    }
    // A flattened window with a silent dimension: that one stays 0, nothing turns NaN.
    let mut amplitude = amplitude.map(|a| a * 0.5);
    amplitude[2] = 0.0;
    let mut cep = alternating(amplitude, 50);
    frontend::restore_spread(&mut cep, &target);
    assert!(
        cep.iter()
            .all(|c| c[2] == 0.0 && c.iter().all(|v| v.is_finite()))
    );
    assert!((spread(&cep, 0) - f64::from(target[0])).abs() < 1e-4 * f64::from(target[0]));
}

#[test]
fn the_models_cepstral_spread_is_that_of_its_static_densities() {
    let m = model();
    // The naive twin: every density of every codebook's first (static) stream, alike.
    let lens = &m.stream_lens;
    let block: usize = lens.iter().sum::<usize>() * m.n_density;
    let mut want = [0f64; NCEP];
    for (i, w) in want.iter_mut().enumerate() {
        let values: Vec<(f64, f64)> = (0..m.n_codebooks)
            .flat_map(|cb| (0..m.n_density).map(move |d| cb * block + d * lens[0] + i))
            .map(|k| (f64::from(m.means[k]), f64::from(m.vars[k])))
            .collect();
        let n = values.len() as f64;
        let mean = values.iter().map(|(mu, _)| mu).sum::<f64>() / n;
        *w = (values
            .iter()
            .map(|(mu, var)| var + (mu - mean).powi(2))
            .sum::<f64>()
            / n)
            .sqrt();
    }
    for (i, (&got, &want)) in m.cepstral_spread.iter().zip(&want).enumerate() {
        assert!(got > 0.0 && got.is_finite(), "c{i}: {got}");
        assert!(
            (f64::from(got) - want).abs() < 1e-3 * want,
            "c{i}: {got} against {want}"
        );
    }
}

#[test]
fn dynamic_features_replicate_the_edges() {
    let cep: Vec<[f32; NCEP]> = (0..6).map(|t| [(t * t) as f32; NCEP]).collect();
    let f = frontend::dynamic_features(&cep);
    assert_eq!(f.len(), 6);
    let c = |t: isize| (t.clamp(0, 5) * t.clamp(0, 5)) as f32;
    for t in 0..6isize {
        let v = f[t as usize];
        assert_eq!(v[0], c(t));
        assert_eq!(v[NCEP], c(t + 2) - c(t - 2));
        assert_eq!(v[2 * NCEP], (c(t + 3) - c(t - 1)) - (c(t + 1) - c(t - 3)));
    }
    let mut one = vec![[1f32; NCEP]];
    frontend::normalise_mean(&mut one);
    assert_eq!(one[0], [0f32; NCEP]);
    assert!(frontend::dynamic_features(&[]).is_empty());
}

/// Seeded features: real frames of the clip, and the same frames perturbed.
fn seeded_features() -> Vec<[f32; 39]> {
    let real = mary_features();
    let mut x = 0x2545_f491u32;
    let mut out: Vec<[f32; 39]> = real.iter().step_by(9).copied().collect();
    for f in real.iter().skip(3).step_by(11) {
        let mut g = *f;
        for v in &mut g {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            *v += (x as f32 / u32::MAX as f32 - 0.5) * 4.0;
        }
        out.push(g);
    }
    out
}

#[test]
fn scorer_matches_its_naive_twin() {
    let m = model();
    let feats = seeded_features();
    let fast = m.score(&feats);
    let naive = score_naive(m, &feats);
    assert_eq!(fast.frames(), feats.len());
    let mut worst = 0f32;
    for t in 0..feats.len() {
        for s in 0..m.n_senones() {
            let (a, b) = (fast.frame(t)[s], naive.frame(t)[s]);
            let tol = 1e-3 * b.abs().max(1.0);
            worst = worst.max((a - b).abs() / b.abs().max(1.0));
            assert!(
                (a - b).abs() <= tol,
                "frame {t} senone {s}: {a} vs naive {b}"
            );
        }
    }
    eprintln!("scorer: largest relative difference from the naive twin {worst:.2e}");
}

#[test]
fn the_avx2_scorer_gives_the_scalar_twins_bits() {
    let m = model();
    let feats = seeded_features();
    let (fast, scalar) = (m.score(&feats), m.score_scalar(&feats));
    for t in 0..feats.len() {
        for s in 0..m.n_senones() {
            let (a, b) = (fast.frame(t)[s], scalar.frame(t)[s]);
            assert_eq!(a.to_bits(), b.to_bits(), "frame {t} senone {s}: {a} vs {b}");
        }
    }
}

#[test]
fn scores_do_not_depend_on_the_thread_count() {
    let m = model();
    let feats = &mary_features()[..70];
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let one = pool.install(|| m.score(feats));
    let many = m.score(feats);
    for t in 0..feats.len() {
        assert_eq!(one.frame(t), many.frame(t));
    }
}

#[test]
fn ci_senone_scores_match_pocketsphinx() {
    // pocketsphinx logs scores in units of 1024 ln(1.0001) nats below the frame's best
    // senone, with 8-bit quantised arithmetic (table log-add, clamps at 96 units per
    // density): compare the senones within 40 units of the best.
    const TOLERANCE: f64 = 5.0;
    let m = model();
    // pocketsphinx's frames only: CMN and the edge frames of the deltas depend on the count.
    let samples = mary();
    let mut cep = frontend::cepstra(&samples, m.feat_params());
    cep.truncate((samples.len() - 410) / 160 + 2);
    let scores = m.score(&normalise_and_delta(&mut cep));
    let mut compared = 0;
    let mut worst = 0f64;
    for row in fixture_rows("mary-ci-senones.txt") {
        let t = row[0] as usize;
        let frame = scores.frame(t);
        let best = frame.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        for (s, &ps) in row[1..].iter().enumerate() {
            if ps > 40.0 {
                continue;
            }
            let ours = f64::from(best - frame[s]) / SENDUMP_UNIT;
            worst = worst.max((ours - ps).abs());
            assert!(
                (ours - ps).abs() < TOLERANCE,
                "frame {t} senone {s}: pocketsphinx {ps}, talign {ours:.1}"
            );
            compared += 1;
        }
        // The same best CI senone, up to near-ties.
        let ps_best = row[1..].iter().cloned().fold(f64::INFINITY, f64::min);
        let ours_best = (0..m.ci_senones())
            .max_by(|&a, &b| frame[a].total_cmp(&frame[b]))
            .unwrap();
        assert!(row[1 + ours_best] <= ps_best + 3.0, "frame {t}");
    }
    eprintln!("{compared} CI senone scores: largest difference from pocketsphinx {worst:.2} units");
    assert!(compared > 150, "only {compared} senones compared");
}

#[test]
fn silence_frames_prefer_the_silence_senones() {
    // Word tier of the clip: speech from 0.315 s to 1.518 s.
    let m = model();
    let scores = m.score(&mary_features());
    let sil = m.senones(m.ci_hmm(m.silence()));
    let (mut in_sil, mut n_sil, mut in_speech, mut n_speech) = (0, 0, 0, 0);
    for t in 0..scores.frames() {
        let time = t as f64 / 100.0;
        let frame = scores.frame(t);
        let best = (0..m.ci_senones())
            .max_by(|&a, &b| frame[a].total_cmp(&frame[b]))
            .unwrap();
        let is_sil = sil.contains(&SenoneId(best as u32));
        assert_eq!(frame[best], scores.best_ci(t));
        if !(0.28..=1.55).contains(&time) {
            n_sil += 1;
            in_sil += usize::from(is_sil);
        } else if (0.35..1.50).contains(&time) {
            n_speech += 1;
            in_speech += usize::from(is_sil);
        }
    }
    let (r_sil, r_speech) = (
        in_sil as f64 / n_sil as f64,
        in_speech as f64 / n_speech as f64,
    );
    eprintln!("SIL best on {r_sil:.2} of silence frames, {r_speech:.2} of speech frames");
    assert!(r_sil > 0.6 && r_speech < 0.1, "{r_sil} {r_speech}");
}

#[test]
fn score_into_reuses_its_buffer_and_matches_score() {
    let m = model();
    let feats = mary_features();
    let mut scores = m.score(&feats[..50]);
    m.score_into(&feats[..7], &mut scores);
    let fresh = m.score(&feats[..7]);
    assert_eq!(scores.frames(), 7);
    for t in 0..7 {
        assert_eq!(scores.frame(t), fresh.frame(t));
    }
}

#[test]
fn a_senone_set_scores_exactly_what_the_whole_model_gives_it() {
    let m = model();
    let feats = mary_features();
    let full = m.score(&feats);
    // Senones of several codebooks, in no order, one repeated, one CI (CI senones are
    // always in, first).
    let wanted = [4000u32, 17, 2500, 4000, 900, 5125, 1234];
    assert!(17 < m.ci_senones() && 900 > m.ci_senones());
    let set = m.senone_set(wanted);
    assert_eq!(set.len(), m.ci_senones() + 5);
    assert_eq!(set.column(5), Some(5));
    assert_eq!(set.column(3), Some(3));
    assert_eq!(set.column(3000), None);
    let part = m.score_set(&feats, &set);
    assert_eq!(part.frames(), full.frames());
    for t in 0..full.frames() {
        for s in (0..m.ci_senones() as u32).chain(wanted) {
            let c = set.column(s).unwrap();
            assert_eq!(
                part.frame(t)[c].to_bits(),
                full.get(t, SenoneId(s)).to_bits(),
                "frame {t} senone {s}"
            );
        }
        assert_eq!(part.best_ci(t), full.best_ci(t));
    }
}

/// The lazy tests' speech, senone set (several codebooks, more than one run of some, and
/// the CI senones) and that set's scores computed in full.
fn lazy_fixture() -> (Vec<[f32; 39]>, SenoneSet, SenoneScores) {
    let m = model();
    let feats = mary_features();
    let wanted: Vec<u32> = (0..400u32).map(|i| 130 + i * 12 % 4990).collect();
    let set = m.senone_set(wanted.iter().copied());
    let whole = m.score_set(&feats, &set);
    (feats, set, whole)
}

/// The codebooks a search's band reaches at frame `t` in the lazy tests: a few, moving.
fn band_codebooks(set: &SenoneSet, t: usize) -> Vec<usize> {
    (0..set.len())
        .filter(|c| (c + t / 3).is_multiple_of(23))
        .collect()
}

/// Readies every frame of the lazy fixture's speech in `lazy`, in blocks of 100 frames then
/// 87 (the last group of each partial), each frame with the band of [`band_codebooks`];
/// `each` gets the scorer, the frame, its place in its block and the band's columns.
fn ready_in_blocks(
    lazy: &mut LazyTops,
    feats: &[[f32; 39]],
    set: &SenoneSet,
    mut each: impl FnMut(&LazyTops, usize, usize, &[usize]),
) {
    let m = model();
    for block in [0..100, 100..feats.len()] {
        lazy.start_block(block.len());
        for t in block.clone() {
            let at = t - block.start;
            let asked = band_codebooks(set, t);
            let codebooks = asked.iter().map(|&c| set.codebook(c));
            lazy.frame(m, set, &feats[block.clone()], at, t, codebooks);
            each(lazy, t, at, &asked);
        }
    }
}

/// A block of scores taken over from another window (the aligner keeps one per thread)
/// scores as a fresh one, whatever the first window's scoring left in it: the same tops, the
/// same phone loop, frame by frame.
#[test]
fn a_block_taken_over_from_another_window_scores_as_a_fresh_one() {
    let m = model();
    let (feats, set, _) = lazy_fixture();
    let ready = |lazy: &mut LazyTops| {
        let mut seen = Vec::new();
        ready_in_blocks(lazy, &feats, &set, |lazy, t, at, _| {
            seen.push((
                t,
                lazy.frame_tops(at).to_vec(),
                lazy.phone_loop(t).to_bits(),
            ));
        });
        seen
    };
    for (first, then) in [
        (Scoring::EveryOther, Scoring::Exact),
        (Scoring::Exact, Scoring::Named),
        (Scoring::Named, Scoring::EveryOther),
    ] {
        let mut used = LazyTops::scoring(m, first);
        ready(&mut used);
        let mut taken_over = used.rescoring(m, then);
        let mut fresh = LazyTops::scoring(m, then);
        assert!(
            ready(&mut taken_over) == ready(&mut fresh),
            "{first:?} then {then:?}"
        );
    }
}

#[test]
fn lazy_codebooks_and_mixing_on_demand_give_the_set_scores_bits() {
    let (feats, set, whole) = lazy_fixture();
    let mut lazy = LazyTops::scoring(model(), Scoring::Exact);
    let mut mixer = Mixer::new(&set);
    let mut mixed = 0;
    ready_in_blocks(&mut lazy, &feats, &set, |lazy, t, at, asked| {
        // Twice: the second ask mixes nothing new.
        mixer.need(&set, lazy.frame_tops(at), t, asked.iter().copied());
        mixer.need(&set, lazy.frame_tops(at), t, asked.iter().copied());
        for &c in asked {
            let (a, b) = (mixer.get(c, t), whole.frame(t)[c]);
            assert_eq!(a.to_bits(), b.to_bits(), "frame {t} column {c}: {a} vs {b}");
            mixed += 1;
        }
    });
    assert!(mixed > feats.len() * 10, "{mixed} senones mixed");
}

/// The phone loop of [`LazyTops`] told plainly, from every CI senone's score: at the first
/// frame and the groups of frames every [`LOOP_REFRESH`], the best CI senone of all; elsewhere
/// the best among the codebooks of the band and the [`LOOP_CARRY`] codebooks whose CI senones
/// were best at the last such frame (ties to the lower codebook).
fn phone_loop_naive(
    m: &AcousticModel,
    whole: &SenoneScores,
    t: usize,
    carry: &mut Vec<usize>,
    band: &[usize],
) -> f32 {
    let n_cb = m.n_codebooks;
    let mut best = vec![f32::NEG_INFINITY; n_cb];
    for s in 0..m.ci_senones() {
        let cb = m.mixw.codebook(s);
        best[cb] = best[cb].max(whole.frame(t)[s]);
    }
    if t == 0 || t % LOOP_REFRESH < 4 {
        let mut order: Vec<usize> = (0..n_cb).collect();
        order.sort_by(|&a, &b| best[b].total_cmp(&best[a]).then(a.cmp(&b)));
        order.truncate(LOOP_CARRY);
        *carry = order;
        return best.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    }
    (0..n_cb)
        .filter(|cb| band.contains(cb) || carry.contains(cb))
        .map(|cb| best[cb])
        .fold(f32::NEG_INFINITY, f32::max)
}

#[test]
fn the_lazy_phone_loop_matches_its_naive_twin() {
    let m = model();
    let (feats, set, whole) = lazy_fixture();
    let mut lazy = LazyTops::scoring(m, Scoring::Exact);
    lazy.start_block(feats.len());
    let mut carry = Vec::new();
    let mut short = 0;
    for t in 0..feats.len() {
        let asked = band_codebooks(&set, t);
        let band: Vec<usize> = asked.iter().map(|&c| set.codebook(c)).collect();
        lazy.frame(m, &set, &feats, t, t, band.iter().copied());
        let naive = phone_loop_naive(m, &whole, t, &mut carry, &band);
        assert_eq!(lazy.phone_loop(t).to_bits(), naive.to_bits(), "frame {t}");
        short += usize::from(naive < whole.best_ci(t));
    }
    // The twin can fail: the loop falls short of the best CI senone at some frames.
    assert!(short > 0 && short < feats.len() / 2, "{short} frames short");
}

#[test]
fn the_lazy_phone_loop_reads_every_codebook_after_a_gap() {
    let m = model();
    let feats = mary_features();
    let set = m.senone_set([]);
    let whole = m.score_set(&feats, &set);
    let mut lazy = LazyTops::scoring(m, Scoring::Exact);
    lazy.start_block(feats.len());
    // Frames 12, 13 (carried from 12), then 15 (a gap: every codebook again), no band.
    for t in [12, 13, 15] {
        lazy.frame(m, &set, &feats, t, t, std::iter::empty());
    }
    assert_eq!(lazy.phone_loop(15).to_bits(), whole.best_ci(15).to_bits());
}

/// The best CI senone of each codebook at frame `t`, from every CI senone's score.
fn codebook_best(m: &AcousticModel, whole: &SenoneScores, t: usize) -> Vec<f32> {
    let mut best = vec![f32::NEG_INFINITY; m.n_codebooks];
    for s in 0..m.ci_senones() {
        let cb = m.mixw.codebook(s);
        best[cb] = best[cb].max(whole.frame(t)[s]);
    }
    best
}

#[test]
fn every_other_frame_takes_the_set_scores_of_the_frame_before() {
    let m = model();
    let (feats, set, whole) = lazy_fixture();
    let mut lazy = LazyTops::scoring(m, Scoring::EveryOther);
    let mut mixer = Mixer::new(&set);
    let (mut mixed, mut differ, mut refreshed) = (0, 0, 0);
    ready_in_blocks(&mut lazy, &feats, &set, |lazy, t, at, asked| {
        // Blocks start at even frames: the scored frame is the even one at or before.
        let scored = t - at + lazy.scored_frame(at);
        assert_eq!(scored, t - t % 2);
        mixer.need(&set, lazy.frame_tops(at), scored, asked.iter().copied());
        for &c in asked {
            let (a, b) = (mixer.get(c, scored), whole.frame(scored)[c]);
            assert_eq!(a.to_bits(), b.to_bits(), "frame {t} column {c}: {a} vs {b}");
            differ += usize::from(whole.frame(t)[c] != b);
            mixed += 1;
        }
        // Where every codebook is read, the loop is the scored frame's best CI senone.
        if t % COARSE_LOOP_REFRESH < 8 {
            assert_eq!(lazy.phone_loop(t), whole.best_ci(scored), "frame {t}");
            let best = codebook_best(m, &whole, scored);
            assert_eq!(best[lazy.loop_codebook() as usize], whole.best_ci(scored));
            refreshed += 1;
        }
    });
    assert!(mixed > feats.len() * 10, "{mixed} senones mixed");
    // The twin can fail: an odd frame's own scores differ from those it takes.
    assert!(differ > mixed / 4, "{differ} of {mixed}");
    assert!(refreshed > 0 && refreshed < feats.len());
}

#[test]
fn a_named_loop_reads_the_band_and_the_named_codebooks() {
    let m = model();
    let (feats, set, whole) = lazy_fixture();
    let mut lazy = LazyTops::scoring(m, Scoring::Named);
    lazy.start_block(feats.len());
    let mut short = 0;
    for t in 0..feats.len() {
        let best = codebook_best(m, &whole, t);
        // Name the frame's own best codebook at every third frame, another elsewhere.
        let top = (0..m.n_codebooks)
            .max_by(|&a, &b| best[a].total_cmp(&best[b]).then(b.cmp(&a)))
            .unwrap();
        let named = if t % 3 == 0 {
            top
        } else {
            (top + 1) % m.n_codebooks
        };
        lazy.set_loop_codebooks(std::iter::once(named as u16));
        let band: Vec<usize> = band_codebooks(&set, t)
            .iter()
            .map(|&c| set.codebook(c))
            .collect();
        lazy.frame(m, &set, &feats, t, t, band.iter().copied());
        let expected = band
            .iter()
            .chain([&named])
            .map(|&cb| best[cb])
            .fold(f32::NEG_INFINITY, f32::max);
        assert_eq!(
            lazy.phone_loop(t).to_bits(),
            expected.to_bits(),
            "frame {t}"
        );
        if t % 3 == 0 {
            assert_eq!(lazy.phone_loop(t), whole.best_ci(t));
        }
        short += usize::from(expected < whole.best_ci(t));
    }
    // The twin can fail: without the best codebook named the loop falls short.
    assert!(short > 0, "{short} frames short");
}

#[test]
fn the_shared_model_is_loaded_once_per_process() {
    // A batch worker or a Python session aligns many recordings: the model is read once.
    let first = AcousticModel::shared().unwrap();
    let again = AcousticModel::shared().unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &again));
    assert_eq!(first.feat_params(), model().feat_params());
}
