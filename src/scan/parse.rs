//! Line → record. Classifies one transcript line (usage-bearing response, turn-opening
//! prompt, tool results, progress embedding, known non-usage entry, or skipped with a
//! category) and appends compact records to the file's `FilePartial`. Never panics on
//! input; every skipped line is counted once in `Diagnostics`.

use super::diagnostics::{Diagnostics, skip};
use super::text::{agent_id_tail, parse_ts, raw_str, raw_string};
use super::wire::{
    Block, Content, Line, LineNoContent, Message, ProgressData, ProgressMessage, ToolInputWire,
    Usage,
};
use crate::model::ids::{FastMap, FastSet};
use crate::model::ids::{Sym, hash64, hash128};
use crate::model::record::{
    DedupeKey, FilePartial, Origin, PromptKind, PromptLine, ResponseLine, ToolCallLine, ToolInput,
    ToolResultLine,
};
use crate::model::tokens::Tokens;
use serde_json::value::RawValue;
use std::borrow::Cow;

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

/// Longest prompt prefix kept for spot-checks.
const SNIPPET_BYTES: usize = 160;
/// Longest tool-input string kept (commands, patterns, descriptions).
const INPUT_BYTES: usize = 240;

/// Parses the lines of one file.
pub struct FileParser {
    pub partial: FilePartial,
    pub diag: Diagnostics,
    path_session: Sym,
    line_no: u32,
    /// Current turn per thread: `None` key = main thread, else the agent id.
    turns: FastMap<Option<Sym>, u64>,
    /// Task/Agent tool_use ids seen in this file, whose results may name a sub-agent.
    spawn_calls: FastSet<u64>,
}

enum Outcome {
    Done,
    Failed(serde_json::Error),
}

