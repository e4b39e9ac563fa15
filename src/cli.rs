//! Command-line types (clap). With `shell.rs` the only code that knows clap: the
//! subcommands come from the command registry (`command::COMMANDS`, which holds their
//! names and help lines); the options, global and per command, are declared here, and
//! their doc comments are the `--help` text. Clap's value enums are mapped onto the plain
//! types of `options`; `config.rs` turns a `Cli` into a resolved `Config`.

use crate::command::{self, Show, Spec};
use crate::options::{By, CostMode, Order, Plan, Segment, Shell};
use chrono::Weekday;
use clap::error::ErrorKind;
use clap::{ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// What `ccrecap --help` says below the list of options.
const EXAMPLES: &str = "\
Examples:
  ccrecap                        the summary of the last 30 days
  ccrecap --demo                 the same on the demo history bundled in the binary
  ccrecap daily --since 2026-11-01
  ccrecap context --days 7       what the last week's tokens paid for
  ccrecap opus --export-config   a suggested model setting, as JSON
  ccrecap html -O recap.html     a shareable one-file recap
  ccrecap card --weekly          a pasteable card of the last 7 days
  ccrecap wrapped --year 2026    a year in review: an HTML page and an SVG card

Each command's --help lists the options it takes.";

/// Where did my Claude Code quota go? One-shot reports over local transcripts.
///
/// With no command, ccrecap prints a one-screen summary of the last 30 days: what your
/// tokens paid for, the top projects, sub-agents, the Opus audit, the largest recurring
/// inclusion and one next step. The commands below go deeper, or print ccusage-style
/// usage tables.
#[derive(Debug, Parser)]
#[command(
    name = "ccrecap",
    version,
    propagate_version = true,
    after_help = EXAMPLES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub output: JsonArgs,
    #[command(flatten)]
    pub plan: PlanArgs,
}

impl Cli {
    /// The options given, wherever they were given: before the command (`ccrecap --demo
    /// daily`) or after it (`ccrecap daily --demo`; these win).
    pub fn common(&self) -> Common {
        let none = Flags::default();
        let sub = self.command.as_ref().map_or(&none, |c| &c.flags);
        let top = &self.source;
        let s = sub.source.as_ref().unwrap_or(top);
        let mut claude_dir = top.claude_dir.clone();
        let mut mode = top.mode.clone();
        let mut ledger = top.ledger.clone();
        if sub.source.is_some() {
            claude_dir.extend(s.claude_dir.iter().cloned());
            mode.extend(s.mode.iter().copied());
            ledger.ledgers.extend(s.ledger.ledgers.iter().cloned());
            ledger.no_ledger |= s.ledger.no_ledger;
            ledger.machine = s.ledger.machine.clone().or(ledger.machine);
        }
        Common {
            json: self.output.json || sub.json,
            compact: self.output.compact || sub.compact,
            since: s.since.clone().or_else(|| top.since.clone()),
            until: s.until.clone().or_else(|| top.until.clone()),
            days: s.days.clone().or_else(|| top.days.clone()),
            all: s.all || top.all,
            timezone: s.timezone.clone().or_else(|| top.timezone.clone()),
            project: s.project.clone().or_else(|| top.project.clone()),
            breakdown: sub.breakdown,
            by: sub.by,
            claude_dir,
            color: s.color.or(top.color).unwrap_or(ColorChoice::Auto),
            quiet: s.quiet || top.quiet,
            strict: s.strict || top.strict,
            demo: s.demo || top.demo,
            mode,
            plan: self.plan.plan,
            order: sub.order.unwrap_or_default(),
            max_line_mib: s.max_line_mib.or(top.max_line_mib).unwrap_or(256),
            now: s.now.clone().or_else(|| top.now.clone()),
            ledger,
        }
    }
}

/// The subcommand given: a registry command, the options of its own that clap parsed, and
/// the common options given after it.
#[derive(Debug)]
pub struct Command {
    pub spec: &'static Spec,
    pub args: CommandArgs,
    pub flags: Flags,
}

