//! Sub-agents in every on-disk era: Task/Agent spawns (1.0.x inline sidechains, 2.0.x
//! sibling `agent-<id>.jsonl`, 2.1.2+ nested `subagents/agent-<id>.jsonl` with
//! `.meta.json`, sub-agents spawning sub-agents kept flat beside them), `agent_progress`
//! copies in the parent file (2.x before 2.1.150), `Workflow` runs
//! (`subagents/workflows/<run>/agent-<id>.jsonl`, `sessionId` `<session>#agent-<id>`, a
//! `journal.jsonl`), and `/btw` asides that replay the parent's answers before their own.

use crate::calendar::{Family, MINUTE, Ms, iso, pick_model, since};
use crate::ids;
use crate::json::{Obj, V};
use crate::session::{Body, OutFile, Session};
use crate::thread::{Agent, Thread};
use crate::tools::{Call, Outcome};
use crate::truth::{Layout, RunTruth, SessionTok};
use crate::turn::{self, Profile};
use crate::vocab::{ASIDES, PLUGIN_AGENTS, WORDS};

fn profile(haiku: bool) -> Profile {
    Profile {
        turns: 1.0,
        tsig: 0.0,
        calls: 6.0,
        csig: 0.8,
        think: if haiku { 0.02 } else { 0.15 },
        think_tok: 400.0,
        answer_tok: 700.0,
        sub: 0.0,
    }
}

/// Starts a run's truth record; returns its index.
fn open_run(s: &mut Session, run: RunTruth) -> usize {
    s.truth.subagent_runs.push(run);
    s.truth.subagent_runs.len() - 1
}

fn new_run(s: &Session, layout: Layout, agent_type: &str, file: String, start: Ms) -> RunTruth {
    RunTruth {
        agent_id: None,
        tool_use_id: None,
        layout,
        agent_type: agent_type.to_string(),
        session_id: s.sid.clone(),
        file,
        parent_agent_id: None,
        models: Default::default(),
        tokens: SessionTok::default(),
        tool_uses: 0,
        start: iso(start),
        end: String::new(),
    }
}

/// `attributionAgent` for a sub-agent of `ty` (plugin agents as `<plugin>:<agent>`).
fn agent_attribution(s: &mut Session, ty: &str) -> Option<String> {
    if s.v < since::ATTRIBUTION {
        return None;
    }
    let plugin = PLUGIN_AGENTS.iter().find(|(_, a)| *a == ty);
    match plugin {
        Some((p, a)) if s.rng.chance(0.5) => Some(format!("{p}:{a}")),
        _ => Some(ty.to_string()),
    }
}

/// Runs the sub-agent a Task/Agent call spawns and returns the call's result.
pub fn task(s: &mut Session, parent: &mut Thread, call: &Call, t: Ms) -> (Ms, Outcome) {
    if parent.is_side() {
        parent.spawns_left = parent.spawns_left.saturating_sub(1);
    } else {
        s.subagent_budget = s.subagent_budget.saturating_sub(1);
    }
    let ty = call
        .input
        .get("subagent_type")
        .and_then(V::str)
        .unwrap_or("general-purpose")
        .to_string();
    let (mut child, haiku) = spawn_child(s, parent, call, &ty, t);
    let t0 = t;
    let mut t = t + s.rng.range(300, 2000) as Ms;
    let prompt = call.input.get("prompt").cloned().unwrap_or(V::from(""));
    child.prompt(s, t, prompt, &[]);
    t += 500;
    let median = if ty == "Explore" { 9.0 } else { 6.0 };
    let calls = s.rng.lognorm(median, 0.8).clamp(1.0, 120.0) as usize;
    t = turn::run(s, &mut child, t, calls, &profile(haiku));
    if let Some(copies) = child.progress.take() {
        write_progress(s, parent, call, &child, copies);
    }
    let i = child.run.expect("a run");
    s.truth.subagent_runs[i].end = iso(t);
    let outcome = report(s, parent, &child, call, t - t0);
    store(s, parent, child, call, &ty);
    (t + s.rng.range(50, 500) as Ms, outcome)
}

