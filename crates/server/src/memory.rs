//! Giving freed memory back to the system, so that the report checker's memory bound holds.
//!
//! The checker reads uploads of up to 16 MB a file; reading one takes about ten times its
//! size for a moment (`check::Limits::parse_bytes` budgets that). glibc's allocator serves
//! a large block with its own mapping (returned to the system when freed) only above a
//! threshold that it *raises* to the size of every such block freed, up to 32 MB. After
//! the first upload, the next uploads' megabyte-sized buffers come from the heaps of the
//! threads that read them, and a heap shrinks only from its top: measured with the
//! `check_load` bench (40 uploads of 4 × 14 MB, release build), the server's peak RSS was
//! 545 MB with the default behaviour and 292 MB with the threshold fixed at 1 MiB — the
//! same work, only the freed memory going back. (mimalloc as the global allocator gave
//! 426 MB, 286 MB with its purge delay at 0, a C build more and the same kind of option
//! setting; so the system allocator stays and is set once.)

/// Makes the C allocator serve every block of 1 MiB or more with its own mapping, so that
/// freeing one returns it to the system at once. Call it at the start of `main`, before the
/// runtime's threads exist. Does nothing outside Linux with glibc (musl, macOS and Windows
/// allocators do not raise such a threshold).
pub fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // A fixed threshold also turns off glibc's dynamic raising of it (mallopt(3)).
        const THRESHOLD: libc::c_int = 1 << 20;
        // SAFETY: `mallopt` only sets an allocator parameter; glibc takes the allocator's
        // lock for it, so it is sound at any time, and it is called before other threads.
        #[allow(unsafe_code)]
        let ok = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD) };
        if ok != 1 {
            tracing::warn!(
                "mallopt(M_MMAP_THRESHOLD) refused; freed memory may stay with the process"
            );
        }
    }
}
