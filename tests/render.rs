//! The summary rendered in-process over the demo history at 60, 80 and 120 columns, with
//! and without colour (insta snapshots), and the checks that hold at every width: it fits,
//! it stays on one screen, and colour changes nothing but the escapes.

use crate::common;

use ccrecap::cli::Cli;
use ccrecap::render::terminal::TerminalOptions;
use clap::Parser;

fn summary(width: usize, color: bool) -> String {
    let cli = Cli::try_parse_from(["ccrecap", "--demo"]).unwrap();
    let cfg = ccrecap::config::resolve(&cli).unwrap();
    let scan = ccrecap::scan_data(&cfg);
    let report = ccrecap::build_report(&cfg, &scan, ccrecap::pricing::Pricing::embedded());
    let opts = TerminalOptions {
        color,
        width: Some(width),
        breakdown: false,
        plan: None,
        ascii: false,
        show_projects: false,
        turns: None,
    };
    let mut out = Vec::new();
    ccrecap::output::show_terminal(cfg.command, &report, &opts, &mut out).unwrap();
    String::from_utf8(out).unwrap()
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

#[test]
fn summary_at_three_widths_with_and_without_colour() {
    let _versionless = common::versionless_snapshots();
    for width in [60, 80, 120] {
        let mono = summary(width, false);
        let colour = summary(width, true);
        assert_eq!(plain(&colour), mono, "colour only adds escapes");
        assert!(colour.contains('\u{1b}'));
        let limit = width.min(100);
        for line in mono.lines() {
            assert!(line.chars().count() <= limit, "{width}: {line:?}");
        }
        assert!(
            mono.lines().count() <= 40,
            "{width}: {} lines",
            mono.lines().count()
        );
        insta::assert_snapshot!(format!("summary_{width}"), mono);
        insta::assert_snapshot!(format!("summary_{width}_colour"), colour);
    }
}