/// The common options a subcommand takes, as given after it.
#[derive(Debug, Default)]
pub struct Flags {
    /// None for a command that reads no transcripts.
    pub source: Option<SourceArgs>,
    pub json: bool,
    pub compact: bool,
    pub breakdown: bool,
    pub by: Option<ByArg>,
    pub order: Option<OrderArg>,
}

/// Which groups of common options a command takes, from its registry entry: the data
/// options when it reads transcripts, `--json` when it prints a report, `--breakdown` and
/// `--order` for the usage tables.
struct Groups {
    source: bool,
    /// `ledger`: the options also go after `update` and `status`.
    nested: bool,
    json: bool,
    rows: bool,
}

impl Groups {
    fn of(spec: &Spec) -> Groups {
        // The status line reads today's files without being a report.
        let reads = spec.reads.is_some() || spec.show == Show::Statusline;
        let ledger = matches!(spec.show, Show::Ledger);
        Groups {
            source: reads || ledger,
            nested: ledger,
            json: (reads && !matches!(spec.show, Show::Html | Show::Statusline | Show::Watch))
                || ledger,
            rows: matches!(spec.show, Show::Periods { .. } | Show::Sessions { .. }),
        }
    }

    fn augment(&self, mut cmd: clap::Command) -> clap::Command {
        if self.source {
            cmd = SourceArgs::augment_args(cmd);
        }
        if self.json {
            cmd = JsonArgs::augment_args(cmd);
        }
        if self.rows {
            cmd = RowArgs::augment_args(cmd);
        }
        if self.nested {
            cmd = cmd.mut_args(|a| a.global(true));
        }
        cmd
    }

    fn read(&self, m: &ArgMatches) -> Result<Flags, clap::Error> {
        let rows = if self.rows {
            RowArgs::from_arg_matches(m)?
        } else {
            RowArgs::default()
        };
        let view = if self.json {
            JsonArgs::from_arg_matches(m)?
        } else {
            JsonArgs::default()
        };
        Ok(Flags {
            source: if self.source {
                Some(SourceArgs::from_arg_matches(m)?)
            } else {
                None
            },
            json: view.json,
            compact: view.compact,
            breakdown: rows.breakdown,
            by: rows.by,
            order: rows.order,
        })
    }
}

/// The options of the commands that have their own.
#[derive(Debug)]
pub enum CommandArgs {
    None,
    Card(CardArgs),
    Html(HtmlArgs),
    Wrapped(WrappedArgs),
    Session(SessionArgs),
    Opus(OpusArgs),
    Weekly(WeeklyArgs),
    Blocks(BlocksArgs),
    Completions(CompletionsArgs),
    Ledger(LedgerArgs),
    Statusline(StatuslineArgs),
    Watch(WatchArgs),
}

#[derive(Debug, Args)]
pub struct CardArgs {
    /// The 7-day recap edition, with the change against the week before.
    #[arg(long)]
    pub weekly: bool,
    /// Plain ASCII instead of box drawing (automatic when the locale is not UTF-8).
    #[arg(long)]
    pub ascii: bool,
    /// Name the top projects (their last path component only).
    #[arg(long)]
    pub show_projects: bool,
    /// Also write the card as a 1200×630 SVG to this file (a directory: ccrecap-card-<date>.svg
    /// inside it; `-`: stdout, instead of the terminal card).
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    #[command(flatten)]
    pub file: FileArgs,
}

