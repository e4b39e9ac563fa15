//! One conversation thread (a session's main thread or one sub-agent) and the lines it
//! writes: the envelope every line shares, prompts, tool results, API responses (one line
//! per content block when streamed, with growing `output_tokens`), `<synthetic>` lines,
//! system lines and compactions. It also holds the context model that makes usage
//! realistic: the cache read is the context so far, the cache write what was appended
//! since the last call, and a cold cache (start, compaction, an idle gap past the TTL)
//! rewrites it.

use crate::calendar::{Ms, iso, since};
use crate::ids;
use crate::json::{Obj, V};
use crate::session::{Line, Session};
use crate::truth::{ResponseTruth, Tok};

/// Whose thread this is.
#[derive(Clone, Debug, Default)]
pub struct Agent {
    /// `agentId` on its lines (none for 1.0.x inline sidechains).
    pub id: Option<String>,
    /// `attributionAgent` on its assistant lines (recent versions).
    pub attribution: Option<String>,
}

/// A copy of a sub-agent's assistant line for an `agent_progress` line in the parent.
pub struct ProgressCopy {
    pub message: V,
    pub request_id: String,
    pub uuid: String,
    pub at: Ms,
    pub usage: Tok,
}

pub struct Thread {
    pub lines: Vec<Line>,
    /// uuid of the last line written (the next line's `parentUuid`).
    pub parent: Option<String>,
    pub model: &'static str,
    /// None for the main thread.
    pub agent: Option<Agent>,
    /// The `sessionId` its lines carry.
    pub session_field: String,
    /// Index of its run in the session's truth (sub-agents).
    pub run: Option<usize>,
    pub depth: u32,
    base: u64,
    ctx: u64,
    pending: u64,
    cold: bool,
    pub ttl: Ms,
    pub ttl_1h: bool,
    pub tool_count: u64,
    pub last_usage: Tok,
    /// The skill a `Skill` call activated, until the turn ends: (plugin, skill).
    pub skill: Option<(Option<&'static str>, &'static str)>,
    /// The MCP tool whose result the next response answers.
    pub mcp: Option<&'static str>,
    /// When set, every assistant line is also copied here (agent_progress).
    pub progress: Option<Vec<ProgressCopy>>,
    /// The last few final answers (text only) and their usage, which a `/btw` aside
    /// replays.
    pub answers: Vec<(Obj, Tok)>,
    /// The text of the last final answer (a sub-agent's report).
    pub last_answer: String,
    /// Sub-agents this (sub-agent) thread may still spawn.
    pub spawns_left: u32,
}

/// One line of a response about to be written.
struct Snapshot<'a> {
    at: Ms,
    content: Vec<Obj>,
    id: &'a str,
    request: &'a str,
    /// The stop reason, on the response's last line only.
    stop: Option<&'static str>,
    usage: Tok,
    attribution: &'a [(&'static str, String)],
}

/// `costUSD` as old versions wrote it: the line's usage at Sonnet 4 list prices.
fn cost_usd(u: &Tok) -> f64 {
    let c = u.input as f64 * 3.0
        + u.output as f64 * 15.0
        + u.cache_read as f64 * 0.3
        + u.cache_creation() as f64 * 3.75;
    c.round() / 1e6
}

/// What `respond` wrote.
pub struct Reply {
    pub end: Ms,
    /// Timestamp of the line carrying each content block.
    pub block_at: Vec<Ms>,
}

impl Thread {
    pub fn new(s: &mut Session, model: &'static str, agent: Option<Agent>) -> Thread {
        let side = agent.is_some();
        let r = &mut s.rng;
        let mcp = s.project.mcp && !side;
        let base = if side { 9000 } else { 14_500 }
            + r.range(0, 6000)
            + if mcp { r.range(3000, 25_000) } else { 0 };
        let ttl_1h = s.ttl_1h && !side;
        Thread {
            lines: Vec::new(),
            parent: None,
            model,
            agent,
            session_field: s.sid.clone(),
            run: None,
            depth: 0,
            base,
            ctx: 0,
            pending: base,
            cold: true,
            ttl: if ttl_1h { 3_600_000 } else { 300_000 },
            ttl_1h,
            tool_count: 0,
            last_usage: Tok::default(),
            skill: None,
            mcp: None,
            progress: None,
            answers: Vec::new(),
            last_answer: String::new(),
            spawns_left: 0,
        }
    }

    pub fn is_side(&self) -> bool {
        self.agent.is_some()
    }

    pub fn put(&mut self, o: &Obj, usage: Option<Tok>) {
        self.lines.push(Line::new(o.line(), usage));
    }

