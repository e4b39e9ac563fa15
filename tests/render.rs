//! Every terminal view rendered in-process over the demo history at 60, 80 and 120
//! columns (insta snapshots), and the checks that hold at every width: no line is wider
//! than the width it was given (display columns, so wide characters count two), the
//! summary stays on one screen, and colour changes nothing but the escapes. The binary
//! itself is checked the same way through `COLUMNS`, stderr included.

use crate::common;

use ccrecap::cli::Cli;
use ccrecap::render::terminal::{Layout, TerminalOptions};
use clap::Parser;
use unicode_width::UnicodeWidthStr;

/// The views with a terminal layout: the summary (no subcommand) and every command that
/// prints one.
const VIEWS: [&str; 11] = [
    "",
    "card",
    "context",
    "subagents",
    "opus",
    "activity",
    "daily",
    "weekly",
    "monthly",
    "session",
    "blocks",
];
const WIDTHS: [usize; 3] = [60, 80, 120];

/// `ccrecap --demo <args>` rendered in-process at `width` columns.
fn view(args: &[&str], width: usize, color: bool, compact: bool) -> String {
    let mut argv = vec!["ccrecap", "--demo"];
    argv.extend(args.iter().filter(|a| !a.is_empty()));
    let cli = Cli::try_parse_from(argv).unwrap();
    let cfg = ccrecap::config::resolve(&cli).unwrap();
    let scan = ccrecap::scan_data(&cfg);
    let report = ccrecap::build_report(&cfg, &scan, ccrecap::pricing::Pricing::embedded());
    let opts = TerminalOptions {
        color,
        layout: Layout { width, compact },
        breakdown: cfg.breakdown,
        plan: None,
        ascii: false,
        show_projects: false,
        turns: None,
    };
    let mut out = Vec::new();
    ccrecap::output::show_terminal(cfg.command, &report, &opts, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn summary(width: usize, color: bool) -> String {
    view(&[], width, color, false)
}

/// Drops ANSI colour escapes.
fn plain(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The lines of `text` wider than `width` display columns (colour escapes aside).
fn too_wide(text: &str, width: usize) -> Vec<(usize, String)> {
    plain(text)
        .lines()
        .map(|l| (UnicodeWidthStr::width(l), l.to_string()))
        .filter(|(w, _)| *w > width)
        .collect()
}

#[test]
fn summary_at_three_widths_with_and_without_colour() {
    let _versionless = common::versionless_snapshots();
    for width in WIDTHS {
        let mono = summary(width, false);
        let colour = summary(width, true);
        assert_eq!(plain(&colour), mono, "colour only adds escapes");
        assert!(colour.contains('\u{1b}'));
        assert_eq!(too_wide(&mono, width.min(100)), vec![], "{width}");
        assert!(
            mono.lines().count() <= 40,
            "{width}: {} lines",
            mono.lines().count()
        );
        insta::assert_snapshot!(format!("summary_{width}"), mono);
        insta::assert_snapshot!(format!("summary_{width}_colour"), colour);
    }
}

#[test]
fn every_view_fits_60_80_and_120_columns() {
    let _versionless = common::versionless_snapshots();
    for name in VIEWS {
        for width in WIDTHS {
            let text = view(&[name], width, false, false);
            assert_eq!(too_wide(&text, width), vec![], "{name:?} at {width}");
            assert_eq!(
                too_wide(&view(&[name], width, true, false), width),
                vec![],
                "{name:?} at {width} in colour"
            );
            if !name.is_empty() {
                insta::assert_snapshot!(format!("{name}_{width}"), text);
            }
        }
    }
}

/// The heading row of the first table in `text` (the line starting with `first`).
fn heading<'a>(text: &'a str, first: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(&format!(" {first} ")))
        .unwrap_or_else(|| panic!("no {first} heading in {text}"))
}

#[test]
fn narrow_tables_name_what_they_hid_and_compact_forces_it() {
    let wide = view(&["daily"], 120, false, false);
    assert!(heading(&wide, "Date").contains("Cache Create"), "{wide}");
    assert!(!wide.contains("compact: hid"), "{wide}");
    let narrow = view(&["daily"], 60, false, false);
    let cols = heading(&narrow, "Date");
    assert!(!cols.contains("Cache Create"), "{narrow}");
    // The identifying column and the cost stay.
    assert!(
        cols.contains("Models") && cols.contains("Cost (USD)"),
        "{narrow}"
    );
    let note: String = narrow.split(" compact: hid ").nth(1).unwrap().into();
    let note = note.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        note.starts_with(
            "Input, Output, Cache Create, Cache Read (widen the terminal or use --json)"
        ),
        "{narrow}"
    );
    let forced = view(&["daily", "--compact"], 120, false, true);
    assert!(!heading(&forced, "Date").contains("Input"), "{forced}");
    assert!(
        forced.contains("(--compact; --json has every column)"),
        "{forced}"
    );
    let session = view(&["session"], 60, false, false);
    for kept in ["Session", "Project", "Last Activity"] {
        assert!(
            heading(&session, "Session").contains(kept),
            "{kept} in {session}"
        );
    }
}

/// What the binary prints on stdout and stderr with `COLUMNS=<width>` (a pipe).
fn run(args: &[&str], width: usize) -> (String, String) {
    let out = common::clean_ccrecap()
        .args(["--demo", "--color", "always"])
        .args(args.iter().filter(|a| !a.is_empty()))
        .env("COLUMNS", width.to_string())
        .assert()
        .success()
        .get_output()
        .clone();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_binary_fits_columns_on_stdout_and_stderr() {
    for name in VIEWS {
        for width in [60, 80] {
            let (stdout, stderr) = run(&[name], width);
            assert_eq!(too_wide(&stdout, width), vec![], "{name:?} at {width}");
            assert_eq!(too_wide(&stderr, width), vec![], "{name:?} at {width}");
        }
    }
}

#[test]
fn a_pipe_is_laid_out_in_120_columns() {
    let out = common::clean_ccrecap()
        .args(["--demo", "session"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(too_wide(&text, 120), vec![]);
    assert_eq!(text, view(&["session"], 120, false, false));
}
