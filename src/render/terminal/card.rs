//! The pasteable quota card (`ccrecap card`): at most 60 columns, box drawing or plain
//! ASCII, no paths or prompt text unless `--show-projects` (last path components only).
//! The weekly edition adds the change against the week before. Formatting only: every
//! number comes from `analyze::card`.

use crate::analyze::card::{Card, CardPeriod};
use crate::analyze::value::Classes;
use crate::render::fmt::{clip, date_or, plural};
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
    let title = if c.weekly {
        "weekly recap"
    } else {
        "quota card"
    };
    let mut lines = vec![format!(
        "ccrecap {title} · {} → {}",
        date_or(p.since, "start"),
        date_or(p.until, "now")
    )];
    if p.total_tokens == 0 {
        lines.push("No usage in this period.".into());
    } else {
        lines.extend(period_lines(p, g, show_projects));
        if let Some(prev) = &c.previous {
            lines.push(change_line(p, prev));
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
                "{} {:.0}%",
                clip(m.strip_prefix("claude-").unwrap_or(m), 16),
                s * 100.0
            )
        })
        .collect();
    let mut lines = vec![
        format!(
            "Efficiency {} · {} · {:.0}% of value on context",
            p.tier.grade,
            p.tier.name,
            p.tier.overhead_share * 100.0
        ),
        bar(&p.shares, g),
        format!(
            "re-read {:.0}% · writes {:.0}% · input {:.0}% · output {:.0}%",
            p.shares.cache_read * 100.0,
            p.shares.cache_write * 100.0,
            p.shares.input * 100.0,
            p.shares.output * 100.0
        ),
        format!("Models {}", models.join(" · ")),
        format!(
            "{} · {} · longest streak {}",
            plural(p.sessions, "session"),
            plural(p.active_days, "active day"),
            p.longest_streak
        ),
        format!(
            "Cache hit {:.0}% · sub-agents {:.0}% of tokens",
            p.hit_rate * 100.0,
            p.subagent_share * 100.0
        ),
        match p.opus_sonnet_shaped_share {
            Some(s) => format!(
                "Opus audit: {:.0}% of Opus quota was Sonnet-shaped",
                s * 100.0
            ),
            None => "Opus audit: no Opus use".into(),
        },
    ];
    if show_projects && !p.projects.is_empty() {
        let names: Vec<String> = p.projects.iter().map(|n| clip(n, 16)).collect();
        lines.push(format!("Projects {}", names.join(", ")));
    }
    lines
}

/// The week against the one before.
pub fn change_line(p: &CardPeriod, prev: &CardPeriod) -> String {
    let tokens = if prev.total_tokens > 0 {
        format!(
            "{:+.0}%",
            (p.total_tokens as f64 / prev.total_tokens as f64 - 1.0) * 100.0
        )
    } else {
        "new".into()
    };
    format!(
        "vs week before: tokens {tokens} · sessions {:+} · tier {}→{}",
        p.sessions as i64 - prev.sessions as i64,
        prev.tier.grade,
        p.tier.grade
    )
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