    /// The fields every user, assistant and system line starts with.
    pub fn envelope(&self, s: &Session, ty: &'static str) -> Obj {
        let mut o = Obj::new()
            .with("parentUuid", self.parent.clone())
            .with("isSidechain", self.is_side())
            .with("userType", "external")
            .with("cwd", s.project.cwd.clone())
            .with("sessionId", self.session_field.clone())
            .with("version", s.vs.clone())
            .with("gitBranch", s.branch.clone());
        if let Some(id) = self.agent.as_ref().and_then(|a| a.id.clone()) {
            o.push("agentId", id);
        }
        o.push("type", ty);
        o
    }

    /// Tokens the context grows by.
    pub fn grow(&mut self, tokens: u64) {
        self.pending += tokens;
    }

    /// An idle gap: past the TTL the cache is gone and the next call rewrites it.
    pub fn idle(&mut self, gap: Ms) {
        if gap > self.ttl {
            self.cold = true;
            self.pending += self.ctx;
            self.ctx = 0;
        }
    }

    /// A fresh context after a resume: nothing cached, the system prompt plus a summary
    /// of what was copied in.
    pub fn resume(&mut self, extra: u64) {
        self.cold = true;
        self.ctx = 0;
        self.pending = self.base + extra;
    }

    pub fn context(&self) -> u64 {
        self.ctx + self.pending
    }

