//! The small leaf values of transcript lines, private to `scan`: `message.usage` (walked
//! in place as the message's walk reaches it, token counts taken leniently and judged by
//! `TokenCount`) and the serde shape of `agent-<id>.meta.json`. The line envelope itself
//! is walked by `entry.rs`.

use super::lazy::{Malformed, Object, Raw, Walk, skip};
use serde::Deserialize;

/// `message.usage`: the token fields, each judged on its own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub input_tokens: TokenCount,
    pub output_tokens: TokenCount,
    pub cache_creation_input_tokens: TokenCount,
    pub cache_read_input_tokens: TokenCount,
    /// `cache_creation.{ephemeral_5m,ephemeral_1h}_input_tokens`, when that object is there.
    pub cache_creation: Option<(TokenCount, TokenCount)>,
    /// `speed: "fast"`.
    pub fast: bool,
}

impl Usage {
    /// Reads a usage value at the start of `s` in place, as `Message` walks it: the usage,
    /// or `Err` when it is not a valid usage object (not an object, `cache_creation`
    /// neither an object nor null, or a key repeated); then the bytes consumed. The walk
    /// itself fails only when the value cannot even be skipped (the line is then broken).
    pub fn read_in_place(s: &[u8]) -> Walk<(Walk<Usage>, usize)> {
        match Usage::read(s) {
            Ok((u, used)) => Ok((Ok(u), used)),
            Err(e) => Ok((Err(e), skip(s)?)),
        }
    }

    /// Reads the usage object at the start of `s`; returns it and the bytes consumed.
    fn read(s: &[u8]) -> Walk<(Usage, usize)> {
        let mut o = Object::open(s)?;
        let mut u = Usage::default();
        let mut seen = 0u8;
        while let Some(key) = o.next_key()? {
            let bit = match key {
                b"input_tokens" => 1,
                b"output_tokens" => 2,
                b"cache_creation_input_tokens" => 4,
                b"cache_read_input_tokens" => 8,
                b"cache_creation" => 16,
                b"speed" => 32,
                _ => 0,
            };
            if seen & bit != 0 {
                return Err(Malformed::Invalid);
            }
            seen |= bit;
            if key == b"cache_creation" {
                // Walked in place, not as its own short slice (see `cache_creation`).
                u.cache_creation = o.value_with(cache_creation)?;
                continue;
            }
            let v = o.value()?;
            match key {
                b"input_tokens" => u.input_tokens = TokenCount::read(v),
                b"output_tokens" => u.output_tokens = TokenCount::read(v),
                b"cache_creation_input_tokens" => {
                    u.cache_creation_input_tokens = TokenCount::read(v);
                }
                b"cache_read_input_tokens" => u.cache_read_input_tokens = TokenCount::read(v),
                b"speed" => u.fast = v.is_str("fast"),
                _ => {}
            }
        }
        Ok((u, o.consumed()))
    }
}

/// `cache_creation` at the start of `s` (the rest of the usage object, so the walk reads
/// whole blocks in place instead of copying a slice shorter than one): `None` for `null`,
/// an error when it is neither null nor an object. Returns the bytes consumed.
type CacheCreation = Option<(TokenCount, TokenCount)>;
fn cache_creation(s: &[u8]) -> Walk<(CacheCreation, usize)> {
    if s.starts_with(b"null") {
        return Ok((None, skip(s)?));
    }
    let mut o = Object::open(s)?;
    let (mut w5, mut w1) = (TokenCount::Absent, TokenCount::Absent);
    while let Some(key) = o.next_key()? {
        let v = o.value()?;
        match key {
            b"ephemeral_5m_input_tokens" => w5 = TokenCount::read(v),
            b"ephemeral_1h_input_tokens" => w1 = TokenCount::read(v),
            _ => {}
        }
    }
    Ok((Some((w5, w1)), o.consumed()))
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

    /// Judges one raw value: `null` is absent; a non-negative integer (also written as
    /// `12.0` or `1.2e3`) is a value, implausible above `MAX_TOKENS_PER_FIELD`; anything
    /// else (negative, fractional, strings, booleans, containers) is invalid.
    pub fn read(raw: Raw<'_>) -> TokenCount {
        let b = raw.bytes();
        if b == b"null" {
            return TokenCount::Absent;
        }
        if !b.is_empty() && b.iter().all(u8::is_ascii_digit) {
            if b.len() > 1 && b[0] == b'0' {
                return TokenCount::Invalid;
            }
            if b.len() > 10 {
                return TokenCount::Implausible;
            }
            let v = b.iter().fold(0u64, |v, c| v * 10 + u64::from(c - b'0'));
            return if v <= MAX_TOKENS_PER_FIELD {
                TokenCount::Value(v)
            } else {
                TokenCount::Implausible
            };
        }
        match raw.f64() {
            Some(v) if v < 0.0 || v.fract() != 0.0 => TokenCount::Invalid,
            Some(v) if v > MAX_TOKENS_PER_FIELD as f64 => TokenCount::Implausible,
            Some(v) => TokenCount::Value(v as u64),
            None => TokenCount::Invalid,
        }
    }
}

