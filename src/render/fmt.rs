//! How numbers and strings are written for people, in one place for every output:
//! thousands separators, dollars, compact counts (`1.2M`), shares, durations, plurals,
//! and fitting text into a width with an ellipsis (display width, so wide characters take
//! two cells). The analyzers use it too, for the digits inside the sentences they put in
//! reports (reasons, suggestions, previews); that is the one use of `render` outside it.
//! Pure functions; the only thing it knows besides numbers is how to make a transcript
//! string terminal-safe (`sanitize::tty`) and a model's display name.
//!
//! One format per quantity, in every view (terminal, card, HTML, sentences in JSON):
//! - tokens: `human` (`9,999`, `12.3k`, `2.3M`); the usage rollups' tables, which list
//!   exact sums as ccusage does, use `thousands`;
//! - money: `money`, to the cent (`$0.05`; a positive amount under half a cent is
//!   `<$0.01`), the exact value kept in JSON and in the HTML's tooltips;
//! - durations: `duration` (`850ms`, `4.2s`, `36s`, `1m36s`, `4h00m`);
//! - shares: `pct` (`61%`, under 1% with one decimal: `0.4%`);
//! - counts of things: `plural` (`1 session`, `2 sessions`) or `thousands`.

use super::sanitize::tty;
use crate::pricing::display_name;
use chrono::NaiveDate;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 1234.5 → "$1,234.50" (to the cent); a positive amount that would show as $0.00 is
/// "<$0.01".
pub fn money(v: f64) -> String {
    let cents = (v * 100.0).round() as i64;
    if cents == 0 && v > 0.0 {
        return "<$0.01".into();
    }
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}${}.{:02}", thousands(cents / 100), cents % 100)
}

/// `money` for one API call's value: amounts under a cent keep their digits ("$0.0012",
/// "<$0.0001"), so a drill-down's calls are not all "<$0.01".
pub fn money_fine(v: f64) -> String {
    if v > 0.0 && v < 0.0001 {
        return "<$0.0001".into();
    }
    if v > 0.0 && v < 0.01 {
        return format!("${v:.4}");
    }
    money(v)
}

/// A count for reading: 1234 → "1,234", 12345 → "12.3k", 12345678 → "12.3M".
pub fn human(n: u64) -> String {
    let f = n as f64;
    match n {
        0..=9_999 => thousands(n),
        10_000..=999_999 => format!("{:.1}k", f / 1e3),
        1_000_000..=999_999_999 => format!("{:.1}M", f / 1e6),
        _ => format!("{:.2}B", f / 1e9),
    }
}

/// A share as a percentage: 0.613 → "61%"; under 1% → "0.4%"; above 0 but under 0.05%
/// → "<0.1%" (never a "0.0%" that is not zero).
pub fn pct(share: f64) -> String {
    let p = share * 100.0;
    if p > 0.0 && p < 0.05 {
        "<0.1%".into()
    } else if p > 0.0 && p < 1.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

/// A duration: "850ms", "4.2s", "36s", "1m36s", "4h00m" (hours grow past 24: "27h00m").
pub fn duration(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1_000 {
        return format!("{ms}ms");
    }
    if ms < 9_950 {
        return format!("{:.1}s", ms as f64 / 1e3);
    }
    let secs = (ms + 500) / 1_000;
    if secs < 60 {
        return format!("{secs}s");
    }
    if secs < 3_600 {
        return format!("{}m{:02}s", secs / 60, secs % 60);
    }
    let mins = (ms + 30_000) / 60_000;
    format!("{}h{:02}m", mins / 60, mins % 60)
}

/// `duration`, or "–" when there is none.
pub fn duration_or_dash(ms: Option<i64>) -> String {
    ms.map_or_else(|| "–".into(), duration)
}

/// A size in bytes as whole kilobytes, rounded up: 1 → "1 KB", 1_234_567 → "1,206 KB".
pub fn kilobytes(bytes: u64) -> String {
    format!("{} KB", thousands(bytes.div_ceil(1024)))
}

/// A count and its noun: `plural(1, "session")` → "1 session", `plural(1200, "day")` →
/// "1,200 days" (a consonant and `y` become `ies`).
pub fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        return format!("1 {noun}");
    }
    let ies = noun
        .strip_suffix('y')
        .filter(|stem| !stem.ends_with(['a', 'e', 'i', 'o', 'u']));
    match ies {
        Some(stem) => format!("{} {stem}ies", thousands(n)),
        None => format!("{} {noun}s", thousands(n)),
    }
}

