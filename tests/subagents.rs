//! The sub-agent analyzer (`ccrecap subagents --json`): generated corpora of every era
//! against the generator's per-run ground truth and `.meta.json` files, and hand-made
//! fixtures
//! (fixtures/subagents/, written by make_fixtures.py) for each on-disk era, nested spawns,
//! a `/btw` replay and a missing transcript, as asserted numbers plus insta snapshots.

use crate::common::{self, files_under};

use common::{ALL_ERAS, CURRENT_ERA, OLDER_ERA, fixture, generate, report, sessions_truth, u};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn subagents(dir: &Path) -> Value {
    let v = report(&["subagents", "--all", "--claude-dir", dir.to_str().unwrap()]);
    assert_eq!(v["schema_version"], 1);
    assert!(v.get("totals").is_some() && v.get("context").is_none());
    v["subagents"].clone()
}

fn case(name: &str) -> Value {
    subagents(&fixture(&format!("subagents/{name}")))
}

fn run<'a>(s: &'a Value, id: &str) -> &'a Value {
    s["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["agent_id"] == id)
        .unwrap_or_else(|| panic!("no run {id}"))
}

fn out_read(r: &Value) -> (u64, u64) {
    (
        u(&r["tokens"]["output_tokens"]),
        u(&r["tokens"]["cache_read_tokens"]),
    )
}

#[test]
fn inline_sidechains_split_into_runs_in_call_order() {
    let _versionless = common::versionless_snapshots();
    let s = case("inline");
    assert_eq!(s["runs"].as_array().unwrap().len(), 2);
    let a = run(&s, "inline-toolu_i1");
    assert_eq!(a["agent_type"], "Explore");
    assert_eq!(a["description"], "Find call sites");
    assert_eq!(out_read(a), (100 + 300, 2000 + 2500));
    assert_eq!(u(&a["tool_calls"]), 1);
    let b = run(&s, "inline-toolu_i2");
    assert_eq!(b["agent_type"], "Plan");
    assert_eq!(out_read(b), (900, 4000));
    assert_eq!(u(&s["missing"]["calls_without_transcript"]), 0);
    insta::assert_json_snapshot!("inline", s);
}

#[test]
fn sibling_agent_files_link_through_tool_use_result() {
    let _versionless = common::versionless_snapshots();
    let s = case("sibling");
    let a = run(&s, "a1111");
    assert_eq!(a["agent_type"], "code-reviewer");
    assert_eq!(out_read(a), (1200, 6500));
    // From its prompt (10:00:06) to its last call (10:00:50).
    assert_eq!(u(&a["duration_ms"]), 44_000);
    assert_eq!(a["spawn_found"], true);
    // The whole session: main 2 calls + the run's 2.
    let session = &s["by_session"][0];
    assert_eq!(u(&session["runs"]), 1);
    let share = session["subagent_share"].as_f64().unwrap();
    assert!(share > 0.0 && share < 1.0);
    insta::assert_json_snapshot!("sibling", s);
}

