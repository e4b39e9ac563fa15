//! The working directory of every project directory, read cheaply: the first lines of
//! its newest transcripts, until a `cwd` names the directory. `--project` uses this to
//! find a project by the name reports show (`model::projects`) before the scan proper,
//! which then reads that project only.

use super::discover::{Discovery, Found};
use super::read::open_regular;
use crate::model::projects::names_dir;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read;

/// Bytes read from the start of each transcript.
const HEAD_BYTES: u64 = 256 * 1024;
/// Transcripts tried per project.
const FILES_TRIED: usize = 3;

#[derive(Deserialize)]
struct CwdLine {
    cwd: Option<String>,
}

/// `(directory, working directory)` for every project found, in directory order.
pub fn project_cwds(found: &Discovery) -> Vec<(String, Option<String>)> {
    let mut by_project: BTreeMap<&str, Vec<&Found>> = BTreeMap::new();
    for f in &found.files {
        by_project.entry(f.project.as_str()).or_default().push(f);
    }
    by_project
        .into_par_iter()
        .map(|(dir, mut files)| {
            // Main transcripts before sub-agents', newest first.
            files.sort_by_key(|f| {
                let sub = f.path.components().any(|c| c.as_os_str() == "subagents");
                (sub, std::cmp::Reverse(f.mtime), f.path.clone())
            });
            let cwd = cwd_of(dir, files.into_iter().take(FILES_TRIED));
            (dir.to_string(), cwd)
        })
        .collect()
}

/// The first `cwd` of these files that names `dir`, else the first one seen.
fn cwd_of<'a>(dir: &str, files: impl Iterator<Item = &'a Found>) -> Option<String> {
    let mut first = None;
    for f in files {
        for cwd in head(f).into_iter().flat_map(|bytes| cwds(&bytes)) {
            if names_dir(&cwd, dir) {
                return Some(cwd);
            }
            first.get_or_insert(cwd);
        }
    }
    first
}

/// The first `HEAD_BYTES` of a file (nothing when it cannot be read).
fn head(f: &Found) -> Option<Vec<u8>> {
    if let Some(bytes) = f.embedded {
        let n = bytes.len().min(HEAD_BYTES as usize);
        return Some(bytes[..n].to_vec());
    }
    let (file, _) = open_regular(&f.path).ok()?;
    let mut out = Vec::new();
    file.take(HEAD_BYTES).read_to_end(&mut out).ok()?;
    Some(out)
}

/// The non-empty `cwd` values of the complete lines in `bytes`.
fn cwds(bytes: &[u8]) -> Vec<String> {
    let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    bytes[..complete]
        .split(|&b| b == b'\n')
        .filter(|l| memchr::memmem::find(l, b"\"cwd\"").is_some())
        .filter_map(|l| serde_json::from_slice::<CwdLine>(l).ok()?.cwd)
        .filter(|c| !c.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_lines_give_their_working_directories() {
        let bytes =
            b"{\"type\":\"user\",\"cwd\":\"/a/b\"}\nnot json\n{\"cwd\":\"\"}\n{\"cwd\":\"/c\"";
        assert_eq!(cwds(bytes), ["/a/b"]);
    }
}
