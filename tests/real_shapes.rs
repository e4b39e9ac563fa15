//! The bugs real transcripts showed (issue 17, item 10), each with a small hand-made
//! fixture of the same shape (no real transcript is copied): usage without a timestamp,
//! rows whose only models have no price, `<synthetic>` lines without a time,
//! `claude-3-sonnet-20240229`, workflow agents' `<session>#agent-<id>` sessions, a session
//! id reused in two projects, and a long session that ends on the turn where its context
//! passed 100k.

use crate::common::records::{Tree, assistant_value, file_of};
use crate::common::{self, clean_ccrecap, u};
use serde_json::{Value, json};

/// An assistant line of `session` at `ts` (None: no timestamp) in `cwd`.
fn line(id: &str, session: &str, ts: Option<&str>, t: (u64, u64, u64, u64)) -> Value {
    let mut v = assistant_value(id, id, t);
    v["sessionId"] = session.into();
    match ts {
        Some(ts) => v["timestamp"] = ts.into(),
        None => {
            v.as_object_mut().unwrap().remove("timestamp");
        }
    }
    v
}

fn lines(values: &[Value]) -> Vec<u8> {
    let text: Vec<String> = values.iter().map(Value::to_string).collect();
    file_of(&text)
}

/// `ccrecap <args> --json --all --now … --claude-dir <tree>`, in a child process.
fn report(t: &Tree, args: &[&str]) -> Value {
    let out = clean_ccrecap()
        .args(args)
        .args([
            "--json",
            "--all",
            "--now",
            "2026-11-16T00:00:00Z",
            "--claude-dir",
        ])
        .arg(t.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn is_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() && s.len() == 10
}

#[test]
fn undated_usage_counts_in_the_totals_and_in_no_dated_row() {
    let t = Tree::new();
    t.write(
        "-home-u-app/s-1.jsonl",
        lines(&[
            line("a", "s-1", Some("2026-11-10T10:00:00Z"), (1, 2, 3, 4)),
            line("b", "s-1", None, (10, 20, 30, 40)),
            line("c", "s-1", Some("not a time"), (100, 200, 300, 400)),
        ]),
    );
    for (cmd, key) in [("daily", "date"), ("weekly", "week"), ("monthly", "month")] {
        let v = report(&t, &[cmd]);
        let rows = v[cmd].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{cmd}: {rows:?}");
        for r in rows {
            let label = r[key].as_str().unwrap();
            assert!(is_date(label) || label.len() == 7, "{cmd}: {label}");
        }
        assert_eq!(u(&v["totals"]["totalTokens"]), 10 + 100 + 1_000, "{cmd}");
        let d = &v["diagnostics"];
        assert_eq!(u(&d["undated_lines"]), 2);
        assert_eq!(u(&d["undated_responses"]), 2);
        assert_eq!(u(&d["undated_tokens"]), 100 + 1_000);
    }
    // The HTML recap's daily series keeps its dated day.
    let page = t.path().join("recap.html");
    clean_ccrecap()
        .args(["html", "--all", "--now", "2026-11-16T00:00:00Z", "-O"])
        .arg(&page)
        .arg("--claude-dir")
        .arg(t.path())
        .assert()
        .success();
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("<summary>Numbers per day</summary>"),
        "no daily series"
    );
    assert!(html.contains("2026-11-10"));
    // The terminal table says where the undated tokens went.
    let out = clean_ccrecap()
        .args(["daily", "--color", "never", "--claude-dir"])
        .arg(t.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("2 responses without a readable time"),
        "{text}"
    );
}

#[test]
fn rows_of_unpriced_models_cost_zero_never_minus_zero() {
    let t = Tree::new();
    let mut glm = line("g", "s-1", Some("2026-11-10T10:00:00Z"), (5, 5, 5, 5));
    glm["message"]["model"] = "glm-4.7".into();
    let mut synthetic = line("y", "s-1", None, (0, 0, 0, 0));
    synthetic["message"]["model"] = "<synthetic>".into();
    synthetic["message"]["content"] = json!([{"type": "text", "text": "API Error: 529"}]);
    t.write("-home-u-app/s-1.jsonl", lines(&[glm, synthetic]));
    for cmd in [
        &["daily"][..],
        &["weekly"],
        &["monthly"],
        &["session"],
        &["blocks"],
        &[],
        &["card"],
    ] {
        let v = report(&t, cmd);
        let text = serde_json::to_string(&v).unwrap();
        assert!(!text.contains("-0.0"), "{cmd:?}: {text}");
    }
    let v = report(&t, &["daily"]);
    assert_eq!(v["daily"][0]["totalCost"].as_f64(), Some(0.0));
    // A <synthetic> line without a time is no undated usage.
    assert_eq!(u(&v["diagnostics"]["undated_lines"]), 0);
    assert_eq!(u(&v["diagnostics"]["synthetic_lines"]), 1);
}

#[test]
fn claude_3_sonnet_is_priced_at_3_and_15_dollars() {
    let t = Tree::new();
    let mut v = line(
        "m",
        "s-1",
        Some("2026-11-10T10:00:00Z"),
        (1_000_000, 1_000_000, 0, 0),
    );
    v["message"]["model"] = "claude-3-sonnet-20240229".into();
    t.write("-home-u-app/s-1.jsonl", lines(&[v]));
    let r = report(&t, &["daily"]);
    assert!(r["totals"].get("unpricedModels").is_none(), "{r}");
    assert_eq!(r["totals"]["totalCost"].as_f64(), Some(18.0));
}

