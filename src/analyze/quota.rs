//! Quota: where the 5-hour and 7-day windows stand, from the snapshots the statusline
//! recorded (`Options::quota`), and what the transcripts say about them. Per window: the
//! latest used %, the snapshot's age, pace (used % against elapsed % of the window), the
//! projection at reset and the runway at the current burn. Calibration: the API value per
//! 1% of a window, from snapshot deltas against the transcripts' API value over the same
//! intervals, with its spread, and "not enough snapshots yet" below `MIN_INTERVALS`.
//! Attribution turns the 7-day window's causes (projects, sub-agents, Sonnet-shaped Opus
//! turns, expired cache writes) into shares of its used %. It never assumes a plan limit:
//! every percentage comes from Claude Code's own numbers.

use super::Options;
use super::bucket::{Billing, Bucket};
use crate::model::quota::{QuotaSnapshot, WindowUse};
use crate::model::{Dataset, Millis, Response};
use crate::pricing::Pricing;
use crate::time::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;

/// Snapshot intervals (with a rise in the window's %) needed before calibrating.
pub const MIN_INTERVALS: usize = 3;
pub const NOT_ENOUGH: &str = "not enough snapshots yet";
const HOUR_S: i64 = 3600;
/// Two snapshots belong to the same window when their reset times are this close (s).
const SAME_RESET_S: i64 = 300;

/// The two windows Claude Code reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    FiveHour,
    SevenDay,
}

impl Which {
    pub fn seconds(self) -> i64 {
        match self {
            Which::FiveHour => 5 * HOUR_S,
            Which::SevenDay => 7 * 24 * HOUR_S,
        }
    }

    /// How far back the current burn is measured.
    fn lookback(self) -> i64 {
        match self {
            Which::FiveHour => HOUR_S,
            Which::SevenDay => 24 * HOUR_S,
        }
    }

    pub fn of(self, s: &QuotaSnapshot) -> Option<WindowUse> {
        match self {
            Which::FiveHour => s.five_hour,
            Which::SevenDay => s.seven_day,
        }
    }
}

/// The `quota` section.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct QuotaReport {
    /// Snapshots on file.
    pub snapshots: usize,
    pub five_hour: Option<WindowReport>,
    pub seven_day: Option<WindowReport>,
    /// The 7-day window's used % split by cause.
    pub attribution: Option<Attribution>,
    /// What to do when there is nothing to show.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
}

/// One window.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct WindowReport {
    /// The latest snapshot's value (0–100), as Claude Code reported it.
    pub used_percentage: f64,
    pub resets_at: Timestamp,
    pub snapshot_at: Timestamp,
    pub snapshot_age_seconds: i64,
    /// The window reset after the latest snapshot: its value is history.
    pub reset_since_snapshot: bool,
    /// Share of the window elapsed at the snapshot, 0–100.
    pub elapsed_percentage: f64,
    /// used % / elapsed %: above 1 runs out before the reset if it keeps up.
    pub pace: Option<f64>,
    /// Percent points per hour: from the snapshots of the last `lookback`, else the
    /// window's average.
    pub burn_percent_per_hour: Option<f64>,
    pub burn_basis: &'static str,
    /// Used % at reset if the burn keeps up (may pass 100).
    pub projected_at_reset: Option<f64>,
    /// Seconds from now until 100% at the current burn (None: no burn).
    pub runway_seconds: Option<i64>,
    /// The runway ends before the window resets.
    pub runs_out_before_reset: bool,
    pub calibration: Calibration,
}

/// API value per 1% of a window.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Calibration {
    /// "calibrated" or `NOT_ENOUGH`.
    pub status: &'static str,
    /// Intervals between snapshots of one window with a rise in %.
    pub intervals: usize,
    pub min_intervals: usize,
    /// Σ API value / Σ percent points over the intervals.
    pub api_value_per_percent: Option<f64>,
    /// The lowest and highest single interval's ratio.
    pub spread_low: Option<f64>,
    pub spread_high: Option<f64>,
    pub caveat: &'static str,
}

/// The 7-day window's used % by cause.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Attribution {
    pub used_percentage: f64,
    /// This machine's API value since the window began.
    pub api_value_usd: f64,
    pub basis: &'static str,
    pub causes: Vec<Cause>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Cause {
    /// "project", "sub-agents", "sonnet-shaped opus turns", "expired cache writes".
    pub kind: &'static str,
    /// The project's directory name for a project.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub api_value_usd: f64,
    /// Its share of the window's API value × the window's used %.
    pub percentage: f64,
}

/// Extra figures the attribution takes from other analyzers (API values in the window).
#[derive(Clone, Copy, Debug, Default)]
pub struct Extra {
    pub sonnet_shaped_opus: f64,
    pub expired_cache_writes: f64,
}

