//! `ledger status`: what a ledger covers — records and tokens by month and machine, and
//! its size on disk. Computes a plain `Status`; `output` shows it.

use super::store;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A ledger's coverage.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub dir: String,
    pub exists: bool,
    pub format_version: u32,
    pub segments: u64,
    pub bytes: u64,
    pub records: u64,
    pub bad_records: u64,
    pub months: Vec<MonthStatus>,
    pub machines: Vec<MachineStatus>,
}

#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MonthStatus {
    pub month: String,
    pub records: u64,
    pub tokens: u64,
    pub bytes: u64,
    pub machines: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MachineStatus {
    pub machine: String,
    pub records: u64,
    pub tokens: u64,
    pub first_month: String,
    pub last_month: String,
}

/// Reads the whole ledger at `dir`.
pub fn status(dir: &Path) -> anyhow::Result<Status> {
    let mut st = Status {
        dir: dir.display().to_string(),
        exists: dir.is_dir(),
        format_version: super::record::VERSION,
        ..Status::default()
    };
    let mut machines: BTreeMap<String, MachineStatus> = BTreeMap::new();
    for seg in store::segments(dir)? {
        let (records, bad) = store::parse_lines(&store::read_lines(&seg.path)?);
        st.segments += 1;
        st.bytes += seg.bytes;
        st.bad_records += bad;
        let mut m = MonthStatus {
            month: seg.month.clone(),
            bytes: seg.bytes,
            ..MonthStatus::default()
        };
        let mut names = BTreeSet::new();
        for r in &records {
            let tokens = r.tokens().total();
            m.records += 1;
            m.tokens += tokens;
            names.insert(r.machine.clone());
            let ms = machines
                .entry(r.machine.clone())
                .or_insert_with(|| MachineStatus {
                    machine: r.machine.clone(),
                    first_month: seg.month.clone(),
                    ..MachineStatus::default()
                });
            ms.records += 1;
            ms.tokens += tokens;
            ms.last_month.clone_from(&seg.month);
        }
        st.records += m.records;
        m.machines = names.into_iter().collect();
        st.months.push(m);
    }
    st.machines = machines.into_values().collect();
    Ok(st)
}
