//! discover → read → parse, in parallel over files, into one `Dataset` plus
//! `Diagnostics`. Files are handed to rayon largest first; each worker builds a compact
//! `FilePartial` with no shared state, and the partials are merged once, in path order.
//! Lines are walked lazily (`lazy`, `entry`) only as deep as the report needs (`Detail`):
//! usage rollups never look into content or user lines; the analyzers read tool calls,
//! results and prompts too. `scan_bytes` runs the same read, parse and merge over files held
//! in memory (the fuzz targets and property tests); `live` is the incremental front end
//! (per-file offsets, only appended bytes read) through the same parse and merge.

mod blocks;
pub mod discover;
mod entry;
mod extract;
mod lazy;
pub mod live;
pub mod parse;
pub mod pick;
pub mod projects;
pub mod read;
pub mod text;
pub mod tree;
mod wire;

pub use entry::Detail;

use crate::model::diagnostics::Diagnostics;
use crate::model::ids::hash64;
use crate::model::record::FilePartial;
use crate::model::{AgentMeta, Dataset, FileInfo, Interner};
use discover::{DiscoverOptions, Discovery};
use rayon::prelude::*;
use read::{OpenError, Piece};
use std::path::PathBuf;

/// What to scan.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    pub roots: Vec<PathBuf>,
    pub discover: DiscoverOptions,
}

/// How each file is read.
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions {
    /// Lines longer than this are skipped (`too_long`).
    pub max_line: usize,
    /// How much of each line the report needs.
    pub detail: Detail,
}

/// Progress hook: called with the bytes of each file read, from worker threads.
pub type ProgressFn<'a> = &'a (dyn Fn(u64) + Sync);

/// The result of a scan.
pub struct Scan {
    pub dataset: Dataset,
    pub diagnostics: Diagnostics,
}

/// Finds the files (cheap: no file is opened).
pub fn find(opts: &ScanOptions, diag: &mut Diagnostics) -> Discovery {
    discover::discover(&opts.roots, &opts.discover, diag)
}

