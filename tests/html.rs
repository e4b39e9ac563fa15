//! The HTML recap: a snapshot of the demo's page, an XSS fixture whose every transcript
//! string is an injection payload (parsed with a real HTML parser: no injected element,
//! attribute, comment or script; the embedded JSON round-trips exactly), privacy by
//! default, how the file is written (name, mode, atomic, never into transcripts), and the
//! session drill-downs (`--sessions N`, `--session ID`, the page of one session).

#![allow(clippy::print_stderr)]

use crate::common;

use assert_cmd::Command;
use ccrecap::analyze::recap::{self, Recap};
use ccrecap::cli::Cli;
use clap::Parser;
use common::fixture;
use scraper::{Html, Node, Selector};
use std::path::Path;

const PAYLOAD: &str = "</script><img src=x onerror=alert(1)><!--<svg/onload=alert(2)>";
const NOW: &str = "2026-11-12T00:00:00Z";

fn bin() -> Command {
    let mut c = Command::cargo_bin("ccrecap").unwrap();
    c.env_remove("CLAUDE_CONFIG_DIR")
        .env("NO_COLOR", "1")
        .env("HOME", "/nonexistent");
    c
}

/// Writes the recap of `args` to `out` and returns the HTML.
fn html_of(args: &[&str], out: &Path) -> String {
    bin().args(args).arg("-O").arg(out).assert().success();
    std::fs::read_to_string(out).unwrap()
}

fn xss_args(show: bool) -> Vec<String> {
    let dir = fixture("xss");
    let mut a: Vec<String> = [
        "--claude-dir",
        dir.to_str().unwrap(),
        "--all",
        "--now",
        NOW,
        "-z",
        "UTC",
        "html",
    ]
    .iter()
    .map(std::string::ToString::to_string)
    .collect();
    if show {
        a.push("--show-paths".into());
        a.push("--show-prompts".into());
    }
    a
}

/// The recap the library builds for the same arguments (what the page must embed).
fn recap_of(args: &[String]) -> Recap {
    let cli =
        Cli::try_parse_from(std::iter::once("ccrecap".to_string()).chain(args.iter().cloned()))
            .unwrap();
    let cfg = ccrecap::config::resolve(&cli).unwrap();
    assert_eq!(cfg.command.name, "html", "not an html command");
    let privacy = ccrecap::output::privacy(&cfg.options);
    let (_, report) = ccrecap::scan_and_report(&cfg).unwrap();
    recap::build(&report, privacy).unwrap()
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn the_demo_recap_matches_its_snapshot() {
    let _versionless = common::versionless_snapshots();
    let dir = tempfile::tempdir().unwrap();
    let html = html_of(&["--demo", "html"], &dir.path().join("r.html"));
    insta::assert_snapshot!("demo_recap_html", html);
}

/// No element, attribute, comment or script came from the payload, and only the page's
/// own two scripts are there.
fn assert_inert(doc: &Html) {
    assert!(select(doc, "img").is_empty(), "an injected <img>");
    for el in select(doc, "*") {
        for (name, _) in el.value().attrs() {
            assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "event handler attribute {name} on <{}>",
                el.value().name()
            );
        }
    }
    let comments = doc
        .tree
        .nodes()
        .filter(|n| matches!(n.value(), Node::Comment(_)))
        .count();
    assert_eq!(
        comments, 0,
        "an injected comment swallowed part of the page"
    );
    let scripts = select(doc, "script");
    assert_eq!(
        scripts.len(),
        2,
        "only the data block and the sorting script"
    );
    assert_eq!(
        scripts[1].text().collect::<String>(),
        ccrecap::render::html::SCRIPT
    );
    assert!(scripts.iter().all(|s| s.value().attr("src").is_none()));
    assert_eq!(select(doc, "footer").len(), 1);
    assert_eq!(select(doc, "h1").len(), 1);
}