#[derive(Debug, Args)]
pub struct HtmlArgs {
    /// Where to write it (default: ccrecap-<until-date>.html in this directory; a
    /// directory: that name inside it; `-`: stdout).
    #[arg(long, short = 'O', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Show full paths and project directories instead of their last component.
    #[arg(long)]
    pub show_paths: bool,
    /// Show prompt text, task descriptions, commands, search patterns and error
    /// messages.
    #[arg(long)]
    pub show_prompts: bool,
    /// Add a drill-down section (per-call context chart, turns, sub-agent tree, events)
    /// for each of the N sessions with the most tokens in the window.
    #[arg(long, value_name = "N")]
    pub sessions: Option<usize>,
    /// Add a drill-down section for this session (its id or a unique prefix). Without
    /// --sessions, write a shareable page of this session alone.
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    #[command(flatten)]
    pub file: FileArgs,
}

#[derive(Debug, Args)]
pub struct WrappedArgs {
    /// The calendar year to review, in --timezone (default: this year).
    #[arg(long, value_name = "YYYY", value_parser = parse_year)]
    pub year: Option<i32>,
    /// Where to write the HTML page (default: ccrecap-wrapped-<year>.html in this
    /// directory; a directory: that name inside it; `-`: stdout).
    #[arg(long, short = 'O', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Where to write the 1200×630 SVG card (default: ccrecap-wrapped-<year>.svg in this
    /// directory; a directory: that name inside it; `-`: stdout).
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Name projects by their working directories instead of their display names.
    #[arg(long)]
    pub show_paths: bool,
    #[command(flatten)]
    pub file: FileArgs,
}

#[derive(Debug, Args)]
pub struct SessionArgs {
    /// One session's timeline, turn by turn: its id, or a unique prefix of it.
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// With --id: show only the N turns with the most API value (in time order).
    #[arg(long, value_name = "N", requires = "id")]
    pub turns: Option<usize>,
    /// With --id: show prompt text, task descriptions, commands, search patterns and
    /// error messages.
    #[arg(long, requires = "id")]
    pub show_prompts: bool,
    /// With --id: show full paths instead of their last component.
    #[arg(long, requires = "id")]
    pub show_paths: bool,
    /// With --id: never page the timeline (on a terminal it goes through $PAGER, or
    /// `less`, which quits at once when it fits the screen).
    #[arg(long, requires = "id")]
    pub no_pager: bool,
}

// The options of the commands that write a file (a plain comment: a doc comment here
// would become the `about` of every command that takes it).
#[derive(Debug, Args)]
pub struct FileArgs {
    /// Permission bits of the file written, in octal (default 0600). A device, a FIFO or
    /// stdout keeps its own.
    #[arg(long, value_name = "MODE", value_parser = parse_file_mode)]
    pub file_mode: Vec<u32>,
}

#[derive(Debug, Args)]
pub struct OpusArgs {
    /// Print a suggested Claude Code settings snippet instead of the report.
    #[arg(long)]
    pub export_config: bool,
}

#[derive(Debug, Args)]
pub struct WeeklyArgs {
    /// First day of the week.
    #[arg(long, short = 'w', value_enum, default_value_t = WeekStart::Sunday, global = false)]
    pub start_of_week: WeekStart,
}

#[derive(Debug, Args)]
pub struct LedgerArgs {
    #[command(subcommand)]
    pub action: LedgerAction,
}

// What `ccrecap ledger` does (plain comments on the option groups: a doc comment would
// become the `about` of every command that takes them).
#[derive(Debug, Subcommand)]
pub enum LedgerAction {
    /// Append the responses the ledger lacks (reads only files changed since the last run).
    Update {
        /// Keep projects' directory names (their encoded full paths) in the records.
        #[arg(long)]
        show_paths: bool,
        /// Print a Claude Code SessionEnd hook and a cron line that run the update, instead.
        #[arg(long)]
        print_hook: bool,
    },
    /// Coverage by month and machine, and the size on disk.
    Status,
}

