//! The terminal view of one session (`ccrecap session --id`): a header (project, span,
//! active time, model mix, tokens, API value and its share of the window), then the
//! timeline — a line per turn, a row per API call (context split into re-read, cache
//! write, new input, output, and its API value), the call's tool calls and thinking, the
//! sub-agent runs it spawned (nested), inline markers — and the session's biggest lever.
//! Every line fits the width it is given (120 columns in a pipe): narrow terminals lose
//! the least useful call columns first, text is clipped or wrapped. `--turns N` keeps the
//! N turns with the most API value. Formatting only; transcript strings pass `tty`.

use super::Palette;
use super::TerminalOptions;
use crate::analyze::session::{Call, Marker, SessionDetail, SubagentRun, Turn};
use crate::render::fmt::{clip, duration, human, money_fine, pct, plural, short_model, wrap};
use crate::time::Timestamp;
use owo_colors::OwoColorize;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Indent of call rows, and of the lines under them.
const ROW: usize = 3;
const UNDER: usize = 13;
/// Cells of the context bar (wide terminals only).
const BAR: usize = 16;

/// One column of the call rows: its heading, width, and drop order (lowest first; 255
/// never dropped).
struct Col {
    title: &'static str,
    width: usize,
    priority: u8,
}

const COLS: [Col; 9] = [
    Col {
        title: "time",
        width: 8,
        priority: 255,
    },
    Col {
        title: "model",
        width: 12,
        priority: 40,
    },
    Col {
        title: "context",
        width: 7,
        priority: 255,
    },
    Col {
        title: "re-read",
        width: 7,
        priority: 30,
    },
    Col {
        title: "write",
        width: 7,
        priority: 20,
    },
    Col {
        title: "new",
        width: 6,
        priority: 10,
    },
    Col {
        title: "out",
        width: 6,
        priority: 25,
    },
    Col {
        title: "value",
        width: 8,
        priority: 255,
    },
    Col {
        title: "",
        width: BAR,
        priority: 5,
    },
];

/// How the timeline is laid out.
struct Layout<'a> {
    width: usize,
    /// Which of `COLS` are shown.
    keep: [bool; 9],
    d: &'a SessionDetail,
    pal: &'a Palette,
    /// The largest context of the session (the bar's full length).
    peak: u64,
}

pub fn write(
    d: &SessionDetail,
    o: &TerminalOptions,
    pal: &Palette,
    out: &mut dyn Write,
) -> io::Result<()> {
    let width = o.layout.width.max(40);
    let l = Layout {
        width,
        keep: keep(width),
        d,
        pal,
        peak: d.turns.iter().map(|t| t.context_max).max().unwrap_or(0),
    };
    l.header(out)?;
    writeln!(out)?;
    if d.turns.is_empty() && d.unattached_runs.is_empty() {
        writeln!(out, " No API calls in this window.")?;
    } else {
        l.line(out, &l.columns(), Some(pal.dim))?;
        l.timeline(o.turns, out)?;
    }
    writeln!(out)?;
    l.wrapped(out, &format!("Biggest lever: {}", d.lever.text), 1, 3, None)?;
    l.legend(out)
}

/// Columns a call row takes with the columns `k`.
fn row_width(k: &[bool; 9]) -> usize {
    let shown: Vec<usize> = COLS
        .iter()
        .zip(k)
        .filter(|(_, k)| **k)
        .map(|(c, _)| c.width)
        .collect();
    ROW + shown.iter().sum::<usize>() + 2 * shown.len().saturating_sub(1)
}

/// Which columns fit in `width`.
fn keep(width: usize) -> [bool; 9] {
    let mut keep = [true; 9];
    let need = |k: &[bool; 9]| -> usize { row_width(k) };
    let mut order: Vec<usize> = (0..COLS.len()).collect();
    order.sort_by_key(|&i| COLS[i].priority);
    for i in order {
        if need(&keep) <= width || COLS[i].priority == 255 {
            break;
        }
        keep[i] = false;
    }
    keep
}