impl FileParser {
    pub fn new(path_session: &str) -> Self {
        let mut partial = FilePartial::default();
        let path_session = partial.strings.intern(path_session);
        FileParser {
            partial,
            diag: Diagnostics::default(),
            path_session,
            line_no: 0,
            turns: FastMap::default(),
            spawn_calls: FastSet::default(),
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
        if bytes.iter().all(|c| c.is_ascii_whitespace()) {
            if !tail || !bytes.is_empty() {
                self.diag.skip(skip::EMPTY);
            }
            return;
        }
        if self.cheap_skip(bytes) {
            return;
        }
        match self.full_parse(bytes, line_no) {
            Outcome::Done => {}
            Outcome::Failed(e) => {
                let category = if tail && !e.is_data() {
                    skip::PENDING_TAIL
                } else if e.is_data() {
                    skip::BAD_SHAPE
                } else {
                    skip::BAD_JSON
                };
                self.diag.skip(category);
            }
        }
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

    fn full_parse(&mut self, bytes: &[u8], line_no: u32) -> Outcome {
        match serde_json::from_slice::<Line>(bytes) {
            Ok(line) => {
                self.dispatch(&line, line_no, bytes);
                Outcome::Done
            }
            Err(e) if e.is_data() => match serde_json::from_slice::<LineNoContent>(bytes) {
                // The content did not decode; keep the usage.
                Ok(line) => {
                    self.diag.lossy_lines += 1;
                    self.dispatch(&Line::from(line), line_no, bytes);
                    Outcome::Done
                }
                Err(_) => Outcome::Failed(e),
            },
            Err(e) => Outcome::Failed(e),
        }
    }

    fn dispatch(&mut self, line: &Line, line_no: u32, bytes: &[u8]) {
        let ty = raw_string(line.ty);
        match ty.as_deref() {
            Some("assistant") => self.assistant(line, line_no),
            Some("user") => self.user(line, bytes),
            Some("progress") => self.progress(line, line_no),
            Some(t) if KNOWN_NON_USAGE.contains(&t) => self.diag.non_usage_entries += 1,
            _ => self.diag.skip(skip::UNKNOWN_TYPE),
        }
    }

    fn intern_raw(&mut self, raw: Option<&RawValue>) -> Option<Sym> {
        let mut lossy = false;
        let s = raw.and_then(|r| raw_str(r, &mut lossy))?;
        if lossy {
            self.diag.lossy_lines += 1;
        }
        Some(self.partial.strings.intern(&s))
    }

    fn session_of(&mut self, line: &Line) -> Sym {
        self.intern_raw(line.session_id)
            .filter(|s| !self.partial.strings.resolve(*s).is_empty())
            .unwrap_or(self.path_session)
    }

    fn timestamp(&mut self, raw: Option<&RawValue>) -> Option<i64> {
        let ts = raw_string(raw).and_then(|s| parse_ts(&s));
        if ts.is_none() {
            self.diag.undated_lines += 1;
        }
        ts
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
        let agent = self.intern_raw(line.agent_id);
        let session = self.session_of(line);
        let ts = self.timestamp(line.timestamp);
        let request = raw_string(line.request_id);
        let key = self.response(
            msg,
            origin,
            request.as_deref(),
            session,
            agent,
            ts,
            line,
            line_no,
        );
        if let Some(key) = key {
            self.tool_calls(msg, key, ts, session, agent);
        }
    }

    /// Records the response of `msg` if it carries valid usage; returns its dedupe key when
    /// its content should be read (not for `<synthetic>` lines).
    #[allow(clippy::too_many_arguments)]
    fn response(
        &mut self,
        msg: &Message,
        origin: Origin,
        request: Option<&str>,
        session: Sym,
        agent: Option<Sym>,
        ts: Option<i64>,
        line: &Line,
        line_no: u32,
    ) -> Option<DedupeKey> {
        let model = raw_string(msg.model);
        if model.as_deref() == Some("<synthetic>") {
            self.diag.synthetic_lines += 1;
            return None;
        }
        let id = raw_string(msg.id).filter(|s| !s.is_empty());
        let key = match (&id, request.filter(|r| !r.is_empty())) {
            (Some(id), Some(req)) => DedupeKey::Request(hash128(&[id.as_bytes(), req.as_bytes()])),
            (Some(id), None) => {
                let sess = self.partial.strings.resolve(session).to_owned();
                DedupeKey::SessionMessage(hash128(&[sess.as_bytes(), id.as_bytes()]))
            }
            (None, _) => DedupeKey::Unique,
        };
        let Some(usage_raw) = msg.usage else {
            if origin != Origin::Progress {
                self.diag.skip(skip::NO_USAGE);
            }
            return Some(key);
        };
        let Some((tokens, fast)) = self.usage(usage_raw) else {
            return Some(key);
        };
        let label = match (model.as_deref(), fast) {
            (Some(m), true) if !m.is_empty() => format!("{m}-fast"),
            (Some(m), false) if !m.is_empty() => m.to_string(),
            _ => "unknown".to_string(),
        };
        let model = self.partial.strings.intern(&label);
        let cwd = self.intern_raw(line.cwd);
        let turn_key = if origin == Origin::Main {
            None
        } else {
            Some(agent.unwrap_or(Sym(u32::MAX)))
        };
        let turn = self.turns.get(&turn_key).copied();
        let stop_reason = self.intern_raw(msg.stop_reason);
        let thinking_chars = thinking_chars(&msg.content);
        self.partial.responses.push(ResponseLine {
            key,
            message_hash: id.as_deref().map(|i| hash64(&[i.as_bytes()])).unwrap_or(0),
            origin,
            tokens,
            ts,
            model,
            session,
            cwd,
            agent,
            recorded_cost: line.cost_usd.filter(|c| c.is_finite() && *c >= 0.0),
            turn,
            line: line_no,
            thinking_chars,
            stop_reason,
        });
        Some(key)
    }

    /// Token counts of a usage object, or None (counted) when the record is invalid.
    fn usage(&mut self, raw: &RawValue) -> Option<(Tokens, bool)> {
        let Ok(u) = serde_json::from_str::<Usage>(raw.get()) else {
            self.diag.skip(skip::INVALID_USAGE);
            return None;
        };
        let (w5, w1) = match &u.cache_creation {
            Some(cc) => (cc.ephemeral_5m_input_tokens, cc.ephemeral_1h_input_tokens),
            None => (
                u.cache_creation_input_tokens,
                super::wire::TokenCount::Absent,
            ),
        };
        let fields = [
            u.input_tokens,
            u.output_tokens,
            u.cache_read_input_tokens,
            w5,
            w1,
        ];
        if fields.contains(&super::wire::TokenCount::Implausible) {
            self.diag.skip(skip::IMPLAUSIBLE_USAGE);
            return None;
        }
        let vals: Option<Vec<u64>> = fields.iter().map(|f| f.value()).collect();
        let Some(v) = vals else {
            self.diag.skip(skip::INVALID_USAGE);
            return None;
        };
        let fast = raw_string(u.speed).as_deref() == Some("fast");
        Some((
            Tokens {
                input: v[0],
                output: v[1],
                cache_read: v[2],
                cache_write_5m: v[3],
                cache_write_1h: v[4],
            },
            fast,
        ))
    }

    fn tool_calls(
        &mut self,
        msg: &Message,
        key: DedupeKey,
        ts: Option<i64>,
        session: Sym,
        agent: Option<Sym>,
    ) {
        let Content::Blocks(blocks) = &msg.content else {
            return;
        };
        for b in blocks {
            if raw_string(b.ty).as_deref() != Some("tool_use") {
                continue;
            }
            let Some(id) = raw_string(b.id) else { continue };
            let name = raw_string(b.name).unwrap_or(Cow::Borrowed("unknown"));
            let name = self.partial.strings.intern(&name);
            let input = b.input.map(tool_input).unwrap_or_default();
            let id_hash = hash64(&[id.as_bytes()]);
            if matches!(self.partial.strings.resolve(name), "Task" | "Agent") {
                self.spawn_calls.insert(id_hash);
            }
            self.partial.tool_calls.push(ToolCallLine {
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
        let ts = self.timestamp(line.timestamp);
        let session = self.session_of(line);
        let agent = self.intern_raw(line.agent_id);
        let sidechain = line.is_sidechain.unwrap_or(false);
        match &msg.content {
            Content::Blocks(blocks) if blocks.iter().any(is_tool_result) => {
                let spawned = line
                    .tool_use_result
                    .as_ref()
                    .and_then(|t| t.agent_id.as_deref());
                self.tool_results(blocks, spawned, bytes, ts);
            }
            _ if line.is_meta == Some(true) || line.is_compact_summary == Some(true) => {}
            Content::Text(text) => self.prompt(text, line, ts, session, agent, sidechain),
            Content::Blocks(blocks) => {
                let text: String = blocks
                    .iter()
                    .filter_map(|b| raw_string(b.text))
                    .collect::<Vec<_>>()
                    .join("\n");
                self.prompt(&text, line, ts, session, agent, sidechain);
            }
            Content::Other => {}
        }
    }

    fn prompt(
        &mut self,
        text: &str,
        line: &Line,
        ts: Option<i64>,
        session: Sym,
        agent: Option<Sym>,
        sidechain: bool,
    ) {
        let Some(kind) = prompt_kind(text) else {
            return;
        };
        let uuid = raw_string(line.uuid).unwrap_or(Cow::Borrowed(""));
        let uuid_hash = if uuid.is_empty() {
            hash64(&[b"noid", text.as_bytes()])
        } else {
            hash64(&[uuid.as_bytes()])
        };
        let thread = if sidechain {
            Some(agent.unwrap_or(Sym(u32::MAX)))
        } else {
            None
        };
        self.turns.insert(thread, uuid_hash);
        self.partial.prompts.push(PromptLine {
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
            let Some(id) = raw_string(b.tool_use_id) else {
                continue;
            };
            let tool_use_hash = hash64(&[id.as_bytes()]);
            let agent = match spawned.filter(|s| !s.is_empty()) {
                Some(a) => Some(a),
                None if self.spawn_calls.contains(&tool_use_hash) => agent_id_tail(line),
                None => None,
            };
            let agent_spawned = agent.map(|a| self.partial.strings.intern(a));
            self.partial.tool_results.push(ToolResultLine {
                tool_use_hash,
                is_error: b.is_error.unwrap_or(false),
                size,
                ts,
                agent_spawned,
            });
        }
    }

    fn progress(&mut self, line: &Line, line_no: u32) {
        let Some((data, inner, msg)) = line.data.and_then(agent_progress) else {
            self.diag.non_usage_entries += 1;
            return;
        };
        let agent = self.intern_raw(data.agent_id);
        let session = self.session_of(line);
        let ts = self.timestamp(inner.timestamp.or(line.timestamp));
        let request = raw_string(inner.request_id);
        self.response(
            &msg,
            Origin::Progress,
            request.as_deref(),
            session,
            agent,
            ts,
            line,
            line_no,
        );
    }
}

/// The sub-agent response a `progress` line embeds, if it is an `agent_progress` line
/// with usage.
fn agent_progress(raw: &RawValue) -> Option<(ProgressData<'_>, ProgressMessage<'_>, Message<'_>)> {
    let mut data = serde_json::from_str::<ProgressData>(raw.get()).ok()?;
    if raw_string(data.ty).as_deref() != Some("agent_progress") {
        return None;
    }
    let mut inner = data.message.take()?;
    let msg = inner.message.take().filter(|m| m.usage.is_some())?;
    Some((data, inner, msg))
}

fn is_tool_result(b: &Block) -> bool {
    raw_string(b.ty).as_deref() == Some("tool_result")
}

/// Characters of thinking text on one line.
fn thinking_chars(content: &Content) -> u32 {
    let Content::Blocks(blocks) = content else {
        return 0;
    };
    blocks
        .iter()
        .filter_map(|b| b.thinking)
        .map(|t| t.get().len() as u32)
        .sum()
}

/// What kind of turn a user text opens, or None for harness text.
fn prompt_kind(text: &str) -> Option<PromptKind> {
    let t = text.trim_start();
    if t.is_empty() {
        return None;
    }
    if t.starts_with("<command-name>") || t.starts_with("<command-message>") {
        return Some(PromptKind::Command);
    }
    const HARNESS: &[&str] = &[
        "<local-command-stdout>",
        "<local-command-stderr>",
        "<local-command-caveat>",
        "<task-notification>",
        "<system-reminder>",
        "<bash-stdout>",
        "<bash-stderr>",
        "[Request interrupted by user",
        "Caveat: The messages below were generated by the user while running local commands",
        "This session is being continued from a previous conversation",
    ];
    if HARNESS.iter().any(|h| t.starts_with(h)) {
        return None;
    }
    Some(PromptKind::Text)
}

fn tool_input(raw: &RawValue) -> ToolInput {
    let Ok(w) = serde_json::from_str::<ToolInputWire>(raw.get()) else {
        return ToolInput::default();
    };
    let s =
        |r: Option<&RawValue>| raw_string(r).map(|v| Box::<str>::from(truncate(&v, INPUT_BYTES)));
    ToolInput {
        file_path: s(w.file_path)
            .or_else(|| s(w.notebook_path))
            .or_else(|| s(w.path)),
        pattern: s(w.pattern)
            .or_else(|| s(w.query))
            .or_else(|| s(w.url))
            .or_else(|| s(w.skill)),
        command: s(w.command),
        subagent_type: s(w.subagent_type),
        description: s(w.description),
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
