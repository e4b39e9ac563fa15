//! No network, ever (reliability.md rule 12): every command runs under
//! `strace -f -e trace=%network` and makes no network system call at all (not even a
//! socket), and output in a namespace without a network (`unshare -n`) is byte for byte
//! the same. strace is required in CI (`CI` set; `.ci/reliability setup` installs it);
//! elsewhere a machine without it skips with a message.

#![cfg(target_os = "linux")] // strace and network namespaces
#![allow(clippy::print_stderr)]

use crate::common;

use common::records::{Tree, assistant, file_of};
use std::path::Path;
use std::process::Command;

fn strace() -> Option<&'static str> {
    let found = ["/usr/bin/strace", "/bin/strace"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "strace is required in CI (apt-get install strace)"
        );
        eprintln!("no_network: strace is not installed; skipping");
    }
    found
}

/// The network system calls a command made (strace's log lines, exit notes removed).
fn network_calls(strace: &str, program: &Path, args: &[&str]) -> (bool, Vec<String>) {
    let log = tempfile::NamedTempFile::new().unwrap();
    let status = Command::new(strace)
        .args(["-f", "-qq", "-e", "trace=%network", "-o"])
        .arg(log.path())
        .arg(program)
        .args(args)
        .env("TZ", "UTC")
        .env("HOME", "/nonexistent-ccrecap-home")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    let calls = std::fs::read_to_string(log.path())
        .unwrap()
        .lines()
        .filter(|l| l.contains('('))
        // A worker thread still inside some system call when the process exits shows up
        // as `PID ???( <detached ...>`: strace no longer knows which call it was, and it
        // is not a network one (those are named). Seen under load.
        .filter(|l| !l.ends_with("???( <detached ...>"))
        .map(str::to_string)
        .collect();
    (status.success(), calls)
}

#[test]
fn no_command_makes_a_network_system_call() {
    let Some(strace) = strace() else {
        return;
    };
    // Positive control: the harness sees a program that only opens a socket.
    if Path::new("/usr/bin/python3").exists() {
        let (_, calls) = network_calls(
            strace,
            Path::new("/usr/bin/python3"),
            &["-c", "import socket; socket.socket()"],
        );
        assert!(calls.iter().any(|c| c.contains("socket(")), "{calls:?}");
    }
    let t = Tree::new();
    t.write(
        "proj/s.jsonl",
        file_of(&[assistant("m1", "r1", (1, 2, 3, 4))]),
    );
    let svg = t.path().join("card.svg");
    let dir = t.path().to_str().unwrap().to_string();
    let bin = assert_cmd::cargo::cargo_bin("ccrecap");
    let svg_arg = svg.to_str().unwrap().to_string();
    let html = t.path().join("recap.html");
    let html_arg = html.to_str().unwrap().to_string();
    let (year_html, year_svg) = (t.path().join("w.html"), t.path().join("w.svg"));
    let (year_html_arg, year_svg_arg) = (
        year_html.to_str().unwrap().to_string(),
        year_svg.to_str().unwrap().to_string(),
    );
    for args in [
        vec!["--demo", "--json"],
        vec!["--demo"],
        vec!["--demo", "daily", "--json"],
        vec!["--demo", "blocks", "--active"],
        vec!["--demo", "activity"],
        vec!["--demo", "card", "--svg", &svg_arg],
        vec!["--demo", "html", "--all", "-O", &html_arg],
        vec![
            "--demo",
            "wrapped",
            "-O",
            &year_html_arg,
            "--svg",
            &year_svg_arg,
        ],
        vec!["--all", "--claude-dir", &dir],
        vec!["session", "--json", "--claude-dir", &dir],
        vec!["--version"],
    ] {
        let (ok, calls) = network_calls(strace, &bin, &args);
        assert!(ok, "{args:?} failed under strace");
        assert!(calls.is_empty(), "{args:?} made network calls: {calls:?}");
    }
    assert!(svg.exists());
    assert!(html.exists());
    assert!(year_html.exists() && year_svg.exists());
}

#[test]
fn output_without_a_network_is_identical() {
    let probe = Command::new("unshare").args(["-n", "true"]).status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!("no_network: unshare -n is not permitted here; skipping");
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("ccrecap");
    for args in [vec!["--demo", "--json"], vec!["--demo", "daily", "--json"]] {
        let normal = Command::new(&bin).args(&args).output().unwrap();
        let isolated = Command::new("unshare")
            .arg("-n")
            .arg(&bin)
            .args(&args)
            .output()
            .unwrap();
        assert!(normal.status.success() && isolated.status.success());
        assert_eq!(normal.stdout, isolated.stdout, "{args:?}");
    }
}
