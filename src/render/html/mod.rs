//! The HTML recap (`ccrecap html`): one self-contained file from the minijinja template
//! `templates/report.html`, auto-escaped as HTML. Styles and the small sorting script are
//! program constants inlined into the page and allowed by hash in a Content-Security-
//! Policy that forbids every network request; the recap's data is embedded once as JSON
//! by the `tojson` filter (which also escapes U+2028/U+2029). No transcript string is
//! ever marked safe. Formatting only: the recap decides what is shown and redacted.

pub mod charts;
pub mod drill;
pub mod wrapped;

use crate::analyze::activity::tools::api_error_label;
use crate::analyze::recap::Recap;
use crate::analyze::recap::drill::SessionPage;
use crate::analyze::subagents::flag_phrase;
use crate::model::diagnostics::skip;
use crate::render::fmt;
use base64_lite::encode;
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Value, context};
use sha2::{Digest, Sha256};

const TEMPLATE: &str = include_str!("../../../templates/report.html");
/// A session's drill-down section (macros shared by the recap and the session page).
const DRILL: &str = include_str!("../../../templates/drill.html");
/// The page of one session.
const SESSION: &str = include_str!("../../../templates/session.html");
/// The year in review (`wrapped`).
const WRAPPED: &str = include_str!("../../../templates/wrapped.html");
/// The meta tags, footer and embedded data every page shares.
const PAGE: &str = include_str!("../../../templates/page.html");
/// The page's stylesheet and script, inlined verbatim (their hashes go into the CSP).
pub const STYLE: &str = include_str!("../../../templates/report.css");
pub const SCRIPT: &str = include_str!("../../../templates/report.js");

/// Renders the recap to a complete HTML document.
pub fn render(recap: &Recap) -> Result<String, Error> {
    let env = environment()?;
    env.get_template("report.html")?.render(context! {
        r => Value::from(Serde(recap)),
        data => Value::from_object(Json(
            serde_json::to_string(recap)
                .map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string()))?,
        )),
        shares => Value::from(Serde(charts::share_bar(&recap.composition))),
        daily_chart => Value::from(Serde(charts::daily(&recap.daily))),
        model_chart => Value::from(Serde(charts::bars(&model_rows(recap)))),
        project_chart => Value::from(Serde(charts::bars(&project_rows(recap)))),
        curve_chart => Value::from(Serde(charts::curves(&recap.heaviest_sessions))),
        grid_chart => Value::from(Serde(charts::grid(&recap.activity.weekday_hour))),
        drill_charts => Value::from(Serde(recap.sessions.iter().map(drill::chart).collect::<Vec<_>>())),
        weekdays => charts::WEEKDAYS,
        csp => csp(),
        style => Value::from_safe_string(STYLE.to_string()),
        script => Value::from_safe_string(SCRIPT.to_string()),
    })
}

/// Renders the page of one session to a complete HTML document.
pub fn session_page(page: &SessionPage) -> Result<String, Error> {
    let env = environment()?;
    env.get_template("session.html")?.render(context! {
        p => Value::from(Serde(page)),
        data => Value::from_object(Json(
            serde_json::to_string(page)
                .map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string()))?,
        )),
        chart => Value::from(Serde(drill::chart(&page.session))),
        csp => csp(),
        style => Value::from_safe_string(STYLE.to_string()),
        script => Value::from_safe_string(SCRIPT.to_string()),
    })
}

/// The templates with HTML auto-escaping, strict undefined values, and the filters they
/// use.
fn environment() -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            minijinja::default_auto_escape_callback(name)
        }
    });
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    // minijinja's builtins give the template `length`, `replace`, `items` and `range`;
    // `tojson` is ours (data serialized once, exactly, with U+2028/U+2029 escaped).
    env.add_filter("tojson", tojson);
    env.add_filter("tokens", |v: u64| fmt::human(v));
    env.add_filter("exact", |v: u64| fmt::thousands(v));
    env.add_filter("usd", |v: f64| fmt::money(v));
    env.add_filter("pct", |v: f64| fmt::pct(v));
    env.add_filter("dur", |v: i64| fmt::duration(v));
    env.add_filter("model", |v: String| fmt::short_model(&v));
    env.add_filter("path", breakable);
    env.add_filter("plural", |n: u64, noun: String| fmt::plural(n, &noun));
    env.add_filter("skipped", |v: String| skip::phrase(&v));
    env.add_filter("api_error", |v: String| api_error_label(&v));
    env.add_filter("flag", |v: String| flag_phrase(&v));
    env.add_template("report.html", TEMPLATE)?;
    env.add_template("drill.html", DRILL)?;
    env.add_template("session.html", SESSION)?;
    env.add_template("wrapped.html", WRAPPED)?;
    env.add_template("page.html", PAGE)?;
    Ok(env)
}