/// Nothing the page names lies outside it: links are in-page anchors, nothing has a
/// source, no URL is written anywhere.
fn assert_self_contained(html: &str, doc: &Html) {
    for el in select(doc, "[href]") {
        let href = el.value().attr("href").unwrap();
        assert!(href.starts_with('#'), "a link out of the page: {href}");
        assert_eq!(select(doc, href).len(), 1, "a link to nowhere: {href}");
    }
    assert!(select(doc, "[src]").is_empty());
    for scheme in ["http:", "https:", "//"] {
        assert!(
            !html.contains(&format!("=\"{scheme}")),
            "{scheme} reference"
        );
    }
}

#[test]
fn injected_markup_stays_text_and_the_data_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let args = xss_args(true);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let html = html_of(&argv, &dir.path().join("x.html"));
    let doc = Html::parse_document(&html);
    assert_inert(&doc);
    // The page is whole: every section, the footer after them, one h1.
    assert_eq!(select(&doc, "main > section").len(), 10);
    // The payload is shown as text (paths and prompts were opted in).
    let text: String = doc.root_element().text().collect();
    assert!(text.contains(PAYLOAD), "the payload is visible as text");

    // The embedded JSON is exactly the recap.
    let data = select(&doc, "script#ccrecap-data");
    assert_eq!(data[0].value().attr("type"), Some("application/json"));
    let embedded: serde_json::Value =
        serde_json::from_str(&data[0].text().collect::<String>()).unwrap();
    let expected = serde_json::to_value(recap_of(&args)).unwrap();
    assert_eq!(embedded, expected);
    assert!(
        embedded.to_string().contains(PAYLOAD),
        "the JSON carries the payload verbatim"
    );
}

#[test]
fn drill_downs_keep_injected_markup_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = xss_args(true);
    args.extend(["--sessions".to_string(), "5".to_string()]);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let html = html_of(&argv, &dir.path().join("x.html"));
    let doc = Html::parse_document(&html);
    assert_inert(&doc);
    assert_self_contained(&html, &doc);
    let sections = select(&doc, "section.drill");
    assert_eq!(sections.len(), 2, "both sessions of the fixture");
    assert_eq!(select(&doc, "main > section").len(), 12);
    let drill: String = sections[0].text().collect();
    for what in [PAYLOAD, "API error 500", "compaction", "cache expired"] {
        assert!(drill.contains(what), "{what} missing from the section");
    }
    let tree: String = select(&doc, "section.drill .tree")[0].text().collect();
    assert!(tree.contains(PAYLOAD), "the sub-agent's type, as text");
    let data = select(&doc, "script#ccrecap-data");
    let embedded: serde_json::Value =
        serde_json::from_str(&data[0].text().collect::<String>()).unwrap();
    assert_eq!(embedded, serde_json::to_value(recap_of(&args)).unwrap());
}

