//! The in-memory model every analyzer reads: deduplicated responses, turns (prompts), tool
//! calls and results, sub-agent metadata, with one global interner. Owns the merge of
//! per-file partials (id remapping, the dedupe rule of `dedupe.rs`, copy removal for
//! prompts and tool calls). It does no I/O and knows nothing about reports.

use super::attribution::AttrTable;
use super::dedupe::{self, Candidate, DedupeStats};
use super::ids::{FastMap, FastSet, Interner, Sym};
use super::projects::{ProjectName, ProjectNames, pick_cwd};
use super::record::{
    CompactionLine, DedupeKey, Events, FilePartial, Millis, Origin, PromptKind, PromptLine,
    RecordedCost, ResponseLine, ToolCallLine, ToolInput, ToolResultLine, TurnKey,
};
use super::tokens::Tokens;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A transcript file, as discovery found it.
#[derive(Clone, Debug)]
pub struct FileInfo {
    pub path: PathBuf,
    /// The `projects/` sub-directory (the encoded cwd), interned globally.
    pub project: Sym,
    /// The session id derived from the path (file stem, or the parent session's directory
    /// for `<session>/subagents/**` files).
    pub path_session: Sym,
    pub size: u64,
    /// Modification time in milliseconds (0 when unknown).
    pub mtime: Millis,
}

/// One deduplicated API response.
#[derive(Clone, Debug)]
pub struct Response {
    pub tokens: Tokens,
    pub ts: Option<Millis>,
    pub model: Sym,
    pub session: Sym,
    pub project: Sym,
    pub cwd: Option<Sym>,
    pub agent: Option<Sym>,
    pub origin: Origin,
    pub recorded_cost: RecordedCost,
    pub turn: Option<TurnKey>,
    pub file: u32,
    pub thinking_chars: u32,
    /// The dedupe key of the line kept, and the hash of its `message.id` (what the ledger
    /// records to merge with transcripts by the same rule).
    pub key: DedupeKey,
    pub message_hash: u64,
    /// Index into `Dataset::attributions`.
    pub attr: u32,
}

impl Response {
    /// The turn this response answers: the hash of its opening prompt line's uuid.
    pub fn turn_hash(&self) -> Option<u64> {
        self.turn.map(TurnKey::get)
    }
}

/// A real user prompt (or slash command) that opens a turn, deduplicated by line uuid.
#[derive(Clone, Debug)]
pub struct Prompt {
    pub uuid_hash: u64,
    pub kind: PromptKind,
    pub ts: Option<Millis>,
    pub session: Sym,
    pub project: Sym,
    pub agent: Option<Sym>,
    pub sidechain: bool,
    pub text_len: u32,
    pub text_hash: u64,
    pub snippet: Box<str>,
}

/// One tool call, deduplicated by tool_use id, linked to its response when known.
#[derive(Clone, Debug)]
pub struct ToolCall {
    pub id_hash: u64,
    pub name: Sym,
    pub response: Option<u32>,
    pub ts: Option<Millis>,
    pub session: Sym,
    pub project: Sym,
    pub agent: Option<Sym>,
    pub input: ToolInput,
    /// Its result's position in `tool_results`, when one was recorded (`result_of`).
    pub result: Option<u32>,
}

/// One tool result, deduplicated by tool_use id.
#[derive(Clone, Debug)]
pub struct ToolResult {
    pub tool_use_hash: u64,
    pub is_error: bool,
    /// The start of an error result's text (not yet sanitized for a terminal).
    pub error_sample: Option<Box<str>>,
    pub size: u32,
    /// Stored bytes of the result's `content`, and its hash when ≥ `HASHED_RESULT_BYTES`.
    pub content_bytes: u32,
    pub content_hash: u64,
    pub ts: Option<Millis>,
    pub agent_spawned: Option<Sym>,
}

