//! The demo history bundled in the binary (a generated corpus in fixtures/demo, embedded
//! deflated by build.rs), presented as a `Discovery` so `--demo` runs every command
//! through the same scan as real data. It is inflated once, on first use, so runs
//! without `--demo` never pay for it.

use crate::scan::discover::{Discovery, Found, MetaFile, path_session, project_of};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// Every demo file as (path relative to `projects/`, contents), in path order.
pub fn files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    static RAW: OnceLock<Vec<u8>> = OnceLock::new();
    let raw = RAW.get_or_init(|| {
        // build.rs deflated these bytes itself: failing to inflate them is a broken build.
        miniz_oxide::inflate::decompress_to_vec_with_limit(DEMO_PACK, DEMO_RAW_LEN)
            .expect("the embedded demo history inflates")
    });
    DEMO_INDEX
        .iter()
        .map(|&(rel, start, len)| (rel, &raw[start..start + len]))
}

/// The demo files as if discovered under `projects/` (optionally one project only).
pub fn discovery(project: Option<&str>) -> Discovery {
    let mut out = Discovery::default();
    for (rel, bytes) in files() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_demo_inflates_to_the_fixture_files() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/projects");
        let mut n = 0;
        for (rel, bytes) in files() {
            assert_eq!(bytes, std::fs::read(root.join(rel)).unwrap(), "{rel}");
            n += 1;
        }
        assert_eq!(n, DEMO_INDEX.len());
        assert!(
            n > 10 && DEMO_PACK.len() * 3 < DEMO_RAW_LEN,
            "{n} files, {} bytes",
            DEMO_PACK.len()
        );
    }
}
