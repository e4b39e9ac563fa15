//! Decoding helpers: lossy JSON unescaping (when a JS writer left a lone surrogate),
//! RFC 3339 timestamps (a fast path for Claude Code's fixed format, chrono otherwise), and
//! the `agentId: …` tail of Task results. Pure functions, no state.

/// Unescapes JSON string content, replacing what does not decode with U+FFFD.
pub fn unescape_lossy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                let cp = u32::from_str_radix(&hex, 16).ok();
                match cp {
                    Some(hi @ 0xD800..=0xDBFF) => {
                        // A high surrogate must be followed by \uDC00..DFFF.
                        let mut look = chars.clone();
                        if look.next() == Some('\\') && look.next() == Some('u') {
                            let lo_hex: String = look.by_ref().take(4).collect();
                            if let Ok(lo @ 0xDC00..=0xDFFF) = u32::from_str_radix(&lo_hex, 16) {
                                chars = look;
                                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                                continue;
                            }
                        }
                        out.push('\u{FFFD}');
                    }
                    Some(cp) => out.push(char::from_u32(cp).unwrap_or('\u{FFFD}')),
                    None => out.push('\u{FFFD}'),
                }
            }
            Some(other) => out.push(other),
            None => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Parses the bytes of an RFC 3339 timestamp into milliseconds since the epoch (UTC):
/// Claude Code's fixed form directly, anything else through chrono.
pub fn parse_ts_bytes(b: &[u8]) -> Option<i64> {
    fast_ts(b).or_else(|| {
        chrono::DateTime::parse_from_rfc3339(std::str::from_utf8(b).ok()?)
            .ok()
            .map(|d| d.timestamp_millis())
    })
}

/// `parse_ts_bytes` of a string.
pub fn parse_ts(s: &str) -> Option<i64> {
    parse_ts_bytes(s.as_bytes())
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z`, the form Claude Code writes.
fn fast_ts(b: &[u8]) -> Option<i64> {
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let mut v = 0i64;
        for &c in &b[r] {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
        Some(v)
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let rest = &b[19..];
    let (ms, tail) = if rest.first() == Some(&b'.') {
        let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let frac = &rest[1..=digits];
        let mut ms = 0i64;
        for i in 0..3 {
            ms = ms * 10 + frac.get(i).map_or(0, |c| i64::from(c - b'0'));
        }
        (ms, &rest[1 + digits..])
    } else {
        (0, rest)
    };
    if tail != b"Z"
        || !(1..=12).contains(&mo)
        || !(1..=31).contains(&d)
        || h > 23
        || mi > 59
        || sec > 60
    {
        return None;
    }
    if d > days_in_month(y, mo) {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    Some(((days * 24 + h) * 60 + mi) * 60_000 + sec * 1000 + ms)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The id in an `agentId: <id>` tail of a Task/Agent result text, if any.
pub fn agent_id_tail(bytes: &[u8]) -> Option<&str> {
    let pos = memchr::memmem::find(bytes, b"agentId: ")?;
    let rest = &bytes[pos + 9..];
    let end = rest
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_'))
        .unwrap_or(rest.len());
    if end == 0 {
        return None;
    }
    std::str::from_utf8(&rest[..end]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_fast_and_slow_agree() {
        let s = "2026-03-10T17:44:31.392Z";
        let slow = chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .timestamp_millis();
        assert_eq!(fast_ts(s.as_bytes()), Some(slow));
        assert_eq!(parse_ts("2026-03-10T18:44:31.392+01:00"), Some(slow));
        assert_eq!(parse_ts("2026-03-10T17:44:31Z"), Some(slow - 392));
        assert_eq!(parse_ts("2026-03-10 06:00:00"), None);
        assert_eq!(parse_ts("garbage"), None);
        assert_eq!(parse_ts("2026-02-29T00:00:00Z"), None);
        assert!(parse_ts("2028-02-29T00:00:00Z").is_some());
        for s in [
            "1970-01-01T00:00:00Z",
            "2000-02-29T12:00:00.5Z",
            "2100-12-31T23:59:59.999Z",
            "1969-12-31T23:59:59Z",
        ] {
            let slow = chrono::DateTime::parse_from_rfc3339(s)
                .unwrap()
                .timestamp_millis();
            assert_eq!(fast_ts(s.as_bytes()), Some(slow), "{s}");
        }
    }

    #[test]
    fn agent_ids_from_result_tail() {
        assert_eq!(
            agent_id_tail(b"done.\\nagentId: a44fbc3 (for resuming)"),
            Some("a44fbc3")
        );
        assert_eq!(agent_id_tail(b"nothing"), None);
    }
}
