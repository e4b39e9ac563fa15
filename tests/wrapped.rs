//! The year in review (`ccrecap wrapped`) on generated histories and fixtures: the HTML
//! page is self-contained (no external reference of any kind) and the SVG card is
//! well-formed XML of 1200×630; its totals are `daily`'s over the same year, exactly; a
//! month whose transcripts were deleted after `ledger update` still counts; both files
//! are paste-safe by default (no prompt text, no paths, hostile names escaped); a year
//! without data is an honest empty page and a bad `--year` a usage error. Snapshots of
//! the demo's `wrapped` JSON section and card.

use crate::common::{self, generate, last_timestamp, report, transcripts};
use ccrecap::ledger::update::{UpdateOptions, update};
use scraper::{Html, Selector};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const NOW: &str = "2026-11-16T00:00:00Z";

/// A history across a year's end: November 2025 to February 2026.
const ACROSS_NEW_YEAR: [&str; 8] = [
    "--sessions",
    "40",
    "--seed",
    "9",
    "--days",
    "100",
    "--end-date",
    "2026-02-20",
];

/// Runs the binary (clean environment: no user ledger) and returns (exit code, stderr).
fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = common::clean_ccrecap().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `wrapped` of `claude_dir` for `year`, written into a temporary directory: (HTML, SVG).
fn files(claude_dir: &Path, year: &str, extra: &[&str]) -> (String, String) {
    let out = tempfile::tempdir().unwrap();
    let (html, svg) = (out.path().join("w.html"), out.path().join("w.svg"));
    let mut args = vec![
        "--claude-dir",
        claude_dir.to_str().unwrap(),
        "--now",
        NOW,
        "-z",
        "UTC",
        "wrapped",
        "--year",
        year,
        "-O",
        html.to_str().unwrap(),
        "--svg",
        svg.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, err) = run(&args);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("w.html (") && err.contains("w.svg ("), "{err}");
    (
        std::fs::read_to_string(html).unwrap(),
        std::fs::read_to_string(svg).unwrap(),
    )
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

/// No reference out of the page: no source, no link but in-page anchors, no URL scheme or
/// protocol-relative reference anywhere, no CSS import or external `url()`, and a CSP that
/// forbids every load.
fn assert_no_external_reference(html: &str) {
    let doc = Html::parse_document(html);
    assert!(select(&doc, "[src]").is_empty(), "an element with a source");
    for el in select(&doc, "[href]") {
        let href = el.value().attr("href").unwrap();
        assert!(href.starts_with('#'), "a link out of the page: {href}");
    }
    for el in select(&doc, "*") {
        for (name, value) in el.value().attrs() {
            let v = value.trim_start().to_ascii_lowercase();
            assert!(
                !(v.starts_with("http:") || v.starts_with("https:") || v.starts_with("//")),
                "<{} {name}=\"{value}\">",
                el.value().name()
            );
        }
    }
    let lower = html.to_ascii_lowercase();
    for bad in ["http:", "https:", "@import", "<link", "<iframe", "<object"] {
        assert!(!lower.contains(bad), "{bad} in the page");
    }
    for (i, _) in lower.match_indices("url(") {
        assert!(
            lower[i..].starts_with("url(#"),
            "an external url(): {}",
            &html[i..i + 30]
        );
    }
    let csp = select(&doc, r#"meta[http-equiv="Content-Security-Policy"]"#);
    let csp = csp[0].value().attr("content").unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert_eq!(
        select(&doc, "script").len(),
        2,
        "the data and the sorting script"
    );
    assert_eq!(select(&doc, "h1").len(), 1);
}

/// A well-formed 1200×630 SVG that refers to nothing outside itself.
fn assert_card(svg: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(svg).expect("the card is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(root.attribute("width"), Some("1200"));
    assert_eq!(root.attribute("height"), Some("630"));
    assert_eq!(root.attribute("viewBox"), Some("0 0 1200 630"));
    for node in doc.descendants().filter(roxmltree::Node::is_element) {
        let name = node.tag_name().name();
        assert!(
            !["script", "image", "use", "foreignObject", "a", "style"].contains(&name),
            "<{name}> in the card"
        );
        for a in node.attributes() {
            assert!(!a.name().eq_ignore_ascii_case("href"), "{}", a.value());
            assert!(!a.value().contains("url("), "{}", a.value());
        }
    }
    doc
}

#[test]
fn wrapped_2026_writes_a_self_contained_page_and_a_well_formed_card() {
    let (claude, _) = generate(&common::CURRENT_ERA);
    let (html, svg) = files(claude.path(), "2026", &[]);
    assert_no_external_reference(&html);
    let doc = Html::parse_document(&html);
    // The calendar: a cell for every date of 2026, each with its tooltip.
    let cells = select(&doc, "figure.heat svg rect");
    assert_eq!(cells.len(), 365);
    assert!(cells.iter().all(|c| c.text().next().is_some()));
    let shaded = cells
        .iter()
        .filter(|c| c.value().attr("class") != Some("h0"))
        .count();
    let days = report(&["wrapped", "--claude-dir", claude.path().to_str().unwrap()]);
    assert_eq!(
        shaded as u64,
        days["wrapped"]["active_days"].as_u64().unwrap()
    );
    assert_eq!(select(&doc, "ol.tiers li").len(), 12);
    let card = assert_card(&svg);
    let text: String = card
        .descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("Claude Code 2026"), "{text}");
    assert!(text.contains("Longest streak") && text.contains("Busiest day"));
}

/// Date → (input, output, cache read, cache write, total, cost) of `daily --all`.
fn daily_rows(claude: &Path) -> BTreeMap<String, [f64; 6]> {
    let v = report(&["daily", "--all", "--claude-dir", claude.to_str().unwrap()]);
    let u = |d: &Value, k: &str| d[k].as_u64().unwrap() as f64;
    v["daily"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let row = [
                u(d, "inputTokens"),
                u(d, "outputTokens"),
                u(d, "cacheReadTokens"),
                u(d, "cacheCreationTokens"),
                u(d, "totalTokens"),
                d["totalCost"].as_f64().unwrap(),
            ];
            (d["date"].as_str().unwrap().to_string(), row)
        })
        .collect()
}

