//! The year in review as a 1200×630 SVG card (`ccrecap wrapped`), from the minijinja
//! template `templates/wrapped.svg` in the quota card's environment (`card_svg`: every
//! value escaped, control characters shown). Paste-safe: the year's totals, the top
//! model, the tier and a calendar of shades; no project names, paths or prompt text. No
//! scripts, no external references. Formatting and placement only: the numbers come from
//! the page view (`analyze::wrapped::page`).

use crate::analyze::wrapped::Wrapped;
use crate::analyze::wrapped::page::WrappedPage;
use crate::render::card_svg::environment;
use crate::render::fmt::{self, human, money, pct, plural};
use crate::render::html::charts::{self, HeatLayout};
use chrono::NaiveDate;
use minijinja::value::Serde;
use minijinja::{Value, context};

const TEMPLATE: &str = include_str!("../../templates/wrapped.svg");

/// The card's calendar: 53 weeks of 20 units across the card, under the figures.
const HEAT: HeatLayout = HeatLayout {
    cell: 17.0,
    gap: 3.0,
    left: 64.0,
    top: 414.0,
};

/// The fill of each shade, none to the darkest quarter (on the card's dark ground).
const SHADES: [&str; 5] = ["#1e293b", "#0c4a6e", "#0369a1", "#0ea5e9", "#7dd3fc"];

/// `Mar 4`.
fn short_date(d: NaiveDate) -> String {
    d.format("%b %-d").to_string()
}

/// Renders the card to SVG text.
pub fn render(p: &WrappedPage) -> Result<String, minijinja::Error> {
    let env = environment("wrapped.svg", TEMPLATE)?;
    let w = &p.wrapped;
    let dates = match (w.first_active, w.last_active) {
        (Some(a), Some(b)) => format!(
            "{} – {} · {} · {}",
            short_date(a),
            short_date(b),
            plural(w.active_days, "active day"),
            plural(w.sessions, "session")
        ),
        _ => format!("{} ({})", w.year, p.window.timezone),
    };
    let figures = figures(w);
    let tier = w.tier.as_ref();
    env.get_template("wrapped.svg")?.render(context! {
        year => w.year,
        dates => dates,
        empty => w.composition.total_tokens == 0,
        grade => tier.map_or("–", |t| t.grade),
        tier => tier.map_or("unpriced", |t| t.name),
        active => plural(w.active_days, "active day"),
        model => model_line(w),
        agents => agents_line(w),
        desc => figures.iter().map(|f| format!("{} {} ({})", f.0, f.1, f.2)).collect::<Vec<_>>().join("; "),
        figures => figures.iter().map(|(label, value, sub)| Value::from_pairs([
            ("label", Value::from(*label)),
            ("value", Value::from(value.as_str())),
            ("sub", Value::from(sub.as_str())),
        ])).collect::<Vec<_>>(),
        heat => Value::from(Serde(charts::heatmap(&w.calendar, w.year, HEAT))),
        shades => SHADES,
    })
}

/// The four big numbers: (label, value, the line under it).
fn figures(w: &Wrapped) -> [(&'static str, String, String); 4] {
    let streak = w.longest_streak.map_or_else(
        || ("none".into(), String::new()),
        |s| {
            (
                plural(s.days, "day"),
                format!("{} – {}", short_date(s.first), short_date(s.last)),
            )
        },
    );
    let busiest = w.busiest_day.map_or_else(
        || ("none".into(), String::new()),
        |d| {
            (
                short_date(d.date),
                format!(
                    "{} tokens · {}",
                    human(d.total_tokens),
                    money(d.api_value_usd)
                ),
            )
        },
    );
    [
        (
            "Tokens",
            human(w.composition.total_tokens),
            format!("{} re-read", pct(w.composition.shares.cache_read)),
        ),
        (
            "API value",
            money(w.api_value_usd),
            "at API list prices".into(),
        ),
        ("Longest streak", streak.0, streak.1),
        ("Busiest day", busiest.0, busiest.1),
    ]
}

/// The top model and its share of the tokens.
fn model_line(w: &Wrapped) -> String {
    w.top_models.first().map_or_else(
        || "none".into(),
        |m| {
            format!(
                "{} · {} of tokens",
                fmt::short_model(&m.model),
                pct(m.token_share)
            )
        },
    )
}

/// The sub-agents' share and the Opus audit's headline.
fn agents_line(w: &Wrapped) -> String {
    let opus = if w.opus.opus_tokens > 0 {
        format!(
            " · Opus quota on Sonnet-shaped turns: {}",
            pct(w.opus.sonnet_shaped_share)
        )
    } else {
        String::new()
    };
    format!(
        "Sub-agents: {} of API value{opus}",
        pct(w.subagents.api_value_share)
    )
}
