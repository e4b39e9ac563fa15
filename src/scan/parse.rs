//! Line → record. Classifies one transcript line (usage-bearing response, turn-opening
//! prompt, tool results, progress embedding, known non-usage entry, an entry kind this
//! version does not know — counted apart, not as a skip — or skipped with a category) and
//! appends compact records to the file's `FilePartial`. Never panics on input; every
//! skipped line is counted once in `Diagnostics`.

use super::entry::{
    ATTR_FIELDS, AgentProgress, Block, Content, Detail, Line, Message, spawned_agent,
};
use super::extract::{
    api_error_kind, is_tool_result, prompt_kind, result_text, str_eq, thinking_chars, tool_input,
    truncate,
};
use super::lazy::{Malformed, Raw, Walk, framed};
use super::text::{agent_id_tail, parse_ts, parse_ts_bytes};
use super::wire::{TokenCount, Usage};
use crate::model::attribution::Attribution;
use crate::model::diagnostics::{Diagnostics, skip};
use crate::model::ids::{FastMap, FastSet};
use crate::model::ids::{Sym, hash_bulk, hash64, hash128};
use crate::model::record::{
    ApiErrorLine, CompactionLine, DedupeKey, FilePartial, HASHED_RESULT_BYTES, Origin, PromptLine,
    RecordedCost, ResponseLine, ToolCallLine, ToolResultLine, turn_of,
};
use crate::model::tokens::Tokens;
use std::borrow::Cow;
use std::collections::VecDeque;

/// Entry types that are known and carry no usage.
const KNOWN_NON_USAGE: &[&str] = &[
    "system",
    "summary",
    "file-history-snapshot",
    "queue-operation",
    "attachment",
    "custom-title",
    "ai-title",
    "agent-name",
    "agent-color",
    "agent-setting",
    "permission-mode",
    "last-prompt",
    "pr-link",
    "tag",
    "mode",
];

/// How a compaction summary starts (older lines carry no `isCompactSummary` flag).
const COMPACTION_SUMMARY: &str = "This session is being continued from a previous conversation";

/// Longest prompt prefix kept for spot-checks.
const SNIPPET_BYTES: usize = 160;

/// Parses the lines of one file. A copy carries on exactly where the original stood (a
/// live scan parses a file's torn last line on a copy).
#[derive(Clone)]
pub struct FileParser {
    pub partial: FilePartial,
    pub diag: Diagnostics,
    detail: Detail,
    path_session: Sym,
    line_no: u32,
    /// Current turn per thread: `None` key = main thread, else the agent id.
    turns: FastMap<Option<Sym>, u64>,
    /// Task/Agent tool_use ids seen in this file, whose results may name a sub-agent.
    spawn_calls: FastSet<u64>,
    /// Main-thread Task/Agent calls not yet matched to an inline sidechain run, in order.
    pending_spawns: VecDeque<(u64, String)>,
    /// The inline sidechain run the current sidechain lines belong to.
    inline_run: Option<Sym>,
    /// The last value interned per `Slot`.
    recent: [Recent; SLOTS],
    /// The last attribution tuple and its index in the partial's table.
    last_attr: (Attribution, u32),
}

/// Who wrote a line, and when: what every record taken from it carries.
#[derive(Clone, Copy)]
struct Source {
    session: Sym,
    agent: Option<Sym>,
    ts: Option<i64>,
    /// The line's index within its file.
    line_no: u32,
}

/// Fields whose values repeat from line to line and are interned through `Recent`.
#[derive(Clone, Copy)]
enum Slot {
    Session,
    Agent,
    Cwd,
    StopReason,
    Model,
}
/// The five slots above, then one per attribution field (`ATTR_FIELDS`).
const SLOTS: usize = 5 + ATTR_FIELDS;
const FIRST_ATTR_SLOT: usize = 5;

/// The raw bytes last interned for a field, and the result: consecutive lines repeat
/// their session, cwd, model and agent, so most lookups are one comparison.
#[derive(Clone, Default)]
struct Recent {
    raw: Vec<u8>,
    fast: bool,
    sym: Option<Sym>,
    lossy: bool,
}

