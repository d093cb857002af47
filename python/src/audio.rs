//! The `audio` argument: a path, or `(samples, sample_rate)` with a NumPy array.

use std::path::PathBuf;

use numpy::{PyArrayDyn, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

/// More channels than this in a 2-D array is taken for a `channels × frames` array given
/// the wrong way round (librosa's layout), and refused with what to do.
const MAX_CHANNELS: usize = 64;

/// A recording as the caller gave it, owned so the work can run without the GIL.
pub enum Audio {
    /// A file to decode.
    File(PathBuf),
    /// Interleaved samples (copied from the caller's array).
    Samples {
        data: Vec<f32>,
        sample_rate: u32,
        channels: u32,
        name: PathBuf,
    },
}

impl Audio {
    /// Reads `audio` (a `str` or `os.PathLike`, or a tuple `(samples, sample_rate)`);
    /// `name` names in-memory samples in messages and in the alignment.
    pub fn extract(audio: &Bound<'_, PyAny>, name: Option<PathBuf>) -> PyResult<Audio> {
        if let Ok(tuple) = audio.cast::<PyTuple>() {
            return samples(tuple, name);
        }
        if audio.is_instance_of::<PyString>() || audio.hasattr("__fspath__")? {
            let path: PathBuf = audio.extract()?;
            return Ok(Audio::File(path));
        }
        Err(PyTypeError::new_err(format!(
            "audio must be a path (str or os.PathLike) or a tuple (samples, sample_rate) with \
             samples a NumPy float32 array; got {}",
            type_name(audio)
        )))
    }

    /// The path of a file, `None` for samples.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Audio::File(path) => Some(path),
            Audio::Samples { .. } => None,
        }
    }
}

/// `(samples, sample_rate)`: samples a float32 (or float64) NumPy array, mono (1-D) or
/// frames × channels (2-D), copied to interleaved float32.
fn samples(tuple: &Bound<'_, PyTuple>, name: Option<PathBuf>) -> PyResult<Audio> {
    if tuple.len() != 2 {
        return Err(PyValueError::new_err(format!(
            "audio as a tuple is (samples, sample_rate); got a tuple of {} items",
            tuple.len()
        )));
    }
    let array = tuple.get_item(0)?;
    let rate = tuple.get_item(1)?;
    let sample_rate = sample_rate(&rate)?;
    let Ok(untyped) = array.cast::<PyUntypedArray>() else {
        return Err(PyTypeError::new_err(format!(
            "samples must be a NumPy array of float32 (mono, or frames × channels); got {} \
             (numpy.asarray(samples, dtype=numpy.float32) makes one)",
            type_name(&array)
        )));
    };
    let shape = untyped.shape().to_vec();
    let channels = match shape.as_slice() {
        [_] => 1,
        [_, channels] => *channels,
        _ => {
            return Err(PyValueError::new_err(format!(
                "samples must be 1-D (mono) or 2-D (frames × channels); got {} dimensions, \
                 shape {shape:?}",
                shape.len()
            )));
        }
    };
    if channels == 0 {
        return Err(PyValueError::new_err(format!(
            "samples of shape {shape:?} have no channels; give frames × channels with at least \
             one channel"
        )));
    }
    if channels > MAX_CHANNELS {
        return Err(PyValueError::new_err(format!(
            "samples of shape {shape:?} would have {channels} channels; talign takes frames × \
             channels (soundfile's layout): pass samples.T for a channels × frames array \
             (librosa's layout)"
        )));
    }
    // The samples are copied here, with the GIL held: the caller's array may change (or go
    // away) while the work runs without the GIL.
    let data: Vec<f32> = if let Ok(a) = array.cast::<PyArrayDyn<f32>>() {
        let a = a.try_readonly().map_err(borrow_error)?;
        // A C-contiguous array is already interleaved; any other layout (Fortran order,
        // strided views) is read element by element in frames × channels order.
        match a.as_slice() {
            Ok(slice) if a.is_c_contiguous() => slice.to_vec(),
            _ => a.as_array().iter().copied().collect(),
        }
    } else if let Ok(a) = array.cast::<PyArrayDyn<f64>>() {
        let a = a.try_readonly().map_err(borrow_error)?;
        a.as_array().iter().map(|&x| x as f32).collect()
    } else {
        return Err(PyTypeError::new_err(format!(
            "samples must be float32 (or float64) in [-1, 1]; got dtype {}: convert integer \
             PCM with e.g. samples.astype(numpy.float32) / 32768",
            untyped.dtype()
        )));
    };
    Ok(Audio::Samples {
        data,
        sample_rate,
        channels: channels as u32,
        name: name.unwrap_or_else(|| PathBuf::from("<samples>")),
    })
}

/// The sample rate: a positive whole number of frames per second (talign checks the range).
fn sample_rate(rate: &Bound<'_, PyAny>) -> PyResult<u32> {
    if rate.is_instance_of::<pyo3::types::PyBool>() {
        return Err(PyTypeError::new_err("sample_rate must be an int, got bool"));
    }
    let Ok(value) = rate.extract::<i64>() else {
        return Err(PyTypeError::new_err(format!(
            "sample_rate must be an int (frames per second, e.g. 16000); got {}",
            type_name(rate)
        )));
    };
    u32::try_from(value).map_err(|_| {
        PyValueError::new_err(format!(
            "sample rate {value} Hz is not a rate: give frames per second, e.g. 16000 or 44100"
        ))
    })
}

fn borrow_error(err: numpy::BorrowError) -> PyErr {
    PyValueError::new_err(format!("samples cannot be read: {err}"))
}

/// `type(obj).__name__`, for messages.
pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}
