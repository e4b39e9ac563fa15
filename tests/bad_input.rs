//! The bad-input catalogue (README, Development › Reliability), one named test per row
//! (`rowNN_...`): each asserts what ccrecap does with the input and which diagnostics
//! counter records it, and that the good lines' totals stay exact. Rows 38–44 (output
//! safety) live in `tests/output_safety.rs`; row 35 (a gigabyte corpus) in
//! `bench/reliability.sh`, with its small `--malformed-rate 0.9` variant here.

#![allow(clippy::print_stderr)]

use crate::common;

use assert_cmd::Command;
use ccrecap::model::diagnostics::Diagnostics;
use ccrecap::scan::Detail;
use common::records::*;
use serde_json::Value;
#[cfg(unix)]
use std::{
    os::unix::fs::{PermissionsExt, symlink},
    path::Path,
};

const A: Tok = (10, 20, 300, 4000);
const B: Tok = (1, 2, 30, 400);
const C: Tok = (5, 6, 7, 8);

fn add(a: Tok, b: Tok) -> Tok {
    (a.0 + b.0, a.1 + b.1, a.2 + b.2, a.3 + b.3)
}

/// Three good records around `bad` (the bad lines in the middle of the file).
fn around(bad: &[&[u8]]) -> Vec<u8> {
    let mut f = file_of(&[assistant("m1", "r1", A), user("hello")]);
    for b in bad {
        f.extend_from_slice(b);
        f.push(b'\n');
    }
    f.extend(file_of(&[
        assistant("m2", "r2", B),
        assistant("m3", "r3", C),
    ]));
    f
}

const GOOD: Tok = (16, 28, 337, 4408); // A + B + C

/// Writes one file, runs the usage and the full report, checks the totals are `want` in
/// both, and returns the daily report.
fn check_file(bytes: &[u8], want: Tok) -> Value {
    let t = Tree::new();
    t.write("proj/s.jsonl", bytes);
    let daily = t.daily();
    let full = t.full();
    assert_eq!(both_totals(&daily, &full), want);
    assert_eq!(
        daily["diagnostics"]["skipped_lines"], full["diagnostics"]["skipped_lines"],
        "usage and full scans count different skips"
    );
    daily
}

fn skips(d: &Diagnostics, category: &str) -> u64 {
    d.skipped_lines.get(category).copied().unwrap_or(0)
}

fn ccrecap() -> Command {
    common::clean_ccrecap()
}

