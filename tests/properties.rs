//! Invariants of the scan, checked with proptest over generated transcripts (reliability.md
//! §5.2): totals do not depend on line order, on splitting a file, on the corpus appearing
//! twice, or on unknown fields; inserted garbage raises the skip count by exactly the
//! number of lines inserted and leaves the totals alone; a file cut at any byte gives the
//! totals of its complete lines; read sizes never change what is read; arbitrary bytes
//! never panic; and every integer a report emits is at most 2^53. Totals are also checked
//! against a reference model: per (message id, request id), the copy with the largest
//! usage (`Tokens::rank_key`), summed.

use crate::common;

use ccrecap::model::diagnostics::Diagnostics;
use ccrecap::model::tokens::Tokens;
use ccrecap::scan::Detail;
use ccrecap::scan::read::{Piece, for_each_line, for_each_line_chunked};
use common::records::{Tree, scan};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// One generated line.
#[derive(Clone, Debug)]
enum Entry {
    Response {
        id: u8,
        req: u8,
        session: u8,
        model: u8,
        day: u8,
        tokens: Tokens,
        /// Write the 5m/1h breakdown object (else only `cache_creation_input_tokens`).
        breakdown: bool,
    },
    Prompt(u8),
    Summary,
}

const MODELS: [&str; 3] = [
    "claude-sonnet-4-5-20250929",
    "claude-opus-4-1-20250805",
    "claude-haiku-4-5-20251001",
];

impl Entry {
    fn line(&self, extra: &str) -> String {
        match self {
            Entry::Response {
                id,
                req,
                session,
                model,
                day,
                tokens: t,
                breakdown,
            } => {
                let cache = if *breakdown {
                    format!(
                        r#","cache_creation":{{"ephemeral_5m_input_tokens":{},"ephemeral_1h_input_tokens":{}}}"#,
                        t.cache_write_5m, t.cache_write_1h
                    )
                } else {
                    String::new()
                };
                format!(
                    r#"{{"parentUuid":"p","isSidechain":false,"cwd":"/w/app","sessionId":"s{session}"{extra},"message":{{"model":"{}","id":"msg_{id}","type":"message","role":"assistant","content":[{{"type":"text","text":"ok"}}],"usage":{{"input_tokens":{},"cache_creation_input_tokens":{},"cache_read_input_tokens":{},"output_tokens":{}{cache}}}}},"requestId":"req_{req}","type":"assistant","uuid":"u{id}{req}","timestamp":"2026-11-{:02}T12:00:00.000Z"}}"#,
                    MODELS[*model as usize % MODELS.len()],
                    t.input,
                    t.cache_write_5m + t.cache_write_1h,
                    t.cache_read,
                    t.output,
                    1 + day % 28
                )
            }
            Entry::Prompt(n) => format!(
                r#"{{"parentUuid":null,"sessionId":"s1","type":"user","message":{{"role":"user","content":"prompt {n}"}},"uuid":"q{n}","timestamp":"2026-11-02T10:00:00Z"}}"#
            ),
            Entry::Summary => r#"{"type":"summary","summary":"A title","leafUuid":"x"}"#.into(),
        }
    }
}

fn token_value() -> impl Strategy<Value = u64> {
    prop_oneof![4 => 0..5_000u64, 1 => 0..=1_000_000_000u64]
}

fn entry() -> impl Strategy<Value = Entry> {
    let tokens = (
        token_value(),
        token_value(),
        token_value(),
        token_value(),
        token_value(),
        any::<bool>(),
    )
        .prop_map(|(input, output, cache_read, w5, w1, breakdown)| {
            let tokens = Tokens {
                input,
                output,
                cache_read,
                cache_write_5m: w5,
                cache_write_1h: if breakdown { w1 } else { 0 },
            };
            (tokens, breakdown)
        });
    prop_oneof![
        8 => (0..12u8, 0..3u8, 0..3u8, 0..3u8, 0..28u8, tokens).prop_map(
            |(id, req, session, model, day, (tokens, breakdown))| Entry::Response {
                id,
                req,
                session,
                model,
                day,
                tokens,
                breakdown,
            }
        ),
        1 => (0..50u8).prop_map(Entry::Prompt),
        1 => Just(Entry::Summary),
    ]
}

fn entries() -> impl Strategy<Value = Vec<Entry>> {
    prop::collection::vec(entry(), 0..40)
}

fn file(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        out.extend_from_slice(e.line("").as_bytes());
        out.push(b'\n');
    }
    out
}

