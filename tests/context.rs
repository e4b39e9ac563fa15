//! The context analyzer (`ccrecap context --json`): hand-made fixtures with known answers
//! (fixtures/context/, written by make_fixtures.py) as asserted numbers plus insta
//! snapshots of the section, and generated corpora: the composition equals the
//! generator's ground truth, and recurring file reads agree with an independent count of
//! Read calls.

use crate::common::{self, files_under};

use common::{CURRENT_ERA, OLDER_ERA, fixture, generate, report, u};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

fn context(dir: &Path) -> Value {
    let v = report(&["context", "--all", "--claude-dir", dir.to_str().unwrap()]);
    assert_eq!(v["schema_version"], 1);
    for k in ["generator", "window", "pricing", "diagnostics", "totals"] {
        assert!(v.get(k).is_some(), "top-level {k} missing");
    }
    v["context"].clone()
}

fn case(name: &str) -> Value {
    context(&fixture(&format!("context/{name}")))
}

fn shares_sum(s: &Value) -> f64 {
    ["cache_read", "cache_write", "input", "output"]
        .iter()
        .map(|k| s[k].as_f64().unwrap())
        .sum()
}

#[test]
fn tool_results_and_meta_text_do_not_start_turns() {
    let _versionless = common::versionless_snapshots();
    let c = case("turns");
    let s = &c["sessions"][0];
    let turns = s["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 2, "two real prompts, two turns");
    let calls: Vec<u64> = turns.iter().map(|t| u(&t["calls"])).collect();
    assert_eq!(calls, [2, 2]);
    // Context of a call = input + cache read + cache write.
    assert_eq!(u(&turns[0]["context_first"]), 10 + 1000 + 500);
    assert_eq!(u(&turns[0]["context_last"]), 2 + 1500 + 300);
    assert_eq!(u(&turns[1]["context_last"]), 4 + 3800 + 100);
    assert_eq!(
        s["context_curve"],
        serde_json::json!([1510, 1802, 3803, 3904])
    );
    let jump = &s["top_jumps"][0];
    assert_eq!((u(&jump["turn"]), u(&jump["growth"])), (2, 3904 - 1802));
    let t1 = &turns[0];
    let reread = 2500.0 / (10.0 + 1000.0 + 500.0 + 10.0 + 2.0 + 1500.0 + 300.0 + 10.0);
    assert!((t1["reread_share"].as_f64().unwrap() - reread).abs() < 1e-12);
    insta::assert_json_snapshot!("turns", c);
}

#[test]
fn expired_cache_writes_follow_each_ttl() {
    let _versionless = common::versionless_snapshots();
    let c = case("expired_cache");
    let e = &c["cache"]["expired_writes"];
    // 10:04 → 10:20 (16 min): the 200 5m tokens expire, the 3000 1h tokens do not;
    // 10:20 → 11:30 (70 min): both the 50 5m and the 400 1h tokens expire.
    assert_eq!(u(&e["tokens_5m"]), 250);
    assert_eq!(u(&e["tokens_1h"]), 400);
    assert_eq!(u(&e["tokens"]), 650);
    assert_eq!(u(&e["calls"]), 2);
    // Sonnet 4.6 writes: 5m at $3.75/M, 1h at $6/M.
    let value = 250.0 * 3.75e-6 + 400.0 * 6e-6;
    assert!((e["api_value_usd"].as_f64().unwrap() - value).abs() < 1e-12);
    // The last call of each thread (main: 7, the sub-agent: 80) is unread, not expired.
    assert_eq!(u(&c["cache"]["unread_at_end"]["tokens"]), 87);
    assert_eq!(u(&c["cache"]["threads"]), 2);
    let comp = &c["composition"];
    let hit = u(&comp["cache_read_tokens"]) as f64
        / (u(&comp["cache_read_tokens"])
            + u(&comp["cache_write_tokens"])
            + u(&comp["input_tokens"])) as f64;
    assert!((c["cache"]["hit_rate"].as_f64().unwrap() - hit).abs() < 1e-12);
    insta::assert_json_snapshot!("expired_cache", c["cache"]);
}

#[test]
fn recurring_reads_searches_prompts_and_outputs() {
    let _versionless = common::versionless_snapshots();
    let c = case("recurring");
    let items = c["recurring"].as_array().unwrap();
    let find = |kind: &str| -> Vec<&Value> { items.iter().filter(|r| r["kind"] == kind).collect() };
    let files = find("file");
    assert_eq!(files.len(), 1, "README.md is read in only two sessions");
    assert_eq!(files[0]["key"], "/home/u/app/src/main.rs");
    // The resumed session's copy of the same Read call is not a fourth read.
    assert_eq!(
        (u(&files[0]["sessions"]), u(&files[0]["occurrences"])),
        (3, 3)
    );
    let search = find("search");
    assert_eq!(search.len(), 1);
    assert_eq!(search[0]["key"], "Grep TODO in /home/u/app");
    let prompts = find("prompt");
    assert_eq!(prompts.len(), 1, "slash commands are not prompts");
    assert_eq!(u(&prompts[0]["occurrences"]), 4);
    assert!(
        prompts[0]["key"]
            .as_str()
            .unwrap()
            .ends_with(" run the tests and fix failures")
    );
    assert_eq!(u(&prompts[0]["est_tokens"]), 4 * 30 / 4);
    let outputs = find("tool_output");
    assert_eq!(
        outputs.len(),
        1,
        "the 1,500-byte output is under the threshold"
    );
    assert_eq!(outputs[0]["label"], "Bash: cat build.log");
    // 150 lines of 21 characters, stored JSON-escaped (`\n` is two bytes) with quotes:
    // 3,302 bytes, three times, ÷ 4.
    assert_eq!(u(&outputs[0]["est_tokens"]), 3 * (150 * 22 + 2) / 4);
    for r in items {
        assert!(!r["suggestion"].as_str().unwrap().is_empty());
    }
    insta::assert_json_snapshot!("recurring", c["recurring"]);
}

#[test]
fn compact_candidates_start_where_context_passed_100k() {
    let _versionless = common::versionless_snapshots();
    let c = case("compact");
    let cands = c["compact_candidates"].as_array().unwrap();
    assert_eq!(cands.len(), 1, "the second session re-reads under 200k");
    let k = &cands[0];
    assert_eq!(u(&k["turn_passed_100k"]), 2);
    assert_eq!(
        u(&k["cache_read_tokens"]),
        45_000 + 75_000 + 115_000 + 135_000 + 145_000
    );
    assert_eq!(u(&k["reread_after_tokens"]), 135_000 + 145_000);
    // Sonnet 4.6 cache reads at $0.30/M.
    assert!((k["reread_after_api_value_usd"].as_f64().unwrap() - 280_000.0 * 0.3e-6).abs() < 1e-12);
    insta::assert_json_snapshot!("compact", c["compact_candidates"]);
}

#[test]
fn composition_shares_sum_to_one_and_api_value_adds_up() {
    let c = case("compact");
    let comp = &c["composition"];
    assert!((shares_sum(&comp["shares"]) - 1.0).abs() < 1e-12);
    assert!((shares_sum(&comp["api_value_shares"]) - 1.0).abs() < 1e-12);
    let v = &comp["api_value_usd"];
    let parts = shares_sum(v);
    assert!((v["total"].as_f64().unwrap() - parts).abs() < 1e-12);
}

/// Ground truth: the composition equals the manifest's token totals, on a current-era
/// corpus and on one of 1.0.x/2.0.x transcripts (inline sidechains, sibling agent files).
#[test]
fn generated_corpus_composition_matches_ground_truth() {
    for args in [&CURRENT_ERA[..], &OLDER_ERA[..]] {
        let (dir, m) = generate(args);
        check_corpus(dir.path(), &m);
    }
}

fn check_corpus(dir: &Path, m: &Value) {
    let c = context(dir);
    let comp = &c["composition"];
    let t = &m["tokens"];
    assert_eq!(comp["input_tokens"], t["input"]);
    assert_eq!(comp["output_tokens"], t["output"]);
    assert_eq!(comp["cache_read_tokens"], t["cache_read"]);
    assert_eq!(comp["cache_write_tokens"], t["cache_creation"]);
    assert_eq!(comp["cache_write_5m_tokens"], t["cache_creation_5m"]);
    assert_eq!(comp["cache_write_1h_tokens"], t["cache_creation_1h"]);
    assert!((shares_sum(&comp["shares"]) - 1.0).abs() < 1e-9);
    assert!((shares_sum(&comp["api_value_shares"]) - 1.0).abs() < 1e-9);
    let by_day: u64 = c["by_day"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| u(&d["composition"]["cache_read_tokens"]))
        .sum();
    assert_eq!(by_day, u(&t["cache_read"]));
    check_recurring_reads(dir, &c);
}

/// Read calls per file path, counted independently of ccrecap with serde_json: each
/// `tool_use` id once (the first file, in path order, that carries it), in the session of
/// the line that carries it. Returns path → (sessions, calls).
fn independent_reads(root: &Path) -> BTreeMap<String, (usize, u64)> {
    let files = files_under(root)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"));
    let mut seen = HashSet::new();
    let mut by_path: BTreeMap<String, (BTreeSet<String>, u64)> = BTreeMap::new();
    for f in files {
        for line in std::fs::read_to_string(&f).unwrap().lines() {
            let Ok(v) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            if v["type"] != "assistant" {
                continue;
            }
            // A workflow agent's `<session>#agent-<id>` belongs to `<session>`.
            let session = v["sessionId"].as_str().unwrap_or_default();
            let session = session.split('#').next().unwrap_or_default().to_string();
            for b in v["message"]["content"].as_array().into_iter().flatten() {
                if b["type"] != "tool_use" || b["name"] != "Read" {
                    continue;
                }
                let (Some(id), Some(path)) = (b["id"].as_str(), b["input"]["file_path"].as_str())
                else {
                    continue;
                };
                if seen.insert(id.to_string()) {
                    let e = by_path.entry(path.to_string()).or_default();
                    e.0.insert(session.clone());
                    e.1 += 1;
                }
            }
        }
    }
    by_path
        .into_iter()
        .map(|(p, (s, n))| (p, (s.len(), n)))
        .collect()
}

fn check_recurring_reads(root: &Path, c: &Value) {
    let truth = independent_reads(root);
    let recurring: BTreeMap<String, (usize, u64)> = truth
        .iter()
        .filter(|(_, (s, _))| *s >= 3)
        .map(|(p, v)| (p.clone(), *v))
        .collect();
    let reported: Vec<&Value> = c["recurring"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "file")
        .collect();
    assert!(
        !reported.is_empty(),
        "the corpus re-reads files across sessions"
    );
    let omitted = c["recurring_omitted"]["file"].as_u64().unwrap_or(0);
    assert_eq!(reported.len() as u64 + omitted, recurring.len() as u64);
    for r in &reported {
        let key = r["key"].as_str().unwrap();
        let (sessions, calls) = recurring[key];
        assert_eq!(u(&r["sessions"]), sessions as u64, "{key} sessions");
        assert_eq!(u(&r["occurrences"]), calls, "{key} calls");
    }
    // The most re-read file by distinct sessions is among those reported.
    let top = recurring
        .iter()
        .max_by_key(|(p, (s, n))| (*s, *n, std::cmp::Reverse(*p)))
        .unwrap();
    assert!(
        reported.iter().any(|r| r["key"] == top.0.as_str()),
        "top file {}",
        top.0
    );
}
