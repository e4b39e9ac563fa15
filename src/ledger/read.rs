//! Reading ledgers for a report: every segment whose month can touch the window is
//! decompressed and parsed (in parallel), its records filtered by project and machine and
//! turned back into the scanner's lines (`scan::Extra`), one group per session, so the
//! model merges them with the live transcripts by the one dedupe rule. A record's project
//! becomes the live project directory with the same hash when there is one, else its
//! stored directory (`--show-paths`), else its display name.

use super::record::{Record, project_hash};
use super::store;
use crate::model::diagnostics::LedgerUse;
use crate::model::record::FilePartial;
use crate::scan::discover::Found;
use crate::scan::{Extra, ExtraFile};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Which records to read.
#[derive(Clone, Debug, Default)]
pub struct ReadFilter {
    /// Only this project directory (`--project`).
    pub project: Option<String>,
    /// Only records of this machine (`--machine`).
    pub machine: Option<String>,
    /// Months (`YYYY-MM`) outside `[since, until]` are not read; None: no bound.
    pub since: Option<String>,
    pub until: Option<String>,
    /// Project directory names of the live transcripts.
    pub live_projects: Vec<String>,
    /// Sessions the live transcripts hold: a record with a made-up key (its line had no
    /// `message.id`) of such a session is already counted from its transcript.
    pub live_sessions: BTreeSet<String>,
}

/// Reads the ledgers in `dirs` (missing ones are empty).
pub fn load(dirs: &[PathBuf], filter: &ReadFilter) -> anyhow::Result<(Extra, LedgerUse)> {
    let segs = wanted_segments(dirs, filter)?;
    let by_hash: BTreeMap<String, &str> = filter
        .live_projects
        .iter()
        .map(|p| (project_hash(p), p.as_str()))
        .collect();
    let want_project = filter.project.as_deref().map(project_hash);
    let parsed: Vec<anyhow::Result<(Vec<Record>, u64)>> = segs
        .par_iter()
        .map(|(_, s)| {
            let lines = store::read_lines(&s.path).map_err(|e| {
                anyhow::anyhow!("cannot read the ledger segment {}: {e}", s.path.display())
            })?;
            Ok(store::parse_lines(&lines))
        })
        .collect();
    let mut used = LedgerUse {
        ledgers: dirs.len() as u64,
        segments_read: segs.len() as u64,
        ..LedgerUse::default()
    };
    let mut groups: BTreeMap<(usize, String, String), FilePartial> = BTreeMap::new();
    let mut agent_types = BTreeMap::new();
    let mut machines = BTreeSet::new();
    for ((li, _), res) in segs.iter().zip(parsed) {
        let (records, bad) = res?;
        used.bad_records += bad;
        for rec in records {
            let wanted = want_project.as_ref().is_none_or(|h| *h == rec.project_hash)
                && filter.machine.as_ref().is_none_or(|m| *m == rec.machine)
                && !(rec.is_unkeyed() && filter.live_sessions.contains(&rec.session));
            if !wanted {
                continue;
            }
            used.records_read += 1;
            machines.insert(rec.machine.clone());
            if let (Some(a), Some(t)) = (&rec.agent, &rec.agent_type) {
                agent_types.entry(a.clone()).or_insert_with(|| t.clone());
            }
            let project = by_hash
                .get(&rec.project_hash)
                .map(|p| (*p).to_string())
                .or_else(|| rec.project_dir.clone())
                .unwrap_or_else(|| rec.project.clone());
            let p = groups
                .entry((*li, project, rec.session.clone()))
                .or_default();
            let line = p.responses.len() as u32;
            rec.add_to(p, line);
        }
    }
    used.machines = machines.into_iter().collect();
    let files = groups
        .into_iter()
        .map(|((li, project, session), partial)| ExtraFile {
            found: Found {
                path: dirs[li].join(format!("{project}/{session}")),
                project,
                path_session: session,
                size: 0,
                // Ranked after every transcript: a copy still on disk is the one kept.
                mtime: i64::MAX,
                embedded: None,
            },
            partial,
        })
        .collect();
    let extra = Extra {
        files,
        agent_types: agent_types.into_iter().collect(),
    };
    Ok((extra, used))
}

/// The segments whose months can touch the window, with their ledger's index.
fn wanted_segments(
    dirs: &[PathBuf],
    filter: &ReadFilter,
) -> anyhow::Result<Vec<(usize, store::Segment)>> {
    let mut segs = Vec::new();
    for (li, dir) in dirs.iter().enumerate() {
        for s in store::segments(dir)? {
            let after = filter
                .until
                .as_ref()
                .is_some_and(|u| s.month.as_str() > u.as_str());
            let before = filter
                .since
                .as_ref()
                .is_some_and(|b| s.month.as_str() < b.as_str());
            // Undated records count in every window, as undated transcript lines do.
            if s.month == "undated" || !(after || before) {
                segs.push((li, s));
            }
        }
    }
    Ok(segs)
}
