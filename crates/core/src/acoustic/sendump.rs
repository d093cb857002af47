//! Mixture weights: pocketsphinx's quantised `sendump`, or the Sphinx-3 float
//! `mixture_weights`. Both end up as linear weights laid out `[senone][stream][density]`.

use super::model_error;
use super::s3file::S3Reader;
use crate::error::Result;

/// Natural log of one sendump unit: weights are stored as `-log_1.0001(w) / 1024`,
/// rounded to 8 bits (pocketsphinx's log base 1.0001 shifted by 10 bits).
pub(crate) const SENDUMP_UNIT: f64 = 1024.0 * 0.000_099_995_000_333_308_33; // 1024 * ln(1.0001)

/// Floor applied to float mixture weights (pocketsphinx's `-mixwfloor` default).
const MIXW_FLOOR: f32 = 1e-7;

/// Reads a `sendump` for a model of `n_sen` senones, `n_feat` streams, `n_density` densities.
pub(crate) fn read_sendump(
    name: &str,
    data: &[u8],
    n_sen: usize,
    n_feat: usize,
    n_density: usize,
) -> Result<Vec<f32>> {
    let mut pos = 0usize;
    let trunc = |what: &str, at: usize| {
        model_error(
            name,
            format!("truncated: ends while reading {what} at byte {at}"),
        )
    };
    let word = |pos: &mut usize, swap: bool, what: &str| -> Result<i32> {
        let b: [u8; 4] = data
            .get(*pos..*pos + 4)
            .ok_or_else(|| trunc(what, *pos))?
            .try_into()
            .expect("4 bytes");
        *pos += 4;
        let v = i32::from_le_bytes(b);
        Ok(if swap { v.swap_bytes() } else { v })
    };
    // The title length decides the byte order: it must be 1..=999 one way or the other.
    let mut swap = false;
    let mut n = word(&mut pos, false, "the title length")?;
    if !(1..=999).contains(&n) {
        n = n.swap_bytes();
        if !(1..=999).contains(&n) {
            return Err(model_error(
                name,
                "not a sendump file (title length out of range)",
            ));
        }
        swap = true;
    }
    let mut strings = Vec::new();
    loop {
        if n == 0 {
            break;
        }
        if n < 0 {
            return Err(model_error(
                name,
                format!("negative header string length {n}"),
            ));
        }
        let s = data
            .get(pos..pos + n as usize)
            .ok_or_else(|| trunc("the header", pos))?;
        // The title and first header string must end in NUL; later ones need not.
        if strings.len() < 2 && s.last() != Some(&0) {
            return Err(model_error(name, "header string not NUL-terminated"));
        }
        let text = s.split(|&b| b == 0).next().unwrap_or(&[]);
        strings.push(String::from_utf8_lossy(text).into_owned());
        pos += n as usize;
        n = word(&mut pos, swap, "the header")?;
    }
    let field = |key: &str| -> Option<i64> {
        strings
            .iter()
            .find_map(|s| s.strip_prefix(key).and_then(|v| v.trim().parse().ok()))
    };
    let (file_feat, file_density, file_sen) = (
        field("feature_count ").map(|v| v as usize),
        field("mixture_count ").map(|v| v as usize),
        field("model_count ").map(|v| v as usize),
    );
    let clusters = field("cluster_count ").unwrap_or(0);
    let bits = field("cluster_bits ").unwrap_or(8);
    if clusters != 0 || bits != 8 {
        return Err(model_error(
            name,
            format!(
                "clustered ({clusters} clusters, {bits} bits) mixture weights are not supported"
            ),
        ));
    }
    let rows = word(&mut pos, swap, "the row count")? as i64;
    let cols = word(&mut pos, swap, "the column count")? as i64;
    let expect = |what: &str, got: Option<usize>, want: usize| -> Result<()> {
        match got {
            Some(g) if g != want => Err(model_error(
                name,
                format!("{g} {what}, but the means and mdef have {want}"),
            )),
            _ => Ok(()),
        }
    };
    expect("feature streams", file_feat, n_feat)?;
    expect("densities", file_density, n_density)?;
    expect("senones", file_sen, n_sen)?;
    if rows != n_density as i64 || cols != n_sen as i64 {
        return Err(model_error(
            name,
            format!(
                "{rows} x {cols} weights, but the model has {n_density} densities x {n_sen} senones"
            ),
        ));
    }
    let need = n_feat * n_density * n_sen;
    let body = &data[pos..];
    if body.len() != need {
        return Err(model_error(
            name,
            format!(
                "{} bytes of weights, the model needs {need} ({n_feat} streams x {n_density} \
                 densities x {n_sen} senones){}",
                body.len(),
                if body.len() < need {
                    ": the file is truncated"
                } else {
                    ""
                }
            ),
        ));
    }
    let table: Vec<f32> = (0..256)
        .map(|v| (-(v as f64) * SENDUMP_UNIT).exp() as f32)
        .collect();
    let mut out = vec![0f32; need];
    for f in 0..n_feat {
        for d in 0..n_density {
            let row = &body[(f * n_density + d) * n_sen..][..n_sen];
            for (s, &q) in row.iter().enumerate() {
                out[(s * n_feat + f) * n_density + d] = table[q as usize];
            }
        }
    }
    Ok(out)
}

/// Reads Sphinx-3 float `mixture_weights`: normalised, floored and renormalised per
/// senone and stream as pocketsphinx does.
pub(crate) fn read_mixture_weights(
    name: &str,
    data: &[u8],
    n_sen: usize,
    n_feat: usize,
    n_density: usize,
) -> Result<Vec<f32>> {
    let mut r = S3Reader::new(name, data)?;
    let limit = data.len();
    let file_sen = r.count("senone count", limit)?;
    let file_feat = r.count("stream count", limit)?;
    let file_density = r.count("density count", limit)?;
    let total = r.count("value count", limit)?;
    if (file_sen, file_feat, file_density) != (n_sen, n_feat, n_density)
        || total != n_sen * n_feat * n_density
    {
        return Err(model_error(
            name,
            format!(
                "{file_sen} senones x {file_feat} streams x {file_density} densities \
                 ({total} values), but the mdef and means have {n_sen} x {n_feat} x {n_density}"
            ),
        ));
    }
    let mut w = r.f32s(total, "the weights")?;
    r.finish()?;
    for mix in w.chunks_mut(n_density) {
        let sum: f32 = mix.iter().sum();
        if sum > 0.0 {
            mix.iter_mut().for_each(|x| *x /= sum);
        }
        mix.iter_mut().for_each(|x| *x = x.max(MIXW_FLOOR));
        let sum: f32 = mix.iter().sum();
        mix.iter_mut().for_each(|x| *x /= sum);
    }
    Ok(w)
}
