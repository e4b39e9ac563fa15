//! Time and the release calendar: millisecond timestamps and their ISO text, the Claude
//! Code version a user plausibly ran on a date (interpolated between dated anchors, with
//! users lagging behind releases), the version thresholds where the on-disk format
//! changed, and which model ids existed on a date.

use crate::rng::Rng;
use chrono::{DateTime, Datelike, NaiveDate};
use std::fmt;

/// Milliseconds since the Unix epoch (UTC).
pub type Ms = i64;

pub const SECOND: Ms = 1000;
pub const MINUTE: Ms = 60 * SECOND;
pub const HOUR: Ms = 60 * MINUTE;
pub const DAY: Ms = 24 * HOUR;

/// `2025-08-02T14:05:17.096Z`, as Claude Code writes it.
pub fn iso(ms: Ms) -> String {
    let t = DateTime::from_timestamp_millis(ms).expect("timestamp in range");
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The UTC day of a timestamp, `YYYY-MM-DD`.
pub fn day(ms: Ms) -> String {
    date_of(ms).format("%Y-%m-%d").to_string()
}

pub fn date_of(ms: Ms) -> NaiveDate {
    DateTime::from_timestamp_millis(ms)
        .expect("timestamp in range")
        .date_naive()
}

/// Midnight UTC of a date.
pub fn midnight(d: NaiveDate) -> Ms {
    d.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        .timestamp_millis()
}

/// Monday = 0 … Sunday = 6.
pub fn weekday(d: NaiveDate) -> u32 {
    d.weekday().num_days_from_monday()
}

/// A Claude Code version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u32, pub u32, pub u32);

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// Where the on-disk format changed (see the module docs of `session`).
pub mod since {
    use super::Version;
    /// `cache_creation` with the 5m / 1h split in `usage`.
    pub const CACHE_SPLIT: Version = Version(1, 0, 70);
    /// 2.0: sibling `agent-<id>.jsonl` files, `model` first in `message`, `agentId`.
    pub const V2: Version = Version(2, 0, 0);
    /// Skills (the `Skill` tool).
    pub const SKILLS: Version = Version(2, 0, 20);
    /// 2.1: `permissionMode` on prompts, tab-numbered Read output, `turn_duration`.
    pub const V21: Version = Version(2, 1, 0);
    /// Nested `<session>/subagents/agent-<id>.jsonl`.
    pub const NESTED: Version = Version(2, 1, 2);
    /// `Agent` replaces `Task` as the spawning tool's name.
    pub const AGENT_TOOL: Version = Version(2, 1, 50);
    /// Long agent ids (`a` + 16 hex) and `caller` on tool_use blocks.
    pub const LONG_AGENT_IDS: Version = Version(2, 1, 100);
    /// `agent-<id>.meta.json` sidecars, `/btw` asides; no more `agent_progress` copies.
    pub const META_JSON: Version = Version(2, 1, 150);
    /// Sub-agents spawn sub-agents (kept flat in `subagents/`).
    pub const NESTED_SPAWNS: Version = Version(2, 1, 172);
    /// The `Workflow` tool and its `subagents/workflows/<run>/` transcripts.
    pub const WORKFLOWS: Version = Version(2, 1, 190);
    /// `attribution*` and `effort` fields on assistant lines.
    pub const ATTRIBUTION: Version = Version(2, 1, 200);
}

/// (date, version) anchors; between two anchors of one minor line the patch number is
/// interpolated by date.
const ANCHORS: &[(&str, Version)] = &[
    ("2025-05-22", Version(1, 0, 0)),
    ("2025-09-28", Version(1, 0, 128)),
    ("2025-09-29", Version(2, 0, 0)),
    ("2026-01-06", Version(2, 0, 76)),
    ("2026-01-07", Version(2, 1, 0)),
    ("2026-01-27", Version(2, 1, 20)),
    ("2026-02-25", Version(2, 1, 51)),
    ("2026-03-26", Version(2, 1, 82)),
    ("2026-06-15", Version(2, 1, 173)),
    ("2026-09-01", Version(2, 1, 258)),
];

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The newest version out on `d` (no lag).
pub fn released(d: NaiveDate) -> Version {
    let anchors: Vec<(NaiveDate, Version)> = ANCHORS
        .iter()
        .map(|(s, v)| (parse_date(s).expect("valid anchor"), *v))
        .collect();
    if d <= anchors[0].0 {
        return anchors[0].1;
    }
    for w in anchors.windows(2) {
        let ((d0, v0), (d1, v1)) = (w[0], w[1]);
        if d > d1 {
            continue;
        }
        if (v0.0, v0.1) != (v1.0, v1.1) {
            return if d < d1 { v0 } else { v1 };
        }
        let span = (d1 - d0).num_days().max(1);
        let done = (d - d0).num_days();
        let patch = v0.2 + ((v1.2 - v0.2) as i64 * done / span) as u32;
        return Version(v0.0, v0.1, patch);
    }
    anchors[anchors.len() - 1].1
}

/// The version a user ran on `d`: half lag a few patches behind the newest.
pub fn version_for(d: NaiveDate, rng: &mut Rng) -> Version {
    let v = released(d);
    let lag = if rng.chance(0.5) { rng.streak(0.6) } else { 0 };
    let lag = lag as u32;
    let floor = if (v.0, v.1) == (2, 1) { 1 } else { 0 };
    Version(v.0, v.1, v.2.saturating_sub(lag).max(floor))
}

/// Model families the generator writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Sonnet,
    Opus,
    Haiku,
}

/// (model id as written in `message.model`, first day it appears) per family, oldest
/// first: dated and undated ids, all in the embedded price tables of ccrecap and ccusage.
fn models(f: Family) -> &'static [(&'static str, &'static str)] {
    match f {
        Family::Sonnet => &[
            ("claude-sonnet-4-20250514", "2025-05-22"),
            ("claude-sonnet-4-5-20250929", "2025-09-29"),
            ("claude-sonnet-4-6", "2026-02-17"),
        ],
        Family::Opus => &[
            ("claude-opus-4-20250514", "2025-05-22"),
            ("claude-opus-4-1-20250805", "2025-08-05"),
            ("claude-opus-4-5-20251101", "2025-11-24"),
            ("claude-opus-4-6", "2026-02-05"),
        ],
        Family::Haiku => &[
            ("claude-3-5-haiku-20241022", "2024-10-22"),
            ("claude-haiku-4-5-20251001", "2025-10-15"),
        ],
    }
}

/// A model of `f` available on `d`: mostly the newest, sometimes the one before.
pub fn pick_model(f: Family, d: NaiveDate, rng: &mut Rng) -> &'static str {
    let all = models(f);
    let avail: Vec<&'static str> = all
        .iter()
        .filter(|(_, since)| parse_date(since).is_some_and(|s| s <= d))
        .map(|(m, _)| *m)
        .collect();
    let avail = if avail.is_empty() {
        vec![all[0].0]
    } else {
        avail
    };
    let x = rng.f64();
    if x < 0.9 || avail.len() == 1 {
        avail[avail.len() - 1]
    } else if x < 0.98 {
        avail[avail.len() - 2]
    } else {
        let i = rng.below(avail.len() as u64) as usize;
        avail[i]
    }
}
