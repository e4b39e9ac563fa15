//! `Cli` + environment → `Config`: the command (its registry entry) and its options, data
//! roots resolved and checked, the date window, the time zone, "now", the colour decision
//! and the terminal's width. Nothing after this module sees clap or reads the environment
//! (the system zone's name aside); `lib.rs` builds each layer's options from `Config`.

use crate::cli::{self, Cli, ColorChoice, Command, CommandArgs, Common, WatchView};
use crate::command::{self, DefaultWindow, Show, Spec};
use crate::error::UserError;
use crate::options::{
    BlocksOptions, By, CardOptions, CommandOptions, CostMode, HtmlOptions, LedgerAction,
    LedgerSources, Order, Plan, SessionOptions, WatchOptions, WrappedOptions,
};
use crate::time::{Window, Zone};
use chrono::{Datelike, NaiveDate, Utc};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The demo history's fixed "now" (the end of its last generated day) and time zone, so
/// demo output never depends on today's date.
pub const DEMO_NOW: &str = "2026-11-15T23:59:59Z";

/// Where transcripts come from.
#[derive(Clone, Debug, PartialEq)]
pub enum DataSource {
    /// `projects/` directories on disk.
    Dirs(Vec<PathBuf>),
    /// The history bundled in the binary.
    Demo,
}

/// Everything a run needs, resolved.
#[derive(Clone, Debug)]
pub struct Config {
    /// The command to run (its registry entry).
    pub command: &'static Spec,
    /// The options of individual commands.
    pub options: CommandOptions,
    pub source: DataSource,
    pub window: Window,
    /// A drill-down with no window given: its window is the days its session ran on,
    /// known once the session's own files are read.
    pub window_from_session: bool,
    pub zone: Zone,
    pub now_ms: i64,
    pub json: bool,
    pub breakdown: bool,
    /// `--by`: the attribution field usage rows are broken down by.
    pub by: Option<By>,
    pub project: Option<String>,
    pub color: bool,
    /// Columns to lay stdout out in: `COLUMNS`, else the terminal's width, else (a pipe)
    /// `PIPE_WIDTH`.
    pub width: usize,
    /// The same for stderr (its notes and footer).
    pub stderr_width: usize,
    /// `--compact`: tables hide their detail columns whatever the width.
    pub compact: bool,
    pub quiet: bool,
    /// `--strict`: an incomplete report exits 3.
    pub strict: bool,
    pub cost_mode: CostMode,
    /// Permission bits of files ccrecap writes (html, card --svg: `--file-mode`).
    pub file_mode: u32,
    pub order: Order,
    pub plan: Option<Plan>,
    pub max_line: usize,
    /// Whether stderr is a terminal (progress bar).
    pub stderr_tty: bool,
    pub ledger: LedgerSources,
    /// Warnings for stderr (a window that starts in the future), printed unless `-q`.
    pub warnings: Vec<String>,
    /// The pager a session's timeline goes through on a terminal (None: none).
    pub pager: Option<String>,
}