/// The bars of the model chart: (label, value, shown value, exact title).
fn model_rows(recap: &Recap) -> Vec<(String, f64, String, String)> {
    recap
        .by_model
        .iter()
        .map(|m| {
            let cost = m.cost_usd.unwrap_or(0.0);
            let shown = m.cost_usd.map_or_else(|| "unpriced".into(), fmt::money);
            let title = format!(
                "{}: {} tokens, {shown}",
                m.model,
                fmt::thousands(m.total_tokens)
            );
            (fmt::short_model(&m.model), cost, shown, title)
        })
        .collect()
}

/// The bars of the project chart, the "other projects" row last.
fn project_rows(recap: &Recap) -> Vec<(String, f64, String, String)> {
    recap
        .by_project
        .iter()
        .chain(recap.other_projects.iter())
        .map(|p| {
            let title = format!(
                "{} tokens in {}, {}",
                fmt::thousands(p.total_tokens),
                fmt::plural(p.sessions, "session"),
                fmt::money(p.api_value_usd)
            );
            (
                p.project.clone(),
                p.api_value_usd,
                fmt::money(p.api_value_usd),
                title,
            )
        })
        .collect()
}

/// The Content-Security-Policy: nothing may load; only this page's own style and script
/// (by hash) apply.
pub fn csp() -> String {
    csp_for(STYLE)
}

/// The Content-Security-Policy of a page with this stylesheet and the recap's script.
fn csp_for(style: &str) -> String {
    format!(
        "default-src 'none'; style-src '{}'; script-src '{}'; img-src 'none'; \
         font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'",
        hash(style),
        hash(SCRIPT)
    )
}

fn hash(s: &str) -> String {
    format!("sha256-{}", encode(&Sha256::digest(s.as_bytes())))
}

/// Words longer than this may also break after a `-` or `_` (a directory name such as
/// `-Users-me-code-app`, a dated file name).
const LONG_WORD: usize = 20;

/// A name, path or command, escaped, that wraps only where it should: each run of
/// characters between spaces, after a `/` or after `__` (MCP tool names) is kept whole
/// (`<span class="w">`: no break at a hyphen or a brace), with a break opportunity
/// (`<wbr>`) after each `/` and `__`, and in a run longer than `LONG_WORD` after each `-`
/// and `_` as well; wide (CJK) characters may break anywhere, as in their own scripts.
#[allow(clippy::needless_pass_by_value)] // minijinja hands filters their argument by value
fn breakable(v: String) -> Value {
    let (mut out, mut word) = (String::new(), String::new());
    for c in v.chars() {
        if c.is_whitespace() || fmt::width(c.encode_utf8(&mut [0; 4])) > 1 {
            flush(&mut out, &mut word);
            out.push_str(&minijinja::HtmlEscape(c.encode_utf8(&mut [0; 4])).to_string());
            continue;
        }
        word.push(c);
        if c == '/' || word.ends_with("__") {
            flush(&mut out, &mut word);
            out.push_str("<wbr>");
        }
    }
    flush(&mut out, &mut word);
    Value::from_safe_string(out)
}

