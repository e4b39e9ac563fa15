//! Project names for people. A project is a directory under `projects/` whose name is its
//! working directory with every character but letters and digits turned into `-`
//! (`/Users/dana/code/etl_jobs` → `-Users-dana-code-etl-jobs`), which cannot be decoded
//! back. The display name is the last component of the project's working directory
//! (`etl_jobs`), widened with parent components only where two projects would otherwise
//! share a name (`code/app`, `work/app`); without a known working directory it is the
//! directory name with its encoded parent removed. Names are computed once per dataset
//! (`Dataset::projects`) and every output uses them; this module does no I/O.

use super::ids::{FastMap, Sym};
use std::collections::BTreeMap;

/// Claude Code's directory name for a working directory: every character that is not an
/// ASCII letter or digit becomes `-`.
pub fn encode(cwd: &str) -> String {
    cwd.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Whether `cwd` is the working directory the project directory `dir` was named after
/// (Windows drive letters differ in case between the two).
pub fn names_dir(cwd: &str, dir: &str) -> bool {
    encode(cwd).eq_ignore_ascii_case(dir)
}

/// The working directory that stands for a project: the one its directory was named
/// after, else the one seen most often (ties: the first in order).
pub fn pick_cwd<'a>(dir: &str, seen: impl IntoIterator<Item = (&'a str, u64)>) -> Option<&'a str> {
    let mut best: Option<(&str, u64)> = None;
    for (cwd, n) in seen {
        if names_dir(cwd, dir) {
            return Some(cwd);
        }
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((cwd, n));
        }
    }
    best.map(|(c, _)| c)
}

/// The components of a path, Unix or Windows.
fn components(path: &str) -> Vec<&str> {
    path.split(['/', '\\']).filter(|c| !c.is_empty()).collect()
}

/// A directory name without its encoded parent: the encoded parent of a known working
/// directory (`-Users-dana-code-`), else a home directory (`-Users-dana-`, `-home-dana-`).
fn decode_dir<'a>(dir: &'a str, parents: &[String]) -> &'a str {
    let known = parents
        .iter()
        .filter(|p| dir.len() > p.len() && dir[..p.len()].eq_ignore_ascii_case(p))
        .map(String::len)
        .max();
    if let Some(n) = known {
        return &dir[n..];
    }
    for home in ["-Users-", "-home-"] {
        if let Some(rest) = dir.strip_prefix(home)
            && let Some(i) = rest.find('-')
            && i + 1 < rest.len()
        {
            return &rest[i + 1..];
        }
    }
    dir.strip_prefix('-')
        .filter(|s| !s.is_empty())
        .unwrap_or(dir)
}

/// The display name of each project `(directory, working directory)`, in the same order.
pub fn display_names(projects: &[(&str, Option<&str>)]) -> Vec<String> {
    let parents: Vec<String> = projects
        .iter()
        .filter_map(|(_, cwd)| {
            let c = (*cwd)?;
            let parts = components(c);
            let last = parts.last()?;
            let cut = c.trim_end_matches(['/', '\\']);
            Some(encode(&cut[..cut.len() - last.len()]))
        })
        .filter(|p| p.len() > 1)
        .collect();
    let parts: Vec<Vec<&str>> = projects
        .iter()
        .map(|(dir, cwd)| match cwd.map(components) {
            Some(p) if !p.is_empty() => p,
            _ => vec![decode_dir(dir, &parents)],
        })
        .collect();
    let mut depth = vec![1usize; projects.len()];
    let name = |i: usize, depth: &[usize]| parts[i][parts[i].len() - depth[i]..].join("/");
    loop {
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for i in 0..projects.len() {
            groups.entry(name(i, &depth)).or_default().push(i);
        }
        let mut widened = false;
        for members in groups.values().filter(|m| m.len() > 1) {
            for &i in members {
                if depth[i] < parts[i].len() {
                    depth[i] += 1;
                    widened = true;
                }
            }
        }
        if !widened {
            break;
        }
    }
    let names: Vec<String> = (0..projects.len()).map(|i| name(i, &depth)).collect();
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for n in &names {
        *count.entry(n.as_str()).or_default() += 1;
    }
    // Two directories for one working directory: only their directory names differ.
    names
        .iter()
        .zip(projects)
        .map(|(n, (dir, _))| {
            if count[n.as_str()] > 1 {
                (*dir).to_string()
            } else {
                n.clone()
            }
        })
        .collect()
}

