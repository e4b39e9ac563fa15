//! Neutralises strings from transcripts before they reach a terminal: C0 and C1 controls,
//! DEL, ESC and bidi overrides become visible escapes (`\x1b`, `\u{202e}`), so a hostile
//! project name cannot move the cursor, set the title or reorder text. JSON output is never
//! passed through here (JSON escapes control characters itself).

use std::borrow::Cow;
use std::fmt::Write as _;

/// A single-line, terminal-safe rendering of `s`.
pub fn tty(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            if (c as u32) < 0x100 {
                let _ = write!(out, "\\x{:02x}", c as u32);
            } else {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    let u = c as u32;
    u < 0x20
        || u == 0x7f
        || (0x80..=0x9f).contains(&u)
        || (0x202a..=0x202e).contains(&u)
        || (0x2066..=0x2069).contains(&u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi() {
        assert_eq!(tty("plain-name"), "plain-name");
        assert_eq!(tty("a\u{1b}]0;pwned\u{7}b"), "a\\x1b]0;pwned\\x07b");
        assert_eq!(tty("x\ry\nz"), "x\\x0dy\\x0az");
        assert_eq!(tty("\u{202e}txt"), "\\u{202e}txt");
        assert_eq!(tty("ünïcødé ✓"), "ünïcødé ✓");
    }
}
