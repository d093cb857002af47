//! The binary model definition (`mdef`, magic `BMDF`) of pocketsphinx: the CI phone names,
//! a tree mapping (word position, base, left, right) to triphone ids, per phone its senone
//! sequence and transition matrix, and the senone sequences themselves.

use super::{model_error, plausible_count};
use crate::error::Result;

/// One phone (CI or triphone) of the mdef.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PhoneEntry {
    /// Index into [`Mdef::sseq`].
    pub ssid: u32,
    /// Transition matrix index.
    pub tmat: u32,
    /// CI phones: `[filler, 0, 0, 0]`; triphones: `[word position, base, left, right]`.
    pub info: [u8; 4],
}

/// One node of the context tree: a context value, and either children or a phone id.
#[derive(Debug, Clone, Copy)]
struct TreeNode {
    ctx: i16,
    n_down: i16,
    down_or_pid: i32,
}

/// A parsed binary mdef (only homogeneous 3-state topologies).
#[derive(Debug, Clone)]
pub(crate) struct Mdef {
    pub ci_names: Vec<String>,
    pub phones: Vec<PhoneEntry>,
    pub sseq: Vec<[u32; 3]>,
    pub n_ci_sen: usize,
    pub n_sen: usize,
    pub n_tmat: usize,
    tree: Vec<TreeNode>,
    /// The silence phone's id, when the model has `SIL`.
    pub sil: Option<u16>,
}

/// Word positions in the tree's order (pocketsphinx: internal, begin, end, single).
const N_WORD_POSN: usize = 4;

struct Cursor<'a> {
    name: &'a str,
    data: &'a [u8],
    pos: usize,
    big: bool,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize, what: &str) -> Result<&[u8]> {
        let Some(b) = self.data.get(self.pos..self.pos.saturating_add(n)) else {
            return Err(model_error(
                self.name,
                format!("truncated: ends while reading {what} at byte {}", self.pos),
            ));
        };
        self.pos += n;
        Ok(b)
    }
    fn i32(&mut self, what: &str) -> Result<i32> {
        let b: [u8; 4] = self.take(4, what)?.try_into().expect("4 bytes");
        Ok(if self.big {
            i32::from_be_bytes(b)
        } else {
            i32::from_le_bytes(b)
        })
    }
    fn i16(&mut self, what: &str) -> Result<i16> {
        let b: [u8; 2] = self.take(2, what)?.try_into().expect("2 bytes");
        Ok(if self.big {
            i16::from_be_bytes(b)
        } else {
            i16::from_le_bytes(b)
        })
    }
    fn count(&mut self, what: &str, max: usize) -> Result<usize> {
        let v = self.i32(what)?;
        plausible_count(self.name, what, v, max)
    }
}

impl Mdef {
    /// Parses a binary mdef from `data` (the file `name`, for messages).
    pub(crate) fn parse(name: &str, data: &[u8]) -> Result<Mdef> {
        let big = match data.get(..4) {
            Some(b"BMDF") => false,
            Some(b"FDMB") => true,
            _ => {
                let text = data.starts_with(b"0.3") || data.starts_with(b"#");
                return Err(model_error(
                    name,
                    if text {
                        "a text model definition; talign reads the binary (BMDF) form \
                         (convert with `pocketsphinx_mdef_convert -bin`)"
                    } else {
                        "not a binary model definition (no BMDF magic)"
                    },
                ));
            }
        };
        let mut c = Cursor {
            name,
            data,
            pos: 4,
            big,
        };
        let version = c.i32("the format version")?;
        if version > 1 {
            return Err(model_error(
                name,
                format!("format version {version} is newer than talign reads (1)"),
            ));
        }
        let hdr_len = c.count("the header length", data.len())?;
        c.take(hdr_len, "the format description")?;
        let limit = data.len();
        let n_ciphone = c.count("the number of CI phones", 255)?;
        let n_phone = c.count("the number of phones", limit / 12)?;
        let n_emit_state = c.i32("the number of emitting states")?;
        let n_ci_sen = c.count("the number of CI senones", limit)?;
        let n_sen = c.count("the number of senones", limit)?;
        let n_tmat = c.count("the number of transition matrices", limit)?;
        let n_sseq = c.count("the number of senone sequences", limit / 6)?;
        let _n_ctx = c.i32("the number of context phones")?;
        let n_cd_tree = c.count("the number of tree nodes", limit / 8)?;
        let _sil = c.i32("the silence phone")?;
        if n_emit_state != 3 {
            return Err(model_error(
                name,
                format!(
                    "{n_emit_state} emitting states per phone; talign handles 3-state HMMs only"
                ),
            ));
        }
        if n_ciphone == 0 || n_phone < n_ciphone || n_ci_sen > n_sen || n_sen > u16::MAX as usize {
            return Err(model_error(
                name,
                format!(
                    "inconsistent header: {n_ciphone} CI phones, {n_phone} phones, \
                     {n_ci_sen} CI senones, {n_sen} senones"
                ),
            ));
        }
        let names_start = c.pos;
        let mut ci_names = Vec::with_capacity(n_ciphone);
        for _ in 0..n_ciphone {
            let rest = &data[c.pos..];
            let Some(len) = rest.iter().position(|&b| b == 0) else {
                return Err(model_error(name, "truncated in the phone names"));
            };
            ci_names.push(String::from_utf8_lossy(&rest[..len]).into_owned());
            c.pos += len + 1;
        }
        // The tree starts 4-aligned relative to the first name.
        c.pos = names_start + (c.pos - names_start).div_ceil(4) * 4;
        let mut tree = Vec::with_capacity(n_cd_tree);
        for _ in 0..n_cd_tree {
            let ctx = c.i16("the context tree")?;
            let n_down = c.i16("the context tree")?;
            let down_or_pid = c.i32("the context tree")?;
            tree.push(TreeNode {
                ctx,
                n_down,
                down_or_pid,
            });
        }
        let mut phones = Vec::with_capacity(n_phone);
        for _ in 0..n_phone {
            let ssid = c.i32("the phone table")?;
            let tmat = c.i32("the phone table")?;
            let info: [u8; 4] = c.take(4, "the phone table")?.try_into().expect("4 bytes");
            if ssid < 0 || ssid as usize >= n_sseq || tmat < 0 || tmat as usize >= n_tmat {
                return Err(model_error(
                    name,
                    format!(
                        "phone {} refers to senone sequence {ssid} / transition matrix {tmat} \
                         (the file has {n_sseq} / {n_tmat})",
                        phones.len()
                    ),
                ));
            }
            phones.push(PhoneEntry {
                ssid: ssid as u32,
                tmat: tmat as u32,
                info,
            });
        }
        let sseq_size = c.count("the senone sequence size", limit / 2)?;
        if sseq_size != n_sseq * 3 {
            return Err(model_error(
                name,
                format!("{sseq_size} senone ids for {n_sseq} 3-state sequences"),
            ));
        }
        let mut sseq = Vec::with_capacity(n_sseq);
        for _ in 0..n_sseq {
            let mut s = [0u32; 3];
            for v in &mut s {
                let id = c.i16("the senone sequences")? as u16 as usize;
                if id >= n_sen {
                    return Err(model_error(
                        name,
                        format!("senone {id} out of range (the model has {n_sen})"),
                    ));
                }
                *v = id as u32;
            }
            sseq.push(s);
        }
        for (i, p) in phones.iter().enumerate().skip(n_ciphone) {
            if p.info[0] as usize >= N_WORD_POSN
                || p.info[1..].iter().any(|&x| x as usize >= n_ciphone)
            {
                return Err(model_error(
                    name,
                    format!("triphone {i} has an invalid context {:?}", p.info),
                ));
            }
        }
        let sil = ci_names.iter().position(|n| n == "SIL").map(|p| p as u16);
        Ok(Mdef {
            ci_names,
            phones,
            sseq,
            n_ci_sen,
            n_sen,
            n_tmat,
            tree,
            sil,
        })
    }

