//! One session's drill-down (`ccrecap session --id`, the HTML recap's session sections):
//! its story turn by turn. Each turn of the main thread with its prompt, its API calls
//! (model, context split into re-read, cache write, new input and output, API value,
//! thinking, tool calls with latency and errors), the sub-agent runs each call spawned
//! (recursively, with their own calls), inline markers (the context passing 100k, cache
//! expiries with the rewrite that followed, compactions, API errors, interrupts) and the
//! session's biggest lever. It reuses the other analyzers' rules — turns (`turns`), cache
//! TTLs (`cache`), the Opus audit's verdicts (`opus_audit`), sub-agent runs and their tree
//! (`subagents`), tool latency (`activity`), active time and recurring reads — and passes
//! every transcript string through `Privacy` once. Nothing here prints.

mod calls;
mod lever;
mod markers;

use super::bucket::{Billing, Bucket};
use super::opus_audit::Judge;
use super::recap::redact::{Privacy, Redactions};
use super::subagents::{Run, RunTokens};
use super::usage::{in_window, window_range};
use super::value::Mix;
use super::{Options, activity};
use crate::model::{Dataset, Millis, Origin, Response, Sym, Tokens};
use crate::options::CostMode;
use crate::pricing::Pricing;
use crate::time::{Timestamp, Zone, in_bounds};
use chrono::NaiveDate;
use serde::Serialize;

pub use calls::{Call, SubagentRun, ToolUse};
pub use lever::Lever;
pub use markers::Marker;

/// The `session_detail` object.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SessionDetail {
    pub session_id: String,
    /// Its first 8 characters: the HTML anchor `session-<short_id>`.
    pub short_id: String,
    /// The project, as every view names it.
    pub project: String,
    /// The project's directory under `projects/` (null unless paths are shown).
    pub project_dir: Option<String>,
    /// Its working directory (its last component unless paths are shown).
    pub cwd: Option<String>,
    /// Its first and last prompt or call in the window.
    pub first_activity: Option<Timestamp>,
    pub last_activity: Option<Timestamp>,
    pub wall_ms: i64,
    /// Wall time less idle gaps (the activity analyzer's rule).
    pub active_ms: i64,
    /// Models by API value, largest first.
    pub models: Vec<ModelShare>,
    pub totals: DetailTotals,
    /// The session's API value against the window's.
    pub window: WindowShare,
    /// The main thread, turn by turn. Every call of the session is in here once: main-
    /// thread calls directly, sub-agent calls inside the runs nested under the call that
    /// spawned them.
    pub turns: Vec<Turn>,
    /// Runs no main-thread call could hold (a session without main-thread calls).
    pub unattached_runs: Vec<SubagentRun>,
    /// Inline events, in time order.
    pub markers: Vec<Marker>,
    /// The session's biggest lever: the candidate with the most API value at stake.
    pub lever: Lever,
    pub privacy: Redactions,
    pub notes: DetailNotes,
    /// The zone its times are shown in.
    #[serde(skip)]
    pub zone: Zone,
}

/// One model's part of the session.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ModelShare {
    pub model: String,
    pub calls: u64,
    pub total_tokens: u64,
    pub api_value_usd: f64,
    /// Of the session's API value.
    pub share: f64,
}

/// What the whole session (sub-agents included) used.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct DetailTotals {
    #[serde(flatten)]
    pub tokens: RunTokens,
    pub cache_write_5m_tokens: u64,
    pub cache_write_1h_tokens: u64,
    /// At list prices (the `calculate` rate), priced models only.
    pub api_value_usd: f64,
    /// In the run's cost mode: equals the session's `totalCost` in `ccrecap session`.
    pub cost_usd: f64,
    pub unpriced_models: Vec<String>,
    /// The main thread alone, and the sub-agents.
    pub main_tokens: RunTokens,
    pub main_api_value_usd: f64,
    pub subagent_tokens: RunTokens,
    pub subagent_api_value_usd: f64,
    pub turns: u64,
    pub calls: u64,
    pub main_calls: u64,
    pub subagent_runs: u64,
    pub tool_calls: u64,
    pub tool_errors: u64,
    pub thinking_chars: u64,
    pub api_errors: u64,
    pub interrupts: u64,
    pub compactions: u64,
}

/// The session's API value as a share of its window's.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct WindowShare {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub window_api_value_usd: f64,
    pub share: f64,
}

