//! One session's drill-down (`ccrecap session --id`): the hand-made timeline of
//! fixtures/session/timeline (written by make_fixtures.py) with every marker checked by
//! hand and the terminal view at 80 and 120 columns (insta); generated corpora of every
//! era, where the calls of each drill-down sum exactly to the session's row in `ccrecap
//! session --json` and its sub-agent runs to the generator's per-session truth (resumed
//! sessions and their originals included); and ids that match no session or several.

use crate::common;

use ccrecap::cli::Cli;
use clap::Parser;
use common::{ALL_ERAS, CURRENT_ERA, clean_ccrecap, fixture, generate, sessions_truth, u};
use serde_json::Value;
use std::path::Path;

const NOW: &str = "2026-11-16T00:00:00Z";
const S: &str = "5e551019-0000-4000-8000-000000000001";

fn argv<'a>(dir: &'a str, id: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "ccrecap",
        "--claude-dir",
        dir,
        "--timezone",
        "UTC",
        "--now",
        NOW,
        "session",
        "--id",
        id,
    ];
    a.extend_from_slice(extra);
    a
}

/// The report of `session --id` in-process, and the configuration it ran with.
fn run(
    dir: &Path,
    id: &str,
    extra: &[&str],
) -> (ccrecap::config::Config, ccrecap::analyze::Report) {
    let dir = dir.to_str().unwrap();
    let cli = Cli::try_parse_from(argv(dir, id, extra)).expect("valid arguments");
    let cfg = ccrecap::config::resolve(&cli).expect("config resolves");
    let (_, report) = ccrecap::scan_and_report(&cfg).expect("the session is found");
    (cfg, report)
}

/// The `session_detail` object of `session --id ID --json`.
fn detail(dir: &Path, id: &str, extra: &[&str]) -> Value {
    let (_, report) = run(dir, id, extra);
    let v = serde_json::to_value(&report).unwrap();
    for k in [
        "schema_version",
        "generator",
        "window",
        "pricing",
        "diagnostics",
    ] {
        assert!(v.get(k).is_some(), "top-level {k} missing");
    }
    v["session_detail"].clone()
}

/// The terminal view at `width` columns, without colour.
fn view(id: &str, width: usize, extra: &[&str]) -> String {
    let dir = fixture("session/timeline");
    let (cfg, report) = run(&dir, id, extra);
    let mut o = ccrecap::terminal_options(&cfg);
    o.layout.width = width;
    o.color = false;
    let mut out = Vec::new();
    ccrecap::output::show_terminal(cfg.command, &report, &o, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn timeline() -> Value {
    detail(&fixture("session/timeline"), S, &["--show-prompts"])
}

type Tok = [u64; 4];

fn tok(t: &Value) -> Tok {
    [
        u(&t["input_tokens"]),
        u(&t["output_tokens"]),
        u(&t["cache_read_tokens"]),
        u(&t["cache_write_tokens"]),
    ]
}

fn add(a: Tok, b: Tok) -> Tok {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]]
}

/// Tokens of `calls` themselves, and of every run nested under them (at any depth).
fn tree(calls: &Value) -> (Tok, Tok) {
    let (mut own, mut below) = ([0; 4], [0; 4]);
    for c in calls.as_array().unwrap() {
        own = add(own, tok(&c["tokens"]));
        for r in c["subagent_runs"].as_array().unwrap() {
            let (run, under) = tree(&r["calls"]);
            assert_eq!(run, tok(&r["tokens"]), "a run's calls sum to its tokens");
            below = add(below, add(run, under));
        }
    }
    (own, below)
}

/// (main-thread tokens, sub-agent tokens) summed over every call of a drill-down.
fn sums(d: &Value) -> (Tok, Tok) {
    let (mut main, mut sub) = ([0; 4], [0; 4]);
    for t in d["turns"].as_array().unwrap() {
        let (m, s) = tree(&t["calls"]);
        (main, sub) = (add(main, m), add(sub, s));
    }
    for r in d["unattached_runs"].as_array().unwrap() {
        let (run, under) = tree(&r["calls"]);
        sub = add(sub, add(run, under));
    }
    (main, sub)
}

fn marker<'a>(d: &'a Value, kind: &str) -> Vec<&'a Value> {
    d["markers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == kind)
        .collect()
}

