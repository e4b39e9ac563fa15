//! Shell integration: the completion scripts of `ccrecap completions <shell>`
//! (clap_complete) and the roff man page of `ccrecap man` (clap_mangen), both generated
//! from the clap types in `cli.rs`, so they never drift from `--help`. Besides `cli.rs`
//! this is the only module that touches clap, and only to hand the command tree to the
//! generators. It reads no transcripts and no environment; it writes finished bytes to the
//! writer it is given.

use crate::cli::Cli;
use crate::options::Shell;
use clap::CommandFactory;
use std::io::{self, Write};

/// The binary name the scripts complete.
const BIN: &str = "ccrecap";

/// Writes the completion script for `shell`.
pub fn completions(shell: Shell, out: &mut impl Write) -> io::Result<()> {
    let generator = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
    };
    // clap_complete panics on a failed write; render to memory so a closed stdout is an
    // ordinary error (and exits 0 quietly).
    let mut buf = Vec::new();
    clap_complete::generate(generator, &mut Cli::command(), BIN, &mut buf);
    out.write_all(&buf)?;
    out.flush()
}

/// Writes the man page (section 1, roff), one self-contained page: synopsis,
/// description, the options of the full report (which every command that reads
/// transcripts shares), a COMMANDS section with each subcommand's synopsis, description
/// and own options (clap_mangen alone would point at `ccrecap-daily(1)` and other pages
/// that do not exist), then EXIT STATUS, ENVIRONMENT, FILES and EXAMPLES.
pub fn man(out: &mut impl Write) -> io::Result<()> {
    let cmd = Cli::command().disable_help_subcommand(true);
    let page = clap_mangen::Man::new(cmd.clone());
    let mut roff = Vec::new();
    page.render_title(&mut roff)?;
    page.render_name_section(&mut roff)?;
    page.render_synopsis_section(&mut roff)?;
    page.render_description_section(&mut roff)?;
    page.render_options_section(&mut roff)?;
    roff.extend_from_slice(b".SH COMMANDS\n");
    for (sub, common) in crate::cli::for_man() {
        command_section(sub, common, &mut roff)?;
    }
    roff.extend_from_slice(MAN_TAIL.as_bytes());
    page.render_version_section(&mut roff)?;
    out.write_all(&once_preamble(&String::from_utf8_lossy(&roff)).into_bytes())?;
    out.flush()
}

/// One subcommand under COMMANDS: synopsis, description, own options, and which common
/// options it takes.
fn command_section(sub: clap::Command, common: &str, roff: &mut Vec<u8>) -> io::Result<()> {
    let name = format!("{BIN} {}", sub.get_name());
    writeln!(roff, ".SS \"{}\"", name.replace('-', "\\-"))?;
    let sub = sub.bin_name(name).disable_help_flag(true);
    let page = clap_mangen::Man::new(sub.clone());
    let mut section = Vec::new();
    page.render_synopsis_section(&mut section)?;
    page.render_description_section(&mut section)?;
    if sub.get_arguments().any(|a| !a.is_hide_set()) {
        page.render_options_section(&mut section)?;
    }
    // Nested under .SS: drop the sections' own headings; the description becomes a
    // paragraph of its own under the synopsis.
    for line in String::from_utf8_lossy(&section).lines() {
        if line == ".SH DESCRIPTION" {
            roff.extend_from_slice(b".PP\n");
        } else if !line.starts_with(".SH ") {
            writeln!(roff, "{line}")?;
        }
    }
    writeln!(roff, ".PP\n{}", common.replace('-', "\\-"))
}

/// The sections after COMMANDS, in roff.
const MAN_TAIL: &str = r#".SH "EXIT STATUS"
.TP
0
The report was written (lines that were skipped are counted in a note on stderr).
.TP
1
An error: no transcripts where ccrecap looked, a file that could not be written, an I/O error.
.TP
2
A usage error: an unknown option or command, a bad date, time zone or \-\-days value, an unknown project.
.TP
3
With \-\-strict: the report was written, but a line was skipped or a file or directory could not be read.
.SH ENVIRONMENT
.TP
CLAUDE_CONFIG_DIR
Claude config directories to read (comma\-separated); \-\-claude\-dir overrides it.
.TP
XDG_CONFIG_HOME
Where the default $XDG_CONFIG_HOME/claude/projects is looked for (default ~/.config).
.TP
CCRECAP_PLAN
The default for \-\-plan (api, pro, max5, max20).
.TP
COLUMNS
The width to lay the terminal views out for.
.TP
NO_COLOR, FORCE_COLOR, CLICOLOR, CLICOLOR_FORCE, TERM
Whether to colour the output when \-\-color is auto.
.TP
TZ
The system time zone, the default for \-\-timezone.
.TP
LC_ALL, LC_CTYPE, LANG
Whether the locale is UTF\-8 (the card falls back to ASCII when it is not).
.SH FILES
.TP
~/.claude/projects/, $XDG_CONFIG_HOME/claude/projects/
The Claude Code transcripts read by default (*.jsonl, sub\-agents' agent\-*.jsonl and agent\-*.meta.json). ccrecap never writes there.
.TP
ccrecap\-<date>.html
The HTML recap, written in the current directory unless \-O says where.
.SH EXAMPLES
.TP
ccrecap
The one\-screen summary of the last 30 days.
.TP
ccrecap \-\-demo
The same on the demo history bundled in the binary.
.TP
ccrecap daily \-\-since 2026\-11\-01 \-\-breakdown
Usage and cost per day since a date, a row per model under each day.
.TP
ccrecap context \-\-days 7 \-\-project etl_jobs
What one project's tokens paid for over the last week.
.TP
ccrecap opus \-\-export\-config > settings.json
A suggested model setting, as JSON.
.TP
ccrecap html \-O recap.html
A shareable one\-file recap of the last 7 days.
.TP
ccrecap card \-\-weekly
A pasteable card of the last 7 days, with the change against the week before.
"#;

/// Every clap_mangen render starts with the same two-line roff preamble (the `Aq`
/// apostrophe string); the page needs it once, at the top.
fn once_preamble(roff: &str) -> String {
    let is_preamble = |l: &str| l.starts_with(".ie \\n(.g .ds Aq") || l.starts_with(".el .ds Aq");
    let preamble = roff.lines().take_while(|l| is_preamble(l));
    let mut page = String::with_capacity(roff.len());
    for line in preamble.chain(roff.lines().filter(|l| !is_preamble(l))) {
        page.push_str(line);
        page.push('\n');
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_naming_the_subcommands() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Powershell] {
            let mut out = Vec::new();
            completions(shell, &mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            for word in ["ccrecap", "daily", "subagents", "completions"] {
                assert!(text.contains(word), "{shell:?} lacks {word}");
            }
        }
    }

    #[test]
    fn man_page_is_roff_with_the_subcommands() {
        let mut out = Vec::new();
        man(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with(".ie") || text.contains(".TH ccrecap 1"),
            "{text}"
        );
        assert!(text.contains("daily") && text.contains("blocks"), "{text}");
        for section in ["EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"] {
            assert!(
                text.contains(&format!(".SH {section}"))
                    || text.contains(&format!(".SH \"{section}\"")),
                "{section}"
            );
        }
    }
}
