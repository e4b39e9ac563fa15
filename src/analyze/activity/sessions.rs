//! Time and place: per session its wall time and active time (gaps over `IDLE_MS`
//! between consecutive events are idle and left out), turns and models; per repository
//! (git worktrees under `.claude/worktrees/` or `.worktrees/` fold into the repository
//! they belong to); a weekday × hour grid of API calls in local time; models per day.

use super::super::bucket::{Bucket, Rates};
use crate::config::Zone;
use crate::model::record::PromptKind;
use crate::model::{Dataset, Millis, Response, Sym};
use crate::pricing::Pricing;
use chrono::{Datelike, Timelike};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A gap between two events longer than this is idle time.
pub const IDLE_MS: Millis = 30 * 60 * 1000;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SessionRow {
    pub session_id: String,
    pub repository: String,
    pub start: Option<String>,
    pub wall_ms: i64,
    pub active_ms: i64,
    pub turns: u64,
    pub api_calls: u64,
    pub models: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RepoRow {
    /// The repository's path (worktrees folded in), or the project directory's name.
    pub repository: String,
    /// Working directories folded into it (worktrees), when more than the repository.
    pub worktrees: Vec<String>,
    pub sessions: u64,
    pub active_ms: i64,
    pub total_tokens: u64,
    pub cost_usd: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DayModels {
    pub date: String,
    /// API calls per model.
    pub models: BTreeMap<String, u64>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct TimeActivity {
    pub sessions: Vec<SessionRow>,
    pub repositories: Vec<RepoRow>,
    /// `grid[weekday][hour]`: API calls, Monday first, local time.
    pub weekday_hour: Vec<Vec<u64>>,
    pub models_by_day: Vec<DayModels>,
    pub idle_gap_ms: i64,
}

/// The repository a working directory belongs to: worktrees fold into their repository.
pub fn repository(cwd: &str) -> &str {
    for marker in ["/.claude/worktrees/", "/.worktrees/"] {
        if let Some(i) = cwd.find(marker) {
            return &cwd[..i];
        }
    }
    cwd.trim_end_matches('/')
}

/// Active time of sorted event times: the sum of gaps of at most `IDLE_MS`.
pub fn active_ms(times: &[Millis]) -> Millis {
    times
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|&g| g <= IDLE_MS)
        .sum()
}

#[derive(Default)]
struct SessionAcc {
    times: Vec<Millis>,
    turns: u64,
    calls: u64,
    models: BTreeSet<Sym>,
    cwd: Option<Sym>,
    project: Sym,
}

pub fn analyze(
    ds: &Dataset,
    calls: &[Response],
    bounds: Option<(Millis, Millis)>,
    zone: Zone,
    pricing: &Pricing,
    rates: &Rates,
) -> TimeActivity {
    let mut sessions: BTreeMap<Sym, SessionAcc> = BTreeMap::new();
    let mut grid = vec![vec![0u64; 24]; 7];
    let mut days: BTreeMap<chrono::NaiveDate, BTreeMap<Sym, u64>> = BTreeMap::new();
    let mut repos: BTreeMap<String, (Bucket, BTreeSet<String>, BTreeSet<Sym>)> = BTreeMap::new();
    // Repository per (cwd, project): consecutive responses mostly share both.
    let mut repo_cache: BTreeMap<(Option<Sym>, Sym), (String, Option<String>)> = BTreeMap::new();
    let mut clock = LocalHours::new(zone);
    for r in calls {
        let s = sessions.entry(r.session).or_insert_with(|| SessionAcc {
            project: r.project,
            ..SessionAcc::default()
        });
        s.calls += 1;
        s.models.insert(r.model);
        s.cwd = s.cwd.or(r.cwd);
        let (repo, cwd) = repo_cache
            .entry((r.cwd, r.project))
            .or_insert_with(|| repo_of(ds, r.cwd, r.project));
        if !repos.contains_key(repo.as_str()) {
            repos.insert(repo.clone(), Default::default());
        }
        if let Some(e) = repos.get_mut(repo.as_str()) {
            e.0.add(r, rates);
            if let Some(cwd) = cwd
                && !e.1.contains(cwd.as_str())
            {
                e.1.insert(cwd.clone());
            }
            e.2.insert(r.session);
        }
        if let Some(ts) = r.ts {
            s.times.push(ts);
            let (date, weekday, hour) = clock.at(ts);
            grid[weekday][hour] += 1;
            *days.entry(date).or_default().entry(r.model).or_default() += 1;
        }
    }
    for p in &ds.prompts {
        if p.sidechain || !super::super::usage::in_bounds(bounds, p.ts) {
            continue;
        }
        if let Some(s) = sessions.get_mut(&p.session) {
            if matches!(p.kind, PromptKind::Text | PromptKind::Command) {
                s.turns += 1;
            }
            if let Some(ts) = p.ts {
                s.times.push(ts);
            }
        }
    }
    let mut rows: Vec<SessionRow> = sessions
        .iter_mut()
        .map(|(&sym, s)| {
            s.times.sort_unstable();
            let wall = match (s.times.first(), s.times.last()) {
                (Some(a), Some(b)) => b - a,
                _ => 0,
            };
            SessionRow {
                session_id: ds.name(sym).to_string(),
                repository: repo_of(ds, s.cwd, s.project).0,
                start: s.times.first().map(|&t| super::super::iso_ms(t)),
                wall_ms: wall,
                active_ms: active_ms(&s.times),
                turns: s.turns,
                api_calls: s.calls,
                models: s.models.iter().map(|&m| ds.name(m).to_string()).collect(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.active_ms
            .cmp(&a.active_ms)
            .then_with(|| a.session_id.cmp(&b.session_id))
    });
    let active_by_repo: BTreeMap<&str, i64> = rows.iter().fold(BTreeMap::new(), |mut m, r| {
        *m.entry(r.repository.as_str()).or_default() += r.active_ms;
        m
    });
    let mut repositories: Vec<RepoRow> = repos
        .iter()
        .map(|(repo, (bucket, cwds, sess))| {
            let f = bucket.finish(pricing, ds);
            let worktrees: Vec<String> = cwds.iter().filter(|c| *c != repo).cloned().collect();
            RepoRow {
                repository: repo.clone(),
                worktrees,
                sessions: sess.len() as u64,
                active_ms: active_by_repo.get(repo.as_str()).copied().unwrap_or(0),
                total_tokens: f.tokens.total(),
                cost_usd: f.cost,
            }
        })
        .collect();
    repositories.sort_by(|a, b| {
        b.cost_usd
            .total_cmp(&a.cost_usd)
            .then_with(|| a.repository.cmp(&b.repository))
    });
    TimeActivity {
        sessions: rows,
        repositories,
        weekday_hour: grid,
        models_by_day: days
            .into_iter()
            .map(|(d, models)| DayModels {
                date: d.to_string(),
                models: models
                    .into_iter()
                    .map(|(m, n)| (ds.name(m).to_string(), n))
                    .collect(),
            })
            .collect(),
        idle_gap_ms: IDLE_MS,
    }
}

/// Local date, weekday (Monday = 0) and hour of instants, converted once per local hour.
struct LocalHours {
    zone: Zone,
    lo: Millis,
    hi: Millis,
    at: (chrono::NaiveDate, usize, usize),
}

impl LocalHours {
    fn new(zone: Zone) -> Self {
        LocalHours {
            zone,
            lo: 0,
            hi: 0,
            at: (chrono::NaiveDate::default(), 0, 0),
        }
    }

    fn at(&mut self, ms: Millis) -> (chrono::NaiveDate, usize, usize) {
        if !(self.lo <= ms && ms < self.hi) {
            let local = self.zone.local(ms);
            let into_hour = i64::from(local.minute()) * 60_000
                + i64::from(local.second()) * 1000
                + ms.rem_euclid(1000);
            self.lo = ms - into_hour;
            self.hi = self.lo + 3_600_000;
            self.at = (
                local.date(),
                local.weekday().num_days_from_monday() as usize,
                local.hour() as usize,
            );
        }
        self.at
    }
}

/// (repository, the working directory when there is one).
fn repo_of(ds: &Dataset, cwd: Option<Sym>, project: Sym) -> (String, Option<String>) {
    match cwd.map(|c| ds.name(c)).filter(|c| !c.is_empty()) {
        Some(c) => (
            repository(c).to_string(),
            Some(c.trim_end_matches('/').to_string()),
        ),
        None => (ds.name(project).to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worktrees_fold_into_their_repository() {
        assert_eq!(
            repository("/src/app/.claude/worktrees/fix-login"),
            "/src/app"
        );
        assert_eq!(repository("/src/app/.worktrees/feature/x"), "/src/app");
        assert_eq!(repository("/src/app/"), "/src/app");
    }

    #[test]
    fn idle_gaps_are_not_active_time() {
        let m = 60_000;
        assert_eq!(active_ms(&[0, 10 * m, 20 * m, 60 * m, 61 * m]), 21 * m);
        assert_eq!(active_ms(&[5]), 0);
    }
}
