//! The calls of a drill-down: each main-thread call in its turn (the `turns` analyzer's
//! grouping and numbering), its tool calls with latency and errors (the activity
//! analyzer's rule), and the sub-agent runs it spawned (the sub-agent analyzer's runs),
//! each with its own calls and, recursively, the runs those spawned. A run whose spawning
//! call is unknown hangs under the main-thread call before it, so every call of the
//! session appears exactly once.

use super::{Responses, Subject, Turn};
use crate::analyze::activity::tools::{latency_ms, sample};
use crate::analyze::bucket::Billing;
use crate::analyze::opus_audit::Verdict;
use crate::analyze::subagents::{Flag, Run, RunTokens};
use crate::analyze::turns::session_turns;
use crate::analyze::value::Mix;
use crate::model::ids::{FastMap, FastSet};
use crate::model::record::PromptKind;
use crate::model::{Prompt, Response, Sym, ToolCall};
use crate::time::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;

/// One API call.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Call {
    /// 1-based, in its thread (the main thread, or the sub-agent run).
    pub index: u32,
    pub model: String,
    pub timestamp: Option<Timestamp>,
    pub tokens: RunTokens,
    /// What the model read: new input + cache reads + cache writes.
    pub context_tokens: u64,
    pub api_value_usd: f64,
    /// Thinking text on the call (characters of its JSON string).
    pub thinking_chars: u32,
    pub tools: Vec<ToolUse>,
    /// The runs this call spawned.
    pub subagent_runs: Vec<SubagentRun>,
}

/// One tool call.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ToolUse {
    pub name: String,
    /// What it worked on: a path (its last component unless paths are shown); commands,
    /// patterns and descriptions only when prompts are shown.
    pub subject: Option<String>,
    /// From the call to its result; null when either is undated or there is no result.
    pub duration_ms: Option<i64>,
    pub is_error: bool,
    /// The error's start; null unless prompts are shown.
    pub error: Option<String>,
}

/// One sub-agent run, nested under the call that spawned it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SubagentRun {
    pub agent_id: String,
    pub agent_type: String,
    /// The spawning call's description; null unless prompts are shown.
    pub description: Option<String>,
    pub models: Vec<String>,
    /// The run's own calls.
    pub tokens: RunTokens,
    pub api_value_usd: f64,
    /// In the run's cost mode.
    pub cost_usd: f64,
    /// This run plus every run it spawned.
    pub tree_tokens: RunTokens,
    pub tool_calls: u64,
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    pub duration_ms: Option<i64>,
    /// Whether the spawning Task/Agent call was found (else it hangs under the
    /// main-thread call before it).
    pub spawn_found: bool,
    /// 1 under a main-thread call, 2 under a sub-agent's call, ...
    pub depth: u32,
    /// Right-sizing flags: candidates to spot-check.
    pub flags: Vec<RunFlag>,
    pub calls: Vec<Call>,
}

/// A right-sizing flag of a run.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RunFlag {
    pub kind: &'static str,
    pub reason: String,
}

impl From<&Flag> for RunFlag {
    fn from(f: &Flag) -> Self {
        RunFlag {
            kind: f.kind,
            reason: f.reason.clone(),
        }
    }
}

/// Where a run hangs: under a main-thread call, or a call of another run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Anchor {
    Main(usize),
    Run(usize, usize),
    Nowhere,
}

/// What the calls are built from.
pub(crate) struct Context<'a> {
    s: &'a Subject<'a>,
    billing: &'a Billing<'a>,
    /// Tool calls by the index of the response that made them.
    tools: FastMap<u32, Vec<&'a ToolCall>>,
    /// The response that made each tool call (by `tool_use` id hash).
    made_by: FastMap<u64, u32>,
    /// The session's runs, each with its calls in time order.
    runs: Vec<(&'a Run, Vec<(u32, &'a Response)>)>,
    verdicts: BTreeMap<Option<u64>, Verdict>,
    prompts: FastMap<u64, &'a Prompt>,
}

