//! Terminal views: the frame every report shares — a title line with the window and
//! zone, and the notes that keep numbers honest (input/output are lower bounds; unpriced
//! models; prices as of) — and one module per view (usage tables, each analyzer's
//! section, the summary, the card). Which view a command gets is the registry's call
//! (`command::Show`). Every view fits the width in its `Layout` (the terminal's, or 120
//! in a pipe): paragraphs wrap (`para`, at most `PROSE` wide), tables hide or cut columns
//! (`table`). Formatting only: every number comes from the `Report`.

pub mod activity;
pub mod card;
pub mod context;
pub mod opus;
pub mod subagents;
pub mod summary;
pub mod table;
pub mod usage;

use crate::analyze::Report;
use crate::options::Plan;
use crate::render::fmt::{clip_left, date_or, short_model, width, wrap};
use crate::render::sanitize::tty;
use owo_colors::{OwoColorize, Style};
use std::io::Write;
pub use table::{Layout, Palette};

/// How to lay out terminal output.
#[derive(Clone, Copy, Debug)]
pub struct TerminalOptions {
    pub color: bool,
    /// The width to fit (the terminal's, or 120 in a pipe) and `--compact`.
    pub layout: Layout,
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
    o: &TerminalOptions,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let width = o.layout.width;
    header(report, title, width, pal, out)?;
    if lines.len() <= 2 {
        writeln!(out, " No usage in this window.")?;
    } else {
        for l in lines {
            writeln!(out, "{l}")?;
        }
    }
    footer(report, width, pal, out)
}

/// The title line: what, which window, which zone.
pub fn header(
    report: &Report,
    title: &str,
    width: usize,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let w = &report.window;
    let when = format!("{} · {}", window_range(w), tty(&w.timezone));
    writeln!(out)?;
    title_line(title, &when, width, pal, out)?;
    writeln!(out)
}

/// A title and, dim, what it covers: on one line when both fit, else on two.
pub fn title_line(
    title: &str,
    when: &str,
    width: usize,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if 1 + self::width(title) + 2 + self::width(when) <= width {
        return writeln!(out, " {}  {}", title.style(pal.header), when.style(pal.dim));
    }
    para(out, width, 1, 2, title, pal.header)?;
    para(out, width, 1, 2, when, pal.dim)
}

/// A report's window in words: "all history", or "since → until".
pub fn window_range(w: &crate::analyze::WindowInfo) -> String {
    match (&w.since, &w.until) {
        (None, None) => "all history".to_string(),
        (&s, &u) => format!("{} → {}", date_or(s, "start"), date_or(u, "now")),
    }
}

/// A section title after a blank line.
fn section(out: &mut dyn Write, width: usize, pal: &Palette, title: &str) -> std::io::Result<()> {
    writeln!(out)?;
    para(out, width, 1, 2, title, pal.header)
}

/// The widest a paragraph gets, however wide the terminal: longer lines are hard to read.
pub const PROSE: usize = 100;

/// `text` in lines of at most `width` columns (and `PROSE`): `indent` spaces before each,
/// and `hang` more before every line after the first.
pub fn wrapped(text: &str, width: usize, indent: usize, hang: usize) -> Vec<String> {
    let room = width.min(PROSE).saturating_sub(indent + hang).max(16);
    wrap(text, room)
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let pad = if i == 0 { indent } else { indent + hang };
            format!("{}{part}", " ".repeat(pad))
        })
        .collect()
}

/// Writes `text` wrapped (`wrapped`), every line in `style`.
pub fn para(
    out: &mut dyn Write,
    width: usize,
    indent: usize,
    hang: usize,
    text: &str,
    style: Style,
) -> std::io::Result<()> {
    for l in wrapped(text, width, indent, hang) {
        writeln!(out, "{}", indented(&l, style))?;
    }
    Ok(())
}

/// A line in `style`, its leading spaces left plain.
pub fn indented(line: &str, style: Style) -> String {
    let (pad, text) = line.split_at(line.len() - line.trim_start().len());
    format!("{pad}{}", text.style(style))
}

/// Writes rendered lines (a table's) one per line.
fn lines(out: &mut dyn Write, lines: Vec<String>) -> std::io::Result<()> {
    for l in lines {
        writeln!(out, "{l}")?;
    }
    Ok(())
}

/// Prices and the honesty notes under every view.
pub fn footer(
    report: &Report,
    width: usize,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out)?;
    let note = format!(
        " Costs: API-equivalent USD from embedded prices as of {} ({} mode).\n Input/output counts in transcripts are lower bounds (streaming snapshots).",
        report.pricing.as_of,
        report.pricing.cost_mode.name()
    );
    for line in note.lines() {
        para(out, width, 1, 2, line, pal.dim)?;
    }
    if !report.diagnostics.unpriced_models.is_empty() {
        let names: Vec<String> = report
            .diagnostics
            .unpriced_models
            .iter()
            .map(|m| tty(&m.model).into_owned())
            .collect();
        let text = format!(
            "Unpriced (tokens counted, cost unknown, totals are lower bounds): {}",
            names.join(", ")
        );
        para(out, width, 1, 2, &text, pal.warn)?;
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
