//! The compact records the scanner produces for one file: responses (one per usage-bearing
//! line, before dedupe), user prompts that open turns, tool calls, tool results. They hold
//! integers and interned ids, never raw lines. `FilePartial` is one file's worth of them
//! with its own interner; `model::dataset` merges partials and applies the dedupe rule.

use super::attribution::AttrTable;
use super::dedupe::{Candidate, prefer};
use super::ids::{FastMap, Interner, Sym};
use super::tokens::Tokens;

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// How a response line was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// An `assistant` line of the main thread.
    Main,
    /// An `assistant` line with `isSidechain: true` (a sub-agent, or a `/btw` replay).
    Sidechain,
    /// A sub-agent assistant message embedded in a parent's `progress` line.
    Progress,
}

/// A 128-bit hash kept as two halves (high first, so it orders as the `u128`): a `u128`
/// field would give every record holding a key 16-byte alignment and its padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hash128([u64; 2]);

impl From<u128> for Hash128 {
    fn from(h: u128) -> Self {
        Hash128([(h >> 64) as u64, h as u64])
    }
}

impl Hash128 {
    pub fn get(self) -> u128 {
        (u128::from(self.0[0]) << 64) | u128::from(self.0[1])
    }
}

/// The dedupe key of a response line (see `model::dedupe`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DedupeKey {
    /// (`message.id`, `requestId`).
    Request(Hash128),
    /// (session, `message.id`) for lines whose `requestId` is missing or null.
    SessionMessage(Hash128),
    /// No `message.id`: never deduplicated.
    Unique,
}

/// One usage-bearing line.
#[derive(Clone, Debug)]
pub struct ResponseLine {
    pub key: DedupeKey,
    /// Hash of `message.id` alone (0 when absent), for the sidechain-replay rule.
    pub message_hash: u64,
    pub origin: Origin,
    pub tokens: Tokens,
    /// None when the timestamp is missing or unparseable.
    pub ts: Option<Millis>,
    /// Model label (`-fast` appended for `speed: "fast"`), local to the partial's interner.
    pub model: Sym,
    pub session: Sym,
    pub cwd: Option<Sym>,
    pub agent: Option<Sym>,
    /// `costUSD` as recorded by old Claude Code versions.
    pub recorded_cost: Option<f64>,
    /// The turn this response answers: hash of the opening prompt line's uuid.
    pub turn: Option<u64>,
    /// Index of the line within its file (0-based), a final tie-breaker.
    pub line: u32,
    /// Thinking text on this line (bytes of the raw JSON string); after the in-file merge,
    /// the sum over the response's lines in this file.
    pub thinking_chars: u32,
    /// Whether the line ended the response (`stop_reason` set).
    pub stop_reason: Option<Sym>,
    /// The line's attribution fields: an index into the partial's `attributions`.
    pub attr: u32,
}

/// What kind of user line opened a turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// Text the user typed.
    Text,
    /// A slash command (`<command-name>…`).
    Command,
}

/// A user line that opens a turn.
#[derive(Clone, Debug)]
pub struct PromptLine {
    pub uuid_hash: u64,
    pub kind: PromptKind,
    pub ts: Option<Millis>,
    pub session: Sym,
    pub agent: Option<Sym>,
    pub sidechain: bool,
    /// Length of the prompt text in bytes, and a hash of it (for recurring prompts).
    pub text_len: u32,
    pub text_hash: u64,
    /// The first characters of the prompt (≤ 160 bytes), for spot-checks; never shown by
    /// shareable outputs unless asked.
    pub snippet: Box<str>,
}

/// The small part of a tool call's input that analyzers use.
#[derive(Clone, Debug, Default)]
pub struct ToolInput {
    pub file_path: Option<Box<str>>,
    pub pattern: Option<Box<str>>,
    pub command: Option<Box<str>>,
    pub subagent_type: Option<Box<str>>,
    pub description: Option<Box<str>>,
    /// Edits and writes: lines of the new text, and of the text it replaces.
    pub lines_added: u32,
    pub lines_removed: u32,
}

