//! The first-run summary (`ccrecap` with no subcommand): one screen, at most 40 lines at
//! 100 columns — the headline, the composition bar, cache efficiency, top projects,
//! sub-agents, the Opus audit, the top recurring inclusion and one next step, then a
//! footer with the window, what was read, prices and the commands that go deeper. Numbers
//! are framed by `--plan`: subscriptions lead with tokens and show dollars as "API
//! value"; `api` leads with dollars; no plan shows both. Formatting only.

use super::context::{bar, legend};
use super::table::Palette;
use super::text::{clip, clip_left, place, short, wrap};
use super::{money, num};
use crate::analyze::{Analysis, Report};
use crate::cli::Plan;
use crate::render::sanitize::tty;
use owo_colors::OwoColorize;
use std::io::Write;

/// Projects listed.
const TOP_PROJECTS: usize = 4;

pub fn write(
    report: &Report,
    a: &Analysis,
    plan: Option<Plan>,
    pal: &Palette,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let t = &a.totals;
    let w = &report.window;
    let range = match (&w.since, &w.until) {
        (None, None) => "all history".to_string(),
        (s, u) => format!(
            "{} → {}",
            s.as_deref().unwrap_or("start"),
            u.as_deref().unwrap_or("now")
        ),
    };
    writeln!(
        out,
        "\n {}  {}",
        "ccrecap".style(pal.header),
        format!("{range} · {}", tty(&w.timezone)).style(pal.dim)
    )?;
    writeln!(out)?;
    if t.total_tokens == 0 {
        writeln!(out, " No usage in this window. Try --all, or --days N.")?;
        return footer(report, pal, out);
    }
    let value = a
        .context
        .as_ref()
        .map_or(t.cost_usd, |c| c.composition.api_value_usd.total);
    let counts = format!(
        "{} sessions · {} active days · {} projects",
        num(t.sessions),
        num(t.active_days),
        num(t.projects)
    );
    let headline = match plan {
        Some(Plan::Api) => format!(
            " {} at API list prices · {} tokens · {counts}",
            money(value).style(pal.total),
            short(t.total_tokens)
        ),
        Some(p) => format!(
            " {} tokens · {counts} · API value {}\n {}",
            short(t.total_tokens).style(pal.total),
            money(value),
            format!(
                "API value is the list-price equivalent of these tokens, not what your {} plan costs.",
                plan_name(p)
            )
            .style(pal.dim)
        ),
        None => format!(
            " {} tokens · {counts} · API value {}",
            short(t.total_tokens).style(pal.total),
            money(value)
        ),
    };
    writeln!(out, "{headline}")?;
    if let Some(c) = &a.context {
        let comp = &c.composition;
        writeln!(out)?;
        writeln!(out, " {}", "What your tokens paid for".style(pal.header))?;
        writeln!(out, " {}", bar(&comp.shares, pal))?;
        writeln!(out, " {}", legend(&comp.shares))?;
        writeln!(
            out,
            " By API value: re-read {:.0}% · cache writes {:.0}% · new input {:.0}% · output {:.0}%",
            comp.api_value_shares.cache_read * 100.0,
            comp.api_value_shares.cache_write * 100.0,
            comp.api_value_shares.input * 100.0,
            comp.api_value_shares.output * 100.0
        )?;
        writeln!(
            out,
            " Cache hit rate {:.1}% · {} cache-write tokens expired unread ({})",
            c.cache.hit_rate * 100.0,
            short(c.cache.expired_writes.tokens),
            money(c.cache.expired_writes.api_value_usd)
        )?;
        writeln!(out)?;
        writeln!(out, " {}", "Top projects".style(pal.header))?;
        for p in c.by_project.iter().take(TOP_PROJECTS) {
            let share = if t.total_tokens > 0 {
                p.composition.total_tokens as f64 / t.total_tokens as f64 * 100.0
            } else {
                0.0
            };
            let money_first = plan == Some(Plan::Api);
            let value = money(p.composition.api_value_usd.total);
            let (first, second) = if money_first {
                (
                    format!("{value:>10}"),
                    format!("{:>7} tokens", short(p.composition.total_tokens)),
                )
            } else {
                (
                    format!("{:>7} tokens", short(p.composition.total_tokens)),
                    format!("API value {value}"),
                )
            };
            writeln!(
                out,
                "  {:<26} {:>5.1}%  {first}  {second}",
                place(p.cwd.as_deref(), &p.project),
                share
            )?;
        }
    }
    writeln!(out)?;
    if let Some(s) = &a.subagents {
        let flag = a
            .summary
            .as_ref()
            .and_then(|x| x.top_flag.as_ref())
            .map(|f| format!(" · top flag: {} {}", clip(&f.agent_type, 16), f.kind))
            .unwrap_or_default();
        writeln!(
            out,
            " {}  {:.1}% of API value in {} runs{flag}",
            "Sub-agents".style(pal.header),
            s.share_of_window * 100.0,
            num(s.runs.len() as u64)
        )?;
    }
    if let Some(o) = &a.opus_audit {
        let line = if o.opus_tokens == 0 {
            "no Opus use".to_string()
        } else {
            format!(
                "{:.1}% of Opus quota in Sonnet-shaped turns · sessions to spot-check: {}",
                o.sonnet_shaped_share * 100.0,
                num(o.flagged_sessions.len() as u64)
            )
        };
        writeln!(out, " {}  {line}", "Opus audit".style(pal.header))?;
    }
    if let Some(r) = a.summary.as_ref().and_then(|s| s.top_recurring.as_ref()) {
        writeln!(
            out,
            " {}   {} {} · {} sessions, ~{} tokens",
            "Recurring".style(pal.header),
            serde_json::to_value(r.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            clip_left(&r.label, 48),
            num(r.sessions),
            short(r.est_tokens)
        )?;
        for l in wrap(&format!("→ {}", tty(&r.suggestion)), 84) {
            writeln!(out, "              {}", l.style(pal.dim))?;
        }
    }
    if let Some(step) = a.summary.as_ref().map(|s| &s.next_step) {
        writeln!(out)?;
        let text = format!("Next step: {}.", tty(&step.text));
        for l in wrap(&text, 96) {
            writeln!(out, " {}", l.style(pal.accent))?;
        }
        writeln!(
            out,
            " {}",
            format!("Details: {}", step.command).style(pal.dim)
        )?;
    }
    footer(report, pal, out)
}

fn plan_name(p: Plan) -> &'static str {
    match p {
        Plan::Api => "API",
        Plan::Pro => "Pro",
        Plan::Max5 => "Max 5x",
        Plan::Max20 => "Max 20x",
    }
}

fn footer(report: &Report, pal: &Palette, out: &mut impl Write) -> std::io::Result<()> {
    let d = &report.diagnostics;
    let skipped: u64 = d.skipped_lines.values().sum();
    let skipped = if skipped > 0 {
        format!(" · {} lines skipped", num(skipped))
    } else {
        String::new()
    };
    writeln!(out)?;
    writeln!(
        out,
        " {}",
        format!(
            "{} files read{skipped} · prices as of {} · input/output counts are lower bounds",
            num(d.files_read),
            report.pricing.as_of
        )
        .style(pal.dim)
    )?;
    writeln!(
        out,
        " {}",
        "Deeper: ccrecap context · subagents · opus · activity · daily · --json".style(pal.dim)
    )
}
