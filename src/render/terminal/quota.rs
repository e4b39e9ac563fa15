//! The terminal view of `ccrecap quota`: per window (5h, 7d) the latest used % and the
//! snapshot's age, pace, the projection at reset, the runway at the current burn and the
//! calibration (API value per 1%, its spread, or "not enough snapshots yet"); then the
//! 7-day window's attribution. Without snapshots, how to get them. Formatting only.

use super::table::Palette;
use crate::analyze::quota::{Attribution, QuotaReport, WindowReport};
use crate::render::fmt::{self, money, percent, time_left, times, wrap};
use crate::render::sanitize::tty;
use owo_colors::OwoColorize;
use std::io::{self, Write};

pub fn write(q: &QuotaReport, pal: &Palette, out: &mut dyn Write) -> io::Result<()> {
    if let Some(note) = q.note {
        for l in wrap(&format!("{note}."), 96) {
            writeln!(out, " {l}")?;
        }
        return Ok(());
    }
    for (label, w) in [("5-hour", &q.five_hour), ("7-day", &q.seven_day)] {
        match w {
            Some(w) => window(label, w, pal, out)?,
            None => writeln!(out, " {label}: no snapshot yet")?,
        }
    }
    if let Some(a) = &q.attribution {
        attribution(a, out)?;
    }
    writeln!(
        out,
        " {}",
        format!(
            "{} snapshots on file; limits are never assumed, only Claude Code's own %.",
            q.snapshots
        )
        .style(pal.dim)
    )
}

fn window(label: &str, w: &WindowReport, pal: &Palette, out: &mut dyn Write) -> io::Result<()> {
    let age = time_left(w.snapshot_age_seconds * 1000);
    let used = format!("{label}: {} used", percent(w.used_percentage));
    writeln!(out, " {} (snapshot {age} ago)", used.style(pal.header))?;
    if w.reset_since_snapshot {
        writeln!(
            out,
            "   the window has reset since; a new snapshot comes with the next status line"
        )?;
        return Ok(());
    }
    let pace = w.pace.map_or("-".into(), times);
    let pace = if w.pace.is_some_and(|p| p > 1.0) {
        format!("{}", pace.style(pal.warn))
    } else {
        pace
    };
    writeln!(
        out,
        "   {} of the window elapsed · pace {pace} · resets {}",
        percent(w.elapsed_percentage),
        w.resets_at
    )?;
    if let (Some(b), Some(p)) = (w.burn_percent_per_hour, w.projected_at_reset) {
        let runway = match w.runway_seconds {
            Some(r) if w.runs_out_before_reset => {
                format!(
                    "{}",
                    format!("runs out in {}", time_left(r * 1000)).style(pal.warn)
                )
            }
            _ => "lasts to the reset".into(),
        };
        writeln!(
            out,
            "   burn {:.1} points/h ({}) · at reset {} · {runway}",
            b,
            w.burn_basis,
            percent(p)
        )?;
    }
    let c = &w.calibration;
    match (c.api_value_per_percent, c.spread_low, c.spread_high) {
        (Some(v), Some(lo), Some(hi)) => writeln!(
            out,
            "   1% ≈ {} of API value ({}–{} over {})",
            money(v),
            money(lo),
            money(hi),
            fmt::plural(c.intervals as u64, "interval")
        ),
        _ => writeln!(
            out,
            "   calibration: {} ({} of {} intervals with a rise)",
            c.status, c.intervals, c.min_intervals
        ),
    }
}

fn attribution(a: &Attribution, out: &mut dyn Write) -> io::Result<()> {
    let parts: Vec<String> = a
        .causes
        .iter()
        .filter(|c| c.api_value_usd > 0.0)
        .map(|c| {
            let name = c
                .name
                .as_deref()
                .map_or_else(|| c.kind.to_string(), |n| tty(n).into_owned());
            format!("{name} {}", percent(c.percentage))
        })
        .collect();
    if parts.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        " This week's {}: {}",
        percent(a.used_percentage),
        parts.join(", ")
    )?;
    for l in wrap(&format!("({}.)", a.basis), 96) {
        writeln!(out, "   {l}")?;
    }
    Ok(())
}