/// One turn of the main thread: a prompt and the calls until the next one.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Turn {
    /// 1-based, numbered as `ccrecap context` numbers them.
    pub turn: u32,
    /// False for calls before the first prompt seen (a resumed session's carry-over).
    pub opened_by_prompt: bool,
    /// `text` or `command` (a slash command).
    pub prompt_kind: Option<&'static str>,
    /// The prompt's start; null unless prompts are shown.
    pub prompt_preview: Option<String>,
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    pub calls: Vec<Call>,
    /// The turn's main-thread calls.
    pub tokens: RunTokens,
    pub api_value_usd: f64,
    /// Its sub-agent runs, nested ones included.
    pub subagent_tokens: RunTokens,
    pub subagent_api_value_usd: f64,
    pub context_max: u64,
    pub thinking_chars: u64,
    pub tool_calls: u64,
    pub tool_errors: u64,
    /// The Opus audit's verdict (`sonnet_shaped`, `small_alone`, `opus_sized`); null for a
    /// turn without Opus calls.
    pub opus_verdict: Option<&'static str>,
    /// 1 for the turn with the most API value (sub-agents included), 2 for the next, ...
    pub value_rank: u32,
}

/// Plain statements the drill-down carries.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DetailNotes {
    pub calls: &'static str,
    pub api_value: &'static str,
    pub lower_bounds: &'static str,
    pub cache_expiry: &'static str,
}

impl Default for DetailNotes {
    fn default() -> Self {
        DetailNotes {
            calls: "every API call of the session appears once: main-thread calls in turns[].calls[], sub-agent calls in the subagent_runs[].calls[] nested under the call that spawned them (runs whose spawning call is unknown hang under the main-thread call before them); a call's tokens are its own",
            api_value: super::value::WEIGHTING,
            lower_bounds: "input and output counts in transcripts are lower bounds (Claude Code writes streaming snapshots); cache reads and writes are exact",
            cache_expiry: super::cache::EXPLANATION,
        }
    }
}

/// Everything a drill-down is built from.
pub struct Subject<'a> {
    pub ds: &'a Dataset,
    pub pricing: &'a Pricing,
    pub opts: &'a Options,
    /// The session: its project directory and id.
    pub project: Sym,
    pub session: Sym,
    /// The window's sub-agent runs (`subagents::analyze`); the session's are picked out.
    pub runs: &'a [Run],
    /// The Opus audit's judge over the same dataset.
    pub judge: &'a Judge,
    /// The window's API value, for the share.
    pub window_value: f64,
    pub privacy: Privacy,
}

/// The session's responses in the window, by thread.
pub(crate) struct Responses<'a> {
    /// Main-thread calls in time order, with their index in `ds.responses`.
    pub main: Vec<(u32, &'a Response)>,
    /// Every call of the session (main and sub-agents), in time order.
    pub all: Vec<(u32, &'a Response)>,
}

impl Subject<'_> {
    /// Whether `r` is one of the session's responses (`ccrecap session` keys rows so).
    fn owns(&self, r: &Response) -> bool {
        r.session == self.session && r.project == self.project
    }

    fn responses(&self) -> Responses<'_> {
        let range = window_range(self.ds, self.opts);
        let all: Vec<(u32, &Response)> = range
            .clone()
            .zip(&self.ds.responses[range])
            .filter(|(_, r)| self.owns(r))
            .map(|(i, r)| (i as u32, r))
            .collect();
        let main = all
            .iter()
            .copied()
            .filter(|(_, r)| r.origin == Origin::Main)
            .collect();
        Responses { main, all }
    }
}

