//! What a new user meets first (issue 17): one name per project, usable with `--project`
//! in any of its forms; plain words (no "1 sessions") in every view of the demo and in its
//! HTML recap, and a first run with nothing to warn about; exact errors and empty states;
//! per-command `--help`; the honest weekly card. The real-transcript bugs of that issue,
//! each with a small hand-made fixture of the same shape, are in `real_shapes.rs`.

use crate::common::clean_ccrecap;
use serde_json::Value;

/// A run's exit code, stdout and stderr.
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = clean_ccrecap().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(args: &[&str]) -> Value {
    let (code, out, err) = run(args);
    assert_eq!(code, Some(0), "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

/// Whether `text` says "1 <noun>" with a plural noun: "1 sessions", but not "21 sessions"
/// or "1.5 sessions".
fn plural_slip<'a>(text: &str, nouns: &[&'a str]) -> Option<&'a str> {
    nouns.iter().copied().find(|noun| {
        let needle = format!("1 {noun}");
        text.match_indices(&needle).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            let after = text[i + needle.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == ',')
                && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

const PLURALS: [&str; 10] = [
    "sessions",
    "runs",
    "calls",
    "files",
    "edits",
    "errors",
    "lines",
    "projects",
    "days",
    "API errors",
];

#[test]
fn plural_slips_are_found_and_counts_are_not_mistaken_for_them() {
    assert_eq!(plural_slip("in 1 sessions", &PLURALS), Some("sessions"));
    assert_eq!(plural_slip("(1 runs)", &PLURALS), Some("runs"));
    assert_eq!(plural_slip("21 sessions · 1.1 days", &PLURALS), None);
    assert_eq!(
        plural_slip("1 session · 1 day · 1 filesystem", &PLURALS),
        None
    );
}

/// Every view of the demo and its HTML recap: no "1 sessions", and nothing on stderr
/// (the demo has no malformed line to warn about).
#[test]
fn every_demo_view_says_its_singulars_and_warns_about_nothing() {
    let views: &[&[&str]] = &[
        &[],
        &["card"],
        &["card", "--weekly"],
        &["card", "--show-projects"],
        &["context"],
        &["subagents"],
        &["opus"],
        &["opus", "--export-config"],
        &["activity"],
        &["daily", "--breakdown"],
        &["weekly"],
        &["monthly"],
        &["session"],
        &["blocks"],
        &["blocks", "--active"],
    ];
    for view in views {
        let mut args = vec!["--demo", "--color", "never"];
        args.extend_from_slice(view);
        if view.first() == Some(&"opus") && view.len() > 1 {
            args.retain(|a| !["--color", "never"].contains(a));
        }
        let (code, out, err) = run(&args);
        assert_eq!(code, Some(0), "{view:?}: {err}");
        if view.get(1) != Some(&"--export-config") {
            assert!(err.is_empty(), "{view:?} stderr: {err}");
        }
        assert_eq!(plural_slip(&out, &PLURALS), None, "{view:?}:\n{out}");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("recap.html");
    let (code, _, err) = run(&["--demo", "html", "-O", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let html = std::fs::read_to_string(&file).unwrap();
    assert_eq!(plural_slip(&html, &PLURALS), None);
}

/// The demo's project directories by display name, from the session report.
fn demo_projects() -> Vec<(String, String)> {
    let v = json(&["--demo", "session", "--json"]);
    let mut out: Vec<(String, String)> = v["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["project"].as_str().unwrap().to_string(),
                r["projectPath"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn a_project_is_the_same_by_display_name_directory_or_working_directory() {
    let projects = demo_projects();
    let (name, dir) = projects.first().unwrap().clone();
    assert!(
        dir.starts_with('-') && !name.starts_with('-'),
        "{name} {dir}"
    );
    let totals = |project: &[&str]| {
        let mut args = vec!["--demo", "daily", "--json"];
        args.extend_from_slice(project);
        json(&args)["totals"].clone()
    };
    let by_name = totals(&["--project", &name]);
    assert!(by_name["totalTokens"].as_u64().unwrap() > 0);
    assert_eq!(by_name, totals(&[&format!("--project={dir}")]));
    // A directory name starting with '-' needs no '=' either.
    assert_eq!(by_name, totals(&["--project", &dir]));
    let all = totals(&[]);
    assert!(by_name["totalTokens"].as_u64() < all["totalTokens"].as_u64());
    // Every view and the JSON rows use the display name and carry the directory.
    let full = json(&["--demo", "--json", "--project", &name]);
    let row = &full["context"]["by_project"][0];
    assert_eq!(row["project"].as_str(), Some(name.as_str()));
    assert_eq!(row["project_dir"].as_str(), Some(dir.as_str()));
    let cwd = row["cwd"].as_str().unwrap().to_string();
    assert_eq!(by_name, totals(&["--project", &cwd]));
    let (_, session, _) = run(&["--demo", "session", "--color", "never"]);
    assert!(
        session.contains(&name) && !session.contains(&dir),
        "{session}"
    );
}

#[test]
fn an_unknown_project_is_a_usage_error_naming_the_closest() {
    let (name, _) = demo_projects().first().unwrap().clone();
    let typo = format!("{}x", &name[..name.len() - 1]);
    let (code, out, err) = run(&["--demo", "daily", "--project", &typo]);
    assert_eq!(code, Some(2), "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(&name), "{err}");
    assert!(out.is_empty());
}

#[test]
fn days_out_of_range_are_one_line_usage_errors() {
    for days in ["4294967295", "1000000", "-1", "0", "seven"] {
        let (code, out, err) = run(&["--demo", "daily", "--days", days]);
        assert_eq!(code, Some(2), "--days {days}: {err}");
        assert_eq!(err.lines().count(), 1, "--days {days}: {err}");
        assert!(err.contains("--days"), "{err}");
        assert!(!err.contains("panicked") && out.is_empty(), "{err}");
    }
}

#[test]
fn flag_errors_say_what_is_wrong() {
    let (code, _, err) = run(&["--demo", "blocks", "--session-length", "0"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("more than 0 and at most 168"), "{err}");
    let (code, _, err) = run(&["daily", "--claude-dir", "/etc"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("/etc has no projects/ folder"), "{err}");
    let (code, _, err) = run(&["daily", "--claude-dir", "/nonexistent/ccrecap"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("does not exist"), "{err}");
    let (code, out, err) = run(&["--demo", "daily", "--since", "2027-01-01"]);
    assert_eq!(code, Some(0), "a future --since is a warning, not an error");
    assert!(
        err.contains("warning: --since 2027-01-01 is after today"),
        "{err}"
    );
    assert!(out.contains("No usage in this window"), "{out}");
}

#[test]
fn empty_states_say_what_is_missing() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("projects")).unwrap();
    let dir = home.path().to_str().unwrap();
    for args in [&[][..], &["daily"][..], &["session"][..]] {
        let mut argv = args.to_vec();
        argv.extend(["--claude-dir", dir, "--color", "never"]);
        let (code, out, _) = run(&argv);
        assert_eq!(code, Some(0));
        assert!(out.contains("No transcripts found"), "{args:?}: {out}");
        assert!(!out.contains("--all"), "{args:?}: {out}");
    }
    let (_, out, _) = run(&["--demo", "blocks", "--active", "--color", "never"]);
    assert!(out.contains("No active 5-hour block."), "{out}");
}

#[test]
fn dates_and_times_follow_the_time_zone_everywhere() {
    let (_, utc, _) = run(&["--demo", "blocks", "--color", "never"]);
    let (_, tokyo, _) = run(&["--demo", "blocks", "-z", "Asia/Tokyo", "--color", "never"]);
    assert!(
        !tokyo.contains("UTC") && tokyo.contains("Asia/Tokyo"),
        "{tokyo}"
    );
    let v = json(&["--demo", "blocks", "--json"]);
    let start = v["blocks"][0]["startTime"].as_str().unwrap();
    let at = chrono::DateTime::parse_from_rfc3339(start).unwrap();
    let local = at.with_timezone(&chrono_tz::Asia::Tokyo);
    let shown = local.format("%Y-%m-%d %H:%M").to_string();
    assert!(tokyo.contains(&shown), "{shown} in {tokyo}");
    assert!(utc.contains(&at.format("%Y-%m-%d %H:%M").to_string()));
}

#[test]
fn each_command_lists_only_the_options_it_takes() {
    let (_, html, _) = run(&["html", "--help"]);
    assert!(
        !html.contains("--json") && !html.contains("--breakdown"),
        "{html}"
    );
    assert!(
        html.contains("--show-paths") && html.contains("--since"),
        "{html}"
    );
    let (_, completions, _) = run(&["completions", "--help"]);
    for flag in ["--json", "--since", "--demo", "--breakdown", "--claude-dir"] {
        assert!(!completions.contains(flag), "{flag} in {completions}");
    }
    let (_, daily, _) = run(&["daily", "--help"]);
    assert!(
        daily.contains("--breakdown") && daily.contains("--json"),
        "{daily}"
    );
    assert!(!daily.contains("--plan"), "{daily}");
    let (_, context, _) = run(&["context", "--help"]);
    assert!(!context.contains("--breakdown"), "{context}");
    let (_, top, _) = run(&["--help"]);
    assert!(top.contains("With no command"), "{top}");
    assert!(
        top.contains("Examples:") && top.contains("ccrecap --demo"),
        "{top}"
    );
    // Options still work before the command.
    let (code, _, err) = run(&["--demo", "--json", "daily"]);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn each_command_help_starts_with_its_own_help_line() {
    // The full report (no name) is `ccrecap --help`, checked above.
    for spec in ccrecap::command::COMMANDS
        .iter()
        .filter(|s| !s.name.is_empty())
    {
        let (code, help, err) = run(&[spec.name, "--help"]);
        assert_eq!(code, Some(0), "{}: {err}", spec.name);
        let first = help.lines().next().unwrap_or_default();
        let want: String = spec.about.chars().take(40).collect();
        assert!(
            first.starts_with(&want),
            "{} --help starts with {first:?}, not its registry help line",
            spec.name
        );
    }
}

#[test]
fn the_weekly_card_covers_one_week_and_compares_only_with_usage() {
    for window in [&["--all"][..], &["--since", "2026-11-01"], &["--days", "3"]] {
        let mut args = vec!["--demo", "card", "--weekly"];
        args.extend_from_slice(window);
        let (code, _, err) = run(&args);
        assert_eq!(code, Some(2), "{window:?}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let v = json(&["--demo", "card", "--weekly", "--json"]);
    let card = &v["card"];
    assert_eq!(card["period"]["since"], "2026-11-09");
    assert_eq!(card["period"]["until"], "2026-11-15");
    // The demo starts on 2026-11-03: the week before 2026-11-01..07 had no usage.
    let v = json(&[
        "--demo",
        "card",
        "--weekly",
        "--until",
        "2026-11-07",
        "--json",
    ]);
    assert!(v["card"]["previous"].is_null(), "{}", v["card"]);
    let (_, out, _) = run(&["--demo", "card", "--weekly", "--until", "2026-11-07"]);
    assert!(out.contains("No usage the week before"), "{out}");
    assert!(!out.contains("Lean"), "{out}");
    // Every card names real dates, never "start" or "now".
    for args in [&["--demo", "card", "--all"][..], &["--demo", "card"]] {
        let (_, out, _) = run(args);
        assert!(!out.contains("start →") && !out.contains("→ now"), "{out}");
        assert!(out.contains("2026-11-"), "{out}");
    }
}
