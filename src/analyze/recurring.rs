//! Recurring inclusions across sessions: the same file read, the same search run, the
//! same prompt typed, the same large tool output pasted back into context, again and
//! again. Each comes with how often, in how many sessions, an estimated token cost and a
//! structural fix. Tool calls are deduplicated by their `tool_use` id before they get
//! here, so a call copied into a resumed session counts once.
//!
//! Estimates: a tool result costs about its stored bytes ÷ 4 tokens each time it enters a
//! context, and a prompt its text bytes ÷ 4; later calls re-read it from cache, which is
//! not counted here.

use crate::model::ids::{FastMap, FastSet};
use crate::model::record::HASHED_RESULT_BYTES;
use crate::model::record::PromptKind;
use crate::model::{Dataset, Prompt, Sym, ToolCall};
use crate::render::fmt;
use crate::time::{Bounds, in_bounds};
use serde::Serialize;
use std::collections::BTreeMap;

/// Files and searches: recurring when seen in at least this many distinct sessions.
pub const MIN_SESSIONS: usize = 3;
/// Prompts and tool outputs: recurring when seen at least this many times.
pub const MIN_OCCURRENCES: u64 = 3;
/// Tool outputs: only those at least this long (stored bytes, which is within a few
/// percent of characters for text) are compared. File reads are left to `File`.
pub const MIN_OUTPUT_BYTES: usize = HASHED_RESULT_BYTES;
/// Entries kept per kind (the rest are counted in `omitted`).
pub const KEEP_PER_KIND: usize = 50;
/// Bytes per token in the estimates.
const BYTES_PER_TOKEN: u64 = 4;
/// Characters of prompt or command shown as a preview.
const PREVIEW_CHARS: usize = 60;

/// How the estimates are made, stated in the output.
pub const ESTIMATE: &str = "est_tokens ≈ stored bytes ÷ 4 of each occurrence as it enters context (tool results as stored, prompts as typed); later cache re-reads of it are not included";

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    File,
    Search,
    Prompt,
    ToolOutput,
}

impl Kind {
    /// The kind's name, as JSON writes it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::File => "file",
            Kind::Search => "search",
            Kind::Prompt => "prompt",
            Kind::ToolOutput => "tool_output",
        }
    }
}

/// One recurring inclusion.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Recurring {
    pub kind: Kind,
    /// The file path, the search (`Tool pattern in path`), or for prompts and outputs a
    /// stable hash and a short preview.
    pub key: String,
    /// What to show a person: the path or search, the prompt preview, or the call that
    /// produced an output (no hash).
    pub label: String,
    pub sessions: u64,
    pub occurrences: u64,
    pub est_tokens: u64,
    pub suggestion: String,
    /// Tool name (files, searches, outputs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
}

/// The recurring inclusions of a window, largest estimate first within each kind's cap.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct RecurringReport {
    pub items: Vec<Recurring>,
    /// Entries over the per-kind cap, by kind.
    pub omitted: BTreeMap<String, u64>,
}

/// Occurrences of one key.
#[derive(Default)]
struct Group {
    /// (project, session): a session id reused in two projects is two sessions.
    sessions: FastSet<(Sym, Sym)>,
    occurrences: u64,
    bytes: u64,
    tool: Option<Sym>,
}

impl Group {
    fn add(&mut self, session: (Sym, Sym), bytes: u64, tool: Option<Sym>) {
        self.sessions.insert(session);
        self.occurrences += 1;
        self.bytes += bytes;
        self.tool = self.tool.or(tool);
    }
}

