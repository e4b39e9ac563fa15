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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::recap::redact::Privacy;
    use crate::analyze::value::Composition;
    use crate::analyze::wrapped::calendar::{DayFigure, calendar};
    use crate::analyze::wrapped::page::{build, report_with};
    use crate::analyze::wrapped::{ModelShare, ProjectShare};

    #[test]
    fn hostile_names_stay_text_in_well_formed_xml() {
        let hostile = "claude-</text><script>alert(1)</script>\u{1b}]0;x\u{7}&\u{202e}";
        let day = DayFigure {
            date: NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
            total_tokens: 10,
            api_value_usd: 0.5,
        };
        let w = Wrapped {
            year: 2026,
            first_active: Some(day.date),
            last_active: Some(day.date),
            active_days: 1,
            busiest_day: Some(day),
            top_models: vec![ModelShare {
                model: hostile.into(),
                total_tokens: 10,
                token_share: 1.0,
                api_value_usd: None,
            }],
            top_projects: vec![ProjectShare {
                project: "secret-client".into(),
                ..Default::default()
            }],
            calendar: calendar(2026, &[day]),
            composition: Composition {
                total_tokens: 10,
                ..Default::default()
            },
            ..Default::default()
        };
        let page = build(&report_with(w, &[]), Privacy::default()).unwrap();
        let svg = render(&page).unwrap();
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        assert!(doc.descendants().all(|n| !n.has_tag_name("script")));
        let text: String = doc.descendants().filter_map(|n| n.text()).collect();
        // The model is text, its control and bidi characters shown as escapes.
        assert!(
            text.contains(r"</text><script>alert(1)</script>\x1b]0;x\x07&\u{202e}"),
            "{text}"
        );
        assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'));
        assert!(!svg.contains("secret-client"), "the card names no project");
        let cells = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect") && n.attribute("width") == Some("17"))
            .collect::<Vec<_>>();
        assert_eq!(cells.len(), 365);
        let shaded = cells
            .iter()
            .filter(|n| n.attribute("fill") != Some(SHADES[0]))
            .count();
        assert_eq!(shaded, 1);
    }
}
