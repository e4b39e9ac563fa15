//! The terminal view of the attribution section: branches per repository (sessions, days,
//! lines changed), plugins, skills (with the Skill tool calls that started them) and MCP
//! servers (with their top tools), each a table whose rows hold every response once, and
//! the highlights. Also the dim `--by` rows under a usage table's period or session.
//! Names are sanitized and clipped to fit; formatting only.

use super::table::{Align, Column, Cut, KEEP, Layout, Palette, Row, RowStyle, Table};
use super::{lines, para, section};
use crate::analyze::attribution::{AttrRow, AttributionReport, ByRow, Highlight};
use crate::render::fmt::{clip, date_or, human, money, pct, thousands};
use owo_colors::OwoColorize;
use owo_colors::Style;
use std::io::Write;

/// What a row without the field reads as.
const NONE: &str = "(none)";
const NO_BRANCH: &str = "(no branch)";

pub fn write(
    r: &AttributionReport,
    layout: Layout,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let width = layout.width;
    let name_room = 60;
    writeln!(out, " {}", "Branches".style(pal.header))?;
    if r.by_branch.is_empty() {
        writeln!(out, " No usage in this window.")?;
        return Ok(());
    }
    lines(out, branch_table(r, name_room, layout, pal))?;
    for (title, rows, extra) in [
        ("Plugins", plain(&r.by_plugin), None),
        (
            "Skills",
            r.by_skill.iter().map(|s| &s.row).collect(),
            Some(("Skill calls", skill_calls(r))),
        ),
        (
            "MCP servers",
            r.by_mcp_server.iter().map(|s| &s.row).collect(),
            Some(("Top tools", top_tools(r, name_room))),
        ),
    ] {
        section(out, width, pal, title)?;
        if rows.iter().all(|x| x.name.is_none()) {
            writeln!(out, " No response names one in this window.")?;
            continue;
        }
        lines(
            out,
            value_table(&rows, extra.as_ref(), name_room, layout, pal),
        )?;
    }
    if !r.highlights.is_empty() {
        section(out, width, pal, "Large shares")?;
        for h in &r.highlights {
            let text = highlight(h, r.large_share, name_room);
            para(out, width, 1, 3, &text, Style::new())?;
        }
    }
    Ok(())
}

/// One highlight in words: `branch main holds 45% of the API value ($1.20; ≥ 40%)`.
fn highlight(h: &Highlight, threshold: f64, room: usize) -> String {
    format!(
        "{} {} holds {} of the API value ({}; at least {} is highlighted)",
        h.table.replace('_', " "),
        clip(&h.name, room),
        pct(h.share),
        money(h.api_value_usd),
        pct(threshold)
    )
}

/// The summary's line: the largest highlight, if any, on terminals at least
/// `SUMMARY_WIDTH` wide (narrower, the one-screen summary has no room for it).
pub fn summary_line(r: &AttributionReport, width: usize) -> Option<String> {
    let h = r.highlights.first().filter(|_| width >= SUMMARY_WIDTH)?;
    Some(format!(
        "Attribution: {} {} holds {} of API value ({}) · ccrecap attribution",
        h.table.replace('_', " "),
        clip(&h.name, width.saturating_sub(72).max(12)),
        pct(h.share),
        money(h.api_value_usd)
    ))
}

/// The narrowest summary that shows the attribution line.
const SUMMARY_WIDTH: usize = 80;

fn plain(rows: &[AttrRow]) -> Vec<&AttrRow> {
    rows.iter().collect()
}

fn skill_calls(r: &AttributionReport) -> Vec<String> {
    r.by_skill
        .iter()
        .map(|s| thousands(s.skill_tool_calls))
        .collect()
}

fn top_tools(r: &AttributionReport, room: usize) -> Vec<String> {
    r.by_mcp_server
        .iter()
        .map(|s| {
            let t: Vec<String> = s
                .top_tools
                .iter()
                .map(|t| format!("{} {}", clip(&t.name, 24), thousands(t.count)))
                .collect();
            clip(&t.join(" · "), room)
        })
        .collect()
}