impl Layout<'_> {
    /// One line, clipped to the width, in `style`.
    fn line(
        &self,
        out: &mut dyn Write,
        text: &str,
        style: Option<owo_colors::Style>,
    ) -> io::Result<()> {
        let text = clip(text, self.width);
        match style {
            Some(s) => writeln!(out, "{}", text.style(s)),
            None => writeln!(out, "{text}"),
        }
    }

    /// `text` wrapped to the width: the first line indented `first`, the rest `rest`.
    fn wrapped(
        &self,
        out: &mut dyn Write,
        text: &str,
        first: usize,
        rest: usize,
        style: Option<owo_colors::Style>,
    ) -> io::Result<()> {
        let room = self.width.saturating_sub(rest).max(10);
        for (i, part) in wrap(text, room).into_iter().enumerate() {
            let lead = if i == 0 { first } else { rest };
            self.line(out, &format!("{}{part}", " ".repeat(lead)), style)?;
        }
        Ok(())
    }

    fn header(&self, out: &mut dyn Write) -> io::Result<()> {
        let d = self.d;
        let t = &d.totals;
        let span = match (d.first_activity, d.last_activity) {
            (Some(a), Some(b)) => format!(
                " · {} → {} · {} wall, {} active",
                self.at(a, "%Y-%m-%d %H:%M"),
                self.at(
                    b,
                    if same_day(d, a, b) {
                        "%H:%M"
                    } else {
                        "%Y-%m-%d %H:%M"
                    }
                ),
                duration(d.wall_ms),
                duration(d.active_ms)
            ),
            _ => String::new(),
        };
        self.line(out, &format!(" {}{span}", d.project), Some(self.pal.header))?;
        self.labelled(out, "Models", &models(d))?;
        let tokens = format!(
            "{}: re-read {} · cache writes {} · new input {} · output {}",
            human(t.tokens.total_tokens),
            human(t.tokens.cache_read_tokens),
            human(t.tokens.cache_write_tokens),
            human(t.tokens.input_tokens),
            human(t.tokens.output_tokens)
        );
        self.labelled(out, "Tokens", &tokens)?;
        self.labelled(out, "API value", &value_line(d))?;
        self.labelled(out, "Activity", &activity_line(d))
    }

    /// A header line: its label in a fixed column, then the text wrapped under it.
    fn labelled(&self, out: &mut dyn Write, label: &str, text: &str) -> io::Result<()> {
        let room = self.width.saturating_sub(12).max(10);
        for (i, part) in wrap(text, room).into_iter().enumerate() {
            let lead = if i == 0 { label } else { "" };
            self.line(out, &format!(" {lead:<10} {part}"), None)?;
        }
        Ok(())
    }

    /// A local time of the session's zone.
    fn at(&self, t: Timestamp, fmt: &str) -> String {
        self.d.zone.local(t.0).format(fmt).to_string()
    }

    /// The headings of the call rows.
    fn columns(&self) -> String {
        let cells: Vec<String> = COLS
            .iter()
            .zip(&self.keep)
            .filter(|(_, k)| **k)
            .map(|(c, _)| match c.title {
                "time" | "model" | "" => format!("{:<w$}", c.title, w = c.width),
                t => format!("{t:>w$}", w = c.width),
            })
            .collect();
        format!("{}{}", " ".repeat(ROW), cells.join("  ").trim_end())
    }

    /// The turns (all, or the `limit` with the most API value), their markers between.
    /// A marker sits before the call at its position: before a turn's heading when that
    /// call opens a shown turn, under the "not shown" line when it is in a hidden one.
    fn timeline(&self, limit: Option<usize>, out: &mut dyn Write) -> io::Result<()> {
        let d = self.d;
        let shown = |t: &Turn| limit.is_none_or(|n| t.value_rank as usize <= n);
        let mut pos = 0usize;
        let mut hidden: Option<(u32, u32, usize)> = None;
        for t in &d.turns {
            if !shown(t) {
                let first = hidden.map_or((t.turn, pos), |h| (h.0, h.2));
                hidden = Some((first.0, t.turn, first.1));
                pos += t.calls.len();
                continue;
            }
            if let Some(h) = hidden.take() {
                self.elided(out, h, pos)?;
            }
            self.markers(out, |m| m.position as usize == pos)?;
            self.turn(out, t, pos)?;
            pos += t.calls.len();
        }
        match hidden {
            Some(h) => self.elided(out, h, usize::MAX)?,
            None => self.markers(out, |m| m.position as usize >= pos)?,
        }
        for run in &d.unattached_runs {
            self.run(out, run, 1)?;
        }
        if let Some(n) = limit.filter(|&n| n < d.turns.len()) {
            let text = format!(
                "Showing the {} with the most API value of {} (--turns).",
                plural(n as u64, "turn"),
                d.turns.len()
            );
            self.line(out, &format!(" {text}"), Some(self.pal.dim))?;
        }
        Ok(())
    }

    /// A line for the turns `first..=last` left out by `--turns`, and the markers among
    /// their calls (positions `from..to`).
    fn elided(
        &self,
        out: &mut dyn Write,
        (first, last, from): (u32, u32, usize),
        to: usize,
    ) -> io::Result<()> {
        let which = if first == last {
            format!("turn {first}")
        } else {
            format!("turns {first}–{last}")
        };
        self.line(out, &format!(" ··· {which} not shown"), Some(self.pal.dim))?;
        self.markers(out, |m| (from..to).contains(&(m.position as usize)))
    }

    /// The markers that `pick` selects.
    fn markers(&self, out: &mut dyn Write, pick: impl Fn(&Marker) -> bool) -> io::Result<()> {
        for m in self.d.markers.iter().filter(|m| pick(m)) {
            let style = match m.kind {
                "cache_expiry" | "api_error" | "interrupt" => self.pal.warn,
                _ => self.pal.accent,
            };
            self.wrapped(out, &format!("── {}", m.text), ROW, ROW + 3, Some(style))?;
        }
        Ok(())
    }

    /// A turn: its heading, its prompt when shown, and its calls with the markers
    /// between them (`pos`: main-thread calls before it).
    fn turn(&self, out: &mut dyn Write, t: &Turn, pos: usize) -> io::Result<()> {
        self.line(out, &turn_heading(self, t), Some(self.pal.header))?;
        if let Some(p) = &t.prompt_preview {
            self.line(out, &format!("   “{p}”"), Some(self.pal.dim))?;
        }
        for (k, c) in t.calls.iter().enumerate() {
            if k > 0 {
                self.markers(out, |m| m.position as usize == pos + k)?;
            }
            self.call(out, c, ROW)?;
        }
        Ok(())
    }

    /// A call's row, its tools and thinking, and the runs it spawned.
    fn call(&self, out: &mut dyn Write, c: &Call, indent: usize) -> io::Result<()> {
        self.line(out, &self.row(c, indent), None)?;
        let mut items: Vec<String> = c.tools.iter().map(tool_item).collect();
        if c.thinking_chars > 0 {
            items.push(format!("thinking {}", human(u64::from(c.thinking_chars))));
        }
        if !items.is_empty() {
            let under = (indent + UNDER - ROW).min(self.width / 2);
            self.wrapped(out, &items.join(" · "), under, under, Some(self.pal.dim))?;
        }
        for run in &c.subagent_runs {
            self.run(out, run, 1)?;
        }
        Ok(())
    }

    /// A call's cells (`indent` columns in).
    fn row(&self, c: &Call, indent: usize) -> String {
        let time = c
            .timestamp
            .map_or_else(|| "undated".into(), |t| self.at(t, "%H:%M:%S"));
        let t = &c.tokens;
        let cells = [
            format!("{time:<8}"),
            format!("{:<12}", clip(&short_model(&c.model), 12)),
            format!("{:>7}", human(c.context_tokens)),
            format!("{:>7}", human(t.cache_read_tokens)),
            format!("{:>7}", human(t.cache_write_tokens)),
            format!("{:>6}", human(t.input_tokens)),
            format!("{:>6}", human(t.output_tokens)),
            format!("{:>8}", money_fine(c.api_value_usd)),
            self.bar(c),
        ];
        let shown: Vec<&str> = cells
            .iter()
            .zip(&self.keep)
            .filter(|(_, k)| **k)
            .map(|(c, _)| c.as_str())
            .collect();
        format!("{}{}", " ".repeat(indent), shown.join("  ").trim_end())
    }

    /// The call's context as a bar against the session's peak: re-read, cache writes,
    /// new input.
    fn bar(&self, c: &Call) -> String {
        if self.peak == 0 {
            return String::new();
        }
        let cells = |n: u64| ((n as f64 / self.peak as f64) * BAR as f64).round() as usize;
        let t = &c.tokens;
        let (r, w, i) = (
            cells(t.cache_read_tokens),
            cells(t.cache_write_tokens),
            cells(t.input_tokens),
        );
        let mut s = format!("{}{}{}", "█".repeat(r), "▓".repeat(w), "▒".repeat(i));
        if s.chars().count() > BAR {
            s = s.chars().take(BAR).collect();
        }
        s
    }

    /// A sub-agent run at `depth`, and the runs its calls spawned.
    fn run(&self, out: &mut dyn Write, r: &SubagentRun, depth: usize) -> io::Result<()> {
        let lead = (UNDER + 2 * (depth - 1)).min(self.width / 2);
        let mut text = format!(
            "└ {} · {} · {} tokens · {} · {}",
            r.agent_type,
            r.models
                .iter()
                .map(|m| short_model(m))
                .collect::<Vec<_>>()
                .join(", "),
            human(r.tokens.total_tokens),
            money_fine(r.api_value_usd),
            plural(r.tool_calls, "tool call")
        );
        if let Some(ms) = r.duration_ms {
            let _ = write!(text, " · {}", duration(ms));
        }
        for f in &r.flags {
            let _ = write!(text, " ⚑ {}", f.kind.replace('_', "-"));
        }
        if let Some(desc) = &r.description {
            let _ = write!(text, " · “{desc}”");
        }
        let style = if r.flags.is_empty() {
            self.pal.accent
        } else {
            self.pal.warn
        };
        self.wrapped(out, &text, lead, lead + 2, Some(style))?;
        for c in &r.calls {
            for child in &c.subagent_runs {
                self.run(out, child, depth + 1)?;
            }
        }
        Ok(())
    }

    fn legend(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut text = String::from(
            "context = re-read + cache writes + new input; value at list prices; ✗ tool error; ⚑ right-sizing flag (a candidate); thinking in characters",
        );
        if !self.d.privacy.show_prompts {
            text.push_str("; prompts, commands and errors hidden (--show-prompts shows them)");
        }
        let hidden: Vec<&str> = COLS[..8]
            .iter()
            .zip(&self.keep)
            .filter(|(_, k)| !**k)
            .map(|(c, _)| c.title)
            .collect();
        if !hidden.is_empty() {
            let _ = write!(
                text,
                "; compact: hid {} (widen the terminal or use --json)",
                hidden.join(", ")
            );
        }
        self.wrapped(out, &text, 1, 1, Some(self.pal.dim))
    }
}