/// Resolves the command line and environment.
pub fn resolve(cli: &Cli) -> Result<Config, UserError> {
    let c = &cli.common();
    let zone = zone(c)?;
    let now_ms = now(c)?;
    let command = cli.command.as_ref().map_or(command::full(), |cmd| cmd.spec);
    let options = command_options(cli.command.as_ref(), c)?;
    let command = match command.by_id {
        Some(one) if options.by_id() => one,
        _ => command,
    };
    let days = c.days.as_deref().map(parse_days).transpose()?;
    window_flags(c, days)?;
    let window_given = c.since.is_some() || c.until.is_some() || days.is_some() || c.all;
    let paged = matches!(command.show, Show::Detail { .. })
        && !c.json
        && options.session.pager
        && std::io::stdout().is_terminal();
    let cost_mode = one_value("--mode", &c.mode, |m| CostMode::from(m).name().to_string())?;
    let file_mode = one_value("--file-mode", file_modes(cli.command.as_ref()), |m| {
        format!("{m:04o}")
    })?;
    let today = zone.date_of(now_ms);
    let (window, warnings) = command_window(c, command, days, options.wrapped.year, today)?;
    let source = if c.demo {
        DataSource::Demo
    } else if command.show == command::Show::Statusline {
        // A status line never fails: without transcripts it shows what stdin says.
        DataSource::Dirs(roots(&c.claude_dir).unwrap_or_default())
    } else if command.reads.is_some()
        || matches!(options.ledger, LedgerAction::Update { .. }) && command.show == Show::Ledger
    {
        DataSource::Dirs(roots(&c.claude_dir)?)
    } else {
        DataSource::Dirs(Vec::new())
    };
    Ok(Config {
        window_from_session: command.window == DefaultWindow::SessionDays && !window_given,
        command,
        options,
        source,
        window,
        zone,
        now_ms,
        json: c.json,
        breakdown: c.breakdown,
        by: c.by.map(By::from),
        project: c.project.clone(),
        color: color(c.color, command.show == command::Show::Statusline),
        width: columns(Stream::Stdout),
        stderr_width: columns(Stream::Stderr),
        compact: c.compact,
        quiet: c.quiet,
        strict: c.strict,
        cost_mode: cost_mode.map(CostMode::from).unwrap_or_default(),
        file_mode: file_mode.unwrap_or(crate::write::DEFAULT_MODE),
        plan: c.plan.map(Plan::from),
        order: c.order.into(),
        max_line: c.max_line_mib.max(1).saturating_mul(1 << 20),
        stderr_tty: std::io::stderr().is_terminal(),
        ledger: ledger_sources(c),
        warnings,
        pager: paged.then(|| pager(env_pager().as_deref())).flatten(),
    })
}

