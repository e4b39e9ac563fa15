//! Composition of tokens and their "API value": how many tokens went to re-reading cached
//! context, cache writes, new input and output, and what each class is worth at the
//! embedded list prices. `Mix` accumulates responses per model (split into standard and
//! long-context requests, like `bucket`) so every class is priced at its own rate once,
//! from integer sums. Always the price table (`calculate`), never recorded `costUSD`,
//! which does not say what it paid for.

use super::bucket::Billing;
use crate::model::{Dataset, Response, Sym, Tokens};
use crate::pricing::Pricing;
use serde::Serialize;
use std::collections::BTreeMap;

/// How the API-value shares are weighted, stated in every output that shows them.
pub const WEIGHTING: &str = "each token class at its model's list price in the embedded table: cache reads at the cache-read rate, 5m and 1h cache writes at their write rates, uncached input and output at theirs; requests above a long-context threshold at the long-context rates; models without a price are left out";

/// Tokens of one response or many, split by model and billing tier.
#[derive(Clone, Debug, Default)]
pub struct Mix {
    /// (standard-rate tokens, long-context tokens) per model.
    models: BTreeMap<Sym, (Tokens, Tokens)>,
}

impl Mix {
    pub fn add(&mut self, r: &Response, billing: &Billing) {
        self.add_part(r, r.tokens, billing);
    }

    /// Adds part of a response's tokens (say, only its cache writes) at the tier the
    /// whole request was billed at.
    pub fn add_part(&mut self, r: &Response, part: Tokens, billing: &Billing) {
        let (standard, long) = self.models.entry(r.model).or_default();
        if billing.is_long_context(r) {
            *long += part;
        } else {
            *standard += part;
        }
    }

    pub fn tokens(&self) -> Tokens {
        self.models.values().map(|(s, l)| *s + *l).sum()
    }

    /// (model, standard-rate tokens, long-context tokens), by model.
    pub fn per_model(&self) -> impl Iterator<Item = (Sym, &Tokens, &Tokens)> {
        self.models.iter().map(|(&m, (s, l))| (m, s, l))
    }

    /// The API value of each token class (priced models only), and the tokens of models
    /// without a price.
    pub fn values(&self, ds: &Dataset, pricing: &Pricing) -> (Classes<f64>, u64) {
        let mut v = Classes::default();
        let mut unpriced = 0;
        for (&model, (standard, long)) in &self.models {
            let name = ds.name(model);
            if !pricing.is_priced(name) {
                unpriced += (*standard + *long).total();
                continue;
            }
            let price = |pick: fn(&Tokens) -> Tokens| {
                pricing
                    .cost(name, &pick(standard), &pick(long))
                    .unwrap_or(0.0)
            };
            v.cache_read += price(|t| Tokens {
                cache_read: t.cache_read,
                ..Tokens::default()
            });
            v.cache_write += price(|t| Tokens {
                cache_write_5m: t.cache_write_5m,
                cache_write_1h: t.cache_write_1h,
                ..Tokens::default()
            });
            v.input += price(|t| Tokens {
                input: t.input,
                ..Tokens::default()
            });
            v.output += price(|t| Tokens {
                output: t.output,
                ..Tokens::default()
            });
        }
        (v, unpriced)
    }

    /// The composition of everything added, with token and API-value shares.
    pub fn composition(&self, ds: &Dataset, pricing: &Pricing) -> Composition {
        let t = self.tokens();
        let (value, unpriced_tokens) = self.values(ds, pricing);
        let tokens = Classes {
            cache_read: t.cache_read as f64,
            cache_write: t.cache_write() as f64,
            input: t.input as f64,
            output: t.output as f64,
        };
        Composition {
            cache_read_tokens: t.cache_read,
            cache_write_tokens: t.cache_write(),
            cache_write_5m_tokens: t.cache_write_5m,
            cache_write_1h_tokens: t.cache_write_1h,
            input_tokens: t.input,
            output_tokens: t.output,
            total_tokens: t.total(),
            shares: tokens.shares(),
            api_value_usd: value.with_total(),
            api_value_shares: value.shares(),
            unpriced_tokens,
        }
    }
}

/// One number per token class.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct Classes<T> {
    pub cache_read: T,
    pub cache_write: T,
    pub input: T,
    pub output: T,
}

impl Classes<f64> {
    /// All four classes together.
    pub fn total(&self) -> f64 {
        self.sum()
    }

    fn sum(&self) -> f64 {
        self.cache_read + self.cache_write + self.input + self.output
    }

    /// Each class over the sum (all zero when the sum is zero).
    pub fn shares(&self) -> Classes<f64> {
        let s = self.sum();
        let f = |x: f64| if s > 0.0 { x / s } else { 0.0 };
        Classes {
            cache_read: f(self.cache_read),
            cache_write: f(self.cache_write),
            input: f(self.input),
            output: f(self.output),
        }
    }

    fn with_total(self) -> Valued {
        Valued {
            total: self.sum(),
            classes: self,
        }
    }
}

/// API value per class plus the total, in USD.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct Valued {
    #[serde(flatten)]
    pub classes: Classes<f64>,
    pub total: f64,
}

/// What the tokens of a window (or a project, session, day) paid for.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Composition {
    /// Re-reading cached context.
    pub cache_read_tokens: u64,
    /// Writing context to the cache (5m + 1h).
    pub cache_write_tokens: u64,
    pub cache_write_5m_tokens: u64,
    pub cache_write_1h_tokens: u64,
    /// New, uncached input.
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub total_tokens: u64,
    /// Token shares of the four classes (they sum to 1).
    pub shares: Classes<f64>,
    /// The API value of each class in USD (see `WEIGHTING`).
    pub api_value_usd: Valued,
    /// The same shares weighted by price.
    pub api_value_shares: Classes<f64>,
    /// Tokens of models without a price (in the token shares, not in the API value).
    pub unpriced_tokens: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_sum_to_one_or_are_all_zero() {
        let c = Classes {
            cache_read: 7.0,
            cache_write: 2.0,
            input: 0.0,
            output: 1.0,
        };
        let s = c.shares();
        assert_eq!(s.cache_read, 0.7);
        assert!((s.sum() - 1.0).abs() < 1e-12);
        assert_eq!(Classes::<f64>::default().shares().sum(), 0.0);
    }
}
