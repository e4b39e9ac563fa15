//! One ledger record: a deduplicated API response as JSON, compact and private (ids as
//! hashes, the project's display name and a hash of its directory, token counts, the tool
//! calls' names, durations and error flags; never prompt, output or file content). Owns
//! the conversion from the scanner's model (`Dataset` responses) to records and back to
//! the scanner's `ResponseLine`s, so the ledger merges with transcripts by the one dedupe
//! rule. It does no I/O.

use crate::model::attribution::Attribution;
use crate::model::dedupe::Candidate;
use crate::model::ids::hash64;
use crate::model::record::{
    DedupeKey, FilePartial, RecordedCost, ResponseLine, ToolCallLine, ToolInput, ToolResultLine,
    turn_of,
};
use crate::model::{Dataset, Millis, Origin, Response, Tokens};
use serde::{Deserialize, Serialize};

/// The format version every record carries (`v`); readers skip records of a newer one.
pub const VERSION: u32 = 1;

/// One API response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub v: u32,
    /// The dedupe key: `r:` + xxh3-128 of (`message.id`, `requestId`) in hex, `s:` + of
    /// (session, `message.id`), `u:` + of the line's own fields when it has no `message.id`.
    pub key: String,
    /// xxh3-64 of `message.id` (hex), for the sidechain-replay rule.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub msg: String,
    /// RFC 3339, UTC, milliseconds; absent when the transcript line had none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts: Option<String>,
    pub session: String,
    /// The project's last path component.
    pub project: String,
    /// xxh3-64 (hex) of the project's directory name under `projects/` (its encoded path).
    pub project_hash: String,
    /// That directory name, only with `ledger update --show-paths`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_dir: Option<String>,
    /// `main`, `sidechain` or `progress` (how the line was written).
    pub origin: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_type: Option<String>,
    /// The `tool_use` id hash of the call that spawned the agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub model: String,
    pub input: u64,
    pub output: u64,
    pub cache_read: u64,
    pub cache_write_5m: u64,
    pub cache_write_1h: u64,
    /// `costUSD` as the transcript recorded it.
    #[serde(default, rename = "costUSD", skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Tool>,
    /// Bytes of thinking text.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub thinking: u32,
    /// Hash (hex) of the prompt line that opened the turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    pub machine: String,
}

/// A tool call the response made.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    /// xxh3-64 (hex) of the `tool_use` id.
    pub id: String,
    /// Milliseconds from the call to its result, when both are dated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ms: Option<i64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub error: bool,
    /// The sub-agent the call's result names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spawned: Option<String>,
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What `Record::of` needs beside the response.
pub struct Context<'a> {
    pub ds: &'a Dataset,
    /// The response's tool calls (indices into `ds.tool_calls`).
    pub calls: &'a [u32],
    pub machine: &'a str,
    pub show_paths: bool,
}

impl Record {
    /// The record of a response of the scanner's model.
    pub fn of(r: &Response, cx: &Context) -> Record {
        let ds = cx.ds;
        let dir = ds.name(r.project);
        let agent_meta = r.agent.and_then(|a| ds.agent_meta.get(&a));
        let parent = r.agent.and_then(|a| {
            agent_meta
                .and_then(|m| m.tool_use_hash)
                .or_else(|| ds.inline_spawns.get(&a).copied())
        });
        Record {
            v: VERSION,
            key: key_text(r, ds),
            msg: if r.message_hash == 0 {
                String::new()
            } else {
                hex64(r.message_hash)
            },
            ts: r.ts.map(crate::time::iso_ms),
            session: ds.name(r.session).to_string(),
            project: display_name(dir, r.cwd.map(|c| ds.name(c))),
            project_hash: project_hash(dir),
            project_dir: cx.show_paths.then(|| dir.to_string()),
            origin: origin_name(r.origin).to_string(),
            agent: r.agent.map(|a| ds.name(a).to_string()),
            agent_type: agent_meta
                .and_then(|m| m.agent_type)
                .map(|t| ds.name(t).to_string()),
            parent: parent.map(hex64),
            model: ds.name(r.model).to_string(),
            input: r.tokens.input,
            output: r.tokens.output,
            cache_read: r.tokens.cache_read,
            cache_write_5m: r.tokens.cache_write_5m,
            cache_write_1h: r.tokens.cache_write_1h,
            cost_usd: r.recorded_cost.get(),
            tools: cx.calls.iter().map(|&i| tool_of(ds, i as usize)).collect(),
            thinking: r.thinking_chars,
            turn: r.turn_hash().map(hex64),
            branch: ds
                .attributions
                .get(r.attr)
                .branch
                .map(|b| ds.name(b).to_string()),
            machine: cx.machine.to_string(),
        }
    }

