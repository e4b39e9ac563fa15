//! The activity analyzer (`ccrecap activity --json`): fixtures with known timestamps
//! (fixtures/activity/, written by make_fixtures.py) give exact latency percentiles,
//! active time and grid cells; worktree folding and MCP grouping have their own; on
//! generated corpora, calls per tool equal the manifest's `diagnostics.tool_uses`.

use crate::common;

use common::{CURRENT_ERA, OLDER_ERA, fixture, generate, report};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

fn activity(dir: &Path) -> Value {
    let v = report(&["activity", "--all", "--claude-dir", dir.to_str().unwrap()]);
    assert_eq!(v["schema_version"], 1);
    v["activity"].clone()
}

fn case(name: &str) -> Value {
    activity(&fixture(&format!("activity/{name}")))
}

fn tool<'a>(a: &'a Value, name: &str) -> &'a Value {
    a["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no tool {name}"))
}

#[test]
fn latency_percentiles_errors_and_time_are_exact() {
    let a = case("latency");
    let bash = tool(&a, "Bash");
    // Results 100, 200, ... 1,000 ms after their calls: nearest-rank percentiles.
    assert_eq!(bash["calls"], 10);
    assert_eq!(bash["errors"], 1);
    assert_eq!(bash["error_rate"], 0.1);
    assert_eq!(
        (bash["p50_ms"].as_i64(), bash["p95_ms"].as_i64()),
        (Some(500), Some(1000))
    );
    assert_eq!(
        (bash["p99_ms"].as_i64(), bash["max_ms"].as_i64()),
        (Some(1000), Some(1000))
    );
    // The error sample has no control characters left.
    let sample = bash["error_sample"].as_str().unwrap();
    assert!(
        sample.starts_with("Exit code 1") && !sample.contains('\u{1b}'),
        "{sample}"
    );
    assert_eq!(a["skills"], json!([{"name": "pdf", "count": 1}]));
    assert_eq!(a["commands"], json!([{"name": "/review", "count": 1}]));
    assert_eq!(a["errors"]["api"], json!([{"name": "529", "count": 1}]));
    assert_eq!(a["errors"]["interrupted_turns"], 1);
    // 10:00:00 → 10:00:19 (19 s) → 10:10:00 (581 s) | 50 idle minutes | 11:00:00 → 11:00:05.
    let s = &a["sessions"][0];
    assert_eq!(s["wall_ms"], 3_605_000);
    assert_eq!(s["active_ms"], (19 + 581 + 5) * 1000);
    assert_eq!(s["turns"], 2);
    // 2026-11-10 is a Tuesday: 11 calls at 10h, 1 at 11h (UTC).
    assert_eq!(a["weekday_hour"][1][10], 11);
    assert_eq!(a["weekday_hour"][1][11], 1);
    let total: u64 = a["weekday_hour"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(total, 12);
    insta::assert_json_snapshot!("latency", a);
}

#[test]
fn worktrees_fold_into_one_repository() {
    let a = case("worktrees");
    let repos = a["repositories"].as_array().unwrap();
    assert_eq!(repos.len(), 1);
    assert_eq!(repos[0]["repository"], "/home/u/app");
    assert_eq!(repos[0]["sessions"], 3);
    assert_eq!(repos[0]["worktrees"].as_array().unwrap().len(), 2);
    insta::assert_json_snapshot!("worktrees", a["repositories"]);
}

#[test]
fn mcp_tools_group_by_server() {
    let a = case("mcp");
    assert_eq!(
        a["mcp_servers"],
        json!([
            {"server": "github", "tools": 2, "calls": 3, "errors": 0},
            {"server": "linear", "tools": 1, "calls": 1, "errors": 0}
        ])
    );
}

#[test]
fn generated_corpora_tool_counts_match_the_manifest() {
    for args in [&CURRENT_ERA[..], &OLDER_ERA[..]] {
        let Some((dir, m)) = generate(args) else {
            return;
        };
        let a = activity(dir.path());
        let ours: BTreeMap<String, u64> = a["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["name"].as_str().unwrap().to_string(),
                    t["calls"].as_u64().unwrap(),
                )
            })
            .collect();
        let want: BTreeMap<String, u64> = m["diagnostics"]["tool_uses"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
            .collect();
        assert_eq!(ours, want);
    }
}