/// The cells every table shares: responses, tokens, value, share.
fn value_cells(r: &AttrRow) -> [String; 4] {
    let t = &r.tokens;
    [
        thousands(r.responses),
        human(t.input_tokens + t.output_tokens + t.cache_read_tokens + t.cache_write_tokens),
        money(r.api_value_usd),
        pct(r.share),
    ]
}

fn value_columns() -> [Column; 4] {
    [
        Column::new("Responses", Align::Right, 40),
        Column::new("Tokens", Align::Right, 50),
        Column::new("API value", Align::Right, KEEP),
        Column::new("Share", Align::Right, 60),
    ]
}

fn value_table(
    rows: &[&AttrRow],
    extra: Option<&(&'static str, Vec<String>)>,
    room: usize,
    layout: Layout,
    pal: &Palette,
) -> Vec<String> {
    let mut columns = vec![Column::new("Name", Align::Left, KEEP).cut(Cut::End)];
    columns.extend(value_columns());
    if let Some((title, _)) = extra {
        columns.push(Column::new(title, Align::Left, 20).cut(Cut::End));
    }
    let rows = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut cells = vec![r.name.as_deref().map_or(NONE.into(), |n| clip(n, room))];
            cells.extend(value_cells(r));
            if let Some((_, e)) = extra {
                cells.push(e.get(i).cloned().unwrap_or_default());
            }
            Row::Cells(RowStyle::Normal, cells)
        })
        .collect();
    Table { columns, rows }.render(layout, pal)
}

fn branch_table(r: &AttributionReport, room: usize, layout: Layout, pal: &Palette) -> Vec<String> {
    let mut columns = vec![
        Column::new("Project", Align::Left, KEEP).cut(Cut::End),
        Column::new("Branch", Align::Left, KEEP).cut(Cut::End),
    ];
    columns.extend(value_columns());
    columns.extend([
        Column::new("Sessions", Align::Right, 35),
        Column::new("Days", Align::Left, 25),
        Column::new("Lines +/-", Align::Right, 30),
    ]);
    let mut rows = Vec::new();
    let mut last_repo = None;
    for b in &r.by_branch {
        let repo = if last_repo == Some(&b.repository) {
            String::new()
        } else {
            clip(&b.project, 30)
        };
        last_repo = Some(&b.repository);
        let mut cells = vec![
            repo,
            b.row
                .name
                .as_deref()
                .map_or(NO_BRANCH.into(), |n| clip(n, room)),
        ];
        cells.extend(value_cells(&b.row));
        cells.extend([
            thousands(b.sessions),
            format!(
                "{} → {}",
                date_or(b.first_day, "?"),
                date_or(b.last_day, "?")
            ),
            format!(
                "+{} -{}",
                thousands(b.lines_added),
                thousands(b.lines_removed)
            ),
        ]);
        rows.push(Row::Cells(RowStyle::Normal, cells));
    }
    Table { columns, rows }.render(layout, pal)
}

/// Dim rows under a period or session for `--by`, shaped as the usage table's columns:
/// the label, `blank` empty cells, the models cell, then the token and cost cells.
pub fn by_rows(rows: &[ByRow], blank: usize, none: &'static str) -> Vec<Row> {
    rows.iter()
        .map(|b| {
            let name = b.name.as_deref().map_or(none.into(), |n| clip(n, 40));
            let mut cells = vec![format!("  · {name}")];
            cells.resize(1 + blank, String::new());
            cells.extend([
                String::new(),
                thousands(b.input_tokens),
                thousands(b.output_tokens),
                thousands(b.cache_creation_tokens),
                thousands(b.cache_read_tokens),
                thousands(b.total_tokens),
                money(b.cost),
            ]);
            Row::Cells(RowStyle::Breakdown, cells)
        })
        .collect()
}

/// What a `--by` row without the field reads as.
pub fn none_label(branch: bool) -> &'static str {
    if branch { NO_BRANCH } else { NONE }
}
