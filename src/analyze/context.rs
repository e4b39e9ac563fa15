//! The context-composition analyzer: what the window's tokens paid for. Composition
//! (re-reading cached context, cache writes 5m/1h, new input, output) overall and per
//! project, session and day, by tokens and by API value; the per-turn view of each session
//! (`turns`); recurring inclusions (`recurring`); cache efficiency (`cache`); and
//! `/compact` candidates. Findings are candidates to spot-check, never promised savings.

use super::bucket::Billing;
use super::turns::{CompactCandidate, SessionTurns, compact_after, session_turns};
use super::usage::in_window;
use super::value::{Composition, Mix, WEIGHTING};
use super::{Options, cache, recurring};
use crate::model::{Dataset, Origin, Response, Sym};
use crate::options::CostMode;
use crate::pricing::Pricing;
use crate::time::{LocalDays, iso_ms};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Plain statements every output of this section carries.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Notes {
    pub lower_bounds: &'static str,
    pub api_value_weighting: &'static str,
    pub estimates: &'static str,
    pub turns: &'static str,
}

impl Default for Notes {
    fn default() -> Self {
        Notes {
            lower_bounds: "input and output counts in transcripts are lower bounds (Claude Code writes streaming snapshots); cache reads and writes are exact",
            api_value_weighting: WEIGHTING,
            estimates: recurring::ESTIMATE,
            turns: "a turn is a real user prompt (not tool results, harness or meta text, or compaction summaries) and the API calls until the next one; per-turn figures cover each session's main thread, not its sub-agents",
        }
    }
}

