//! 5-hour billing blocks, anchored on activity as ccusage does: a block starts at its
//! first response's time floored to the UTC hour and lasts the session length; a response
//! more than one session length after the block start or after the previous response
//! opens a new block; a silence longer than that is reported as a gap block. The active
//! block (its last response within a session length of "now", and "now" before its end)
//! gets a burn rate and a projection to its end.

use super::Options;
use super::bucket::{Billing, Bucket};
use super::usage::in_window;
use crate::model::{Dataset, Millis};
use crate::pricing::Pricing;
use crate::time::Timestamp;
use serde::Serialize;

const HOUR_MS: i64 = 3_600_000;

/// One block, in ccusage's JSON shape.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BlockRow {
    pub id: String,
    pub start_time: Timestamp,
    pub end_time: Timestamp,
    pub actual_end_time: Option<Timestamp>,
    pub is_active: bool,
    pub is_gap: bool,
    pub entries: u64,
    pub token_counts: TokenCounts,
    pub total_tokens: u64,
    #[serde(rename = "costUSD")]
    pub cost_usd: f64,
    pub models: Vec<String>,
    pub burn_rate: Option<BurnRate>,
    pub projection: Option<Projection>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unpriced_models: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TokenCounts {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_creation_input_tokens: u64,
    pub cache_read_input_tokens: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BurnRate {
    pub tokens_per_minute: f64,
    /// Input + output tokens per minute (ccusage's indicator, ignoring cache traffic).
    pub tokens_per_minute_for_indicator: f64,
    pub cost_per_hour: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Projection {
    pub total_tokens: u64,
    pub total_cost: f64,
    pub remaining_minutes: u64,
}

/// Builds the blocks of the responses in the window, keeping those `opts.blocks` asks for
/// (only the active one, or only recent ones).
pub fn blocks(ds: &Dataset, pricing: &Pricing, opts: &Options) -> Vec<BlockRow> {
    let len = opts.block_ms();
    let billing = Billing::new(ds, pricing, opts.cost_mode);
    let dated = in_window(ds, opts).iter().filter(|r| r.ts.is_some());
    let mut out: Vec<BlockRow> = Vec::new();
    let mut current: Option<(Millis, Bucket)> = None;
    for r in dated {
        let ts = r.ts.unwrap_or_default();
        if let Some((start, b)) = &current {
            let last = b.last_ts.unwrap_or(*start);
            if ts - start > len || ts - last > len {
                let (start, b) = current.take().unwrap_or_default();
                out.push(block_row(start, &b, pricing, ds, opts));
                if ts - last > len {
                    out.push(gap_row(last + len, ts));
                }
            }
        }
        let (_, b) = current.get_or_insert_with(|| (floor_hour(ts), Bucket::default()));
        b.add(r, &billing);
    }
    if let Some((start, b)) = current {
        out.push(block_row(start, &b, pricing, ds, opts));
    }
    let recent_from = opts.now_ms - 3 * 24 * HOUR_MS;
    let keep = &opts.blocks;
    out.retain(|b| {
        (!keep.active_only || b.is_active)
            && (!keep.recent_only || b.is_active || b.start_time.0 >= recent_from)
    });
    out
}

/// What an empty list of blocks means when `opts.blocks` filtered them: "No active
/// 5-hour block." or "No 5-hour block in the last 3 days."; None when nothing was
/// filtered (the window is empty).
pub fn empty_note(opts: &Options) -> Option<String> {
    let b = &opts.blocks;
    let hours = b.hours;
    if b.active_only {
        Some(format!("No active {hours}-hour block."))
    } else if b.recent_only {
        Some(format!("No {hours}-hour block in the last 3 days."))
    } else {
        None
    }
}

fn floor_hour(ts: Millis) -> Millis {
    ts.div_euclid(HOUR_MS) * HOUR_MS
}

fn block_row(
    start: Millis,
    b: &Bucket,
    pricing: &Pricing,
    ds: &Dataset,
    opts: &Options,
) -> BlockRow {
    let f = b.finish(pricing, ds);
    let len = opts.block_ms();
    let end = start + len;
    let last = b.last_ts.unwrap_or(start);
    let first = b.first_ts.unwrap_or(start);
    let is_active = opts.now_ms - last < len && opts.now_ms < end;
    let t = f.tokens;
    let minutes = (last - first) as f64 / 60_000.0;
    let burn_rate = (is_active && minutes > 0.0).then(|| BurnRate {
        tokens_per_minute: t.total() as f64 / minutes,
        tokens_per_minute_for_indicator: (t.input + t.output) as f64 / minutes,
        cost_per_hour: f.cost / (minutes / 60.0),
    });
    let projection = burn_rate.as_ref().map(|br| {
        let remaining = ((end - opts.now_ms).max(0) as f64 / 60_000.0).round();
        Projection {
            total_tokens: (t.total() as f64 + br.tokens_per_minute * remaining).round() as u64,
            total_cost: ((f.cost + br.cost_per_hour / 60.0 * remaining) * 100.0).round() / 100.0,
            remaining_minutes: remaining as u64,
        }
    });
    BlockRow {
        id: Timestamp(start).to_string(),
        start_time: Timestamp(start),
        end_time: Timestamp(end),
        actual_end_time: Some(Timestamp(last)),
        is_active,
        is_gap: false,
        entries: b.entries,
        token_counts: TokenCounts {
            input_tokens: t.input,
            output_tokens: t.output,
            cache_creation_input_tokens: t.cache_write(),
            cache_read_input_tokens: t.cache_read,
        },
        total_tokens: t.total(),
        cost_usd: f.cost,
        models: f.first_seen,
        burn_rate,
        projection,
        unpriced_models: f.unpriced,
    }
}

fn gap_row(start: Millis, end: Millis) -> BlockRow {
    BlockRow {
        id: format!("gap-{}", Timestamp(start)),
        start_time: Timestamp(start),
        end_time: Timestamp(end),
        actual_end_time: None,
        is_active: false,
        is_gap: true,
        entries: 0,
        token_counts: TokenCounts::default(),
        total_tokens: 0,
        cost_usd: 0.0,
        models: Vec::new(),
        burn_rate: None,
        projection: None,
        unpriced_models: Vec::new(),
    }
}
