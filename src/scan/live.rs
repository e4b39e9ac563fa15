//! The scan's incremental front end, for live views (`watch`): it keeps, per file, the
//! parser as it stood after the last complete line it read and, on each `refresh`, reads
//! only the bytes appended since, through the same `FileParser` a full scan uses; `scan`
//! then merges the files' partials through the same `assemble` (the one dedupe rule, the
//! one model). The totals after any sequence of appends are a fresh scan's by
//! construction, and the property tests hold it to that.
//!
//! - A torn last line (no `\n` yet) is parsed on a copy of the parser, as a full scan
//!   would parse it now, and read again next time.
//! - A file that shrank, was replaced (another inode) or changed before the point read
//!   up to (its last bytes there differ) is read again from the start: its contribution
//!   is replaced, never added to.
//! - Files the discovery no longer lists drop out; new files are read whole.
//! - A file whose size, mtime and inode are unchanged is not read again; one whose mtime
//!   was over a second old when it was read is not even opened again while the discovery
//!   lists the same size and mtime. (A replacement that keeps size and mtime, such as a
//!   copy preserving times, goes unnoticed until the file changes again.) Sidecars
//!   already read are looked at again every `META_EVERY` refreshes.
//!
//! Which files exist is the caller's discovery, passed to every `refresh`.

use super::discover::{Discovery, Found};
use super::parse::FileParser;
use super::read::{self, Piece};
use super::{Files, Meta, ReadOptions, Scan, assemble_with, count_open_error, merged, read_meta};
use crate::model::diagnostics::Diagnostics;
use crate::model::record::FilePartial;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::PathBuf;

/// Bytes before the read offset remembered to notice a file rewritten in place.
const CHECK_BYTES: u64 = 64;

/// The files of a live view and what each has contributed so far.
pub struct Follower {
    opts: ReadOptions,
    files: HashMap<PathBuf, Tracked>,
    /// The last discovery: the files in path order, and the sub-agent sidecars.
    found: Discovery,
    /// Sub-agent sidecars read so far, with the version each was read at.
    metas: HashMap<PathBuf, (Stamp, Option<Meta>)>,
    buf: Vec<u8>,
    refreshes: u64,
}

/// A version of a file: device and inode, length, modification time (ns).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    dev: u64,
    ino: u64,
    len: u64,
    mtime: i128,
}

/// One file as read so far.
struct Tracked {
    stamp: Stamp,
    /// Where the line after the last complete line read starts.
    done: u64,
    /// The bytes just before `done` (at most `CHECK_BYTES`).
    check: Vec<u8>,
    /// The parser after every complete line before `done`.
    parser: FileParser,
    /// The file's contribution when it ends in a torn line: `parser`'s copy after it.
    torn: Option<(FilePartial, Diagnostics)>,
    /// Set when the file could not be opened or read this time (its contribution is then
    /// nothing but this count, and it is read from the start once it can be).
    failed: Option<Diagnostics>,
    /// Size and mtime (ms) the discovery listed when it was last read, and whether its
    /// mtime was then over `QUIET_NS` old: such a file is not opened again until the
    /// discovery lists another size or mtime (a change within the same millisecond as
    /// the mtime seen is impossible once that millisecond is past).
    listed: Option<(u64, i64)>,
}

/// How old a file's mtime must be, when read, for its listing to vouch for it.
const QUIET_NS: i128 = 1_000_000_000;
/// Refreshes between two looks at sidecars already read.
const META_EVERY: u64 = 16;

impl Follower {
    pub fn new(opts: ReadOptions) -> Follower {
        Follower {
            opts,
            files: HashMap::new(),
            found: Discovery::default(),
            metas: HashMap::new(),
            buf: Vec::new(),
            refreshes: 0,
        }
    }

    /// Brings every file of `found` up to date, reading only what changed. Returns whether
    /// anything did (a file appended to, replaced, new or gone, a sidecar changed).
    pub fn refresh(&mut self, found: Discovery) -> bool {
        let mut changed = !same_files(&self.found, &found);
        for f in &found.files {
            changed |= self.update(f);
        }
        let before = self.files.len();
        self.files
            .retain(|path, _| found.files.binary_search_by(|f| f.path.cmp(path)).is_ok());
        changed |= self.files.len() != before;
        self.refreshes += 1;
        let look = !same_metas(&self.found, &found) || self.refreshes % META_EVERY == 1;
        if self.opts.detail == super::Detail::Full && look {
            changed |= self.update_metas(&found);
        }
        self.found = found;
        changed
    }