/// Builds the drill-down of one session.
pub fn build(s: &Subject) -> SessionDetail {
    let ds = s.ds;
    let resp = s.responses();
    let billing = Billing::new(ds, s.pricing, CostMode::Calculate);
    let ctx = calls::Context::new(s, &billing, &resp);
    let (turns, unattached_runs) = ctx.turns(&resp);
    let markers = markers::find(s, &ctx, &resp, &turns);
    let totals = totals(s, &resp, (&turns, &unattached_runs), &markers);
    let cwd = resp.all.iter().find_map(|(_, r)| r.cwd);
    let times = activity_times(s, &resp);
    let (first, last) = (times.first().copied(), times.last().copied());
    SessionDetail {
        session_id: ds.name(s.session).to_string(),
        short_id: super::recap::short_id(ds.name(s.session)),
        project: project_label(ds, s.project, cwd, s.privacy),
        project_dir: s.privacy.show_paths.then(|| ds.name(s.project).to_string()),
        cwd: cwd.map(|c| s.privacy.path(ds.name(c))),
        first_activity: first.map(Timestamp),
        last_activity: last.map(Timestamp),
        wall_ms: first.zip(last).map_or(0, |(a, b)| b - a),
        active_ms: activity::sessions::active_ms(&times),
        models: models(s, &billing, &resp, totals.api_value_usd),
        window: WindowShare {
            since: s.opts.window.since,
            until: s.opts.window.until,
            window_api_value_usd: s.window_value,
            share: if s.window_value > 0.0 {
                totals.api_value_usd / s.window_value
            } else {
                0.0
            },
        },
        lever: lever::find(s, &billing, &resp, &ctx),
        totals,
        turns,
        unattached_runs,
        markers,
        privacy: s.privacy.redactions(),
        notes: DetailNotes::default(),
        zone: s.opts.zone,
    }
}

/// The drill-down of one session on its own (`session --id`, `html --session`): the
/// session's project directory and id, None when the dataset holds no line of it.
pub fn analyze(
    ds: &Dataset,
    pricing: &Pricing,
    opts: &Options,
    (project, id): (&str, &str),
    privacy: Privacy,
) -> Option<SessionDetail> {
    let (project, session) = (ds.strings.get(project)?, ds.strings.get(id)?);
    let runs = super::subagents::analyze(ds, pricing, opts).runs;
    let judge = Judge::new(ds, pricing);
    Some(build(&Subject {
        ds,
        pricing,
        opts,
        project,
        session,
        runs: &runs,
        judge: &judge,
        window_value: window_value(ds, pricing, opts),
        privacy,
    }))
}

/// Drill-downs for the HTML recap: `picks` (project, session) drawn from the same
/// dataset as the recap's analysis `a`, whose sub-agent runs and window value they reuse.
pub fn for_recap(
    ds: &Dataset,
    pricing: &Pricing,
    opts: &Options,
    a: &super::Analysis,
    picks: &[(Sym, Sym)],
    privacy: Privacy,
) -> Vec<SessionDetail> {
    let judge = Judge::new(ds, pricing);
    let runs = a.subagents.as_ref().map_or(&[][..], |s| &s.runs[..]);
    let window_value = a.context.as_ref().map_or_else(
        || window_value(ds, pricing, opts),
        |c| c.composition.api_value_usd.total,
    );
    picks
        .iter()
        .map(|&(project, session)| {
            build(&Subject {
                ds,
                pricing,
                opts,
                project,
                session,
                runs,
                judge: &judge,
                window_value,
                privacy,
            })
        })
        .collect()
}

/// The window's `n` sessions with the most tokens (project, session), as the recap's
/// heaviest sessions are ordered.
pub fn heaviest(ds: &Dataset, opts: &Options, n: usize) -> Vec<(Sym, Sym)> {
    let mut tokens: std::collections::BTreeMap<(Sym, Sym), u64> = std::collections::BTreeMap::new();
    for r in in_window(ds, opts) {
        *tokens.entry((r.project, r.session)).or_default() += r.tokens.total();
    }
    let mut v: Vec<((Sym, Sym), u64)> = tokens.into_iter().collect();
    v.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| ds.name(a.0.1).cmp(ds.name(b.0.1)))
            .then_with(|| ds.name(a.0.0).cmp(ds.name(b.0.0)))
    });
    v.into_iter().take(n).map(|(k, _)| k).collect()
}

/// The window's sessions (project, session) whose id is `prefix` (case-insensitive), else
/// those whose id starts with it.
pub fn matching(ds: &Dataset, opts: &Options, prefix: &str) -> Vec<(Sym, Sym)> {
    let mut all: Vec<(Sym, Sym)> = in_window(ds, opts)
        .iter()
        .map(|r| (r.project, r.session))
        .collect();
    all.sort_unstable();
    all.dedup();
    let exact: Vec<(Sym, Sym)> = all
        .iter()
        .copied()
        .filter(|k| ds.name(k.1).eq_ignore_ascii_case(prefix))
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    let want = prefix.to_ascii_lowercase();
    all.into_iter()
        .filter(|k| ds.name(k.1).to_ascii_lowercase().starts_with(&want))
        .collect()
}