impl FileParser {
    pub fn new(path_session: &str, detail: Detail) -> Self {
        let mut partial = FilePartial::default();
        let path_session = partial.strings.intern(path_session);
        FileParser {
            partial,
            diag: Diagnostics::default(),
            detail,
            path_session,
            line_no: 0,
            turns: FastMap::default(),
            spawn_calls: FastSet::default(),
            pending_spawns: VecDeque::new(),
            inline_run: None,
            recent: Default::default(),
            last_attr: (Attribution::default(), 0),
        }
    }

    /// Handles one complete line (`tail`: the file's last bytes, not ended by `\n`).
    pub fn line(&mut self, bytes: &[u8], tail: bool) {
        let line_no = self.line_no;
        self.line_no += 1;
        self.diag.lines_read += 1;
        let bytes = if line_no == 0 {
            bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
        } else {
            bytes
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            if !tail || !bytes.is_empty() {
                self.diag.skip(skip::EMPTY);
            }
            return;
        }
        if self.cheap_skip(bytes) {
            return;
        }
        let mut line = Line::default();
        if let Err(m) = line.read_into(bytes, self.detail) {
            return self.malformed(bytes, m, tail);
        }
        if line.stopped()
            && (!framed(bytes) || self.needs_rest(&line))
            && let Err(m) = line.resume(bytes, self.detail)
        {
            return self.malformed(bytes, m, tail);
        }
        self.dispatch(&line, line_no, bytes);
    }

    /// Counts a line the walk rejected: valid JSON that is not an object is `bad_shape`,
    /// a broken last line of the file is `pending_tail`, anything else `bad_json`.
    fn malformed(&mut self, bytes: &[u8], _why: Malformed, tail: bool) {
        let object = bytes.trim_ascii_start().first() == Some(&b'{');
        let category = if !object && serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
        {
            skip::BAD_SHAPE
        } else if tail {
            skip::PENDING_TAIL
        } else {
            skip::BAD_JSON
        };
        self.diag.skip(category);
    }

    /// Whether a line whose walk stopped early must be read to its end: a full scan needs
    /// `toolUseResult` for Task/Agent results, and any field the prefix lacked.
    fn needs_rest(&self, line: &Line) -> bool {
        if self.detail == Detail::Usage {
            return false;
        }
        if line.timestamp.is_none() || line.session_id.is_none() || line.uuid.is_none() {
            return true;
        }
        let Some(Message {
            content: Content::Blocks { blocks, .. },
            ..
        }) = &line.message
        else {
            return false;
        };
        if self.spawn_calls.is_empty() {
            return false;
        }
        blocks.iter().filter(|b| is_tool_result(b)).any(|b| {
            b.tool_use_id
                .and_then(Raw::string)
                .is_some_and(|id| self.spawn_calls.contains(&hash64(&[id.as_bytes()])))
        })
    }

    /// Called when a line exceeded the cap.
    pub fn too_long(&mut self) {
        self.line_no += 1;
        self.diag.lines_read += 1;
        self.diag.skip(skip::TOO_LONG);
    }

    /// Lines that start `{"type":"<known non-usage type>"` and end in `}` are counted
    /// without a JSON parse (file-history-snapshot lines can be large).
    fn cheap_skip(&mut self, bytes: &[u8]) -> bool {
        let Some(rest) = bytes.strip_prefix(b"{\"type\":\"") else {
            return false;
        };
        let Some(end) = memchr::memchr(b'"', rest) else {
            return false;
        };
        let ty = &rest[..end];
        if bytes.last() == Some(&b'}') && KNOWN_NON_USAGE.iter().any(|k| k.as_bytes() == ty) {
            self.diag.non_usage_entries += 1;
            return true;
        }
        false
    }

    fn dispatch(&mut self, line: &Line, line_no: u32, bytes: &[u8]) {
        if line.message_not_object {
            self.diag.skip(skip::BAD_SHAPE);
            return;
        }
        if let Some(m) = &line.message
            && (m.content_damaged || matches!(m.content, Content::Blocks { odd: 1.., .. }))
        {
            self.diag.lossy_lines += 1;
        }
        let ty = line.ty.and_then(Raw::string);
        match ty.as_deref() {
            Some("assistant") => self.assistant(line, line_no),
            Some("user") if self.detail == Detail::Usage => {}
            Some("user") => self.user(line, bytes),
            Some("progress") => self.progress(line, line_no),
            Some(t) if KNOWN_NON_USAGE.contains(&t) => self.diag.non_usage_entries += 1,
            Some(_) => self.diag.unknown_entries += 1,
            None => self.diag.skip(skip::BAD_SHAPE),
        }
    }

