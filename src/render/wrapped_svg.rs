//! The year in review as a 1200×630 SVG card (`ccrecap wrapped`), from the minijinja
//! template `templates/wrapped.svg` in the quota card's environment (`card_svg`: every
//! value escaped, control characters shown). Paste-safe: the year's totals, the top
//! model, the tier and a calendar of shades; no project names, paths or prompt text. No
//! scripts, no external references. Formatting and placement only: the numbers come from
//! the page view (`analyze::wrapped::page`).

use crate::analyze::wrapped::page::WrappedPage;
use crate::render::card_svg::environment;
use crate::render::fmt::{self, human, money, pct, plural};
use crate::render::html::charts::{self, HeatLayout};
use chrono::NaiveDate;
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
    let streak = w
        .longest_streak
        .map_or_else(|| "none".into(), |s| plural(s.days, "day"));
    let streak_sub = w.longest_streak.map_or_else(String::new, |s| {
        format!("{} – {}", short_date(s.first), short_date(s.last))
    });
    let (busiest, busiest_sub) = w.busiest_day.map_or_else(
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
    let figure = |label: &str, value: &str, sub: &str| {
        Value::from_pairs([
            ("label", Value::from(label)),
            ("value", Value::from(value)),
            ("sub", Value::from(sub)),
        ])
    };
    let tokens = human(w.composition.total_tokens);
    let value = money(w.api_value_usd);
    let figures = vec![
        figure(
            "Tokens",
            &tokens,
            &format!("{} re-read", pct(w.composition.shares.cache_read)),
        ),
        figure("API value", &value, "at API list prices"),
        figure("Longest streak", &streak, &streak_sub),
        figure("Busiest day", &busiest, &busiest_sub),
    ];
    let model = w.top_models.first().map_or_else(
        || "none".into(),
        |m| {
            format!(
                "{} · {} of tokens",
                fmt::short_model(&m.model),
                pct(m.token_share)
            )
        },
    );
    let opus = if w.opus.opus_tokens > 0 {
        format!(
            " · Opus on Sonnet-shaped turns: {}",
            pct(w.opus.sonnet_shaped_share)
        )
    } else {
        String::new()
    };
    let agents = format!(
        "Sub-agents: {} of API value{opus}",
        pct(w.subagents.api_value_share)
    );
    let tier = w.tier.as_ref();
    env.get_template("wrapped.svg")?.render(context! {
        year => w.year,
        dates => dates,
        empty => w.composition.total_tokens == 0,
        grade => tier.map_or("–", |t| t.grade),
        tier => tier.map_or("unpriced", |t| t.name),
        tokens => tokens,
        value => value,
        active => plural(w.active_days, "active day"),
        streak => streak,
        busiest => busiest,
        busiest_sub => busiest_sub,
        model => model,
        agents => agents,
        figures => figures,
        heat => Value::from(minijinja::value::Serde(charts::heatmap(&w.calendar, w.year, HEAT))),
        shades => SHADES,
    })
}
