//! Output safety, catalogue rows 38–44 of reliability.md §3: a closed stdout (`| head -1`)
//! exits 0 with nothing on stderr, also with stderr closed; report files are written
//! atomically (a full tmpfs leaves the old file and no temporary; an existing file is
//! replaced with the file mode; never inside the transcripts directory); and the terminal
//! output of every command shows escape sequences from transcripts (OSC 52, OSC 8, CSI,
//! CR, C1, bidi) as visible escapes, never as raw bytes, while JSON keeps them exact. The
//! other kinds of destination (stdout, devices, FIFOs, sockets, symlinks, directories) are
//! rows 45–51, in `output_files.rs`.

#![allow(clippy::print_stderr)]

use crate::common;

use assert_cmd::Command;
use common::records::{Tree, assistant, file_of};
use serde_json::json;
#[cfg(unix)]
use std::path::Path;

#[cfg(unix)]
fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("ccrecap")
}

fn ccrecap() -> Command {
    common::clean_ccrecap()
}

/// A clean tree (nothing to warn about) whose reports run to hundreds of kilobytes.
#[cfg(unix)]
fn big_clean_tree() -> Tree {
    let t = Tree::new();
    for i in 0..1500 {
        let mut v = common::records::assistant_value(&format!("m{i}"), "r", (1, 2, 3, 4));
        v["sessionId"] = format!("session-{i:05}").into();
        v["timestamp"] = format!("2026-11-{:02}T10:00:00Z", 1 + i % 28).into();
        t.write(
            &format!("proj{}/s{i}.jsonl", i % 40),
            file_of(&[v.to_string()]),
        );
    }
    t
}

/// `ccrecap <args> | head -1` in bash with pipefail, stderr to a file (or closed).
#[cfg(unix)]
fn piped_to_head(dir: &Path, args: &str, stderr: &str) -> (Option<i32>, String) {
    let err = tempfile::NamedTempFile::new().unwrap();
    let redirect = match stderr {
        "closed" => "2>&-".to_string(),
        _ => format!("2>'{}'", err.path().display()),
    };
    let script = format!(
        "set -o pipefail; '{}' {args} --claude-dir '{}' {redirect} | head -1 >/dev/null",
        bin().display(),
        dir.display()
    );
    let status = std::process::Command::new("bash")
        .args(["-c", &script])
        .env("TZ", "UTC")
        .status()
        .unwrap();
    (status.code(), std::fs::read_to_string(err.path()).unwrap())
}

