//! ccrecap: where did my Claude Code quota go? A one-shot report generator over local
//! transcripts. `run` wires the one-way pipeline — config → scan → model → analyze →
//! render — as the command's registry entry (`command`) says, and this file is the one
//! place that turns the resolved `Config` into each layer's options (what to scan and how
//! deep, what the analyzers are told, how and where to write), as ripgrep's `HiArgs` does.

pub mod analyze;
pub mod cli;
pub mod command;
pub mod config;
pub mod demo;
pub mod error;
pub mod model;
pub mod options;
pub mod output;
pub mod pricing;
pub mod progress;
pub mod render;
pub mod scan;
pub mod shell;
pub mod time;
pub mod write;

use analyze::{Analysis, Body, Report, Totals};
use command::{Makes, Section, Show};
use config::{Config, DataSource};
use model::Dataset;
use model::diagnostics::Diagnostics;
use pricing::Pricing;
use rayon::prelude::*;
use render::terminal::{Layout, TerminalOptions};
use scan::discover::{self, DiscoverOptions};
use scan::{Detail, ReadOptions, Scan, ScanOptions};
use std::io::Write;

/// How a run that produced its report ended, for `main` to turn into an exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing was skipped, or skips are allowed (the default).
    Complete,
    /// `--strict` and something was skipped or unreadable (exit 3).
    StrictIncomplete,
}

/// The run's configuration: the command line and environment resolved (`config`), and
/// `--project` turned into the directory it names.
pub fn configure(cli: &cli::Cli) -> Result<Config, error::UserError> {
    let mut cfg = config::resolve(cli)?;
    if let Some(query) = cfg.project.take() {
        cfg.project = Some(project_dir(&cfg, &query)?);
    }
    Ok(cfg)
}

/// The directory under `projects/` a `--project` value names: a directory name, a working
/// directory, or a display name (`model::projects`); an unknown name is a usage error that
/// lists the closest names.
fn project_dir(cfg: &Config, query: &str) -> Result<String, error::UserError> {
    let found = match &cfg.source {
        DataSource::Demo => demo::discovery(None),
        DataSource::Dirs(roots) => {
            if roots.iter().any(|r| r.join(query).is_dir()) && !query.contains(['/', '\\']) {
                return Ok(query.to_string());
            }
            let opts = DiscoverOptions::default();
            discover::discover(roots, &opts, &mut Diagnostics::default())
        }
    };
    let projects = scan::projects::project_cwds(&found);
    if let Some(dir) = model::projects::find(query, &projects) {
        return Ok(dir.to_string());
    }
    let pairs: Vec<(&str, Option<&str>)> = projects
        .iter()
        .map(|(d, c)| (d.as_str(), c.as_deref()))
        .collect();
    let names = model::projects::display_names(&pairs);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let closest = model::projects::closest(query, &names, 5);
    Err(error::UserError::Usage(if closest.is_empty() {
        format!("no project '{query}': there are no projects to read")
    } else {
        format!("no project '{query}'; the closest: {}", closest.join(", "))
    }))
}

/// Runs one command end to end, writing the report to stdout and notes to stderr.
pub fn run(cli: &cli::Cli) -> anyhow::Result<Outcome> {
    let cfg = configure(cli)?;
    if !cfg.quiet {
        for w in &cfg.warnings {
            let _ = writeln!(std::io::stderr(), "ccrecap: warning: {w}");
        }
    }
    let stdout = std::io::stdout();
    match cfg.command.show {
        Show::Completions => {
            shell::completions(cfg.options.shell, &mut stdout.lock())?;
            return Ok(Outcome::Complete);
        }
        Show::Man => {
            shell::man(&mut stdout.lock())?;
            return Ok(Outcome::Complete);
        }
        _ => {}
    }
    let (scan, report) = scan_and_report(&cfg)?;
    let mut out = std::io::BufWriter::new(stdout.lock());
    output::emit(cfg.command, &output_settings(&cfg), &report, &mut out)?;
    if !cfg.quiet {
        for line in render::footer::lines(&report.diagnostics, cfg.stderr_width) {
            let _ = writeln!(std::io::stderr(), "{line}");
        }
    }
    let outcome = if cfg.strict && report.diagnostics.incomplete() {
        Outcome::StrictIncomplete
    } else {
        Outcome::Complete
    };
    // The process ends next: freeing the model piece by piece would only delay the exit.
    std::mem::forget(report);
    std::mem::forget(scan);
    Ok(outcome)
}