/// The window the command covers (and warnings about it): the window flags given, else
/// the command's default.
fn command_window(
    c: &Common,
    command: &Spec,
    days: Option<u32>,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<(Window, Vec<String>), UserError> {
    if command.window == DefaultWindow::CalendarYear {
        let given = c.since.is_some() || c.until.is_some() || days.is_some() || c.all;
        return year_window(given, year, today);
    }
    let default_days = match command.window {
        DefaultWindow::LastDays(n) if c.since.is_none() => Some(n),
        _ => None,
    };
    let w = window(
        c.since.as_deref(),
        c.until.as_deref(),
        days.or(default_days),
        c.all,
        today,
    )?;
    let warnings = match w.since {
        Some(s) if s > today && c.since.is_some() => vec![format!(
            "--since {s} is after today ({today}): nothing can be in this window yet"
        )],
        _ => Vec::new(),
    };
    Ok((w, warnings))
}

/// The window of a command that covers one calendar year (`wrapped`): `year`, else the
/// year of `today`; a window flag is a usage error, a year after this one a warning.
fn year_window(
    window_given: bool,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<(Window, Vec<String>), UserError> {
    if window_given {
        return Err(UserError::Usage(
            "wrapped covers one calendar year: give --year YYYY instead of --since, --until, --days or --all".into(),
        ));
    }
    let y = year.unwrap_or(today.year());
    let (Some(since), Some(until)) = (
        NaiveDate::from_ymd_opt(y, 1, 1),
        NaiveDate::from_ymd_opt(y, 12, 31),
    ) else {
        return Err(UserError::Usage(format!("--year {y}: not a calendar year")));
    };
    let warnings = if y > today.year() {
        vec![format!(
            "--year {y} is after this year ({}): nothing can be in it yet",
            today.year()
        )]
    } else {
        Vec::new()
    };
    Ok((
        Window {
            since: Some(since),
            until: Some(until),
        },
        warnings,
    ))
}

/// The longest `--days` (100 years): more reaches past what a calendar can show.
pub const MAX_DAYS: u32 = 36_500;

/// `--days N`: a whole number from 1 to `MAX_DAYS`.
fn parse_days(s: &str) -> Result<u32, UserError> {
    match s.trim().parse::<i64>() {
        Ok(n) if (1..=i64::from(MAX_DAYS)).contains(&n) => Ok(n as u32),
        Ok(n) if n < 1 => Err(UserError::Usage(format!(
            "--days {n}: the window needs at least 1 day (--all reads all history)"
        ))),
        _ => Err(UserError::Usage(format!(
            "--days '{s}': expected a whole number of days from 1 to {MAX_DAYS} (--all reads all history)"
        ))),
    }
}

/// Window flags that contradict each other across the command line (clap checks them
/// within one command; `ccrecap --since X daily --days 3` spans two).
fn window_flags(c: &Common, days: Option<u32>) -> Result<(), UserError> {
    if c.all && (c.since.is_some() || days.is_some()) {
        return Err(UserError::Usage(
            "--all reads all history: drop --since and --days, or drop --all".into(),
        ));
    }
    if c.since.is_some() && days.is_some() {
        return Err(UserError::Usage(
            "--since and --days both set where the window starts: give one".into(),
        ));
    }
    Ok(())
}

/// `CCRECAP_PAGER`, else `PAGER`.
fn env_pager() -> Option<String> {
    std::env::var("CCRECAP_PAGER")
        .or_else(|_| std::env::var("PAGER"))
        .ok()
}

/// The pager to use: `CCRECAP_PAGER`, else `PAGER`, else `less` (none on Windows); an
/// empty value or `cat` means none.
fn pager(var: Option<&str>) -> Option<String> {
    match var.map(str::trim) {
        Some("" | "cat") => None,
        Some(p) => Some(p.to_string()),
        None if cfg!(windows) => None,
        None => Some("less".into()),
    }
}

/// The ledgers to read: this machine's (`CCRECAP_LEDGER_DIR`, else the data directory's
/// `ccrecap/ledger`) unless `--no-ledger` or `--demo`, and every `--ledger`.
fn ledger_sources(c: &Common) -> LedgerSources {
    let default = (!c.ledger.no_ledger && !c.demo)
        .then(|| {
            crate::ledger::default_dir(
                std::env::var_os("CCRECAP_LEDGER_DIR").map(PathBuf::from),
                dirs::data_dir(),
            )
        })
        .flatten();
    LedgerSources {
        default,
        extra: c.ledger.ledgers.clone(),
        machine: c.ledger.machine.clone(),
        label: c
            .ledger
            .machine
            .clone()
            .unwrap_or_else(crate::ledger::host_name),
    }
}

/// `--timezone`, else UTC for the demo, else the system's zone.
fn zone(c: &Common) -> Result<Zone, UserError> {
    Ok(match &c.timezone {
        Some(name) => Zone::Named(name.parse().map_err(|_| {
            UserError::Usage(format!(
                "unknown time zone '{name}' (use an IANA name such as Europe/Berlin or UTC)"
            ))
        })?),
        None if c.demo => Zone::Named(chrono_tz::UTC),
        None => Zone::Local,
    })
}

/// `--now`, else the demo's fixed "now", else the clock.
fn now(c: &Common) -> Result<i64, UserError> {
    match (&c.now, c.demo) {
        (Some(s), _) => parse_now(s),
        (None, true) => parse_now(DEMO_NOW),
        (None, false) => Ok(Utc::now().timestamp_millis()),
    }
}

/// The options of the command given (defaults for the others), checked.
fn command_options(cmd: Option<&Command>, c: &Common) -> Result<CommandOptions, UserError> {
    let mut o = CommandOptions::default();
    let Some(cmd) = cmd else {
        return Ok(o);
    };
    match &cmd.args {
        CommandArgs::None => {}
        CommandArgs::Card(a) => {
            if a.weekly && (c.all || c.since.is_some() || c.days.is_some()) {
                return Err(UserError::Usage(
                    "card --weekly is the 7 days ending at --until (or today): it takes no --all, --since or --days".into(),
                ));
            }
            if c.json && a.svg.as_deref().is_some_and(crate::write::is_stdout) {
                return Err(UserError::Usage(
                    "--svg - and --json would both go to stdout; give the SVG a file".into(),
                ));
            }
            o.card = CardOptions {
                weekly: a.weekly,
                ascii: a.ascii || !utf8_locale(),
                show_projects: a.show_projects,
                svg: a.svg.clone(),
            }
        }
        CommandArgs::Html(a) => {
            if c.json {
                return Err(UserError::Usage(
                    "html writes a file; for JSON run `ccrecap --json` (every analyzer)".into(),
                ));
            }
            o.html = HtmlOptions {
                output: a.output.clone(),
                show_paths: a.show_paths,
                show_prompts: a.show_prompts,
                sessions: a.sessions.unwrap_or(0),
                session: non_empty_id(a.session.as_deref())?,
            }
        }
        CommandArgs::Wrapped(a) => o.wrapped = wrapped_options(a, c.json)?,
        CommandArgs::Session(a) => {
            if a.turns == Some(0) {
                return Err(UserError::Usage("--turns must be at least 1".into()));
            }
            o.session = SessionOptions {
                id: non_empty_id(a.id.as_deref())?,
                turns: a.turns,
                show_paths: a.show_paths,
                show_prompts: a.show_prompts,
                pager: !a.no_pager,
            }
        }
        CommandArgs::Opus(a) => o.export_config = a.export_config,
        CommandArgs::Weekly(a) => o.week_start = a.start_of_week.into(),
        CommandArgs::Blocks(b) => {
            if !(b.session_length > 0.0 && b.session_length <= 24.0 * 7.0) {
                return Err(UserError::Usage(format!(
                    "--session-length {}: a block lasts more than 0 and at most 168 hours",
                    b.session_length
                )));
            }
            o.blocks = BlocksOptions {
                active_only: b.active,
                recent_only: b.recent,
                hours: b.session_length,
            }
        }
        CommandArgs::Completions(a) => o.shell = a.shell.into(),
        CommandArgs::Ledger(a) => {
            o.ledger = match a.action {
                cli::LedgerAction::Update {
                    print_hook: true, ..
                } => LedgerAction::PrintHook,
                cli::LedgerAction::Update { show_paths, .. } => LedgerAction::Update { show_paths },
                cli::LedgerAction::Status => LedgerAction::Status,
            }
        }
        CommandArgs::Statusline(_) | CommandArgs::Watch(_) => live_options(&cmd.args, &mut o)?,
    }
    o.state_file = state_file();
    Ok(o)
}

/// The options of `wrapped`: `--json` prints the analysis instead of writing files, and
/// only one of the two files can go to stdout.
fn wrapped_options(a: &cli::WrappedArgs, json: bool) -> Result<WrappedOptions, UserError> {
    if json && (a.output.is_some() || a.svg.is_some()) {
        return Err(UserError::Usage(
            "wrapped --json prints the analysis instead of writing the page and card: drop -O and --svg, or --json".into(),
        ));
    }
    let stdout = |p: &Option<PathBuf>| p.as_deref().is_some_and(crate::write::is_stdout);
    if stdout(&a.output) && stdout(&a.svg) {
        return Err(UserError::Usage(
            "-O - and --svg - would both go to stdout; give one of them a file".into(),
        ));
    }
    Ok(WrappedOptions {
        year: a.year,
        output: a.output.clone(),
        svg: a.svg.clone(),
        show_paths: a.show_paths,
    })
}

/// The options of `statusline` and `watch`.
fn live_options(args: &CommandArgs, o: &mut CommandOptions) -> Result<(), UserError> {
    match args {
        CommandArgs::Statusline(a) => {
            o.record = !a.no_record;
            o.statusline.print_config = a.print_config;
            if !a.format.is_empty() {
                o.statusline.segments = a.format.iter().map(|&s| s.into()).collect();
            }
        }
        CommandArgs::Watch(a) => {
            if !(a.interval >= 0.1 && a.interval <= 86_400.0) {
                return Err(UserError::Usage(
                    "--interval must be between 0.1 and 86400 seconds".into(),
                ));
            }
            o.watch = WatchOptions {
                interval: a.interval,
                ticks: a.ticks,
                blocks: a.view == Some(WatchView::Blocks),
            };
        }
        _ => {}
    }
    Ok(())
}

/// The quota snapshot file: `$XDG_STATE_HOME/ccrecap/quota.jsonl` when that is set (and
/// absolute), else the platform's state directory (the local data directory where there
/// is none: macOS, Windows).
fn state_file() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let dir = xdg.or_else(dirs::state_dir).or_else(dirs::data_local_dir)?;
    Some(dir.join("ccrecap").join("quota.jsonl"))
}

/// The columns of stdout now (`watch` asks again on every redraw, to follow resizes).
pub fn stdout_columns() -> usize {
    columns(Stream::Stdout)
}

/// A session id as given (`--id`, `--session`): trimmed, and not empty.
fn non_empty_id(id: Option<&str>) -> Result<Option<String>, UserError> {
    match id.map(str::trim) {
        Some("") => Err(UserError::Usage(
            "a session id cannot be empty (give the id or the first characters of it)".into(),
        )),
        other => Ok(other.map(str::to_string)),
    }
}

/// Columns for output that is not a terminal (a pipe, a file): a wide terminal's.
pub const PIPE_WIDTH: usize = 120;

/// A standard stream ccrecap writes to.
#[derive(Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

/// The columns to lay a stream out in (`terminal_width` of `COLUMNS` and the stream's
/// terminal, if it is one).
fn columns(stream: Stream) -> usize {
    let real = match stream {
        Stream::Stdout => tty_columns(&std::io::stdout()),
        Stream::Stderr => tty_columns(&std::io::stderr()),
    };
    terminal_width(std::env::var("COLUMNS").ok().as_deref(), real)
}

/// A terminal's width in columns, None when the stream is not a terminal. Asked directly
/// (TIOCGWINSZ) rather than through `terminal_size`, which gives up when the row count is
/// 0, as in a pty sized with `stty cols N` alone (`script`, CI runners, some IDEs).
#[cfg(unix)]
fn tty_columns<S: std::os::fd::AsFd + IsTerminal>(stream: &S) -> Option<usize> {
    if !stream.is_terminal() {
        return None;
    }
    rustix::termios::tcgetwinsize(stream)
        .ok()
        .map(|w| usize::from(w.ws_col))
        .filter(|&w| w > 0)
}

#[cfg(windows)]
fn tty_columns<S: std::os::windows::io::AsHandle + IsTerminal>(stream: &S) -> Option<usize> {
    if !stream.is_terminal() {
        return None;
    }
    terminal_size::terminal_size_of(stream).map(|(w, _)| usize::from(w.0))
}

#[cfg(not(any(unix, windows)))]
fn tty_columns<S>(_: &S) -> Option<usize> {
    None
}

/// The width to lay out for: `COLUMNS` when it says 40 or more, else the terminal's own
/// width, else (not a terminal) `PIPE_WIDTH`.
fn terminal_width(columns: Option<&str>, real: Option<usize>) -> usize {
    columns
        .and_then(|c| c.parse().ok())
        .filter(|&w: &usize| w >= 40)
        .or(real.filter(|&w| w > 0))
        .unwrap_or(PIPE_WIDTH)
}

/// The `--file-mode` values of a command that writes a file.
fn file_modes(cmd: Option<&Command>) -> &[u32] {
    match cmd.map(|c| &c.args) {
        Some(CommandArgs::Card(a)) => &a.file.file_mode,
        Some(CommandArgs::Html(a)) => &a.file.file_mode,
        Some(CommandArgs::Wrapped(a)) => &a.file.file_mode,
        _ => &[],
    }
}

/// The value of a flag that may be repeated only with the same value: `flag` given twice
/// with different values is a usage error (`show` writes a value as the user typed it).
fn one_value<T: Copy + PartialEq>(
    flag: &str,
    values: &[T],
    show: impl Fn(T) -> String,
) -> Result<Option<T>, UserError> {
    let Some((&first, rest)) = values.split_first() else {
        return Ok(None);
    };
    match rest.iter().find(|&&v| v != first) {
        Some(&other) => Err(UserError::Usage(format!(
            "{flag} given twice with different values ({} and {}); give it once",
            show(first),
            show(other)
        ))),
        None => Ok(Some(first)),
    }
}

/// Whether the locale asks for UTF-8 (LC_ALL, else LC_CTYPE, else LANG).
fn utf8_locale() -> bool {
    let var = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    var.is_none_or(|v| {
        let v = v.to_ascii_lowercase();
        v.contains("utf-8") || v.contains("utf8")
    })
}

fn parse_now(s: &str) -> Result<i64, UserError> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.timestamp_millis())
        .map_err(|_| UserError::Usage(format!("--now expects an RFC 3339 time, got '{s}'")))
}