/// An API error or usage limit Claude Code reported.
#[derive(Clone, Debug)]
pub struct ApiError {
    pub ts: Option<Millis>,
    pub session: Sym,
    pub kind: Box<str>,
}

/// A thread's context replaced by a summary (`/compact`, or automatic near the limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Compaction {
    pub ts: Option<Millis>,
    pub session: Sym,
    /// The sub-agent whose context was compacted; None for the main thread.
    pub agent: Option<Sym>,
}

/// What `agent-<id>.meta.json` says about a sub-agent.
#[derive(Clone, Debug, Default)]
pub struct AgentMeta {
    pub agent_type: Option<Sym>,
    pub tool_use_hash: Option<u64>,
}

/// The whole model.
#[derive(Debug, Default)]
pub struct Dataset {
    pub strings: Interner,
    /// Distinct attribution tuples of the responses (`Response::attr`).
    pub attributions: AttrTable,
    pub files: Vec<FileInfo>,
    /// Sorted by timestamp (undated last), then file and line.
    pub responses: Vec<Response>,
    pub prompts: Vec<Prompt>,
    pub tool_calls: Vec<ToolCall>,
    pub tool_results: Vec<ToolResult>,
    pub agent_meta: BTreeMap<Sym, AgentMeta>,
    /// Inline (1.0.x) sub-agent runs and the `tool_use` id of the call that spawned each.
    pub inline_spawns: BTreeMap<Sym, u64>,
    /// API errors and usage limits (`<synthetic>` lines), once per time and kind (resumed
    /// copies dropped), in time order.
    pub api_errors: Vec<ApiError>,
    /// Interrupted turns: (time, session), once per time.
    pub interrupts: Vec<(Option<Millis>, Sym)>,
    /// Compactions, once per time and thread, in time order.
    pub compactions: Vec<Compaction>,
    pub dedupe: DedupeStats,
    /// Progress embeddings kept because no sub-agent file carried the same response.
    pub progress_only_responses: u64,
    /// Every project's display name and working directory.
    pub projects: ProjectNames,
    /// `response_models`, found on first use.
    models: std::sync::OnceLock<Vec<Sym>>,
}

impl Dataset {
    pub fn name(&self, s: Sym) -> &str {
        self.strings.resolve(s)
    }

    /// The distinct models of `responses`, in order of first use: found by one pass the
    /// first time they are asked for, so that each analyzer's pricing setup does not walk
    /// every response again. `responses` must not change afterwards.
    pub fn response_models(&self) -> &[Sym] {
        self.models.get_or_init(|| {
            let mut seen = FastSet::default();
            let models = self.responses.iter().map(|r| r.model);
            models.filter(|&m| seen.insert(m)).collect()
        })
    }

    /// The attribution fields of a response.
    pub fn attribution(&self, r: &Response) -> &super::attribution::Attribution {
        self.attributions.get(r.attr)
    }

    /// A project's name for people (`model::projects`), else its directory's name.
    pub fn project_name(&self, project: Sym) -> &str {
        self.projects
            .get(project)
            .map_or_else(|| self.name(project), |p| p.display.as_str())
    }

    /// A project's names: its display name and working directory.
    pub fn project(&self, project: Sym) -> ProjectName {
        self.projects
            .get(project)
            .cloned()
            .unwrap_or_else(|| ProjectName {
                display: self.name(project).to_string(),
                cwd: None,
            })
    }

    /// The result of a tool call, if it was recorded.
    pub fn result_of(&self, call: &ToolCall) -> Option<&ToolResult> {
        call.result.map(|i| &self.tool_results[i as usize])
    }