    pub fn tokens(&self) -> Tokens {
        Tokens {
            input: self.input,
            output: self.output,
            cache_read: self.cache_read,
            cache_write_5m: self.cache_write_5m,
            cache_write_1h: self.cache_write_1h,
        }
    }

    pub fn millis(&self) -> Option<Millis> {
        let ts = self.ts.as_deref()?;
        chrono::DateTime::parse_from_rfc3339(ts)
            .ok()
            .map(|t| t.timestamp_millis())
    }

    pub fn origin(&self) -> Origin {
        match self.origin.as_str() {
            "sidechain" => Origin::Sidechain,
            "progress" => Origin::Progress,
            _ => Origin::Main,
        }
    }

    /// The dedupe key; None when unreadable.
    pub fn dedupe_key(&self) -> Option<DedupeKey> {
        let (kind, hex) = self.key.split_once(':')?;
        let h = u128::from_str_radix(hex, 16).ok()?;
        match kind {
            "r" | "u" => Some(DedupeKey::Request(h.into())),
            "s" => Some(DedupeKey::SessionMessage(h.into())),
            _ => None,
        }
    }

    /// Whether the transcript line had no `message.id` (its key is made up).
    pub fn is_unkeyed(&self) -> bool {
        self.key.starts_with("u:")
    }

    /// The dedupe rule's view of this record (every copy is ranked alike beyond the rule's
    /// own fields).
    pub fn candidate(&self) -> Option<Candidate> {
        Some(Candidate {
            key: self.dedupe_key()?,
            message_hash: parse_hex64(&self.msg).unwrap_or(0),
            origin: self.origin(),
            tokens: self.tokens(),
            ts: self.millis(),
            file_rank: 0,
            line: 0,
        })
    }

    /// The month (`YYYY-MM`, UTC) the record belongs to, or `undated`.
    pub fn month(&self) -> &str {
        match &self.ts {
            Some(ts) if ts.len() >= 7 => &ts[..7],
            _ => "undated",
        }
    }

    /// Adds the record to `p` as the scanner would have: its response line, its tool calls
    /// and results, and the link from its agent to the call that spawned it.
    pub fn add_to(&self, p: &mut FilePartial, line: u32) -> Option<()> {
        let key = self.dedupe_key()?;
        let ts = self.millis();
        let session = p.strings.intern(&self.session);
        let agent = self.agent.as_deref().map(|a| p.strings.intern(a));
        let model = p.strings.intern(&self.model);
        for t in &self.tools {
            let id_hash = parse_hex64(&t.id)?;
            let name = p.strings.intern(&t.name);
            p.events_mut().tool_calls.push(ToolCallLine {
                id_hash,
                name,
                response: key,
                ts,
                session,
                agent,
                input: ToolInput::default(),
            });
            if t.ms.is_some() || t.error || t.spawned.is_some() {
                let spawned = t.spawned.as_deref().map(|a| p.strings.intern(a));
                p.events_mut()
                    .tool_results
                    .push(result_line(id_hash, t, ts, spawned));
            }
        }
        if let (Some(a), Some(parent)) = (agent, self.parent.as_deref().and_then(parse_hex64)) {
            p.events_mut().inline_spawns.push((a, parent));
        }
        let branch = self.branch.as_deref().map(|b| p.strings.intern(b));
        let attr = p.attributions.intern(Attribution {
            branch,
            ..Attribution::default()
        });
        p.add_response(ResponseLine {
            attr,
            key,
            message_hash: parse_hex64(&self.msg).unwrap_or(0),
            origin: self.origin(),
            tokens: self.tokens(),
            ts,
            model,
            session,
            cwd: None,
            agent,
            recorded_cost: RecordedCost::new(self.cost_usd),
            turn: self.turn.as_deref().and_then(parse_hex64).map(turn_of),
            line,
            thinking_chars: self.thinking,
            stop_reason: None,
        });
        Some(())
    }
}

