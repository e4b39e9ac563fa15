//! Reading one session instead of the whole history (`session --id`, `html --session`).
//! Discovery lists the files (names and mtimes, nothing opened); the session is found by
//! its id in the file names (`<id>.jsonl`, `<id>/subagents/**`), so a wrong or ambiguous
//! id costs no parsing. Its own files are read in full, with the 2.0.x sibling
//! `agent-<id>.jsonl` files its Task results name (recursively). Then only the other files
//! that can hold lines of the window are read, and only for their usage: those modified
//! since the window began whose first dated line is not after it ends (transcripts are
//! appended in time order). They give the window's total (the session's share of it) and
//! the copies of the session's lines in resumed sessions, so the one dedupe rule decides
//! exactly as a full scan would which responses are the session's.

use super::discover::{Discovery, Found};
use super::read::open_regular;
use super::text::parse_ts;
use super::{Detail, Extra, ReadOptions, Scan, assemble, merged, parse_file};
use crate::model::Millis;
use crate::model::diagnostics::Diagnostics;
use crate::model::record::FilePartial;
use rayon::prelude::*;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

/// Bytes read from the start of a file to find its first dated line.
const HEAD_BYTES: usize = 64 << 10;
/// Sessions listed when an id matches none or several.
const LISTED: usize = 8;

/// A session found by its id in the file names.
pub struct Target {
    pub id: String,
    /// Its project directory (under `projects/`).
    pub project: String,
    found: Discovery,
    /// Indices in `found.files` of the session's own files.
    own: Vec<usize>,
}

/// A session as a match list names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub project: String,
    /// The latest mtime of its files (ms; 0 when unknown).
    pub mtime: Millis,
}

/// Why no single session was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Miss {
    /// No session id starts with the prefix; some sessions to choose from (whose id
    /// contains it, else the most recent).
    Unknown(Vec<Candidate>),
    /// Several sessions match (at most `LISTED` of them), and how many in all.
    Ambiguous(Vec<Candidate>, usize),
}

/// The session whose id is `prefix` or starts with it (case-insensitive; an exact id wins
/// over longer ones). Sessions are told apart by project and id.
pub fn find(found: Discovery, prefix: &str) -> Result<Target, Miss> {
    let sessions = sessions(&found);
    let want = prefix.to_ascii_lowercase();
    let exact: Vec<&Candidate> = sessions
        .iter()
        .filter(|c| c.id.eq_ignore_ascii_case(prefix))
        .collect();
    let matches: Vec<&Candidate> = if exact.is_empty() {
        sessions
            .iter()
            .filter(|c| c.id.to_ascii_lowercase().starts_with(&want))
            .collect()
    } else {
        exact
    };
    match matches.as_slice() {
        [one] => {
            let (id, project) = (one.id.clone(), one.project.clone());
            let own = (0..found.files.len())
                .filter(|&i| {
                    let f = &found.files[i];
                    f.path_session == id && f.project == project
                })
                .collect();
            Ok(Target {
                id,
                project,
                found,
                own,
            })
        }
        [] => Err(Miss::Unknown(hints(&sessions, &want))),
        many => Err(Miss::Ambiguous(
            newest(many.iter().map(|c| (*c).clone()).collect()),
            many.len(),
        )),
    }
}

/// Every session discovery saw, by the names of its files: main files and `subagents/`
/// directories (sibling `agent-*.jsonl` files name no session).
fn sessions(found: &Discovery) -> Vec<Candidate> {
    let mut by: BTreeMap<(&str, &str), Millis> = BTreeMap::new();
    for f in &found.files {
        if f.path_session.is_empty() || f.path_session.starts_with("agent-") {
            continue;
        }
        let e = by.entry((&f.project, &f.path_session)).or_insert(0);
        *e = (*e).max(f.mtime);
    }
    by.into_iter()
        .map(|((project, id), mtime)| Candidate {
            id: id.to_string(),
            project: project.to_string(),
            mtime,
        })
        .collect()
}

/// Sessions to suggest for an unknown id: those whose id contains it, else the newest.
fn hints(sessions: &[Candidate], want: &str) -> Vec<Candidate> {
    let containing: Vec<Candidate> = sessions
        .iter()
        .filter(|c| c.id.to_ascii_lowercase().contains(want))
        .cloned()
        .collect();
    if containing.is_empty() {
        newest(sessions.to_vec())
    } else {
        newest(containing)
    }
}

