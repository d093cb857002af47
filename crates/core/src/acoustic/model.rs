//! Loading the Sphinx acoustic model: phones, HMMs, senones, transitions, Gaussians,
//! mixture weights and the front-end parameters it was trained with.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use super::frontend::NCEP;
use super::mdef::Mdef;
use super::s3file::S3Reader;
use super::scorer::{GaussianTables, MixtureTables};
use super::{MODEL_HINT, model_error, sendump};
use crate::error::{Error, Result};

/// A context-independent (CI) phone of the model, e.g. `AA`, `SIL`, `+NSN+`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneId(pub u16);

/// An HMM of the model: a CI phone or a triphone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HmmId(pub u32);

/// A senone (tied HMM state); the CI phones' senones come first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SenoneId(pub u32);

/// Where a phone sits in its word, which selects the triphone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WordPosition {
    /// First phone of a word of two or more phones.
    Begin,
    /// Last phone of a word of two or more phones.
    End,
    /// The only phone of a one-phone word.
    Single,
    /// Any other phone.
    Internal,
}

impl WordPosition {
    /// pocketsphinx's index: internal 0, begin 1, end 2, single 3.
    fn index(self) -> usize {
        match self {
            WordPosition::Internal => 0,
            WordPosition::Begin => 1,
            WordPosition::End => 2,
            WordPosition::Single => 3,
        }
    }
}

/// Log transition probabilities (natural log) of one 3-state left-to-right HMM: from
/// emitting state i, `stay[i]` to itself, `next[i]` to i+1 (state 3 = exit), `skip[i]` to
/// i+2 (NEG_INFINITY when absent).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Transitions {
    /// State i to itself.
    pub stay: [f32; 3],
    /// State i to i+1 (from state 2: to the exit).
    pub next: [f32; 3],
    /// State i to i+2 (from state 1: to the exit; from state 2: none).
    pub skip: [f32; 3],
}

/// How the front end turns log mel energies into cepstra (`-transform`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    /// Orthonormal DCT-II (`dct`).
    Dct,
    /// HTK's DCT (`htk`): c0 scaled by sqrt(2/N) like the other coefficients.
    Htk,
    /// The original Sphinx transform (`legacy`).
    Legacy,
}

/// The model's `feat.params`: front-end and feature settings it was trained with, with
/// pocketsphinx's defaults for what the file leaves out.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatParams {
    /// Sampling rate, Hz (`-samprate`, default 16000; talign's analysis rate must match).
    pub samprate: f32,
    /// Lowest mel filter edge, Hz (`-lowerf`).
    pub lowerf: f32,
    /// Highest mel filter edge, Hz (`-upperf`).
    pub upperf: f32,
    /// Number of mel filters (`-nfilt`).
    pub nfilt: usize,
    /// Cepstral transform (`-transform`).
    pub transform: Transform,
    /// Cepstral lifter (`-lifter`, 0 = none).
    pub lifter: usize,
    /// Cepstra per frame (`-ncep`, 13).
    pub ncep: usize,
    /// Window length, seconds (`-wlen`, 0.025625).
    pub wlen: f32,
    /// Frames per second (`-frate`, 100).
    pub frate: usize,
    /// FFT size (`-nfft`, 512).
    pub nfft: usize,
    /// Pre-emphasis coefficient (`-alpha`, 0.97).
    pub alpha: f32,
    /// Dynamic feature type (`-feat`); talign computes `1s_c_d_dd`.
    pub feat: String,
    /// Stream split of the feature vector (`-svspec`), if given.
    pub svspec: Option<String>,
    /// Cepstral mean normalisation (`-cmn`: batch, live, current or none).
    pub cmn: String,
    /// Initial CMN mean for live CMN (`-cmninit`).
    pub cmninit: Vec<f32>,
    /// Variance normalisation (`-varnorm`).
    pub varnorm: bool,
    /// Automatic gain control (`-agc`).
    pub agc: String,
    /// Acoustic model type (`-model`: ptm, semi, cont).
    pub model: String,
}

