//! Shared helpers for the integration tests: run ccrecap in-process on a directory and
//! get its JSON report as a `serde_json::Value`.

#![allow(dead_code, clippy::print_stderr)]

use ccrecap::cli::Cli;
use clap::Parser;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The binary with a clean environment: only PATH, TZ=UTC and a HOME that does not exist.
pub fn clean_ccrecap() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("ccrecap").unwrap();
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TZ", "UTC")
        .env("HOME", "/nonexistent-ccrecap-home");
    c
}

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

/// gen_corpus.py, if the shared tools are beside the repository. Without it the
/// generated-corpus tests say so and pass, unless `CCRECAP_REQUIRE_PARITY=1` (set by CI).
pub fn generator() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen_corpus.py");
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var_os("CCRECAP_REQUIRE_PARITY").is_none(),
        "CCRECAP_REQUIRE_PARITY is set but {} is missing",
        p.display()
    );
    eprintln!(
        "parity: {} not found; skipping generated-corpus parity",
        p.display()
    );
    None
}

pub fn generate(args: &[&str]) -> Option<(tempfile::TempDir, Value)> {
    let script = generator()?;
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("python3")
        .arg(script)
        .arg("--out")
        .arg(dir.path())
        .args(args)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs");
    assert!(status.success(), "gen_corpus.py failed");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("manifest.json")).unwrap())
            .unwrap();
    Some((dir, manifest))
}

/// gen_corpus.py arguments for a small current-era corpus (2.x transcripts).
pub const CURRENT_ERA: [&str; 8] = [
    "--sessions",
    "40",
    "--seed",
    "7",
    "--days",
    "20",
    "--end-date",
    "2026-11-15",
];

/// gen_corpus.py arguments for a small corpus of older eras: 1.0.x inline sidechains,
/// 2.0.x sibling agent files, `costUSD` lines.
pub const OLDER_ERA: [&str; 8] = [
    "--sessions",
    "40",
    "--seed",
    "11",
    "--days",
    "400",
    "--end-date",
    "2025-10-01",
];

/// A JSON value that must be an unsigned integer.
pub fn u(v: &Value) -> u64 {
    v.as_u64()
        .unwrap_or_else(|| panic!("{v} is not an integer"))
}
pub mod python;
pub mod records;
