//! Where a finished report goes, as the command's registry entry says (`command::Show`):
//! JSON or a terminal view on stdout, the HTML recap, the card's SVG or the year in
//! review's page and card in files (or on stdout, given `-`, and then alone there), or the
//! Opus settings snippet. Every report file goes through `write_file` (`write::report`:
//! never replacing a device, FIFO or symlink, never inside a transcripts directory) and is
//! named on stderr. It picks and writes; the renderers format.

use crate::analyze::recap::{self, redact::Privacy};
use crate::analyze::wrapped;
use crate::analyze::{Analysis, Report};
use crate::command::{Makes, Section, Show, Spec};
use crate::options::CommandOptions;
use crate::render::terminal::{self, Palette, TerminalOptions, usage};
use crate::render::{self, fmt, sanitize::tty};
use crate::time::Zone;
use crate::write::{self, Destination, Rules};
use chrono::{Datelike, NaiveDate};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How and where to write, resolved from the configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    pub json: bool,
    /// `-q`: no notes on stderr.
    pub quiet: bool,
    pub terminal: TerminalOptions,
    /// The options of individual commands (card SVG, HTML file and privacy, Opus snippet).
    pub options: CommandOptions,
    /// Permission bits of report files (`--file-mode`).
    pub file_mode: u32,
    /// Directories report files must never be written into (the transcripts').
    pub protected: Vec<PathBuf>,
    /// A session's timeline on a terminal goes through this pager (`less` unless `PAGER`
    /// says otherwise); None: straight to stdout.
    pub pager: Option<String>,
    /// The last day of the window, which default file names carry.
    pub until: NaiveDate,
}

/// A file a command writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFile {
    /// `html`: the HTML recap.
    Html,
    /// `card --svg`: the card as SVG.
    CardSvg,
    /// `wrapped`: the year in review's page.
    WrappedHtml,
    /// `wrapped`: the year in review's card.
    WrappedSvg,
}

impl ReportFile {
    /// Its name when the user gives none, or gives a directory.
    pub fn default_name(self, until: NaiveDate) -> String {
        match self {
            ReportFile::Html => format!("ccrecap-{until}.html"),
            ReportFile::CardSvg => format!("ccrecap-card-{until}.svg"),
            ReportFile::WrappedHtml => format!("ccrecap-wrapped-{}.html", until.year()),
            ReportFile::WrappedSvg => format!("ccrecap-wrapped-{}.svg", until.year()),
        }
    }
}

/// Writes `report` as `spec` says: to `out`, to files, or both.
pub fn emit(spec: &Spec, s: &Settings, report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let analysis = report.body.analysis();
    let svg = s.options.card.svg.as_deref();
    match (spec.show, analysis) {
        (Show::Html, _) => return write_html(s, report, out),
        (Show::Wrapped, _) if !s.json => return write_wrapped(s, report, out),
        (_, Some(a)) if s.options.export_config => {
            if let Some(audit) = &a.opus_audit {
                let mut notes: Box<dyn Write> = if s.quiet {
                    Box::new(std::io::sink())
                } else {
                    Box::new(std::io::stderr())
                };
                terminal::opus::export(audit, s.json, out, &mut notes)?;
            }
        }
        _ if s.json => render::json::write(report, out)?,
        (Show::Detail { .. }, _) if s.pager.is_some() => {
            let mut text = Vec::new();
            show_terminal(spec, report, &s.terminal, &mut text)?;
            page(s.pager.as_deref().unwrap_or_default(), &text, out)?;
        }
        // `--svg -`: stdout holds the SVG alone.
        _ if svg.is_some_and(write::is_stdout) => {}
        _ => show_terminal(spec, report, &s.terminal, out)?,
    }
    out.flush()?;
    if let (Some(path), Some(card)) = (svg, analysis.and_then(|a| a.card.as_ref())) {
        let svg = render::card_svg::render(card)?;
        write_file(s, ReportFile::CardSvg, path, svg.as_bytes(), out)?;
    }
    Ok(())
}

