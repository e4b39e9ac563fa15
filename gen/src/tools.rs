//! Tool calls: which tool a thread calls (weights for main threads and sub-agents, by
//! version: MultiEdit and LS only in 1.0.x, Skill from 2.0.20, Agent replacing Task), its
//! `input`, and what running it returns — the `tool_result` content, `is_error`, the
//! structured `toolUseResult`, how long it took — in Claude Code's shapes, with file
//! contents, command output and search results of realistic sizes.

use crate::calendar::{Ms, Version, since};
use crate::ids;
use crate::json::{Obj, V};
use crate::project::Project;
use crate::rng::Rng;
use crate::session::Session;
use crate::spawn;
use crate::thread::Thread;
use crate::truth::FileEdits;
use crate::vocab::{MCP_TOOLS, PROMPT_TEMPLATES, SKILLS, SUBAGENT_TYPES, SYMBOLS, WORDS};

/// A tool call about to be made.
pub struct Call {
    pub id: String,
    pub name: String,
    pub input: Obj,
    /// Output tokens the `tool_use` block costs.
    pub out_tokens: u64,
}

impl Call {
    fn new(s: &mut Session, name: impl Into<String>, input: Obj, out_tokens: u64) -> Call {
        Call {
            id: ids::tool_use(&mut s.rng),
            name: name.into(),
            input,
            out_tokens,
        }
    }

    /// The `tool_use` content block.
    pub fn block(&self, caller: bool) -> Obj {
        let mut b = Obj::new()
            .with("type", "tool_use")
            .with("id", self.id.clone())
            .with("name", self.name.clone())
            .with("input", self.input.clone());
        if caller {
            b.push("caller", Obj::new().with("type", "direct"));
        }
        b
    }

    fn str(&self, k: &str) -> String {
        self.input
            .get(k)
            .and_then(V::str)
            .unwrap_or_default()
            .to_string()
    }
}

/// What running a tool returned.
pub struct Outcome {
    pub content: V,
    pub is_error: bool,
    pub tool_use_result: Option<V>,
    /// A meta user line Claude Code adds after the result (a skill's instructions).
    pub injected: Option<String>,
}

impl Outcome {
    pub fn ok(content: impl Into<V>, tur: impl Into<V>) -> Outcome {
        Outcome {
            content: content.into(),
            is_error: false,
            tool_use_result: Some(tur.into()),
            injected: None,
        }
    }
}

const NAMES: [&str; 13] = [
    "Read",
    "Bash",
    "Edit",
    "Grep",
    "Glob",
    "Write",
    "TodoWrite",
    "WebSearch",
    "WebFetch",
    "mcp",
    "MultiEdit",
    "Skill",
    "LS",
];
const MAIN_WEIGHTS: [f64; 13] = [
    30.0, 20.0, 15.0, 9.0, 5.0, 4.0, 4.0, 1.2, 0.8, 3.0, 1.5, 0.6, 0.5,
];
const SIDE_WEIGHTS: [f64; 13] = [
    40.0, 12.0, 2.0, 20.0, 12.0, 1.0, 0.0, 1.5, 1.0, 1.0, 0.0, 0.0, 0.5,
];

/// The tool a call uses in this version and project.
fn tool_name(s: &mut Session, th: &Thread) -> &'static str {
    let side = th.is_side();
    let w = if side { &SIDE_WEIGHTS } else { &MAIN_WEIGHTS };
    let name = NAMES[s.rng.weighted(w)];
    let v: Version = s.v;
    let can_spawn = if side {
        th.spawns_left > 0
    } else {
        s.subagent_budget > 0
    };
    if can_spawn && s.rng.chance(if side { 0.3 } else { 0.2 }) {
        return "Task";
    }
    if !side && s.workflows > 0 && s.rng.chance(0.08) {
        return "Workflow";
    }
    match name {
        "mcp" if !s.project.mcp => "Grep",
        "MultiEdit" if v >= since::V2 => "Edit",
        "LS" if v >= since::V2 => "Glob",
        "Skill" if v < since::SKILLS => "Read",
        n => n,
    }
}

/// Picks the next tool call of `th`.
pub fn pick(s: &mut Session, th: &mut Thread) -> Call {
    let name = tool_name(s, th);
    let (name, input, out) = match name {
        "Read" => ("Read", read_input(s), s.rng.range(30, 90)),
        "Edit" | "MultiEdit" => return edit_call(s, name),
        "Write" => return write_call(s),
        "Grep" | "Glob" | "LS" => search_input(s, name),
        "mcp" => {
            let name = *s.rng.pick(MCP_TOOLS);
            (name, mcp_input(s, name), s.rng.range(30, 80))
        }
        "Workflow" => return spawn::workflow_call(s),
        "Task" => return task_call(s),
        _ => other_input(s, name),
    };
    Call::new(s, name, input, out)
}

