//! Parity on generated corpora: `daily`, `monthly` and `session` equal the generator's
//! ground truth exactly — totals, every day, every model, every session (sub-agents folded
//! into their parent, workflow agents under their own `sessionId`) — and the scan's
//! diagnostics equal the manifest's file, line, malformed, duplicate, replay and
//! `<synthetic>` counts. (Comparisons with ccusage and the team's other generator run
//! outside `cargo test`, in `.ci/oracles`.)

use crate::common;

use common::{ALL_ERAS, CURRENT_ERA, OLDER_ERA, generate, report, sessions_truth, totals, u};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

type Tok = (u64, u64, u64, u64);

fn truth(t: &Value) -> Tok {
    (
        u(&t["input"]),
        u(&t["output"]),
        u(&t["cache_read"]),
        u(&t["cache_creation"]),
    )
}

fn row_tokens(r: &Value) -> Tok {
    (
        u(&r["inputTokens"]),
        u(&r["outputTokens"]),
        u(&r["cacheReadTokens"]),
        u(&r["cacheCreationTokens"]),
    )
}

fn split(r: &Value) -> (u64, u64) {
    (
        u(&r["cacheCreation5mTokens"]),
        u(&r["cacheCreation1hTokens"]),
    )
}

fn add(a: Tok, b: Tok) -> Tok {
    (a.0 + b.0, a.1 + b.1, a.2 + b.2, a.3 + b.3)
}

fn sum_values(v: &Value) -> u64 {
    v.as_object().unwrap().values().map(u).sum()
}

fn check(dir: &Path, m: &Value) {
    let d = dir.to_str().unwrap();
    let daily = report(&["daily", "--claude-dir", d]);
    assert_eq!(
        totals(&daily),
        truth(&m["tokens"]),
        "daily totals vs ground truth"
    );
    assert_eq!(
        split(&daily["totals"]),
        (
            u(&m["tokens"]["cache_creation_5m"]),
            u(&m["tokens"]["cache_creation_1h"])
        ),
        "cache writes 5m / 1h"
    );
    check_days(&daily, m);
    check_models(&daily, m);
    for cmd in ["monthly", "session"] {
        assert_eq!(
            totals(&report(&[cmd, "--claude-dir", d])),
            truth(&m["tokens"]),
            "{cmd} totals vs ground truth"
        );
    }
    check_sessions(&report(&["session", "--claude-dir", d]), dir);
    check_diagnostics(&daily["diagnostics"], m);
}

fn check_days(daily: &Value, m: &Value) {
    let days = m["tokens_by_day_utc"].as_object().unwrap();
    let rows = daily["daily"].as_array().unwrap();
    assert_eq!(rows.len(), days.len(), "number of days");
    for r in rows {
        let t = &days[r["date"].as_str().unwrap()];
        assert_eq!(row_tokens(r), truth(t), "day {}", r["date"]);
        assert_eq!(
            split(r),
            (u(&t["cache_creation_5m"]), u(&t["cache_creation_1h"])),
            "day {} cache writes",
            r["date"]
        );
    }
}

/// Every model's tokens over all days equal the manifest's `tokens_by_model`.
fn check_models(daily: &Value, m: &Value) {
    let mut ours: BTreeMap<String, Tok> = BTreeMap::new();
    for r in daily["daily"].as_array().unwrap() {
        for b in r["modelBreakdowns"].as_array().unwrap() {
            let e = ours
                .entry(b["modelName"].as_str().unwrap().to_string())
                .or_default();
            *e = add(*e, row_tokens(b));
        }
    }
    let want: BTreeMap<String, Tok> = m["tokens_by_model"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, t)| (k.clone(), truth(t)))
        .collect();
    assert_eq!(ours, want, "tokens per model");
}

/// Per session: the main thread plus all its sub-agents, workflow agents included (their
/// lines carry `<session>#agent-<id>`, folded into `<session>`).
fn check_sessions(session: &Value, dir: &Path) {
    let mut want: BTreeMap<String, Tok> = BTreeMap::new();
    for s in sessions_truth(dir) {
        let id = s["sessionId"].as_str().unwrap().to_string();
        let own = add(truth(&s["tokens"]), truth(&s["subagent_tokens"]));
        let e = want.entry(id).or_default();
        *e = add(*e, own);
    }
    want.retain(|_, t| *t != (0, 0, 0, 0));
    let ours: BTreeMap<String, Tok> = session["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["sessionId"].as_str().unwrap().to_string(), row_tokens(r)))
        .collect();
    assert_eq!(ours, want, "tokens per session");
}

fn check_diagnostics(d: &Value, m: &Value) {
    let md = &m["diagnostics"];
    assert_eq!(u(&d["files_read"]), u(&m["jsonl_files"]), "files read");
    assert_eq!(u(&d["lines_read"]), u(&m["lines"]), "lines read");
    assert_eq!(
        sum_values(&d["skipped_lines"]),
        sum_values(&m["malformed_lines"]),
        "skipped lines vs the manifest's malformed lines: {}",
        d["skipped_lines"]
    );
    assert_eq!(u(&d["duplicates"]), u(&md["duplicate_lines"]), "duplicates");
    assert_eq!(
        u(&d["sidechain_replays"]),
        u(&md["sidechain_replay_lines"]),
        "/btw replays"
    );
    assert_eq!(
        u(&d["synthetic_lines"]),
        u(&md["synthetic_lines_on_disk"]),
        "<synthetic> lines"
    );
}

#[test]
fn current_era_corpus_matches_ground_truth() {
    let (dir, m) = generate(&[&CURRENT_ERA[..], &["--malformed-rate", "0.3"]].concat());
    check(dir.path(), &m);
}

#[test]
fn older_eras_corpus_matches_ground_truth() {
    // 1.0.x inline sidechains and costUSD lines, 2.0.x sibling agent files and progress copies.
    let (dir, m) = generate(&[&OLDER_ERA[..], &["--malformed-rate", "0.3"]].concat());
    assert!(u(&m["inline_sidechain_runs"]) > 0 && u(&m["progress_lines"]) > 0);
    check(dir.path(), &m);
}

#[test]
fn all_eras_corpus_matches_ground_truth() {
    let (dir, m) = generate(&ALL_ERAS);
    assert!(u(&m["resumed_sessions"]) > 0);
    check(dir.path(), &m);
}

#[test]
fn subagent_heavy_corpus_matches_ground_truth() {
    let (dir, m) = generate(&[
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
    ]);
    check(dir.path(), &m);
}

#[test]
fn demo_history_matches_its_manifest() {
    let m: Value = serde_json::from_str(
        &std::fs::read_to_string(common::fixture("demo/manifest.json")).unwrap(),
    )
    .unwrap();
    let v = report(&["daily", "--demo"]);
    assert_eq!(totals(&v), truth(&m["tokens"]));
}
