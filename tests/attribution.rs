//! The attribution analyzer (`ccrecap attribution --json`) and `--by` on the usage
//! rollups: a hand-made corpus mixing lines with all four attribution fields, some, none,
//! a streaming duplicate whose fields differ between snapshots (the kept line's count),
//! several branches with a worktree, a detached HEAD, an empty and a missing branch; every
//! table equals a hand-computed truth and sums to the window's totals, and `daily --by`
//! rows sum to their day. On a generated corpus every table equals the generator's
//! manifest.

use crate::common;

use common::records::{Tok, Tree, assistant_value, file_of};
use common::{CURRENT_ERA, generate, report, u};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

/// One response line: its id, tokens, day, cwd, and extra top-level fields.
fn line(id: &str, t: Tok, day: u8, cwd: &str, fields: &[(&str, &str)]) -> Value {
    let mut v = assistant_value(id, &format!("req-{id}"), t);
    v["timestamp"] = json!(format!("2026-11-{day:02}T10:00:00.000Z"));
    v["cwd"] = json!(cwd);
    for (k, val) in fields {
        v[*k] = json!(val);
    }
    v
}

const APP: &str = "/home/u/app";
const TREE: &str = "/home/u/app/.claude/worktrees/fix";
const OTHER: &str = "/home/u/other";

fn corpus() -> Tree {
    let all_four: &[(&str, &str)] = &[
        ("gitBranch", "feature/x"),
        ("attributionPlugin", "superpowers"),
        ("attributionSkill", "superpowers:tdd"),
        ("attributionMcpServer", "github"),
        ("attributionMcpTool", "create_issue"),
    ];
    // The first snapshot of m1 names other values; the final one (more output) is kept.
    let partial = line(
        "m1",
        (100, 1, 1000, 50),
        10,
        APP,
        &[
            ("gitBranch", "main"),
            ("attributionPlugin", "stale"),
            ("attributionSkill", "stale:x"),
        ],
    );
    let mut kept = line("m1", (100, 10, 1000, 50), 10, APP, all_four);
    kept["message"]["content"] = json!([{"type": "tool_use", "id": "toolu_skill", "name": "Skill",
        "input": {"skill": "tdd"}}]);
    let mut edit = line(
        "m2",
        (200, 20, 0, 0),
        10,
        APP,
        &[("gitBranch", "main"), ("attributionSkill", "pdf")],
    );
    edit["message"]["content"] = json!([{"type": "tool_use", "id": "toolu_edit", "name": "Edit",
        "input": {"file_path": "/home/u/app/a.rs", "old_string": "a\nb", "new_string": "a\nb\nc\nd"}}]);
    let mut no_branch = line("m7", (13, 2, 0, 0), 11, OTHER, &[]);
    no_branch.as_object_mut().unwrap().remove("gitBranch");
    let lines = [
        partial,
        kept,
        edit,
        line("m3", (300, 30, 3000, 0), 10, APP, &[("gitBranch", "main")]),
        line("m4", (7, 3, 0, 0), 11, APP, &[("gitBranch", "HEAD")]),
        line("m5", (11, 1, 0, 0), 11, APP, &[("gitBranch", "")]),
        line(
            "m6",
            (50, 5, 500, 5),
            11,
            TREE,
            &[
                ("gitBranch", "fix"),
                ("attributionMcpServer", "github"),
                ("attributionMcpTool", "list_prs"),
            ],
        ),
        no_branch,
    ];
    let t = Tree::new();
    t.write(
        "-home-u-app/s-1.jsonl",
        file_of(&lines.map(|l| l.to_string())),
    );
    t
}

fn attribution(dir: &Path) -> Value {
    report(&[
        "attribution",
        "--all",
        "--claude-dir",
        dir.to_str().unwrap(),
    ])
}

/// (responses, input, output, cache_read, cache_write) of a row.
fn tok(row: &Value) -> (u64, u64, u64, u64, u64) {
    let t = &row["tokens"];
    (
        u(&row["responses"]),
        u(&t["input_tokens"]),
        u(&t["output_tokens"]),
        u(&t["cache_read_tokens"]),
        u(&t["cache_write_tokens"]),
    )
}

