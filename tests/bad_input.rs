//! The bad-input catalogue of `../shared/docs/reliability.md` §3, one named test per row
//! (`rowNN_...`): each asserts what ccrecap does with the input and which diagnostics
//! counter records it, and that the good lines' totals stay exact. Rows 38–44 (output
//! safety) live in `tests/output_safety.rs`; row 35 (a gigabyte corpus) in
//! `bench/reliability.sh`, with its small `--malformed-rate 0.9` variant here.

#![allow(clippy::print_stderr)]

mod common;

use assert_cmd::Command;
use ccrecap::scan::Detail;
use ccrecap::scan::diagnostics::Diagnostics;
use common::records::*;
use serde_json::Value;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

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
    let mut c = Command::cargo_bin("ccrecap").unwrap();
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TZ", "UTC")
        .env("HOME", "/nonexistent-ccrecap-home");
    c
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
    let refs: Vec<&[u8]> = bad.iter().map(|s| s.as_bytes()).collect();
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
    let refs: Vec<&[u8]> = bad.iter().map(|s| s.as_bytes()).collect();
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
    let refs: Vec<&[u8]> = bad.iter().map(|s| s.as_bytes()).collect();
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
        if args.contains(&"--json") {
            let v = json_out(&out);
            assert_eq!(diag(&v, "files_read"), 0);
        }
        std::fs::create_dir_all(t.projects().join("empty-project/sub")).unwrap();
    }
}
