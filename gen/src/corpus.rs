//! The corpus driver: plans sessions (project, start, kind) from the master seed, runs
//! them in parallel in fixed-size batches (each from its own random stream, so the bytes
//! do not depend on the thread count), resumes some, damages a share of files with one
//! malformed line, stops at the session count or byte target in session order, writes the
//! files with their mtimes, and merges the truth in session order.

use crate::Options;
use crate::calendar::{DAY, HOUR, MINUTE, Ms, SECOND, midnight, weekday};
use crate::pools::Pools;
use crate::project::{Project, make_projects};
use crate::rng::{Rng, zipf};
use crate::session::{Body, Env, Kind, Line, OutFile, Plan, Session};
use crate::truth::{SessionTruth, Tally};
use crate::vocab::{NON_JSON_LINES, NOT_OBJECT_LINES};
use anyhow::{Context, Result};
use chrono::Days;
use rayon::prelude::*;
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Sessions generated per parallel batch (fixed, so output does not depend on threads).
const BATCH: u64 = 48;
/// Sessions over this many bytes are not resumed.
const RESUME_MAX_BYTES: usize = 8 << 20;

/// One finished session: its truth, tally and files, ready to write.
pub struct Done {
    pub truth: SessionTruth,
    pub tally: Tally,
    pub files: Vec<(String, Vec<u8>, Ms)>,
    pub bytes: u64,
}

/// Everything the planner needs, fixed before the first session.
pub struct World {
    pub env: Env,
    pub projects: Vec<Project>,
    weights: Vec<f64>,
    tz_shift: i64,
    opts: Options,
}

impl World {
    pub fn new(opts: &Options) -> World {
        let mut r = Rng::new(opts.seed, &[0x0001]);
        let expected = match (opts.sessions, opts.target_bytes) {
            (s, Some(b)) => s.unwrap_or(0).max(b / 400_000 + 10),
            (Some(s), None) => s,
            (None, None) => 0,
        };
        let projects = make_projects(&mut r, expected as usize);
        let weights = (0..projects.len()).map(|i| zipf(i, 0.9)).collect();
        let tz_shift = *r.pick(&[0, 5, 7, 8, -1, -2, 4]);
        let end_bound = midnight(opts.end_date) + DAY;
        World {
            env: Env {
                pools: Pools::new(opts.seed),
                seed: opts.seed,
                dup_rate: opts.dup_rate,
                subagent_rate: opts.subagent_rate,
                progress_rate: 0.25,
                end_bound,
            },
            projects,
            weights,
            tz_shift,
            opts: opts.clone(),
        }
    }

    /// Session `index`'s project, start and kind.
    fn plan(&self, index: u64) -> Plan {
        let mut r = Rng::new(self.env.seed, &[0x91A7, index]);
        let project = r.weighted(&self.weights);
        let days = u64::from(self.opts.days);
        let end = self.opts.end_date;
        let back = |n: u64| end.checked_sub_days(Days::new(n)).expect("date in range");
        let mut day = back((r.f64() * days as f64) as u64);
        if weekday(day) >= 5 && r.chance(0.5) {
            day = day
                .checked_sub_days(Days::new(r.range(1, 2)))
                .expect("date in range");
            if day < back(days - 1) {
                day = back(r.range(0, days - 1));
            }
        }
        let hour = (14.5 + r.gauss() * 3.5).clamp(0.0, 23.9);
        let mut start = midnight(day)
            + (hour * HOUR as f64) as Ms
            + self.tz_shift * HOUR
            + r.range(0, 59_000) as Ms;
        if start > self.env.end_bound - HOUR {
            start -= DAY;
        }
        Plan {
            index,
            project,
            start,
            kind: Kind::of(r.f64()),
        }
    }

    /// Session `index` and, sometimes, a later session that resumes it.
    pub fn job(&self, index: u64) -> Vec<Done> {
        let plan = self.plan(index);
        let project = &self.projects[plan.project];
        let mut a = Session::new(&self.env, project, &plan, 0, Tally::default());
        let lines = a.generate(None);
        let mut r = Rng::new(self.env.seed, &[0x2E5, index]);
        let bytes: usize = lines.iter().map(|l| l.text.len() + 1).sum();
        let end = a.end;
        let resume = r.chance(self.opts.resume_rate)
            && bytes < RESUME_MAX_BYTES
            && end + 10 * MINUTE < self.env.end_bound - HOUR;
        let start_b = end + r.range(5 * 60, 6 * 3600) as Ms * SECOND;
        let mut out = Vec::with_capacity(2);
        let copy = (resume && start_b < self.env.end_bound - 30 * MINUTE).then(|| lines.clone());
        let sid = a.sid.clone();
        out.push(self.finish(a, lines, index, 0));
        if let Some(copy) = copy {
            let plan_b = Plan {
                start: start_b,
                ..plan
            };
            let mut b = Session::new(&self.env, project, &plan_b, 1, Tally::default());
            let lines_b = b.generate(Some((&sid, &copy)));
            out.push(self.finish(b, lines_b, index, 1));
        }
        out
    }

