//! The terminal view of the context section: the composition bar (by tokens and by API
//! value), top sessions by re-read, recurring inclusions with their fixes, cache
//! efficiency and `/compact` candidates. Fits the width it is given (the bars shorten,
//! legends and paragraphs wrap, tables hide or cut columns) and reads the same without
//! colour (each class has its own glyph). Prompt text appears only as the short preview
//! the analyzer made; every transcript string passes `tty`. Formatting only.

use super::table::{Align, Column, Cut, KEEP, Layout, Palette, Row, RowStyle, Table};
use super::{lines, para, section};
use crate::analyze::context::ContextReport;
use crate::analyze::recurring::Kind;
use crate::analyze::value::Classes;
use crate::render::fmt::{clip, clip_left, human, money, pack, pct, plural, thousands, width};
use crate::render::sanitize::tty;
use owo_colors::OwoColorize;
use std::io::Write;

/// Cells of the composition bar (fewer on a narrow terminal).
const BAR: usize = 60;
/// Rows per list.
const TOP: usize = 8;
/// The widest a recurring inclusion's label gets.
const WHAT: usize = 56;
/// Glyphs of re-read, cache writes, new input, output.
const GLYPHS: [char; 4] = ['█', '▓', '▒', '░'];
/// Where the bars start: after " API value  ".
const BAR_AT: usize = 12;

pub fn write(
    c: &ContextReport,
    layout: Layout,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let comp = &c.composition;
    let w = layout.width;
    if comp.total_tokens == 0 {
        writeln!(out, " No usage in this window.")?;
        return Ok(());
    }
    writeln!(out, " {}", "What your tokens paid for".style(pal.header))?;
    let value = money(comp.api_value_usd.total);
    let cells = BAR.min(w.saturating_sub(BAR_AT + 2 + width(&value)));
    writeln!(out, " Tokens     {}", bar_of(&comp.shares, pal, cells))?;
    legend_at(out, &comp.shares, pal, w)?;
    writeln!(
        out,
        " API value  {}  {value}",
        bar_of(&comp.api_value_shares, pal, cells),
    )?;
    legend_at(out, &comp.api_value_shares, pal, w)?;
    let tokens = format!(
        "re-read {} · cache writes {} (5m {}, 1h {}) · new input {} · output {} tokens",
        human(comp.cache_read_tokens),
        human(comp.cache_write_tokens),
        human(comp.cache_write_5m_tokens),
        human(comp.cache_write_1h_tokens),
        human(comp.input_tokens),
        human(comp.output_tokens)
    );
    para(out, w, 1, 2, &tokens, pal.dim)?;

    section(out, w, pal, "Top sessions by re-read")?;
    lines(out, sessions_table(c, layout, pal))?;

    section(
        out,
        w,
        pal,
        "Recurring inclusions (candidates to spot-check)",
    )?;
    if c.recurring.is_empty() {
        writeln!(out, " None above the thresholds.")?;
    } else {
        lines(out, recurring_table(c, layout, pal))?;
        para(
            out,
            w,
            1,
            2,
            "~ marks an estimate: stored bytes ÷ 4 each time the item entered a context.",
            pal.dim,
        )?;
    }

    cache_section(c, w, pal, out)?;

    section(
        out,
        w,
        pal,
        "/compact candidates (re-read ≥ 80%, ≥ 200k cache reads)",
    )?;
    if c.compact_candidates.is_empty() {
        writeln!(out, " None in this window.")?;
    } else {
        lines(out, compact_table(c, layout, pal))?;
    }
    Ok(())
}

/// Cache efficiency: hit rate, expired writes, writes unread at thread end.
fn cache_section(
    c: &ContextReport,
    w: usize,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    section(out, w, pal, "Cache efficiency")?;
    let e = &c.cache;
    let hit = format!(
        "Cache hit rate {} (cache reads over input + cache writes + cache reads)",
        pct(e.hit_rate)
    );
    para(out, w, 1, 2, &hit, owo_colors::Style::new())?;
    let expired = format!(
        "Expired writes {} tokens ({}) in {} · unread at thread end {} ({})",
        human(e.expired_writes.tokens),
        money(e.expired_writes.api_value_usd),
        plural(e.expired_writes.calls, "call"),
        human(e.unread_at_end.tokens),
        money(e.unread_at_end.api_value_usd),
    );
    para(out, w, 1, 2, &expired, owo_colors::Style::new())?;
    para(
        out,
        w,
        1,
        0,
        &format!("Expired: {}.", e.explanation),
        pal.dim,
    )?;
    Ok(())
}

/// The legend under a bar, aligned with it.
fn legend_at(
    out: &mut dyn Write,
    s: &Classes<f64>,
    pal: &Palette,
    width: usize,
) -> std::io::Result<()> {
    for l in legend(s, pal, width.saturating_sub(BAR_AT)) {
        writeln!(out, "{}{l}", " ".repeat(BAR_AT))?;
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
    cells
        .iter()
        .zip(GLYPHS)
        .zip(pal.classes)
        .filter(|((n, _), _)| **n > 0)
        .map(|((&n, g), st)| g.to_string().repeat(n).style(st).to_string())
        .collect()
}

/// "█ re-read 91.6%  ▓ cache writes 6.8%  …" in lines of at most `max` columns, each
/// glyph in its class's colour as in the bar.
pub fn legend(s: &Classes<f64>, pal: &Palette, max: usize) -> Vec<String> {
    let names = ["re-read", "cache writes", "new input", "output"];
    let parts: Vec<String> = values(s)
        .iter()
        .zip(names)
        .zip(GLYPHS)
        .map(|((v, n), g)| format!("{g} {n} {}", pct(*v)))
        .collect();
    pack(&parts, "  ", max)
        .into_iter()
        .map(|line| {
            line.chars()
                .map(|c| match GLYPHS.iter().position(|&g| g == c) {
                    Some(k) => c.style(pal.classes[k]).to_string(),
                    None => c.to_string(),
                })
                .collect()
        })
        .collect()
}

fn sessions_table(c: &ContextReport, layout: Layout, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Session", Align::Left, KEEP),
        Column::new("Project", Align::Left, 200).cut(Cut::End),
        Column::new("Re-read", Align::Right, KEEP),
        Column::new("Share", Align::Right, KEEP),
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
    .render(layout, pal)
}

fn recurring_table(c: &ContextReport, layout: Layout, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Kind", Align::Left, KEEP),
        Column::new("What", Align::Left, KEEP).cut(Cut::Start),
        Column::new("Sessions", Align::Right, KEEP),
        Column::new("Times", Align::Right, 50),
        Column::new("~Tokens", Align::Right, KEEP),
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
        rows.push(Row::Span {
            style: RowStyle::Breakdown,
            from: 1,
            lead: "→ ",
            text: tty(&r.suggestion).into_owned(),
        });
    }
    Table {
        columns: cols,
        rows,
    }
    .render(layout, pal)
}

fn compact_table(c: &ContextReport, layout: Layout, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Session", Align::Left, KEEP),
        Column::new("Project", Align::Left, 200).cut(Cut::End),
        Column::new("Re-read share", Align::Right, KEEP),
        Column::new("Passed 100k", Align::Right, 150),
        Column::new("Re-read after", Align::Right, KEEP),
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
    .render(layout, pal)
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