impl ToolInput {
    /// What the call worked on, in its own words: the path, else the command, the
    /// pattern or query, or the description.
    pub fn subject(&self) -> Option<&str> {
        self.file_path
            .as_deref()
            .or(self.command.as_deref())
            .or(self.pattern.as_deref())
            .or(self.description.as_deref())
    }
}

/// A `tool_use` block of an assistant line.
#[derive(Clone, Debug)]
pub struct ToolCallLine {
    pub id_hash: u64,
    pub name: Sym,
    /// The dedupe key of the response whose line carried the call.
    pub response: DedupeKey,
    pub ts: Option<Millis>,
    pub session: Sym,
    pub agent: Option<Sym>,
    pub input: ToolInput,
}

/// Tool results at least this long (stored bytes) carry a content hash.
pub const HASHED_RESULT_BYTES: usize = 2000;

/// A `tool_result` block of a user line.
#[derive(Clone, Debug)]
pub struct ToolResultLine {
    pub tool_use_hash: u64,
    pub is_error: bool,
    /// Approximate size: bytes of the result's user line, shared among its results.
    pub size: u32,
    /// Bytes of the result's `content` as stored (JSON-escaped).
    pub content_bytes: u32,
    /// `hash_bulk` of the stored `content` when it is at least `HASHED_RESULT_BYTES`
    /// long (identical outputs have identical hashes), else 0.
    pub content_hash: u64,
    pub ts: Option<Millis>,
    /// The start of an error result's text (≤ 160 bytes, decoded, not yet sanitized).
    pub error_sample: Option<Box<str>>,
    /// The sub-agent id a Task/Agent result names (`toolUseResult.agentId` or the
    /// `agentId: …` tail of its text).
    pub agent_spawned: Option<Sym>,
}

/// Everything one file contributed, with its own interner.
#[derive(Clone, Debug, Default)]
pub struct FilePartial {
    pub strings: Interner,
    /// Distinct attribution tuples of the responses (ids local to `strings`).
    pub attributions: AttrTable,
    /// At most one line per dedupe key (see `add_response`).
    pub responses: Vec<ResponseLine>,
    /// Lines dropped by `add_response` as copies of a preferred line of the same file.
    pub duplicates: u64,
    /// Dedupe key → index in `responses`.
    by_key: FastMap<DedupeKey, u32>,
    /// `compact` dropped `by_key`: the next `add_response` rebuilds it.
    compacted: bool,
    pub prompts: Vec<PromptLine>,
    pub tool_calls: Vec<ToolCallLine>,
    pub tool_results: Vec<ToolResultLine>,
    /// Inline sub-agent runs (1.0.x sidechains in the parent's file, which carry no
    /// `agentId`): the run's made-up id and the `tool_use` id of the call that spawned it.
    pub inline_spawns: Vec<(Sym, u64)>,
    /// API errors and other notices Claude Code wrote as `<synthetic>` assistant lines.
    pub api_errors: Vec<ApiErrorLine>,
    /// `[Request interrupted by user…]` lines: (time, session).
    pub interrupts: Vec<(Option<Millis>, Sym)>,
    /// Compaction summaries (`isCompactSummary` user lines): where a thread's context was
    /// replaced by a summary.
    pub compactions: Vec<CompactionLine>,
}

/// A compaction: the summary line Claude Code writes after compacting a thread.
#[derive(Clone, Copy, Debug)]
pub struct CompactionLine {
    pub ts: Option<Millis>,
    pub session: Sym,
    /// The sub-agent whose context was compacted; None for the main thread.
    pub agent: Option<Sym>,
}

/// A `<synthetic>` line reporting an API error or a usage limit.
#[derive(Clone, Debug)]
pub struct ApiErrorLine {
    pub ts: Option<Millis>,
    pub session: Sym,
    /// `529`, `500`, `timeout`, `usage_limit`, ... (see `scan::extract::api_error_kind`).
    pub kind: Box<str>,
}