/// Computes the section; `extra` holds what the Opus audit and the cache analyzer found.
pub fn analyze(ds: &Dataset, pricing: &Pricing, opts: &Options, extra: Extra) -> QuotaReport {
    let snaps = &opts.quota;
    let billing = Billing::new(ds, pricing, opts.cost_mode);
    let now_s = opts.now_ms.div_euclid(1000);
    let window = |w| window(snaps, w, now_s, ds, &billing);
    let five_hour = window(Which::FiveHour);
    let seven_day = window(Which::SevenDay);
    let attribution = seven_day
        .as_ref()
        .filter(|w| !w.reset_since_snapshot)
        .map(|w| attribution(ds, &billing, w, now_s, extra));
    QuotaReport {
        snapshots: snaps.len(),
        note: (five_hour.is_none() && seven_day.is_none()).then_some(
            "no quota snapshots yet: run `ccrecap statusline` as Claude Code's status line \
             (see `ccrecap statusline --print-config`); it records them as it sees them",
        ),
        five_hour,
        seven_day,
        attribution,
    }
}

/// One window's report, from its latest snapshot (None without one).
fn window(
    snaps: &[QuotaSnapshot],
    w: Which,
    now_s: i64,
    ds: &Dataset,
    billing: &Billing,
) -> Option<WindowReport> {
    let (at, last) = snaps.iter().rev().find_map(|s| Some((s.at, w.of(s)?)))?;
    let len = w.seconds();
    let start = last.resets_at - len;
    let elapsed = ((at - start) as f64 / len as f64 * 100.0).clamp(0.0, 100.0);
    let pace = (elapsed > 0.0).then(|| last.used_percentage / elapsed);
    let (burn, burn_basis) = burn(snaps, w, at, last, start);
    let projected = burn.map(|b| last.used_percentage + b * (last.resets_at - at) as f64 / 3600.0);
    let runway = burn.filter(|b| *b > 0.0).map(|b| {
        let from_snapshot = (100.0 - last.used_percentage).max(0.0) / b * 3600.0;
        (from_snapshot as i64 - (now_s - at)).max(0)
    });
    Some(WindowReport {
        used_percentage: last.used_percentage,
        resets_at: Timestamp(last.resets_at * 1000),
        snapshot_at: Timestamp(at * 1000),
        snapshot_age_seconds: (now_s - at).max(0),
        reset_since_snapshot: last.resets_at <= now_s,
        elapsed_percentage: elapsed,
        pace,
        burn_percent_per_hour: burn,
        burn_basis,
        projected_at_reset: projected,
        runs_out_before_reset: runway.is_some_and(|r| now_s + r < last.resets_at),
        runway_seconds: runway,
        calibration: calibrate(&intervals(snaps, w), ds, billing),
    })
}

/// The burn in points per hour, and where it came from.
fn burn(
    snaps: &[QuotaSnapshot],
    w: Which,
    at: i64,
    last: WindowUse,
    start: i64,
) -> (Option<f64>, &'static str) {
    let earliest = snaps.iter().find_map(|s| {
        let u = w.of(s)?;
        (same_window(u, last) && s.at < at && at - s.at <= w.lookback()).then_some((s.at, u))
    });
    if let Some((t, u)) = earliest {
        let hours = (at - t) as f64 / 3600.0;
        return (
            Some(((last.used_percentage - u.used_percentage) / hours).max(0.0)),
            "recent snapshots",
        );
    }
    let hours = (at - start) as f64 / 3600.0;
    if hours > 0.0 {
        (Some(last.used_percentage / hours), "window average")
    } else {
        (None, "none")
    }
}

fn same_window(a: WindowUse, b: WindowUse) -> bool {
    (a.resets_at - b.resets_at).abs() <= SAME_RESET_S
}

/// Consecutive snapshots of one window with a rise: (from s, to s, points).
pub fn intervals(snaps: &[QuotaSnapshot], w: Which) -> Vec<(i64, i64, f64)> {
    let pts: Vec<(i64, WindowUse)> = snaps
        .iter()
        .filter_map(|s| Some((s.at, w.of(s)?)))
        .collect();
    pts.windows(2)
        .filter_map(|p| {
            let ((a, ua), (b, ub)) = (p[0], p[1]);
            let rise = ub.used_percentage - ua.used_percentage;
            (same_window(ua, ub) && rise > 0.0 && b > a).then_some((a, b, rise))
        })
        .collect()
}

