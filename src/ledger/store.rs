//! The ledger on disk: a directory (mode 0700) of gzip'd JSON Lines segments, one per
//! month (`YYYY-MM.jsonl.gz`, mode 0600), the update state (`state.json`) and a lock file.
//! Owns reading and writing segments (atomically, fsynced, through `write::atomic`), the
//! lock that keeps concurrent updates apart, and the state of which transcript files were
//! read. It knows nothing about what a record means beyond its JSON shape.

use super::record::{Record, VERSION};
use crate::write::atomic::atomic;
use flate2::Compression;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Mode of every file the ledger writes.
pub const FILE_MODE: u32 = 0o600;
const SEGMENT_SUFFIX: &str = ".jsonl.gz";
const STATE: &str = "state.json";
const LOCK: &str = ".lock";

/// A segment file: its month (`YYYY-MM` or `undated`) and path.
#[derive(Clone, Debug)]
pub struct Segment {
    pub month: String,
    pub path: PathBuf,
    pub bytes: u64,
}

/// The segments of a ledger directory, by month (none when it does not exist).
pub fn segments(dir: &Path) -> io::Result<Vec<Segment>> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for e in entries {
        let e = e?;
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(month) = name.strip_suffix(SEGMENT_SUFFIX) else {
            continue;
        };
        if name.starts_with('.') || !e.file_type()?.is_file() {
            continue;
        }
        out.push(Segment {
            month: month.to_string(),
            path: e.path(),
            bytes: e.metadata()?.len(),
        });
    }
    out.sort_by(|a, b| a.month.cmp(&b.month));
    Ok(out)
}

/// The path of a month's segment.
pub fn segment_path(dir: &Path, month: &str) -> PathBuf {
    dir.join(format!("{month}{SEGMENT_SUFFIX}"))
}

/// A segment's JSON Lines, decompressed.
pub fn read_lines(path: &Path) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    MultiGzDecoder::new(io::BufReader::new(File::open(path)?)).read_to_end(&mut out)?;
    Ok(out)
}

/// The records of a segment's lines; lines that do not parse, or of a newer version, are
/// counted in the second value.
pub fn parse_lines(bytes: &[u8]) -> (Vec<Record>, u64) {
    let mut bad = 0;
    let mut out = Vec::new();
    for line in bytes.split(|&b| b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Record>(line) {
            Ok(r) if r.v <= VERSION && r.candidate().is_some() => out.push(r),
            _ => bad += 1,
        }
    }
    (out, bad)
}

/// Replaces a segment with `lines` (JSON Lines), gzip'd, atomically.
pub fn write_lines(path: &Path, lines: &[u8]) -> io::Result<()> {
    let mut gz = GzEncoder::new(Vec::with_capacity(lines.len() / 6), Compression::best());
    gz.write_all(lines)?;
    atomic(path, &gz.finish()?, FILE_MODE)
}

/// Creates the ledger directory (0700 on Unix) if needed.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// An exclusive lock on a ledger directory, held until dropped.
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Waits for the lock (another update running) and takes it.
    pub fn take(dir: &Path) -> io::Result<Lock> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK))?;
        lock_file(&file)?;
        Ok(Lock { _file: file })
    }
}

#[cfg(unix)]
fn lock_file(f: &File) -> io::Result<()> {
    use std::os::unix::io::AsRawFd;
    set_mode(f)?;
    // SAFETY: flock on a file descriptor we own; released when the file is closed.
    if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(unix)]
fn set_mode(f: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(fs::Permissions::from_mode(FILE_MODE))
}

#[cfg(not(unix))]
fn lock_file(f: &File) -> io::Result<()> {
    f.lock()
}

/// What `ledger update` remembers of each transcript file it read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileState {
    pub size: u64,
    pub mtime: i64,
    /// Months (`YYYY-MM`, UTC) the file held responses of.
    pub months: Vec<String>,
}

/// The update state: transcript path → what it was when last read.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct State {
    pub v: u32,
    pub files: BTreeMap<String, FileState>,
}

impl State {
    /// The state of `dir` (empty when missing or unreadable: every file is read again,
    /// which only costs time, since updates are idempotent).
    pub fn load(dir: &Path) -> State {
        fs::read(dir.join(STATE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, dir: &Path) -> io::Result<()> {
        let bytes = serde_json::to_vec(self).map_err(io::Error::other)?;
        atomic(&dir.join(STATE), &bytes, FILE_MODE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_round_trip_and_bad_lines_are_counted() {
        let dir = tempfile::tempdir().unwrap();
        let r = Record {
            v: 1,
            key: format!("r:{:032x}", 5),
            session: "s".into(),
            ..Record::default()
        };
        let mut lines = serde_json::to_vec(&r).unwrap();
        lines.extend_from_slice(b"\n{not json\n{\"v\":99,\"key\":\"r:1\"}\n");
        let path = segment_path(dir.path(), "2026-01");
        write_lines(&path, &lines).unwrap();
        let (recs, bad) = parse_lines(&read_lines(&path).unwrap());
        assert_eq!(recs, vec![r]);
        assert_eq!(bad, 2);
        let segs = segments(dir.path()).unwrap();
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].month, "2026-01");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_missing_ledger_has_no_segments() {
        assert!(
            segments(Path::new("/nonexistent/ledger"))
                .unwrap()
                .is_empty()
        );
    }
}
