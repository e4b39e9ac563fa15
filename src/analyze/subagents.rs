//! The sub-agent analyzer: every sub-agent run in the window (1.0.x inline sidechains,
//! 2.0.x sibling `agent-<id>.jsonl`, 2.1+ nested `subagents/**` files, workflow runs),
//! linked to the Task/Agent call that spawned it, with its tokens, cost, tool calls and
//! timing; rollups per agent type × model and per session; nested spawns attributed to
//! their own run and rolled up to the top-level one; right-sizing flags (candidates with
//! a reason, priced on the Sonnet and Haiku of the same generation); and the spawn calls
//! whose transcript is missing, which make every share here a lower bound.

use super::Options;
use super::bucket::{Billing, Bucket};
use super::usage::in_window;
use super::value::Mix;
use crate::model::ids::FastMap;
use crate::model::{Dataset, Origin, Sym, Tokens, ToolCall};
use crate::options::CostMode;
use crate::pricing::Pricing;
use crate::render::fmt::{self, thousands};
use crate::time::{Timestamp, in_bounds};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// `over_powered`: an Opus-tier run with less output than this ...
pub const SMALL_OUTPUT: u64 = 2_000;
/// ... and at most this many tool calls.
pub const FEW_TOOL_CALLS: u64 = 5;
/// `over_provisioned`: at least this much context read (input + cache reads) ...
pub const BIG_CONTEXT: u64 = 50_000;
/// ... valued against the agent type's median when the type has this many runs.
pub const MIN_COHORT: usize = 5;
/// Characters kept of a spawn's description.
const DESCRIPTION_CHARS: usize = 80;
/// Missing-transcript examples listed.
const EXAMPLES: usize = 10;

/// Token counts of a run, in the analyzers' names.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct RunTokens {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_read_tokens: u64,
    pub cache_write_tokens: u64,
    pub total_tokens: u64,
}

impl From<Tokens> for RunTokens {
    fn from(t: Tokens) -> Self {
        RunTokens {
            input_tokens: t.input,
            output_tokens: t.output,
            cache_read_tokens: t.cache_read,
            cache_write_tokens: t.cache_write(),
            total_tokens: t.total(),
        }
    }
}

/// A right-sizing flag in words, for people (JSON keeps the flag's name).
pub fn flag_phrase(kind: &str) -> &'static str {
    match kind {
        "over_powered" => "premium model for a small job",
        "over_provisioned" => "large context for little output",
        _ => "flagged",
    }
}

/// The right-sizing rules in words, for people (`SubagentNotes::flags` says the same with
/// the flags' JSON names).
pub const FLAG_RULES: &str = "Right-sizing flags are candidates to spot-check, not verdicts. Premium model for a small job: an Opus-tier run with under 2,000 output tokens and at most 5 tool calls. Large context for little output: input + cache reads of 50,000 or more with under 2,000 output tokens, valued on the excess over its agent type's median when the type has 5 runs or more.";

/// A right-sizing candidate: why, and what the run would have cost on smaller models.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Flag {
    /// `over_powered` or `over_provisioned`.
    pub kind: &'static str,
    pub reason: String,
    /// over_provisioned: context read above the agent type's median, and its API value
    /// (null when the type has fewer than `MIN_COHORT` runs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excess_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excess_value_usd: Option<f64>,
}