/// The `context` section of the report.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ContextReport {
    pub notes: Notes,
    pub composition: Composition,
    pub by_project: Vec<ProjectContext>,
    pub by_day: Vec<DayContext>,
    /// Sessions, most cache-read tokens first.
    pub sessions: Vec<SessionContext>,
    pub recurring: Vec<recurring::Recurring>,
    /// Recurring entries over the per-kind cap, by kind.
    pub recurring_omitted: BTreeMap<String, u64>,
    pub cache: cache::CacheEfficiency,
    pub compact_candidates: Vec<CompactCandidate>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ProjectContext {
    pub project: String,
    /// The working directory its sessions ran in (the first one seen).
    pub cwd: Option<String>,
    pub sessions: u64,
    pub composition: Composition,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DayContext {
    pub date: String,
    pub composition: Composition,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SessionContext {
    pub session_id: String,
    pub project: String,
    pub cwd: Option<String>,
    pub first_activity: Option<String>,
    pub last_activity: Option<String>,
    /// The whole session, sub-agents included.
    pub composition: Composition,
    /// The main thread, turn by turn.
    #[serde(flatten)]
    pub main: SessionTurns,
}

/// Builds the section over the window's responses, tool calls and prompts; the
/// composition and turns, the recurring inclusions and the cache check run in parallel.
pub fn analyze(ds: &Dataset, pricing: &Pricing, opts: &Options) -> ContextReport {
    let calls = in_window(ds, opts);
    let billing = Billing::new(ds, pricing, CostMode::Calculate);
    let ((mut report, recurring), cache) = rayon::join(
        || {
            rayon::join(
                || compose(calls, ds, pricing, opts, &billing),
                || recurring::analyze(ds, opts.bounds()),
            )
        },
        || cache::analyze(calls, ds, pricing, &billing),
    );
    report.recurring = recurring.items;
    report.recurring_omitted = recurring.omitted;
    report.cache = cache;
    report
}

/// Composition overall and per project, day and session, turns and `/compact`
/// candidates.
fn compose(
    calls: &[Response],
    ds: &Dataset,
    pricing: &Pricing,
    opts: &Options,
    billing: &Billing,
) -> ContextReport {
    let mut all = Mix::default();
    let mut projects: BTreeMap<Sym, (Mix, BTreeSet<Sym>, Option<Sym>)> = BTreeMap::new();
    let mut days: BTreeMap<Option<chrono::NaiveDate>, Mix> = BTreeMap::new();
    let mut sessions: BTreeMap<Sym, SessionAcc> = BTreeMap::new();
    let mut local = LocalDays::new(opts.zone);
    for r in calls {
        all.add(r, billing);
        let p = projects.entry(r.project).or_default();
        p.0.add(r, billing);
        p.1.insert(r.session);
        p.2 = p.2.or(r.cwd);
        days.entry(r.ts.map(|t| local.date_of(t)))
            .or_default()
            .add(r, billing);
        let s = sessions.entry(r.session).or_insert_with(|| SessionAcc {
            project: r.project,
            ..SessionAcc::default()
        });
        s.mix.add(r, billing);
        s.cwd = s.cwd.or(r.cwd);
        if let Some(ts) = r.ts {
            s.first = Some(s.first.map_or(ts, |f| f.min(ts)));
            s.last = Some(s.last.map_or(ts, |l| l.max(ts)));
        }
        if r.origin == Origin::Main {
            s.main.push(r);
        }
    }
    let mut compact = Vec::new();
    let mut session_rows: Vec<SessionContext> = sessions
        .into_iter()
        .map(|(sym, s)| {
            let main = session_turns(&s.main);
            if let Some((turn, at, reads, value)) =
                compact_after(&main, &s.main, ds, pricing, billing)
            {
                compact.push(CompactCandidate {
                    session_id: ds.name(sym).to_string(),
                    project: ds.name(s.project).to_string(),
                    cwd: s.cwd.map(|c| ds.name(c).to_string()),
                    reread_share: main.reread_share,
                    cache_read_tokens: main.cache_read_tokens,
                    turn_passed_100k: turn,
                    passed_at: at,
                    reread_after_tokens: reads,
                    reread_after_api_value_usd: value,
                });
            }
            SessionContext {
                session_id: ds.name(sym).to_string(),
                project: ds.name(s.project).to_string(),
                cwd: s.cwd.map(|c| ds.name(c).to_string()),
                first_activity: s.first.map(iso_ms),
                last_activity: s.last.map(iso_ms),
                composition: s.mix.composition(ds, pricing),
                main,
            }
        })
        .collect();
    session_rows.sort_by(|a, b| {
        b.composition
            .cache_read_tokens
            .cmp(&a.composition.cache_read_tokens)
            .then_with(|| a.session_id.cmp(&b.session_id))
    });
    compact.sort_by(|a, b| {
        b.reread_after_tokens
            .cmp(&a.reread_after_tokens)
            .then_with(|| a.session_id.cmp(&b.session_id))
    });
    let mut by_project: Vec<ProjectContext> = projects
        .into_iter()
        .map(|(p, (mix, sess, cwd))| ProjectContext {
            project: ds.name(p).to_string(),
            cwd: cwd.map(|c| ds.name(c).to_string()),
            sessions: sess.len() as u64,
            composition: mix.composition(ds, pricing),
        })
        .collect();
    by_project.sort_by(|a, b| {
        b.composition
            .total_tokens
            .cmp(&a.composition.total_tokens)
            .then_with(|| a.project.cmp(&b.project))
    });
    ContextReport {
        notes: Notes::default(),
        composition: all.composition(ds, pricing),
        by_project,
        by_day: days
            .into_iter()
            .map(|(d, mix)| DayContext {
                date: d.map_or_else(|| "undated".to_string(), |d| d.to_string()),
                composition: mix.composition(ds, pricing),
            })
            .collect(),
        sessions: session_rows,
        compact_candidates: compact,
        ..ContextReport::default()
    }
}

/// One session being accumulated.
#[derive(Default)]
struct SessionAcc<'a> {
    project: Sym,
    cwd: Option<Sym>,
    mix: Mix,
    first: Option<i64>,
    last: Option<i64>,
    main: Vec<&'a Response>,
}
