//! Shared helpers for the integration tests: run ccrecap in-process on a directory and
//! get its JSON report as a `serde_json::Value`, and generate corpora with their ground
//! truth with the project's own generator (`gen/`).

#![allow(dead_code)]

use ccrecap::cli::Cli;
use clap::Parser;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The binary with a clean environment: only PATH, TZ=UTC and a HOME that does not exist.
pub fn clean_ccrecap() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("ccrecap").unwrap();
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TZ", "UTC")
        .env("HOME", "/nonexistent-ccrecap-home");
    c
}

/// Every regular file below `root`, in path order.
pub fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The transcripts (`.jsonl` files) below `dir`, in path order.
pub fn transcripts(dir: &Path) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect()
}

/// The latest `"timestamp"` a transcript holds (ISO strings sort as instants).
pub fn last_timestamp(path: &Path) -> Option<String> {
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    text.match_indices("\"timestamp\":\"")
        .filter_map(|(i, m)| {
            let rest = &text[i + m.len()..];
            rest.find('"').map(|j| rest[..j].to_string())
        })
        .max()
}

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// Runs `ccrecap <args> --json --timezone UTC --now <fixed>` in-process, never reading
/// the user's own ledger (`--no-ledger`; ledgers given with `--ledger` are read).
pub fn report(args: &[&str]) -> Value {
    let mut argv = vec!["ccrecap"];
    argv.extend_from_slice(args);
    argv.extend_from_slice(&[
        "--no-ledger",
        "--json",
        "--timezone",
        "UTC",
        "--now",
        "2026-11-16T00:00:00Z",
    ]);
    let cli = Cli::try_parse_from(argv).expect("valid arguments");
    let cfg = ccrecap::configure(&cli).expect("config resolves");
    let scan = ccrecap::scan_data(&cfg);
    let report = ccrecap::build_report(&cfg, &scan, ccrecap::pricing::Pricing::embedded());
    serde_json::to_value(&report).expect("report serializes")
}

/// The daily report of a fixture directory (a Claude config dir).
pub fn daily(dir: &Path) -> Value {
    report(&["daily", "--claude-dir", dir.to_str().unwrap()])
}

/// Insta settings for a snapshot test (hold the guard while it runs): the crate version —
/// `generator.version` in JSON, "ccrecap X.Y.Z" in the HTML recap and terminal output —
/// becomes `[version]`, so bumping `version` in Cargo.toml breaks no snapshot.
pub fn versionless_snapshots() -> insta::internals::SettingsBindDropGuard {
    let version = env!("CARGO_PKG_VERSION").replace('.', r"\.");
    let mut s = insta::Settings::clone_current();
    s.add_filter(&format!(r#"("version": ?)"{version}""#), r#"$1"[version]""#);
    s.add_filter(&format!(r"ccrecap {version}\b"), "ccrecap [version]");
    s.bind_to_scope()
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

/// A corpus written by the project's generator (`gen/`, in-process) into a temporary
/// directory, with its manifest. `args` are the generator's command-line options.
pub fn generate(args: &[&str]) -> (tempfile::TempDir, Value) {
    let dir = tempfile::tempdir().unwrap();
    let opts = ccrecap_gen::Options::from_args(args).expect("valid generator options");
    ccrecap_gen::generate(&opts, dir.path()).expect("the generator writes the corpus");
    let manifest = read_json(&dir.path().join("manifest.json"));
    (dir, manifest)
}

/// The per-session records (`sessions_truth.json`) of a generated corpus.
pub fn sessions_truth(dir: &Path) -> Vec<Value> {
    serde_json::from_value(read_json(&dir.join("sessions_truth.json"))).unwrap()
}

pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A small current-era corpus: 2.1.x transcripts with nested sub-agents and `.meta.json`,
/// workflow runs, `/btw` asides and attribution fields.
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

/// A small corpus of older eras: 1.0.x inline sidechains and `costUSD` lines, 2.0.x
/// sibling agent files and `agent_progress` copies.
pub const OLDER_ERA: [&str; 10] = [
    "--sessions",
    "40",
    "--seed",
    "11",
    "--days",
    "240",
    "--end-date",
    "2025-12-31",
    "--subagent-rate",
    "0.6",
];

/// Every era at once, from 1.0.x to recent 2.1.x, with resumed sessions, and sub-agents
/// of every layout.
pub const ALL_ERAS: [&str; 10] = [
    "--sessions",
    "120",
    "--seed",
    "3",
    "--days",
    "600",
    "--end-date",
    "2026-11-15",
    "--subagent-rate",
    "0.8",
];

/// A JSON value that must be an unsigned integer.
pub fn u(v: &Value) -> u64 {
    v.as_u64()
        .unwrap_or_else(|| panic!("{v} is not an integer"))
}
#[cfg(unix)]
pub mod namespace;
pub mod python;
pub mod records;
