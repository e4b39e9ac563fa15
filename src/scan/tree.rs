//! A discovery kept up to date for live views (`watch`) without walking every directory
//! on every tick. Each directory's listing is kept with its mtime (which moves when an
//! entry is added, removed or renamed in it); each refresh looks again only at what is
//! hot — the roots, the project directories, and directories and files modified since
//! `hot_from` — and at `sweep` cold entries in turn, so an old file appended to is
//! noticed within one turn over the cold entries. A directory whose mtime moved is listed
//! again with `discover::scan_dir`, the full discovery's own step, so once every entry
//! has been looked at since it last changed, `refresh` lists exactly what a fresh
//! `discover` would (the live-scan property tests hold it to that).

use super::discover::{self, DiscoverOptions, Discovery, Found, MetaFile};
use crate::model::diagnostics::Diagnostics;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// How old a directory's mtime must be for its listing to be trusted until it moves (ms).
const SETTLE_MS: i64 = 1000;

/// The directories under the roots and what each held when last listed.
pub struct Tree {
    roots: Vec<PathBuf>,
    project: Option<String>,
    dirs: BTreeMap<PathBuf, Listing>,
    /// How far the turn over cold entries has come.
    turn: usize,
}

/// One directory as last listed.
struct Listing {
    root: PathBuf,
    /// Directories below the root (0: the root).
    depth: usize,
    mtime: i64,
    /// The mtime was over `SETTLE_MS` old when listed. A listing that is not settled is
    /// taken again whenever looked at: an entry added within the same millisecond as the
    /// mtime seen would not move it.
    settled: bool,
    /// Every transcript, whatever its mtime (the window is applied when listing out).
    files: Vec<Found>,
    meta: Vec<MetaFile>,
    subdirs: Vec<PathBuf>,
    diag: Diagnostics,
}

/// What to look at again this time.
#[derive(Clone, Copy, Debug)]
pub struct Refresh {
    /// The window's start (files modified before it are not listed), ms.
    pub since: Option<i64>,
    /// Entries modified since this instant (ms) are looked at on every refresh.
    pub hot_from: i64,
    /// Cold entries looked at per refresh (`usize::MAX`: all of them).
    pub sweep: usize,
}

impl Tree {
    pub fn new(roots: &[PathBuf], project: Option<String>) -> Tree {
        Tree {
            roots: roots.to_vec(),
            project,
            dirs: BTreeMap::new(),
            turn: 0,
        }
    }

    /// The files as a discovery now finds them (within what `r` looks at again), and the
    /// discovery's counts.
    pub fn refresh(&mut self, r: Refresh) -> (Discovery, Diagnostics) {
        for root in self.roots.clone() {
            let start = match &self.project {
                Some(p) => root.join(p),
                None => root.clone(),
            };
            if !self.dirs.contains_key(&start) && start.is_dir() {
                self.list_tree(&root, &start);
            }
        }
        let cold_dirs = self
            .dirs
            .values()
            .filter(|l| !l.hot_dir(r.hot_from))
            .count();
        let cold_files: usize = self
            .dirs
            .values()
            .flat_map(|l| &l.files)
            .filter(|f| f.mtime < r.hot_from)
            .count();
        let turn = self.turn;
        self.turn = turn.wrapping_add(r.sweep);
        self.recheck_dirs(r, Sweep::new(turn, r.sweep, cold_dirs));
        self.recheck_files(r, Sweep::new(turn, r.sweep, cold_files));
        self.listed(r.since)
    }

    /// Lists `dir` and every directory below it.
    fn list_tree(&mut self, root: &Path, dir: &Path) {
        let mut todo = vec![dir.to_path_buf()];
        while let Some(d) = todo.pop() {
            let l = self.list(root, &d);
            todo.extend(l.subdirs.iter().cloned());
            self.dirs.insert(d, l);
        }
    }

    /// One directory's listing, through the full discovery's step.
    fn list(&self, root: &Path, dir: &Path) -> Listing {
        let mtime = mtime_of(dir).unwrap_or(0);
        let now = std::time::SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        let opts = DiscoverOptions {
            project: self.project.clone(),
            modified_since: None,
        };
        let mut out = Discovery::default();
        let mut diag = Diagnostics::default();
        let mut subdirs = Vec::new();
        discover::scan_dir(root, dir, &opts, &mut diag, &mut out, &mut subdirs);
        subdirs.sort();
        Listing {
            root: root.to_path_buf(),
            depth: dir.strip_prefix(root).map_or(0, |p| p.components().count()),
            mtime,
            settled: mtime < now - SETTLE_MS,
            files: out.files,
            meta: out.meta,
            subdirs,
            diag,
        }
    }

    /// Lists again the directories (hot ones, and cold ones in turn) whose mtime moved.
    fn recheck_dirs(&mut self, r: Refresh, mut sweep: Sweep) {
        let mut stale = Vec::new();
        for (path, l) in &self.dirs {
            let look = l.hot_dir(r.hot_from) || sweep.next();
            if look && (!l.settled || mtime_of(path) != Some(l.mtime)) {
                stale.push((path.clone(), l.root.clone()));
            }
        }
        for (path, root) in stale {
            self.relist(&root, &path);
        }
    }

