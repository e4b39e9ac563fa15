//! The recap's session sections (`html --sessions N`, `--session ID`) and the page of one
//! session (`html --session ID` alone): a bounded view of a `SessionDetail`, already
//! redacted when it was built. The main thread's calls as at most `CHART_BARS` bars (each
//! the largest context of the calls it stands for, so peaks survive), the turns, the
//! sub-agent tree without its calls, the markers with local times. Data only.

use super::{Generator, PricingInfo, Redactions, Report, WindowInfo};
use crate::analyze::session::{
    Call, DetailTotals, Lever, ModelShare, SessionDetail, SubagentRun, WindowShare,
};
use crate::analyze::subagents::RunTokens;
use crate::model::diagnostics::Diagnostics;
use crate::time::{Timestamp, Zone};
use chrono::NaiveDateTime;
use serde::Serialize;

/// Most bars in a section's per-call chart.
pub const CHART_BARS: usize = 240;

/// One session's section.
#[derive(Clone, Debug, Serialize)]
pub struct SessionSection {
    /// `session-<first 8 characters of the id>`: the section's anchor.
    pub anchor: String,
    pub short_id: String,
    pub project: String,
    /// Local times of its first and last activity.
    pub first: Option<NaiveDateTime>,
    pub last: Option<NaiveDateTime>,
    pub wall_ms: i64,
    pub active_ms: i64,
    pub models: Vec<ModelShare>,
    pub totals: DetailTotals,
    pub window: WindowShare,
    pub peak_context: u64,
    pub main_calls: usize,
    pub chart: Vec<CallBar>,
    pub turns: Vec<TurnRow>,
    /// Whether any turn shows its prompt (prompts shown, and there are some).
    pub has_prompts: bool,
    pub runs: Vec<RunNode>,
    pub markers: Vec<MarkerRow>,
    pub lever: Lever,
}

/// One bar of the per-call chart: the call with the largest context among calls
/// `first_call..=last_call` (1-based, main thread).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CallBar {
    pub first_call: u32,
    pub last_call: u32,
    pub turn: u32,
    pub at: Option<NaiveDateTime>,
    pub model: String,
    pub tokens: RunTokens,
    pub context_tokens: u64,
    pub api_value_usd: f64,
}

/// One turn of the turn table.
#[derive(Clone, Debug, Serialize)]
pub struct TurnRow {
    pub turn: u32,
    pub start: Option<NaiveDateTime>,
    pub opened_by_prompt: bool,
    pub prompt_kind: Option<&'static str>,
    pub prompt: Option<String>,
    pub calls: usize,
    pub models: Vec<String>,
    pub context_max: u64,
    pub total_tokens: u64,
    pub api_value_usd: f64,
    pub subagent_api_value_usd: f64,
    pub tool_calls: u64,
    pub tool_errors: u64,
    pub thinking_chars: u64,
    pub opus_verdict: Option<&'static str>,
}

/// A sub-agent run in the tree, with the runs it spawned.
#[derive(Clone, Debug, Serialize)]
pub struct RunNode {
    pub turn: u32,
    pub agent_type: String,
    pub description: Option<String>,
    pub models: Vec<String>,
    pub total_tokens: u64,
    pub api_value_usd: f64,
    pub tool_calls: u64,
    pub duration_ms: Option<i64>,
    pub spawn_found: bool,
    pub flags: Vec<String>,
    pub children: Vec<RunNode>,
}

/// One marker of the list.
#[derive(Clone, Debug, Serialize)]
pub struct MarkerRow {
    pub kind: &'static str,
    pub at: Option<NaiveDateTime>,
    pub turn: Option<u32>,
    /// The main-thread calls before it (where the chart draws it).
    pub position: u32,
    pub text: String,
}

/// A page of one session (`html --session ID` alone).
#[derive(Clone, Debug, Serialize)]
pub struct SessionPage {
    pub schema_version: u32,
    pub generator: Generator,
    pub window: WindowInfo,
    pub pricing: PricingInfo,
    pub privacy: Redactions,
    pub session: SessionSection,
    pub notes: Vec<&'static str>,
    pub diagnostics: Diagnostics,
}

/// The page of a drill-down report (None for other reports).
pub fn page(report: &Report) -> Option<SessionPage> {
    let d = report.body.detail()?;
    Some(SessionPage {
        schema_version: 1,
        generator: report.generator.clone(),
        window: report.window.clone(),
        pricing: report.pricing.clone(),
        privacy: d.privacy.clone(),
        session: section(d),
        notes: vec![
            d.notes.lower_bounds,
            d.notes.api_value,
            d.notes.cache_expiry,
        ],
        diagnostics: Diagnostics {
            problem_paths: Vec::new(),
            ..report.diagnostics.clone()
        },
    })
}