#[test]
fn the_timeline_is_the_hand_checked_one() {
    let d = timeline();
    let turns = d["turns"].as_array().unwrap();
    let calls: Vec<usize> = turns
        .iter()
        .map(|t| t["calls"].as_array().unwrap().len())
        .collect();
    assert_eq!(
        calls,
        [3, 3, 3, 2, 2],
        "the /compact command makes no turn of its own"
    );
    let verdicts: Vec<&str> = turns
        .iter()
        .map(|t| t["opus_verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        verdicts,
        [
            "small_alone",
            "opus_sized",
            "opus_sized",
            "sonnet_shaped",
            "sonnet_shaped"
        ],
        "turn 1 is small but alone; turn 2 delegates; turn 3 writes 3,000 tokens; 4 and 5 are a stretch"
    );
    assert_eq!(turns[0]["prompt_preview"], "Fix the flaky login test");
    assert_eq!(turns[3]["prompt_kind"], "text");
    // Turn 1: a Read, then a failing Bash call, with their latency.
    let tools = &turns[0]["calls"][1]["tools"][0];
    assert_eq!(
        (&tools["name"], u(&tools["duration_ms"]), &tools["is_error"]),
        (&Value::from("Bash"), 5_000, &Value::from(true))
    );
    assert_eq!(tools["error"], "test login ... FAILED");
    assert_eq!(
        tools["subject"], "cargo test login",
        "commands shown with --show-prompts"
    );
    assert_eq!(
        turns[0]["calls"][0]["tools"][0]["subject"], "login.rs",
        "paths cut"
    );
    assert_eq!(
        u(&turns[2]["calls"][0]["thinking_chars"]),
        1_202,
        "thinking: its JSON string"
    );
    assert_eq!(
        u(&turns[2]["calls"][1]["context_tokens"]),
        2 + 24_500 + 80_000
    );
    assert_eq!(d["lever"]["kind"], "sonnet_shaped");
}

#[test]
fn every_marker_sits_where_it_happened() {
    let d = timeline();
    let all: Vec<(&str, u64, u64)> = d["markers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap(),
                u(&m["position"]),
                u(&m["turn"]),
            )
        })
        .collect();
    assert_eq!(
        all,
        [
            ("api_error", 5, 2),
            ("cache_expiry", 6, 3),
            ("context_100k", 7, 3),
            ("interrupt", 9, 3),
            ("compaction", 9, 3),
        ],
        "(kind, main-thread calls before it, turn)"
    );
    let e = marker(&d, "api_error")[0];
    assert_eq!(
        (&e["error_kind"], &e["at"]),
        (
            &Value::from("529"),
            &Value::from("2026-11-10T09:03:30.000Z")
        )
    );
    // 09:03:40 → 09:20:05 is 16 min 25 s, past the 5-minute TTL of the 5m writes.
    let x = marker(&d, "cache_expiry")[0];
    assert_eq!(u(&x["gap_ms"]), 985_000);
    assert_eq!(u(&x["ttl_ms"]), 300_000);
    assert_eq!(u(&x["expired_tokens"]), 100, "the last call's own writes");
    assert_eq!(u(&x["rewrite_tokens"]), 24_500);
    // Opus 4.6 writes 5-minute cache entries at $6.25 per million tokens.
    assert!((x["rewrite_api_value_usd"].as_f64().unwrap() - 24_500.0 * 6.25e-6).abs() < 1e-12);
    assert!(x["agent_id"].is_null(), "the main thread's cache");
    let c = marker(&d, "context_100k")[0];
    assert_eq!(u(&c["context_tokens"]), 104_502);
    let k = marker(&d, "compaction")[0];
    assert_eq!(k["trigger"], "manual", "after /compact");
    assert_eq!(
        (u(&k["context_tokens"]), u(&k["context_after_tokens"])),
        (1 + 104_500 + 1_000, 1 + 12_000)
    );
    assert_eq!(k["at"], "2026-11-10T09:22:31.000Z");
    assert_eq!(marker(&d, "interrupt")[0]["at"], "2026-11-10T09:21:00.000Z");
    let t = &d["totals"];
    assert_eq!(
        (
            u(&t["api_errors"]),
            u(&t["compactions"]),
            u(&t["interrupts"])
        ),
        (1, 1, 1)
    );
}

