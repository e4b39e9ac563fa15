//! The year in review (`ccrecap wrapped`): one calendar year's tokens by class and API
//! value (the daily rollup's sums, so they equal `daily` over the same days), the top
//! models and projects, the busiest days, the longest streak of active days, the quota
//! card's efficiency tier for the year and for each month, the sub-agent share, the Opus
//! audit's headline and the contribution calendar. It runs the existing analyzers on the
//! year's window (`usage`, `Totals`, `card`, `subagents`, `opus_audit`) and keeps their
//! headline numbers; ledger records count like transcript lines. `page` makes the
//! paste-safe view the HTML page and the SVG card are drawn from.

pub mod calendar;
pub mod page;

use super::bucket::{Billing, Bucket};
use super::card::{self, Streak, Tier};
use super::usage::{self, Period, PeriodKey, PeriodRow};
use super::value::{Composition, Mix};
use super::{Options, Totals, opus_audit, subagents};
use crate::model::{Dataset, Sym};
use crate::options::CostMode;
use crate::pricing::Pricing;
use crate::time::LocalDays;
use calendar::{Calendar, DayFigure};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Models and projects named before the rest is counted.
pub const TOP: usize = 5;

/// The `wrapped` section.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Wrapped {
    pub year: i32,
    /// The first and last local dates with use in the year.
    pub first_active: Option<NaiveDate>,
    pub last_active: Option<NaiveDate>,
    /// Tokens by class and their API value at list prices (each class at its model's
    /// rate, as the quota card weighs them).
    pub composition: Composition,
    /// USD in the run's cost mode (`daily`'s `totalCost` summed over the year; a lower
    /// bound when `unpriced_models` is not empty).
    pub api_value_usd: f64,
    pub unpriced_models: Vec<String>,
    pub responses: u64,
    pub sessions: u64,
    pub projects: u64,
    pub active_days: u64,
    /// The `TOP` models with the most tokens, and how many more there were.
    pub top_models: Vec<ModelShare>,
    pub other_models: u64,
    /// The `TOP` projects with the most API value, and how many more there were.
    pub top_projects: Vec<ProjectShare>,
    pub other_projects: u64,
    /// The day with the most tokens, and the day with the most API value.
    pub busiest_day: Option<DayFigure>,
    pub costliest_day: Option<DayFigure>,
    /// The longest run of consecutive active local days.
    pub longest_streak: Option<Streak>,
    /// The quota card's efficiency tier of the year (None without priced use).
    pub tier: Option<Tier>,
    /// January to December.
    pub months: Vec<MonthFigure>,
    pub subagents: SubagentSummary,
    pub opus: OpusSummary,
    pub calendar: Calendar,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ModelShare {
    pub model: String,
    pub total_tokens: u64,
    pub token_share: f64,
    /// None: the model has no price.
    pub api_value_usd: Option<f64>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ProjectShare {
    /// The display name (`model::projects`).
    pub project: String,
    /// Its directory under `projects/` and working directory (left out of the shareable
    /// page unless `--show-paths`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub project_dir: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    pub sessions: u64,
    pub total_tokens: u64,
    pub api_value_usd: f64,
    /// Of the year's API value.
    pub value_share: f64,
}

/// One calendar month.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct MonthFigure {
    /// `YYYY-MM`.
    pub month: String,
    pub total_tokens: u64,
    pub api_value_usd: f64,
    pub active_days: u64,
    /// The quota card's tier of the month (None: no priced use).
    pub tier: Option<Tier>,
}

/// The sub-agents' part of the year (`subagents`).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct SubagentSummary {
    pub runs: u64,
    pub total_tokens: u64,
    /// USD in the run's cost mode.
    pub cost_usd: f64,
    /// Of the year's API value, at list prices.
    pub api_value_share: f64,
    pub flagged_runs: u64,
    /// The agent type with the most cost.
    pub top_type: Option<AgentTypeShare>,
    /// Spawn calls whose sub-agent transcript is missing (the shares are lower bounds
    /// while any are).
    pub calls_without_transcript: u64,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct AgentTypeShare {
    pub agent_type: String,
    pub runs: u64,
    pub cost_usd: f64,
}

/// The Opus audit's headline (`opus_audit`).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct OpusSummary {
    pub opus_tokens: u64,
    pub opus_turns: u64,
    pub sonnet_shaped_turns: u64,
    /// Of the Opus tokens, in Sonnet-shaped stretches.
    pub sonnet_shaped_share: f64,
    pub opus_api_value_usd: f64,
    pub sonnet_shaped_api_value_usd: f64,
    /// The stretches at the Sonnet rate of the same generation.
    pub sonnet_shaped_at_sonnet_usd: f64,
    /// `sonnet` or `opusplan`, when a change is suggested.
    pub suggestion: Option<&'static str>,
    pub caveat: &'static str,
}