    /// Builds the model. `strings` already holds the file-level names in `files`;
    /// `partials[i]` belongs to `files[i]`.
    pub fn build(
        strings: Interner,
        files: Vec<FileInfo>,
        mut partials: Vec<FilePartial>,
    ) -> Dataset {
        let mut ds = Dataset {
            strings,
            files,
            ..Dataset::default()
        };
        let file_rank = rank_files(&ds.files);
        let remaps: Vec<Vec<Sym>> = partials
            .iter()
            .map(|p| ds.strings.absorb(&p.strings))
            .collect();

        let n: usize = partials.iter().map(|p| p.responses.len()).sum();
        // Every response line with its file and index in the file's list; the kept ones
        // leave as (file, index) so that the lists can be freed one by one as they are
        // placed.
        let mut lines: Vec<(u32, u32, &ResponseLine)> = Vec::with_capacity(n);
        for (fi, p) in partials.iter().enumerate() {
            lines.extend((0u32..).zip(&p.responses).map(|(j, r)| (fi as u32, j, r)));
        }
        let cand = |i: usize| {
            let (fi, _, r) = lines[i];
            Candidate::of(r, file_rank[fi as usize])
        };
        let (kept, mut stats) = dedupe::dedupe_by(n, cand);
        let kept: Vec<(u32, u32)> = kept.into_iter().map(|i| (lines[i].0, lines[i].1)).collect();
        drop(lines);
        stats.duplicate_lines += partials.iter().map(|p| p.duplicates).sum::<u64>();
        ds.dedupe = stats;
        let attr_maps = ds.absorb_attributions(&partials, &remaps);
        ds.place_responses(&mut partials, &kept, &file_rank, (&remaps, &attr_maps));
        ds.progress_only_responses = ds
            .responses
            .iter()
            .filter(|r| r.origin == Origin::Progress)
            .count() as u64;
        // Tool calls name the response that carried them by dedupe key.
        let mut by_key: FastMap<DedupeKey, u32> = FastMap::default();
        if partials.iter().any(|p| !p.events().tool_calls.is_empty()) {
            by_key.reserve(ds.responses.len());
            for (pos, r) in ds.responses.iter().enumerate() {
                if r.key != DedupeKey::Unique {
                    by_key.insert(r.key, pos as u32);
                }
            }
        }
        ds.projects = ds.name_projects();
        ds.merge_events(&mut partials, &remaps, &by_key, &file_rank);
        // Freeing thousands of small allocations need not hold up the report.
        rayon::spawn(move || drop(partials));

        ds
    }

    /// Names every project (`model::projects`) from the working directories its
    /// responses ran in.
    fn name_projects(&self) -> ProjectNames {
        let mut seen: FastMap<(Sym, Sym), u64> = FastMap::default();
        let mut last = None;
        let mut run = 0;
        for r in &self.responses {
            let key = r.cwd.map(|c| (r.project, c));
            if key != last {
                if let Some(k) = last {
                    *seen.entry(k).or_default() += run;
                }
                (last, run) = (key, 0);
            }
            run += 1;
        }
        if let Some(k) = last {
            *seen.entry(k).or_default() += run;
        }
        let mut by_project: BTreeMap<Sym, BTreeMap<&str, u64>> = self
            .files
            .iter()
            .map(|f| (f.project, BTreeMap::new()))
            .collect();
        for ((project, cwd), n) in seen {
            *by_project
                .entry(project)
                .or_default()
                .entry(self.name(cwd))
                .or_default() += n;
        }
        let list: Vec<(Sym, &str, Option<&str>)> = by_project
            .iter()
            .map(|(&p, cwds)| {
                let dir = self.name(p);
                let seen = cwds.iter().filter(|(c, _)| !c.is_empty());
                (p, dir, pick_cwd(dir, seen.map(|(&c, &n)| (c, n))))
            })
            .collect();
        ProjectNames::new(&list)
    }