fn result_line(
    id_hash: u64,
    t: &Tool,
    ts: Option<Millis>,
    spawned: Option<crate::model::Sym>,
) -> ToolResultLine {
    ToolResultLine {
        tool_use_hash: id_hash,
        is_error: t.error,
        size: 0,
        content_bytes: 0,
        content_hash: 0,
        ts: ts.zip(t.ms).map(|(a, b)| a + b),
        error_sample: None,
        agent_spawned: spawned,
    }
}

fn tool_of(ds: &Dataset, i: usize) -> Tool {
    let c = &ds.tool_calls[i];
    let result = ds.result_of(c);
    Tool {
        name: ds.name(c.name).to_string(),
        id: hex64(c.id_hash),
        ms: result
            .and_then(|r| r.ts)
            .zip(c.ts)
            .map(|(end, start)| (end - start).max(0)),
        error: result.is_some_and(|r| r.is_error),
        spawned: result
            .and_then(|r| r.agent_spawned)
            .map(|a| ds.name(a).to_string()),
    }
}

fn key_text(r: &Response, ds: &Dataset) -> String {
    match r.key {
        DedupeKey::Request(h) => format!("r:{:032x}", h.get()),
        DedupeKey::SessionMessage(h) => format!("s:{:032x}", h.get()),
        DedupeKey::Unique => {
            let t = r.tokens;
            let h = crate::model::ids::hash128(&[
                b"unkeyed",
                &r.ts.unwrap_or(0).to_le_bytes(),
                &t.input.to_le_bytes(),
                &t.output.to_le_bytes(),
                &t.cache_read.to_le_bytes(),
                &t.cache_write().to_le_bytes(),
                ds.name(r.session).as_bytes(),
                ds.name(r.model).as_bytes(),
            ]);
            format!("u:{h:032x}")
        }
    }
}

fn origin_name(o: Origin) -> &'static str {
    match o {
        Origin::Main => "main",
        Origin::Sidechain => "sidechain",
        Origin::Progress => "progress",
    }
}

/// The hash the ledger keeps instead of a project's directory name.
pub fn project_hash(dir: &str) -> String {
    hex64(hash64(&[dir.as_bytes()]))
}

/// A project's display name: the last component of its working directory, else the last
/// `-` segment of its encoded directory name.
pub fn display_name(dir: &str, cwd: Option<&str>) -> String {
    let last = |s: &str, seps: &[char]| {
        s.trim_end_matches(seps)
            .rsplit(seps)
            .next()
            .unwrap_or(s)
            .to_string()
    };
    match cwd {
        Some(c) if !c.is_empty() => last(c, &['/', '\\']),
        _ => last(dir, &['-']),
    }
}

pub fn hex64(h: u64) -> String {
    format!("{h:016x}")
}

pub fn parse_hex64(s: &str) -> Option<u64> {
    u64::from_str_radix(s, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_keep_only_the_last_component() {
        assert_eq!(display_name("-Users-me-app", None), "app");
        assert_eq!(display_name("-x", Some("/Users/me/my-app/")), "my-app");
        assert_eq!(display_name("x", Some("C:\\src\\tool")), "tool");
    }

    #[test]
    fn keys_round_trip() {
        let r = Record {
            key: format!("r:{:032x}", 7u128 << 70),
            msg: hex64(9),
            ts: Some("2026-03-01T10:00:00.250Z".into()),
            origin: "sidechain".into(),
            ..Record::default()
        };
        let c = r.candidate().unwrap();
        assert_eq!(c.key, DedupeKey::Request((7u128 << 70).into()));
        assert_eq!(c.message_hash, 9);
        assert_eq!(c.origin, Origin::Sidechain);
        assert_eq!(c.ts, Some(1_772_359_200_250));
        assert_eq!(r.month(), "2026-03");
        assert!(Record::default().candidate().is_none());
    }
}
