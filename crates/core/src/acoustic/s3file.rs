//! The Sphinx-3 binary parameter format (`means`, `variances`, `transition_matrices`,
//! `mixture_weights`): a text header `s3\n` + `name value` lines + `endhdr\n`, the
//! byte-order magic 0x11223344 as written by the producing machine, then 32-bit values,
//! optionally followed by a checksum (`chksum0` in the header).

use super::{model_error, plausible_count};
use crate::error::Result;

const BYTE_ORDER_MAGIC: u32 = 0x1122_3344;

/// A cursor over one s3 file's data section.
pub(crate) struct S3Reader<'a> {
    name: &'a str,
    data: &'a [u8],
    pos: usize,
    swap: bool,
    checksum_present: bool,
    checksum: u32,
}

impl<'a> S3Reader<'a> {
    /// Parses the header and the byte-order magic of `data` (the file `name`, for messages).
    pub(crate) fn new(name: &'a str, data: &'a [u8]) -> Result<S3Reader<'a>> {
        if !data.starts_with(b"s3\n") {
            return Err(model_error(
                name,
                "not a Sphinx-3 binary parameter file (no `s3` header line)",
            ));
        }
        let mut pos = 3;
        let mut header = Vec::new();
        loop {
            let Some(len) = data[pos..].iter().position(|&b| b == b'\n') else {
                return Err(model_error(name, "header has no `endhdr` line"));
            };
            let line = String::from_utf8_lossy(&data[pos..pos + len]).into_owned();
            pos += len + 1;
            let mut words = line.split_whitespace();
            match words.next() {
                Some("endhdr") => break,
                Some(w) if w.starts_with('#') => {}
                Some(w) => header.push((w.to_string(), words.next().unwrap_or("").to_string())),
                None => {}
            }
        }
        let Some(bytes) = data.get(pos..pos + 4) else {
            return Err(model_error(name, "truncated after the header"));
        };
        let magic = u32::from_le_bytes(bytes.try_into().expect("4 bytes"));
        let swap = if magic == BYTE_ORDER_MAGIC {
            false
        } else if magic.swap_bytes() == BYTE_ORDER_MAGIC {
            true
        } else {
            return Err(model_error(
                name,
                format!("bad byte-order magic {magic:#010x} (expected 0x11223344)"),
            ));
        };
        let checksum_present = header.iter().any(|(k, _)| k == "chksum0");
        Ok(S3Reader {
            name,
            data,
            pos: pos + 4,
            swap,
            checksum_present,
            checksum: 0,
        })
    }

    fn word(&mut self, what: &str) -> Result<u32> {
        let Some(bytes) = self.data.get(self.pos..self.pos + 4) else {
            return Err(model_error(
                self.name,
                format!("truncated: ends while reading {what} at byte {}", self.pos),
            ));
        };
        self.pos += 4;
        let raw = u32::from_le_bytes(bytes.try_into().expect("4 bytes"));
        let v = if self.swap { raw.swap_bytes() } else { raw };
        // pocketsphinx's checksum: rotate left 20 and add, over values in host order.
        self.checksum = self.checksum.rotate_left(20).wrapping_add(v);
        Ok(v)
    }

    /// Reads one 32-bit signed integer (`what` names it in errors).
    pub(crate) fn i32(&mut self, what: &str) -> Result<i32> {
        Ok(self.word(what)? as i32)
    }

    /// Reads a count: a non-negative i32 no larger than `max`.
    pub(crate) fn count(&mut self, what: &str, max: usize) -> Result<usize> {
        let v = self.i32(what)?;
        plausible_count(self.name, what, v, max)
    }

    /// Reads `n` 32-bit floats.
    pub(crate) fn f32s(&mut self, n: usize, what: &str) -> Result<Vec<f32>> {
        let need = n.saturating_mul(4);
        if self.data.len().saturating_sub(self.pos) < need {
            return Err(model_error(
                self.name,
                format!(
                    "truncated: {what} needs {need} bytes from byte {}, the file has {}",
                    self.pos,
                    self.data.len()
                ),
            ));
        }
        (0..n)
            .map(|_| self.word(what).map(f32::from_bits))
            .collect()
    }

    /// Checks the trailing checksum (when the header announces one) and that nothing follows.
    pub(crate) fn finish(mut self) -> Result<()> {
        if self.checksum_present {
            let computed = self.checksum;
            let stored = self.word("the checksum")?;
            if stored != computed {
                return Err(model_error(
                    self.name,
                    format!(
                        "checksum mismatch (file {stored:#010x}, computed {computed:#010x}): the file is damaged"
                    ),
                ));
            }
        }
        if self.pos != self.data.len() {
            return Err(model_error(
                self.name,
                format!(
                    "{} bytes more than the header's dimensions describe",
                    self.data.len() - self.pos
                ),
            ));
        }
        Ok(())
    }
}