/// The year of the window (the year its first day falls in; the current one when the
/// window is open).
fn year_of(opts: &Options) -> i32 {
    opts.window
        .since
        .or(opts.window.until)
        .unwrap_or_else(|| opts.zone.date_of(opts.now_ms))
        .year()
}

/// The year in review of the window (`wrapped` sets it to one calendar year).
pub fn analyze(ds: &Dataset, pricing: &Pricing, opts: &Options) -> Wrapped {
    let year = year_of(opts);
    let ((days, months), (subs, opus)) = rayon::join(
        || {
            rayon::join(
                || usage::periods(ds, pricing, opts, Period::Day),
                || usage::periods(ds, pricing, opts, Period::Month),
            )
        },
        || {
            rayon::join(
                || subagents::analyze(ds, pricing, opts),
                || opus_audit::analyze(ds, pricing, opts),
            )
        },
    );
    let (totals, (mixes, projects)) = rayon::join(
        || Totals::new(ds, pricing, opts),
        || {
            rayon::join(
                || month_mixes(ds, pricing, opts),
                || projects(ds, pricing, opts),
            )
        },
    );
    let (rows, sums) = days;
    let daily: Vec<DayFigure> = rows.iter().filter_map(day_figure).collect();
    let active: BTreeSet<NaiveDate> = daily.iter().map(|d| d.date).collect();
    let (top_projects, other_projects) = top_projects(projects, sums.total_cost);
    let composition = mixes.year.composition(ds, pricing);
    Wrapped {
        year,
        first_active: active.first().copied(),
        last_active: active.last().copied(),
        api_value_usd: sums.total_cost,
        unpriced_models: sums.unpriced_models.clone(),
        responses: totals.responses,
        sessions: totals.sessions,
        projects: totals.projects,
        active_days: active.len() as u64,
        top_models: top_models(&totals),
        other_models: totals.by_model.len().saturating_sub(TOP) as u64,
        top_projects,
        other_projects,
        busiest_day: calendar::busiest(&daily),
        costliest_day: calendar::costliest(&daily),
        longest_streak: card::longest_streak(&active),
        tier: priced_tier(&composition),
        composition,
        months: month_figures(year, &months.0, &daily, &mixes.months, ds, pricing),
        subagents: subagent_summary(&subs),
        opus: opus_summary(&opus),
        calendar: calendar::calendar(year, &daily),
    }
}

/// A daily row as a day's figure (rows of other periods have none).
fn day_figure(r: &PeriodRow) -> Option<DayFigure> {
    match r.period {
        PeriodKey::Date(date) => Some(DayFigure {
            date,
            total_tokens: r.sums.total_tokens,
            api_value_usd: r.sums.total_cost,
        }),
        _ => None,
    }
}

/// The models with the most tokens, with their share of the year's tokens.
fn top_models(totals: &Totals) -> Vec<ModelShare> {
    let mut models: Vec<&super::ModelTotal> = totals.by_model.iter().collect();
    models.sort_by(|a, b| {
        b.total_tokens
            .cmp(&a.total_tokens)
            .then_with(|| a.model.cmp(&b.model))
    });
    models
        .into_iter()
        .take(TOP)
        .map(|m| ModelShare {
            model: m.model.clone(),
            total_tokens: m.total_tokens,
            token_share: super::ratio(m.total_tokens, totals.total_tokens),
            api_value_usd: m.cost_usd,
        })
        .collect()
}

/// A project's responses in the window: their bucket and sessions.
#[derive(Default)]
struct ProjectAcc {
    bucket: Bucket,
    sessions: BTreeSet<Sym>,
}

/// Every project's tokens, API value (the run's cost mode) and sessions.
fn projects(ds: &Dataset, pricing: &Pricing, opts: &Options) -> Vec<ProjectShare> {
    let billing = Billing::new(ds, pricing, opts.cost_mode);
    let mut acc: BTreeMap<Sym, ProjectAcc> = BTreeMap::new();
    for r in usage::in_window(ds, opts) {
        let a = acc.entry(r.project).or_default();
        a.bucket.add(r, &billing);
        a.sessions.insert(r.session);
    }
    acc.into_iter()
        .map(|(sym, a)| {
            let f = a.bucket.finish(pricing, ds);
            let names = ds.project(sym);
            ProjectShare {
                project: names.display,
                project_dir: ds.name(sym).to_string(),
                cwd: names.cwd,
                sessions: a.sessions.len() as u64,
                total_tokens: f.tokens.total(),
                api_value_usd: f.cost,
                value_share: 0.0,
            }
        })
        .collect()
}