    /// Lists `dir` again: new sub-directories are listed whole, gone ones dropped.
    fn relist(&mut self, root: &Path, dir: &Path) {
        let Some(old) = self.dirs.remove(dir) else {
            return;
        };
        if !dir.is_dir() {
            self.drop_below(dir);
            return;
        }
        let new = self.list(root, dir);
        for gone in old.subdirs.iter().filter(|d| !new.subdirs.contains(d)) {
            self.drop_below(gone);
        }
        let added: Vec<PathBuf> = new
            .subdirs
            .iter()
            .filter(|d| !old.subdirs.contains(d))
            .cloned()
            .collect();
        self.dirs.insert(dir.to_path_buf(), new);
        for d in added {
            self.list_tree(root, &d);
        }
    }

    /// Forgets `dir` and everything below it.
    fn drop_below(&mut self, dir: &Path) {
        self.dirs.retain(|p, _| !p.starts_with(dir));
    }

    /// Stats the files again (hot ones, and cold ones in turn): a new size or mtime is
    /// taken, a file gone is dropped.
    fn recheck_files(&mut self, r: Refresh, mut sweep: Sweep) {
        for l in self.dirs.values_mut() {
            l.files.retain_mut(|f| {
                if f.mtime >= r.hot_from || sweep.next() {
                    match std::fs::symlink_metadata(&f.path) {
                        Ok(md) if md.is_file() => {
                            f.size = md.len();
                            f.mtime = ms_of(&md).unwrap_or(0);
                        }
                        _ => return false,
                    }
                }
                true
            });
        }
    }

    /// The discovery the listings make for a window starting at `since`.
    fn listed(&self, since: Option<i64>) -> (Discovery, Diagnostics) {
        let mut out = Discovery::default();
        let mut diag = Diagnostics::default();
        for l in self.dirs.values() {
            diag.merge(&l.diag);
            for f in &l.files {
                if since.is_some_and(|s| f.mtime < s) {
                    diag.files_skipped_window += 1;
                } else {
                    out.files.push(f.clone());
                }
            }
            out.meta.extend(l.meta.iter().cloned());
        }
        discover::sort_by_path(&mut out);
        (out, diag)
    }
}

impl Listing {
    /// Looked at on every refresh: the roots, project directories and recent ones.
    fn hot_dir(&self, hot_from: i64) -> bool {
        self.depth <= 1 || self.mtime >= hot_from
    }
}

/// Which of a sequence of cold entries to look at: `len` from position `from`, cyclically
/// over `n` entries.
struct Sweep {
    at: usize,
    from: usize,
    len: usize,
    n: usize,
}

impl Sweep {
    fn new(turn: usize, len: usize, n: usize) -> Sweep {
        Sweep {
            at: 0,
            from: if n == 0 { 0 } else { turn % n },
            len,
            n,
        }
    }

    /// Whether the next cold entry is looked at.
    fn next(&mut self) -> bool {
        let i = self.at;
        self.at += 1;
        if self.len >= self.n {
            return true;
        }
        let offset = (i + self.n - self.from) % self.n;
        offset < self.len
    }
}

fn mtime_of(p: &Path) -> Option<i64> {
    std::fs::metadata(p).ok().and_then(|md| ms_of(&md))
}

fn ms_of(md: &std::fs::Metadata) -> Option<i64> {
    md.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(d: &Discovery) -> Vec<String> {
        d.files
            .iter()
            .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    const ALL: Refresh = Refresh {
        since: None,
        hot_from: i64::MAX,
        sweep: usize::MAX,
    };

    #[test]
    fn new_files_and_directories_are_found_and_gone_ones_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("p/s1/subagents")).unwrap();
        std::fs::write(root.join("p/s1.jsonl"), "{}\n").unwrap();
        let mut t = Tree::new(std::slice::from_ref(&root), None);
        assert_eq!(paths(&t.refresh(ALL).0), ["s1.jsonl"]);
        std::fs::write(root.join("p/s1/subagents/agent-a.jsonl"), "{}\n").unwrap();
        std::fs::create_dir_all(root.join("q")).unwrap();
        std::fs::write(root.join("q/s2.jsonl"), "{}\n").unwrap();
        assert_eq!(
            paths(&t.refresh(ALL).0),
            ["agent-a.jsonl", "s1.jsonl", "s2.jsonl"]
        );
        std::fs::remove_dir_all(root.join("p/s1")).unwrap();
        assert_eq!(paths(&t.refresh(ALL).0), ["s1.jsonl", "s2.jsonl"]);
        let mut d = Diagnostics::default();
        let fresh = discover::discover(&[root], &DiscoverOptions::default(), &mut d);
        assert_eq!(paths(&fresh), paths(&t.refresh(ALL).0));
    }

    #[test]
    fn cold_entries_are_looked_at_in_turn() {
        let mut seen = [0u32; 10];
        for turn in 0..5 {
            let mut s = Sweep::new(turn * 3, 3, 10);
            for (i, n) in seen.iter_mut().enumerate() {
                if s.next() {
                    *n += 1;
                }
                assert_eq!(s.at, i + 1);
            }
        }
        // 15 looks over 10 entries: every entry at least once, none more than twice.
        assert!(seen.iter().all(|&n| (1..=2).contains(&n)), "{seen:?}");
        assert_eq!(seen.iter().sum::<u32>(), 15);
    }
}
