//! `ccrecap statusline`: one line for Claude Code's status bar from the JSON it pipes in
//! (every field optional: `session_id`, `transcript_path`, `model`, `rate_limits`, ...),
//! today's files and the current transcript. It records a quota snapshot when stdin
//! carries `rate_limits` (unless told not to), scans only files modified since the start
//! of today or of the last 5 hours (whichever is earlier) plus the transcript, and prints
//! one line. Nothing here fails the line: bad stdin, a missing transcript, an unreadable
//! state file or even a panic in the analysis (a hook then prints the line from stdin
//! alone) leave a line built from what is known, the diagnostic on stderr, exit status 0.

use super::snapshots;
use crate::analyze::{self, statusline::Now};
use crate::model::diagnostics::Diagnostics;
use crate::model::quota::{QuotaSnapshot, WindowUse};
use crate::options::StatuslineOptions;
use crate::pricing::Pricing;
use crate::render::statusline::line;
use crate::render::terminal::Palette;
use crate::scan::discover::{self, DiscoverOptions, Discovery, Found};
use crate::scan::{self, Detail, ReadOptions};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Longest stdin read (Claude Code sends about a kilobyte).
const MAX_STDIN: u64 = 1 << 20;
/// The 5-hour block that may have begun before midnight.
const BLOCK_MS: i64 = 5 * 3_600_000;

/// The settings.json snippet `--print-config` prints.
pub const SETTINGS_SNIPPET: &str = r#"{
  "statusLine": {
    "type": "command",
    "command": "ccrecap statusline",
    "padding": 0
  }
}
"#;

/// Where the transcripts are, and everything else the line needs.
pub struct Settings {
    pub options: StatuslineOptions,
    /// The transcripts: the demo's discovery, or these roots.
    pub demo: Option<Discovery>,
    pub roots: Vec<PathBuf>,
    pub project: Option<String>,
    pub max_line: usize,
    pub color: bool,
    /// The snapshot file, and whether to append to it.
    pub state_file: Option<PathBuf>,
    pub record: bool,
    pub analyze: analyze::Options,
}

/// What stdin said.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Input {
    pub now: Now,
    pub transcript: Option<PathBuf>,
}

/// Prints the line (or the settings snippet). Never fails: errors go to `err`.
pub fn run(s: &Settings, stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) {
    if s.options.print_config {
        let _ = out.write_all(SETTINGS_SNIPPET.as_bytes());
        return;
    }
    let mut bytes = Vec::new();
    if let Err(e) = stdin.take(MAX_STDIN).read_to_end(&mut bytes) {
        let _ = writeln!(err, "ccrecap statusline: reading stdin: {e}");
    }
    let input = match parse_input(&bytes) {
        Ok(i) => i,
        Err(why) => {
            let _ = writeln!(err, "ccrecap statusline: {why}; showing what is known");
            Input::default()
        }
    };
    record(s, &input, err);
    let pal = Palette::new(s.color);
    let known = crate::model::Dataset::default();
    let fallback =
        analyze::statusline::analyze(&known, Pricing::embedded(), &s.analyze, &input.now);
    let fallback = line(&fallback, &s.options.segments, &pal);
    // Release builds abort on a panic: the hook still leaves a line and exit status 0.
    std::panic::set_hook(Box::new(move |info| {
        let _ = writeln!(
            std::io::stderr(),
            "ccrecap statusline: internal error: {info}"
        );
        let _ = writeln!(std::io::stdout(), "{fallback}");
        let _ = std::io::stdout().flush();
        // SAFETY: ends the process now, as the abort after a panic in release builds
        // would, but with status 0; stdout is flushed and nothing else needs unwinding.
        #[cfg(unix)]
        unsafe {
            libc::_exit(0)
        };
    }));
    let status = compute(s, &input);
    let _ = std::panic::take_hook();
    let text = line(&status, &s.options.segments, &pal);
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

/// Reads Claude Code's JSON; every field is optional and a wrong type counts as missing.
pub fn parse_input(bytes: &[u8]) -> Result<Input, &'static str> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("no input on stdin (Claude Code pipes JSON to status line commands)");
    }
    let v: Value = serde_json::from_slice(bytes).map_err(|_| "stdin is not JSON")?;
    if !v.is_object() {
        return Err("stdin is not a JSON object");
    }
    let text = |p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_string);
    let window = |p: &str| {
        let w = v.pointer(p)?;
        let used = w.get("used_percentage")?.as_f64()?;
        let resets = w.get("resets_at")?;
        let resets_at = resets
            .as_i64()
            .or_else(|| resets.as_f64().map(|f| f as i64))?;
        (used.is_finite() && (0.0..=1000.0).contains(&used)).then_some(WindowUse {
            used_percentage: used,
            resets_at,
        })
    };
    Ok(Input {
        now: Now {
            session_id: text("/session_id"),
            model: text("/model/display_name").or_else(|| text("/model/id")),
            five_hour: window("/rate_limits/five_hour"),
            seven_day: window("/rate_limits/seven_day"),
        },
        transcript: text("/transcript_path")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from),
    })
}

/// Appends a snapshot when stdin carries `rate_limits`.
fn record(s: &Settings, input: &Input, err: &mut dyn Write) {
    let (five_hour, seven_day) = (input.now.five_hour, input.now.seven_day);
    if !s.record || (five_hour.is_none() && seven_day.is_none()) {
        return;
    }
    let Some(path) = &s.state_file else {
        return;
    };
    let snap = QuotaSnapshot {
        at: s.analyze.now_ms.div_euclid(1000),
        five_hour,
        seven_day,
    };
    if let Err(e) = snapshots::record(path, &snap, &s.roots) {
        let _ = writeln!(err, "ccrecap statusline: recording quota: {e}");
    }
}

/// Scans today's files and the transcript, and computes the line.
fn compute(s: &Settings, input: &Input) -> analyze::statusline::StatusLine {
    let o = &s.analyze;
    let found = match &s.demo {
        Some(d) => d.clone(),
        None => todays_files(s, input.transcript.as_deref()),
    };
    let opts = ReadOptions {
        max_line: s.max_line,
        detail: Detail::Usage,
    };
    let scan = scan::load(&found, opts, Diagnostics::default(), &|_| {});
    let a = analyze::Options {
        window: crate::time::Window::default(),
        ..o.clone()
    };
    analyze::statusline::analyze(&scan.dataset, Pricing::embedded(), &a, &input.now)
}

/// The files modified since today began (or the last 5 hours, if earlier), and the
/// transcript if the discovery missed it.
fn todays_files(s: &Settings, transcript: Option<&Path>) -> Discovery {
    let o = &s.analyze;
    let today = o.zone.start_of(o.zone.date_of(o.now_ms));
    let opts = DiscoverOptions {
        project: s.project.clone(),
        modified_since: Some(today.min(o.now_ms - BLOCK_MS)),
    };
    let mut diag = Diagnostics::default();
    let mut found = discover::discover(&s.roots, &opts, &mut diag);
    if let Some(t) = transcript
        && !found.files.iter().any(|f| f.path == t)
        && let Ok(md) = std::fs::metadata(t)
        && md.is_file()
    {
        let project = t.parent().and_then(Path::file_name);
        found.files.push(Found {
            path: t.to_path_buf(),
            project: project.map_or("(root)".into(), |p| p.to_string_lossy().into_owned()),
            path_session: t
                .file_stem()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned()),
            size: md.len(),
            mtime: 0,
            embedded: None,
        });
        found.files.sort_by(|a, b| a.path.cmp(&b.path));
    }
    found
}