fn same_day(d: &SessionDetail, a: Timestamp, b: Timestamp) -> bool {
    d.zone.date_of(a.0) == d.zone.date_of(b.0)
}

/// A turn's heading: number, start, calls, value and the Opus audit's verdict.
fn turn_heading(l: &Layout, t: &Turn) -> String {
    let mut parts = vec![format!(" Turn {}", t.turn)];
    if let Some(s) = t.start {
        parts.push(l.at(s, "%H:%M"));
    }
    if !t.opened_by_prompt {
        parts.push("carried over, no prompt".into());
    } else if t.prompt_kind == Some("command") {
        parts.push("slash command".into());
    }
    parts.push(plural(t.calls.len() as u64, "call"));
    let mut value = money_fine(t.api_value_usd);
    if t.subagent_api_value_usd > 0.0 {
        let _ = write!(
            value,
            " + {} in sub-agents",
            money_fine(t.subagent_api_value_usd)
        );
    }
    parts.push(value);
    if let Some(v) = t.opus_verdict {
        parts.push(match v {
            "sonnet_shaped" => "Sonnet-shaped Opus turn".into(),
            "small_alone" => "small Opus turn".into(),
            _ => "Opus-sized".into(),
        });
    }
    parts.join(" · ")
}

/// A tool call in a few characters: name, subject, duration, error mark.
fn tool_item(t: &crate::analyze::session::ToolUse) -> String {
    let mut s = t.name.clone();
    if let Some(subject) = &t.subject {
        s.push(' ');
        s.push_str(&clip(subject, 32));
    }
    if let Some(ms) = t.duration_ms {
        s.push(' ');
        s.push_str(&duration(ms));
    }
    if t.is_error {
        s.push_str(" ✗");
        if let Some(e) = &t.error {
            let _ = write!(s, " {}", clip(e, 40));
        }
    }
    s
}

