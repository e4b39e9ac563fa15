//! The ledger: a private, compact, versioned history of every API response, kept beside
//! the transcripts Claude Code deletes after `cleanupPeriodDays`, and merged back into
//! every report by the one dedupe rule (see docs/ledger.md for the format). `update`
//! appends what the transcripts hold and the ledger lacks; `read` turns ledgers (this
//! machine's and copies from others) into the scanner's lines; `status` says what a ledger
//! covers. Nothing here prints or parses arguments.

pub mod read;
pub mod record;
pub mod status;
pub mod store;
pub mod update;

use std::path::PathBuf;

/// The default ledger directory: `$CCRECAP_LEDGER_DIR`, else `ccrecap/ledger` in the
/// platform's data directory (`$XDG_DATA_HOME`, `~/.local/share` on Linux).
pub fn default_dir(env_dir: Option<PathBuf>, data_dir: Option<PathBuf>) -> Option<PathBuf> {
    env_dir
        .filter(|p| !p.as_os_str().is_empty())
        .or_else(|| data_dir.map(|d| d.join("ccrecap").join("ledger")))
}

/// This machine's name, for records' `machine` label when `--machine` does not say.
pub fn host_name() -> String {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is writable for its whole length.
        let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
        if rc == 0 {
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            let name = String::from_utf8_lossy(&buf[..end]).trim().to_string();
            if !name.is_empty() {
                return name;
            }
        }
    }
    std::env::var("COMPUTERNAME").unwrap_or_else(|_| "unknown".to_string())
}

/// A Claude Code `SessionEnd` hook (for `settings.json`) and a crontab line that keep the
/// ledger current, for `exe`.
pub fn hook_text(exe: &str) -> String {
    let cmd = format!("{} ledger update --quiet", shell_quote(exe));
    let hook = serde_json::json!({
        "hooks": {
            "SessionEnd": [
                { "hooks": [ { "type": "command", "command": cmd } ] }
            ]
        }
    });
    format!(
        "# Claude Code settings.json (~/.claude/settings.json): merge this \"hooks\" entry\n{}\n\n# crontab -e: every hour, for sessions that ended without the hook\n17 * * * * {cmd} >/dev/null 2>&1\n",
        serde_json::to_string_pretty(&hook).unwrap_or_default()
    )
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+:".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hook_is_valid_json_and_quotes_the_path() {
        let text = hook_text("/opt/my tools/ccrecap");
        let json: String = text.lines().skip(1).take_while(|l| !l.is_empty()).collect();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let cmd = v["hooks"]["SessionEnd"][0]["hooks"][0]["command"]
            .as_str()
            .unwrap();
        assert_eq!(cmd, "'/opt/my tools/ccrecap' ledger update --quiet");
        assert!(text.contains("17 * * * * '/opt/my tools/ccrecap' ledger update"));
    }

    #[test]
    fn the_default_dir_follows_the_environment() {
        let d = default_dir(None, Some(PathBuf::from("/d")));
        assert_eq!(d, Some(PathBuf::from("/d/ccrecap/ledger")));
        let e = default_dir(Some(PathBuf::from("/e")), Some(PathBuf::from("/d")));
        assert_eq!(e, Some(PathBuf::from("/e")));
    }
}
