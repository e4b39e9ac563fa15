//! Model prices and the cost of token counts. Owns the compiled-in price table
//! (`prices.json`, embedded with `include_str!` and parsed once), the mapping from whatever
//! model label a transcript carries (dated, Bedrock/Vertex-prefixed, `[1m]`, `-fast`) to one
//! table entry, the long-context rule, and the USD arithmetic. It must never touch the
//! network, not even optionally: prices change only when `prices.json` changes (tests build
//! tables of the same shape with `Pricing::from_json`). It must never invent a price
//! either: an unknown model resolves to `None`, never to a zero or a guessed family rate.
//! It does not read files, sum usage or decide which copy of a response counts.
//!
//! Costs are an API-equivalent estimate in USD. Rates are per million tokens.
//!
//! Long context follows Anthropic's published rule, not ccusage's: when a request's prompt
//! (input + cache writes + cache reads) is over the model's threshold, *all* of that
//! request's tokens, output included, are billed at the long-context rates. ccusage applies
//! the premium only to the tokens above 200K, which gives lower numbers (research notes,
//! distribution-and-output.md §7.3). Fast mode (`-fast` labels) multiplies the
//! standard-rate cost by the model's `fast_multiplier` and takes precedence over the
//! long-context tier; no model in the table currently has both.

mod table;

pub use table::{LongContext, ModelPrice, PriceFile, PricingError, Rates, Source};

use crate::model::tokens::Tokens;
use std::collections::HashMap;
use std::sync::LazyLock;

const EMBEDDED_JSON: &str = include_str!("prices.json");

static EMBEDDED: LazyLock<Pricing> = LazyLock::new(|| {
    Pricing::from_json(EMBEDDED_JSON)
        .expect("the embedded prices.json is valid (checked by a unit test)")
});

/// Tokens per pricing unit: rates are USD per million tokens.
const PER_MILLION: f64 = 1_000_000.0;

/// A price table with its lookup index.
#[derive(Debug)]
pub struct Pricing {
    file: PriceFile,
    index: HashMap<String, usize>,
}

/// The table entry a model label resolved to.
#[derive(Clone, Copy, Debug)]
pub struct Resolved<'a> {
    pub price: &'a ModelPrice,
    /// The label carried `-fast` (a `usage.speed == "fast"` response).
    pub fast: bool,
}

impl Resolved<'_> {
    /// The factor applied to the whole cost: the model's fast multiplier for a `-fast`
    /// label (1.0 if the table states none), otherwise 1.0.
    pub fn multiplier(&self) -> f64 {
        if self.fast {
            self.price.fast_multiplier()
        } else {
            1.0
        }
    }
}

