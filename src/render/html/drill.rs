//! Chart geometry of a session section (`templates/drill.html`): the main thread's calls
//! as columns stacked by class (re-read at the bottom, then cache writes, new input and
//! output), a dashed line at the 100k context mark, and a vertical line per marker
//! (compaction, cache expiry, API error, ...). Scaling and placement only: every value
//! comes from the section.

use super::charts::{Segment, Tick, nice_ceiling, px, stack, ticks};
use crate::analyze::recap::drill::SessionSection;
use crate::analyze::turns::COMPACT_CONTEXT;
use crate::render::fmt;
use serde::Serialize;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 56.0;
const BOTTOM: f64 = 22.0;
const TOP: f64 = 8.0;

/// One column: the calls it stands for, stacked by class.
#[derive(Debug, Serialize)]
pub struct CallColumn {
    pub x: String,
    pub w: String,
    pub title: String,
    pub segments: Vec<Segment>,
}

/// A marker's vertical line.
#[derive(Debug, Serialize)]
pub struct Mark {
    pub x: String,
    pub class: &'static str,
    pub title: String,
}

/// The per-call chart of one section.
#[derive(Debug, Serialize)]
pub struct CallChart {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub base: String,
    pub top: String,
    pub ticks: Vec<Tick>,
    pub columns: Vec<CallColumn>,
    pub marks: Vec<Mark>,
    /// The y of the 100k line, when the chart reaches it.
    pub limit_y: Option<String>,
    pub limit_label: String,
    pub last_call: usize,
}

/// The chart of a section.
pub fn chart(s: &SessionSection) -> CallChart {
    let plot_h = HEIGHT - BOTTOM - TOP;
    let plot_w = WIDTH - LEFT - 4.0;
    let base = HEIGHT - BOTTOM;
    let tall =
        |b: &crate::analyze::recap::drill::CallBar| b.context_tokens + b.tokens.output_tokens;
    let top = nice_ceiling(s.chart.iter().map(tall).max().unwrap_or(0));
    let scale = |v: u64| v as f64 / top as f64 * plot_h;
    let n = s.main_calls.max(1) as f64;
    let x_of = |calls_before: f64| LEFT + calls_before / n * plot_w;
    let columns = s
        .chart
        .iter()
        .map(|b| {
            let (x0, x1) = (
                x_of(f64::from(b.first_call - 1)),
                x_of(f64::from(b.last_call)),
            );
            let w = ((x1 - x0) * 0.85).max(0.6);
            let t = &b.tokens;
            let segments = stack(
                [
                    t.cache_read_tokens,
                    t.cache_write_tokens,
                    t.input_tokens,
                    t.output_tokens,
                ],
                base,
                &scale,
            );
            CallColumn {
                x: px(x0),
                w: px(w),
                title: title(b),
                segments,
            }
        })
        .collect();
    CallChart {
        width: WIDTH,
        height: HEIGHT,
        left: LEFT,
        base: px(base),
        top: px(TOP),
        ticks: ticks(top, plot_h, base, fmt::human),
        columns,
        marks: s
            .markers
            .iter()
            .map(|m| Mark {
                x: px(x_of(f64::from(m.position))),
                class: match m.kind {
                    "cache_expiry" => "mark-expiry",
                    "compaction" => "mark-compaction",
                    "context_100k" => "mark-limit",
                    _ => "mark-error",
                },
                title: m.text.clone(),
            })
            .collect(),
        limit_y: (top > COMPACT_CONTEXT).then(|| px(base - scale(COMPACT_CONTEXT))),
        limit_label: fmt::human(COMPACT_CONTEXT),
        last_call: s.main_calls,
    }
}

/// A column's tooltip: which calls, when, and its numbers.
fn title(b: &crate::analyze::recap::drill::CallBar) -> String {
    let calls = if b.first_call == b.last_call {
        format!("call {}", b.first_call)
    } else {
        format!("calls {}–{} (the largest shown)", b.first_call, b.last_call)
    };
    let at =
        b.at.map(|t| format!(" at {}", t.format("%Y-%m-%d %H:%M:%S")))
            .unwrap_or_default();
    let t = &b.tokens;
    format!(
        "{calls}, turn {}{at}, {}: context {} tokens ({} re-read, {} cache write, {} new input), {} output, {}",
        b.turn,
        fmt::short_model(&b.model),
        fmt::thousands(b.context_tokens),
        fmt::thousands(t.cache_read_tokens),
        fmt::thousands(t.cache_write_tokens),
        fmt::thousands(t.input_tokens),
        fmt::thousands(t.output_tokens),
        fmt::money_fine(b.api_value_usd)
    )
}
