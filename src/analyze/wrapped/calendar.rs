//! The year's days for `wrapped`: the days with use with their tokens and API value,
//! each one's shade for the contribution-calendar heatmap (quartiles of the
//! active days ranked by API value), the range of values each shade stands for, and the
//! busiest days. Pure functions over per-day sums; no pixels (the renderer places the
//! cells), no formatting.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Shades of an active day (0 is a day without use).
pub const LEVELS: u8 = 4;

/// One date's use: its tokens and API value (in the run's cost mode).
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct DayFigure {
    pub date: NaiveDate,
    pub total_tokens: u64,
    pub api_value_usd: f64,
}

/// One cell of the heatmap.
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct CalendarDay {
    #[serde(flatten)]
    pub day: DayFigure,
    /// 1–4: the quartile of the active days (by API value) it falls in.
    pub level: u8,
}

/// The API value one shade stands for.
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct Shade {
    pub level: u8,
    /// Active days with this shade.
    pub days: u64,
    pub min_usd: f64,
    pub max_usd: f64,
}

/// The contribution calendar of a year: its days with use (a date not listed had none).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Calendar {
    /// The active days, in date order.
    pub days: Vec<CalendarDay>,
    /// The shades in use, lightest first, with the values each covers.
    pub shades: Vec<Shade>,
}

/// The calendar of `year` from the days with use (`active`, any order; dates outside the
/// year are left out).
pub fn calendar(year: i32, active: &[DayFigure]) -> Calendar {
    let mut used: Vec<DayFigure> = active
        .iter()
        .copied()
        .filter(|d| d.date.year() == year)
        .collect();
    used.sort_by_key(|d| d.date);
    let values: Vec<f64> = used.iter().map(|d| d.api_value_usd).collect();
    let levels = levels(&values);
    Calendar {
        days: used
            .iter()
            .zip(&levels)
            .map(|(&day, &level)| CalendarDay { day, level })
            .collect(),
        shades: shades(&values, &levels),
    }
}

/// Every date of `year`, January 1 to December 31 (none for a year chrono cannot hold).
pub fn dates(year: i32) -> impl Iterator<Item = NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .into_iter()
        .flat_map(|d| d.iter_days())
        .take_while(move |d| d.year() == year)
}

/// Each value's shade, 1–4: its rank among the values (equal values share the highest
/// rank of their group) in quarters, so the largest is always 4 and a quarter of the
/// days, roughly, take each shade.
pub fn levels(values: &[f64]) -> Vec<u8> {
    let n = values.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0u8; n];
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        // Ranks i + 1 ..= j + 1 share the group's highest, j + 1.
        let level = ((j + 1) * usize::from(LEVELS)).div_ceil(n).clamp(1, 4) as u8;
        for &k in &order[i..=j] {
            out[k] = level;
        }
        i = j + 1;
    }
    out
}

/// The range of values of each shade in use.
fn shades(values: &[f64], levels: &[u8]) -> Vec<Shade> {
    (1..=LEVELS)
        .filter_map(|level| {
            let v: Vec<f64> = values
                .iter()
                .zip(levels)
                .filter(|&(_, &l)| l == level)
                .map(|(&v, _)| v)
                .collect();
            let min = v.iter().copied().reduce(f64::min)?;
            let max = v.iter().copied().reduce(f64::max)?;
            Some(Shade {
                level,
                days: v.len() as u64,
                min_usd: min,
                max_usd: max,
            })
        })
        .collect()
}

/// The day with the most tokens (the earliest of equals).
pub fn busiest(days: &[DayFigure]) -> Option<DayFigure> {
    days.iter().copied().reduce(|best, d| {
        if (d.total_tokens, std::cmp::Reverse(d.date))
            > (best.total_tokens, std::cmp::Reverse(best.date))
        {
            d
        } else {
            best
        }
    })
}

/// The day with the most API value (the earliest of equals).
pub fn costliest(days: &[DayFigure]) -> Option<DayFigure> {
    days.iter().copied().reduce(
        |best, d| match d.api_value_usd.total_cmp(&best.api_value_usd) {
            std::cmp::Ordering::Greater => d,
            std::cmp::Ordering::Equal if d.date < best.date => d,
            _ => best,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn day(date: &str, tokens: u64, usd: f64) -> DayFigure {
        DayFigure {
            date: d(date),
            total_tokens: tokens,
            api_value_usd: usd,
        }
    }

    #[test]
    fn shades_are_quartiles_of_the_active_days() {
        assert_eq!(levels(&[1.0, 2.0, 3.0, 4.0]), [1, 2, 3, 4]);
        assert_eq!(levels(&[4.0, 1.0, 3.0, 2.0]), [4, 1, 3, 2], "order kept");
        assert_eq!(levels(&[5.0]), [4], "a single day is the darkest");
        assert_eq!(
            levels(&[2.0, 2.0, 2.0]),
            [4, 4, 4],
            "equal days share a shade"
        );
        assert_eq!(levels(&[0.0, 1.0]), [2, 4], "no value still shows");
        let eight: Vec<f64> = (1..=8).map(f64::from).collect();
        assert_eq!(levels(&eight), [1, 1, 2, 2, 3, 3, 4, 4]);
        assert!(levels(&[]).is_empty());
    }

    #[test]
    fn the_calendar_holds_the_years_active_days_with_their_shades() {
        let c = calendar(
            2026,
            &[
                day("2026-03-02", 10, 1.0),
                day("2026-01-01", 30, 3.0),
                day("2025-12-31", 99, 9.0),
            ],
        );
        let days: Vec<(NaiveDate, u8)> = c.days.iter().map(|x| (x.day.date, x.level)).collect();
        assert_eq!(
            days,
            [(d("2026-01-01"), 4), (d("2026-03-02"), 2)],
            "2025 left out"
        );
        assert_eq!(
            c.shades,
            [
                Shade {
                    level: 2,
                    days: 1,
                    min_usd: 1.0,
                    max_usd: 1.0
                },
                Shade {
                    level: 4,
                    days: 1,
                    min_usd: 3.0,
                    max_usd: 3.0
                }
            ]
        );
        assert!(calendar(2026, &[]).shades.is_empty());
        assert_eq!(dates(2026).count(), 365);
        assert_eq!(dates(2028).count(), 366, "a leap year");
        assert_eq!(dates(2026).last(), Some(d("2026-12-31")));
    }

    #[test]
    fn busiest_days_by_tokens_and_by_value_earliest_first() {
        let days = [
            day("2026-02-01", 50, 9.0),
            day("2026-01-01", 80, 2.0),
            day("2026-03-01", 80, 9.0),
        ];
        assert_eq!(busiest(&days).unwrap().date, d("2026-01-01"));
        assert_eq!(costliest(&days).unwrap().date, d("2026-02-01"));
        assert_eq!(busiest(&[]), None);
        assert_eq!(costliest(&[]), None);
    }
}