fn json_out(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: stdout {:?} stderr {:?}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

// ---- rows 1–19: line contents ----

#[test]
fn row01_torn_last_line_is_pending_not_corruption() {
    let full = file_of(&[assistant("m1", "r1", A), assistant("m2", "r2", B)]);
    let last = assistant("m3", "r3", C);
    let mut f = full.clone();
    f.extend_from_slice(&last.as_bytes()[..last.len() / 2]);
    let v = check_file(&f, add(A, B));
    assert_eq!(skipped(&v, "pending_tail"), 1);
    assert_eq!(skipped(&v, "bad_json"), 0);
    // A complete last line without its newline is a record, not a pending tail.
    let mut f = full.clone();
    f.extend_from_slice(last.as_bytes());
    let v = check_file(&f, GOOD);
    assert_eq!(skipped_total(&v), 0);
}

#[test]
fn row01_a_file_cut_at_every_byte_counts_only_its_complete_lines() {
    let lines = [assistant("m1", "r1", A), assistant("m2", "r2", B)];
    let f = file_of(&lines);
    let first_end = lines[0].len(); // index of the first '\n'
    for cut in 0..=f.len() {
        let (tokens, d) = totals_of(&[("p/s.jsonl", &f[..cut])]);
        let want = if cut >= f.len() - 1 {
            tokens_of(&[A, B]) // the second line is whole (its newline may be missing)
        } else if cut >= first_end {
            tokens_of(&[A])
        } else {
            tokens_of(&[])
        };
        assert_eq!(tokens, want, "cut at {cut}");
        assert_eq!(skips(&d, "bad_json"), 0, "cut at {cut}");
        let torn = cut != 0 && cut != first_end && cut != first_end + 1 && cut < f.len() - 1;
        assert_eq!(skips(&d, "pending_tail"), u64::from(torn), "cut at {cut}");
    }
}

fn tokens_of(ts: &[Tok]) -> ccrecap::model::tokens::Tokens {
    ts.iter().map(|&t| tokens(t)).sum()
}

#[test]
fn row02_truncated_line_in_the_middle_is_bad_json() {
    let a = assistant("mX", "rX", (100, 100, 100, 100));
    let v = check_file(&around(&[&a.as_bytes()[..a.len() - 20]]), GOOD);
    assert_eq!(skipped(&v, "bad_json"), 1);
    assert_eq!(skipped_total(&v), 1);
}

#[test]
fn row02b_torn_line_merged_with_the_next_append_is_bad_json() {
    // The writer died mid-line, then the next record was appended on the same line: the
    // merged line is skipped (the record it swallowed is lost, and counted as bad_json).
    let torn = assistant("mX", "rX", (100, 100, 100, 100));
    let merged = format!(
        "{}{}",
        &torn[..torn.len() / 3],
        assistant("mY", "rY", (1, 1, 1, 1))
    );
    let v = check_file(&around(&[merged.as_bytes()]), GOOD);
    assert_eq!(skipped(&v, "bad_json"), 1);
    assert_eq!(skipped_total(&v), 1);
}

#[test]
fn row03_junk_binary_and_nul_bytes_are_bad_json() {
    let mut binary: Vec<u8> = (0..=255u8).filter(|&b| b != b'\n').collect();
    binary.extend_from_slice(b"\0\0\0");
    // NUL bytes past the first 64 KiB (ripgrep's buffer-edge case) in a JSON-ish line.
    // (Inside a string nobody reads they would not be noticed: the walker checks the
    // structure of values it skips, not their bytes, like invalid UTF-8 in row 12.)
    let mut late_nul = b"{\"type\":\"assistant\",\"x\":\"".to_vec();
    late_nul.extend(std::iter::repeat_n(b'a', 70_000));
    late_nul.extend_from_slice(b"\",\0\0}");
    let bad: [&[u8]; 6] = [
        b"not json at all",
        b"\xff\xfe\xfd garbage \x80",
        &binary,
        &late_nul,
        b"\0",
        b"}{",
    ];
    let v = check_file(&around(&bad), GOOD);
    assert_eq!(skipped(&v, "bad_json"), 6, "{}", v["diagnostics"]);
    assert_eq!(skipped_total(&v), 6);
}

#[test]
fn row04_valid_json_of_the_wrong_shape_is_bad_shape() {
    let bad: [&[u8]; 9] = [
        b"[1,2,3]",
        b"\"a string\"",
        b"42",
        b"null",
        b"true",
        b"{}",
        br#"{"type":5,"message":{"usage":{"input_tokens":1}}}"#,
        br#"{"message":{"id":"m9","usage":{"input_tokens":1}},"requestId":"r9"}"#,
        br#"{"type":"assistant","message":"not an object"}"#,
    ];
    let v = check_file(&around(&bad), GOOD);
    assert_eq!(skipped(&v, "bad_shape"), 9, "{}", v["diagnostics"]);
    assert_eq!(skipped_total(&v), 9);
}

#[test]
fn row05_unknown_and_new_entry_types_are_counted_quietly() {
    let bad: [&[u8]; 4] = [
        br#"{"type":"file-history-snapshot","messageId":"x","snapshot":{"trackedFileBackups":{}}}"#,
        br#"{"type":"summary","summary":"A title","leafUuid":"u"}"#,
        br#"{"type":"hologram-entry","payload":{"usage":{"input_tokens":99}}}"#,
        br#"{"parentUuid":"x","type":"brand-new-kind","sessionId":"s-1"}"#,
    ];
    let v = check_file(&around(&bad), GOOD);
    assert_eq!(skipped_total(&v), 0, "{}", v["diagnostics"]);
    assert_eq!(diag(&v, "unknown_entries"), 2);
    assert_eq!(diag(&v, "non_usage_entries"), 2);
    let d = Diagnostics {
        files_read: 1,
        unknown_entries: 2,
        ..Default::default()
    };
    assert_eq!(ccrecap::render::footer::text(&d), None, "not a warning");
}

#[test]
fn row06_unknown_extra_fields_everywhere_are_ignored() {
    let mut v = assistant_value("m1", "r1", A);
    v["zzNew"] = serde_json::json!({"deep": [1, {"x": null}]});
    v["message"]["brandNew"] = "x".into();
    v["message"]["usage"]["server_tool_use"] = serde_json::json!({"web_search_requests": 3});
    v["message"]["usage"]["future_tokens"] = 123_456.into();
    let mut f = file_of(&[v.to_string()]);
    f.extend(file_of(&[
        assistant("m2", "r2", B),
        assistant("m3", "r3", C),
    ]));
    let v = check_file(&f, GOOD);
    assert_eq!(skipped_total(&v), 0);
}

#[test]
fn row07_assistant_without_message_or_usage_is_no_usage() {
    let bad: [&[u8]; 2] = [
        br#"{"type":"assistant","requestId":"r8","timestamp":"2026-11-10T10:00:00Z"}"#,
        br#"{"type":"assistant","message":{"id":"m8","content":[]},"requestId":"r8"}"#,
    ];
    let v = check_file(&around(&bad), GOOD);
    assert_eq!(skipped(&v, "no_usage"), 2);
    assert_eq!(skipped_total(&v), 2);
}

/// An assistant line whose `message.usage` is replaced by `usage` (raw JSON text).
fn with_usage(id: &str, usage: &str) -> String {
    let mut v = assistant_value(id, id, (0, 0, 0, 0));
    v["message"]["usage"] = serde_json::Value::Null;
    v.to_string()
        .replace("\"usage\":null", &format!("\"usage\":{usage}"))
}

#[test]
fn row08_usage_not_an_object_or_tokens_of_the_wrong_type_are_invalid_usage() {
    let bad = [
        with_usage("b1", "\"lots\""),
        with_usage("b2", "[1,2]"),
        with_usage("b3", "7"),
        with_usage("b4", r#"{"input_tokens":"12"}"#),
        with_usage("b5", r#"{"input_tokens":1.5}"#),
        with_usage("b6", r#"{"output_tokens":true}"#),
        with_usage("b7", r#"{"cache_read_input_tokens":{}}"#),
        with_usage("b8", r#"{"input_tokens":1,"cache_creation":5}"#),
    ];
    let refs: Vec<&[u8]> = bad.iter().map(std::string::String::as_bytes).collect();
    let v = check_file(&around(&refs), GOOD);
    assert_eq!(skipped(&v, "invalid_usage"), 8, "{}", v["diagnostics"]);
    assert_eq!(skipped_total(&v), 8);
    // null means 0: the record is kept.
    let null = with_usage("n1", r#"{"input_tokens":null,"output_tokens":9}"#);
    let v = check_file(&around(&[null.as_bytes()]), add(GOOD, (0, 9, 0, 0)));
    assert_eq!(skipped_total(&v), 0);
}

#[test]
fn row09_negative_token_counts_are_invalid_usage() {
    let bad = [
        with_usage("n1", r#"{"input_tokens":-5,"output_tokens":10}"#),
        with_usage("n2", r#"{"output_tokens":-1e3}"#),
    ];
    let refs: Vec<&[u8]> = bad.iter().map(std::string::String::as_bytes).collect();
    let v = check_file(&around(&refs), GOOD);
    assert_eq!(skipped(&v, "invalid_usage"), 2);
    assert_eq!(skipped_total(&v), 2);
}

#[test]
fn row10_huge_token_counts_are_skipped_and_sums_stay_exact() {
    let bad = [
        with_usage("h1", r#"{"input_tokens":1e400}"#),
        with_usage("h2", r#"{"input_tokens":18446744073709551616}"#),
        with_usage("h3", r#"{"output_tokens":1000000001}"#),
        with_usage("h4", r#"{"output_tokens":99999999999999999999999999999}"#),
    ];
    let refs: Vec<&[u8]> = bad.iter().map(std::string::String::as_bytes).collect();
    let v = check_file(&around(&refs), GOOD);
    assert_eq!(skipped(&v, "invalid_usage"), 1, "{}", v["diagnostics"]);
    assert_eq!(skipped(&v, "implausible_usage"), 3, "{}", v["diagnostics"]);
    // 10^9 per field is plausible; many of them sum exactly.
    let max = 1_000_000_000u64;
    let lines: Vec<String> = (0..2000)
        .map(|i| assistant(&format!("m{i}"), "r", (max, max, max, max)))
        .collect();
    let n = lines.len() as u64;
    let v = check_file(&file_of(&lines), (n * max, n * max, n * max, n * max));
    assert_eq!(skipped_total(&v), 0);
    assert_eq!(v["totals"]["totalTokens"], 4 * n * max);
}

#[test]
fn row11_invalid_utf8_in_a_used_field_keeps_the_usage_and_is_counted_lossy() {
    // The lazy walker decodes the fields it uses with U+FFFD replacement (like row 13), so
    // a mangled model name never costs the line's tokens; the line is counted lossy.
    let mut line = assistant("m1", "r1", A).into_bytes();
    let at = memchr_find(&line, b"claude-sonnet") + 6;
    line[at] = 0xff;
    let mut f = line.clone();
    f.push(b'\n');
    f.extend(file_of(&[
        assistant("m2", "r2", B),
        assistant("m3", "r3", C),
    ]));
    let v = check_file(&f, GOOD);
    assert_eq!(skipped_total(&v), 0);
    assert_eq!(diag(&v, "lossy_lines"), 1);
    let models = v["daily"][0]["modelsUsed"].to_string();
    assert!(models.contains("claude\u{FFFD}sonnet"), "{models}");
    // Junk where a token count belongs makes the record unreadable: invalid_usage.
    let mut broken = with_usage("x1", r#"{"input_tokens":1#}"#).into_bytes();
    let at = memchr_find(&broken, b"1#}");
    broken[at + 1] = 0xff;
    let v = check_file(&around(&[&broken]), GOOD);
    assert_eq!(skipped(&v, "invalid_usage"), 1, "{}", v["diagnostics"]);
    assert_eq!(skipped_total(&v), 1);
}

fn memchr_find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .position(|w| w == needle)
        .expect("needle present")
}

#[test]
fn row12_invalid_utf8_or_lone_surrogates_in_unused_fields_do_not_matter() {
    let mut v = assistant_value("m1", "r1", A);
    v["message"]["content"][0]["text"] = "PLACEHOLDER".into();
    v["gitBranch"] = "BRANCH".into();
    let text = v
        .to_string()
        .replace("PLACEHOLDER", r"cut mid-emoji \ud83d here")
        .replace("BRANCH", "\u{1}");
    let mut line = text.into_bytes();
    let at = memchr_find(&line, b"\x01");
    line[at] = 0xc3; // a lead byte with no continuation: invalid UTF-8
    let mut f = line;
    f.push(b'\n');
    f.extend(file_of(&[
        assistant("m2", "r2", B),
        assistant("m3", "r3", C),
    ]));
    let v = check_file(&f, GOOD);
    assert_eq!(skipped_total(&v), 0);
}

#[test]
fn row13_lone_surrogate_in_a_displayed_string_is_kept_with_a_replacement() {
    let mut v = assistant_value("m1", "r1", A);
    v["cwd"] = "CWD".into();
    v["message"]["model"] = "MODEL".into();
    let line = v
        .to_string()
        .replace("CWD", r"/home/u/\ud83d/app")
        .replace("MODEL", r"claude-x-\udc00");
    let mut f = file_of(&[line]);
    f.extend(file_of(&[
        assistant("m2", "r2", B),
        assistant("m3", "r3", C),
    ]));
    let v = check_file(&f, GOOD);
    assert_eq!(skipped_total(&v), 0);
    assert!(diag(&v, "lossy_lines") >= 1);
    let models = v["daily"][0]["modelsUsed"].to_string();
    assert!(models.contains("claude-x-\u{FFFD}"), "{models}");
}

/// Runs `cmd` under `/usr/bin/time` and returns its status, stdout and peak RSS in MiB.
/// (The child's own `ru_maxrss` would not do: Linux carries the RSS of the process that
/// spawned it across `exec`, and this test process holds large buffers.)
#[cfg(target_os = "linux")]
fn run_measuring_rss(
    bin: &Path,
    args: &[&std::ffi::OsStr],
) -> Option<(std::process::ExitStatus, Vec<u8>, u64)> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "/usr/bin/time is required in CI"
        );
        eprintln!("row14: /usr/bin/time not installed; peak RSS not measured");
        return None;
    }
    let rss_file = tempfile::NamedTempFile::new().unwrap();
    let out = std::process::Command::new(time)
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(rss_file.path())
        .arg(bin)
        .args(args)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    let kib: u64 = std::fs::read_to_string(rss_file.path())
        .unwrap()
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .expect("a peak RSS from /usr/bin/time");
    Some((out.status, out.stdout, kib / 1024))
}

#[cfg(target_os = "linux")] // peak RSS through GNU /usr/bin/time
#[test]
fn row14_a_100_mb_line_is_read_within_the_cap_and_skipped_beyond_it_in_bounded_memory() {
    const MB100: usize = 100 << 20;
    let t = Tree::new();
    // A 100 MB tool result on a user line, between two assistant records.
    let mut f = file_of(&[assistant("m1", "r1", A)]);
    let mut big = user("PAYLOAD").into_bytes();
    let at = memchr_find(&big, b"PAYLOAD");
    big.splice(at..at + 7, std::iter::repeat_n(b'x', MB100));
    f.extend_from_slice(&big);
    f.push(b'\n');
    f.extend(file_of(&[assistant("m2", "r2", B)]));
    t.write("proj/big.jsonl", &f);
    drop(f);
    drop(big);
    let bin = assert_cmd::cargo::cargo_bin("ccrecap");
    for cmd in ["daily", "activity"] {
        let run = |extra: &[&str]| {
            let mut args: Vec<&std::ffi::OsStr> = vec![cmd.as_ref()];
            args.extend(extra.iter().map(std::ffi::OsStr::new));
            args.extend(["--json", "--all", "--claude-dir"].map(std::ffi::OsStr::new));
            args.push(t.path().as_os_str());
            run_measuring_rss(&bin, &args)
        };
        // Within the default 256 MiB cap: parsed, memory ≈ the line plus 64 MiB.
        let Some((status, out, rss)) = run(&[]) else {
            return;
        };
        assert!(status.success(), "{cmd}");
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(skipped_total(&v), 0, "{cmd}: {}", v["diagnostics"]);
        eprintln!("row14 {cmd}: 100 MiB line within the cap, peak RSS {rss} MiB");
        assert!(rss < 100 + 64, "{cmd}: peak RSS {rss} MiB");
        // Over a 1 MiB cap: skipped without being buffered.
        let (status, out, rss) = run(&["--max-line-mib", "1"]).unwrap();
        assert!(status.success());
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(skipped(&v, "too_long"), 1, "{cmd}: {}", v["diagnostics"]);
        assert_eq!(skipped_total(&v), 1);
        eprintln!("row14 {cmd}: 100 MiB line over a 1 MiB cap, peak RSS {rss} MiB");
        assert!(rss < 1 + 64, "{cmd}: peak RSS {rss} MiB");
        let tot = if cmd == "daily" {
            common::totals(&v)
        } else {
            let g = |k: &str| common::u(&v["totals"][k]);
            (
                g("input_tokens"),
                g("output_tokens"),
                g("cache_read_tokens"),
                g("cache_write_tokens"),
            )
        };
        assert_eq!(tot, add(A, B), "{cmd}");
    }
}

#[test]
fn row15_deep_nesting_never_overflows_the_stack() {
    const DEEP: usize = 1_000_000;
    let nest = |open: &str, close: &str| format!("{}{}", open.repeat(DEEP), close.repeat(DEEP));
    // In a field we do not use: the line parses.
    let mut v = assistant_value("m1", "r1", A);
    v["toolUseResult"] = "NEST".into();
    v["message"]["content"][0]["input"] = "NEST".into();
    let unused = v.to_string().replace("\"NEST\"", &nest("[", "]"));
    let mut f = file_of(&[unused]);
    f.extend(file_of(&[
        assistant("m2", "r2", B),
        assistant("m3", "r3", C),
    ]));
    let v = check_file(&f, GOOD);
    assert_eq!(skipped_total(&v), 0);
    // Where a token count belongs: the record is invalid. A whole line of nesting is
    // valid JSON of the wrong shape (serde skips it iteratively).
    let used = with_usage("d1", &format!("{{\"input_tokens\":{}}}", nest("[", "]")));
    let whole = nest("[", "]");
    let objects = nest("{\"a\":", "}");
    let v = check_file(
        &around(&[used.as_bytes(), whole.as_bytes(), objects.as_bytes()]),
        GOOD,
    );
    assert_eq!(skipped(&v, "invalid_usage"), 1, "{}", v["diagnostics"]);
    assert_eq!(skipped(&v, "bad_shape"), 2, "{}", v["diagnostics"]);
    assert_eq!(skipped_total(&v), 3);
    // Cut short, the same nesting is bad JSON.
    let torn = &whole[..whole.len() - 10];
    let v = check_file(&around(&[torn.as_bytes()]), GOOD);
    assert_eq!(skipped(&v, "bad_json"), 1, "{}", v["diagnostics"]);
}

#[test]
fn row16_duplicate_keys_are_bad_json() {
    let line = assistant("d1", "d1", (9, 9, 9, 9));
    let dup_type = line.replacen(
        "\"type\":\"assistant\"",
        "\"type\":\"assistant\",\"type\":\"user\"",
        1,
    );
    let dup_request = line.replacen(
        "\"requestId\":\"d1\"",
        "\"requestId\":\"d1\",\"requestId\":\"d2\"",
        1,
    );
    let dup_usage = with_usage("d3", r#"{"input_tokens":1,"input_tokens":2}"#);
    let v = check_file(
        &around(&[
            dup_type.as_bytes(),
            dup_request.as_bytes(),
            dup_usage.as_bytes(),
        ]),
        GOOD,
    );
    assert_eq!(skipped(&v, "bad_json"), 2, "{}", v["diagnostics"]);
    assert_eq!(skipped(&v, "invalid_usage"), 1, "{}", v["diagnostics"]);
}

#[test]
fn row17_bom_and_crlf_are_stripped() {
    let mut f = b"\xEF\xBB\xBF".to_vec();
    for l in [
        assistant("m1", "r1", A),
        assistant("m2", "r2", B),
        assistant("m3", "r3", C),
    ] {
        f.extend_from_slice(l.as_bytes());
        f.extend_from_slice(b"\r\n");
    }
    let v = check_file(&f, GOOD);
    assert_eq!(skipped_total(&v), 0);
}

#[test]
fn row18_empty_files_say_nothing_and_blank_lines_are_counted() {
    let t = Tree::new();
    t.write("proj/empty.jsonl", b"");
    t.write("proj/good.jsonl", file_of(&[assistant("m1", "r1", A)]));
    let v = t.daily();
    assert_eq!(common::totals(&v), A);
    assert_eq!(diag(&v, "files_read"), 2);
    assert_eq!(skipped_total(&v), 0);
    // Claude Code never writes a blank line, so one is counted (`empty`), as the corpus
    // generator's ground truth counts it among malformed lines.
    t.write("proj/blank.jsonl", b"\n\n  \n");
    let v = t.daily();
    assert_eq!(common::totals(&v), A);
    assert_eq!(diag(&v, "files_read"), 3);
    assert_eq!(skipped(&v, "empty"), 3);
}

#[test]
fn strict_exits_3_only_when_something_was_skipped() {
    let t = Tree::new();
    t.write("proj/s.jsonl", file_of(&[assistant("m1", "r1", A)]));
    let run = |extra: &[&str]| {
        ccrecap()
            .args(["daily", "--json", "--claude-dir"])
            .arg(t.path())
            .args(extra)
            .output()
            .unwrap()
    };
    assert_eq!(run(&["--strict"]).status.code(), Some(0), "a clean scan");
    t.write(
        "proj/torn.jsonl",
        &assistant("m2", "r2", B).as_bytes()[..50],
    );
    for (flags, code) in [
        (vec![], 0),
        (vec!["--strict"], 3),
        (vec!["--strict", "-q"], 3),
    ] {
        let out = run(&flags);
        assert_eq!(out.status.code(), Some(code), "{flags:?}");
        assert_eq!(
            common::totals(&json_out(&out)),
            A,
            "the report is printed either way"
        );
    }
    // The demo history has nothing to skip.
    ccrecap()
        .args(["--demo", "--strict", "daily"])
        .assert()
        .code(0);
}

#[test]
fn row19_empty_projects_dir_and_empty_project_dirs_give_an_empty_report() {
    let t = Tree::new();
    for args in [
        vec!["daily", "--json"],
        vec!["daily"],
        vec!["--json"],
        vec![],
    ] {
        let out = ccrecap()
            .args(&args)
            .arg("--claude-dir")
            .arg(t.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("no transcript files (*.jsonl) found"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        if args.contains(&"--json") {
            let v = json_out(&out);
            assert_eq!(diag(&v, "files_read"), 0);
        }
        std::fs::create_dir_all(t.projects().join("empty-project/sub")).unwrap();
    }
}

// ---- rows 20–28: the file system ----

#[cfg(unix)]
fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A command that runs the binary as an unprivileged user: directly when the tests do not
/// run as root, else as `nobody` (uid 65534) through setpriv, since root reads mode-000
/// files. `None` (the caller skips, saying why) when neither is possible outside CI.
#[cfg(unix)]
fn unprivileged(scratch: &Path) -> Option<Command> {
    let bin = assert_cmd::cargo::cargo_bin("ccrecap");
    if !is_root() {
        return Some(ccrecap());
    }
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    let Some(setpriv) = setpriv else {
        assert!(
            std::env::var_os("CI").is_none(),
            "setpriv is required in CI"
        );
        eprintln!("skipping: running as root and setpriv is not installed");
        return None;
    };
    // nobody must be able to reach the binary: copy it next to the data when it cannot.
    let probe = std::process::Command::new(setpriv)
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&bin)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let bin = if probe {
        bin
    } else {
        let copy = scratch.join("ccrecap-bin");
        std::fs::copy(&bin, &copy).unwrap();
        copy
    };
    let mut c = Command::new(setpriv);
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TZ", "UTC")
        .env("HOME", "/nonexistent-ccrecap-home")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(bin);
    Some(c)
}

#[cfg(unix)]
fn chmod(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A tree readable by everyone (tempdirs are created 0700).
#[cfg(unix)]
fn open_tree() -> Tree {
    let t = Tree::new();
    chmod(t.path(), 0o755);
    chmod(&t.projects(), 0o755);
    t
}

#[cfg(unix)] // permission bits
#[test]
fn row20_row21_unreadable_files_and_directories_are_skipped_counted_and_named() {
    let t = open_tree();
    let ok = t.write("proj/ok.jsonl", file_of(&[assistant("m1", "r1", A)]));
    let secret = t.write("proj/secret.jsonl", file_of(&[assistant("m2", "r2", B)]));
    let inside = t.write("locked/s.jsonl", file_of(&[assistant("m3", "r3", C)]));
    for p in [&ok, &inside] {
        chmod(p, 0o644);
    }
    chmod(&t.projects().join("proj"), 0o755);
    chmod(&secret, 0o000);
    chmod(&t.projects().join("locked"), 0o000);
    let Some(mut cmd) = unprivileged(t.path()) else {
        return;
    };
    let out = cmd
        .args(["daily", "--json", "--claude-dir"])
        .arg(t.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v = json_out(&out);
    assert_eq!(common::totals(&v), A);
    assert_eq!(diag(&v, "unreadable_files"), 1);
    assert_eq!(diag(&v, "unreadable_dirs"), 1);
    let paths = v["diagnostics"]["problem_paths"].to_string();
    assert!(
        paths.contains("secret.jsonl") && paths.contains("locked"),
        "{paths}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 files or folders unreadable"), "{err}");
    // --strict turns an incomplete report into exit 3 (the report is still printed).
    let mut cmd = unprivileged(t.path()).unwrap();
    let out = cmd
        .args(["daily", "--json", "--strict", "--claude-dir"])
        .arg(t.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(common::totals(&json_out(&out)), A);
    chmod(&t.projects().join("locked"), 0o755);
}

#[cfg(unix)] // POSIX symlinks
#[test]
fn row22_symlinks_inside_the_tree_are_not_followed_but_a_symlinked_root_is() {
    let t = Tree::new();
    let real = t.write("proj/s.jsonl", file_of(&[assistant("m1", "r1", A)]));
    t.write("other/t.jsonl", file_of(&[assistant("m2", "r2", B)]));
    symlink(&real, t.projects().join("proj/link-to-file.jsonl")).unwrap();
    symlink(
        t.projects().join("other"),
        t.projects().join("proj/link-to-dir"),
    )
    .unwrap();
    let v = t.daily();
    assert_eq!(common::totals(&v), add(A, B));
    assert_eq!(diag(&v, "symlinks_skipped"), 2);
    assert_eq!(diag(&v, "files_read"), 2);
    // The root itself may be a symlink (a dotfiles setup).
    let elsewhere = tempfile::tempdir().unwrap();
    let root = elsewhere.path().join("claude-link");
    symlink(t.path(), &root).unwrap();
    let v = common::daily(&root);
    assert_eq!(common::totals(&v), add(A, B));
}

#[cfg(unix)] // POSIX symlinks
#[test]
fn row23_symlink_loops_are_not_followed() {
    let t = Tree::new();
    t.write("a/b/s.jsonl", file_of(&[assistant("m1", "r1", A)]));
    symlink(t.projects().join("a"), t.projects().join("a/b/loop")).unwrap();
    symlink("self.jsonl", t.projects().join("a/self.jsonl")).unwrap();
    let out = ccrecap()
        .args(["daily", "--json", "--claude-dir"])
        .arg(t.path())
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = json_out(&out);
    assert_eq!(common::totals(&v), A);
    assert_eq!(diag(&v, "symlinks_skipped"), 2);
}

#[cfg(unix)] // POSIX symlinks
#[test]
fn row24_symlinks_pointing_outside_the_projects_dir_are_never_read() {
    let t = Tree::new();
    t.write("proj/s.jsonl", file_of(&[assistant("m1", "r1", A)]));
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.jsonl");
    std::fs::write(&secret, file_of(&[assistant("m9", "r9", (9, 9, 9, 9))])).unwrap();
    symlink(&secret, t.projects().join("proj/secret.jsonl")).unwrap();
    symlink(outside.path(), t.projects().join("outside-dir")).unwrap();
    let v = t.daily();
    assert_eq!(common::totals(&v), A);
    assert_eq!(diag(&v, "symlinks_skipped"), 2);
}

#[cfg(unix)] // POSIX symlinks
#[test]
fn row25_dangling_symlinks_are_skipped_and_counted() {
    let t = Tree::new();
    t.write("proj/s.jsonl", file_of(&[assistant("m1", "r1", A)]));
    symlink("/nonexistent/x.jsonl", t.projects().join("proj/gone.jsonl")).unwrap();
    let v = t.daily();
    assert_eq!(common::totals(&v), A);
    assert_eq!(diag(&v, "symlinks_skipped"), 1);
    assert_eq!(skipped_total(&v), 0);
}

fn scan_dir_in_steps(t: &Tree, between: impl FnOnce()) -> ccrecap::scan::Scan {
    let opts = ccrecap::scan::ScanOptions {
        roots: vec![t.projects()],
        discover: ccrecap::scan::discover::DiscoverOptions::default(),
    };
    let mut d = Diagnostics::default();
    let found = ccrecap::scan::find(&opts, &mut d);
    between();
    let read = ccrecap::scan::ReadOptions {
        max_line: 256 << 20,
        detail: Detail::Full,
    };
    ccrecap::scan::load(&found, read, d, &|_| {})
}

fn scan_totals(s: &ccrecap::scan::Scan) -> ccrecap::model::tokens::Tokens {
    s.dataset.responses.iter().map(|r| r.tokens).sum()
}

#[test]
fn row26_a_file_deleted_between_listing_and_opening_is_counted_vanished() {
    let t = Tree::new();
    t.write("proj/keep.jsonl", file_of(&[assistant("m1", "r1", A)]));
    let gone = t.write("proj/gone.jsonl", file_of(&[assistant("m2", "r2", B)]));
    let s = scan_dir_in_steps(&t, || std::fs::remove_file(&gone).unwrap());
    assert_eq!(scan_totals(&s), tokens(A));
    assert_eq!(s.diagnostics.vanished_files, 1);
    assert_eq!(s.diagnostics.files_read, 1);
    assert!(!s.diagnostics.incomplete(), "a deleted file is not a skip");
    let note = ccrecap::render::footer::text(&s.diagnostics).unwrap();
    assert!(note.contains("1 file vanished"), "{note}");
}

#[test]
fn row27_a_file_truncated_or_replaced_while_read_ends_early_without_garbage() {
    use ccrecap::scan::parse::FileParser;
    use ccrecap::scan::read::{Piece, for_each_line, open_regular};
    let t = Tree::new();
    let lines = [
        assistant("m1", "r1", A),
        assistant("m2", "r2", B),
        assistant("m3", "r3", C),
    ];
    let bytes = file_of(&lines);
    let path = t.write("proj/s.jsonl", &bytes);
    for cut in [0, lines[0].len() + 1 + lines[1].len() / 2, bytes.len() - 3] {
        std::fs::write(&path, &bytes).unwrap();
        let (file, len) = open_regular(&path).unwrap();
        assert_eq!(len, bytes.len() as u64);
        // Truncated (or rotated and rewritten shorter) after open, before the read.
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(cut as u64)
            .unwrap();
        let mut parser = FileParser::new("s", Detail::Full);
        let mut buf = Vec::new();
        let n = for_each_line(file, len, 1 << 20, &mut buf, |p| match p {
            Piece::Line(l) => parser.line(l, false),
            Piece::Tail(l) => parser.line(l, true),
            Piece::TooLong => parser.too_long(),
        })
        .unwrap();
        assert_eq!(n, cut as u64);
        let got: ccrecap::model::tokens::Tokens =
            parser.partial.responses.iter().map(|r| r.tokens).sum();
        let complete = memchr::memchr_iter(b'\n', &bytes[..cut]).count();
        assert_eq!(got, tokens_of(&[A, B, C][..complete]), "cut {cut}");
        assert_eq!(skips(&parser.diag, "bad_json"), 0, "cut {cut}");
    }
}

#[cfg(unix)] // FIFOs, Unix sockets and device nodes
#[test]
fn row28_fifos_sockets_devices_and_directories_named_jsonl_are_never_opened_as_files() {
    let t = Tree::new();
    t.write("proj/s.jsonl", file_of(&[assistant("m1", "r1", A)]));
    let dir = t.projects().join("proj");
    let fifo = dir.join("pipe.jsonl");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let _sock = std::os::unix::net::UnixListener::bind(dir.join("sock.jsonl")).unwrap();
    let mut expected = 2;
    if is_root() {
        let dev = std::ffi::CString::new(dir.join("null.jsonl").to_str().unwrap()).unwrap();
        // SAFETY: a valid path; /dev/null's device number.
        let r = unsafe { libc::mknod(dev.as_ptr(), libc::S_IFCHR | 0o644, libc::makedev(1, 3)) };
        if r == 0 {
            expected += 1;
        }
    }
    // A directory named like a transcript is walked as a directory, never opened as one.
    t.write(
        "proj/dir.jsonl/inner.jsonl",
        file_of(&[assistant("m2", "r2", B)]),
    );
    // Opening the FIFO directly (as after a race with the listing) must not block.
    let (tx, rx) = std::sync::mpsc::channel();
    let f2 = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(matches!(
            ccrecap::scan::read::open_regular(&f2),
            Err(ccrecap::scan::read::OpenError::NotRegular)
        ));
    });
    let refused = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("opening a FIFO blocked");
    assert!(refused);
    let out = ccrecap()
        .args(["--json", "--all", "--claude-dir"])
        .arg(t.path())
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v = json_out(&out);
    assert_eq!(diag(&v, "not_regular_files"), expected);
    assert_eq!(diag(&v, "files_read"), 2);
    assert_eq!(common::u(&v["totals"]["output_tokens"]), A.1 + B.1);
}

// ---- rows 29–35: the data ----

#[test]
fn row29_same_session_in_two_projects_and_resumed_copies_count_once() {
    let t = Tree::new();
    let lines_a = [assistant("m1", "r1", A), assistant("m2", "r2", B)];
    t.write("projA/s-1.jsonl", file_of(&lines_a));
    t.write("projB/s-1.jsonl", file_of(&[assistant("m3", "r3", C)]));
    // A resumed session copies the history into a new file, then continues.
    let mut resumed = lines_a.to_vec();
    resumed.push(assistant("m4", "r4", (1, 1, 1, 1)));
    t.write("projA/s-2.jsonl", file_of(&resumed));
    let want = add(GOOD, (1, 1, 1, 1));
    let daily = t.daily();
    assert_eq!(both_totals(&daily, &t.full()), want);
    assert_eq!(diag(&daily, "duplicates"), 2);
    let sessions = common::report(&["session", "--claude-dir", t.path().to_str().unwrap()]);
    assert_eq!(common::totals(&sessions), want);
    let rows = sessions["sessions"].as_array().unwrap();
    let out: u64 = rows.iter().map(|r| common::u(&r["outputTokens"])).sum();
    assert_eq!(out, want.1, "session rows add up to the totals");
    let projects: std::collections::BTreeSet<String> =
        rows.iter().map(|r| r["projectPath"].to_string()).collect();
    assert_eq!(projects.len(), 2, "one session per project: {rows:?}");
}

#[test]
fn row30_streaming_copies_keep_the_largest_in_any_order() {
    let copies = [(3, 1, 0, 50), (3, 9, 0, 50), (3, 4, 0, 50)];
    let mut orders = vec![];
    for a in 0..3 {
        for b in 0..3 {
            for c in 0..3 {
                if a != b && b != c && a != c {
                    orders.push([a, b, c]);
                }
            }
        }
    }
    for order in orders {
        let lines: Vec<String> = order
            .iter()
            .map(|&i| assistant("m1", "r1", copies[i]))
            .collect();
        let f = file_of(&lines);
        let (t, d) = totals_of(&[("p/s.jsonl", &f)]);
        assert_eq!(t, tokens((3, 9, 0, 50)), "order {order:?}");
        assert_eq!(d.skipped_total(), 0);
    }
}

fn with_timestamp(id: &str, ts: Option<&str>) -> String {
    let mut v = assistant_value(id, id, (1, 1, 1, 1));
    match ts {
        Some(ts) => v["timestamp"] = ts.into(),
        None => {
            v.as_object_mut().unwrap().remove("timestamp");
        }
    }
    v.to_string()
}

#[test]
fn row31_missing_or_invalid_timestamps_count_in_the_totals_as_undated() {
    let lines = [
        with_timestamp("t1", None),
        with_timestamp("t2", Some("garbage")),
        with_timestamp("t3", Some("2026-13-45T99:00:00Z")),
        assistant("m1", "r1", A),
    ];
    let t = Tree::new();
    t.write("proj/s.jsonl", file_of(&lines));
    let v = t.daily();
    assert_eq!(diag(&v, "undated_lines"), 3);
    assert_eq!(skipped_total(&v), 0);
    let (tokens, _) = totals_of(&[("p/s.jsonl", &file_of(&lines))]);
    assert_eq!(tokens.output, A.1 + 3, "undated responses are in the data");
    let full = t.full();
    assert_eq!(common::u(&full["totals"]["output_tokens"]), A.1 + 3);
}

#[test]
fn row32_future_timestamps_are_kept_and_counted_and_offsets_bucket_by_time_zone() {
    let t = Tree::new();
    t.write(
        "proj/s.jsonl",
        file_of(&[
            with_timestamp("f1", Some("2027-01-01T00:00:00Z")),
            with_timestamp("o1", Some("2026-11-10T23:30:00-05:00")),
        ]),
    );
    let v = t.daily();
    assert_eq!(diag(&v, "future_dated"), 1, "now is pinned to 2026-11-16");
    assert_eq!(common::totals(&v), (2, 2, 2, 2));
    let dates = |v: &Value| -> Vec<String> {
        v["daily"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["date"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(dates(&v), ["2026-11-11", "2027-01-01"]);
    let out = ccrecap()
        .args(["daily", "--json", "--timezone", "America/New_York"])
        .args(["--now", "2026-11-16T00:00:00Z", "--claude-dir"])
        .arg(t.path())
        .output()
        .unwrap();
    assert_eq!(dates(&json_out(&out)), ["2026-11-10", "2026-12-31"]);
}

#[test]
fn row33_unknown_models_keep_their_tokens_and_synthetic_lines_count_none() {
    let mut unknown = assistant_value("u1", "u1", (7, 7, 7, 7));
    unknown["message"]["model"] = "claude-future-9".into();
    let mut synthetic = assistant_value("s1", "s1", (5, 5, 5, 5));
    synthetic["message"]["model"] = "<synthetic>".into();
    let t = Tree::new();
    t.write(
        "proj/s.jsonl",
        file_of(&[
            unknown.to_string(),
            synthetic.to_string(),
            assistant("m1", "r1", A),
        ]),
    );
    let v = t.daily();
    assert_eq!(both_totals(&v, &t.full()), add(A, (7, 7, 7, 7)));
    assert_eq!(diag(&v, "synthetic_lines"), 1);
    let unpriced = &v["diagnostics"]["unpriced_models"];
    assert_eq!(unpriced[0]["model"], "claude-future-9", "{unpriced}");
    assert_eq!(unpriced[0]["total_tokens"], 28);
    let out = ccrecap()
        .args(["daily", "--claude-dir"])
        .arg(t.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unpriced models (cost unknown): claude-future-9"),
        "{err}"
    );
}

#[cfg(unix)] // `ulimit -n` in sh
#[test]
fn row34_a_hundred_thousand_small_files_with_64_descriptors() {
    const N: usize = 100_000;
    let t = Tree::in_memory();
    for d in 0..100 {
        let dir = t.projects().join(format!("proj{d:02}"));
        std::fs::create_dir_all(&dir).unwrap();
        for i in 0..N / 100 {
            let id = format!("m{d}-{i}");
            std::fs::write(
                dir.join(format!("{i}.jsonl")),
                file_of(&[assistant(&id, &id, (1, 2, 3, 4))]),
            )
            .unwrap();
        }
    }
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -n 64 && exec "$0" daily --json --claude-dir "$1""#)
        .arg(assert_cmd::cargo::cargo_bin("ccrecap"))
        .arg(t.path())
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_out(&out);
    let n = N as u64;
    assert_eq!(diag(&v, "files_read"), n);
    assert_eq!(
        diag(&v, "unreadable_files") + diag(&v, "unreadable_dirs"),
        0
    );
    assert_eq!(common::totals(&v), (n, 2 * n, 3 * n, 4 * n));
}

#[test]
fn row35_generated_corpus_with_malformed_rate_0_9_matches_its_manifest() {
    let args = [&common::CURRENT_ERA[..], &["--malformed-rate", "0.9"]].concat();
    let (dir, m) = common::generate(&args);
    let t = &m["tokens"];
    let want = (
        common::u(&t["input"]),
        common::u(&t["output"]),
        common::u(&t["cache_read"]),
        common::u(&t["cache_creation"]),
    );
    let categories = m["malformed_lines"].as_object().unwrap();
    let malformed: u64 = categories.values().map(common::u).sum();
    assert!(malformed > 30, "the corpus is damaged: {malformed} lines");
    assert!(
        categories.values().all(|n| common::u(n) > 0),
        "every kind of damage: {categories:?}"
    );
    let daily = common::daily(dir.path());
    let full = common::report(&["--all", "--claude-dir", dir.path().to_str().unwrap()]);
    assert_eq!(both_totals(&daily, &full), want);
    assert_eq!(skipped_total(&daily), malformed, "{}", daily["diagnostics"]);
    assert_eq!(skipped_total(&full), malformed, "{}", full["diagnostics"]);
    eprintln!("row35: {malformed} malformed lines, totals equal the manifest");
}

// ---- rows 36–37: the environment ----

#[cfg(unix)] // the passwd home of an unprivileged user
#[test]
fn row36_home_unset_or_empty_falls_back_to_the_passwd_home() {
    let t = Tree::new();
    t.write("proj/s.jsonl", file_of(&[assistant("m1", "r1", A)]));
    // With CLAUDE_CONFIG_DIR, HOME is not needed at all.
    let out = ccrecap()
        .env_remove("HOME")
        .env("CLAUDE_CONFIG_DIR", t.path())
        .args(["daily", "--json"])
        .output()
        .unwrap();
    assert_eq!(common::totals(&json_out(&out)), A);
    // Without it, the passwd entry's home is used; for `nobody` that is /nonexistent, so
    // the error names where it looked. (Root's own home may hold real transcripts.)
    let scratch = open_tree();
    if !is_root() {
        eprintln!("row36: not root; the passwd fallback is this user's real home, not asserted");
        return;
    }
    for home in [None, Some("")] {
        let Some(mut cmd) = unprivileged(scratch.path()) else {
            return;
        };
        match home {
            None => cmd.env_remove("HOME"),
            Some(h) => cmd.env("HOME", h),
        };
        let out = cmd.arg("daily").output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("no Claude Code transcripts found")
                && err.contains("/nonexistent/.claude/projects"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn row37_a_bad_claude_config_dir_is_an_error_naming_the_path() {
    let t = Tree::new();
    t.write("proj/s.jsonl", file_of(&[assistant("m1", "r1", A)]));
    let no_projects = tempfile::tempdir().unwrap();
    let missing = "/nonexistent/ccrecap-config";
    let good = t.path().to_str().unwrap();
    let bad_dir = no_projects.path().to_str().unwrap();
    for (value, named) in [
        (missing.to_string(), missing),
        (bad_dir.to_string(), bad_dir),
        (format!("{good},{missing}"), missing),
    ] {
        let out = ccrecap()
            .env("CLAUDE_CONFIG_DIR", &value)
            .arg("daily")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{value}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(named) && err.lines().count() == 1, "{err}");
    }
}