/// Scans as the command's entry says and builds its report: the window's transcripts, or
/// one session's (a drill-down), with the recap's session sections when asked for.
pub fn scan_and_report(cfg: &Config) -> anyhow::Result<(Scan, Report)> {
    let pricing = Pricing::embedded();
    if let Makes::Detail = cfg.command.makes {
        return drill_one(cfg, pricing);
    }
    let scan = scan_data(cfg);
    let mut report = build_report(cfg, &scan, pricing);
    drill_into_recap(cfg, &scan, pricing, &mut report)?;
    Ok((scan, report))
}

/// One session's drill-down (`session --id`, `html --session`): the session found by its
/// id in the file names, its own files read in full, then what its window needs (the
/// days it ran on, unless a window was given) for usage only.
fn drill_one(cfg: &Config, pricing: &Pricing) -> anyhow::Result<(Scan, Report)> {
    let id = cfg.options.session_id().unwrap_or_default();
    let mut diag = Diagnostics::default();
    let found = discovery(cfg, &mut diag);
    let target = scan::pick::find(found, id).map_err(|m| miss(cfg, id, &m))?;
    let (project, session) = (target.project.clone(), target.id.clone());
    let picked = scan::pick::read_own(target, read_options(cfg));
    let mut opts = analyze_options(cfg);
    if cfg.window_from_session {
        opts.window = match picked.span() {
            Some((first, last)) => time::Window {
                since: Some(cfg.zone.date_of(first)),
                until: Some(cfg.zone.date_of(last)),
            },
            None => time::Window::default(),
        };
    }
    let scan = picked.finish(opts.bounds(), diag);
    let ds = &scan.dataset;
    let privacy = output::privacy(&cfg.options);
    let detail = analyze::session::analyze(ds, pricing, &opts, (&project, &session), privacy)
        .ok_or_else(|| {
            error::UserError::Usage(format!(
                "session {session} has no lines in this window; try --all"
            ))
        })?;
    let body = Body::Detail {
        session_detail: Box::new(detail),
    };
    let report = Report::new(body, ds, pricing, &opts, scan.diagnostics.clone());
    Ok((scan, report))
}

/// The usage error for an id that matched no session, or several: one line that lists
/// them (id, project, day of the last change).
fn miss(cfg: &Config, id: &str, m: &scan::pick::Miss) -> error::UserError {
    let list = |v: &[scan::pick::Candidate]| -> String {
        let names: Vec<String> = v
            .iter()
            .map(|c| {
                let project = model::projects::display_names(&[(c.project.as_str(), None)])
                    .pop()
                    .unwrap_or_default();
                match c.mtime {
                    0 => format!("{} ({project})", c.id),
                    t => format!("{} ({project}, {})", c.id, cfg.zone.date_of(t)),
                }
            })
            .collect();
        names.join(", ")
    };
    error::UserError::Usage(match m {
        scan::pick::Miss::Unknown(v) if v.is_empty() => {
            format!("no session id starts with '{id}': there are no sessions here")
        }
        scan::pick::Miss::Unknown(v) => {
            format!(
                "no session id starts with '{id}'; sessions to choose from: {}",
                list(v)
            )
        }
        scan::pick::Miss::Ambiguous(v, n) => {
            let more = n.saturating_sub(v.len());
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!(
                "'{id}' matches {n} sessions: {}{tail}; give more of the id (or --project)",
                list(v)
            )
        }
    })
}

/// The recap's session sections (`html --sessions N`, `--session ID`): the window's N
/// sessions with the most tokens, and the one asked for, each once.
fn drill_into_recap(
    cfg: &Config,
    scan: &Scan,
    pricing: &Pricing,
    report: &mut Report,
) -> anyhow::Result<()> {
    let html = &cfg.options.html;
    let Body::Analysis(a) = &mut report.body else {
        return Ok(());
    };
    if html.sessions == 0 && html.session.is_none() {
        return Ok(());
    }
    let (ds, opts) = (&scan.dataset, analyze_options(cfg));
    let mut picks = analyze::session::heaviest(ds, &opts, html.sessions);
    if let Some(id) = &html.session {
        let found = analyze::session::matching(ds, &opts, id);
        let names = |v: &[(model::Sym, model::Sym)]| -> Vec<String> {
            v.iter().map(|k| ds.name(k.1).to_string()).collect()
        };
        match found.as_slice() {
            [one] if picks.contains(one) => {}
            [one] => picks.push(*one),
            [] => anyhow::bail!(error::UserError::Usage(format!(
                "no session in this window starts with '{id}' (widen the window with --all or --since)"
            ))),
            many => anyhow::bail!(error::UserError::Usage(format!(
                "'{id}' matches {} sessions in this window: {}; give more of the id",
                many.len(),
                names(many).join(", ")
            ))),
        }
    }
    let privacy = output::privacy(&cfg.options);
    a.session_details = analyze::session::for_recap(ds, pricing, &opts, a, &picks, privacy);
    Ok(())
}

