//! The terminal view of the context section: the composition bar (by tokens and by API
//! value), top sessions by re-read, recurring inclusions with their fixes, cache
//! efficiency and `/compact` candidates. Fits 100 columns and reads the same without
//! colour (each class has its own glyph). Prompt text appears only as the short preview
//! the analyzer made; every transcript string passes `tty`. Formatting only.

use super::table::{Align, Column, Palette, Row, RowStyle, Table};
use super::{lines, section};
use crate::analyze::context::ContextReport;
use crate::analyze::recurring::Kind;
use crate::analyze::value::Classes;
use crate::render::fmt::{clip, clip_left, human, money, pct, plural, thousands, wrap};
use crate::render::sanitize::tty;
use owo_colors::OwoColorize;
use std::io::Write;

/// Cells of the composition bar.
const BAR: usize = 60;
/// Rows per list.
const TOP: usize = 8;
/// Width of the recurring table's "What" column.
const WHAT: usize = 56;
/// Glyphs of re-read, cache writes, new input, output.
const GLYPHS: [char; 4] = ['█', '▓', '▒', '░'];

pub fn write(
    c: &ContextReport,
    width: Option<usize>,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let comp = &c.composition;
    if comp.total_tokens == 0 {
        writeln!(out, " No usage in this window.")?;
        return Ok(());
    }
    writeln!(out, " {}", "What your tokens paid for".style(pal.header))?;
    writeln!(out, " Tokens     {}", bar(&comp.shares, pal))?;
    writeln!(out, "            {}", legend(&comp.shares))?;
    writeln!(
        out,
        " API value  {}  {}",
        bar(&comp.api_value_shares, pal),
        money(comp.api_value_usd.total)
    )?;
    writeln!(out, "            {}", legend(&comp.api_value_shares))?;
    writeln!(
        out,
        " {}",
        format!(
            "re-read {} · cache writes {} (5m {}, 1h {}) · new input {} · output {} tokens",
            human(comp.cache_read_tokens),
            human(comp.cache_write_tokens),
            human(comp.cache_write_5m_tokens),
            human(comp.cache_write_1h_tokens),
            human(comp.input_tokens),
            human(comp.output_tokens)
        )
        .style(pal.dim)
    )?;

    section(out, pal, "Top sessions by re-read")?;
    lines(out, sessions_table(c, width, pal))?;

    section(out, pal, "Recurring inclusions (candidates to spot-check)")?;
    if c.recurring.is_empty() {
        writeln!(out, " None above the thresholds.")?;
    } else {
        lines(out, recurring_table(c, width, pal))?;
        writeln!(
            out,
            " {}",
            "~ marks an estimate: stored bytes ÷ 4 each time the item entered a context."
                .style(pal.dim)
        )?;
    }

    section(out, pal, "Cache efficiency")?;
    let e = &c.cache;
    writeln!(
        out,
        " Cache hit rate {} (cache reads over input + cache writes + cache reads)",
        pct(e.hit_rate)
    )?;
    writeln!(
        out,
        " Expired writes {} tokens ({}) in {} · unread at thread end {} ({})",
        human(e.expired_writes.tokens),
        money(e.expired_writes.api_value_usd),
        plural(e.expired_writes.calls, "call"),
        human(e.unread_at_end.tokens),
        money(e.unread_at_end.api_value_usd),
    )?;
    for l in wrap(&format!("Expired: {}.", e.explanation), 96) {
        writeln!(out, " {}", l.style(pal.dim))?;
    }

    section(
        out,
        pal,
        "/compact candidates (re-read ≥ 80%, ≥ 200k cache reads)",
    )?;
    if c.compact_candidates.is_empty() {
        writeln!(out, " None in this window.")?;
    } else {
        lines(out, compact_table(c, width, pal))?;
    }
    Ok(())
}

fn values(s: &Classes<f64>) -> [f64; 4] {
    [s.cache_read, s.cache_write, s.input, s.output]
}

/// The four shares as `BAR` cells (largest remainders, so the cells add up).
pub fn bar(s: &Classes<f64>, pal: &Palette) -> String {
    bar_of(s, pal, BAR)
}

/// The four shares as `width` cells.
pub fn bar_of(s: &Classes<f64>, pal: &Palette, width: usize) -> String {
    let v = values(s);
    let raw: Vec<f64> = v.iter().map(|x| x * width as f64).collect();
    let mut cells: Vec<usize> = raw.iter().map(|x| x.floor() as usize).collect();
    let mut order: Vec<usize> = (0..4).collect();
    order.sort_by(|&a, &b| (raw[b] - raw[b].floor()).total_cmp(&(raw[a] - raw[a].floor())));
    let short_by = width.saturating_sub(cells.iter().sum());
    if v.iter().sum::<f64>() > 0.0 {
        for &i in order.iter().take(short_by) {
            cells[i] += 1;
        }
    }
    let styles = [pal.accent, pal.warn, pal.header, pal.dim];
    cells
        .iter()
        .zip(GLYPHS)
        .zip(styles)
        .map(|((&n, g), st)| g.to_string().repeat(n).style(st).to_string())
        .collect()
}

