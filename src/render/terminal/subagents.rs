//! The terminal view of the sub-agent section: the share of spend in sub-agents, a table
//! by agent type × model, the top runs, flagged runs with their reasons and what they
//! would have cost on smaller models, and the sessions that spent most in sub-agents.
//! Fits the width it is given; every transcript string passes `tty`. Formatting only.

use super::table::{Align, Column, Cut, KEEP, Layout, Palette, Row, RowStyle, Table};
use super::{indented, lines, para, section, wrapped};
use crate::analyze::subagents::{SubagentsReport, flag_phrase};
use crate::render::fmt::{clip, human, money, pack, pct, plural, short_model, thousands};
use crate::render::sanitize::tty;
use owo_colors::Style;
use std::io::Write;

/// Rows per list.
const TOP: usize = 10;

pub fn write(
    s: &SubagentsReport,
    layout: Layout,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let w = layout.width;
    if s.runs.is_empty() {
        writeln!(out, " No sub-agent runs in this window.")?;
    } else {
        let spent = format!(
            "Sub-agents took {} of the API value in {} (cost {} of {}); {} flagged to spot-check.",
            pct(s.api_value_share),
            plural(s.runs.len() as u64, "run"),
            money(s.cost_usd),
            money(s.window_cost_usd),
            thousands(s.flagged_runs),
        );
        para(out, w, 1, 2, &spent, Style::new())?;
    }
    if s.missing.calls_without_transcript > 0 {
        let missing = format!(
            "{} of {} left no transcript here: sub-agent totals are lower bounds.",
            thousands(s.missing.calls_without_transcript),
            plural(s.missing.spawn_calls, "Task/Agent call")
        );
        para(out, w, 1, 2, &missing, pal.warn)?;
    }
    if s.runs.is_empty() {
        return Ok(());
    }
    section(out, w, pal, "By agent type × model")?;
    lines(out, type_table(s, layout, pal))?;
    section(out, w, pal, "Top runs")?;
    lines(out, runs_table(s, layout, pal))?;
    section(
        out,
        w,
        pal,
        "Flagged runs (candidates to spot-check, not verdicts)",
    )?;
    if s.flagged_runs == 0 {
        writeln!(out, " None.")?;
    } else {
        lines(out, flag_lines(s, w, pal))?;
    }
    section(out, w, pal, "Sessions by sub-agent spend")?;
    lines(out, session_table(s, layout, pal))
}

/// A run's id in 12 columns: its start, or for an inline run (`inline-<tool_use id>`) the
/// distinctive end of the spawning call's id.
fn id(s: &str) -> String {
    if s.chars().count() <= 12 {
        return tty(s).into_owned();
    }
    match s.strip_prefix("inline-") {
        Some(call) => {
            let tail: String = call
                .chars()
                .rev()
                .take(8)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("inline…{}", tty(&tail))
        }
        None => tty(&s.chars().take(12).collect::<String>()).into_owned(),
    }
}

fn type_table(s: &SubagentsReport, layout: Layout, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Agent type", Align::Left, KEEP).cut(Cut::End),
        Column::new("Model", Align::Left, KEEP).cut(Cut::End),
        Column::new("Runs", Align::Right, KEEP),
        Column::new("Tokens", Align::Right, 150),
        Column::new("Cost", Align::Right, KEEP),
        Column::new("Flagged", Align::Right, 50),
    ];
    let rows = s
        .by_type
        .iter()
        .take(TOP)
        .map(|t| {
            Row::Cells(
                RowStyle::Normal,
                vec![
                    clip(&t.agent_type, 24),
                    short_model(&t.model),
                    thousands(t.runs),
                    human(t.tokens.total_tokens),
                    money(t.cost_usd),
                    thousands(t.flagged_runs),
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

fn runs_table(s: &SubagentsReport, layout: Layout, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Agent", Align::Left, KEEP),
        Column::new("Type", Align::Left, KEEP).cut(Cut::End),
        Column::new("Description", Align::Left, 30).cut(Cut::End),
        Column::new("Model", Align::Left, 120).cut(Cut::End),
        Column::new("Tokens", Align::Right, 150),
        Column::new("Output", Align::Right, 40),
        Column::new("Tools", Align::Right, 50),
        Column::new("Cost", Align::Right, KEEP),
    ];
    let rows = s
        .runs
        .iter()
        .take(TOP)
        .map(|r| {
            let indent = "·".repeat(r.depth as usize);
            Row::Cells(
                RowStyle::Normal,
                vec![
                    format!("{indent}{}", id(&r.agent_id)),
                    clip(&r.agent_type, 18),
                    clip(&r.description, 24),
                    r.models.first().map(|m| short_model(m)).unwrap_or_default(),
                    human(r.tokens.total_tokens),
                    human(r.tokens.output_tokens),
                    thousands(r.tool_calls),
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

/// Each flagged run, then its reasons under it, wrapped to `width`.
fn flag_lines(s: &SubagentsReport, width: usize, pal: &Palette) -> Vec<String> {
    let mut out = Vec::new();
    for r in s.runs.iter().filter(|r| !r.flags.is_empty()).take(TOP) {
        let kinds: Vec<&str> = r.flags.iter().map(|f| flag_phrase(f.kind)).collect();
        let alt = |p: &Option<crate::analyze::subagents::Repriced>, name: &str| {
            p.as_ref()
                .map(|p| format!("{name} {}", money(p.cost_usd)))
                .unwrap_or_default()
        };
        let head = [
            format!(
                "{}  {}  {}  {}",
                id(&r.agent_id),
                clip(&r.agent_type, 18),
                kinds.join(", "),
                money(r.cost_usd)
            ),
            alt(&r.on_sonnet, "on Sonnet"),
            alt(&r.on_haiku, "on Haiku"),
        ];
        for (i, l) in pack(&head, " · ", width.saturating_sub(1))
            .into_iter()
            .enumerate()
        {
            out.push(format!(" {}{l}", if i == 0 { "" } else { "  " }));
        }
        for f in &r.flags {
            for l in wrapped(&format!("→ {}", tty(&f.reason)), width, 3, 2) {
                out.push(indented(&l, pal.dim));
            }
        }
    }
    out
}

fn session_table(s: &SubagentsReport, layout: Layout, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Session", Align::Left, KEEP),
        Column::new("Runs", Align::Right, 120),
        Column::new("Session cost", Align::Right, KEEP),
        Column::new("In sub-agents", Align::Right, KEEP),
        Column::new("Share", Align::Right, KEEP),
    ];
    let rows = s
        .by_session
        .iter()
        .take(TOP)
        .map(|x| {
            Row::Cells(
                RowStyle::Normal,
                vec![
                    tty(x.session_id.get(..8).unwrap_or(&x.session_id)).into_owned(),
                    thousands(x.runs),
                    money(x.cost_usd),
                    money(x.subagent_cost_usd),
                    pct(x.subagent_share),
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