/// name → tokens of a table (branch rows keyed `repository branch`).
fn table(v: &Value, key: &str) -> BTreeMap<String, (u64, u64, u64, u64, u64)> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let name = r["name"].as_str().unwrap_or("null").to_string();
            let name = match r["repository"].as_str() {
                Some(repo) => format!("{repo} {name}"),
                None => name,
            };
            (name, tok(r))
        })
        .collect()
}

/// Each table sums to the window's totals, in tokens, responses and value, and shares
/// sum to 1.
fn sums_to_totals(report: &Value) {
    let t = &report["totals"];
    let want = (
        u(&t["responses"]),
        u(&t["input_tokens"]),
        u(&t["output_tokens"]),
        u(&t["cache_read_tokens"]),
        u(&t["cache_write_tokens"]),
    );
    let a = &report["attribution"];
    for key in ["by_branch", "by_plugin", "by_skill", "by_mcp_server"] {
        let rows = a[key].as_array().unwrap();
        let mut got = (0, 0, 0, 0, 0);
        let (mut value, mut share) = (0.0, 0.0);
        for r in rows {
            let x = tok(r);
            got = (
                got.0 + x.0,
                got.1 + x.1,
                got.2 + x.2,
                got.3 + x.3,
                got.4 + x.4,
            );
            value += r["api_value_usd"].as_f64().unwrap();
            share += r["share"].as_f64().unwrap();
        }
        assert_eq!(got, want, "{key} sums to the totals");
        let cost = t["cost_usd"].as_f64().unwrap();
        assert!(
            (value - cost).abs() < 1e-9 * cost.max(1.0),
            "{key}: {value} vs {cost}"
        );
        if cost > 0.0 {
            assert!((share - 1.0).abs() < 1e-9, "{key} shares sum to {share}");
        }
        if key != "by_branch" {
            let nulls = rows.iter().filter(|r| r["name"].is_null()).count();
            assert!(nulls <= 1, "{key}: one null row at most");
        }
    }
}

#[test]
fn every_table_equals_the_hand_computed_truth() {
    let t = corpus();
    let v = attribution(t.path());
    sums_to_totals(&v);
    let a = &v["attribution"];
    let app = |b: &str| format!("{APP} {b}");
    let other = |b: &str| format!("{OTHER} {b}");
    assert_eq!(
        table(a, "by_branch"),
        BTreeMap::from([
            (app("feature/x"), (1, 100, 10, 1000, 50)),
            (app("main"), (2, 500, 50, 3000, 0)),
            // HEAD and the empty branch: no branch.
            (app("null"), (2, 18, 4, 0, 0)),
            // The worktree folds into its repository.
            (app("fix"), (1, 50, 5, 500, 5)),
            (other("null"), (1, 13, 2, 0, 0)),
        ])
    );
    assert_eq!(
        table(a, "by_plugin"),
        BTreeMap::from([
            ("superpowers".into(), (1, 100, 10, 1000, 50)),
            ("null".into(), (6, 581, 61, 3500, 5)),
        ])
    );
    assert_eq!(
        table(a, "by_skill"),
        BTreeMap::from([
            ("superpowers:tdd".into(), (1, 100, 10, 1000, 50)),
            ("pdf".into(), (1, 200, 20, 0, 0)),
            ("null".into(), (5, 381, 41, 3500, 5)),
        ])
    );
    assert_eq!(
        table(a, "by_mcp_server"),
        BTreeMap::from([
            ("github".into(), (2, 150, 15, 1500, 55)),
            ("null".into(), (5, 531, 56, 3000, 0)),
        ])
    );
    let github = &a["by_mcp_server"][0];
    assert_eq!(github["name"], "github");
    assert_eq!(
        github["top_tools"],
        json!([{"name": "create_issue", "count": 1}, {"name": "list_prs", "count": 1}])
    );
    // The Skill call says `tdd`, the attribution `superpowers:tdd`.
    let tdd = a["by_skill"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "superpowers:tdd");
    assert_eq!(tdd.unwrap()["skill_tool_calls"], 1);
    // The null row comes last in every table but the branches (grouped per repository).
    for key in ["by_plugin", "by_skill", "by_mcp_server"] {
        assert!(
            a[key].as_array().unwrap().last().unwrap()["name"].is_null(),
            "{key}"
        );
    }
}