/// The thread of a spawned sub-agent (its model, id and layout by version) with its run
/// opened in the truth; and whether it runs on Haiku.
fn spawn_child(s: &mut Session, parent: &Thread, call: &Call, ty: &str, t: Ms) -> (Thread, bool) {
    let family = if ty == "Explore" && s.rng.chance(0.7) {
        Family::Haiku
    } else {
        let own = s.kind.family();
        *s.rng
            .pick(&[Family::Sonnet, Family::Sonnet, Family::Haiku, own])
    };
    let model = pick_model(family, s.date, &mut s.rng);
    let layout = s.layout();
    let id = (layout != Layout::Inline).then(|| s.new_agent_id());
    let attribution = agent_attribution(s, ty);
    let agent = Agent {
        id: id.clone(),
        attribution,
    };
    let mut child = Thread::new(s, model, Some(agent));
    child.depth = parent.depth + 1;
    let may_spawn = matches!(ty, "general-purpose" | "Plan");
    if layout == Layout::Nested
        && s.v >= since::NESTED_SPAWNS
        && child.depth == 1
        && may_spawn
        && s.rng.chance(0.3)
    {
        child.spawns_left = 1;
    }
    let file = match (&layout, &id) {
        (Layout::Sibling, Some(a)) => format!("projects/{}/agent-{a}.jsonl", s.project.dir),
        (Layout::Nested, Some(a)) => format!(
            "projects/{}/{}/subagents/agent-{a}.jsonl",
            s.project.dir, s.sid
        ),
        _ => s.truth.file.clone(),
    };
    let mut run = new_run(s, layout, ty, file, t);
    run.agent_id = id;
    run.tool_use_id = Some(call.id.clone());
    run.parent_agent_id = parent.agent.as_ref().and_then(|a| a.id.clone());
    child.run = Some(open_run(s, run));
    let progress = layout != Layout::Inline
        && s.v < since::META_JSON
        && parent.depth == 0
        && s.rng.chance(s.env.progress_rate);
    if progress {
        child.progress = Some(Vec::new());
    }
    (child, family == Family::Haiku)
}

/// Puts a finished sub-agent's lines where its era keeps them: inline in the parent, or
/// in its own file (with a `.meta.json` in newer builds).
fn store(s: &mut Session, parent: &mut Thread, mut child: Thread, call: &Call, ty: &str) {
    let i = child.run.expect("a run");
    let (layout, file) = {
        let run = &s.truth.subagent_runs[i];
        (run.layout, run.file.clone())
    };
    if layout == Layout::Inline {
        parent.lines.append(&mut child.lines);
        s.truth.inline_subagent_runs += 1;
        return;
    }
    if layout == Layout::Nested && s.v >= since::META_JSON {
        let description = call.input.get("description").cloned().unwrap_or(V::Null);
        let meta = Obj::new()
            .with("agentType", ty.to_string())
            .with("description", description)
            .with("toolUseId", call.id.clone())
            .with("spawnDepth", child.depth);
        let rel = format!("{}.meta.json", file.trim_end_matches(".jsonl"));
        s.files.push(OutFile {
            rel,
            body: Body::Meta(meta.line()),
        });
    }
    s.truth.subagent_files.push(file.clone());
    s.files.push(OutFile {
        rel: file,
        body: Body::Lines(child.lines),
    });
}

/// `agent_progress` lines in the parent: each carries a copy of a sub-agent's line.
fn write_progress(
    s: &mut Session,
    parent: &mut Thread,
    call: &Call,
    child: &Thread,
    copies: Vec<crate::thread::ProgressCopy>,
) {
    for c in copies {
        let uuid = ids::uuid(&mut s.rng);
        let inner = Obj::new()
            .with("type", "assistant")
            .with("message", c.message)
            .with("requestId", c.request_id)
            .with("uuid", c.uuid)
            .with("timestamp", iso(c.at))
            .with("isSidechain", true);
        let child_id = child.agent.as_ref().and_then(|a| a.id.clone());
        let data = Obj::new()
            .with("message", inner)
            .with("normalizedMessages", V::A(Vec::new()))
            .with("type", "agent_progress")
            .with("agentId", child_id);
        let mut o = parent.envelope(s, "progress");
        o.push("data", data);
        o.push(
            "toolUseID",
            format!("agent_msg_01{}", &ids::message(&mut s.rng)[6..]),
        );
        o.push("parentToolUseID", call.id.clone());
        o.push("uuid", uuid);
        o.push("timestamp", iso(c.at + 2));
        parent.put(&o, Some(c.usage));
        s.tally.progress_lines += 1;
        s.tally.naive.add(&c.usage);
    }
}