impl Default for FeatParams {
    fn default() -> FeatParams {
        FeatParams {
            samprate: 16000.0,
            lowerf: 133.333_34,
            upperf: 6_855.497_6,
            nfilt: 40,
            transform: Transform::Legacy,
            lifter: 0,
            ncep: 13,
            wlen: 0.025625,
            frate: 100,
            nfft: 512,
            alpha: 0.97,
            feat: "1s_c_d_dd".into(),
            svspec: None,
            cmn: "live".into(),
            cmninit: vec![40.0, 3.0, -1.0],
            varnorm: false,
            agc: "none".into(),
            model: String::new(),
        }
    }
}

impl FeatParams {
    /// Parses `feat.params` text (`-name value` pairs; `name` is the file, for messages).
    pub fn parse(name: &str, text: &str) -> Result<FeatParams> {
        let mut p = FeatParams::default();
        let mut words = text.split_whitespace();
        while let Some(key) = words.next() {
            let Some(key) = key.strip_prefix('-') else {
                return Err(model_error(
                    name,
                    format!("expected `-name value`, found `{key}`"),
                ));
            };
            let Some(value) = words.next() else {
                return Err(model_error(name, format!("`-{key}` has no value")));
            };
            let bad = |what: &str| model_error(name, format!("`-{key} {value}`: {what}"));
            let num = |v: &str| v.parse::<f32>().map_err(|_| bad("not a number"));
            let int = |v: &str| v.parse::<usize>().map_err(|_| bad("not a whole number"));
            let yes = |v: &str| match v {
                "yes" | "true" => Ok(true),
                "no" | "false" => Ok(false),
                _ => Err(bad("expected yes or no")),
            };
            match key {
                "samprate" => p.samprate = num(value)?,
                "lowerf" => p.lowerf = num(value)?,
                "upperf" => p.upperf = num(value)?,
                "nfilt" => p.nfilt = int(value)?,
                "lifter" => p.lifter = int(value)?,
                "ncep" => p.ncep = int(value)?,
                "wlen" => p.wlen = num(value)?,
                "frate" => p.frate = int(value)?,
                "nfft" => p.nfft = int(value)?,
                "alpha" => p.alpha = num(value)?,
                "transform" => {
                    p.transform = match value {
                        "dct" => Transform::Dct,
                        "htk" => Transform::Htk,
                        "legacy" => Transform::Legacy,
                        _ => return Err(bad("unknown transform (dct, htk, legacy)")),
                    }
                }
                "feat" => p.feat = value.into(),
                "svspec" => p.svspec = Some(value.into()),
                "cmn" => p.cmn = value.into(),
                "cmninit" => {
                    p.cmninit = value.split(',').map(num).collect::<Result<Vec<_>>>()?;
                }
                "varnorm" => p.varnorm = yes(value)?,
                "agc" => p.agc = value.into(),
                "model" => p.model = value.into(),
                // Settings that do not change what talign computes (e.g. -dither no).
                _ => {}
            }
        }
        let unsupported = |what: String| {
            model_error(
                name,
                format!("{what}; talign's front end supports the en-us model's settings"),
            )
        };
        if p.samprate != 16000.0 || p.frate != 100 || p.ncep != 13 {
            return Err(unsupported(format!(
                "samprate {} / frate {} / ncep {} (talign analyses 16 kHz audio, 100 frames/s, 13 cepstra)",
                p.samprate, p.frate, p.ncep
            )));
        }
        if p.feat != "1s_c_d_dd" {
            return Err(unsupported(format!("feature type {}", p.feat)));
        }
        if p.varnorm || p.agc != "none" {
            return Err(unsupported("variance normalisation or AGC".into()));
        }
        if !(p.nfft.is_power_of_two()
            && p.nfft >= (p.wlen * p.samprate) as usize
            && p.nfilt > 0
            && p.lowerf >= 0.0
            && p.lowerf < p.upperf
            && p.upperf <= p.samprate / 2.0)
        {
            return Err(unsupported(format!(
                "filter bank {}..{} Hz x {}, window {} s, FFT {}",
                p.lowerf, p.upperf, p.nfilt, p.wlen, p.nfft
            )));
        }
        Ok(p)
    }