/// One sub-agent run.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Run {
    pub agent_id: String,
    /// From `agent-<id>.meta.json`, else the spawning call's `subagent_type`, else the
    /// `attributionAgent` on the run's lines, else "unknown".
    pub agent_type: String,
    /// `attribution` when `agent_type` came from `attributionAgent` (no `.meta.json`
    /// and no spawning call); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_type_from: Option<&'static str>,
    /// The parent session.
    pub session_id: String,
    /// The project's display name, and its directory under `projects/`.
    pub project: String,
    pub project_dir: String,
    /// The spawning call's description (shortened); empty when the call is unknown.
    pub description: String,
    pub models: Vec<String>,
    pub tokens: RunTokens,
    pub cost_usd: f64,
    pub tool_calls: u64,
    /// From the run's prompt (else its first call) to its last call.
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    pub duration_ms: Option<i64>,
    /// Whether the spawning Task/Agent call was found.
    pub spawn_found: bool,
    /// The spawning call's `tool_use` id hash, when it was found (for drill-downs that
    /// nest a run under the call that started it).
    #[serde(skip)]
    pub spawn_call: Option<u64>,
    /// The run that spawned this one (nested spawns), and the top-level run of its tree.
    pub parent_agent_id: Option<String>,
    pub top_agent_id: String,
    pub depth: u32,
    /// This run plus every run it spawned, directly or not.
    pub tree_tokens: RunTokens,
    pub tree_cost_usd: f64,
    pub flags: Vec<Flag>,
    /// What the run would have cost on the Sonnet and Haiku of its model's generation.
    pub on_sonnet: Option<Repriced>,
    pub on_haiku: Option<Repriced>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Repriced {
    pub model: String,
    pub cost_usd: f64,
}

/// Agent type × model.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TypeRow {
    pub agent_type: String,
    pub model: String,
    pub runs: u64,
    pub tokens: RunTokens,
    pub cost_usd: f64,
    pub flagged_runs: u64,
}

/// A session's spend, and the part of it in sub-agents.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SessionShare {
    pub session_id: String,
    /// The project's display name, and its directory under `projects/`.
    pub project: String,
    pub project_dir: String,
    pub runs: u64,
    pub cost_usd: f64,
    pub subagent_cost_usd: f64,
    pub subagent_share: f64,
}

/// Spawn calls whose sub-agent transcript is not in the data.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Missing {
    /// Task/Agent calls in the window.
    pub spawn_calls: u64,
    /// Of those, calls with no run found.
    pub calls_without_transcript: u64,
    pub note: &'static str,
    pub examples: Vec<MissingExample>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct MissingExample {
    pub session_id: String,
    pub at: Option<Timestamp>,
    pub description: String,
    /// The agent id the call's result named, if any.
    pub agent_id: Option<String>,
}

/// The `subagents` section.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct SubagentsReport {
    pub runs: Vec<Run>,
    pub by_type: Vec<TypeRow>,
    pub by_session: Vec<SessionShare>,
    /// Sub-agent cost over the window's cost (both in the run's cost mode).
    pub share_of_window: f64,
    /// Sub-agent API value over the window's, both at list prices (`calculate`): the
    /// basis every view states the sub-agent share on.
    pub api_value_share: f64,
    pub cost_usd: f64,
    pub window_cost_usd: f64,
    pub tokens: RunTokens,
    pub flagged_runs: u64,
    pub missing: Missing,
    pub notes: SubagentNotes,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SubagentNotes {
    pub flags: &'static str,
    pub lower_bound: &'static str,
}

impl Default for SubagentNotes {
    fn default() -> Self {
        SubagentNotes {
            flags: "right-sizing flags are candidates to spot-check, not verdicts: over_powered = an Opus-tier run with < 2,000 output tokens and <= 5 tool calls; over_provisioned = input + cache reads >= 50,000 with < 2,000 output, valued on the excess over its agent type's median when the type has >= 5 runs",
            lower_bound: "spawn calls whose transcript is missing are counted in `missing`; while any are, sub-agent totals and shares are lower bounds",
        }
    }
}

/// Runs being accumulated, by (agent, project, session).
type RunMap = BTreeMap<(Option<Sym>, Sym, Sym), Acc>;

/// One run being accumulated.
#[derive(Default)]
struct Acc {
    session: Sym,
    project: Sym,
    bucket: Bucket,
    mix: Mix,
    /// Per model, the tokens (for repricing and the type × model rollup).
    by_model: BTreeMap<Sym, (Tokens, Tokens)>,
}

