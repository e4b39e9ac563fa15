//! Per-turn context of one session's main thread: a turn is a real user prompt (the
//! scanner already excludes tool results, harness/meta text and compaction summaries)
//! and the API calls until the next one. For each session: the context size of every call
//! (input + cache read + cache write), a growth curve of at most `CURVE_POINTS` points,
//! each turn's re-read share, the biggest single-turn jumps, and whether the session is a
//! `/compact` candidate. Sub-agent calls have their own context and are left out here.

use super::bucket::Billing;
use super::ratio;
use super::value::Mix;
use crate::model::{Dataset, Response, Tokens};
use crate::pricing::Pricing;
use crate::time::Timestamp;
use serde::Serialize;
use std::collections::HashMap;

/// Most points in a session's growth curve.
pub const CURVE_POINTS: usize = 120;
/// Jumps kept per session.
const TOP_JUMPS: usize = 3;
/// `/compact` candidates: a re-read share of at least this ...
pub const COMPACT_SHARE: f64 = 0.80;
/// ... over at least this many cache-read tokens ...
pub const COMPACT_MIN_READS: u64 = 200_000;
/// ... and the context size whose first crossing marks the turn to look at.
pub const COMPACT_CONTEXT: u64 = 100_000;

/// One turn of a session's main thread.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TurnRow {
    /// 1-based, in time order.
    pub turn: u32,
    /// False for calls before the first prompt seen (a resumed session's carry-over).
    pub opened_by_prompt: bool,
    pub start: Option<Timestamp>,
    pub calls: u32,
    /// Context size of the turn's first and last call, and its largest.
    pub context_first: u64,
    pub context_last: u64,
    pub context_max: u64,
    pub cache_read_tokens: u64,
    pub total_tokens: u64,
    /// cache_read / total tokens of the turn's calls.
    pub reread_share: f64,
}

/// Context growth over one turn: its last call against the previous turn's last call.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Jump {
    pub turn: u32,
    pub start: Option<Timestamp>,
    pub context_before: u64,
    pub context_after: u64,
    pub growth: u64,
}

/// The turn view of one session.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct SessionTurns {
    pub main_calls: u64,
    pub peak_context: u64,
    /// Context size per call, downsampled to at most `CURVE_POINTS` points, each the
    /// largest context among the calls it stands for.
    pub context_curve: Vec<u64>,
    /// Calls each curve point stands for (1 when not downsampled).
    pub calls_per_point: f64,
    pub turns: Vec<TurnRow>,
    pub top_jumps: Vec<Jump>,
    /// cache_read / total tokens over the main thread.
    pub reread_share: f64,
    pub cache_read_tokens: u64,
    /// The turn row (0-based) of each call.
    #[serde(skip)]
    pub row_of_call: Vec<u32>,
}

/// A session worth a `/compact` (or a fresh session) — a candidate, not a promise.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CompactCandidate {
    pub session_id: String,
    /// The project's display name, and its directory under `projects/`.
    pub project: String,
    pub project_dir: String,
    pub cwd: Option<String>,
    pub reread_share: f64,
    pub cache_read_tokens: u64,
    /// The turn whose calls first passed `COMPACT_CONTEXT` tokens of context.
    pub turn_passed_100k: u32,
    pub passed_at: Option<Timestamp>,
    /// Cache reads spent in the turns after it, and their API value.
    pub reread_after_tokens: u64,
    pub reread_after_api_value_usd: f64,
}

