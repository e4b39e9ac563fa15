//! Accumulating responses into a bucket (a day, week, month, session or block) and turning
//! it into a row: integer token sums per model, and cost computed once per model from those
//! sums (split into standard and long-context requests, plus any `costUSD` recorded by old
//! transcripts in `auto`/`display` mode). Unknown models keep their tokens and get no
//! cost (`None`), never $0.

use crate::model::{Dataset, Millis, Response, Sym, Tokens};
use crate::options::CostMode;
use crate::pricing::Pricing;
use serde::Serialize;
use std::collections::BTreeMap;

/// How each response is billed: whether its model has a price and above which prompt size
/// the long-context rate applies (resolved once per distinct model name rather than per
/// response), and the cost mode.
pub struct Billing<'a> {
    pub pricing: &'a Pricing,
    pub mode: CostMode,
    /// By model `Sym`: `None` = not a response model; `Some(None)` = unpriced;
    /// `Some(Some(t))` = priced, long-context above `t` tokens (`u64::MAX`: no tier).
    models: Vec<Option<Option<u64>>>,
}

impl<'a> Billing<'a> {
    pub fn new(ds: &Dataset, pricing: &'a Pricing, mode: CostMode) -> Billing<'a> {
        let used = ds.response_models();
        let len = used
            .iter()
            .map(|m| m.index() as usize + 1)
            .max()
            .unwrap_or(0);
        let mut models = vec![None; len];
        for &m in used {
            let name = ds.name(m);
            models[m.index() as usize] = Some(
                pricing
                    .is_priced(name)
                    .then(|| pricing.long_context_threshold(name).unwrap_or(u64::MAX)),
            );
        }
        Billing {
            pricing,
            mode,
            models,
        }
    }

    pub fn is_priced(&self, model: Sym) -> bool {
        matches!(self.models.get(model.index() as usize), Some(Some(Some(_))))
    }

    /// Whether `r` is billed at its model's long-context rate.
    pub fn is_long_context(&self, r: &Response) -> bool {
        match self.models.get(r.model.index() as usize) {
            Some(Some(Some(t))) => r.tokens.context() > *t,
            _ => false,
        }
    }
}

/// What one model contributed to a bucket.
#[derive(Clone, Debug, Default)]
struct ModelAcc {
    tokens: Tokens,
    /// Tokens of requests billed at the standard rate (no recorded cost).
    standard: Tokens,
    /// Tokens of requests billed at the long-context rate (no recorded cost).
    long_context: Tokens,
    /// Sum of `costUSD` recorded on the responses that carried one (auto/display modes).
    recorded: f64,
}

/// A bucket being filled.
#[derive(Clone, Debug, Default)]
pub struct Bucket {
    models: BTreeMap<Sym, ModelAcc>,
    /// Order in which models first appeared.
    first_seen: Vec<Sym>,
    pub entries: u64,
    pub first_ts: Option<Millis>,
    pub last_ts: Option<Millis>,
}

impl Bucket {
    pub fn add(&mut self, r: &Response, billing: &Billing) {
        self.entries += 1;
        if let Some(ts) = r.ts {
            self.first_ts = Some(self.first_ts.map_or(ts, |f| f.min(ts)));
            self.last_ts = Some(self.last_ts.map_or(ts, |l| l.max(ts)));
        }
        if !self.models.contains_key(&r.model) {
            self.first_seen.push(r.model);
        }
        let acc = self.models.entry(r.model).or_default();
        acc.tokens += r.tokens;
        let recorded = match billing.mode {
            CostMode::Calculate => None,
            CostMode::Auto => r.recorded_cost.get(),
            CostMode::Display => Some(r.recorded_cost.get().unwrap_or(0.0)),
        };
        match recorded {
            Some(c) => acc.recorded += c,
            None if billing.is_long_context(r) => acc.long_context += r.tokens,
            None => acc.standard += r.tokens,
        }
    }

    pub fn tokens(&self) -> Tokens {
        self.models.values().map(|m| m.tokens).sum()
    }

    /// Per-model rows, most expensive first (then by name); and the bucket's cost (priced
    /// models only — unpriced ones are listed in `unpriced`).
    pub fn finish(&self, pricing: &Pricing, ds: &Dataset) -> Finished {
        let mut models: Vec<ModelRow> = self
            .models
            .iter()
            .map(|(&sym, m)| {
                let name = ds.name(sym);
                let calculated = if m.standard.is_zero() && m.long_context.is_zero() {
                    Some(0.0)
                } else {
                    pricing.cost(name, &m.standard, &m.long_context)
                };
                ModelRow {
                    model_name: name.to_string(),
                    input_tokens: m.tokens.input,
                    output_tokens: m.tokens.output,
                    cache_creation_tokens: m.tokens.cache_write(),
                    cache_read_tokens: m.tokens.cache_read,
                    cache_creation_5m_tokens: m.tokens.cache_write_5m,
                    cache_creation_1h_tokens: m.tokens.cache_write_1h,
                    total_tokens: m.tokens.total(),
                    cost: calculated.map(|c| c + m.recorded),
                }
            })
            .collect();
        models.sort_by(|a, b| {
            b.cost
                .unwrap_or(-1.0)
                .total_cmp(&a.cost.unwrap_or(-1.0))
                .then_with(|| a.model_name.cmp(&b.model_name))
        });
        let cost = super::usd_sum(models.iter().filter_map(|m| m.cost));
        let unpriced = models
            .iter()
            .filter(|m| m.cost.is_none())
            .map(|m| m.model_name.clone())
            .collect();
        Finished {
            tokens: self.tokens(),
            cost,
            models,
            unpriced,
            first_seen: self
                .first_seen
                .iter()
                .map(|&s| ds.name(s).to_string())
                .collect(),
        }
    }
}

/// A finished bucket.
#[derive(Clone, Debug)]
pub struct Finished {
    pub tokens: Tokens,
    pub cost: f64,
    pub models: Vec<ModelRow>,
    pub unpriced: Vec<String>,
    pub first_seen: Vec<String>,
}

impl Finished {
    /// Model names for `modelsUsed`: real models only (most expensive first).
    pub fn models_used(&self) -> Vec<String> {
        self.models.iter().map(|m| m.model_name.clone()).collect()
    }
}

/// One model's share of a row (ccusage's `modelBreakdowns[]`, plus TTL split and total).
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ModelRow {
    pub model_name: String,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_creation_tokens: u64,
    pub cache_read_tokens: u64,
    pub cache_creation_5m_tokens: u64,
    pub cache_creation_1h_tokens: u64,
    pub total_tokens: u64,
    /// USD; null when the model has no price.
    pub cost: Option<f64>,
}