/// Parses `YYYY-MM-DD` or `YYYYMMDD`.
pub fn parse_date(s: &str) -> Result<NaiveDate, UserError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y%m%d"))
        .map_err(|_| UserError::Usage(format!("invalid date '{s}': use YYYY-MM-DD or YYYYMMDD")))
}

/// `parse_date` for a flag, naming it in the error.
fn parse_date_flag(flag: &str, s: &str) -> Result<NaiveDate, UserError> {
    parse_date(s).map_err(|e| UserError::Usage(format!("{flag} {e}")))
}

/// The window from --since/--until/--days/--all; `today` is the local date of "now".
pub fn window(
    since: Option<&str>,
    until: Option<&str>,
    days: Option<u32>,
    all: bool,
    today: NaiveDate,
) -> Result<Window, UserError> {
    let until_d = until.map(|u| parse_date_flag("--until", u)).transpose()?;
    if all {
        return Ok(Window {
            since: None,
            until: until_d,
        });
    }
    let since_d = match (since, days) {
        (Some(s), _) => Some(parse_date_flag("--since", s)?),
        (None, Some(0)) => return Err(UserError::Usage("--days must be at least 1".into())),
        (None, Some(n)) => {
            let end = until_d.unwrap_or(today);
            let start = end
                .checked_sub_days(chrono::Days::new(u64::from(n) - 1))
                .filter(|d| d.year() >= 1)
                .ok_or_else(|| {
                    UserError::Usage(format!(
                        "--days {n} reaches before the year 1 (--all reads all history)"
                    ))
                })?;
            Some(start)
        }
        (None, None) => None,
    };
    let until_d = match (until_d, days) {
        (None, Some(_)) => Some(today),
        (u, _) => u,
    };
    if let (Some(s), Some(u)) = (since_d, until_d)
        && s > u
    {
        return Err(UserError::Usage(format!(
            "--since {s} is after --until {u}"
        )));
    }
    Ok(Window {
        since: since_d,
        until: until_d,
    })
}