    /// Window length in samples (410 for the defaults).
    pub(crate) fn window_samples(&self) -> usize {
        (self.wlen * self.samprate).round() as usize
    }

    /// Frame shift in samples (160).
    pub(crate) fn shift_samples(&self) -> usize {
        (self.samprate / self.frate as f32).round() as usize
    }
}

/// The acoustic model: phone set, HMMs, senones and their Gaussian mixtures.
#[derive(Debug, Clone)]
pub struct AcousticModel {
    mdef: Mdef,
    tmats: Vec<Transitions>,
    feat_params: FeatParams,
    noise_words: Vec<(String, Vec<PhoneId>)>,
    /// Number of codebooks, feature streams, densities per codebook stream.
    pub(crate) n_codebooks: usize,
    pub(crate) stream_lens: Vec<usize>,
    pub(crate) n_density: usize,
    /// Means and floored variances, `[codebook][stream][density][dim]` (scoring reads
    /// `tables`; these raw values are for the tests' naive twin of the scorer).
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "read by the tests' naive scorer")
    )]
    pub(crate) means: Vec<f32>,
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "read by the tests' naive scorer")
    )]
    pub(crate) vars: Vec<f32>,
    /// Linear mixture weights, grouped by codebook for scoring.
    pub(crate) mixw: MixtureTables,
    /// The CI senones' weights alone, grouped the same way, which every
    /// [`super::scorer::SenoneSet`] shares: built once, not for every window (docs/speed.md,
    /// session 27).
    pub(crate) ci_mixw: Arc<MixtureTables>,
    /// Scoring layout of the Gaussians.
    pub(crate) tables: GaussianTables,
    /// Spread of each static cepstrum under the model ([`cepstral_spread`]).
    pub(crate) cepstral_spread: [f32; NCEP],
}

/// The standard deviation of each static cepstrum (the first stream's first [`NCEP`]
/// dimensions) over all the model's densities, each weighted alike: the spread of the
/// features the model was trained on, which [`super::frontend::restore_spread`] gives back
/// to cepstra that noise has flattened. Means and variances are `[codebook][stream][density]
/// [dim]`; a model whose first stream is shorter leaves the rest at 0 (never restored).
fn cepstral_spread(
    means: &[f32],
    vars: &[f32],
    n_codebooks: usize,
    stream_lens: &[usize],
    n_density: usize,
) -> [f32; NCEP] {
    let per_codebook: usize = stream_lens.iter().sum::<usize>() * n_density;
    let first = stream_lens.first().copied().unwrap_or(0);
    let dims = first.min(NCEP);
    let (mut sum, mut sum_sq) = ([0f64; NCEP], [0f64; NCEP]);
    for cb in 0..n_codebooks {
        for d in 0..n_density {
            let at = cb * per_codebook + d * first;
            for i in 0..dims {
                let (m, v) = (f64::from(means[at + i]), f64::from(vars[at + i]));
                sum[i] += m;
                sum_sq[i] += v + m * m;
            }
        }
    }
    let n = (n_codebooks * n_density).max(1) as f64;
    std::array::from_fn(|i| {
        let variance = sum_sq[i] / n - (sum[i] / n).powi(2);
        if i < dims && variance > 0.0 {
            variance.sqrt() as f32
        } else {
            0.0
        }
    })
}

/// Variance floor applied to the variances (pocketsphinx's `-varfloor` default).
const VAR_FLOOR: f32 = 1e-4;
/// Floor applied to non-zero transition probabilities (pocketsphinx's `-tmatfloor`).
const TMAT_FLOOR: f32 = 1e-4;

/// The model files, by name, as bytes.
struct ModelFiles<'a> {
    mdef: (&'a str, &'a [u8]),
    means: (&'a str, &'a [u8]),
    variances: (&'a str, &'a [u8]),
    /// `sendump` (true) or `mixture_weights` (false).
    mixw: (&'a str, &'a [u8], bool),
    tmat: (&'a str, &'a [u8]),
    feat_params: (&'a str, &'a [u8]),
    noisedict: (&'a str, &'a [u8]),
}

