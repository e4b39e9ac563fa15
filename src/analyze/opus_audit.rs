//! The Opus audit: which main-thread turns answered by an Opus-tier model were
//! Sonnet-shaped (small and simple), how much of the window's Opus quota went to stretches
//! of them, and what those stretches would have cost at the Sonnet rate of the same
//! generation — overall, per project, per session, with diverse examples to spot-check.
//! Every finding is a candidate to check by hand, never proof that a cheaper model would
//! have done as well.
//!
//! The thresholds live in `Shape` below, in one place. They were tuned on generated
//! corpora of three seeds and eras (their sessions are labelled `opus_light` / `opus_heavy`)
//! and on the fixtures in fixtures/opus/: per turn, output under 2,000 tokens, at most 8
//! tool calls, under ~1,000 tokens of thinking, new (uncached) input under 2,000 tokens and
//! no delegation. The stricter first guess (output < 300, ≤ 2 tool calls) flagged only
//! 15–21% of the Sonnet-sized sessions, because a turn's output includes its tool-call
//! blocks and short answers still run a few hundred tokens.

use super::bucket::Billing;
use super::usage::window_range;
use super::value::Mix;
use super::{Options, ratio};
use crate::model::ids::FastMap;
use crate::model::{Dataset, Origin, Response, Sym};
use crate::options::CostMode;
use crate::pricing::Pricing;
use crate::render::fmt::{self, thousands};
use crate::time::{LocalDays, Timestamp};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What makes a turn Sonnet-shaped. All bounds are exclusive except `max_tool_calls`.
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct Shape {
    /// New, uncached input tokens over the turn's calls.
    pub new_input_below: u64,
    /// Output tokens over the turn's calls (answer, tool-call blocks and thinking).
    pub output_below: u64,
    pub max_tool_calls: u64,
    /// Thinking text in bytes (about 4 per token).
    pub thinking_bytes_below: u64,
    /// No Task/Agent calls: delegating work is not a small turn.
    pub no_delegation: bool,
    /// Sonnet-shaped turns in a row that make a stretch (a whole session of them also
    /// does, however short).
    pub stretch_turns: usize,
}

/// The thresholds (see the module docs for the evidence).
pub const SHAPE: Shape = Shape {
    new_input_below: 2_000,
    output_below: 2_000,
    max_tool_calls: 8,
    thinking_bytes_below: 4_000,
    no_delegation: true,
    stretch_turns: 2,
};

/// Sessions given as examples.
const EXAMPLES: usize = 5;
/// Characters of a prompt preview.
const PREVIEW_CHARS: usize = 60;

pub const CAVEAT: &str = "Sonnet-shaped turns are candidates to spot-check, not proof that a cheaper model would have done as well";

/// The `opus_audit` section.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct OpusAudit {
    pub caveat: &'static str,
    pub thresholds: Option<Shape>,
    /// Tokens of all Opus-tier responses in the window (main threads and sub-agents).
    pub opus_tokens: u64,
    /// Tokens of the main-thread turns in Sonnet-shaped stretches.
    pub sonnet_shaped_tokens: u64,
    /// sonnet_shaped_tokens / opus_tokens (quota share).
    pub sonnet_shaped_share: f64,
    pub opus_turns: u64,
    pub sonnet_shaped_turns: u64,
    /// API value of the Opus tokens and of the stretches, and the stretches at the Sonnet
    /// rate of the same generation.
    pub opus_api_value_usd: f64,
    pub sonnet_shaped_api_value_usd: f64,
    pub sonnet_shaped_value_share: f64,
    pub sonnet_shaped_at_sonnet_usd: f64,
    pub by_project: Vec<ProjectAudit>,
    pub flagged_sessions: Vec<FlaggedSession>,
    pub examples: Vec<Example>,
    /// What `ccrecap opus --export-config` suggests.
    pub suggestion: Suggestion,
    /// Main-thread Opus turns by the `effort` on their first line, when any line has
    /// one (effort is shown, not used to shape turns).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_effort: Vec<EffortRow>,
}

/// Opus turns at one `effort` (null: the field absent).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct EffortRow {
    pub effort: Option<String>,
    pub turns: u64,
    pub sonnet_shaped_turns: u64,
}

