//! Usage rollups users know from ccusage: per day, week, month and session, with token
//! totals, cost and per-model breakdowns. Rows serialize in the shape of
//! `ccusage claude <report> --json` (20.0.24): `daily[].date`, `inputTokens`, ...,
//! `totalCost`, `modelsUsed`, `modelBreakdowns`, `totals`; extra fields are additions.

use super::Options;
use super::attribution::{ByBuckets, ByRow};
use super::bucket::{Billing, Bucket, ModelRow};
use crate::model::{Dataset, Millis, Response, Sym, Tokens};
use crate::options::{By, Order};
use crate::pricing::Pricing;
use crate::time::{LocalDays, Timestamp, week_start};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;
use std::collections::BTreeMap;

/// How to group responses into periods.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Period {
    Day,
    Week(Weekday),
    Month,
}

/// A row's period: its first day, serialized under its ccusage key (`"date":
/// "2026-11-15"`, `"week": ...`, `"month": "2026-11"`). Responses without a time belong
/// to no period: they count in the totals only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PeriodKey {
    Date(NaiveDate),
    Week(NaiveDate),
    Month(NaiveDate),
}

impl PeriodKey {
    /// The key ccusage writes it under.
    pub fn key(self) -> &'static str {
        match self {
            PeriodKey::Date(_) => "date",
            PeriodKey::Week(_) => "week",
            PeriodKey::Month(_) => "month",
        }
    }

    /// The period as ccusage names it: its first day (a month by year and month).
    pub fn label(self) -> String {
        match self {
            PeriodKey::Date(d) | PeriodKey::Week(d) => d.to_string(),
            PeriodKey::Month(d) => d.format("%Y-%m").to_string(),
        }
    }
}

impl Serialize for PeriodKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.key(), &self.label())?;
        m.end()
    }
}

/// One period.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PeriodRow {
    #[serde(flatten)]
    pub period: PeriodKey,
    #[serde(flatten)]
    pub sums: Sums,
    pub models_used: Vec<String>,
    pub model_breakdowns: Vec<ModelRow>,
    /// `--by`: a row per value of the field (`branchBreakdowns`, ...).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub by: Option<ByBreakdowns>,
}

/// The rows of `--by` under a period or session, keyed by the field.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub enum ByBreakdowns {
    #[serde(rename = "branchBreakdowns")]
    Branch(Vec<ByRow>),
    #[serde(rename = "pluginBreakdowns")]
    Plugin(Vec<ByRow>),
    #[serde(rename = "skillBreakdowns")]
    Skill(Vec<ByRow>),
    #[serde(rename = "mcpBreakdowns")]
    Mcp(Vec<ByRow>),
}

impl ByBreakdowns {
    fn new(by: By, rows: Vec<ByRow>) -> ByBreakdowns {
        match by {
            By::Branch => ByBreakdowns::Branch(rows),
            By::Plugin => ByBreakdowns::Plugin(rows),
            By::Skill => ByBreakdowns::Skill(rows),
            By::Mcp => ByBreakdowns::Mcp(rows),
        }
    }

    pub fn rows(&self) -> &[ByRow] {
        match self {
            ByBreakdowns::Branch(r)
            | ByBreakdowns::Plugin(r)
            | ByBreakdowns::Skill(r)
            | ByBreakdowns::Mcp(r) => r,
        }
    }
}

/// A bucket and, under `--by`, its groups by value.
#[derive(Default)]
struct Group {
    bucket: Bucket,
    by: ByBuckets,
}

impl Group {
    fn add(&mut self, ds: &Dataset, r: &Response, billing: &Billing, by: Option<By>) {
        self.bucket.add(r, billing);
        if let Some(by) = by {
            self.by.add(ds, r, by, billing);
        }
    }

    fn breakdowns(&self, ds: &Dataset, pricing: &Pricing, by: Option<By>) -> Option<ByBreakdowns> {
        by.map(|by| ByBreakdowns::new(by, self.by.finish(ds, pricing)))
    }
}

/// Token sums and cost, as ccusage names them.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Sums {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_creation_tokens: u64,
    pub cache_read_tokens: u64,
    pub total_tokens: u64,
    /// USD of priced models (a lower bound when `unpricedModels` is not empty).
    pub total_cost: f64,
    pub cache_creation_5m_tokens: u64,
    pub cache_creation_1h_tokens: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unpriced_models: Vec<String>,
}

impl Sums {
    pub fn new(t: Tokens, cost: f64, unpriced: Vec<String>) -> Sums {
        Sums {
            input_tokens: t.input,
            output_tokens: t.output,
            cache_creation_tokens: t.cache_write(),
            cache_read_tokens: t.cache_read,
            total_tokens: t.total(),
            total_cost: cost,
            cache_creation_5m_tokens: t.cache_write_5m,
            cache_creation_1h_tokens: t.cache_write_1h,
            unpriced_models: unpriced,
        }
    }

    fn add(&mut self, o: &Sums) {
        self.input_tokens += o.input_tokens;
        self.output_tokens += o.output_tokens;
        self.cache_creation_tokens += o.cache_creation_tokens;
        self.cache_read_tokens += o.cache_read_tokens;
        self.total_tokens += o.total_tokens;
        self.total_cost += o.total_cost;
        self.cache_creation_5m_tokens += o.cache_creation_5m_tokens;
        self.cache_creation_1h_tokens += o.cache_creation_1h_tokens;
        for m in &o.unpriced_models {
            if !self.unpriced_models.contains(m) {
                self.unpriced_models.push(m.clone());
            }
        }
    }
}

