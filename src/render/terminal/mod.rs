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
use crate::options::Plan;
use crate::render::fmt::{clip_left, date_or, short_model};
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
        writeln!(out, " No usage in this window.")?;
    } else {
        for l in lines {
            writeln!(out, "{l}")?;
        }
    }
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

/// A report's window in words: "all history", or "since → until".
pub fn window_range(w: &crate::analyze::WindowInfo) -> String {
    match (&w.since, &w.until) {
        (None, None) => "all history".to_string(),
        (&s, &u) => format!("{} → {}", date_or(s, "start"), date_or(u, "now")),
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
    let note = format!(
        " Costs: API-equivalent USD from embedded prices as of {} ({} mode).\n Input/output counts in transcripts are lower bounds (streaming snapshots).",
        report.pricing.as_of,
        report.pricing.cost_mode.name()
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

/// Models as a short list: `sonnet-4-5, haiku-4-5`.
fn models_list(models: &[String]) -> String {
    let v: Vec<String> = models.iter().map(|m| short_model(m)).collect();
    v.join(", ")
}

/// Where a session ran: the last component of its working directory, else the end of
/// the project's directory name (at most 24 columns).
pub fn place(cwd: Option<&str>, project: &str) -> String {
    match cwd.and_then(|c| c.trim_end_matches(['/', '\\']).rsplit(['/', '\\']).next()) {
        Some(last) if !last.is_empty() => clip_left(last, 24),
        _ => clip_left(project, 24),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_the_last_component() {
        assert_eq!(place(Some("/home/u/app/"), "-home-u-app"), "app");
        assert_eq!(place(None, "-home-u-app"), "-home-u-app");
    }
}