/// The `LISTED` most recently modified sessions, newest first.
fn newest(mut v: Vec<Candidate>) -> Vec<Candidate> {
    v.sort_by(|a, b| b.mtime.cmp(&a.mtime).then_with(|| a.id.cmp(&b.id)));
    v.truncate(LISTED);
    v
}

/// A session whose own files have been read.
pub struct Picked {
    target: Target,
    opts: ReadOptions,
    /// Parsed so far: (index in `found.files`, partial, diagnostics).
    done: Vec<(usize, FilePartial, Diagnostics)>,
    /// The sub-agents its lines name.
    agents: BTreeSet<String>,
}

/// Reads the session's own files in full: its main file, its `subagents/` files and the
/// sibling agent files its lines name, recursively.
pub fn read_own(target: Target, opts: ReadOptions) -> Picked {
    let opts = ReadOptions {
        detail: Detail::Full,
        ..opts
    };
    let mut p = Picked {
        opts,
        done: Vec::new(),
        agents: BTreeSet::new(),
        target,
    };
    let mut next = p.target.own.clone();
    while !next.is_empty() {
        let parsed = parse_many(&p.target.found, &next, |_| Detail::Full, opts);
        for (_, part, _) in &parsed {
            p.agents.extend(agents_named(part));
        }
        p.done.extend(parsed);
        next = p.siblings();
    }
    p
}

/// The sub-agent ids a partial names: on its lines, and in the Task results it holds.
fn agents_named(part: &FilePartial) -> Vec<String> {
    let s = &part.strings;
    let mut out: Vec<String> = part
        .responses
        .iter()
        .filter_map(|r| r.agent)
        .chain(
            part.events()
                .tool_results
                .iter()
                .filter_map(|r| r.agent_spawned),
        )
        .map(|a| s.resolve(a).to_string())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl Picked {
    /// Sibling `agent-<id>.jsonl` files of the session's project for the agents named so
    /// far, not read yet.
    fn siblings(&self) -> Vec<usize> {
        let read: BTreeSet<usize> = self.done.iter().map(|d| d.0).collect();
        let t = &self.target;
        (0..t.found.files.len())
            .filter(|i| !read.contains(i))
            .filter(|&i| {
                let f = &t.found.files[i];
                f.project == t.project
                    && f.path_session
                        .strip_prefix("agent-")
                        .is_some_and(|a| self.agents.contains(a))
            })
            .collect()
    }

    /// The first and last time on the session's own lines (responses and prompts).
    pub fn span(&self) -> Option<(Millis, Millis)> {
        let id = self.target.id.as_str();
        let mut span: Option<(Millis, Millis)> = None;
        for (_, part, _) in &self.done {
            let mine = |s: crate::model::Sym| part.strings.resolve(s) == id;
            let times = part
                .responses
                .iter()
                .filter(|r| mine(r.session))
                .filter_map(|r| r.ts)
                .chain(
                    part.events()
                        .prompts
                        .iter()
                        .filter(|p| mine(p.session))
                        .filter_map(|p| p.ts),
                );
            for t in times {
                span = Some(span.map_or((t, t), |(a, b)| (a.min(t), b.max(t))));
            }
        }
        span
    }

    /// Reads what else the window needs (`bounds`: its `[lo, hi)` in ms, None for all
    /// history) and builds the model.
    pub fn finish(self, bounds: Option<(Millis, Millis)>, mut diag: Diagnostics) -> Scan {
        let Picked {
            target,
            opts,
            mut done,
            agents,
        } = self;
        let read: BTreeSet<usize> = done.iter().map(|d| d.0).collect();
        let (lo, hi) = bounds.unwrap_or((Millis::MIN, Millis::MAX));
        let rest: Vec<usize> = (0..target.found.files.len())
            .filter(|i| !read.contains(i))
            .collect();
        let heads: Vec<(usize, Option<Detail>)> = rest
            .par_iter()
            .map(|&i| (i, need(&target.found.files[i], &target, lo, hi)))
            .collect();
        let mut detail: BTreeMap<usize, Detail> = BTreeMap::new();
        for (i, d) in heads {
            match d {
                Some(d) => {
                    detail.insert(i, d);
                }
                None => diag.files_skipped_window += 1,
            }
        }
        let more: Vec<usize> = detail.keys().copied().collect();
        done.extend(parse_many(&target.found, &more, |i| detail[&i], opts));
        build(&target, &agents, done, opts, diag)
    }
}

/// How deep another file must be read for the window, or None when it cannot hold a line
/// of it: modified before the window began, or (modified after it ended) its first dated
/// line after it ended. A sibling agent file whose lines name the session is read in full.
fn need(f: &Found, target: &Target, lo: Millis, hi: Millis) -> Option<Detail> {
    if f.mtime > 0 && f.mtime < lo {
        return None;
    }
    let sibling = f.project == target.project && f.path_session.starts_with("agent-");
    if f.mtime > 0 && f.mtime < hi && !sibling {
        return Some(Detail::Usage);
    }
    match head(f) {
        Some((_, Some(s))) if s == target.id => Some(Detail::Full),
        Some((ts, _)) if ts >= hi => None,
        _ => Some(Detail::Usage),
    }
}

/// The time and session id of a file's first dated line, from its first `HEAD_BYTES`:
/// a small read first, which is enough for nearly every file.
fn head(f: &Found) -> Option<(Millis, Option<String>)> {
    if let Some(b) = f.embedded {
        return first_dated(&b[..b.len().min(HEAD_BYTES)], b.len() > HEAD_BYTES);
    }
    let (file, len) = open_regular(&f.path).ok()?;
    let mut file = file.take(HEAD_BYTES as u64);
    let mut buf = vec![0u8; FIRST_READ.min(len as usize)];
    file.read_exact(&mut buf).ok()?;
    if let Some(found) = first_dated(&buf, len as usize > buf.len()) {
        return Some(found);
    }
    file.read_to_end(&mut buf).ok()?;
    first_dated(&buf, len as usize > buf.len())
}

/// Bytes of the first read of a file's head.
const FIRST_READ: usize = 4 << 10;

/// The first dated line among the complete lines of `bytes` (`cut`: the file goes on past
/// them, so the last line may be incomplete).
fn first_dated(bytes: &[u8], cut: bool) -> Option<(Millis, Option<String>)> {
    let complete = match memchr::memrchr(b'\n', bytes) {
        Some(end) if cut => &bytes[..end],
        None if cut => return None,
        _ => bytes,
    };
    complete.split(|&b| b == b'\n').find_map(|line| {
        let h: Head = serde_json::from_slice(line).ok()?;
        let ts = parse_ts(h.timestamp.as_deref()?)?;
        Some((ts, h.session_id.map(Cow::into_owned)))
    })
}

/// The two fields `head` looks at.
#[derive(Deserialize)]
struct Head<'a> {
    #[serde(borrow)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "sessionId")]
    session_id: Option<Cow<'a, str>>,
}