/// API value per point over the intervals.
fn calibrate(iv: &[(i64, i64, f64)], ds: &Dataset, billing: &Billing) -> Calibration {
    let mut value = 0.0;
    let mut points = 0.0;
    let mut ratios = Vec::new();
    for &(a, b, rise) in iv {
        let v = value_between(ds, billing, a * 1000, b * 1000);
        value += v;
        points += rise;
        ratios.push(v / rise);
    }
    let enough = iv.len() >= MIN_INTERVALS && points > 0.0;
    let fold = |f: fn(f64, f64) -> f64, init| ratios.iter().copied().fold(init, f);
    Calibration {
        status: if enough { "calibrated" } else { NOT_ENOUGH },
        intervals: iv.len(),
        min_intervals: MIN_INTERVALS,
        api_value_per_percent: enough.then(|| value / points),
        spread_low: enough.then(|| fold(f64::min, f64::INFINITY)),
        spread_high: enough.then(|| fold(f64::max, 0.0)),
        caveat: "this machine's transcripts only: use on other machines or in claude.ai \
                 counts toward the same quota and raises the ratio",
    }
}

/// Responses dated in `(from, to]` (ms).
fn between(ds: &Dataset, from: Millis, to: Millis) -> &[Response] {
    let all = &ds.responses[..ds.responses.partition_point(|r| r.ts.is_some())];
    let ts = |r: &Response| r.ts.unwrap_or(Millis::MAX);
    let lo = all.partition_point(|r| ts(r) <= from);
    let hi = all.partition_point(|r| ts(r) <= to);
    &all[lo..hi.max(lo)]
}

/// API value of the responses in `(from, to]` (ms).
pub fn value_between(ds: &Dataset, billing: &Billing, from: Millis, to: Millis) -> f64 {
    value_of(between(ds, from, to).iter(), ds, billing)
}

fn value_of<'a>(rs: impl Iterator<Item = &'a Response>, ds: &Dataset, billing: &Billing) -> f64 {
    let mut b = Bucket::default();
    rs.for_each(|r| b.add(r, billing));
    b.finish(billing.pricing, ds).cost
}

/// The 7-day window's used % split by cause, each in proportion to its API value.
fn attribution(
    ds: &Dataset,
    billing: &Billing,
    w: &WindowReport,
    now_s: i64,
    extra: Extra,
) -> Attribution {
    let start = w.resets_at.0 - Which::SevenDay.seconds() * 1000;
    let calls = between(ds, start, now_s * 1000);
    let total = value_of(calls.iter(), ds, billing);
    let mut projects: BTreeMap<_, Vec<&Response>> = BTreeMap::new();
    for r in calls {
        projects.entry(r.project).or_default().push(r);
    }
    let mut by_project: Vec<(String, f64)> = projects
        .into_iter()
        .map(|(p, rs)| {
            (
                ds.name(p).to_string(),
                value_of(rs.into_iter(), ds, billing),
            )
        })
        .collect();
    by_project.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let agents = value_of(calls.iter().filter(|r| r.agent.is_some()), ds, billing);
    let share = |v: f64| {
        if total > 0.0 {
            v / total * w.used_percentage
        } else {
            0.0
        }
    };
    let cause = |kind, name, v: f64| Cause {
        kind,
        name,
        api_value_usd: v,
        percentage: share(v),
    };
    let mut causes: Vec<Cause> = by_project
        .into_iter()
        .take(3)
        .map(|(n, v)| cause("project", Some(n), v))
        .collect();
    causes.push(cause("sub-agents", None, agents));
    causes.push(cause(
        "sonnet-shaped opus turns",
        None,
        extra.sonnet_shaped_opus,
    ));
    causes.push(cause(
        "expired cache writes",
        None,
        extra.expired_cache_writes,
    ));
    Attribution {
        used_percentage: w.used_percentage,
        api_value_usd: total,
        basis: "each cause's share of this machine's API value since the window began, \
                times the window's used %; causes overlap (a sub-agent runs in a project)",
        causes,
    }
}