fn read_input(s: &mut Session) -> Obj {
    let (p, r) = (s.project, &mut s.rng);
    let mut input = Obj::new().with("file_path", p.path(p.pick_file(r)));
    if r.chance(0.08) {
        input.push("offset", r.range(1, 400));
        input.push("limit", *r.pick(&[50u64, 100, 200]));
    }
    input
}

fn edit_call(s: &mut Session, name: &'static str) -> Call {
    let (p, pools, r) = (s.project, &s.env.pools, &mut s.rng);
    let file = p.pick_file(r).to_string();
    let (no, nn) = (r.range(1, 8) as usize, r.range(1, 12) as usize);
    let (old, new) = (pools.snippet(r, no), pools.snippet(r, nn));
    let out = (old.len() + new.len()) as u64 / 3 + 60;
    let path = p.path(&file);
    s.edited.push(file);
    let input = if name == "MultiEdit" {
        let edit = Obj::new().with("old_string", old).with("new_string", new);
        Obj::new()
            .with("file_path", path)
            .with("edits", vec![V::O(edit)])
    } else {
        let mut i = Obj::new()
            .with("file_path", path)
            .with("old_string", old)
            .with("new_string", new);
        if s.rng.chance(0.05) {
            i.push("replace_all", true);
        }
        i
    };
    Call::new(s, name, input, out)
}

fn write_call(s: &mut Session) -> Call {
    let (p, pools, r) = (s.project, &s.env.pools, &mut s.rng);
    let lang = p.lang;
    let rel = format!(
        "{}/{}{}",
        r.pick(lang.dirs),
        r.pick(crate::vocab::BASENAMES),
        r.pick(lang.exts)
    );
    let seedpath = format!("{}/new/{rel}{}", p.cwd, r.range(0, 9));
    let body: String = pools.file(&seedpath).chars().take(30_000).collect();
    let out = body.len() as u64 / 3 + 40;
    let input = Obj::new()
        .with("file_path", p.path(&rel))
        .with("content", body);
    s.edited.push(rel);
    Call::new(s, "Write", input, out)
}

fn search_input(s: &mut Session, name: &'static str) -> (&'static str, Obj, u64) {
    let (p, r) = (s.project, &mut s.rng);
    match name {
        "Grep" => {
            let pattern = if r.chance(0.5) {
                *r.pick(SYMBOLS)
            } else {
                *r.pick(&WORDS[..40])
            };
            let mut input = Obj::new()
                .with("pattern", pattern)
                .with("path", p.cwd.clone());
            if r.chance(0.5) {
                let mode = *r.pick(&["content", "files_with_matches", "count"]);
                input.push("output_mode", mode);
            }
            if r.chance(0.3) {
                input.push("glob", format!("*{}", r.pick(p.lang.exts)));
            }
            (name, input, r.range(40, 90))
        }
        "Glob" => {
            let input = Obj::new().with("pattern", format!("**/*{}", r.pick(p.lang.exts)));
            (name, input, r.range(25, 60))
        }
        _ => (
            name,
            Obj::new().with("path", p.cwd.clone()),
            r.range(20, 40),
        ),
    }
}

/// Inputs of Bash, TodoWrite, WebSearch, WebFetch and Skill calls.
fn other_input(s: &mut Session, name: &'static str) -> (&'static str, Obj, u64) {
    let (p, r) = (s.project, &mut s.rng);
    match name {
        "Bash" => {
            let desc = *r.pick(&[
                "Run tests",
                "Check git status",
                "Show diff",
                "Build project",
                "List files",
                "Lint the code",
            ]);
            let input = Obj::new()
                .with("command", *r.pick(p.lang.cmds))
                .with("description", desc);
            (name, input, r.range(40, 120))
        }
        "TodoWrite" => {
            let n = r.range(2, 7);
            let todos: Vec<V> = (0..n)
                .map(|_| {
                    let status = *r.pick(&["pending", "in_progress", "completed"]);
                    let todo = Obj::new()
                        .with("content", from_template(r, p))
                        .with("status", status)
                        .with("activeForm", "Working on it");
                    V::O(todo)
                })
                .collect();
            (name, Obj::new().with("todos", todos), 80 + 40 * n)
        }
        "WebSearch" => {
            let topic = *r.pick(&["rust", "react", "python", "postgres", "kubernetes"]);
            let q = format!("{topic} {} {} 2026", r.pick(WORDS), r.pick(WORDS));
            (name, Obj::new().with("query", q), r.range(25, 50))
        }
        "WebFetch" => {
            let url = format!(
                "https://docs.example.com/{}/{}",
                r.pick(WORDS),
                r.pick(WORDS)
            );
            let input = Obj::new()
                .with("url", url)
                .with("prompt", "Summarize the relevant API");
            (name, input, r.range(30, 60))
        }
        _ => {
            let (plugin, skill) = *r.pick(SKILLS);
            let full = plugin.map_or(skill.to_string(), |p| format!("{p}:{skill}"));
            ("Skill", Obj::new().with("skill", full), r.range(20, 40))
        }
    }
}