    /// Turns the kept lines (file, index in its list; in file order) into responses, in
    /// time order (undated last), then file rank and line: a total order. Each file's
    /// lines are freed as soon as its kept ones are placed, and the responses are put in
    /// order in place, so the lines and the responses never both hold the whole history.
    fn place_responses(
        &mut self,
        partials: &mut [FilePartial],
        kept: &[(u32, u32)],
        file_rank: &[u32],
        (remaps, attr_maps): (&[Vec<Sym>], &[Vec<u32>]),
    ) {
        let mut out = Vec::with_capacity(kept.len());
        let mut order: Vec<((Millis, u32, u32), u32)> = Vec::with_capacity(kept.len());
        let mut next = 0;
        for (fi, p) in partials.iter_mut().enumerate() {
            let list = std::mem::take(&mut p.responses);
            let project = self.files[fi].project;
            while let Some(&(_, j)) = kept.get(next).filter(|k| k.0 as usize == fi) {
                let r = &list[j as usize];
                let ts = r.ts.unwrap_or(Millis::MAX);
                order.push(((ts, file_rank[fi], r.line), out.len() as u32));
                out.push(response_of(
                    r,
                    fi as u32,
                    project,
                    &remaps[fi],
                    &attr_maps[fi],
                ));
                next += 1;
            }
        }
        put_in_order(&mut out, order);
        self.responses = out;
    }

    /// Adds every partial's attribution tuples to the global table; returns, per file,
    /// the table that maps its indices to the global ones.
    fn absorb_attributions(
        &mut self,
        partials: &[FilePartial],
        remaps: &[Vec<Sym>],
    ) -> Vec<Vec<u32>> {
        partials
            .iter()
            .zip(remaps)
            .map(|(p, m)| {
                p.attributions
                    .iter()
                    .map(|a| self.attributions.intern(a.remap(m)))
                    .collect()
            })
            .collect()
    }

    /// Moves the prompts, tool calls and tool results out of the partials, keeping the
    /// first copy of each (by line uuid, or `tool_use` id) in file order. The three kinds
    /// are merged in parallel.
    fn merge_events(
        &mut self,
        partials: &mut [FilePartial],
        remaps: &[Vec<Sym>],
        by_key: &FastMap<DedupeKey, u32>,
        file_rank: &[u32],
    ) {
        let projects: Vec<Sym> = self.files.iter().map(|f| f.project).collect();
        let mut seen_errors = FastSet::default();
        let mut seen_interrupts = FastSet::default();
        let mut seen_compactions = FastSet::default();
        // Events copied into a resumed session's file belong to the original: files are
        // visited finished first (older mtime), as the dedupe rule prefers them.
        let mut order: Vec<usize> = (0..partials.len()).collect();
        order.sort_by_key(|&fi| file_rank[fi]);
        let mut events: Vec<Events> = partials.iter_mut().map(FilePartial::take_events).collect();
        for &fi in &order {
            let (e, m) = (&events[fi], &remaps[fi]);
            for &(agent, call) in &e.inline_spawns {
                self.inline_spawns
                    .entry(m[agent.index() as usize])
                    .or_insert(call);
            }
            for err in &e.api_errors {
                if seen_errors.insert((err.ts, err.kind.clone())) {
                    self.api_errors.push(ApiError {
                        ts: err.ts,
                        session: m[err.session.index() as usize],
                        kind: err.kind.clone(),
                    });
                }
            }
            for &(ts, session) in &e.interrupts {
                if seen_interrupts.insert(ts) {
                    self.interrupts.push((ts, m[session.index() as usize]));
                }
            }
            for c in &e.compactions {
                let c = remap_compaction(c, m);
                if seen_compactions.insert((c.ts, c.agent)) {
                    self.compactions.push(c);
                }
            }
        }
        self.api_errors
            .sort_by_key(|e| (e.ts.unwrap_or(Millis::MAX), e.kind.clone()));
        self.interrupts.sort_by_key(|i| i.0.unwrap_or(Millis::MAX));
        self.compactions
            .sort_by_key(|c| c.ts.unwrap_or(Millis::MAX));
        let prompts: Vec<_> = events
            .iter_mut()
            .map(|e| std::mem::take(&mut e.prompts))
            .collect();
        let calls: Vec<_> = events
            .iter_mut()
            .map(|e| std::mem::take(&mut e.tool_calls))
            .collect();
        let results: Vec<_> = events
            .iter_mut()
            .map(|e| std::mem::take(&mut e.tool_results))
            .collect();
        drop(events);
        let ((prompts, mut calls), (results, index)) = rayon::join(
            || {
                rayon::join(
                    || merge_prompts(prompts, remaps, &projects),
                    || merge_calls(calls, remaps, &projects, by_key),
                )
            },
            || merge_results(results, remaps),
        );
        // Each call is linked to its result once, here, instead of by a hash lookup in
        // every analyzer that asks; the index is then freed.
        calls
            .par_iter_mut()
            .for_each(|c| c.result = index.get(&c.id_hash).copied());
        (self.prompts, self.tool_calls, self.tool_results) = (prompts, calls, results);
    }
}

