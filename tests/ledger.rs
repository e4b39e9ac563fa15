//! The ledger end to end, in-process on generated histories: it survives Claude Code's
//! cleanup (reports after deleting old transcripts equal those before), merges ledgers of
//! several machines by the one dedupe rule (a session copied to both counts once), and a
//! second update adds nothing.

use crate::common::{ALL_ERAS, generate, last_timestamp, report, transcripts};
use ccrecap::ledger::update::{UpdateOptions, UpdateSummary, update};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn update_ledger(ledger: &Path, claude: &Path, machine: &str) -> UpdateSummary {
    update(&UpdateOptions {
        dir: ledger.to_path_buf(),
        roots: vec![claude.join("projects")],
        machine: machine.to_string(),
        show_paths: false,
        max_line: 1 << 28,
    })
    .expect("the update succeeds")
}

fn daily(claude: &[&Path], extra: &[&str]) -> Value {
    let mut args = vec!["daily", "--all"];
    for c in claude {
        args.extend(["--claude-dir", c.to_str().unwrap()]);
    }
    args.extend_from_slice(extra);
    report(&args)
}

/// Date → (input, output, cache read, 5m writes, 1h writes, cost).
fn by_day(v: &Value) -> BTreeMap<String, (u64, u64, u64, u64, u64, f64)> {
    let u = |d: &Value, k: &str| d[k].as_u64().unwrap_or_else(|| panic!("{k} in {d}"));
    v["daily"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let t = (
                u(d, "inputTokens"),
                u(d, "outputTokens"),
                u(d, "cacheReadTokens"),
                u(d, "cacheCreation5mTokens"),
                u(d, "cacheCreation1hTokens"),
                d["totalCost"].as_f64().unwrap(),
            );
            (d["date"].as_str().unwrap().to_string(), t)
        })
        .collect()
}

fn assert_same_days(a: &Value, b: &Value) {
    let (a, b) = (by_day(a), by_day(b));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (day, x) in &a {
        let y = &b[day];
        assert_eq!(
            (x.0, x.1, x.2, x.3, x.4),
            (y.0, y.1, y.2, y.3, y.4),
            "{day}"
        );
        assert!((x.5 - y.5).abs() < 1e-9, "{day}: cost {} vs {}", x.5, y.5);
    }
}

#[test]
fn the_ledger_survives_the_deletion_of_old_transcripts() {
    let (claude, _) = generate(&ALL_ERAS);
    let ledger = tempfile::tempdir().unwrap();
    let first = update_ledger(ledger.path(), claude.path(), "laptop");
    assert!(first.added > 1000, "{first:?}");
    let l = ledger.path().to_str().unwrap();
    let before = daily(&[claude.path()], &[]);
    assert_same_days(&before, &daily(&[claude.path()], &["--ledger", l]));

    // Claude Code's cleanup: every transcript last written more than 10 days before the
    // history's last day (2026-11-15) goes.
    let mut deleted = 0;
    for p in transcripts(&claude.path().join("projects")) {
        if last_timestamp(&p).is_some_and(|t| t.as_str() < "2026-11-05") {
            std::fs::remove_file(&p).unwrap();
            deleted += 1;
        }
    }
    assert!(deleted > 50, "only {deleted} files deleted");
    let without = daily(&[claude.path()], &[]);
    assert!(by_day(&without).len() < by_day(&before).len());
    let after = daily(&[claude.path()], &["--ledger", l]);
    assert_same_days(&before, &after);
    let used = &after["diagnostics"]["ledger"];
    assert!(
        used["responsesFromLedger"].as_u64().unwrap() > 1000,
        "{used}"
    );
    assert!(!used["ledgerOnlyMonths"].as_array().unwrap().is_empty());

    // Later updates keep what the deleted files held and say which months only it holds.
    let again = update_ledger(ledger.path(), claude.path(), "laptop");
    assert_eq!(again.added, 0);
    assert_eq!(again.records, first.records);
    assert!(again.ledger_only_months.len() > 3, "{again:?}");
}

#[test]
fn a_second_update_adds_nothing_and_reads_nothing_unchanged() {
    let (claude, _) = generate(&["--sessions", "30", "--seed", "5", "--days", "40"]);
    let ledger = tempfile::tempdir().unwrap();
    let first = update_ledger(ledger.path(), claude.path(), "m");
    assert!(first.added > 0 && first.files_read > 0);
    let second = update_ledger(ledger.path(), claude.path(), "m");
    assert_eq!((second.added, second.files_read), (0, 0), "{second:?}");
    assert_eq!(second.files_unchanged, first.files_read);
    // Forgetting the state makes it read everything again, and still add nothing.
    std::fs::remove_file(ledger.path().join("state.json")).unwrap();
    let third = update_ledger(ledger.path(), claude.path(), "m");
    assert_eq!((third.added, third.records), (0, first.records));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for e in std::fs::read_dir(ledger.path()).unwrap() {
            let mode = e.unwrap().metadata().unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "ledger files are private");
        }
    }
}

#[test]
fn ledgers_of_two_machines_merge_and_shared_copies_count_once() {
    let (a, _) = generate(&["--sessions", "25", "--seed", "21", "--days", "60"]);
    let (b, _) = generate(&["--sessions", "25", "--seed", "22", "--days", "60"]);
    let only_a = daily(&[a.path()], &[]);
    let only_b = daily(&[b.path()], &[]);
    // A session of A resumed on (synced to) B: the same file is in both histories.
    let shared = transcripts(&a.path().join("projects"))
        .into_iter()
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap();
    let rel = shared.strip_prefix(a.path()).unwrap();
    std::fs::create_dir_all(b.path().join(rel).parent().unwrap()).unwrap();
    std::fs::copy(&shared, b.path().join(rel)).unwrap();

    let (la, lb) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    update_ledger(la.path(), a.path(), "laptop");
    update_ledger(lb.path(), b.path(), "desktop");
    let lb_arg = lb.path().to_str().unwrap();
    let merged = daily(&[a.path()], &["--ledger", lb_arg]);
    let t = |v: &Value, k: &str| v["totals"][k].as_u64().unwrap();
    for k in [
        "inputTokens",
        "outputTokens",
        "cacheReadTokens",
        "cacheCreation5mTokens",
        "cacheCreation1hTokens",
    ] {
        assert_eq!(t(&merged, k), t(&only_a, k) + t(&only_b, k), "{k}");
    }
    // Both ledgers alone give the same, with no transcripts of this machine counted.
    let la_arg = la.path().to_str().unwrap();
    let both = daily(
        &[a.path()],
        &[
            "--ledger",
            la_arg,
            "--ledger",
            lb_arg,
            "--machine",
            "desktop",
        ],
    );
    let with_copy = daily(&[b.path()], &[]);
    assert_same_days(&both, &with_copy);
    let laptop = daily(
        &[a.path()],
        &[
            "--ledger",
            la_arg,
            "--ledger",
            lb_arg,
            "--machine",
            "laptop",
        ],
    );
    assert_same_days(&laptop, &only_a);
}
