//! Analyzers: plain functions from the `Dataset` (plus prices and `Options`) to
//! `#[derive(Serialize)]` report data, and the report they make up (`Report`, `Analysis`).
//! They never print and never read files; they import `model`, `pricing`, `time` and
//! `options`, never `scan`, `cli`, `config` or `render` (the number formats of
//! `render::fmt` aside, for the sentences they carry).

pub mod activity;
pub mod attribution;
pub mod blocks;
pub mod bucket;
pub mod cache;
pub mod card;
pub mod context;
pub mod opus_audit;
pub mod quota;
pub mod recap;
pub mod recurring;
pub mod session;
pub mod statusline;
pub mod subagents;
pub mod summary;
pub mod turns;
pub mod usage;
pub mod value;
pub mod wrapped;

use crate::model::diagnostics::{Diagnostics, UnpricedModel};
use crate::model::{Dataset, Millis};
use crate::options::{BlocksOptions, By, CostMode, Order};
use crate::pricing::Pricing;
use crate::time::{LocalDays, Timestamp, Window, Zone};
use chrono::{NaiveDate, Weekday};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the analyzers are told: the window, the zone and "now", how costs are taken, and
/// the settings of the commands that have their own (`weekly`, `blocks`, `card`).
#[derive(Clone, Debug)]
pub struct Options {
    pub window: Window,
    pub zone: Zone,
    pub cost_mode: CostMode,
    pub order: Order,
    pub now_ms: Millis,
    /// The first day of a week (weekly rollups).
    pub week_start: Weekday,
    /// Billing blocks: their length and which to keep.
    pub blocks: BlocksOptions,
    /// The card's 7-day edition.
    pub weekly_card: bool,
    /// Quota snapshots on file, oldest first (`quota`, `watch`; empty for the rest).
    pub quota: Vec<crate::model::quota::QuotaSnapshot>,
    /// `--by`: break usage rows down by this attribution field.
    pub by: Option<By>,
}

impl Options {
    /// The window's `[lo, hi)` bounds in ms (None when it is open at both ends).
    pub fn bounds(&self) -> Option<crate::time::Bounds> {
        self.window.bounds(self.zone)
    }

    /// The length of a billing block in ms.
    pub fn block_ms(&self) -> i64 {
        (self.blocks.hours * 3_600_000.0) as i64
    }
}

/// `a / b` as a share, 0 when `b` is 0.
pub fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The cache hit rate: cache reads over everything that entered a context (uncached
/// input, cache writes and cache reads).
pub fn hit_rate(t: &crate::model::Tokens) -> f64 {
    ratio(t.cache_read, t.input + t.cache_write() + t.cache_read)
}

/// Models without a price among the responses in the window.
pub fn unpriced_models(ds: &Dataset, pricing: &Pricing, opts: &Options) -> Vec<UnpricedModel> {
    if opts.cost_mode == CostMode::Display {
        return Vec::new();
    }
    let billing = bucket::Billing::new(ds, pricing, opts.cost_mode);
    let mut acc: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for r in usage::in_window(ds, opts) {
        if opts.cost_mode == CostMode::Auto && r.recorded_cost.get().is_some() {
            continue;
        }
        if !billing.is_priced(r.model) {
            let name = ds.name(r.model);
            let e = acc.entry(name).or_default();
            e.0 += 1;
            e.1 += r.tokens.total();
        }
    }
    acc.into_iter()
        .map(|(m, (n, t))| UnpricedModel {
            model: m.to_string(),
            responses: n,
            total_tokens: t,
        })
        .collect()
}

/// Responses without a time (after dedupe), and their tokens. Responses are sorted with
/// the undated ones last.
pub fn undated(ds: &Dataset) -> (u64, u64) {
    ds.responses
        .iter()
        .rev()
        .take_while(|r| r.ts.is_none())
        .fold((0, 0), |(n, t), r| (n + 1, t + r.tokens.total()))
}

/// A sum of dollar amounts that is never `-0.0` (an empty `f64` sum is `-0.0`, which JSON
/// would print as `-0.0`).
pub fn usd_sum(values: impl IntoIterator<Item = f64>) -> f64 {
    values.into_iter().fold(0.0, |a, b| a + b) + 0.0
}

/// Responses dated more than 24 h after "now".
pub fn future_dated(ds: &Dataset, now_ms: Millis) -> u64 {
    ds.responses
        .iter()
        .filter(|r| r.ts.is_some_and(|t| t > now_ms + 24 * 3_600_000))
        .count() as u64
}

/// The `pricing` object every JSON output carries.
#[derive(Clone, Debug, Serialize)]
pub struct PricingInfo {
    pub source: &'static str,
    pub as_of: String,
    pub currency: String,
    pub cost_mode: CostMode,
    pub long_context_rule: &'static str,
}

impl PricingInfo {
    pub fn new(p: &Pricing, mode: CostMode) -> Self {
        PricingInfo {
            source: "embedded",
            as_of: p.as_of().to_string(),
            currency: p.currency().to_string(),
            cost_mode: mode,
            long_context_rule: "whole request at the long-context rate when its prompt exceeds the model's threshold",
        }
    }
}

/// The report a command produces: its rows in ccusage's shape, or the analyzers'
/// document, plus what it covers and how complete it is.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    #[serde(flatten)]
    pub body: Body,
    pub schema_version: u32,
    pub generator: Generator,
    pub window: WindowInfo,
    pub pricing: PricingInfo,
    pub diagnostics: Diagnostics,
}

