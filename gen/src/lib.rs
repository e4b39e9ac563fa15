//! ccrecap-gen: deterministic synthetic Claude Code transcript corpora with their ground
//! truth, for ccrecap's tests and benchmarks (dev-only, never published).
//!
//! `generate` writes `DIR/projects/<encoded-cwd>/…` in the on-disk layout of each
//! session's Claude Code version (1.0.x inline sidechains, 2.0.x sibling agent files,
//! 2.1.x nested `subagents/` with `.meta.json`, workflow runs and `/btw` asides), plus
//! `DIR/manifest.json` (corpus-wide truth: tokens per day and model after dedupe, tools,
//! sub-agents, malformed lines, attribution fields, …) and `DIR/sessions_truth.json` (one
//! record per main session). `DIR` works as a `CLAUDE_CONFIG_DIR`. The same options give
//! the same bytes, whatever the number of threads.

pub mod calendar;
pub mod corpus;
pub mod ids;
pub mod json;
pub mod manifest;
pub mod pools;
pub mod project;
pub mod rng;
pub mod session;
pub mod spawn;
pub mod thread;
pub mod tools;
pub mod truth;
pub mod turn;
pub mod vocab;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::Parser;
use std::path::{Path, PathBuf};

/// Generate a synthetic Claude Code transcript corpus with its ground truth.
#[derive(Clone, Debug, Parser)]
#[command(name = "ccrecap-gen", version)]
pub struct Options {
    /// Output directory (acts as a CLAUDE_CONFIG_DIR; transcripts go to OUT/projects/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Master seed.
    #[arg(long)]
    pub seed: u64,
    /// Main sessions to generate (resumed sessions count as sessions).
    #[arg(long)]
    pub sessions: Option<u64>,
    /// Keep adding sessions until the transcripts reach about this many bytes
    /// (takes precedence over --sessions).
    #[arg(long, value_parser = parse_bytes)]
    pub target_bytes: Option<u64>,
    /// Session starts fall in the DAYS days ending on --end-date (UTC).
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
    pub days: u32,
    /// Last day of the window, YYYY-MM-DD.
    #[arg(long, default_value = "2026-03-31", value_parser = parse_day)]
    pub end_date: NaiveDate,
    /// How often sessions spawn sub-agents (scaled by session kind).
    #[arg(long, default_value_t = 0.25)]
    pub subagent_rate: f64,
    /// Chance that a transcript file gets one malformed line.
    #[arg(long, default_value_t = 0.03)]
    pub malformed_rate: f64,
    /// Chance that a multi-block response is written one line per block.
    #[arg(long, default_value_t = 0.9)]
    pub dup_rate: f64,
    /// Chance that a session is later resumed into a new file that copies its lines.
    #[arg(long, default_value_t = 0.03)]
    pub resume_rate: f64,
    /// Print progress to stderr.
    #[arg(long)]
    pub verbose: bool,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    calendar::parse_date(s).ok_or_else(|| format!("{s:?} is not a YYYY-MM-DD date"))
}

/// Bytes as an integer or in scientific notation (`1e9`).
fn parse_bytes(s: &str) -> Result<u64, String> {
    s.parse::<u64>()
        .ok()
        .or_else(|| {
            s.parse::<f64>()
                .ok()
                .filter(|f| *f >= 0.0)
                .map(|f| f as u64)
        })
        .ok_or_else(|| format!("{s:?} is not a byte count"))
}

impl Options {
    /// Options from command-line style arguments (without the program name or --out).
    pub fn from_args(args: &[&str]) -> Result<Options> {
        let argv = std::iter::once("ccrecap-gen").chain(args.iter().copied());
        Options::try_parse_from(argv).context("generator arguments")
    }
}

/// Writes the corpus into `out` and returns its manifest.
pub fn generate(opts: &Options, out: &Path) -> Result<manifest::Manifest> {
    generate_with(opts, out, |_, _| {})
}

/// `generate`, reporting (sessions, bytes) after each batch.
pub fn generate_with(
    opts: &Options,
    out: &Path,
    progress: impl FnMut(u64, u64),
) -> Result<manifest::Manifest> {
    if opts.sessions.is_none() && opts.target_bytes.is_none() {
        bail!("give --sessions and/or --target-bytes");
    }
    for (name, rate) in [
        ("subagent-rate", opts.subagent_rate),
        ("malformed-rate", opts.malformed_rate),
        ("dup-rate", opts.dup_rate),
        ("resume-rate", opts.resume_rate),
    ] {
        if !(0.0..=1.0).contains(&rate) {
            bail!("--{name} must be between 0 and 1, not {rate}");
        }
    }
    std::fs::create_dir_all(out.join("projects"))
        .with_context(|| format!("creating {}", out.display()))?;
    let world = corpus::World::new(opts);
    let (truths, tally) = corpus::run(&world, out, progress)?;
    let m = manifest::build(opts, world.projects.len(), &truths, tally);
    let text = serde_json::to_string_pretty(&m)? + "\n";
    std::fs::write(out.join("manifest.json"), text).context("writing manifest.json")?;
    let mut records = String::from("[\n");
    for (i, t) in truths.iter().enumerate() {
        if i > 0 {
            records.push_str(",\n");
        }
        records.push_str(&serde_json::to_string(t)?);
    }
    records.push_str("\n]\n");
    std::fs::write(out.join("sessions_truth.json"), records)
        .context("writing sessions_truth.json")?;
    Ok(m)
}
