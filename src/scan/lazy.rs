//! A lazy JSON walker over one transcript line: objects are walked key by key and every
//! value the caller does not ask for is skipped structurally — strings and containers from
//! the 64-byte masks of `blocks` (an escaped quote is one preceded by an odd run of
//! backslashes; brackets inside strings are masked off before they are counted), long
//! strings by jumping from quote to quote with memchr, scalars by checking their literal.
//! Nothing is allocated or decoded until a caller asks for a field's value (`Raw::str`,
//! `Raw::bool`, or serde over the small span). It checks structure, not the contents of
//! skipped strings: a value nobody reads is never validated.

use super::blocks::{self, BLOCK, Escapes};
use std::borrow::Cow;

/// Why a walk stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Malformed {
    /// The input ended inside a value (a torn line).
    Truncated,
    /// An unexpected byte.
    Invalid,
}

pub type Walk<T> = Result<T, Malformed>;

/// The raw bytes of one JSON value, exactly as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Raw<'a>(pub &'a [u8]);

impl<'a> Raw<'a> {
    pub fn bytes(self) -> &'a [u8] {
        self.0
    }

    /// Whether the value is the JSON string `"s"` (with no escapes).
    pub fn is_str(self, s: &str) -> bool {
        self.0.len() == s.len() + 2
            && self.0[0] == b'"'
            && crate::bytes::same(&self.0[1..self.0.len() - 1], s.as_bytes())
    }

    /// The bytes between the quotes of a string value written without escapes (so they
    /// are its text as is); `None` for other strings and non-strings.
    pub fn plain(self) -> Option<&'a [u8]> {
        let inner = self.0.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
        memchr::memchr(b'\\', inner).is_none().then_some(inner)
    }

    /// Decodes a string value; `None` for non-strings. `lossy` is set when invalid
    /// escapes or bytes were replaced by U+FFFD (a lone surrogate from a JS writer).
    pub fn str(self, lossy: &mut bool) -> Option<Cow<'a, str>> {
        if let Some(inner) = self.plain() {
            return Some(if let Ok(s) = std::str::from_utf8(inner) {
                Cow::Borrowed(s)
            } else {
                *lossy = true;
                Cow::Owned(String::from_utf8_lossy(inner).into_owned())
            });
        }
        let inner = self.0.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
        if let Ok(v) = serde_json::from_slice::<String>(self.0) {
            Some(Cow::Owned(v))
        } else {
            *lossy = true;
            Some(Cow::Owned(super::text::unescape_lossy(
                &String::from_utf8_lossy(inner),
            )))
        }
    }

    /// Like `str`, ignoring lossiness.
    pub fn string(self) -> Option<Cow<'a, str>> {
        self.str(&mut false)
    }

    pub fn bool(self) -> Option<bool> {
        match self.0 {
            b"true" => Some(true),
            b"false" => Some(false),
            _ => None,
        }
    }

    /// A finite number.
    pub fn f64(self) -> Option<f64> {
        let s = std::str::from_utf8(self.0).ok()?;
        s.parse::<f64>().ok().filter(|v| v.is_finite())
    }

    /// A walker over the members, if the value is an object.
    pub fn object(self) -> Option<Object<'a>> {
        Object::open(self.0).ok()
    }
}

/// The position shared by `Object` and `Array` walks.
struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
    first: bool,
}

impl<'a> Cursor<'a> {
    /// Starts after `opener` (`{` or `[`), which must be the first non-blank byte of `s`.
    fn open(s: &'a [u8], opener: u8) -> Walk<Self> {
        let i = skip_ws(s, 0);
        match s.get(i) {
            Some(&c) if c == opener => Ok(Cursor {
                s,
                i: i + 1,
                first: true,
            }),
            Some(_) => Err(Malformed::Invalid),
            None => Err(Malformed::Truncated),
        }
    }