// Which ledgers reports read (plain comments, as for `--mode`: a doc comment would become
// the `about` of the commands that flatten it).
#[derive(Debug, Args, Clone, Default)]
pub struct LedgerSourceArgs {
    /// Also read this ledger directory, e.g. one copied from another machine (repeatable;
    /// `ledger update` and `ledger status` work on the first one given).
    #[arg(long = "ledger", value_name = "PATH")]
    pub ledgers: Vec<PathBuf>,
    /// Do not read this machine's ledger (ledgers given with --ledger are still read).
    #[arg(long)]
    pub no_ledger: bool,
    /// Only this machine's responses in reports; with `ledger update`, the label its
    /// records get (default: the host name).
    #[arg(long, value_name = "NAME")]
    pub machine: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: ShellArg,
}

#[derive(Debug, Args)]
pub struct StatuslineArgs {
    /// Segments, in order (comma-separated; default: all).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "LIST")]
    pub format: Vec<SegmentArg>,
    /// Print the settings.json snippet that makes this Claude Code's status line.
    #[arg(long)]
    pub print_config: bool,
    /// Do not record quota snapshots in the state file (also CCRECAP_NO_RECORD=1).
    #[arg(long, env = "CCRECAP_NO_RECORD", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_record: bool,
}

/// The segments of `ccrecap statusline --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SegmentArg {
    Model,
    Session,
    Today,
    Block,
    #[value(name = "5h")]
    FiveHour,
    #[value(name = "7d")]
    SevenDay,
    Cache,
}

impl From<SegmentArg> for Segment {
    fn from(s: SegmentArg) -> Segment {
        match s {
            SegmentArg::Model => Segment::Model,
            SegmentArg::Session => Segment::Session,
            SegmentArg::Today => Segment::Today,
            SegmentArg::Block => Segment::Block,
            SegmentArg::FiveHour => Segment::FiveHour,
            SegmentArg::SevenDay => Segment::SevenDay,
            SegmentArg::Cache => Segment::Cache,
        }
    }
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// What to watch: the summary's top (default) or the active block.
    #[arg(value_enum)]
    pub view: Option<WatchView>,
    /// Seconds between redraws (at least 0.1).
    #[arg(long, default_value_t = 5.0, value_name = "SECS")]
    pub interval: f64,
    /// Exit after N redraws.
    #[arg(long, value_name = "N")]
    pub ticks: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum WatchView {
    Summary,
    Blocks,
}

/// How clap adds a command's own options, and reads them back.
type OwnArgs = (
    fn(clap::Command) -> clap::Command,
    fn(&ArgMatches) -> Result<CommandArgs, clap::Error>,
);

impl CommandArgs {
    /// The options of the command called `name`, if it has any.
    fn of(name: &str) -> Option<OwnArgs> {
        Some(match name {
            "card" => (CardArgs::augment_args, |m| {
                CardArgs::from_arg_matches(m).map(CommandArgs::Card)
            }),
            "html" => (HtmlArgs::augment_args, |m| {
                HtmlArgs::from_arg_matches(m).map(CommandArgs::Html)
            }),
            "wrapped" => (WrappedArgs::augment_args, |m| {
                WrappedArgs::from_arg_matches(m).map(CommandArgs::Wrapped)
            }),
            "session" => (SessionArgs::augment_args, |m| {
                SessionArgs::from_arg_matches(m).map(CommandArgs::Session)
            }),
            "opus" => (OpusArgs::augment_args, |m| {
                OpusArgs::from_arg_matches(m).map(CommandArgs::Opus)
            }),
            "weekly" => (WeeklyArgs::augment_args, |m| {
                WeeklyArgs::from_arg_matches(m).map(CommandArgs::Weekly)
            }),
            "blocks" => (BlocksArgs::augment_args, |m| {
                BlocksArgs::from_arg_matches(m).map(CommandArgs::Blocks)
            }),
            "ledger" => (LedgerArgs::augment_args, |m| {
                LedgerArgs::from_arg_matches(m).map(CommandArgs::Ledger)
            }),
            "completions" => (CompletionsArgs::augment_args, |m| {
                CompletionsArgs::from_arg_matches(m).map(CommandArgs::Completions)
            }),
            "statusline" => (StatuslineArgs::augment_args, |m| {
                StatuslineArgs::from_arg_matches(m).map(CommandArgs::Statusline)
            }),
            "watch" => (WatchArgs::augment_args, |m| {
                WatchArgs::from_arg_matches(m).map(CommandArgs::Watch)
            }),
            _ => return None,
        })
    }
}

/// One clap subcommand per registry command, in registry order, with its help line, its
/// own options and the common options it takes (`Groups`; `--mode` with the data options).
impl Subcommand for Command {
    fn augment_subcommands(cmd: clap::Command) -> clap::Command {
        command::COMMANDS
            .iter()
            .filter(|s| !s.name.is_empty())
            .fold(cmd, |cmd, spec| {
                cmd.subcommand(Groups::of(spec).augment(own(spec)))
            })
    }

    fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_subcommands(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        !name.is_empty() && command::find(name).is_some()
    }
}

impl FromArgMatches for Command {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let Some((name, sub)) = matches.subcommand() else {
            return Err(clap::Error::new(ErrorKind::MissingSubcommand));
        };
        let spec = command::find(name)
            .filter(|s| !s.name.is_empty())
            .ok_or_else(|| clap::Error::new(ErrorKind::InvalidSubcommand))?;
        let args = match CommandArgs::of(name) {
            Some((_, read)) => read(sub)?,
            None => CommandArgs::None,
        };
        let flags = Groups::of(spec).read(sub)?;
        Ok(Command { spec, args, flags })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

/// A registry command with its help line and only the options of its own.
fn own(spec: &Spec) -> clap::Command {
    let sub = clap::Command::new(spec.name).about(spec.about);
    match CommandArgs::of(spec.name) {
        Some((augment, _)) => augment(sub),
        None => sub,
    }
}

/// Every subcommand as the man page describes it, in `--help` order: its own options
/// (with `--breakdown` and `--order` for the usage tables), and which of the full
/// report's options it also takes.
pub fn for_man() -> Vec<(clap::Command, &'static str)> {
    command::COMMANDS
        .iter()
        .filter(|s| !s.name.is_empty())
        .map(man_entry)
        .collect()
}

fn man_entry(spec: &Spec) -> (clap::Command, &'static str) {
    let g = Groups::of(spec);
    let cmd = if g.rows {
        RowArgs::augment_args(own(spec))
    } else {
        own(spec)
    };
    let common = match (g.source, g.json) {
        (false, _) => "It reads no transcripts and takes no other options.",
        (true, false) => "It also takes the options above, except --json, --compact and --plan.",
        (true, true) => "It also takes the options above, except --plan.",
    };
    (cmd, common)
}

/// The shells `ccrecap completions` writes scripts for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

impl From<ShellArg> for Shell {
    fn from(s: ShellArg) -> Shell {
        match s {
            ShellArg::Bash => Shell::Bash,
            ShellArg::Zsh => Shell::Zsh,
            ShellArg::Fish => Shell::Fish,
            ShellArg::Powershell => Shell::Powershell,
        }
    }
}

#[derive(Debug, Args, Clone, Default, PartialEq)]
pub struct BlocksArgs {
    /// Show only the active block.
    #[arg(long, short = 'a')]
    pub active: bool,
    /// Show only blocks from the last 3 days (and the active one).
    #[arg(long, short = 'r')]
    pub recent: bool,
    /// Block length in hours.
    #[arg(long, short = 'n', default_value_t = 5.0)]
    pub session_length: f64,
}

// The options of every command that reads transcripts (and of the full report): where
// to read, which window, which zone, how costs are taken, what to print besides the
// report.
#[derive(Debug, Args, Clone, Default)]
pub struct SourceArgs {
    /// First day to include (YYYY-MM-DD or YYYYMMDD, local date, inclusive).
    #[arg(long, short = 's', value_name = "DATE")]
    pub since: Option<String>,
    /// Last day to include (YYYY-MM-DD or YYYYMMDD, local date, inclusive).
    #[arg(long, short = 'u', value_name = "DATE")]
    pub until: Option<String>,
    /// The N days ending at --until (or today), N from 1 to 36500.
    #[arg(
        long,
        short = 'd',
        value_name = "N",
        conflicts_with = "since",
        allow_hyphen_values = true
    )]
    pub days: Option<String>,
    /// Read all history (the default for usage tables; the summary and analyzers default
    /// to the last 30 days).
    #[arg(long, conflicts_with_all = ["since", "days"])]
    pub all: bool,
    /// Time zone for dates and times (IANA name, e.g. Europe/Berlin; default: the
    /// system's).
    #[arg(long, short = 'z', value_name = "IANA")]
    pub timezone: Option<String>,
    /// Only this project: its name as reports show it (e.g. etl_jobs), its working
    /// directory, or its directory under projects/ (e.g. -Users-me-etl-jobs).
    #[arg(long, short = 'p', value_name = "PROJECT", allow_hyphen_values = true)]
    pub project: Option<String>,
    /// A Claude config dir or its projects/ dir to read (repeatable; overrides
    /// CLAUDE_CONFIG_DIR and the defaults).
    #[arg(long, value_name = "PATH")]
    pub claude_dir: Vec<PathBuf>,
    /// Run on the small demo history bundled in the binary.
    #[arg(long)]
    pub demo: bool,
    #[command(flatten)]
    pub ledger: LedgerSourceArgs,
    /// Cost source: auto (costUSD recorded in old transcripts, else the price table),
    /// calculate (always the price table), display (recorded costUSD only).
    // Not a clap global (no option here is): `--mode calculate daily --mode display` must
    // be seen as the conflict it is (`config::one_value`).
    #[arg(long, short = 'm', value_enum, value_name = "MODE")]
    pub mode: Vec<CostModeArg>,
    /// Colour: auto (a terminal, unless NO_COLOR), always, never.
    #[arg(long, value_enum, value_name = "WHEN")]
    pub color: Option<ColorChoice>,
    /// Print only the report: no notes on stderr, no progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Exit with status 3 when anything was skipped (a malformed or unfinished line, an
    /// unreadable file or directory), after printing the report.
    #[arg(long)]
    pub strict: bool,
    /// Longest line to read, in MiB; longer lines are skipped and counted.
    #[arg(long, value_name = "MIB", hide = true)]
    pub max_line_mib: Option<usize>,
    /// Pin "now" (RFC 3339) for reproducible output.
    #[arg(long, hide = true, value_name = "RFC3339")]
    pub now: Option<String>,
}