/// The first copy of each prompt (by line uuid), in time order; prompts of the same
/// instant stay in file and line order (a stable sort: never in hash order).
fn merge_prompts(
    per_file: Vec<Vec<PromptLine>>,
    remaps: &[Vec<Sym>],
    projects: &[Sym],
) -> Vec<Prompt> {
    let n = per_file.iter().map(Vec::len).sum();
    let mut seen = FastSet::with_capacity_and_hasher(n, std::hash::BuildHasherDefault::default());
    let mut out = Vec::with_capacity(n);
    for (fi, lines) in per_file.into_iter().enumerate() {
        let m = &remaps[fi];
        for q in lines {
            if seen.insert(q.uuid_hash) {
                out.push(Prompt {
                    uuid_hash: q.uuid_hash,
                    kind: q.kind,
                    ts: q.ts,
                    session: m[q.session.index() as usize],
                    project: projects[fi],
                    agent: q.agent.map(|s| m[s.index() as usize]),
                    sidechain: q.sidechain,
                    text_len: q.text_len,
                    text_hash: q.text_hash,
                    snippet: q.snippet,
                });
            }
        }
    }
    sort_by_time(&mut out, |q| q.ts);
    out
}

/// The first copy of each tool call (by `tool_use` id), in time order; calls of the same
/// instant stay in file and line order (a stable sort: never in hash order).
fn merge_calls(
    per_file: Vec<Vec<ToolCallLine>>,
    remaps: &[Vec<Sym>],
    projects: &[Sym],
    by_key: &FastMap<DedupeKey, u32>,
) -> Vec<ToolCall> {
    let n = per_file.iter().map(Vec::len).sum();
    let mut seen = FastSet::with_capacity_and_hasher(n, std::hash::BuildHasherDefault::default());
    let mut out = Vec::with_capacity(n);
    for (fi, lines) in per_file.into_iter().enumerate() {
        for c in lines {
            if seen.insert(c.id_hash) {
                out.push(remap_call(c, &remaps[fi], projects[fi], by_key));
            }
        }
    }
    sort_by_time(&mut out, |c| c.ts);
    out
}

/// The first copy of each tool result (by `tool_use` id), in file order, and the index
/// from `tool_use` id to its position.
fn merge_results(
    per_file: Vec<Vec<ToolResultLine>>,
    remaps: &[Vec<Sym>],
) -> (Vec<ToolResult>, FastMap<u64, u32>) {
    let n = per_file.iter().map(Vec::len).sum();
    let mut index: FastMap<u64, u32> =
        FastMap::with_capacity_and_hasher(n, std::hash::BuildHasherDefault::default());
    let mut out = Vec::with_capacity(n);
    for (fi, lines) in per_file.into_iter().enumerate() {
        for r in lines {
            if let std::collections::hash_map::Entry::Vacant(e) = index.entry(r.tool_use_hash) {
                e.insert(out.len() as u32);
                out.push(remap_result(r, &remaps[fi]));
            }
        }
    }
    (out, index)
}