/// What the window spent: every sub-agent run, every session and the whole window.
#[derive(Default)]
struct Spend {
    /// Keyed by (agent, session): sidechain lines without an agent id (none are expected
    /// once inline runs are named) form one unattributed run per session.
    runs: RunMap,
    /// By (project, session).
    sessions: BTreeMap<(Sym, Sym), Bucket>,
    window: Bucket,
    /// API value (calculate mode) of the window and of its sub-agent calls.
    window_value: Mix,
    subagent_value: Mix,
}

impl Spend {
    fn of(ds: &Dataset, opts: &Options, billing: &Billing, list: &Billing) -> Spend {
        let mut s = Spend::default();
        for r in in_window(ds, opts) {
            s.window.add(r, billing);
            s.window_value.add(r, list);
            s.sessions
                .entry((r.project, r.session))
                .or_default()
                .add(r, billing);
            if r.origin == Origin::Main {
                continue;
            }
            s.subagent_value.add(r, list);
            let key = (r.agent, r.project, r.session);
            let a = s.runs.entry(key).or_insert_with(|| Acc {
                session: r.session,
                project: r.project,
                ..Acc::default()
            });
            a.bucket.add(r, billing);
            a.mix.add(r, billing);
            let e = a.by_model.entry(r.model).or_default();
            if billing.is_long_context(r) {
                e.1 += r.tokens;
            } else {
                e.0 += r.tokens;
            }
        }
        s
    }
}

pub fn analyze(ds: &Dataset, pricing: &Pricing, opts: &Options) -> SubagentsReport {
    let billing = Billing::new(ds, pricing, opts.cost_mode);
    let list = Billing::new(ds, pricing, CostMode::Calculate);
    let spend = Spend::of(ds, opts, &billing, &list);
    let facts = RunFacts {
        ds,
        pricing,
        links: Links::new(ds),
        tool_counts: tool_counts(ds, opts),
        prompted: first_prompts(ds),
        attributed: attributed_agents(ds),
    };
    // Each run beside the accumulator it was built from.
    let mut built: Vec<(Run, &Acc)> = spend
        .runs
        .iter()
        .map(|(&(agent, _, _), a)| (facts.run(agent, a), a))
        .collect();
    flag(&mut built, ds, pricing);
    let by_type = by_type(&built, ds, pricing);
    let mut out: Vec<Run> = built.into_iter().map(|(run, _)| run).collect();
    roll_up(&mut out);
    let window_cost = spend.window.finish(pricing, ds).cost;
    let by_session = by_session(&out, &spend.sessions, ds, pricing);
    let total: Tokens = spend.runs.values().map(|a| a.bucket.tokens()).sum();
    let cost = super::usd_sum(out.iter().map(|r| r.cost_usd));
    let value = spend.subagent_value.values(ds, pricing).0.total();
    let window_value = spend.window_value.values(ds, pricing).0.total();
    out.sort_by(|a, b| {
        b.cost_usd
            .total_cmp(&a.cost_usd)
            .then_with(|| a.agent_id.cmp(&b.agent_id))
    });
    SubagentsReport {
        flagged_runs: out.iter().filter(|r| !r.flags.is_empty()).count() as u64,
        missing: missing(ds, opts, &facts.links, &spend.runs),
        runs: out,
        by_type,
        by_session,
        share_of_window: if window_cost > 0.0 {
            cost / window_cost
        } else {
            0.0
        },
        api_value_share: if window_value > 0.0 {
            value / window_value
        } else {
            0.0
        },
        cost_usd: cost,
        window_cost_usd: window_cost,
        tokens: total.into(),
        notes: SubagentNotes::default(),
    }
}

/// What a run is described with besides its own spend.
struct RunFacts<'a> {
    ds: &'a Dataset,
    pricing: &'a Pricing,
    links: Links<'a>,
    /// Tool calls per sub-agent in the window.
    tool_counts: BTreeMap<Sym, u64>,
    /// The first prompt per sub-agent (the spawn's message to it).
    prompted: BTreeMap<Sym, i64>,
    /// The `attributionAgent` of each sub-agent's first response that carries one.
    attributed: BTreeMap<Sym, Sym>,
}

