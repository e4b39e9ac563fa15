//! The generator's command line: `ccrecap-gen --out DIR --seed N [--sessions N |
//! --target-bytes B] …` writes the corpus and prints its manifest as one JSON line (with
//! `generation_seconds`, which the file leaves null so it stays byte-deterministic).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use anyhow::{Context, Result};
use ccrecap_gen::{Options, generate_with};
use clap::Parser;
use std::time::Instant;

fn main() -> Result<()> {
    let opts = Options::parse();
    let out = opts.out.clone().context("--out DIR is required")?;
    let started = Instant::now();
    let verbose = opts.verbose;
    let mut m = generate_with(&opts, &out, |sessions, bytes| {
        if verbose {
            eprintln!(
                "... {sessions} sessions, {} MiB, {:.1} s",
                bytes >> 20,
                started.elapsed().as_secs_f64()
            );
        }
    })?;
    m.diagnostics.generation_seconds =
        Some((started.elapsed().as_secs_f64() * 100.0).round() / 100.0);
    println!("{}", serde_json::to_string(&m)?);
    Ok(())
}