mod vendored {
    pub(crate) const MDEF: &[u8] = include_bytes!("../../../../models/en-us/mdef");
    pub(crate) const MEANS: &[u8] = include_bytes!("../../../../models/en-us/means");
    pub(crate) const VARIANCES: &[u8] = include_bytes!("../../../../models/en-us/variances");
    pub(crate) const SENDUMP: &[u8] = include_bytes!("../../../../models/en-us/sendump");
    pub(crate) const TMAT: &[u8] = include_bytes!("../../../../models/en-us/transition_matrices");
    pub(crate) const FEAT_PARAMS: &[u8] = include_bytes!("../../../../models/en-us/feat.params");
    pub(crate) const NOISEDICT: &[u8] = include_bytes!("../../../../models/en-us/noisedict");
}

/// Reads the Gaussian parameter file (means or variances): dimensions and values.
fn read_gaussians(name: &str, data: &[u8]) -> Result<(usize, Vec<usize>, usize, Vec<f32>)> {
    let mut r = S3Reader::new(name, data)?;
    let limit = data.len() / 4;
    let n_mgau = r.count("codebook count", limit)?;
    let n_feat = r.count("stream count", 16)?;
    let n_density = r.count("density count", limit)?;
    let lens = (0..n_feat)
        .map(|_| r.count("stream length", 1024))
        .collect::<Result<Vec<_>>>()?;
    // Checked against the dimensions; a short file is reported as truncated when read.
    let n = r.count("value count", 1 << 28)?;
    let blk: usize = lens.iter().sum();
    if n != n_mgau * n_density * blk || n == 0 {
        return Err(model_error(
            name,
            format!(
                "{n} values, but the header says {n_mgau} codebooks x {n_density} densities x {blk} dimensions"
            ),
        ));
    }
    let v = r.f32s(n, "the Gaussian parameters")?;
    r.finish()?;
    Ok((n_mgau, lens, n_density, v))
}

fn read_tmats(name: &str, data: &[u8], n_tmat: usize) -> Result<Vec<Transitions>> {
    let mut r = S3Reader::new(name, data)?;
    let limit = data.len() / 4;
    let n = r.count("matrix count", limit)?;
    let n_src = r.count("source state count", limit)?;
    let n_dst = r.count("target state count", limit)?;
    let total = r.count("value count", limit)?;
    if n_src != 3 || n_dst != 4 || total != n * 12 {
        return Err(model_error(
            name,
            format!(
                "{n} matrices of {n_src} x {n_dst} ({total} values); talign needs 3 x 4 (3-state HMMs)"
            ),
        ));
    }
    if n != n_tmat {
        return Err(model_error(
            name,
            format!("{n} transition matrices, but the mdef has {n_tmat}"),
        ));
    }
    let v = r.f32s(total, "the transition matrices")?;
    r.finish()?;
    let mut out = Vec::with_capacity(n);
    for m in v.chunks(12) {
        let mut lp = [[f32::NEG_INFINITY; 4]; 3];
        for (i, row) in m.chunks(4).enumerate() {
            // Normalise, floor the non-zero entries, renormalise (as pocketsphinx).
            let mut p: Vec<f32> = row.iter().map(|&x| x.max(0.0)).collect();
            let sum: f32 = p.iter().sum();
            if sum > 0.0 {
                p.iter_mut().for_each(|x| *x /= sum);
            }
            p.iter_mut()
                .filter(|x| **x > 0.0)
                .for_each(|x| *x = x.max(TMAT_FLOOR));
            let sum: f32 = p.iter().sum();
            for (j, &x) in p.iter().enumerate() {
                if x > 0.0 && j >= i && j <= i + 2 {
                    lp[i][j] = (x / sum).ln();
                }
            }
        }
        out.push(Transitions {
            stay: [lp[0][0], lp[1][1], lp[2][2]],
            next: [lp[0][1], lp[1][2], lp[2][3]],
            skip: [lp[0][2], lp[1][3], f32::NEG_INFINITY],
        });
    }
    Ok(out)
}

