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

fn main() -> ExitCode {
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