/// The `wrapped` section for `year` of a history.
fn wrapped(claude: &Path, year: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "wrapped",
        "--year",
        year,
        "--claude-dir",
        claude.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    report(&args)["wrapped"].clone()
}

#[test]
fn totals_are_daily_summed_over_the_year() {
    let (claude, _) = generate(&ACROSS_NEW_YEAR);
    let rows = daily_rows(claude.path());
    for year in ["2025", "2026"] {
        let w = wrapped(claude.path(), year, &[]);
        let days: Vec<(&String, &[f64; 6])> =
            rows.iter().filter(|(d, _)| d.starts_with(year)).collect();
        assert!(days.len() > 10, "{year}: {} days", days.len());
        let sum = |k: usize| days.iter().map(|(_, r)| r[k]).sum::<f64>();
        let c = &w["composition"];
        let t = |k: &str| c[k].as_u64().unwrap() as f64;
        assert_eq!(t("input_tokens"), sum(0), "{year}");
        assert_eq!(t("output_tokens"), sum(1), "{year}");
        assert_eq!(t("cache_read_tokens"), sum(2), "{year}");
        assert_eq!(t("cache_write_tokens"), sum(3), "{year}");
        assert_eq!(t("total_tokens"), sum(4), "{year}");
        let value = w["api_value_usd"].as_f64().unwrap();
        assert!(
            (value - sum(5)).abs() < 1e-6,
            "{year}: {value} vs {}",
            sum(5)
        );
        assert_eq!(w["active_days"].as_u64().unwrap(), days.len() as u64);
        // The months and the calendar add up to the year.
        let months: u64 = w["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["total_tokens"].as_u64().unwrap())
            .sum();
        assert_eq!(months as f64, sum(4));
        let cal = w["calendar"]["days"].as_array().unwrap();
        assert_eq!(cal.len(), days.len());
        for (c, (date, row)) in cal.iter().zip(&days) {
            assert_eq!(c["date"].as_str().unwrap(), date.as_str());
            assert_eq!(c["total_tokens"].as_u64().unwrap() as f64, row[4]);
        }
        // The busiest day is the daily row with the most tokens.
        let (busiest, _) = days
            .iter()
            .max_by(|a, b| a.1[4].total_cmp(&b.1[4]).then(b.0.cmp(a.0)))
            .unwrap();
        assert_eq!(w["busiest_day"]["date"].as_str().unwrap(), busiest.as_str());
        // Each month's tier is the quota card's over that month.
        for m in w["months"].as_array().unwrap() {
            let month = m["month"].as_str().unwrap();
            let Some(tier) = m["tier"].as_object() else {
                assert_eq!(m["total_tokens"], 0, "{month}");
                continue;
            };
            let first = format!("{month}-01");
            let last = chrono::NaiveDate::parse_from_str(&first, "%Y-%m-%d")
                .unwrap()
                .checked_add_months(chrono::Months::new(1))
                .unwrap()
                .pred_opt()
                .unwrap()
                .to_string();
            let card = report(&[
                "card",
                "--since",
                &first,
                "--until",
                &last,
                "--claude-dir",
                claude.path().to_str().unwrap(),
            ]);
            let t = &card["card"]["period"]["tier"];
            assert_eq!(tier["grade"], t["grade"], "{month}");
            let (a, b) = (
                tier["overhead_share"].as_f64().unwrap(),
                t["overhead_share"].as_f64().unwrap(),
            );
            assert!((a - b).abs() < 1e-9, "{month}: {a} vs {b}");
        }
    }
}

/// `a` and `b` hold the same values: integers and strings exactly, dollar amounts and
/// shares to 1e-9 (sums of the same numbers taken in another order).
fn assert_close(a: &Value, b: &Value, at: &str) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            assert_eq!(
                x.keys().collect::<Vec<_>>(),
                y.keys().collect::<Vec<_>>(),
                "{at}"
            );
            for (k, v) in x {
                assert_close(v, &y[k], &format!("{at}.{k}"));
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{at}");
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                assert_close(v, w, &format!("{at}[{i}]"));
            }
        }
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((x - y).abs() <= 1e-9 * x.abs().max(1.0), "{at}: {x} vs {y}");
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}