impl Report {
    /// Puts the report together, once: the body, the window and prices it used, and the
    /// scan's diagnostics with the two checks only analysis can make (models without a
    /// price, responses dated after "now").
    pub fn new(
        body: Body,
        ds: &Dataset,
        pricing: &Pricing,
        opts: &Options,
        scan: Diagnostics,
    ) -> Report {
        Report {
            body,
            schema_version: 1,
            generator: Generator::default(),
            window: WindowInfo::new(opts),
            pricing: PricingInfo::new(pricing, opts.cost_mode),
            diagnostics: {
                let (undated_responses, undated_tokens) = undated(ds);
                Diagnostics {
                    unpriced_models: unpriced_models(ds, pricing, opts),
                    future_dated: future_dated(ds, opts.now_ms),
                    undated_responses,
                    undated_tokens,
                    ..scan
                }
            },
        }
    }
}

/// The rows, keyed as ccusage keys them.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Body {
    Daily {
        daily: Vec<usage::PeriodRow>,
        totals: usage::Sums,
    },
    Weekly {
        weekly: Vec<usage::PeriodRow>,
        totals: usage::Sums,
    },
    Monthly {
        monthly: Vec<usage::PeriodRow>,
        totals: usage::Sums,
    },
    Session {
        sessions: Vec<usage::SessionRow>,
        totals: usage::Sums,
    },
    Blocks {
        blocks: Vec<blocks::BlockRow>,
        /// What an empty list means in words (no active block, none recent), for people.
        #[serde(skip)]
        empty: Option<String>,
    },
    /// The analyzers' document (`ccrecap --json`, `ccrecap context --json`, ...).
    Analysis(Box<Analysis>),
    /// One session's drill-down (`ccrecap session --id`).
    Detail {
        session_detail: Box<session::SessionDetail>,
    },
}

impl Body {
    /// Period rows and their totals (daily, weekly, monthly).
    pub fn periods(&self) -> Option<(&[usage::PeriodRow], &usage::Sums)> {
        match self {
            Body::Daily { daily: r, totals }
            | Body::Weekly { weekly: r, totals }
            | Body::Monthly { monthly: r, totals } => Some((r, totals)),
            _ => None,
        }
    }

    pub fn sessions(&self) -> Option<(&[usage::SessionRow], &usage::Sums)> {
        match self {
            Body::Session { sessions, totals } => Some((sessions, totals)),
            _ => None,
        }
    }

    pub fn blocks(&self) -> Option<&[blocks::BlockRow]> {
        match self {
            Body::Blocks { blocks, .. } => Some(blocks),
            _ => None,
        }
    }

    /// What an empty block list means, when the blocks were filtered.
    pub fn empty_blocks(&self) -> Option<&str> {
        match self {
            Body::Blocks { empty, .. } => empty.as_deref(),
            _ => None,
        }
    }

    pub fn detail(&self) -> Option<&session::SessionDetail> {
        match self {
            Body::Detail { session_detail } => Some(session_detail),
            _ => None,
        }
    }