/// The sections of the recap, in order; a second session whose id starts with the same 8
/// characters gets `-2` on its anchor (the recap's rows link to the first).
pub fn sections(details: &[SessionDetail]) -> Vec<SessionSection> {
    let mut seen = std::collections::BTreeMap::new();
    details
        .iter()
        .map(|d| {
            let mut s = section(d);
            let n = seen.entry(s.anchor.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                s.anchor = format!("{}-{n}", s.anchor);
            }
            s
        })
        .collect()
}

/// The section of one drill-down.
pub fn section(d: &SessionDetail) -> SessionSection {
    let local = |t: Option<Timestamp>| t.map(|t| d.zone.local(t.0));
    let calls: Vec<(u32, &Call)> = d
        .turns
        .iter()
        .flat_map(|t| t.calls.iter().map(move |c| (t.turn, c)))
        .collect();
    SessionSection {
        anchor: format!("session-{}", d.short_id),
        short_id: d.short_id.clone(),
        project: d.project.clone(),
        first: local(d.first_activity),
        last: local(d.last_activity),
        wall_ms: d.wall_ms,
        active_ms: d.active_ms,
        models: d.models.clone(),
        totals: d.totals.clone(),
        window: d.window.clone(),
        peak_context: calls
            .iter()
            .map(|(_, c)| c.context_tokens)
            .max()
            .unwrap_or(0),
        main_calls: calls.len(),
        chart: bars(&calls, d.zone),
        turns: d.turns.iter().map(|t| turn_row(t, d.zone)).collect(),
        has_prompts: d.turns.iter().any(|t| t.prompt_preview.is_some()),
        runs: runs(d),
        markers: d
            .markers
            .iter()
            .map(|m| MarkerRow {
                kind: m.kind,
                at: local(m.at),
                turn: m.turn,
                position: m.position,
                text: m.text.clone(),
            })
            .collect(),
        lever: d.lever.clone(),
    }
}

/// The main thread's calls as at most `CHART_BARS` bars, each the call with the largest
/// context of an equal run of calls.
fn bars(calls: &[(u32, &Call)], zone: Zone) -> Vec<CallBar> {
    let n = calls.len();
    let groups = n.min(CHART_BARS);
    (0..groups)
        .map(|k| {
            let lo = k * n / groups;
            let hi = ((k + 1) * n / groups).max(lo + 1);
            let (turn, c) = calls[lo..hi]
                .iter()
                .copied()
                .max_by(|a, b| {
                    a.1.context_tokens
                        .cmp(&b.1.context_tokens)
                        .then(b.1.index.cmp(&a.1.index))
                })
                .unwrap_or(calls[lo]);
            CallBar {
                first_call: lo as u32 + 1,
                last_call: hi as u32,
                turn,
                at: c.timestamp.map(|t| zone.local(t.0)),
                model: c.model.clone(),
                tokens: c.tokens,
                context_tokens: c.context_tokens,
                api_value_usd: c.api_value_usd,
            }
        })
        .collect()
}

fn turn_row(t: &crate::analyze::session::Turn, zone: Zone) -> TurnRow {
    let mut models: Vec<String> = Vec::new();
    for c in &t.calls {
        if !models.contains(&c.model) {
            models.push(c.model.clone());
        }
    }
    TurnRow {
        turn: t.turn,
        start: t.start.map(|s| zone.local(s.0)),
        opened_by_prompt: t.opened_by_prompt,
        prompt_kind: t.prompt_kind,
        prompt: t.prompt_preview.clone(),
        calls: t.calls.len(),
        models,
        context_max: t.context_max,
        total_tokens: t.tokens.total_tokens,
        api_value_usd: t.api_value_usd,
        subagent_api_value_usd: t.subagent_api_value_usd,
        tool_calls: t.tool_calls,
        tool_errors: t.tool_errors,
        thinking_chars: t.thinking_chars,
        opus_verdict: t.opus_verdict,
    }
}

/// The sub-agent tree: each run under the turn of the call that spawned it.
fn runs(d: &SessionDetail) -> Vec<RunNode> {
    let mut out = Vec::new();
    for t in &d.turns {
        for c in &t.calls {
            out.extend(c.subagent_runs.iter().map(|r| node(r, t.turn)));
        }
    }
    let last = d.turns.last().map_or(0, |t| t.turn);
    out.extend(d.unattached_runs.iter().map(|r| node(r, last)));
    out
}

fn node(r: &SubagentRun, turn: u32) -> RunNode {
    RunNode {
        turn,
        agent_type: r.agent_type.clone(),
        description: r.description.clone(),
        models: r.models.clone(),
        total_tokens: r.tokens.total_tokens,
        api_value_usd: r.api_value_usd,
        tool_calls: r.tool_calls,
        duration_ms: r.duration_ms,
        spawn_found: r.spawn_found,
        flags: r.flags.iter().map(|f| f.kind.replace('_', "-")).collect(),
        children: r
            .calls
            .iter()
            .flat_map(|c| &c.subagent_runs)
            .map(|child| node(child, turn))
            .collect(),
    }
}