/// The one place a drill-down names its project: its display name (`model::projects`),
/// or with `--show-paths` its working directory (else its directory).
pub fn project_label(ds: &Dataset, project: Sym, cwd: Option<Sym>, privacy: Privacy) -> String {
    let cwd = cwd.map(|c| ds.name(c));
    privacy.project(ds.project_name(project), cwd, ds.name(project))
}

/// The window's API value (every session, sub-agents included): the share's denominator.
pub fn window_value(ds: &Dataset, pricing: &Pricing, opts: &Options) -> f64 {
    let billing = Billing::new(ds, pricing, CostMode::Calculate);
    let mut mix = Mix::default();
    for r in in_window(ds, opts) {
        mix.add(r, &billing);
    }
    mix.values(ds, pricing).0.total()
}

/// The times of the session's calls and of its main-thread prompts in the window, sorted.
fn activity_times(s: &Subject, resp: &Responses) -> Vec<Millis> {
    let bounds = s.opts.bounds();
    let mut times: Vec<Millis> = resp.all.iter().filter_map(|(_, r)| r.ts).collect();
    times.extend(
        s.ds.prompts
            .iter()
            .filter(|p| p.session == s.session && p.project == s.project && !p.sidechain)
            .filter(|p| in_bounds(bounds, p.ts))
            .filter_map(|p| p.ts),
    );
    times.sort_unstable();
    times
}

/// Models by API value, largest first.
fn models(s: &Subject, billing: &Billing, resp: &Responses, total: f64) -> Vec<ModelShare> {
    let mut by: std::collections::BTreeMap<Sym, (u64, Mix)> = std::collections::BTreeMap::new();
    for (_, r) in &resp.all {
        let e = by.entry(r.model).or_default();
        e.0 += 1;
        e.1.add(r, billing);
    }
    let mut rows: Vec<ModelShare> = by
        .into_iter()
        .map(|(m, (n, mix))| {
            let value = mix.values(s.ds, s.pricing).0.total();
            ModelShare {
                model: s.ds.name(m).to_string(),
                calls: n,
                total_tokens: mix.tokens().total(),
                api_value_usd: value,
                share: if total > 0.0 { value / total } else { 0.0 },
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.api_value_usd
            .total_cmp(&a.api_value_usd)
            .then_with(|| b.total_tokens.cmp(&a.total_tokens))
            .then_with(|| a.model.cmp(&b.model))
    });
    rows
}

/// The session's totals: integer sums, each model priced once from them.
fn totals(
    s: &Subject,
    resp: &Responses,
    (turns, loose): (&[Turn], &[SubagentRun]),
    markers: &[Marker],
) -> DetailTotals {
    let (ds, pricing) = (s.ds, s.pricing);
    let run_billing = Billing::new(ds, pricing, s.opts.cost_mode);
    let value_billing = Billing::new(ds, pricing, CostMode::Calculate);
    let (mut all, mut main, mut sub) = (Mix::default(), Mix::default(), Mix::default());
    let mut bucket = Bucket::default();
    let mut thinking = 0u64;
    for (_, r) in &resp.all {
        bucket.add(r, &run_billing);
        all.add(r, &value_billing);
        thinking += u64::from(r.thinking_chars);
        if r.origin == Origin::Main {
            main.add(r, &value_billing);
        } else {
            sub.add(r, &value_billing);
        }
    }
    let f = bucket.finish(pricing, ds);
    let t: Tokens = f.tokens;
    let count = |kind: &str| markers.iter().filter(|m| m.kind == kind).count() as u64;
    let (tool_calls, tool_errors) = calls::tool_counts(turns, loose);
    DetailTotals {
        tokens: t.into(),
        cache_write_5m_tokens: t.cache_write_5m,
        cache_write_1h_tokens: t.cache_write_1h,
        api_value_usd: all.values(ds, pricing).0.total(),
        cost_usd: f.cost,
        unpriced_models: f.unpriced,
        main_tokens: main.tokens().into(),
        main_api_value_usd: main.values(ds, pricing).0.total(),
        subagent_tokens: sub.tokens().into(),
        subagent_api_value_usd: sub.values(ds, pricing).0.total(),
        turns: turns.len() as u64,
        calls: resp.all.len() as u64,
        main_calls: resp.main.len() as u64,
        subagent_runs: calls::run_count(turns, loose),
        tool_calls,
        tool_errors,
        thinking_chars: thinking,
        api_errors: count(markers::API_ERROR),
        interrupts: count(markers::INTERRUPT),
        compactions: count(markers::COMPACTION),
    }
}
