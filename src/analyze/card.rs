//! The quota card's numbers: one period (the window, or with `--weekly` the 7 days ending
//! at `--until` or today, and the 7 before them for the change when they had usage), its
//! real first and last dates, its composition, an efficiency tier, the model mix,
//! sessions, active days and the longest streak, the cache hit rate, the sub-agent share
//! (of API value) and the Opus-audit headline. No paths or prompt text unless asked for
//! (the display names of the top projects).
//!
//! Efficiency tiers are keyed on the share of API value that went to context overhead —
//! re-reading cached context plus writing it — since that share is what grows when
//! sessions run long, caches expire and files are re-read:
//!
//! | tier | name          | overhead share of API value |
//! |------|---------------|-----------------------------|
//! | A    | Lean          | below 50%                   |
//! | B    | Efficient     | 50% to below 65%            |
//! | C    | Typical       | 65% to below 80%            |
//! | D    | Context-heavy | 80% to below 90%            |
//! | E    | Re-read bound | 90% and above               |

use super::bucket::Billing;
use super::value::{Classes, Composition, Mix};
use super::{Options, opus_audit};
use crate::model::{Dataset, Origin, Response};
use crate::options::CostMode;
use crate::pricing::{Pricing, display_name};
use crate::time::{LocalDays, Window, in_bounds};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Upper bounds of tiers A–D on the overhead share (E is the rest).
pub const TIERS: [(&str, &str, f64); 5] = [
    ("A", "Lean", 0.50),
    ("B", "Efficient", 0.65),
    ("C", "Typical", 0.80),
    ("D", "Context-heavy", 0.90),
    ("E", "Re-read bound", f64::INFINITY),
];

/// Models named on the card before "other".
const MODELS: usize = 2;
/// Projects named with `--show-projects`.
const PROJECTS: usize = 3;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Tier {
    pub grade: &'static str,
    pub name: &'static str,
    /// (cache reads + cache writes) API value over all API value.
    pub overhead_share: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CardPeriod {
    /// The window (None: open at that end).
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// The first and last local dates with usage in it.
    pub first_active: Option<NaiveDate>,
    pub last_active: Option<NaiveDate>,
    pub total_tokens: u64,
    pub api_value_usd: f64,
    pub shares: Classes<f64>,
    pub tier: Tier,
    /// Display names and token shares, largest first (the rest as "other").
    pub models: Vec<(String, f64)>,
    pub sessions: u64,
    pub active_days: u64,
    pub longest_streak: u64,
    pub hit_rate: f64,
    /// Sub-agent share of the period's tokens.
    pub subagent_share: f64,
    /// Sub-agent share of the period's API value (the share the card shows).
    pub subagent_value_share: f64,
    /// Share of Opus quota in Sonnet-shaped stretches, when Opus was used.
    pub opus_sonnet_shaped_share: Option<f64>,
    /// Display names of the top projects (shown only when asked).
    pub projects: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Card {
    pub weekly: bool,
    pub period: CardPeriod,
    /// `--weekly`: the 7 days before, when they had usage (else null: nothing to compare).
    pub previous: Option<CardPeriod>,
}

/// The card of the window, or with `opts.weekly_card` of the 7 days ending at its end
/// (`--until`, else today).
pub fn analyze(ds: &Dataset, pricing: &Pricing, opts: &Options) -> Card {
    let weekly = opts.weekly_card;
    if !weekly {
        return Card {
            weekly,
            period: period(ds, pricing, opts, opts.window),
            previous: None,
        };
    }
    let end = opts
        .window
        .until
        .unwrap_or_else(|| opts.zone.date_of(opts.now_ms));
    let week = |end: NaiveDate| Window {
        since: end.checked_sub_days(chrono::Days::new(6)),
        until: Some(end),
    };
    let this = week(end);
    let before = this
        .since
        .and_then(|s| s.pred_opt())
        .map(|e| period(ds, pricing, opts, week(e)))
        .filter(|p| p.total_tokens > 0);
    Card {
        weekly,
        period: period(ds, pricing, opts, this),
        previous: before,
    }
}

fn period(ds: &Dataset, pricing: &Pricing, opts: &Options, window: Window) -> CardPeriod {
    let o = Options {
        window,
        ..opts.clone()
    };
    let b = o.bounds();
    let calls: Vec<&Response> = ds.responses.iter().filter(|r| in_bounds(b, r.ts)).collect();
    let billing = Billing::new(ds, pricing, CostMode::Calculate);
    let mut mix = Mix::default();
    let mut sessions = BTreeSet::new();
    let mut days = BTreeSet::new();
    let mut local = LocalDays::new(opts.zone);
    let mut by_model: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_project: BTreeMap<&str, u64> = BTreeMap::new();
    let mut sub_mix = Mix::default();
    let (mut sub, mut all) = (0u64, 0u64);
    for r in &calls {
        mix.add(r, &billing);
        sessions.insert((r.project, r.session));
        if let Some(t) = r.ts {
            days.insert(local.date_of(t));
        }
        let n = r.tokens.total();
        all += n;
        if r.origin != Origin::Main {
            sub += n;
            sub_mix.add(r, &billing);
        }
        *by_model.entry(display_name(ds.name(r.model))).or_default() += n;
        *by_project.entry(ds.project_name(r.project)).or_default() += n;
    }
    let comp = mix.composition(ds, pricing);
    let share = |n: u64| super::ratio(n, all);
    let opus = opus_audit::analyze(ds, pricing, &o);
    let t = mix.tokens();
    let sub_value = sub_mix.values(ds, pricing).0.total();
    CardPeriod {
        since: window.since,
        until: window.until,
        first_active: days.first().copied(),
        last_active: days.last().copied(),
        total_tokens: all,
        api_value_usd: comp.api_value_usd.total,
        shares: comp.shares,
        tier: tier(&comp),
        models: top(by_model, MODELS)
            .into_iter()
            .map(|(m, n)| (m, share(n)))
            .collect(),
        sessions: sessions.len() as u64,
        active_days: days.len() as u64,
        longest_streak: streak(&days),
        hit_rate: super::hit_rate(&t),
        subagent_share: share(sub),
        subagent_value_share: if comp.api_value_usd.total > 0.0 {
            sub_value / comp.api_value_usd.total
        } else {
            0.0
        },
        opus_sonnet_shaped_share: (opus.opus_tokens > 0).then_some(opus.sonnet_shaped_share),
        projects: top_projects(by_project),
    }
}

/// The efficiency tier of a composition: keyed on the share of its API value that went to
/// re-reading and writing cached context (`TIERS`).
pub fn tier(comp: &Composition) -> Tier {
    let overhead = comp.api_value_shares.cache_read + comp.api_value_shares.cache_write;
    let (grade, name, _) = TIERS
        .iter()
        .copied()
        .find(|&(_, _, hi)| overhead < hi)
        .unwrap_or(TIERS[4]);
    Tier {
        grade,
        name,
        overhead_share: overhead,
    }
}

/// The display names of the `PROJECTS` projects with the most tokens.
fn top_projects(by_project: BTreeMap<&str, u64>) -> Vec<String> {
    let named = by_project.into_iter().map(|(p, n)| (p.to_string(), n));
    top(named.collect(), PROJECTS)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p != "other")
        .collect()
}

/// The `n` largest entries, then the rest summed as "other".
fn top(map: BTreeMap<String, u64>, n: usize) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let rest: u64 = v.iter().skip(n).map(|e| e.1).sum();
    v.truncate(n);
    if rest > 0 {
        v.push(("other".to_string(), rest));
    }
    v
}

