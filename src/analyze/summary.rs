//! The first-run summary's own findings, drawn from the other sections: the largest
//! recurring inclusion, the costliest flagged sub-agent run, and one concrete next step —
//! the candidate with the most API value at stake among the Opus audit, `/compact`
//! candidates, expired cache writes and over-sized sub-agents (else the top recurring
//! inclusion). Candidates to look at, never promised savings.

use super::context::ContextReport;
use super::opus_audit::OpusAudit;
use super::recurring::Recurring;
use super::subagents::SubagentsReport;
use crate::render::fmt::{human, money, pct};
use serde::Serialize;

/// The costliest flagged sub-agent run, in a line.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FlagHeadline {
    pub agent_id: String,
    pub agent_type: String,
    pub kind: &'static str,
    pub reason: String,
}

/// What to do next, and the command that shows the details.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct NextStep {
    pub text: String,
    pub command: &'static str,
    /// The API value at stake, when the finding has one.
    pub api_value_usd: Option<f64>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Summary {
    pub top_recurring: Option<Recurring>,
    pub top_flag: Option<FlagHeadline>,
    pub next_step: NextStep,
}

pub fn summarize(
    context: Option<&ContextReport>,
    subagents: Option<&SubagentsReport>,
    opus: Option<&OpusAudit>,
) -> Summary {
    let top_recurring = context.and_then(|c| {
        c.recurring
            .iter()
            .max_by(|a, b| a.est_tokens.cmp(&b.est_tokens).then(b.key.cmp(&a.key)))
            .cloned()
    });
    let top_flag = subagents.and_then(|s| {
        s.runs.iter().find_map(|r| {
            r.flags.first().map(|f| FlagHeadline {
                agent_id: r.agent_id.clone(),
                agent_type: r.agent_type.clone(),
                kind: f.kind,
                reason: f.reason.clone(),
            })
        })
    });
    let steps = [
        opus.and_then(opus_step),
        context.and_then(compact_step),
        context.and_then(expired_step),
        subagents.and_then(subagent_step),
    ];
    let best = steps.into_iter().flatten().max_by(|a, b| {
        a.api_value_usd
            .unwrap_or(0.0)
            .total_cmp(&b.api_value_usd.unwrap_or(0.0))
    });
    let next_step = best.unwrap_or_else(|| match &top_recurring {
        Some(r) => NextStep {
            text: format!("{}: {}", r.label, r.suggestion),
            command: "ccrecap context",
            api_value_usd: None,
        },
        None => NextStep {
            text:
                "nothing stands out in this window; `ccrecap context` shows where the tokens went"
                    .into(),
            command: "ccrecap context",
            api_value_usd: None,
        },
    });
    Summary {
        top_recurring,
        top_flag,
        next_step,
    }
}

/// Opus quota spent on Sonnet-shaped turns.
fn opus_step(o: &OpusAudit) -> Option<NextStep> {
    let gap = o.sonnet_shaped_api_value_usd - o.sonnet_shaped_at_sonnet_usd;
    (o.sonnet_shaped_api_value_usd > 0.0).then(|| NextStep {
        text: format!(
            "{} of your Opus quota went to Sonnet-shaped turns ({} of API value, {} more than on Sonnet): {}",
            pct(o.sonnet_shaped_share),
            money(o.sonnet_shaped_api_value_usd),
            money(gap),
            match o.suggestion.model {
                Some("sonnet") => "consider Sonnet as the default model".to_string(),
                Some(m) => format!("consider {m}"),
                None => "spot-check them before changing models".into(),
            }
        ),
        command: "ccrecap opus --export-config",
        api_value_usd: Some(gap),
    })
}

/// The session that kept re-reading its context longest.
fn compact_step(c: &ContextReport) -> Option<NextStep> {
    let k = c.compact_candidates.first()?;
    Some(NextStep {
        text: format!(
            "a session kept re-reading its context after turn {} ({} tokens, {}): /compact or start fresh sooner in long sessions",
            k.turn_passed_100k,
            human(k.reread_after_tokens),
            money(k.reread_after_api_value_usd)
        ),
        command: "ccrecap context",
        api_value_usd: Some(k.reread_after_api_value_usd),
    })
}

/// Cache writes that expired before they were read.
fn expired_step(c: &ContextReport) -> Option<NextStep> {
    let expired = &c.cache.expired_writes;
    (expired.api_value_usd > 0.0).then(|| NextStep {
        text: format!(
            "{} cache-write tokens expired before they were read ({}): long pauses mid-task re-pay the whole context",
            human(expired.tokens),
            money(expired.api_value_usd)
        ),
        command: "ccrecap context",
        api_value_usd: Some(expired.api_value_usd),
    })
}

/// Sub-agents that read more context than their type usually does.
fn subagent_step(s: &SubagentsReport) -> Option<NextStep> {
    let v: f64 = s
        .runs
        .iter()
        .flat_map(|r| &r.flags)
        .filter_map(|f| f.excess_value_usd)
        .fold(0.0, |a, b| a + b);
    (v > 0.0).then(|| NextStep {
        text: format!(
            "sub-agents read more context than their type usually does ({} over the medians): give them narrower prompts",
            money(v)
        ),
        command: "ccrecap subagents",
        api_value_usd: Some(v),
    })
}
