//! The `ccrecap` binary: parse argv, run, and turn the outcome into an exit code and at
//! most one line on stderr: 0 success, 1 error, 2 usage error, 3 `--strict` with
//! something skipped. A closed stdout (`| head`) exits 0 quietly. The static musl
//! builds also choose mimalloc as the allocator here (musl's own is slow under rayon).

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's defaults suit long-running servers: arenas committed up front and freed
/// pages handed back to the OS a second later. A one-shot report is better served by
/// committing on demand and purging at once: it halves the peak memory of a 1 GB scan
/// (bench/README.md) at no measurable cost in time.
#[cfg(target_env = "musl")]
fn tune_allocator() {
    use libmimalloc_sys::{mi_option_set, mi_option_t};
    // `mi_option_e` in mimalloc v3's mimalloc.h, the version libmimalloc-sys 0.1.49 builds
    // (the crate names only the options older versions had).
    const ARENA_EAGER_COMMIT: mi_option_t = 4;
    const PURGE_DELAY: mi_option_t = 15;
    // SAFETY: setting an option is a plain store mimalloc allows at any time.
    unsafe {
        mi_option_set(ARENA_EAGER_COMMIT, 0);
        mi_option_set(PURGE_DELAY, 0);
    }
}

fn main() -> ExitCode {
    #[cfg(target_env = "musl")]
    tune_allocator();
    let cli = match ccrecap::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match ccrecap::run(&cli) {
        Ok(ccrecap::Outcome::Complete) => ExitCode::SUCCESS,
        Ok(ccrecap::Outcome::StrictIncomplete) => ExitCode::from(3),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            let code = e
                .downcast_ref::<ccrecap::error::UserError>()
                .map_or(1, ccrecap::error::UserError::exit_code);
            let _ = writeln!(
                std::io::stderr(),
                "ccrecap: error: {}",
                ccrecap::render::sanitize::tty(&format!("{e:#}"))
            );
            ExitCode::from(code)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
