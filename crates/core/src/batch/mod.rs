//! Aligning many recordings: the manifest that lists them, which items one shard of a
//! cluster job takes, where each item's outputs go, the per-item results record (and the
//! fingerprints that make a batch resumable), and the merged report.
//!
//! Nothing here runs an alignment: the command line (`talign batch`) schedules the items
//! and runs each in its own process; these are the data it reads and writes.

pub mod manifest;
pub mod plan;
pub mod report;
pub mod results;
pub mod shard;