impl<'a> Context<'a> {
    pub fn new(s: &'a Subject<'a>, billing: &'a Billing<'a>, resp: &Responses<'a>) -> Self {
        let ds = s.ds;
        let mine: FastSet<u32> = resp.all.iter().map(|(i, _)| *i).collect();
        let mut tools: FastMap<u32, Vec<&ToolCall>> = FastMap::default();
        let mut made_by = FastMap::default();
        for c in &ds.tool_calls {
            if let Some(i) = c.response.filter(|i| mine.contains(i)) {
                tools.entry(i).or_default().push(c);
                made_by.insert(c.id_hash, i);
            }
        }
        let opus: Vec<(u32, &Response)> = resp
            .main
            .iter()
            .copied()
            .filter(|(_, r)| s.judge.is_premium(r.model))
            .collect();
        let keys: FastSet<u64> = resp
            .main
            .iter()
            .filter_map(|(_, r)| r.turn_hash())
            .collect();
        Context {
            s,
            billing,
            tools,
            made_by,
            runs: session_runs(s, resp),
            verdicts: s.judge.verdicts(&opus).into_iter().collect(),
            prompts: ds
                .prompts
                .iter()
                .filter(|p| keys.contains(&p.uuid_hash))
                .map(|p| (p.uuid_hash, p))
                .collect(),
        }
    }

    /// The API value of part of a response, at the tier the whole request was billed at.
    pub fn value(&self, r: &Response, part: crate::model::Tokens) -> f64 {
        let mut m = Mix::default();
        m.add_part(r, part, self.billing);
        m.values(self.s.ds, self.s.pricing).0.total()
    }