    /// Interns a string field (None for absent or non-string values), through the
    /// field's `Recent` slot; `fast` appends `-fast` to the decoded text.
    fn intern_slot(&mut self, slot: Slot, raw: Option<Raw>, fast: bool) -> Option<Sym> {
        self.intern_at(slot as usize, raw?, fast)
    }

    fn intern_at(&mut self, slot: usize, raw: Raw, fast: bool) -> Option<Sym> {
        let r = &self.recent[slot];
        if r.fast != fast || !crate::bytes::same(&r.raw, raw.bytes()) {
            let mut lossy = false;
            let sym = raw.str(&mut lossy).map(|s| {
                if fast {
                    self.partial.strings.intern(&format!("{s}-fast"))
                } else {
                    self.partial.strings.intern(&s)
                }
            });
            let r = &mut self.recent[slot];
            r.raw.clear();
            r.raw.extend_from_slice(raw.bytes());
            r.fast = fast;
            r.sym = sym;
            r.lossy = lossy;
        }
        let r = &self.recent[slot];
        self.diag.lossy_lines += u64::from(r.lossy);
        r.sym
    }

    fn intern_raw(&mut self, slot: Slot, raw: Option<Raw>) -> Option<Sym> {
        self.intern_slot(slot, raw, false)
    }

    /// The line's attribution fields as an index into the partial's table (0: none).
    /// An empty string counts as absent. Consecutive lines repeat their tuple, so most
    /// lines cost one comparison per present field and one for the tuple.
    fn attribution(&mut self, line: &Line) -> u32 {
        let mut syms = [None; ATTR_FIELDS];
        for (i, raw) in line.attribution.iter().enumerate() {
            if let Some(raw) = raw.filter(|r| !str_eq(*r, "")) {
                syms[i] = self.intern_at(FIRST_ATTR_SLOT + i, raw, false);
            }
        }
        let [branch, plugin, skill, mcp_server, mcp_tool, agent, effort] = syms;
        let a = Attribution {
            branch,
            plugin,
            skill,
            mcp_server,
            mcp_tool,
            agent,
            effort,
        };
        if a != self.last_attr.0 {
            self.last_attr = (a, self.partial.attributions.intern(a));
        }
        self.last_attr.1
    }

    /// The sub-agent a line belongs to: its `agentId`; for a 1.0.x inline sidechain line
    /// (no `agentId`) in a full scan, the inline run it is part of. A run starts at a
    /// sidechain line whose `parentUuid` is null and takes the oldest unmatched Task/Agent
    /// call of the main thread as its spawn.
    fn agent_of(&mut self, line: &Line, sidechain: bool, line_no: u32) -> Option<Sym> {
        let agent = self.intern_raw(Slot::Agent, line.agent_id);
        if agent.is_some() || !sidechain || self.detail == Detail::Usage {
            return agent;
        }
        if line.parent_null || self.inline_run.is_none() {
            let (name, spawn) = match self.pending_spawns.pop_front() {
                Some((hash, id)) => (format!("inline-{id}"), Some(hash)),
                None => (format!("inline-line-{line_no}"), None),
            };
            let sym = self.partial.strings.intern(&name);
            if let Some(hash) = spawn {
                self.partial.events_mut().inline_spawns.push((sym, hash));
            }
            self.inline_run = Some(sym);
        }
        self.inline_run
    }

    /// The session a line belongs to: its `sessionId` (a workflow agent's
    /// `<session>#agent-<id>` folded into `<session>`), else the path's session.
    fn session_of(&mut self, line: &Line) -> Sym {
        let Some(sym) = self
            .intern_raw(Slot::Session, line.session_id)
            .filter(|s| !self.partial.strings.resolve(*s).is_empty())
        else {
            return self.path_session;
        };
        let id = self.partial.strings.resolve(sym);
        // Most ids have no `#`: one memchr rather than a substring searcher per line.
        let agent_at = memchr::memchr(b'#', id.as_bytes()).and_then(|_| id.find("#agent-"));
        match agent_at.filter(|&i| i > 0) {
            Some(i) => {
                let parent = id[..i].to_string();
                let folded = self.partial.strings.intern(&parent);
                // The next line of the same agent finds the parent in the cache.
                self.recent[Slot::Session as usize].sym = Some(folded);
                folded
            }
            None => sym,
        }
    }

