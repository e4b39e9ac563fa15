//! Terminal views: the frame every report shares — a title line with the window and
//! zone, and the notes that keep numbers honest (input/output are lower bounds; unpriced
//! models; prices as of) — and one module per view (usage tables, each analyzer's
//! section, the summary, the card). Which view a command gets is the registry's call
//! (`command::Show`). Every view fits the width in its `Layout` (the terminal's, or 120
//! in a pipe): paragraphs wrap (`para`, at most `PROSE` wide), tables hide or cut columns
//! (`table`). Formatting only: every number comes from the `Report`.

pub mod activity;
pub mod attribution;
pub mod card;
pub mod context;
pub mod opus;
pub mod quota;
pub mod session;
pub mod subagents;
pub mod summary;
pub mod table;
pub mod usage;

use crate::analyze::Report;
use crate::options::CostMode;
use crate::options::Plan;
use crate::render::fmt::{human, plural, short_model, width, wrap};
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
    /// A session's timeline: only the N turns with the most API value.
    pub turns: Option<usize>,
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
        writeln!(out, " {}", empty_window(report))?;
    } else {
        for l in lines {
            writeln!(out, "{l}")?;
        }
    }
    footer(report, width, pal, out)
}

/// A view that has nothing to list: its title, a note saying why, and the notes on prices.
pub fn note(
    report: &Report,
    title: &str,
    note: &str,
    o: &TerminalOptions,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let width = o.layout.width;
    header(report, title, width, pal, out)?;
    para(out, width, 1, 2, note, Style::new())?;
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
        para(out, width, 1, 2, line, pal.dim)?;
    }
    let d = &report.diagnostics;
    if d.undated_responses > 0 {
        let note = format!(
            "{} without a readable time ({} tokens): in all-history totals, in no dated row.",
            plural(d.undated_responses, "response"),
            human(d.undated_tokens)
        );
        para(out, width, 1, 2, &note, pal.dim)?;
    }
    if !d.unpriced_models.is_empty() {
        let names: Vec<String> = d
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
