//! The resolved choices a run is made with, as plain types: how costs are taken, row
//! order, the plan numbers are framed for, and the options of individual commands. `cli.rs`
//! maps its clap values onto these; every layer below `config` reads them and never sees
//! clap. No logic beyond naming a value.

use chrono::Weekday;
use serde::Serialize;
use std::path::PathBuf;

/// Where costs come from (`--mode`). Serialized as `auto`, `calculate`, `display`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CostMode {
    /// `costUSD` recorded by old transcripts, else the price table.
    #[default]
    Auto,
    /// Always the price table.
    Calculate,
    /// Recorded `costUSD` only.
    Display,
}

impl CostMode {
    /// The name the user types and JSON carries.
    pub fn name(self) -> &'static str {
        match self {
            CostMode::Auto => "auto",
            CostMode::Calculate => "calculate",
            CostMode::Display => "display",
        }
    }
}

/// Row order of the usage tables (`--order`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    #[default]
    Asc,
    Desc,
}

/// How to frame numbers (`--plan`): API billing leads with dollars, a subscription with
/// token shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    Api,
    Pro,
    Max5,
    Max20,
}

/// The shells `ccrecap completions` writes scripts for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shell {
    #[default]
    Bash,
    Zsh,
    Fish,
    Powershell,
}

/// `--by`: which attribution field the usage rollups break each row down by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Branch,
    Plugin,
    Skill,
    Mcp,
}

/// `ccrecap blocks`: which blocks, and how long one is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BlocksOptions {
    /// Only the active block.
    pub active_only: bool,
    /// Only blocks that started in the last 3 days (and the active one).
    pub recent_only: bool,
    /// Block length in hours.
    pub hours: f64,
}

impl Default for BlocksOptions {
    fn default() -> Self {
        BlocksOptions {
            active_only: false,
            recent_only: false,
            hours: 5.0,
        }
    }
}

/// `ccrecap card`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CardOptions {
    /// The 7-day edition with the change against the week before.
    pub weekly: bool,
    /// Plain ASCII instead of box drawing.
    pub ascii: bool,
    /// Name the top projects (last path component).
    pub show_projects: bool,
    /// Also write the card as SVG here.
    pub svg: Option<PathBuf>,
}

/// `ccrecap html`: where to write, and what the shareable page may show.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HtmlOptions {
    /// None: `ccrecap-<until>.html` in the current directory.
    pub output: Option<PathBuf>,
    pub show_paths: bool,
    pub show_prompts: bool,
    /// `--sessions N`: drill-down sections for the N heaviest sessions of the window.
    pub sessions: usize,
    /// `--session ID`: a drill-down section for this session (alone: a page of its own).
    pub session: Option<String>,
}

/// `ccrecap wrapped`: the year, and where its page and card go.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WrappedOptions {
    /// None: the current year.
    pub year: Option<i32>,
    /// The HTML page (None: `ccrecap-wrapped-<year>.html` in the current directory).
    pub output: Option<PathBuf>,
    /// The SVG card (None: `ccrecap-wrapped-<year>.svg` in the current directory).
    pub svg: Option<PathBuf>,
    pub show_paths: bool,
}

/// `ccrecap session --id`: one session's timeline.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SessionOptions {
    /// The session's id or a unique prefix of it.
    pub id: Option<String>,
    /// Show only the N turns with the most API value.
    pub turns: Option<usize>,
    pub show_paths: bool,
    pub show_prompts: bool,
    /// Page a long timeline on a terminal (`--no-pager` turns it off).
    pub pager: bool,
}

/// The options of individual commands. Each command reads the ones that are its own; the
/// rest keep their defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct CommandOptions {
    /// `weekly`: the first day of a week.
    pub week_start: Weekday,
    pub blocks: BlocksOptions,
    pub card: CardOptions,
    pub html: HtmlOptions,
    pub session: SessionOptions,
    pub wrapped: WrappedOptions,
    /// `opus --export-config`: the settings snippet instead of the report.
    pub export_config: bool,
    /// `completions`: the shell.
    pub shell: Shell,
    /// `ledger`: what to do.
    pub ledger: LedgerAction,
    pub statusline: StatuslineOptions,
    pub watch: WatchOptions,
    /// Quota snapshots: the state file, and whether a statusline call may append to it.
    pub state_file: Option<PathBuf>,
    pub record: bool,
}

