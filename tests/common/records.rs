//! Transcript lines and trees for the robustness tests: realistic assistant and user lines
//! built with `serde_json`, a temporary Claude config dir to write them into, and the
//! in-process scan of in-memory files (`scan::scan_bytes`) with its token totals.

use ccrecap::model::diagnostics::Diagnostics;
use ccrecap::model::tokens::Tokens;
use ccrecap::scan::{Detail, ReadOptions, Scan};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// Token counts of one line: (input, output, cache_read, cache_write).
pub type Tok = (u64, u64, u64, u64);

/// An assistant line with usage, in the shape Claude Code 2.x writes.
pub fn assistant(id: &str, req: &str, t: Tok) -> String {
    assistant_value(id, req, t).to_string()
}

/// `assistant` as a JSON value, for tests that change a field.
pub fn assistant_value(id: &str, req: &str, t: Tok) -> Value {
    json!({
        "parentUuid": "p-1",
        "isSidechain": false,
        "userType": "external",
        "cwd": "/home/u/app",
        "sessionId": "s-1",
        "version": "2.1.0",
        "message": {
            "model": "claude-sonnet-4-5-20250929",
            "id": id,
            "type": "message",
            "role": "assistant",
            "content": [{"type": "text", "text": "Done."}],
            "stop_reason": "end_turn",
            "usage": {
                "input_tokens": t.0,
                "cache_creation_input_tokens": t.3,
                "cache_read_input_tokens": t.2,
                "output_tokens": t.1
            }
        },
        "requestId": req,
        "type": "assistant",
        "uuid": format!("u-{id}-{req}"),
        "timestamp": "2026-11-10T10:00:00.000Z"
    })
}

/// A user prompt line.
pub fn user(text: &str) -> String {
    json!({
        "parentUuid": null,
        "isSidechain": false,
        "cwd": "/home/u/app",
        "sessionId": "s-1",
        "type": "user",
        "message": {"role": "user", "content": text},
        "uuid": format!("prompt-{}", text.len()),
        "timestamp": "2026-11-10T09:59:00.000Z"
    })
    .to_string()
}

/// Lines joined with `\n`, each terminated.
pub fn file_of<S: AsRef<str>>(lines: &[S]) -> Vec<u8> {
    let mut out = Vec::new();
    for l in lines {
        out.extend_from_slice(l.as_ref().as_bytes());
        out.push(b'\n');
    }
    out
}

/// A temporary Claude config dir (`<tmp>/projects/...`).
pub struct Tree {
    pub dir: tempfile::TempDir,
}

impl Tree {
    pub fn new() -> Tree {
        Tree::at(tempfile::tempdir().unwrap())
    }

    /// A tree on tmpfs (`/dev/shm`) when there is one: creating 100,000 files on this
    /// machine's disk takes over a minute, on tmpfs two seconds.
    pub fn in_memory() -> Tree {
        let shm = Path::new("/dev/shm");
        match tempfile::Builder::new().prefix("ccrecap-").tempdir_in(shm) {
            Ok(dir) => Tree::at(dir),
            Err(_) => Tree::new(),
        }
    }

    fn at(dir: tempfile::TempDir) -> Tree {
        std::fs::create_dir_all(dir.path().join("projects")).unwrap();
        Tree { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn projects(&self) -> PathBuf {
        self.dir.path().join("projects")
    }

    /// Writes `bytes` at `projects/<rel>`, creating directories.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.projects().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// The daily report (usage scan), in-process.
    pub fn daily(&self) -> Value {
        super::daily(self.path())
    }

    /// The full report over all history (full scan), in-process.
    pub fn full(&self) -> Value {
        super::report(&["--all", "--claude-dir", self.path().to_str().unwrap()])
    }
}

/// The totals of a daily report and of a full report, which must agree.
pub fn both_totals(daily: &Value, full: &Value) -> Tok {
    let d = super::totals(daily);
    let t = &full["totals"];
    let g = |k: &str| super::u(&t[k]);
    let f = (
        g("input_tokens"),
        g("output_tokens"),
        g("cache_read_tokens"),
        g("cache_write_tokens"),
    );
    assert_eq!(d, f, "usage and full scans disagree on totals");
    d
}

/// A skipped-lines category of a report's diagnostics (0 when absent).
pub fn skipped(v: &Value, category: &str) -> u64 {
    v["diagnostics"]["skipped_lines"][category]
        .as_u64()
        .unwrap_or(0)
}

/// All skipped lines of a report.
pub fn skipped_total(v: &Value) -> u64 {
    v["diagnostics"]["skipped_lines"]
        .as_object()
        .unwrap()
        .values()
        .map(super::u)
        .sum()
}

/// A numeric diagnostics field.
pub fn diag(v: &Value, field: &str) -> u64 {
    super::u(&v["diagnostics"][field])
}

/// Scans in-memory files (paths relative to `projects/`).
pub fn scan(files: &[(&str, &[u8])], detail: Detail) -> Scan {
    ccrecap::scan::scan_bytes(
        files,
        ReadOptions {
            max_line: 256 << 20,
            detail,
        },
    )
}

/// Deduplicated token totals and diagnostics of in-memory files, checked to agree between
/// the usage and the full scan.
pub fn totals_of(files: &[(&str, &[u8])]) -> (Tokens, Diagnostics) {
    let usage = scan(files, Detail::Usage);
    let full = scan(files, Detail::Full);
    let sum = |s: &Scan| s.dataset.responses.iter().map(|r| r.tokens).sum::<Tokens>();
    assert_eq!(sum(&usage), sum(&full), "usage and full scans disagree");
    (sum(&usage), usage.diagnostics)
}

/// `Tokens` from a `Tok` (5-minute cache writes).
pub fn tokens(t: Tok) -> Tokens {
    Tokens {
        input: t.0,
        output: t.1,
        cache_read: t.2,
        cache_write_5m: t.3,
        cache_write_1h: 0,
    }
}
