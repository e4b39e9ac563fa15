//! The terminal view of the Opus audit — the quota share first, dollars as "API value",
//! a per-project table, examples to spot-check and the caveat — and the
//! `--export-config` snippet. Fits 100 columns; transcript strings pass `tty`.
//! Formatting only.

use super::place;
use super::table::{Align, Column, Palette, Row, RowStyle, Table};
use crate::analyze::opus_audit::OpusAudit;
use crate::render::fmt::{clip, clip_left, date_or, human, money, thousands, wrap};
use crate::render::sanitize::tty;
use owo_colors::OwoColorize;
use std::io::Write;

/// Rows per list.
const TOP: usize = 8;

pub fn write(
    a: &OpusAudit,
    width: Option<usize>,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if a.opus_tokens == 0 {
        writeln!(out, " No Opus use in this window.")?;
        return Ok(());
    }
    writeln!(
        out,
        " {:.1}% of your Opus quota ({} of {} tokens) went to Sonnet-shaped stretches",
        a.sonnet_shaped_share * 100.0,
        human(a.sonnet_shaped_tokens),
        human(a.opus_tokens)
    )?;
    writeln!(
        out,
        " {} of {} Opus turns were in stretches · sessions flagged: {}",
        thousands(a.sonnet_shaped_turns),
        thousands(a.opus_turns),
        thousands(a.flagged_sessions.len() as u64)
    )?;
    writeln!(
        out,
        " API value: {} of {} ({:.1}%); the same turns at the Sonnet rate: {}",
        money(a.sonnet_shaped_api_value_usd),
        money(a.opus_api_value_usd),
        a.sonnet_shaped_value_share * 100.0,
        money(a.sonnet_shaped_at_sonnet_usd)
    )?;
    for l in wrap(&format!("{}.", a.caveat), 96) {
        writeln!(out, " {}", l.style(pal.warn))?;
    }
    if let Some(t) = &a.thresholds {
        let rule = format!(
            "Sonnet-shaped turn: < {} new input, < {} output tokens, ≤ {} tool calls, < {} bytes of thinking, no delegation; stretch: ≥ {} in a row or a whole session.",
            thousands(t.new_input_below),
            thousands(t.output_below),
            t.max_tool_calls,
            thousands(t.thinking_bytes_below),
            t.stretch_turns
        );
        for l in wrap(&rule, 96) {
            writeln!(out, " {}", l.style(pal.dim))?;
        }
    }
    writeln!(out)?;
    writeln!(out, " {}", "By project".style(pal.header))?;
    for l in project_table(a, width, pal) {
        writeln!(out, "{l}")?;
    }
    writeln!(out)?;
    writeln!(out, " {}", "Sessions to spot-check".style(pal.header))?;
    for e in &a.examples {
        writeln!(
            out,
            " {}  {}  {}  {} tokens",
            tty(e.session_id.get(..8).unwrap_or(&e.session_id)),
            date_or(e.date, "undated"),
            place(e.cwd.as_deref(), &e.project),
            human(e.tokens)
        )?;
        if !e.prompt_preview.is_empty() {
            writeln!(out, "   “{}”", clip(&e.prompt_preview, 70))?;
        }
        writeln!(
            out,
            "   {}",
            format!("→ {}", clip(&e.reason, 94)).style(pal.dim)
        )?;
    }
    if a.examples.is_empty() {
        writeln!(out, " None.")?;
    }
    Ok(())
}

fn project_table(a: &OpusAudit, width: Option<usize>, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Project", Align::Left, 255),
        Column::new("Opus tokens", Align::Right, 255),
        Column::new("Sonnet-shaped", Align::Right, 255),
        Column::new("Share", Align::Right, 255),
        Column::new("API value", Align::Right, 40),
        Column::new("At Sonnet rate", Align::Right, 30),
    ];
    let rows = a
        .by_project
        .iter()
        .take(TOP)
        .map(|p| {
            let place = p.cwd.as_deref().unwrap_or(&p.project);
            Row::Cells(
                RowStyle::Normal,
                vec![
                    clip_left(place, 32),
                    human(p.opus_tokens),
                    human(p.sonnet_shaped_tokens),
                    format!("{:.0}%", p.sonnet_shaped_share * 100.0),
                    money(p.sonnet_shaped_api_value_usd),
                    money(p.sonnet_shaped_at_sonnet_usd),
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

/// The settings snippet of `ccrecap opus --export-config`: comments say why.
pub fn export(a: &OpusAudit, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &a.suggestion;
    writeln!(out, "// ccrecap opus audit: {}.", s.why)?;
    writeln!(out, "// {}.", a.caveat)?;
    let Some(model) = s.model else {
        return Ok(());
    };
    writeln!(out, "// Suggested ~/.claude/settings.json:")?;
    writeln!(out, "{{\n  \"model\": \"{model}\"\n}}")?;
    if !s.sonnet_projects.is_empty() {
        writeln!(
            out,
            "// Projects where most Opus work was Sonnet-shaped; in each one's .claude/settings.json:"
        )?;
        for p in &s.sonnet_projects {
            writeln!(out, "//   {}: {{ \"model\": \"sonnet\" }}", tty(p))?;
        }
    }
    Ok(())
}