/// The model mix: each model's API value and share, largest first.
fn models(d: &SessionDetail) -> String {
    let parts: Vec<String> = d
        .models
        .iter()
        .map(|m| {
            format!(
                "{} {} ({})",
                short_model(&m.model),
                money_fine(m.api_value_usd),
                pct(m.share)
            )
        })
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(" · ")
    }
}

fn value_line(d: &SessionDetail) -> String {
    let w = &d.window;
    let days = match (w.since, w.until) {
        (Some(a), Some(b)) if a == b => format!(" ({a})"),
        (Some(a), Some(b)) => format!(" ({a} → {b})"),
        (Some(a), None) => format!(" (since {a})"),
        (None, Some(b)) => format!(" (until {b})"),
        (None, None) => " (all history)".into(),
    };
    let mut s = format!(
        "{} · {} of the window's {}{days}",
        money_fine(d.totals.api_value_usd),
        pct(w.share),
        money_fine(w.window_api_value_usd)
    );
    if d.totals.cost_usd > 0.0 && (d.totals.cost_usd - d.totals.api_value_usd).abs() >= 0.005 {
        let _ = write!(s, " · cost {}", money_fine(d.totals.cost_usd));
    }
    if !d.totals.unpriced_models.is_empty() {
        s.push_str(" · unpriced models left out");
    }
    s
}

