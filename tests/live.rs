//! `ccrecap statusline`, `quota` and `watch` as a user runs them: the binary with stdin
//! fixtures (with and without `rate_limits`, malformed, empty, a missing transcript, an
//! unknown model), the snapshot file they leave in `XDG_STATE_HOME`, `quota --json`, and
//! `watch` in a pseudo-terminal.

use crate::common::clean_ccrecap;
use std::path::Path;

const NOW: &str = "2026-11-16T12:00:00Z";
/// 2026-11-16T15:00:00Z and 2026-11-20T00:00:00Z, epoch seconds.
const RESET_5H: i64 = 1_794_841_200;
const RESET_7D: i64 = 1_795_132_800;

/// A Claude config dir with one session today: two responses, the last at 11:58.
fn history(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("claude/projects/-home-me-app");
    std::fs::create_dir_all(&p).unwrap();
    let line = |id: u32, ts: &str, model: &str| {
        format!(
            r#"{{"type":"assistant","sessionId":"sess-1","timestamp":"{ts}","requestId":"r{id}","message":{{"id":"m{id}","model":"{model}","usage":{{"input_tokens":10,"output_tokens":1000,"cache_read_input_tokens":90000,"cache_creation_input_tokens":2000,"cache_creation":{{"ephemeral_5m_input_tokens":2000,"ephemeral_1h_input_tokens":0}}}}}}}}"#
        )
    };
    let text = [
        line(1, "2026-11-16T11:00:00Z", "claude-sonnet-4-5"),
        line(2, "2026-11-16T11:58:00Z", "claude-sonnet-4-5"),
    ]
    .join("\n");
    let t = p.join("sess-1.jsonl");
    std::fs::write(&t, text + "\n").unwrap();
    t
}

fn stdin(transcript: &Path, five: f64, seven: f64) -> String {
    format!(
        r#"{{"session_id":"sess-1","transcript_path":"{}","cwd":"/home/me/app","model":{{"id":"claude-sonnet-4-5","display_name":"Sonnet 4.5"}},"cost":{{"total_cost_usd":0.5}},"rate_limits":{{"five_hour":{{"used_percentage":{five},"resets_at":{RESET_5H}}},"seven_day":{{"used_percentage":{seven},"resets_at":{RESET_7D}}}}}}}"#,
        transcript.display()
    )
}

fn statusline(dir: &Path, input: &str, extra: &[&str]) -> (String, String) {
    let claude = dir.join("claude");
    let mut c = clean_ccrecap();
    c.env("XDG_STATE_HOME", dir.join("state"))
        .args([
            "statusline",
            "--now",
            NOW,
            "--timezone",
            "UTC",
            "--color",
            "never",
        ])
        .arg("--claude-dir")
        .arg(&claude)
        .args(extra)
        .write_stdin(input.to_string());
    let out = c.assert().success();
    let o = out.get_output();
    (
        String::from_utf8(o.stdout.clone()).unwrap(),
        String::from_utf8(o.stderr.clone()).unwrap(),
    )
}