fn update_ledger(ledger: &Path, claude: &Path) {
    update(&UpdateOptions {
        dir: ledger.to_path_buf(),
        roots: vec![claude.join("projects")],
        machine: "laptop".into(),
        show_paths: false,
        max_line: 1 << 28,
    })
    .expect("the update succeeds");
}

#[test]
fn a_month_known_only_from_the_ledger_still_counts() {
    let (claude, _) = generate(&ACROSS_NEW_YEAR);
    let before = wrapped(claude.path(), "2026", &[]);
    let ledger = tempfile::tempdir().unwrap();
    update_ledger(ledger.path(), claude.path());
    // Claude Code's cleanup: every transcript last written before February goes, so
    // January 2026 is left in the ledger alone.
    let mut deleted = 0;
    for p in transcripts(&claude.path().join("projects")) {
        if last_timestamp(&p).is_some_and(|t| t.as_str() < "2026-02-01") {
            std::fs::remove_file(&p).unwrap();
            deleted += 1;
        }
    }
    assert!(deleted > 10, "only {deleted} files deleted");
    let total = |w: &Value| w["composition"]["total_tokens"].as_u64().unwrap();
    let without = wrapped(claude.path(), "2026", &[]);
    assert!(total(&without) < total(&before));
    let l = ledger.path().to_str().unwrap();
    let after = wrapped(claude.path(), "2026", &["--ledger", l]);
    for k in [
        "composition",
        "months",
        "calendar",
        "longest_streak",
        "busiest_day",
        "tier",
    ] {
        assert_close(&after[k], &before[k], k);
    }
    assert_eq!(after["subagents"]["runs"], before["subagents"]["runs"]);
    // The page says which months came from the ledger alone.
    let (html, _) = files(claude.path(), "2026", &["--ledger", l]);
    let doc = Html::parse_document(&html);
    let data: Value = serde_json::from_str(
        &select(&doc, "script#ccrecap-data")[0]
            .text()
            .collect::<String>(),
    )
    .unwrap();
    assert_eq!(data["ledger_only_months"], serde_json::json!(["2026-01"]));
    let text: String = doc.root_element().text().collect();
    assert!(text.contains("(2026-01) is known only from it"), "{text}");
}

