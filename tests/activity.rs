//! The activity analyzer (`ccrecap activity --json`): fixtures with known timestamps
//! (fixtures/activity/, written by make_fixtures.py) give exact latency percentiles,
//! active time and grid cells; worktree folding and MCP grouping have their own; on
//! generated corpora of every era, calls, errors and latency percentiles per tool, MCP
//! servers, skills, slash commands, API errors, interrupts and code changes equal the
//! generator's manifest.

use crate::common;

use common::{ALL_ERAS, CURRENT_ERA, OLDER_ERA, fixture, generate, report, u};
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
    let _versionless = common::versionless_snapshots();
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
    let _versionless = common::versionless_snapshots();
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

/// name → count of a `[{name, count}]` list.
fn counts(list: &Value) -> BTreeMap<String, u64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_string(), u(&c["count"])))
        .collect()
}

fn map(v: &Value) -> BTreeMap<String, u64> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, n)| (k.clone(), u(n)))
        .collect()
}

type ToolRow = (u64, u64, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

fn check_tools(a: &Value, m: &Value) {
    let ours: BTreeMap<String, ToolRow> = a["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let row = (
                u(&t["calls"]),
                u(&t["errors"]),
                t["p50_ms"].as_i64(),
                t["p95_ms"].as_i64(),
                t["p99_ms"].as_i64(),
                t["max_ms"].as_i64(),
            );
            (t["name"].as_str().unwrap().to_string(), row)
        })
        .collect();
    let want: BTreeMap<String, ToolRow> = m["tools"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, t)| {
            let l = &t["latency_ms"];
            let row = (
                u(&t["calls"]),
                u(&t["errors"]),
                l["p50"].as_i64(),
                l["p95"].as_i64(),
                l["p99"].as_i64(),
                l["max"].as_i64(),
            );
            (k.clone(), row)
        })
        .collect();
    assert_eq!(ours, want, "calls, errors and latency per tool");
    let calls: BTreeMap<String, u64> = ours.iter().map(|(k, r)| (k.clone(), r.0)).collect();
    assert_eq!(calls, map(&m["diagnostics"]["tool_uses"]));
    let mut servers: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for (name, r) in &ours {
        if let Some(rest) = name.strip_prefix("mcp__") {
            let e = servers
                .entry(rest.split("__").next().unwrap().to_string())
                .or_default();
            *e = (e.0 + r.0, e.1 + r.1);
        }
    }
    let reported: BTreeMap<String, (u64, u64)> = a["mcp_servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let v = (u(&s["calls"]), u(&s["errors"]));
            (s["server"].as_str().unwrap().to_string(), v)
        })
        .collect();
    assert_eq!(reported, servers, "MCP servers");
}

#[test]
fn generated_corpora_tool_activity_matches_the_manifest() {
    for args in [&CURRENT_ERA[..], &OLDER_ERA[..], &ALL_ERAS[..]] {
        let (dir, m) = generate(args);
        let a = activity(dir.path());
        check_tools(&a, &m);
        assert_eq!(counts(&a["skills"]), map(&m["skills"]), "skills");
        assert_eq!(
            counts(&a["commands"]),
            map(&m["commands"]),
            "slash commands"
        );
        let e = &a["errors"];
        assert_eq!(counts(&e["api"]), map(&m["api_errors"]), "API errors");
        assert_eq!(e["interrupted_turns"], m["interrupted_turns"]);
        let tool_errors: u64 = m["tools"]
            .as_object()
            .unwrap()
            .values()
            .map(|t| u(&t["errors"]))
            .sum();
        assert_eq!(u(&e["tool_errors"]), tool_errors);
        let (code, want) = (&a["code"], &m["code_changes"]);
        for k in ["files", "edits", "lines_added", "lines_removed"] {
            assert_eq!(code[k], want[k], "code changes: {k}");
        }
    }
}
