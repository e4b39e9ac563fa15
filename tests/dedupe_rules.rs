//! The dedupe rule of `model/dedupe.rs`, one named test per clause, each over a hand-made
//! fixture in fixtures/dedupe/<name>/ (written by fixtures/dedupe/make_fixtures.py).

use crate::common;

use common::{daily, fixture, totals};
use serde_json::Value;

fn run(case: &str) -> Value {
    daily(&fixture(&format!("dedupe/{case}")))
}

/// (input, output, cache_read, cache_write) for `n` responses of the fixtures' default
/// usage (input 1, cache_read 100) whose outputs sum to `out`.
fn default_usage(n: u64, out: u64) -> (u64, u64, u64, u64) {
    (n, out, 100 * n, 0)
}

#[test]
fn streaming_keeps_largest() {
    let v = run("streaming_keeps_largest");
    assert_eq!(totals(&v), default_usage(1, 200));
    assert_eq!(v["diagnostics"]["duplicates"], 2);
}

#[test]
fn largest_not_last() {
    assert_eq!(totals(&run("largest_not_last")), default_usage(1, 200));
}

#[test]
fn resumed_copy_counts_once() {
    assert_eq!(
        totals(&run("resumed_copy_counts_once")),
        default_usage(2, 57)
    );
}

#[test]
fn null_request_id_keys_by_session() {
    // One response in each session; the larger copy wins within a session.
    assert_eq!(
        totals(&run("null_request_id_keys_by_session")),
        default_usage(2, 12)
    );
}

#[test]
fn missing_request_id_keys_by_session() {
    assert_eq!(
        totals(&run("missing_request_id_keys_by_session")),
        default_usage(1, 9)
    );
}

#[test]
fn no_message_id_never_deduped() {
    assert_eq!(
        totals(&run("no_message_id_never_deduped")),
        default_usage(2, 10)
    );
}

#[test]
fn main_copy_beats_sidechain() {
    assert_eq!(
        totals(&run("main_copy_beats_sidechain")),
        default_usage(1, 5)
    );
}

#[test]
fn sidechain_replay_is_same_response() {
    let v = run("sidechain_replay_is_same_response");
    // The replay of msg_A is dropped; the side question's own answer (msg_Q) counts.
    assert_eq!(totals(&v), default_usage(2, 16));
    assert_eq!(v["diagnostics"]["sidechain_replays"], 1);
}

#[test]
fn progress_copy_counts_once() {
    let v = run("progress_copy_counts_once");
    // msg_S: progress copy + sub-agent file copy = once; msg_T: progress only = counted.
    assert_eq!(totals(&v), default_usage(2, 43));
    assert_eq!(v["diagnostics"]["progress_only_responses"], 1);
}

#[test]
fn cache_breakdown_wins() {
    let v = run("cache_breakdown_wins");
    assert_eq!(totals(&v), (1, 10, 100, 150));
    assert_eq!(v["totals"]["cacheCreation5mTokens"], 100);
    assert_eq!(v["totals"]["cacheCreation1hTokens"], 50);
}

#[test]
fn missing_output_is_zero() {
    assert_eq!(totals(&run("missing_output_is_zero")), (4, 0, 100, 0));
}

#[test]
fn synthetic_adds_nothing() {
    let v = run("synthetic_adds_nothing");
    assert_eq!(totals(&v), default_usage(1, 3));
    assert_eq!(v["diagnostics"]["synthetic_lines"], 1);
    assert!(
        !v["daily"][0]["modelsUsed"]
            .to_string()
            .contains("synthetic")
    );
}

#[test]
fn tool_use_result_usage_ignored() {
    assert_eq!(
        totals(&run("tool_use_result_usage_ignored")),
        default_usage(1, 3)
    );
}

#[test]
fn invalid_counts_invalidate_one_record() {
    let v = run("invalid_counts_invalidate_one_record");
    assert_eq!(totals(&v), default_usage(1, 8));
    assert_eq!(v["diagnostics"]["skipped_lines"]["invalid_usage"], 2);
    assert_eq!(v["diagnostics"]["skipped_lines"]["implausible_usage"], 1);
}

#[test]
fn odd_but_real_lines_count() {
    // version "dev", requestId null and pretty-printed JSON: both responses count.
    assert_eq!(
        totals(&run("odd_but_real_lines_count")),
        default_usage(2, 13)
    );
}

#[test]
fn results_do_not_depend_on_file_order() {
    // The same lines split across files in either order give the same totals.
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let lines = std::fs::read_to_string(fixture("dedupe/streaming_keeps_largest/projects/-home-u-app/11111111-1111-4111-8111-111111111111.jsonl")).unwrap();
    let all: Vec<&str> = lines.lines().collect();
    for (dir, order) in [(&a, [0usize, 1, 2]), (&b, [2, 1, 0])] {
        let p = dir.path().join("projects/p");
        std::fs::create_dir_all(&p).unwrap();
        for (i, idx) in order.iter().enumerate() {
            std::fs::write(p.join(format!("f{i}.jsonl")), format!("{}\n", all[*idx])).unwrap();
        }
    }
    assert_eq!(totals(&daily(a.path())), totals(&daily(b.path())));
    assert_eq!(totals(&daily(a.path())), default_usage(1, 200));
}