/// The reference model: the largest copy per key, summed.
fn expected(entries: &[Entry]) -> Tokens {
    let mut best: BTreeMap<(u8, u8), Tokens> = BTreeMap::new();
    for e in entries {
        if let Entry::Response {
            id, req, tokens, ..
        } = e
        {
            let b = best.entry((*id, *req)).or_insert(*tokens);
            if tokens.rank_key() > b.rank_key() {
                *b = *tokens;
            }
        }
    }
    best.values().copied().sum()
}

fn totals(files: &[(&str, &[u8])], detail: Detail) -> (Tokens, Diagnostics) {
    let s = scan(files, detail);
    let t = s.dataset.responses.iter().map(|r| r.tokens).sum();
    (t, s.diagnostics)
}

/// Totals of both scan depths, checked equal, and the full scan's diagnostics. (A usage
/// scan checks a user line only for its `{…}` framing, so damage inside one that still
/// ends in `}` is counted by the full scan alone; the README says so.)
fn both(files: &[(&str, &[u8])]) -> (Tokens, Diagnostics) {
    let (u, du) = totals(files, Detail::Usage);
    let (f, df) = totals(files, Detail::Full);
    assert_eq!(u, f, "usage and full scans disagree");
    assert!(du.skipped_total() <= df.skipped_total());
    (f, df)
}