#[cfg(unix)] // bash, head and closed descriptors
#[test]
fn row38_row39_a_closed_stdout_exits_0_silently_also_with_stderr_closed() {
    let t = big_clean_tree();
    // The output must outgrow the pipe buffer, or no write would ever fail.
    let full = ccrecap()
        .args(["session", "--json", "--claude-dir"])
        .arg(t.path())
        .output()
        .unwrap();
    assert!(
        full.stderr.is_empty(),
        "a clean tree has nothing to warn about"
    );
    assert!(full.stdout.len() > 256 << 10, "{} bytes", full.stdout.len());
    for args in [
        "session --json",
        "session",
        "daily --breakdown",
        "--json --all",
        "activity --all",
        "context --all",
        "blocks",
    ] {
        for stderr in ["file", "closed"] {
            let (code, err) = piped_to_head(t.path(), args, stderr);
            assert_eq!(code, Some(0), "`{args} | head -1` with stderr {stderr}");
            assert_eq!(err, "", "`{args} | head -1` printed on stderr");
        }
    }
    // A closed stdout descriptor (`>&-`) and a stderr pipe whose reader is gone.
    let mut child = std::process::Command::new(bin())
        .args(["session", "--json", "--claude-dir"])
        .arg(t.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let status = std::process::Command::new("bash")
        .args([
            "-c",
            &format!("'{}' --demo daily >&- 2>&-", bin().display()),
        ])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

#[cfg(target_os = "linux")] // a tmpfs in a mount namespace
#[test]
fn row40_a_full_disk_keeps_the_old_report_and_leaves_no_temporary_file() {
    // A 64 KiB tmpfs filled to the brim, in a private mount namespace.
    let mnt = tempfile::tempdir().unwrap();
    let script = r#"
        mount -t tmpfs -o size=64k ccrecap-test "$1" || exit 90
        printf 'old card' > "$1/card.svg"
        dd if=/dev/zero of="$1/fill" bs=4k 2>/dev/null
        "$2" --demo card --svg "$1/card.svg"
        echo "rc=$?"
        echo "content=$(cat "$1/card.svg")"
        echo "files=$(ls -A "$1" | tr '\n' ' ')"
    "#;
    let Some(out) = common::namespace::sh(
        "row40",
        "write::atomic's simulated full disk still runs",
        script,
        &[mnt.path().as_os_str(), bin().as_os_str()],
    ) else {
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("rc=1"), "{text} {err}");
    assert!(text.contains("content=old card"), "{text}");
    assert!(
        text.contains("files=card.svg fill \n") || text.trim_end().ends_with("files=card.svg fill"),
        "{text}"
    );
    assert!(
        err.contains("cannot write") && err.contains("card.svg"),
        "{err}"
    );
    assert_eq!(
        err.lines().filter(|l| l.contains("error")).count(),
        1,
        "{err}"
    );
}

#[cfg(unix)] // mode bits
#[test]
fn row41_an_existing_file_is_replaced_atomically_with_the_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("card.svg");
    std::fs::write(&existing, "old").unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let out = ccrecap()
        .args(["--demo", "card", "--svg"])
        .arg(&existing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("wrote ") && err.contains("card.svg (") && err.contains(" KB)"),
        "{err}"
    );
    let svg = std::fs::read_to_string(&existing).unwrap();
    assert!(svg.starts_with("<svg"));
    assert_eq!(mode(&existing), 0o600, "reports are private by default");
    ccrecap()
        .args(["--demo", "card", "--file-mode", "0644", "--svg"])
        .arg(&existing)
        .assert()
        .success();
    assert_eq!(mode(&existing), 0o644);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn row42_a_report_is_never_written_inside_the_projects_directory() {
    let t = Tree::new();
    t.write(
        "proj/s.jsonl",
        file_of(&[assistant("m1", "r1", (1, 2, 3, 4))]),
    );
    let inside = t.projects().join("proj/card.svg");
    let out = ccrecap()
        .args(["card", "--all", "--claude-dir"])
        .arg(t.path())
        .arg("--svg")
        .arg(&inside)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refusing to write inside the transcripts directory"),
        "{err}"
    );
    assert!(!inside.exists());
    assert_eq!(
        std::fs::read_dir(t.projects().join("proj"))
            .unwrap()
            .count(),
        1
    );
}

// ---- row 43: terminal-hostile strings ----

const OSC52: &str = "\u{1b}]52;c;cHduZWQ=\u{7}";
const OSC8: &str = "\u{1b}]8;;http://evil.example\u{1b}\\link\u{1b}]8;;\u{1b}\\";
const CSI: &str = "\u{1b}[2J\u{1b}[H";
const SGR: &str = "\u{1b}[31m";
const CR: &str = "\r";
const C1: &str = "\u{9b}31m";
const BIDI: &str = "\u{202e}\u{2066}";
const BS: &str = "\u{8}\u{7}";

fn evil(label: &str) -> String {
    format!("{label}{OSC52}{OSC8}{CSI}{SGR}{CR}{C1}{BIDI}{BS}end")
}

/// `evil(label)` as a file or directory name. Windows names cannot hold control
/// characters or `\`; there they carry only the hostile characters it allows.
fn evil_name(label: &str) -> String {
    if cfg!(windows) {
        format!("{label}{C1}{BIDI}end")
    } else {
        evil(label)
    }
}

/// Three sessions full of hostile strings in every field a report may print: project
/// directory, cwd, session id, models, prompts, slash commands, tool names and inputs,
/// tool errors, skills, MCP servers, sub-agent types and descriptions.
fn hostile_tree() -> Tree {
    let t = Tree::new();
    let project = evil_name("proj");
    for k in 0..3 {
        let sid = format!("{}-{k}", evil_name("s"));
        let base = |uuid: &str| {
            json!({
                "parentUuid": null, "isSidechain": false, "cwd": evil("/home/u/app"),
                "sessionId": sid, "version": "2.1.250", "gitBranch": evil("branch"),
                "uuid": format!("{uuid}-{k}"),
            })
        };
        let mut lines = vec![];
        let mut prompt = base("p1");
        prompt["type"] = "user".into();
        prompt["timestamp"] = format!("2026-11-1{k}T10:00:00.000Z").into();
        prompt["message"] = json!({"role": "user", "content": evil("Fix this prompt")});
        lines.push(prompt);
        let mut cmd = base("p0");
        cmd["type"] = "user".into();
        cmd["timestamp"] = format!("2026-11-1{k}T09:59:00.000Z").into();
        cmd["message"] = json!({"role": "user",
            "content": format!("<command-name>/{}</command-name>", evil("cmd"))});
        lines.push(cmd);
        let tools = hostile_tools(k);
        for (i, model) in ["claude-opus-4-1-20250805", &evil("claude-model")]
            .iter()
            .enumerate()
        {
            let mut a = base(&format!("a{i}"));
            a["type"] = "assistant".into();
            a["requestId"] = format!("req-{k}-{i}").into();
            a["timestamp"] = format!("2026-11-1{k}T10:00:0{}.000Z", i + 1).into();
            a["message"] = json!({
                "model": model, "id": format!("msg-{k}-{i}"), "type": "message",
                "role": "assistant", "stop_reason": evil("stop"),
                "content": if i == 0 { tools.clone() } else { json!([{"type": "text", "text": evil("t")}]) },
                "usage": {"input_tokens": 10, "output_tokens": 20,
                          "cache_read_input_tokens": 300_000, "cache_creation_input_tokens": 40},
            });
            lines.push(a);
        }
        let mut results = base("r1");
        results["type"] = "user".into();
        results["timestamp"] = format!("2026-11-1{k}T10:00:09.000Z").into();
        let blocks: Vec<_> = (1..=7)
            .map(|n| {
                json!({"type": "tool_result", "tool_use_id": format!("t{n}-{k}"),
                            "is_error": n % 2 == 0, "content": evil("error: boom")})
            })
            .collect();
        results["message"] = json!({"role": "user", "content": blocks});
        results["toolUseResult"] = json!({"agentId": format!("ag{k}")});
        lines.push(results);
        let text: Vec<String> = lines.iter().map(std::string::ToString::to_string).collect();
        t.write(&format!("{project}/{sid}.jsonl"), file_of(&text));
        hostile_subagent(&t, &format!("{project}/{sid}"), k, base("sa"));
    }
    t
}

/// Session `k`'s tool calls, each with a hostile name or input.
fn hostile_tools(k: usize) -> serde_json::Value {
    json!([
        {"type": "tool_use", "id": format!("t1-{k}"), "name": "Read",
         "input": {"file_path": evil("/src/file.rs")}},
        {"type": "tool_use", "id": format!("t2-{k}"), "name": "Grep",
         "input": {"pattern": evil("pattern")}},
        {"type": "tool_use", "id": format!("t3-{k}"), "name": "Bash",
         "input": {"command": evil("rm -rf"), "description": evil("desc")}},
        {"type": "tool_use", "id": format!("t4-{k}"), "name": "Skill",
         "input": {"skill": evil("skill")}},
        {"type": "tool_use", "id": format!("t5-{k}"), "name": format!("mcp__{}__tool", evil("srv")),
         "input": {}},
        {"type": "tool_use", "id": format!("t6-{k}"), "name": evil("Tool"),
         "input": {"url": evil("http://x")}},
        {"type": "tool_use", "id": format!("t7-{k}"), "name": "Task",
         "input": {"subagent_type": evil("agent-type"), "description": evil("spawn"),
                   "prompt": "go"}},
    ])
}

/// The sub-agent run session `k`'s Task call spawned, and its meta file.
/// `base` is the line envelope of the parent session; `dir` the session's directory.
fn hostile_subagent(t: &Tree, dir: &str, k: usize, base: serde_json::Value) {
    let mut sub = base;
    sub["isSidechain"] = true.into();
    sub["agentId"] = format!("ag{k}").into();
    sub["type"] = "assistant".into();
    sub["requestId"] = format!("req-sub-{k}").into();
    sub["timestamp"] = format!("2026-11-1{k}T10:00:05.000Z").into();
    sub["message"] = json!({"model": evil("claude-sub"), "id": format!("msg-sub-{k}"),
        "content": [], "usage": {"input_tokens": 1, "output_tokens": 1}});
    t.write(
        &format!("{dir}/subagents/agent-ag{k}.jsonl"),
        file_of(&[sub.to_string()]),
    );
    t.write(
        &format!("{dir}/subagents/agent-ag{k}.meta.json"),
        json!({"agentType": evil("meta-type"), "toolUseId": format!("t7-{k}")}).to_string(),
    );
}

/// Control characters that must never reach a terminal from data. With colour, ccrecap's
/// own SGR sequences (`ESC [ digits/semicolons m`) are allowed and removed first.
fn raw_controls(out: &str, color: bool) -> Vec<String> {
    let mut s = out.to_string();
    if color {
        let mut cleaned = String::new();
        let mut rest = s.as_str();
        while let Some(i) = rest.find("\u{1b}[") {
            cleaned.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let params = after
                .find(|c: char| !(c.is_ascii_digit() || c == ';'))
                .unwrap_or(after.len());
            if after[params..].starts_with('m') {
                rest = &after[params + 1..];
            } else {
                cleaned.push_str("\u{1b}[");
                rest = after;
            }
        }
        cleaned.push_str(rest);
        s = cleaned;
    }
    s.char_indices()
        .filter(|(_, c)| {
            let u = *c as u32;
            (u < 0x20 && *c != '\n')
                || u == 0x7f
                || (0x80..=0x9f).contains(&u)
                || (0x202a..=0x202e).contains(&u)
                || (0x2066..=0x2069).contains(&u)
        })
        .map(|(i, c)| {
            let from = s[..i].char_indices().rev().nth(20).map_or(0, |(j, _)| j);
            format!("U+{:04X} after {:?}", c as u32, &s[from..i])
        })
        .collect()
}

#[test]
fn row43_terminal_output_of_every_command_neutralises_escape_sequences() {
    let t = hostile_tree();
    let dir = t.path().to_str().unwrap().to_string();
    // Positive control: the payloads do reach the report, exactly, in JSON.
    let out = ccrecap()
        .args([
            "--json",
            "--all",
            "--now",
            "2026-11-16T00:00:00Z",
            "--claude-dir",
            &dir,
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = v.to_string();
    assert!(
        text.contains("\\u001b]52;c;cHduZWQ=\\u0007"),
        "payloads reach the JSON"
    );
    let commands: &[&[&str]] = &[
        &[],
        &["context"],
        &["subagents"],
        &["activity"],
        &["opus"],
        &["opus", "--export-config"],
        &["card"],
        &["card", "--show-projects"],
        &["card", "--weekly", "--ascii", "--show-projects"],
        &["daily", "--breakdown"],
        &["weekly", "--breakdown"],
        &["monthly", "--breakdown"],
        &["session", "--breakdown"],
        &["blocks"],
    ];
    let mut visible = 0;
    for args in commands {
        for color in ["never", "always"] {
            let out = ccrecap()
                .args(*args)
                // The weekly card is the week ending today: it takes no --all.
                .args(if args.contains(&"--weekly") {
                    &[][..]
                } else {
                    &["--all"][..]
                })
                .args(["--now", "2026-11-16T00:00:00Z", "--color", color])
                .args(["--claude-dir", &dir])
                .env("COLUMNS", "200")
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
            for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
                let s = String::from_utf8(bytes.clone()).expect("UTF-8 output");
                let bad = raw_controls(&s, color == "always");
                assert!(bad.is_empty(), "{args:?} --color {color} {stream}: {bad:?}");
                visible += s.matches("\\x1b").count();
            }
        }
    }
    assert!(
        visible > 50,
        "hostile strings are shown, escaped ({visible} seen)"
    );
}

#[test]
fn row44_the_card_svg_keeps_hostile_project_names_inert_and_well_formed() {
    // The HTML report belongs to issue 8; the SVG card is the file written here.
    let t = hostile_tree();
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("card.svg");
    ccrecap()
        .args([
            "card",
            "--all",
            "--show-projects",
            "--now",
            "2026-11-16T00:00:00Z",
        ])
        .arg("--claude-dir")
        .arg(t.path())
        .arg("--svg")
        .arg(&svg)
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        raw_controls(&text, false).is_empty(),
        "{:?}",
        raw_controls(&text, false)
    );
    assert!(!text.contains("<script") && !text.contains("onerror"));
    if let Some(out) = common::python::xml_parse(&svg) {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