impl RunFacts<'_> {
    /// One run, before its flags and its place in the tree of spawns are known.
    fn run(&self, agent: Option<Sym>, a: &Acc) -> Run {
        let (ds, pricing) = (self.ds, self.pricing);
        let spawn = agent.and_then(|a| self.links.spawn_of(a));
        let (agent_type, agent_type_source) = agent.map_or(("unknown", "unknown"), |a| {
            agent_type(ds, a, spawn, self.attributed.get(&a).copied())
        });
        let f = a.bucket.finish(pricing, ds);
        let end = a.bucket.last_ts;
        // A run starts with its prompt, when seen.
        let first_prompt = agent.and_then(|a| self.prompted.get(&a).copied());
        let start = match (first_prompt, a.bucket.first_ts) {
            (Some(p), Some(f)) => Some(p.min(f)),
            (p, f) => p.or(f),
        };
        Run {
            agent_id: agent
                .map_or("unattributed-sidechain", |a| ds.name(a))
                .to_string(),
            agent_type: agent_type.to_string(),
            agent_type_from: (agent_type_source == "attribution").then_some("attribution"),
            session_id: ds.name(a.session).to_string(),
            project: ds.project_name(a.project).to_string(),
            project_dir: ds.name(a.project).to_string(),
            description: spawn
                .and_then(|c| c.input.description())
                .map(short)
                .unwrap_or_default(),
            models: f.models.iter().map(|m| m.model_name.clone()).collect(),
            tokens: f.tokens.into(),
            cost_usd: f.cost,
            tool_calls: agent
                .and_then(|a| self.tool_counts.get(&a).copied())
                .unwrap_or(0),
            start: start.map(Timestamp),
            end: end.map(Timestamp),
            duration_ms: start.zip(end).map(|(s, e)| e - s),
            spawn_found: spawn.is_some(),
            spawn_call: spawn.map(|c| c.id_hash),
            parent_agent_id: spawn.and_then(|c| c.agent).map(|p| ds.name(p).to_string()),
            top_agent_id: String::new(),
            depth: 0,
            tree_tokens: RunTokens::default(),
            tree_cost_usd: 0.0,
            flags: Vec::new(),
            on_sonnet: reprice(ds, pricing, a, "sonnet"),
            on_haiku: reprice(ds, pricing, a, "haiku"),
        }
    }
}

/// The time of each sub-agent's first prompt.
fn first_prompts(ds: &Dataset) -> BTreeMap<Sym, i64> {
    let mut prompted: BTreeMap<Sym, i64> = BTreeMap::new();
    for p in &ds.prompts {
        if let (Some(a), Some(ts)) = (p.agent, p.ts) {
            let e = prompted.entry(a).or_insert(ts);
            *e = (*e).min(ts);
        }
    }
    prompted
}

/// Which call spawned which sub-agent.
struct Links<'a> {
    calls: FastMap<u64, &'a ToolCall>,
    /// agent → spawning `tool_use` id hash.
    spawned_by: BTreeMap<Sym, u64>,
}

impl<'a> Links<'a> {
    fn new(ds: &'a Dataset) -> Links<'a> {
        let calls = ds.tool_calls.iter().map(|c| (c.id_hash, c)).collect();
        let mut spawned_by: BTreeMap<Sym, u64> = ds.inline_spawns.clone();
        for r in &ds.tool_results {
            if let Some(agent) = r.agent_spawned {
                spawned_by.entry(agent).or_insert(r.tool_use_hash);
            }
        }
        for (&agent, m) in &ds.agent_meta {
            if let Some(h) = m.tool_use_hash {
                spawned_by.entry(agent).or_insert(h);
            }
        }
        Links { calls, spawned_by }
    }

    fn spawn_of(&self, agent: Sym) -> Option<&'a ToolCall> {
        self.spawned_by
            .get(&agent)
            .and_then(|h| self.calls.get(h))
            .copied()
    }
}

