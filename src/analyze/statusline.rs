//! What the status line says, from what Claude Code piped in (`Now`) and the model of
//! today's files and the current transcript: the session's API value, context size and
//! re-read share, today's API value, the active 5-hour block's time left and burn, each
//! quota window's used % and pace, and how long the session's prompt cache stays warm.
//! Computes only; `render::statusline` lays the line out.

use super::Options;
use super::blocks;
use super::bucket::{Billing, Bucket};
use super::quota::Which;
use crate::model::quota::WindowUse;
use crate::model::{Dataset, Response};
use crate::options::BlocksOptions;
use crate::pricing::Pricing;
use serde::Serialize;

const TTL_5M_MS: i64 = 5 * 60_000;
const TTL_1H_MS: i64 = 60 * 60_000;

/// What Claude Code said on stdin (every field optional).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Now {
    pub session_id: Option<String>,
    pub model: Option<String>,
    pub five_hour: Option<WindowUse>,
    pub seven_day: Option<WindowUse>,
}

/// The values of the line; None where nothing is known.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct StatusLine {
    pub model: Option<String>,
    pub session: Option<SessionNow>,
    pub today_api_value: Option<f64>,
    pub block: Option<BlockNow>,
    pub five_hour: Option<QuotaNow>,
    pub seven_day: Option<QuotaNow>,
    pub cache: Option<CacheNow>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct SessionNow {
    pub api_value: f64,
    /// The last main-thread request's context (input + cache reads + cache writes).
    pub context_tokens: u64,
    /// Cache reads / every input-side token of the session.
    pub reread_share: f64,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct BlockNow {
    pub left_ms: i64,
    pub cost_per_hour: Option<f64>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct QuotaNow {
    pub used_percentage: f64,
    /// used % / elapsed % of the window.
    pub pace: Option<f64>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct CacheNow {
    /// The TTL the session's cache writes use (5 min or 1 h).
    pub ttl_ms: i64,
    /// Time until the cache goes cold; ≤ 0: cold.
    pub warm_ms: i64,
}

/// Computes the line. `ds` holds today's files and the current transcript.
pub fn analyze(ds: &Dataset, pricing: &Pricing, opts: &Options, now: &Now) -> StatusLine {
    let billing = Billing::new(ds, pricing, opts.cost_mode);
    let session: Vec<&Response> = match &now.session_id {
        Some(id) => ds
            .responses
            .iter()
            .filter(|r| ds.name(r.session) == id)
            .collect(),
        None => Vec::new(),
    };
    let main_last = session
        .iter()
        .rev()
        .find(|r| r.agent.is_none() && r.ts.is_some());
    let model = now
        .model
        .clone()
        .or_else(|| main_last.map(|r| ds.name(r.model).to_string()));
    let now_s = opts.now_ms.div_euclid(1000);
    StatusLine {
        model,
        session: (!session.is_empty()).then(|| session_now(&session, main_last, ds, &billing)),
        today_api_value: today(ds, &billing, opts),
        block: block(ds, pricing, opts),
        five_hour: now.five_hour.map(|w| quota_now(w, Which::FiveHour, now_s)),
        seven_day: now.seven_day.map(|w| quota_now(w, Which::SevenDay, now_s)),
        cache: main_last.and_then(|last| cache(&session, last, opts.now_ms)),
    }
}

fn value<'a>(rs: impl Iterator<Item = &'a Response>, ds: &Dataset, billing: &Billing) -> f64 {
    let mut b = Bucket::default();
    rs.for_each(|r| b.add(r, billing));
    b.finish(billing.pricing, ds).cost
}

fn session_now(
    session: &[&Response],
    main_last: Option<&&Response>,
    ds: &Dataset,
    billing: &Billing,
) -> SessionNow {
    let (read, all) = session.iter().fold((0u64, 0u64), |(read, all), r| {
        (read + r.tokens.cache_read, all + r.tokens.context())
    });
    SessionNow {
        api_value: value(session.iter().copied(), ds, billing),
        context_tokens: main_last.map_or(0, |r| r.tokens.context()),
        reread_share: super::ratio(read, all),
    }
}

/// Today's API value (None when today has no responses).
fn today(ds: &Dataset, billing: &Billing, opts: &Options) -> Option<f64> {
    let from = opts.zone.start_of(opts.zone.date_of(opts.now_ms));
    let mut rs = ds
        .responses
        .iter()
        .filter(|r| r.ts.is_some_and(|t| t >= from && t <= opts.now_ms))
        .peekable();
    rs.peek()?;
    Some(value(rs, ds, billing))
}

fn block(ds: &Dataset, pricing: &Pricing, opts: &Options) -> Option<BlockNow> {
    let o = Options {
        blocks: BlocksOptions {
            active_only: true,
            ..opts.blocks
        },
        ..opts.clone()
    };
    let b = blocks::blocks(ds, pricing, &o)
        .into_iter()
        .find(|b| b.is_active)?;
    Some(BlockNow {
        left_ms: b.end_time.0 - opts.now_ms,
        cost_per_hour: b.burn_rate.map(|r| r.cost_per_hour),
    })
}

fn quota_now(w: WindowUse, which: Which, now_s: i64) -> QuotaNow {
    let len = which.seconds();
    let elapsed = (now_s - (w.resets_at - len)) as f64 / len as f64 * 100.0;
    QuotaNow {
        used_percentage: w.used_percentage,
        pace: (elapsed > 0.0 && elapsed <= 100.0).then(|| w.used_percentage / elapsed),
    }
}

/// The cache's TTL is the one the session's latest cache write used.
fn cache(session: &[&Response], last: &Response, now_ms: i64) -> Option<CacheNow> {
    let writer = session.iter().rev().find(|r| r.tokens.cache_write() > 0)?;
    let ttl_ms = if writer.tokens.cache_write_1h > 0 {
        TTL_1H_MS
    } else {
        TTL_5M_MS
    };
    Some(CacheNow {
        ttl_ms,
        warm_ms: last.ts? + ttl_ms - now_ms,
    })
}
