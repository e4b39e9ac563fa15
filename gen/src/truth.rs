//! Ground truth, recorded as the corpus is written: every API response once, where it is
//! first written (never its streaming snapshots, progress embeddings, resumed-session
//! copies or `/btw` replays), on the UTC day of the first line carrying its final usage
//! (what max-usage, earliest-tie dedupe keeps); tool calls with their errors and latency;
//! sub-agent runs; attribution fields; and the line and file counts. `Tally` holds the
//! corpus-wide counters (merged in session order, so the result does not depend on
//! threads); `SessionTruth` and `RunTruth` are the per-session records.

use crate::calendar::{Ms, day};
use serde::Serialize;
use std::collections::BTreeMap;

/// Token counts of one response (or a sum). A cache write without the 5m/1h breakdown
/// (versions before it existed) counts as 5m, as ccrecap reads it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tok {
    pub input: u64,
    pub output: u64,
    pub cache_read: u64,
    pub cache_creation_5m: u64,
    pub cache_creation_1h: u64,
}

impl Tok {
    pub fn cache_creation(&self) -> u64 {
        self.cache_creation_5m + self.cache_creation_1h
    }

    pub fn total(&self) -> u64 {
        self.input + self.output + self.cache_read + self.cache_creation()
    }

    pub fn add(&mut self, o: &Tok) {
        self.input += o.input;
        self.output += o.output;
        self.cache_read += o.cache_read;
        self.cache_creation_5m += o.cache_creation_5m;
        self.cache_creation_1h += o.cache_creation_1h;
    }

    pub fn with_output(mut self, output: u64) -> Tok {
        self.output = output;
        self
    }
}

/// The manifest's token object: `input`, `output`, `cache_read`, `cache_creation`,
/// `total` (the shared keys), plus the cache-write split and, in rollups, `responses`.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct TokJson {
    pub input: u64,
    pub output: u64,
    pub cache_read: u64,
    pub cache_creation: u64,
    pub total: u64,
    pub cache_creation_5m: u64,
    pub cache_creation_1h: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub responses: Option<u64>,
}

impl TokJson {
    pub fn of(t: &Tok) -> TokJson {
        TokJson {
            input: t.input,
            output: t.output,
            cache_read: t.cache_read,
            cache_creation: t.cache_creation(),
            total: t.total(),
            cache_creation_5m: t.cache_creation_5m,
            cache_creation_1h: t.cache_creation_1h,
            responses: None,
        }
    }

    pub fn counted(t: &Tok, responses: u64) -> TokJson {
        TokJson {
            responses: Some(responses),
            ..TokJson::of(t)
        }
    }
}

/// Tokens and responses of one group (a day, a model, an attribution value).
#[derive(Clone, Copy, Debug, Default)]
pub struct Group {
    pub tok: Tok,
    pub responses: u64,
}

impl Group {
    fn add(&mut self, t: &Tok) {
        self.tok.add(t);
        self.responses += 1;
    }

    fn merge(&mut self, o: &Group) {
        self.tok.add(&o.tok);
        self.responses += o.responses;
    }

    pub fn json(&self) -> TokJson {
        TokJson::counted(&self.tok, self.responses)
    }
}

/// Calls of one tool: errors, and the latency of each (result line − call line, ms).
#[derive(Clone, Debug, Default)]
pub struct ToolTally {
    pub calls: u64,
    pub errors: u64,
    pub latencies: Vec<Ms>,
}

/// Edits of one file (Edit, MultiEdit, Write), lines counted as ccrecap and git would
/// from the inputs: newlines, plus one for a last line without one.
#[derive(Clone, Copy, Debug, Default)]
pub struct FileEdits {
    pub edits: u64,
    pub lines_added: u64,
    pub lines_removed: u64,
}