impl FilePartial {
    /// Frees what only adding records needed (the key index, the interners' lookup maps)
    /// and every list's spare capacity: a scan holds one partial per file until the
    /// merge, so this is most of the scan's memory on wide histories.
    pub fn compact(&mut self) {
        self.by_key = FastMap::default();
        self.compacted = true;
        self.strings.compact();
        self.attributions.compact();
        self.responses.shrink_to_fit();
        self.prompts.shrink_to_fit();
        self.tool_calls.shrink_to_fit();
        self.tool_results.shrink_to_fit();
        self.inline_spawns.shrink_to_fit();
        self.api_errors.shrink_to_fit();
        self.interrupts.shrink_to_fit();
        self.compactions.shrink_to_fit();
    }

    /// Adds a response line. Streaming writes one line per content block, all with the
    /// same key, so a file often holds several copies of a response: only the copy the
    /// dedupe rule prefers is kept (the rule is a total order, so the best copy of a
    /// file's best copies is the global best — `model::dedupe` finishes the job).
    pub fn add_response(&mut self, r: ResponseLine) {
        if r.key == DedupeKey::Unique {
            self.responses.push(r);
            return;
        }
        if self.compacted {
            self.compacted = false;
            let keyed = (0u32..).zip(&self.responses);
            self.by_key = keyed
                .filter(|(_, r)| r.key != DedupeKey::Unique)
                .map(|(i, r)| (r.key, i))
                .collect();
        }
        if let Some(&i) = self.by_key.get(&r.key) {
            self.duplicates += 1;
            let kept = &mut self.responses[i as usize];
            // Each streaming line holds one content block: the response's thinking is
            // the sum over its lines, whichever line's usage is kept.
            let thinking = kept.thinking_chars.saturating_add(r.thinking_chars);
            if prefer(&Candidate::of(&r, 0), &Candidate::of(kept, 0)).is_gt() {
                *kept = r;
            }
            kept.thinking_chars = thinking;
        } else {
            self.by_key.insert(r.key, self.responses.len() as u32);
            self.responses.push(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(key: u128, output: u64, no: u32) -> ResponseLine {
        ResponseLine {
            key: DedupeKey::Request(key.into()),
            message_hash: 0,
            origin: Origin::Main,
            tokens: Tokens {
                output,
                ..Tokens::default()
            },
            ts: Some(0),
            model: Sym(0),
            session: Sym(0),
            cwd: None,
            agent: None,
            recorded_cost: None,
            turn: None,
            line: no,
            thinking_chars: 1,
            stop_reason: None,
            attr: 0,
        }
    }

    #[test]
    fn records_stay_small() {
        // One per response line until the merge: their size is most of a scan's memory.
        // A `u128` key made both 176 bytes (16-byte alignment).
        assert_eq!(align_of::<DedupeKey>(), 8);
        assert!(
            size_of::<ResponseLine>() <= 168,
            "{}",
            size_of::<ResponseLine>()
        );
        assert!(size_of::<crate::model::Response>() <= 168);
    }

    #[test]
    fn a_compacted_partial_still_merges_copies_of_a_response() {
        let mut p = FilePartial::default();
        p.add_response(line(1, 5, 0));
        p.add_response(line(2, 5, 1));
        p.add_response(line(1, 9, 2));
        p.compact();
        assert!(p.by_key.is_empty(), "the key index is freed");
        p.add_response(line(2, 7, 3));
        p.add_response(line(3, 1, 4));
        assert_eq!(p.responses.len(), 3);
        assert_eq!(p.duplicates, 2);
        assert_eq!(p.responses[0].tokens.output, 9);
        assert_eq!(p.responses[1].tokens.output, 7);
        assert_eq!(
            p.responses[1].thinking_chars, 2,
            "thinking summed over both lines"
        );
    }
}
