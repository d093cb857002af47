//! Progress reporting as a library trait; only the CLI draws a bar.

/// Hears how far a long job has got. Every method has a no-op default.
pub trait Progress: Sync {
    /// The job starts; `total_s` is the recording's length when known.
    fn start(&self, _total_s: Option<f64>) {}
    /// Audio up to `at_s` seconds has been analysed.
    fn advance(&self, _at_s: f64) {}
    /// The job has moved to a new stage (e.g. "aligning").
    fn stage(&self, _name: &str) {}
    /// The job is done.
    fn finish(&self) {}
}

/// Progress that reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}
