//! The inline events of a drill-down, placed between the main thread's calls: where the
//! context first passed `turns::COMPACT_CONTEXT` (and again after a compaction), cache
//! expiries (a gap longer than the thread's cache TTL, `cache::prefix_ttl`, and the
//! rewrite that followed it), compactions, API errors and usage limits, and interrupts.
//! Each carries a sentence for people and its numbers for machines.

use super::calls::Context;
use super::{Responses, Subject, Turn};
use crate::analyze::cache::{expired_part, prefix_ttl};
use crate::analyze::subagents::Run;
use crate::analyze::turns::COMPACT_CONTEXT;
use crate::model::record::PromptKind;
use crate::model::{Millis, Response, Tokens};
use crate::render::fmt::{duration, human, money_fine};
use crate::time::{Timestamp, in_bounds};
use serde::Serialize;

pub const CONTEXT_100K: &str = "context_100k";
pub const CACHE_EXPIRY: &str = "cache_expiry";
pub const COMPACTION: &str = "compaction";
pub const API_ERROR: &str = "api_error";
pub const INTERRUPT: &str = "interrupt";

/// One inline event.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Marker {
    /// `context_100k`, `cache_expiry`, `compaction`, `api_error` or `interrupt`.
    pub kind: &'static str,
    pub at: Option<Timestamp>,
    /// Main-thread calls before it: it sits just before call `position + 1` of the main
    /// thread (after the last one when `position` equals their number).
    pub position: u32,
    /// The turn it falls in: the last turn that started at or before it (an undated
    /// marker: that of the call it precedes, else the last one).
    pub turn: Option<u32>,
    /// The sub-agent run it happened in; null for the main thread.
    pub agent_id: Option<String>,
    /// What happened, in a sentence.
    pub text: String,
    #[serde(flatten)]
    pub numbers: Numbers,
}

/// A marker's numbers (each kind sets its own).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Numbers {
    /// context_100k: the call's context; compaction: the context before and after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context_after_tokens: Option<u64>,
    /// cache_expiry: the idle gap, the TTL it exceeded, the previous call's writes that
    /// expired (as `context.cache` counts them) and the rewrite that followed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expired_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rewrite_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rewrite_api_value_usd: Option<f64>,
    /// compaction: `manual` (after `/compact`) or `auto`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger: Option<&'static str>,
    /// api_error: `529`, `500`, `timeout`, `usage_limit`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_kind: Option<String>,
}

/// Every marker of the session, in order of position, then time.
pub(crate) fn find(s: &Subject, cx: &Context, resp: &Responses, turns: &[Turn]) -> Vec<Marker> {
    let mut out = context_crossings(resp);
    out.extend(expiries(cx, None, &resp.main, resp));
    for (run, calls) in cx.runs() {
        out.extend(expiries(cx, Some(run), calls, resp));
    }
    out.extend(compactions(s, cx, resp));
    out.extend(errors(s, resp));
    out.sort_by_key(|m| (m.position, m.at.map_or(Millis::MAX, |t| t.0)));
    let starts = turn_starts(turns);
    for m in &mut out {
        m.turn = match m.at {
            Some(at) => turn_by_time(turns, at.0),
            None => None,
        }
        .or_else(|| turn_at(&starts, turns, m.position));
    }
    out
}

fn marker(kind: &'static str, at: Option<Millis>, position: usize, text: String) -> Marker {
    Marker {
        kind,
        at: at.map(Timestamp),
        position: position as u32,
        turn: None,
        agent_id: None,
        text,
        numbers: Numbers::default(),
    }
}

/// Each main-thread call whose context passed `COMPACT_CONTEXT` when the call before it
/// had not.
fn context_crossings(resp: &Responses) -> Vec<Marker> {
    let mut out = Vec::new();
    let mut before = 0;
    for (pos, (_, r)) in resp.main.iter().enumerate() {
        let ctx = r.tokens.context();
        if ctx > COMPACT_CONTEXT && before <= COMPACT_CONTEXT {
            let text = format!(
                "the context passed {}k tokens: this call read {}",
                COMPACT_CONTEXT / 1000,
                human(ctx)
            );
            let mut m = marker(CONTEXT_100K, r.ts, pos, text);
            m.numbers.context_tokens = Some(ctx);
            out.push(m);
        }
        before = ctx;
    }
    out
}

/// Gaps in one thread longer than its cache's TTL, followed by a call that wrote the
/// cache again.
fn expiries(
    cx: &Context,
    agent: Option<&Run>,
    calls: &[(u32, &Response)],
    resp: &Responses,
) -> Vec<Marker> {
    let mut out = Vec::new();
    let mut last_write = Tokens::default();
    for w in calls.windows(2) {
        let (prev, cur) = (w[0].1, w[1].1);
        if prev.tokens.cache_write() > 0 {
            last_write = prev.tokens;
        }
        let (Some(t0), Some(t1)) = (prev.ts, cur.ts) else {
            continue;
        };
        let (gap, ttl) = (t1 - t0, prefix_ttl(&last_write));
        let rewrite = Tokens {
            cache_write_5m: cur.tokens.cache_write_5m,
            cache_write_1h: cur.tokens.cache_write_1h,
            ..Tokens::default()
        };
        if gap <= ttl || rewrite.is_zero() {
            continue;
        }
        let value = cx.value(cur, rewrite);
        let text = format!(
            "{}cache expired: {} idle, longer than its {} TTL; the next call wrote {} tokens to the cache again ({})",
            agent.map_or(String::new(), |a| format!(
                "in sub-agent {}: ",
                a.agent_type
            )),
            duration(gap),
            duration(ttl),
            human(rewrite.cache_write()),
            money_fine(value)
        );
        let mut m = marker(
            CACHE_EXPIRY,
            Some(t1),
            position_of(resp, w[1].0, cur.ts),
            text,
        );
        m.agent_id = agent.map(|a| a.agent_id.clone());
        m.numbers = Numbers {
            gap_ms: Some(gap),
            ttl_ms: Some(ttl),
            expired_tokens: Some(expired_part(&prev.tokens, gap).cache_write()),
            rewrite_tokens: Some(rewrite.cache_write()),
            rewrite_api_value_usd: Some(value),
            ..Numbers::default()
        };
        out.push(m);
    }
    out
}

