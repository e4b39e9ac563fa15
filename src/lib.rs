//! ccrecap: where did my Claude Code quota go? A one-shot report generator over local
//! transcripts. `run` wires the one-way pipeline: config → scan → model → analyze →
//! render. See docs in README.md and the module docs below.

pub mod analyze;
pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
pub mod model;
pub mod pricing;
pub mod progress;
pub mod render;
pub mod scan;
pub mod shell;
pub mod write;

use analyze::blocks::BlockFilter;
use analyze::usage::Period;
use analyze::{Body, PricingInfo, Report, UsageOptions, WindowInfo};
use config::{Config, DataSource, Report as Which};
use pricing::Pricing;
use scan::diagnostics::Diagnostics;
use scan::discover::DiscoverOptions;
use scan::{Scan, ScanOptions};
use std::io::{IsTerminal, Write};

/// How a run that produced its report ended, for `main` to turn into an exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing was skipped, or skips are allowed (the default).
    Complete,
    /// `--strict` and something was skipped or unreadable (exit 3).
    StrictIncomplete,
}

/// Runs one command end to end, writing the report to stdout and notes to stderr.
pub fn run(cli: cli::Cli) -> anyhow::Result<Outcome> {
    let cfg = config::resolve(cli)?;
    match cfg.report {
        Which::Completions(sh) => {
            shell::completions(sh, &mut std::io::stdout())?;
            return Ok(Outcome::Complete);
        }
        Which::Man => {
            shell::man(&mut std::io::stdout())?;
            return Ok(Outcome::Complete);
        }
        _ => {}
    }
    let pricing = Pricing::embedded();
    let scan = scan_data(&cfg);
    let report = build_report(&cfg, &scan, pricing);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let export = matches!(cfg.report, Which::Opus { export: true });
    if let Which::Html { output, privacy } = &cfg.report {
        write_html(&cfg, &report, output.as_deref(), *privacy)?;
    } else if let (true, Body::Analysis(a)) = (export, &report.body) {
        if let Some(audit) = &a.opus_audit {
            render::terminal::opus::export(audit, &mut out)?;
        }
    } else if cfg.json {
        render::json::write(&report, &mut out)?;
    } else {
        let width = std::io::stdout().is_terminal().then(terminal_width);
        let opts = render::terminal::TerminalOptions {
            color: cfg.color,
            width,
            breakdown: cfg.breakdown,
            plan: cfg.plan,
            ascii: matches!(cfg.report, Which::Card { ascii: true, .. }),
            show_projects: matches!(
                cfg.report,
                Which::Card {
                    show_projects: true,
                    ..
                }
            ),
        };
        render::terminal::write(&report, &opts, &mut out)?;
    }
    out.flush()?;
    if let (
        Which::Card {
            svg: Some(path), ..
        },
        Body::Analysis(a),
    ) = (&cfg.report, &report.body)
        && let Some(card) = &a.card
    {
        let svg = render::card_svg::render(card)?;
        write_report(&cfg, path, svg.as_bytes())?;
    }
    if !cfg.quiet
        && let Some(line) = render::footer::text(&report.diagnostics)
    {
        let _ = writeln!(std::io::stderr(), "{line}");
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

/// Writes the HTML recap to `output` (default `ccrecap-<until>.html` here) and names the
/// file on stderr.
fn write_html(
    cfg: &Config,
    report: &Report,
    output: Option<&std::path::Path>,
    privacy: analyze::recap::redact::Privacy,
) -> anyhow::Result<()> {
    let Some(recap) = analyze::recap::build(report, privacy) else {
        anyhow::bail!("the HTML recap needs the analyzers' results");
    };
    let html = render::html::render(&recap)?;
    let path = match output {
        Some(p) => p.to_path_buf(),
        None => {
            let until = cfg
                .window
                .until
                .unwrap_or_else(|| cfg.zone.date_of(cfg.now_ms));
            std::path::PathBuf::from(format!("ccrecap-{until}.html"))
        }
    };
    write_report(cfg, &path, html.as_bytes())
}

/// Writes a report file atomically (mode `--mode`, default 0600), never inside a
/// transcripts directory, and names it and its size on stderr.
fn write_report(cfg: &Config, path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    let written = match &cfg.source {
        DataSource::Dirs(roots) => write::refuse_inside(path, roots),
        DataSource::Demo => Ok(()),
    }
    .and_then(|()| write::atomic(path, bytes, cfg.file_mode));
    // `main` sanitizes error messages; this line is printed here, so it is sanitized here.
    written.map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    let _ = writeln!(
        std::io::stderr(),
        "ccrecap: wrote {} ({} KB)",
        render::sanitize::tty(&path.display().to_string()),
        bytes.len().div_ceil(1024)
    );
    Ok(())
}

/// Scans the configured source with the window's mtime pre-filter.
pub fn scan_data(cfg: &Config) -> Scan {
    let modified_since = cfg.window.since.map(|d| cfg.zone.start_of(d));
    let mut diag = Diagnostics::default();
    let found = match &cfg.source {
        DataSource::Demo => demo::discovery(cfg.project.as_deref()),
        DataSource::Dirs(roots) => {
            let opts = ScanOptions {
                roots: roots.clone(),
                discover: DiscoverOptions {
                    project: cfg.project.clone(),
                    modified_since,
                },
            };
            scan::find(&opts, &mut diag)
        }
    };
    let bytes: u64 = found.files.iter().map(|f| f.size).sum();
    let mut bar = progress::Progress::new(
        cfg.stderr_tty && !cfg.quiet && !cfg.json,
        found.files.len(),
        bytes,
    );
    let read = scan::ReadOptions {
        max_line: cfg.max_line,
        detail: detail(&cfg.report),
    };
    let scan = scan::load(found, read, diag, &|b| bar.advance(b));
    bar.finish();
    scan
}

/// How much of each line the command needs: usage rollups read responses only.
fn detail(report: &Which) -> scan::Detail {
    if report.is_analysis() {
        scan::Detail::Full
    } else {
        scan::Detail::Usage
    }
}

/// Runs the usage analyzer the command asks for.
pub fn build_report(cfg: &Config, scan: &Scan, pricing: &Pricing) -> Report {
    let block_ms = match &cfg.report {
        Which::Blocks(b) => (b.session_length * 3_600_000.0) as i64,
        _ => 5 * 3_600_000,
    };
    let opts = UsageOptions {
        window: cfg.window,
        zone: cfg.zone,
        cost_mode: cfg.cost_mode,
        order: cfg.order,
        now_ms: cfg.now_ms,
        block_ms,
    };
    let ds = &scan.dataset;
    let body = match &cfg.report {
        Which::Daily => {
            let (daily, totals) = analyze::usage::periods(ds, pricing, &opts, Period::Day);
            Body::Daily { daily, totals }
        }
        Which::Weekly { start } => {
            let (weekly, totals) =
                analyze::usage::periods(ds, pricing, &opts, Period::Week(*start));
            Body::Weekly { weekly, totals }
        }
        Which::Monthly => {
            let (monthly, totals) = analyze::usage::periods(ds, pricing, &opts, Period::Month);
            Body::Monthly { monthly, totals }
        }
        Which::Session => {
            let (sessions, totals) = analyze::usage::sessions(ds, pricing, &opts);
            Body::Session { sessions, totals }
        }
        Which::Blocks(b) => Body::Blocks {
            blocks: analyze::blocks::blocks(
                ds,
                pricing,
                &opts,
                BlockFilter {
                    active_only: b.active,
                    recent_only: b.recent,
                },
            ),
        },
        // Every other command runs the analyzers (`Which::is_analysis`).
        _ => Body::Analysis(Box::new(analyses(&cfg.report, ds, pricing, &opts))),
    };
    let mut diagnostics = scan.diagnostics.clone();
    diagnostics.unpriced_models = analyze::unpriced_models(ds, pricing, &opts);
    diagnostics.future_dated = analyze::future_dated(ds, cfg.now_ms);
    Report {
        body,
        schema_version: 1,
        generator: analyze::Generator::default(),
        window: WindowInfo::new(&opts),
        pricing: PricingInfo::new(pricing, cfg.cost_mode),
        diagnostics,
    }
}

/// The analyzers a command asks for (every one for the full report), run in parallel.
fn analyses(
    report: &Which,
    ds: &model::Dataset,
    pricing: &Pricing,
    opts: &UsageOptions,
) -> analyze::Analysis {
    let full = matches!(report, Which::Full | Which::Html { .. });
    let context = full || *report == Which::Context;
    let subagents = full || *report == Which::Subagents;
    let opus = full || matches!(report, Which::Opus { .. });
    let activity = full || *report == Which::Activity;
    let ((totals, context), ((subagents, opus_audit), activity)) = rayon::join(
        || {
            rayon::join(
                || analyze::Totals::new(ds, pricing, opts),
                || context.then(|| analyze::context::analyze(ds, pricing, opts)),
            )
        },
        || {
            rayon::join(
                || {
                    rayon::join(
                        || subagents.then(|| analyze::subagents::analyze(ds, pricing, opts)),
                        || opus.then(|| analyze::opus_audit::analyze(ds, pricing, opts)),
                    )
                },
                || activity.then(|| analyze::activity::analyze(ds, pricing, opts)),
            )
        },
    );
    let summary = (*report == Which::Full).then(|| {
        analyze::summary::summarize(context.as_ref(), subagents.as_ref(), opus_audit.as_ref())
    });
    let card = match report {
        Which::Card { weekly, .. } => Some(analyze::card::analyze(ds, pricing, opts, *weekly)),
        _ => None,
    };
    analyze::Analysis {
        totals,
        context,
        subagents,
        opus_audit,
        activity,
        summary,
        card,
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w: &usize| w >= 40)
        .unwrap_or(120)
}