fn mcp_input(s: &mut Session, name: &str) -> Obj {
    let r = &mut s.rng;
    let p = s.project;
    match name {
        "mcp__github__get_issue" => Obj::new()
            .with("owner", "acme")
            .with("repo", p.name.clone())
            .with("issue_number", r.range(1, 900)),
        "mcp__github__list_pull_requests" => Obj::new()
            .with("owner", "acme")
            .with("repo", p.name.clone())
            .with("state", "open"),
        "mcp__playwright__browser_navigate" => Obj::new().with(
            "url",
            format!("http://localhost:{}/", r.pick(&[3000, 5173, 8080])),
        ),
        "mcp__context7__get-library-docs" => Obj::new()
            .with(
                "context7CompatibleLibraryID",
                *r.pick(&["/vercel/next.js", "/tokio-rs/tokio", "/pydantic/pydantic"]),
            )
            .with("topic", *r.pick(WORDS)),
        "mcp__linear__list_issues" => Obj::new().with("team", "ENG").with("limit", 20u64),
        "mcp__sentry__get_issue_details" => Obj::new().with(
            "issue_id",
            r.range(1_000_000_000, 9_999_999_999).to_string(),
        ),
        _ => Obj::new(),
    }
}

fn task_call(s: &mut Session) -> Call {
    let r = &mut s.rng;
    let p = s.project;
    let ty = *r.pick(SUBAGENT_TYPES);
    let desc = format!(
        "{} {}",
        r.pick(&["Explore", "Investigate", "Review", "Find", "Audit"]),
        r.pick(&[
            "auth flow",
            "test failures",
            "call sites",
            "config loading",
            "error handling",
            "the API layer"
        ])
    );
    let mut prompt = from_template(r, p);
    prompt = prompt.trim_end_matches(['.', '?']).to_string() + ". ";
    let n = r.range(200, 1200) as usize;
    prompt.push_str(&s.env.pools.text(r, n));
    let out = prompt.len() as u64 / 4 + 40;
    let input = Obj::new()
        .with("description", desc)
        .with("prompt", prompt)
        .with("subagent_type", ty);
    let name = s.task_tool();
    Call::new(s, name, input, out)
}

/// A prompt from a template, over a project file and a symbol.
pub fn from_template(r: &mut Rng, p: &Project) -> String {
    let template = *r.pick(PROMPT_TEMPLATES);
    let file = p.pick_file(r).to_string();
    let symbol = *r.pick(SYMBOLS);
    template.replace("{f}", &file).replace("{s}", symbol)
}

/// Lines of a text as ccrecap (and git) count an edit's: newlines, plus one for a last
/// line without one; 0 for an empty text.
pub fn count_lines(text: &str) -> u64 {
    if text.is_empty() {
        return 0;
    }
    text.matches('\n').count() as u64 + u64::from(!text.ends_with('\n'))
}

const ERRORS: &[&str] = &[
    "<tool_use_error>File has not been read yet. Read it first before writing to it.</tool_use_error>",
    "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.",
];