/// The `TOP` projects by API value (then tokens), with their share of `total_usd`, and
/// how many more there were.
fn top_projects(mut rows: Vec<ProjectShare>, total_usd: f64) -> (Vec<ProjectShare>, u64) {
    rows.sort_by(|a, b| {
        b.api_value_usd
            .total_cmp(&a.api_value_usd)
            .then_with(|| b.total_tokens.cmp(&a.total_tokens))
            .then_with(|| a.project.cmp(&b.project))
    });
    let more = rows.len().saturating_sub(TOP) as u64;
    rows.truncate(TOP);
    for r in &mut rows {
        r.value_share = if total_usd > 0.0 {
            r.api_value_usd / total_usd
        } else {
            0.0
        };
    }
    (rows, more)
}

/// The year's token mix at list prices, whole and by month (index 0 = January).
struct Mixes {
    year: Mix,
    months: [Mix; 12],
}

/// Each month's mix (and the year's), for the quota card's tier.
fn month_mixes(ds: &Dataset, pricing: &Pricing, opts: &Options) -> Mixes {
    let billing = Billing::new(ds, pricing, CostMode::Calculate);
    let mut local = LocalDays::new(opts.zone);
    let mut m = Mixes {
        year: Mix::default(),
        months: Default::default(),
    };
    for r in usage::in_window(ds, opts) {
        m.year.add(r, &billing);
        if let Some(t) = r.ts {
            m.months[local.date_of(t).month0() as usize].add(r, &billing);
        }
    }
    m
}

/// The card's tier of a composition, when some of it had a price.
fn priced_tier(comp: &Composition) -> Option<Tier> {
    (comp.api_value_usd.total > 0.0).then(|| card::tier(comp))
}

/// January to December: each month's tokens and API value (the monthly rollup), active
/// days and tier.
fn month_figures(
    year: i32,
    rows: &[PeriodRow],
    daily: &[DayFigure],
    mixes: &[Mix; 12],
    ds: &Dataset,
    pricing: &Pricing,
) -> Vec<MonthFigure> {
    let by_month: BTreeMap<u32, &PeriodRow> = rows
        .iter()
        .filter_map(|r| match r.period {
            PeriodKey::Month(d) if d.year() == year => Some((d.month0(), r)),
            _ => None,
        })
        .collect();
    (0..12u32)
        .map(|m0| {
            let row = by_month.get(&m0);
            MonthFigure {
                month: format!("{year:04}-{:02}", m0 + 1),
                total_tokens: row.map_or(0, |r| r.sums.total_tokens),
                api_value_usd: row.map_or(0.0, |r| r.sums.total_cost),
                active_days: daily.iter().filter(|d| d.date.month0() == m0).count() as u64,
                tier: priced_tier(&mixes[m0 as usize].composition(ds, pricing)),
            }
        })
        .collect()
}

fn subagent_summary(s: &subagents::SubagentsReport) -> SubagentSummary {
    let mut by_type: BTreeMap<&str, (u64, f64)> = BTreeMap::new();
    for row in &s.by_type {
        let e = by_type.entry(row.agent_type.as_str()).or_default();
        e.0 += row.runs;
        e.1 += row.cost_usd;
    }
    let top_type = by_type
        .into_iter()
        .max_by(|a, b| a.1.1.total_cmp(&b.1.1).then_with(|| b.0.cmp(a.0)))
        .map(|(t, (runs, cost))| AgentTypeShare {
            agent_type: t.to_string(),
            runs,
            cost_usd: cost,
        });
    SubagentSummary {
        runs: s.runs.len() as u64,
        total_tokens: s.tokens.total_tokens,
        cost_usd: s.cost_usd,
        api_value_share: s.api_value_share,
        flagged_runs: s.flagged_runs,
        top_type,
        calls_without_transcript: s.missing.calls_without_transcript,
    }
}

fn opus_summary(o: &opus_audit::OpusAudit) -> OpusSummary {
    OpusSummary {
        opus_tokens: o.opus_tokens,
        opus_turns: o.opus_turns,
        sonnet_shaped_turns: o.sonnet_shaped_turns,
        sonnet_shaped_share: o.sonnet_shaped_share,
        opus_api_value_usd: o.opus_api_value_usd,
        sonnet_shaped_api_value_usd: o.sonnet_shaped_api_value_usd,
        sonnet_shaped_at_sonnet_usd: o.sonnet_shaped_at_sonnet_usd,
        suggestion: o.suggestion.model,
        caveat: o.caveat,
    }
}