    pub fn analysis(&self) -> Option<&Analysis> {
        match self {
            Body::Analysis(a) => Some(a),
            _ => None,
        }
    }
}

/// The analyzers' document: totals plus one section per analyzer that ran. Each section is
/// filled by its `command::Section`; its field name is its JSON key.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Analysis {
    pub totals: Totals,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<context::ContextReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subagents: Option<subagents::SubagentsReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opus_audit: Option<opus_audit::OpusAudit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<activity::Activity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<attribution::AttributionReport>,
    /// The full report's own findings (the top recurring inclusion, the top flagged run
    /// and one next step).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<summary::Summary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card: Option<card::Card>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quota: Option<quota::QuotaReport>,
    /// The year in review (`wrapped`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wrapped: Option<wrapped::Wrapped>,
    /// Sessions drilled into (`html --sessions N`, `--session ID`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub session_details: Vec<session::SessionDetail>,
}

/// What the window holds, in the analyzers' field names.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Totals {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_read_tokens: u64,
    pub cache_write_tokens: u64,
    pub cache_write_5m_tokens: u64,
    pub cache_write_1h_tokens: u64,
    pub total_tokens: u64,
    /// USD of priced models in the run's cost mode (a lower bound when `unpriced_models`
    /// is not empty).
    pub cost_usd: f64,
    pub unpriced_models: Vec<String>,
    pub responses: u64,
    pub sessions: u64,
    pub projects: u64,
    /// Local dates with at least one response.
    pub active_days: u64,
    /// Tokens and cost per model, most expensive first (`cost_usd` null when unpriced).
    pub by_model: Vec<ModelTotal>,
}

/// One model's tokens and cost in the window.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ModelTotal {
    pub model: String,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_read_tokens: u64,
    pub cache_write_tokens: u64,
    pub total_tokens: u64,
    pub cost_usd: Option<f64>,
}

impl Totals {
    pub fn new(ds: &Dataset, pricing: &Pricing, opts: &Options) -> Totals {
        let billing = bucket::Billing::new(ds, pricing, opts.cost_mode);
        let mut b = bucket::Bucket::default();
        let mut sessions = std::collections::BTreeSet::new();
        let mut projects = std::collections::BTreeSet::new();
        let mut days = std::collections::BTreeSet::new();
        let mut local = LocalDays::new(opts.zone);
        for r in usage::in_window(ds, opts) {
            b.add(r, &billing);
            sessions.insert((r.project, r.session));
            projects.insert(r.project);
            if let Some(t) = r.ts {
                days.insert(local.date_of(t));
            }
        }
        let f = b.finish(pricing, ds);
        let t = f.tokens;
        Totals {
            input_tokens: t.input,
            output_tokens: t.output,
            cache_read_tokens: t.cache_read,
            cache_write_tokens: t.cache_write(),
            cache_write_5m_tokens: t.cache_write_5m,
            cache_write_1h_tokens: t.cache_write_1h,
            total_tokens: t.total(),
            cost_usd: f.cost,
            unpriced_models: f.unpriced.clone(),
            responses: b.entries,
            sessions: sessions.len() as u64,
            projects: projects.len() as u64,
            active_days: days.len() as u64,
            by_model: f
                .models
                .iter()
                .map(|m| ModelTotal {
                    model: m.model_name.clone(),
                    input_tokens: m.input_tokens,
                    output_tokens: m.output_tokens,
                    cache_read_tokens: m.cache_read_tokens,
                    cache_write_tokens: m.cache_creation_tokens,
                    total_tokens: m.total_tokens,
                    cost_usd: m.cost,
                })
                .collect(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Generator {
    pub name: &'static str,
    pub version: &'static str,
}

impl Default for Generator {
    fn default() -> Self {
        Generator {
            name: "ccrecap",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// The window a report covers.
#[derive(Clone, Debug, Serialize)]
pub struct WindowInfo {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub timezone: String,
    pub now: Timestamp,
}

impl WindowInfo {
    pub fn new(opts: &Options) -> Self {
        WindowInfo {
            since: opts.window.since,
            until: opts.window.until,
            timezone: opts.zone.name(),
            now: Timestamp(opts.now_ms),
        }
    }
}