fn remap_call(
    c: ToolCallLine,
    m: &[Sym],
    project: Sym,
    by_key: &FastMap<DedupeKey, u32>,
) -> ToolCall {
    ToolCall {
        id_hash: c.id_hash,
        name: m[c.name.index() as usize],
        response: by_key.get(&c.response).copied(),
        ts: c.ts,
        session: m[c.session.index() as usize],
        project,
        agent: c.agent.map(|s| m[s.index() as usize]),
        input: c.input,
        result: None,
    }
}

fn remap_compaction(c: &CompactionLine, m: &[Sym]) -> Compaction {
    Compaction {
        ts: c.ts,
        session: m[c.session.index() as usize],
        agent: c.agent.map(|s| m[s.index() as usize]),
    }
}

fn remap_result(r: ToolResultLine, m: &[Sym]) -> ToolResult {
    ToolResult {
        tool_use_hash: r.tool_use_hash,
        is_error: r.is_error,
        error_sample: r.error_sample,
        size: r.size,
        content_bytes: r.content_bytes,
        content_hash: r.content_hash,
        ts: r.ts,
        agent_spawned: r.agent_spawned.map(|s| m[s.index() as usize]),
    }
}

/// A kept line of file `fi` as a response, its ids mapped to the global ones.
fn response_of(r: &ResponseLine, fi: u32, project: Sym, m: &[Sym], attrs: &[u32]) -> Response {
    Response {
        tokens: r.tokens,
        ts: r.ts,
        model: m[r.model.index() as usize],
        session: m[r.session.index() as usize],
        project,
        cwd: r.cwd.map(|s| m[s.index() as usize]),
        agent: r.agent.map(|s| m[s.index() as usize]),
        origin: r.origin,
        recorded_cost: r.recorded_cost,
        turn: r.turn,
        file: fi,
        thinking_chars: r.thinking_chars,
        key: r.key,
        message_hash: r.message_hash,
        attr: attrs.get(r.attr as usize).copied().unwrap_or(0),
    }
}

/// Puts `v` in time order (undated last), keeping the order of records of the same
/// instant (a stable sort). The times and positions are sorted, then the records moved
/// once each (`permute`): a stable sort of the records themselves would move each of
/// them many times and borrow a buffer of up to half the list.
fn sort_by_time<T>(v: &mut [T], ts: impl Fn(&T) -> Option<Millis>) {
    let order = v
        .iter()
        .enumerate()
        .map(|(i, x)| (ts(x).unwrap_or(Millis::MAX), i as u32))
        .collect();
    put_in_order(v, order);
}

/// Sorts `order`, each record's key and position in `v`, and moves the records of `v`
/// into that order (`permute`). With the position in each pair, ties keep the order of
/// `v`.
fn put_in_order<T, K: Ord>(v: &mut [T], mut order: Vec<(K, u32)>) {
    order.sort_unstable();
    permute(v, order.into_iter().map(|o| o.1).collect());
}

/// Reorders `v` in place so that position k holds what was at `from[k]` (`from` is a
/// permutation of the positions): each cycle is walked once, every element moved once.
/// A cycle visits records all over the list, each a miss in the cache: the record
/// `AHEAD` steps further along the cycle (known from `from`, a small array) is asked for
/// while the current one moves, so the misses overlap instead of following each other.
fn permute<T>(v: &mut [T], mut from: Vec<u32>) {
    const DONE: u32 = u32::MAX;
    const AHEAD: usize = 8;
    for start in 0..v.len() {
        if from[start] == DONE {
            continue;
        }
        // Within a cycle only `start` is marked done, once it has been left: `ahead` stops
        // there.
        let mut ahead = start as u32;
        for _ in 0..AHEAD {
            ahead = from[ahead as usize];
        }
        let mut k = start;
        while from[k] != DONE {
            let src = from[k] as usize;
            from[k] = DONE;
            if src == start {
                break;
            }
            if ahead != DONE {
                prefetch(&v[ahead as usize]);
                ahead = from[ahead as usize];
            }
            v.swap(k, src);
            k = src;
        }
    }
}

