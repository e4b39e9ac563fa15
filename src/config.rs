//! `Cli` + environment → `Config`: data roots resolved and checked, the date window, the
//! time zone, "now", the colour decision and the report to run. Nothing after this module
//! sees clap or reads the environment.

use crate::cli::{
    BlocksArgs, Cli, ColorChoice, Command, CostMode, ModeArg, Order, Shell, WeekStart,
};
use crate::error::UserError;
use chrono::{Datelike, NaiveDate, TimeZone, Utc, Weekday};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The demo history's fixed "now" (the end of its last generated day) and time zone, so
/// demo output never depends on today's date.
pub const DEMO_NOW: &str = "2026-11-15T23:59:59Z";

/// Which report to print.
#[derive(Clone, Debug, PartialEq)]
pub enum Report {
    /// Every analyzer (no subcommand).
    Full,
    Context,
    Subagents,
    Activity,
    Card {
        weekly: bool,
        ascii: bool,
        show_projects: bool,
        svg: Option<PathBuf>,
    },
    Opus {
        export: bool,
    },
    /// The HTML recap, written to a file.
    Html {
        output: Option<PathBuf>,
        privacy: crate::analyze::recap::redact::Privacy,
    },
    Daily,
    Weekly {
        start: Weekday,
    },
    Monthly,
    Session,
    Blocks(BlocksArgs),
    /// A shell completion script (reads no transcripts).
    Completions(Shell),
    /// The man page (reads no transcripts).
    Man,
}

/// A time zone: the system's, or a named IANA zone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Zone {
    Local,
    Named(chrono_tz::Tz),
}

impl Zone {
    /// The local calendar date of an instant (ms since the epoch).
    pub fn date_of(&self, ms: i64) -> NaiveDate {
        let utc = Utc.timestamp_millis_opt(ms).single().unwrap_or_default();
        match self {
            Zone::Local => utc.with_timezone(&chrono::Local).date_naive(),
            Zone::Named(tz) => utc.with_timezone(tz).date_naive(),
        }
    }

    /// The local date and time of an instant.
    pub fn local(&self, ms: i64) -> chrono::NaiveDateTime {
        let utc = Utc.timestamp_millis_opt(ms).single().unwrap_or_default();
        match self {
            Zone::Local => utc.with_timezone(&chrono::Local).naive_local(),
            Zone::Named(tz) => utc.with_timezone(tz).naive_local(),
        }
    }

    /// The instant (ms) a local date starts at: its first local time that exists (00:00,
    /// or later when a DST change skips midnight).
    pub fn start_of(&self, date: NaiveDate) -> i64 {
        let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        (0..=24 * 4)
            .map(|q| midnight + chrono::Duration::minutes(15 * q))
            .find_map(|naive| self.earliest(naive))
            .unwrap_or(midnight.and_utc().timestamp_millis())
    }

    fn earliest(&self, naive: chrono::NaiveDateTime) -> Option<i64> {
        match self {
            Zone::Local => chrono::Local
                .from_local_datetime(&naive)
                .earliest()
                .map(|d| d.timestamp_millis()),
            Zone::Named(tz) => tz
                .from_local_datetime(&naive)
                .earliest()
                .map(|d| d.timestamp_millis()),
        }
    }

    pub fn name(&self) -> String {
        match self {
            Zone::Local => iana_local().unwrap_or_else(|| "local".to_string()),
            Zone::Named(tz) => tz.name().to_string(),
        }
    }
}

/// `Zone::date_of` for instants that mostly arrive in time order: remembers the bounds of
/// the last local day it computed, so a run of same-day instants costs two comparisons.
#[derive(Clone, Debug)]
pub struct LocalDays {
    zone: Zone,
    /// The cached day covers `lo..hi` (ms).
    lo: i64,
    hi: i64,
    date: NaiveDate,
}

impl LocalDays {
    pub fn new(zone: Zone) -> Self {
        LocalDays {
            zone,
            lo: 0,
            hi: 0,
            date: NaiveDate::default(),
        }
    }

    pub fn date_of(&mut self, ms: i64) -> NaiveDate {
        if self.lo <= ms && ms < self.hi {
            return self.date;
        }
        let date = self.zone.date_of(ms);
        let lo = self.zone.start_of(date);
        let hi = date.succ_opt().map_or(i64::MAX, |n| self.zone.start_of(n));
        if lo <= ms && ms < hi {
            (self.lo, self.hi, self.date) = (lo, hi, date);
        }
        date
    }
}

fn iana_local() -> Option<String> {
    std::env::var("TZ")
        .ok()
        .filter(|s| !s.is_empty() && !s.starts_with(':'))
}

/// The inclusive date window (local dates); `None` ends are open.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Window {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Window {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.since.is_none_or(|s| d >= s) && self.until.is_none_or(|u| d <= u)
    }
}