/// A suggested Claude Code model setting, and why.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Suggestion {
    /// `sonnet` or `opusplan` for `~/.claude/settings.json`; None without Opus use, or
    /// below `OPUSPLAN_SHARE` ("no change suggested").
    pub model: Option<&'static str>,
    pub why: String,
    /// The shares of Sonnet-shaped Opus tokens above which each change is suggested.
    pub opusplan_from_share: f64,
    pub sonnet_from_share: f64,
    pub project_sonnet_from_share: f64,
    /// Working directories (each once) of projects where most Opus work was
    /// Sonnet-shaped: candidates for `"model": "sonnet"` in their `.claude/settings.json`.
    pub sonnet_projects: Vec<String>,
}

/// Overall share of Sonnet-shaped Opus tokens from which `opusplan` is suggested; below
/// it, no change.
pub const OPUSPLAN_SHARE: f64 = 0.25;
/// Overall share from which Sonnet is suggested as the default.
pub const SONNET_DEFAULT_SHARE: f64 = 0.5;
/// Per-project share from which the project is suggested Sonnet.
pub const SONNET_PROJECT_SHARE: f64 = 0.6;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ProjectAudit {
    /// The project's display name, and its directory under `projects/`.
    pub project: String,
    pub project_dir: String,
    /// The working directory that stands for the project.
    pub cwd: Option<String>,
    pub opus_tokens: u64,
    pub sonnet_shaped_tokens: u64,
    pub sonnet_shaped_share: f64,
    pub sonnet_shaped_api_value_usd: f64,
    pub sonnet_shaped_at_sonnet_usd: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FlaggedSession {
    pub session_id: String,
    /// The project's display name, and its directory under `projects/`.
    pub project: String,
    pub project_dir: String,
    pub cwd: Option<String>,
    /// Local date of its first Opus turn.
    pub date: Option<NaiveDate>,
    /// Opus turns, and those in Sonnet-shaped stretches.
    pub turns: u64,
    pub sonnet_shaped_turns: u64,
    /// Tokens of its stretches, and of all its Opus turns.
    pub tokens: u64,
    pub opus_tokens: u64,
    pub api_value_usd: f64,
    pub at_sonnet_usd: f64,
    pub reason: String,
}

/// A session worth spot-checking, with where to look.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Example {
    pub session_id: String,
    /// The project's display name, and its directory under `projects/`.
    pub project: String,
    pub project_dir: String,
    pub cwd: Option<String>,
    pub date: Option<NaiveDate>,
    /// When its first Sonnet-shaped turn started.
    pub first_shaped_turn_at: Option<Timestamp>,
    pub prompt_preview: String,
    pub tokens: u64,
    pub reason: String,
}

/// One Opus turn of a main thread.
#[derive(Default)]
struct Turn<'a> {
    key: Option<u64>,
    calls: Vec<&'a Response>,
    input: u64,
    output: u64,
    thinking: u64,
    tool_calls: u64,
    delegates: bool,
    tokens: u64,
}

impl Turn<'_> {
    fn shaped(&self, s: &Shape) -> bool {
        self.input < s.new_input_below
            && self.output < s.output_below
            && self.tool_calls <= s.max_tool_calls
            && self.thinking < s.thinking_bytes_below
            && !(s.no_delegation && self.delegates)
    }
}

/// Main-thread Opus calls of one session, in time order, each with its index in
/// `ds.responses` (which tool calls refer to).
pub type SessionCalls<'a> = Vec<(u32, &'a Response)>;

/// The audit's verdict on one Opus turn of a main thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Sonnet-shaped and part of a stretch: counted by the audit.
    SonnetShaped,
    /// Sonnet-shaped, but alone between larger turns: not counted.
    SmallAlone,
    /// Larger than `SHAPE` in some way.
    OpusSized,
}

impl Verdict {
    /// The verdict's name in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::SonnetShaped => "sonnet_shaped",
            Verdict::SmallAlone => "small_alone",
            Verdict::OpusSized => "opus_sized",
        }
    }
}

/// What the audit judges turns with: the Opus-tier models and the tool calls of each
/// response. Built once per dataset.
pub struct Judge {
    premium: BTreeSet<Sym>,
    tools: FastMap<u32, (u64, bool)>,
}

impl Judge {
    pub fn new(ds: &Dataset, pricing: &Pricing) -> Judge {
        Judge {
            premium: premium_models(ds, pricing),
            tools: tools_by_response(ds),
        }
    }

    /// Whether the audit counts `model` as Opus-tier.
    pub fn is_premium(&self, model: Sym) -> bool {
        self.premium.contains(&model)
    }

