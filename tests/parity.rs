//! Parity on generated corpora: `daily`, `monthly` and `session` totals and every day's
//! tokens equal gen_corpus.py's ground truth, and (when `CCUSAGE_BIN` points at ccusage
//! 20.0.24) equal ccusage's tokens exactly with each day's cost within 0.5%.
//! The generator lives in ../shared/tools; without it these tests say so and pass, unless
//! `CCRECAP_REQUIRE_PARITY=1` (set by CI) demands them.

#![allow(clippy::print_stderr)]

use crate::common;

use common::{CURRENT_ERA, OLDER_ERA, generate, report, totals};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn truth(m: &Value) -> (u64, u64, u64, u64) {
    let t = &m["tokens"];
    (
        t["input"].as_u64().unwrap(),
        t["output"].as_u64().unwrap(),
        t["cache_read"].as_u64().unwrap(),
        t["cache_creation"].as_u64().unwrap(),
    )
}

fn row_tokens(r: &Value) -> (u64, u64, u64, u64) {
    let g = |k: &str| r[k].as_u64().unwrap();
    (
        g("inputTokens"),
        g("outputTokens"),
        g("cacheReadTokens"),
        g("cacheCreationTokens"),
    )
}

fn check(dir: &Path, m: &Value) {
    let d = dir.to_str().unwrap();
    let daily = report(&["daily", "--claude-dir", d]);
    assert_eq!(totals(&daily), truth(m), "daily totals vs ground truth");
    let days = m["tokens_by_day_utc"].as_object().unwrap();
    let rows = daily["daily"].as_array().unwrap();
    assert_eq!(rows.len(), days.len(), "number of days");
    for r in rows {
        let t = &days[r["date"].as_str().unwrap()];
        let want = (
            t["input"].as_u64().unwrap(),
            t["output"].as_u64().unwrap(),
            t["cache_read"].as_u64().unwrap(),
            t["cache_creation"].as_u64().unwrap(),
        );
        assert_eq!(row_tokens(r), want, "day {}", r["date"]);
    }
    for cmd in ["monthly", "session"] {
        assert_eq!(
            totals(&report(&[cmd, "--claude-dir", d])),
            truth(m),
            "{cmd} totals vs ground truth"
        );
    }
    let malformed: u64 = m["malformed_lines"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    let skipped: u64 = daily["diagnostics"]["skipped_lines"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(
        skipped, malformed,
        "skipped lines vs the manifest's malformed lines"
    );
    if let Some(cc) = std::env::var_os("CCUSAGE_BIN") {
        compare_ccusage(Path::new(&cc), dir, &daily);
    }
}

fn compare_ccusage(bin: &Path, dir: &Path, ours: &Value) {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(bin)
        .args([
            "claude",
            "daily",
            "--json",
            "--offline",
            "--timezone",
            "UTC",
        ])
        .env("HOME", home.path())
        .env("CLAUDE_CONFIG_DIR", dir)
        .output()
        .expect("ccusage runs");
    assert!(
        out.status.success(),
        "ccusage failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(totals(&cc), totals(ours), "totals vs ccusage");
    let ccd = cc["daily"].as_array().unwrap();
    let ourd = ours["daily"].as_array().unwrap();
    assert_eq!(ccd.len(), ourd.len());
    for (a, b) in ccd.iter().zip(ourd) {
        assert_eq!(a["date"], b["date"]);
        assert_eq!(row_tokens(a), row_tokens(b), "day {} vs ccusage", a["date"]);
        let (x, y) = (
            a["totalCost"].as_f64().unwrap(),
            b["totalCost"].as_f64().unwrap(),
        );
        assert!(
            (x - y).abs() <= 0.005 * x.abs().max(1e-9),
            "day {} cost {y} vs ccusage {x}",
            a["date"]
        );
    }
}

#[test]
fn current_era_corpus_matches_ground_truth() {
    let args = [&CURRENT_ERA[..], &["--malformed-rate", "0.3"]].concat();
    let Some((dir, m)) = generate(&args) else {
        return;
    };
    check(dir.path(), &m);
}

#[test]
fn older_eras_corpus_matches_ground_truth() {
    // 1.0.x inline sidechains, 2.0.x sibling agent files, costUSD lines.
    let args = [&OLDER_ERA[..], &["--malformed-rate", "0.3"]].concat();
    let Some((dir, m)) = generate(&args) else {
        return;
    };
    check(dir.path(), &m);
}

#[test]
fn subagent_heavy_corpus_matches_ground_truth() {
    let Some((dir, m)) = generate(&[
        "--sessions",
        "30",
        "--seed",
        "5",
        "--days",
        "3",
        "--end-date",
        "2026-02-10",
        "--subagent-rate",
        "1",
        "--dup-rate",
        "0",
        "--malformed-rate",
        "1",
    ]) else {
        return;
    };
    check(dir.path(), &m);
}

#[test]
fn demo_history_matches_its_manifest() {
    let m: Value = serde_json::from_str(
        &std::fs::read_to_string(common::fixture("demo/manifest.json")).unwrap(),
    )
    .unwrap();
    let v = report(&["daily", "--demo"]);
    assert_eq!(totals(&v), truth(&m));
}