    /// Stamps mtimes, damages files and serializes them.
    fn finish(&self, mut s: Session, main: Vec<Line>, index: u64, stream: u64) -> Done {
        let end = s.end;
        s.truth.end = crate::calendar::iso(end);
        let mut files = vec![OutFile {
            rel: s.truth.file.clone(),
            body: Body::Lines(main),
        }];
        files.append(&mut s.files);
        let mut tally = std::mem::take(&mut s.tally);
        tally.see(s.start);
        let mut r = Rng::new(self.env.seed, &[0xBAD, index, stream]);
        let mut out = Vec::with_capacity(files.len());
        let mut bytes = 0;
        for f in files {
            let data = match f.body {
                Body::Meta(text) => {
                    tally.meta_json_files += 1;
                    text.into_bytes()
                }
                Body::Journal(text) => {
                    tally.journal_files += 1;
                    text.into_bytes()
                }
                Body::Lines(lines) => {
                    let data = damage(&mut r, self.opts.malformed_rate, lines, &mut tally);
                    bytes += data.len() as u64;
                    data
                }
            };
            out.push((f.rel, data, end));
        }
        tally.bytes += bytes;
        Done {
            truth: s.truth,
            tally,
            files: out,
            bytes,
        }
    }
}

/// Joins a transcript's lines, first adding one malformed line with probability `rate`:
/// a truncated assistant line (half at the end without a newline, half mid-file), a
/// line that is not JSON, an empty line, or JSON that is not an object.
fn damage(r: &mut Rng, rate: f64, lines: Vec<Line>, tally: &mut Tally) -> Vec<u8> {
    let mut strs: Vec<String> = lines.into_iter().map(|l| l.text).collect();
    let mut tail = false;
    if rate > 0.0 && r.chance(rate) {
        let kind =
            ["truncated", "non_json", "empty", "not_object"][r.weighted(&[2.0, 1.0, 1.0, 0.5])];
        *tally.malformed.entry(kind).or_default() += 1;
        let n = strs.len() as u64;
        match kind {
            "truncated" => {
                let src = strs
                    .iter()
                    .rev()
                    .find(|l| l.contains("\"type\":\"assistant\""))
                    .unwrap_or(&strs[strs.len() - 1]);
                let frag = src.replacen("\"id\":\"msg_01", "\"id\":\"msg_01X", 1);
                let lo = (frag.len() / 4).max(10) as u64;
                let hi = (frag.len().saturating_sub(5)).max(11) as u64;
                let mut cut = (r.range(lo.min(hi), hi) as usize).min(frag.len() - 1);
                while !frag.is_char_boundary(cut) {
                    cut -= 1;
                }
                let frag = frag[..cut].to_string();
                if r.chance(0.5) {
                    strs.push(frag);
                    tail = true;
                } else {
                    strs.insert(r.range(1, n) as usize, frag);
                }
            }
            "non_json" => strs.insert(r.range(0, n) as usize, r.pick(NON_JSON_LINES).to_string()),
            "empty" => strs.insert(r.range(1, n) as usize, String::new()),
            _ => strs.insert(r.range(0, n) as usize, r.pick(NOT_OBJECT_LINES).to_string()),
        }
    }
    tally.jsonl_files += 1;
    tally.lines += strs.len() as u64;
    let mut data = strs.join("\n").into_bytes();
    if !tail {
        data.push(b'\n');
    }
    data
}

/// Generates sessions in batches until the count or byte target is reached; writes each
/// accepted session's files and returns the accepted sessions in order with the tally.
pub fn run(
    world: &World,
    root: &Path,
    mut progress: impl FnMut(u64, u64),
) -> Result<(Vec<SessionTruth>, Tally)> {
    let opts = &world.opts;
    let enough = |sessions: u64, bytes: u64| match (opts.target_bytes, opts.sessions) {
        (Some(b), _) => bytes >= b,
        (None, Some(n)) => sessions >= n,
        (None, None) => true,
    };
    let (mut truths, mut tally) = (Vec::new(), Tally::default());
    let mut next = 0u64;
    let mut stop = enough(0, 0);
    while !stop {
        let batch: Vec<Vec<Done>> = (next..next + BATCH)
            .into_par_iter()
            .map(|i| world.job(i))
            .collect();
        next += BATCH;
        let mut accepted = Vec::new();
        for done in batch.into_iter().flatten() {
            if enough(
                truths.len() as u64 + accepted.len() as u64,
                tally.bytes + accepted.iter().map(|d: &Done| d.bytes).sum::<u64>(),
            ) {
                stop = true;
                break;
            }
            accepted.push(done);
        }
        write_all(root, &accepted)?;
        for d in accepted {
            truths.push(d.truth);
            tally.merge(d.tally);
        }
        progress(truths.len() as u64, tally.bytes);
    }
    Ok((truths, tally))
}

fn write_all(root: &Path, done: &[Done]) -> Result<()> {
    done.par_iter()
        .flat_map(|d| d.files.par_iter())
        .try_for_each(|(rel, data, mtime)| {
            let path = root.join(rel);
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            }
            fs::write(&path, data).with_context(|| format!("writing {}", path.display()))?;
            let when =
                SystemTime::UNIX_EPOCH + Duration::from_millis(u64::try_from(*mtime).unwrap_or(0));
            fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_modified(when))
                .with_context(|| format!("setting the mtime of {}", path.display()))
        })
}