/// Where transcripts come from.
#[derive(Clone, Debug, PartialEq)]
pub enum DataSource {
    /// `projects/` directories on disk.
    Dirs(Vec<PathBuf>),
    /// The history bundled in the binary.
    Demo,
}

impl Report {
    /// Whether the command runs the analyzers over a full scan (rather than a usage
    /// rollup over responses only).
    pub fn is_analysis(&self) -> bool {
        matches!(
            self,
            Report::Full
                | Report::Context
                | Report::Subagents
                | Report::Activity
                | Report::Card { .. }
                | Report::Html { .. }
                | Report::Opus { .. }
        )
    }

    /// Whether the command reads transcripts at all (shell integration does not, so it
    /// works on a machine without Claude Code history).
    pub fn reads_transcripts(&self) -> bool {
        !matches!(self, Report::Completions(_) | Report::Man)
    }
}

/// The default window of the analyzers (the full report, `context`, ...): the last 30
/// days. Usage rollups read all history unless a window is given.
pub const ANALYZER_DAYS: u32 = 30;

/// The default window of the HTML recap: the last 7 days.
pub const HTML_DAYS: u32 = 7;

/// Everything a run needs, resolved.
#[derive(Clone, Debug)]
pub struct Config {
    pub report: Report,
    pub source: DataSource,
    pub window: Window,
    pub zone: Zone,
    pub now_ms: i64,
    pub json: bool,
    pub breakdown: bool,
    pub project: Option<String>,
    pub color: bool,
    pub quiet: bool,
    /// `--strict`: an incomplete report exits 3.
    pub strict: bool,
    pub cost_mode: CostMode,
    /// Permission bits of files ccrecap writes (html, card --svg).
    pub file_mode: u32,
    pub order: Order,
    pub plan: Option<crate::cli::Plan>,
    pub max_line: usize,
    /// Whether stderr is a terminal (progress bar).
    pub stderr_tty: bool,
}

/// Resolves the command line and environment.
pub fn resolve(cli: Cli) -> Result<Config, UserError> {
    let c = &cli.common;
    let zone = match &c.timezone {
        Some(name) => Zone::Named(name.parse().map_err(|_| {
            UserError::Usage(format!(
                "unknown time zone '{name}' (use an IANA name such as Europe/Berlin or UTC)"
            ))
        })?),
        None if c.demo => Zone::Named(chrono_tz::UTC),
        None => Zone::Local,
    };
    let now_ms = match (&c.now, c.demo) {
        (Some(s), _) => parse_now(s)?,
        (None, true) => parse_now(DEMO_NOW)?,
        (None, false) => Utc::now().timestamp_millis(),
    };
    let report = match &cli.command {
        None => Report::Full,
        Some(Command::Context) => Report::Context,
        Some(Command::Subagents) => Report::Subagents,
        Some(Command::Activity) => Report::Activity,
        Some(Command::Card {
            weekly,
            ascii,
            show_projects,
            svg,
        }) => Report::Card {
            weekly: *weekly,
            ascii: *ascii || !utf8_locale(),
            show_projects: *show_projects,
            svg: svg.clone(),
        },
        Some(Command::Opus { export_config }) => Report::Opus {
            export: *export_config,
        },
        Some(Command::Html {
            output,
            show_paths,
            show_prompts,
        }) => {
            if c.json {
                return Err(UserError::Usage(
                    "html writes a file; for JSON run `ccrecap --json` (every analyzer)".into(),
                ));
            }
            Report::Html {
                output: output.clone(),
                privacy: crate::analyze::recap::redact::Privacy {
                    show_paths: *show_paths,
                    show_prompts: *show_prompts,
                },
            }
        }
        Some(Command::Daily) => Report::Daily,
        Some(Command::Weekly { start_of_week }) => Report::Weekly {
            start: weekday(*start_of_week),
        },
        Some(Command::Monthly) => Report::Monthly,
        Some(Command::Session) => Report::Session,
        Some(Command::Blocks(b)) => {
            if !(b.session_length > 0.0 && b.session_length <= 24.0 * 7.0) {
                return Err(UserError::Usage(
                    "--session-length must be between 0 and 168 hours".into(),
                ));
            }
            Report::Blocks(b.clone())
        }
        Some(Command::Completions { shell }) => Report::Completions(*shell),
        Some(Command::Man) => Report::Man,
    };
    let default_days = match report {
        Report::Html { .. } => HTML_DAYS,
        _ => ANALYZER_DAYS,
    };
    let analyzer = report.is_analysis();
    let window = window(
        c.since.as_deref(),
        c.until.as_deref(),
        c.days
            .or((analyzer && c.since.is_none()).then_some(default_days)),
        c.all,
        zone.date_of(now_ms),
    )?;
    let source = if c.demo {
        DataSource::Demo
    } else if report.reads_transcripts() {
        DataSource::Dirs(roots(&c.claude_dir)?)
    } else {
        DataSource::Dirs(Vec::new())
    };
    Ok(Config {
        report,
        source,
        window,
        zone,
        now_ms,
        json: c.json,
        breakdown: c.breakdown,
        project: c.project.clone(),
        color: color(c.color),
        quiet: c.quiet,
        strict: c.strict,
        cost_mode: last_mode(&c.mode, |m| match m {
            ModeArg::Cost(c) => Some(c),
            ModeArg::File(_) => None,
        })
        .unwrap_or_default(),
        file_mode: last_mode(&c.mode, |m| match m {
            ModeArg::File(f) => Some(f),
            ModeArg::Cost(_) => None,
        })
        .unwrap_or(crate::write::DEFAULT_MODE),
        plan: c.plan,
        order: c.order,
        max_line: c.max_line_mib.max(1).saturating_mul(1 << 20),
        stderr_tty: std::io::stderr().is_terminal(),
    })
}