    /// Skips the current value and returns its span.
    #[inline]
    fn value(&mut self) -> Walk<Raw<'a>> {
        let end = skip_value(self.s, self.i)?;
        let raw = Raw(&self.s[self.i..end]);
        self.i = end;
        Ok(raw)
    }

    fn value_with<T>(&mut self, f: impl FnOnce(&'a [u8]) -> Walk<(T, usize)>) -> Walk<T> {
        let (v, used) = f(&self.s[self.i..])?;
        self.i += used;
        Ok(v)
    }
}

/// A cursor over an object's members. `next_key` leaves it at the member's value, which
/// must then be consumed by `value` or `value_with` before the next `next_key`.
pub struct Object<'a>(Cursor<'a>);

impl<'a> Object<'a> {
    /// Starts a walk; `s` must begin with `{` (after whitespace).
    pub fn open(s: &'a [u8]) -> Walk<Self> {
        Cursor::open(s, b'{').map(Object)
    }

    /// Continues a walk of the object `s` at `i`: right after a member's value, or at a
    /// value whose key was already read.
    pub fn resume(s: &'a [u8], i: usize) -> Self {
        Object(Cursor { s, i, first: false })
    }

    /// The next key (raw bytes between its quotes), or `None` after the closing brace.
    pub fn next_key(&mut self) -> Walk<Option<&'a [u8]>> {
        let c = &mut self.0;
        let mut i = skip_ws(c.s, c.i);
        match c.s.get(i) {
            Some(b'}') => {
                c.i = i + 1;
                return Ok(None);
            }
            Some(b',') if !c.first => i = skip_ws(c.s, i + 1),
            Some(b'"') if c.first => {}
            Some(_) => return Err(Malformed::Invalid),
            None => return Err(Malformed::Truncated),
        }
        c.first = false;
        if c.s.get(i) != Some(&b'"') {
            return Err(at_end(c.s, i));
        }
        let end = skip_string(c.s, i)?;
        let key = &c.s[i + 1..end - 1];
        let colon = skip_ws(c.s, end);
        match c.s.get(colon) {
            Some(b':') => {}
            Some(_) => return Err(Malformed::Invalid),
            None => return Err(Malformed::Truncated),
        }
        c.i = skip_ws(c.s, colon + 1);
        Ok(Some(key))
    }

    /// Skips the current value and returns its span.
    #[inline]
    pub fn value(&mut self) -> Walk<Raw<'a>> {
        self.0.value()
    }

    /// Hands the input from the current value on to `f`, which returns what it read and
    /// how many bytes it consumed.
    pub fn value_with<T>(&mut self, f: impl FnOnce(&'a [u8]) -> Walk<(T, usize)>) -> Walk<T> {
        self.0.value_with(f)
    }

    /// Bytes consumed so far (through the closing brace once `next_key` returned `None`).
    pub fn consumed(&self) -> usize {
        self.0.i
    }
}

/// A cursor over an array's elements; `next` leaves it at an element, which must then be
/// consumed by `value_with`.
pub struct Array<'a>(Cursor<'a>);

impl<'a> Array<'a> {
    /// Starts a walk; `s` must begin with `[` (after whitespace).
    pub fn open(s: &'a [u8]) -> Walk<Self> {
        Cursor::open(s, b'[').map(Array)
    }

    /// Moves to the next element; false after the closing bracket.
    pub fn next(&mut self) -> Walk<bool> {
        let c = &mut self.0;
        let i = skip_ws(c.s, c.i);
        match c.s.get(i) {
            Some(b']') => {
                c.i = i + 1;
                Ok(false)
            }
            Some(b',') if !c.first => {
                c.i = skip_ws(c.s, i + 1);
                Ok(true)
            }
            Some(_) if c.first => {
                c.first = false;
                c.i = i;
                Ok(true)
            }
            Some(_) => Err(Malformed::Invalid),
            None => Err(Malformed::Truncated),
        }
    }

