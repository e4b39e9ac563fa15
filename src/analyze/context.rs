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
use crate::time::{LocalDays, Timestamp};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Plain statements every output of this section carries.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ContextNotes {
    pub lower_bounds: &'static str,
    pub api_value_weighting: &'static str,
    pub estimates: &'static str,
    pub turns: &'static str,
}

impl Default for ContextNotes {
    fn default() -> Self {
        ContextNotes {
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
    pub notes: ContextNotes,
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
    /// The project's display name (`model::projects`).
    pub project: String,
    /// Its directory under `projects/`.
    pub project_dir: String,
    /// The working directory that stands for it (the one its directory was named after).
    pub cwd: Option<String>,
    pub sessions: u64,
    pub composition: Composition,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DayContext {
    /// None: the responses without a time (`"undated"`).
    #[serde(serialize_with = "crate::time::date_or_undated")]
    pub date: Option<NaiveDate>,
    pub composition: Composition,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SessionContext {
    pub session_id: String,
    /// The project's display name, and its directory under `projects/`.
    pub project: String,
    pub project_dir: String,
    /// The first working directory the session ran in.
    pub cwd: Option<String>,
    pub first_activity: Option<Timestamp>,
    pub last_activity: Option<Timestamp>,
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
    let mut projects: BTreeMap<Sym, ProjectAcc> = BTreeMap::new();
    let mut days: BTreeMap<Option<NaiveDate>, Mix> = BTreeMap::new();
    let mut sessions: BTreeMap<(Sym, Sym), SessionAcc> = BTreeMap::new();
    let mut local = LocalDays::new(opts.zone);
    for r in calls {
        all.add(r, billing);
        let p = projects.entry(r.project).or_default();
        p.mix.add(r, billing);
        p.sessions.insert(r.session);
        days.entry(r.ts.map(|t| local.date_of(t)))
            .or_default()
            .add(r, billing);
        sessions
            .entry((r.project, r.session))
            .or_insert_with(|| SessionAcc {
                project: r.project,
                ..SessionAcc::default()
            })
            .add(r, billing);
    }
    let mut compact = Vec::new();
    let mut session_rows: Vec<SessionContext> = sessions
        .into_iter()
        .map(|((_, sym), s)| {
            let (row, candidate) = s.finish(sym, ds, pricing, billing);
            compact.extend(candidate);
            row
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
    ContextReport {
        notes: ContextNotes::default(),
        composition: all.composition(ds, pricing),
        by_project: project_rows(projects, ds, pricing),
        by_day: days
            .into_iter()
            .map(|(d, mix)| DayContext {
                date: d,
                composition: mix.composition(ds, pricing),
            })
            .collect(),
        sessions: session_rows,
        compact_candidates: compact,
        ..ContextReport::default()
    }
}

/// One project being accumulated.
#[derive(Default)]
struct ProjectAcc {
    mix: Mix,
    sessions: BTreeSet<Sym>,
}

/// Projects, most tokens first.
fn project_rows(
    projects: BTreeMap<Sym, ProjectAcc>,
    ds: &Dataset,
    pricing: &Pricing,
) -> Vec<ProjectContext> {
    let mut rows: Vec<ProjectContext> = projects
        .into_iter()
        .map(|(p, acc)| ProjectContext {
            project: ds.project_name(p).to_string(),
            project_dir: ds.name(p).to_string(),
            cwd: ds.project(p).cwd,
            sessions: acc.sessions.len() as u64,
            composition: acc.mix.composition(ds, pricing),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.composition
            .total_tokens
            .cmp(&a.composition.total_tokens)
            .then_with(|| a.project.cmp(&b.project))
    });
    rows
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

impl<'a> SessionAcc<'a> {
    fn add(&mut self, r: &'a Response, billing: &Billing) {
        self.mix.add(r, billing);
        self.cwd = self.cwd.or(r.cwd);
        if let Some(ts) = r.ts {
            self.first = Some(self.first.map_or(ts, |f| f.min(ts)));
            self.last = Some(self.last.map_or(ts, |l| l.max(ts)));
        }
        if r.origin == Origin::Main {
            self.main.push(r);
        }
    }

    /// The session's row, and its `/compact` candidate if it is one.
    fn finish(
        self,
        sym: Sym,
        ds: &Dataset,
        pricing: &Pricing,
        billing: &Billing,
    ) -> (SessionContext, Option<CompactCandidate>) {
        let main = session_turns(&self.main);
        let session_id = ds.name(sym).to_string();
        let project = ds.project_name(self.project).to_string();
        let project_dir = ds.name(self.project).to_string();
        let cwd = self.cwd.map(|c| ds.name(c).to_string());
        let candidate =
            compact_after(&main, &self.main, ds, pricing, billing).map(|after| CompactCandidate {
                session_id: session_id.clone(),
                project: project.clone(),
                project_dir: project_dir.clone(),
                cwd: cwd.clone(),
                reread_share: main.reread_share,
                cache_read_tokens: main.cache_read_tokens,
                turn_passed_100k: after.turn,
                passed_at: after.at,
                reread_after_tokens: after.tokens,
                reread_after_api_value_usd: after.api_value_usd,
            });
        let row = SessionContext {
            session_id,
            project,
            project_dir,
            cwd,
            first_activity: self.first.map(Timestamp),
            last_activity: self.last.map(Timestamp),
            composition: self.mix.composition(ds, pricing),
            main,
        };
        (row, candidate)
    }
}