/// The last `--mode` of one kind (a cost source or a file mode): later flags win.
fn last_mode<T>(modes: &[ModeArg], pick: fn(ModeArg) -> Option<T>) -> Option<T> {
    modes.iter().rev().find_map(|&m| pick(m))
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

fn weekday(w: WeekStart) -> Weekday {
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

/// Parses `YYYY-MM-DD` or `YYYYMMDD`.
pub fn parse_date(s: &str) -> Result<NaiveDate, UserError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y%m%d"))
        .map_err(|_| UserError::Usage(format!("invalid date '{s}': use YYYY-MM-DD or YYYYMMDD")))
}

/// The window from --since/--until/--days/--all; `today` is the local date of "now".
pub fn window(
    since: Option<&str>,
    until: Option<&str>,
    days: Option<u32>,
    all: bool,
    today: NaiveDate,
) -> Result<Window, UserError> {
    let until_d = until.map(parse_date).transpose()?;
    if all {
        return Ok(Window {
            since: None,
            until: until_d,
        });
    }
    let since_d = match (since, days) {
        (Some(s), _) => Some(parse_date(s)?),
        (None, Some(0)) => return Err(UserError::Usage("--days must be at least 1".into())),
        (None, Some(n)) => {
            let end = until_d.unwrap_or(today);
            Some(end - chrono::Duration::days(n as i64 - 1))
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
        return flags.iter().map(|p| projects_dir(p).ok_or_else(|| UserError::NoData(format!("--claude-dir {}: no such directory (expected a Claude config dir or its projects/ dir)", p.display())))).collect();
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
fn color(choice: ColorChoice) -> bool {
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
                std::io::stdout().is_terminal()
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        }
    }
}

/// The first day of the week containing `d`.
pub fn week_start(d: NaiveDate, start: Weekday) -> NaiveDate {
    let back =
        (7 + d.weekday().num_days_from_sunday() as i64 - start.num_days_from_sunday() as i64) % 7;
    d - chrono::Duration::days(back)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
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

    #[test]
    fn weeks_start_on_the_chosen_day() {
        assert_eq!(week_start(d("2026-11-13"), Weekday::Sun), d("2026-11-08"));
        assert_eq!(week_start(d("2026-11-08"), Weekday::Sun), d("2026-11-08"));
        assert_eq!(week_start(d("2026-11-08"), Weekday::Mon), d("2026-11-02"));
    }

    #[test]
    fn zones_convert_dates() {
        let ms = parse_now("2026-11-15T23:30:00Z").unwrap();
        assert_eq!(Zone::Named(chrono_tz::UTC).date_of(ms), d("2026-11-15"));
        assert_eq!(
            Zone::Named("Europe/Berlin".parse().unwrap()).date_of(ms),
            d("2026-11-16")
        );
        let berlin = Zone::Named("Europe/Berlin".parse().unwrap());
        assert_eq!(
            berlin.start_of(d("2026-11-16")),
            parse_now("2026-11-15T23:00:00Z").unwrap()
        );
    }

    #[test]
    fn days_start_at_the_first_local_time_that_exists() {
        // Santiago skipped 00:00–01:00 on 2024-09-08.
        let santiago = Zone::Named("America/Santiago".parse().unwrap());
        let start = santiago.start_of(d("2024-09-08"));
        assert_eq!(start, parse_now("2024-09-08T04:00:00Z").unwrap());
        assert_eq!(santiago.date_of(start), d("2024-09-08"));
        assert_eq!(santiago.date_of(start - 1), d("2024-09-07"));
    }

    #[test]
    fn cached_days_agree_with_direct_conversion() {
        for zone in ["UTC", "Europe/Berlin", "America/Santiago", "Asia/Kolkata"] {
            let zone = Zone::Named(zone.parse().unwrap());
            let mut days = LocalDays::new(zone);
            let start = parse_now("2024-03-25T00:00:00Z").unwrap();
            for i in 0..2_000 {
                let ms = start + i * 37 * 60_000 * 7;
                assert_eq!(days.date_of(ms), zone.date_of(ms), "{zone:?} {ms}");
            }
            assert_eq!(days.date_of(start), zone.date_of(start));
        }
    }
}