    /// The session's runs, each with its calls in time order.
    pub fn runs(&self) -> impl Iterator<Item = (&'a Run, &[(u32, &'a Response)])> {
        self.runs.iter().map(|(r, c)| (*r, c.as_slice()))
    }

    /// The opening prompts' keys of the turns the Opus audit gave verdict `v`.
    pub fn verdicts(&self, v: Verdict) -> std::collections::BTreeSet<Option<u64>> {
        self.verdicts
            .iter()
            .filter(|(_, x)| **x == v)
            .map(|(k, _)| *k)
            .collect()
    }

    /// The agent type of the session's run `agent_id`.
    pub fn run_type(&self, agent_id: &str) -> Option<&'a str> {
        self.runs
            .iter()
            .find(|(r, _)| r.agent_id == agent_id)
            .map(|(r, _)| r.agent_type.as_str())
    }

    /// The opening prompt of a turn.
    pub fn prompt(&self, key: Option<u64>) -> Option<&'a Prompt> {
        key.and_then(|k| self.prompts.get(&k).copied())
    }

    /// The main thread's turns with their calls and runs, and the runs no call could hold.
    pub fn turns(&self, resp: &Responses) -> (Vec<Turn>, Vec<SubagentRun>) {
        let refs: Vec<&Response> = resp.main.iter().map(|(_, r)| *r).collect();
        let st = session_turns(&refs);
        let (main_children, nowhere) = self.anchor_runs(resp);
        let mut tree = Tree {
            cx: self,
            children: self.run_children(resp),
            placed: vec![false; self.runs.len()],
        };
        let mut turns: Vec<Turn> = st
            .turns
            .iter()
            .map(|row| self.turn(row, resp, &st.row_of_call))
            .collect();
        for (pos, (&(i, r), &row)) in resp.main.iter().zip(&st.row_of_call).enumerate() {
            let mut call = self.call(i, r, turns[row as usize].calls.len() as u32 + 1);
            call.subagent_runs = main_children[pos]
                .iter()
                .map(|&k| tree.node(k, 1))
                .collect();
            turns[row as usize].add(call);
        }
        let mut loose: Vec<SubagentRun> = nowhere.iter().map(|&k| tree.node(k, 1)).collect();
        // Runs on a cycle of parent links (broken data) were never reached: hang them by
        // time, so none is lost.
        for k in 0..self.runs.len() {
            if !tree.placed[k] {
                let node = tree.node(k, 1);
                match Self::by_time(resp, self.runs[k].0) {
                    Some(pos) => {
                        let row = st.row_of_call[pos] as usize;
                        let within = pos - first_of_row(&st.row_of_call, row);
                        let t = &mut turns[row];
                        t.count_run(&node);
                        t.calls[within].subagent_runs.push(node);
                    }
                    None => loose.push(node),
                }
            }
        }
        rank(&mut turns);
        (turns, loose)
    }

    /// Runs to hang under each main-thread call, and those with nowhere to go.
    fn anchor_runs(&self, resp: &Responses) -> (Vec<Vec<usize>>, Vec<usize>) {
        let mut main = vec![Vec::new(); resp.main.len()];
        let mut nowhere = Vec::new();
        for k in 0..self.runs.len() {
            match self.anchor(k, resp) {
                Anchor::Main(pos) => main[pos].push(k),
                Anchor::Nowhere => nowhere.push(k),
                Anchor::Run(..) => {}
            }
        }
        (main, nowhere)
    }

    /// Runs to hang under each call of each run: `[run][call] → runs`.
    fn run_children(&self, resp: &Responses) -> Vec<Vec<Vec<usize>>> {
        let mut out: Vec<Vec<Vec<usize>>> = self
            .runs
            .iter()
            .map(|(_, calls)| vec![Vec::new(); calls.len()])
            .collect();
        for k in 0..self.runs.len() {
            if let Anchor::Run(parent, call) = self.anchor(k, resp) {
                out[parent][call].push(k);
            }
        }
        out
    }

    /// Where run `k` hangs: under the call that spawned it, else by time.
    fn anchor(&self, k: usize, resp: &Responses) -> Anchor {
        let (run, _) = self.runs[k];
        let spawned_by = run.spawn_call.and_then(|h| self.made_by.get(&h).copied());
        if let Some(i) = spawned_by {
            if let Some(pos) = resp.main.iter().position(|&(j, _)| j == i) {
                return Anchor::Main(pos);
            }
            for (p, (_, calls)) in self.runs.iter().enumerate() {
                if p != k
                    && let Some(c) = calls.iter().position(|&(j, _)| j == i)
                {
                    return Anchor::Run(p, c);
                }
            }
        }
        match Self::by_time(resp, run) {
            Some(pos) => Anchor::Main(pos),
            None => Anchor::Nowhere,
        }
    }

    /// The last main-thread call at or before the run started (else the first one).
    fn by_time(resp: &Responses, run: &Run) -> Option<usize> {
        if resp.main.is_empty() {
            return None;
        }
        let start = run.start.map_or(i64::MAX, |t| t.0);
        let before = resp
            .main
            .partition_point(|(_, r)| r.ts.is_some_and(|t| t <= start));
        Some(before.saturating_sub(1))
    }

    /// One call, numbered `index` in its thread.
    fn call(&self, i: u32, r: &Response, index: u32) -> Call {
        let ds = self.s.ds;
        Call {
            index,
            model: ds.name(r.model).to_string(),
            timestamp: r.ts.map(Timestamp),
            tokens: r.tokens.into(),
            context_tokens: r.tokens.context(),
            api_value_usd: self.value(r, r.tokens),
            thinking_chars: r.thinking_chars,
            tools: self
                .tools
                .get(&i)
                .map(|v| v.iter().map(|c| self.tool(c)).collect())
                .unwrap_or_default(),
            subagent_runs: Vec::new(),
        }
    }

    fn tool(&self, c: &ToolCall) -> ToolUse {
        let (ds, p) = (self.s.ds, self.s.privacy);
        let result = ds.result_of(c);
        let subject = match (c.input.file_path(), c.input.subject()) {
            (Some(path), _) => Some(p.path(&sample(path))),
            (None, Some(text)) if p.show_prompts => Some(sample(text)),
            _ => None,
        };
        let is_error = result.is_some_and(|r| r.is_error);
        ToolUse {
            name: sample(ds.name(c.name)),
            subject,
            duration_ms: latency_ms(c, result),
            is_error,
            error: result
                .and_then(|r| r.error_sample.as_deref())
                .filter(|_| is_error && p.show_prompts)
                .map(sample),
        }
    }

    /// A turn's row, before its calls are added.
    fn turn(&self, row: &crate::analyze::turns::TurnRow, resp: &Responses, of: &[u32]) -> Turn {
        let idx = (row.turn - 1) as usize;
        let key = of
            .iter()
            .position(|&r| r as usize == idx)
            .and_then(|pos| resp.main[pos].1.turn_hash());
        let prompt = self.prompt(key);
        Turn {
            turn: row.turn,
            opened_by_prompt: row.opened_by_prompt,
            prompt_kind: prompt.map(|p| match p.kind {
                PromptKind::Text => "text",
                PromptKind::Command => "command",
            }),
            prompt_preview: prompt
                .filter(|_| self.s.privacy.show_prompts)
                .map(|p| crate::render::fmt::preview(&p.snippet, PREVIEW_CHARS)),
            start: row.start,
            end: row.start,
            calls: Vec::new(),
            tokens: RunTokens::default(),
            api_value_usd: 0.0,
            subagent_tokens: RunTokens::default(),
            subagent_api_value_usd: 0.0,
            context_max: row.context_max,
            thinking_chars: 0,
            tool_calls: 0,
            tool_errors: 0,
            opus_verdict: self.verdicts.get(&key).map(|v| v.name()),
            value_rank: 0,
        }
    }
}