    /// The model as a fresh scan of the files now would build it. `diag` holds the
    /// discovery's counts.
    pub fn scan(&self, mut diag: Diagnostics) -> Scan {
        let results = self
            .found
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let (partial, d) = match self.files.get(&f.path) {
                    Some(t) => t.contribution(),
                    None => empty(f, Diagnostics::default()),
                };
                (i, partial, d)
            })
            .collect();
        let metas: Vec<Meta> = self
            .found
            .meta
            .iter()
            .filter_map(|m| self.metas.get(&m.path)?.1.clone())
            .collect();
        let results = merged(results, &mut diag);
        assemble_with(
            Files::Borrowed(&self.found.files),
            results,
            &metas,
            diag,
            super::Extra::default(),
        )
    }

    /// Reads what is new in `f`; returns whether its contribution changed.
    fn update(&mut self, f: &Found) -> bool {
        if self
            .files
            .get(&f.path)
            .is_some_and(|t| t.failed.is_none() && t.listed == Some((f.size, f.mtime)))
        {
            return false;
        }
        let opened = match f.embedded {
            Some(bytes) => Ok(Source::Bytes(bytes)),
            None => read::open_regular(&f.path).map(|(file, len)| Source::File(file, len)),
        };
        let source = match opened {
            Ok(s) => s,
            Err(e) => {
                let mut d = Diagnostics::default();
                count_open_error(&mut d, &e, &f.path);
                return self.fail(f, d);
            }
        };
        let stamp = source.stamp();
        if self
            .files
            .get(&f.path)
            .is_some_and(|t| t.failed.is_none() && t.stamp == stamp)
        {
            return false;
        }
        let mut t = match self.files.remove(&f.path) {
            Some(t) if t.continues(&source, stamp) => t,
            _ => Tracked::new(f, self.opts),
        };
        if t.read(source, stamp, self.opts, &mut self.buf).is_ok() {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as i128);
            let quiet = f.embedded.is_some() || t.stamp.mtime < now - QUIET_NS;
            t.listed = quiet.then_some((f.size, f.mtime));
            self.files.insert(f.path.clone(), t);
            return true;
        }
        let mut d = Diagnostics::default();
        d.unreadable_files += 1;
        d.note_problem_path(&f.path);
        self.fail(f, d)
    }

    /// Records that `f` could not be read this time; returns whether that is news.
    fn fail(&mut self, f: &Found, d: Diagnostics) -> bool {
        let mut t = Tracked::new(f, self.opts);
        let news = self
            .files
            .get(&f.path)
            .is_none_or(|old| old.failed.as_ref() != Some(&d));
        t.failed = Some(d);
        self.files.insert(f.path.clone(), t);
        news
    }

    /// Reads the sidecars that are new or changed; returns whether any was.
    fn update_metas(&mut self, found: &Discovery) -> bool {
        let mut changed = false;
        let mut seen = HashMap::new();
        for m in &found.meta {
            let stamp = match m.embedded {
                Some(bytes) => Some(Source::Bytes(bytes).stamp()),
                None => std::fs::metadata(&m.path).ok().map(|md| stamp_of(&md)),
            };
            let Some(stamp) = stamp else { continue };
            let entry = match self.metas.remove(&m.path) {
                Some((old, meta)) if old == stamp => (old, meta),
                _ => {
                    changed = true;
                    (stamp, read_meta(m).map(|w| (m.agent_id.clone(), w)))
                }
            };
            seen.insert(m.path.clone(), entry);
        }
        changed |= !self.metas.is_empty();
        self.metas = seen;
        changed
    }
}

/// Whether two discoveries list the same sidecars.
fn same_metas(a: &Discovery, b: &Discovery) -> bool {
    a.meta.len() == b.meta.len() && a.meta.iter().zip(&b.meta).all(|(x, y)| x.path == y.path)
}

