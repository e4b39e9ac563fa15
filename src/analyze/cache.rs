//! Cache efficiency: the hit rate, and cache writes that expired unread. Each thread (a
//! session's main conversation, or one sub-agent run) re-sends its prefix on every call,
//! so what a call writes to the cache is read by the thread's next call — unless that
//! call comes after the write's TTL (5 minutes, or 1 hour for 1-hour writes), when the
//! write was paid for and never used. Gaps are measured between response timestamps,
//! which start after each write, so the count errs on the side of too few expiries.

use super::bucket::Billing;
use super::value::Mix;
use crate::model::{Dataset, Millis, Origin, Response, Sym, Tokens};
use crate::pricing::Pricing;
use serde::Serialize;
use std::collections::HashMap;

/// The TTL of a 5-minute cache write, and of a 1-hour one.
pub const TTL_5M_MS: Millis = 5 * 60 * 1000;
pub const TTL_1H_MS: Millis = 60 * 60 * 1000;

/// The one-line explanation every output of this section carries.
pub const EXPLANATION: &str = "a cache write is wasted when the same thread's next call comes after its TTL (5 min, or 1 h for 1-hour writes), so the prefix must be written again; gaps are measured between response timestamps";

/// Cache writes of some kind, in tokens and API value.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Writes {
    pub tokens: u64,
    pub tokens_5m: u64,
    pub tokens_1h: u64,
    pub api_value_usd: f64,
    /// Calls whose writes are counted here.
    pub calls: u64,
}

/// The cache-efficiency section.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct CacheEfficiency {
    /// cache_read / (input + cache_write + cache_read).
    pub hit_rate: f64,
    pub explanation: &'static str,
    /// Written, then the thread's next call came after the TTL.
    pub expired_writes: Writes,
    /// Written by the last call of a thread in the window: never read within it (the
    /// session ended or moved on). Not counted as expired.
    pub unread_at_end: Writes,
    /// Threads (main conversations and sub-agent runs) with dated calls.
    pub threads: u64,
    /// Sessions with the most expired write tokens.
    pub top_sessions: Vec<SessionWaste>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SessionWaste {
    pub session_id: String,
    pub expired_tokens: u64,
    pub api_value_usd: f64,
}

/// Sessions listed in `top_sessions`.
const TOP: usize = 10;

/// The thread a response belongs to: its project and session, and the sub-agent (if any).
type Thread = (Sym, Sym, bool, Option<Sym>);

/// Computes the section over `calls` (the window's responses, in time order).
pub fn analyze(
    calls: &[Response],
    ds: &Dataset,
    pricing: &Pricing,
    billing: &Billing,
) -> CacheEfficiency {
    let mut last: HashMap<Thread, &Response> = HashMap::new();
    let mut expired = Mix::default();
    let mut expired_calls = 0u64;
    let mut per_session: HashMap<(Sym, Sym), Mix> = HashMap::new();
    let mut all = Tokens::default();
    for r in calls {
        all += r.tokens;
        let Some(ts) = r.ts else { continue };
        let thread = (r.project, r.session, r.origin != Origin::Main, r.agent);
        if let Some(prev) = last.insert(thread, r) {
            let gap = ts - prev.ts.unwrap_or(ts);
            let lost = expired_part(&prev.tokens, gap);
            if !lost.is_zero() {
                expired_calls += 1;
                expired.add_part(prev, lost, billing);
                per_session
                    .entry((prev.project, prev.session))
                    .or_default()
                    .add_part(prev, lost, billing);
            }
        }
    }
    let mut at_end = Mix::default();
    let mut end_calls = 0;
    for prev in last.values() {
        let part = Tokens {
            cache_write_5m: prev.tokens.cache_write_5m,
            cache_write_1h: prev.tokens.cache_write_1h,
            ..Tokens::default()
        };
        if !part.is_zero() {
            end_calls += 1;
            at_end.add_part(prev, part, billing);
        }
    }
    let mut top: Vec<SessionWaste> = per_session
        .into_iter()
        .map(|((_, s), m)| SessionWaste {
            session_id: ds.name(s).to_string(),
            expired_tokens: m.tokens().cache_write(),
            api_value_usd: m.values(ds, pricing).0.cache_write,
        })
        .collect();
    top.sort_by(|a, b| {
        b.expired_tokens
            .cmp(&a.expired_tokens)
            .then_with(|| a.session_id.cmp(&b.session_id))
    });
    top.truncate(TOP);
    CacheEfficiency {
        hit_rate: super::hit_rate(&all),
        explanation: EXPLANATION,
        expired_writes: writes(&expired, expired_calls, ds, pricing),
        unread_at_end: writes(&at_end, end_calls, ds, pricing),
        threads: last.len() as u64,
        top_sessions: top,
    }
}

/// The TTL of a thread's cached prefix after a call wrote `last_write`: one hour when it
/// wrote 1-hour entries, else five minutes.
pub fn prefix_ttl(last_write: &Tokens) -> Millis {
    if last_write.cache_write_1h > 0 {
        TTL_1H_MS
    } else {
        TTL_5M_MS
    }
}

/// The cache writes of a call that expired before a call `gap` ms later.
pub fn expired_part(t: &Tokens, gap: Millis) -> Tokens {
    Tokens {
        cache_write_5m: if gap > TTL_5M_MS { t.cache_write_5m } else { 0 },
        cache_write_1h: if gap > TTL_1H_MS { t.cache_write_1h } else { 0 },
        ..Tokens::default()
    }
}

fn writes(m: &Mix, calls: u64, ds: &Dataset, pricing: &Pricing) -> Writes {
    let t = m.tokens();
    Writes {
        tokens: t.cache_write(),
        tokens_5m: t.cache_write_5m,
        tokens_1h: t.cache_write_1h,
        api_value_usd: m.values(ds, pricing).0.cache_write,
        calls,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttls_apply_per_kind_of_write() {
        let t = Tokens {
            cache_write_5m: 10,
            cache_write_1h: 20,
            ..Tokens::default()
        };
        assert!(expired_part(&t, TTL_5M_MS).is_zero());
        assert_eq!(expired_part(&t, TTL_5M_MS + 1).cache_write(), 10);
        assert_eq!(expired_part(&t, TTL_1H_MS).cache_write(), 10);
        assert_eq!(expired_part(&t, TTL_1H_MS + 1).cache_write(), 30);
        assert_eq!(prefix_ttl(&t), TTL_1H_MS);
        assert_eq!(prefix_ttl(&Tokens::default()), TTL_5M_MS);
    }
}