    /// The verdict on each Opus turn of one session's main thread (`list`: its Opus calls
    /// in time order), keyed by the turn's opening prompt, in order of each turn's first
    /// call.
    pub fn verdicts(&self, list: &[(u32, &Response)]) -> Vec<(Option<u64>, Verdict)> {
        let turns = split_turns(list, &self.tools);
        let (shaped, in_stretch) = judge(&turns);
        turns
            .iter()
            .zip(shaped.iter().zip(&in_stretch))
            .map(|(t, (&shaped, &stretch))| {
                let v = match (shaped, stretch) {
                    (_, true) => Verdict::SonnetShaped,
                    (true, false) => Verdict::SmallAlone,
                    (false, false) => Verdict::OpusSized,
                };
                (t.key, v)
            })
            .collect()
    }
}

/// Which turns are Sonnet-shaped, and which of them belong to a stretch.
fn judge(turns: &[Turn]) -> (Vec<bool>, Vec<bool>) {
    let shaped: Vec<bool> = turns.iter().map(|t| t.shaped(&SHAPE)).collect();
    let in_stretch = stretches(&shaped, SHAPE.stretch_turns);
    (shaped, in_stretch)
}

pub fn analyze(ds: &Dataset, pricing: &Pricing, opts: &Options) -> OpusAudit {
    let range = window_range(ds, opts);
    let calls = &ds.responses[range.clone()];
    let mut acc = Audit {
        ds,
        pricing,
        billing: Billing::new(ds, pricing, CostMode::Calculate),
        judge: Judge::new(ds, pricing),
        local: LocalDays::new(opts.zone),
        projects: BTreeMap::new(),
        stretches: Mix::default(),
        turns: 0,
        shaped_turns: 0,
        efforts: BTreeMap::new(),
    };
    let mut all = Mix::default();
    let mut opus_tokens = 0;
    let mut sessions: BTreeMap<(Sym, Sym), SessionCalls> = BTreeMap::new();
    for (i, r) in range.zip(calls) {
        if !acc.judge.is_premium(r.model) {
            continue;
        }
        all.add(r, &acc.billing);
        opus_tokens += r.tokens.total();
        if r.origin == Origin::Main {
            sessions
                .entry((r.project, r.session))
                .or_default()
                .push((i as u32, r));
        }
    }
    let mut flagged: Vec<(FlaggedSession, Example)> = sessions
        .iter()
        .filter_map(|(&(_, session), list)| acc.session(session, list))
        .collect();
    flagged.sort_by(|a, b| {
        b.0.tokens
            .cmp(&a.0.tokens)
            .then_with(|| a.0.session_id.cmp(&b.0.session_id))
    });
    let opus_api_value_usd = all.values(ds, pricing).0.total();
    let sonnet_shaped_tokens = acc.stretches.tokens().total();
    let sonnet_shaped_api_value_usd = acc.stretches.values(ds, pricing).0.total();
    let mut audit = OpusAudit {
        caveat: CAVEAT,
        thresholds: Some(SHAPE),
        opus_tokens,
        sonnet_shaped_tokens,
        sonnet_shaped_share: ratio(sonnet_shaped_tokens, opus_tokens),
        opus_turns: acc.turns,
        sonnet_shaped_turns: acc.shaped_turns,
        opus_api_value_usd,
        sonnet_shaped_api_value_usd,
        sonnet_shaped_value_share: if opus_api_value_usd > 0.0 {
            sonnet_shaped_api_value_usd / opus_api_value_usd
        } else {
            0.0
        },
        sonnet_shaped_at_sonnet_usd: at_sonnet(&acc.stretches, ds, pricing),
        by_project: project_rows(acc.projects, ds, pricing),
        examples: diverse(&flagged),
        ..OpusAudit::default()
    };
    audit.suggestion = suggest(&audit);
    if acc.efforts.keys().any(Option::is_some) {
        audit.by_effort = acc
            .efforts
            .iter()
            .map(|(e, &(turns, shaped))| EffortRow {
                effort: e.map(|s| ds.name(s).to_string()),
                turns,
                sonnet_shaped_turns: shaped,
            })
            .collect();
    }
    audit.flagged_sessions = flagged.into_iter().map(|(f, _)| f).collect();
    audit
}

