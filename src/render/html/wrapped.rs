//! The year-in-review page (`ccrecap wrapped`): one self-contained file from the template
//! `templates/wrapped.html`, with the recap's stylesheet (and `wrapped.css`), script, Content-Security-Policy,
//! escaping and filters (`super::environment`). The contribution calendar is an inline
//! SVG placed by `charts::heatmap`; the month, model and project charts are the recap's
//! HTML bar lists. Formatting only: every number comes from `analyze::wrapped`, and the
//! page view decides what is shown and redacted.

use super::{Json, SCRIPT, STYLE, charts, csp_for, environment};
use crate::analyze::wrapped::page::WrappedPage;
use crate::render::fmt;
use minijinja::value::Serde;
use minijinja::{Error, ErrorKind, Value, context};

/// The page's own rules, after the recap's stylesheet.
const WRAPPED_CSS: &str = include_str!("../../../templates/wrapped.css");

/// The page's stylesheet: the recap's and its own (one `<style>`, allowed by its hash).
pub fn style() -> String {
    format!("{STYLE}{WRAPPED_CSS}")
}

/// Renders the page to a complete HTML document.
pub fn render(p: &WrappedPage) -> Result<String, Error> {
    let env = environment()?;
    let style = style();
    let w = &p.wrapped;
    env.get_template("wrapped.html")?.render(context! {
        p => Value::from(Serde(p)),
        data => Value::from_object(Json(
            serde_json::to_string(p)
                .map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string()))?,
        )),
        heat => Value::from(Serde(charts::heatmap(&w.calendar, w.year, charts::HEAT_PAGE))),
        shares => Value::from(Serde(charts::share_bar(&w.composition))),
        month_chart => Value::from(Serde(charts::bars(&month_rows(p)))),
        model_chart => Value::from(Serde(charts::bars(&model_rows(p)))),
        project_chart => Value::from(Serde(charts::bars(&project_rows(p)))),
        month_names => charts::MONTHS,
        csp => csp_for(&style),
        style => Value::from_safe_string(style),
        script => Value::from_safe_string(SCRIPT.to_string()),
    })
}

/// The bars of the month chart (API value): (label, value, shown value, exact title).
fn month_rows(p: &WrappedPage) -> Vec<(String, f64, String, String)> {
    p.wrapped
        .months
        .iter()
        .zip(charts::MONTHS)
        .map(|(m, name)| {
            let tier = m
                .tier
                .as_ref()
                .map_or_else(String::new, |t| format!("; tier {} ({})", t.grade, t.name));
            let title = format!(
                "{}: {} tokens, {} on {}{tier}",
                m.month,
                fmt::thousands(m.total_tokens),
                fmt::money(m.api_value_usd),
                fmt::plural(m.active_days, "active day"),
            );
            (
                name.to_string(),
                m.api_value_usd,
                fmt::money(m.api_value_usd),
                title,
            )
        })
        .collect()
}

/// The bars of the model chart (tokens).
fn model_rows(p: &WrappedPage) -> Vec<(String, f64, String, String)> {
    p.wrapped
        .top_models
        .iter()
        .map(|m| {
            let value = m
                .api_value_usd
                .map_or_else(|| "unpriced".into(), fmt::money);
            let title = format!(
                "{}: {} tokens ({} of the year's), {value}",
                m.model,
                fmt::thousands(m.total_tokens),
                fmt::pct(m.token_share)
            );
            (
                fmt::short_model(&m.model),
                m.total_tokens as f64,
                fmt::human(m.total_tokens),
                title,
            )
        })
        .collect()
}

/// The bars of the project chart (API value).
fn project_rows(p: &WrappedPage) -> Vec<(String, f64, String, String)> {
    p.wrapped
        .top_projects
        .iter()
        .map(|r| {
            let title = format!(
                "{} tokens in {}, {} ({} of the year's API value)",
                fmt::thousands(r.total_tokens),
                fmt::plural(r.sessions, "session"),
                fmt::money(r.api_value_usd),
                fmt::pct(r.value_share)
            );
            (
                r.project.clone(),
                r.api_value_usd,
                fmt::money(r.api_value_usd),
                title,
            )
        })
        .collect()
}