impl AcousticModel {
    /// Reads a model directory: `mdef` (binary), `means`, `variances`, `sendump` (or
    /// `mixture_weights`), `transition_matrices`, `feat.params`, `noisedict`.
    pub fn load(dir: &Path) -> Result<AcousticModel> {
        if !dir.is_dir() {
            return Err(Error::Invalid(format!(
                "{}: not a directory; {MODEL_HINT}",
                dir.display()
            )));
        }
        let read = |file: &str| -> Result<(String, Vec<u8>)> {
            let path: PathBuf = dir.join(file);
            let shown = path.display().to_string();
            match std::fs::read(&path) {
                Ok(b) => Ok((shown, b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    Err(model_error(&shown, "missing"))
                }
                Err(e) => Err(model_error(&shown, format!("cannot read: {e}"))),
            }
        };
        let mdef = read("mdef")?;
        let means = read("means")?;
        let variances = read("variances")?;
        let (mixw, is_sendump) = if dir.join("sendump").exists() {
            (read("sendump")?, true)
        } else if dir.join("mixture_weights").exists() {
            (read("mixture_weights")?, false)
        } else {
            return Err(model_error(
                &dir.join("sendump").display().to_string(),
                "missing (and no mixture_weights either)",
            ));
        };
        let tmat = read("transition_matrices")?;
        let feat_params = read("feat.params")?;
        let noisedict = read("noisedict")?;
        AcousticModel::from_files(ModelFiles {
            mdef: (&mdef.0, &mdef.1),
            means: (&means.0, &means.1),
            variances: (&variances.0, &variances.1),
            mixw: (&mixw.0, &mixw.1, is_sendump),
            tmat: (&tmat.0, &tmat.1),
            feat_params: (&feat_params.0, &feat_params.1),
            noisedict: (&noisedict.0, &noisedict.1),
        })
    }

    /// The vendored US-English model (`models/en-us/`, compiled in).
    pub fn embedded() -> Result<AcousticModel> {
        AcousticModel::from_files(ModelFiles {
            mdef: ("built-in model: mdef", vendored::MDEF),
            means: ("built-in model: means", vendored::MEANS),
            variances: ("built-in model: variances", vendored::VARIANCES),
            mixw: ("built-in model: sendump", vendored::SENDUMP, true),
            tmat: ("built-in model: transition_matrices", vendored::TMAT),
            feat_params: ("built-in model: feat.params", vendored::FEAT_PARAMS),
            noisedict: ("built-in model: noisedict", vendored::NOISEDICT),
        })
    }

    /// The model in `TALIGN_MODEL_DIR` if that is set (and not empty), else the built-in one.
    pub fn locate() -> Result<AcousticModel> {
        match std::env::var_os("TALIGN_MODEL_DIR") {
            Some(dir) if !dir.is_empty() => AcousticModel::load(Path::new(&dir)),
            _ => AcousticModel::embedded(),
        }
    }

    /// The model [`locate`](Self::locate) finds, loaded once per process for each value of
    /// `TALIGN_MODEL_DIR` (a failed load is not kept, so it is tried again): a batch worker
    /// or a Python session aligns many recordings with one model, and reading and
    /// tabulating it took a third of a short recording's alignment. A model directory whose
    /// files change while the process runs is not read again.
    pub fn shared() -> Result<Arc<AcousticModel>> {
        type Loaded = Option<(Option<OsString>, Arc<AcousticModel>)>;
        static LOADED: Mutex<Loaded> = Mutex::new(None);
        let dir = std::env::var_os("TALIGN_MODEL_DIR").filter(|d| !d.is_empty());
        // Held while loading, so that threads asking at once load it once.
        let mut loaded = LOADED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((loaded_dir, model)) = loaded.as_ref()
            && *loaded_dir == dir
        {
            return Ok(Arc::clone(model));
        }
        let model = Arc::new(AcousticModel::locate()?);
        *loaded = Some((dir, Arc::clone(&model)));
        Ok(model)
    }

    fn from_files(f: ModelFiles<'_>) -> Result<AcousticModel> {
        let text = |(name, bytes): (&str, &[u8])| {
            std::str::from_utf8(bytes)
                .map(str::to_owned)
                .map_err(|_| model_error(name, "not text (UTF-8)"))
        };
        let feat_params = FeatParams::parse(f.feat_params.0, &text(f.feat_params)?)?;
        let mdef = Mdef::parse(f.mdef.0, f.mdef.1)?;
        let (n_mgau, lens, n_density, mut means) = read_gaussians(f.means.0, f.means.1)?;
        let (v_mgau, v_lens, v_density, mut vars) = read_gaussians(f.variances.0, f.variances.1)?;
        if (v_mgau, &v_lens, v_density) != (n_mgau, &lens, n_density) {
            return Err(model_error(
                f.variances.0,
                format!(
                    "{v_mgau} codebooks x {v_density} densities, streams {v_lens:?}; the means \
                     have {n_mgau} x {n_density}, {lens:?}"
                ),
            ));
        }
        if lens.iter().sum::<usize>() != 3 * feat_params.ncep {
            return Err(model_error(
                f.means.0,
                format!(
                    "streams {lens:?} do not add up to the {} dimensions of 1s_c_d_dd",
                    3 * feat_params.ncep
                ),
            ));
        }
        if let Some(spec) = &feat_params.svspec {
            // Only contiguous splits that match the Gaussians' streams (as 0-12/13-25/26-38).
            let mut at = 0;
            let ok = spec.split('/').count() == lens.len()
                && spec.split('/').zip(&lens).all(|(part, &len)| {
                    let want = format!("{}-{}", at, at + len - 1);
                    at += len;
                    part == want
                });
            if !ok {
                return Err(model_error(
                    f.feat_params.0,
                    format!("-svspec {spec} does not match the Gaussians' streams {lens:?}"),
                ));
            }
        }
        let n_ci = mdef.n_ci();
        let sen2cb: Vec<u16> = if n_mgau == n_ci {
            mdef.senone_ci()
                .into_iter()
                .map(|c| if c == u16::MAX { 0 } else { c })
                .collect()
        } else if n_mgau == 1 {
            vec![0; mdef.n_sen]
        } else if n_mgau == mdef.n_sen {
            (0..mdef.n_sen as u16).collect()
        } else {
            return Err(model_error(
                f.means.0,
                format!(
                    "{n_mgau} codebooks, but the mdef has {n_ci} CI phones and {} senones \
                     (expected a tied-mixture, semi-continuous or continuous model)",
                    mdef.n_sen
                ),
            ));
        };
        vars.iter_mut().for_each(|v| *v = v.max(VAR_FLOOR));
        if means.iter().chain(&vars).any(|v| !v.is_finite()) {
            return Err(model_error(
                f.means.0,
                "non-finite means or variances: the file is damaged",
            ));
        }
        let n_feat = lens.len();
        let (name, bytes, is_sendump) = f.mixw;
        let mixw = if is_sendump {
            sendump::read_sendump(name, bytes, mdef.n_sen, n_feat, n_density)?
        } else {
            sendump::read_mixture_weights(name, bytes, mdef.n_sen, n_feat, n_density)?
        };
        let tmats = read_tmats(f.tmat.0, f.tmat.1, mdef.n_tmat)?;
        let mut noise_words = Vec::new();
        for (i, line) in text(f.noisedict)?.lines().enumerate() {
            let mut words = line.split_whitespace();
            let Some(word) = words.next() else { continue };
            let phones = words
                .map(|p| {
                    mdef.ci_names
                        .iter()
                        .position(|n| n == p)
                        .map(|p| PhoneId(p as u16))
                        .ok_or_else(|| {
                            model_error(
                                f.noisedict.0,
                                format!("line {}: phone {p} is not in the mdef", i + 1),
                            )
                        })
                })
                .collect::<Result<Vec<_>>>()?;
            noise_words.push((word.to_string(), phones));
        }
        let cepstral_spread = cepstral_spread(&means, &vars, n_mgau, &lens, n_density);
        means.shrink_to_fit();
        let tables = GaussianTables::new(&means, &vars, n_mgau, &lens, n_density);
        let n_ci = mdef.n_ci_sen;
        let ci_mixw = Arc::new(MixtureTables::new(
            &mixw[..n_ci * n_feat * n_density],
            &sen2cb[..n_ci],
            n_mgau,
            n_feat,
            n_density,
        ));
        let mixw = MixtureTables::new(&mixw, &sen2cb, n_mgau, n_feat, n_density);
        Ok(AcousticModel {
            mdef,
            tmats,
            feat_params,
            noise_words,
            n_codebooks: n_mgau,
            stream_lens: lens,
            n_density,
            means,
            vars,
            mixw,
            ci_mixw,
            tables,
            cepstral_spread,
        })
    }

    /// Number of CI phones.
    pub fn ci_phones(&self) -> usize {
        self.mdef.n_ci()
    }

    /// The CI phone called `name` (`AA`, `SIL`, `+NSN+`, ...).
    pub(crate) fn ci_phone(&self, name: &str) -> Option<PhoneId> {
        self.mdef
            .ci_names
            .iter()
            .position(|n| n == name)
            .map(|p| PhoneId(p as u16))
    }

    /// The name of CI phone `p`.
    pub(crate) fn ci_phone_name(&self, p: PhoneId) -> &str {
        &self.mdef.ci_names[p.0 as usize]
    }

    /// The silence phone (`SIL`; phone 0 if a model lacks it).
    pub fn silence(&self) -> PhoneId {
        PhoneId(self.mdef.sil.unwrap_or(0))
    }

    /// True for `SIL` and the noise phones (`+NSN+`, `+SPN+`, ...).
    pub(crate) fn is_filler(&self, p: PhoneId) -> bool {
        self.mdef.is_filler(p.0 as usize)
    }

    /// The filler words of `noisedict` and their phones (`<sil>` → SIL, `[NOISE]` → +NSN+).
    pub fn noise_words(&self) -> &[(String, Vec<PhoneId>)] {
        &self.noise_words
    }

    /// The context-independent HMM of `base`.
    pub(crate) fn ci_hmm(&self, base: PhoneId) -> HmmId {
        HmmId(u32::from(base.0))
    }

    /// The triphone `base` between `left` and `right` at `pos` in its word, backing off as
    /// pocketsphinx does (other word positions, silence for filler and word-edge contexts)
    /// and finally to the CI phone.
    pub(crate) fn hmm(
        &self,
        base: PhoneId,
        left: PhoneId,
        right: PhoneId,
        pos: WordPosition,
    ) -> HmmId {
        if self.is_filler(base) {
            return self.ci_hmm(base);
        }
        HmmId(self.mdef.nearest(
            base.0 as usize,
            left.0 as usize,
            right.0 as usize,
            pos.index(),
        ) as u32)
    }

    /// The CI phone an HMM models.
    pub fn hmm_base(&self, hmm: HmmId) -> PhoneId {
        let i = hmm.0 as usize;
        if i < self.mdef.n_ci() {
            PhoneId(i as u16)
        } else {
            PhoneId(u16::from(self.mdef.phones[i].info[1]))
        }
    }

    /// Number of HMMs (CI phones and triphones).
    pub fn n_hmms(&self) -> usize {
        self.mdef.phones.len()
    }

    /// The senones of the HMM's three emitting states.
    pub fn senones(&self, hmm: HmmId) -> [SenoneId; 3] {
        let s = self.mdef.sseq[self.mdef.phones[hmm.0 as usize].ssid as usize];
        s.map(SenoneId)
    }

    /// The HMM's transition probabilities.
    pub(crate) fn transitions(&self, hmm: HmmId) -> &Transitions {
        &self.tmats[self.mdef.phones[hmm.0 as usize].tmat as usize]
    }

    /// Number of senones.
    pub(crate) fn n_senones(&self) -> usize {
        self.mdef.n_sen
    }

    /// Number of CI senones; they are senones `0..ci_senones()`.
    pub(crate) fn ci_senones(&self) -> usize {
        self.mdef.n_ci_sen
    }

    /// Number of Gaussian codebooks (one per CI phone in a PTM model).
    pub fn n_codebooks(&self) -> usize {
        self.n_codebooks
    }

    /// The front-end parameters the model was trained with.
    pub fn feat_params(&self) -> &FeatParams {
        &self.feat_params
    }
}
