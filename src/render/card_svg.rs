//! The quota card as a 1200×630 SVG (`ccrecap card --svg FILE`), from the minijinja
//! template `templates/card.svg`. Every value is escaped: minijinja leaves `.svg`
//! templates unescaped by default, so the environment turns HTML escaping on for them
//! (its entities are valid XML), and control and bidi characters from transcripts become
//! visible escapes first (`sanitize::tty`). No scripts, no external references; text only
//! from the card, which holds no paths or prompt text. Formatting only.

use crate::analyze::card::Card;
use crate::render::fmt::pct;
use crate::render::sanitize::tty;
use crate::render::terminal::card::{
    cache_line, change_line, dates, habits_line, opus_line, overhead_line, tier_line, title,
};
use minijinja::{AutoEscape, Environment, Value, context};

const TEMPLATE: &str = include_str!("../../templates/card.svg");
/// The bar spans x = 64 to 1136.
const BAR_X: f64 = 64.0;
const BAR_W: f64 = 1072.0;

/// Renders the card to SVG text.
pub fn render(c: &Card) -> Result<String, minijinja::Error> {
    let env = environment("card.svg", TEMPLATE)?;
    let p = &c.period;
    let shares = [
        (p.shares.cache_read, "#38bdf8", "re-read"),
        (p.shares.cache_write, "#f59e0b", "cache writes"),
        (p.shares.input, "#a78bfa", "new input"),
        (p.shares.output, "#34d399", "output"),
    ];
    let mut x = BAR_X;
    let segments: Vec<Value> = shares
        .iter()
        .map(|&(s, color, label)| {
            let w = s * BAR_W;
            let seg = Value::from_pairs([
                ("x", Value::from(format!("{x:.1}"))),
                ("w", Value::from(format!("{w:.1}"))),
                ("color", Value::from(color)),
                ("label", Value::from(label)),
                ("pct", Value::from(pct(s))),
            ]);
            x += w;
            seg
        })
        .collect();
    let models: Vec<String> = p
        .models
        .iter()
        .map(|(m, s)| format!("{} {}", m.strip_prefix("claude-").unwrap_or(m), pct(*s)))
        .collect();
    env.get_template("card.svg")?.render(context! {
        title => title(c),
        dates => dates(p),
        empty => p.total_tokens == 0,
        grade => p.tier.grade,
        tier => p.tier.name,
        tier_line => tier_line(p),
        overhead => overhead_line(p),
        read_pct => pct(p.shares.cache_read),
        write_pct => pct(p.shares.cache_write),
        input_pct => pct(p.shares.input),
        output_pct => pct(p.shares.output),
        segments => Value::from(segments),
        models => models.join(" · "),
        habits => habits_line(p),
        cache => cache_line(p),
        opus => opus_line(p),
        change => change_line(c),
    })
}

/// An environment holding one SVG template (`name` ends in `.svg`): every value HTML-escaped
/// (its entities are valid XML), strings made terminal-safe first (control characters are
/// not even valid XML). Shared with the year in review's card (`wrapped_svg`).
pub fn environment(
    name: &'static str,
    template: &'static str,
) -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".svg") {
            AutoEscape::Html
        } else {
            minijinja::default_auto_escape_callback(name)
        }
    });
    // Strings may come from transcripts (model names): control characters are not even
    // valid XML, so every value is neutralised like terminal text before it is escaped.
    env.set_formatter(|out, state, value| match value.as_str() {
        Some(s) => minijinja::escape_formatter(out, state, &Value::from(tty(s).as_ref())),
        None => minijinja::escape_formatter(out, state, value),
    });
    env.add_template(name, template)?;
    Ok(env)
}

#[cfg(test)]
mod tests {
    #[test]
    fn svg_templates_escape_their_values() {
        let mut env = minijinja::Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".svg") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::default_auto_escape_callback(name)
            }
        });
        env.add_template("t.svg", "<text>{{ v }}</text>").unwrap();
        let out = env
            .get_template("t.svg")
            .unwrap()
            .render(minijinja::context! { v => "<script>&" })
            .unwrap();
        assert_eq!(out, "<text>&lt;script&gt;&amp;</text>");
    }
}
