//! A small mutation fuzzer shared by the fuzz tests (`transcript_fuzz`, `decode_fuzz`): a
//! committed seed corpus is replayed, then mutated (bit flips, cuts, splices between files,
//! deletions, duplications, inserted hostile pieces) for `TALIGN_FUZZ_SECONDS` (default 5);
//! `TALIGN_FUZZ_SEED` fixes the sequence. An input that panics is saved under the target
//! directory with the message naming it, to be kept in the corpus's `regressions/`.

use std::path::Path;
use std::time::{Duration, Instant};

/// A seeded xorshift generator: the mutation sequence is fixed by the seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// What to fuzz and with what.
pub struct Target<'a> {
    /// Name in messages and saved files (`transcript`, `decode`).
    pub name: &'a str,
    /// The seed corpus folder, under `tests/fuzz-corpus/`.
    pub corpus: &'a str,
    /// Pieces the mutator inserts.
    pub inserts: &'a [&'a [u8]],
    /// Mutated inputs are cut to this size so one execution stays short.
    pub max_input: usize,
    /// At least this many seed files (else the corpus was not made).
    pub min_seeds: usize,
}

/// Replays the corpus, then mutates it for the time budget, running `check` on each input.
pub fn fuzz(target: &Target, check: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    let seconds: f64 = env_or("TALIGN_FUZZ_SECONDS", 5.0);
    let seed: u64 = env_or("TALIGN_FUZZ_SEED", 0x157a_119e);
    let files = corpus(target.corpus);
    assert!(
        files.len() >= target.min_seeds,
        "seed corpus missing: run scripts/make_fuzz_corpus.py"
    );
    for (path, bytes) in &files {
        run_one(target, &check, bytes, path);
    }
    let corpus: Vec<Vec<u8>> = files.iter().map(|(_, b)| b.clone()).collect();
    let mut rng = Rng(seed | 1);
    let started = Instant::now();
    let budget = Duration::from_secs_f64(seconds.max(0.0));
    let mut runs = 0u64;
    while started.elapsed() < budget {
        let k = rng.below(corpus.len());
        let input = mutate(target, &corpus[k], &corpus, &mut rng);
        let origin = format!("mutation {runs} of {} (seed {seed})", files[k].0);
        run_one(target, &check, &input, &origin);
        runs += 1;
    }
    let spent = started.elapsed().as_secs_f64();
    eprintln!(
        "{} fuzz: {} seed files replayed, {runs} mutated inputs in {spent:.1} s ({:.0}/s), \
         seed {seed}",
        target.name,
        files.len(),
        runs as f64 / spent.max(1e-9)
    );
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// One to four mutations of `input`, with material from `corpus`.
fn mutate(target: &Target, input: &[u8], corpus: &[Vec<u8>], rng: &mut Rng) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(7) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 => out.truncate(at),
            2 => {
                let other = &corpus[rng.below(corpus.len())];
                let a = rng.below(other.len() + 1);
                let b = (a + rng.below(2048)).min(other.len());
                out.splice(at..at, other[a..b].iter().copied());
            }
            3 | 4 => {
                let piece = target.inserts[rng.below(target.inserts.len())];
                out.splice(at..at, piece.iter().copied());
            }
            5 => {
                let end = (at + rng.below(64)).min(out.len());
                out.drain(at..end);
            }
            _ => {
                let end = (at + rng.below(256)).min(out.len());
                let copy = out[at..end].to_vec();
                out.splice(at..at, copy);
            }
        }
    }
    out.truncate(target.max_input);
    out
}

/// Every file of the seed corpus and its `regressions/`, sorted by path.
fn corpus(folder: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-corpus")
        .join(folder);
    let mut files = Vec::new();
    for dir in [root.clone(), root.join("regressions")] {
        for entry in std::fs::read_dir(&dir).expect("the seed corpus is committed") {
            let path = entry.unwrap().path();
            if path.is_file() && path.extension().is_none_or(|e| e != "md") {
                files.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// Runs one input; a panic saves it under the target directory and names the file.
fn run_one(
    target: &Target,
    check: &(impl Fn(&[u8]) + std::panic::RefUnwindSafe),
    input: &[u8],
    origin: &str,
) {
    let outcome = std::panic::catch_unwind(|| check(input));
    if outcome.is_err() {
        let name = format!("{}-fuzz-{:016x}.bin", target.name, fnv(input));
        let saved = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
        std::fs::write(&saved, input).unwrap();
        panic!(
            "input from {origin} broke an invariant (above); saved as {}: copy it into \
             tests/fuzz-corpus/{}/regressions/ and fix the cause",
            saved.display(),
            target.corpus
        );
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// Proptest's defaults with a fixed seed, so every run checks the same cases, and no failure
/// files; `PROPTEST_RNG_SEED` and `PROPTEST_CASES` explore further.
pub fn seeded_proptest(seed: u64) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, RngSeed};
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(seed);
    }
    config
}