/// The Task/Agent result: the report, the `agentId:` tail and `toolUseResult` (top-level
/// spawns only; a sub-agent's own spawns carry just the text tail).
fn report(s: &mut Session, parent: &Thread, child: &Thread, call: &Call, took: Ms) -> Outcome {
    let report = if child.last_answer.is_empty() {
        "Done.".to_string()
    } else {
        child.last_answer.clone()
    };
    let lu = child.last_usage;
    let text = || V::O(Obj::new().with("type", "text").with("text", report.clone()));
    let Some(id) = child.agent.as_ref().and_then(|a| a.id.clone()) else {
        let tur = Obj::new()
            .with("content", vec![text()])
            .with("totalDurationMs", took as u64)
            .with("totalTokens", lu.total())
            .with("totalToolUseCount", child.tool_count)
            .with("usage", child.usage_obj(s, &lu));
        return Outcome::ok(vec![text()], tur);
    };
    let tail = format!("agentId: {id} (for resuming to continue this agent's work if needed)");
    let content = vec![
        text(),
        V::O(Obj::new().with("type", "text").with("text", tail)),
    ];
    if parent.is_side() {
        return Outcome {
            content: V::A(content),
            is_error: false,
            tool_use_result: None,
            injected: None,
        };
    }
    let tur = Obj::new()
        .with("status", "completed")
        .with(
            "prompt",
            call.input.get("prompt").cloned().unwrap_or(V::Null),
        )
        .with("agentId", id)
        .with("content", vec![text()])
        .with("totalDurationMs", took as u64)
        .with("totalTokens", lu.total())
        .with("totalToolUseCount", child.tool_count)
        .with("usage", child.usage_obj(s, &lu));
    Outcome::ok(content, tur)
}

/// A `Workflow` call (recent versions): a saved script that fans out to agents.
pub fn workflow_call(s: &mut Session) -> Call {
    s.workflows = s.workflows.saturating_sub(1);
    let r = &mut s.rng;
    let name = format!(
        "{}-{}",
        r.pick(WORDS),
        r.pick(&["sweep", "audit", "migrate", "triage"])
    );
    let batches: Vec<V> = (0..r.range(2, 4))
        .map(|i| V::from(format!("batch-{i}")))
        .collect();
    let input = Obj::new()
        .with(
            "scriptPath",
            format!("{}/.claude/workflows/{name}.workflow.js", s.project.cwd),
        )
        .with(
            "args",
            Obj::new().with("target", "src/").with("batches", batches),
        );
    let out = r.range(60, 120);
    Call {
        id: ids::tool_use(r),
        name: "Workflow".into(),
        input,
        out_tokens: out,
    }
}

/// Runs a workflow's agents (in the background, from `t`) and returns the launch result.
pub fn workflow(s: &mut Session, _main: &mut Thread, call: &Call, t: Ms) -> (Ms, Outcome) {
    let run_id = format!("wf_{}", ids::hex(&mut s.rng, 8));
    let task_id = format!("task_{}", ids::hex(&mut s.rng, 8));
    let dir = format!("{}/subagents/workflows/{run_id}", s.sid);
    let script = call
        .input
        .get("scriptPath")
        .and_then(V::str)
        .unwrap_or_default()
        .to_string();
    let mut journal = String::new();
    let n = match call.input.get("args").and_then(|a| {
        if let V::O(o) = a {
            o.get("batches")
        } else {
            None
        }
    }) {
        Some(V::A(b)) => b.len(),
        _ => 2,
    };
    for k in 0..n {
        let start = t + 500 + 300 * k as Ms;
        let id = s.new_agent_id();
        let answer = workflow_agent(s, &dir, &id, start);
        let started = Obj::new()
            .with("type", "started")
            .with("key", format!("v2:{k}"))
            .with("agentId", id.clone());
        let done = Obj::new()
            .with("type", "result")
            .with("key", format!("v2:{k}"))
            .with("agentId", id)
            .with("result", answer);
        journal.push_str(&started.line());
        journal.push('\n');
        journal.push_str(&done.line());
        journal.push('\n');
    }
    let rel = format!("projects/{}/{dir}/journal.jsonl", s.project.dir);
    s.files.push(OutFile {
        rel,
        body: Body::Journal(journal),
    });
    let text = format!(
        "Workflow launched in background. Task ID: {task_id}\nSummary: Run {script} over its batches.\nTranscript dir: {dir}\nScript file: {script}"
    );
    let tur = Obj::new()
        .with("isAsync", true)
        .with("status", "async_launched")
        .with("runId", run_id)
        .with("taskId", task_id)
        .with("transcriptDir", dir)
        .with("scriptPath", script);
    (t + s.rng.range(100, 400) as Ms, Outcome::ok(text, tur))
}

