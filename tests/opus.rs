//! The Opus audit (`ccrecap opus --json`): a fixture whose share is computed by hand, a
//! mixed session, thinking-heavy short answers and delegation (fixtures/opus/, written by
//! make_fixtures.py), and generated corpora whose sessions the generator labels
//! `opus_light` (Sonnet-sized work on Opus) and `opus_heavy`.

use crate::common;

use common::{fixture, generate, report, sessions_truth, u};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn audit(dir: &Path) -> Value {
    let v = report(&["opus", "--all", "--claude-dir", dir.to_str().unwrap()]);
    assert_eq!(v["schema_version"], 1);
    v["opus_audit"].clone()
}

fn case(name: &str) -> Value {
    audit(&fixture(&format!("opus/{name}")))
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

#[test]
fn share_is_exact_arithmetic() {
    let _versionless = common::versionless_snapshots();
    let a = case("share");
    // Session A: three calls of 5 input + 10,000 cache reads + 150/200/250 output, in two
    // small turns (a whole session of them). Session B: 5 + 20,000 + 4,000 and
    // 5 + 30,000 + 3,000 in one big turn. Session C is Sonnet: not Opus quota.
    let shaped = (5 + 10_000 + 150) + (5 + 10_000 + 200) + (5 + 10_000 + 250);
    let opus = shaped + (5 + 20_000 + 4_000) + (5 + 30_000 + 3_000);
    assert_eq!(u(&a["sonnet_shaped_tokens"]), shaped);
    assert_eq!(u(&a["opus_tokens"]), opus);
    assert_eq!(f(&a["sonnet_shaped_share"]), shaped as f64 / opus as f64);
    assert_eq!((u(&a["opus_turns"]), u(&a["sonnet_shaped_turns"])), (3, 2));
    // Opus 4.6: $5 / $25 / $0.50 per M input / output / cache read; Sonnet 4.6: $3 / $15 / $0.30.
    let value = 15.0 * 5e-6 + 600.0 * 25e-6 + 30_000.0 * 0.5e-6;
    let sonnet = 15.0 * 3e-6 + 600.0 * 15e-6 + 30_000.0 * 0.3e-6;
    assert!((f(&a["sonnet_shaped_api_value_usd"]) - value).abs() < 1e-12);
    assert!((f(&a["sonnet_shaped_at_sonnet_usd"]) - sonnet).abs() < 1e-12);
    let flagged = a["flagged_sessions"].as_array().unwrap();
    assert_eq!(flagged.len(), 1);
    assert!(flagged[0]["session_id"].as_str().unwrap().ends_with("111"));
    assert_eq!(
        a["examples"][0]["prompt_preview"],
        "What does this flag do?"
    );
    assert_eq!(a["suggestion"]["model"], "opusplan");
    insta::assert_json_snapshot!("share", a);
}

#[test]
fn mixed_session_flags_only_its_light_stretch() {
    let _versionless = common::versionless_snapshots();
    let a = case("mixed");
    let s = &a["flagged_sessions"][0];
    assert_eq!((u(&s["turns"]), u(&s["sonnet_shaped_turns"])), (3, 2));
    assert_eq!(u(&s["tokens"]), (5 + 10_000 + 120) + (5 + 10_000 + 90));
    insta::assert_json_snapshot!("mixed", a);
}

#[test]
fn thinking_heavy_short_answers_are_not_sonnet_shaped() {
    let a = case("thinking");
    assert_eq!(u(&a["sonnet_shaped_tokens"]), 0);
    assert!(a["flagged_sessions"].as_array().unwrap().is_empty());
}

#[test]
fn delegating_turns_are_not_sonnet_shaped() {
    let a = case("delegation");
    assert_eq!(u(&a["sonnet_shaped_turns"]), 0);
    assert_eq!(u(&a["opus_turns"]), 2);
}

/// At least 80% of `opus_light` sessions are flagged and at most 10% of `opus_heavy`
/// ones, over corpora of three seeds and eras.
#[test]
fn generated_corpora_flag_light_not_heavy_sessions() {
    let corpora: [&[&str]; 3] = [
        &[
            "--sessions",
            "150",
            "--seed",
            "7",
            "--days",
            "60",
            "--end-date",
            "2026-11-15",
        ],
        &[
            "--sessions",
            "150",
            "--seed",
            "11",
            "--days",
            "400",
            "--end-date",
            "2025-10-01",
        ],
        &[
            "--sessions",
            "150",
            "--seed",
            "23",
            "--days",
            "120",
            "--end-date",
            "2026-06-30",
        ],
    ];
    let mut counts: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for args in corpora {
        let (dir, _) = generate(args);
        let a = audit(dir.path());
        let flagged: BTreeSet<&str> = a["flagged_sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["session_id"].as_str().unwrap())
            .collect();
        for t in &sessions_truth(dir.path()) {
            let e = counts
                .entry(t["kind"].as_str().unwrap().to_string())
                .or_default();
            e.0 += 1;
            e.1 += u64::from(flagged.contains(t["sessionId"].as_str().unwrap()));
        }
        let share = f(&a["sonnet_shaped_share"]);
        assert!((0.0..=1.0).contains(&share));
    }
    let rate = |k: &str| {
        let (n, hit) = counts[k];
        hit as f64 / n as f64
    };
    assert!(
        rate("opus_light") >= 0.80,
        "opus_light flagged {:.2} {counts:?}",
        rate("opus_light")
    );
    assert!(
        rate("opus_heavy") <= 0.10,
        "opus_heavy flagged {:.2} {counts:?}",
        rate("opus_heavy")
    );
}
