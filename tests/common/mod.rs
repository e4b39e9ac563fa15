//! Shared helpers for the integration tests: run ccrecap in-process on a directory and
//! get its JSON report as a `serde_json::Value`.

#![allow(dead_code)]

use ccrecap::cli::Cli;
use clap::Parser;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// Runs `ccrecap <args> --json --timezone UTC --now <fixed>` in-process.
pub fn report(args: &[&str]) -> Value {
    let mut argv = vec!["ccrecap"];
    argv.extend_from_slice(args);
    argv.extend_from_slice(&[
        "--json",
        "--timezone",
        "UTC",
        "--now",
        "2026-11-16T00:00:00Z",
    ]);
    let cli = Cli::try_parse_from(argv).expect("valid arguments");
    let cfg = ccrecap::config::resolve(cli).expect("config resolves");
    let scan = ccrecap::scan_data(&cfg);
    let report = ccrecap::build_report(&cfg, &scan, ccrecap::pricing::Pricing::embedded());
    serde_json::to_value(&report).expect("report serializes")
}

/// The daily report of a fixture directory (a Claude config dir).
pub fn daily(dir: &Path) -> Value {
    report(&["daily", "--claude-dir", dir.to_str().unwrap()])
}

/// (input, output, cache_read, cache_write) of a report's totals.
pub fn totals(v: &Value) -> (u64, u64, u64, u64) {
    let t = &v["totals"];
    let g = |k: &str| {
        t[k].as_u64()
            .unwrap_or_else(|| panic!("totals.{k} missing in {t}"))
    };
    (
        g("inputTokens"),
        g("outputTokens"),
        g("cacheReadTokens"),
        g("cacheCreationTokens"),
    )
}