fn activity_line(d: &SessionDetail) -> String {
    let t = &d.totals;
    let mut parts = vec![
        plural(t.turns, "turn"),
        plural(t.calls, "API call"),
        format!(
            "{} ({})",
            plural(t.tool_calls, "tool call"),
            plural(t.tool_errors, "error")
        ),
        plural(t.subagent_runs, "sub-agent run"),
    ];
    for (n, what) in [
        (t.compactions, "compaction"),
        (t.api_errors, "API error"),
        (t.interrupts, "interrupt"),
    ] {
        if n > 0 {
            parts.push(plural(n, what));
        }
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fmt::width;

    #[test]
    fn narrow_terminals_drop_the_least_useful_columns_first() {
        let fits = |w: usize| row_width(&keep(w));
        assert!(keep(120).iter().all(|&k| k), "everything at 120");
        assert!(
            !keep(80)[8] && keep(80)[3],
            "no bar at 80, the classes stay"
        );
        for w in [40, 60, 80, 100, 120] {
            assert!(fits(w) <= w, "{w}: {}", fits(w));
        }
        let k = keep(40);
        assert!(k[0] && k[2] && k[7], "time, context and value always stay");
    }

    #[test]
    fn widths_count_columns() {
        assert_eq!(width("└ ✗ ⚑"), 5);
    }
}