#[test]
fn sessions_n_adds_n_anchored_sections_linked_from_the_recap() {
    let dir = tempfile::tempdir().unwrap();
    let html = html_of(
        &["--demo", "--all", "html", "--sessions", "5"],
        &dir.path().join("s.html"),
    );
    let doc = Html::parse_document(&html);
    assert_self_contained(&html, &doc);
    let anchored = select(&doc, "[id^='session-']");
    assert_eq!(anchored.len(), 5, "five session-… anchors");
    let ids: Vec<&str> = anchored.iter().map(|e| e.value().id().unwrap()).collect();
    for id in &ids {
        assert_eq!(id.len(), "session-".len() + 8, "{id}");
        let href = format!("#{id}");
        let links = select(&doc, &format!("a[href='{href}']"));
        assert!(links.len() >= 2, "{id}: the recap's rows link to it");
    }
    // The heaviest-sessions table links every row (they are the five sections).
    let rows = select(
        &doc,
        "section[aria-labelledby='h-context'] table.sortable tbody tr",
    );
    assert_eq!(rows.len(), 5);
    for r in rows {
        assert_eq!(r.select(&Selector::parse("a").unwrap()).count(), 1);
    }
    // Each section: a chart that is an image with its numbers, turns, sub-agents, events.
    for s in select(&doc, "section.drill") {
        let sel = |css: &str| s.select(&Selector::parse(css).unwrap()).count();
        assert_eq!(sel("figure > svg[role='img']"), 1);
        assert!(sel("table caption") >= 2);
        assert_eq!(sel("h3"), 3);
        assert_eq!(sel("p.lever"), 1);
    }
    let csp = select(&doc, r#"meta[http-equiv="Content-Security-Policy"]"#)[0]
        .value()
        .attr("content")
        .unwrap()
        .to_string();
    assert_eq!(csp, ccrecap::render::html::csp());
}

#[test]
fn one_session_alone_is_a_redacted_page_that_says_what_it_hid() {
    let dir = tempfile::tempdir().unwrap();
    let id = "11111111-1111-4111-8111-111111111111";
    let mut args = xss_args(false);
    args.extend(["--session".to_string(), id.to_string()]);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let html = html_of(&argv, &dir.path().join("one.html"));
    let doc = Html::parse_document(&html);
    assert_inert(&doc);
    assert_self_contained(&html, &doc);
    assert_eq!(select(&doc, "section.drill").len(), 1);
    assert_eq!(select(&doc, "#session-11111111").len(), 1);
    assert!(select(&doc, "#h-kpis").is_empty(), "not the whole recap");
    let banner: String = select(&doc, "#privacy")[0].text().collect();
    assert!(banner.contains("Redacted for sharing"), "{banner}");
    assert!(banner.contains("--show-paths") && banner.contains("--show-prompts"));
    for secret in ["/home/u/", "fix it", "echo '", "/tmp/"] {
        assert!(!html.contains(secret), "{secret:?} leaked");
    }
    // The texts that end with the payload's `>` then a word: escaped, raw or in JSON.
    for word in [" failed", " review", " again"] {
        for gt in ["&gt;", ">", "\\u003e"] {
            assert!(!html.contains(&format!("{gt}{word}")), "{word:?} leaked");
        }
    }
    assert!(!html.contains(id), "the full session id stays out");
    let csp = select(&doc, r#"meta[http-equiv="Content-Security-Policy"]"#);
    assert_eq!(
        csp[0].value().attr("content"),
        Some(ccrecap::render::html::csp().as_str())
    );
    // Asked for, everything is shown, and still inert.
    let mut shown = xss_args(true);
    shown.extend(["--session".to_string(), "1111".to_string()]);
    let argv: Vec<&str> = shown.iter().map(String::as_str).collect();
    bin()
        .args(&argv)
        .arg("-O")
        .arg(dir.path().join("x.html"))
        .assert()
        .code(2);
    shown.pop();
    shown.push(id.to_string());
    let argv: Vec<&str> = shown.iter().map(String::as_str).collect();
    let html = html_of(&argv, &dir.path().join("all.html"));
    let doc = Html::parse_document(&html);
    assert_inert(&doc);
    let text: String = doc.root_element().text().collect();
    assert!(text.contains(PAYLOAD) && text.contains("Not redacted"));
}

#[test]
fn every_chart_is_an_image_with_a_title_and_its_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let html = html_of(&["--demo", "html", "--all"], &dir.path().join("r.html"));
    let doc = Html::parse_document(&html);
    let charts = select(&doc, "figure > svg");
    assert!(charts.len() >= 4);
    // The bar charts are lists of text labels: a name, each bar's value as text, and
    // the bars themselves hidden from screen readers.
    let bar_charts = select(&doc, "figure > ol.hbars");
    assert_eq!(bar_charts.len(), 2);
    for list in &bar_charts {
        assert!(list.value().attr("aria-label").is_some());
    }
    for bar in select(&doc, "ol.hbars > li") {
        let text: String = bar.text().collect();
        assert!(text.contains('$'), "{text}");
        assert!(bar.value().attr("title").is_some());
    }
    for svg in select(&doc, "ol.hbars svg") {
        assert_eq!(svg.value().attr("aria-hidden"), Some("true"));
    }
    for svg in charts {
        assert_eq!(svg.value().attr("role"), Some("img"));
        let labels = svg.value().attr("aria-labelledby").unwrap();
        for id in labels.split(' ') {
            assert_eq!(select(&doc, &format!("#{id}")).len(), 1, "label {id}");
        }
    }
    assert_eq!(select(&doc, "table").len(), select(&doc, "caption").len());
    let csp = select(&doc, r#"meta[http-equiv="Content-Security-Policy"]"#);
    assert!(
        csp[0]
            .value()
            .attr("content")
            .unwrap()
            .starts_with("default-src 'none'")
    );
    assert_eq!(
        select(&doc, r#"meta[name="referrer"]"#)[0]
            .value()
            .attr("content"),
        Some("no-referrer")
    );
}

#[test]
fn paths_and_prompts_are_redacted_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let args = xss_args(false);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let html = html_of(&argv, &dir.path().join("p.html"));
    for secret in ["/home/u/", "fix it", "echo '", "failed", "/tmp/"] {
        assert!(!html.contains(secret), "{secret:?} leaked");
        assert!(
            !html.contains(&secret.replace('/', "&#x2f;")),
            "{secret:?} leaked (escaped)"
        );
    }
    let doc = Html::parse_document(&html);
    let note: String = select(&doc, "#privacy")[0].text().collect();
    assert!(note.contains("--show-paths") && note.contains("--show-prompts"));
}

#[test]
fn writes_the_default_file_with_mode_0600() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .current_dir(dir.path())
        .args(["--demo", "html"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("wrote ccrecap-2026-11-15.html"), "{stderr}");
    assert!(out.get_output().stdout.is_empty(), "nothing on stdout");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.path().join("ccrecap-2026-11-15.html");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp file left"
    );
}

#[cfg(unix)]
#[test]
fn file_mode_sets_the_permissions_and_mode_is_the_cost_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.html");
    bin()
        .args([
            "--demo",
            "--mode",
            "calculate",
            "html",
            "--file-mode",
            "0644",
        ])
        .args(["--file-mode", "644", "-O"])
        .arg(&path)
        .assert()
        .success();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
    let usage_errors: &[&[&str]] = &[
        // `--mode` is the cost mode only.
        &["--mode", "0644", "html"],
        &["html", "--file-mode", "0999"],
        &["html", "--file-mode", "calculate"],
        // Given twice with different values.
        &["--mode", "calculate", "--mode", "display", "html"],
        &["--mode", "calculate", "html", "--mode", "display"],
        &["html", "--file-mode", "0644", "--file-mode", "0600"],
        // Only the commands that write a file take a file mode.
        &["daily", "--file-mode", "0644"],
    ];
    for args in usage_errors {
        let out = bin()
            .current_dir(dir.path())
            .arg("--demo")
            .args(*args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // The same value twice is one value.
    let json = bin()
        .args([
            "--demo", "--mode", "display", "daily", "--json", "--mode", "display",
        ])
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["pricing"]["cost_mode"], "display", "{}", v["pricing"]);
}

#[test]
fn never_writes_into_the_transcripts_directory() {
    let dir = tempfile::tempdir().unwrap();
    let projects = dir.path().join("projects").join("-p");
    std::fs::create_dir_all(&projects).unwrap();
    let out = projects.join("r.html");
    let run = bin()
        .arg("--claude-dir")
        .arg(dir.path())
        .args(["html", "-O"])
        .arg(&out)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(stderr.contains("transcripts directory"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn html_with_json_is_a_usage_error() {
    bin().args(["--demo", "html", "--json"]).assert().code(2);
}
