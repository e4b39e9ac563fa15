//! The checks behind the fuzz targets, shared with `tests/fuzz_regressions.rs` (which
//! replays every saved crash and seed through them in `cargo test`).
//!
//! `line`: one transcript line through the line parser, at both scan depths, as a complete
//! line and as a file's unterminated tail. It must never panic; each call counts at most
//! one skipped line; every kept token count is within the plausibility cap; a kept line is
//! not also skipped; and the usage and the full scan keep the same responses.
//!
//! `file`: a file's bytes → totals through `scan::scan_bytes` (the same read, parse and
//! merge as a real scan); the first input byte picks a read size. Kept responses plus
//! skipped lines never exceed the lines read; the usage and the full scan agree on the
//! totals; reading in chunks of the picked size changes nothing; and appending "\n" plus a
//! known good record raises the totals by exactly its tokens.

use ccrecap::model::tokens::Tokens;
use ccrecap::scan::parse::FileParser;
use ccrecap::scan::read::{Piece, for_each_line_chunked};
use ccrecap::scan::{Detail, ReadOptions, Scan, scan_bytes};

const CAP: u64 = 1_000_000_000;

const GOOD: &[u8] = br#"{"type":"assistant","message":{"id":"msg_fuzz_sentinel","model":"claude-x","usage":{"input_tokens":3,"output_tokens":5,"cache_read_input_tokens":7,"cache_creation_input_tokens":11}},"requestId":"req_fuzz_sentinel","timestamp":"2026-01-01T00:00:00Z"}"#;

fn scan(bytes: &[u8], detail: Detail) -> Scan {
    let opts = ReadOptions {
        max_line: 4096,
        detail,
    };
    scan_bytes(&[("p/s.jsonl", bytes)], opts)
}

fn total(s: &Scan) -> Tokens {
    s.dataset.responses.iter().map(|r| r.tokens).sum()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

pub fn line(data: &[u8]) {
    let mut kept = Vec::new();
    for detail in [Detail::Usage, Detail::Full] {
        for tail in [false, true] {
            let mut p = FileParser::new("s", detail);
            p.line(data, tail);
            assert_eq!(p.diag.lines_read, 1);
            assert!(p.diag.skipped_total() <= 1, "{:?}", p.diag.skipped_lines);
            let tokens: Vec<_> = p.partial.responses.iter().map(|r| r.tokens).collect();
            for t in &tokens {
                for v in [
                    t.input,
                    t.output,
                    t.cache_read,
                    t.cache_write_5m,
                    t.cache_write_1h,
                ] {
                    assert!(v <= CAP, "{t:?}");
                }
            }
            if !tokens.is_empty() {
                assert_eq!(p.diag.skipped_total(), 0, "a kept line was also skipped");
            }
            kept.push(tokens);
        }
    }
    assert!(kept.windows(2).all(|w| w[0] == w[1]), "{kept:?}");
}

pub fn file(data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let usage = scan(bytes, Detail::Usage);
    let full = scan(bytes, Detail::Full);
    for s in [&usage, &full] {
        let d = &s.diagnostics;
        let lines = bytes.split(|&b| b == b'\n').count() as u64;
        assert!(d.lines_read <= lines);
        assert!(d.skipped_total() + s.dataset.responses.len() as u64 <= d.lines_read);
    }
    assert_eq!(total(&usage), total(&full));

    // The read size never matters.
    let chunk = 1 + pick as usize;
    let mut p = FileParser::new("s", Detail::Full);
    let mut buf = Vec::new();
    for_each_line_chunked(
        bytes,
        bytes.len() as u64,
        4096,
        chunk,
        &mut buf,
        |piece| match piece {
            Piece::Line(l) => p.line(l, false),
            Piece::Tail(l) => p.line(l, true),
            Piece::TooLong => p.too_long(),
        },
    )
    .unwrap();
    let file_level: Tokens = p.partial.responses.iter().map(|r| r.tokens).sum();
    let mut direct = FileParser::new("s", Detail::Full);
    let mut buf = Vec::new();
    for_each_line_chunked(
        bytes,
        bytes.len() as u64,
        4096,
        1 << 20,
        &mut buf,
        |piece| match piece {
            Piece::Line(l) => direct.line(l, false),
            Piece::Tail(l) => direct.line(l, true),
            Piece::TooLong => direct.too_long(),
        },
    )
    .unwrap();
    assert_eq!(p.diag, direct.diag, "chunk {chunk}");
    assert_eq!(
        file_level,
        direct
            .partial
            .responses
            .iter()
            .map(|r| r.tokens)
            .sum::<Tokens>()
    );

    // Metamorphic: one more good record adds exactly its tokens (unless the input could
    // name the same response, directly or through escapes).
    if !contains(bytes, b"sentinel") && !contains(bytes, b"\\u") {
        let mut more = bytes.to_vec();
        more.push(b'\n');
        more.extend_from_slice(GOOD);
        let good = Tokens {
            input: 3,
            output: 5,
            cache_read: 7,
            cache_write_5m: 11,
            cache_write_1h: 0,
        };
        assert_eq!(total(&scan(&more, Detail::Usage)), total(&usage) + good);
        assert_eq!(total(&scan(&more, Detail::Full)), total(&full) + good);
    }
}