/// A date, or `none` in its place (a row without one).
pub fn date_or(d: Option<NaiveDate>, none: &str) -> String {
    d.map_or_else(|| none.to_string(), |d| d.to_string())
}

/// `claude-sonnet-4-5-20250929` → `sonnet-4-5`, terminal-safe.
pub fn short_model(m: &str) -> String {
    let d = display_name(m);
    tty(d.strip_prefix("claude-").unwrap_or(&d)).into_owned()
}

/// Columns `s` takes on a terminal (wide characters two, combining marks none).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// The start of `s` in at most `max` columns, `…` marking a cut; terminal-safe.
pub fn clip(s: &str, max: usize) -> String {
    let s = tty(s);
    if width(&s) <= max {
        return s.into_owned();
    }
    let mut out = take_width(s.chars(), max.saturating_sub(1));
    out.push('…');
    out
}

/// The end of `s` (a path's informative part) in at most `max` columns, `…` marking a
/// cut; terminal-safe.
pub fn clip_left(s: &str, max: usize) -> String {
    let s = tty(s);
    if width(&s) <= max {
        return s.into_owned();
    }
    let tail: String = take_width(s.chars().rev(), max.saturating_sub(1))
        .chars()
        .rev()
        .collect();
    format!("…{tail}")
}

/// Characters from `chars` while they fit in `room` columns.
fn take_width(chars: impl Iterator<Item = char>, room: usize) -> String {
    let mut used = 0;
    chars
        .take_while(|c| {
            used += c.width().unwrap_or(0);
            used <= room
        })
        .collect()
}

/// Words of `s` in lines of at most `max` columns; a word longer than a line is broken
/// across lines (nothing is lost; `clip` is for cutting).
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut out: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match out.last_mut() {
            Some(line) if width(line) + 1 + width(word) <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => out.extend(pieces(word, max)),
        }
    }
    out
}

/// `word` in pieces of at most `max` columns.
fn pieces(word: &str, max: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    for c in word.chars() {
        let line = out.last_mut().expect("one piece at least");
        if !line.is_empty() && width(line) + c.width().unwrap_or(0) > max {
            out.push(String::new());
        }
        out.last_mut().expect("one piece at least").push(c);
    }
    out
}

/// `parts` joined by `sep` in lines of at most `max` columns, broken only between parts
/// ("a · b · c" lists, legends); a part wider than a line is wrapped on its own.
pub fn pack(parts: &[String], sep: &str, max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for part in parts.iter().filter(|p| !p.is_empty()) {
        match out.last_mut() {
            Some(line) if open && width(line) + width(sep) + width(part) <= max => {
                line.push_str(sep);
                line.push_str(part);
            }
            _ if width(part) <= max => {
                out.push(part.clone());
                open = true;
            }
            _ => {
                out.extend(wrap(part, max));
                open = false;
            }
        }
    }
    out
}

/// `s` on one line (whitespace runs become one space) in at most `max` characters, `…`
/// marking a cut: short descriptions carried in reports.
pub fn one_line(s: &str, max: usize) -> String {
    cut(&flatten(s), max, max.saturating_sub(1))
}

