//! Tool activity: calls, errors and latency per tool (MCP tools also per server), the
//! slowest calls, API errors and interrupted turns, Skill invocations, slash commands,
//! and code changes (files edited or written, lines added and removed from the edit
//! inputs). Tool calls arrive deduplicated by `tool_use` id, so a call copied into a
//! resumed session counts once. Latency runs from a call's timestamp (the response that
//! carried it) to its result's.

use crate::model::ids::FastMap;
use crate::model::record::PromptKind;
use crate::model::{Dataset, ToolCall, ToolResult};
use crate::render::fmt;
use crate::time::{Bounds, Timestamp, in_bounds};
use serde::Serialize;
use std::collections::BTreeMap;

/// Slowest calls listed.
const SLOWEST: usize = 5;
/// Most-edited files listed.
const TOP_FILES: usize = 10;
/// Characters kept of an error sample.
const SAMPLE_CHARS: usize = 120;

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ToolRow {
    pub name: String,
    pub calls: u64,
    pub errors: u64,
    pub error_rate: f64,
    /// Calls with a dated result (the latency sample).
    pub timed: u64,
    pub p50_ms: Option<i64>,
    pub p95_ms: Option<i64>,
    pub p99_ms: Option<i64>,
    pub max_ms: Option<i64>,
    /// The first error's text, control characters removed, shortened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_sample: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SlowCall {
    pub name: String,
    pub ms: i64,
    pub session_id: String,
    pub at: Option<Timestamp>,
    pub detail: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct McpServer {
    pub server: String,
    pub tools: u64,
    pub calls: u64,
    pub errors: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Count {
    pub name: String,
    pub count: u64,
}

/// An API error kind in words: an HTTP status as "HTTP 529", `usage_limit` as "usage
/// limit" (JSON keeps the kind).
pub fn api_error_label(kind: &str) -> String {
    if !kind.is_empty() && kind.bytes().all(|b| b.is_ascii_digit()) {
        return format!("HTTP {kind}");
    }
    match kind {
        "usage_limit" => "usage limit".into(),
        "api_error" => "other API error".into(),
        _ => kind.replace('_', " "),
    }
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Errors {
    /// API errors and usage limits by kind (HTTP status, `timeout`, `usage_limit`, ...).
    pub api: Vec<Count>,
    pub api_total: u64,
    pub tool_errors: u64,
    pub interrupted_turns: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FileEdits {
    pub path: String,
    pub edits: u64,
    pub lines_added: u64,
    pub lines_removed: u64,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct CodeChanges {
    pub files: u64,
    pub edits: u64,
    pub lines_added: u64,
    pub lines_removed: u64,
    pub most_edited: Vec<FileEdits>,
    pub note: &'static str,
}

/// Everything about tool use in the window.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ToolActivity {
    pub tools: Vec<ToolRow>,
    pub slowest: Vec<SlowCall>,
    pub mcp_servers: Vec<McpServer>,
    pub skills: Vec<Count>,
    pub commands: Vec<Count>,
    pub errors: Errors,
    pub code: CodeChanges,
}

pub fn analyze(ds: &Dataset, bounds: Option<Bounds>) -> ToolActivity {
    let calls: Vec<&ToolCall> = ds
        .tool_calls
        .iter()
        .filter(|c| in_bounds(bounds, c.ts))
        .collect();
    let mut per: BTreeMap<&str, (ToolRow, Vec<i64>)> = BTreeMap::new();
    let mut slow: Vec<(i64, &ToolCall)> = Vec::new();
    let mut skills: BTreeMap<String, u64> = BTreeMap::new();
    let mut out = ToolActivity::default();
    for c in &calls {
        let name = ds.name(c.name);
        let e = per.entry(name).or_default();
        e.0.calls += 1;
        let result = ds.result_of(c);
        if let Some(r) = result.filter(|r| r.is_error) {
            e.0.errors += 1;
            if e.0.error_sample.is_none() {
                e.0.error_sample = r.error_sample.as_deref().map(sample);
            }
        }
        if let Some(ms) = latency_ms(c, result) {
            e.1.push(ms);
            slow.push((ms, c));
        }
        if name == "Skill" {
            let skill = skill_of(c);
            *skills.entry(skill.to_string()).or_default() += 1;
        }
    }
    out.tools = per
        .into_iter()
        .map(|(name, (mut row, mut ms))| {
            ms.sort_unstable();
            row.name = name.to_string();
            row.error_rate = crate::analyze::ratio(row.errors, row.calls);
            row.timed = ms.len() as u64;
            row.p50_ms = percentile(&ms, 50);
            row.p95_ms = percentile(&ms, 95);
            row.p99_ms = percentile(&ms, 99);
            row.max_ms = ms.last().copied();
            row
        })
        .collect();
    out.tools
        .sort_by(|a, b| b.calls.cmp(&a.calls).then_with(|| a.name.cmp(&b.name)));
    // Stable: equally slow calls stay in time order.
    slow.sort_by_key(|s| std::cmp::Reverse(s.0));
    out.slowest = slow
        .into_iter()
        .take(SLOWEST)
        .map(|(ms, c)| SlowCall {
            name: ds.name(c.name).to_string(),
            ms,
            session_id: ds.name(c.session).to_string(),
            at: c.ts.map(Timestamp),
            detail: detail(c),
        })
        .collect();
    out.mcp_servers = mcp_servers(&out.tools);
    out.skills = counts(skills);
    out.commands = commands(ds, bounds);
    out.errors = errors(ds, bounds, &out.tools);
    out.code = code_changes(&calls, ds);
    out
}

/// How long a tool call took: from the response that made it to its result (None when
/// either is undated or the result was not recorded).
pub fn latency_ms(c: &ToolCall, result: Option<&ToolResult>) -> Option<i64> {
    let (t0, t1) = (c.ts?, result?.ts?);
    Some((t1 - t0).max(0))
}

/// The nearest-rank percentile `p` of sorted values: the smallest value with at least
/// p% of the sample at or below it.
pub fn percentile(sorted: &[i64], p: usize) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// `mcp__<server>__<tool>` names grouped by server.
fn mcp_servers(tools: &[ToolRow]) -> Vec<McpServer> {
    let mut by: BTreeMap<&str, McpServer> = BTreeMap::new();
    for t in tools {
        let Some(rest) = t.name.strip_prefix("mcp__") else {
            continue;
        };
        let server = rest.split("__").next().unwrap_or(rest);
        let e = by.entry(server).or_insert_with(|| McpServer {
            server: server.to_string(),
            tools: 0,
            calls: 0,
            errors: 0,
        });
        e.tools += 1;
        e.calls += t.calls;
        e.errors += t.errors;
    }
    let mut v: Vec<McpServer> = by.into_values().collect();
    v.sort_by(|a, b| b.calls.cmp(&a.calls).then_with(|| a.server.cmp(&b.server)));
    v
}

/// Slash commands the user ran, from `<command-name>` prompts.
fn commands(ds: &Dataset, bounds: Option<Bounds>) -> Vec<Count> {
    let mut by: BTreeMap<String, u64> = BTreeMap::new();
    for p in &ds.prompts {
        if p.kind != PromptKind::Command || !in_bounds(bounds, p.ts) {
            continue;
        }
        let name = p
            .snippet
            .split("<command-name>")
            .nth(1)
            .and_then(|s| s.split("</command-name>").next())
            .unwrap_or("unknown");
        *by.entry(sample(name)).or_default() += 1;
    }
    counts(by)
}

fn errors(ds: &Dataset, bounds: Option<Bounds>, tools: &[ToolRow]) -> Errors {
    let mut api: BTreeMap<String, u64> = BTreeMap::new();
    for e in ds.api_errors.iter().filter(|e| in_bounds(bounds, e.ts)) {
        *api.entry(e.kind.to_string()).or_default() += 1;
    }
    Errors {
        api_total: api.values().sum(),
        api: counts(api),
        tool_errors: tools.iter().map(|t| t.errors).sum(),
        interrupted_turns: ds
            .interrupts
            .iter()
            .filter(|(ts, _)| in_bounds(bounds, *ts))
            .count() as u64,
    }
}

/// The tools whose inputs count as code changes (lines added and removed).
pub fn is_edit(tool: &str) -> bool {
    matches!(tool, "Edit" | "MultiEdit" | "Write" | "NotebookEdit")
}

/// The skill a `Skill` tool call started (its `skill` input), as activity counts it.
pub fn skill_of(c: &ToolCall) -> &str {
    c.input.pattern().unwrap_or("unknown")
}

fn code_changes(calls: &[&ToolCall], ds: &Dataset) -> CodeChanges {
    // Hashed, not ordered: the rows are sorted below, and paths are long strings with
    // shared prefixes that an ordered map compares byte by byte on every call.
    let mut files: FastMap<&str, FileEdits> = FastMap::default();
    for c in calls {
        if !is_edit(ds.name(c.name)) {
            continue;
        }
        let Some(path) = c.input.file_path() else {
            continue;
        };
        let e = files.entry(path).or_insert_with(|| FileEdits {
            path: path.to_string(),
            edits: 0,
            lines_added: 0,
            lines_removed: 0,
        });
        e.edits += 1;
        e.lines_added += u64::from(c.input.lines_added);
        e.lines_removed += u64::from(c.input.lines_removed);
    }
    let mut all: Vec<FileEdits> = files.into_values().collect();
    let mut changes = CodeChanges {
        files: all.len() as u64,
        edits: all.iter().map(|f| f.edits).sum(),
        lines_added: all.iter().map(|f| f.lines_added).sum(),
        lines_removed: all.iter().map(|f| f.lines_removed).sum(),
        note: "lines come from the edit inputs (the replaced and the new text of each Edit, MultiEdit, Write and NotebookEdit call), not from git",
        ..CodeChanges::default()
    };
    all.sort_by(|a, b| b.edits.cmp(&a.edits).then_with(|| a.path.cmp(&b.path)));
    all.truncate(TOP_FILES);
    changes.most_edited = all;
    changes
}

fn counts(by: BTreeMap<String, u64>) -> Vec<Count> {
    let mut v: Vec<Count> = by
        .into_iter()
        .map(|(name, count)| Count { name, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    v
}

/// What a call did, in a few words (a path, command or pattern).
fn detail(c: &ToolCall) -> String {
    sample(c.input.subject().unwrap_or(""))
}

/// One line, no control characters, at most `SAMPLE_CHARS` characters: error texts and
/// call subjects as reports carry them.
pub fn sample(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    fmt::preview(&clean, SAMPLE_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<i64> = (1..=100).collect();
        assert_eq!(percentile(&v, 50), Some(50));
        assert_eq!(percentile(&v, 95), Some(95));
        assert_eq!(percentile(&v, 99), Some(99));
        assert_eq!(percentile(&[7], 99), Some(7));
        assert_eq!(percentile(&[1, 2, 3], 50), Some(2));
        assert_eq!(percentile(&[], 50), None);
    }

    #[test]
    fn samples_lose_control_characters() {
        assert_eq!(sample("a\u{1b}[31m\nb"), "a [31m b");
    }
}
