//! Terminal views: the frame every report shares — a title line with the window and
//! zone, and the notes that keep numbers honest (input/output are lower bounds; unpriced
//! models; prices as of) — and one module per view (usage tables, each analyzer's
//! section, the summary, the card). Which view a command gets is the registry's call
//! (`command::Show`). Formatting only: every number comes from the `Report`.

pub mod activity;
pub mod attribution;
pub mod card;
pub mod context;
pub mod opus;
pub mod subagents;
pub mod summary;
pub mod table;
pub mod usage;

use crate::analyze::Report;
use crate::options::CostMode;
use crate::options::Plan;
use crate::render::fmt::{human, plural, short_model};
use crate::render::sanitize::tty;
use owo_colors::OwoColorize;
use std::io::Write;
pub use table::Palette;

/// How to lay out terminal output.
#[derive(Clone, Copy, Debug)]
pub struct TerminalOptions {
    pub color: bool,
    /// Terminal width; None when stdout is not a terminal (no truncation).
    pub width: Option<usize>,
    pub breakdown: bool,
    /// How the summary frames numbers (`--plan`).
    pub plan: Option<Plan>,
    /// The card: plain ASCII, and whether to name projects.
    pub ascii: bool,
    pub show_projects: bool,
}

/// A usage table under its title, then the notes on prices ("No usage" when it is empty).
pub fn table(
    report: &Report,
    title: &str,
    lines: Vec<String>,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    header(report, title, pal, out)?;
    if lines.len() <= 2 {
        writeln!(out, " {}", empty_window(report))?;
    } else {
        for l in lines {
            writeln!(out, "{l}")?;
        }
    }
    footer(report, pal, out)
}

/// A view that has nothing to list: its title, a note saying why, and the notes on prices.
pub fn note(
    report: &Report,
    title: &str,
    note: &str,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    header(report, title, pal, out)?;
    writeln!(out, " {note}")?;
    footer(report, pal, out)
}

/// The title line: what, which window, which zone.
pub fn header(
    report: &Report,
    title: &str,
    pal: &Palette,
    out: &mut dyn Write,
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

/// A report's window in words: "all history", "2026-11-01 → 2026-11-15", "since
/// 2026-11-01" or "until 2026-11-15".
pub fn window_range(w: &crate::analyze::WindowInfo) -> String {
    match (&w.since, &w.until) {
        (None, None) => "all history".to_string(),
        (Some(s), Some(u)) => format!("{s} → {u}"),
        (Some(s), None) => format!("since {s}"),
        (None, Some(u)) => format!("until {u}"),
    }
}

/// A section title after a blank line.
fn section(out: &mut dyn Write, pal: &Palette, title: &str) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(out, " {}", title.style(pal.header))
}

/// Writes rendered lines (a table's) one per line.
fn lines(out: &mut dyn Write, lines: Vec<String>) -> std::io::Result<()> {
    for l in lines {
        writeln!(out, "{l}")?;
    }
    Ok(())
}

/// Prices and the honesty notes under every view.
pub fn footer(report: &Report, pal: &Palette, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out)?;
    let p = &report.pricing;
    let costs = match p.cost_mode {
        CostMode::Display => {
            "Costs: USD recorded in the transcripts (display mode; none recorded is $0)."
                .to_string()
        }
        mode => format!(
            "Costs: API-equivalent USD from embedded prices as of {} ({} mode).",
            p.as_of,
            mode.name()
        ),
    };
    for line in [
        costs.as_str(),
        "Input/output counts in transcripts are lower bounds (streaming snapshots).",
    ] {
        writeln!(out, " {}", line.style(pal.dim))?;
    }
    let d = &report.diagnostics;
    if d.undated_responses > 0 {
        let note = format!(
            "{} without a readable time ({} tokens): in all-history totals, in no dated row.",
            plural(d.undated_responses, "response"),
            human(d.undated_tokens)
        );
        writeln!(out, " {}", note.style(pal.dim))?;
    }
    if !d.unpriced_models.is_empty() {
        let names: Vec<String> = d
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

/// Models as a short list: `sonnet-4-5, haiku-4-5`.
fn models_list(models: &[String]) -> String {
    let v: Vec<String> = models.iter().map(|m| short_model(m)).collect();
    v.join(", ")
}

/// What an empty window lacks: transcripts at all, or usage in this window.
pub fn empty_window(report: &Report) -> String {
    let d = &report.diagnostics;
    if d.files_read + d.files_skipped_window == 0 {
        return "No transcripts found: the projects/ folder has no *.jsonl files.".into();
    }
    match (report.window.since, report.window.until) {
        (None, None) => "No usage in the transcripts read.".into(),
        _ => format!(
            "No usage in this window ({}); --all reads all history.",
            window_range(&report.window)
        ),
    }
}