/// Occurrences in the window, grouped by what recurs. Keys borrow from the dataset;
/// strings are built only for the groups that recur.
#[derive(Default)]
struct Groups<'a> {
    files: FastMap<&'a str, Group>,
    /// (tool, pattern, path).
    searches: FastMap<(&'a str, &'a str, Option<&'a str>), Group>,
    /// By content hash, with the first call that produced it, in first-seen order.
    outputs: FirstSeen<u64, (Group, &'a ToolCall)>,
    /// By text hash, with the first snippet, in first-seen order.
    prompts: FirstSeen<u64, (Group, &'a str)>,
}

pub fn analyze(ds: &Dataset, bounds: Option<Bounds>) -> RecurringReport {
    let mut g = Groups::default();
    for c in ds.tool_calls.iter().filter(|c| in_bounds(bounds, c.ts)) {
        g.call(ds, c);
    }
    for p in ds.prompts.iter().filter(|p| in_bounds(bounds, p.ts)) {
        g.prompt(p);
    }
    g.report(ds)
}

/// The file read most often by `calls` (one session's tool calls), when it was read at
/// least `MIN_OCCURRENCES` times: the session's own recurring read.
pub fn top_read<'a>(ds: &Dataset, calls: impl Iterator<Item = &'a ToolCall>) -> Option<Recurring> {
    let mut files: BTreeMap<&str, Group> = BTreeMap::new();
    for c in calls {
        if !matches!(ds.name(c.name), "Read" | "NotebookRead") {
            continue;
        }
        if let Some(path) = c.input.file_path() {
            let bytes = ds.result_of(c).map_or(0, |r| r.content_bytes);
            files
                .entry(path)
                .or_default()
                .add((c.project, c.session), bytes.into(), Some(c.name));
        }
    }
    let (path, g) = files
        .into_iter()
        .filter(|(_, g)| g.occurrences >= MIN_OCCURRENCES)
        .max_by(|a, b| a.1.bytes.cmp(&b.1.bytes).then_with(|| b.0.cmp(a.0)))?;
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let fix = format!(
        "read {} times in this session: keep what matters from it in CLAUDE.md, or mention @{name} once",
        g.occurrences
    );
    Some(item(
        ds,
        Kind::File,
        fix,
        (path.to_string(), path.to_string()),
        &g,
    ))
}

/// Tokens of `bytes` stored bytes, as the estimates count them.
pub fn est_tokens(bytes: u64) -> u64 {
    bytes / BYTES_PER_TOKEN
}

impl<'a> Groups<'a> {
    fn call(&mut self, ds: &'a Dataset, c: &'a ToolCall) {
        let (bytes, hash) = ds
            .result_of(c)
            .map_or((0, 0), |r| (r.content_bytes, r.content_hash));
        let name = ds.name(c.name);
        let file_read = matches!(name, "Read" | "NotebookRead");
        match (name, c.input.file_path(), c.input.pattern()) {
            (_, Some(path), _) if file_read => {
                self.files.entry(path).or_default().add(
                    (c.project, c.session),
                    bytes.into(),
                    Some(c.name),
                );
            }
            ("Grep" | "Glob", path, Some(pattern)) => {
                self.searches.entry((name, pattern, path)).or_default().add(
                    (c.project, c.session),
                    bytes.into(),
                    Some(c.name),
                );
            }
            _ => {}
        }
        // A file read's output recurs when the file does; it is reported as a `file`.
        if hash != 0 && bytes as usize >= MIN_OUTPUT_BYTES && !file_read {
            let e = self.outputs.entry(hash, || (Group::default(), c));
            e.0.add((c.project, c.session), bytes.into(), Some(c.name));
        }
    }

    /// Text the user typed in a main thread.
    fn prompt(&mut self, p: &'a Prompt) {
        if p.kind != PromptKind::Text || p.sidechain {
            return;
        }
        let e = self.prompts.entry(p.text_hash, || (Group::default(), ""));
        if e.1.is_empty() {
            e.1 = &p.snippet;
        }
        e.0.add((p.project, p.session), p.text_len.into(), None);
    }

    /// Files and searches seen in `MIN_SESSIONS` sessions, prompts and outputs seen
    /// `MIN_OCCURRENCES` times, each kind cut to `KEEP_PER_KIND`.
    fn report(self, ds: &Dataset) -> RecurringReport {
        let by_sessions = |g: &Group| g.sessions.len() >= MIN_SESSIONS;
        let by_count = |g: &Group| g.occurrences >= MIN_OCCURRENCES;
        let mut report = RecurringReport::default();
        let files = self.files.into_iter().filter(|(_, g)| by_sessions(g));
        report.keep(
            Kind::File,
            files
                .map(|(path, g)| {
                    let label = (path.to_string(), path.to_string());
                    item(ds, Kind::File, file_fix(path, &g), label, &g)
                })
                .collect(),
        );
        let searches = self.searches.into_iter().filter(|(_, g)| by_sessions(g));
        report.keep(
            Kind::Search,
            searches
                .map(|((name, pattern, path), g)| {
                    let key = match path {
                        Some(path) => format!("{name} {pattern} in {path}"),
                        None => format!("{name} {pattern}"),
                    };
                    item(ds, Kind::Search, search_fix(&g), (key.clone(), key), &g)
                })
                .collect(),
        );
        let prompts = self
            .prompts
            .items
            .into_iter()
            .filter(|(_, (g, _))| by_count(g));
        report.keep(Kind::Prompt, prompts.map(|p| prompt_item(ds, p)).collect());
        let outputs = self
            .outputs
            .items
            .into_iter()
            .filter(|(_, (g, _))| by_count(g));
        report.keep(
            Kind::ToolOutput,
            outputs.map(|o| output_item(ds, o)).collect(),
        );
        report
    }
}

fn prompt_item(ds: &Dataset, (hash, (g, snippet)): (u64, (Group, &str))) -> Recurring {
    let text = preview(snippet);
    let fix = format!(
        "typed {} times: make it a slash command (.claude/commands/<name>.md)",
        g.occurrences
    );
    let key = format!("{hash:016x} {text}");
    item(ds, Kind::Prompt, fix, (key, text), &g)
}

fn output_item(ds: &Dataset, (hash, (g, call)): (u64, (Group, &ToolCall))) -> Recurring {
    let what = describe(ds, call);
    let fix = format!(
        "the same {} KB output {} times: save it once and reference the file, or narrow the call",
        g.bytes / g.occurrences.max(1) / 1000,
        g.occurrences
    );
    let key = format!("{hash:016x} {what}");
    item(ds, Kind::ToolOutput, fix, (key, what), &g)
}

/// Groups by a hashed key, in the order each key was first seen: outputs and prompts are
/// keyed by a content hash, and their order must never depend on its value.
struct FirstSeen<K, V> {
    index: FastMap<K, usize>,
    items: Vec<(K, V)>,
}

impl<K, V> Default for FirstSeen<K, V> {
    fn default() -> Self {
        FirstSeen {
            index: FastMap::default(),
            items: Vec::new(),
        }
    }
}

impl<K: Copy + Eq + std::hash::Hash, V> FirstSeen<K, V> {
    fn entry(&mut self, key: K, new: impl FnOnce() -> V) -> &mut V {
        let i = *self.index.entry(key).or_insert_with(|| {
            self.items.push((key, new()));
            self.items.len() - 1
        });
        &mut self.items[i].1
    }
}

impl RecurringReport {
    /// Keeps the `KEEP_PER_KIND` largest estimates of one kind (ties: by key).
    fn keep(&mut self, kind: Kind, mut items: Vec<Recurring>) {
        items.sort_by(|a, b| {
            b.est_tokens
                .cmp(&a.est_tokens)
                .then(b.sessions.cmp(&a.sessions))
                .then_with(|| a.label.cmp(&b.label))
        });
        if items.len() > KEEP_PER_KIND {
            self.omitted.insert(
                kind.name().to_string(),
                (items.len() - KEEP_PER_KIND) as u64,
            );
            items.truncate(KEEP_PER_KIND);
        }
        self.items.extend(items);
    }
}

fn item(
    ds: &Dataset,
    kind: Kind,
    suggestion: String,
    (key, label): (String, String),
    g: &Group,
) -> Recurring {
    Recurring {
        kind,
        key,
        label,
        sessions: g.sessions.len() as u64,
        occurrences: g.occurrences,
        est_tokens: est_tokens(g.bytes),
        suggestion,
        tool: g.tool.map(|t| ds.name(t).to_string()),
    }
}

fn file_fix(path: &str, g: &Group) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    if name.eq_ignore_ascii_case("CLAUDE.md") {
        return format!(
            "read in {} sessions although CLAUDE.md is loaded at start: stop re-reading it",
            g.sessions.len()
        );
    }
    format!(
        "read in {} sessions: put what matters in CLAUDE.md, or mention @{name} in the prompt",
        g.sessions.len()
    )
}