/// Builds the turn view of one session from its main-thread calls in time order.
pub fn session_turns(calls: &[&Response]) -> SessionTurns {
    let mut turns: Vec<TurnRow> = Vec::new();
    let mut index: HashMap<Option<u64>, usize> = HashMap::new();
    let mut row_of_call = Vec::with_capacity(calls.len());
    for r in calls {
        let ctx = r.tokens.context();
        let i = *index.entry(r.turn_hash()).or_insert_with(|| {
            turns.push(TurnRow {
                turn: turns.len() as u32 + 1,
                opened_by_prompt: r.turn.is_some(),
                start: r.ts.map(Timestamp),
                calls: 0,
                context_first: ctx,
                context_last: 0,
                context_max: 0,
                cache_read_tokens: 0,
                total_tokens: 0,
                reread_share: 0.0,
            });
            turns.len() - 1
        });
        row_of_call.push(i as u32);
        let t = &mut turns[i];
        t.calls += 1;
        t.context_last = ctx;
        t.context_max = t.context_max.max(ctx);
        t.cache_read_tokens += r.tokens.cache_read;
        t.total_tokens += r.tokens.total();
    }
    for t in &mut turns {
        t.reread_share = ratio(t.cache_read_tokens, t.total_tokens);
    }
    let contexts: Vec<u64> = calls.iter().map(|r| r.tokens.context()).collect();
    let cache_read: u64 = turns.iter().map(|t| t.cache_read_tokens).sum();
    let total: u64 = turns.iter().map(|t| t.total_tokens).sum();
    SessionTurns {
        main_calls: calls.len() as u64,
        peak_context: contexts.iter().copied().max().unwrap_or(0),
        calls_per_point: if contexts.is_empty() {
            0.0
        } else {
            contexts.len() as f64 / contexts.len().min(CURVE_POINTS) as f64
        },
        context_curve: downsample(&contexts, CURVE_POINTS),
        top_jumps: jumps(&turns),
        turns,
        reread_share: ratio(cache_read, total),
        cache_read_tokens: cache_read,
        row_of_call,
    }
}

/// Where a session's main thread passed `COMPACT_CONTEXT`, and what it re-read after.
#[derive(Clone, Debug, PartialEq)]
pub struct CompactAfter {
    /// The turn that first passed it, and when that turn started.
    pub turn: u32,
    pub at: Option<Timestamp>,
    /// Cache reads of the calls after that turn: tokens and API value.
    pub tokens: u64,
    pub api_value_usd: f64,
}

/// The `/compact` candidate a session's main thread makes, if any: the turn that first
/// passed `COMPACT_CONTEXT`, and the cache reads (tokens, API value) of the calls after it.
/// A session that re-read nothing after that turn (it ended there) is no candidate.
pub fn compact_after(
    t: &SessionTurns,
    calls: &[&Response],
    ds: &Dataset,
    pricing: &Pricing,
    billing: &Billing,
) -> Option<CompactAfter> {
    if t.reread_share < COMPACT_SHARE || t.cache_read_tokens < COMPACT_MIN_READS {
        return None;
    }
    let passed = t
        .turns
        .iter()
        .find(|row| row.context_max > COMPACT_CONTEXT)?;
    let mut after = Mix::default();
    for (r, &row) in calls.iter().zip(&t.row_of_call) {
        if row + 1 > passed.turn {
            let reads = Tokens {
                cache_read: r.tokens.cache_read,
                ..Tokens::default()
            };
            after.add_part(r, reads, billing);
        }
    }
    let (value, _) = after.values(ds, pricing);
    if after.tokens().cache_read == 0 {
        return None;
    }
    Some(CompactAfter {
        turn: passed.turn,
        at: passed.start,
        tokens: after.tokens().cache_read,
        api_value_usd: value.cache_read,
    })
}

/// The turns whose context grew the most, largest first.
fn jumps(turns: &[TurnRow]) -> Vec<Jump> {
    let mut out: Vec<Jump> = turns
        .windows(2)
        .map(|w| Jump {
            turn: w[1].turn,
            start: w[1].start,
            context_before: w[0].context_last,
            context_after: w[1].context_last,
            growth: w[1].context_last.saturating_sub(w[0].context_last),
        })
        .filter(|j| j.growth > 0)
        .collect();
    out.sort_by(|a, b| b.growth.cmp(&a.growth).then(a.turn.cmp(&b.turn)));
    out.truncate(TOP_JUMPS);
    out
}

/// At most `n` points: the values themselves, or the largest of each of `n` equal runs
/// (peaks survive downsampling).
pub fn downsample(values: &[u64], n: usize) -> Vec<u64> {
    if values.len() <= n {
        return values.to_vec();
    }
    (0..n)
        .map(|k| {
            let lo = k * values.len() / n;
            let hi = ((k + 1) * values.len() / n).max(lo + 1);
            values[lo..hi].iter().copied().max().unwrap_or(0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downsampling_keeps_peaks_and_length() {
        let v: Vec<u64> = (0..1000).collect();
        let d = downsample(&v, 120);
        assert_eq!(d.len(), 120);
        assert_eq!(*d.last().unwrap(), 999);
        assert!(d.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(downsample(&[3, 1], 120), vec![3, 1]);
        let mut spike = vec![1u64; 500];
        spike[250] = 99;
        assert!(downsample(&spike, 120).contains(&99));
    }
}