/// A run's agent type and where it came from.
fn agent_type<'a>(
    ds: &'a Dataset,
    agent: Sym,
    spawn: Option<&'a ToolCall>,
    attributed: Option<Sym>,
) -> (&'a str, &'static str) {
    if let Some(t) = ds.agent_meta.get(&agent).and_then(|m| m.agent_type) {
        return (ds.name(t), "meta");
    }
    if let Some(t) = spawn.and_then(|c| c.input.subagent_type()) {
        return (t, "spawn_call");
    }
    if let Some(kind) = internal_agent(ds.name(agent)) {
        return (kind, "internal");
    }
    if let Some(t) = attributed {
        return (ds.name(t), "attribution");
    }
    ("unknown", "unknown")
}

/// The agents Claude Code starts by itself, which no Task/Agent call spawns, by the
/// start of their id: `/btw` asides, compaction and prompt suggestions.
fn internal_agent(id: &str) -> Option<&'static str> {
    [
        ("aside_question", "aside_question"),
        ("acompact-", "compact"),
        ("aprompt_suggestion-", "prompt_suggestion"),
    ]
    .into_iter()
    .find(|(prefix, _)| id.starts_with(prefix))
    .map(|(_, kind)| kind)
}

/// The `attributionAgent` of each sub-agent's first response that carries one.
fn attributed_agents(ds: &Dataset) -> BTreeMap<Sym, Sym> {
    let mut out = BTreeMap::new();
    if ds.attributions.iter().all(|a| a.agent.is_none()) {
        return out;
    }
    for r in &ds.responses {
        if let (Some(agent), Some(t)) = (r.agent, ds.attribution(r).agent) {
            out.entry(agent).or_insert(t);
        }
    }
    out
}

/// Tool calls made by each sub-agent in the window.
fn tool_counts(ds: &Dataset, opts: &Options) -> BTreeMap<Sym, u64> {
    let bounds = opts.bounds();
    let mut n = BTreeMap::new();
    for c in &ds.tool_calls {
        if let Some(a) = c.agent
            && in_bounds(bounds, c.ts)
        {
            *n.entry(a).or_insert(0) += 1;
        }
    }
    n
}

/// The run's tokens priced on the newest `family` model of its main model's generation.
fn reprice(ds: &Dataset, pricing: &Pricing, a: &Acc, family: &str) -> Option<Repriced> {
    let main = a
        .by_model
        .iter()
        .max_by_key(|(_, (s, l))| (*s + *l).total())
        .map(|(m, _)| ds.name(*m))?;
    let target = pricing.same_generation(main, family)?;
    let mut cost = 0.0;
    for (standard, long) in a.by_model.values() {
        cost += pricing.cost(target, standard, long)?;
    }
    Some(Repriced {
        model: target.to_string(),
        cost_usd: cost,
    })
}

/// Sets each run's depth, top-level run and tree totals from the parent links.
fn roll_up(runs: &mut [Run]) {
    let index: BTreeMap<String, usize> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| (r.agent_id.clone(), i))
        .collect();
    let parent: Vec<Option<usize>> = runs
        .iter()
        .map(|r| {
            r.parent_agent_id
                .as_ref()
                .and_then(|p| index.get(p).copied())
        })
        .collect();
    for i in 0..runs.len() {
        let (mut top, mut depth, mut seen) = (i, 0u32, BTreeSet::new());
        while let Some(p) = parent[top] {
            if !seen.insert(p) {
                break; // a cycle in broken data: stop where it closes
            }
            top = p;
            depth += 1;
        }
        runs[i].depth = depth;
        let top_id = runs[top].agent_id.clone();
        runs[i].top_agent_id = top_id;
        // Add this run to itself and every ancestor.
        let (tokens, cost) = (runs[i].tokens, runs[i].cost_usd);
        let mut at = Some(i);
        let mut seen = BTreeSet::new();
        while let Some(k) = at {
            if !seen.insert(k) {
                break;
            }
            add(&mut runs[k].tree_tokens, &tokens);
            runs[k].tree_cost_usd += cost;
            at = parent[k];
        }
    }
}