/// The longest run of consecutive active days.
pub fn streak(days: &BTreeSet<NaiveDate>) -> u64 {
    longest_streak(days).map_or(0, |s| s.days)
}

/// A run of consecutive active days.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub struct Streak {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub days: u64,
}

/// The longest run of consecutive active days (the earliest of equally long ones); None
/// without active days.
pub fn longest_streak(days: &BTreeSet<NaiveDate>) -> Option<Streak> {
    let mut best: Option<Streak> = None;
    let mut run: Option<Streak> = None;
    for &d in days {
        run = match run {
            Some(r) if r.last.succ_opt() == Some(d) => Some(Streak {
                last: d,
                days: r.days + 1,
                ..r
            }),
            _ => Some(Streak {
                first: d,
                last: d,
                days: 1,
            }),
        };
        if run.is_some_and(|r| best.is_none_or(|b| r.days > b.days)) {
            best = run;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaks_count_consecutive_days() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let days: BTreeSet<NaiveDate> = [
            "2026-11-01",
            "2026-11-02",
            "2026-11-03",
            "2026-11-05",
            "2026-11-06",
        ]
        .iter()
        .map(|s| d(s))
        .collect();
        assert_eq!(streak(&days), 3);
        assert_eq!(streak(&BTreeSet::new()), 0);
        let s = longest_streak(&days).unwrap();
        assert_eq!(
            (s.first, s.last, s.days),
            (d("2026-11-01"), d("2026-11-03"), 3)
        );
        // Of two equally long runs, the earlier; a run across a month and a year end.
        let two: BTreeSet<NaiveDate> = [
            "2025-12-30",
            "2025-12-31",
            "2026-01-01",
            "2026-02-27",
            "2026-02-28",
            "2026-03-01",
        ]
        .iter()
        .map(|s| d(s))
        .collect();
        let s = longest_streak(&two).unwrap();
        assert_eq!((s.first, s.days), (d("2025-12-30"), 3));
        assert_eq!(longest_streak(&BTreeSet::new()), None);
    }

    #[test]
    fn tiers_cover_every_share() {
        let tier = |x: f64| TIERS.iter().find(|t| x < t.2).map(|t| t.0);
        assert_eq!(tier(0.2), Some("A"));
        assert_eq!(tier(0.5), Some("B"));
        assert_eq!(tier(0.85), Some("D"));
        assert_eq!(tier(0.99), Some("E"));
    }
}
