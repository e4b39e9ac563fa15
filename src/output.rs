//! Where a finished report goes, as the command's registry entry says (`command::Show`):
//! JSON or a terminal view on stdout, the HTML recap or the card's SVG in a file, or the
//! Opus settings snippet. Report files are written atomically, never inside a transcripts
//! directory, and named on stderr. It picks and writes; the renderers format.

use crate::analyze::recap::{self, redact::Privacy};
use crate::analyze::{Analysis, Report};
use crate::command::{Makes, Section, Show, Spec};
use crate::options::CommandOptions;
use crate::render::terminal::{self, Palette, TerminalOptions, usage};
use crate::render::{self, sanitize::tty};
use std::io::Write;
use std::path::{Path, PathBuf};

/// How and where to write, resolved from the configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    pub json: bool,
    pub terminal: TerminalOptions,
    /// The options of individual commands (card SVG, HTML file and privacy, Opus snippet).
    pub options: CommandOptions,
    /// Permission bits of report files.
    pub file_mode: u32,
    /// Directories report files must never be written into (the transcripts').
    pub protected: Vec<PathBuf>,
    /// The HTML recap's file when `--output` names none.
    pub html_default: PathBuf,
    /// A session's timeline on a terminal goes through this pager (`less` unless `PAGER`
    /// says otherwise); None: straight to stdout.
    pub pager: Option<String>,
}

/// Writes `report` as `spec` says: to `out`, to files, or both.
pub fn emit(spec: &Spec, s: &Settings, report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let analysis = report.body.analysis();
    match (spec.show, analysis) {
        (Show::Html, _) => return write_html(s, report),
        (_, Some(a)) if s.options.export_config => {
            if let Some(audit) = &a.opus_audit {
                terminal::opus::export(audit, out)?;
            }
        }
        _ if s.json => render::json::write(report, out)?,
        (Show::Detail { .. }, _) if s.pager.is_some() => {
            let mut text = Vec::new();
            show_terminal(spec, report, &s.terminal, &mut text)?;
            page(s.pager.as_deref().unwrap_or_default(), &text, out)?;
        }
        _ => show_terminal(spec, report, &s.terminal, out)?,
    }
    out.flush()?;
    if let (Some(path), Some(card)) = (&s.options.card.svg, analysis.and_then(|a| a.card.as_ref()))
    {
        let svg = render::card_svg::render(card)?;
        write_file(s, path, svg.as_bytes())?;
    }
    Ok(())
}

/// The command's terminal view (`spec.show`).
pub fn show_terminal(
    spec: &Spec,
    report: &Report,
    o: &TerminalOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let pal = Palette::new(o.color);
    let body = &report.body;
    match (spec.show, body.analysis()) {
        (Show::Periods { title, first }, _) => match body.periods() {
            Some((rows, totals)) => {
                let lines = usage::periods(first, rows, totals, o, &pal);
                terminal::table(report, title, lines, &pal, out)
            }
            None => Ok(()),
        },
        (Show::Sessions { title }, _) => match body.sessions() {
            Some((rows, totals)) => {
                let lines = usage::sessions(rows, totals, o, &pal);
                terminal::table(report, title, lines, &pal, out)
            }
            None => Ok(()),
        },
        (Show::Detail { title }, _) => match body.detail() {
            Some(d) => {
                // The whole id when it fits beside the window, else its first 8 characters.
                let id = if o.width.unwrap_or(120) >= 80 {
                    d.session_id.as_str()
                } else {
                    d.short_id.as_str()
                };
                let title = format!("{title} {}", tty(id));
                terminal::header(report, &title, &pal, out)?;
                terminal::session::write(d, o, &pal, out)?;
                terminal::footer(report, &pal, out)
            }
            None => Ok(()),
        },
        (Show::Blocks { title }, _) => match body.blocks() {
            Some(rows) => terminal::table(report, title, usage::blocks(rows, o, &pal), &pal, out),
            None => Ok(()),
        },
        (Show::Sections, Some(a)) => {
            for sec in sections(spec) {
                terminal::header(report, sec.title, &pal, out)?;
                (sec.show)(a, o, &pal, out)?;
            }
            terminal::footer(report, &pal, out)
        }
        (Show::Plain, Some(a)) => plain(sections(spec), a, o, &pal, out),
        (Show::Summary, Some(a)) => terminal::summary::write(report, a, o, &pal, out),
        _ => Ok(()),
    }
}

/// Shows `text` through `pager` (as git does: `less` quits at once when it fits the
/// screen), else writes it to `out` when the pager cannot be started.
fn page(pager: &str, text: &[u8], out: &mut dyn Write) -> std::io::Result<()> {
    let mut words = pager.split_whitespace();
    let Some(program) = words.next() else {
        return out.write_all(text);
    };
    let mut cmd = std::process::Command::new(program);
    cmd.args(words).stdin(std::process::Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    let Ok(mut child) = cmd.spawn() else {
        return out.write_all(text);
    };
    if let Some(mut stdin) = child.stdin.take() {
        // The reader may quit early (`q`): what it did not read is not an error.
        let _ = stdin.write_all(text);
    }
    child.wait().map(|_| ())
}

/// Each section's own view, one after another.
fn plain(
    sections: &[Section],
    a: &Analysis,
    o: &TerminalOptions,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for sec in sections {
        (sec.show)(a, o, pal, out)?;
    }
    Ok(())
}

/// The sections a command's document holds.
fn sections(spec: &Spec) -> &'static [Section] {
    match spec.makes {
        Makes::Analysis { sections, .. } => sections,
        _ => &[],
    }
}

/// The privacy the HTML recap is made with.
pub fn privacy(o: &CommandOptions) -> Privacy {
    Privacy {
        show_paths: o.show_paths(),
        show_prompts: o.show_prompts(),
    }
}

/// Writes the HTML recap (or the page of one session) to `--output`, else
/// `html_default`.
fn write_html(s: &Settings, report: &Report) -> anyhow::Result<()> {
    let html = if let Some(page) = recap::drill::page(report) {
        render::html::session_page(&page)?
    } else if let Some(recap) = recap::build(report, privacy(&s.options)) {
        render::html::render(&recap)?
    } else {
        anyhow::bail!("the HTML recap needs the analyzers' results");
    };
    let path = s.options.html.output.as_deref().unwrap_or(&s.html_default);
    write_file(s, path, html.as_bytes())
}

/// Writes a report file atomically (mode `--mode`, default 0600), never inside a
/// transcripts directory, and names it and its size on stderr.
fn write_file(s: &Settings, path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let written = crate::write::refuse_inside(path, &s.protected)
        .and_then(|()| crate::write::atomic(path, bytes, s.file_mode));
    // `main` sanitizes error messages; this line is printed here, so it is sanitized here.
    written.map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    let _ = writeln!(
        std::io::stderr(),
        "ccrecap: wrote {} ({} KB)",
        tty(&path.display().to_string()),
        bytes.len().div_ceil(1024)
    );
    Ok(())
}