fn add(a: &mut RunTokens, b: &RunTokens) {
    a.input_tokens += b.input_tokens;
    a.output_tokens += b.output_tokens;
    a.cache_read_tokens += b.cache_read_tokens;
    a.cache_write_tokens += b.cache_write_tokens;
    a.total_tokens += b.total_tokens;
}

/// Sets the right-sizing flags.
fn flag(runs: &mut [(Run, &Acc)], ds: &Dataset, pricing: &Pricing) {
    let mut cohorts: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for (r, _) in runs.iter() {
        cohorts
            .entry(r.agent_type.clone())
            .or_default()
            .push(context_read(r));
    }
    let medians: BTreeMap<String, Option<u64>> = cohorts
        .into_iter()
        .map(|(t, mut v)| {
            v.sort_unstable();
            let m = (v.len() >= MIN_COHORT).then(|| median(&v));
            (t, m)
        })
        .collect();
    for (r, acc) in runs.iter_mut() {
        let main = r.models.first().map_or("", String::as_str);
        if pricing.tier(main) == Some("premium")
            && r.tokens.output_tokens < SMALL_OUTPUT
            && r.tool_calls <= FEW_TOOL_CALLS
        {
            r.flags.push(Flag {
                kind: "over_powered",
                reason: format!(
                    "{main} produced {} output tokens with {}",
                    thousands(r.tokens.output_tokens),
                    fmt::plural(r.tool_calls, "tool call")
                ),
                excess_tokens: None,
                excess_value_usd: None,
            });
        }
        if context_read(r) >= BIG_CONTEXT && r.tokens.output_tokens < SMALL_OUTPUT {
            let (v, _) = acc.mix.values(ds, pricing);
            let median = medians.get(&r.agent_type).copied().flatten();
            let f = over_provisioned(r, median, v.input + v.cache_read);
            r.flags.push(f);
        }
    }
}

/// Context a run read: input and cache reads.
fn context_read(r: &Run) -> u64 {
    r.tokens.input_tokens + r.tokens.cache_read_tokens
}

/// The `over_provisioned` flag of a run that read `context_read` tokens (worth
/// `read_value` USD), valued on its excess over its type's `median` when there is one.
fn over_provisioned(r: &Run, median: Option<u64>, read_value: f64) -> Flag {
    let (ctx, out) = (context_read(r), r.tokens.output_tokens);
    let excess = median.map(|m| ctx.saturating_sub(m));
    let value = excess.map(|e| read_value * e as f64 / ctx as f64);
    let against = match median {
        Some(m) => format!(
            ", {} over the {} median of {}",
            thousands(ctx.saturating_sub(m)),
            r.agent_type,
            thousands(m)
        ),
        None => format!(
            " (fewer than {MIN_COHORT} {} runs to compare)",
            r.agent_type
        ),
    };
    Flag {
        kind: "over_provisioned",
        reason: format!(
            "read {} tokens of context for {} output tokens{against}",
            thousands(ctx),
            thousands(out)
        ),
        excess_tokens: excess,
        excess_value_usd: value,
    }
}

fn median(sorted: &[u64]) -> u64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        u64::midpoint(sorted[n / 2 - 1], sorted[n / 2])
    }
}

/// Agent type × model rows, costliest first.
fn by_type(runs: &[(Run, &Acc)], ds: &Dataset, pricing: &Pricing) -> Vec<TypeRow> {
    let mut rows: BTreeMap<(String, Sym), (u64, Tokens, Tokens, u64)> = BTreeMap::new();
    for (run, a) in runs {
        for (&model, (standard, long)) in &a.by_model {
            let e = rows.entry((run.agent_type.clone(), model)).or_default();
            e.0 += 1;
            e.1 += *standard;
            e.2 += *long;
            e.3 += u64::from(!run.flags.is_empty());
        }
    }
    let mut out: Vec<TypeRow> = rows
        .into_iter()
        .map(|((ty, model), (n, s, l, f))| TypeRow {
            agent_type: ty,
            model: ds.name(model).to_string(),
            runs: n,
            tokens: (s + l).into(),
            cost_usd: pricing.cost(ds.name(model), &s, &l).unwrap_or(0.0),
            flagged_runs: f,
        })
        .collect();
    out.sort_by(|a, b| {
        b.cost_usd
            .total_cmp(&a.cost_usd)
            .then_with(|| (&a.agent_type, &a.model).cmp(&(&b.agent_type, &b.model)))
    });
    out
}

