//! The agent loop of one turn: API calls that think, say a line and call tools (one, or
//! a few in parallel), each followed by the tools' results, until a final answer; with an
//! occasional API error (a `<synthetic>` line and a retry) and auto-compaction between
//! calls.

use crate::calendar::{Ms, since};
use crate::ids;
use crate::json::{Obj, V};
use crate::session::Session;
use crate::thread::{Answer, Thread};
use crate::tools::{self, Call, Outcome};
use crate::truth::Tally;
use crate::vocab::{ACTIONS, API_ERRORS, OBJECTS, VERBS};

/// The shape of a session kind's work.
#[derive(Clone, Copy, Debug)]
pub struct Profile {
    /// Median turns per session and their spread (log space).
    pub turns: f64,
    pub tsig: f64,
    /// Median tool-calling API calls per turn and their spread.
    pub calls: f64,
    pub csig: f64,
    /// Chance that a call thinks, and the median thinking tokens.
    pub think: f64,
    pub think_tok: f64,
    /// Median tokens of a final answer.
    pub answer_tok: f64,
    /// Sub-agent appetite (multiplies the corpus's sub-agent rate).
    pub sub: f64,
}

const API_ERROR_RATE: f64 = 0.004;

/// Runs one turn of `th`: `calls` tool-calling API calls, then a final answer. Returns
/// when the answer is written.
pub fn run(s: &mut Session, th: &mut Thread, mut t: Ms, calls: usize, prof: &Profile) -> Ms {
    let mut done = 0;
    loop {
        let last = done >= calls;
        let (mut blocks, mut out) = (Vec::new(), 0u64);
        if s.rng.chance(prof.think) {
            let tokens = s.rng.lognorm(prof.think_tok, 0.9).min(12_000.0) as u64;
            blocks.push(thinking(s, tokens));
            out += tokens;
        }
        let mut uses: Vec<Call> = Vec::new();
        let stop = if last {
            let tokens = s.rng.lognorm(prof.answer_tok, 0.8).min(6000.0) as u64;
            let chars = (tokens as f64 * 3.7) as usize;
            let text = s.env.pools.text(&mut s.rng, chars);
            th.last_answer.clone_from(&text);
            blocks.push(Obj::new().with("type", "text").with("text", text));
            out += tokens;
            "end_turn"
        } else {
            if s.rng.chance(0.45) {
                let r = &mut s.rng;
                let pre = format!("{} {} {}.", r.pick(VERBS), r.pick(ACTIONS), r.pick(OBJECTS));
                out += pre.len() as u64 / 4 + 2;
                blocks.push(Obj::new().with("type", "text").with("text", pre));
            }
            let parallel = if s.rng.chance(0.78) {
                1
            } else {
                s.rng.range(2, 4)
            };
            for _ in 0..parallel {
                let call = tools::pick(s, th);
                out += call.out_tokens;
                blocks.push(call.block(s.v >= since::LONG_AGENT_IDS));
                uses.push(call);
            }
            "tool_use"
        };
        let out = out.max(1);
        let latency = 1200
            + (out as f64 * 1000.0 / s.rng.uniform(45.0, 110.0)) as Ms
            + s.rng.range(0, 3000) as Ms;
        let reply = th.respond(s, t, Answer { blocks, out, stop }, latency);
        t = reply.end;
        if last {
            th.skill = None;
            return t;
        }
        let first_use = reply.block_at.len() - uses.len();
        let mut results = Vec::with_capacity(uses.len());
        for (k, call) in uses.into_iter().enumerate() {
            th.tool_count += 1;
            let (after, outcome) = tools::execute(s, th, &call, t);
            t = after;
            results.push((call, reply.block_at[first_use + k], outcome));
        }
        t = tool_results(s, th, t, results);
        t += s.rng.range(50, 400) as Ms;
        done += 1;
        if !th.is_side() && s.rng.chance(API_ERROR_RATE) {
            t = api_error(s, th, t);
        }
        t = th.maybe_compact(s, t, false);
    }
}

fn thinking(s: &mut Session, tokens: u64) -> Obj {
    let chars = (tokens as f64 * 3.6) as usize;
    let text = s.env.pools.text(&mut s.rng, chars);
    let sig_len = s.rng.range(200, 780) as usize;
    Obj::new()
        .with("type", "thinking")
        .with("thinking", text)
        .with("signature", s.env.pools.signature[..sig_len].to_string())
}

/// A failed call Claude Code reports with a `<synthetic>` line, then retries.
fn api_error(s: &mut Session, th: &mut Thread, t: Ms) -> Ms {
    let text = *s.rng.pick(API_ERRORS);
    let at = t + s.rng.range(5000, 60_000) as Ms;
    th.synthetic(s, at, text.to_string(), true);
    let kind = if text.contains("timed out") {
        "timeout"
    } else {
        &text[11..14]
    };
    Tally::count(&mut s.tally.api_errors, kind);
    at + s.rng.range(10_000, 90_000) as Ms
}

/// One user line per tool result (1 ms apart), recording each call's error and latency.
fn tool_results(
    s: &mut Session,
    th: &mut Thread,
    mut t: Ms,
    results: Vec<(Call, Ms, Outcome)>,
) -> Ms {
    for (call, called_at, o) in results {
        let uuid = ids::uuid(&mut s.rng);
        let mut block = Obj::new()
            .with("tool_use_id", call.id.clone())
            .with("type", "tool_result")
            .with("content", o.content.clone());
        if o.is_error {
            block.push("is_error", true);
        }
        let mut line = th.envelope(s, "user");
        line.push(
            "message",
            Obj::new()
                .with("role", "user")
                .with("content", vec![V::O(block)]),
        );
        line.push("uuid", uuid.clone());
        line.push("timestamp", crate::calendar::iso(t));
        if let Some(tur) = o.tool_use_result {
            line.push("toolUseResult", tur);
        }
        th.put(&line, None);
        th.parent = Some(uuid);
        th.grow(content_len(&o.content) / 4 + 10);
        record_call(s, th, &call.name, o.is_error, t - called_at);
        if let Some(text) = o.injected {
            th.prompt(s, t + 1, V::from(text), &[("isMeta", V::Bool(true))]);
        }
        t += 1;
    }
    t
}

fn record_call(s: &mut Session, th: &Thread, name: &str, error: bool, latency: Ms) {
    s.tally.tool(name, error, latency);
    *s.truth.tool_uses.entry(name.to_string()).or_default() += 1;
    if error {
        *s.truth.tool_errors.entry(name.to_string()).or_default() += 1;
    }
    if let Some(i) = th.run {
        s.truth.subagent_runs[i].tool_uses += 1;
    }
}

fn content_len(v: &V) -> u64 {
    match v {
        V::S(t) => t.len() as u64,
        V::Shared(t) => t.len() as u64,
        V::A(items) => items.iter().map(content_len).sum(),
        V::O(o) => o.get("text").map_or(0, content_len),
        _ => 0,
    }
}