thread_local! {
    static READ_BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Records from another source (the ledger), merged with the files' by the one dedupe
/// rule as if each group were one more file.
#[derive(Debug, Default)]
pub struct Extra {
    pub files: Vec<ExtraFile>,
    /// Sub-agent id → its type, where no `.meta.json` says otherwise.
    pub agent_types: Vec<(String, String)>,
}

/// One group of records of another source, presented as a file.
#[derive(Debug)]
pub struct ExtraFile {
    pub found: discover::Found,
    pub partial: FilePartial,
}

/// Reads and parses every found file and builds the model.
pub fn load(found: &Discovery, opts: ReadOptions, diag: Diagnostics, progress: ProgressFn) -> Scan {
    load_with(found, opts, diag, progress, Extra::default())
}

/// `load`, with the records of `extra` merged in.
pub fn load_with(
    found: &Discovery,
    opts: ReadOptions,
    diag: Diagnostics,
    progress: ProgressFn,
    extra: Extra,
) -> Scan {
    let (results, diag) = parse_all(found, opts, diag, progress);
    assemble(found, results, opts, diag, extra, None)
}

/// `load_with` for a caller done with `found`: the files' paths move into the model
/// instead of being copied, and the rest of each file's listing is freed before the
/// model is built (on a history of 100,000 files, 27 MB less at the peak).
pub fn load_owned(
    mut found: Discovery,
    opts: ReadOptions,
    diag: Diagnostics,
    progress: ProgressFn,
    extra: Extra,
) -> Scan {
    let (results, diag) = parse_all(&found, opts, diag, progress);
    let files = std::mem::take(&mut found.files);
    assemble(&found, results, opts, diag, extra, Some(files))
}

/// The found files as `assemble` gets them: lent (the caller keeps its listing), or
/// given (their paths move into the model).
enum Files<'a> {
    Borrowed(&'a [discover::Found]),
    Owned(Vec<discover::Found>),
}

/// Reads and parses every file in parallel, largest first; the partials in any order
/// with their file's index, and `diag` with every file's counts.
fn parse_all(
    found: &Discovery,
    opts: ReadOptions,
    diag: Diagnostics,
    progress: ProgressFn,
) -> (Vec<(usize, FilePartial)>, Diagnostics) {
    let mut order: Vec<usize> = (0..found.files.len()).collect();
    order.sort_by(|&a, &b| found.files[b].size.cmp(&found.files[a].size));
    // Each worker sums its files' counts as it goes, so no file's diagnostics outlive its
    // parse; the few problem paths keep their file's index to be listed in path order.
    let (results, counts, mut problems) = order
        .par_iter()
        .fold(Parsed::default, |mut acc, &i| {
            let f = &found.files[i];
            // One read buffer per worker thread for the whole scan (rayon's `map_init`
            // would make one per split and zero it each time).
            let (partial, mut d) = READ_BUF.with_borrow_mut(|buf| parse_file(f, opts, buf));
            progress(d.bytes_read);
            acc.2.extend(d.problem_paths.drain(..).map(|p| (i, p)));
            acc.1.merge(&d);
            acc.0.push((i, partial));
            acc
        })
        .reduce(Parsed::default, |mut a, b| {
            a.0.extend(b.0);
            a.1.merge(&b.1);
            a.2.extend(b.2);
            a
        });
    let mut diag = diag;
    diag.merge(&counts);
    problems.sort();
    for (_, p) in problems {
        diag.note_problem(p);
    }
    (results, diag)
}

/// What the parallel parse gathers: each file's partial with its index, the files'
/// counts summed, and their problem paths with their file's index.
type Parsed = (Vec<(usize, FilePartial)>, Diagnostics, Vec<(usize, String)>);

/// Per-file results in path order, their counts merged into `diag` in that order (the
/// form `assemble` takes).
fn merged(
    mut results: Vec<(usize, FilePartial, Diagnostics)>,
    diag: &mut Diagnostics,
) -> Vec<(usize, FilePartial)> {
    results.sort_by_key(|r| r.0);
    results
        .into_iter()
        .map(|(i, p, d)| {
            diag.merge(&d);
            (i, p)
        })
        .collect()
}

/// Scans transcripts held in memory, each a path relative to `projects/` (which names its
/// project and session) and its bytes, exactly as `load` scans files on disk. The entry
/// point of the fuzz targets and property tests.
pub fn scan_bytes(files: &[(&str, &[u8])], opts: ReadOptions) -> Scan {
    let found = Discovery {
        files: files
            .iter()
            .map(|(rel, bytes)| {
                let rel = std::path::Path::new(rel);
                discover::Found {
                    path: rel.to_path_buf(),
                    project: discover::project_of(rel),
                    path_session: discover::path_session(rel),
                    size: bytes.len() as u64,
                    mtime: 0,
                    embedded: None,
                }
            })
            .collect(),
        meta: Vec::new(),
    };
    let mut diag = Diagnostics::default();
    let results = READ_BUF.with_borrow_mut(|buf| {
        found
            .files
            .iter()
            .zip(files)
            .enumerate()
            .map(|(i, (f, (_, bytes)))| {
                let (partial, d) = parse_slice(&f.path_session, bytes, opts, buf);
                (i, partial, d)
            })
            .collect()
    });
    let results = merged(results, &mut diag);
    assemble(&found, results, opts, diag, Extra::default(), None)
}

/// Merges the per-file results (in path order, whatever order they finished in) into the
/// model, with the sub-agent metadata a full scan needs. `diag` already holds the files'
/// counts. The files are `found`'s, or `given` when the caller took them out of it.
fn assemble(
    found: &Discovery,
    results: Vec<(usize, FilePartial)>,
    opts: ReadOptions,
    diag: Diagnostics,
    extra: Extra,
    given: Option<Vec<discover::Found>>,
) -> Scan {
    // Sub-agent metadata matters to the analyzers only, not to usage rollups.
    let metas: Vec<Meta> = if opts.detail == Detail::Full {
        found
            .meta
            .par_iter()
            .filter_map(|m| Some((m.agent_id.clone(), read_meta(m)?)))
            .collect()
    } else {
        Vec::new()
    };
    let files = match given {
        Some(v) => Files::Owned(v),
        None => Files::Borrowed(&found.files),
    };
    assemble_with(files, results, &metas, diag, extra)
}

/// A sub-agent's id and what its `agent-<id>.meta.json` says.
type Meta = (String, wire::AgentMetaWire);

/// The model's file list, and the interner of its projects and path sessions: paths
/// moved out of given files (each file's listing freed as it goes), copied from lent ones.
fn file_infos(files: Files<'_>, extra: &Extra) -> (Interner, Vec<FileInfo>) {
    let mut strings = Interner::new();
    let mut info = |f: &discover::Found, path: PathBuf| FileInfo {
        path,
        project: strings.intern(&f.project),
        path_session: strings.intern(&f.path_session),
        size: f.size,
        mtime: f.mtime,
    };
    let mut out: Vec<FileInfo> = match files {
        Files::Owned(v) => v
            .into_iter()
            .map(|mut f| {
                let path = std::mem::take(&mut f.path);
                info(&f, path)
            })
            .collect(),
        Files::Borrowed(v) => v.iter().map(|f| info(f, f.path.clone())).collect(),
    };
    out.extend(
        extra
            .files
            .iter()
            .map(|e| info(&e.found, e.found.path.clone())),
    );
    (strings, out)
}

/// `assemble` with the sub-agent metadata already read (in `found.meta` order).
fn assemble_with(
    files: Files<'_>,
    mut results: Vec<(usize, FilePartial)>,
    metas: &[Meta],
    mut diag: Diagnostics,
    extra: Extra,
) -> Scan {
    results.sort_by_key(|r| r.0);
    let (strings, files) = file_infos(files, &extra);
    // Collected in place: the partials reuse the results' allocation rather than
    // holding a second list of every file's partial at the merge's peak.
    let mut partials: Vec<FilePartial> = results.into_iter().map(|(_, p)| p).collect();
    partials.extend(extra.files.into_iter().map(|e| e.partial));
    let mut dataset = Dataset::build(strings, files, partials);
    for (agent, kind) in &extra.agent_types {
        let id = dataset.strings.intern(agent);
        let kind = dataset.strings.intern(kind);
        let meta = dataset.agent_meta.entry(id).or_default();
        meta.agent_type.get_or_insert(kind);
    }
    for (agent_id, meta) in metas {
        let id = dataset.strings.intern(agent_id);
        let agent_type = meta.agent_type.as_ref().map(|t| dataset.strings.intern(t));
        let tool_use_hash = meta.tool_use_id.as_ref().map(|t| hash64(&[t.as_bytes()]));
        dataset.agent_meta.insert(
            id,
            AgentMeta {
                agent_type,
                tool_use_hash,
            },
        );
    }
    diag.duplicates = dataset.dedupe.duplicate_lines;
    diag.sidechain_replays = dataset.dedupe.sidechain_replays;
    diag.progress_only_responses = dataset.progress_only_responses;
    Scan {
        dataset,
        diagnostics: diag,
    }
}

/// Parses one file; never fails — problems become counts.
pub fn parse_file(
    f: &discover::Found,
    opts: ReadOptions,
    buf: &mut Vec<u8>,
) -> (FilePartial, Diagnostics) {
    if let Some(bytes) = f.embedded {
        return parse_slice(&f.path_session, bytes, opts, buf);
    }
    let path = f.path.as_path();
    let max_line = opts.max_line;
    let mut parser = parse::FileParser::new(&f.path_session, opts.detail);
    match read::open_regular(path) {
        Ok((file, len)) => {
            if let Ok(n) = read_pieces(&mut parser, file, len, max_line, buf) {
                parser.diag.bytes_read += n;
                parser.diag.files_read += 1;
            } else {
                parser.diag.unreadable_files += 1;
                parser.diag.note_problem_path(path);
            }
        }
        Err(e) => count_open_error(&mut parser.diag, &e, path),
    }
    parser.partial.compact();
    (parser.partial, parser.diag)
}

/// Counts a file that could not be opened.
fn count_open_error(diag: &mut Diagnostics, e: &OpenError, path: &std::path::Path) {
    match e {
        OpenError::Vanished => diag.vanished_files += 1,
        OpenError::NotRegular => diag.not_regular_files += 1,
        OpenError::Unreadable(_) => {
            diag.unreadable_files += 1;
            diag.note_problem_path(path);
        }
    }
}

/// Parses one file's bytes held in memory.
fn parse_slice(
    path_session: &str,
    bytes: &[u8],
    opts: ReadOptions,
    buf: &mut Vec<u8>,
) -> (FilePartial, Diagnostics) {
    let mut parser = parse::FileParser::new(path_session, opts.detail);
    let n = read_pieces(&mut parser, bytes, bytes.len() as u64, opts.max_line, buf).unwrap_or(0);
    parser.diag.bytes_read += n;
    parser.diag.files_read += 1;
    parser.partial.compact();
    (parser.partial, parser.diag)
}

fn read_pieces(
    parser: &mut parse::FileParser,
    src: impl std::io::Read,
    len: u64,
    max_line: usize,
    buf: &mut Vec<u8>,
) -> std::io::Result<u64> {
    read::for_each_line(src, len, max_line, buf, |piece| match piece {
        Piece::Line(l) => parser.line(l, false),
        Piece::Tail(l) => parser.line(l, true),
        Piece::TooLong => parser.too_long(),
    })
}

fn read_meta(m: &discover::MetaFile) -> Option<wire::AgentMetaWire> {
    if let Some(bytes) = m.embedded {
        return serde_json::from_slice(bytes).ok();
    }
    let (file, len) = read::open_regular(&m.path).ok()?;
    if len > 1 << 20 {
        return None;
    }
    let mut bytes = Vec::with_capacity(len as usize);
    use std::io::Read;
    file.take(len).read_to_end(&mut bytes).ok()?;
    serde_json::from_slice(&bytes).ok()
}