/// Whether two discoveries list the same files and sidecars.
fn same_files(a: &Discovery, b: &Discovery) -> bool {
    a.files.len() == b.files.len()
        && a.files
            .iter()
            .zip(&b.files)
            .all(|(x, y)| x.path == y.path && x.mtime == y.mtime && x.project == y.project)
        && a.meta.len() == b.meta.len()
        && a.meta.iter().zip(&b.meta).all(|(x, y)| x.path == y.path)
}

/// A file's contribution when it has nothing to give but `d`.
fn empty(f: &Found, d: Diagnostics) -> (FilePartial, Diagnostics) {
    let parser = FileParser::new(&f.path_session, super::Detail::Usage);
    (parser.partial, d)
}

/// Where a file's bytes come from.
enum Source {
    File(File, u64),
    /// Bundled in the binary (the demo): never changes.
    Bytes(&'static [u8]),
}

impl Source {
    fn stamp(&self) -> Stamp {
        match self {
            Source::File(file, len) => match file.metadata() {
                Ok(md) => Stamp {
                    len: *len,
                    ..stamp_of(&md)
                },
                Err(_) => Stamp {
                    dev: 0,
                    ino: 0,
                    len: *len,
                    mtime: 0,
                },
            },
            Source::Bytes(b) => Stamp {
                dev: 0,
                ino: 0,
                len: b.len() as u64,
                mtime: 0,
            },
        }
    }

    /// The `len` bytes at `at` (fewer at the end).
    fn bytes_at(&mut self, at: u64, len: u64) -> io::Result<Vec<u8>> {
        match self {
            Source::File(file, _) => {
                file.seek(SeekFrom::Start(at))?;
                let mut out = Vec::with_capacity(len as usize);
                file.by_ref().take(len).read_to_end(&mut out)?;
                Ok(out)
            }
            Source::Bytes(b) => {
                let from = (at as usize).min(b.len());
                let to = (from + len as usize).min(b.len());
                Ok(b[from..to].to_vec())
            }
        }
    }
}

fn stamp_of(md: &std::fs::Metadata) -> Stamp {
    let mtime = md
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128);
    #[cfg(unix)]
    let (dev, ino) = {
        use std::os::unix::fs::MetadataExt;
        (md.dev(), md.ino())
    };
    #[cfg(not(unix))]
    let (dev, ino) = (0, 0);
    Stamp {
        dev,
        ino,
        len: md.len(),
        mtime,
    }
}

impl Tracked {
    fn new(f: &Found, opts: ReadOptions) -> Tracked {
        Tracked {
            stamp: Stamp {
                dev: 0,
                ino: 0,
                len: 0,
                mtime: 0,
            },
            done: 0,
            check: Vec::new(),
            parser: FileParser::new(&f.path_session, opts.detail),
            torn: None,
            failed: None,
            listed: None,
        }
    }

    /// Whether the file now at `source` is this one grown: the same inode, no shorter
    /// than what was read, the same bytes before the read offset.
    fn continues(&self, source: &Source, stamp: Stamp) -> bool {
        if self.failed.is_some()
            || (stamp.dev, stamp.ino) != (self.stamp.dev, self.stamp.ino)
            || stamp.len < self.done
        {
            return false;
        }
        let mut probe = match source {
            Source::File(file, len) => match file.try_clone() {
                Ok(f) => Source::File(f, *len),
                Err(_) => return false,
            },
            Source::Bytes(b) => Source::Bytes(b),
        };
        let at = self.done - self.check.len() as u64;
        probe
            .bytes_at(at, self.check.len() as u64)
            .is_ok_and(|b| b == self.check)
    }