/// The audit being accumulated, session by session.
struct Audit<'a> {
    ds: &'a Dataset,
    pricing: &'a Pricing,
    billing: Billing<'a>,
    judge: Judge,
    local: LocalDays,
    projects: BTreeMap<Sym, ProjectAcc>,
    /// Every Sonnet-shaped stretch.
    stretches: Mix,
    turns: u64,
    shaped_turns: u64,
    /// Turns and Sonnet-shaped turns by the effort of their first line.
    efforts: BTreeMap<Option<Sym>, (u64, u64)>,
}

impl Audit<'_> {
    /// Audits one session's Opus turns; a session with Sonnet-shaped stretches comes back
    /// flagged, with the example that shows where to look.
    fn session(&mut self, session: Sym, list: &SessionCalls) -> Option<(FlaggedSession, Example)> {
        let (ds, first_call) = (self.ds, list[0].1);
        let turns = split_turns(list, &self.judge.tools);
        let (_, in_stretch) = judge(&turns);
        for (t, &s) in turns.iter().zip(&in_stretch) {
            let e = self
                .efforts
                .entry(ds.attribution(t.calls[0]).effort)
                .or_default();
            e.0 += 1;
            e.1 += u64::from(s);
        }
        let stretch: Vec<&Turn> = turns
            .iter()
            .zip(&in_stretch)
            .filter(|(_, s)| **s)
            .map(|(t, _)| t)
            .collect();
        let p = self.projects.entry(first_call.project).or_default();
        let session_tokens: u64 = turns.iter().map(|t| t.tokens).sum();
        p.opus_tokens += session_tokens;
        self.turns += turns.len() as u64;
        let mut mix = Mix::default();
        for r in stretch.iter().flat_map(|t| &t.calls) {
            mix.add(r, &self.billing);
            self.stretches.add(r, &self.billing);
            p.mix.add(r, &self.billing);
        }
        let first = stretch.first()?;
        self.shaped_turns += stretch.len() as u64;
        let reason = reason(&stretch, turns.len());
        let fs = FlaggedSession {
            session_id: ds.name(session).to_string(),
            project: ds.project_name(first_call.project).to_string(),
            project_dir: ds.name(first_call.project).to_string(),
            cwd: first_call.cwd.map(|c| ds.name(c).to_string()),
            date: first_call.ts.map(|t| self.local.date_of(t)),
            turns: turns.len() as u64,
            sonnet_shaped_turns: stretch.len() as u64,
            tokens: mix.tokens().total(),
            opus_tokens: session_tokens,
            api_value_usd: mix.values(ds, self.pricing).0.total(),
            at_sonnet_usd: at_sonnet(&mix, ds, self.pricing),
            reason: reason.clone(),
        };
        let ex = Example {
            session_id: fs.session_id.clone(),
            project: fs.project.clone(),
            project_dir: fs.project_dir.clone(),
            cwd: fs.cwd.clone(),
            date: fs.date,
            first_shaped_turn_at: first.calls[0].ts.map(Timestamp),
            prompt_preview: first
                .key
                .and_then(|k| prompt_preview(ds, k))
                .unwrap_or_default(),
            tokens: fs.tokens,
            reason,
        };
        Some((fs, ex))
    }
}

/// Models of the premium (Opus) tier, and unpriced `opus` labels.
fn premium_models(ds: &Dataset, pricing: &Pricing) -> BTreeSet<Sym> {
    let models: BTreeSet<Sym> = ds.responses.iter().map(|r| r.model).collect();
    models
        .into_iter()
        .filter(|&m| {
            let name = ds.name(m);
            pricing.tier(name) == Some("premium")
                || (pricing.tier(name).is_none() && pricing.family(name) == Some("opus"))
        })
        .collect()
}

/// (tool calls, delegations) per response index.
fn tools_by_response(ds: &Dataset) -> FastMap<u32, (u64, bool)> {
    let mut out: FastMap<u32, (u64, bool)> = FastMap::default();
    for c in &ds.tool_calls {
        if let Some(i) = c.response {
            let e = out.entry(i).or_default();
            e.0 += 1;
            e.1 |= matches!(ds.name(c.name), "Task" | "Agent");
        }
    }
    out
}