// `--json` and `--compact`, for commands that print a report.
#[derive(Debug, Args, Clone, Copy, Default)]
pub struct JsonArgs {
    /// Print JSON instead of the terminal view.
    #[arg(long, short = 'j')]
    pub json: bool,
    /// Narrow tables: hide their detail columns (a note under each table names them), as
    /// a terminal too narrow for every column does. Every column is in --json.
    #[arg(long)]
    pub compact: bool,
}

// The options of the usage tables (daily, weekly, monthly, session).
#[derive(Debug, Args, Clone, Copy, Default)]
pub struct RowArgs {
    /// Show a row per model under each period or session.
    #[arg(long, short = 'b')]
    pub breakdown: bool,
    /// Also a row per git branch, plugin, skill or MCP server under each period or
    /// session.
    #[arg(long, value_enum, value_name = "FIELD")]
    pub by: Option<ByArg>,
    /// Row order: asc or desc (by date; sessions by cost).
    #[arg(long, short = 'o', value_enum)]
    pub order: Option<OrderArg>,
}

// `--plan`, for the summary.
#[derive(Debug, Args, Clone, Copy, Default)]
pub struct PlanArgs {
    /// How to frame numbers: api (lead with dollars) or a subscription plan (pro, max5,
    /// max20: lead with token shares, dollars only as "API value"). Also CCRECAP_PLAN.
    #[arg(long, value_enum, env = "CCRECAP_PLAN")]
    pub plan: Option<PlanArg>,
}

