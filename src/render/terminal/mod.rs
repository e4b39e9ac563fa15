//! Terminal rendering of usage reports: one table per report (day, week, month, session,
//! block), optional per-model rows, a totals row, and the notes that keep numbers honest
//! (input/output are lower bounds; unpriced models; prices as of). Formatting only: every
//! number comes from the `Report`.

pub mod activity;
pub mod card;
pub mod context;
pub mod opus;
pub mod subagents;
pub mod summary;
pub mod table;
pub mod text;

use crate::analyze::blocks::BlockRow;
use crate::analyze::bucket::ModelRow;
use crate::analyze::usage::{PeriodKey, PeriodRow, SessionRow, Sums};
use crate::analyze::{Body, Report};
use crate::pricing::display_name;
use crate::render::sanitize::tty;
use owo_colors::OwoColorize;
use std::io::Write;
use table::{Align, Column, Palette, Row, RowStyle, Table};

/// How to lay out terminal output.
#[derive(Clone, Copy, Debug)]
pub struct TerminalOptions {
    pub color: bool,
    /// Terminal width; None when stdout is not a terminal (no truncation).
    pub width: Option<usize>,
    pub breakdown: bool,
    /// How the summary frames numbers (`--plan`).
    pub plan: Option<crate::cli::Plan>,
    /// The card: plain ASCII, and whether to name projects.
    pub ascii: bool,
    pub show_projects: bool,
}

pub fn write(report: &Report, opts: &TerminalOptions, out: &mut impl Write) -> std::io::Result<()> {
    let pal = Palette::new(opts.color);
    let (title, lines) = match &report.body {
        Body::Daily { daily, totals } => (
            "Daily usage",
            period_table("Date", daily, totals, opts, &pal),
        ),
        Body::Weekly { weekly, totals } => (
            "Weekly usage",
            period_table("Week", weekly, totals, opts, &pal),
        ),
        Body::Monthly { monthly, totals } => (
            "Monthly usage",
            period_table("Month", monthly, totals, opts, &pal),
        ),
        Body::Session { sessions, totals } => (
            "Usage by session",
            session_table(sessions, totals, opts, &pal),
        ),
        Body::Blocks { blocks } => ("5-hour blocks", block_table(blocks, opts, &pal)),
        Body::Analysis(a) if a.card.is_some() => {
            if let Some(c) = &a.card {
                card::write(c, opts.ascii, opts.show_projects, out)?;
            }
            return Ok(());
        }
        Body::Analysis(a) if a.summary.is_some() => {
            return summary::write(report, a, opts.plan, opts.width, &pal, out);
        }
        Body::Analysis(a) => {
            if let Some(c) = &a.context {
                header(report, "Context composition", &pal, out)?;
                context::write(c, opts.width, &pal, out)?;
            }
            if let Some(s) = &a.subagents {
                header(report, "Sub-agents", &pal, out)?;
                subagents::write(s, opts.width, &pal, out)?;
            }
            if let Some(o) = &a.opus_audit {
                header(report, "Opus audit", &pal, out)?;
                opus::write(o, opts.width, &pal, out)?;
            }
            if let Some(x) = &a.activity {
                header(report, "Activity", &pal, out)?;
                activity::write(x, opts.width, &pal, out)?;
            }
            return footer(report, &pal, out);
        }
    };
    header(report, title, &pal, out)?;
    if lines.len() <= 2 {
        writeln!(out, " No usage in this window.")?;
    } else {
        for l in lines {
            writeln!(out, "{l}")?;
        }
    }
    footer(report, &pal, out)
}

/// The title line: what, which window, which zone.
fn header(
    report: &Report,
    title: &str,
    pal: &Palette,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let w = &report.window;
    let range = window_range(w);
    writeln!(
        out,
        "\n {}  {}",
        title.style(pal.header),
        format!("{range} · {}", tty(&w.timezone)).style(pal.dim)
    )?;
    writeln!(out)
}

/// A report's window in words: "all history", or "since → until".
pub fn window_range(w: &crate::analyze::WindowInfo) -> String {
    match (&w.since, &w.until) {
        (None, None) => "all history".to_string(),
        (s, u) => format!(
            "{} → {}",
            s.as_deref().unwrap_or("start"),
            u.as_deref().unwrap_or("now")
        ),
    }
}

