//! glibc's allocator, set for a long batch job rather than a short interactive one.
//!
//! By default glibc gives each thread that allocates its own arena and raises its mmap
//! threshold every time a large block is freed, so the aligner's large per-window buffers
//! end up in arenas that are never given back: peak RSS grew with the recording's length
//! even where the live heap did not (docs/speed.md, "What memory holds"). One arena and a
//! fixed threshold return large blocks to the system when they are freed.

/// Blocks this large or larger are mapped on their own and unmapped when freed (glibc's
/// default starting value, kept fixed instead of rising).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD_BYTES: libc::c_int = 128 * 1024;

/// Applies the settings; call first thing in `main`, before any thread starts.
pub fn configure() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only changes allocator parameters; it is called before any other
    // thread exists. A value glibc refuses leaves its default in place (return value 0).
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES);
    }
}
