//! The one-line stderr footer that says how complete a report is: no files at all, skipped
//! lines by category, unreadable or vanished files, unpriced models. Silent when there is
//! nothing to say; `-q` suppresses it entirely. It is wrapped to the width of stderr.

use crate::model::diagnostics::{Diagnostics, skip};
use crate::render::fmt::{human, plural, thousands, wrap};
use crate::render::sanitize::tty;

/// The footer in lines of at most `width` columns (the ones after the first indented),
/// none when the scan was clean.
pub fn lines(d: &Diagnostics, width: usize) -> Vec<String> {
    let Some(text) = text(d) else {
        return Vec::new();
    };
    wrap(&text, width.saturating_sub(2))
        .into_iter()
        .enumerate()
        .map(|(i, l)| if i == 0 { l } else { format!("  {l}") })
        .collect()
}

/// The footer text, or None when the scan was clean.
pub fn text(d: &Diagnostics) -> Option<String> {
    let mut parts = Vec::new();
    let seen = d.files_read
        + d.files_skipped_window
        + d.unreadable_files
        + d.vanished_files
        + d.not_regular_files;
    if seen == 0 && d.unreadable_dirs == 0 {
        parts.push("no transcript files (*.jsonl) found".to_string());
    }
    let skipped = d.skipped_total();
    if skipped > 0 {
        let cats: Vec<String> = d
            .skipped_lines
            .iter()
            .map(|(k, v)| format!("{} {}", thousands(*v), skip::phrase(k)))
            .collect();
        parts.push(format!(
            "skipped {} ({}) in {} read",
            plural(skipped, "line"),
            cats.join(", "),
            plural(d.files_read, "file")
        ));
    }
    let bad_files = d.unreadable_files + d.unreadable_dirs;
    if bad_files > 0 {
        let first = d
            .problem_paths
            .first()
            .map(|p| format!(", e.g. {}", tty(p)))
            .unwrap_or_default();
        let what = if bad_files == 1 {
            "file or folder"
        } else {
            "files or folders"
        };
        parts.push(format!("{} {what} unreadable{first}", thousands(bad_files)));
    }
    if d.vanished_files > 0 {
        parts.push(format!(
            "{} vanished while scanning",
            plural(d.vanished_files, "file")
        ));
    }
    if d.undated_responses > 0 {
        parts.push(format!(
            "{} without a readable time ({} tokens, in all-history totals only)",
            plural(d.undated_responses, "response"),
            human(d.undated_tokens)
        ));
    }
    if !d.unpriced_models.is_empty() {
        let names: Vec<String> = d
            .unpriced_models
            .iter()
            .map(|m| tty(&m.model).into_owned())
            .collect();
        parts.push(format!(
            "unpriced models (cost unknown): {}",
            names.join(", ")
        ));
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!(
        "ccrecap: note: {}; details in --json diagnostics",
        parts.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_scans_say_nothing_and_skips_are_listed() {
        let mut d = Diagnostics::default();
        assert_eq!(
            text(&d).unwrap(),
            "ccrecap: note: no transcript files (*.jsonl) found; details in --json diagnostics"
        );
        d.files_read = 3;
        assert_eq!(text(&d), None);
        d.skip(skip::BAD_JSON);
        assert_eq!(
            text(&d).unwrap(),
            "ccrecap: note: skipped 1 line (1 not valid JSON) in 3 files read; details in --json diagnostics"
        );
        d.skip(skip::PENDING_TAIL);
        d.skip(skip::PENDING_TAIL);
        assert_eq!(
            text(&d).unwrap(),
            "ccrecap: note: skipped 3 lines (1 not valid JSON, 2 still being written) in 3 files read; details in --json diagnostics"
        );
    }

    #[test]
    fn the_footer_wraps_to_the_width_losing_no_word() {
        let mut d = Diagnostics {
            files_read: 3,
            ..Diagnostics::default()
        };
        assert!(lines(&d, 40).is_empty());
        d.skip(skip::BAD_JSON);
        d.skip(skip::PENDING_TAIL);
        let one = text(&d).unwrap();
        let wrapped = lines(&d, 40);
        assert!(wrapped.len() > 1);
        assert!(
            wrapped.iter().all(|l| l.chars().count() <= 40),
            "{wrapped:?}"
        );
        assert!(wrapped[1].starts_with("  ") && !wrapped[0].starts_with(' '));
        let words = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
        assert_eq!(words(&wrapped.join(" ")), words(&one));
        assert_eq!(lines(&d, 400), vec![one]);
    }
}
