//! Serde shapes of raw transcript lines, private to `scan`. Only the fields analyzers use
//! are declared; everything else is skipped by serde_json without allocation. Free-text
//! and variable-shape fields are borrowed `&RawValue`s, decoded on demand, so a lone
//! surrogate in a cwd or a new shape of tool input never costs a line its usage.

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Line<'a> {
    #[serde(rename = "type", borrow)]
    pub ty: Option<&'a RawValue>,
    #[serde(borrow)]
    pub timestamp: Option<&'a RawValue>,
    #[serde(borrow)]
    pub session_id: Option<&'a RawValue>,
    #[serde(borrow)]
    pub request_id: Option<&'a RawValue>,
    #[serde(borrow)]
    pub agent_id: Option<&'a RawValue>,
    #[serde(borrow)]
    pub cwd: Option<&'a RawValue>,
    #[serde(borrow)]
    pub uuid: Option<&'a RawValue>,
    #[serde(default)]
    pub is_sidechain: Option<bool>,
    #[serde(default)]
    pub is_meta: Option<bool>,
    #[serde(default)]
    pub is_compact_summary: Option<bool>,
    #[serde(rename = "costUSD", default)]
    pub cost_usd: Option<f64>,
    #[serde(borrow)]
    pub message: Option<Message<'a>>,
    #[serde(borrow, default)]
    pub tool_use_result: Option<ToolUseResult<'a>>,
    #[serde(borrow)]
    pub data: Option<&'a RawValue>,
}