    fn assistant(&mut self, line: &Line, line_no: u32) {
        let Some(msg) = &line.message else {
            self.diag.skip(skip::NO_USAGE);
            return;
        };
        let sidechain = line.is_sidechain.unwrap_or(false);
        let origin = if sidechain {
            Origin::Sidechain
        } else {
            Origin::Main
        };
        let at = Source {
            agent: self.agent_of(line, sidechain, line_no),
            session: self.session_of(line),
            ts: timestamp(line.timestamp),
            line_no,
        };
        let request = line.request_id.and_then(Raw::string);
        if let Some(key) = self.response(msg, origin, request.as_deref(), line, at) {
            self.tool_calls(msg, key, at);
        }
    }

    /// Records the response of `msg` if it carries valid usage; returns its dedupe key when
    /// its content should be read (not for `<synthetic>` lines).
    fn response(
        &mut self,
        msg: &Message,
        origin: Origin,
        request: Option<&str>,
        line: &Line,
        at: Source,
    ) -> Option<DedupeKey> {
        let Source {
            session,
            agent,
            ts,
            line_no,
        } = at;
        if msg.model.is_some_and(|m| str_eq(m, "<synthetic>")) {
            self.diag.synthetic_lines += 1;
            if self.detail == Detail::Full {
                self.api_error(msg, session, ts);
            }
            return None;
        }
        let id = msg.id.and_then(Raw::string).filter(|s| !s.is_empty());
        let key = match (&id, request.filter(|r| !r.is_empty())) {
            (Some(id), Some(req)) => {
                DedupeKey::Request(hash128(&[id.as_bytes(), req.as_bytes()]).into())
            }
            (Some(id), None) => {
                let sess = self.partial.strings.resolve(session).to_owned();
                DedupeKey::SessionMessage(hash128(&[sess.as_bytes(), id.as_bytes()]).into())
            }
            (None, _) => DedupeKey::Unique,
        };
        let Some(usage) = msg.usage else {
            if origin != Origin::Progress {
                self.diag.skip(skip::NO_USAGE);
            }
            return Some(key);
        };
        let Some((tokens, fast)) = self.usage(usage) else {
            return Some(key);
        };
        if ts.is_none() {
            self.diag.undated_lines += 1;
        }
        let model = msg
            .model
            .filter(|m| !str_eq(*m, ""))
            .and_then(|m| self.intern_slot(Slot::Model, Some(m), fast))
            .unwrap_or_else(|| self.partial.strings.intern("unknown"));
        let cwd = self.intern_raw(Slot::Cwd, line.cwd);
        // Turns and stop reasons serve the analyzers; usage rollups skip them.
        let (turn, stop_reason) = if self.detail == Detail::Full {
            let thread = (origin != Origin::Main).then(|| agent.unwrap_or(Sym::MAX));
            let turn = self.turns.get(&thread).copied();
            (turn, self.intern_raw(Slot::StopReason, msg.stop_reason))
        } else {
            (None, None)
        };
        let thinking_chars = thinking_chars(&msg.content);
        let attr = self.attribution(line);
        self.partial.add_response(ResponseLine {
            key,
            message_hash: id.as_deref().map_or(0, |i| hash64(&[i.as_bytes()])),
            origin,
            tokens,
            ts,
            model,
            session,
            cwd,
            agent,
            recorded_cost: RecordedCost::new(line.cost_usd),
            turn: turn.map(turn_of),
            line: line_no,
            thinking_chars,
            stop_reason,
            attr,
        });
        Some(key)
    }