/// The command's terminal view (`spec.show`).
pub fn show_terminal(
    spec: &Spec,
    report: &Report,
    o: &TerminalOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let pal = Palette::new(o.color);
    let body = &report.body;
    match (spec.show, body.analysis()) {
        (Show::Periods { title, first }, _) => match body.periods() {
            Some((rows, totals)) => {
                let lines = usage::periods(first, rows, totals, o, &pal);
                terminal::table(report, title, lines, o, &pal, out)
            }
            None => Ok(()),
        },
        (Show::Sessions { title }, _) => match body.sessions() {
            Some((rows, totals)) => {
                let zone = Zone::from_name(&report.window.timezone);
                let lines = usage::sessions(rows, totals, zone, o, &pal);
                terminal::table(report, title, lines, o, &pal, out)
            }
            None => Ok(()),
        },
        (Show::Detail { title }, _) => match body.detail() {
            Some(d) => {
                // The whole id when it fits beside the window, else its first 8 characters.
                let id = if o.layout.width >= 80 {
                    d.session_id.as_str()
                } else {
                    d.short_id.as_str()
                };
                let title = format!("{title} {}", tty(id));
                terminal::header(report, &title, o.layout.width, &pal, out)?;
                terminal::session::write(d, o, &pal, out)?;
                terminal::footer(report, o.layout.width, &pal, out)
            }
            None => Ok(()),
        },
        (Show::Blocks { title }, _) => match body.blocks() {
            Some(rows) if rows.is_empty() && body.empty_blocks().is_some() => {
                let note = body.empty_blocks().unwrap_or_default();
                terminal::note(report, title, note, o, &pal, out)
            }
            Some(rows) => {
                let zone = Zone::from_name(&report.window.timezone);
                let lines = usage::blocks(rows, zone, o, &pal);
                terminal::table(report, title, lines, o, &pal, out)
            }
            None => Ok(()),
        },
        (Show::Sections, Some(a)) => {
            for sec in sections(spec) {
                terminal::header(report, sec.title, o.layout.width, &pal, out)?;
                (sec.show)(a, o, &pal, out)?;
            }
            terminal::footer(report, o.layout.width, &pal, out)
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
) -> io::Result<()> {
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

/// Writes the HTML recap (or the page of one session) to `--output`, else to its default
/// name here.
fn write_html(s: &Settings, report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let html = if let Some(page) = recap::drill::page(report) {
        render::html::session_page(&page)?
    } else if let Some(recap) = recap::build(report, privacy(&s.options)) {
        render::html::render(&recap)?
    } else {
        anyhow::bail!("the HTML recap needs the analyzers' results");
    };
    let default = PathBuf::from(ReportFile::Html.default_name(s.until));
    let dest = s.options.html.output.as_deref().unwrap_or(&default);
    write_file(s, ReportFile::Html, dest, html.as_bytes(), out)
}

/// Writes the year in review: the HTML page to `-O` and the SVG card to `--svg`, else
/// each to its default name here; says on stderr when the year had no use.
fn write_wrapped(s: &Settings, report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let Some(page) = wrapped::page::build(report, privacy(&s.options)) else {
        anyhow::bail!("the year in review needs the analyzers' results");
    };
    let html = render::html::wrapped::render(&page)?;
    let svg = render::wrapped_svg::render(&page)?;
    let o = &s.options.wrapped;
    for (file, given, bytes) in [
        (ReportFile::WrappedHtml, &o.output, html.as_bytes()),
        (ReportFile::WrappedSvg, &o.svg, svg.as_bytes()),
    ] {
        let default = PathBuf::from(file.default_name(s.until));
        write_file(s, file, given.as_deref().unwrap_or(&default), bytes, out)?;
    }
    if page.wrapped.composition.total_tokens == 0 && !s.quiet {
        let _ = writeln!(
            io::stderr(),
            "ccrecap: no Claude Code use found in {}: the page and card say so (another year: --year YYYY)",
            page.wrapped.year
        );
    }
    Ok(())
}

/// The one way a report file is written (`write::report`): to `dest` as the user gave it
/// (`-` is `out`, stdout), the file's default name inside a directory, mode `--file-mode`
/// (default 0600) for a regular file; then one line on stderr says what was written.
pub fn write_file(
    s: &Settings,
    file: ReportFile,
    dest: &Path,
    bytes: &[u8],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let rules = Rules {
        mode: s.file_mode,
        protected: &s.protected,
    };
    let to = match write::report(dest, &file.default_name(s.until), bytes, rules, out) {
        Ok(to) => to,
        // Only stdout reports a broken pipe (`| head`), and that ends the run quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Err(e.into()),
        // `main` sanitizes error messages; this one is built here, from a path.
        Err(e) => anyhow::bail!("cannot write {}: {e}", shown(dest)),
    };
    let _ = writeln!(io::stderr(), "ccrecap: {}", wrote(&to, bytes.len()));
    Ok(())
}

/// What was written, for the stderr line: the file and its size, or where the bytes went.
fn wrote(to: &Destination, len: usize) -> String {
    let size = fmt::kilobytes(len as u64);
    match to {
        Destination::Stdout => format!("wrote {size} to stdout"),
        Destination::File { path, link: None } => format!("wrote {} ({size})", shown(path)),
        Destination::File {
            path,
            link: Some(link),
        } => format!(
            "wrote {} ({size}) through the symlink {}",
            shown(path),
            shown(link)
        ),
        Destination::Device(p) => format!("wrote {size} to a device, {}", shown(p)),
        Destination::Fifo(p) => format!("wrote {size} to a FIFO, {}", shown(p)),
        Destination::Socket(p) => format!("wrote {size} to a socket, {}", shown(p)),
    }
}

/// A destination as the user reads it: `-` is stdout; paths terminal-safe.
fn shown(dest: &Path) -> String {
    if write::is_stdout(dest) {
        "stdout".into()
    } else {
        tty(&dest.display().to_string()).into_owned()
    }
}

/// What `ledger update` did, in a few lines (JSON with `--json`).
pub fn ledger_update(
    s: &crate::ledger::update::UpdateSummary,
    json: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, s)?;
        return writeln!(out);
    }
    let months = if s.months_added.is_empty() {
        String::new()
    } else {
        format!(" ({})", s.months_added.join(", "))
    };
    writeln!(
        out,
        "ledger: added {}{months} from {} read ({} unchanged); {} in all",
        fmt::plural(s.added, "record"),
        fmt::plural(s.files_read, "file"),
        fmt::thousands(s.files_unchanged),
        fmt::plural(s.records, "record"),
    )?;
    if !s.ledger_only_months.is_empty() {
        writeln!(
            out,
            "months now known only from the ledger (their transcripts are gone): {}",
            s.ledger_only_months.join(", ")
        )?;
    }
    Ok(())
}

/// `ledger status`: coverage by month and machine, and the size (JSON with `--json`).
pub fn ledger_status(
    st: &crate::ledger::status::Status,
    json: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, st)?;
        return writeln!(out);
    }
    if !st.exists {
        return writeln!(
            out,
            "no ledger at {} yet: run `ccrecap ledger update`",
            tty(&st.dir)
        );
    }
    writeln!(
        out,
        "ledger {} (format v{}): {}, {}, {} on disk",
        tty(&st.dir),
        st.format_version,
        fmt::plural(st.records, "record"),
        fmt::plural(st.segments, "segment"),
        fmt::kilobytes(st.bytes),
    )?;
    if st.bad_records > 0 {
        writeln!(out, "{} unreadable", fmt::plural(st.bad_records, "record"))?;
    }
    writeln!(
        out,
        "\n{:<8} {:>9} {:>8} {:>9}  machines",
        "month", "records", "tokens", "size"
    )?;
    for m in &st.months {
        writeln!(
            out,
            "{:<8} {:>9} {:>8} {:>9}  {}",
            m.month,
            fmt::thousands(m.records),
            fmt::human(m.tokens),
            fmt::kilobytes(m.bytes),
            tty(&m.machines.join(", ")),
        )?;
    }
    writeln!(
        out,
        "\n{:<20} {:>9} {:>8}  months",
        "machine", "records", "tokens"
    )?;
    for m in &st.machines {
        writeln!(
            out,
            "{:<20} {:>9} {:>8}  {} – {}",
            fmt::clip(&m.machine, 20),
            fmt::thousands(m.records),
            fmt::human(m.tokens),
            m.first_month,
            m.last_month,
        )?;
    }
    Ok(())
}
