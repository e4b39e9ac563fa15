//! The HTML recap's data: a bounded, privacy-filtered view of a full report. It picks
//! what a one-page recap shows (the heaviest sessions, the top runs, projects and
//! recurring inclusions; every day of the window), folds the rest into "other" rows, and
//! passes every transcript string through `redact::Privacy` exactly once. The HTML
//! renderer draws this and embeds it as JSON; nothing here formats or prints.

pub mod drill;
pub mod redact;
pub mod sections;

use super::cache::CacheEfficiency;
use super::turns::CompactCandidate;
use super::value::Composition;
use super::{Analysis, Body, Generator, PricingInfo, Report, WindowInfo};
use crate::model::diagnostics::Diagnostics;
use crate::time::Timestamp;
use chrono::NaiveDate;
use redact::{Privacy, Redactions};
use sections::{
    ActivityView, OpusView, RecurringRow, SubagentView, activity, opus, recurring_row, subagents,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// How many rows each list keeps; the rest is counted (and summed where that means
/// something) so nothing disappears silently.
pub const LIMITS: Limits = Limits {
    projects: 10,
    sessions: 5,
    runs: 15,
    types: 20,
    flags: 10,
    opus_rows: 10,
    recurring: 15,
    compact: 10,
    tools: 20,
    slowest: 5,
    files: 10,
    repositories: 10,
};

#[derive(Clone, Copy, Debug, Serialize)]
pub struct Limits {
    pub projects: usize,
    pub sessions: usize,
    pub runs: usize,
    pub types: usize,
    pub flags: usize,
    pub opus_rows: usize,
    pub recurring: usize,
    pub compact: usize,
    pub tools: usize,
    pub slowest: usize,
    pub files: usize,
    pub repositories: usize,
}

/// Everything the HTML recap shows.
#[derive(Clone, Debug, Serialize)]
pub struct Recap {
    pub schema_version: u32,
    pub generator: Generator,
    pub window: WindowInfo,
    pub pricing: PricingInfo,
    pub privacy: Redactions,
    pub kpis: Kpis,
    pub composition: Composition,
    pub daily: Vec<Day>,
    pub by_model: Vec<ModelValue>,
    pub by_project: Vec<ProjectValue>,
    /// Projects beyond `LIMITS.projects`, summed into one row.
    pub other_projects: Option<ProjectValue>,
    pub heaviest_sessions: Vec<SessionCurve>,
    /// Cache efficiency, its session list cut to 5.
    pub cache: CacheEfficiency,
    pub compact_candidates: Vec<CompactCandidate>,
    pub subagents: SubagentView,
    pub opus: OpusView,
    pub recurring: Vec<RecurringRow>,
    /// Recurring inclusions found in all (listed or not).
    pub recurring_found: usize,
    pub activity: ActivityView,
    /// Single branches, plugins, skills or MCP servers holding at least
    /// `attribution_threshold` of the window's API value.
    pub attribution_highlights: Vec<crate::analyze::attribution::Highlight>,
    pub attribution_threshold: f64,
    /// Drill-down sections (`--sessions N`, `--session ID`).
    pub sessions: Vec<drill::SessionSection>,
    /// The short ids of the sessions with a section: rows naming them link to it.
    pub linked: Vec<String>,
    pub notes: Vec<&'static str>,
    pub diagnostics: Diagnostics,
    pub limits: Limits,
}

#[derive(Clone, Debug, Serialize)]
pub struct Kpis {
    pub total_tokens: u64,
    pub api_value_usd: f64,
    pub sessions: u64,
    pub active_days: u64,
    pub projects: u64,
    pub responses: u64,
    /// Token share of re-reading cached context.
    pub reread_share: f64,
    /// Share of the API value that went to re-reads and cache writes.
    pub overhead_value_share: f64,
    pub cache_hit_rate: f64,
    /// Sub-agents' share of the API value (list prices).
    pub subagent_share: f64,
    pub opus_sonnet_shaped_share: Option<f64>,
    pub unpriced_models: Vec<String>,
}

/// One calendar day of the window (zero on days without use).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Day {
    pub date: NaiveDate,
    pub cache_read_tokens: u64,
    pub cache_write_tokens: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub total_tokens: u64,
    pub api_value_usd: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ModelValue {
    pub model: String,
    pub total_tokens: u64,
    pub cost_usd: Option<f64>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ProjectValue {
    pub project: String,
    pub sessions: u64,
    pub total_tokens: u64,
    pub cache_read_tokens: u64,
    pub api_value_usd: f64,
    pub reread_share: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct SessionCurve {
    pub session: String,
    pub project: String,
    pub first_activity: Option<Timestamp>,
    pub total_tokens: u64,
    pub api_value_usd: f64,
    pub main_calls: u64,
    pub peak_context: u64,
    pub calls_per_point: f64,
    /// Context size per main-thread call (bucket maxima when `calls_per_point` > 1).
    pub context_curve: Vec<u64>,
    pub reread_share: f64,
}

/// The attribution section's highlights (none when it did not run).
fn highlights(a: &Analysis) -> Vec<crate::analyze::attribution::Highlight> {
    a.attribution
        .as_ref()
        .map(|x| x.highlights.clone())
        .unwrap_or_default()
}

/// Builds the recap of a full report (`None` when the report ran no analyzers).
pub fn build(report: &Report, privacy: Privacy) -> Option<Recap> {
    let Body::Analysis(a) = &report.body else {
        return None;
    };
    let context = a.context.as_ref()?;
    let p = privacy;
    let (by_project, other_projects) = projects(context, p);
    Some(Recap {
        schema_version: 1,
        generator: report.generator.clone(),
        window: report.window.clone(),
        pricing: report.pricing.clone(),
        privacy: p.redactions(),
        kpis: kpis(a),
        composition: context.composition.clone(),
        daily: days(context, &report.window),
        by_model: a
            .totals
            .by_model
            .iter()
            .map(|m| ModelValue {
                model: m.model.clone(),
                total_tokens: m.total_tokens,
                cost_usd: m.cost_usd,
            })
            .collect(),
        by_project,
        other_projects,
        heaviest_sessions: heaviest(context, p),
        cache: CacheEfficiency {
            top_sessions: context.cache.top_sessions.iter().take(5).cloned().collect(),
            ..context.cache.clone()
        },
        compact_candidates: context
            .compact_candidates
            .iter()
            .take(LIMITS.compact)
            .map(|c| CompactCandidate {
                session_id: short_id(&c.session_id),
                project: p.project(&c.project, c.cwd.as_deref(), &c.project_dir),
                cwd: None,
                ..c.clone()
            })
            .collect(),
        subagents: subagents(a, p),
        opus: opus(a, p),
        recurring: context
            .recurring
            .iter()
            .take(LIMITS.recurring)
            .map(|r| recurring_row(r, p))
            .collect(),
        recurring_found: context.recurring.len()
            + context.recurring_omitted.values().sum::<u64>() as usize,
        activity: activity(a, p),
        attribution_highlights: highlights(a),
        attribution_threshold: crate::analyze::attribution::LARGE_SHARE,
        sessions: drill::sections(&a.session_details),
        linked: a
            .session_details
            .iter()
            .map(|d| d.short_id.clone())
            .collect(),
        notes: vec![
            context.notes.lower_bounds,
            context.notes.api_value_weighting,
            context.notes.estimates,
        ],
        diagnostics: Diagnostics {
            problem_paths: report
                .diagnostics
                .problem_paths
                .iter()
                .map(|x| p.path(x))
                .collect(),
            ..report.diagnostics.clone()
        },
        limits: LIMITS,
    })
}

fn kpis(a: &Analysis) -> Kpis {
    let t = &a.totals;
    let c = a.context.as_ref().map(|c| &c.composition);
    Kpis {
        total_tokens: t.total_tokens,
        api_value_usd: t.cost_usd,
        sessions: t.sessions,
        active_days: t.active_days,
        projects: t.projects,
        responses: t.responses,
        reread_share: c.map_or(0.0, |c| c.shares.cache_read),
        overhead_value_share: c.map_or(0.0, |c| {
            c.api_value_shares.cache_read + c.api_value_shares.cache_write
        }),
        cache_hit_rate: a.context.as_ref().map_or(0.0, |c| c.cache.hit_rate),
        subagent_share: a.subagents.as_ref().map_or(0.0, |s| s.api_value_share),
        opus_sonnet_shaped_share: a
            .opus_audit
            .as_ref()
            .filter(|o| o.opus_tokens > 0)
            .map(|o| o.sonnet_shaped_share),
        unpriced_models: t.unpriced_models.clone(),
    }
}

/// Every date of the window (from the first or to the last active day when the window is
/// open at that end).
fn days(c: &super::context::ContextReport, w: &WindowInfo) -> Vec<Day> {
    let by_date: BTreeMap<NaiveDate, &Composition> = c
        .by_day
        .iter()
        .filter_map(|d| Some((d.date?, &d.composition)))
        .collect();
    let first = w.since.or_else(|| by_date.keys().next().copied());
    let last = w.until.or_else(|| by_date.keys().next_back().copied());
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    let unused = Composition::default();
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|date| {
            let comp = by_date.get(&date).copied().unwrap_or(&unused);
            Day {
                cache_read_tokens: comp.cache_read_tokens,
                cache_write_tokens: comp.cache_write_tokens,
                input_tokens: comp.input_tokens,
                output_tokens: comp.output_tokens,
                total_tokens: comp.total_tokens,
                api_value_usd: comp.api_value_usd.total,
                date,
            }
        })
        .collect()
}

/// The projects by API value, and the rest summed into one row.
fn projects(
    c: &super::context::ContextReport,
    p: Privacy,
) -> (Vec<ProjectValue>, Option<ProjectValue>) {
    let mut rows: Vec<ProjectValue> = c
        .by_project
        .iter()
        .map(|r| ProjectValue {
            project: p.project(&r.project, r.cwd.as_deref(), &r.project_dir),
            sessions: r.sessions,
            total_tokens: r.composition.total_tokens,
            cache_read_tokens: r.composition.cache_read_tokens,
            api_value_usd: r.composition.api_value_usd.total,
            reread_share: r.composition.shares.cache_read,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.api_value_usd
            .total_cmp(&a.api_value_usd)
            .then_with(|| b.total_tokens.cmp(&a.total_tokens))
            .then_with(|| a.project.cmp(&b.project))
    });
    if rows.len() <= LIMITS.projects {
        return (rows, None);
    }
    let rest = rows.split_off(LIMITS.projects);
    let mut other = ProjectValue {
        project: crate::render::fmt::plural(rest.len() as u64, "other project"),
        sessions: 0,
        total_tokens: 0,
        cache_read_tokens: 0,
        api_value_usd: 0.0,
        reread_share: 0.0,
    };
    for r in &rest {
        other.sessions += r.sessions;
        other.total_tokens += r.total_tokens;
        other.cache_read_tokens += r.cache_read_tokens;
        other.api_value_usd += r.api_value_usd;
    }
    other.reread_share = super::ratio(other.cache_read_tokens, other.total_tokens);
    (rows, Some(other))
}

/// The sessions with the most tokens, with their context-growth curves.
fn heaviest(c: &super::context::ContextReport, p: Privacy) -> Vec<SessionCurve> {
    let mut order: Vec<&super::context::SessionContext> = c.sessions.iter().collect();
    order.sort_by(|a, b| {
        b.composition
            .total_tokens
            .cmp(&a.composition.total_tokens)
            .then_with(|| a.session_id.cmp(&b.session_id))
    });
    order
        .into_iter()
        .filter(|s| !s.main.context_curve.is_empty())
        .take(LIMITS.sessions)
        .map(|s| SessionCurve {
            session: short_id(&s.session_id),
            project: p.project(&s.project, s.cwd.as_deref(), &s.project_dir),
            first_activity: s.first_activity,
            total_tokens: s.composition.total_tokens,
            api_value_usd: s.composition.api_value_usd.total,
            main_calls: s.main.main_calls,
            peak_context: s.main.peak_context,
            calls_per_point: s.main.calls_per_point,
            context_curve: s.main.context_curve.clone(),
            reread_share: s.main.reread_share,
        })
        .collect()
}

/// The first 8 characters of a session id: enough to find it, short enough to share.
pub(crate) fn short_id(id: &str) -> String {
    id.chars().take(8).collect()
}