    /// Records an API error or usage limit a `<synthetic>` line reports.
    fn api_error(&mut self, msg: &Message, session: Sym, ts: Option<i64>) {
        let Content::Blocks { blocks, .. } = &msg.content else {
            return;
        };
        let text = blocks.iter().find_map(|b| b.text.and_then(Raw::string));
        if let Some(kind) = text.as_deref().and_then(api_error_kind) {
            self.partial.events_mut().api_errors.push(ApiErrorLine {
                ts,
                session,
                kind: kind.into(),
            });
        }
    }

    /// Token counts of a usage read in place, or None (counted) when the record is invalid.
    fn usage(&mut self, usage: Walk<Usage>) -> Option<(Tokens, bool)> {
        let Ok(u) = usage else {
            self.diag.skip(skip::INVALID_USAGE);
            return None;
        };
        let (w5, w1) = u
            .cache_creation
            .unwrap_or((u.cache_creation_input_tokens, TokenCount::Absent));
        let fields = [
            u.input_tokens,
            u.output_tokens,
            u.cache_read_input_tokens,
            w5,
            w1,
        ];
        if fields.contains(&TokenCount::Implausible) {
            self.diag.skip(skip::IMPLAUSIBLE_USAGE);
            return None;
        }
        let [
            Some(input),
            Some(output),
            Some(cache_read),
            Some(w5),
            Some(w1),
        ] = fields.map(TokenCount::value)
        else {
            self.diag.skip(skip::INVALID_USAGE);
            return None;
        };
        Some((
            Tokens {
                input,
                output,
                cache_read,
                cache_write_5m: w5,
                cache_write_1h: w1,
            },
            u.fast,
        ))
    }

    fn tool_calls(&mut self, msg: &Message, key: DedupeKey, at: Source) {
        let Source {
            session, agent, ts, ..
        } = at;
        let Content::Blocks { blocks, .. } = &msg.content else {
            return;
        };
        for b in blocks {
            if !b.ty.is_some_and(|t| t.is_str("tool_use")) {
                continue;
            }
            let Some(id) = b.id.and_then(Raw::string) else {
                continue;
            };
            let name = b
                .name
                .and_then(Raw::string)
                .unwrap_or(Cow::Borrowed("unknown"));
            let input = b.input.map(|i| tool_input(i, &name)).unwrap_or_default();
            let name = self.partial.strings.intern(&name);
            let id_hash = hash64(&[id.as_bytes()]);
            if matches!(self.partial.strings.resolve(name), "Task" | "Agent") {
                self.spawn_calls.insert(id_hash);
                if agent.is_none() {
                    self.pending_spawns.push_back((id_hash, id.to_string()));
                }
            }
            self.partial.events_mut().tool_calls.push(ToolCallLine {
                id_hash,
                name,
                response: key,
                ts,
                session,
                agent,
                input,
            });
        }
    }

    fn user(&mut self, line: &Line, bytes: &[u8]) {
        let Some(msg) = &line.message else {
            self.diag.non_usage_entries += 1;
            return;
        };
        let ts = timestamp(line.timestamp);
        let session = self.session_of(line);
        let sidechain = line.is_sidechain.unwrap_or(false);
        let line_no = self.line_no.saturating_sub(1);
        let at = Source {
            agent: self.agent_of(line, sidechain, line_no),
            session,
            ts,
            line_no,
        };
        match &msg.content {
            Content::Blocks { blocks, .. } if blocks.iter().any(is_tool_result) => {
                let spawned = line
                    .tool_use_result
                    .and_then(spawned_agent)
                    .and_then(Raw::string);
                self.tool_results(blocks, spawned.as_deref(), bytes, ts);
            }
            _ if line.is_compact_summary == Some(true) => self.compaction(at),
            _ if line.is_meta == Some(true) => {}
            Content::Text(raw) => {
                let mut lossy = false;
                if let Some(text) = raw.str(&mut lossy) {
                    self.diag.lossy_lines += u64::from(lossy);
                    self.prompt(&text, line, at, sidechain);
                }
            }
            Content::Blocks { blocks, .. } => {
                let text: String = blocks
                    .iter()
                    .filter_map(|b| b.text.and_then(Raw::string))
                    .collect::<Vec<_>>()
                    .join("\n");
                self.prompt(&text, line, at, sidechain);
            }
            Content::Other => {}
        }
    }

