//! `ledger update`: reads the transcript files changed since the last update through the
//! scanner (scan → model, the same parse and dedupe as every report), turns the responses
//! into records and appends those the ledger lacks — or holds a copy of that the dedupe
//! rule ranks lower (a response still being written last time) — to their months'
//! segments, under the ledger's lock. A second run adds nothing. It prints nothing: it
//! returns a summary.

use super::record::{Context, Record};
use super::store::{self, FileState, Lock, State};
use crate::model::dedupe::{Candidate, prefer};
use crate::model::diagnostics::Diagnostics;
use crate::model::ids::FastMap;
use crate::model::record::DedupeKey;
use crate::scan::discover::{self, DiscoverOptions, Discovery};
use crate::scan::{self, Detail, ReadOptions};
use anyhow::Context as _;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What to update.
#[derive(Clone, Debug)]
pub struct UpdateOptions {
    pub dir: PathBuf,
    /// The transcripts' `projects/` roots.
    pub roots: Vec<PathBuf>,
    pub machine: String,
    /// Keep projects' directory names.
    pub show_paths: bool,
    pub max_line: usize,
}

/// What an update did.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSummary {
    pub added: u64,
    pub files_read: u64,
    pub files_unchanged: u64,
    /// Months whose segments got records.
    pub months_added: Vec<String>,
    /// Months the ledger covers that no transcript file holds any more.
    pub ledger_only_months: Vec<String>,
    pub records: u64,
}

/// Runs an update.
pub fn update(opts: &UpdateOptions) -> anyhow::Result<UpdateSummary> {
    for root in &opts.roots {
        if opts.dir.starts_with(root) {
            anyhow::bail!(
                "the ledger {} is inside a transcripts directory; choose another place",
                opts.dir.display()
            );
        }
    }
    store::create_dir(&opts.dir)
        .with_context(|| format!("cannot create the ledger at {}", opts.dir.display()))?;
    let _lock = Lock::take(&opts.dir).context("cannot lock the ledger")?;
    let mut state = State::load(&opts.dir);
    let mut diag = Diagnostics::default();
    let all = discover::discover(&opts.roots, &DiscoverOptions::default(), &mut diag);
    let (changed, unchanged) = changed_files(&all, &state);
    let read = ReadOptions {
        max_line: opts.max_line,
        detail: Detail::Full,
    };
    let scan = scan::load(&changed, read, diag, &|_| {});
    let ds = &scan.dataset;
    let mut index = existing(&opts.dir)?;
    let calls = calls_by_response(ds);
    let mut fresh: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut months_of: Vec<BTreeSet<String>> = vec![BTreeSet::new(); changed.files.len()];
    let mut added = 0;
    for (i, r) in ds.responses.iter().enumerate() {
        let cx = Context {
            ds,
            calls: calls.get(&(i as u32)).map_or(&[], Vec::as_slice),
            machine: &opts.machine,
            show_paths: opts.show_paths,
        };
        let rec = Record::of(r, &cx);
        months_of[r.file as usize].insert(rec.month().to_string());
        let Some(c) = rec.candidate() else { continue };
        if index
            .get(&c.key)
            .is_some_and(|old| !prefer(&c, old).is_gt())
        {
            continue;
        }
        index.insert(c.key, c);
        let buf = fresh.entry(rec.month().to_string()).or_default();
        serde_json::to_writer(&mut *buf, &rec)?;
        buf.push(b'\n');
        added += 1;
    }
    append(&opts.dir, &fresh)?;
    remember(&mut state, &all, &changed, months_of);
    state
        .save(&opts.dir)
        .context("cannot save the ledger state")?;
    Ok(UpdateSummary {
        added,
        files_read: changed.files.len() as u64,
        files_unchanged: unchanged,
        months_added: fresh.into_keys().collect(),
        ledger_only_months: ledger_only_months(&opts.dir, &state)?,
        records: index.len() as u64,
    })
}

/// The files new or changed (size or mtime) since the state was saved, with every
/// sub-agent sidecar; and how many were unchanged.
fn changed_files(all: &Discovery, state: &State) -> (Discovery, u64) {
    let mut unchanged = 0;
    let files = all
        .files
        .iter()
        .filter(|f| {
            let same = state
                .files
                .get(&f.path.to_string_lossy().into_owned())
                .is_some_and(|s| s.size == f.size && s.mtime == f.mtime);
            unchanged += u64::from(same);
            !same
        })
        .cloned()
        .collect();
    let found = Discovery {
        files,
        meta: all.meta.clone(),
    };
    (found, unchanged)
}

/// The best copy the ledger holds of each key.
fn existing(dir: &Path) -> anyhow::Result<FastMap<DedupeKey, Candidate>> {
    let mut index = FastMap::default();
    for seg in store::segments(dir)? {
        let lines = store::read_lines(&seg.path)
            .with_context(|| format!("cannot read {}", seg.path.display()))?;
        for rec in store::parse_lines(&lines).0 {
            let Some(c) = rec.candidate() else { continue };
            let keep = index
                .get(&c.key)
                .is_none_or(|old: &Candidate| prefer(&c, old).is_gt());
            if keep {
                index.insert(c.key, c);
            }
        }
    }
    Ok(index)
}

/// Each response's tool calls (indices into `tool_calls`).
fn calls_by_response(ds: &crate::model::Dataset) -> FastMap<u32, Vec<u32>> {
    let mut m: FastMap<u32, Vec<u32>> = FastMap::default();
    for (i, c) in ds.tool_calls.iter().enumerate() {
        if let Some(r) = c.response {
            m.entry(r).or_default().push(i as u32);
        }
    }
    m
}

/// Appends each month's new lines to its segment (rewritten atomically).
fn append(dir: &Path, fresh: &BTreeMap<String, Vec<u8>>) -> anyhow::Result<()> {
    for (month, lines) in fresh {
        let path = store::segment_path(dir, month);
        let mut all = match store::read_lines(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        if !all.is_empty() && !all.ends_with(b"\n") {
            all.push(b'\n');
        }
        all.extend_from_slice(lines);
        store::write_lines(&path, &all)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Records the files read (and the months they hold); forgets files that are gone.
fn remember(
    state: &mut State,
    all: &Discovery,
    changed: &Discovery,
    months_of: Vec<BTreeSet<String>>,
) {
    state.v = 1;
    let live: BTreeSet<String> = all
        .files
        .iter()
        .map(|f| f.path.to_string_lossy().into_owned())
        .collect();
    state.files.retain(|p, _| live.contains(p));
    for (f, months) in changed.files.iter().zip(months_of) {
        state.files.insert(
            f.path.to_string_lossy().into_owned(),
            FileState {
                size: f.size,
                mtime: f.mtime,
                months: months.into_iter().collect(),
            },
        );
    }
}

/// Months with a segment that no transcript file still on disk holds.
fn ledger_only_months(dir: &Path, state: &State) -> anyhow::Result<Vec<String>> {
    let held: BTreeSet<&str> = state
        .files
        .values()
        .flat_map(|f| f.months.iter().map(String::as_str))
        .collect();
    Ok(store::segments(dir)?
        .into_iter()
        .map(|s| s.month)
        .filter(|m| !held.contains(m.as_str()))
        .collect())
}
