//! ccrecap: where did my Claude Code quota go? A one-shot report generator over local
//! transcripts. `run` wires the one-way pipeline — config → scan → model → analyze →
//! render — as the command's registry entry (`command`) says, and this file is the one
//! place that turns the resolved `Config` into each layer's options (what to scan and how
//! deep, what the analyzers are told, how and where to write), as ripgrep's `HiArgs` does.

pub mod analyze;
pub mod bytes;
pub mod cli;
pub mod command;
pub mod config;
pub mod demo;
pub mod error;
pub mod ledger;
pub mod live;
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
        Show::Ledger => {
            ledger_command(&cfg, &mut stdout.lock())?;
            return Ok(Outcome::Complete);
        }
        Show::Statusline => {
            let s = statusline_settings(&cfg);
            // Run by hand in a terminal, there is no JSON coming: do not wait for it.
            let stdin = std::io::stdin();
            let mut input: Box<dyn std::io::Read> = if std::io::IsTerminal::is_terminal(&stdin) {
                Box::new(std::io::empty())
            } else {
                Box::new(stdin.lock())
            };
            let mut err = std::io::stderr();
            live::statusline::run(&s, &mut input, &mut stdout.lock(), &mut err);
            return Ok(Outcome::Complete);
        }
        Show::Watch => {
            watch(&cfg)?;
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
    let (found, extra, used) = with_ledgers(cfg, found);
    let bytes: u64 = found.files.iter().map(|f| f.size).sum();
    let mut bar = progress::Progress::new(
        cfg.stderr_tty && !cfg.quiet && !cfg.json,
        cfg.stderr_width,
        found.files.len(),
        bytes,
    );
    let live = found.files.len();
    let mut scan = scan::load_owned(found, read_options(cfg), diag, &|b| bar.advance(b), extra);
    bar.finish();
    if let Some(used) = used {
        scan.diagnostics.ledger = Some(ledger_use(cfg, &scan.dataset, live, used));
    }
    scan
}

/// The ledgers' records to merge with the transcripts (none with `--demo`, or when no
/// ledger exists); with `--machine` naming another machine than this host, the
/// transcripts (this machine's) are left out. A ledger that cannot be read is noted, not
/// fatal.
fn with_ledgers(
    cfg: &Config,
    mut found: scan::discover::Discovery,
) -> (
    scan::discover::Discovery,
    scan::Extra,
    Option<model::diagnostics::LedgerUse>,
) {
    let dirs: Vec<_> = cfg
        .ledger
        .all()
        .into_iter()
        .filter(|d| d.is_dir())
        .collect();
    if dirs.is_empty() || cfg.command.reads.is_none() || matches!(cfg.source, DataSource::Demo) {
        return (found, scan::Extra::default(), None);
    }
    if cfg
        .ledger
        .machine
        .as_ref()
        .is_some_and(|m| *m != ledger::host_name())
    {
        found = scan::discover::Discovery::default();
    }
    let month = |d: chrono::NaiveDate| d.format("%Y-%m").to_string();
    let filter = ledger::read::ReadFilter {
        project: cfg.project.clone(),
        machine: cfg.ledger.machine.clone(),
        // A day's local date can fall in the UTC month before or after.
        since: cfg.window.since.map(|d| month(d - chrono::Days::new(1))),
        until: cfg.window.until.map(|d| month(d + chrono::Days::new(1))),
        live_projects: found.files.iter().map(|f| f.project.clone()).collect(),
        live_sessions: found.files.iter().map(|f| f.path_session.clone()).collect(),
    };
    match ledger::read::load(&dirs, &filter) {
        Ok((extra, used)) => (found, extra, Some(used)),
        Err(e) => {
            if !cfg.quiet {
                let _ = writeln!(std::io::stderr(), "ccrecap: ledger not read: {e:#}");
            }
            (found, scan::Extra::default(), None)
        }
    }
}

/// How much of the report came from the ledgers: responses of the ledgers' groups (the
/// files after the first `live`) that no transcript held, and their months.
fn ledger_use(
    cfg: &Config,
    ds: &Dataset,
    live: usize,
    mut used: model::diagnostics::LedgerUse,
) -> model::diagnostics::LedgerUse {
    let mut months = std::collections::BTreeSet::new();
    let mut live_months = std::collections::BTreeSet::new();
    for r in &ds.responses {
        let m =
            r.ts.map(|t| cfg.zone.date_of(t).format("%Y-%m").to_string());
        if (r.file as usize) < live {
            live_months.insert(m);
        } else {
            used.responses_from_ledger += 1;
            months.insert(m);
        }
    }
    used.ledger_only_months = months
        .difference(&live_months)
        .map(|m| m.clone().unwrap_or_else(|| "undated".into()))
        .collect();
    used
}