/// Runs `call`: returns when it finished and what it returned.
pub fn execute(s: &mut Session, th: &mut Thread, call: &Call, t: Ms) -> (Ms, Outcome) {
    record_edit(s, call);
    let fails =
        matches!(call.name.as_str(), "Edit" | "Bash" | "Read" | "Write") && s.rng.chance(0.035);
    if fails {
        return failure(s, call, t);
    }
    match call.name.as_str() {
        "Read" => read(s, call, t),
        "Edit" | "MultiEdit" => edit(s, call, t),
        "Write" => {
            let path = call.str("file_path");
            let tur = Obj::new()
                .with("type", "create")
                .with("filePath", path.clone())
                .with(
                    "content",
                    call.input.get("content").cloned().unwrap_or(V::Null),
                )
                .with("structuredPatch", V::A(Vec::new()));
            let dt = s.rng.range(50, 1000) as Ms;
            (
                t + dt,
                Outcome::ok(format!("File created successfully at: {path}"), tur),
            )
        }
        "Bash" => bash(s, t),
        "Grep" => grep(s, call, t),
        "Glob" | "LS" => glob(s, call, t),
        "TodoWrite" => {
            let text = "Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress. Please proceed with the current tasks if applicable";
            let tur = Obj::new().with("oldTodos", V::A(Vec::new())).with(
                "newTodos",
                call.input.get("todos").cloned().unwrap_or(V::Null),
            );
            (t + 10, Outcome::ok(text, tur))
        }
        "WebSearch" => web_search(s, call, t),
        "WebFetch" => {
            let n = s.rng.range(500, 4000) as usize;
            let text = s.env.pools.text(&mut s.rng, n);
            let r = &mut s.rng;
            let tur = Obj::new()
                .with("bytes", r.range(20_000, 400_000))
                .with("code", 200u64)
                .with("codeText", "OK")
                .with("result", text.clone())
                .with("durationMs", r.range(800, 9000))
                .with("url", call.str("url"));
            let dt = r.range(1000, 10_000) as Ms;
            (t + dt, Outcome::ok(text, tur))
        }
        "Skill" => skill(s, th, call, t),
        "Workflow" => spawn::workflow(s, th, call, t),
        "Task" | "Agent" => spawn::task(s, th, call, t),
        n if n.starts_with("mcp__") => mcp(s, th, call, t),
        _ => (t + 100, Outcome::ok("ok", V::Null)),
    }
}

fn record_edit(s: &mut Session, call: &Call) {
    let (added, removed) = match call.name.as_str() {
        "Edit" => (
            count_lines(&call.str("new_string")),
            count_lines(&call.str("old_string")),
        ),
        "Write" => (count_lines(&call.str("content")), 0),
        "MultiEdit" => {
            let Some(V::A(edits)) = call.input.get("edits") else {
                return;
            };
            let text = |e: &V, k: &str| match e {
                V::O(o) => o.get(k).and_then(V::str).map_or(0, count_lines),
                _ => 0,
            };
            let added = edits.iter().map(|e| text(e, "new_string")).sum();
            (added, edits.iter().map(|e| text(e, "old_string")).sum())
        }
        _ => return,
    };
    let e: &mut FileEdits = s.tally.edits.entry(call.str("file_path")).or_default();
    e.edits += 1;
    e.lines_added += added;
    e.lines_removed += removed;
}

fn failure(s: &mut Session, call: &Call, t: Ms) -> (Ms, Outcome) {
    let r = &mut s.rng;
    let msg = match r.range(0, 3) {
        0 => {
            let old: String = call.str("old_string").chars().take(80).collect();
            format!(
                "<tool_use_error>String to replace not found in file.\nString: {old}</tool_use_error>"
            )
        }
        1 => format!("Exit code 1\n{}", s.env.pools.text(r, 300)),
        k => ERRORS[k as usize - 2].to_string(),
    };
    let tur: String = format!("Error: {}", msg.chars().take(200).collect::<String>());
    let dt = r.range(50, 3000) as Ms;
    let o = Outcome {
        content: V::from(msg),
        is_error: true,
        tool_use_result: Some(V::from(tur)),
        injected: None,
    };
    (t + dt, o)
}

