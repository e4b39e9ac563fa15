//! Command-line types (clap derive). The only file that knows clap; `config.rs` turns a
//! `Cli` into a resolved `Config`. Doc comments here are the `--help` text.

use clap::{Args, Parser, Subcommand, ValueEnum};
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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// What your tokens paid for: re-reading cached context vs cache writes vs new work,
    /// per turn, recurring inclusions, cache efficiency, /compact candidates (last 30 days
    /// unless a window is given).
    Context,
    /// Who spent the tokens: every sub-agent run with its cost, rollups per agent type ×
    /// model and per session, right-sizing flags (last 30 days unless a window is given).
    Subagents,
    /// A pasteable quota card (at most 60 columns): efficiency tier, composition, model mix,
    /// streaks, cache hit rate, sub-agent share, the Opus-audit line.
    Card {
        /// The 7-day recap edition, with the change against the week before.
        #[arg(long)]
        weekly: bool,
        /// Plain ASCII instead of box drawing (automatic when the locale is not UTF-8).
        #[arg(long)]
        ascii: bool,
        /// Name the top projects (their last path component only).
        #[arg(long)]
        show_projects: bool,
        /// Also write the card as a 1200×630 SVG to this file.
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
    },
    /// A self-contained, shareable HTML recap (last 7 days unless a window is given):
    /// one offline file with charts, no network requests, paths shortened and prompt
    /// text hidden unless asked.
    Html {
        /// Where to write it (default: ccrecap-<until-date>.html in this directory).
        #[arg(long, short = 'O', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Show full paths and project directories instead of their last component.
        #[arg(long)]
        show_paths: bool,
        /// Show prompt text, task descriptions, commands, search patterns and error
        /// messages.
        #[arg(long)]
        show_prompts: bool,
    },
    /// What happened besides tokens: tools, errors, latency, skills, code changes,
    /// sessions and repositories (last 30 days unless a window is given).
    Activity,
    /// Which Opus turns were Sonnet-shaped, and how much Opus quota they took (last 30 days
    /// unless a window is given).
    Opus {
        /// Print a suggested Claude Code settings snippet instead of the report.
        #[arg(long)]
        export_config: bool,
    },
    /// Usage and cost per day (ccusage-compatible JSON).
    Daily,
    /// Usage and cost per week.
    Weekly {
        /// First day of the week.
        #[arg(long, short = 'w', value_enum, default_value_t = WeekStart::Sunday, global = false)]
        start_of_week: WeekStart,
    },
    /// Usage and cost per month.
    Monthly,
    /// Usage and cost per session.
    Session,
    /// Usage in 5-hour billing blocks, with the active block's burn rate.
    Blocks(BlocksArgs),
    /// Print a shell completion script to stdout (e.g. `source <(ccrecap completions bash)`).
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the man page (roff) to stdout (e.g. `ccrecap man > ccrecap.1`).
    Man,
}

/// The shells `ccrecap completions` writes scripts for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
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
    /// Cost source: auto (costUSD recorded in old transcripts, else the price table),
    /// calculate (always the price table), display (recorded costUSD only). For files
    /// ccrecap writes (html, card --svg), an octal permission mode such as 0644 (default
    /// 0600). Repeatable: `--mode calculate --mode 0644`.
    #[arg(long, short = 'm', global = true, value_name = "MODE", value_parser = parse_mode)]
    pub mode: Vec<ModeArg>,
    /// How to frame numbers: api (lead with dollars) or a subscription plan (pro, max5,
    /// max20: lead with token shares, dollars only as "API value"). Also CCRECAP_PLAN.
    #[arg(long, global = true, value_enum, env = "CCRECAP_PLAN")]
    pub plan: Option<Plan>,
    /// Row order.
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = Order::Asc)]
    pub order: Order,
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
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// One `--mode` value: a cost source or a file permission mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModeArg {
    Cost(CostMode),
    File(u32),
}

fn parse_mode(s: &str) -> Result<ModeArg, String> {
    if let Ok(m) = CostMode::from_str(s, true) {
        return Ok(ModeArg::Cost(m));
    }
    let octal = s.len() >= 3 && s.len() <= 4 && s.bytes().all(|b| (b'0'..=b'7').contains(&b));
    match u32::from_str_radix(s, 8) {
        Ok(m) if octal && m <= 0o777 => Ok(ModeArg::File(m)),
        _ => Err("expected auto, calculate, display or an octal file mode such as 0644".into()),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CostMode {
    #[default]
    Auto,
    Calculate,
    Display,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    Api,
    Pro,
    Max5,
    Max20,
}

impl Plan {
    /// A subscription plan (quota), as opposed to pay-as-you-go API billing.
    pub fn is_subscription(self) -> bool {
        self != Plan::Api
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum Order {
    #[default]
    Asc,
    Desc,
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