#[test]
fn branch_rows_carry_sessions_days_and_lines_as_activity_counts_them() {
    let t = corpus();
    let dir = t.path().to_str().unwrap();
    let v = attribution(t.path());
    let rows = v["attribution"]["by_branch"].as_array().unwrap();
    let main = rows.iter().find(|r| r["name"] == "main").unwrap();
    assert_eq!(main["sessions"], 1);
    assert_eq!(
        (main["first_day"].as_str(), main["last_day"].as_str()),
        (Some("2026-11-10"), Some("2026-11-10"))
    );
    let no_branch = rows
        .iter()
        .find(|r| r["name"].is_null() && r["repository"] == APP)
        .unwrap();
    assert_eq!(no_branch["first_day"], "2026-11-11");
    let activity = report(&["activity", "--all", "--claude-dir", dir]);
    let code = &activity["activity"]["code"];
    assert!(u(&code["lines_added"]) > 0);
    assert_eq!(
        (u(&main["lines_added"]), u(&main["lines_removed"])),
        (u(&code["lines_added"]), u(&code["lines_removed"]))
    );
    let added: u64 = rows.iter().map(|r| u(&r["lines_added"])).sum();
    assert_eq!(added, u(&code["lines_added"]));
}

#[test]
fn daily_by_rows_sum_to_their_day() {
    let t = corpus();
    let dir = t.path().to_str().unwrap();
    for (by, key) in [
        ("branch", "branchBreakdowns"),
        ("plugin", "pluginBreakdowns"),
        ("skill", "skillBreakdowns"),
        ("mcp", "mcpBreakdowns"),
    ] {
        let v = report(&["daily", "--by", by, "--claude-dir", dir]);
        let days = v["daily"].as_array().unwrap();
        assert_eq!(days.len(), 2);
        for d in days {
            let rows = d[key].as_array().unwrap_or_else(|| panic!("{key} in {d}"));
            for f in [
                "inputTokens",
                "outputTokens",
                "cacheCreationTokens",
                "cacheReadTokens",
                "totalTokens",
            ] {
                let sum: u64 = rows.iter().map(|r| u(&r[f])).sum();
                assert_eq!(sum, u(&d[f]), "{by} {f} on {}", d["date"]);
            }
            let cost: f64 = rows.iter().map(|r| r["cost"].as_f64().unwrap()).sum();
            let want = d["totalCost"].as_f64().unwrap();
            assert!((cost - want).abs() < 1e-9, "{by} cost on {}", d["date"]);
        }
    }
    let v = report(&["daily", "--by", "branch", "--claude-dir", dir]);
    let names: Vec<&Value> = v["daily"][1]["branchBreakdowns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["name"])
        .collect();
    assert_eq!(names, [&json!("fix"), &Value::Null]);
    // Without --by, no breakdown arrays: the ccusage shape is unchanged.
    let plain = report(&["daily", "--claude-dir", dir]);
    assert!(plain["daily"][0].get("branchBreakdowns").is_none());
    let s = report(&["session", "--by", "skill", "--claude-dir", dir]);
    let rows = s["sessions"][0]["skillBreakdowns"].as_array().unwrap();
    let sum: u64 = rows.iter().map(|r| u(&r["totalTokens"])).sum();
    assert_eq!(sum, u(&s["sessions"][0]["totalTokens"]));
}

#[test]
fn generated_tables_equal_the_manifest() {
    let (dir, m) = generate(&CURRENT_ERA);
    let v = attribution(dir.path());
    sums_to_totals(&v);
    let a = &v["attribution"];
    for (key, field) in [
        ("by_plugin", "attributionPlugin"),
        ("by_skill", "attributionSkill"),
        ("by_mcp_server", "attributionMcpServer"),
    ] {
        let truth = m["attribution"][field].as_object().unwrap();
        assert!(!truth.is_empty(), "{field}");
        let got = table(a, key);
        for (name, t) in truth {
            let row = got
                .get(name)
                .unwrap_or_else(|| panic!("{key} lacks {name}"));
            let want = (
                u(&t["responses"]),
                u(&t["input"]),
                u(&t["output"]),
                u(&t["cache_read"]),
                u(&t["cache_creation"]),
            );
            assert_eq!(*row, want, "{key} {name}");
        }
        assert_eq!(
            got.len(),
            truth.len() + usize::from(got.contains_key("null")),
            "{key}"
        );
    }
}