pub fn legend(s: &Classes<f64>) -> String {
    let names = ["re-read", "cache writes", "new input", "output"];
    values(s)
        .iter()
        .zip(names)
        .zip(GLYPHS)
        .map(|((v, n), g)| format!("{g} {n} {}", pct(*v)))
        .collect::<Vec<_>>()
        .join("  ")
}

fn sessions_table(c: &ContextReport, width: Option<usize>, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Session", Align::Left, 255),
        Column::new("Project", Align::Left, 30),
        Column::new("Re-read", Align::Right, 255),
        Column::new("Share", Align::Right, 255),
        Column::new("Turns", Align::Right, 60),
        Column::new("Peak ctx", Align::Right, 50),
        Column::new("Biggest jump", Align::Right, 40),
    ];
    let rows = c
        .sessions
        .iter()
        .take(TOP)
        .map(|s| {
            Row::Cells(
                RowStyle::Normal,
                vec![
                    tty(s.session_id.get(..8).unwrap_or(&s.session_id)).into_owned(),
                    clip(&s.project, 24),
                    human(s.composition.cache_read_tokens),
                    pct(s.composition.shares.cache_read),
                    thousands(s.main.turns.len() as u64),
                    human(s.main.peak_context),
                    s.main
                        .top_jumps
                        .first()
                        .map(|j| format!("+{} (turn {})", human(j.growth), j.turn))
                        .unwrap_or_default(),
                ],
            )
        })
        .collect();
    Table {
        columns: cols,
        rows,
    }
    .render(width, pal)
}

fn recurring_table(c: &ContextReport, width: Option<usize>, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Kind", Align::Left, 255),
        Column::new("What", Align::Left, 255),
        Column::new("Sessions", Align::Right, 255),
        Column::new("Times", Align::Right, 255),
        Column::new("~Tokens", Align::Right, 255),
    ];
    let mut items: Vec<_> = c.recurring.iter().collect();
    items.sort_by(|a, b| b.est_tokens.cmp(&a.est_tokens).then(a.kind.cmp(&b.kind)));
    let mut rows = Vec::new();
    for r in items.into_iter().take(TOP) {
        let kind = match r.kind {
            Kind::File => "file",
            Kind::Search => "search",
            Kind::Prompt => "prompt",
            Kind::ToolOutput => "output",
        };
        rows.push(Row::Cells(
            RowStyle::Normal,
            vec![
                kind.to_string(),
                clip_left(&r.label, WHAT),
                thousands(r.sessions),
                thousands(r.occurrences),
                human(r.est_tokens),
            ],
        ));
        for (i, part) in wrap(&tty(&r.suggestion), WHAT - 2).into_iter().enumerate() {
            let lead = if i == 0 { "→ " } else { "  " };
            rows.push(Row::Cells(
                RowStyle::Breakdown,
                vec![String::new(), format!("{lead}{part}")],
            ));
        }
    }
    Table {
        columns: cols,
        rows,
    }
    .render(width, pal)
}

fn compact_table(c: &ContextReport, width: Option<usize>, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Session", Align::Left, 255),
        Column::new("Project", Align::Left, 30),
        Column::new("Re-read share", Align::Right, 255),
        Column::new("Passed 100k", Align::Right, 255),
        Column::new("Re-read after", Align::Right, 255),
        Column::new("API value", Align::Right, 50),
    ];
    let rows = c
        .compact_candidates
        .iter()
        .take(TOP)
        .map(|k| {
            Row::Cells(
                RowStyle::Normal,
                vec![
                    tty(k.session_id.get(..8).unwrap_or(&k.session_id)).into_owned(),
                    clip(&k.project, 24),
                    pct(k.reread_share),
                    format!("turn {}", k.turn_passed_100k),
                    human(k.reread_after_tokens),
                    money(k.reread_after_api_value_usd),
                ],
            )
        })
        .collect();
    Table {
        columns: cols,
        rows,
    }
    .render(width, pal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_exactly_and_clips_mark_cuts() {
        let pal = Palette::new(false);
        let s = Classes {
            cache_read: 0.333,
            cache_write: 0.333,
            input: 0.001,
            output: 0.333,
        };
        assert_eq!(bar(&s, &pal).chars().count(), BAR);
        assert_eq!(bar(&Classes::default(), &pal), "");
    }
}
