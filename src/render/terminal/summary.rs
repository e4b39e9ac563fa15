//! The first-run summary (`ccrecap` with no subcommand): one screen, at most 40 lines at
//! 100 columns — the headline, the composition bar, cache efficiency, top projects,
//! sub-agents, the Opus audit, the top recurring inclusion and one next step, then a
//! footer with the window, what was read, prices and the commands that go deeper. Numbers
//! are framed by `--plan`: subscriptions lead with tokens and show dollars as "API
//! value"; `api` leads with dollars; no plan shows both. Formatting only.

use super::context::{bar_of, legend};
use super::table::Palette;
use super::{TerminalOptions, window_range};
use crate::analyze::context::ContextReport;
use crate::analyze::subagents::flag_phrase;
use crate::analyze::{Analysis, Report};
use crate::options::Plan;
use crate::render::fmt::{clip, clip_left, human, money, pct, plural, wrap};
use crate::render::sanitize::tty;
use owo_colors::{OwoColorize, Style};
use std::io::Write;

/// Projects listed.
const TOP_PROJECTS: usize = 4;
/// The widest layout; below `NARROW` columns the project rows drop their API value.
const WIDEST: usize = 100;
const NARROW: usize = 80;

/// Lines of text wrapped to the screen width, each with one style.
struct Screen<'p> {
    width: usize,
    pal: &'p Palette,
    lines: Vec<String>,
}

impl Screen<'_> {
    /// A line of text (wrapped with a hanging indent of `indent` spaces).
    fn text(&mut self, style: Style, text: &str, indent: usize) {
        let room = self.width.saturating_sub(1 + indent).max(20);
        for (i, part) in wrap(text, room).into_iter().enumerate() {
            let pad = if i == 0 { 0 } else { indent };
            self.lines
                .push(format!(" {}{}", " ".repeat(pad), part.style(style)));
        }
    }

    fn blank(&mut self) {
        self.lines.push(String::new());
    }

    fn raw(&mut self, line: String) {
        self.lines.push(line);
    }
}

pub fn write(
    report: &Report,
    a: &Analysis,
    o: &TerminalOptions,
    pal: &Palette,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut sc = Screen {
        width: o.layout.width.min(WIDEST),
        pal,
        lines: Vec::new(),
    };
    body(report, a, o.plan, &mut sc);
    writeln!(out)?;
    for l in &sc.lines {
        writeln!(out, "{}", l.trim_end())?;
    }
    Ok(())
}

fn body(report: &Report, a: &Analysis, plan: Option<Plan>, sc: &mut Screen) {
    let pal = *sc.pal;
    let w = &report.window;
    sc.raw(format!(
        " {}  {}",
        "ccrecap".style(pal.header),
        format!("{} · {}", window_range(w), tty(&w.timezone)).style(pal.dim)
    ));
    sc.blank();
    if a.totals.total_tokens == 0 {
        sc.text(Style::new(), &super::empty_window(report), 0);
    } else {
        headline(a, plan, sc);
        if let Some(c) = &a.context {
            composition(c, sc);
            top_projects(c, a.totals.total_tokens, plan, sc);
        }
        sc.blank();
        findings(a, sc);
        if let Some(step) = a.summary.as_ref().map(|s| &s.next_step) {
            sc.blank();
            sc.text(pal.accent, &format!("Next step: {}.", tty(&step.text)), 0);
            sc.text(pal.dim, &format!("Details: {}", step.command), 0);
        }
    }
    footer(report, sc);
}

/// Tokens, API value and counts, framed by the plan.
fn headline(a: &Analysis, plan: Option<Plan>, sc: &mut Screen) {
    let pal = *sc.pal;
    let t = &a.totals;
    let value = a
        .context
        .as_ref()
        .map_or(t.cost_usd, |c| c.composition.api_value_usd.total);
    let counts = format!(
        "{} · {} · {}",
        plural(t.sessions, "session"),
        plural(t.active_days, "active day"),
        plural(t.projects, "project")
    );
    let (tokens, value) = (human(t.total_tokens), money(value));
    let line = match plan {
        Some(Plan::Api) => format!("{value} at API list prices · {tokens} tokens · {counts}"),
        _ => format!("{tokens} tokens · {counts} · API value {value}"),
    };
    sc.text(pal.total, &line, 2);
    if let Some(p) = plan.filter(|&p| p != Plan::Api) {
        sc.text(
            pal.dim,
            &format!(
                "API value is the list-price equivalent of these tokens, not what your {} plan costs.",
                plan_name(p)
            ),
            0,
        );
    }
}

