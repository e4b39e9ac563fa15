//! Transcripts that change while they are scanned (reliability.md §5.4): a writer appends
//! records in torn writes (half a line, a pause, the rest) while scans run in a loop. No
//! scan may count corruption (a torn last line is `pending_tail`), totals never decrease,
//! and once the writer stops they are exact. A second test deletes, recreates and
//! truncates files mid-scan: nothing panics, nothing is counted as corrupt or unreadable,
//! and the totals never exceed what the files ever held.

#![allow(clippy::print_stderr)]

use crate::common;

use ccrecap::model::diagnostics::Diagnostics;
use ccrecap::model::tokens::Tokens;
use ccrecap::scan::{Detail, ReadOptions, Scan, ScanOptions};
use common::records::{Tree, assistant, tokens};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

fn scan_tree(t: &Tree, detail: Detail) -> Scan {
    let opts = ScanOptions {
        roots: vec![t.projects()],
        discover: ccrecap::scan::discover::DiscoverOptions::default(),
    };
    let mut d = Diagnostics::default();
    let found = ccrecap::scan::find(&opts, &mut d);
    let read = ReadOptions {
        max_line: 256 << 20,
        detail,
    };
    ccrecap::scan::load(&found, read, d, &|_| {})
}

fn total(s: &Scan) -> Tokens {
    s.dataset.responses.iter().map(|r| r.tokens).sum()
}

fn le(a: Tokens, b: Tokens) -> bool {
    a.input <= b.input
        && a.output <= b.output
        && a.cache_read <= b.cache_read
        && a.cache_write_5m <= b.cache_write_5m
        && a.cache_write_1h <= b.cache_write_1h
}

/// Skipped lines other than a pending tail: corruption as far as the scan can tell.
fn corrupt(d: &Diagnostics) -> u64 {
    d.skipped_total() - d.skipped_lines.get("pending_tail").copied().unwrap_or(0)
}

/// The i-th record: varied tokens and a 0–5 KB pad, so torn writes land anywhere.
fn record(i: usize) -> (String, Tokens) {
    let t = (
        i as u64 % 7 + 1,
        i as u64 % 13 + 2,
        i as u64 % 5,
        i as u64 % 3,
    );
    let mut v = common::records::assistant_value(&format!("m{i}"), &format!("r{i}"), t);
    v["pad"] = "p".repeat((i * 977) % 5000).into();
    (v.to_string(), tokens(t))
}

#[test]
fn torn_appends_never_count_as_corruption_and_totals_only_grow() {
    const RECORDS: usize = 1500;
    let t = Tree::new();
    let path = t.write("proj/live.jsonl", b"");
    t.write(
        "proj/old.jsonl",
        common::records::file_of(&[assistant("m-old", "r", (1, 1, 1, 1))]),
    );
    let done = AtomicBool::new(false);
    let written: Tokens = (0..RECORDS).map(|i| record(i).1).sum::<Tokens>() + tokens((1, 1, 1, 1));
    let (scans, pending) = std::thread::scope(|s| {
        s.spawn(|| {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .unwrap();
            for i in 0..RECORDS {
                let (line, _) = record(i);
                let line = format!("{line}\n");
                let cut = (i * 7919) % line.len();
                f.write_all(&line.as_bytes()[..cut]).unwrap();
                std::thread::sleep(Duration::from_micros(500));
                f.write_all(&line.as_bytes()[cut..]).unwrap();
            }
            done.store(true, Ordering::SeqCst);
        });
        let mut last = Tokens::default();
        let (mut scans, mut pending) = (0u32, 0u32);
        loop {
            let finished = done.load(Ordering::SeqCst);
            let scan = scan_tree(&t, alternate(scans));
            let d = &scan.diagnostics;
            assert_eq!(corrupt(d), 0, "scan {scans}: {:?}", d.skipped_lines);
            assert_eq!(d.unreadable_files + d.vanished_files, 0);
            let now = total(&scan);
            assert!(
                le(last, now),
                "scan {scans}: totals went down: {last:?} -> {now:?}"
            );
            assert!(le(now, written));
            pending += u32::from(d.skipped_total() > 0);
            last = now;
            scans += 1;
            if finished {
                assert_eq!(now, written, "after the writer stopped");
                assert_eq!(d.skipped_total(), 0);
                break;
            }
        }
        (scans, pending)
    });
    eprintln!(
        "live appends: {scans} scans during {RECORDS} torn appends, {pending} saw a pending tail"
    );
    assert!(scans >= 1);
}

#[test]
fn files_deleted_recreated_or_truncated_mid_scan_are_never_corrupt() {
    const ROUNDS: usize = 400;
    let t = Tree::new();
    let lines: Vec<(String, Tokens)> = (0..40).map(record).collect();
    let full_file: Vec<u8> =
        common::records::file_of(&lines.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>());
    let max: Tokens = lines.iter().map(|(_, t)| *t).sum();
    let shrink = t.write("proj/shrink.jsonl", &full_file);
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        // Deleter: files appear and vanish (cleanupPeriodDays at work).
        s.spawn(|| {
            for i in 0..ROUNDS {
                let p = t.projects().join(format!("proj/tmp{}.jsonl", i % 5));
                let _ = std::fs::write(&p, &full_file);
                std::thread::sleep(Duration::from_micros(300));
                let _ = std::fs::remove_file(&p);
            }
            done.store(true, Ordering::SeqCst);
        });
        // Truncater: the same file shrinks to a random length, then is rewritten whole.
        s.spawn(|| {
            let mut i = 0usize;
            while !done.load(Ordering::SeqCst) {
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&shrink)
                    .unwrap();
                f.set_len(((i * 4099) % full_file.len()) as u64).unwrap();
                std::thread::sleep(Duration::from_micros(200));
                std::fs::write(&shrink, &full_file).unwrap();
                i += 1;
            }
        });
        let mut scans = 0;
        while !done.load(Ordering::SeqCst) || scans == 0 {
            let scan = scan_tree(&t, alternate(scans));
            let d = &scan.diagnostics;
            assert_eq!(corrupt(d), 0, "scan {scans}: {:?}", d.skipped_lines);
            assert_eq!(d.unreadable_files + d.unreadable_dirs, 0);
            // Every file holds a prefix of the same 40 records, and they dedupe.
            assert!(le(total(&scan), max), "scan {scans}");
            scans += 1;
        }
        eprintln!("vanishing and shrinking files: {scans} scans");
    });
    let scan = scan_tree(&t, Detail::Full);
    assert_eq!(total(&scan), max);
    assert_eq!(scan.diagnostics.skipped_total(), 0);
}

/// Usage and full scans take turns, so both readers meet the live files.
fn alternate(scan: u32) -> Detail {
    if scan.is_multiple_of(2) {
        Detail::Usage
    } else {
        Detail::Full
    }
}