/// Characters of a prompt preview.
const PREVIEW_CHARS: usize = 80;

/// Builds run nodes, each once.
struct Tree<'c, 'a> {
    cx: &'c Context<'a>,
    /// `[run][call] → runs` spawned by that call.
    children: Vec<Vec<Vec<usize>>>,
    placed: Vec<bool>,
}

impl Tree<'_, '_> {
    /// Run `k` at `depth`, with its calls and the runs they spawned.
    fn node(&mut self, k: usize, depth: u32) -> SubagentRun {
        self.placed[k] = true;
        let (run, calls) = &self.cx.runs[k];
        let mut out = Vec::with_capacity(calls.len());
        let mut mix = Mix::default();
        for (n, &(i, r)) in calls.iter().enumerate() {
            mix.add(r, self.cx.billing);
            let mut call = self.cx.call(i, r, n as u32 + 1);
            let kids: Vec<usize> = self.children[k][n].clone();
            for child in kids {
                if !self.placed[child] {
                    call.subagent_runs.push(self.node(child, depth + 1));
                }
            }
            out.push(call);
        }
        let p = self.cx.s.privacy;
        SubagentRun {
            agent_id: run.agent_id.clone(),
            agent_type: run.agent_type.clone(),
            description: Some(run.description.clone()).filter(|d| p.show_prompts && !d.is_empty()),
            models: run.models.clone(),
            tokens: run.tokens,
            api_value_usd: mix.values(self.cx.s.ds, self.cx.s.pricing).0.total(),
            cost_usd: run.cost_usd,
            tree_tokens: run.tree_tokens,
            tool_calls: run.tool_calls,
            start: run.start,
            end: run.end,
            duration_ms: run.duration_ms,
            spawn_found: run.spawn_found,
            depth,
            flags: run.flags.iter().map(RunFlag::from).collect(),
            calls: out,
        }
    }
}

impl Turn {
    /// Adds a main-thread call and what it holds.
    fn add(&mut self, call: Call) {
        self.end = call.timestamp.or(self.end);
        add_tokens(&mut self.tokens, &call.tokens);
        self.api_value_usd += call.api_value_usd;
        self.thinking_chars += u64::from(call.thinking_chars);
        self.tool_calls += call.tools.len() as u64;
        self.tool_errors += call.tools.iter().filter(|t| t.is_error).count() as u64;
        for run in &call.subagent_runs {
            self.count_run(run);
        }
        self.calls.push(call);
    }