    /// Reads from `done` to the end of `source` (its length when opened).
    fn read(
        &mut self,
        mut source: Source,
        stamp: Stamp,
        opts: ReadOptions,
        buf: &mut Vec<u8>,
    ) -> io::Result<()> {
        let start = self.done;
        let limit = stamp.len.saturating_sub(start);
        let parser = &mut self.parser;
        let mut long_pending = false;
        let mut tail: Option<Vec<u8>> = None;
        let on_piece = |piece: Piece<'_>| {
            // A too-long line is only known to be complete once another piece follows.
            if std::mem::take(&mut long_pending) {
                parser.too_long();
            }
            match piece {
                Piece::Line(l) => parser.line(l, false),
                Piece::TooLong => long_pending = true,
                Piece::Tail(l) => tail = Some(l.to_vec()),
            }
        };
        let extent = match &mut source {
            Source::File(file, _) => {
                file.seek(SeekFrom::Start(start))?;
                read::lines(&mut *file, limit, opts.max_line, buf, on_piece)?
            }
            Source::Bytes(b) => {
                let rest = &b[(start as usize).min(b.len())..];
                read::lines(rest, limit, opts.max_line, buf, on_piece)?
            }
        };
        let long_torn = long_pending && extent.complete < extent.read;
        if long_pending && !long_torn {
            self.parser.too_long();
        }
        self.done = start + extent.complete;
        self.stamp = Stamp {
            len: start + extent.read,
            ..stamp
        };
        let keep = self.done.min(CHECK_BYTES);
        self.check = source.bytes_at(self.done - keep, keep)?;
        self.torn = (tail.is_some() || long_torn).then(|| {
            let mut copy = self.parser.clone();
            match &tail {
                Some(t) => copy.line(t, true),
                None => copy.too_long(),
            }
            (copy.partial, copy.diag)
        });
        Ok(())
    }

    /// What the file gives the model now, counted as a full scan counts it.
    fn contribution(&self) -> (FilePartial, Diagnostics) {
        if let Some(d) = &self.failed {
            let parser = FileParser::new("", super::Detail::Usage);
            return (parser.partial, d.clone());
        }
        let (partial, mut diag) = match &self.torn {
            Some((p, d)) => (p.clone(), d.clone()),
            None => (self.parser.partial.clone(), self.parser.diag.clone()),
        };
        diag.bytes_read = self.stamp.len;
        diag.files_read = 1;
        (partial, diag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Detail;
    use std::io::Write;

    fn line(id: &str, output: u64) -> String {
        format!(
            r#"{{"type":"assistant","sessionId":"s","timestamp":"2026-11-15T10:00:00Z","requestId":"r{id}","message":{{"id":"m{id}","model":"claude-sonnet-4-5","usage":{{"input_tokens":1,"output_tokens":{output},"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}}}}}"#
        )
    }

    fn found(dir: &std::path::Path) -> Discovery {
        let mut d = Diagnostics::default();
        super::super::discover::discover(
            &[dir.to_path_buf()],
            &super::super::discover::DiscoverOptions::default(),
            &mut d,
        )
    }

    fn outputs(s: &Scan) -> u64 {
        s.dataset.responses.iter().map(|r| r.tokens.output).sum()
    }

    const OPTS: ReadOptions = ReadOptions {
        max_line: 1 << 20,
        detail: Detail::Full,
    };

    #[test]
    fn appends_torn_lines_and_truncation_follow_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("p")).unwrap();
        let path = dir.path().join("p/s.jsonl");
        let mut f = std::fs::File::create(&path).unwrap();
        writeln!(f, "{}", line("1", 10)).unwrap();
        let mut live = Follower::new(OPTS);
        assert!(live.refresh(found(dir.path())));
        assert_eq!(outputs(&live.scan(Diagnostics::default())), 10);
        assert!(!live.refresh(found(dir.path())), "nothing changed");

        let second = line("2", 5);
        f.write_all(&second.as_bytes()[..40]).unwrap();
        assert!(live.refresh(found(dir.path())));
        let s = live.scan(Diagnostics::default());
        assert_eq!(outputs(&s), 10);
        assert_eq!(s.diagnostics.skipped_lines.get("pending_tail"), Some(&1));

        writeln!(f, "{}", &second[40..]).unwrap();
        assert!(live.refresh(found(dir.path())));
        let s = live.scan(Diagnostics::default());
        assert_eq!(outputs(&s), 15);
        assert!(s.diagnostics.skipped_lines.is_empty());
        assert_eq!(live.files[&path].parser.diag.lines_read, 2);

        f.set_len(0).unwrap();
        drop(f);
        std::fs::write(&path, format!("{}\n", line("3", 7))).unwrap();
        assert!(live.refresh(found(dir.path())));
        assert_eq!(outputs(&live.scan(Diagnostics::default())), 7);

        std::fs::remove_file(&path).unwrap();
        assert!(live.refresh(found(dir.path())));
        assert_eq!(outputs(&live.scan(Diagnostics::default())), 0);
    }
}
