//! The scan's incremental front end (`scan::live::Follower`, what `watch` reads through)
//! against a fresh full scan: after any sequence of appends (whole lines, torn lines and
//! their completion), truncations, in-place rewrites, replacements by a new file, new
//! files, new sessions and deletions, the model and the diagnostics it builds are the
//! ones `scan::load` builds from scratch.

use ccrecap::model::diagnostics::Diagnostics;
use ccrecap::scan::discover::{DiscoverOptions, discover};
use ccrecap::scan::live::Follower;
use ccrecap::scan::{self, Detail, ReadOptions, Scan};
use proptest::prelude::*;
use std::io::Write;
use std::path::Path;

const OPTS: ReadOptions = ReadOptions {
    max_line: 600,
    detail: Detail::Full,
};

#[derive(Clone, Debug)]
enum Op {
    /// Append line `line` to file `file`, cut after `cut` bytes when given (a torn line).
    Append {
        file: u8,
        line: u8,
        cut: Option<u16>,
    },
    /// Truncate the file to `keep` of its bytes.
    Truncate {
        file: u8,
        keep: u16,
    },
    /// Replace the file by a new one (another inode) holding one line.
    Replace {
        file: u8,
        line: u8,
    },
    Delete {
        file: u8,
    },
    /// Append garbage or an over-long line.
    Junk {
        file: u8,
        long: bool,
    },
}

fn line(n: u8) -> String {
    let id = n % 12; // repeats across files: the dedupe rule decides
    let out = u64::from(n) * 7 + 1;
    match n % 5 {
        0 => format!(
            r#"{{"type":"user","sessionId":"s{}","uuid":"u{n}","timestamp":"2026-11-15T10:{:02}:00Z","message":{{"role":"user","content":"prompt {n}"}}}}"#,
            n % 3,
            n % 60
        ),
        _ => format!(
            r#"{{"type":"assistant","sessionId":"s{}","timestamp":"2026-11-15T10:{:02}:00Z","requestId":"r{id}","message":{{"id":"m{id}","model":"claude-sonnet-4-5","usage":{{"input_tokens":3,"output_tokens":{out},"cache_read_input_tokens":{},"cache_creation_input_tokens":5}}}}}}"#,
            n % 3,
            n % 60,
            u64::from(n) * 11
        ),
    }
}

fn path(dir: &Path, file: u8) -> std::path::PathBuf {
    let f = file % 5;
    if f == 4 {
        dir.join("projects/p/s0/subagents/agent-a.jsonl")
    } else {
        dir.join(format!("projects/p{}/f{f}.jsonl", f % 2))
    }
}

fn apply(dir: &Path, op: &Op) {
    let append = |file: u8, bytes: &[u8]| {
        let p = path(dir, file);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&p)
            .unwrap();
        f.write_all(bytes).unwrap();
    };
    match *op {
        Op::Append { file, line: n, cut } => {
            let l = format!("{}\n", line(n));
            let end = cut.map_or(l.len(), |c| usize::from(c) % l.len());
            append(file, &l.as_bytes()[..end]);
        }
        Op::Truncate { file, keep } => {
            let p = path(dir, file);
            if let Ok(md) = std::fs::metadata(&p) {
                let f = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
                f.set_len(u64::from(keep) % (md.len() + 1)).unwrap();
            }
        }
        Op::Replace { file, line: n } => {
            let p = path(dir, file);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            let tmp = p.with_extension("tmp");
            std::fs::write(&tmp, format!("{}\n", line(n))).unwrap();
            std::fs::rename(&tmp, &p).unwrap();
        }
        Op::Delete { file } => {
            let _ = std::fs::remove_file(path(dir, file));
        }
        Op::Junk { file, long } => {
            let junk = if long {
                "x".repeat(900)
            } else {
                "{not json".into()
            };
            append(file, format!("{junk}\n").as_bytes());
        }
    }
}

/// What a scan says, in a comparable form.
fn summary(s: &Scan) -> (Vec<String>, serde_json::Value) {
    let ds = &s.dataset;
    let mut rows: Vec<String> = ds
        .responses
        .iter()
        .map(|r| {
            format!(
                "{:?} {:?} {} {}",
                r.ts,
                r.tokens,
                ds.name(r.session),
                ds.name(r.project)
            )
        })
        .collect();
    rows.extend(
        ds.prompts
            .iter()
            .map(|p| format!("prompt {} {}", p.uuid_hash, ds.name(p.session))),
    );
    rows.sort();
    (rows, serde_json::to_value(&s.diagnostics).unwrap())
}

fn fresh(dir: &Path) -> (Scan, ccrecap::scan::discover::Discovery) {
    let mut diag = Diagnostics::default();
    let found = discover(
        &[dir.join("projects")],
        &DiscoverOptions::default(),
        &mut diag,
    );
    (scan::load(&found, OPTS, diag, &|_| {}), found)
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (any::<u8>(), any::<u8>(), proptest::option::weighted(0.3, any::<u16>()))
            .prop_map(|(file, line, cut)| Op::Append { file, line, cut }),
        1 => (any::<u8>(), any::<u16>()).prop_map(|(file, keep)| Op::Truncate { file, keep }),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(file, line)| Op::Replace { file, line }),
        1 => any::<u8>().prop_map(|file| Op::Delete { file }),
        1 => (any::<u8>(), any::<bool>()).prop_map(|(file, long)| Op::Junk { file, long }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn incremental_totals_equal_a_fresh_scan(ops in proptest::collection::vec(op(), 1..24)) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("projects")).unwrap();
        let mut live = Follower::new(OPTS);
        for (i, op) in ops.iter().enumerate() {
            apply(dir.path(), op);
            let (full, found) = fresh(dir.path());
            let mut diag = Diagnostics::default();
            discover(&[dir.path().join("projects")], &DiscoverOptions::default(), &mut diag);
            live.refresh(found);
            prop_assert_eq!(summary(&live.scan(diag)), summary(&full), "after op {} {:?}", i, op);
        }
    }
}