    /// A user line: a prompt (string content) or harness text.
    pub fn prompt(&mut self, s: &mut Session, t: Ms, content: V, flags: &[(&'static str, V)]) {
        let u = ids::uuid(&mut s.rng);
        let meta = flags.iter().any(|(k, _)| *k == "isMeta");
        if !self.is_side() && s.v >= since::V2 && !meta {
            let snap = Obj::new()
                .with("type", "file-history-snapshot")
                .with("messageId", u.clone())
                .with(
                    "snapshot",
                    Obj::new()
                        .with("messageId", u.clone())
                        .with("trackedFileBackups", s.backups(t))
                        .with("timestamp", iso(t)),
                )
                .with("isSnapshotUpdate", false);
            self.put(&snap, None);
        }
        let text_len = match &content {
            V::S(x) => x.len() as u64,
            _ => 6000,
        };
        let mut o = self.envelope(s, "user");
        o.push(
            "message",
            Obj::new().with("role", "user").with("content", content),
        );
        for (k, v) in flags {
            o.push(*k, v.clone());
        }
        o.push("uuid", u.clone());
        o.push("timestamp", iso(t));
        if !self.is_side() && s.v >= since::V21 && !meta {
            o.push("permissionMode", s.perm_mode);
        }
        self.put(&o, None);
        self.parent = Some(u);
        self.grow(text_len / 4 + 8);
    }

    /// Usage of the next call with `out` output tokens, and the context after it.
    fn usage_for(&mut self, s: &mut Session, out: u64) -> Tok {
        let r = &mut s.rng;
        let total = self.ctx + self.pending;
        let mut input = if r.chance(0.93) {
            *r.pick(&[1, 1, 2, 3, 3, 4, 5, 6, 8, 10])
        } else {
            r.range(20, 900)
        };
        input = input.min(total.saturating_sub(1).max(1));
        let (read, write) = if self.cold {
            self.cold = false;
            let shared = if r.chance(0.6) {
                ((self.base as f64 * r.uniform(0.55, 0.85)) as u64).min(total - input)
            } else {
                0
            };
            (shared, total.saturating_sub(input + shared))
        } else {
            (self.ctx, self.pending.saturating_sub(input))
        };
        self.ctx = read + write + input;
        self.pending = out;
        let mut t = Tok {
            input,
            output: out,
            cache_read: read,
            ..Tok::default()
        };
        if self.ttl_1h {
            t.cache_creation_1h = write;
        } else {
            t.cache_creation_5m = write;
        }
        t
    }

    /// The `usage` object of a line, in the version's shape.
    pub fn usage_obj(&self, s: &Session, u: &Tok) -> Obj {
        let mut o = Obj::new()
            .with("input_tokens", u.input)
            .with("cache_creation_input_tokens", u.cache_creation())
            .with("cache_read_input_tokens", u.cache_read);
        if s.v >= since::CACHE_SPLIT {
            o.push(
                "cache_creation",
                Obj::new()
                    .with("ephemeral_5m_input_tokens", u.cache_creation_5m)
                    .with("ephemeral_1h_input_tokens", u.cache_creation_1h),
            );
        }
        o.with("output_tokens", u.output)
            .with("service_tier", "standard")
    }

    /// Attribution fields for the next response (recent versions only).
    fn attribution(&mut self, s: &Session) -> Vec<(&'static str, String)> {
        let mut a = Vec::new();
        let mcp = self.mcp.take();
        if s.v < since::ATTRIBUTION {
            return a;
        }
        if let Some((plugin, skill)) = self.skill {
            if let Some(p) = plugin {
                a.push(("attributionPlugin", p.to_string()));
                a.push(("attributionSkill", format!("{p}:{skill}")));
            } else {
                a.push(("attributionSkill", skill.to_string()));
            }
        }
        if let Some(name) = mcp {
            let mut parts = name.trim_start_matches("mcp__").splitn(2, "__");
            let server = parts.next().unwrap_or_default();
            a.push(("attributionMcpServer", server.to_string()));
            a.push((
                "attributionMcpTool",
                parts.next().unwrap_or_default().to_string(),
            ));
        }
        if let Some(agent) = self.agent.as_ref().and_then(|g| g.attribution.clone()) {
            a.push(("attributionAgent", agent));
        }
        if let (None, Some(effort)) = (&self.agent, s.effort) {
            a.push(("effort", effort.to_string()));
        }
        a
    }

    /// Writes one API response: one line, or one line per content block (streaming
    /// snapshots: `stop_reason` null and, mostly, a small partial `output_tokens` until the
    /// last line).
    pub fn respond(&mut self, s: &mut Session, t0: Ms, answer: Answer, latency: Ms) -> Reply {
        let Answer { blocks, out, stop } = answer;
        let usage = self.usage_for(s, out);
        self.last_usage = usage;
        let attribution = self.attribution(s);
        let r = &mut s.rng;
        let (id, request) = (ids::message(r), ids::request(r));
        let split = blocks.len() > 1 && r.chance(s.env.dup_rate);
        let partial = split && r.chance(0.7);
        let small = *r.pick(&[1, 1, 2, 3, 4, 5, 8, 9, 12, 30]);
        let groups: Vec<Vec<Obj>> = if split {
            blocks.into_iter().map(|b| vec![b]).collect()
        } else {
            vec![blocks]
        };
        let n = groups.len() as i64;
        let (mut block_at, mut kept_at, mut first_out) = (Vec::new(), None, None);
        for (k, content) in groups.into_iter().enumerate() {
            let last = k as i64 == n - 1;
            let line_out = if last || !partial {
                out
            } else {
                small.min(out)
            };
            let at = t0 + latency * (k as i64 + 1) / n;
            first_out.get_or_insert(line_out);
            if line_out == out && kept_at.is_none() {
                kept_at = Some(at);
            }
            block_at.extend(std::iter::repeat_n(at, content.len()));
            let snap = Snapshot {
                at,
                content,
                id: &id,
                request: &request,
                stop: last.then_some(stop),
                usage: usage.with_output(line_out),
                attribution: &attribution,
            };
            self.assistant_line(s, snap, k > 0);
        }
        let end = t0 + latency;
        s.record_response(
            self,
            &ResponseTruth {
                model: self.model,
                usage,
                kept_at: kept_at.unwrap_or(end),
                first_line_output: first_out.unwrap_or(out),
                attribution: &attribution,
            },
        );
        s.tally.see(end);
        Reply { end, block_at }
    }

    /// Writes one line of a response and keeps what asides and progress copies need.
    fn assistant_line(&mut self, s: &mut Session, snap: Snapshot, extra: bool) {
        let uuid = ids::uuid(&mut s.rng);
        let usage = snap.usage;
        let head = if s.v >= since::V2 {
            Obj::new()
                .with("model", self.model)
                .with("id", snap.id.to_string())
                .with("type", "message")
                .with("role", "assistant")
        } else {
            Obj::new()
                .with("id", snap.id.to_string())
                .with("type", "message")
                .with("role", "assistant")
                .with("model", self.model)
        };
        let msg = head
            .with(
                "content",
                V::A(snap.content.into_iter().map(V::O).collect()),
            )
            .with("stop_reason", V::from(snap.stop))
            .with("stop_sequence", V::Null)
            .with("usage", self.usage_obj(s, &usage));
        let mut o = self.envelope(s, "assistant");
        let ty = o.0.pop().expect("envelope ends with type");
        o.push("message", msg);
        o.push("requestId", snap.request.to_string());
        o.0.push(ty);
        o.push("uuid", uuid.clone());
        o.push("timestamp", iso(snap.at));
        if s.cost_usd {
            o.push("costUSD", cost_usd(&usage));
        }
        for (k, v) in snap.attribution {
            o.push(*k, v.clone());
        }
        self.put(&o, Some(usage));
        self.parent = Some(uuid.clone());
        if snap.stop == Some("end_turn") && !self.is_side() {
            self.answers.push((o.clone(), usage));
            if self.answers.len() > 3 {
                self.answers.remove(0);
            }
        }
        if let (Some(copies), Some(message)) = (self.progress.as_mut(), o.get("message")) {
            copies.push(ProgressCopy {
                message: message.clone(),
                request_id: snap.request.to_string(),
                uuid,
                at: snap.at,
                usage,
            });
        }
        s.tally.assistant_lines += 1;
        s.tally.streaming_extra_lines += u64::from(extra);
        s.tally.naive.add(&usage);
        s.tally.cost_usd_lines += u64::from(s.cost_usd);
    }

    /// A line Claude Code makes itself: `<synthetic>` model, zero usage, no requestId.
    pub fn synthetic(&mut self, s: &mut Session, t: Ms, text: String, api_error: bool) {
        let uuid = ids::uuid(&mut s.rng);
        let usage = Obj::new()
            .with("input_tokens", 0u64)
            .with("output_tokens", 0u64)
            .with("cache_creation_input_tokens", 0u64)
            .with("cache_read_input_tokens", 0u64)
            .with(
                "server_tool_use",
                Obj::new()
                    .with("web_search_requests", 0u64)
                    .with("web_fetch_requests", 0u64),
            )
            .with("service_tier", V::Null)
            .with(
                "cache_creation",
                Obj::new()
                    .with("ephemeral_1h_input_tokens", 0u64)
                    .with("ephemeral_5m_input_tokens", 0u64),
            );
        let msg = Obj::new()
            .with("id", ids::uuid(&mut s.rng))
            .with("container", V::Null)
            .with("model", "<synthetic>")
            .with("role", "assistant")
            .with("stop_reason", "stop_sequence")
            .with("stop_sequence", "")
            .with("type", "message")
            .with("usage", usage)
            .with(
                "content",
                vec![V::O(Obj::new().with("type", "text").with("text", text))],
            );
        let mut o = self.envelope(s, "assistant");
        o.push("uuid", uuid.clone());
        o.push("timestamp", iso(t));
        o.push("message", msg);
        if api_error {
            o.push("isApiErrorMessage", true);
        }
        self.put(&o, None);
        if let Some(l) = self.lines.last_mut() {
            l.synthetic = true;
        }
        s.tally.synthetic_lines += 1;
        self.parent = Some(uuid);
    }

    /// A system line; `boundary` makes it a chain root (`parentUuid` null,
    /// `logicalParentUuid` the previous line), as a compact boundary is.
    pub fn system(&mut self, s: &mut Session, t: Ms, fields: Obj, boundary: bool) {
        let uuid = ids::uuid(&mut s.rng);
        let mut o = self.envelope(s, "system");
        if boundary {
            o.set("parentUuid", V::Null);
            o.push("logicalParentUuid", self.parent.clone());
        }
        o.0.extend(fields.0);
        o.push("uuid", uuid.clone());
        o.push("timestamp", iso(t));
        self.put(&o, None);
        self.parent = Some(uuid);
    }

    /// Compacts when the context passed 78% of the window (or on `/compact`): a
    /// `compact_boundary` system line and the summary as an `isCompactSummary` user line;
    /// the next call rebuilds the cache from the system prompt and the summary.
    pub fn maybe_compact(&mut self, s: &mut Session, t: Ms, manual: bool) -> Ms {
        if !manual && (self.context() as f64) < s.window as f64 * 0.78 {
            return t;
        }
        let pre = self.context();
        let meta = Obj::new()
            .with("trigger", if manual { "manual" } else { "auto" })
            .with("preTokens", pre);
        let fields = Obj::new()
            .with("subtype", "compact_boundary")
            .with("content", "Conversation compacted")
            .with("isMeta", false)
            .with("level", "info")
            .with("compactMetadata", meta);
        self.system(s, t, fields, true);
        let t = t + s.rng.range(20_000, 90_000) as Ms;
        let chars = s.rng.range(3000, 12_000) as usize;
        let summary = format!(
            "This session is being continued from a previous conversation that ran out of context. The conversation is summarized below:\n{}",
            s.env.pools.text(&mut s.rng, chars)
        );
        let grow = summary.len() as u64 / 4;
        let flags = [
            ("isVisibleInTranscriptOnly", V::Bool(true)),
            ("isCompactSummary", V::Bool(true)),
        ];
        let uuid = ids::uuid(&mut s.rng);
        let mut o = self.envelope(s, "user");
        o.push(
            "message",
            Obj::new().with("role", "user").with("content", summary),
        );
        for (k, v) in flags {
            o.push(k, v);
        }
        o.push("uuid", uuid.clone());
        o.push("timestamp", iso(t));
        self.put(&o, None);
        self.parent = Some(uuid);
        self.ctx = 0;
        self.pending = self.base + grow;
        self.cold = true;
        s.tally.compactions += 1;
        s.truth.compactions += 1;
        t + 1000
    }
}

/// What one API response says: its content blocks, its final output tokens and its
/// `stop_reason`.
pub struct Answer {
    pub blocks: Vec<Obj>,
    pub out: u64,
    pub stop: &'static str,
}