    /// Hands the input from the current element on to `f` (see `Object::value_with`).
    pub fn value_with<T>(&mut self, f: impl FnOnce(&'a [u8]) -> Walk<(T, usize)>) -> Walk<T> {
        self.0.value_with(f)
    }

    /// Bytes consumed so far.
    pub fn consumed(&self) -> usize {
        self.0.i
    }
}

/// Skips the value at the start of `s` (after whitespace); returns the bytes consumed.
pub fn skip(s: &[u8]) -> Walk<usize> {
    skip_value(s, skip_ws(s, 0))
}

/// Checks that only whitespace follows position `i`.
pub fn only_ws_after(s: &[u8], i: usize) -> Walk<()> {
    if skip_ws(s, i) == s.len() {
        Ok(())
    } else {
        Err(Malformed::Invalid)
    }
}

/// Whether the line could be a complete object: `{` … `}` around optional whitespace.
/// The check for lines whose middle is not walked.
pub fn framed(s: &[u8]) -> bool {
    let start = skip_ws(s, 0);
    let end = s
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .unwrap_or(0);
    s.get(start) == Some(&b'{') && s.get(end) == Some(&b'}') && end > start
}

fn at_end(s: &[u8], i: usize) -> Malformed {
    if i >= s.len() {
        Malformed::Truncated
    } else {
        Malformed::Invalid
    }
}

#[inline]
fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while let Some(c) = s.get(i) {
        if !matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
            break;
        }
        i += 1;
    }
    i
}

/// `i` is at an opening quote; returns the index after the closing one. Most strings in
/// a line are short (keys, ids, times), so the 16 bytes after the quote are read as masks
/// first, inline: a closing quote with no backslash before it is found without a byte
/// loop or a call. Longer strings go on to `skip_long_string`.
#[inline]
fn skip_string(s: &[u8], i: usize) -> Walk<usize> {
    let start = i + 1;
    if let Some((quote, backslash)) = blocks::quotes16(s, start)
        && quote != 0
        && backslash & ((1 << quote.trailing_zeros()) - 1) == 0
    {
        // The first quote of the next 16 bytes, with no backslash before it: the end.
        return Ok(start + quote.trailing_zeros() as usize + 1);
    }
    skip_long_string(s, start)
}

/// The rest of `skip_string`, from the string's first byte `start`: the first block is
/// read as masks, then memchr jumps from quote to quote. A quote is escaped when an odd
/// run of backslashes precedes it.
#[inline(never)]
fn skip_long_string(s: &[u8], start: usize) -> Walk<usize> {
    let escaped = |q: usize| {
        s[start..q]
            .iter()
            .rev()
            .take_while(|&&c| c == b'\\')
            .count()
            % 2
            == 1
    };
    let m = blocks::quotes(s, start);
    let mut quotes = m.quote;
    while quotes != 0 {
        let k = quotes.trailing_zeros() as usize;
        if k == 0 || (m.backslash >> (k - 1)) & 1 == 0 || !escaped(start + k) {
            return Ok(start + k + 1);
        }
        quotes &= quotes - 1;
    }
    let mut j = start + BLOCK;
    loop {
        let Some(q) = s.get(j..).and_then(|rest| memchr::memchr(b'"', rest)) else {
            return Err(Malformed::Truncated);
        };
        if !escaped(j + q) {
            return Ok(j + q + 1);
        }
        j += q + 1;
    }
}

