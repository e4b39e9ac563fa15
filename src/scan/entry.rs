//! The shape of one transcript entry, read by walking the line once with `lazy`: the
//! envelope fields the analyzers use, `message` (id, model, usage, stop reason, and — when
//! the report needs it — the content blocks, whose own `content` is kept as an undecoded
//! span), and the raw spans of `toolUseResult` and `data`. How much is read is set by
//! `Detail`: usage reports stop at `"type":"user"` (user lines carry no usage) and never
//! look into content; full reads stop before a trailing `toolUseResult` until the caller
//! asks for it with `resume`. A stopped line has only been checked for framing, not walked
//! to its end. A key that decides how a line counts (`type`, `message`, `requestId`,
//! `message.usage`, ...) written twice makes the line malformed, as serde would; `content`
//! that cannot be walked is skipped whole and flagged, so it never costs the line's usage.

use super::lazy::{Array, Malformed, Object, Raw, Walk, only_ws_after, skip};
use super::wire::Usage;

/// How much of each line a scan needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Usage-bearing responses only (daily/weekly/monthly/session/blocks).
    Usage,
    /// Responses, prompts, tool calls and tool results (the analyzers).
    Full,
}

/// Where a walk stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    /// After the value of `type` (a user line in a usage scan).
    AfterType(usize),
    /// At the value of `toolUseResult`.
    AtToolUseResult(usize),
}

/// How many attribution fields a line envelope carries (`Line::attribution`).
pub const ATTR_FIELDS: usize = 7;

/// The envelope of one line.
#[derive(Default)]
pub struct Line<'a> {
    pub ty: Option<Raw<'a>>,
    pub timestamp: Option<Raw<'a>>,
    pub session_id: Option<Raw<'a>>,
    pub request_id: Option<Raw<'a>>,
    pub agent_id: Option<Raw<'a>>,
    pub cwd: Option<Raw<'a>>,
    pub uuid: Option<Raw<'a>>,
    /// `parentUuid` is `null`: the first line of a thread (a session, or a sub-agent).
    pub parent_null: bool,
    pub is_sidechain: Option<bool>,
    pub is_meta: Option<bool>,
    pub is_compact_summary: Option<bool>,
    pub cost_usd: Option<f64>,
    /// `gitBranch`, `attributionPlugin`, `attributionSkill`, `attributionMcpServer`,
    /// `attributionMcpTool`, `attributionAgent` and `effort`, in `Attr` order.
    pub attribution: [Option<Raw<'a>>; ATTR_FIELDS],
    pub message: Option<Message<'a>>,
    /// `message` was present but not an object.
    pub message_not_object: bool,
    pub tool_use_result: Option<Raw<'a>>,
    pub data: Option<Raw<'a>>,
    stop: Option<Stop>,
    /// The counting fields already read (`once`).
    seen: u16,
}

/// `message`: the fields analyzers use.
#[derive(Default)]
pub struct Message<'a> {
    pub id: Option<Raw<'a>>,
    pub model: Option<Raw<'a>>,
    /// Read in place: `Err` when present but not a valid usage object.
    pub usage: Option<Walk<Usage>>,
    pub stop_reason: Option<Raw<'a>>,
    pub content: Content<'a>,
    /// `content` was skipped as a whole because it could not be walked (a full scan reads
    /// no blocks from it; a usage scan never looks, so both keep the line's usage).
    pub content_damaged: bool,
}

/// `message.content`.
#[derive(Default)]
pub enum Content<'a> {
    /// A plain string (still escaped).
    Text(Raw<'a>),
    /// A list of blocks; `odd` counts elements that were not objects.
    Blocks { blocks: Vec<Block<'a>>, odd: u32 },
    /// Not read (a usage scan), absent, or neither a string nor a list.
    #[default]
    Other,
}

/// One content block, flattened: which fields are set depends on `type`. The block's own
/// `content` (tool results: the bulk of every transcript) is kept as a span only.
#[derive(Default)]
pub struct Block<'a> {
    pub ty: Option<Raw<'a>>,
    pub id: Option<Raw<'a>>,
    pub name: Option<Raw<'a>>,
    pub input: Option<Raw<'a>>,
    pub tool_use_id: Option<Raw<'a>>,
    pub is_error: Option<bool>,
    pub text: Option<Raw<'a>>,
    pub thinking: Option<Raw<'a>>,
    /// A tool result's `content`, as a span (never copied or decoded).
    pub content: Option<Raw<'a>>,
}

