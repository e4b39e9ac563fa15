//! The command registry: every command, declared once — its name and help line, how much of
//! each transcript it reads, the window it covers when none is given, what it computes (a
//! usage rollup, or sections of the analyzers' document) and how it is shown. `cli.rs`
//! builds the subcommands from `COMMANDS`, `config.rs` takes the default window from it,
//! and `lib.rs` scans, analyzes and writes as the entry says; no other module matches on
//! the command list. A `Section` ties one analyzer to the document: how it runs, where its
//! result goes and how a terminal shows it. Adding an analyzer takes its module (with its
//! field on `analyze::Analysis`), a `Section` and a `COMMANDS` entry here, its renderer
//! and its tests (CONTRIBUTING.md).

use crate::analyze::usage::{self, Period};
use crate::analyze::{self, Analysis, Body, Options, blocks};
use crate::model::Dataset;
use crate::pricing::Pricing;
use crate::render::terminal::{self, Palette, TerminalOptions};
use crate::scan::Detail;
use std::io::{self, Write};

/// One command.
pub struct Spec {
    /// The subcommand; empty for the full report (no subcommand).
    pub name: &'static str,
    /// Its line in `--help`.
    pub about: &'static str,
    /// How much of each transcript line it reads; None: it reads no transcripts.
    pub reads: Option<Detail>,
    /// The window it covers unless `--since`, `--days` or `--all` say otherwise.
    pub window: DefaultWindow,
    pub makes: Makes,
    pub show: Show,
    /// The entry that runs instead when the command is given one session to drill into
    /// (`session --id`, `html --session` without `--sessions`).
    pub by_id: Option<&'static Spec>,
}

/// The window a command covers by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultWindow {
    AllHistory,
    /// The N days ending today (or at `--until`).
    LastDays(u32),
    /// The local days one session ran on (a drill-down found by its id).
    SessionDays,
    /// One calendar year: `--year`, else the current one.
    CalendarYear,
}

/// What a command computes.
pub enum Makes {
    /// The rows of a usage rollup.
    Rows(fn(&Dataset, &Pricing, &Options) -> Body),
    /// The analyzers' document: totals, these sections (run in parallel), then `finish`
    /// over the whole (the full report's own findings).
    Analysis {
        sections: &'static [Section],
        finish: Option<fn(&mut Analysis)>,
    },
    /// One session's drill-down: the session found by its id in the file names, its own
    /// files read in full and the rest of its window for usage only.
    Detail,
    /// Nothing from transcripts.
    Nothing,
}

