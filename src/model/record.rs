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

/// A 128-bit hash kept as four quarters (highest first, so it orders as the `u128`): a
/// `u128` field would give every record holding a key 16-byte alignment and its padding,
/// and `u64` halves would leave seven bytes of padding after `DedupeKey`'s tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hash128([u32; 4]);

impl From<u128> for Hash128 {
    fn from(h: u128) -> Self {
        Hash128([
            (h >> 96) as u32,
            (h >> 64) as u32,
            (h >> 32) as u32,
            h as u32,
        ])
    }
}

impl Hash128 {
    pub fn get(self) -> u128 {
        self.0
            .iter()
            .fold(0u128, |acc, &q| (acc << 32) | u128::from(q))
    }
}

/// `costUSD` as recorded by old Claude Code versions: a finite amount of at least zero,
/// or none. Eight bytes (none is NaN) where an `Option<f64>` takes sixteen, in records
/// kept once per response.
#[derive(Clone, Copy, Debug)]
pub struct RecordedCost(f64);

impl RecordedCost {
    pub const NONE: RecordedCost = RecordedCost(f64::NAN);

    /// The amount; none for a missing, negative or non-finite one.
    pub fn new(cost: Option<f64>) -> Self {
        match cost {
            Some(c) if c.is_finite() && c >= 0.0 => RecordedCost(c),
            _ => RecordedCost::NONE,
        }
    }

    pub fn get(self) -> Option<f64> {
        (!self.0.is_nan()).then_some(self.0)
    }
}

/// The turn a response answers, as stored: the hash of the opening prompt line's uuid,
/// made non-zero so that `Option<TurnKey>` takes eight bytes instead of sixteen (a hash of
/// zero, one chance in 2^64, is stored as one).
pub type TurnKey = std::num::NonZeroU64;

/// The `TurnKey` of a prompt's uuid hash.
pub fn turn_of(hash: u64) -> TurnKey {
    TurnKey::new(hash).unwrap_or(TurnKey::MIN)
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
    pub recorded_cost: RecordedCost,
    /// The turn this response answers: hash of the opening prompt line's uuid.
    pub turn: Option<TurnKey>,
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

/// The small part of a tool call's input that analyzers use: up to five short strings,
/// kept in one allocation (five boxed strings cost 80 bytes a call before their text,
/// and one allocation each), with the lines an edit adds and removes.
#[derive(Clone, Debug, Default)]
pub struct ToolInput {
    /// The present fields' text, one after another, in `InputField` order.
    text: Box<str>,
    /// Where each field ends in `text`; a field is absent when `present` lacks its bit.
    ends: [u32; 5],
    present: u8,
    /// Edits and writes: lines of the new text, and of the text it replaces.
    pub lines_added: u32,
    pub lines_removed: u32,
}

/// The strings a `ToolInput` keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputField {
    /// `file_path`, `notebook_path` or `path`.
    FilePath,
    /// `pattern`, `query`, `url` or `skill`.
    Pattern,
    Command,
    SubagentType,
    Description,
}

impl ToolInput {
    /// An input with `fields` (in `InputField` order) and the edit line counts.
    pub fn new(fields: [Option<&str>; 5], lines_added: u32, lines_removed: u32) -> Self {
        let mut text = String::with_capacity(fields.iter().flatten().map(|f| f.len()).sum());
        let (mut ends, mut present) = ([0u32; 5], 0u8);
        for (k, f) in fields.iter().enumerate() {
            if let Some(f) = f {
                text.push_str(f);
                present |= 1 << k;
            }
            ends[k] = u32::try_from(text.len()).unwrap_or(u32::MAX);
        }
        ToolInput {
            text: text.into_boxed_str(),
            ends,
            present,
            lines_added,
            lines_removed,
        }
    }

    /// One field's text, if the call had it.
    pub fn get(&self, field: InputField) -> Option<&str> {
        let k = field as usize;
        if self.present & (1 << k) == 0 {
            return None;
        }
        let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        self.text.get(start..self.ends[k] as usize)
    }

    pub fn file_path(&self) -> Option<&str> {
        self.get(InputField::FilePath)
    }

    pub fn pattern(&self) -> Option<&str> {
        self.get(InputField::Pattern)
    }

    pub fn command(&self) -> Option<&str> {
        self.get(InputField::Command)
    }

    pub fn subagent_type(&self) -> Option<&str> {
        self.get(InputField::SubagentType)
    }

    pub fn description(&self) -> Option<&str> {
        self.get(InputField::Description)
    }