/// One workflow agent's transcript; returns its report.
fn workflow_agent(s: &mut Session, dir: &str, id: &str, start: Ms) -> String {
    let model = pick_model(Family::Sonnet, s.date, &mut s.rng);
    let attribution = (s.v >= since::ATTRIBUTION).then(|| "workflow-subagent".to_string());
    let mut th = Thread::new(
        s,
        model,
        Some(Agent {
            id: Some(id.to_string()),
            attribution,
        }),
    );
    th.session_field = format!("{}#agent-{id}", s.sid);
    th.depth = 1;
    let file = format!("projects/{}/{dir}/agent-{id}.jsonl", s.project.dir);
    let mut run = new_run(
        s,
        Layout::Workflow,
        "workflow-subagent",
        file.clone(),
        start,
    );
    run.agent_id = Some(id.to_string());
    run.session_id.clone_from(&th.session_field);
    th.run = Some(open_run(s, run));
    let n = s.rng.range(100, 600) as usize;
    let prompt = s.env.pools.text(&mut s.rng, n);
    th.prompt(s, start, V::from(prompt), &[]);
    let calls = s.rng.lognorm(5.0, 0.6).clamp(1.0, 40.0) as usize;
    let end = turn::run(s, &mut th, start + 400, calls, &profile(false));
    let i = th.run.expect("a run");
    s.truth.subagent_runs[i].end = iso(end);
    s.end = s.end.max(end);
    let meta = Obj::new().with("agentType", "workflow-subagent");
    let meta_rel = format!("{}.meta.json", file.trim_end_matches(".jsonl"));
    s.files.push(OutFile {
        rel: meta_rel,
        body: Body::Meta(meta.line()),
    });
    s.truth.subagent_files.push(file.clone());
    let answer: String = th.last_answer.chars().take(200).collect();
    s.files.push(OutFile {
        rel: file,
        body: Body::Lines(th.lines),
    });
    answer
}

/// A `/btw` side question: its file replays the parent's recent answers (same message
/// ids, new request ids, as sidechain lines), then asks and answers the question.
pub fn aside(s: &mut Session, main: &mut Thread, t: Ms) -> Ms {
    let id = format!("aside_question-{}", ids::hex(&mut s.rng, 16));
    let file = format!(
        "projects/{}/{}/subagents/agent-{id}.jsonl",
        s.project.dir, s.sid
    );
    let mut th = Thread::new(
        s,
        main.model,
        Some(Agent {
            id: Some(id.clone()),
            attribution: None,
        }),
    );
    th.depth = 1;
    let mut run = new_run(s, Layout::Aside, "aside_question", file.clone(), t);
    run.agent_id = Some(id.clone());
    th.run = Some(open_run(s, run));
    for (original, usage) in &main.answers {
        let mut o = original.clone();
        let uuid = ids::uuid(&mut s.rng);
        o.set("parentUuid", th.parent.clone());
        o.set("isSidechain", true);
        let at =
            o.0.iter()
                .position(|(k, _)| k == "gitBranch")
                .map_or(o.0.len(), |i| i + 1);
        o.0.insert(at, ("agentId".into(), V::from(id.clone())));
        o.set("requestId", ids::request(&mut s.rng));
        o.set("uuid", uuid.clone());
        th.put(&o, Some(*usage));
        th.parent = Some(uuid);
        s.tally.replayed_lines += 1;
        s.tally.naive.add(usage);
    }
    th.grow(main.context() / 2);
    let question = *s.rng.pick(ASIDES);
    th.prompt(s, t, V::from(question), &[]);
    let prof = Profile {
        think: 0.0,
        answer_tok: 120.0,
        ..profile(false)
    };
    let end = turn::run(s, &mut th, t + 300, 0, &prof);
    let i = th.run.expect("a run");
    s.truth.subagent_runs[i].end = iso(end);
    s.end = s.end.max(end);
    s.truth.subagent_files.push(file.clone());
    s.files.push(OutFile {
        rel: file,
        body: Body::Lines(th.lines),
    });
    t + MINUTE / 2
}
