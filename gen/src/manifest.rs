//! `manifest.json` and `sessions_truth.json`. The manifest keeps the key names and shapes
//! of the team's earlier generator for everything they share (so one checker reads
//! either), and adds what that one lacked: tools with errors and latency percentiles,
//! sub-agent runs by layout and type with their tokens, malformed lines by category,
//! attribution fields by value, the cache-write 5m/1h split, skills, slash commands, API
//! errors and code changes.

use crate::Options;
use crate::calendar::{Ms, iso};
use crate::truth::{Group, Layout, SessionTok, SessionTruth, Tally, TokJson};
use serde::Serialize;
use std::collections::BTreeMap;

pub const GROUND_TRUTH_RULE: &str = "unique (message.id, requestId); usage of the line with the largest output_tokens, on the UTC day of the first line carrying it; malformed and '<synthetic>' lines excluded; streaming snapshots, progress-line copies, resumed-session copies and /btw replays (same message.id as a main-thread response) are duplicates of counted responses";

#[derive(Clone, Debug, Serialize)]
pub struct Args {
    pub sessions: u64,
    pub days: u32,
    pub end_date: String,
    pub subagent_rate: f64,
    pub malformed_rate: f64,
    pub dup_rate: f64,
    pub resume_rate: f64,
    pub target_bytes: Option<u64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Diagnostics {
    /// Output tokens a first-seen dedupe would report.
    pub output_tokens_if_first_line_kept: u64,
    /// Every usage-bearing line summed, without dedupe.
    pub naive_sum_every_usage_line: TokJson,
    /// Calls per tool (sub-agents included), each call once.
    pub tool_uses: BTreeMap<String, u64>,
    /// Response lines a (message.id, requestId) dedupe removes: streaming snapshots,
    /// progress copies and resumed-session copies.
    pub duplicate_lines: u64,
    /// `/btw` replays: sidechain copies of a main-thread response under another
    /// requestId, which only the sidechain-replay rule removes.
    pub sidechain_replay_lines: u64,
    /// `<synthetic>` lines on disk, resumed-session copies included.
    pub synthetic_lines_on_disk: u64,
    /// Only in the copy printed on stdout, so the file stays byte-deterministic.
    pub generation_seconds: Option<f64>,
}

/// Nearest-rank percentiles of a tool's latencies (ms): result line − call line.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Latency {
    pub p50: i64,
    pub p95: i64,
    pub p99: i64,
    pub max: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ToolTruth {
    pub calls: u64,
    pub errors: u64,
    pub latency_ms: Option<Latency>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Subagents {
    pub runs: u64,
    pub by_layout: BTreeMap<&'static str, u64>,
    pub by_type: BTreeMap<String, u64>,
    /// Runs spawned by another sub-agent.
    pub nested_spawns: u64,
    pub tokens: TokJson,
}

#[derive(Clone, Debug, Serialize)]
pub struct CodeChanges {
    pub files: u64,
    pub edits: u64,
    pub lines_added: u64,
    pub lines_removed: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    pub generator: &'static str,
    pub format_version: u32,
    pub seed: u64,
    pub args: Args,
    pub projects: u64,
    pub sessions: u64,
    pub session_kinds: BTreeMap<&'static str, u64>,
    pub resumed_sessions: u64,
    pub sessions_with_subagents: u64,
    pub subagent_files: u64,
    pub subagent_runs: u64,
    pub inline_sidechain_runs: u64,
    pub meta_json_files: u64,
    pub jsonl_files: u64,
    /// Physical lines of the `*.jsonl` transcripts, malformed ones included.
    pub lines: u64,
    /// Bytes of the `*.jsonl` transcripts.
    pub bytes: u64,
    pub malformed_lines: BTreeMap<&'static str, u64>,
    pub synthetic_lines: u64,
    pub assistant_lines: u64,
    pub unique_responses: u64,
    pub streaming_extra_lines: u64,
    pub progress_lines: u64,
    pub resumed_copied_lines: u64,
    pub compactions: u64,
    pub first_timestamp: Option<String>,
    pub last_timestamp: Option<String>,
    pub tokens: TokJson,
    pub tokens_by_model: BTreeMap<String, TokJson>,
    pub tokens_by_day_utc: BTreeMap<String, TokJson>,
    pub diagnostics: Diagnostics,
    pub ground_truth_rule: &'static str,
    /// Workflow `journal.jsonl` files (not transcripts).
    pub journal_files: u64,
    /// `/btw` replay lines (copies of main-thread answers).
    pub replayed_lines: u64,
    /// Assistant lines carrying `costUSD` (old versions).
    pub cost_usd_lines: u64,
    pub images: u64,
    pub tools: BTreeMap<String, ToolTruth>,
    pub subagents: Subagents,
    /// field → value → the responses carrying it and their tokens.
    pub attribution: BTreeMap<&'static str, BTreeMap<String, TokJson>>,
    pub skills: BTreeMap<String, u64>,
    pub commands: BTreeMap<String, u64>,
    pub api_errors: BTreeMap<String, u64>,
    pub interrupted_turns: u64,
    pub code_changes: CodeChanges,
    /// Sessions whose working directory is a git worktree.
    pub worktree_sessions: u64,
}

/// Nearest rank: the smallest value with at least p% of the sample at or below it.
pub fn percentile(sorted: &[Ms], p: usize) -> Ms {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn latency(mut ms: Vec<Ms>) -> Option<Latency> {
    if ms.is_empty() {
        return None;
    }
    ms.sort_unstable();
    Some(Latency {
        p50: percentile(&ms, 50),
        p95: percentile(&ms, 95),
        p99: percentile(&ms, 99),
        max: ms[ms.len() - 1],
    })
}

fn rollup(m: &BTreeMap<String, Group>) -> BTreeMap<String, TokJson> {
    m.iter().map(|(k, g)| (k.clone(), g.json())).collect()
}

fn subagents(truths: &[SessionTruth]) -> Subagents {
    let mut s = Subagents {
        runs: 0,
        by_layout: BTreeMap::new(),
        by_type: BTreeMap::new(),
        nested_spawns: 0,
        tokens: TokJson::default(),
    };
    let mut tok = SessionTok::default();
    for run in truths.iter().flat_map(|t| &t.subagent_runs) {
        s.runs += 1;
        let layout = match run.layout {
            Layout::Inline => "inline",
            Layout::Sibling => "sibling",
            Layout::Nested => "nested",
            Layout::Workflow => "workflow",
            Layout::Aside => "aside",
        };
        *s.by_layout.entry(layout).or_default() += 1;
        *s.by_type.entry(run.agent_type.clone()).or_default() += 1;
        s.nested_spawns += u64::from(run.parent_agent_id.is_some());
        let t = &run.tokens;
        tok.input += t.input;
        tok.output += t.output;
        tok.cache_read += t.cache_read;
        tok.cache_creation += t.cache_creation;
        tok.cache_creation_5m += t.cache_creation_5m;
        tok.cache_creation_1h += t.cache_creation_1h;
    }
    s.tokens = TokJson {
        input: tok.input,
        output: tok.output,
        cache_read: tok.cache_read,
        cache_creation: tok.cache_creation,
        total: tok.input + tok.output + tok.cache_read + tok.cache_creation,
        cache_creation_5m: tok.cache_creation_5m,
        cache_creation_1h: tok.cache_creation_1h,
        responses: None,
    };
    s
}

fn kinds(truths: &[SessionTruth]) -> BTreeMap<&'static str, u64> {
    let mut kinds: BTreeMap<&'static str, u64> = BTreeMap::new();
    for s in truths {
        *kinds.entry(s.kind).or_default() += 1;
    }
    kinds
}

/// Every category, zero when absent.
fn malformed(t: &Tally) -> BTreeMap<&'static str, u64> {
    let mut m: BTreeMap<&'static str, u64> = ["truncated", "non_json", "empty", "not_object"]
        .into_iter()
        .map(|k| (k, 0))
        .collect();
    m.extend(t.malformed.iter().map(|(k, v)| (*k, *v)));
    m
}

fn tools(t: &Tally) -> BTreeMap<String, ToolTruth> {
    t.tools
        .iter()
        .map(|(k, v)| {
            let truth = ToolTruth {
                calls: v.calls,
                errors: v.errors,
                latency_ms: latency(v.latencies.clone()),
            };
            (k.clone(), truth)
        })
        .collect()
}

fn code_changes(t: &Tally) -> CodeChanges {
    CodeChanges {
        files: t.edits.len() as u64,
        edits: t.edits.values().map(|e| e.edits).sum(),
        lines_added: t.edits.values().map(|e| e.lines_added).sum(),
        lines_removed: t.edits.values().map(|e| e.lines_removed).sum(),
    }
}

fn args(opts: &Options) -> Args {
    Args {
        sessions: opts.sessions.unwrap_or(0),
        days: opts.days,
        end_date: opts.end_date.format("%Y-%m-%d").to_string(),
        subagent_rate: opts.subagent_rate,
        malformed_rate: opts.malformed_rate,
        dup_rate: opts.dup_rate,
        resume_rate: opts.resume_rate,
        target_bytes: opts.target_bytes,
    }
}

fn diagnostics(t: &Tally) -> Diagnostics {
    Diagnostics {
        output_tokens_if_first_line_kept: t.first_line_output,
        naive_sum_every_usage_line: TokJson::of(&t.naive),
        tool_uses: t.tools.iter().map(|(k, v)| (k.clone(), v.calls)).collect(),
        duplicate_lines: t.assistant_lines + t.progress_lines + t.resumed_copied_responses
            - t.unique_responses,
        sidechain_replay_lines: t.replayed_lines,
        synthetic_lines_on_disk: t.synthetic_lines + t.resumed_copied_synthetic,
        generation_seconds: None,
    }
}

/// The manifest of a finished corpus.
pub fn build(opts: &Options, projects: usize, truths: &[SessionTruth], t: Tally) -> Manifest {
    let count = |f: &dyn Fn(&SessionTruth) -> bool| truths.iter().filter(|s| f(s)).count() as u64;
    let subagents = subagents(truths);
    Manifest {
        generator: "ccrecap-gen",
        format_version: 1,
        seed: opts.seed,
        args: args(opts),
        projects: projects as u64,
        sessions: truths.len() as u64,
        session_kinds: kinds(truths),
        resumed_sessions: count(&|s| s.resumed_from.is_some()),
        sessions_with_subagents: count(&|s| !s.subagent_runs.is_empty()),
        subagent_files: truths.iter().map(|s| s.subagent_files.len() as u64).sum(),
        subagent_runs: subagents.runs,
        inline_sidechain_runs: truths.iter().map(|s| s.inline_subagent_runs).sum(),
        meta_json_files: t.meta_json_files,
        jsonl_files: t.jsonl_files,
        lines: t.lines,
        bytes: t.bytes,
        malformed_lines: malformed(&t),
        synthetic_lines: t.synthetic_lines,
        assistant_lines: t.assistant_lines,
        unique_responses: t.unique_responses,
        streaming_extra_lines: t.streaming_extra_lines,
        progress_lines: t.progress_lines,
        resumed_copied_lines: t.resumed_copied_lines,
        compactions: t.compactions,
        first_timestamp: t.first_ts.map(iso),
        last_timestamp: t.last_ts.map(iso),
        tokens: TokJson::of(&t.tokens),
        tokens_by_model: rollup(&t.by_model),
        tokens_by_day_utc: rollup(&t.by_day),
        diagnostics: diagnostics(&t),
        ground_truth_rule: GROUND_TRUTH_RULE,
        journal_files: t.journal_files,
        replayed_lines: t.replayed_lines,
        cost_usd_lines: t.cost_usd_lines,
        images: t.images,
        tools: tools(&t),
        subagents,
        attribution: t.attribution.iter().map(|(k, v)| (*k, rollup(v))).collect(),
        code_changes: code_changes(&t),
        skills: t.skills,
        commands: t.commands,
        api_errors: t.api_errors,
        interrupted_turns: t.interrupted_turns,
        worktree_sessions: count(&|s| {
            s.cwd.contains("/.worktrees/") || s.cwd.contains("/.claude/worktrees/")
        }),
    }
}
