//! The acoustic model and what is built on it: pronunciations and forced alignment.

pub mod dictionary;
pub mod forced;
pub mod pronounce;
