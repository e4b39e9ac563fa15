//! The terminal view of the activity section: the top tools with errors and latency,
//! errors, MCP servers, skills and slash commands, code changes, repositories, sessions'
//! active time and a weekday × hour grid drawn with shade glyphs (readable without
//! colour). Fits the width it is given; transcript strings pass `tty`. Formatting only.

use super::table::{Align, Column, Cut, KEEP, Layout, Palette, Row, RowStyle, Table};
use super::{lines, para, section};
use crate::analyze::activity::Activity;
use crate::analyze::activity::tools::{Count, api_error_label};
use crate::render::fmt::{
    clip, clip_left, duration, duration_or_dash, human, money, pack, pct, plural, thousands, width,
};
use owo_colors::{OwoColorize, Style};
use std::io::Write;

/// Rows per list.
const TOP: usize = 8;
/// Shades of the grid, from no calls to the busiest hour.
const SHADES: [char; 5] = ['·', '░', '▒', '▓', '█'];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub fn write(
    a: &Activity,
    layout: Layout,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let w = layout.width;
    let t = &a.tools;
    writeln!(out, " {}", "Tools".style(pal.header))?;
    if t.tools.is_empty() {
        writeln!(out, " No tool calls in this window.")?;
    } else {
        lines(out, tool_table(a, layout, pal))?;
    }
    let e = &t.errors;
    let errors = format!(
        "Errors: {} · {} · {}{}",
        plural(e.tool_errors, "tool error"),
        plural(e.interrupted_turns, "interrupted turn"),
        plural(e.api_total, "API error"),
        if e.api.is_empty() { "" } else { ":" }
    );
    para(out, w, 1, 2, &errors, Style::new())?;
    if !e.api.is_empty() {
        let kinds: Vec<String> = e
            .api
            .iter()
            .take(6)
            .map(|c| format!("{} ×{}", api_error_label(&c.name), thousands(c.count)))
            .collect();
        listed(out, w, 3, "", &kinds)?;
    }
    if !t.mcp_servers.is_empty() {
        let servers: Vec<String> = t
            .mcp_servers
            .iter()
            .take(5)
            .map(|s| format!("{} ×{}", clip(&s.server, 20), thousands(s.calls)))
            .collect();
        listed(out, w, 1, "MCP servers: ", &servers)?;
    }
    if !t.skills.is_empty() {
        listed(out, w, 1, "Skills: ", &list(&t.skills, 5))?;
    }
    if !t.commands.is_empty() {
        listed(out, w, 1, "Slash commands: ", &list(&t.commands, 6))?;
    }
    let c = &t.code;
    section(out, w, pal, "Code changes")?;
    let changes = format!(
        "{} · {} · lines +{} / -{} (from the edit inputs)",
        plural(c.files, "file"),
        plural(c.edits, "edit"),
        thousands(c.lines_added),
        thousands(c.lines_removed)
    );
    para(out, w, 1, 2, &changes, Style::new())?;
    for f in c.most_edited.iter().take(5) {
        let counts = format!(
            "   {:>4}×  +{:<6} -{:<6} ",
            f.edits, f.lines_added, f.lines_removed
        );
        let room = w.saturating_sub(width(&counts)).clamp(12, 70);
        writeln!(out, "{counts}{}", clip_left(&f.path, room))?;
    }
    section(out, w, pal, "Repositories (worktrees folded in)")?;
    lines(out, repo_table(a, layout, pal))?;
    let s = &a.time.sessions;
    if !s.is_empty() {
        let active: i64 = s.iter().map(|x| x.active_ms).sum();
        let wall: i64 = s.iter().map(|x| x.wall_ms).sum();
        let time = format!(
            "{} · active {} of {} wall time (gaps over 30 min are idle)",
            plural(s.len() as u64, "session"),
            duration(active),
            duration(wall)
        );
        para(out, w, 1, 2, &time, Style::new())?;
    }
    section(out, w, pal, "When (API calls, local time)")?;
    for l in grid(&a.time.weekday_hour) {
        writeln!(out, "{l}")?;
    }
    Ok(())
}