/// The `projects/` directories to read: --claude-dir, else CLAUDE_CONFIG_DIR, else the
/// XDG and classic defaults together.
pub fn roots(flags: &[PathBuf]) -> Result<Vec<PathBuf>, UserError> {
    if !flags.is_empty() {
        return flags
            .iter()
            .map(|p| projects_dir(p).ok_or_else(|| UserError::NoData(no_projects(p))))
            .collect();
    }
    if let Ok(v) = std::env::var("CLAUDE_CONFIG_DIR")
        && !v.trim().is_empty()
    {
        let mut out = Vec::new();
        for entry in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let p = expand_tilde(entry);
            match projects_dir(&p) {
                Some(d) => out.push(d),
                None => {
                    return Err(UserError::NoData(format!(
                        "CLAUDE_CONFIG_DIR entry {} has no projects/ directory",
                        p.display()
                    )));
                }
            }
        }
        dedup(&mut out);
        return Ok(out);
    }
    let mut out = Vec::new();
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| dirs::home_dir().map(|h| h.join(".config")));
    if let Some(x) = xdg {
        out.push(x.join("claude").join("projects"));
    }
    if let Some(h) = dirs::home_dir() {
        out.push(h.join(".claude").join("projects"));
    }
    let looked: Vec<String> = out.iter().map(|p| p.display().to_string()).collect();
    out.retain(|p| p.is_dir());
    dedup(&mut out);
    if out.is_empty() {
        return Err(UserError::NoData(format!(
            "no Claude Code transcripts found (looked in {}); try `ccrecap --demo` to see a sample report",
            looked.join(" and ")
        )));
    }
    Ok(out)
}