/// How a command's result reaches the user (with `--json`, JSON instead of a terminal
/// view, except for `Html`, `Completions` and `Man`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    /// One table of periods: its title and the heading of its first column.
    Periods {
        title: &'static str,
        first: &'static str,
    },
    /// The table of sessions.
    Sessions { title: &'static str },
    /// The table of billing blocks.
    Blocks { title: &'static str },
    /// One session's timeline.
    Detail { title: &'static str },
    /// Each section under its title, then the notes on prices.
    Sections,
    /// Each section's view alone, with no title or notes (the card).
    Plain,
    /// The one-screen summary of the full report.
    Summary,
    /// The HTML recap, written to a file.
    Html,
    /// The year in review: an HTML page and an SVG card, written to files.
    Wrapped,
    /// A shell completion script.
    Completions,
    /// The ledger's own commands (update, status).
    Ledger,
    /// The man page.
    Man,
    /// One status line for Claude Code, from its stdin (`live::statusline`).
    Statusline,
    /// A live view redrawn in place (`live::watch`).
    Watch,
}

/// One section of the analyzers' document (a field of `Analysis`).
pub struct Section {
    /// Its heading in the terminal view.
    pub title: &'static str,
    /// Runs the analyzer; the closure it returns stores the result in the document.
    pub run: fn(&Dataset, &Pricing, &Options) -> Store,
    /// Writes the section for a terminal (nothing when the document lacks it).
    pub show: ShowSection,
}

/// Stores an analyzer's result in its field of the document.
pub type Store = Box<dyn FnOnce(&mut Analysis) + Send>;

/// A section's terminal view.
pub type ShowSection = fn(&Analysis, &TerminalOptions, &Palette, &mut dyn Write) -> io::Result<()>;

pub const CONTEXT: Section = Section {
    title: "Context composition",
    run: |ds, p, o| {
        let r = analyze::context::analyze(ds, p, o);
        Box::new(|a| a.context = Some(r))
    },
    show: |a, o, pal, out| match &a.context {
        Some(c) => terminal::context::write(c, o.layout, pal, out),
        None => Ok(()),
    },
};

pub const SUBAGENTS: Section = Section {
    title: "Sub-agents",
    run: |ds, p, o| {
        let r = analyze::subagents::analyze(ds, p, o);
        Box::new(|a| a.subagents = Some(r))
    },
    show: |a, o, pal, out| match &a.subagents {
        Some(s) => terminal::subagents::write(s, o.layout, pal, out),
        None => Ok(()),
    },
};

pub const OPUS_AUDIT: Section = Section {
    title: "Opus audit",
    run: |ds, p, o| {
        let r = analyze::opus_audit::analyze(ds, p, o);
        Box::new(|a| a.opus_audit = Some(r))
    },
    show: |a, o, pal, out| match &a.opus_audit {
        Some(x) => terminal::opus::write(x, o.layout, pal, out),
        None => Ok(()),
    },
};

pub const ACTIVITY: Section = Section {
    title: "Activity",
    run: |ds, p, o| {
        let r = analyze::activity::analyze(ds, p, o);
        Box::new(|a| a.activity = Some(r))
    },
    show: |a, o, pal, out| match &a.activity {
        Some(x) => terminal::activity::write(x, o.layout, pal, out),
        None => Ok(()),
    },
};

pub const ATTRIBUTION: Section = Section {
    title: "Attribution",
    run: |ds, p, o| {
        let r = analyze::attribution::analyze(ds, p, o);
        Box::new(|a| a.attribution = Some(r))
    },
    show: |a, o, pal, out| match &a.attribution {
        Some(x) => terminal::attribution::write(x, o.layout, pal, out),
        None => Ok(()),
    },
};

pub const CARD: Section = Section {
    title: "Quota card",
    run: |ds, p, o| {
        let r = analyze::card::analyze(ds, p, o);
        Box::new(|a| a.card = Some(r))
    },
    show: |a, o, _, out| match &a.card {
        Some(c) => terminal::card::write(c, o.ascii, o.show_projects, out),
        None => Ok(()),
    },
};

pub const QUOTA: Section = Section {
    title: "Quota",
    run: |ds, p, o| {
        let r = analyze::quota::report(ds, p, o);
        Box::new(|a| a.quota = Some(r))
    },
    show: |a, _, pal, out| match &a.quota {
        Some(q) => terminal::quota::write(q, pal, out),
        None => Ok(()),
    },
};

pub const WRAPPED: Section = Section {
    title: "Year in review",
    run: |ds, p, o| {
        let r = analyze::wrapped::analyze(ds, p, o);
        Box::new(|a| a.wrapped = Some(r))
    },
    // Written to files (`output`), or as JSON: it has no terminal view.
    show: |_, _, _, _| Ok(()),
};

/// The sections of the full report and of the HTML recap.
const EVERY_ANALYZER: &[Section] = &[CONTEXT, SUBAGENTS, OPUS_AUDIT, ACTIVITY, ATTRIBUTION];

/// The default analyzer window: the last 30 days.
const ANALYZER_DAYS: DefaultWindow = DefaultWindow::LastDays(30);

/// Every command, in `--help` order (the full report first).
pub static COMMANDS: &[Spec] = &[
    Spec {
        name: "",
        about: "Every analyzer: a one-screen summary (last 30 days unless a window is given)",
        reads: Some(Detail::Full),
        window: ANALYZER_DAYS,
        makes: Makes::Analysis {
            sections: EVERY_ANALYZER,
            finish: Some(summarize),
        },
        show: Show::Summary,
        by_id: None,
    },
    Spec {
        name: "context",
        about: "What your tokens paid for: re-reading cached context vs cache writes vs new work, per turn, recurring inclusions, cache efficiency, /compact candidates (last 30 days unless a window is given)",
        reads: Some(Detail::Full),
        window: ANALYZER_DAYS,
        makes: Makes::Analysis {
            sections: &[CONTEXT],
            finish: None,
        },
        show: Show::Sections,
        by_id: None,
    },
    Spec {
        name: "subagents",
        about: "Who spent the tokens: every sub-agent run with its cost, rollups per agent type × model and per session, right-sizing flags (last 30 days unless a window is given)",
        reads: Some(Detail::Full),
        window: ANALYZER_DAYS,
        makes: Makes::Analysis {
            sections: &[SUBAGENTS],
            finish: None,
        },
        show: Show::Sections,
        by_id: None,
    },
    Spec {
        name: "card",
        about: "A pasteable quota card (at most 60 columns): efficiency tier, composition, model mix, streaks, cache hit rate, sub-agent share, the Opus-audit line",
        reads: Some(Detail::Full),
        window: ANALYZER_DAYS,
        makes: Makes::Analysis {
            sections: &[CARD],
            finish: None,
        },
        show: Show::Plain,
        by_id: None,
    },
    Spec {
        name: "html",
        about: "A self-contained, shareable HTML recap (last 7 days unless a window is given): one offline file with charts, no network requests, paths shortened and prompt text hidden unless asked",
        reads: Some(Detail::Full),
        window: DefaultWindow::LastDays(7),
        makes: Makes::Analysis {
            sections: EVERY_ANALYZER,
            finish: None,
        },
        show: Show::Html,
        by_id: Some(&HTML_SESSION),
    },
    Spec {
        name: "wrapped",
        about: "A year in review: a self-contained HTML page and a 1200×630 SVG card (tokens, API value, top models and projects, busiest day, longest streak, the efficiency tier by month, sub-agents, the Opus audit, a contribution calendar), paste-safe by default (this year unless --year is given)",
        reads: Some(Detail::Full),
        window: DefaultWindow::CalendarYear,
        makes: Makes::Analysis {
            sections: &[WRAPPED],
            finish: None,
        },
        show: Show::Wrapped,
        by_id: None,
    },
    Spec {
        name: "activity",
        about: "What happened besides tokens: tools, errors, latency, skills, code changes, sessions and repositories (last 30 days unless a window is given)",
        reads: Some(Detail::Full),
        window: ANALYZER_DAYS,
        makes: Makes::Analysis {
            sections: &[ACTIVITY],
            finish: None,
        },
        show: Show::Sections,
        by_id: None,
    },
    Spec {
        name: "attribution",
        about: "What each git branch, plugin, skill and MCP server cost: tokens, API value and share, branches per repository with sessions, days and lines changed (last 30 days unless a window is given)",
        reads: Some(Detail::Full),
        window: ANALYZER_DAYS,
        makes: Makes::Analysis {
            sections: &[ATTRIBUTION],
            finish: None,
        },
        show: Show::Sections,
        by_id: None,
    },
    Spec {
        name: "opus",
        about: "Which Opus turns were Sonnet-shaped, and how much Opus quota they took (last 30 days unless a window is given)",
        reads: Some(Detail::Full),
        window: ANALYZER_DAYS,
        makes: Makes::Analysis {
            sections: &[OPUS_AUDIT],
            finish: None,
        },
        show: Show::Sections,
        by_id: None,
    },
    Spec {
        name: "daily",
        about: "Usage and cost per day (ccusage-compatible JSON)",
        reads: Some(Detail::Usage),
        window: DefaultWindow::AllHistory,
        makes: Makes::Rows(|ds, p, o| {
            let (daily, totals) = usage::periods(ds, p, o, Period::Day);
            Body::Daily { daily, totals }
        }),
        show: Show::Periods {
            title: "Daily usage",
            first: "Date",
        },
        by_id: None,
    },
    Spec {
        name: "weekly",
        about: "Usage and cost per week",
        reads: Some(Detail::Usage),
        window: DefaultWindow::AllHistory,
        makes: Makes::Rows(|ds, p, o| {
            let (weekly, totals) = usage::periods(ds, p, o, Period::Week(o.week_start));
            Body::Weekly { weekly, totals }
        }),
        show: Show::Periods {
            title: "Weekly usage",
            first: "Week",
        },
        by_id: None,
    },
    Spec {
        name: "monthly",
        about: "Usage and cost per month",
        reads: Some(Detail::Usage),
        window: DefaultWindow::AllHistory,
        makes: Makes::Rows(|ds, p, o| {
            let (monthly, totals) = usage::periods(ds, p, o, Period::Month);
            Body::Monthly { monthly, totals }
        }),
        show: Show::Periods {
            title: "Monthly usage",
            first: "Month",
        },
        by_id: None,
    },
    Spec {
        name: "session",
        about: "Usage and cost per session",
        reads: Some(Detail::Usage),
        window: DefaultWindow::AllHistory,
        makes: Makes::Rows(|ds, p, o| {
            let (sessions, totals) = usage::sessions(ds, p, o);
            Body::Session { sessions, totals }
        }),
        show: Show::Sessions {
            title: "Usage by session",
        },
        by_id: Some(&SESSION_DETAIL),
    },
    Spec {
        name: "blocks",
        about: "Usage in 5-hour billing blocks, with the active block's burn rate",
        reads: Some(Detail::Usage),
        window: DefaultWindow::AllHistory,
        makes: Makes::Rows(|ds, p, o| Body::Blocks {
            blocks: blocks::blocks(ds, p, o),
            empty: blocks::empty_note(o),
        }),
        show: Show::Blocks {
            title: "5-hour blocks",
        },
        by_id: None,
    },
    Spec {
        name: "ledger",
        about: "Keep a private history that survives Claude Code's cleanup: `ledger update`, `ledger status`",
        reads: None,
        window: DefaultWindow::AllHistory,
        makes: Makes::Nothing,
        show: Show::Ledger,
        by_id: None,
    },
    Spec {
        name: "statusline",
        about: "One status line for Claude Code (reads its JSON on stdin): model, session and today's API value, context, the 5-hour block, quota pace, cache TTL; records quota snapshots. See --print-config",
        reads: None,
        window: DefaultWindow::LastDays(1),
        makes: Makes::Nothing,
        show: Show::Statusline,
        by_id: None,
    },
    Spec {
        name: "quota",
        about: "Where the 5-hour and 7-day limits stand: used %, pace, projection, runway, API value per 1% and what used it (from the statusline's snapshots; last 8 days of transcripts)",
        reads: Some(Detail::Full),
        window: DefaultWindow::LastDays(8),
        makes: Makes::Analysis {
            sections: &[QUOTA],
            finish: None,
        },
        show: Show::Sections,
        by_id: None,
    },
    Spec {
        name: "watch",
        about: "A live view redrawn in place: the summary's top, or `watch blocks` for the active 5-hour block; reads only what was appended (last 30 days unless a window is given)",
        reads: Some(Detail::Full),
        window: ANALYZER_DAYS,
        makes: Makes::Analysis {
            sections: EVERY_ANALYZER,
            finish: Some(summarize),
        },
        show: Show::Watch,
        by_id: None,
    },
    Spec {
        name: "completions",
        about: "Print a shell completion script to stdout (e.g. `source <(ccrecap completions bash)`)",
        reads: None,
        window: DefaultWindow::AllHistory,
        makes: Makes::Nothing,
        show: Show::Completions,
        by_id: None,
    },
    Spec {
        name: "man",
        about: "Print the man page (roff) to stdout (e.g. `ccrecap man > ccrecap.1`)",
        reads: None,
        window: DefaultWindow::AllHistory,
        makes: Makes::Nothing,
        show: Show::Man,
        by_id: None,
    },
];

/// `ccrecap session --id`: one session's timeline (the `session` command given an id).
pub static SESSION_DETAIL: Spec = Spec {
    name: "session",
    about: "One session's timeline, turn by turn",
    reads: Some(Detail::Full),
    window: DefaultWindow::SessionDays,
    makes: Makes::Detail,
    show: Show::Detail { title: "Session" },
    by_id: None,
};

/// `ccrecap html --session ID` without `--sessions`: a shareable page of one session.
pub static HTML_SESSION: Spec = Spec {
    name: "html",
    about: "A shareable HTML page of one session",
    reads: Some(Detail::Full),
    window: DefaultWindow::SessionDays,
    makes: Makes::Detail,
    show: Show::Html,
    by_id: None,
};

/// The full report's own findings, drawn from its other sections.
fn summarize(a: &mut Analysis) {
    a.summary = Some(analyze::summary::summarize(
        a.context.as_ref(),
        a.subagents.as_ref(),
        a.opus_audit.as_ref(),
    ));
}

/// The command named `name` (`""`: the full report).
pub fn find(name: &str) -> Option<&'static Spec> {
    COMMANDS.iter().find(|s| s.name == name)
}

/// What `watch` redraws: the active block (`watch blocks`) or the summary.
pub fn watch_view(blocks: bool) -> &'static Spec {
    if blocks {
        find("blocks").unwrap_or(full())
    } else {
        full()
    }
}