/// A session's Opus calls grouped into turns, in order of each turn's first call.
fn split_turns<'a>(
    list: &[(u32, &'a Response)],
    tools: &FastMap<u32, (u64, bool)>,
) -> Vec<Turn<'a>> {
    let mut turns: Vec<Turn> = Vec::new();
    let mut index: BTreeMap<Option<u64>, usize> = BTreeMap::new();
    for &(i, r) in list {
        let k = *index.entry(r.turn_hash()).or_insert_with(|| {
            turns.push(Turn {
                key: r.turn_hash(),
                ..Turn::default()
            });
            turns.len() - 1
        });
        let t = &mut turns[k];
        let (n, delegates) = tools.get(&i).copied().unwrap_or_default();
        t.calls.push(r);
        t.input += r.tokens.input;
        t.output += r.tokens.output;
        t.thinking += u64::from(r.thinking_chars);
        t.tool_calls += n;
        t.delegates |= delegates;
        t.tokens += r.tokens.total();
    }
    turns
}

/// Which turns belong to a stretch: a run of at least `min` shaped turns, or every turn
/// when all are shaped.
pub fn stretches(shaped: &[bool], min: usize) -> Vec<bool> {
    if !shaped.is_empty() && shaped.iter().all(|&s| s) {
        return shaped.to_vec();
    }
    let mut out = vec![false; shaped.len()];
    let mut i = 0;
    while i < shaped.len() {
        if !shaped[i] {
            i += 1;
            continue;
        }
        let j = (i..shaped.len())
            .find(|&j| !shaped[j])
            .unwrap_or(shaped.len());
        if j - i >= min {
            out[i..j].iter_mut().for_each(|x| *x = true);
        }
        i = j;
    }
    out
}

/// Why a session was flagged: how many of its turns were small, and how small.
fn reason(stretch: &[&Turn], turns: usize) -> String {
    let max_out = stretch.iter().map(|t| t.output).max().unwrap_or(0);
    let max_tools = stretch.iter().map(|t| t.tool_calls).max().unwrap_or(0);
    let which = match (stretch.len(), turns) {
        (_, 1) => "its one Opus turn was small:".to_string(),
        (k, n) if k == n => format!("all {n} Opus turns were small: each"),
        (k, n) => format!("{k} of {n} Opus turns were small: each"),
    };
    format!(
        "{which} at most {} output tokens and {}, no delegation",
        thousands(max_out),
        fmt::plural(max_tools, "tool call")
    )
}

/// The stretches' tokens priced on the Sonnet of each model's generation.
fn at_sonnet(mix: &Mix, ds: &Dataset, pricing: &Pricing) -> f64 {
    mix.per_model()
        .filter_map(|(model, standard, long)| {
            let sonnet = pricing.same_generation(ds.name(model), "sonnet")?;
            pricing.cost(sonnet, standard, long)
        })
        .fold(0.0, |a, b| a + b)
}

#[derive(Default)]
struct ProjectAcc {
    opus_tokens: u64,
    mix: Mix,
}

fn project_rows(
    projects: BTreeMap<Sym, ProjectAcc>,
    ds: &Dataset,
    pricing: &Pricing,
) -> Vec<ProjectAudit> {
    let mut rows: Vec<ProjectAudit> = projects
        .into_iter()
        .map(|(p, acc)| {
            let shaped = acc.mix.tokens().total();
            ProjectAudit {
                project: ds.project_name(p).to_string(),
                project_dir: ds.name(p).to_string(),
                cwd: ds.project(p).cwd,
                opus_tokens: acc.opus_tokens,
                sonnet_shaped_tokens: shaped,
                sonnet_shaped_share: ratio(shaped, acc.opus_tokens),
                sonnet_shaped_api_value_usd: acc.mix.values(ds, pricing).0.total(),
                sonnet_shaped_at_sonnet_usd: at_sonnet(&acc.mix, ds, pricing),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.sonnet_shaped_tokens
            .cmp(&a.sonnet_shaped_tokens)
            .then_with(|| a.project.cmp(&b.project))
    });
    rows
}

/// Up to `EXAMPLES` flagged sessions, one per project first (largest first), then the
/// largest of the rest.
fn diverse(flagged: &[(FlaggedSession, Example)]) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut seen = BTreeSet::new();
    for (f, e) in flagged {
        if out.len() < EXAMPLES && seen.insert(f.project.as_str()) {
            out.push(e.clone());
        }
    }
    for (_, e) in flagged {
        if out.len() >= EXAMPLES {
            break;
        }
        if !out.iter().any(|x| x.session_id == e.session_id) {
            out.push(e.clone());
        }
    }
    out
}

