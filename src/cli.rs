//! Command-line types (clap). With `shell.rs` the only code that knows clap: the
//! subcommands come from the command registry (`command::COMMANDS`, which holds their
//! names and help lines); the options, global and per command, are declared here, and
//! their doc comments are the `--help` text. Clap's value enums are mapped onto the plain
//! types of `options`; `config.rs` turns a `Cli` into a resolved `Config`.

use crate::command::{self, Spec};
use crate::options::{By, CostMode, Order, Plan, Shell};
use chrono::Weekday;
use clap::error::ErrorKind;
use clap::{ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Where did my Claude Code quota go? One-shot reports over local transcripts.
#[derive(Debug, Parser)]
#[command(name = "ccrecap", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub common: Common,
}

/// The subcommand given: a registry command, and the options of its own that clap parsed.
#[derive(Debug)]
pub struct Command {
    pub spec: &'static Spec,
    pub args: CommandArgs,
    /// `--mode` given after the subcommand's name.
    pub cost: CostModeArgs,
}

/// The options of the commands that have their own.
#[derive(Debug)]
pub enum CommandArgs {
    None,
    Card(CardArgs),
    Html(HtmlArgs),
    Opus(OpusArgs),
    Weekly(WeeklyArgs),
    Blocks(BlocksArgs),
    Completions(CompletionsArgs),
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
    #[command(flatten)]
    pub file: FileArgs,
}

// The options of the commands that write a file (a plain comment, as for `CostModeArgs`).
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
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: ShellArg,
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
            "opus" => (OpusArgs::augment_args, |m| {
                OpusArgs::from_arg_matches(m).map(CommandArgs::Opus)
            }),
            "weekly" => (WeeklyArgs::augment_args, |m| {
                WeeklyArgs::from_arg_matches(m).map(CommandArgs::Weekly)
            }),
            "blocks" => (BlocksArgs::augment_args, |m| {
                BlocksArgs::from_arg_matches(m).map(CommandArgs::Blocks)
            }),
            "completions" => (CompletionsArgs::augment_args, |m| {
                CompletionsArgs::from_arg_matches(m).map(CommandArgs::Completions)
            }),
            _ => return None,
        })
    }
}

/// One clap subcommand per registry command, in registry order, with its help line, its
/// own options and `--mode`.
impl Subcommand for Command {
    fn augment_subcommands(cmd: clap::Command) -> clap::Command {
        command::COMMANDS
            .iter()
            .filter(|s| !s.name.is_empty())
            .fold(cmd, |cmd, spec| {
                let sub = clap::Command::new(spec.name).about(spec.about);
                let sub = match CommandArgs::of(spec.name) {
                    Some((augment, _)) => augment(sub),
                    None => sub,
                };
                cmd.subcommand(CostModeArgs::augment_args(sub))
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
        let cost = CostModeArgs::from_arg_matches(sub)?;
        Ok(Command { spec, args, cost })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
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

#[derive(Debug, Args)]
pub struct Common {
    /// Print JSON instead of a table.
    #[arg(long, short = 'j', global = true)]
    pub json: bool,
    /// First day to include (YYYY-MM-DD or YYYYMMDD, local date, inclusive).
    #[arg(long, short = 's', global = true, value_name = "DATE")]
    pub since: Option<String>,
    /// Last day to include (YYYY-MM-DD or YYYYMMDD, local date, inclusive).
    #[arg(long, short = 'u', global = true, value_name = "DATE")]
    pub until: Option<String>,
    /// The N days ending at --until (or today).
    #[arg(
        long,
        short = 'd',
        global = true,
        value_name = "N",
        conflicts_with = "since"
    )]
    pub days: Option<u32>,
    /// Read all history (the default for usage reports; analyzers default to 30 days).
    #[arg(long, global = true, conflicts_with_all = ["since", "days"])]
    pub all: bool,
    /// Time zone for dates (IANA name, e.g. Europe/Berlin; default: the system's).
    #[arg(long, short = 'z', global = true, value_name = "IANA")]
    pub timezone: Option<String>,
    /// Only this project (its directory name under projects/, e.g. -Users-me-app).
    #[arg(long, short = 'p', global = true, value_name = "NAME")]
    pub project: Option<String>,
    /// Show a row per model under each period.
    #[arg(long, short = 'b', global = true)]
    pub breakdown: bool,
    /// Also a row per git branch, plugin, skill or MCP server under each period or session
    /// (daily, weekly, monthly, session).
    #[arg(long, global = true, value_enum, value_name = "FIELD")]
    pub by: Option<ByArg>,
    /// A Claude config dir or its projects/ dir to read (repeatable; overrides
    /// CLAUDE_CONFIG_DIR and the defaults).
    #[arg(long, global = true, value_name = "PATH")]
    pub claude_dir: Vec<PathBuf>,
    /// Colour: auto (a terminal, unless NO_COLOR), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only the report: no warnings footer, no progress bar.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// Exit with status 3 when anything was skipped (a malformed or pending line, an
    /// unreadable file or directory), after printing the report.
    #[arg(long, global = true)]
    pub strict: bool,
    /// Run on the small demo history bundled in the binary.
    #[arg(long, global = true)]
    pub demo: bool,
    #[command(flatten)]
    pub cost: CostModeArgs,
    /// How to frame numbers: api (lead with dollars) or a subscription plan (pro, max5,
    /// max20: lead with token shares, dollars only as "API value"). Also CCRECAP_PLAN.
    #[arg(long, global = true, value_enum, env = "CCRECAP_PLAN")]
    pub plan: Option<PlanArg>,
    /// Row order.
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = OrderArg::Asc)]
    pub order: OrderArg,
    /// Longest line to read, in MiB; longer lines are skipped and counted.
    #[arg(
        long,
        global = true,
        default_value_t = 256,
        value_name = "MIB",
        hide = true
    )]
    pub max_line_mib: usize,
    /// Pin "now" (RFC 3339) for reproducible output.
    #[arg(long, global = true, hide = true, value_name = "RFC3339")]
    pub now: Option<String>,
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

// `--mode`, on the top level and on every subcommand alike. Not a clap global: a global's
// values after the subcommand replace those before it, and `--mode calculate daily --mode
// display` must be seen as the conflict it is. (Plain comments: a doc comment here would
// become the `about` of every command that takes these options.)
#[derive(Debug, Args)]
pub struct CostModeArgs {
    /// Cost source: auto (costUSD recorded in old transcripts, else the price table),
    /// calculate (always the price table), display (recorded costUSD only).
    #[arg(long, short = 'm', value_enum, value_name = "MODE")]
    pub mode: Vec<CostModeArg>,
}

/// `--file-mode`: three or four octal digits, at most 0777.
fn parse_file_mode(s: &str) -> Result<u32, String> {
    let octal = (3..=4).contains(&s.len()) && s.bytes().all(|b| (b'0'..=b'7').contains(&b));
    match u32::from_str_radix(s, 8) {
        Ok(m) if octal && m <= 0o777 => Ok(m),
        _ => Err("expected an octal permission mode such as 0644 or 600".into()),
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