/// Whether the command reads the quota snapshots.
pub fn uses_quota(spec: &Spec) -> bool {
    let has = |sections: &[Section]| sections.iter().any(|s| s.title == QUOTA.title);
    matches!(spec.show, Show::Watch | Show::Statusline)
        || matches!(spec.makes, Makes::Analysis { sections, .. } if has(sections))
}

/// The full report (no subcommand).
pub fn full() -> &'static Spec {
    &COMMANDS[0]
}

impl std::fmt::Debug for Spec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spec").field("name", &self.name).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_the_full_report_comes_first() {
        let mut names: Vec<&str> = COMMANDS.iter().map(|s| s.name).collect();
        assert_eq!(names[0], "");
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COMMANDS.len());
        assert_eq!(find("daily").map(|s| s.name), Some("daily"));
        assert!(find("nosuch").is_none());
        assert!(std::ptr::eq(full(), find("").unwrap()));
    }

    #[test]
    fn drill_downs_read_one_session_and_answer_to_their_command() {
        for (name, by_id) in [("session", &SESSION_DETAIL), ("html", &HTML_SESSION)] {
            let spec = find(name).unwrap();
            assert!(std::ptr::eq(spec.by_id.unwrap(), by_id), "{name}");
            assert_eq!(by_id.name, name);
            assert!(matches!(by_id.makes, Makes::Detail));
            assert_eq!(by_id.reads, Some(Detail::Full));
            assert_eq!(by_id.window, DefaultWindow::SessionDays);
            assert!(by_id.by_id.is_none());
        }
        let others = COMMANDS.iter().filter(|s| s.by_id.is_some()).count();
        assert_eq!(others, 2, "only session and html drill into one session");
    }

    #[test]
    fn commands_that_read_nothing_make_nothing() {
        for s in COMMANDS {
            assert_eq!(
                s.reads.is_none(),
                matches!(s.makes, Makes::Nothing),
                "{}",
                s.name
            );
            if let Makes::Analysis { sections, .. } = s.makes {
                assert_eq!(s.reads, Some(Detail::Full), "{}", s.name);
                assert!(!sections.is_empty(), "{}", s.name);
            }
        }
    }
}