/// Edit distance (Levenshtein, by character, case-insensitive).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let change = prev[j] + usize::from(ca != cb);
            cur[j + 1] = change.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The `n` names closest to `query`: those containing it first, then by edit distance.
pub fn closest<'a>(query: &str, names: &[&'a str], n: usize) -> Vec<&'a str> {
    let q = query.to_lowercase();
    let mut ranked: Vec<(bool, usize, &str)> = names
        .iter()
        .map(|&name| {
            let lower = name.to_lowercase();
            (!lower.contains(&q), distance(&q, &lower), name)
        })
        .collect();
    ranked.sort_unstable();
    ranked.dedup_by(|a, b| a.2 == b.2);
    ranked.into_iter().take(n).map(|r| r.2).collect()
}

/// The project a `--project` value names, among `(directory, working directory)` pairs:
/// a directory name, a working directory (or a path that encodes to a directory name),
/// or a display name (exactly, else the one that matches ignoring case). None when
/// nothing matches.
pub fn find<'a>(query: &str, projects: &'a [(String, Option<String>)]) -> Option<&'a str> {
    let trimmed = query.trim_end_matches(['/', '\\']);
    let by_dir = projects.iter().find(|(dir, _)| dir == query);
    let by_path = || {
        projects.iter().find(|(dir, cwd)| {
            cwd.as_deref()
                .is_some_and(|c| c.trim_end_matches(['/', '\\']) == trimmed)
                || (trimmed.contains(['/', '\\']) && names_dir(trimmed, dir))
        })
    };
    if let Some((dir, _)) = by_dir.or_else(by_path) {
        return Some(dir);
    }
    let pairs: Vec<(&str, Option<&str>)> = projects
        .iter()
        .map(|(d, c)| (d.as_str(), c.as_deref()))
        .collect();
    let names = display_names(&pairs);
    let exact = names.iter().position(|n| n == query);
    let folded: Vec<usize> = (0..names.len())
        .filter(|&i| names[i].eq_ignore_ascii_case(query))
        .collect();
    let i = exact.or(match folded.as_slice() {
        [one] => Some(*one),
        _ => None,
    })?;
    Some(&projects[i].0)
}

/// One project's names.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectName {
    /// The name people see (see the module docs).
    pub display: String,
    /// The working directory that stands for it, when one is known.
    pub cwd: Option<String>,
}

/// Every project of a dataset, by its directory's symbol.
#[derive(Clone, Debug, Default)]
pub struct ProjectNames {
    by_dir: FastMap<Sym, ProjectName>,
}

impl ProjectNames {
    /// Names projects from `(directory symbol, directory, working directory)`.
    pub fn new(projects: &[(Sym, &str, Option<&str>)]) -> ProjectNames {
        let pairs: Vec<(&str, Option<&str>)> = projects.iter().map(|p| (p.1, p.2)).collect();
        let names = display_names(&pairs);
        let by_dir = projects
            .iter()
            .zip(names)
            .map(|(&(sym, _, cwd), display)| {
                let name = ProjectName {
                    display,
                    cwd: cwd.map(str::to_string),
                };
                (sym, name)
            })
            .collect();
        ProjectNames { by_dir }
    }

    /// A project's names (None for a symbol that is no project).
    pub fn get(&self, dir: Sym) -> Option<&ProjectName> {
        self.by_dir.get(&dir)
    }

