//! The quota snapshot file (`quota.jsonl` in the state directory), the only state ccrecap
//! keeps today: one JSON object per line (`model::quota::QuotaSnapshot`). `record` appends
//! a snapshot only when a value changed since the last line, in one `O_APPEND` write of a
//! whole line (mode 0600); past `MAX_BYTES` the file is compacted to its newest lines by
//! an atomic rewrite. It refuses a path inside a transcripts directory. Malformed lines
//! are skipped and counted, never fatal.

use crate::model::quota::QuotaSnapshot;
use crate::write::state;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Past this size the file is compacted.
pub const MAX_BYTES: u64 = 4 << 20;
/// What compaction keeps: the newest lines up to this many bytes.
const KEEP_BYTES: usize = 2 << 20;
/// The file's permission bits.
pub const MODE: u32 = 0o600;

/// The snapshots on file, oldest first, and how many lines were unreadable.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub snapshots: Vec<QuotaSnapshot>,
    pub malformed: u64,
}

/// Reads the file; a missing file is an empty history.
pub fn load(path: &Path) -> io::Result<Loaded> {
    let text = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Loaded::default()),
        Err(e) => return Err(e),
    };
    Ok(parse(&text))
}

fn parse(text: &[u8]) -> Loaded {
    let mut out = Loaded::default();
    for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        match serde_json::from_slice::<QuotaSnapshot>(line) {
            Ok(s) => out.snapshots.push(s),
            Err(_) => out.malformed += 1,
        }
    }
    out.snapshots.sort_by_key(|s| s.at);
    out
}

/// What `record` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    Appended,
    /// The last snapshot says the same.
    Unchanged,
    /// The file was over `MAX_BYTES` and was compacted before the append.
    Compacted,
}

/// Appends `snap` unless the last line on file says the same; refuses a `path` under any
/// of `protected` (the transcripts directories).
pub fn record(path: &Path, snap: &QuotaSnapshot, protected: &[PathBuf]) -> io::Result<Recorded> {
    if protected.iter().any(|p| path.starts_with(p)) {
        return Err(io::Error::other(format!(
            "{} is inside a transcripts directory; not recording",
            path.display()
        )));
    }
    let (last, len) = last_line(path)?;
    if last.is_some_and(|l| l.same_values(snap)) {
        return Ok(Recorded::Unchanged);
    }
    let mut line = serde_json::to_vec(snap).map_err(io::Error::other)?;
    line.push(b'\n');
    if len + line.len() as u64 > MAX_BYTES {
        let mut kept = compacted(&std::fs::read(path)?);
        kept.extend_from_slice(&line);
        state::rewrite(path, &kept, MODE)?;
        return Ok(Recorded::Compacted);
    }
    state::append_line(path, &line, MODE)?;
    Ok(Recorded::Appended)
}

/// The newest whole lines of `text`, at most `KEEP_BYTES`.
fn compacted(text: &[u8]) -> Vec<u8> {
    if text.len() <= KEEP_BYTES {
        return text.to_vec();
    }
    let from = text.len() - KEEP_BYTES;
    let start = memchr::memchr(b'\n', &text[from..]).map_or(text.len(), |i| from + i + 1);
    text[start..].to_vec()
}

/// The last parseable snapshot among the file's last few KiB, and the file's length.
fn last_line(path: &Path) -> io::Result<(Option<QuotaSnapshot>, u64)> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((None, 0)),
        Err(e) => return Err(e),
    };
    let len = file.metadata()?.len();
    let from = len.saturating_sub(8192);
    file.seek(SeekFrom::Start(from))?;
    let mut tail = Vec::new();
    file.read_to_end(&mut tail)?;
    let last = tail
        .split(|&b| b == b'\n')
        .rev()
        .find_map(|l| serde_json::from_slice::<QuotaSnapshot>(l).ok());
    Ok((last, len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::quota::WindowUse;

    fn snap(at: i64, five: f64, seven: f64) -> QuotaSnapshot {
        QuotaSnapshot {
            at,
            five_hour: Some(WindowUse {
                used_percentage: five,
                resets_at: 1_800_000_000,
            }),
            seven_day: Some(WindowUse {
                used_percentage: seven,
                resets_at: 1_800_300_000,
            }),
        }
    }

    #[test]
    fn appends_only_when_a_value_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ccrecap/quota.jsonl");
        assert_eq!(
            record(&path, &snap(1, 10.0, 40.0), &[]).unwrap(),
            Recorded::Appended
        );
        assert_eq!(
            record(&path, &snap(2, 10.0, 40.0), &[]).unwrap(),
            Recorded::Unchanged
        );
        assert_eq!(
            record(&path, &snap(3, 11.0, 40.0), &[]).unwrap(),
            Recorded::Appended
        );
        let l = load(&path).unwrap();
        assert_eq!(l.snapshots.iter().map(|s| s.at).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(l.malformed, 0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn the_file_stays_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("quota.jsonl");
        let mut compactions = 0;
        for i in 0..60_000 {
            let r = record(&path, &snap(i, (i % 100) as f64, 40.0), &[]).unwrap();
            compactions += u32::from(r == Recorded::Compacted);
        }
        let len = std::fs::metadata(&path).unwrap().len();
        assert!(
            compactions >= 1 && len <= MAX_BYTES,
            "{len} bytes, {compactions}"
        );
        let l = load(&path).unwrap();
        assert_eq!(l.malformed, 0, "compaction keeps whole lines");
        assert_eq!(l.snapshots.last().unwrap().at, 59_999);
    }

    #[test]
    fn refuses_a_transcripts_directory_and_skips_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("projects");
        let err = record(&root.join("q.jsonl"), &snap(1, 1.0, 1.0), &[root]).unwrap_err();
        assert!(err.to_string().contains("transcripts"));
        let l = parse(b"{\"at\":5}\nnot json\n{\"at\":2,\"five_hour\":{\"used_percentage\":3.5,\"resets_at\":9}}\n");
        assert_eq!(
            (l.snapshots.len(), l.malformed, l.snapshots[0].at),
            (2, 1, 2)
        );
    }
}