/// `lead` and a list, its items packed into lines of the width ("a 3, b 2, …").
fn listed(
    out: &mut dyn Write,
    width: usize,
    indent: usize,
    lead: &str,
    items: &[String],
) -> std::io::Result<()> {
    let mut parts = items.to_vec();
    if let Some(first) = parts.first_mut() {
        *first = format!("{lead}{first}");
    }
    // Lines after the first hang 2 further in: every line gets the narrower room.
    let room = width.saturating_sub(indent + 2);
    for (i, l) in pack(&parts, ", ", room).into_iter().enumerate() {
        let pad = indent + if i == 0 { 0 } else { 2 };
        writeln!(out, "{}{l}", " ".repeat(pad))?;
    }
    Ok(())
}

fn list(items: &[Count], n: usize) -> Vec<String> {
    items
        .iter()
        .take(n)
        .map(|c| format!("{} ×{}", clip(&c.name, 24), thousands(c.count)))
        .collect()
}

fn tool_table(a: &Activity, layout: Layout, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Tool", Align::Left, KEEP).cut(Cut::End),
        Column::new("Calls", Align::Right, KEEP),
        Column::new("Errors", Align::Right, KEEP),
        Column::new("Rate", Align::Right, 60),
        Column::new("p50", Align::Right, 150),
        Column::new("p95", Align::Right, 150),
        Column::new("p99", Align::Right, 50),
        Column::new("Max", Align::Right, 40),
    ];
    let rows = a
        .tools
        .tools
        .iter()
        .take(TOP)
        .map(|t| {
            Row::Cells(
                RowStyle::Normal,
                vec![
                    clip(&t.name, 40),
                    thousands(t.calls),
                    thousands(t.errors),
                    pct(t.error_rate),
                    duration_or_dash(t.p50_ms),
                    duration_or_dash(t.p95_ms),
                    duration_or_dash(t.p99_ms),
                    duration_or_dash(t.max_ms),
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

fn repo_table(a: &Activity, layout: Layout, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Repository", Align::Left, KEEP).cut(Cut::Start),
        Column::new("Worktrees", Align::Right, 40),
        Column::new("Sessions", Align::Right, KEEP),
        Column::new("Active", Align::Right, 60),
        Column::new("Tokens", Align::Right, 150),
        Column::new("Cost", Align::Right, KEEP),
    ];
    let rows = a
        .time
        .repositories
        .iter()
        .take(TOP)
        .map(|r| {
            Row::Cells(
                RowStyle::Normal,
                vec![
                    clip(&r.project, 40),
                    thousands(r.worktrees.len() as u64),
                    thousands(r.sessions),
                    duration(r.active_ms),
                    human(r.total_tokens),
                    money(r.cost_usd),
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

/// Seven rows of 24 hour cells, shaded by calls relative to the busiest hour.
fn grid(g: &[Vec<u64>]) -> Vec<String> {
    let max = g.iter().flatten().copied().max().unwrap_or(0);
    let mut out = vec![format!("      {}", "0     6     12    18    ")];
    for (day, row) in WEEKDAYS.iter().zip(g) {
        let cells: String = row
            .iter()
            .map(|&n| {
                if n == 0 || max == 0 {
                    SHADES[0]
                } else {
                    SHADES[1 + ((n * 4 - 1) / max).min(3) as usize]
                }
            })
            .collect();
        out.push(format!(" {day}  {cells}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_shades_scale_to_the_busiest_hour() {
        let mut g = vec![vec![0u64; 24]; 7];
        g[0][9] = 8;
        g[0][10] = 1;
        let lines = grid(&g);
        assert_eq!(lines.len(), 8);
        assert!(lines[1].starts_with(" Mon  ·········█░"));
    }
}