    /// The display name of a working directory: the name of the project it stands for,
    /// else its last component.
    pub fn of_path(&self, path: &str) -> String {
        let path = path.trim_end_matches(['/', '\\']);
        let project = self
            .by_dir
            .values()
            .filter(|p| p.cwd.as_deref().map(|c| c.trim_end_matches(['/', '\\'])) == Some(path))
            .map(|p| p.display.as_str())
            .min();
        match project {
            Some(name) => name.to_string(),
            None => components(path)
                .last()
                .map_or_else(|| path.to_string(), |c| (*c).to_string()),
        }
    }

    pub fn len(&self) -> usize {
        self.by_dir.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_dir.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[(&str, Option<&str>)]) -> Vec<String> {
        display_names(v)
    }

    #[test]
    fn claude_code_encodes_every_other_character() {
        assert_eq!(
            encode("/Users/dana/code/etl_jobs"),
            "-Users-dana-code-etl-jobs"
        );
        assert!(names_dir(r"s:\01_Repos\ETL", "S--01-Repos-ETL"));
    }

    #[test]
    fn the_last_component_widened_only_on_a_collision() {
        let v = names(&[
            (
                "-Users-dana-code-etl-jobs",
                Some("/Users/dana/code/etl_jobs"),
            ),
            ("-Users-dana-code-app", Some("/Users/dana/code/app")),
            ("-Users-dana-work-app", Some("/Users/dana/work/app")),
            ("-Users-dana", Some("/Users/dana/")),
        ]);
        assert_eq!(v, ["etl_jobs", "code/app", "work/app", "dana"]);
    }

    #[test]
    fn directories_without_a_working_directory_lose_their_parent() {
        let v = names(&[
            ("-Users-dana-code-app", Some("/Users/dana/code/app")),
            ("-Users-dana-code-etl-jobs", None),
            ("-home-sam-src-tool", None),
            ("(root)", None),
        ]);
        assert_eq!(v, ["app", "etl-jobs", "src-tool", "(root)"]);
    }

    #[test]
    fn one_working_directory_in_two_directories_keeps_the_directory_names() {
        let v = names(&[("-a-x", Some("/a/x")), ("-A-x", Some("/a/x"))]);
        assert_eq!(v, ["-a-x", "-A-x"]);
    }

    #[test]
    fn a_project_is_found_by_any_of_its_names() {
        let list: Vec<(String, Option<String>)> = vec![
            (
                "-Users-dana-code-etl-jobs".into(),
                Some("/Users/dana/code/etl_jobs".into()),
            ),
            (
                "-Users-dana-code-app".into(),
                Some("/Users/dana/code/app".into()),
            ),
            (
                "-Users-dana-work-app".into(),
                Some("/Users/dana/work/app".into()),
            ),
        ];
        let dir = |q: &str| find(q, &list);
        assert_eq!(dir("etl_jobs"), Some("-Users-dana-code-etl-jobs"));
        assert_eq!(dir("ETL_jobs"), Some("-Users-dana-code-etl-jobs"));
        assert_eq!(
            dir("-Users-dana-code-etl-jobs"),
            Some("-Users-dana-code-etl-jobs")
        );
        assert_eq!(
            dir("/Users/dana/code/etl_jobs/"),
            Some("-Users-dana-code-etl-jobs")
        );
        assert_eq!(dir("work/app"), Some("-Users-dana-work-app"));
        assert_eq!(dir("app"), None, "two projects are called app");
        assert_eq!(dir("etl"), None);
        let names = ["etl_jobs", "code/app", "work/app"];
        assert_eq!(closest("etl-job", &names, 2), ["etl_jobs", "code/app"]);
        assert_eq!(
            closest("app", &names, 5),
            ["code/app", "work/app", "etl_jobs"]
        );
    }

    #[test]
    fn the_named_working_directory_wins_over_the_most_seen() {
        let seen = [("/a/b/sub", 10), ("/a/b", 1)];
        assert_eq!(pick_cwd("-a-b", seen), Some("/a/b"));
        assert_eq!(pick_cwd("-z", seen), Some("/a/b/sub"));
        assert_eq!(pick_cwd("-z", []), None);
    }
}
