//! Which items one task of a cluster job takes: shard K of N takes items K, K+N, K+2N, ...
//! (1-based, in manifest order), so N tasks over one manifest cover every item once with no
//! coordination beyond K and N. K and N come from `--shard K/N`, else from the scheduler's
//! environment: a Slurm job array or a Kubernetes Indexed Job.

use std::fmt;

use crate::{Error, Result};

/// Shard `index` of `count` (1 ≤ index ≤ count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: usize,
    /// How many shards share the manifest.
    pub count: usize,
}

impl Shard {
    /// The whole manifest: shard 1 of 1.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// Parses `K/N`; `0/0`, `5/4` and the like are refused.
    pub fn parse(spec: &str) -> Result<Shard> {
        let bad = |why: &str| {
            Error::Invalid(format!(
                "--shard {spec}: {why}; give K/N with 1 ≤ K ≤ N (3/4: the third of four shards)"
            ))
        };
        let (k, n) = spec.split_once('/').ok_or_else(|| bad("no `/`"))?;
        let number = |s: &str| {
            s.trim()
                .parse::<usize>()
                .map_err(|_| bad("not two whole numbers"))
        };
        Shard::new(number(k)?, number(n)?).ok_or_else(|| bad("K is out of 1..N"))
    }

    /// Shard `index` of `count`, when 1 ≤ index ≤ count.
    pub fn new(index: usize, count: usize) -> Option<Shard> {
        (index >= 1 && index <= count).then_some(Shard { index, count })
    }

    /// The shard the scheduler gave this task, read from `var` (an environment lookup):
    /// a Slurm array task (`SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_COUNT`, and `_MIN` and
    /// `_STEP` so that `--array=1-4`, `0-3` and `0-6:2` all work), else a Kubernetes Indexed
    /// Job's 0-based `JOB_COMPLETION_INDEX` with `completions` (or `TALIGN_COMPLETIONS`)
    /// as the count. `None` when neither scheduler set them.
    pub fn from_env(
        var: impl Fn(&str) -> Option<String>,
        completions: Option<usize>,
    ) -> Result<Option<Shard>> {
        let number = |name: &str| -> Result<Option<usize>> {
            var(name)
                .map(|v| {
                    v.trim()
                        .parse::<usize>()
                        .map_err(|_| Error::Invalid(format!("{name}={v}: not a whole number")))
                })
                .transpose()
        };
        if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
            let count = number("SLURM_ARRAY_TASK_COUNT")?.ok_or_else(|| {
                Error::Invalid(
                    "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; give \
                     --shard K/N"
                        .into(),
                )
            })?;
            let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let step = number("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1).max(1);
            let index = id
                .checked_sub(min)
                .filter(|d| d % step == 0)
                .map(|d| d / step + 1);
            return index
                .and_then(|k| Shard::new(k, count))
                .map(Some)
                .ok_or_else(|| {
                    Error::Invalid(format!(
                        "SLURM_ARRAY_TASK_ID={id} is not one of the {count} tasks from {min} \
                         in steps of {step}; give --shard K/N"
                    ))
                });
        }
        if let Some(index) = number("JOB_COMPLETION_INDEX")? {
            let count = match completions {
                Some(n) => n,
                None => number("TALIGN_COMPLETIONS")?.ok_or_else(|| {
                    Error::Invalid(
                        "JOB_COMPLETION_INDEX is set but not how many completions the Job \
                         has: give --completions N (or TALIGN_COMPLETIONS), or --shard K/N"
                            .into(),
                    )
                })?,
            };
            return Shard::new(index + 1, count).map(Some).ok_or_else(|| {
                Error::Invalid(format!(
                    "JOB_COMPLETION_INDEX={index} is not below the {count} completions"
                ))
            });
        }
        Ok(None)
    }

    /// Whether the item at 0-based position `position` in the manifest is this shard's.
    pub fn takes(&self, position: usize) -> bool {
        position % self.count == self.index - 1
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn specs() {
        assert_eq!(Shard::parse("3/4").unwrap(), Shard { index: 3, count: 4 });
        for bad in ["5/4", "0/0", "0/3", "3", "a/b", "-1/2", "1/0"] {
            let err = Shard::parse(bad).unwrap_err().to_string();
            assert!(err.contains(bad) && err.contains("K/N"), "{bad}: {err}");
        }
    }

    #[test]
    fn shards_cover_every_item_once() {
        let shards: Vec<Shard> = (1..=4).map(|k| Shard::new(k, 4).unwrap()).collect();
        for position in 0..23 {
            assert_eq!(shards.iter().filter(|s| s.takes(position)).count(), 1);
        }
        assert!(shards[1].takes(1) && shards[1].takes(5) && !shards[1].takes(2));
    }

    #[test]
    fn slurm_and_kubernetes_indices() {
        let slurm = [
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
        ];
        assert_eq!(
            Shard::from_env(env(&slurm), None).unwrap(),
            Shard::new(2, 4)
        );
        let zero_based = [
            ("SLURM_ARRAY_TASK_ID", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ];
        assert_eq!(
            Shard::from_env(env(&zero_based), None).unwrap(),
            Shard::new(1, 4)
        );
        let stepped = [
            ("SLURM_ARRAY_TASK_ID", "6"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
        ];
        assert_eq!(
            Shard::from_env(env(&stepped), None).unwrap(),
            Shard::new(4, 4)
        );
        let outside = [
            ("SLURM_ARRAY_TASK_ID", "4"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ];
        assert!(Shard::from_env(env(&outside), None).is_err());
        let k8s = [("JOB_COMPLETION_INDEX", "0")];
        assert_eq!(
            Shard::from_env(env(&k8s), Some(3)).unwrap(),
            Shard::new(1, 3)
        );
        assert!(Shard::from_env(env(&k8s), None).is_err(), "no count");
        let k8s_env = [("JOB_COMPLETION_INDEX", "2"), ("TALIGN_COMPLETIONS", "3")];
        assert_eq!(
            Shard::from_env(env(&k8s_env), None).unwrap(),
            Shard::new(3, 3)
        );
        assert_eq!(Shard::from_env(env(&[]), None).unwrap(), None);
    }
}
