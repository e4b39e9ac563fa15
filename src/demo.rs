//! The demo history bundled in the binary (generated once with gen_corpus.py into
//! fixtures/demo and embedded by build.rs), presented as a `Discovery` so `--demo` runs
//! every command through the same scan as real data.

use crate::scan::discover::{Discovery, Found, MetaFile, path_session, project_of};
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// The demo files as if discovered under `projects/` (optionally one project only).
pub fn discovery(project: Option<&str>) -> Discovery {
    let mut out = Discovery::default();
    for (rel, bytes) in DEMO_FILES {
        let relp = Path::new(rel);
        if project.is_some_and(|p| project_of(relp) != p) {
            continue;
        }
        let path = PathBuf::from("demo/projects").join(relp);
        if let Some(id) = relp
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix("agent-"))
            .and_then(|n| n.strip_suffix(".meta.json"))
        {
            out.meta.push(MetaFile {
                agent_id: id.to_string(),
                path,
                embedded: Some(bytes),
            });
        } else if rel.ends_with(".jsonl") {
            out.files.push(Found {
                project: project_of(relp),
                path_session: path_session(relp),
                size: bytes.len() as u64,
                mtime: 0,
                path,
                embedded: Some(bytes),
            });
        }
    }
    out
}