fn suggest(a: &OpusAudit) -> Suggestion {
    let mut out = Suggestion {
        opusplan_from_share: OPUSPLAN_SHARE,
        sonnet_from_share: SONNET_DEFAULT_SHARE,
        project_sonnet_from_share: SONNET_PROJECT_SHARE,
        ..Suggestion::default()
    };
    if a.opus_tokens == 0 {
        out.why = "no Opus use in this window".into();
        return out;
    }
    let share = fmt::pct(a.sonnet_shaped_share);
    let (model, why) = if a.sonnet_shaped_share >= SONNET_DEFAULT_SHARE {
        (
            Some("sonnet"),
            format!(
                "{share} of your Opus tokens went to Sonnet-shaped turns (from {} on, Sonnet is suggested): default to Sonnet and switch to Opus with /model when a task needs it",
                fmt::pct(SONNET_DEFAULT_SHARE)
            ),
        )
    } else if a.sonnet_shaped_share >= OPUSPLAN_SHARE {
        (
            Some("opusplan"),
            format!(
                "{share} of your Opus tokens went to Sonnet-shaped turns (from {} on, opusplan is suggested): opusplan keeps Opus for planning and uses Sonnet to carry the plan out",
                fmt::pct(OPUSPLAN_SHARE)
            ),
        )
    } else {
        (
            None,
            format!(
                "{share} of your Opus tokens went to Sonnet-shaped turns, under the {} from which a change is suggested: no change suggested",
                fmt::pct(OPUSPLAN_SHARE)
            ),
        )
    };
    out.model = model;
    out.why = why;
    let mut seen = BTreeSet::new();
    out.sonnet_projects = a
        .by_project
        .iter()
        .filter(|p| p.sonnet_shaped_share >= SONNET_PROJECT_SHARE)
        .map(|p| p.cwd.clone().unwrap_or_else(|| p.project_dir.clone()))
        .filter(|c| seen.insert(c.clone()))
        .collect();
    out
}

fn prompt_preview(ds: &Dataset, turn: u64) -> Option<String> {
    let p = ds.prompts.iter().find(|p| p.uuid_hash == turn)?;
    Some(fmt::preview(&p.snippet, PREVIEW_CHARS))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(dir: &str, cwd: &str, share: f64) -> ProjectAudit {
        ProjectAudit {
            project: cwd.rsplit('/').next().unwrap().into(),
            project_dir: dir.into(),
            cwd: Some(cwd.into()),
            opus_tokens: 100,
            sonnet_shaped_tokens: (share * 100.0) as u64,
            sonnet_shaped_share: share,
            sonnet_shaped_api_value_usd: 0.0,
            sonnet_shaped_at_sonnet_usd: 0.0,
        }
    }

    #[test]
    fn a_change_is_suggested_only_above_its_stated_share() {
        let audit = |share: f64| OpusAudit {
            opus_tokens: 1_000,
            sonnet_shaped_share: share,
            by_project: vec![
                project("-a-x", "/a/x", 0.7),
                project("-A-x", "/a/x", 0.9),
                project("-a-y", "/a/y", 0.1),
            ],
            ..OpusAudit::default()
        };
        let s = suggest(&audit(0.06));
        assert_eq!(s.model, None);
        assert!(s.why.contains("no change suggested"), "{}", s.why);
        assert!(s.why.starts_with("6% "), "{}", s.why);
        assert_eq!(suggest(&audit(0.25)).model, Some("opusplan"));
        assert_eq!(suggest(&audit(0.5)).model, Some("sonnet"));
        assert_eq!(s.sonnet_projects, ["/a/x"], "each working directory once");
        assert_eq!(s.opusplan_from_share, OPUSPLAN_SHARE);
        assert_eq!(suggest(&OpusAudit::default()).model, None);
    }

    #[test]
    fn stretches_need_two_in_a_row_or_the_whole_session() {
        let s = |v: &[u8]| stretches(&v.iter().map(|&x| x == 1).collect::<Vec<_>>(), 2);
        let b = |v: &[u8]| v.iter().map(|&x| x == 1).collect::<Vec<_>>();
        assert_eq!(s(&[1]), b(&[1]));
        assert_eq!(s(&[1, 0]), b(&[0, 0]));
        assert_eq!(s(&[0, 1, 1, 0, 1]), b(&[0, 1, 1, 0, 0]));
        assert_eq!(s(&[1, 1, 1]), b(&[1, 1, 1]));
        assert_eq!(s(&[]), b(&[]));
    }
}
