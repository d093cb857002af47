//! Deterministic test signals shared by the unit tests (never unseeded randomness).

/// Pseudo-random samples in `[-amplitude, amplitude]` (xorshift), so failures reproduce.
pub(crate) fn seeded_noise(seed: u64, len: usize, amplitude: f32) -> Vec<f32> {
    let mut state = seed.max(1);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ((state % 20_001) as f32 / 10_000.0 - 1.0) * amplitude
        })
        .collect()
}

/// `relative` inside the repository (the core crate sits two folders down): fixtures under
/// `tests/`, `sample-audio/` and `models/` are shared with the command line's tests.
pub(crate) fn repo_path(relative: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}
