//! How complete a report is: counts of everything the scan skipped, could not read, or
//! treated specially, and the models the price table does not know. Every skipped line
//! lands in exactly one `skipped_lines` category; files and directories that could not be
//! read are counted too. The scan fills the counts, the report adds what only analysis
//! knows (unpriced models, responses dated in the future) when it is put together, and
//! renderers print it as a one-line footer and the JSON `diagnostics` object; nothing here
//! prints.

use serde::Serialize;
use std::collections::BTreeMap;

/// Categories of skipped lines.
pub mod skip {
    /// Not JSON, or JSON cut off in the middle of a file.
    pub const BAD_JSON: &str = "bad_json";
    /// JSON, but not an object of the expected shape (not an object, no string `type`,
    /// a `message` that is not an object).
    pub const BAD_SHAPE: &str = "bad_shape";
    /// A token field that is negative, fractional, a string, or not a number.
    pub const INVALID_USAGE: &str = "invalid_usage";
    /// A token field above 10^9 in one record.
    pub const IMPLAUSIBLE_USAGE: &str = "implausible_usage";
    /// A line longer than the line cap.
    pub const TOO_LONG: &str = "too_long";
    /// An unterminated last line that does not parse: being written right now.
    pub const PENDING_TAIL: &str = "pending_tail";
    /// A blank line.
    pub const EMPTY: &str = "empty";
    /// An assistant line with no `message` or no `usage`.
    pub const NO_USAGE: &str = "no_usage";

    /// A category in words, for people (JSON keeps the category's name).
    pub fn phrase(category: &str) -> &'static str {
        match category {
            BAD_JSON => "not valid JSON",
            BAD_SHAPE => "not a transcript entry",
            INVALID_USAGE => "invalid token counts",
            IMPLAUSIBLE_USAGE => "implausible token counts",
            TOO_LONG => "over the line-length limit",
            PENDING_TAIL => "still being written",
            EMPTY => "blank",
            NO_USAGE => "replies without token counts",
            _ => "of another kind",
        }
    }
}

/// Scan diagnostics. Integers only; all fields are always present in JSON.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Diagnostics {
    pub files_read: u64,
    pub files_skipped_window: u64,
    pub bytes_read: u64,
    pub lines_read: u64,
    /// Category → count of lines skipped (see `skip`).
    pub skipped_lines: BTreeMap<&'static str, u64>,
    /// Lines that were copies of a response already counted.
    pub duplicates: u64,
    /// Sidechain copies of a main-thread response (`/btw` replays) that were dropped.
    pub sidechain_replays: u64,
    /// Responses known only from a parent's `progress` line (no sub-agent file had them).
    pub progress_only_responses: u64,
    /// `<synthetic>` lines: made by Claude Code itself, not API calls; no tokens counted.
    pub synthetic_lines: u64,
    /// Known entries that carry no usage (file-history-snapshot, summary, system, ...).
    pub non_usage_entries: u64,
    /// Entries of a `type` this version does not know: new kinds are normal (Claude Code
    /// keeps adding them), so they are counted here, not as skipped lines.
    pub unknown_entries: u64,
    /// Usage-bearing lines whose timestamp is missing or unreadable (`<synthetic>` and
    /// other lines without usage are not counted here).
    pub undated_lines: u64,
    /// Responses without a time after dedupe, and their tokens: in the totals of a report
    /// over all history (no `--since`, `--until` or `--days`), in no dated row, and
    /// outside every bounded window.
    pub undated_responses: u64,
    pub undated_tokens: u64,
    /// Responses dated more than 24 h after "now" (kept).
    pub future_dated: u64,
    /// Lines whose content could not be decoded (usage kept, content ignored).
    pub lossy_lines: u64,
    pub unreadable_files: u64,
    pub vanished_files: u64,
    pub unreadable_dirs: u64,
    pub not_regular_files: u64,
    pub symlinks_skipped: u64,
    /// Models without a price: their tokens count, their cost is unknown (never $0).
    pub unpriced_models: Vec<UnpricedModel>,
    /// The first few paths that could not be read, for the stderr footer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problem_paths: Vec<String>,
    /// What came from ledgers (absent when no ledger was read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ledger: Option<LedgerUse>,
}

/// What the ledgers contributed to a report.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerUse {
    pub ledgers: u64,
    pub segments_read: u64,
    pub records_read: u64,
    /// Lines that did not parse, or of a newer format version.
    pub bad_records: u64,
    /// Responses of the report known only from a ledger (no transcript holds them).
    pub responses_from_ledger: u64,
    /// Months (local) with responses, none of them from a transcript: context curves and
    /// recurring inclusions, which need transcripts, do not cover them.
    pub ledger_only_months: Vec<String>,
    pub machines: Vec<String>,
}

/// A model the price table does not know.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct UnpricedModel {
    pub model: String,
    pub responses: u64,
    pub total_tokens: u64,
}

impl Diagnostics {
    pub fn skip(&mut self, category: &'static str) {
        *self.skipped_lines.entry(category).or_insert(0) += 1;
    }

    pub fn skipped_total(&self) -> u64 {
        self.skipped_lines.values().sum()
    }

    /// Whether the report may be missing data: a line was skipped (pending tails
    /// included) or a file or directory could not be read. `--strict` exits 3 on it.
    pub fn incomplete(&self) -> bool {
        self.skipped_total() > 0 || self.unreadable_files > 0 || self.unreadable_dirs > 0
    }

    pub fn note_problem_path(&mut self, p: &std::path::Path) {
        self.note_problem(p.display().to_string());
    }

    /// Notes a path already in words (the first five are kept).
    pub fn note_problem(&mut self, p: String) {
        if self.problem_paths.len() < 5 {
            self.problem_paths.push(p);
        }
    }

    /// Adds another file's counts into this one.
    pub fn merge(&mut self, o: &Diagnostics) {
        self.files_read += o.files_read;
        self.files_skipped_window += o.files_skipped_window;
        self.bytes_read += o.bytes_read;
        self.lines_read += o.lines_read;
        for (k, v) in &o.skipped_lines {
            *self.skipped_lines.entry(k).or_insert(0) += v;
        }
        self.duplicates += o.duplicates;
        self.sidechain_replays += o.sidechain_replays;
        self.progress_only_responses += o.progress_only_responses;
        self.synthetic_lines += o.synthetic_lines;
        self.non_usage_entries += o.non_usage_entries;
        self.unknown_entries += o.unknown_entries;
        self.undated_lines += o.undated_lines;
        self.future_dated += o.future_dated;
        self.lossy_lines += o.lossy_lines;
        self.unreadable_files += o.unreadable_files;
        self.vanished_files += o.vanished_files;
        self.unreadable_dirs += o.unreadable_dirs;
        self.not_regular_files += o.not_regular_files;
        self.symlinks_skipped += o.symlinks_skipped;
        for p in &o.problem_paths {
            if self.problem_paths.len() < 5 {
                self.problem_paths.push(p.clone());
            }
        }
    }
}
