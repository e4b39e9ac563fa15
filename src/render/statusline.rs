//! The status line: one line of segments (`options::Segment`, in the order asked),
//! separated by " │ ", coloured by the palette (pace above 1 and a cold cache in the
//! warning colour). Segments with nothing known are left out; with nothing known at all
//! the line still says "ccrecap". Formatting only: the values come from
//! `analyze::statusline`.

use super::fmt;
use super::sanitize::tty;
use super::terminal::Palette;
use crate::analyze::statusline::{QuotaNow, StatusLine};
use crate::options::Segment;
use owo_colors::OwoColorize;

/// The line, without its newline.
pub fn line(s: &StatusLine, segments: &[Segment], pal: &Palette) -> String {
    let parts: Vec<String> = segments
        .iter()
        .filter_map(|seg| segment(s, *seg, pal))
        .collect();
    if parts.is_empty() {
        return "ccrecap".into();
    }
    parts.join(&format!(" {} ", "│".style(pal.dim)))
}

fn segment(s: &StatusLine, seg: Segment, pal: &Palette) -> Option<String> {
    match seg {
        Segment::Model => s.model.as_deref().map(|m| {
            let name = if m.starts_with("claude-") {
                fmt::short_model(m)
            } else {
                tty(m).into_owned()
            };
            format!("{}", name.style(pal.header))
        }),
        Segment::Session => s.session.as_ref().map(|x| {
            format!(
                "session {} · ctx {} · {} re-read",
                fmt::money(x.api_value),
                fmt::human(x.context_tokens),
                fmt::pct(x.reread_share)
            )
        }),
        Segment::Today => s
            .today_api_value
            .map(|v| format!("today {}", fmt::money(v))),
        Segment::Block => s.block.as_ref().map(|b| {
            let burn = b
                .cost_per_hour
                .map_or(String::new(), |c| format!(" · {}/h", fmt::money(c)));
            format!("block {} left{burn}", fmt::time_left(b.left_ms))
        }),
        Segment::FiveHour => s.five_hour.as_ref().map(|q| quota("5h", q, pal)),
        Segment::SevenDay => s.seven_day.as_ref().map(|q| quota("7d", q, pal)),
        Segment::Cache => s.cache.as_ref().map(|c| {
            if c.warm_ms > 0 {
                format!(
                    "{}",
                    format!("cache cold in {}", fmt::time_left(c.warm_ms)).style(pal.accent)
                )
            } else {
                format!("{}", "cache cold".style(pal.warn))
            }
        }),
    }
}

fn quota(label: &str, q: &QuotaNow, pal: &Palette) -> String {
    let used = fmt::percent(q.used_percentage);
    let used = if q.used_percentage >= 80.0 {
        format!("{}", used.style(pal.warn))
    } else {
        used
    };
    match q.pace {
        Some(p) => {
            let pace = format!("pace {}", fmt::times(p));
            let pace = if p > 1.0 {
                format!("{}", pace.style(pal.warn))
            } else {
                pace
            };
            format!("{label} {used} · {pace}")
        }
        None => format!("{label} {used}"),
    }
}