/// `toolUseResult`: only its `agentId` matters (Task/Agent results); every other shape
/// (strings, lists, other objects) is skipped without being copied or validated twice.
#[derive(Default)]
pub struct ToolUseResult<'a> {
    pub agent_id: Option<std::borrow::Cow<'a, str>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for ToolUseResult<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = ToolUseResult<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tool result")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut out = ToolUseResult::default();
                while let Some(key) = m.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "agentId" && out.agent_id.is_none() {
                        out.agent_id = m
                            .next_value::<Option<std::borrow::Cow<'a, str>>>()
                            .ok()
                            .flatten();
                    } else {
                        m.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(out)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(ToolUseResult::default())
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(ToolUseResult::default())
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(ToolUseResult::default())
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(ToolUseResult::default())
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(ToolUseResult::default())
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(ToolUseResult::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(ToolUseResult::default())
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

#[derive(Deserialize)]
pub struct Message<'a> {
    #[serde(borrow)]
    pub id: Option<&'a RawValue>,
    #[serde(borrow)]
    pub model: Option<&'a RawValue>,
    #[serde(borrow)]
    pub usage: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub content: Content<'a>,
    #[serde(borrow)]
    pub stop_reason: Option<&'a RawValue>,
}

/// `message.content`: a string, a list of blocks, or something else (null, a number...).
#[derive(Default)]
pub enum Content<'a> {
    Text(std::borrow::Cow<'a, str>),
    Blocks(Vec<Block<'a>>),
    #[default]
    Other,
}

/// One content block, flattened: which fields are set depends on `type`.
#[derive(Deserialize)]
pub struct Block<'a> {
    #[serde(rename = "type", borrow)]
    pub ty: Option<&'a RawValue>,
    #[serde(borrow)]
    pub id: Option<&'a RawValue>,
    #[serde(borrow)]
    pub name: Option<&'a RawValue>,
    #[serde(borrow)]
    pub input: Option<&'a RawValue>,
    #[serde(borrow)]
    pub tool_use_id: Option<&'a RawValue>,
    #[serde(default)]
    pub is_error: Option<bool>,
    /// Skipped, never copied: tool results are the bulk of every transcript.
    #[serde(default, rename = "content")]
    pub _content: Option<IgnoredAny>,
    #[serde(borrow)]
    pub text: Option<&'a RawValue>,
    #[serde(borrow)]
    pub thinking: Option<&'a RawValue>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Content<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // One pass over the content: strings and block lists are handled by the visitor
        // (never re-parsed from a raw copy, so large tool results are scanned once).
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Content<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("message content")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Content<'a>, E> {
                Ok(Content::Text(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Content<'a>, E> {
                Ok(Content::Text(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Content<'a>, A::Error> {
                let mut out = Vec::new();
                while let Some(b) = seq.next_element::<Block<'a>>()? {
                    out.push(b);
                }
                Ok(Content::Blocks(out))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut m: A) -> Result<Content<'a>, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Content::Other)
            }
            fn visit_unit<E>(self) -> Result<Content<'a>, E> {
                Ok(Content::Other)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Content<'a>, E> {
                Ok(Content::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Content<'a>, E> {
                Ok(Content::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Content<'a>, E> {
                Ok(Content::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Content<'a>, E> {
                Ok(Content::Other)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// The envelope again, with `message.content` skipped: the slow path for lines whose
/// content does not decode (a lone surrogate in prompt text, a block that is not an
/// object), so their usage is still counted.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineNoContent<'a> {
    #[serde(rename = "type", borrow)]
    pub ty: Option<&'a RawValue>,
    #[serde(borrow)]
    pub timestamp: Option<&'a RawValue>,
    #[serde(borrow)]
    pub session_id: Option<&'a RawValue>,
    #[serde(borrow)]
    pub request_id: Option<&'a RawValue>,
    #[serde(borrow)]
    pub agent_id: Option<&'a RawValue>,
    #[serde(borrow)]
    pub cwd: Option<&'a RawValue>,
    #[serde(borrow)]
    pub uuid: Option<&'a RawValue>,
    #[serde(default)]
    pub is_sidechain: Option<bool>,
    #[serde(rename = "costUSD", default)]
    pub cost_usd: Option<f64>,
    #[serde(borrow)]
    pub message: Option<MessageNoContent<'a>>,
}

#[derive(Deserialize)]
pub struct MessageNoContent<'a> {
    #[serde(borrow)]
    pub id: Option<&'a RawValue>,
    #[serde(borrow)]
    pub model: Option<&'a RawValue>,
    #[serde(borrow)]
    pub usage: Option<&'a RawValue>,
}

impl<'a> From<LineNoContent<'a>> for Line<'a> {
    fn from(l: LineNoContent<'a>) -> Line<'a> {
        Line {
            ty: l.ty,
            timestamp: l.timestamp,
            session_id: l.session_id,
            request_id: l.request_id,
            agent_id: l.agent_id,
            cwd: l.cwd,
            uuid: l.uuid,
            is_sidechain: l.is_sidechain,
            is_meta: None,
            is_compact_summary: None,
            cost_usd: l.cost_usd,
            message: l.message.map(|m| Message {
                id: m.id,
                model: m.model,
                usage: m.usage,
                content: Content::Other,
                stop_reason: None,
            }),
            tool_use_result: None,
            data: None,
        }
    }
}

/// `message.usage`, with token counts taken leniently and judged by `TokenCount`.
#[derive(Deserialize)]
pub struct Usage<'a> {
    #[serde(default)]
    pub input_tokens: TokenCount,
    #[serde(default)]
    pub output_tokens: TokenCount,
    #[serde(default)]
    pub cache_creation_input_tokens: TokenCount,
    #[serde(default)]
    pub cache_read_input_tokens: TokenCount,
    #[serde(default)]
    pub cache_creation: Option<CacheCreation>,
    #[serde(borrow, default)]
    pub speed: Option<&'a RawValue>,
}

#[derive(Deserialize)]
pub struct CacheCreation {
    #[serde(default)]
    pub ephemeral_5m_input_tokens: TokenCount,
    #[serde(default)]
    pub ephemeral_1h_input_tokens: TokenCount,
}

/// Upper bound for one record's token field; larger values are implausible.
pub const MAX_TOKENS_PER_FIELD: u64 = 1_000_000_000;

/// A token field: a non-negative integer (missing or null = 0), or why it is not one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TokenCount {
    #[default]
    Absent,
    Value(u64),
    Invalid,
    Implausible,
}

impl TokenCount {
    pub fn value(self) -> Option<u64> {
        match self {
            TokenCount::Absent => Some(0),
            TokenCount::Value(v) => Some(v),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for TokenCount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TokenCount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a token count")
            }
            fn visit_u64<E>(self, v: u64) -> Result<TokenCount, E> {
                Ok(if v > MAX_TOKENS_PER_FIELD {
                    TokenCount::Implausible
                } else {
                    TokenCount::Value(v)
                })
            }
            fn visit_i64<E>(self, v: i64) -> Result<TokenCount, E> {
                Ok(if v < 0 {
                    TokenCount::Invalid
                } else if v as u64 > MAX_TOKENS_PER_FIELD {
                    TokenCount::Implausible
                } else {
                    TokenCount::Value(v as u64)
                })
            }
            fn visit_f64<E>(self, v: f64) -> Result<TokenCount, E> {
                if v.fract() != 0.0 || v < 0.0 || !v.is_finite() {
                    Ok(TokenCount::Invalid)
                } else if v > MAX_TOKENS_PER_FIELD as f64 {
                    Ok(TokenCount::Implausible)
                } else {
                    Ok(TokenCount::Value(v as u64))
                }
            }
            fn visit_unit<E>(self) -> Result<TokenCount, E> {
                Ok(TokenCount::Absent)
            }
            fn visit_none<E>(self) -> Result<TokenCount, E> {
                Ok(TokenCount::Absent)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<TokenCount, D::Error> {
                d.deserialize_any(V)
            }
            fn visit_str<E>(self, _: &str) -> Result<TokenCount, E> {
                Ok(TokenCount::Invalid)
            }
            fn visit_bool<E>(self, _: bool) -> Result<TokenCount, E> {
                Ok(TokenCount::Invalid)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut m: A) -> Result<TokenCount, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(TokenCount::Invalid)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<TokenCount, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(TokenCount::Invalid)
            }
        }
        d.deserialize_any(V)
    }
}

/// `data` of a `progress` line that embeds a sub-agent's assistant message.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressData<'a> {
    #[serde(rename = "type", borrow)]
    pub ty: Option<&'a RawValue>,
    #[serde(borrow)]
    pub agent_id: Option<&'a RawValue>,
    #[serde(borrow)]
    pub message: Option<ProgressMessage<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressMessage<'a> {
    #[serde(borrow)]
    pub message: Option<Message<'a>>,
    #[serde(borrow)]
    pub request_id: Option<&'a RawValue>,
    #[serde(borrow)]
    pub timestamp: Option<&'a RawValue>,
}

/// The fields of a tool call's `input` that analyzers use.
#[derive(Deserialize)]
pub struct ToolInputWire<'a> {
    #[serde(borrow)]
    pub file_path: Option<&'a RawValue>,
    #[serde(borrow)]
    pub notebook_path: Option<&'a RawValue>,
    #[serde(borrow)]
    pub path: Option<&'a RawValue>,
    #[serde(borrow)]
    pub pattern: Option<&'a RawValue>,
    #[serde(borrow)]
    pub query: Option<&'a RawValue>,
    #[serde(borrow)]
    pub url: Option<&'a RawValue>,
    #[serde(borrow)]
    pub command: Option<&'a RawValue>,
    #[serde(borrow)]
    pub subagent_type: Option<&'a RawValue>,
    #[serde(borrow)]
    pub description: Option<&'a RawValue>,
    #[serde(borrow)]
    pub skill: Option<&'a RawValue>,
}

/// `agent-<id>.meta.json`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentMetaWire {
    #[serde(default)]
    pub agent_type: Option<String>,
    #[serde(default)]
    pub tool_use_id: Option<String>,
}