/// Corpus-wide counters.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub tokens: Tok,
    pub by_model: BTreeMap<String, Group>,
    pub by_day: BTreeMap<String, Group>,
    pub unique_responses: u64,
    pub first_line_output: u64,
    pub naive: Tok,
    pub assistant_lines: u64,
    pub streaming_extra_lines: u64,
    pub progress_lines: u64,
    pub resumed_copied_lines: u64,
    /// Copied lines that are API responses (or progress copies of one), and
    /// `<synthetic>` ones.
    pub resumed_copied_responses: u64,
    pub resumed_copied_synthetic: u64,
    pub replayed_lines: u64,
    pub compactions: u64,
    pub synthetic_lines: u64,
    pub cost_usd_lines: u64,
    pub tools: BTreeMap<String, ToolTally>,
    /// field → value → responses and tokens.
    pub attribution: BTreeMap<&'static str, BTreeMap<String, Group>>,
    pub skills: BTreeMap<String, u64>,
    pub commands: BTreeMap<String, u64>,
    pub api_errors: BTreeMap<String, u64>,
    pub interrupted_turns: u64,
    pub images: u64,
    pub edits: BTreeMap<String, FileEdits>,
    pub first_ts: Option<Ms>,
    pub last_ts: Option<Ms>,
    pub jsonl_files: u64,
    pub meta_json_files: u64,
    pub journal_files: u64,
    pub lines: u64,
    pub bytes: u64,
    pub malformed: BTreeMap<&'static str, u64>,
}

/// What the truth records about one response.
pub struct ResponseTruth<'a> {
    pub model: &'a str,
    pub usage: Tok,
    /// Timestamp of the first line carrying the final usage.
    pub kept_at: Ms,
    pub first_line_output: u64,
    pub attribution: &'a [(&'static str, String)],
}

impl Tally {
    pub fn response(&mut self, r: &ResponseTruth) {
        self.unique_responses += 1;
        self.tokens.add(&r.usage);
        self.first_line_output += r.first_line_output;
        self.by_model
            .entry(r.model.to_string())
            .or_default()
            .add(&r.usage);
        self.by_day.entry(day(r.kept_at)).or_default().add(&r.usage);
        for (field, value) in r.attribution {
            self.attribution
                .entry(field)
                .or_default()
                .entry(value.clone())
                .or_default()
                .add(&r.usage);
        }
    }

    pub fn see(&mut self, t: Ms) {
        self.first_ts = Some(self.first_ts.map_or(t, |f| f.min(t)));
        self.last_ts = Some(self.last_ts.map_or(t, |l| l.max(t)));
    }

    pub fn tool(&mut self, name: &str, error: bool, latency: Ms) {
        let e = self.tools.entry(name.to_string()).or_default();
        e.calls += 1;
        e.errors += u64::from(error);
        e.latencies.push(latency);
    }

    pub fn count(map: &mut BTreeMap<String, u64>, key: &str) {
        *map.entry(key.to_string()).or_default() += 1;
    }

    /// Adds `o` (the tally of a later session) to this one.
    pub fn merge(&mut self, o: Tally) {
        self.tokens.add(&o.tokens);
        for (k, g) in &o.by_model {
            self.by_model.entry(k.clone()).or_default().merge(g);
        }
        for (k, g) in &o.by_day {
            self.by_day.entry(k.clone()).or_default().merge(g);
        }
        for (f, values) in &o.attribution {
            let mine = self.attribution.entry(f).or_default();
            for (v, g) in values {
                mine.entry(v.clone()).or_default().merge(g);
            }
        }
        for (k, t) in o.tools {
            let e = self.tools.entry(k).or_default();
            e.calls += t.calls;
            e.errors += t.errors;
            e.latencies.extend(t.latencies);
        }
        for (k, e) in o.edits {
            let m = self.edits.entry(k).or_default();
            m.edits += e.edits;
            m.lines_added += e.lines_added;
            m.lines_removed += e.lines_removed;
        }
        for (map, other) in [
            (&mut self.skills, o.skills),
            (&mut self.commands, o.commands),
            (&mut self.api_errors, o.api_errors),
        ] {
            for (k, n) in other {
                *map.entry(k).or_default() += n;
            }
        }
        for (k, n) in o.malformed {
            *self.malformed.entry(k).or_default() += n;
        }
        if let Some(t) = o.first_ts {
            self.see(t);
        }
        if let Some(t) = o.last_ts {
            self.see(t);
        }
        self.naive.add(&o.naive);
        self.unique_responses += o.unique_responses;
        self.first_line_output += o.first_line_output;
        self.assistant_lines += o.assistant_lines;
        self.streaming_extra_lines += o.streaming_extra_lines;
        self.progress_lines += o.progress_lines;
        self.resumed_copied_lines += o.resumed_copied_lines;
        self.resumed_copied_responses += o.resumed_copied_responses;
        self.resumed_copied_synthetic += o.resumed_copied_synthetic;
        self.replayed_lines += o.replayed_lines;
        self.compactions += o.compactions;
        self.synthetic_lines += o.synthetic_lines;
        self.cost_usd_lines += o.cost_usd_lines;
        self.interrupted_turns += o.interrupted_turns;
        self.images += o.images;
        self.jsonl_files += o.jsonl_files;
        self.meta_json_files += o.meta_json_files;
        self.journal_files += o.journal_files;
        self.lines += o.lines;
        self.bytes += o.bytes;
    }
}