impl<'a> Line<'a> {
    /// Walks `bytes` (one line) as far as `detail` needs.
    #[cfg(test)]
    pub fn read(bytes: &'a [u8], detail: Detail) -> Walk<Line<'a>> {
        let mut line = Line::default();
        line.read_into(bytes, detail)?;
        Ok(line)
    }

    /// `read` into `self`, which must be a fresh `Line::default()`: the scanner's way,
    /// which never moves the envelope (some 400 bytes) after it is filled.
    pub fn read_into(&mut self, bytes: &'a [u8], detail: Detail) -> Walk<()> {
        let mut o = Object::open(bytes)?;
        self.walk(&mut o, bytes, detail, true)
    }

    /// Whether the walk stopped before the end of the line.
    pub fn stopped(&self) -> bool {
        self.stop.is_some()
    }

    /// Walks the rest of a stopped line, reading every remaining field.
    pub fn resume(&mut self, bytes: &'a [u8], detail: Detail) -> Walk<()> {
        let Some(stop) = self.stop.take() else {
            return Ok(());
        };
        let mut o = match stop {
            Stop::AfterType(at) => Object::resume(bytes, at),
            Stop::AtToolUseResult(at) => {
                let mut o = Object::resume(bytes, at);
                self.tool_use_result = Some(o.value()?);
                o
            }
        };
        self.walk(&mut o, bytes, detail, false)
    }

    fn walk(
        &mut self,
        o: &mut Object<'a>,
        bytes: &'a [u8],
        detail: Detail,
        may_stop: bool,
    ) -> Walk<()> {
        while let Some(key) = o.next_key()? {
            match key {
                b"type" => {
                    self.once(1)?;
                    let v = o.value()?;
                    self.ty = Some(v);
                    if may_stop && detail == Detail::Usage && v.is_str("user") {
                        self.stop = Some(Stop::AfterType(o.consumed()));
                        return Ok(());
                    }
                }
                b"message" => {
                    self.once(2)?;
                    let slot = &mut self.message;
                    o.value_with(|s| Message::read_into(s, detail, slot))?;
                    self.message_not_object = self.message.is_none();
                }
                // Only a user line (tool results) may stop here: any other line still
                // needs its remaining fields, `type` among them when it comes later.
                b"toolUseResult"
                    if may_stop
                        && self.message.is_some()
                        && self.ty.is_some_and(|t| t.is_str("user")) =>
                {
                    self.once(4)?;
                    self.stop = Some(Stop::AtToolUseResult(o.consumed()));
                    return Ok(());
                }
                b"toolUseResult" => {
                    self.once(4)?;
                    self.tool_use_result = Some(o.value()?);
                }
                b"timestamp" => {
                    self.once(8)?;
                    self.timestamp = Some(o.value()?);
                }
                b"sessionId" => {
                    self.once(16)?;
                    self.session_id = Some(o.value()?);
                }
                b"requestId" => {
                    self.once(32)?;
                    self.request_id = Some(o.value()?);
                }
                b"agentId" => {
                    self.once(64)?;
                    self.agent_id = Some(o.value()?);
                }
                b"isSidechain" => {
                    self.once(128)?;
                    self.is_sidechain = o.value()?.bool();
                }
                b"data" => {
                    self.once(256)?;
                    self.data = Some(o.value()?);
                }
                b"cwd" => self.cwd = Some(o.value()?),
                b"uuid" => self.uuid = Some(o.value()?),
                b"parentUuid" => self.parent_null = o.value()?.bytes() == b"null",
                b"isMeta" => self.is_meta = o.value()?.bool(),
                b"isCompactSummary" => self.is_compact_summary = o.value()?.bool(),
                b"costUSD" => self.cost_usd = o.value()?.f64(),
                b"gitBranch" => self.attribution[0] = Some(o.value()?),
                b"attributionPlugin" => self.attribution[1] = Some(o.value()?),
                b"attributionSkill" => self.attribution[2] = Some(o.value()?),
                b"attributionMcpServer" => self.attribution[3] = Some(o.value()?),
                b"attributionMcpTool" => self.attribution[4] = Some(o.value()?),
                b"attributionAgent" => self.attribution[5] = Some(o.value()?),
                b"effort" => self.attribution[6] = Some(o.value()?),
                _ => {
                    o.value()?;
                }
            }
        }
        only_ws_after(bytes, o.consumed())
    }

    /// Marks a field that decides what a line counts as seen; a second copy of it makes
    /// the line ambiguous, so it is rejected (serde rejects duplicate keys too).
    #[inline]
    fn once(&mut self, bit: u16) -> Walk<()> {
        if self.seen & bit != 0 {
            return Err(Malformed::Invalid);
        }
        self.seen |= bit;
        Ok(())
    }
}

impl<'a> Message<'a> {
    /// Reads a `message` value at the start of `s`: `None` (skipped) when it is not an
    /// object. Returns the bytes consumed.
    pub fn read(s: &'a [u8], detail: Detail) -> Walk<(Option<Message<'a>>, usize)> {
        let mut slot = None;
        let ((), used) = Message::read_into(s, detail, &mut slot)?;
        Ok((slot, used))
    }

