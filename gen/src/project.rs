//! Projects of one user: a working directory (with `_`, `.`, `.worktrees/…`,
//! `.claude/worktrees/…` and the home directory itself among them), its encoded
//! `projects/` directory name, a language, files ordered by popularity (Zipf: CLAUDE.md
//! and manifests are read in session after session), git branches and whether MCP servers
//! are configured.

use crate::rng::Rng;
use crate::vocab::{BASENAMES, HOT_FILES, LANGS, Lang, PROJECT_NAMES, USERS, WORDS};

pub struct Project {
    pub cwd: String,
    /// The `projects/` directory name: every character outside [A-Za-z0-9] becomes `-`.
    pub dir: String,
    pub name: String,
    pub lang: &'static Lang,
    pub files: Vec<String>,
    cumulative: Vec<f64>,
    /// `None` outside a git repository (the line has `gitBranch: ""`).
    pub branches: Vec<String>,
    pub mcp: bool,
}

/// Claude Code's directory name for a working directory. Names over 200 characters are
/// cut and suffixed with a hash in Claude Code; the generator's paths stay shorter.
pub fn encode_cwd(cwd: &str) -> String {
    cwd.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

impl Project {
    fn new(rng: &mut Rng, cwd: String, name: &str) -> Project {
        let lang = rng.pick(LANGS);
        let distinct_exts = {
            let mut e: Vec<&str> = lang.exts.to_vec();
            e.sort_unstable();
            e.dedup();
            e.len()
        };
        let possible = lang.dirs.len() * BASENAMES.len() * distinct_exts;
        let n = (rng.lognorm(90.0, 0.6) as usize).clamp(25, 320.min(possible / 2));
        let mut files: Vec<String> = lang.extra.iter().map(|s| s.to_string()).collect();
        while files.len() < n {
            let f = format!(
                "{}/{}{}",
                rng.pick(lang.dirs),
                rng.pick(BASENAMES),
                rng.pick(lang.exts)
            );
            if !files.contains(&f) {
                files.push(f);
            }
        }
        let (mut head, mut rest): (Vec<String>, Vec<String>) = files
            .into_iter()
            .partition(|f| HOT_FILES.contains(&f.as_str()));
        shuffle(rng, &mut rest);
        head.append(&mut rest);
        let mut acc = 0.0;
        let cumulative = (0..head.len())
            .map(|i| {
                acc += crate::rng::zipf(i, 1.05);
                acc
            })
            .collect();
        let mut branches = vec!["main".to_string(); 6];
        if rng.chance(0.3) {
            branches.push("master".into());
        }
        for _ in 0..rng.range(1, 5) {
            branches.push(format!("feature/{}-{}", rng.pick(WORDS), rng.pick(WORDS)));
        }
        if rng.chance(0.08) {
            branches = vec![String::new()];
        }
        Project {
            dir: encode_cwd(&cwd),
            cwd,
            name: name.to_string(),
            lang,
            files: head,
            cumulative,
            branches,
            mcp: rng.chance(0.45),
        }
    }

    /// A file (relative path), popular ones far more often.
    pub fn pick_file(&self, rng: &mut Rng) -> &str {
        let x = rng.f64() * self.cumulative[self.cumulative.len() - 1];
        let i = self.cumulative.partition_point(|c| *c < x);
        &self.files[i.min(self.files.len() - 1)]
    }

    pub fn path(&self, rel: &str) -> String {
        format!("{}/{}", self.cwd, rel)
    }
}

pub fn shuffle<T>(rng: &mut Rng, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        v.swap(i, j);
    }
}

/// The projects of a corpus of about `sessions` sessions, most popular first, plus a
/// worktree of each of the first two and the home directory.
pub fn make_projects(rng: &mut Rng, sessions: usize) -> Vec<Project> {
    let user = *rng.pick(USERS);
    let home = if rng.chance(0.7) {
        format!("/Users/{user}")
    } else {
        format!("/home/{user}")
    };
    let n = ((3.0 + (sessions as f64).sqrt() * 1.3).round() as usize).clamp(3, 60);
    let mut names: Vec<&str> = PROJECT_NAMES.to_vec();
    shuffle(rng, &mut names);
    let mut out = Vec::with_capacity(n + 3);
    for i in 0..n {
        let base = names[i % names.len()];
        let name = if i < names.len() {
            base.to_string()
        } else {
            format!("{base}-{}", i / names.len())
        };
        let style = rng.f64();
        let parent = if style < 0.45 {
            "code"
        } else if style < 0.65 {
            "Documents/GitHub"
        } else if style < 0.8 {
            "src/github.com/acme-corp"
        } else if style < 0.88 {
            "srv/monorepo/packages"
        } else {
            "projects"
        };
        let cwd = format!("{home}/{parent}/{name}");
        out.push(Project::new(rng, cwd, &name));
    }
    // Worktrees: a `.worktrees/` checkout of the first project and a Claude Code
    // `.claude/worktrees/` one of the second (dots become `-` in the directory name),
    // ranked among the popular projects.
    let wt = format!("{}/.worktrees/feat-{}", out[0].cwd, rng.pick(WORDS));
    let name0 = out[0].name.clone();
    let wt = Project::new(rng, wt, &name0);
    out.insert(2.min(out.len()), wt);
    let cw = format!(
        "{}/.claude/worktrees/{}-{}",
        out[1].cwd,
        rng.pick(WORDS),
        rng.pick(WORDS)
    );
    let name1 = out[1].name.clone();
    let cw = Project::new(rng, cw, &name1);
    out.insert(4.min(out.len()), cw);
    out.push(Project::new(rng, home, user));
    out
}