/// Parses the files `which` (indices in `found.files`) in parallel, largest first, each
/// as deep as `detail` says.
fn parse_many(
    found: &Discovery,
    which: &[usize],
    detail: impl Fn(usize) -> Detail + Sync,
    opts: ReadOptions,
) -> Vec<(usize, FilePartial, Diagnostics)> {
    let mut order = which.to_vec();
    order.sort_by(|&a, &b| found.files[b].size.cmp(&found.files[a].size));
    order
        .par_iter()
        .map(|&i| {
            let o = ReadOptions {
                detail: detail(i),
                ..opts
            };
            let (partial, d) =
                super::READ_BUF.with_borrow_mut(|buf| parse_file(&found.files[i], o, buf));
            (i, partial, d)
        })
        .collect()
}

/// The model of the files read, with the session's sub-agent metadata.
fn build(
    target: &Target,
    agents: &BTreeSet<String>,
    done: Vec<(usize, FilePartial, Diagnostics)>,
    opts: ReadOptions,
    diag: Diagnostics,
) -> Scan {
    let mut sub = Discovery::default();
    let mut results = Vec::with_capacity(done.len());
    let mut sorted = done;
    sorted.sort_by_key(|d| d.0);
    for (k, (i, part, d)) in sorted.into_iter().enumerate() {
        sub.files.push(target.found.files[i].clone());
        results.push((k, part, d));
    }
    sub.meta = target
        .found
        .meta
        .iter()
        .filter(|m| agents.contains(&m.agent_id))
        .cloned()
        .collect();
    let mut diag = diag;
    let results = merged(results, &mut diag);
    assemble(&sub, results, opts, diag, Extra::default(), None)
}