impl Pricing {
    /// The compiled-in table.
    pub fn embedded() -> &'static Pricing {
        &EMBEDDED
    }

    /// Parses and validates a table in the `prices.json` format (the embedded table is read
    /// this way, and the tests build tables of their own). Rejects non-USD tables, negative
    /// or non-finite rates, and an id or alias listed twice.
    pub fn from_json(text: &str) -> Result<Pricing, PricingError> {
        let (file, index) = table::parse(text)?;
        Ok(Pricing { file, index })
    }

    /// The date the table was last checked, e.g. "2026-11-21".
    pub fn as_of(&self) -> &str {
        &self.file.as_of
    }

    /// Always "USD".
    pub fn currency(&self) -> &str {
        &self.file.currency
    }

    pub fn sources(&self) -> &[Source] {
        &self.file.sources
    }

    /// Every entry, in table order.
    pub fn models(&self) -> &[ModelPrice] {
        &self.file.models
    }

    /// Finds the entry for a model label: an exact id or alias, or the same after stripping
    /// provider prefixes (`anthropic.`, `us.anthropic.`, ...), `[1m]`, `-fast`, `@...`,
    /// `-v1:0`, `-latest` and a `-YYYYMMDD` date. `<synthetic>` and unknown models give
    /// `None`; there is no prefix or family guessing.
    pub fn resolve(&self, model: &str) -> Option<Resolved<'_>> {
        if model.trim() == "<synthetic>" {
            return None;
        }
        let key = table::normalize(model);
        let i = key
            .candidates
            .iter()
            .find_map(|c| self.index.get(c.as_str()))?;
        Some(Resolved {
            price: &self.file.models[*i],
            fast: key.fast,
        })
    }

    pub fn is_priced(&self, model: &str) -> bool {
        self.resolve(model).is_some()
    }

    /// Whether one request (its own token counts) is billed at the long-context rate:
    /// input + cache_read + cache writes > threshold for a model that has a tier.
    /// Always false for unpriced models, models without a tier, and `-fast` labels (fast
    /// pricing takes precedence over the tier).
    pub fn is_long_context(&self, model: &str, request: &Tokens) -> bool {
        self.long_context_threshold(model)
            .is_some_and(|t| request.context() > t)
    }

    /// The context size above which a request to `model` is billed at the long-context
    /// rate; None for unpriced models, models without a tier, and `-fast` labels.
    pub fn long_context_threshold(&self, model: &str) -> Option<u64> {
        match self.resolve(model) {
            Some(r) if !r.fast => r.price.long_context.map(|lc| lc.threshold_tokens),
            _ => None,
        }
    }

    /// Cost in USD of tokens already split into requests billed at the standard rate and
    /// requests billed at the long-context rate (whole request at the higher rate, per
    /// Anthropic's rule). None when the model is unpriced. Multiplies by the fast multiplier
    /// for `-fast` labels. Tokens passed as long-context for a model without a tier (or a
    /// `-fast` label) are priced at the standard rate.
    pub fn cost(&self, model: &str, standard: &Tokens, long_context: &Tokens) -> Option<f64> {
        let r = self.resolve(model)?;
        let base = r.price.rates();
        let long = match r.price.long_context {
            Some(lc) if !r.fast => lc.rates(),
            _ => base,
        };
        let micro = weighted(&base, standard) + weighted(&long, long_context);
        Some(micro / PER_MILLION * r.multiplier())
    }

    /// Cost in USD of a single request, choosing its tier with `is_long_context`.
    pub fn request_cost(&self, model: &str, request: &Tokens) -> Option<f64> {
        let none = Tokens::default();
        if self.is_long_context(model, request) {
            self.cost(model, &none, request)
        } else {
            self.cost(model, request, &none)
        }
    }

    /// The price tier of a priced model: "premium" (Opus-class), "standard", "small".
    pub fn tier(&self, model: &str) -> Option<&str> {
        self.resolve(model).map(|r| r.price.tier.as_str())
    }

    /// The newest model of `family` from the same generation (major version) as `model`:
    /// what a run on `claude-opus-4-6` would have cost on Sonnet is priced on
    /// `claude-sonnet-4-6`. None when the model is unpriced or the family has no model in
    /// that generation.
    pub fn same_generation(&self, model: &str, family: &str) -> Option<&str> {
        let major = generation(&self.resolve(model)?.price.id)?;
        self.file
            .models
            .iter()
            .filter(|m| m.family == family && generation(&m.id) == Some(major))
            .max_by(|a, b| {
                (a.valid_from.as_deref(), version(&a.id))
                    .cmp(&(b.valid_from.as_deref(), version(&b.id)))
            })
            .map(|m| m.id.as_str())
    }

    /// The model's family ("opus", "sonnet", "haiku", "fable", ...). For ids not in the
    /// table, falls back to a substring match on the family names, so an unpriced
    /// `claude-opus-9` still groups as "opus". None when nothing matches.
    pub fn family(&self, model: &str) -> Option<&str> {
        if let Some(r) = self.resolve(model) {
            return Some(&r.price.family);
        }
        let lower = model.to_ascii_lowercase();
        ["opus", "sonnet", "haiku", "fable", "mythos"]
            .into_iter()
            .find(|f| lower.contains(f))
    }
}

/// The major version in a model id: `claude-opus-4-6` → 4, `claude-3-5-haiku` → 3.
fn generation(id: &str) -> Option<u32> {
    version(id).first().copied()
}

/// The numeric parts of a model id, in order: `claude-3-5-haiku` → [3, 5].
fn version(id: &str) -> Vec<u32> {
    id.split('-').filter_map(|p| p.parse().ok()).collect()
}

/// Sum of tokens x rate over the five categories, in USD x 1e6.
fn weighted(r: &Rates, t: &Tokens) -> f64 {
    t.input as f64 * r.input
        + t.output as f64 * r.output
        + t.cache_write_5m as f64 * r.cache_write_5m
        + t.cache_write_1h as f64 * r.cache_write_1h
        + t.cache_read as f64 * r.cache_read
}

/// A model label for display: strips a trailing `-YYYYMMDD` (keeping a `-fast` label after
/// it). Never use the result for pricing; the raw id is what resolves.
pub fn display_name(model: &str) -> String {
    let m = model.trim();
    let (body, fast) = match m.strip_suffix("-fast") {
        Some(b) => (b, "-fast"),
        None => (m, ""),
    };
    let body = match table::date_suffix_len(body) {
        Some(n) => &body[..body.len() - n],
        None => body,
    };
    format!("{body}{fast}")
}

#[cfg(test)]
mod tests;