/// A line that must be skipped and counted once, whatever surrounds it.
fn garbage() -> impl Strategy<Value = Vec<u8>> {
    let record = |usage: &'static str| {
        format!(
            r#"{{"type":"assistant","message":{{"id":"msg_g","usage":{usage}}},"requestId":"req_g"}}"#
        )
        .into_bytes()
    };
    prop_oneof![
        "[a-zA-Z ,.:!?]{1,60}".prop_map(String::into_bytes),
        prop::collection::vec(
            any::<u8>().prop_filter("no newline", |b| *b != b'\n'),
            1..200
        )
        .prop_filter("not blank-or-JSON", |b| {
            !b.iter().all(u8::is_ascii_whitespace)
                && serde_json::from_slice::<serde::de::IgnoredAny>(b).is_err()
                && !b.trim_ascii_start().starts_with(b"{")
        }),
        (entry(), any::<prop::sample::Index>()).prop_map(|(e, at)| {
            let l = e.line("").into_bytes();
            let cut = 1 + at.index(l.len() - 1); // 1..len: never the whole line
            l[..cut].to_vec()
        }),
        prop::sample::select(vec![
            b"[1,2]".to_vec(),
            b"\"text\"".to_vec(),
            b"42".to_vec(),
            b"{}".to_vec(),
            b"null".to_vec(),
            b"   ".to_vec(),
            record(r#"{"input_tokens":-1}"#),
            record(r#"{"output_tokens":"7"}"#),
            record(r#"{"output_tokens":2.5}"#),
            record(r#"{"input_tokens":5000000000}"#),
            record(r"[]"),
            br#"{"type":"assistant"}"#.to_vec(),
            format!("{}{}", "[".repeat(2000), "]".repeat(2000)).into_bytes(),
            format!("{{\"a\":{}", "[".repeat(500)).into_bytes(),
        ]),
    ]
}

/// `cases` cases; failures are saved beside this file (`properties.proptest-regressions`)
/// and replayed first on later runs.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(1500))]

    #[test]
    fn totals_match_the_reference_and_ignore_line_order(
        (es, shuffled) in entries().prop_flat_map(|es| (Just(es.clone()), Just(es).prop_shuffle()))
    ) {
        let a = file(&es);
        let b = file(&shuffled);
        let (ta, da) = both(&[("p/s.jsonl", &a)]);
        let (tb, _) = both(&[("p/s.jsonl", &b)]);
        prop_assert_eq!(ta, expected(&es));
        prop_assert_eq!(ta, tb);
        prop_assert_eq!(da.skipped_total(), 0);
    }

    #[test]
    fn splitting_a_file_at_any_line_keeps_the_totals(
        (es, at) in entries().prop_flat_map(|es| { let n = es.len(); (Just(es), 0..=n) })
    ) {
        let whole = file(&es);
        let (one, two) = (file(&es[..at]), file(&es[at..]));
        let (t1, _) = both(&[("p/s.jsonl", &whole)]);
        let (t2, _) = both(&[("p/s.jsonl", &one), ("p/s-cont.jsonl", &two)]);
        prop_assert_eq!(t1, t2);
    }

    #[test]
    fn inserted_garbage_raises_the_skip_count_by_exactly_its_lines(
        es in entries(),
        junk in prop::collection::vec((garbage(), any::<prop::sample::Index>()), 1..12),
    ) {
        let mut lines: Vec<Vec<u8>> = es.iter().map(|e| e.line("").into_bytes()).collect();
        let n = junk.len() as u64;
        for (g, at) in junk {
            let i = at.index(lines.len() + 1);
            lines.insert(i, g);
        }
        let mut dirty = Vec::new();
        for l in &lines {
            dirty.extend_from_slice(l);
            dirty.push(b'\n');
        }
        let (clean_t, clean_d) = both(&[("p/s.jsonl", &file(&es))]);
        let (dirty_t, dirty_d) = both(&[("p/s.jsonl", &dirty)]);
        prop_assert_eq!(clean_t, dirty_t);
        prop_assert_eq!(dirty_d.skipped_total(), clean_d.skipped_total() + n,
            "{:?}", dirty_d.skipped_lines);
    }

    #[test]
    fn unknown_fields_anywhere_do_not_change_the_totals(
        es in entries(),
        key in "[a-zA-Z_]{1,12}",
        value in prop_oneof![
            Just("null".to_string()), Just("[1,{\"usage\":{}}]".to_string()),
            "\"[a-z ]{0,20}\"", (0..1_000_000u64).prop_map(|n| n.to_string()),
        ],
    ) {
        prop_assume!(!matches!(key.as_str(),
            "type" | "message" | "toolUseResult" | "timestamp" | "sessionId" | "requestId"
            | "agentId" | "isSidechain" | "data" | "cwd" | "uuid" | "parentUuid" | "isMeta"
            | "isCompactSummary" | "costUSD"));
        let extra = format!(",\"{key}\":{value}");
        let mut f = Vec::new();
        for e in &es {
            f.extend_from_slice(e.line(&extra).as_bytes());
            f.push(b'\n');
        }
        let (plain, _) = both(&[("p/s.jsonl", &file(&es))]);
        let (with_extra, d) = both(&[("p/s.jsonl", &f)]);
        prop_assert_eq!(plain, with_extra);
        prop_assert_eq!(d.skipped_total(), 0);
    }

    #[test]
    fn a_file_cut_at_any_byte_gives_the_totals_of_its_complete_lines(
        (es, cut) in entries().prop_flat_map(|es| {
            let n = file(&es).len();
            (Just(es), 0..=n)
        })
    ) {
        let f = file(&es);
        let (t, d) = both(&[("p/s.jsonl", &f[..cut])]);
        // Complete lines: ended by a newline before the cut, or whole up to the cut.
        let mut complete = 0;
        let mut pos = 0;
        for e in &es {
            let end = pos + e.line("").len();
            if end <= cut {
                complete += 1;
            }
            pos = end + 1;
        }
        prop_assert_eq!(t, expected(&es[..complete]));
        prop_assert_eq!(d.skipped_lines.get("bad_json"), None);
        prop_assert!(d.skipped_total() <= 1, "{:?}", d.skipped_lines);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_never_count_more_than_they_hold(
        bytes in prop::collection::vec(any::<u8>(), 0..4096)
    ) {
        for detail in [Detail::Usage, Detail::Full] {
            let s = scan(&[("p/s.jsonl", &bytes)], detail);
            let d = &s.diagnostics;
            let lines = bytes.split(|&b| b == b'\n').count() as u64;
            prop_assert!(d.lines_read <= lines);
            prop_assert!(d.skipped_total() + s.dataset.responses.len() as u64 <= d.lines_read);
        }
    }
}

proptest! {
    #![proptest_config(config(800))]

    #[test]
    fn the_corpus_concatenated_with_itself_has_the_same_totals(es in entries(), more in entries()) {
        let (a, b) = (file(&es), file(&more));
        let (once, _) = both(&[("p/a.jsonl", &a), ("q/b.jsonl", &b)]);
        let aa = [a.clone(), a.clone()].concat();
        let (doubled_lines, _) = both(&[("p/a.jsonl", &aa), ("q/b.jsonl", &b)]);
        let (doubled_files, d) = both(&[
            ("p/a.jsonl", &a), ("q/b.jsonl", &b), ("r/a.jsonl", &a), ("r/b.jsonl", &b),
        ]);
        prop_assert_eq!(once, doubled_lines);
        prop_assert_eq!(once, doubled_files);
        prop_assert_eq!(d.skipped_total(), 0);
    }
}

/// A reader that hands out at most `n` bytes per call.
struct Trickle<'a>(&'a [u8], usize);

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.1.min(out.len()).min(self.0.len());
        out[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

fn pieces(data: &[u8], chunk: Option<usize>, trickle: usize, max_line: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut buf = Vec::new();
    let on = |p: Piece<'_>| {
        out.push(match p {
            Piece::Line(l) => format!("L{l:?}"),
            Piece::Tail(l) => format!("T{l:?}"),
            Piece::TooLong => "TOO_LONG".into(),
        });
    };
    let src = Trickle(data, trickle);
    let n = match chunk {
        Some(c) => for_each_line_chunked(src, data.len() as u64, max_line, c, &mut buf, on),
        None => for_each_line(src, data.len() as u64, max_line, &mut buf, on),
    }
    .unwrap();
    assert_eq!(n, data.len() as u64);
    out
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn read_buffer_and_read_sizes_never_change_the_lines(
        data in prop::collection::vec(
            prop_oneof![6 => b'a'..=b'z', 1 => Just(b'\n'), 1 => Just(b'\r'), 1 => any::<u8>()],
            0..3000,
        ),
        max_line in prop_oneof![Just(usize::MAX), 1..200usize],
        trickle in prop_oneof![Just(usize::MAX), 1..50usize],
    ) {
        let reference = pieces(&data, None, usize::MAX, max_line);
        for chunk in [1, 2, 3, 7, 64, 4096, 65536] {
            prop_assert_eq!(&pieces(&data, Some(chunk), trickle, max_line), &reference,
                "chunk {} trickle {}", chunk, trickle);
        }
        prop_assert_eq!(&pieces(&data, None, trickle, max_line), &reference);
    }

}

proptest! {
    #![proptest_config(config(200))]

    #[test]
    fn read_sizes_never_change_a_scan(es in entries(), trickle in 1..64usize) {
        use ccrecap::scan::parse::FileParser;
        let f = file(&es);
        let parse = |chunk: usize, trickle: usize| {
            let mut p = FileParser::new("s", Detail::Full);
            let mut buf = Vec::new();
            for_each_line_chunked(Trickle(&f, trickle), f.len() as u64, 1 << 20, chunk, &mut buf, |piece| {
                match piece {
                    Piece::Line(l) => p.line(l, false),
                    Piece::Tail(l) => p.line(l, true),
                    Piece::TooLong => p.too_long(),
                }
            }).unwrap();
            let t: Tokens = p.partial.responses.iter().map(|r| r.tokens).sum();
            (t, p.partial.responses.len(), p.diag)
        };
        let reference = parse(1 << 20, usize::MAX);
        for chunk in [1, 7, 4096] {
            prop_assert_eq!(&parse(chunk, trickle), &reference);
        }
    }
}

/// Every integer in a JSON document, with its path.
fn integers(v: &serde_json::Value, path: &str, out: &mut Vec<(String, i128)>) {
    match v {
        serde_json::Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                out.push((path.to_string(), i128::from(u)));
            } else if let Some(i) = n.as_i64() {
                out.push((path.to_string(), i128::from(i)));
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                integers(x, &format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                integers(x, &format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn every_integer_a_report_emits_is_at_most_2_pow_53(
        es in prop::collection::vec(entry(), 1..60),
        big in prop::collection::vec((0..12u8, 0..3u8), 1..30),
    ) {
        // Maximal plausible records (10^9 per field) on top of the generated ones.
        let mut es = es;
        for (id, req) in big {
            let max = 1_000_000_000;
            es.push(Entry::Response {
                id: 100 + id, req, session: 1, model: 0, day: 3,
                tokens: Tokens { input: max, output: max, cache_read: max, cache_write_5m: max, cache_write_1h: max },
                breakdown: true,
            });
        }
        let t = Tree::new();
        t.write("p/s.jsonl", file(&es));
        let d = t.path().to_str().unwrap();
        for args in [
            vec!["daily", "--breakdown"], vec!["weekly"], vec!["monthly"], vec!["session"],
            vec!["blocks"], vec!["--all"],
        ] {
            let mut argv = args.clone();
            argv.extend(["--claude-dir", d]);
            let v = common::report(&argv);
            let mut ints = Vec::new();
            integers(&v, "", &mut ints);
            prop_assert!(!ints.is_empty());
            for (path, n) in ints {
                prop_assert!(n.abs() <= 1 << 53, "{:?}: {} = {}", args, path, n);
            }
        }
    }
}
