//! One main session from its plan: its Claude Code version (which decides the on-disk
//! era: 1.0.x inline sidechains and `costUSD`, 2.0.x sibling agent files, 2.1.2+ nested
//! `subagents/` with `.meta.json`, workflows, `/btw` asides and attribution fields in
//! recent builds), its kind (model and shape of work), header lines, slash commands,
//! model switches, prompts, turns, interrupts, idle gaps and the cache TTL. A resumed
//! session starts with a copy of an earlier session's lines under its own `sessionId`.

use crate::calendar::{
    Family, HOUR, MINUTE, Ms, Version, date_of, iso, pick_model, since, version_for,
};
use crate::ids;
use crate::json::{Obj, V};
use crate::pools::Pools;
use crate::project::Project;
use crate::rng::Rng;
use crate::thread::Thread;
use crate::truth::{Layout, ResponseTruth, SessionTok, SessionTruth, Tally, Tok};
use crate::turn::{self, Profile};
use crate::vocab::{COMMON_PROMPTS, EFFORTS, SLASH_COMMANDS, WORDS};
use chrono::NaiveDate;

/// What every session reads: the pools and the corpus options.
pub struct Env {
    pub pools: Pools,
    pub seed: u64,
    pub dup_rate: f64,
    pub subagent_rate: f64,
    pub progress_rate: f64,
    /// Sessions may not start after this (midnight after the end date, UTC).
    pub end_bound: Ms,
}

/// One line of a transcript file: its text, the usage it carries when it is an API
/// response or a copy of one, and whether it is a `<synthetic>` line.
#[derive(Clone, Debug)]
pub struct Line {
    pub text: String,
    pub usage: Option<Tok>,
    pub synthetic: bool,
}

impl Line {
    pub fn new(text: String, usage: Option<Tok>) -> Line {
        Line {
            text,
            usage,
            synthetic: false,
        }
    }
}

/// A file's contents before it is written.
pub enum Body {
    /// A transcript (`*.jsonl`), which may get a malformed line.
    Lines(Vec<Line>),
    /// A `.meta.json` sidecar.
    Meta(String),
    /// A workflow `journal.jsonl` (not a transcript).
    Journal(String),
}

pub struct OutFile {
    /// Relative to the corpus root (`projects/…`).
    pub rel: String,
    pub body: Body,
}

/// The shape of a session's work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sonnet,
    SonnetHeavy,
    /// Opus doing Sonnet-sized work: few prompts, few tools, short answers, no sub-agents.
    OpusLight,
    OpusHeavy,
    Haiku,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Sonnet => "sonnet",
            Kind::SonnetHeavy => "sonnet_heavy",
            Kind::OpusLight => "opus_light",
            Kind::OpusHeavy => "opus_heavy",
            Kind::Haiku => "haiku",
        }
    }

    pub fn family(self) -> Family {
        match self {
            Kind::Sonnet | Kind::SonnetHeavy => Family::Sonnet,
            Kind::OpusLight | Kind::OpusHeavy => Family::Opus,
            Kind::Haiku => Family::Haiku,
        }
    }

    /// The kind of a uniform draw: 52% sonnet, 17% heavy sonnet, 12% light Opus, 7% heavy
    /// Opus, 12% Haiku.
    pub fn of(x: f64) -> Kind {
        match x {
            x if x < 0.52 => Kind::Sonnet,
            x if x < 0.69 => Kind::SonnetHeavy,
            x if x < 0.81 => Kind::OpusLight,
            x if x < 0.88 => Kind::OpusHeavy,
            _ => Kind::Haiku,
        }
    }
}

/// Where a session comes from: its index, project, start and kind.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    pub index: u64,
    pub project: usize,
    pub start: Ms,
    pub kind: Kind,
}