/// The section with its attribution's extra figures: the Opus audit over the command's
/// window, the expired cache writes over the 7-day window's calls.
pub fn report(ds: &Dataset, pricing: &Pricing, opts: &Options) -> QuotaReport {
    let billing = Billing::new(ds, pricing, opts.cost_mode);
    let now_ms = opts.now_ms;
    let start = opts
        .quota
        .iter()
        .rev()
        .find_map(|s| s.seven_day)
        .map_or(now_ms, |w| (w.resets_at - Which::SevenDay.seconds()) * 1000);
    let calls = between(ds, start, now_ms);
    let extra = Extra {
        sonnet_shaped_opus: super::opus_audit::analyze(ds, pricing, opts)
            .sonnet_shaped_api_value_usd,
        expired_cache_writes: super::cache::analyze(calls, ds, pricing, &billing)
            .expired_writes
            .api_value_usd,
    };
    analyze(ds, pricing, opts, extra)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Tokens};

    /// Sonnet 4.5 responses at (epoch s, output tokens): $15 per million output tokens.
    fn dataset(calls: &[(i64, u64)]) -> Dataset {
        let mut ds = Dataset::default();
        let model = ds.strings.intern("claude-sonnet-4-5");
        let s = ds.strings.intern("s");
        ds.responses = calls
            .iter()
            .map(|&(at, output)| Response {
                tokens: Tokens {
                    output,
                    ..Tokens::default()
                },
                ts: Some(at * 1000),
                model,
                session: s,
                project: s,
                cwd: None,
                agent: None,
                origin: Origin::Main,
                recorded_cost: crate::model::record::RecordedCost::NONE,
                turn: None,
                file: 0,
                thinking_chars: 0,
                key: crate::model::record::DedupeKey::Request(u128::from(at.unsigned_abs()).into()),
                message_hash: 0,
                attr: 0,
            })
            .collect();
        ds.responses.sort_by_key(|r| r.ts);
        ds
    }

    fn snap(at: i64, seven: f64) -> QuotaSnapshot {
        QuotaSnapshot {
            at,
            five_hour: None,
            seven_day: Some(WindowUse {
                used_percentage: seven,
                resets_at: T0 + 6 * 24 * 3600,
            }),
        }
    }

    const T0: i64 = 1_800_000_000;

    fn options(quota: Vec<QuotaSnapshot>, now_s: i64) -> Options {
        Options {
            window: crate::time::Window::default(),
            zone: crate::time::Zone::Named(chrono_tz::UTC),
            cost_mode: crate::options::CostMode::Calculate,
            order: crate::options::Order::Asc,
            now_ms: now_s * 1000,
            week_start: chrono::Weekday::Sun,
            blocks: crate::options::BlocksOptions::default(),
            weekly_card: false,
            quota,
            by: None,
        }
    }

    #[test]
    fn calibration_matches_the_hand_computed_ratio() {
        // Intervals (T0, T0+1h]: $3.00 for 2 points; (T0+1h, T0+2h]: $1.50 for 1 point;
        // (T0+2h, T0+3h]: $6.00 for 2 points. Σ $10.50 / 5 points = $2.10 per point;
        // single intervals: 1.50, 1.50, 3.00.
        let ds = dataset(&[
            (T0 + 60, 100_000),
            (T0 + 120, 100_000),
            (T0 + 3600 + 60, 100_000),
            (T0 + 7200 + 60, 400_000),
            // Outside every interval: not counted.
            (T0 - 60, 900_000),
        ]);
        let snaps = vec![
            snap(T0, 10.0),
            snap(T0 + 3600, 12.0),
            snap(T0 + 7200, 13.0),
            snap(T0 + 10_800, 15.0),
        ];
        let q = analyze(
            &ds,
            Pricing::embedded(),
            &options(snaps.clone(), T0 + 10_800),
            Extra::default(),
        );
        let c = &q.seven_day.as_ref().unwrap().calibration;
        assert_eq!((c.status, c.intervals), ("calibrated", 3));
        let close = |a: Option<f64>, b: f64| (a.unwrap() - b).abs() < 1e-9;
        assert!(close(c.api_value_per_percent, 2.10), "{c:?}");
        assert!(
            close(c.spread_low, 1.50) && close(c.spread_high, 3.00),
            "{c:?}"
        );

        // Two intervals are below the minimum: no ratio is invented.
        let few = analyze(
            &ds,
            Pricing::embedded(),
            &options(snaps[..3].to_vec(), T0 + 7200),
            Extra::default(),
        );
        let c = &few.seven_day.as_ref().unwrap().calibration;
        assert_eq!((c.status, c.api_value_per_percent), (NOT_ENOUGH, None));
    }

    #[test]
    fn pace_projection_and_runway_follow_the_snapshots() {
        // 7-day window resetting at T0 + 6 d: 1 day (1/7) elapsed at T0.
        let w = window(
            &[snap(T0 - 3600, 10.0), snap(T0, 20.0)],
            Which::SevenDay,
            T0,
            &Dataset::default(),
            &Billing::new(
                &Dataset::default(),
                Pricing::embedded(),
                crate::options::CostMode::Calculate,
            ),
        )
        .unwrap();
        assert!((w.elapsed_percentage - 100.0 / 7.0).abs() < 1e-9);
        assert!((w.pace.unwrap() - 1.4).abs() < 1e-9);
        // 10 points in the last hour: 10/h, 80 points left → 8 h of runway, before reset.
        assert_eq!(
            (w.burn_percent_per_hour, w.burn_basis),
            (Some(10.0), "recent snapshots")
        );
        assert_eq!(w.runway_seconds, Some(8 * 3600));
        assert!(w.runs_out_before_reset);
        assert!((w.projected_at_reset.unwrap() - (20.0 + 10.0 * 144.0)).abs() < 1e-9);
        let none = analyze(
            &Dataset::default(),
            Pricing::embedded(),
            &options(Vec::new(), T0),
            Extra::default(),
        );
        assert!(none.five_hour.is_none() && none.note.is_some());
    }
}