/// The manifest's 4-key token object of a session record.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct SessionTok {
    pub input: u64,
    pub output: u64,
    pub cache_read: u64,
    pub cache_creation: u64,
    pub cache_creation_5m: u64,
    pub cache_creation_1h: u64,
}

impl SessionTok {
    pub fn add(&mut self, t: &Tok) {
        self.input += t.input;
        self.output += t.output;
        self.cache_read += t.cache_read;
        self.cache_creation += t.cache_creation();
        self.cache_creation_5m += t.cache_creation_5m;
        self.cache_creation_1h += t.cache_creation_1h;
    }
}

/// How a sub-agent run is stored on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// 1.0.x: sidechain lines inside the parent's file.
    Inline,
    /// 2.0.x – 2.1.1: `projects/<dir>/agent-<id>.jsonl`.
    Sibling,
    /// 2.1.2+: `projects/<dir>/<session>/subagents/agent-<id>.jsonl`.
    Nested,
    /// `…/subagents/workflows/<run>/agent-<id>.jsonl`, `sessionId` `<session>#agent-<id>`.
    Workflow,
    /// A `/btw` side question: `…/subagents/agent-aside_question-<id>.jsonl`.
    Aside,
}

/// One sub-agent run.
#[derive(Clone, Debug, Serialize)]
pub struct RunTruth {
    /// The `agentId` its lines carry; null for 1.0.x inline runs, which have none.
    pub agent_id: Option<String>,
    /// The Task/Agent `tool_use` id that spawned it (null for workflow agents and asides).
    pub tool_use_id: Option<String>,
    pub layout: Layout,
    pub agent_type: String,
    /// The `sessionId` written on its lines.
    pub session_id: String,
    /// Its file, relative to the corpus root (the parent's file for inline runs).
    pub file: String,
    /// The run that spawned it (sub-agents spawning sub-agents).
    pub parent_agent_id: Option<String>,
    pub models: BTreeMap<String, u64>,
    pub tokens: SessionTok,
    pub tool_uses: u64,
    pub start: String,
    pub end: String,
}

/// One main session (`sessions_truth.json`): the shared keys first.
#[derive(Clone, Debug, Serialize)]
pub struct SessionTruth {
    #[serde(rename = "sessionId")]
    pub session_id: String,
    pub file: String,
    pub cwd: String,
    pub kind: &'static str,
    pub version: String,
    pub start: String,
    pub resumed_from: Option<String>,
    /// Responses per model in the main thread, and their tokens.
    pub models: BTreeMap<String, u64>,
    pub tokens: SessionTok,
    pub subagent_models: BTreeMap<String, u64>,
    pub subagent_tokens: SessionTok,
    pub subagent_files: Vec<String>,
    pub end: String,
    pub inline_subagent_runs: u64,
    /// The `projects/` directory.
    pub project: String,
    pub turns: u64,
    pub compactions: u64,
    pub tool_uses: BTreeMap<String, u64>,
    pub tool_errors: BTreeMap<String, u64>,
    pub effort: Option<&'static str>,
    pub subagent_runs: Vec<RunTruth>,
}