#[test]
fn a_statusline_with_rate_limits_shows_both_percentages_and_records_them() {
    let dir = tempfile::tempdir().unwrap();
    let t = history(dir.path());
    let (out, err) = statusline(dir.path(), &stdin(&t, 23.5, 41.2), &[]);
    assert_eq!(out.lines().count(), 1, "{out}");
    for want in [
        "Sonnet 4.5",
        "23.5%",
        "41.2%",
        "session $",
        "today $",
        "block ",
        "cache cold in 3m",
        "pace ",
    ] {
        assert!(out.contains(want), "{want:?} missing in {out:?}");
    }
    assert!(err.is_empty(), "{err}");
    let state = dir.path().join("state/ccrecap/quota.jsonl");
    let text = std::fs::read_to_string(&state).unwrap();
    assert_eq!(text.lines().count(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&state).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The same values again: nothing appended; new values: one more line.
    statusline(dir.path(), &stdin(&t, 23.5, 41.2), &[]);
    statusline(dir.path(), &stdin(&t, 30.0, 42.0), &[]);
    let text = std::fs::read_to_string(&state).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");

    let mut q = clean_ccrecap();
    q.env("XDG_STATE_HOME", dir.path().join("state"))
        .args([
            "quota",
            "--json",
            "--now",
            NOW,
            "--timezone",
            "UTC",
            "--claude-dir",
        ])
        .arg(dir.path().join("claude"));
    let v: serde_json::Value =
        serde_json::from_slice(&q.assert().success().get_output().stdout).unwrap();
    assert_eq!(v["quota"]["five_hour"]["used_percentage"], 30.0);
    assert_eq!(v["quota"]["seven_day"]["used_percentage"], 42.0);
    assert_eq!(
        v["quota"]["seven_day"]["calibration"]["status"],
        "not enough snapshots yet"
    );
}

#[test]
fn bad_input_still_gives_one_line_and_exit_zero() {
    let dir = tempfile::tempdir().unwrap();
    let t = history(dir.path());
    for input in ["", "not json at all {", "[1,2,3]", "\u{0}\u{1}garbage"] {
        let (out, err) = statusline(dir.path(), input, &[]);
        assert_eq!(out.lines().count(), 1, "{input:?}: {out:?}");
        assert!(!out.to_lowercase().contains("error"), "{out}");
        assert!(err.contains("statusline"), "{input:?}: {err:?}");
    }
    // A missing transcript, an unknown model, no rate_limits: a line from what is known.
    let input = r#"{"session_id":"nope","transcript_path":"/nonexistent/x.jsonl","model":{"id":"claude-future-9","display_name":"Future 9"}}"#;
    let (out, _) = statusline(dir.path(), input, &[]);
    assert_eq!(out.lines().count(), 1);
    assert!(out.contains("Future 9") && out.contains("today $"), "{out}");
    assert!(
        !dir.path().join("state/ccrecap/quota.jsonl").exists(),
        "no rate_limits: no snapshot"
    );
    // Wrong types count as missing.
    let (out, _) = statusline(
        dir.path(),
        r#"{"rate_limits":{"five_hour":{"used_percentage":"x"}},"model":7}"#,
        &[],
    );
    assert_eq!(out.lines().count(), 1);
    let _ = t;
}

#[test]
fn no_record_and_print_config_and_format() {
    let dir = tempfile::tempdir().unwrap();
    let t = history(dir.path());
    statusline(dir.path(), &stdin(&t, 1.0, 2.0), &["--no-record"]);
    let mut c = clean_ccrecap();
    c.env("XDG_STATE_HOME", dir.path().join("state"))
        .env("CCRECAP_NO_RECORD", "1")
        .args(["statusline", "--claude-dir"])
        .arg(dir.path().join("claude"))
        .write_stdin(stdin(&t, 1.0, 2.0));
    c.assert().success();
    assert!(
        !dir.path()
            .join("state/ccrecap")
            .join("quota.jsonl")
            .exists()
    );

    let (out, _) = statusline(dir.path(), "", &["--print-config"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["statusLine"]["command"], "ccrecap statusline");

    let (out, _) = statusline(
        dir.path(),
        &stdin(&t, 1.0, 2.0),
        &["--format", "7d,model", "--no-record"],
    );
    assert_eq!(out.trim_end(), "7d 2% · pace 0.0× │ Sonnet 4.5");
}

#[test]
fn the_statusline_is_coloured_in_a_pipe_unless_no_color() {
    let dir = tempfile::tempdir().unwrap();
    let t = history(dir.path());
    let run = |no_color: bool| {
        let mut c = clean_ccrecap();
        c.args(["statusline", "--no-record", "--claude-dir"])
            .arg(dir.path().join("claude"));
        if no_color {
            c.env("NO_COLOR", "1");
        }
        c.write_stdin(stdin(&t, 1.0, 2.0));
        String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap()
    };
    assert!(run(false).contains('\u{1b}'));
    assert!(!run(true).contains('\u{1b}'));
}

#[test]
fn quota_without_snapshots_says_how_to_get_them() {
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    let mut q = clean_ccrecap();
    q.env("XDG_STATE_HOME", dir.path().join("state"))
        .args(["quota", "--now", NOW, "--timezone", "UTC", "--claude-dir"])
        .arg(dir.path().join("claude"));
    let out = String::from_utf8(q.assert().success().get_output().stdout.clone()).unwrap();
    assert!(out.contains("ccrecap statusline"), "{out}");
    assert!(
        !out.contains('%') || out.contains("no quota snapshots"),
        "no invented limits: {out}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn watch_in_a_pty_exits_after_its_ticks_and_restores_the_screen() {
    let bin = assert_cmd::cargo::cargo_bin("ccrecap");
    let cmd = format!("{} --demo watch --interval 0.2 --ticks 3", bin.display());
    let mut c = assert_cmd::Command::new("script");
    c.args(["-qfec", &cmd, "/dev/null"])
        .env("TERM", "xterm")
        .env("HOME", "/nonexistent-ccrecap-home")
        // A hang guard only, never a timing assertion.
        .timeout(std::time::Duration::from_secs(120));
    let out = c.assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("\u{1b}[?1049h"), "alternate screen entered");
    assert!(text.contains("\u{1b}[?1049l"), "and left");
    assert_eq!(text.matches("ccrecap watch ·").count(), 3, "three redraws");
}