fn search_fix(g: &Group) -> String {
    format!(
        "the same search in {} sessions: record its answer in CLAUDE.md instead of searching again",
        g.sessions.len()
    )
}

/// A short description of the call that produced an output.
fn describe(ds: &Dataset, c: &ToolCall) -> String {
    let name = ds.name(c.name);
    match c.input.subject() {
        Some(d) => format!("{name}: {}", preview(d)),
        None => name.to_string(),
    }
}

/// The first `PREVIEW_CHARS` characters on one line.
fn preview(s: &str) -> String {
    fmt::preview(s, PREVIEW_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompt(key: &str, label: &str, est_tokens: u64) -> Recurring {
        Recurring {
            kind: Kind::Prompt,
            key: key.into(),
            label: label.into(),
            sessions: 3,
            occurrences: 3,
            est_tokens,
            suggestion: String::new(),
            tool: None,
        }
    }

    #[test]
    fn ties_go_by_label_then_first_seen_never_by_hash() {
        let mut r = RecurringReport::default();
        r.keep(
            Kind::Prompt,
            vec![
                prompt("00 b", "b", 5),
                prompt("ff same", "same", 5),
                prompt("11 a", "a", 5),
                prompt("00 same", "same", 5),
                prompt("99 big", "big", 9),
            ],
        );
        let keys: Vec<&str> = r.items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(keys, ["99 big", "11 a", "00 b", "ff same", "00 same"]);
    }

    #[test]
    fn kinds_are_named_as_json_names_them() {
        for k in [Kind::File, Kind::Search, Kind::Prompt, Kind::ToolOutput] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.name());
        }
    }

    #[test]
    fn previews_are_one_short_line() {
        assert_eq!(preview("run  the\ntests"), "run the tests");
        let long = "x".repeat(100);
        assert_eq!(preview(&long).chars().count(), PREVIEW_CHARS + 1);
    }
}