#[test]
fn nested_spawns_roll_up_and_meta_json_names_the_type() {
    let _versionless = common::versionless_snapshots();
    let s = case("nested");
    let b1 = run(&s, "b1");
    // meta.json's agentType wins over the call's subagent_type.
    assert_eq!(b1["agent_type"], "code-reviewer");
    let b2 = run(&s, "b2");
    assert_eq!(b2["parent_agent_id"], "b1");
    assert_eq!(
        (b2["top_agent_id"].as_str(), u(&b2["depth"])),
        (Some("b1"), 1)
    );
    assert_eq!(b2["agent_type"], "test-runner");
    // b1's tree holds its own tokens and b2's.
    assert_eq!(u(&b1["tree_tokens"]["output_tokens"]), 700 + 2500);
    let tree = b1["tree_cost_usd"].as_f64().unwrap();
    let sum = b1["cost_usd"].as_f64().unwrap() + b2["cost_usd"].as_f64().unwrap();
    assert!((tree - sum).abs() < 1e-12);
    // An Opus run with 700 output tokens and 1 tool call.
    let kinds = |r: &Value| -> Vec<String> {
        r["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["kind"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(kinds(b1), ["over_powered"]);
    assert_eq!(b1["on_sonnet"]["model"], "claude-sonnet-4-6");
    assert_eq!(b1["on_haiku"]["model"], "claude-haiku-4-5");
    assert!(b1["on_haiku"]["cost_usd"].as_f64().unwrap() < b1["cost_usd"].as_f64().unwrap());
    // 70,010 tokens of context for 1,400 output; one Explore run: no median to value on.
    let b3 = run(&s, "b3");
    assert_eq!(kinds(b3), ["over_provisioned"]);
    assert!(b3["flags"][0].get("excess_value_usd").is_none());
    // The workflow run counts; its journal.jsonl is not a transcript.
    assert_eq!(run(&s, "w1")["spawn_found"], false);
    assert_eq!(s["runs"].as_array().unwrap().len(), 4);
    assert_eq!(u(&s["flagged_runs"]), 2);
    insta::assert_json_snapshot!("nested", s);
}

#[test]
fn btw_replays_are_not_sub_agent_spend() {
    let _versionless = common::versionless_snapshots();
    let s = case("btw_replay");
    let a = run(&s, "aside_question-1");
    assert_eq!(a["agent_type"], "aside_question");
    // Only the side question's own call: the replayed parent message counts once, in main.
    assert_eq!(out_read(a), (60, 1100));
    insta::assert_json_snapshot!("btw_replay", s);
}

#[test]
fn missing_transcripts_are_counted() {
    let _versionless = common::versionless_snapshots();
    let s = case("missing_transcript");
    assert_eq!(u(&s["missing"]["spawn_calls"]), 2);
    assert_eq!(u(&s["missing"]["calls_without_transcript"]), 2);
    let named: Vec<&Value> = s["missing"]["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["agent_id"])
        .collect();
    assert_eq!(named, [&Value::from("a9999"), &Value::Null]);
    assert_eq!(s["runs"].as_array().unwrap().len(), 0);
    assert_eq!(s["share_of_window"].as_f64(), Some(0.0));
    insta::assert_json_snapshot!("missing_transcript", s);
}

/// The id ccrecap gives a run: its `agentId`, or `inline-<tool_use id>` for a 1.0.x
/// inline sidechain (which has no agent id).
fn run_id(t: &Value) -> String {
    match t["agent_id"].as_str() {
        Some(id) => id.to_string(),
        None => format!("inline-{}", t["tool_use_id"].as_str().unwrap()),
    }
}

type RunRow = (String, (u64, u64, u64, u64), u64, Option<String>, bool);

/// Every run against the generator's truth: its session, tokens, tool calls, type, parent
/// and whether its spawning call was found (Task/Agent spawns yes, workflow agents and
/// `/btw` asides no).
#[test]
fn generated_corpora_match_ground_truth() {
    for args in [&CURRENT_ERA[..], &OLDER_ERA[..], &ALL_ERAS[..]] {
        let (dir, m) = generate(args);
        let s = subagents(dir.path());
        let runs = s["runs"].as_array().unwrap();
        assert_eq!(
            runs.len() as u64,
            u(&m["subagent_runs"]),
            "runs vs manifest"
        );
        let tok = |t: &Value, k: [&str; 4]| (u(&t[k[0]]), u(&t[k[1]]), u(&t[k[2]]), u(&t[k[3]]));
        let ours: BTreeMap<String, RunRow> = runs
            .iter()
            .map(|r| {
                let row = (
                    r["session_id"].as_str().unwrap().to_string(),
                    tok(
                        &r["tokens"],
                        [
                            "input_tokens",
                            "output_tokens",
                            "cache_read_tokens",
                            "cache_write_tokens",
                        ],
                    ),
                    u(&r["tool_calls"]),
                    r["parent_agent_id"].as_str().map(str::to_string),
                    r["spawn_found"].as_bool().unwrap(),
                );
                (r["agent_id"].as_str().unwrap().to_string(), row)
            })
            .collect();
        let mut want: BTreeMap<String, RunRow> = BTreeMap::new();
        let mut types: BTreeMap<String, String> = BTreeMap::new();
        for t in sessions_truth(dir.path())
            .iter()
            .flat_map(|s| s["subagent_runs"].as_array().unwrap().clone())
        {
            // Workflow agents' `<session>#agent-<id>` is their parent session.
            let session = t["session_id"].as_str().unwrap();
            let row = (
                session.split('#').next().unwrap().to_string(),
                tok(
                    &t["tokens"],
                    ["input", "output", "cache_read", "cache_creation"],
                ),
                u(&t["tool_uses"]),
                t["parent_agent_id"].as_str().map(str::to_string),
                t["tool_use_id"].is_string(),
            );
            types.insert(run_id(&t), t["agent_type"].as_str().unwrap().to_string());
            want.insert(run_id(&t), row);
        }
        assert_eq!(ours, want, "runs");
        for r in runs {
            let id = r["agent_id"].as_str().unwrap();
            assert_eq!(r["agent_type"].as_str(), Some(types[id].as_str()), "{id}");
        }
        let sum = |k: &str| runs.iter().map(|r| u(&r["tokens"][k])).sum::<u64>();
        let st = &m["subagents"]["tokens"];
        assert_eq!(sum("output_tokens"), u(&st["output"]));
        assert_eq!(sum("cache_write_tokens"), u(&st["cache_creation"]));
        assert_eq!(u(&s["missing"]["calls_without_transcript"]), 0);
        let metas = meta_types(dir.path());
        assert_eq!(metas.len() as u64, u(&m["meta_json_files"]));
        for r in runs {
            if let Some(t) = metas.get(r["agent_id"].as_str().unwrap()) {
                assert_eq!(
                    r["agent_type"].as_str(),
                    Some(t.as_str()),
                    "{}",
                    r["agent_id"]
                );
            }
        }
    }
}

/// agent id → `agentType` of every `agent-<id>.meta.json` under `root`.
fn meta_types(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for p in files_under(root) {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if let Some(id) = name
            .strip_prefix("agent-")
            .and_then(|n| n.strip_suffix(".meta.json"))
        {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            out.insert(id.to_string(), v["agentType"].as_str().unwrap().to_string());
        }
    }
    out
}
