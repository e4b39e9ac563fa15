//! Fitting transcript strings and numbers into terminal cells: compact token counts,
//! clipping from either end with an ellipsis, word wrapping, and the short name of where
//! a session ran. Clipped strings pass `tty` (control characters shown, never sent);
//! `wrap` takes text that already has. Formatting only.

use super::num;
use crate::render::sanitize::tty;

/// 1234 → "1.2k", 12345678 → "12.3M".
pub fn short(n: u64) -> String {
    let f = n as f64;
    match n {
        0..=9_999 => num(n),
        10_000..=999_999 => format!("{:.1}k", f / 1e3),
        1_000_000..=999_999_999 => format!("{:.1}M", f / 1e6),
        _ => format!("{:.2}B", f / 1e9),
    }
}

/// Where a session ran: the last component of its working directory, else the end of
/// the project's directory name.
pub fn place(cwd: Option<&str>, project: &str) -> String {
    match cwd.and_then(|c| c.trim_end_matches(['/', '\\']).rsplit(['/', '\\']).next()) {
        Some(last) if !last.is_empty() => clip_left(last, 24),
        _ => clip_left(project, 24),
    }
}

/// The last `max` characters (paths: the informative end), sanitized.
pub fn clip_left(s: &str, max: usize) -> String {
    let s = tty(s);
    let n = s.chars().count();
    if n <= max {
        return s.into_owned();
    }
    let tail: String = s.chars().skip(n - (max - 1)).collect();
    format!("…{tail}")
}

/// The first `max` characters, sanitized.
pub fn clip(s: &str, max: usize) -> String {
    let s = tty(s);
    if s.chars().count() <= max {
        return s.into_owned();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// Words of `s` in lines of at most `max` characters (a longer word gets its own line).
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match out.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => out.push(word.to_string()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_clipped_wrapped_and_shortened() {
        assert_eq!(clip_left("/a/very/long/path", 8), "…ng/path");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(short(12_345_678), "12.3M");
        assert_eq!(place(Some("/home/u/app/"), "-home-u-app"), "app");
        assert_eq!(clip("a\u{1b}[31mb", 20), tty("a\u{1b}[31mb"));
    }
}