/// Each session with sub-agent runs: its cost and the part in sub-agents.
fn by_session(
    runs: &[Run],
    sessions: &BTreeMap<(Sym, Sym), Bucket>,
    ds: &Dataset,
    pricing: &Pricing,
) -> Vec<SessionShare> {
    let mut per: BTreeMap<(&str, &str), (u64, f64)> = BTreeMap::new();
    for r in runs {
        let e = per
            .entry((r.project_dir.as_str(), r.session_id.as_str()))
            .or_default();
        e.0 += 1;
        e.1 += r.cost_usd;
    }
    let mut out: Vec<SessionShare> = sessions
        .iter()
        .filter_map(|(&(p, s), b)| {
            let (n, sub) = per.get(&(ds.name(p), ds.name(s))).copied()?;
            let cost = b.finish(pricing, ds).cost;
            Some(SessionShare {
                session_id: ds.name(s).to_string(),
                project: ds.project_name(p).to_string(),
                project_dir: ds.name(p).to_string(),
                runs: n,
                cost_usd: cost,
                subagent_cost_usd: sub,
                subagent_share: if cost > 0.0 { sub / cost } else { 0.0 },
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.subagent_cost_usd
            .total_cmp(&a.subagent_cost_usd)
            .then_with(|| a.session_id.cmp(&b.session_id))
    });
    out
}

/// Task/Agent calls in the window whose sub-agent left no transcript here.
fn missing(ds: &Dataset, opts: &Options, links: &Links, runs: &RunMap) -> Missing {
    let bounds = opts.bounds();
    let spawned: BTreeMap<u64, Sym> = links.spawned_by.iter().map(|(&a, &h)| (h, a)).collect();
    let have: BTreeSet<Sym> = runs.keys().filter_map(|k| k.0).collect();
    let mut m = Missing {
        note: "Task/Agent calls with no sub-agent transcript in the data (deleted, not yet written, or outside the scanned directories)",
        ..Missing::default()
    };
    for c in &ds.tool_calls {
        let name = ds.name(c.name);
        if !matches!(name, "Task" | "Agent") || !in_bounds(bounds, c.ts) {
            continue;
        }
        m.spawn_calls += 1;
        let agent = spawned.get(&c.id_hash).copied();
        if agent.is_some_and(|a| have.contains(&a)) {
            continue;
        }
        m.calls_without_transcript += 1;
        if m.examples.len() < EXAMPLES {
            m.examples.push(MissingExample {
                session_id: ds.name(c.session).to_string(),
                at: c.ts.map(Timestamp),
                description: c.input.description().map(short).unwrap_or_default(),
                agent_id: agent.map(|a| ds.name(a).to_string()),
            });
        }
    }
    m
}

fn short(s: &str) -> String {
    fmt::one_line(s, DESCRIPTION_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_claude_code_starts_by_itself_are_named() {
        assert_eq!(internal_agent("acompact-4f1e2d"), Some("compact"));
        assert_eq!(
            internal_agent("aprompt_suggestion-ffaefc"),
            Some("prompt_suggestion")
        );
        assert_eq!(
            internal_agent("aside_question-1a2b3c"),
            Some("aside_question")
        );
        assert_eq!(internal_agent("a4d5d4a45887"), None);
    }

    #[test]
    fn medians_of_odd_and_even_cohorts() {
        assert_eq!(median(&[1, 5, 9]), 5);
        assert_eq!(median(&[1, 3, 5, 9]), 4);
    }
}