/// Every common option, merged from where they were given (`Cli::common`).
#[derive(Debug, Clone)]
pub struct Common {
    pub json: bool,
    pub compact: bool,
    pub since: Option<String>,
    pub until: Option<String>,
    pub days: Option<String>,
    pub all: bool,
    pub timezone: Option<String>,
    pub project: Option<String>,
    pub breakdown: bool,
    pub by: Option<ByArg>,
    pub claude_dir: Vec<PathBuf>,
    pub color: ColorChoice,
    pub quiet: bool,
    pub strict: bool,
    pub demo: bool,
    pub mode: Vec<CostModeArg>,
    pub plan: Option<PlanArg>,
    pub order: OrderArg,
    pub max_line_mib: usize,
    pub now: Option<String>,
    pub ledger: LedgerSourceArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Branch,
    Plugin,
    Skill,
    Mcp,
}

impl From<ByArg> for By {
    fn from(b: ByArg) -> By {
        match b {
            ByArg::Branch => By::Branch,
            ByArg::Plugin => By::Plugin,
            ByArg::Skill => By::Skill,
            ByArg::Mcp => By::Mcp,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `--file-mode`: three or four octal digits, at most 0777.
fn parse_file_mode(s: &str) -> Result<u32, String> {
    let octal = (3..=4).contains(&s.len()) && s.bytes().all(|b| (b'0'..=b'7').contains(&b));
    match u32::from_str_radix(s, 8) {
        Ok(m) if octal && m <= 0o777 => Ok(m),
        _ => Err("expected an octal permission mode such as 0644 or 600".into()),
    }
}

/// The first year `--year` takes: transcripts hold no earlier dates.
pub const FIRST_YEAR: i32 = 2000;

/// `--year`: four digits, from `FIRST_YEAR` to 9999.
fn parse_year(s: &str) -> Result<i32, String> {
    match s.trim().parse::<i32>() {
        Ok(y) if s.trim().len() == 4 && (FIRST_YEAR..=9999).contains(&y) => Ok(y),
        _ => Err(format!(
            "expected a calendar year such as 2026 (four digits, {FIRST_YEAR} or later)"
        )),
    }
}

/// `--mode` cost sources (their names are `CostMode::name`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CostModeArg {
    Auto,
    Calculate,
    Display,
}

impl From<CostModeArg> for CostMode {
    fn from(m: CostModeArg) -> CostMode {
        match m {
            CostModeArg::Auto => CostMode::Auto,
            CostModeArg::Calculate => CostMode::Calculate,
            CostModeArg::Display => CostMode::Display,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlanArg {
    Api,
    Pro,
    Max5,
    Max20,
}

impl From<PlanArg> for Plan {
    fn from(p: PlanArg) -> Plan {
        match p {
            PlanArg::Api => Plan::Api,
            PlanArg::Pro => Plan::Pro,
            PlanArg::Max5 => Plan::Max5,
            PlanArg::Max20 => Plan::Max20,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum OrderArg {
    #[default]
    Asc,
    Desc,
}

impl From<OrderArg> for Order {
    fn from(o: OrderArg) -> Order {
        match o {
            OrderArg::Asc => Order::Asc,
            OrderArg::Desc => Order::Desc,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum WeekStart {
    Sunday,
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
}

impl From<WeekStart> for Weekday {
    fn from(w: WeekStart) -> Weekday {
        match w {
            WeekStart::Sunday => Weekday::Sun,
            WeekStart::Monday => Weekday::Mon,
            WeekStart::Tuesday => Weekday::Tue,
            WeekStart::Wednesday => Weekday::Wed,
            WeekStart::Thursday => Weekday::Thu,
            WeekStart::Friday => Weekday::Fri,
            WeekStart::Saturday => Weekday::Sat,
        }
    }
}