/// The session's compactions: the context before and after, and what triggered each.
fn compactions(s: &Subject, cx: &Context, resp: &Responses) -> Vec<Marker> {
    let (ds, bounds) = (s.ds, s.opts.bounds());
    let mut out = Vec::new();
    for c in &ds.compactions {
        if c.session != s.session || !in_bounds(bounds, c.ts) {
            continue;
        }
        let pos = by_time(resp, c.ts);
        let mut m = if let Some(agent) = c.agent {
            let name = ds.name(agent);
            let what = cx.run_type(name).unwrap_or("sub-agent");
            let text = format!("sub-agent {what} compacted its context");
            let mut m = marker(COMPACTION, c.ts, pos, text);
            m.agent_id = Some(name.to_string());
            m
        } else {
            let before = pos.checked_sub(1).map(|p| resp.main[p].1.tokens.context());
            let after = resp.main.get(pos).map(|(_, r)| r.tokens.context());
            let manual = after_compact_command(s, c.ts);
            let trigger = if manual { "manual" } else { "auto" };
            let how = if manual { "/compact" } else { "automatic" };
            let sizes = match (before, after) {
                (Some(b), Some(a)) => format!(": context {} → {} tokens", human(b), human(a)),
                (Some(b), None) => format!(" at {} tokens of context", human(b)),
                _ => String::new(),
            };
            let mut m = marker(COMPACTION, c.ts, pos, format!("compaction ({how}){sizes}"));
            m.numbers.context_tokens = before;
            m.numbers.context_after_tokens = after;
            m.numbers.trigger = Some(trigger);
            m
        };
        m.at = c.ts.map(Timestamp);
        out.push(m);
    }
    out
}

/// Whether the main thread's last prompt before `ts` was `/compact`.
fn after_compact_command(s: &Subject, ts: Option<Millis>) -> bool {
    let Some(ts) = ts else { return false };
    s.ds.prompts
        .iter()
        .rfind(|p| p.session == s.session && !p.sidechain && p.ts.is_some_and(|t| t <= ts))
        .is_some_and(|p| p.kind == PromptKind::Command && p.snippet.contains("/compact"))
}

/// API errors, usage limits and interrupts.
fn errors(s: &Subject, resp: &Responses) -> Vec<Marker> {
    let (ds, bounds) = (s.ds, s.opts.bounds());
    let mut out = Vec::new();
    for e in &ds.api_errors {
        if e.session != s.session || !in_bounds(bounds, e.ts) {
            continue;
        }
        let text = match &*e.kind {
            "usage_limit" => "usage limit reached".to_string(),
            "timeout" => "API error: the request timed out".to_string(),
            "api_error" => "API error".to_string(),
            k => format!("API error {k}"),
        };
        let mut m = marker(API_ERROR, e.ts, by_time(resp, e.ts), text);
        m.numbers.error_kind = Some(e.kind.to_string());
        out.push(m);
    }
    for &(ts, session) in &ds.interrupts {
        if session == s.session && in_bounds(bounds, ts) {
            let text = "interrupted by the user".to_string();
            out.push(marker(INTERRUPT, ts, by_time(resp, ts), text));
        }
    }
    out
}

/// Main-thread calls at or before `ts` (undated events go last).
fn by_time(resp: &Responses, ts: Option<Millis>) -> usize {
    let Some(ts) = ts else {
        return resp.main.len();
    };
    resp.main
        .partition_point(|(_, r)| r.ts.is_some_and(|t| t <= ts))
}

/// A call's position among the main thread's: its own when it is a main-thread call,
/// else the main-thread calls before it in time.
fn position_of(resp: &Responses, i: u32, ts: Option<Millis>) -> usize {
    match resp.main.iter().position(|&(j, _)| j == i) {
        Some(p) => p,
        None => ts.map_or(resp.main.len(), |t| {
            resp.main
                .partition_point(|(_, r)| r.ts.is_some_and(|x| x < t))
        }),
    }
}

/// The position of each turn's first call.
fn turn_starts(turns: &[Turn]) -> Vec<usize> {
    let mut at = 0;
    turns
        .iter()
        .map(|t| {
            let start = at;
            at += t.calls.len();
            start
        })
        .collect()
}

/// The last turn whose first call came at or before `at`.
fn turn_by_time(turns: &[Turn], at: Millis) -> Option<u32> {
    turns
        .iter()
        .take_while(|t| t.start.is_some_and(|s| s.0 <= at))
        .last()
        .map(|t| t.turn)
}

/// The turn holding the call at `position` (the last turn past the end).
fn turn_at(starts: &[usize], turns: &[Turn], position: u32) -> Option<u32> {
    let k = starts.partition_point(|&s| s <= position as usize);
    turns.get(k.checked_sub(1)?).map(|t| t.turn)
}