/// A section title after a blank line.
fn section(out: &mut impl Write, pal: &Palette, title: &str) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(out, " {}", title.style(pal.header))
}

/// Writes rendered lines (a table's) one per line.
fn lines(out: &mut impl Write, lines: Vec<String>) -> std::io::Result<()> {
    for l in lines {
        writeln!(out, "{l}")?;
    }
    Ok(())
}

/// Prices and the honesty notes under every view.
fn footer(report: &Report, pal: &Palette, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out)?;
    let note = format!(
        " Costs: API-equivalent USD from embedded prices as of {} ({} mode).\n Input/output counts in transcripts are lower bounds (streaming snapshots).",
        report.pricing.as_of,
        serde_json::to_value(report.pricing.cost_mode)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    );
    for line in note.lines() {
        writeln!(out, "{}", line.style(pal.dim))?;
    }
    if !report.diagnostics.unpriced_models.is_empty() {
        let names: Vec<String> = report
            .diagnostics
            .unpriced_models
            .iter()
            .map(|m| tty(&m.model).into_owned())
            .collect();
        writeln!(
            out,
            "{}",
            format!(
                " Unpriced (tokens counted, cost unknown, totals are lower bounds): {}",
                names.join(", ")
            )
            .style(pal.warn)
        )?;
    }
    Ok(())
}

fn token_columns(first: &'static str) -> Vec<Column> {
    vec![
        Column::new(first, Align::Left, 255),
        Column::new("Models", Align::Left, 10),
        Column::new("Input", Align::Right, 40),
        Column::new("Output", Align::Right, 60),
        Column::new("Cache Create", Align::Right, 30),
        Column::new("Cache Read", Align::Right, 50),
        Column::new("Total Tokens", Align::Right, 255),
        Column::new("Cost (USD)", Align::Right, 255),
    ]
}

fn sums_cells(label: String, models: String, s: &Sums) -> Vec<String> {
    let cost = if s.unpriced_models.is_empty() {
        money(s.total_cost)
    } else {
        format!("≥{}", money(s.total_cost))
    };
    vec![
        label,
        models,
        num(s.input_tokens),
        num(s.output_tokens),
        num(s.cache_creation_tokens),
        num(s.cache_read_tokens),
        num(s.total_tokens),
        cost,
    ]
}

fn breakdown_rows(models: &[ModelRow], rows: &mut Vec<Row>) {
    for m in models {
        rows.push(Row::Cells(
            RowStyle::Breakdown,
            vec![
                format!("  └ {}", short_model(&m.model_name)),
                String::new(),
                num(m.input_tokens),
                num(m.output_tokens),
                num(m.cache_creation_tokens),
                num(m.cache_read_tokens),
                num(m.total_tokens),
                m.cost.map(money).unwrap_or_else(|| "unpriced".into()),
            ],
        ));
    }
}

fn period_table(
    first: &'static str,
    rows_in: &[PeriodRow],
    totals: &Sums,
    opts: &TerminalOptions,
    pal: &Palette,
) -> Vec<String> {
    let mut rows = Vec::new();
    for r in rows_in {
        let label = match &r.period {
            PeriodKey::Date(s) | PeriodKey::Week(s) | PeriodKey::Month(s) => s.clone(),
        };
        rows.push(Row::Cells(
            RowStyle::Normal,
            sums_cells(label, models_list(&r.models_used), &r.sums),
        ));
        if opts.breakdown {
            breakdown_rows(&r.model_breakdowns, &mut rows);
        }
    }
    finish(token_columns(first), rows, totals, opts, pal)
}

fn session_table(
    rows_in: &[SessionRow],
    totals: &Sums,
    opts: &TerminalOptions,
    pal: &Palette,
) -> Vec<String> {
    let mut cols = token_columns("Session");
    cols.insert(1, Column::new("Project", Align::Left, 20));
    cols.insert(2, Column::new("Last Activity", Align::Left, 70));
    let mut rows = Vec::new();
    for r in rows_in {
        let mut cells = sums_cells(
            short_id(&r.session_id),
            models_list(&r.models_used),
            &r.sums,
        );
        cells.insert(1, tty(&r.project_path).into_owned());
        cells.insert(
            2,
            r.last_activity
                .as_deref()
                .map(|s| s.get(..10).unwrap_or(s).to_string())
                .unwrap_or_default(),
        );
        rows.push(Row::Cells(RowStyle::Normal, cells));
        if opts.breakdown {
            let mut sub = Vec::new();
            breakdown_rows(&r.model_breakdowns, &mut sub);
            for s in sub {
                if let Row::Cells(st, mut c) = s {
                    c.insert(1, String::new());
                    c.insert(2, String::new());
                    rows.push(Row::Cells(st, c));
                }
            }
        }
    }
    finish(cols, rows, totals, opts, pal)
}