#[test]
fn the_page_and_card_are_paste_safe_by_default() {
    let xss = common::fixture("xss");
    let (html, svg) = files(&xss, "2026", &[]);
    assert_no_external_reference(&html);
    assert_card(&svg);
    for file in [&html, &svg] {
        for private in ["/home/u", "-home-u-app", "fix it", "11111111-1111"] {
            assert!(!file.contains(private), "{private} in a shareable file");
        }
        assert!(!file.contains("<img"), "injected markup");
    }
    let doc = Html::parse_document(&html);
    assert!(select(&doc, "img").is_empty());
    for el in select(&doc, "*") {
        for (name, _) in el.value().attrs() {
            assert!(!name.starts_with("on"), "{name} on <{}>", el.value().name());
        }
    }
    // The hostile project name and model are there, as text.
    let text: String = doc.root_element().text().collect();
    assert!(
        text.contains("onload=alert(2)>"),
        "the project's display name"
    );
    assert!(text.contains("claude-</script><img src=x"), "the model");
    // --show-paths names the project by its working directory (still escaped).
    let (shown, svg) = files(&xss, "2026", &["--show-paths"]);
    let doc = Html::parse_document(&shown);
    let text: String = doc.root_element().text().collect();
    assert!(
        text.contains("/home/u/</script><img src=x"),
        "the working directory"
    );
    assert!(select(&doc, "img").is_empty());
    assert!(!svg.contains("/home/u"), "the card names no project");
}

#[test]
fn a_year_without_data_is_an_honest_empty_page() {
    let xss = common::fixture("xss");
    let (html, svg) = files(&xss, "2019", &[]);
    assert_no_external_reference(&html);
    let doc = Html::parse_document(&html);
    let h2: Vec<String> = select(&doc, "h2")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(h2, ["No Claude Code use in 2019", "Data and prices"]);
    let card = assert_card(&svg);
    assert!(
        card.descendants()
            .any(|n| n.text() == Some("No Claude Code use in 2019."))
    );
    let w = wrapped(&xss, "2019", &[]);
    assert_eq!(w["composition"]["total_tokens"], 0);
    assert_eq!(w["busiest_day"], Value::Null);
    assert_eq!(w["months"].as_array().unwrap().len(), 12);
}

#[test]
fn bad_years_and_window_flags_are_usage_errors() {
    let xss = common::fixture("xss");
    let dir = xss.to_str().unwrap();
    for (args, says) in [
        (vec!["wrapped", "--year", "26"], "four digits"),
        (vec!["wrapped", "--year", "20x6"], "four digits"),
        (vec!["wrapped", "--year", "1999"], "2000 or later"),
        (
            vec!["wrapped", "--year", "2026", "--since", "2026-01-01"],
            "--year YYYY instead",
        ),
        (vec!["wrapped", "--all"], "--year YYYY instead"),
        (
            vec!["wrapped", "--json", "-O", "x.html"],
            "drop -O and --svg",
        ),
        (
            vec!["wrapped", "-O", "-", "--svg", "-"],
            "both go to stdout",
        ),
    ] {
        let mut a = vec!["--claude-dir", dir];
        a.extend(args.iter().copied());
        let (code, err) = run(&a);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn the_default_year_is_nows_and_the_files_are_named_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::clean_ccrecap()
        .current_dir(dir.path())
        .args(["--demo", "wrapped"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("wrote ccrecap-wrapped-2026.html ("), "{err}");
    assert!(err.contains("wrote ccrecap-wrapped-2026.svg ("), "{err}");
    assert!(out.stdout.is_empty(), "files only");
    assert_card(&std::fs::read_to_string(dir.path().join("ccrecap-wrapped-2026.svg")).unwrap());
}

#[test]
fn the_demo_wrapped_section_matches_its_snapshot() {
    let v = report(&["--demo", "wrapped"]);
    insta::assert_json_snapshot!("demo_wrapped_json", v["wrapped"]);
}

#[test]
fn the_demo_card_matches_its_snapshot() {
    let _versionless = common::versionless_snapshots();
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("card.svg");
    let out = common::clean_ccrecap()
        .args(["--demo", "wrapped", "--svg", svg.to_str().unwrap(), "-O"])
        .arg(dir.path().join("page.html"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let svg = std::fs::read_to_string(svg).unwrap();
    assert_card(&svg);
    insta::assert_snapshot!("demo_wrapped_svg", svg);
}