/// Asks the CPU to bring `x` into the cache (a hint; a no-op off x86_64).
#[inline]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    for line in (0..size_of::<T>()).step_by(64) {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let p = std::ptr::from_ref(x).cast::<i8>().wrapping_add(line);
        // SAFETY: SSE is part of the x86_64 baseline; a prefetch never faults and
        // changes no memory, whatever the address.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(p) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// Rank of each file in "finished first (older mtime), then path" order.
fn rank_files(files: &[FileInfo]) -> Vec<u32> {
    let mut idx: Vec<usize> = (0..files.len()).collect();
    idx.sort_by(|&a, &b| {
        files[a]
            .mtime
            .cmp(&files[b].mtime)
            .then_with(|| files[a].path.cmp(&files[b].path))
    });
    let mut rank = vec![0u32; files.len()];
    for (r, &i) in idx.iter().enumerate() {
        rank[i] = r as u32;
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::{Dataset, Millis, Response, permute, sort_by_time};
    use crate::model::record::{DedupeKey, Origin, RecordedCost};

    #[test]
    fn response_models_are_distinct_in_order_of_first_use() {
        let mut ds = Dataset::default();
        let [a, other, b] = ["opus", "a-session", "sonnet"].map(|s| ds.strings.intern(s));
        ds.responses = [b, a, b, a]
            .into_iter()
            .map(|model| Response {
                tokens: crate::model::Tokens::default(),
                ts: None,
                model,
                session: other,
                project: other,
                cwd: None,
                agent: None,
                origin: Origin::Main,
                recorded_cost: RecordedCost::NONE,
                turn: None,
                file: 0,
                thinking_chars: 0,
                key: DedupeKey::Unique,
                message_hash: 0,
                attr: 0,
            })
            .collect();
        assert_eq!(ds.response_models(), [b, a]);
    }

    #[test]
    fn sorting_by_time_is_stable_with_undated_last() {
        let mut v = vec![
            (Some(3), 0),
            (None, 1),
            (Some(1), 2),
            (Some(3), 3),
            (None, 4),
        ];
        v.extend((5..300).map(|i| (Some(i64::from(i % 7)), i)));
        let mut want = v.clone();
        want.sort_by_key(|x| x.0.unwrap_or(Millis::MAX));
        sort_by_time(&mut v, |x| x.0);
        assert_eq!(v, want);
    }

    #[test]
    fn permute_moves_each_element_to_its_place() {
        let mut v: Vec<char> = "abcdef".chars().collect();
        // Two cycles (0 2 4) and (1 5), and a fixed point (3).
        permute(&mut v, vec![2, 5, 4, 3, 0, 1]);
        assert_eq!(v.iter().collect::<String>(), "cfedab");
        let mut w: Vec<u32> = (0..500).collect();
        let from: Vec<u32> = (0..500).map(|i| (i * 7 + 3) % 500).collect();
        permute(&mut w, from.clone());
        assert_eq!(w, from, "a larger permutation, several cycles");
        // A shuffle: cycles of every length, shorter and longer than the look-ahead.
        let mut from: Vec<u32> = (0..5000).collect();
        let mut x = 12345u64;
        for i in (1..from.len()).rev() {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            from.swap(i, (x >> 33) as usize % (i + 1));
        }
        let mut w: Vec<u32> = (0..5000).collect();
        permute(&mut w, from.clone());
        assert_eq!(w, from, "a shuffle");
        let mut e: Vec<u8> = Vec::new();
        permute(&mut e, Vec::new());
        assert!(e.is_empty());
    }
}