    /// What the call worked on, in its own words: the path, else the command, the
    /// pattern or query, or the description.
    pub fn subject(&self) -> Option<&str> {
        self.file_path()
            .or(self.command())
            .or(self.pattern())
            .or(self.description())
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
    /// Dedupe key → index in `responses`; None before the first keyed line and after
    /// `compact` (the next `add_response` rebuilds it). Boxed: a compacted partial, one
    /// per file until the merge, then holds a null pointer.
    by_key: Option<Box<FastMap<DedupeKey, u32>>>,
    /// Prompts, tool calls, results and the rarer events; None until the first one (a
    /// usage scan records none, and a partial is kept per file until the merge).
    events: Option<Box<Events>>,
}

/// What a file contributed besides responses: the analyzers' material.
#[derive(Clone, Debug, Default)]
pub struct Events {
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

/// The events of a partial that has none.
static NO_EVENTS: Events = Events {
    prompts: Vec::new(),
    tool_calls: Vec::new(),
    tool_results: Vec::new(),
    inline_spawns: Vec::new(),
    api_errors: Vec::new(),
    interrupts: Vec::new(),
    compactions: Vec::new(),
};

impl Events {
    fn shrink_to_fit(&mut self) {
        self.prompts.shrink_to_fit();
        self.tool_calls.shrink_to_fit();
        self.tool_results.shrink_to_fit();
        self.inline_spawns.shrink_to_fit();
        self.api_errors.shrink_to_fit();
        self.interrupts.shrink_to_fit();
        self.compactions.shrink_to_fit();
    }
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
        self.by_key = None;
        self.strings.compact();
        self.attributions.compact();
        self.responses.shrink_to_fit();
        if let Some(e) = &mut self.events {
            e.shrink_to_fit();
        }
    }

    /// The file's events (empty when it had none).
    pub fn events(&self) -> &Events {
        self.events.as_deref().unwrap_or(&NO_EVENTS)
    }

    /// The file's events, to add to.
    pub fn events_mut(&mut self) -> &mut Events {
        self.events.get_or_insert_default()
    }

    /// Moves the events out, leaving none.
    pub fn take_events(&mut self) -> Events {
        self.events.take().map(|e| *e).unwrap_or_default()
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
        let responses = &self.responses;
        let by_key = self.by_key.get_or_insert_with(|| {
            let keyed = (0u32..).zip(responses);
            Box::new(
                keyed
                    .filter(|(_, r)| r.key != DedupeKey::Unique)
                    .map(|(i, r)| (r.key, i))
                    .collect(),
            )
        });
        if let Some(&i) = by_key.get(&r.key) {
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
            by_key.insert(r.key, self.responses.len() as u32);
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
            model: Sym::new(0),
            session: Sym::new(0),
            cwd: None,
            agent: None,
            recorded_cost: RecordedCost::NONE,
            turn: None,
            line: no,
            thinking_chars: 1,
            stop_reason: None,
            attr: 0,
        }
    }

    #[test]
    fn records_stay_small() {
        // One per response line until the merge, and one per response after it: their
        // size is most of a scan's memory. A `u128` key made both 176 bytes (16-byte
        // alignment); `u64` halves, `Option<f64>` costs, `Option<u64>` turns and symbols
        // without a niche, 168.
        assert_eq!(align_of::<DedupeKey>(), 4);
        assert_eq!(size_of::<Option<Sym>>(), 4);
        assert_eq!(size_of::<RecordedCost>(), 8);
        assert!(
            size_of::<ResponseLine>() <= 136,
            "{}",
            size_of::<ResponseLine>()
        );
        assert!(size_of::<crate::model::Response>() <= 136);
        // One per file until the merge (100,000 on a wide history): the lookup maps and
        // the event lists are boxed, so a compacted usage partial is a few pointers.
        assert!(
            size_of::<FilePartial>() <= 112,
            "{}",
            size_of::<FilePartial>()
        );
    }

    #[test]
    fn tool_inputs_keep_each_field_apart() {
        let i = ToolInput::new([Some("a.rs"), None, Some(""), Some("Explore"), None], 3, 1);
        assert_eq!(i.file_path(), Some("a.rs"));
        assert_eq!(i.pattern(), None);
        assert_eq!(i.command(), Some(""));
        assert_eq!(i.subagent_type(), Some("Explore"));
        assert_eq!(i.description(), None);
        assert_eq!(i.subject(), Some("a.rs"));
        assert_eq!((i.lines_added, i.lines_removed), (3, 1));
        let d = ToolInput::new([None, None, None, None, Some("é x")], 0, 0);
        assert_eq!(d.description(), Some("é x"));
        assert_eq!(d.subject(), Some("é x"));
        assert_eq!(ToolInput::default().subject(), None);
        assert!(size_of::<ToolInput>() <= 48);
    }

    #[test]
    fn recorded_costs_keep_amounts_and_drop_the_rest() {
        assert_eq!(RecordedCost::new(Some(1.25)).get(), Some(1.25));
        assert_eq!(RecordedCost::new(Some(0.0)).get(), Some(0.0));
        for bad in [None, Some(-1.0), Some(f64::NAN), Some(f64::INFINITY)] {
            assert_eq!(RecordedCost::new(bad).get(), None);
        }
    }

    #[test]
    fn hashes_in_quarters_keep_their_value_and_order() {
        let h = (7u128 << 100) | (3 << 64) | 5;
        assert_eq!(Hash128::from(h).get(), h);
        assert!(Hash128::from(1u128 << 96) > Hash128::from(u128::from(u32::MAX)));
    }

    #[test]
    fn a_compacted_partial_still_merges_copies_of_a_response() {
        let mut p = FilePartial::default();
        p.add_response(line(1, 5, 0));
        p.add_response(line(2, 5, 1));
        p.add_response(line(1, 9, 2));
        p.compact();
        assert!(p.by_key.is_none(), "the key index is freed");
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