/// `agent-<id>.meta.json`.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentMetaWire {
    #[serde(default)]
    pub agent_type: Option<String>,
    #[serde(default)]
    pub tool_use_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(s: &str) -> TokenCount {
        TokenCount::read(Raw(s.as_bytes()))
    }

    #[test]
    fn token_counts_are_judged_leniently() {
        assert_eq!(count("12"), TokenCount::Value(12));
        assert_eq!(count("0"), TokenCount::Value(0));
        assert_eq!(count("12.0"), TokenCount::Value(12));
        assert_eq!(count("1.2e3"), TokenCount::Value(1200));
        assert_eq!(count("-0"), TokenCount::Value(0));
        assert_eq!(count("null"), TokenCount::Absent);
        assert_eq!(count("-3"), TokenCount::Invalid);
        assert_eq!(count("1.5"), TokenCount::Invalid);
        assert_eq!(count("\"12\""), TokenCount::Invalid);
        assert_eq!(count("true"), TokenCount::Invalid);
        assert_eq!(count("[1]"), TokenCount::Invalid);
        assert_eq!(count("012"), TokenCount::Invalid);
        assert_eq!(count("1000000001"), TokenCount::Implausible);
        assert_eq!(count("99999999999999999999999"), TokenCount::Implausible);
        assert_eq!(count("1e300"), TokenCount::Implausible);
    }

    #[test]
    fn usage_objects() {
        let read = |s: &[u8]| Usage::read(s).map(|(u, _)| u);
        let u = read(br#"{"input_tokens":3,"cache_creation":{"ephemeral_5m_input_tokens":5,"ephemeral_1h_input_tokens":null},"output_tokens":7,"speed":"fast","server_tool_use":{"web_search_requests":0}}"#).unwrap();
        assert_eq!(u.input_tokens, TokenCount::Value(3));
        assert_eq!(u.output_tokens, TokenCount::Value(7));
        assert_eq!(
            u.cache_creation,
            Some((TokenCount::Value(5), TokenCount::Absent))
        );
        assert!(u.fast);
        let u = read(br#"{"cache_creation":null}"#).unwrap();
        assert_eq!(u.cache_creation, None);
        assert!(read(br#"{"cache_creation":5}"#).is_err());
        assert!(read(br#"{"input_tokens":1,"input_tokens":2}"#).is_err());
        assert!(read(b"[]").is_err());
        // In place: an invalid usage is skipped whole; one that cannot be skipped is not.
        let (u, used) = Usage::read_in_place(br#"{"cache_creation":5},"x":1"#).unwrap();
        assert_eq!((u, used), (Err(Malformed::Invalid), 20));
        let (u, used) = Usage::read_in_place(br#"{"input_tokens":2} ,"#).unwrap();
        assert_eq!((u.unwrap().input_tokens, used), (TokenCount::Value(2), 18));
        assert!(Usage::read_in_place(br#"{"input_tokens":2"#).is_err());
    }
}
