//! The tables of the usage rollups: one row per day, week, month, session or billing
//! block, optional per-model rows under each (`--breakdown`) and a totals row. Formatting
//! only: every number comes from the rows.

use super::attribution;
use super::table::{Align, Column, Cut, KEEP, Palette, Row, RowStyle, Table};
use super::{TerminalOptions, models_list};
use crate::analyze::blocks::BlockRow;
use crate::analyze::bucket::ModelRow;
use crate::analyze::usage::{ByBreakdowns, PeriodRow, SessionRow, Sums};
use crate::render::fmt::{clip, duration, money, short_model, thousands as num};
use crate::render::sanitize::tty;
use crate::time::Zone;

/// The period table (`first` heads the period column).
pub fn periods(
    first: &'static str,
    rows_in: &[PeriodRow],
    totals: &Sums,
    opts: &TerminalOptions,
    pal: &Palette,
) -> Vec<String> {
    let mut rows = Vec::new();
    for r in rows_in {
        rows.push(Row::Cells(
            RowStyle::Normal,
            sums_cells(r.period.label(), models_list(&r.models_used), &r.sums),
        ));
        if opts.breakdown {
            rows.extend(breakdown_rows(&r.model_breakdowns, 0));
        }
        rows.extend(by_rows(r.by.as_ref(), 0));
    }
    finish(token_columns(first), rows, totals, opts, pal)
}

/// The session table: the token columns plus where and when (the local date in `zone`)
/// each session ran.
pub fn sessions(
    rows_in: &[SessionRow],
    totals: &Sums,
    zone: Zone,
    opts: &TerminalOptions,
    pal: &Palette,
) -> Vec<String> {
    let mut cols = token_columns("Session");
    cols.insert(1, Column::new("Project", Align::Left, KEEP).cut(Cut::Start));
    cols.insert(2, Column::new("Last Activity", Align::Left, KEEP));
    let mut rows = Vec::new();
    for r in rows_in {
        let mut cells = sums_cells(
            tty(r.session_id.get(..8).unwrap_or(&r.session_id)).into_owned(),
            models_list(&r.models_used),
            &r.sums,
        );
        cells.insert(1, clip(&r.project, 32));
        cells.insert(
            2,
            r.last_activity
                .map(|t| zone.date_of(t.0).to_string())
                .unwrap_or_default(),
        );
        rows.push(Row::Cells(RowStyle::Normal, cells));
        if opts.breakdown {
            rows.extend(breakdown_rows(&r.model_breakdowns, 2));
        }
        rows.extend(by_rows(r.by.as_ref(), 2));
    }
    finish(cols, rows, totals, opts, pal)
}

/// The billing-block table, its times in `zone`: gaps dimmed, the active block
/// highlighted with its burn rate and projection.
pub fn blocks(
    blocks: &[BlockRow],
    zone: Zone,
    opts: &TerminalOptions,
    pal: &Palette,
) -> Vec<String> {
    let cols = vec![
        Column::new("Block Start", Align::Left, KEEP),
        Column::new("Status", Align::Left, 180),
        Column::new("Models", Align::Left, 150).cut(Cut::List),
        Column::new("Tokens", Align::Right, 170),
        Column::new("Cost (USD)", Align::Right, KEEP),
        Column::new("Burn/hour", Align::Right, 50),
        Column::new("Projected", Align::Right, 40),
    ];
    let rows = blocks.iter().map(|b| block_row(b, zone)).collect();
    Table {
        columns: cols,
        rows,
    }
    .render(opts.layout, pal)
}

fn block_row(b: &BlockRow, zone: Zone) -> Row {
    let start = zone.minute(b.start_time.0);
    if b.is_gap {
        let mut cells = vec![start, format!("gap until {}", zone.minute(b.end_time.0))];
        cells.resize(7, String::new());
        return Row::Cells(RowStyle::Breakdown, cells);
    }
    let status = match (&b.projection, b.is_active) {
        (Some(p), true) => format!(
            "ACTIVE · {} left",
            duration(p.remaining_minutes.saturating_mul(60_000) as i64)
        ),
        (None, true) => "ACTIVE".into(),
        (_, false) => String::new(),
    };
    let style = if b.is_active {
        RowStyle::Total
    } else {
        RowStyle::Normal
    };
    Row::Cells(
        style,
        vec![
            start,
            status,
            models_list(&b.models),
            num(b.total_tokens),
            at_least(b.cost_usd, &b.unpriced_models),
            b.burn_rate
                .as_ref()
                .map(|r| money(r.cost_per_hour))
                .unwrap_or_default(),
            b.projection
                .as_ref()
                .map(|p| money(p.total_cost))
                .unwrap_or_default(),
        ],
    )
}

/// The rollups' columns. Narrow, the token classes go first (they add up to Total
/// Tokens), then the models, then the total; the period and the cost stay.
fn token_columns(first: &'static str) -> Vec<Column> {
    vec![
        Column::new(first, Align::Left, KEEP),
        Column::new("Models", Align::Left, 150).cut(Cut::List),
        Column::new("Input", Align::Right, 20),
        Column::new("Output", Align::Right, 30),
        Column::new("Cache Create", Align::Right, 10),
        Column::new("Cache Read", Align::Right, 40),
        Column::new("Total Tokens", Align::Right, 160),
        Column::new("Cost (USD)", Align::Right, KEEP),
    ]
}

/// A cost, marked as a lower bound when some models had no price.
fn at_least(cost: f64, unpriced: &[String]) -> String {
    if unpriced.is_empty() {
        money(cost)
    } else {
        format!("≥{}", money(cost))
    }
}

fn sums_cells(label: String, models: String, s: &Sums) -> Vec<String> {
    vec![
        label,
        models,
        num(s.input_tokens),
        num(s.output_tokens),
        num(s.cache_creation_tokens),
        num(s.cache_read_tokens),
        num(s.total_tokens),
        at_least(s.total_cost, &s.unpriced_models),
    ]
}

/// One dim row per model, with `blank` empty cells after the label (the session table's
/// project and date columns).
fn breakdown_rows(models: &[ModelRow], blank: usize) -> impl Iterator<Item = Row> + '_ {
    models.iter().map(move |m| {
        let mut cells = vec![format!("  └ {}", short_model(&m.model_name))];
        cells.resize(1 + blank, String::new());
        cells.extend([
            String::new(),
            num(m.input_tokens),
            num(m.output_tokens),
            num(m.cache_creation_tokens),
            num(m.cache_read_tokens),
            num(m.total_tokens),
            m.cost.map_or_else(|| "unpriced".into(), money),
        ]);
        Row::Cells(RowStyle::Breakdown, cells)
    })
}

/// `--by`: a dim row per value under the period or session.
fn by_rows(by: Option<&ByBreakdowns>, blank: usize) -> Vec<Row> {
    by.map(|b| {
        let none = attribution::none_label(matches!(b, ByBreakdowns::Branch(_)));
        attribution::by_rows(b.rows(), blank, none)
    })
    .unwrap_or_default()
}

/// The table with its totals row (none when there are no rows).
fn finish(
    cols: Vec<Column>,
    mut rows: Vec<Row>,
    totals: &Sums,
    opts: &TerminalOptions,
    pal: &Palette,
) -> Vec<String> {
    if !rows.is_empty() {
        let mut cells = sums_cells("Total".into(), String::new(), totals);
        while cells.len() < cols.len() {
            cells.insert(1, String::new());
        }
        rows.push(Row::Rule);
        rows.push(Row::Cells(RowStyle::Total, cells));
    }
    Table {
        columns: cols,
        rows,
    }
    .render(opts.layout, pal)
}