fn finish(
    cols: Vec<Column>,
    mut rows: Vec<Row>,
    totals: &Sums,
    opts: &TerminalOptions,
    pal: &Palette,
) -> Vec<String> {
    if rows.is_empty() {
        return Table {
            columns: cols,
            rows,
        }
        .render(opts.width, pal);
    }
    let mut cells = sums_cells("Total".into(), String::new(), totals);
    while cells.len() < cols.len() {
        cells.insert(1, String::new());
    }
    rows.push(Row::Rule);
    rows.push(Row::Cells(RowStyle::Total, cells));
    Table {
        columns: cols,
        rows,
    }
    .render(opts.width, pal)
}

fn block_table(blocks: &[BlockRow], opts: &TerminalOptions, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Block Start (UTC)", Align::Left, 255),
        Column::new("Status", Align::Left, 200),
        Column::new("Models", Align::Left, 10),
        Column::new("Tokens", Align::Right, 255),
        Column::new("Cost (USD)", Align::Right, 255),
        Column::new("Burn/hour", Align::Right, 50),
        Column::new("Projected", Align::Right, 40),
    ];
    let mut rows = Vec::new();
    for b in blocks {
        let start = b
            .start_time
            .get(..16)
            .unwrap_or(&b.start_time)
            .replace('T', " ");
        if b.is_gap {
            let end = b
                .end_time
                .get(..16)
                .unwrap_or(&b.end_time)
                .replace('T', " ");
            rows.push(Row::Cells(
                RowStyle::Breakdown,
                vec![
                    start,
                    format!("gap until {end}"),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ],
            ));
            continue;
        }
        let status = if b.is_active {
            b.projection
                .as_ref()
                .map(|p| format!("ACTIVE · {}m left", p.remaining_minutes))
                .unwrap_or_else(|| "ACTIVE".into())
        } else {
            String::new()
        };
        let cost = if b.unpriced_models.is_empty() {
            money(b.cost_usd)
        } else {
            format!("≥{}", money(b.cost_usd))
        };
        rows.push(Row::Cells(
            if b.is_active {
                RowStyle::Total
            } else {
                RowStyle::Normal
            },
            vec![
                start,
                status,
                models_list(&b.models),
                num(b.total_tokens),
                cost,
                b.burn_rate
                    .as_ref()
                    .map(|r| money(r.cost_per_hour))
                    .unwrap_or_default(),
                b.projection
                    .as_ref()
                    .map(|p| money(p.total_cost))
                    .unwrap_or_default(),
            ],
        ));
    }
    Table {
        columns: cols,
        rows,
    }
    .render(opts.width, pal)
}

fn models_list(models: &[String]) -> String {
    let v: Vec<String> = models.iter().map(|m| short_model(m)).collect();
    v.join(", ")
}

/// `claude-sonnet-4-5-20250929` → `sonnet-4-5`.
pub fn short_model(m: &str) -> String {
    let d = display_name(m);
    tty(d.strip_prefix("claude-").unwrap_or(&d)).into_owned()
}

fn short_id(s: &str) -> String {
    tty(s.get(..8).unwrap_or(s)).into_owned()
}

/// 1234567 → "1,234,567".
pub fn num(n: u64) -> String {
    crate::analyze::thousands(n)
}

/// 1234.5 → "$1,234.50".
pub fn money(v: f64) -> String {
    let cents = (v * 100.0).round() as i64;
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}${}.{:02}", num(cents / 100), cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(num(0), "0");
        assert_eq!(num(1234), "1,234");
        assert_eq!(num(1234567), "1,234,567");
        assert_eq!(money(1234.5), "$1,234.50");
        assert_eq!(money(0.004), "$0.00");
        assert_eq!(short_model("claude-sonnet-4-5-20250929"), "sonnet-4-5");
    }
}