/// `i` is at the first byte of a value; returns the index after it.
fn skip_value(s: &[u8], i: usize) -> Walk<usize> {
    match s.get(i) {
        Some(b'"') => skip_string(s, i),
        Some(b'{' | b'[') => skip_container(s, i),
        Some(b't') => literal(s, i, b"true"),
        Some(b'f') => literal(s, i, b"false"),
        Some(b'n') => literal(s, i, b"null"),
        Some(b'-' | b'0'..=b'9') => {
            let n = s[i..]
                .iter()
                .take_while(|c| matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                .count();
            if i + n == s.len() {
                return Err(Malformed::Truncated);
            }
            Ok(i + n)
        }
        Some(_) => Err(Malformed::Invalid),
        None => Err(Malformed::Truncated),
    }
}

fn literal<const N: usize>(s: &[u8], i: usize, lit: &[u8; N]) -> Walk<usize> {
    // A fixed-size comparison (no memcmp call): literals follow most keys.
    let fixed = |have: &[u8]| <&[u8; N]>::try_from(have).is_ok_and(|h| h == lit);
    match s.get(i..i + N) {
        Some(have) if fixed(have) => Ok(i + N),
        Some(_) => Err(Malformed::Invalid),
        None if lit.starts_with(&s[i..]) => Err(Malformed::Truncated),
        None => Err(Malformed::Invalid),
    }
}

/// `i` is at `{` or `[`; skips to after the matching close, strings included. Brackets
/// of either kind are counted together: the walk checks nesting depth, not pairing. It
/// goes a block at a time: brackets inside strings are masked off, and a block with fewer
/// closing brackets than the depth is counted with two popcounts; only a block where the
/// container may end is walked bracket by bracket.
fn skip_container(s: &[u8], i: usize) -> Walk<usize> {
    let mut depth = 0u32;
    let mut in_string = 0u64;
    let mut escapes = Escapes::default();
    let mut j = i;
    while j < s.len() {
        let m = blocks::all(s, j);
        let quotes = m.quote & !escapes.escaped(m.backslash);
        let strings = blocks::prefix_xor(quotes) ^ in_string;
        in_string = 0u64.wrapping_sub(strings >> 63);
        let (open, close) = (m.open & !strings, m.close & !strings);
        if close.count_ones() < depth {
            depth = depth + open.count_ones() - close.count_ones();
        } else {
            let mut brackets = open | close;
            while brackets != 0 {
                let k = brackets.trailing_zeros();
                if (open >> k) & 1 == 1 {
                    depth += 1;
                } else {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(j + k as usize + 1);
                    }
                }
                brackets &= brackets - 1;
            }
        }
        j += BLOCK;
    }
    Err(Malformed::Truncated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(s: &str) -> Walk<Vec<(String, String)>> {
        let mut o = Object::open(s.as_bytes())?;
        let mut out = Vec::new();
        while let Some(k) = o.next_key()? {
            let v = o.value()?;
            out.push((
                String::from_utf8_lossy(k).into_owned(),
                String::from_utf8_lossy(v.bytes()).into_owned(),
            ));
        }
        only_ws_after(s.as_bytes(), o.consumed())?;
        Ok(out)
    }

    #[test]
    fn walks_members_and_skips_values() {
        let m =
            members(r#"{"a":1,"b":"x\"}y","c":{"d":[1,{"e":"]"}]},"f":true, "g" : null}"#).unwrap();
        let keys: Vec<&str> = m.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c", "f", "g"]);
        assert_eq!(m[1].1, r#""x\"}y""#);
        assert_eq!(m[2].1, r#"{"d":[1,{"e":"]"}]}"#);
        assert_eq!(members("{}").unwrap(), vec![]);
    }

    #[test]
    fn escaped_backslash_before_a_quote_ends_the_string() {
        let m = members(r#"{"a":"x\\","b":2}"#).unwrap();
        assert_eq!(m[0].1, r#""x\\""#);
        assert_eq!(m[1].1, "2");
        let m = members(r#"{"a":"x\\\"y","b":2}"#).unwrap();
        assert_eq!(m[0].1, r#""x\\\"y""#);
    }

    #[test]
    fn torn_lines_are_truncated() {
        for s in [
            r#"{"a":"xy"#,
            r#"{"a":{"b":[1,2"#,
            r#"{"a":tr"#,
            r#"{"a":12"#,
            r#"{"a""#,
            r#"{"a":1,"#,
            r"{",
        ] {
            assert_eq!(members(s), Err(Malformed::Truncated), "{s}");
        }
    }

    #[test]
    fn garbage_is_invalid() {
        for s in [
            r#"{"a":1 "b":2}"#,
            r#"{"a":x}"#,
            r"{a:1}",
            r#"{"a":1}}"#,
            r#"{"a":1,}"#,
            r#"{"a":trux}"#,
            "not json",
        ] {
            assert_eq!(members(s), Err(Malformed::Invalid), "{s}");
        }
    }

    #[test]
    fn arrays_walk_elements() {
        let mut a = Array::open(br#"[1, "two", {"x":[]}]"#).unwrap();
        let mut out = Vec::new();
        while a.next().unwrap() {
            out.push(
                a.value_with(|s| Ok((s[..skip(s)?].to_vec(), skip(s)?)))
                    .unwrap(),
            );
        }
        assert_eq!(
            out,
            [b"1".to_vec(), b"\"two\"".to_vec(), br#"{"x":[]}"#.to_vec()]
        );
        assert!(Array::open(b"[]").unwrap().next() == Ok(false));
        let mut a = Array::open(b"[1 2]").unwrap();
        assert!(a.next().unwrap());
        a.value_with(|s| Ok(((), skip(s)?))).unwrap();
        assert_eq!(a.next(), Err(Malformed::Invalid));
    }

    #[test]
    fn strings_decode_lazily_and_lossily() {
        assert_eq!(Raw(br#""plain""#).string().unwrap(), "plain");
        assert_eq!(Raw(br#""a\nb\u00e9""#).string().unwrap(), "a\nb\u{e9}");
        let mut lossy = false;
        let s = Raw(br#""/home/u/\ud83d/x""#).str(&mut lossy).unwrap();
        assert_eq!(s, "/home/u/\u{FFFD}/x");
        assert!(lossy);
        assert_eq!(Raw(b"12").string(), None);
        assert!(Raw(br#""user""#).is_str("user"));
        assert!(!Raw(br#""users""#).is_str("user"));
        assert_eq!(Raw(b"true").bool(), Some(true));
        assert_eq!(Raw(b"1.5").f64(), Some(1.5));
        assert_eq!(Raw(b"\"1\"").f64(), None);
    }

    /// The byte-at-a-time skip the block version replaced: the reference it must match.
    fn reference_skip(s: &[u8], i: usize) -> Walk<usize> {
        let string_end = |mut j: usize| loop {
            j += 1;
            match s.get(j) {
                None => return Err(Malformed::Truncated),
                Some(b'\\') => j += 1,
                Some(b'"') => return Ok(j + 1),
                Some(_) => {}
            }
        };
        if s[i] == b'"' {
            return string_end(i);
        }
        let (mut depth, mut j) = (0usize, i);
        while j < s.len() {
            match s[j] {
                b'"' => {
                    j = string_end(j)?;
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(j + 1);
                    }
                }
                _ => {}
            }
            j += 1;
        }
        Err(Malformed::Truncated)
    }

    #[test]
    fn block_skips_match_the_byte_loop_on_generated_values() {
        // Values of up to a few blocks built from the bytes that matter (quotes,
        // backslashes, brackets) by a fixed linear congruential sequence, every prefix
        // included (torn lines). As in any JSON, backslashes occur only inside strings.
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: usize| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) as usize % n
        };
        for _ in 0..3000 {
            let mut v = vec![[b'{', b'['][next(2)]];
            let (len, mut strings) = (1 + next(250), Vec::new());
            while v.len() < len {
                if next(3) > 0 {
                    v.push(b"{}[]:,1 "[next(8)]);
                    continue;
                }
                strings.push(v.len());
                v.push(b'"');
                for _ in 0..next(40) {
                    match next(6) {
                        0 => v.extend_from_slice(br#"\""#),
                        1 => v.extend_from_slice(br"\\"),
                        _ => v.push(b"{}[]a "[next(6)]),
                    }
                }
                v.push(b'"');
            }
            for end in [v.len(), v.len() / 2, v.len().saturating_sub(1)] {
                let s = &v[..end.max(1)];
                let fast = skip_container(s, 0);
                assert_eq!(fast, reference_skip(s, 0), "{}", String::from_utf8_lossy(s));
                for &at in strings.iter().filter(|&&at| at < s.len()) {
                    assert_eq!(skip_string(s, at), reference_skip(s, at), "{at}");
                }
            }
        }
    }

    #[test]
    fn framing_check() {
        assert!(framed(b" {\"a\":1} "));
        assert!(!framed(b"{\"a\":\"tor"));
        assert!(!framed(b"}"));
        assert!(!framed(b""));
    }
}