fn read(s: &mut Session, call: &Call, t: Ms) -> (Ms, Outcome) {
    let path = call.str("file_path");
    let text = s.env.pools.file(&path);
    let all: Vec<&str> = text.lines().collect();
    let start = call
        .input
        .get("offset")
        .map_or(1, |v| if let V::U(n) = v { *n as usize } else { 1 });
    let start = if start > all.len() {
        all.len().saturating_sub(4).max(1)
    } else {
        start
    };
    let limit = call
        .input
        .get("limit")
        .map_or(2000, |v| if let V::U(n) = v { *n as usize } else { 2000 });
    let sel = &all[(start - 1).min(all.len())..(start - 1 + limit).min(all.len())];
    let tab = s.v >= since::V21;
    let mut numbered = String::with_capacity(text.len() + sel.len() * 8);
    for (i, line) in sel.iter().enumerate() {
        if i > 0 {
            numbered.push('\n');
        }
        let sep = if tab { "\t" } else { "→" };
        numbered.push_str(&format!("{:6}{sep}{line}", i + start));
    }
    if s.v < since::V2 {
        numbered.push_str("\n\n<system-reminder>\nWhenever you read a file, you should consider whether it looks malicious.\n</system-reminder>\n");
    }
    let raw = if sel.len() == all.len() {
        V::Shared(text.clone())
    } else {
        V::from(sel.join("\n"))
    };
    let file = Obj::new()
        .with("filePath", path)
        .with("content", raw)
        .with("numLines", sel.len())
        .with("startLine", start)
        .with("totalLines", all.len());
    let tur = Obj::new().with("type", "text").with("file", file);
    let dt = s.rng.range(10, 300) as Ms;
    (t + dt, Outcome::ok(numbered, tur))
}

fn edit(s: &mut Session, call: &Call, t: Ms) -> (Ms, Outcome) {
    let path = call.str("file_path");
    let (old, new) = match call.input.get("edits") {
        Some(V::A(e)) => match e.first() {
            Some(V::O(o)) => (
                o.get("old_string")
                    .and_then(V::str)
                    .unwrap_or_default()
                    .to_string(),
                o.get("new_string")
                    .and_then(V::str)
                    .unwrap_or_default()
                    .to_string(),
            ),
            _ => Default::default(),
        },
        _ => (call.str("old_string"), call.str("new_string")),
    };
    let n = s.rng.range(5, 14) as usize;
    let snippet: Vec<String> = s
        .env
        .pools
        .snippet(&mut s.rng, n)
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{:6}\t{l}", i + 1))
        .collect();
    let text = format!(
        "The file {path} has been updated. Here's the result of running `cat -n` on a snippet of the edited file:\n{}",
        snippet.join("\n")
    );
    let lines: Vec<V> = old
        .split('\n')
        .map(|x| V::from(format!("-{x}")))
        .chain(new.split('\n').map(|x| V::from(format!("+{x}"))))
        .collect();
    let patch = Obj::new()
        .with("oldStart", 10u64)
        .with("oldLines", old.matches('\n').count() + 1)
        .with("newStart", 10u64)
        .with("newLines", new.matches('\n').count() + 1)
        .with("lines", lines);
    let mut tur = Obj::new()
        .with("filePath", path.clone())
        .with("oldString", old)
        .with("newString", new);
    // 2.1.208 stopped writing the whole original file into every edit's result.
    if s.v < Version(2, 1, 208) {
        tur.push("originalFile", s.env.pools.file(&path));
    }
    let tur = tur
        .with("structuredPatch", vec![V::O(patch)])
        .with("userModified", false)
        .with("replaceAll", call.input.get("replace_all").is_some());
    let dt = s.rng.range(50, 1500) as Ms;
    (t + dt, Outcome::ok(text, tur))
}

fn bash(s: &mut Session, t: Ms) -> (Ms, Outcome) {
    let size = s.rng.lognorm(900.0, 1.4).min(29_000.0) as usize;
    let mut out = s.env.pools.code(&mut s.rng, (size / 45).max(1));
    if out.len() >= 30_000 {
        let mut cut = 29_900;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push_str("\n... [output truncated]");
    }
    let tur = Obj::new()
        .with("stdout", out.clone())
        .with("stderr", "")
        .with("interrupted", false)
        .with("isImage", false);
    let dt = (s.rng.lognorm(2500.0, 1.4).min(600_000.0)) as Ms;
    (t + dt, Outcome::ok(out, tur))
}

fn grep(s: &mut Session, call: &Call, t: Ms) -> (Ms, Outcome) {
    let p = s.project;
    let k = s.rng.range(0, 25) as usize;
    let files: Vec<String> = (0..k).map(|_| p.path(p.pick_file(&mut s.rng))).collect();
    let (body, tur) = if call.str("output_mode") == "content" {
        let body: Vec<String> = files
            .iter()
            .map(|f| {
                let n = s.rng.range(1, 400);
                format!("{f}:{n}:{}", s.env.pools.snippet(&mut s.rng, 1))
            })
            .collect();
        let body = body.join("\n");
        let tur = Obj::new()
            .with("mode", "content")
            .with("numFiles", 0u64)
            .with("filenames", V::A(Vec::new()))
            .with("content", body.clone())
            .with("numLines", k);
        (body, tur)
    } else {
        let body = if k == 0 {
            "No files found".to_string()
        } else {
            format!("Found {k} files\n{}", files.join("\n"))
        };
        let names: Vec<V> = files.into_iter().map(V::from).collect();
        let tur = Obj::new()
            .with("mode", "files_with_matches")
            .with("filenames", names)
            .with("numFiles", k);
        (body, tur)
    };
    let dt = s.rng.range(50, 1200) as Ms;
    (t + dt, Outcome::ok(body, tur))
}

