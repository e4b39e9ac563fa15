//! The pasteable quota card (`ccrecap card`): at most 60 columns, box drawing or plain
//! ASCII, no paths or prompt text unless `--show-projects` (display names only). It shows
//! the real first and last dates of its period, and the weekly edition the change against
//! the week before (or that the week before had no usage). Formatting only: every number
//! comes from `analyze::card`; the sentences here are shared with the SVG card.

use crate::analyze::card::{Card, CardPeriod};
use crate::analyze::value::Classes;
use crate::render::fmt::{clip, date_or, pct, plural};
use std::io::Write;

/// Characters between the borders.
const INNER: usize = 56;
/// Cells of the composition bar.
const BAR: usize = 40;

struct Glyphs {
    top: (char, char, char),
    bottom: (char, char),
    side: char,
    bar: [char; 4],
}

const UNICODE: Glyphs = Glyphs {
    top: ('╭', '─', '╮'),
    bottom: ('╰', '╯'),
    side: '│',
    bar: ['█', '▓', '▒', '░'],
};

const ASCII: Glyphs = Glyphs {
    top: ('+', '-', '+'),
    bottom: ('+', '+'),
    side: '|',
    bar: ['#', '=', '-', '.'],
};

pub fn write(
    c: &Card,
    ascii: bool,
    show_projects: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let g = if ascii { &ASCII } else { &UNICODE };
    let p = &c.period;
    let mut lines = vec![format!("ccrecap {} · {}", title(c), dates(p))];
    if p.total_tokens == 0 {
        lines.push("No usage in this period.".into());
    } else {
        lines.extend(period_lines(p, g, show_projects));
        if let Some(line) = change_line(c) {
            lines.push(line);
        }
    }
    lines.push(format!("{:>INNER$}", "made with ccrecap"));
    let (tl, h, tr) = g.top;
    writeln!(out, "{tl}{}{tr}", h.to_string().repeat(INNER + 2))?;
    for l in lines {
        let l = fit(&l);
        let l = if ascii { to_ascii(&l) } else { l };
        writeln!(out, "{} {} {}", g.side, l, g.side)?;
    }
    let (bl, br) = g.bottom;
    writeln!(out, "{bl}{}{br}", h.to_string().repeat(INNER + 2))
}

/// The lines of a period with usage: tier, composition, models, habits, cache, sub-agents,
/// the Opus audit, and the projects when asked.
fn period_lines(p: &CardPeriod, g: &Glyphs, show_projects: bool) -> Vec<String> {
    let models: Vec<String> = p
        .models
        .iter()
        .map(|(m, s)| {
            format!(
                "{} {}",
                clip(m.strip_prefix("claude-").unwrap_or(m), 16),
                pct(*s)
            )
        })
        .collect();
    let mut lines = vec![
        tier_line(p),
        overhead_line(p),
        bar(&p.shares, g),
        format!(
            "re-read {} · writes {} · input {} · output {}",
            pct(p.shares.cache_read),
            pct(p.shares.cache_write),
            pct(p.shares.input),
            pct(p.shares.output)
        ),
        format!("Models {}", models.join(" · ")),
        habits_line(p),
        cache_line(p),
        opus_line(p),
    ];
    if show_projects && !p.projects.is_empty() {
        let names: Vec<String> = p.projects.iter().map(|n| clip(n, 16)).collect();
        lines.push(format!("Projects {}", names.join(", ")));
    }
    lines
}

/// "quota card", or "weekly recap".
pub fn title(c: &Card) -> &'static str {
    if c.weekly {
        "weekly recap"
    } else {
        "quota card"
    }
}

/// The period's real first and last dates: the window's ends, and where the window is
/// open, the first or last day with usage.
pub fn dates(p: &CardPeriod) -> String {
    match (p.since.or(p.first_active), p.until.or(p.last_active)) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (a, b) => format!("{} → {}", date_or(a, "no usage"), date_or(b, "no usage")),
    }
}

/// The efficiency tier with its meaning.
pub fn tier_line(p: &CardPeriod) -> String {
    format!(
        "Efficiency {} (A best, E worst): {}",
        p.tier.grade, p.tier.name
    )
}

/// What the tier measures.
pub fn overhead_line(p: &CardPeriod) -> String {
    format!(
        "{} of API value re-read or wrote cached context",
        pct(p.tier.overhead_share)
    )
}

/// Sessions, active days and the longest streak.
pub fn habits_line(p: &CardPeriod) -> String {
    format!(
        "{} · {} · longest streak {}",
        plural(p.sessions, "session"),
        plural(p.active_days, "active day"),
        plural(p.longest_streak, "day")
    )
}

/// The cache hit rate and the sub-agents' share of API value.
pub fn cache_line(p: &CardPeriod) -> String {
    format!(
        "Cache hit {} · sub-agents {} of API value",
        pct(p.hit_rate),
        pct(p.subagent_value_share)
    )
}

/// The Opus-audit headline.
pub fn opus_line(p: &CardPeriod) -> String {
    match p.opus_sonnet_shaped_share {
        Some(s) => format!("Opus audit: {} of Opus quota was Sonnet-shaped", pct(s)),
        None => "Opus audit: no Opus use".into(),
    }
}

/// The weekly card's change against the week before (None for other cards).
pub fn change_line(c: &Card) -> Option<String> {
    if !c.weekly {
        return None;
    }
    let p = &c.period;
    let Some(prev) = &c.previous else {
        return Some("No usage the week before: nothing to compare.".into());
    };
    let tokens = (p.total_tokens as f64 / prev.total_tokens as f64 - 1.0) * 100.0;
    Some(format!(
        "vs week before: tokens {tokens:+.0}% · sessions {:+} · tier {}→{}",
        p.sessions as i64 - prev.sessions as i64,
        prev.tier.grade,
        p.tier.grade
    ))
}

fn bar(s: &Classes<f64>, g: &Glyphs) -> String {
    let v = [s.cache_read, s.cache_write, s.input, s.output];
    let mut cells: Vec<usize> = v
        .iter()
        .map(|x| (x * BAR as f64).round() as usize)
        .collect();
    // Rounding may overshoot or fall short by a cell or two: adjust the largest class.
    let total: usize = cells.iter().sum();
    if let Some(i) = (0..4).max_by(|&a, &b| v[a].total_cmp(&v[b])) {
        cells[i] = (cells[i] + BAR).saturating_sub(total);
    }
    cells
        .iter()
        .zip(g.bar)
        .map(|(&n, c)| c.to_string().repeat(n))
        .collect()
}

/// The ASCII edition of a line, one character for one so the width holds; anything else
/// outside ASCII (a model or project name) becomes `?`.
fn to_ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '·' => '-',
            '→' => '>',
            '…' => '.',
            c if c.is_ascii() => c,
            _ => '?',
        })
        .collect()
}

/// Exactly `INNER` characters: padded, or clipped with an ellipsis.
fn fit(s: &str) -> String {
    let s = clip(s, INNER);
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(INNER.saturating_sub(n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_and_lines_fill_their_width() {
        let s = Classes {
            cache_read: 0.915,
            cache_write: 0.068,
            input: 0.001,
            output: 0.016,
        };
        assert_eq!(bar(&s, &UNICODE).chars().count(), BAR);
        assert_eq!(bar(&s, &ASCII).chars().count(), BAR);
        assert_eq!(fit("short").chars().count(), INNER);
        assert_eq!(fit(&"x".repeat(80)).chars().count(), INNER);
    }
}