/// The composition bar, its shares by API value, and cache efficiency.
fn composition(c: &ContextReport, sc: &mut Screen) {
    let pal = *sc.pal;
    let comp = &c.composition;
    let v = &comp.api_value_shares;
    sc.blank();
    sc.text(pal.header, "What your tokens paid for", 0);
    let cells = sc.width.saturating_sub(2).min(60);
    sc.raw(format!(" {}", bar_of(&comp.shares, &pal, cells)));
    for l in legend(&comp.shares, &pal, sc.width.saturating_sub(1)) {
        sc.raw(format!(" {l}"));
    }
    sc.text(
        Style::new(),
        &format!(
            "By API value: re-read {} · cache writes {} · new input {} · output {}",
            pct(v.cache_read),
            pct(v.cache_write),
            pct(v.input),
            pct(v.output)
        ),
        2,
    );
    sc.text(
        Style::new(),
        &format!(
            "Cache hit rate {} · {} cache-write tokens expired unread ({})",
            pct(c.cache.hit_rate),
            human(c.cache.expired_writes.tokens),
            money(c.cache.expired_writes.api_value_usd)
        ),
        2,
    );
}

/// The projects with the most tokens; below `NARROW` columns without their API value
/// (or, for `--plan api`, without their tokens).
fn top_projects(c: &ContextReport, total_tokens: u64, plan: Option<Plan>, sc: &mut Screen) {
    sc.blank();
    sc.text(sc.pal.header, "Top projects", 0);
    let narrow = sc.width < NARROW;
    for p in c.by_project.iter().take(TOP_PROJECTS) {
        let share = pct(crate::analyze::ratio(
            p.composition.total_tokens,
            total_tokens,
        ));
        let name = clip(&p.project, 26);
        let tokens = format!("{:>7} tokens", human(p.composition.total_tokens));
        let value = money(p.composition.api_value_usd.total);
        let row = match (narrow, plan == Some(Plan::Api)) {
            (true, true) => format!("  {:<20} {share:>4} {value:>10}", clip(&name, 20)),
            (true, false) => format!("  {:<20} {share:>4} {tokens}", clip(&name, 20)),
            (false, true) => format!("  {name:<26} {share:>4}  {value:>10}  {tokens}"),
            (false, false) => format!("  {name:<26} {share:>4}  {tokens}  API value {value}"),
        };
        sc.raw(row);
    }
}

/// One line each from the sub-agents, the Opus audit and the top recurring inclusion.
fn findings(a: &Analysis, sc: &mut Screen) {
    if let Some(s) = &a.subagents {
        let flag = a
            .summary
            .as_ref()
            .and_then(|x| x.top_flag.as_ref())
            .map(|f| {
                format!(
                    " · top flag: {} ({})",
                    clip(&f.agent_type, 16),
                    flag_phrase(f.kind)
                )
            })
            .unwrap_or_default();
        sc.text(
            Style::new(),
            &format!(
                "Sub-agents: {} of API value in {}{flag}",
                pct(s.api_value_share),
                plural(s.runs.len() as u64, "run")
            ),
            2,
        );
    }
    if let Some(o) = &a.opus_audit {
        let line = if o.opus_tokens == 0 {
            "no Opus use".to_string()
        } else {
            format!(
                "{} of Opus quota in Sonnet-shaped turns · sessions to spot-check: {}",
                pct(o.sonnet_shaped_share),
                o.flagged_sessions.len()
            )
        };
        sc.text(Style::new(), &format!("Opus audit: {line}"), 2);
    }
    if let Some(line) = a
        .attribution
        .as_ref()
        .and_then(|r| super::attribution::summary_line(r, sc.width))
    {
        sc.text(Style::new(), &line, 2);
    }
    if let Some(r) = a.summary.as_ref().and_then(|s| s.top_recurring.as_ref()) {
        let label_room = sc.width.saturating_sub(52).clamp(16, 48);
        sc.text(
            Style::new(),
            &format!(
                "Recurring: {} {} · {}, ~{} tokens (estimated)",
                r.kind.name(),
                clip_left(&r.label, label_room),
                plural(r.sessions, "session"),
                human(r.est_tokens)
            ),
            2,
        );
        sc.text(sc.pal.dim, &format!("  → {}", tty(&r.suggestion)), 4);
    }
}

fn plan_name(p: Plan) -> &'static str {
    match p {
        Plan::Api => "API",
        Plan::Pro => "Pro",
        Plan::Max5 => "Max 5x",
        Plan::Max20 => "Max 20x",
    }
}

fn footer(report: &Report, sc: &mut Screen) {
    let d = &report.diagnostics;
    let skipped = d.skipped_total();
    let skipped = if skipped > 0 {
        format!(" · {} skipped", plural(skipped, "line"))
    } else {
        String::new()
    };
    let w = &report.window;
    let window = window_range(w);
    let dim = sc.pal.dim;
    sc.blank();
    sc.text(
        dim,
        &format!(
            "{window} · {} read{skipped} · prices as of {} · input/output counts are lower bounds",
            plural(d.files_read, "file"),
            report.pricing.as_of
        ),
        0,
    );
    sc.text(
        dim,
        "Deeper: ccrecap context · subagents · opus · activity · daily · --json",
        0,
    );
}
