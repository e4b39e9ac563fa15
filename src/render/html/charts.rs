//! Chart geometry for the HTML recap: turns the recap's numbers into pixel coordinates
//! for the inline SVG charts in `templates/report.html` (stacked daily columns,
//! horizontal bars, context-growth lines, the weekday × hour grid), and the year in
//! review's contribution calendar (its page and its card). Only scaling and placement:
//! every value it draws comes from the recap or the year in review. Bar labels (model and project
//! names) are clipped with the terminal's `clip`, which also shows control characters;
//! the template escapes every label.

use crate::analyze::recap::{Day, SessionCurve};
use crate::analyze::value::Composition;
use crate::analyze::wrapped::calendar::{Calendar, dates};
use crate::render::fmt::{self, clip};
use chrono::{Datelike, Duration};
use serde::Serialize;

/// Plot area of the wide charts, in SVG user units (they scale with the page).
pub const WIDTH: f64 = 720.0;
pub const HEIGHT: f64 = 220.0;
/// Left margin for the y-axis labels, bottom margin for the x-axis labels.
const LEFT: f64 = 56.0;
const BOTTOM: f64 = 22.0;

#[derive(Debug, Serialize)]
pub struct Tick {
    pub y: String,
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct Segment {
    pub class: &'static str,
    pub y: String,
    pub h: String,
}

/// One stacked column, bottom up from `base`: re-read, cache write, new input, output
/// (`tokens` in that order; empty classes draw nothing).
pub fn stack(tokens: [u64; 4], base: f64, scale: &dyn Fn(u64) -> f64) -> Vec<Segment> {
    let mut y = base;
    ["c-read", "c-write", "c-input", "c-output"]
        .into_iter()
        .zip(tokens)
        .filter(|&(_, v)| v > 0)
        .map(|(class, v)| {
            let h = scale(v);
            y -= h;
            Segment {
                class,
                y: px(y),
                h: px(h),
            }
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct DayColumn {
    pub x: String,
    pub w: String,
    pub label: Option<String>,
    pub label_x: String,
    pub title: String,
    pub segments: Vec<Segment>,
}

/// Daily tokens as columns stacked by class (re-read at the bottom).
#[derive(Debug, Serialize)]
pub struct Stacked {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub base: String,
    pub ticks: Vec<Tick>,
    pub columns: Vec<DayColumn>,
}

pub fn daily(days: &[Day]) -> Stacked {
    let plot_h = HEIGHT - BOTTOM - 8.0;
    let max = days.iter().map(|d| d.total_tokens).max().unwrap_or(0);
    let top = nice_ceiling(max);
    let scale = |v: u64| v as f64 / top as f64 * plot_h;
    let base = HEIGHT - BOTTOM;
    let n = days.len().max(1) as f64;
    let step = (WIDTH - LEFT - 4.0) / n;
    let w = (step * 0.8).max(1.0);
    let every = (days.len() / 10).max(1);
    let columns = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let x = LEFT + i as f64 * step + (step - w) / 2.0;
            let segments = stack(
                [
                    d.cache_read_tokens,
                    d.cache_write_tokens,
                    d.input_tokens,
                    d.output_tokens,
                ],
                base,
                &scale,
            );
            DayColumn {
                x: px(x),
                w: px(w),
                label: (i % every == 0).then(|| d.date.format("%m-%d").to_string()),
                label_x: px(x + w / 2.0),
                title: format!(
                    "{}: {} tokens ({} re-read, {} cache write, {} new input, {} output), {}",
                    d.date,
                    fmt::thousands(d.total_tokens),
                    fmt::thousands(d.cache_read_tokens),
                    fmt::thousands(d.cache_write_tokens),
                    fmt::thousands(d.input_tokens),
                    fmt::thousands(d.output_tokens),
                    fmt::money(d.api_value_usd)
                ),
                segments,
            }
        })
        .collect();
    Stacked {
        width: WIDTH,
        height: HEIGHT,
        left: LEFT,
        base: px(base),
        ticks: ticks(top, plot_h, base, fmt::human),
        columns,
    }
}

#[derive(Debug, Serialize)]
pub struct Share {
    pub class: &'static str,
    pub label: &'static str,
    pub x: String,
    pub w: String,
    pub pct: String,
    pub tokens: u64,
}

/// The window's composition as one 100%-wide bar (x and width in percent).
pub fn share_bar(c: &Composition) -> Vec<Share> {
    let mut x = 0.0;
    [
        (
            "c-read",
            "re-read (cache reads)",
            c.shares.cache_read,
            c.cache_read_tokens,
        ),
        (
            "c-write",
            "cache writes",
            c.shares.cache_write,
            c.cache_write_tokens,
        ),
        ("c-input", "new input", c.shares.input, c.input_tokens),
        ("c-output", "output", c.shares.output, c.output_tokens),
    ]
    .into_iter()
    .map(|(class, label, share, tokens)| {
        let w = share * 100.0;
        let s = Share {
            class,
            label,
            x: px(x),
            w: px(w),
            pct: fmt::pct(share),
            tokens,
        };
        x += w;
        s
    })
    .collect()
}

/// One bar of a horizontal bar chart, drawn in HTML (its label is text, so it reads at
/// any page width).
#[derive(Debug, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: String,
    pub title: String,
    /// Its length, in percent of the longest bar.
    pub w: String,
}

/// `rows`: (label, value, shown value, exact title); `value` is the bar length.
pub fn bars(rows: &[(String, f64, String, String)]) -> Vec<Bar> {
    let max = rows.iter().map(|r| r.1).fold(0.0_f64, f64::max);
    rows.iter()
        .map(|(label, v, shown, title)| {
            let w = if max > 0.0 { v / max * 100.0 } else { 0.0 };
            Bar {
                label: clip(label, 60),
                value: shown.clone(),
                title: title.clone(),
                w: px(w.max(if *v > 0.0 { 0.5 } else { 0.0 })),
            }
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct Curve {
    pub class: String,
    pub label: String,
    pub points: String,
    pub title: String,
}

/// Context size per main-thread call for the heaviest sessions, on a shared scale.
#[derive(Debug, Serialize)]
pub struct Lines {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub base: String,
    pub ticks: Vec<Tick>,
    pub max_calls: u64,
    pub lines: Vec<Curve>,
}

pub fn curves(sessions: &[SessionCurve]) -> Lines {
    let plot_h = HEIGHT - BOTTOM - 8.0;
    let base = HEIGHT - BOTTOM;
    let peak = sessions.iter().map(|s| s.peak_context).max().unwrap_or(0);
    let top = nice_ceiling(peak);
    let max_calls = sessions
        .iter()
        .map(|s| s.main_calls)
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_w = WIDTH - LEFT - 8.0;
    let lines = sessions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let n = s.context_curve.len();
            let points: Vec<String> = s
                .context_curve
                .iter()
                .enumerate()
                .map(|(k, &v)| {
                    // Point k stands for calls up to (k + 1) × calls_per_point.
                    let call = if n <= 1 {
                        0.0
                    } else {
                        k as f64 / (n - 1) as f64 * s.main_calls.saturating_sub(1) as f64
                    };
                    let x = LEFT + call / (max_calls.saturating_sub(1).max(1)) as f64 * plot_w;
                    let y = base - v as f64 / top as f64 * plot_h;
                    format!("{},{}", px(x), px(y))
                })
                .collect();
            Curve {
                class: format!("s{}", i % 5),
                label: format!("{} · {}", s.session, s.project),
                points: points.join(" "),
                title: format!(
                    "session {}: peak context {} tokens over {}",
                    s.session,
                    fmt::thousands(s.peak_context),
                    fmt::plural(s.main_calls, "call")
                ),
            }
        })
        .collect();
    Lines {
        width: WIDTH,
        height: HEIGHT,
        left: LEFT,
        base: px(base),
        ticks: ticks(top, plot_h, base, fmt::human),
        max_calls,
        lines,
    }
}

#[derive(Debug, Serialize)]
pub struct Cell {
    pub x: String,
    pub y: String,
    pub level: u8,
    pub title: String,
}

/// One shade of the grid and the calls an hour it stands for ("26–50").
#[derive(Debug, Serialize)]
pub struct Shade {
    pub level: u8,
    pub label: String,
}

/// API calls per weekday × hour, five shades by quarters of the busiest cell.
#[derive(Debug, Serialize)]
pub struct Grid {
    pub width: f64,
    pub height: f64,
    pub cells: Vec<Cell>,
    pub days: Vec<(String, &'static str)>,
    pub hours: Vec<(String, String)>,
    /// The legend: each shade in use and its range of calls.
    pub legend: Vec<Shade>,
}

/// The shade of an hour with `n` calls when the busiest has `max`: 0 for none, else the
/// quarter of `max` it falls in (1–4).
fn level(n: u64, max: u64) -> u8 {
    if n == 0 || max == 0 {
        0
    } else {
        (1 + (n * 4 - 1) / max).min(4) as u8
    }
}

/// The shades `level` gives, with the counts each covers: level k takes the n with
/// (k − 1)·max < 4n ≤ k·max; a level no count reaches (max < 4) is left out.
fn legend(max: u64) -> Vec<Shade> {
    let mut out = vec![Shade {
        level: 0,
        label: "none".into(),
    }];
    for k in 1..=4u64 {
        let lo = ((k - 1) * max / 4 + 1).max(1);
        let hi = k * max / 4;
        if lo > hi {
            continue;
        }
        let label = if lo == hi {
            fmt::thousands(lo)
        } else {
            format!("{}–{}", fmt::thousands(lo), fmt::thousands(hi))
        };
        out.push(Shade {
            level: k as u8,
            label,
        });
    }
    out
}

pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub fn grid(counts: &[Vec<u64>]) -> Grid {
    const CELL: f64 = 24.0;
    const LEFT_G: f64 = 40.0;
    const TOP_G: f64 = 18.0;
    let max = counts.iter().flatten().copied().max().unwrap_or(0);
    let mut cells = Vec::new();
    for (d, row) in counts.iter().enumerate().take(7) {
        for (h, &n) in row.iter().enumerate().take(24) {
            let level = level(n, max);
            cells.push(Cell {
                x: px(LEFT_G + h as f64 * CELL),
                y: px(TOP_G + d as f64 * CELL),
                level,
                title: format!(
                    "{} {:02}:00: {}",
                    WEEKDAYS[d],
                    h,
                    fmt::plural(n, "API call")
                ),
            });
        }
    }
    Grid {
        width: LEFT_G + 24.0 * CELL + 4.0,
        height: TOP_G + 7.0 * CELL + 4.0,
        cells,
        days: WEEKDAYS
            .iter()
            .enumerate()
            .map(|(d, name)| (px(TOP_G + d as f64 * CELL + CELL / 2.0 + 4.0), *name))
            .collect(),
        hours: (0..24)
            .step_by(3)
            .map(|h| {
                (
                    px(LEFT_G + f64::from(h) * CELL + CELL / 2.0),
                    format!("{h:02}"),
                )
            })
            .collect(),
        legend: if max == 0 { Vec::new() } else { legend(max) },
    }
}

/// Where the contribution calendar's cells go: their size and gap, and the margins for
/// the weekday labels (left) and the month labels (top), in SVG user units.
#[derive(Clone, Copy, Debug)]
pub struct HeatLayout {
    pub cell: f64,
    pub gap: f64,
    pub left: f64,
    pub top: f64,
}

/// The HTML page's calendar: 53 weeks of 15 units, labels of 12 (`report.css`).
pub const HEAT_PAGE: HeatLayout = HeatLayout {
    cell: 12.0,
    gap: 3.0,
    left: 30.0,
    top: 18.0,
};

#[derive(Debug, Serialize)]
pub struct HeatCell {
    pub x: String,
    pub y: String,
    pub level: u8,
    pub title: String,
}

/// The contribution calendar: a column per week (Monday first), a row per weekday, one
/// cell per date of the year shaded by its level, with month and weekday labels and the
/// legend of shades (the API value each stands for).
#[derive(Debug, Serialize)]
pub struct Heatmap {
    pub width: String,
    pub height: String,
    pub cell: String,
    pub cells: Vec<HeatCell>,
    /// (x, name) of each month, at its first week that starts in it.
    pub months: Vec<(String, &'static str)>,
    /// (y, name) of Monday, Wednesday and Friday.
    pub days: Vec<(String, &'static str)>,
    pub legend: Vec<Shade>,
}

pub const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The calendar of `year`: a cell for every date, shaded as `c` says (unlisted dates had
/// no use).
pub fn heatmap(c: &Calendar, year: i32, l: HeatLayout) -> Heatmap {
    let step = l.cell + l.gap;
    let mut active = c.days.iter().peekable();
    let mut cells = Vec::new();
    let (mut weeks, mut months) = (0.0, Vec::new());
    let mut monday = None;
    for date in dates(year) {
        let start = *monday.get_or_insert_with(|| {
            date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
        });
        let column = ((date - start).num_days() / 7) as f64;
        let x = px(l.left + column * step);
        weeks = column + 1.0;
        if date.weekday() == chrono::Weekday::Mon && date.day() <= 7 {
            months.push((x.clone(), MONTHS[date.month0() as usize]));
        }
        let (level, title) = match active.next_if(|d| d.day.date == date) {
            Some(d) => (
                d.level,
                format!(
                    "{date}: {} tokens, {}",
                    fmt::thousands(d.day.total_tokens),
                    fmt::money(d.day.api_value_usd)
                ),
            ),
            None => (0, format!("{date}: no use")),
        };
        cells.push(HeatCell {
            x,
            y: px(l.top + f64::from(date.weekday().num_days_from_monday()) * step),
            level,
            title,
        });
    }
    Heatmap {
        width: px(l.left + weeks * step),
        height: px(l.top + 7.0 * step),
        cell: px(l.cell),
        cells,
        months,
        days: [(0, "Mon"), (2, "Wed"), (4, "Fri")]
            .into_iter()
            .map(|(row, name)| (px(l.top + f64::from(row) * step + l.cell - 2.0), name))
            .collect(),
        legend: heat_legend(c),
    }
}

/// The shades of the calendar and the API value a day each stands for.
fn heat_legend(c: &Calendar) -> Vec<Shade> {
    let mut legend = vec![Shade {
        level: 0,
        label: "no use".into(),
    }];
    legend.extend(c.shades.iter().map(|s| Shade {
        level: s.level,
        label: if fmt::money(s.min_usd) == fmt::money(s.max_usd) {
            fmt::money(s.max_usd)
        } else {
            format!("{}–{}", fmt::money(s.min_usd), fmt::money(s.max_usd))
        },
    }));
    legend
}

/// Four y-axis ticks from zero to `top`.
pub(super) fn ticks(top: u64, plot_h: f64, base: f64, label: fn(u64) -> String) -> Vec<Tick> {
    (0..=4)
        .map(|i| {
            let v = top / 4 * i;
            Tick {
                y: px(base - v as f64 / top.max(1) as f64 * plot_h),
                label: label(v),
            }
        })
        .collect()
}

/// The smallest of 1, 2, 4, 5 or 8 × 10^k (or 10^(k+1)) at or above `v`, so the four
/// axis ticks (a quarter of it each) land on round numbers.
pub(super) fn nice_ceiling(v: u64) -> u64 {
    if v == 0 {
        return 4;
    }
    let mut p = 1u64;
    while p.saturating_mul(10) <= v {
        p *= 10;
    }
    [1, 2, 4, 5, 8, 10]
        .iter()
        .map(|m| m * p)
        .find(|&c| c >= v)
        .unwrap_or(10 * p)
}

pub(super) fn px(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round() {
        assert_eq!(nice_ceiling(0), 4);
        assert_eq!(nice_ceiling(7), 8);
        assert_eq!(nice_ceiling(2_700_000), 4_000_000);
        assert_eq!(nice_ceiling(100), 100);
        assert_eq!(nice_ceiling(101), 200);
    }

    #[test]
    fn the_busiest_cell_is_the_darkest() {
        let mut counts = vec![vec![0u64; 24]; 7];
        counts[0][9] = 100;
        counts[4][17] = 1;
        let g = grid(&counts);
        assert_eq!(g.cells.len(), 168);
        assert_eq!(g.cells[9].level, 4);
        assert_eq!(g.cells[4 * 24 + 17].level, 1);
        assert_eq!(g.cells[0].level, 0);
    }

    #[test]
    fn the_grid_legend_names_the_counts_of_each_shade() {
        for max in [1, 2, 3, 4, 5, 7, 100, 101, 1234] {
            let shades = legend(max);
            assert_eq!(shades[0].label, "none");
            for n in 1..=max {
                let l = level(n, max);
                let s = shades.iter().find(|s| s.level == l).unwrap();
                let (lo, hi) = match s.label.split_once('–') {
                    Some((a, b)) => (a.replace(',', ""), b.replace(',', "")),
                    None => (s.label.replace(',', ""), s.label.replace(',', "")),
                };
                let (lo, hi): (u64, u64) = (lo.parse().unwrap(), hi.parse().unwrap());
                assert!(
                    lo <= n && n <= hi,
                    "max {max}: {n} in level {l} ({})",
                    s.label
                );
            }
        }
        let labels: Vec<String> = legend(100).into_iter().map(|s| s.label).collect();
        assert_eq!(labels, ["none", "1–25", "26–50", "51–75", "76–100"]);
        assert_eq!(legend(2).len(), 3, "levels no count reaches are left out");
    }

    #[test]
    fn the_calendar_has_a_column_per_week_and_a_row_per_weekday() {
        use crate::analyze::wrapped::calendar::{DayFigure, calendar};
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let day = DayFigure {
            date: d("2026-03-04"),
            total_tokens: 1234,
            api_value_usd: 2.5,
        };
        let h = heatmap(&calendar(2026, &[day]), 2026, HEAT_PAGE);
        assert_eq!(h.cells.len(), 365);
        // 2026-01-01 is a Thursday: row 3 of the first column.
        assert_eq!((h.cells[0].x.as_str(), h.cells[0].y.as_str()), ("30", "63"));
        // 2026-12-31, also a Thursday, is in the 53rd column.
        assert_eq!(h.cells[364].x, px(30.0 + 52.0 * 15.0));
        assert_eq!(h.width, px(30.0 + 53.0 * 15.0));
        let march = &h.cells[31 + 28 + 3];
        assert_eq!(march.title, "2026-03-04: 1,234 tokens, $2.50");
        assert_eq!(march.level, 4);
        assert_eq!(h.cells[1].title, "2026-01-02: no use");
        let names: Vec<&str> = h.months.iter().map(|m| m.1).collect();
        assert_eq!(names, MONTHS);
        let legend: Vec<&str> = h.legend.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(legend, ["no use", "$2.50"]);
    }

    #[test]
    fn bars_are_percentages_of_the_longest() {
        let row = |v: f64| (String::from("m"), v, String::new(), String::new());
        let b = bars(&[row(4.0), row(1.0), row(0.0)]);
        let w: Vec<&str> = b.iter().map(|b| b.w.as_str()).collect();
        assert_eq!(w, ["100", "25", "0"]);
    }

    #[test]
    fn stacked_columns_fit_the_plot() {
        let day = |t: u64| Day {
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
            cache_read_tokens: t,
            cache_write_tokens: t / 2,
            input_tokens: 0,
            output_tokens: 1,
            total_tokens: t + t / 2 + 1,
            api_value_usd: 1.0,
        };
        let c = daily(&[day(1000), day(0)]);
        assert_eq!(c.columns.len(), 2);
        assert_eq!(c.columns[0].segments.len(), 3, "zero classes draw nothing");
        let top: f64 = c.columns[0].segments[2].y.parse().unwrap();
        assert!(top >= 8.0 - 0.1, "the tallest column stays inside the plot");
    }
}