fn glob(s: &mut Session, call: &Call, t: Ms) -> (Ms, Outcome) {
    let p = s.project;
    let k = s.rng.range(0, 60) as usize;
    let files: Vec<String> = (0..k).map(|_| p.path(p.pick_file(&mut s.rng))).collect();
    let body = if files.is_empty() {
        "No files found".to_string()
    } else {
        files.join("\n")
    };
    let dt = s.rng.range(20, 500) as Ms;
    if call.name == "LS" {
        return (t + dt, Outcome::ok(body, V::Null));
    }
    let tur = Obj::new()
        .with(
            "filenames",
            files.into_iter().map(V::from).collect::<Vec<_>>(),
        )
        .with("durationMs", dt as u64)
        .with("numFiles", k)
        .with("truncated", false);
    (t + dt, Outcome::ok(body, tur))
}

fn web_search(s: &mut Session, call: &Call, t: Ms) -> (Ms, Outcome) {
    let query = call.str("query");
    let r = &mut s.rng;
    let links: Vec<V> = (0..10)
        .map(|_| {
            let title: Vec<&str> = (0..6).map(|_| *r.pick(WORDS)).collect();
            V::O(Obj::new().with("title", title.join(" ")).with(
                "url",
                format!("https://{}.example.org/{}", r.pick(WORDS), r.pick(WORDS)),
            ))
        })
        .collect();
    let n = r.range(800, 3000) as usize;
    let text = s.env.pools.text(r, n);
    let body = format!(
        "Web search results for query: \"{query}\"\n\nLinks: {}\n\n{text}",
        serde_json::to_string(&V::A(links.clone())).expect("links serialize")
    );
    let secs = r.uniform(4.0, 20.0);
    let result = Obj::new()
        .with("tool_use_id", ids::server_tool_use(r))
        .with("content", links);
    let tur = Obj::new()
        .with("query", query)
        .with("results", vec![V::O(result)])
        .with("durationSeconds", (secs * 1000.0).round() / 1000.0);
    (t + (secs * 1000.0) as Ms, Outcome::ok(body, tur))
}

fn mcp(s: &mut Session, th: &mut Thread, call: &Call, t: Ms) -> (Ms, Outcome) {
    let r = &mut s.rng;
    let n = r.range(1, 6);
    let items: Vec<V> = (0..n)
        .map(|_| {
            let title: Vec<&str> = (0..7).map(|_| *r.pick(WORDS)).collect();
            let len = r.range(100, 900) as usize;
            V::O(
                Obj::new()
                    .with("id", r.range(1, 9999))
                    .with("title", title.join(" "))
                    .with("body", s.env.pools.text(r, len)),
            )
        })
        .collect();
    let payload =
        serde_json::to_string(&Obj::new().with("items", items)).expect("payload serializes");
    let content = V::A(vec![V::O(
        Obj::new().with("type", "text").with("text", payload),
    )]);
    th.mcp = MCP_TOOLS.iter().copied().find(|m| *m == call.name);
    let dt = r.range(300, 6000) as Ms;
    (t + dt, Outcome::ok(content.clone(), content))
}

fn skill(s: &mut Session, th: &mut Thread, call: &Call, t: Ms) -> (Ms, Outcome) {
    let full = call.str("skill");
    let found = SKILLS
        .iter()
        .find(|(p, k)| p.map_or(k.to_string(), |p| format!("{p}:{k}")) == full);
    if let Some((plugin, name)) = found {
        th.skill = Some((*plugin, *name));
    }
    crate::truth::Tally::count(&mut s.tally.skills, &full);
    let n = s.rng.range(1500, 6000) as usize;
    let body = s.env.pools.text(&mut s.rng, n);
    let tur = Obj::new()
        .with("success", true)
        .with("commandName", full.clone());
    let mut o = Outcome::ok(format!("Launching skill: {full}"), tur);
    o.injected = Some(format!(
        "Base directory for this skill: ~/.claude/skills/{full}\n\n{body}"
    ));
    (t + s.rng.range(20, 200) as Ms, o)
}