/// The files of the configured source (cheap: nothing is opened), with the window's
/// mtime pre-filter.
fn discovery(cfg: &Config, diag: &mut Diagnostics) -> scan::discover::Discovery {
    match &cfg.source {
        DataSource::Demo => demo::discovery(cfg.project.as_deref()),
        DataSource::Dirs(roots) => scan::find(&scan_options(cfg, roots), diag),
    }
}

/// Scans the configured source as deep as the command reads, with the window's mtime
/// pre-filter and a progress bar on a terminal.
pub fn scan_data(cfg: &Config) -> Scan {
    let mut diag = Diagnostics::default();
    let found = discovery(cfg, &mut diag);
    let bytes: u64 = found.files.iter().map(|f| f.size).sum();
    let mut bar = progress::Progress::new(
        cfg.stderr_tty && !cfg.quiet && !cfg.json,
        cfg.stderr_width,
        found.files.len(),
        bytes,
    );
    let scan = scan::load(&found, read_options(cfg), diag, &|b| bar.advance(b));
    bar.finish();
    scan
}

/// Runs what the command computes: a usage rollup, or the analyzers' document.
pub fn build_report(cfg: &Config, scan: &Scan, pricing: &Pricing) -> Report {
    let opts = analyze_options(cfg);
    let ds = &scan.dataset;
    let body = match cfg.command.makes {
        Makes::Rows(rows) => rows(ds, pricing, &opts),
        Makes::Analysis { sections, finish } => {
            let mut a = analysis(sections, ds, pricing, &opts);
            if let Some(finish) = finish {
                finish(&mut a);
            }
            Body::Analysis(Box::new(a))
        }
        // Commands that read no transcripts have no report; theirs would be all zeros (and
        // drill-downs are built by `scan_and_report`).
        Makes::Nothing | Makes::Detail => {
            Body::Analysis(Box::new(analysis(&[], ds, pricing, &opts)))
        }
    };
    Report::new(body, ds, pricing, &opts, scan.diagnostics.clone())
}

/// The totals and the sections, computed in parallel.
fn analysis(
    sections: &[Section],
    ds: &Dataset,
    pricing: &Pricing,
    opts: &analyze::Options,
) -> Analysis {
    let (totals, stores) = rayon::join(
        || Totals::new(ds, pricing, opts),
        || {
            sections
                .par_iter()
                .map(|s| (s.run)(ds, pricing, opts))
                .collect::<Vec<_>>()
        },
    );
    let mut a = Analysis {
        totals,
        ..Analysis::default()
    };
    for store in stores {
        store(&mut a);
    }
    a
}

/// What to scan: the roots, the project, and files modified since the window began.
fn scan_options(cfg: &Config, roots: &[std::path::PathBuf]) -> ScanOptions {
    ScanOptions {
        roots: roots.to_vec(),
        discover: DiscoverOptions {
            project: cfg.project.clone(),
            modified_since: cfg.window.since.map(|d| cfg.zone.start_of(d)),
        },
    }
}

/// How deep to read each line: usage rollups read responses only.
fn read_options(cfg: &Config) -> ReadOptions {
    ReadOptions {
        max_line: cfg.max_line,
        detail: cfg.command.reads.unwrap_or(Detail::Usage),
    }
}

/// What the analyzers are told.
pub fn analyze_options(cfg: &Config) -> analyze::Options {
    analyze::Options {
        window: cfg.window,
        zone: cfg.zone,
        cost_mode: cfg.cost_mode,
        order: cfg.order,
        now_ms: cfg.now_ms,
        week_start: cfg.options.week_start,
        blocks: cfg.options.blocks,
        weekly_card: cfg.options.card.weekly,
        by: cfg.by,
    }
}

/// How a terminal view is laid out.
pub fn terminal_options(cfg: &Config) -> TerminalOptions {
    TerminalOptions {
        color: cfg.color,
        layout: Layout {
            width: cfg.width,
            compact: cfg.compact,
        },
        breakdown: cfg.breakdown,
        plan: cfg.plan,
        ascii: cfg.options.card.ascii,
        show_projects: cfg.options.card.show_projects,
        turns: cfg.options.session.turns,
    }
}

/// How and where the report is written.
pub fn output_settings(cfg: &Config) -> output::Settings {
    output::Settings {
        json: cfg.json,
        quiet: cfg.quiet,
        terminal: terminal_options(cfg),
        options: cfg.options.clone(),
        file_mode: cfg.file_mode,
        protected: match &cfg.source {
            DataSource::Dirs(roots) => roots.clone(),
            DataSource::Demo => Vec::new(),
        },
        pager: cfg.pager.clone(),
        until: cfg
            .window
            .until
            .unwrap_or_else(|| cfg.zone.date_of(cfg.now_ms)),
    }
}
