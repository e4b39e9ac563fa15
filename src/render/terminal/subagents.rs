//! The terminal view of the sub-agent section: the share of spend in sub-agents, a table
//! by agent type × model, the top runs, flagged runs with their reasons and what they
//! would have cost on smaller models, and the sessions that spent most in sub-agents.
//! Fits 100 columns; every transcript string passes `tty`. Formatting only.

use super::table::{Align, Column, Palette, Row, RowStyle, Table};
use super::{lines, section};
use crate::analyze::subagents::{SubagentsReport, flag_phrase};
use crate::render::fmt::{clip, human, money, pct, plural, short_model, thousands};
use crate::render::sanitize::tty;
use owo_colors::OwoColorize;
use std::io::Write;

/// Rows per list.
const TOP: usize = 10;

pub fn write(
    s: &SubagentsReport,
    width: Option<usize>,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if s.runs.is_empty() {
        writeln!(out, " No sub-agent runs in this window.")?;
    } else {
        writeln!(
            out,
            " Sub-agents took {} of the API value in {} (cost {} of {}); {} flagged to spot-check.",
            pct(s.api_value_share),
            plural(s.runs.len() as u64, "run"),
            money(s.cost_usd),
            money(s.window_cost_usd),
            thousands(s.flagged_runs),
        )?;
    }
    if s.missing.calls_without_transcript > 0 {
        writeln!(
            out,
            " {}",
            format!(
                "{} of {} left no transcript here: sub-agent totals are lower bounds.",
                thousands(s.missing.calls_without_transcript),
                plural(s.missing.spawn_calls, "Task/Agent call")
            )
            .style(pal.warn)
        )?;
    }
    if s.runs.is_empty() {
        return Ok(());
    }
    section(out, pal, "By agent type × model")?;
    lines(out, type_table(s, width, pal))?;
    section(out, pal, "Top runs")?;
    lines(out, runs_table(s, width, pal))?;
    section(
        out,
        pal,
        "Flagged runs (candidates to spot-check, not verdicts)",
    )?;
    if s.flagged_runs == 0 {
        writeln!(out, " None.")?;
    } else {
        lines(out, flag_lines(s, pal))?;
    }
    section(out, pal, "Sessions by sub-agent spend")?;
    lines(out, session_table(s, width, pal))
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

fn type_table(s: &SubagentsReport, width: Option<usize>, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Agent type", Align::Left, 255),
        Column::new("Model", Align::Left, 255),
        Column::new("Runs", Align::Right, 255),
        Column::new("Tokens", Align::Right, 255),
        Column::new("Cost", Align::Right, 255),
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
    .render(width, pal)
}

fn runs_table(s: &SubagentsReport, width: Option<usize>, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Agent", Align::Left, 255),
        Column::new("Type", Align::Left, 255),
        Column::new("Description", Align::Left, 30),
        Column::new("Model", Align::Left, 60),
        Column::new("Tokens", Align::Right, 255),
        Column::new("Output", Align::Right, 40),
        Column::new("Tools", Align::Right, 50),
        Column::new("Cost", Align::Right, 255),
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
    .render(width, pal)
}

/// Each flagged run on one line, its reasons under it (wrapped to the view's width).
fn flag_lines(s: &SubagentsReport, pal: &Palette) -> Vec<String> {
    let mut out = Vec::new();
    for r in s.runs.iter().filter(|r| !r.flags.is_empty()).take(TOP) {
        let kinds: Vec<&str> = r.flags.iter().map(|f| flag_phrase(f.kind)).collect();
        let alt = |p: &Option<crate::analyze::subagents::Repriced>, name: &str| {
            p.as_ref()
                .map(|p| format!(" · {name} {}", money(p.cost_usd)))
                .unwrap_or_default()
        };
        out.push(format!(
            " {}  {}  {}  {}{}{}",
            id(&r.agent_id),
            clip(&r.agent_type, 18),
            kinds.join(", "),
            money(r.cost_usd),
            alt(&r.on_sonnet, "on Sonnet"),
            alt(&r.on_haiku, "on Haiku"),
        ));
        for f in &r.flags {
            out.push(format!(
                "   {}",
                format!("→ {}", clip(&f.reason, 94)).style(pal.dim)
            ));
        }
    }
    out
}

fn session_table(s: &SubagentsReport, width: Option<usize>, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Session", Align::Left, 255),
        Column::new("Runs", Align::Right, 255),
        Column::new("Session cost", Align::Right, 255),
        Column::new("In sub-agents", Align::Right, 255),
        Column::new("Share", Align::Right, 255),
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
    .render(width, pal)
}
