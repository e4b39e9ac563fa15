//! discover → read → parse, in parallel over files, into one `Dataset` plus
//! `Diagnostics`. Files are handed to rayon largest first; each worker builds a compact
//! `FilePartial` with no shared state, and the partials are merged once, in path order.
//! Lines are walked lazily (`lazy`, `entry`) only as deep as the report needs (`Detail`):
//! usage rollups never look into content or user lines; the analyzers read tool calls,
//! results and prompts too. `scan_bytes` runs the same read, parse and merge over files held
//! in memory (the fuzz targets and property tests).

pub mod discover;
mod entry;
mod extract;
mod lazy;
pub mod parse;
pub mod pick;
pub mod projects;
pub mod read;
pub mod text;
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

/// Reads and parses every found file and builds the model.
pub fn load(found: &Discovery, opts: ReadOptions, diag: Diagnostics, progress: ProgressFn) -> Scan {
    let mut order: Vec<usize> = (0..found.files.len()).collect();
    order.sort_by(|&a, &b| found.files[b].size.cmp(&found.files[a].size));
    let results: Vec<(usize, FilePartial, Diagnostics)> = order
        .par_iter()
        .map(|&i| {
            let f = &found.files[i];
            // One read buffer per worker thread for the whole scan (rayon's `map_init`
            // would make one per split and zero it each time).
            let (partial, d) = READ_BUF.with_borrow_mut(|buf| parse_file(f, opts, buf));
            progress(d.bytes_read);
            (i, partial, d)
        })
        .collect();
    assemble(found, results, opts, diag)
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
    assemble(&found, results, opts, Diagnostics::default())
}

/// Merges the per-file results (in path order, whatever order they finished in) into the
/// model, with the sub-agent metadata a full scan needs.
fn assemble(
    found: &Discovery,
    mut results: Vec<(usize, FilePartial, Diagnostics)>,
    opts: ReadOptions,
    mut diag: Diagnostics,
) -> Scan {
    results.sort_by_key(|r| r.0);
    let mut strings = Interner::new();
    let files: Vec<FileInfo> = found
        .files
        .iter()
        .map(|f| FileInfo {
            path: f.path.clone(),
            project: strings.intern(&f.project),
            path_session: strings.intern(&f.path_session),
            size: f.size,
            mtime: f.mtime,
        })
        .collect();
    let mut partials = Vec::with_capacity(results.len());
    for (_, p, d) in results {
        diag.merge(&d);
        partials.push(p);
    }
    let mut dataset = Dataset::build(strings, files, partials);
    // Sub-agent metadata matters to the analyzers only, not to usage rollups.
    if opts.detail == Detail::Full {
        let metas: Vec<_> = found.meta.par_iter().map(|m| (m, read_meta(m))).collect();
        for (m, meta) in metas {
            let Some(meta) = meta else { continue };
            let id = dataset.strings.intern(&m.agent_id);
            let agent_type = meta.agent_type.map(|t| dataset.strings.intern(&t));
            let tool_use_hash = meta.tool_use_id.map(|t| hash64(&[t.as_bytes()]));
            dataset.agent_meta.insert(
                id,
                AgentMeta {
                    agent_type,
                    tool_use_hash,
                },
            );
        }
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
        Err(OpenError::Vanished) => parser.diag.vanished_files += 1,
        Err(OpenError::NotRegular) => parser.diag.not_regular_files += 1,
        Err(OpenError::Unreadable(_)) => {
            parser.diag.unreadable_files += 1;
            parser.diag.note_problem_path(path);
        }
    }
    (parser.partial, parser.diag)
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