/// `ccrecap ledger update|status`, and `update --print-hook`.
fn ledger_command(cfg: &Config, out: &mut dyn Write) -> anyhow::Result<()> {
    use options::LedgerAction;
    let target = || {
        cfg.ledger.target().ok_or_else(|| {
            anyhow::anyhow!("no data directory for the ledger: give one with --ledger PATH")
        })
    };
    match cfg.options.ledger {
        LedgerAction::PrintHook => {
            let exe = std::env::current_exe()
                .map_or_else(|_| "ccrecap".to_string(), |p| p.display().to_string());
            out.write_all(ledger::hook_text(&exe).as_bytes())?;
        }
        LedgerAction::Status => {
            let st = ledger::status::status(&target()?)?;
            output::ledger_status(&st, cfg.json, out)?;
        }
        LedgerAction::Update { show_paths } => {
            let DataSource::Dirs(roots) = &cfg.source else {
                anyhow::bail!("--demo has no transcripts to keep in a ledger");
            };
            let opts = ledger::update::UpdateOptions {
                dir: target()?,
                roots: roots.clone(),
                machine: cfg.ledger.label.clone(),
                show_paths,
                max_line: cfg.max_line,
            };
            let summary = ledger::update::update(&opts)?;
            if !cfg.quiet {
                output::ledger_update(&summary, cfg.json, out)?;
            }
        }
    }
    Ok(())
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
        quota: if command::uses_quota(cfg.command) {
            quota_snapshots(cfg)
        } else {
            Vec::new()
        },
        by: cfg.by,
    }
}

/// The quota snapshots on file (none when there is no state file; an unreadable one is
/// said on stderr).
fn quota_snapshots(cfg: &Config) -> Vec<model::quota::QuotaSnapshot> {
    let Some(path) = &cfg.options.state_file else {
        return Vec::new();
    };
    match live::snapshots::load(path) {
        Ok(l) => l.snapshots,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "ccrecap: reading {}: {e}",
                path.display()
            );
            Vec::new()
        }
    }
}

/// What the status line needs.
fn statusline_settings(cfg: &Config) -> live::statusline::Settings {
    let (demo, roots) = match &cfg.source {
        DataSource::Demo => (Some(demo::discovery(cfg.project.as_deref())), Vec::new()),
        DataSource::Dirs(roots) => (None, roots.clone()),
    };
    live::statusline::Settings {
        options: cfg.options.statusline.clone(),
        demo,
        roots,
        project: cfg.project.clone(),
        max_line: cfg.max_line,
        color: cfg.color,
        state_file: cfg.options.state_file.clone(),
        record: cfg.options.record,
        analyze: analyze::Options {
            quota: Vec::new(),
            ..analyze_options(cfg)
        },
    }
}

/// `ccrecap watch`: the view redrawn from the scan's incremental front end; the report is
/// rebuilt when a file changed, the width changed or a minute passed.
fn watch(cfg: &Config) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let w = cfg.options.watch;
    let mut view = cfg.clone();
    view.command = command::watch_view(w.blocks);
    view.options.blocks.active_only |= w.blocks;
    let mut feed = match &cfg.source {
        DataSource::Demo => {
            live::feed::Feed::demo(demo::discovery(cfg.project.as_deref()), read_options(cfg))
        }
        DataSource::Dirs(roots) => {
            let since = cfg.window.since.map(|d| cfg.zone.start_of(d));
            live::feed::Feed::dirs(roots, cfg.project.clone(), read_options(cfg), since)
        }
    };
    let settings = live::watch::Settings {
        interval: std::time::Duration::from_secs_f64(w.interval),
        ticks: w.ticks,
        terminal: std::io::stdout().is_terminal(),
    };
    let mut cached: Option<(Vec<u8>, Option<usize>, u128)> = None;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let width = || Some(config::stdout_columns());
    live::watch::run(settings, &mut out, &width, &mut |t| {
        let now_ms = cfg.now_ms + i64::try_from(t.elapsed.as_millis()).unwrap_or(0);
        let changed = feed.refresh(now_ms);
        let minute = t.elapsed.as_millis() / 60_000;
        if let Some((bytes, wd, m)) = &cached
            && !changed
            && *wd == t.width
            && *m == minute
        {
            return bytes.clone();
        }
        view.now_ms = now_ms;
        view.width = t.width.unwrap_or(config::PIPE_WIDTH);
        let bytes = watch_frame(&view, &feed.scan(), w.interval);
        cached = Some((bytes.clone(), t.width, minute));
        bytes
    })?;
    Ok(())
}

/// One redraw: a status line (today, the block, quota), then the view.
fn watch_frame(view: &Config, scan: &Scan, interval: f64) -> Vec<u8> {
    let pricing = Pricing::embedded();
    let report = build_report(view, scan, pricing);
    let opts = analyze_options(view);
    let latest = opts.quota.last().copied();
    let now = analyze::statusline::Now {
        five_hour: latest.and_then(|s| s.five_hour),
        seven_day: latest.and_then(|s| s.seven_day),
        ..Default::default()
    };
    let status = analyze::statusline::analyze(&scan.dataset, pricing, &opts, &now);
    let pal = render::terminal::Palette::new(view.color);
    let segments = [
        options::Segment::Today,
        options::Segment::Block,
        options::Segment::FiveHour,
        options::Segment::SevenDay,
    ];
    let mut buf = Vec::new();
    let _ = writeln!(
        buf,
        "ccrecap watch · {} · every {interval}s · Ctrl-C quits\n{}\n",
        view.zone.local(view.now_ms).format("%H:%M:%S"),
        render::statusline::line(&status, &segments, &pal)
    );
    let _ = output::show_terminal(view.command, &report, &terminal_options(view), &mut buf);
    buf
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