#[test]
fn a_nested_sub_agent_hangs_under_the_call_that_spawned_it() {
    let d = timeline();
    let spawn = &d["turns"][1]["calls"][0];
    assert_eq!(spawn["tools"][0]["name"], "Task");
    let runs = spawn["subagent_runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let a1 = &runs[0];
    assert_eq!(
        (&a1["agent_id"], &a1["agent_type"], u(&a1["depth"])),
        (&Value::from("a1"), &Value::from("Explore"), 1)
    );
    assert_eq!(a1["description"], "Review the auth module");
    assert_eq!(tok(&a1["tokens"]), [3 + 1, 400 + 900, 8_000, 8_000 + 600]);
    let a2 = &a1["calls"][0]["subagent_runs"][0];
    assert_eq!(
        (&a2["agent_id"], &a2["agent_type"], u(&a2["depth"])),
        (&Value::from("a2"), &Value::from("general-purpose"), 2)
    );
    assert_eq!(tok(&a2["tokens"]), [2 + 1, 250 + 500, 3_000, 3_000 + 100]);
    assert_eq!(
        tok(&a1["tree_tokens"]),
        add(tok(&a1["tokens"]), tok(&a2["tokens"]))
    );
    assert_eq!(u(&d["totals"]["subagent_runs"]), 2);
    assert_eq!(
        d["turns"][1]["calls"][1]["subagent_runs"],
        serde_json::json!([])
    );
}

#[test]
fn the_totals_equal_the_session_row_and_the_window_share_adds_up() {
    let dir = fixture("session/timeline");
    let d = timeline();
    let (main, sub) = sums(&d);
    let rows = common::report(&["session", "--claude-dir", dir.to_str().unwrap()]);
    let row = rows["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["sessionId"] == S)
        .unwrap();
    let want = [
        u(&row["inputTokens"]),
        u(&row["outputTokens"]),
        u(&row["cacheReadTokens"]),
        u(&row["cacheCreationTokens"]),
    ];
    assert_eq!(add(main, sub), want);
    assert_eq!(tok(&d["totals"]), want);
    assert!(
        (d["totals"]["cost_usd"].as_f64().unwrap() - row["totalCost"].as_f64().unwrap()).abs()
            < 1e-12
    );
    // The window is the day it ran on; the other session shares it.
    assert_eq!(
        (&d["window"]["since"], &d["window"]["until"]),
        (&Value::from("2026-11-10"), &Value::from("2026-11-10"))
    );
    let share = d["window"]["share"].as_f64().unwrap();
    let value = d["totals"]["api_value_usd"].as_f64().unwrap();
    let window = d["window"]["window_api_value_usd"].as_f64().unwrap();
    assert!(window > value && (share - value / window).abs() < 1e-12);
}

#[test]
fn the_terminal_view_at_80_and_120_columns() {
    let _versionless = common::versionless_snapshots();
    for width in [80, 120] {
        let text = view(S, width, &["--show-prompts"]);
        for line in text.lines() {
            assert!(
                ccrecap::render::fmt::width(line) <= width,
                "{width}: {line:?}"
            );
        }
        insta::assert_snapshot!(format!("timeline_{width}"), text);
    }
    let narrow = view(S, 60, &[]);
    // The notes on prices under every view are the shared frame's (wrapped with issue 17).
    let frame = [" Costs:", " Input/output"];
    for line in narrow
        .lines()
        .filter(|l| !frame.iter().any(|f| l.starts_with(f)))
    {
        assert!(ccrecap::render::fmt::width(line) <= 60, "60: {line:?}");
    }
    assert!(narrow.contains("compact: hid"), "{narrow}");
    assert!(
        !narrow.contains("Fix the flaky"),
        "prompts hidden by default"
    );
}

#[test]
fn turns_n_keeps_the_turns_with_the_most_value() {
    let text = view(S, 120, &["--turns", "2"]);
    assert!(text.contains("Turn 3") && text.contains("Turn 1"), "{text}");
    assert!(
        !text.contains("Turn 2 ·") && !text.contains("Turn 4 ·"),
        "{text}"
    );
    assert!(text.contains("turn 2 not shown") && text.contains("turns 4–5 not shown"));
    assert!(
        text.contains("compaction (/compact)"),
        "markers stay: {text}"
    );
}

#[test]
fn ids_that_match_no_session_or_several_are_usage_errors() {
    let dir = fixture("session/timeline");
    let run = |id: &str| {
        let out = clean_ccrecap()
            .args(["--claude-dir", dir.to_str().unwrap(), "session", "--id", id])
            .assert()
            .code(2);
        String::from_utf8_lossy(&out.get_output().stderr).to_string()
    };
    let many = run("5e55");
    assert!(many.contains("matches 2 sessions"), "{many}");
    assert!(many.contains(S) && many.contains("5e551019-0000-4000-8000-000000000002"));
    assert_eq!(many.lines().count(), 1, "one line: {many}");
    let none = run("ffff");
    assert!(none.contains("no session id starts with 'ffff'"), "{none}");
    assert!(none.contains(S), "it lists sessions to choose from: {none}");
    let prefix = clean_ccrecap()
        .args([
            "--claude-dir",
            dir.to_str().unwrap(),
            "session",
            "--id",
            "5E551019-0000-4000-8000-0000000000",
            "--json",
        ])
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&prefix.get_output().stderr).contains("matches 2"));
    clean_ccrecap()
        .args([
            "--claude-dir",
            dir.to_str().unwrap(),
            "session",
            "--id",
            &S[..36].to_uppercase(),
            "--json",
        ])
        .assert()
        .success();
    clean_ccrecap()
        .args([
            "--claude-dir",
            dir.to_str().unwrap(),
            "session",
            "--turns",
            "3",
        ])
        .assert()
        .code(2);
    clean_ccrecap()
        .args([
            "--claude-dir",
            dir.to_str().unwrap(),
            "session",
            "--id",
            S,
            "--turns",
            "0",
        ])
        .assert()
        .code(2);
}

