//! The terminal view of the Opus audit — the quota share first, dollars as "API value",
//! a per-project table, examples to spot-check and the caveat — and the
//! `--export-config` snippet. Fits the width it is given (paragraphs wrap, the table
//! hides or cuts columns); transcript strings pass `tty`.
//! Formatting only.

use super::table::{Align, Column, Cut, KEEP, Layout, Palette, Row, RowStyle, Table};
use super::{indented, lines, para, section, wrapped};
use crate::analyze::opus_audit::OpusAudit;
use crate::render::fmt::{clip, date_or, human, money, pack, pct, plural, thousands};
use crate::render::sanitize::tty;
use owo_colors::Style;
use std::io::Write;

/// Rows per list.
const TOP: usize = 8;

pub fn write(
    a: &OpusAudit,
    layout: Layout,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let w = layout.width;
    if a.opus_tokens == 0 {
        writeln!(out, " No Opus use in this window.")?;
        return Ok(());
    }
    let lead = [
        format!(
            "{} of your Opus quota ({} of {} tokens) went to Sonnet-shaped stretches",
            pct(a.sonnet_shaped_share),
            human(a.sonnet_shaped_tokens),
            human(a.opus_tokens)
        ),
        format!(
            "{} of {} were in stretches · sessions flagged: {}",
            thousands(a.sonnet_shaped_turns),
            plural(a.opus_turns, "Opus turn"),
            thousands(a.flagged_sessions.len() as u64)
        ),
        format!(
            "API value: {} of {} ({}); the same turns at the Sonnet rate: {}",
            money(a.sonnet_shaped_api_value_usd),
            money(a.opus_api_value_usd),
            pct(a.sonnet_shaped_value_share),
            money(a.sonnet_shaped_at_sonnet_usd)
        ),
    ];
    for l in &lead {
        para(out, w, 1, 2, l, Style::new())?;
    }
    para(out, w, 1, 0, &format!("{}.", a.caveat), pal.warn)?;
    if let Some(t) = &a.thresholds {
        let rule = format!(
            "Sonnet-shaped turn: < {} new input, < {} output tokens, ≤ {} tool calls, < {} bytes of thinking, no delegation; stretch: ≥ {} in a row or a whole session.",
            thousands(t.new_input_below),
            thousands(t.output_below),
            t.max_tool_calls,
            thousands(t.thinking_bytes_below),
            t.stretch_turns
        );
        para(out, w, 1, 0, &rule, pal.dim)?;
    }
    section(out, w, pal, "By project")?;
    lines(out, project_table(a, layout, pal))?;
    section(out, w, pal, "Sessions to spot-check")?;
    for e in &a.examples {
        let head = [
            tty(e.session_id.get(..8).unwrap_or(&e.session_id)).into_owned(),
            date_or(e.date, "undated"),
            clip(&e.project, 24),
            format!("{} tokens", human(e.tokens)),
        ];
        for l in pack(&head, "  ", w.saturating_sub(1)) {
            writeln!(out, " {l}")?;
        }
        if !e.prompt_preview.is_empty() {
            let room = w.saturating_sub(5).min(70);
            writeln!(out, "   “{}”", clip(&e.prompt_preview, room))?;
        }
        for l in wrapped(&format!("→ {}", tty(&e.reason)), w, 3, 2) {
            writeln!(out, "{}", indented(&l, pal.dim))?;
        }
    }
    if a.examples.is_empty() {
        writeln!(out, " None.")?;
    }
    Ok(())
}

fn project_table(a: &OpusAudit, layout: Layout, pal: &Palette) -> Vec<String> {
    let cols = vec![
        Column::new("Project", Align::Left, KEEP).cut(Cut::End),
        Column::new("Opus tokens", Align::Right, KEEP),
        Column::new("Sonnet-shaped", Align::Right, KEEP),
        Column::new("Share", Align::Right, KEEP),
        Column::new("API value", Align::Right, 40),
        Column::new("At Sonnet rate", Align::Right, 30),
    ];
    let rows = a
        .by_project
        .iter()
        .take(TOP)
        .map(|p| {
            Row::Cells(
                RowStyle::Normal,
                vec![
                    clip(&p.project, 32),
                    human(p.opus_tokens),
                    human(p.sonnet_shaped_tokens),
                    pct(p.sonnet_shaped_share),
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
    .render(layout, pal)
}

/// `ccrecap opus --export-config`: the suggested `~/.claude/settings.json` snippet as JSON
/// on `out` (`{}` when no change is suggested), and why on `notes` (stderr). With `json`,
/// one JSON document on `out` holds the snippet, the reasons and the per-project
/// suggestions, and `notes` stays empty.
pub fn export(
    a: &OpusAudit,
    json: bool,
    out: &mut dyn Write,
    notes: &mut dyn Write,
) -> std::io::Result<()> {
    let s = &a.suggestion;
    let settings = match s.model {
        Some(m) => serde_json::json!({ "model": m }),
        None => serde_json::json!({}),
    };
    let projects: Vec<serde_json::Value> = s
        .sonnet_projects
        .iter()
        .map(|cwd| serde_json::json!({ "cwd": cwd, "settings": { "model": "sonnet" } }))
        .collect();
    if json {
        let doc = serde_json::json!({
            "settings": settings,
            "why": s.why,
            "caveat": a.caveat,
            "project_settings": projects,
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        return writeln!(out);
    }
    serde_json::to_writer_pretty(&mut *out, &settings)?;
    writeln!(out)?;
    writeln!(notes, "ccrecap: opus audit: {}.", tty(&s.why))?;
    writeln!(notes, "ccrecap: {}.", a.caveat)?;
    if s.model.is_some() {
        writeln!(
            notes,
            "ccrecap: put the snippet in ~/.claude/settings.json."
        )?;
    }
    if !s.sonnet_projects.is_empty() {
        writeln!(
            notes,
            "ccrecap: most Opus work was Sonnet-shaped in these projects; {{\"model\": \"sonnet\"}} in each one's .claude/settings.json:"
        )?;
        for p in &s.sonnet_projects {
            writeln!(notes, "ccrecap:   {}", tty(p))?;
        }
    }
    Ok(())
}