pub struct Session<'a> {
    pub env: &'a Env,
    pub rng: Rng,
    pub project: &'a Project,
    pub sid: String,
    pub v: Version,
    pub vs: String,
    pub date: NaiveDate,
    pub branch: String,
    pub cost_usd: bool,
    pub ttl_1h: bool,
    pub window: u64,
    pub perm_mode: &'static str,
    pub kind: Kind,
    pub subagent_budget: u32,
    pub workflows: u32,
    pub effort: Option<&'static str>,
    pub edited: Vec<String>,
    pub files: Vec<OutFile>,
    pub truth: SessionTruth,
    pub tally: Tally,
    pub start: Ms,
    /// The last line written in any of its files.
    pub end: Ms,
}

impl<'a> Session<'a> {
    /// A session of `plan`; `stream` tells resumed sessions apart from the one they resume.
    pub fn new(
        env: &'a Env,
        project: &'a Project,
        plan: &Plan,
        stream: u64,
        tally: Tally,
    ) -> Session<'a> {
        let mut rng = Rng::new(env.seed, &[0x5E55, plan.index, stream]);
        let date = date_of(plan.start);
        let v = version_for(date, &mut rng);
        let sid = ids::uuid(&mut rng);
        let branch = rng.pick(&project.branches).clone();
        let ttl_1h = v >= since::V2 && rng.chance(0.3);
        let family = plan.kind.family();
        let window = if family == Family::Sonnet && rng.chance(0.03) {
            1_000_000
        } else {
            200_000
        };
        let perm_mode = *rng.pick(&[
            "default",
            "default",
            "default",
            "acceptEdits",
            "acceptEdits",
            "plan",
            "bypassPermissions",
        ]);
        let effort_share = if family == Family::Opus { 0.7 } else { 0.45 };
        let effort =
            (v >= since::ATTRIBUTION && rng.chance(effort_share)).then(|| *rng.pick(EFFORTS));
        let truth = SessionTruth {
            session_id: sid.clone(),
            file: format!("projects/{}/{sid}.jsonl", project.dir),
            cwd: project.cwd.clone(),
            kind: plan.kind.name(),
            version: v.to_string(),
            start: iso(plan.start),
            resumed_from: None,
            models: Default::default(),
            tokens: SessionTok::default(),
            subagent_models: Default::default(),
            subagent_tokens: SessionTok::default(),
            subagent_files: Vec::new(),
            end: String::new(),
            inline_subagent_runs: 0,
            project: project.dir.clone(),
            turns: 0,
            compactions: 0,
            tool_uses: Default::default(),
            tool_errors: Default::default(),
            effort,
            subagent_runs: Vec::new(),
        };
        Session {
            env,
            rng,
            project,
            vs: v.to_string(),
            v,
            date,
            branch,
            cost_usd: date < NaiveDate::from_ymd_opt(2025, 6, 15).expect("valid date"),
            ttl_1h,
            window,
            perm_mode,
            kind: plan.kind,
            subagent_budget: 0,
            workflows: 0,
            effort,
            edited: Vec::new(),
            files: Vec::new(),
            sid,
            truth,
            tally,
            start: plan.start,
            end: plan.start,
        }
    }

    /// Where this session's sub-agent transcripts go.
    pub fn layout(&self) -> Layout {
        if self.v < since::V2 {
            Layout::Inline
        } else if self.v < since::NESTED {
            Layout::Sibling
        } else {
            Layout::Nested
        }
    }

    /// The spawning tool's name in this version.
    pub fn task_tool(&self) -> &'static str {
        if self.v < since::AGENT_TOOL {
            "Task"
        } else {
            "Agent"
        }
    }

    pub fn new_agent_id(&mut self) -> String {
        let long = self.v >= since::LONG_AGENT_IDS;
        ids::agent(&mut self.rng, long)
    }

    /// `trackedFileBackups` of a file-history snapshot: the last few files edited.
    pub fn backups(&self, t: Ms) -> Obj {
        let mut o = Obj::new();
        let from = self.edited.len().saturating_sub(6);
        for (i, p) in self.edited[from..].iter().enumerate() {
            let name = format!(
                "{:016x}@v{}",
                crate::rng::fnv1a(format!("{}{p}", self.sid).as_bytes()),
                i + 1
            );
            o.push(
                p.clone(),
                Obj::new()
                    .with("backupFileName", name)
                    .with("version", i + 1)
                    .with("backupTime", iso(t)),
            );
        }
        o
    }

    /// Records one response in the corpus tally and the session's (or run's) truth.
    pub fn record_response(&mut self, th: &Thread, r: &ResponseTruth) {
        self.tally.response(r);
        let model = r.model.to_string();
        match th.run {
            Some(i) => {
                let run = &mut self.truth.subagent_runs[i];
                run.tokens.add(&r.usage);
                *run.models.entry(model.clone()).or_default() += 1;
                self.truth.subagent_tokens.add(&r.usage);
                *self.truth.subagent_models.entry(model).or_default() += 1;
            }
            None => {
                self.truth.tokens.add(&r.usage);
                *self.truth.models.entry(model).or_default() += 1;
            }
        }
    }

    fn profile(&self) -> Profile {
        let p = |turns, tsig, calls, csig, think, think_tok, answer_tok, sub| Profile {
            turns,
            tsig,
            calls,
            csig,
            think,
            think_tok,
            answer_tok,
            sub,
        };
        match self.kind {
            Kind::Sonnet => p(3.0, 0.9, 4.0, 0.9, 0.25, 350.0, 380.0, 1.0),
            Kind::SonnetHeavy => p(6.0, 0.7, 6.0, 0.7, 0.3, 500.0, 500.0, 1.5),
            Kind::OpusHeavy => p(6.0, 0.75, 7.0, 0.7, 0.6, 700.0, 700.0, 2.0),
            Kind::OpusLight => p(2.2, 0.5, 2.0, 0.6, 0.1, 200.0, 220.0, 0.0),
            Kind::Haiku => p(1.8, 0.6, 1.5, 0.7, 0.03, 150.0, 200.0, 0.2),
        }
    }

    /// The prompt text of turn `i`.
    fn prompt_text(&mut self, i: usize) -> String {
        let r = &mut self.rng;
        if i > 0 && r.chance(0.22) {
            return r.pick(COMMON_PROMPTS).to_string();
        }
        if i == 0 && r.chance(0.06) {
            return r.pick(&COMMON_PROMPTS[..5]).to_string();
        }
        let mut text = crate::tools::from_template(r, self.project);
        if r.chance(0.25) {
            let n = r.range(100, 1500) as usize;
            text.push_str("\n\n");
            text.push_str(&self.env.pools.text(r, n));
        }
        text
    }

    /// A slash command as Claude Code records it: a meta caveat, the command, its output.
    fn slash_command(&mut self, main: &mut Thread, t: Ms, cmd: &str, args: &str, stdout: &str) {
        main.prompt(
            self,
            t,
            V::from("Caveat: The messages below were generated by the user while running local commands. DO NOT respond to these messages or otherwise consider them in your response unless the user explicitly asks you to."),
            &[("isMeta", V::Bool(true))],
        );
        let text = format!(
            "<command-name>{cmd}</command-name>\n            <command-message>{}</command-message>\n            <command-args>{args}</command-args>",
            cmd.trim_start_matches('/')
        );
        main.prompt(self, t + 10, V::from(text), &[]);
        Tally::count(&mut self.tally.commands, cmd);
        main.prompt(
            self,
            t + 20,
            V::from(format!(
                "<local-command-stdout>{stdout}</local-command-stdout>"
            )),
            &[],
        );
    }

    /// Session titles (`summary` lines) at the top of the file, mostly in older versions.
    fn titles(&mut self, main: &mut Thread) {
        let r = &mut self.rng;
        let titles = if self.v < since::V21 && r.chance(0.25) {
            r.range(1, 3)
        } else {
            u64::from(r.chance(0.08))
        };
        for _ in 0..titles {
            let n = r.range(3, 7) as usize;
            let words: Vec<&str> = (0..n).map(|_| *r.pick(WORDS)).collect();
            let o = Obj::new()
                .with("type", "summary")
                .with("summary", words.join(" "))
                .with("leafUuid", ids::uuid(r));
            main.put(&o, None);
        }
    }

    /// A dequeued prompt and a slash command before the first prompt, now and then.
    fn opening(&mut self, main: &mut Thread, mut t: Ms) -> Ms {
        if self.v >= since::V2 && self.rng.chance(0.12) {
            let o = Obj::new()
                .with("type", "queue-operation")
                .with("operation", "dequeue")
                .with("timestamp", iso(t))
                .with("sessionId", self.sid.clone());
            main.put(&o, None);
        }
        if self.rng.chance(0.15) {
            let cmd = *self.rng.pick(SLASH_COMMANDS);
            self.slash_command(main, t, cmd, "", "");
            t += self.rng.range(2000, 30_000) as Ms;
        }
        t
    }

    /// Generates the session; `copy` is the earlier session this one resumes (its id and
    /// main-file lines). Returns the main file's lines; side files are in `self.files`.
    pub fn generate(&mut self, copy: Option<(&str, &[Line])>) -> Vec<Line> {
        let prof = self.profile();
        let family = self.kind.family();
        let model = pick_model(family, self.date, &mut self.rng);
        let p_sub = (self.env.subagent_rate * prof.sub).min(1.0);
        if self.rng.chance(p_sub) {
            self.subagent_budget = self.rng.range(1, 3) as u32;
        }
        if self.v >= since::WORKFLOWS
            && prof.sub > 0.0
            && self.rng.chance(0.1 * self.env.subagent_rate / 0.25)
        {
            self.workflows = 1;
        }
        let intensity = self.rng.lognorm(1.0, 0.4);
        let n_turns = self
            .rng
            .lognorm(prof.turns * intensity, prof.tsig)
            .clamp(1.0, 80.0) as usize;
        let mut main = Thread::new(self, model, None);
        self.titles(&mut main);
        if let Some((old_sid, lines)) = copy {
            self.copy_in(&mut main, old_sid, lines);
        }
        let mut t = self.opening(&mut main, self.start);
        let switch_at = (n_turns > 2 && self.rng.chance(0.06))
            .then(|| self.rng.range(1, n_turns as u64 - 1) as usize);
        for i in 0..n_turns {
            if switch_at == Some(i) {
                let other = if family == Family::Opus {
                    Family::Sonnet
                } else {
                    Family::Opus
                };
                main.model = pick_model(other, self.date, &mut self.rng);
                let arg = if other == Family::Opus {
                    "opus"
                } else {
                    "sonnet"
                };
                let out = format!("Set model to {}", main.model);
                self.slash_command(&mut main, t, "/model", arg, &out);
            }
            t = main.maybe_compact(self, t, false);
            t = self.one_turn(&mut main, t, i, &prof, intensity);
        }
        self.closing(&mut main, t);
        main.lines
    }

    fn one_turn(
        &mut self,
        main: &mut Thread,
        mut t: Ms,
        i: usize,
        prof: &Profile,
        intensity: f64,
    ) -> Ms {
        let text = self.prompt_text(i);
        if text == "/compact" {
            self.slash_command(main, t, "/compact", "", "Compacted");
            return main.maybe_compact(self, t + 100, true);
        }
        if self.rng.chance(0.01) {
            let len = self.rng.range(4000, 32_000) as usize;
            let image = Obj::new().with("type", "image").with(
                "source",
                Obj::new()
                    .with("type", "base64")
                    .with("media_type", "image/png")
                    .with("data", self.env.pools.image[..len].to_string()),
            );
            let content = vec![
                V::O(Obj::new().with("type", "text").with("text", text)),
                V::O(image),
            ];
            main.prompt(self, t, V::A(content), &[]);
            self.tally.images += 1;
        } else {
            main.prompt(self, t, V::from(text), &[]);
        }
        self.truth.turns += 1;
        t += self.rng.range(500, 2000) as Ms;
        let calls =
            (self.rng.lognorm(prof.calls * intensity, prof.csig) - 0.5).clamp(0.0, 120.0) as usize;
        t = turn::run(self, main, t, calls, prof);
        t = self.after_turn(main, t);
        let gap = (self.rng.lognorm(70.0, 1.3) * 1000.0).min(4.0 * HOUR as f64) as Ms;
        main.idle(gap);
        t + gap
    }

    /// Bookkeeping lines after a turn, an interrupt now and then, and `/btw` asides.
    fn after_turn(&mut self, main: &mut Thread, t: Ms) -> Ms {
        if self.v >= since::V21 && self.rng.chance(0.5) {
            let d = (t - self.start) % (15 * MINUTE) + 1200;
            let f = Obj::new()
                .with("subtype", "turn_duration")
                .with("durationMs", d as u64)
                .with("isMeta", false);
            main.system(self, t + 10, f, false);
        } else if self.v < since::V21 && self.rng.chance(0.1) {
            let f = Obj::new()
                .with("content", "Running \u{1b}[1mPostToolUse:Edit\u{1b}[22m...")
                .with("isMeta", false)
                .with("level", "info")
                .with("toolUseID", ids::tool_use(&mut self.rng));
            main.system(self, t + 10, f, false);
        }
        if self.rng.chance(0.02) {
            main.prompt(
                self,
                t + 1000,
                V::from("[Request interrupted by user]"),
                &[],
            );
            main.synthetic(self, t + 1500, "No response requested.".into(), false);
            self.tally.interrupted_turns += 1;
        }
        if self.v >= since::META_JSON && !main.answers.is_empty() && self.rng.chance(0.012) {
            return crate::spawn::aside(self, main, t + 2000);
        }
        t
    }

    /// Lines that close a session: a usage-limit notice, an AI title.
    fn closing(&mut self, main: &mut Thread, t: Ms) {
        if self.rng.chance(0.004) {
            let reset = t / 1000 + 3600 * self.rng.range(1, 5) as i64;
            main.synthetic(
                self,
                t,
                format!("Claude AI usage limit reached|{reset}"),
                true,
            );
            Tally::count(&mut self.tally.api_errors, "usage_limit");
        }
        if self.v >= since::V21 && self.rng.chance(0.02) {
            let n = self.rng.range(3, 5) as usize;
            let words: Vec<&str> = (0..n).map(|_| *self.rng.pick(WORDS)).collect();
            let o = Obj::new()
                .with("type", "ai-title")
                .with("title", words.join(" "))
                .with("sessionId", self.sid.clone());
            main.put(&o, None);
        }
        self.truth.end = iso(t);
        self.end = t.max(self.end);
    }

    /// A resumed session begins with the earlier session's lines (session titles
    /// dropped) under this session's id; its cache starts cold.
    fn copy_in(&mut self, main: &mut Thread, old_sid: &str, lines: &[Line]) {
        let from = format!("\"sessionId\":\"{old_sid}\"");
        let to = format!("\"sessionId\":\"{}\"", self.sid);
        for l in lines {
            if l.text.starts_with("{\"type\":\"summary\"") {
                continue;
            }
            let text = l.text.replace(&from, &to);
            if let Some(i) = text.find("\"uuid\":\"") {
                main.parent = Some(text[i + 8..i + 44].to_string());
            }
            if let Some(u) = &l.usage {
                self.tally.naive.add(u);
                self.tally.resumed_copied_responses += 1;
            }
            self.tally.resumed_copied_synthetic += u64::from(l.synthetic);
            main.lines.push(Line { text, ..l.clone() });
            self.tally.resumed_copied_lines += 1;
        }
        main.resume(6000);
        self.truth.resumed_from = Some(old_sid.to_string());
    }
}