#[test]
fn plain_session_stays_the_ccusage_rollup() {
    let dir = fixture("session/timeline");
    let v = common::report(&["session", "--claude-dir", dir.to_str().unwrap()]);
    assert_eq!(v["sessions"].as_array().unwrap().len(), 2);
    assert!(v.get("session_detail").is_none());
}

/// Sessions to drill into: the five with the most tokens, and every resumed session with
/// the one it resumed.
fn picks(rows: &[Value], truth: &[Value]) -> Vec<String> {
    let mut by_tokens: Vec<&Value> = rows
        .iter()
        .filter(|r| !r["sessionId"].as_str().unwrap().contains('#'))
        .collect();
    by_tokens.sort_by_key(|r| std::cmp::Reverse(u(&r["totalTokens"])));
    let mut ids: Vec<String> = by_tokens
        .iter()
        .take(5)
        .map(|r| r["sessionId"].as_str().unwrap().to_string())
        .collect();
    for s in truth {
        if let Some(from) = s["resumed_from"].as_str() {
            ids.push(from.to_string());
            ids.push(s["sessionId"].as_str().unwrap().to_string());
        }
    }
    ids.sort();
    ids.dedup();
    ids
}

/// The generator's tokens of a session's main thread, and of its sub-agent runs whose
/// lines carry its id (workflow agents carry their own).
fn truth_of(s: &Value) -> (Tok, Tok) {
    let t = |v: &Value| {
        [
            u(&v["input"]),
            u(&v["output"]),
            u(&v["cache_read"]),
            u(&v["cache_creation"]),
        ]
    };
    let id = &s["sessionId"];
    let sub = s["subagent_runs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| &r["session_id"] == id)
        .fold([0; 4], |a, r| add(a, t(&r["tokens"])));
    (t(&s["tokens"]), sub)
}

fn exact_totals(args: &[&str]) {
    let (dir, _) = generate(args);
    let rows = common::report(&[
        "session",
        "--all",
        "--claude-dir",
        dir.path().to_str().unwrap(),
    ]);
    let rows = rows["sessions"].as_array().unwrap().clone();
    let truth = sessions_truth(dir.path());
    let ids = picks(&rows, &truth);
    assert!(ids.len() >= 5, "{ids:?}");
    for id in &ids {
        let d = detail(dir.path(), id, &[]);
        let row = rows.iter().find(|r| r["sessionId"] == id.as_str()).unwrap();
        let want = [
            u(&row["inputTokens"]),
            u(&row["outputTokens"]),
            u(&row["cacheReadTokens"]),
            u(&row["cacheCreationTokens"]),
        ];
        let (main, sub) = sums(&d);
        assert_eq!(add(main, sub), want, "{id}: calls against its session row");
        let s = truth
            .iter()
            .find(|s| s["sessionId"] == id.as_str())
            .unwrap();
        assert_eq!(
            (main, sub),
            truth_of(s),
            "{id}: main thread and sub-agents against the truth"
        );
        assert_eq!(
            u(&d["totals"]["calls"]),
            u(&row["responses"]),
            "{id}: every call once"
        );
    }
}

#[test]
fn exact_totals_on_a_corpus_of_every_era() {
    exact_totals(&ALL_ERAS);
}

#[test]
fn exact_totals_on_a_current_corpus() {
    exact_totals(&CURRENT_ERA);
}