/// A main session and one workflow agent whose lines say `<session>#agent-<id>`.
fn workflow_tree() -> Tree {
    let t = Tree::new();
    t.write(
        "-home-u-app/s-1.jsonl",
        lines(&[line("a", "s-1", Some("2026-11-10T10:00:00Z"), (1, 1, 1, 1))]),
    );
    let mut agent = line(
        "w",
        "s-1#agent-aw1",
        Some("2026-11-10T10:01:00Z"),
        (2, 2, 2, 2),
    );
    agent["isSidechain"] = true.into();
    agent["agentId"] = "aw1".into();
    t.write(
        "-home-u-app/s-1/subagents/workflows/run-1/agent-aw1.jsonl",
        lines(&[agent]),
    );
    t
}

#[test]
fn workflow_agents_fold_into_their_parent_session() {
    let t = workflow_tree();
    let s = report(&t, &["session"]);
    let sessions = s["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert_eq!(sessions[0]["sessionId"], "s-1");
    assert_eq!(u(&sessions[0]["totalTokens"]), 4 + 8);
    let full = report(&t, &[]);
    assert_eq!(u(&full["totals"]["sessions"]), 1);
    let runs = full["subagents"]["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["session_id"], "s-1");
    assert_eq!(runs[0]["agent_id"], "aw1");
}

/// The same session id in two projects, months apart.
fn reused_tree() -> Tree {
    let t = Tree::new();
    for (dir, cwd, day) in [
        ("-home-u-app", "/home/u/app", "2026-03-01"),
        ("-home-u-tool", "/home/u/tool", "2026-11-10"),
    ] {
        let mut a = line(
            &format!("{dir}a"),
            "s-1",
            Some(&format!("{day}T10:00:00Z")),
            (1, 1, 1, 1),
        );
        let mut b = line(
            &format!("{dir}b"),
            "s-1",
            Some(&format!("{day}T10:20:00Z")),
            (1, 1, 1, 1),
        );
        a["cwd"] = cwd.into();
        b["cwd"] = cwd.into();
        t.write(&format!("{dir}/s-1.jsonl"), lines(&[a, b]));
    }
    t
}

#[test]
fn a_session_id_reused_in_two_projects_is_two_sessions_everywhere() {
    let t = reused_tree();
    let s = report(&t, &["session"]);
    let projects: Vec<&str> = s["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["project"].as_str().unwrap())
        .collect();
    assert_eq!(projects.len(), 2);
    assert!(
        projects.contains(&"app") && projects.contains(&"tool"),
        "{projects:?}"
    );
    let full = report(&t, &[]);
    assert_eq!(u(&full["totals"]["sessions"]), 2, "the summary agrees");
    let times = full["activity"]["sessions"].as_array().unwrap();
    assert_eq!(times.len(), 2, "{times:?}");
    for s in times {
        assert_eq!(u(&s["wall_ms"]), 20 * 60_000, "{s}");
    }
    let context = full["context"]["sessions"].as_array().unwrap();
    assert_eq!(context.len(), 2);
}

/// A session of `turns` prompts, each followed by `calls` calls that re-read `read` tokens.
fn long_session(turns: usize, calls: usize, read: u64) -> Vec<u8> {
    let mut out = Vec::new();
    for turn in 0..turns {
        let prompt = json!({
            "parentUuid": null, "isSidechain": false, "cwd": "/home/u/app",
            "sessionId": "s-1", "type": "user",
            "message": {"role": "user", "content": format!("step {turn}")},
            "uuid": format!("prompt-{turn}"),
            "timestamp": format!("2026-11-10T1{turn}:00:00Z"),
        });
        out.push(prompt);
        for call in 0..calls {
            let ts = format!("2026-11-10T1{turn}:0{}:00Z", call + 1);
            out.push(line(
                &format!("m{turn}-{call}"),
                "s-1",
                Some(&ts),
                (1, 10, read, 100),
            ));
        }
    }
    lines(&out)
}

#[test]
fn a_compact_candidate_has_reads_after_the_turn_that_passed_100k() {
    let t = Tree::new();
    // One turn: its context passes 100k, and nothing comes after it.
    t.write("-home-u-app/s-1.jsonl", long_session(1, 3, 150_000));
    let v = common::report(&[
        "context",
        "--all",
        "--claude-dir",
        t.path().to_str().unwrap(),
    ]);
    let c = &v["context"];
    assert_eq!(
        c["sessions"][0]["reread_share"].as_f64().map(|s| s > 0.8),
        Some(true)
    );
    assert_eq!(
        c["compact_candidates"],
        json!([]),
        "nothing was re-read after it"
    );
    // Two turns: the second re-reads what the first built.
    let t = Tree::new();
    t.write("-home-u-app/s-1.jsonl", long_session(2, 3, 150_000));
    let v = common::report(&[
        "context",
        "--all",
        "--claude-dir",
        t.path().to_str().unwrap(),
    ]);
    let k = &v["context"]["compact_candidates"][0];
    assert_eq!(u(&k["turn_passed_100k"]), 1);
    assert_eq!(u(&k["reread_after_tokens"]), 450_000);
}