    fn prompt(&mut self, text: &str, line: &Line, at: Source, sidechain: bool) {
        let Source {
            session, agent, ts, ..
        } = at;
        let Some(kind) = prompt_kind(text) else {
            let text = text.trim_start();
            if text.starts_with("[Request interrupted by user") {
                self.partial.events_mut().interrupts.push((ts, session));
            } else if text.starts_with(COMPACTION_SUMMARY) {
                self.compaction(at);
            }
            return;
        };
        let uuid = line.uuid.and_then(Raw::string).unwrap_or(Cow::Borrowed(""));
        let uuid_hash = if uuid.is_empty() {
            hash64(&[b"noid", text.as_bytes()])
        } else {
            hash64(&[uuid.as_bytes()])
        };
        let thread = if sidechain {
            Some(agent.unwrap_or(Sym::MAX))
        } else {
            None
        };
        self.turns.insert(thread, uuid_hash);
        self.partial.events_mut().prompts.push(PromptLine {
            uuid_hash,
            kind,
            ts,
            session,
            agent,
            sidechain,
            text_len: text.len().min(u32::MAX as usize) as u32,
            text_hash: hash64(&[text.trim().as_bytes()]),
            snippet: truncate(text.trim(), SNIPPET_BYTES).into(),
        });
    }

    /// Records a compaction summary (flagged `isCompactSummary`, or older lines that only
    /// start with the summary's words).
    fn compaction(&mut self, at: Source) {
        self.partial.events_mut().compactions.push(CompactionLine {
            ts: at.ts,
            session: at.session,
            agent: at.agent,
        });
    }

    /// Records the tool results of a user line. Result sizes are the line's bytes shared
    /// evenly among its results (the content itself is skipped, not copied); a Task/Agent
    /// result without `toolUseResult.agentId` is searched for an `agentId: …` tail.
    fn tool_results(
        &mut self,
        blocks: &[Block],
        spawned: Option<&str>,
        line: &[u8],
        ts: Option<i64>,
    ) {
        let n = blocks.iter().filter(|b| is_tool_result(b)).count().max(1);
        let size = (line.len() / n).min(u32::MAX as usize) as u32;
        for b in blocks.iter().filter(|b| is_tool_result(b)) {
            let Some(id) = b.tool_use_id.and_then(Raw::string) else {
                continue;
            };
            let tool_use_hash = hash64(&[id.as_bytes()]);
            let agent = match spawned.filter(|s| !s.is_empty()) {
                Some(a) => Some(a),
                None if self.spawn_calls.contains(&tool_use_hash) => agent_id_tail(line),
                None => None,
            };
            let agent_spawned = agent.map(|a| self.partial.strings.intern(a));
            let content = b.content.map_or(&[][..], Raw::bytes);
            let is_error = b.is_error.unwrap_or(false);
            let error_sample = if is_error {
                b.content
                    .and_then(result_text)
                    .map(|t| truncate(t.trim(), SNIPPET_BYTES).into())
            } else {
                None
            };
            self.partial.events_mut().tool_results.push(ToolResultLine {
                tool_use_hash,
                is_error,
                error_sample,
                size,
                content_bytes: content.len().min(u32::MAX as usize) as u32,
                content_hash: if content.len() >= HASHED_RESULT_BYTES {
                    hash_bulk(content)
                } else {
                    0
                },
                ts,
                agent_spawned,
            });
        }
    }

    fn progress(&mut self, line: &Line, line_no: u32) {
        let Some(p) = line.data.and_then(|d| AgentProgress::read(d, self.detail)) else {
            self.diag.non_usage_entries += 1;
            return;
        };
        let at = Source {
            agent: self.intern_raw(Slot::Agent, p.agent_id),
            session: self.session_of(line),
            ts: timestamp(p.timestamp.or(line.timestamp)),
            line_no,
        };
        let request = p.request_id.and_then(Raw::string);
        self.response(&p.message, Origin::Progress, request.as_deref(), line, at);
    }
}

/// A line's time, in ms since the epoch (None when missing or unreadable).
fn timestamp(raw: Option<Raw>) -> Option<i64> {
    raw.and_then(|r| match r.plain() {
        Some(plain) => parse_ts_bytes(plain),
        None => r.string().and_then(|s| parse_ts(&s)),
    })
}
