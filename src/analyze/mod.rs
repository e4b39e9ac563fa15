//! Analyzers: plain functions from the `Dataset` (plus prices and options) to
//! `#[derive(Serialize)]` report data. They never print, never read files and never
//! import `render`, `scan` or `cli` types beyond the resolved options they are given.

pub mod blocks;
pub mod bucket;
pub mod usage;

use crate::cli::{CostMode, Order};
use crate::config::{Window, Zone};
use crate::model::{Dataset, Millis};
use crate::pricing::Pricing;
use crate::scan::diagnostics::UnpricedModel;
use serde::Serialize;
use std::collections::BTreeMap;

/// Options every usage analyzer shares.
#[derive(Clone, Debug)]
pub struct UsageOptions {
    pub window: Window,
    pub zone: Zone,
    pub cost_mode: CostMode,
    pub order: Order,
    pub now_ms: Millis,
    /// Billing block length in ms.
    pub block_ms: i64,
}

/// Formats ms since the epoch as `2026-11-13T08:00:00.000Z`.
pub fn iso_ms(ms: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// Models without a price among the responses in the window.
pub fn unpriced_models(ds: &Dataset, pricing: &Pricing, opts: &UsageOptions) -> Vec<UnpricedModel> {
    if opts.cost_mode == CostMode::Display {
        return Vec::new();
    }
    let rates = bucket::Rates::new(ds, pricing, opts.cost_mode);
    let mut acc: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for r in usage::in_window(ds, opts) {
        if opts.cost_mode == CostMode::Auto && r.recorded_cost.is_some() {
            continue;
        }
        if !rates.is_priced(r.model) {
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

/// The report a usage command produces: its rows in ccusage's shape plus our metadata.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    #[serde(flatten)]
    pub body: Body,
    pub schema_version: u32,
    pub generator: Generator,
    pub window: WindowInfo,
    pub pricing: PricingInfo,
    pub diagnostics: crate::scan::diagnostics::Diagnostics,
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
    },
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
    pub since: Option<String>,
    pub until: Option<String>,
    pub timezone: String,
    pub now: String,
}

impl WindowInfo {
    pub fn new(opts: &UsageOptions) -> Self {
        WindowInfo {
            since: opts.window.since.map(|d| d.to_string()),
            until: opts.window.until.map(|d| d.to_string()),
            timezone: opts.zone.name(),
            now: iso_ms(opts.now_ms),
        }
    }
}