/// One session.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SessionRow {
    pub session_id: String,
    /// The project's directory under `projects/`, as ccusage fills it.
    pub project_path: String,
    /// The project's display name (`model::projects`).
    pub project: String,
    pub first_activity: Option<Timestamp>,
    pub last_activity: Option<Timestamp>,
    #[serde(flatten)]
    pub sums: Sums,
    pub models_used: Vec<String>,
    pub model_breakdowns: Vec<ModelRow>,
    /// Responses counted (after dedupe).
    pub responses: u64,
    /// `--by`: a row per value of the field (`branchBreakdowns`, ...).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub by: Option<ByBreakdowns>,
}

/// Responses in the window, in time order. Responses are sorted by time (undated ones
/// last), so the window is one slice, found by binary search on the bounds of its local
/// days; undated responses belong only to an open window.
pub fn in_window<'a>(ds: &'a Dataset, opts: &Options) -> &'a [Response] {
    &ds.responses[window_range(ds, opts)]
}

/// The positions in `ds.responses` of the window's responses.
pub fn window_range(ds: &Dataset, opts: &Options) -> std::ops::Range<usize> {
    let all = &ds.responses[..];
    let Some((lo, hi)) = opts.bounds() else {
        return 0..all.len();
    };
    let dated = all.partition_point(|r| r.ts.is_some());
    let ts = |r: &Response| r.ts.unwrap_or(Millis::MAX);
    let from = all[..dated].partition_point(|r| ts(r) < lo);
    let to = all[..dated].partition_point(|r| ts(r) < hi);
    from..to.max(from)
}

/// Rolls responses up by period. Responses without a time form no row; they count in
/// the totals (and in `diagnostics.undated_tokens`).
pub fn periods(
    ds: &Dataset,
    pricing: &Pricing,
    opts: &Options,
    period: Period,
) -> (Vec<PeriodRow>, Sums) {
    let billing = Billing::new(ds, pricing, opts.cost_mode);
    let mut days = LocalDays::new(opts.zone);
    let mut buckets: BTreeMap<NaiveDate, Group> = BTreeMap::new();
    let mut undated = Bucket::default();
    for r in in_window(ds, opts) {
        match r.ts {
            Some(ts) => buckets
                .entry(period_start(days.date_of(ts), period))
                .or_default()
                .add(ds, r, &billing, opts.by),
            None => undated.add(r, &billing),
        }
    }
    let mut rows: Vec<PeriodRow> = buckets
        .into_iter()
        .map(|(start, g)| {
            let f = g.bucket.finish(pricing, ds);
            PeriodRow {
                period: period_name(start, period),
                models_used: f.models_used(),
                sums: Sums::new(f.tokens, f.cost, f.unpriced),
                model_breakdowns: f.models,
                by: g.breakdowns(ds, pricing, opts.by),
            }
        })
        .collect();
    if opts.order == Order::Desc {
        rows.reverse();
    }
    let f = undated.finish(pricing, ds);
    let undated = Sums::new(f.tokens, f.cost, f.unpriced);
    let totals = total(rows.iter().map(|r| &r.sums).chain([&undated]));
    (rows, totals)
}

/// The first day of the period `d` falls in.
fn period_start(d: NaiveDate, period: Period) -> NaiveDate {
    match period {
        Period::Day => d,
        Period::Week(start) => week_start(d, start),
        Period::Month => d.with_day(1).unwrap_or(d),
    }
}

/// The period's key.
fn period_name(start: NaiveDate, period: Period) -> PeriodKey {
    match period {
        Period::Day => PeriodKey::Date(start),
        Period::Week(_) => PeriodKey::Week(start),
        Period::Month => PeriodKey::Month(start),
    }
}

/// Rolls responses up by session (project directory, `sessionId`); most expensive first.
pub fn sessions(ds: &Dataset, pricing: &Pricing, opts: &Options) -> (Vec<SessionRow>, Sums) {
    let billing = Billing::new(ds, pricing, opts.cost_mode);
    let mut buckets: BTreeMap<(Sym, Sym), Group> = BTreeMap::new();
    for r in in_window(ds, opts) {
        buckets
            .entry((r.project, r.session))
            .or_default()
            .add(ds, r, &billing, opts.by);
    }
    let mut rows: Vec<SessionRow> = buckets
        .into_iter()
        .map(|((project, session), g)| {
            let b = &g.bucket;
            let f = b.finish(pricing, ds);
            SessionRow {
                session_id: ds.name(session).to_string(),
                project_path: ds.name(project).to_string(),
                project: ds.project_name(project).to_string(),
                first_activity: b.first_ts.map(Timestamp),
                last_activity: b.last_ts.map(Timestamp),
                models_used: f.models_used(),
                sums: Sums::new(f.tokens, f.cost, f.unpriced),
                model_breakdowns: f.models,
                responses: b.entries,
                by: g.breakdowns(ds, pricing, opts.by),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.sums
            .total_cost
            .total_cmp(&a.sums.total_cost)
            .then_with(|| b.sums.total_tokens.cmp(&a.sums.total_tokens))
            .then_with(|| a.session_id.cmp(&b.session_id))
            .then_with(|| a.project_path.cmp(&b.project_path))
    });
    if opts.order == Order::Desc {
        rows.reverse();
    }
    let totals = total(rows.iter().map(|r| &r.sums));
    (rows, totals)
}

fn total<'a>(rows: impl Iterator<Item = &'a Sums>) -> Sums {
    let mut t = Sums::default();
    for s in rows {
        t.add(s);
    }
    t
}