/// Appends `word` (emptied) to `out` as unbreakable spans, split after `-` and `_` when it
/// is longer than `LONG_WORD`.
fn flush(out: &mut String, word: &mut String) {
    if word.is_empty() {
        return;
    }
    let long = word.chars().count() > LONG_WORD;
    let mut piece = String::new();
    let mut first = true;
    let mut emit = |piece: &mut String, out: &mut String| {
        if !first {
            out.push_str("<wbr>");
        }
        first = false;
        out.push_str("<span class=\"w\">");
        out.push_str(&minijinja::HtmlEscape(piece).to_string());
        out.push_str("</span>");
        piece.clear();
    };
    for c in word.chars() {
        piece.push(c);
        if long && (c == '-' || c == '_') {
            emit(&mut piece, out);
        }
    }
    if !piece.is_empty() {
        emit(&mut piece, out);
    }
    word.clear();
}

/// Data already serialized by serde_json, so `tojson` embeds it exactly (a value taken
/// apart into template values and serialized again can lose a float's last digit).
#[derive(Debug)]
struct Json(String);

impl minijinja::value::Object for Json {}

/// JSON for a `<script type="application/json">` block: `<`, `>`, `&`, `'`, U+2028
/// and U+2029 become `\u` escapes (valid JSON, inert in HTML), so no string can close
/// the element or start markup.
#[allow(clippy::needless_pass_by_value)] // minijinja hands filters their argument by value
fn tojson(v: Value) -> Result<Value, Error> {
    if let Some(j) = v.downcast_object_ref::<Json>() {
        return Ok(Value::from_safe_string(script_safe(&j.0)));
    }
    let json = serde_json::to_string(&v)
        .map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string()))?;
    Ok(Value::from_safe_string(script_safe(&json)))
}

/// Escapes what could end or confuse a script element inside serialized JSON. Only
/// string contents can hold these characters, where the `\u` form means the same.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    for ch in json.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\'' => out.push_str("\\u0027"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Standard base64 (with padding) for the CSP hashes.
mod base64_lite {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                chunk.get(1).copied().unwrap_or(0),
                chunk.get(2).copied().unwrap_or(0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(encode(b""), "");
        assert_eq!(encode(b"f"), "Zg==");
        assert_eq!(encode(b"fo"), "Zm8=");
        assert_eq!(encode(b"foo"), "Zm9v");
        assert_eq!(encode(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn the_csp_hash_is_sha256_of_the_script() {
        // echo -n abc | openssl dgst -sha256 -binary | base64
        assert_eq!(
            hash("abc"),
            "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
        assert!(csp().contains(&hash(SCRIPT)));
        assert!(csp().starts_with("default-src 'none'"));
    }

    #[test]
    fn names_break_only_after_slashes_and_between_words_and_stay_escaped() {
        let w = |s: &str| format!("<span class=\"w\">{s}</span>");
        let v = breakable("/a-b/<c>&d.rs".into());
        assert_eq!(
            v.to_string(),
            format!(
                "{}<wbr>{}<wbr>{}",
                w("&#x2f;"),
                w("a-b&#x2f;"),
                w("&lt;c&gt;&amp;d.rs")
            )
        );
        assert!(v.is_safe());
        let tool = breakable("mcp__linear__create_issue".into()).to_string();
        assert_eq!(
            tool,
            format!(
                "{}<wbr>{}<wbr>{}",
                w("mcp__"),
                w("linear__"),
                w("create_issue")
            )
        );
        let spaced = breakable("echo 'x y'".into()).to_string();
        assert_eq!(
            spaced,
            format!("{} {} {}", w("echo"), w("&#x27;x"), w("y&#x27;"))
        );
        assert_eq!(
            breakable("日本 ab".into()).to_string(),
            format!("日本 {}", w("ab"))
        );
        // A long word may also break after its hyphens.
        let dir = breakable("-Users-me-code-shop-frontend".into()).to_string();
        assert_eq!(dir.matches("<wbr>").count(), 5);
        assert!(dir.starts_with(&format!("{}<wbr>{}", w("-"), w("Users-"))));
    }

    #[test]
    fn embedded_json_cannot_close_the_script() {
        let v = Value::from("</script><!--\u{2028}\u{2029}'&");
        let out = tojson(v).unwrap().to_string();
        assert_eq!(
            out,
            r#""\u003c/script\u003e\u003c!--\u2028\u2029\u0027\u0026""#
        );
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(back, "</script><!--\u{2028}\u{2029}'&");
    }
}