    /// Number of CI phones.
    pub(crate) fn n_ci(&self) -> usize {
        self.ci_names.len()
    }

    /// True for filler CI phones (`SIL`, `+NSN+`, ...).
    pub(crate) fn is_filler(&self, ci: usize) -> bool {
        self.phones[ci].info[0] != 0
    }

    /// The exact triphone id for (base, left, right, word position), fillers in context
    /// mapped to silence; `None` when the mdef lacks it.
    pub(crate) fn exact(
        &self,
        base: usize,
        left: usize,
        right: usize,
        wpos: usize,
    ) -> Option<usize> {
        let map = |p: usize| match self.sil {
            Some(s) if self.is_filler(p) => s as i16,
            _ => p as i16,
        };
        let ctx = [wpos as i16, base as i16, map(left), map(right)];
        let mut start = 0usize;
        let mut count = N_WORD_POSN;
        for (level, &want) in ctx.iter().enumerate() {
            let nodes = self.tree.get(start..start.checked_add(count)?)?;
            let node = nodes.iter().find(|n| n.ctx == want)?;
            if node.n_down <= 0 || level == 3 {
                let pid = node.down_or_pid;
                return (pid >= 0 && (pid as usize) < self.phones.len()).then_some(pid as usize);
            }
            start = usize::try_from(node.down_or_pid).ok()?;
            count = node.n_down as usize;
        }
        None
    }

    /// The triphone, backing off as pocketsphinx does: other word positions, then silence
    /// for filler contexts and word edges, then the CI phone.
    pub(crate) fn nearest(&self, base: usize, left: usize, right: usize, wpos: usize) -> usize {
        let any_pos = |l: usize, r: usize| {
            self.exact(base, l, r, wpos).or_else(|| {
                (0..N_WORD_POSN)
                    .filter(|&p| p != wpos)
                    .find_map(|p| self.exact(base, l, r, p))
            })
        };
        if let Some(p) = any_pos(left, right) {
            return p;
        }
        if let Some(sil) = self.sil.map(usize::from) {
            // Word positions: 1 begin, 2 end, 3 single.
            let l = if self.is_filler(left) || wpos == 1 || wpos == 3 {
                sil
            } else {
                left
            };
            let r = if self.is_filler(right) || wpos == 2 || wpos == 3 {
                sil
            } else {
                right
            };
            if (l, r) != (left, right)
                && let Some(p) = any_pos(l, r)
            {
                return p;
            }
        }
        base
    }

    /// The CI phone of every senone (the codebook of a PTM model), from the phones that use it.
    pub(crate) fn senone_ci(&self) -> Vec<u16> {
        let mut out = vec![u16::MAX; self.n_sen];
        for (pid, p) in self.phones.iter().enumerate() {
            let ci = if pid < self.n_ci() {
                pid
            } else {
                p.info[1] as usize
            };
            for &s in &self.sseq[p.ssid as usize] {
                if out[s as usize] == u16::MAX {
                    out[s as usize] = ci as u16;
                }
            }
        }
        out
    }
}