/// Why `--claude-dir p` has no transcripts to read.
fn no_projects(p: &Path) -> String {
    let what = if p.is_dir() {
        "has no projects/ folder"
    } else if p.exists() {
        "is not a directory"
    } else {
        "does not exist"
    };
    format!(
        "--claude-dir {} {what} (expected a Claude config dir such as ~/.claude, or its projects/ folder)",
        p.display()
    )
}

fn projects_dir(p: &Path) -> Option<PathBuf> {
    if p.file_name().is_some_and(|n| n == "projects") && p.is_dir() {
        return Some(p.to_path_buf());
    }
    let d = p.join("projects");
    d.is_dir().then_some(d)
}

fn expand_tilde(s: &str) -> PathBuf {
    match (s.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(h)) => h.join(rest),
        _ if s == "~" => dirs::home_dir().unwrap_or_else(|| PathBuf::from(s)),
        _ => PathBuf::from(s),
    }
}

fn dedup(v: &mut Vec<PathBuf>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
}

/// The colour decision: flag > FORCE_COLOR > NO_COLOR > CLICOLOR_FORCE > CLICOLOR=0 > TTY.
/// Whether to colour. `status_bar`: the output goes to Claude Code's status bar, which
/// renders ANSI colour although stdout is a pipe there, so `auto` means on unless
/// `NO_COLOR` (or `CLICOLOR=0`) says otherwise.
fn color(choice: ColorChoice, status_bar: bool) -> bool {
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if std::env::var("FORCE_COLOR").is_ok_and(|v| !v.is_empty() && v != "0") {
                true
            } else if set("NO_COLOR") {
                false
            } else if set("CLICOLOR_FORCE") {
                true
            } else if std::env::var("CLICOLOR").is_ok_and(|v| v == "0") {
                false
            } else {
                status_bar
                    || std::io::stdout().is_terminal()
                        && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn columns_override_the_terminal_width() {
        assert_eq!(terminal_width(Some("90"), Some(200)), 90);
        assert_eq!(terminal_width(None, Some(200)), 200);
        assert_eq!(
            terminal_width(Some("20"), Some(70)),
            70,
            "too narrow to trust"
        );
        assert_eq!(terminal_width(Some("wide"), None), 120);
        assert_eq!(terminal_width(None, None), 120);
    }

    #[test]
    fn the_pager_is_less_unless_told_otherwise() {
        assert_eq!(pager(Some("more -s")).as_deref(), Some("more -s"));
        assert_eq!(pager(Some("")), None);
        assert_eq!(pager(Some("cat")), None);
        if !cfg!(windows) {
            assert_eq!(pager(None).as_deref(), Some("less"));
        }
    }

    #[test]
    fn a_repeated_flag_must_repeat_its_value() {
        let show = |m: u32| format!("{m:04o}");
        assert_eq!(one_value("--file-mode", &[], show).unwrap(), None);
        assert_eq!(
            one_value("--file-mode", &[0o644, 0o644], show).unwrap(),
            Some(0o644)
        );
        let err = one_value("--file-mode", &[0o644, 0o644, 0o600], show).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert_eq!(
            err.to_string(),
            "--file-mode given twice with different values (0644 and 0600); give it once"
        );
    }

    #[test]
    fn dates_in_both_forms() {
        assert_eq!(d("2026-11-15"), d("20261115"));
        assert!(parse_date("15/11/2026").is_err());
    }

    #[test]
    fn days_window_ends_at_until_or_today() {
        let w = window(None, Some("2026-11-15"), Some(7), false, d("2026-11-21")).unwrap();
        assert_eq!(
            (w.since, w.until),
            (Some(d("2026-11-09")), Some(d("2026-11-15")))
        );
        let w = window(None, None, Some(1), false, d("2026-11-21")).unwrap();
        assert_eq!(
            (w.since, w.until),
            (Some(d("2026-11-21")), Some(d("2026-11-21")))
        );
        assert!(
            window(
                Some("2026-11-22"),
                Some("2026-11-21"),
                None,
                false,
                d("2026-11-21")
            )
            .is_err()
        );
    }
}