    /// `read` into `slot` (left `None` when the value is not an object), without moving
    /// the message once it is filled.
    fn read_into(s: &'a [u8], detail: Detail, slot: &mut Option<Message<'a>>) -> Walk<((), usize)> {
        let Ok(mut o) = Object::open(s) else {
            *slot = None;
            return Ok(((), skip(s)?));
        };
        let m = slot.insert(Message::default());
        while let Some(key) = o.next_key()? {
            match key {
                b"id" if m.id.is_none() => m.id = Some(o.value()?),
                b"model" if m.model.is_none() => m.model = Some(o.value()?),
                b"usage" if m.usage.is_none() => {
                    m.usage = Some(o.value_with(Usage::read_in_place)?);
                }
                b"id" | b"model" | b"usage" => return Err(Malformed::Invalid),
                b"stop_reason" => m.stop_reason = Some(o.value()?),
                b"content" if detail == Detail::Full => {
                    if let Ok(c) = o.value_with(Content::read) {
                        m.content = c;
                    } else {
                        o.value()?;
                        m.content_damaged = true;
                    }
                }
                _ => {
                    o.value()?;
                }
            }
        }
        Ok(((), o.consumed()))
    }
}

impl<'a> Content<'a> {
    fn read(s: &'a [u8]) -> Walk<(Content<'a>, usize)> {
        let Ok(mut a) = Array::open(s) else {
            let end = skip(s)?;
            let raw = Raw(s[..end].trim_ascii_start());
            return Ok(match raw.bytes().first() {
                Some(b'"') => (Content::Text(raw), end),
                _ => (Content::Other, end),
            });
        };
        let mut blocks = Vec::new();
        let mut odd = 0;
        while a.next()? {
            match a.value_with(Block::read)? {
                Some(b) => blocks.push(b),
                None => odd += 1,
            }
        }
        Ok((Content::Blocks { blocks, odd }, a.consumed()))
    }
}

impl<'a> Block<'a> {
    fn read(s: &'a [u8]) -> Walk<(Option<Block<'a>>, usize)> {
        let Ok(mut o) = Object::open(s) else {
            return Ok((None, skip(s)?));
        };
        let mut b = Block::default();
        while let Some(key) = o.next_key()? {
            match key {
                b"type" => b.ty = Some(o.value()?),
                b"id" => b.id = Some(o.value()?),
                b"name" => b.name = Some(o.value()?),
                b"input" => b.input = Some(o.value()?),
                b"tool_use_id" => b.tool_use_id = Some(o.value()?),
                b"is_error" => b.is_error = o.value()?.bool(),
                b"text" => b.text = Some(o.value()?),
                b"thinking" => b.thinking = Some(o.value()?),
                b"content" => b.content = Some(o.value()?),
                _ => {
                    o.value()?;
                }
            }
        }
        Ok((Some(b), o.consumed()))
    }
}

/// `data` of a `progress` line that embeds a sub-agent's assistant message.
pub struct AgentProgress<'a> {
    pub agent_id: Option<Raw<'a>>,
    pub request_id: Option<Raw<'a>>,
    pub timestamp: Option<Raw<'a>>,
    pub message: Message<'a>,
}