/// The first `max` characters of `s` on one line, then `…` if there was more (so at most
/// `max + 1` characters): previews of prompts, calls and results carried in reports.
pub fn preview(s: &str, max: usize) -> String {
    cut(&flatten(s), max, max)
}

fn flatten(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` when it has at most `over` characters, else its first `keep` and `…`.
fn cut(s: &str, over: usize, keep: usize) -> String {
    if s.chars().count() <= over {
        return s.to_string();
    }
    let mut out: String = s.chars().take(keep).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_people() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(money(1234.5), "$1,234.50");
        assert_eq!(money(0.05), "$0.05");
        assert_eq!(money(0.004), "<$0.01");
        assert_eq!(money(0.0), "$0.00");
        assert_eq!(money(-0.0), "$0.00");
        assert_eq!(money(-2.5), "-$2.50");
        assert_eq!(human(9_999), "9,999");
        assert_eq!(human(12_345_678), "12.3M");
        assert_eq!(pct(0.613), "61%");
        assert_eq!(pct(0.004), "0.4%");
        assert_eq!(pct(0.0003), "<0.1%");
        assert_eq!(pct(0.0), "0%");
        assert_eq!(duration(850), "850ms");
        assert_eq!(duration(4_200), "4.2s");
        assert_eq!(duration(9_960), "10s");
        assert_eq!(duration(59_600), "1m00s");
        assert_eq!(duration(96_000), "1m36s");
        assert_eq!(duration(14_400_000), "4h00m");
        assert_eq!(duration(97_200_000), "27h00m");
        assert_eq!(duration_or_dash(None), "–");
        assert_eq!(short_model("claude-sonnet-4-5-20250929"), "sonnet-4-5");
    }

    #[test]
    fn plurals() {
        assert_eq!(plural(1, "session"), "1 session");
        assert_eq!(plural(0, "session"), "0 sessions");
        assert_eq!(plural(1200, "active day"), "1,200 active days");
        assert_eq!(plural(2, "entry"), "2 entries");
    }

    #[test]
    fn text_is_clipped_by_display_width() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip_left("/a/very/long/path", 8), "…ng/path");
        assert_eq!(clip("a\u{1b}[31mb", 20), tty("a\u{1b}[31mb"));
        // Wide characters take two columns; a cut never splits one.
        assert_eq!(clip("日本語テキスト", 7), "日本語…");
        assert_eq!(width(&clip("日本語テキスト", 6)), 5);
        assert_eq!(clip_left("日本語テキスト", 5), "…スト");
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap("日本 語", 4), vec!["日本", "語"]);
        assert_eq!(wrap("abcdefgh ij", 3), vec!["abc", "def", "gh", "ij"]);
        assert_eq!(wrap("日本語テ", 5), vec!["日本", "語テ"]);
        let parts = ["a b".to_string(), "cc".into(), "dddd".into(), "e".into()];
        assert_eq!(pack(&parts, " · ", 8), vec!["a b · cc", "dddd · e"]);
        assert_eq!(pack(&parts, " · ", 3), vec!["a b", "cc", "ddd", "d", "e"]);
    }

    #[test]
    fn previews_and_descriptions_count_characters() {
        assert_eq!(preview("run  the\ntests", 60), "run the tests");
        assert_eq!(preview(&"x".repeat(61), 60).chars().count(), 61);
        assert_eq!(preview(&"x".repeat(60), 60), "x".repeat(60));
        assert_eq!(one_line(&"x".repeat(81), 80).chars().count(), 80);
        assert_eq!(one_line(&"x".repeat(80), 80), "x".repeat(80));
        assert!(one_line(&"x".repeat(81), 80).ends_with('…'));
    }

    #[test]
    fn kilobytes_round_up() {
        assert_eq!(kilobytes(0), "0 KB");
        assert_eq!(kilobytes(1), "1 KB");
        assert_eq!(kilobytes(1024), "1 KB");
        assert_eq!(kilobytes(1_234_567), "1,206 KB");
    }
}
