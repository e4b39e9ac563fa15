//! Time and place: per session its wall time and active time (gaps over `IDLE_MS`
//! between consecutive events are idle and left out), turns and models; per repository
//! (git worktrees under `.claude/worktrees/` or `.worktrees/` fold into the repository
//! they belong to); a weekday × hour grid of API calls in local time; models per day.

use super::super::Options;
use super::super::bucket::{Billing, Bucket};
use super::super::usage::in_window;
use crate::model::record::PromptKind;
use crate::model::{Dataset, Millis, Response, Sym};
use crate::pricing::Pricing;
use crate::time::{Bounds, LocalHours, Timestamp, in_bounds};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A gap between two events longer than this is idle time.
pub const IDLE_MS: Millis = 30 * 60 * 1000;

/// One session's time and place.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SessionTime {
    pub session_id: String,
    /// The project's display name, and its directory under `projects/`.
    pub project: String,
    pub project_dir: String,
    pub repository: String,
    pub start: Option<Timestamp>,
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
    /// Its display name: the name of the project it is the working directory of, else
    /// its last component.
    pub project: String,
    /// Working directories folded into it (worktrees), when more than the repository.
    pub worktrees: Vec<String>,
    pub sessions: u64,
    pub active_ms: i64,
    pub total_tokens: u64,
    pub cost_usd: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DayModels {
    pub date: chrono::NaiveDate,
    /// API calls per model.
    pub models: BTreeMap<String, u64>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct TimeActivity {
    pub sessions: Vec<SessionTime>,
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

/// One repository being accumulated (its number in the `RepoIndex`): its spend and
/// sessions.
#[derive(Default)]
struct RepoAcc {
    bucket: Bucket,
    sessions: BTreeSet<Sym>,
}

/// A repository: its path (worktrees folded in), display name and the working
/// directories folded into it.
pub struct Repo {
    pub path: String,
    pub name: String,
    pub dirs: BTreeSet<String>,
}

/// The repositories of responses, numbered in order of first sight and found by the
/// response's (cwd, project) pair: a path is built and compared only the first time a
/// pair is seen, not once per response.
#[derive(Default)]
pub struct RepoIndex {
    by_pair: BTreeMap<(Option<Sym>, Sym), usize>,
    by_path: BTreeMap<String, usize>,
    pub repos: Vec<Repo>,
}

impl RepoIndex {
    /// The number of the repository of a (cwd, project) pair, added when new.
    pub fn of(&mut self, ds: &Dataset, cwd: Option<Sym>, project: Sym) -> usize {
        if let Some(&i) = self.by_pair.get(&(cwd, project)) {
            return i;
        }
        let (path, dir) = repo_of(ds, cwd, project);
        let i = if let Some(&i) = self.by_path.get(&path) {
            i
        } else {
            let name = repo_name(ds, &path, dir.is_some(), project);
            self.by_path.insert(path.clone(), self.repos.len());
            let dirs = BTreeSet::new();
            self.repos.push(Repo { path, name, dirs });
            self.repos.len() - 1
        };
        if let Some(dir) = dir {
            self.repos[i].dirs.insert(dir);
        }
        self.by_pair.insert((cwd, project), i);
        i
    }

    /// The number of a pair `of` has seen.
    pub fn get(&self, cwd: Option<Sym>, project: Sym) -> Option<usize> {
        self.by_pair.get(&(cwd, project)).copied()
    }
}

/// Everything the section counts, filled call by call.
struct Acc<'a> {
    ds: &'a Dataset,
    /// By (project, session): a session id reused in two projects is two sessions.
    sessions: BTreeMap<(Sym, Sym), SessionAcc>,
    grid: Vec<Vec<u64>>,
    days: BTreeMap<chrono::NaiveDate, BTreeMap<Sym, u64>>,
    repos: RepoIndex,
    /// By repository number.
    repo_accs: Vec<RepoAcc>,
    clock: LocalHours,
}

pub fn analyze(ds: &Dataset, pricing: &Pricing, opts: &Options) -> TimeActivity {
    let billing = Billing::new(ds, pricing, opts.cost_mode);
    let mut acc = Acc {
        ds,
        sessions: BTreeMap::new(),
        grid: vec![vec![0u64; 24]; 7],
        days: BTreeMap::new(),
        repos: RepoIndex::default(),
        repo_accs: Vec::new(),
        clock: LocalHours::new(opts.zone),
    };
    for r in in_window(ds, opts) {
        acc.call(r, &billing);
    }
    acc.prompts(opts.bounds());
    let sessions = acc.session_rows();
    let repositories = acc.repo_rows(&sessions, pricing);
    TimeActivity {
        sessions,
        repositories,
        models_by_day: acc
            .days
            .into_iter()
            .map(|(d, models)| DayModels {
                date: d,
                models: models
                    .into_iter()
                    .map(|(m, n)| (ds.name(m).to_string(), n))
                    .collect(),
            })
            .collect(),
        weekday_hour: acc.grid,
        idle_gap_ms: IDLE_MS,
    }
}

impl Acc<'_> {
    fn call(&mut self, r: &Response, billing: &Billing) {
        let s = self
            .sessions
            .entry((r.project, r.session))
            .or_insert_with(|| SessionAcc {
                project: r.project,
                ..SessionAcc::default()
            });
        s.calls += 1;
        s.models.insert(r.model);
        s.cwd = s.cwd.or(r.cwd);
        if let Some(ts) = r.ts {
            s.times.push(ts);
            let (date, weekday, hour) = self.clock.at(ts);
            self.grid[weekday][hour] += 1;
            *self
                .days
                .entry(date)
                .or_default()
                .entry(r.model)
                .or_default() += 1;
        }
        let i = self.repos.of(self.ds, r.cwd, r.project);
        if i == self.repo_accs.len() {
            self.repo_accs.push(RepoAcc::default());
        }
        let e = &mut self.repo_accs[i];
        e.bucket.add(r, billing);
        e.sessions.insert(r.session);
    }

    /// Turns and prompt times of the sessions that made calls.
    fn prompts(&mut self, bounds: Option<Bounds>) {
        for p in &self.ds.prompts {
            if p.sidechain || !in_bounds(bounds, p.ts) {
                continue;
            }
            if let Some(s) = self.sessions.get_mut(&(p.project, p.session)) {
                if matches!(p.kind, PromptKind::Text | PromptKind::Command) {
                    s.turns += 1;
                }
                if let Some(ts) = p.ts {
                    s.times.push(ts);
                }
            }
        }
    }

    /// Sessions, most active first (then by id and project directory).
    fn session_rows(&mut self) -> Vec<SessionTime> {
        let ds = self.ds;
        let mut rows: Vec<SessionTime> = self
            .sessions
            .iter_mut()
            .map(|(&(project, sym), s)| {
                s.times.sort_unstable();
                let wall = match (s.times.first(), s.times.last()) {
                    (Some(a), Some(b)) => b - a,
                    _ => 0,
                };
                SessionTime {
                    session_id: ds.name(sym).to_string(),
                    project: ds.project_name(project).to_string(),
                    project_dir: ds.name(project).to_string(),
                    repository: repo_of(ds, s.cwd, s.project).0,
                    start: s.times.first().copied().map(Timestamp),
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
                .then_with(|| a.project_dir.cmp(&b.project_dir))
        });
        rows
    }

    /// Repositories, costliest first, with their sessions' active time.
    fn repo_rows(&self, sessions: &[SessionTime], pricing: &Pricing) -> Vec<RepoRow> {
        let mut active: BTreeMap<&str, i64> = BTreeMap::new();
        for s in sessions {
            *active.entry(s.repository.as_str()).or_default() += s.active_ms;
        }
        let mut rows: Vec<RepoRow> = self
            .repos
            .repos
            .iter()
            .zip(&self.repo_accs)
            .map(|(repo, r)| {
                let f = r.bucket.finish(pricing, self.ds);
                RepoRow {
                    project: repo.name.clone(),
                    repository: repo.path.clone(),
                    worktrees: repo
                        .dirs
                        .iter()
                        .filter(|c| **c != repo.path)
                        .cloned()
                        .collect(),
                    sessions: r.sessions.len() as u64,
                    active_ms: active.get(repo.path.as_str()).copied().unwrap_or(0),
                    total_tokens: f.tokens.total(),
                    cost_usd: f.cost,
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            b.cost_usd
                .total_cmp(&a.cost_usd)
                .then_with(|| a.repository.cmp(&b.repository))
        });
        rows
    }
}

/// A repository's display name: the name of the project it is the working directory of
/// (`with_cwd`), else the project's.
pub fn repo_name(ds: &Dataset, repo: &str, with_cwd: bool, project: Sym) -> String {
    if with_cwd {
        ds.projects.of_path(repo)
    } else {
        ds.project_name(project).to_string()
    }
}

/// (repository, the working directory when there is one).
pub fn repo_of(ds: &Dataset, cwd: Option<Sym>, project: Sym) -> (String, Option<String>) {
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