/// What `ccrecap ledger` does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LedgerAction {
    #[default]
    Status,
    Update {
        show_paths: bool,
    },
    PrintHook,
}

/// Which ledgers a run reads and writes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LedgerSources {
    /// This machine's ledger (None: `--no-ledger`, or no data directory).
    pub default: Option<PathBuf>,
    /// `--ledger` directories.
    pub extra: Vec<PathBuf>,
    /// `--machine`: only this machine's responses.
    pub machine: Option<String>,
    /// The label `ledger update` gives records.
    pub label: String,
}

impl LedgerSources {
    /// Every ledger to read.
    pub fn all(&self) -> Vec<PathBuf> {
        self.default.iter().chain(&self.extra).cloned().collect()
    }

    /// The ledger `ledger update` and `ledger status` work on: the first `--ledger`, else
    /// this machine's.
    pub fn target(&self) -> Option<PathBuf> {
        self.extra.first().or(self.default.as_ref()).cloned()
    }
}

impl CommandOptions {
    /// The session a drill-down is asked for (`session --id`, `html --session`).
    pub fn session_id(&self) -> Option<&str> {
        self.session.id.as_deref().or(self.html.session.as_deref())
    }

    /// Whether the command runs on one session found by its id rather than on the window:
    /// `session --id`, and `html --session` without `--sessions`.
    pub fn by_id(&self) -> bool {
        self.session.id.is_some() || (self.html.session.is_some() && self.html.sessions == 0)
    }

    /// Whether shareable outputs show full paths, and prompt text (whichever command's
    /// flags were given).
    pub fn show_paths(&self) -> bool {
        self.html.show_paths || self.session.show_paths || self.wrapped.show_paths
    }

    pub fn show_prompts(&self) -> bool {
        self.html.show_prompts || self.session.show_prompts
    }
}

impl Default for CommandOptions {
    fn default() -> Self {
        CommandOptions {
            week_start: Weekday::Sun,
            blocks: BlocksOptions::default(),
            card: CardOptions::default(),
            html: HtmlOptions::default(),
            session: SessionOptions::default(),
            wrapped: WrappedOptions::default(),
            export_config: false,
            shell: Shell::default(),
            ledger: LedgerAction::default(),
            statusline: StatuslineOptions::default(),
            watch: WatchOptions::default(),
            state_file: None,
            record: true,
        }
    }
}

/// A segment of `ccrecap statusline`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    Model,
    Session,
    Today,
    Block,
    FiveHour,
    SevenDay,
    Cache,
}

impl Segment {
    /// The default line, in order.
    pub const ALL: [Segment; 7] = [
        Segment::Model,
        Segment::Session,
        Segment::Today,
        Segment::Block,
        Segment::FiveHour,
        Segment::SevenDay,
        Segment::Cache,
    ];
}

/// `ccrecap statusline`.
#[derive(Clone, Debug, PartialEq)]
pub struct StatuslineOptions {
    pub segments: Vec<Segment>,
    /// Print the settings.json snippet instead.
    pub print_config: bool,
}

impl Default for StatuslineOptions {
    fn default() -> Self {
        StatuslineOptions {
            segments: Segment::ALL.to_vec(),
            print_config: false,
        }
    }
}

/// `ccrecap watch`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WatchOptions {
    /// Seconds between redraws.
    pub interval: f64,
    /// Exit after this many redraws.
    pub ticks: Option<u64>,
    /// The active block only (`watch blocks`), instead of the summary's top.
    pub blocks: bool,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            interval: 5.0,
            ticks: None,
            blocks: false,
        }
    }
}
