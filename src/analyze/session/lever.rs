//! A drill-down's closing line: the session's biggest lever, the candidate with the most
//! API value at stake among its `/compact` point (`turns::compact_after`, the context
//! analyzer's rule), its Sonnet-shaped Opus turns (the Opus audit's verdicts, priced on
//! the Sonnet of the same generation) and its most re-read file (`recurring::top_read`,
//! priced as 5-minute cache writes of the session's main model). Candidates to spot-check,
//! never promised savings.

use super::calls::Context;
use super::{Responses, Subject};
use crate::analyze::bucket::Billing;
use crate::analyze::opus_audit::Verdict;
use crate::analyze::recurring;
use crate::analyze::turns::{compact_after, session_turns};
use crate::analyze::value::Mix;
use crate::model::{Response, Tokens};
use crate::render::fmt::{human, money_fine, pct, plural};
use serde::Serialize;
use std::collections::BTreeSet;

/// The biggest lever of a session.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Lever {
    /// `compact`, `sonnet_shaped`, `recurring_read` or `none`.
    pub kind: &'static str,
    pub text: String,
    /// The API value at stake (an estimate for `recurring_read`).
    pub api_value_usd: Option<f64>,
}

/// The candidate with the most API value at stake, else `none`.
pub(crate) fn find(s: &Subject, billing: &Billing, resp: &Responses, cx: &Context) -> Lever {
    [
        compact(s, billing, resp),
        sonnet_shaped(s, billing, resp, cx),
        recurring_read(s, resp),
    ]
    .into_iter()
    .flatten()
    .max_by(|a, b| a.api_value_usd.unwrap_or(0.0).total_cmp(&b.api_value_usd.unwrap_or(0.0)))
    .unwrap_or_else(|| Lever {
        kind: "none",
        text: "nothing stands out: no /compact point, no Sonnet-shaped Opus turns, no file read again and again".into(),
        api_value_usd: None,
    })
}

/// The turn after which the main thread kept re-reading a large context.
fn compact(s: &Subject, billing: &Billing, resp: &Responses) -> Option<Lever> {
    let refs: Vec<&Response> = resp.main.iter().map(|(_, r)| *r).collect();
    let turns = session_turns(&refs);
    let after = compact_after(&turns, &refs, s.ds, s.pricing, billing)?;
    Some(Lever {
        kind: "compact",
        text: format!(
            "the context passed {} tokens in turn {}; the calls after it re-read {} tokens ({}): /compact there, or start a fresh session",
            human(crate::analyze::turns::COMPACT_CONTEXT),
            after.turn,
            human(after.tokens),
            money_fine(after.api_value_usd)
        ),
        api_value_usd: Some(after.api_value_usd),
    })
}

/// Opus turns the audit found Sonnet-shaped, and what they would have cost on Sonnet.
fn sonnet_shaped(s: &Subject, billing: &Billing, resp: &Responses, cx: &Context) -> Option<Lever> {
    let shaped: BTreeSet<Option<u64>> = cx.verdicts(Verdict::SonnetShaped);
    let (mut mix, mut opus_tokens) = (Mix::default(), 0);
    for (_, r) in &resp.main {
        if s.judge.is_premium(r.model) {
            opus_tokens += r.tokens.total();
            if shaped.contains(&r.turn_hash()) {
                mix.add(r, billing);
            }
        }
    }
    let tokens = mix.tokens().total();
    if tokens == 0 {
        return None;
    }
    let value = mix.values(s.ds, s.pricing).0.total();
    let on_sonnet: f64 = mix
        .per_model()
        .filter_map(|(m, standard, long)| {
            let sonnet = s.pricing.same_generation(s.ds.name(m), "sonnet")?;
            s.pricing.cost(sonnet, standard, long)
        })
        .sum();
    let gap = value - on_sonnet;
    Some(Lever {
        kind: "sonnet_shaped",
        text: format!(
            "{} of its Opus tokens went to {} ({} of API value, {} more than on Sonnet): /model sonnet for turns like these",
            pct(crate::analyze::ratio(tokens, opus_tokens)),
            plural(shaped.len() as u64, "Sonnet-shaped turn"),
            money_fine(value),
            money_fine(gap)
        ),
        api_value_usd: Some(gap),
    })
}

/// The file the session read most often, priced as writing its re-reads to the cache.
fn recurring_read(s: &Subject, resp: &Responses) -> Option<Lever> {
    let ds = s.ds;
    let mine: BTreeSet<u32> = resp.all.iter().map(|(i, _)| *i).collect();
    let calls = ds
        .tool_calls
        .iter()
        .filter(|c| c.response.is_some_and(|i| mine.contains(&i)));
    let top = recurring::top_read(ds, calls)?;
    let again = top.est_tokens - top.est_tokens / top.occurrences.max(1);
    let model = resp
        .main
        .iter()
        .chain(&resp.all)
        .map(|(_, r)| ds.name(r.model))
        .find(|m| s.pricing.is_priced(m))?;
    let writes = Tokens {
        cache_write_5m: again,
        ..Tokens::default()
    };
    let value = s.pricing.cost(model, &writes, &Tokens::default())?;
    Some(Lever {
        kind: "recurring_read",
        text: format!(
            "{}: {} (≈{} tokens entered the context again, ≈{})",
            s.privacy.path(&top.label),
            top.suggestion,
            human(again),
            money_fine(value)
        ),
        api_value_usd: Some(value),
    })
}