impl<'a> AgentProgress<'a> {
    /// The embedded response, if `data` is an `agent_progress` record whose message has
    /// usage.
    pub fn read(data: Raw<'a>, detail: Detail) -> Option<AgentProgress<'a>> {
        let mut o = data.object()?;
        let (mut ty, mut agent_id, mut outer) = (None, None, None);
        while let Some(key) = o.next_key().ok()? {
            let v = o.value().ok()?;
            match key {
                b"type" => ty = Some(v),
                b"agentId" => agent_id = Some(v),
                b"message" => outer = Some(v),
                _ => {}
            }
        }
        if !ty?.is_str("agent_progress") {
            return None;
        }
        let mut o = outer?.object()?;
        let (mut message, mut request_id, mut timestamp) = (None, None, None);
        while let Some(key) = o.next_key().ok()? {
            match key {
                b"message" => message = o.value_with(|s| Message::read(s, detail)).ok()?,
                b"requestId" => request_id = Some(o.value().ok()?),
                b"timestamp" => timestamp = Some(o.value().ok()?),
                _ => {
                    o.value().ok()?;
                }
            }
        }
        let message = message.filter(|m| m.usage.is_some())?;
        Some(AgentProgress {
            agent_id,
            request_id,
            timestamp,
            message,
        })
    }
}

/// `toolUseResult.agentId`, when the value is an object that has one.
pub fn spawned_agent(tool_use_result: Raw<'_>) -> Option<Raw<'_>> {
    let mut o = tool_use_result.object()?;
    while let Some(key) = o.next_key().ok()? {
        let v = o.value().ok()?;
        if key == b"agentId" {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: &[u8] = br#"{"sessionId":"s","type":"user","message":{"role":"user","content":[{"tool_use_id":"t1","type":"tool_result","content":"x \"y\" }","is_error":true}]},"uuid":"u","timestamp":"T","toolUseResult":{"agentId":"a1","stdout":"big"}}"#;

    #[test]
    fn usage_scans_stop_at_user_type() {
        let line = Line::read(USER, Detail::Usage).unwrap();
        assert!(line.stopped());
        assert!(line.ty.unwrap().is_str("user"));
        assert!(line.message.is_none());
    }

    #[test]
    fn full_scans_stop_before_tool_use_result_and_resume() {
        let mut line = Line::read(USER, Detail::Full).unwrap();
        assert!(line.stopped());
        assert!(line.tool_use_result.is_none());
        let Some(Message {
            content: Content::Blocks { blocks, odd: 0 },
            ..
        }) = &line.message
        else {
            panic!("blocks expected");
        };
        assert_eq!(blocks[0].tool_use_id.unwrap().string().unwrap(), "t1");
        assert_eq!(blocks[0].is_error, Some(true));
        assert_eq!(line.timestamp.unwrap().string().unwrap(), "T");
        line.resume(USER, Detail::Full).unwrap();
        assert!(!line.stopped());
        let agent = spawned_agent(line.tool_use_result.unwrap()).unwrap();
        assert_eq!(agent.string().unwrap(), "a1");
    }

    #[test]
    fn torn_tool_use_result_fails_on_resume() {
        let torn = &USER[..USER.len() - 8];
        let mut line = Line::read(torn, Detail::Full).unwrap();
        assert_eq!(line.resume(torn, Detail::Full), Err(Malformed::Truncated));
    }

    #[test]
    fn only_user_lines_stop_at_tool_use_result() {
        // Keys in sorted order (as `jq -S` writes them): `type` after `toolUseResult`.
        let l = br#"{"message":{"id":"m","usage":{"input_tokens":3}},"requestId":"r","toolUseResult":{"x":1},"type":"assistant"}"#;
        for detail in [Detail::Usage, Detail::Full] {
            let line = Line::read(l, detail).unwrap();
            assert!(!line.stopped());
            assert!(line.ty.unwrap().is_str("assistant"));
        }
    }

    #[test]
    fn assistant_usage_without_content() {
        let l = br#"{"message":{"id":"m","model":"claude-x","content":[{"type":"text","text":"hi"}],"usage":{"input_tokens":3}},"requestId":"r","type":"assistant"}"#;
        let line = Line::read(l, Detail::Usage).unwrap();
        let m = line.message.unwrap();
        assert!(matches!(m.content, Content::Other));
        let tokens = m.usage.unwrap().unwrap().input_tokens;
        assert_eq!(tokens, crate::scan::wire::TokenCount::Value(3));
        assert_eq!(line.request_id.unwrap().string().unwrap(), "r");
    }

    #[test]
    fn repeated_deciding_keys_are_malformed() {
        for l in [
            r#"{"type":"assistant","type":"user","message":{}}"#,
            r#"{"type":"assistant","message":{},"message":{}}"#,
            r#"{"type":"assistant","requestId":"a","requestId":"b"}"#,
            r#"{"type":"assistant","message":{"usage":{},"usage":{}}}"#,
            r#"{"type":"assistant","message":{"id":"a","id":"b"}}"#,
        ] {
            for detail in [Detail::Usage, Detail::Full] {
                assert_eq!(
                    Line::read(l.as_bytes(), detail).err(),
                    Some(Malformed::Invalid),
                    "{l}"
                );
            }
        }
        // Keys that do not decide anything may repeat.
        assert!(Line::read(br#"{"type":"x","cwd":"a","cwd":"b"}"#, Detail::Full).is_ok());
    }

    #[test]
    fn damaged_content_costs_the_blocks_not_the_usage() {
        // Found by the `line` fuzz target: a usage scan skips content structurally and kept
        // the usage; a full scan failed the whole line on the missing colon.
        let l = br#"{"type":"assistant","message":{"id":"m","content":[{"type":"tool_use","name"?"Bash"}],"usage":{"input_tokens":1}}}"#;
        for detail in [Detail::Usage, Detail::Full] {
            let m = Line::read(l, detail).unwrap().message.unwrap();
            assert!(m.usage.is_some());
            assert!(matches!(m.content, Content::Other));
            assert_eq!(m.content_damaged, detail == Detail::Full);
        }
    }

    #[test]
    fn message_that_is_not_an_object() {
        let line = Line::read(br#"{"type":"assistant","message":"oops"}"#, Detail::Full).unwrap();
        assert!(line.message.is_none());
        assert!(line.message_not_object);
    }

    #[test]
    fn progress_lines_embed_a_response() {
        let data = br#"{"type":"agent_progress","agentId":"a","message":{"type":"assistant","message":{"id":"m","usage":{"output_tokens":1}},"requestId":"r","timestamp":"T"}}"#;
        let p = AgentProgress::read(Raw(data), Detail::Usage).unwrap();
        assert_eq!(p.agent_id.unwrap().string().unwrap(), "a");
        assert_eq!(p.request_id.unwrap().string().unwrap(), "r");
        assert!(p.message.usage.is_some());
        let hook = br#"{"type":"hook_progress","message":{}}"#;
        assert!(AgentProgress::read(Raw(hook), Detail::Usage).is_none());
    }
}