    /// A run's tokens and value, and those of the runs it spawned.
    fn count_run(&mut self, run: &SubagentRun) {
        add_tokens(&mut self.subagent_tokens, &run.tokens);
        self.subagent_api_value_usd += run.api_value_usd;
        for c in &run.calls {
            for r in &c.subagent_runs {
                self.count_run(r);
            }
        }
    }
}

fn add_tokens(a: &mut RunTokens, b: &RunTokens) {
    a.input_tokens += b.input_tokens;
    a.output_tokens += b.output_tokens;
    a.cache_read_tokens += b.cache_read_tokens;
    a.cache_write_tokens += b.cache_write_tokens;
    a.total_tokens += b.total_tokens;
}

/// The position of the first call of turn row `row`.
fn first_of_row(of: &[u32], row: usize) -> usize {
    of.iter().position(|&r| r as usize == row).unwrap_or(0)
}

/// Ranks turns by API value, their sub-agents' included (ties: the earlier turn).
fn rank(turns: &mut [Turn]) {
    let mut order: Vec<usize> = (0..turns.len()).collect();
    let value = |t: &Turn| t.api_value_usd + t.subagent_api_value_usd;
    order.sort_by(|&a, &b| {
        value(&turns[b])
            .total_cmp(&value(&turns[a]))
            .then(a.cmp(&b))
    });
    for (rank, i) in order.into_iter().enumerate() {
        turns[i].value_rank = rank as u32 + 1;
    }
}

/// The session's runs (from the sub-agent analyzer), each with its calls.
fn session_runs<'a>(
    s: &'a Subject<'a>,
    resp: &Responses<'a>,
) -> Vec<(&'a Run, Vec<(u32, &'a Response)>)> {
    let ds = s.ds;
    let (id, project) = (ds.name(s.session), ds.name(s.project));
    let mut by_agent: BTreeMap<Option<Sym>, Vec<(u32, &Response)>> = BTreeMap::new();
    for &(i, r) in &resp.all {
        if r.origin != crate::model::Origin::Main {
            by_agent.entry(r.agent).or_default().push((i, r));
        }
    }
    let mut runs: Vec<(&Run, Vec<(u32, &Response)>)> = s
        .runs
        .iter()
        .filter(|r| r.session_id == id && r.project_dir == project)
        .map(|run| {
            let agent = ds
                .strings
                .get(&run.agent_id)
                .filter(|_| run.agent_id != UNATTRIBUTED);
            (run, by_agent.remove(&agent).unwrap_or_default())
        })
        .collect();
    runs.sort_by(|a, b| {
        let start = |r: &Run| r.start.map_or(i64::MAX, |t| t.0);
        start(a.0)
            .cmp(&start(b.0))
            .then_with(|| a.0.agent_id.cmp(&b.0.agent_id))
    });
    runs
}

/// The sub-agent analyzer's name for sidechain lines without an agent id.
const UNATTRIBUTED: &str = "unattributed-sidechain";

/// Tool calls and errors over every call of every turn, sub-agents included.
pub fn tool_counts(turns: &[Turn], loose: &[SubagentRun]) -> (u64, u64) {
    let mut n = (0, 0);
    let mut calls: Vec<&Call> = turns.iter().flat_map(|t| &t.calls).collect();
    calls.extend(loose.iter().flat_map(|r| &r.calls));
    while let Some(c) = calls.pop() {
        n.0 += c.tools.len() as u64;
        n.1 += c.tools.iter().filter(|t| t.is_error).count() as u64;
        calls.extend(c.subagent_runs.iter().flat_map(|r| &r.calls));
    }
    n
}

/// Sub-agent runs at every depth.
pub fn run_count(turns: &[Turn], loose: &[SubagentRun]) -> u64 {
    let mut runs: Vec<&SubagentRun> = turns
        .iter()
        .flat_map(|t| &t.calls)
        .flat_map(|c| &c.subagent_runs)
        .collect();
    runs.extend(loose);
    let mut n = 0;
    while let Some(r) = runs.pop() {
        n += 1;
        runs.extend(r.calls.iter().flat_map(|c| &c.subagent_runs));
    }
    n
}
