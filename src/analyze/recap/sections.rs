//! The recap's per-analyzer sections: sub-agents, the Opus audit, recurring inclusions
//! and activity, each cut to its `LIMITS` and passed through `Privacy` (free text hidden,
//! paths shortened) on the way in. Data only.

use super::redact::Privacy;
use super::{LIMITS, short_id};
use crate::analyze::Analysis;
use crate::analyze::activity::sessions::RepoRow;
use crate::analyze::activity::tools::{CodeChanges, Count, Errors, FileEdits, McpServer, ToolRow};
use crate::analyze::subagents::{RunTokens, TypeRow};
use serde::Serialize;

#[derive(Clone, Debug, Serialize, Default)]
pub struct SubagentView {
    pub runs: usize,
    pub share_of_window: f64,
    /// Share of the window's API value (list prices), the basis the page states.
    pub api_value_share: f64,
    pub cost_usd: f64,
    pub tokens: RunTokens,
    pub flagged_runs: u64,
    pub missing_transcripts: u64,
    pub by_type: Vec<TypeRow>,
    pub top_runs: Vec<RunRow>,
    pub flags: Vec<FlagRow>,
    pub note: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct RunRow {
    pub agent_type: String,
    pub models: Vec<String>,
    pub description: String,
    pub project: String,
    pub total_tokens: u64,
    pub cost_usd: f64,
    pub tool_calls: u64,
    pub duration_ms: Option<i64>,
    pub flags: Vec<&'static str>,
    pub on_sonnet_usd: Option<f64>,
    pub on_haiku_usd: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FlagRow {
    pub agent_type: String,
    pub kind: &'static str,
    pub reason: String,
    pub excess_value_usd: Option<f64>,
}

#[derive(Clone, Debug, Serialize, Default)]
pub struct OpusView {
    pub caveat: &'static str,
    pub opus_tokens: u64,
    pub sonnet_shaped_tokens: u64,
    pub sonnet_shaped_share: f64,
    pub opus_turns: u64,
    pub sonnet_shaped_turns: u64,
    pub opus_api_value_usd: f64,
    pub sonnet_shaped_api_value_usd: f64,
    pub sonnet_shaped_at_sonnet_usd: f64,
    pub by_project: Vec<OpusProject>,
    pub flagged_sessions: Vec<OpusSession>,
    pub suggestion: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct OpusProject {
    pub project: String,
    pub opus_tokens: u64,
    pub sonnet_shaped_share: f64,
    pub sonnet_shaped_api_value_usd: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct OpusSession {
    pub session: String,
    pub project: String,
    pub date: Option<chrono::NaiveDate>,
    pub turns: u64,
    pub sonnet_shaped_turns: u64,
    pub api_value_usd: f64,
    pub at_sonnet_usd: f64,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct RecurringRow {
    pub kind: crate::analyze::recurring::Kind,
    pub label: String,
    pub sessions: u64,
    pub occurrences: u64,
    pub est_tokens: u64,
    pub suggestion: String,
}

#[derive(Clone, Debug, Serialize, Default)]
pub struct ActivityView {
    pub tools: Vec<ToolRow>,
    pub tools_found: usize,
    pub mcp_servers: Vec<McpServer>,
    pub skills: Vec<Count>,
    pub commands: Vec<Count>,
    pub errors: Option<Errors>,
    pub slowest: Vec<SlowRow>,
    pub code: CodeChanges,
    pub repositories: Vec<RepoRow>,
    /// `grid[weekday][hour]`: API calls, Monday first, local time.
    pub weekday_hour: Vec<Vec<u64>>,
    pub latency_note: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct SlowRow {
    pub tool: String,
    pub ms: i64,
    pub detail: String,
}

pub fn subagents(a: &Analysis, p: Privacy) -> SubagentView {
    let Some(s) = &a.subagents else {
        return SubagentView::default();
    };
    let mut runs: Vec<&crate::analyze::subagents::Run> = s.runs.iter().collect();
    runs.sort_by(|a, b| {
        b.cost_usd
            .total_cmp(&a.cost_usd)
            .then_with(|| a.agent_id.cmp(&b.agent_id))
    });
    let mut flags: Vec<(
        &crate::analyze::subagents::Run,
        &crate::analyze::subagents::Flag,
    )> = s
        .runs
        .iter()
        .flat_map(|r| r.flags.iter().map(move |f| (r, f)))
        .collect();
    flags.sort_by(|(ra, fa), (rb, fb)| {
        fb.excess_value_usd
            .unwrap_or(rb.cost_usd)
            .total_cmp(&fa.excess_value_usd.unwrap_or(ra.cost_usd))
            .then_with(|| ra.agent_id.cmp(&rb.agent_id))
    });
    SubagentView {
        runs: s.runs.len(),
        share_of_window: s.share_of_window,
        api_value_share: s.api_value_share,
        cost_usd: s.cost_usd,
        tokens: s.tokens,
        flagged_runs: s.flagged_runs,
        missing_transcripts: s.missing.calls_without_transcript,
        by_type: s.by_type.iter().take(LIMITS.types).cloned().collect(),
        top_runs: runs
            .into_iter()
            .take(LIMITS.runs)
            .map(|r| RunRow {
                agent_type: r.agent_type.clone(),
                models: r.models.clone(),
                description: p.text(&r.description, "(description hidden)"),
                project: p.project(&r.project, None, &r.project_dir),
                total_tokens: r.tokens.total_tokens,
                cost_usd: r.cost_usd,
                tool_calls: r.tool_calls,
                duration_ms: r.duration_ms,
                flags: r.flags.iter().map(|f| f.kind).collect(),
                on_sonnet_usd: r.on_sonnet.as_ref().map(|x| x.cost_usd),
                on_haiku_usd: r.on_haiku.as_ref().map(|x| x.cost_usd),
            })
            .collect(),
        flags: flags
            .into_iter()
            .take(LIMITS.flags)
            .map(|(r, f)| FlagRow {
                agent_type: r.agent_type.clone(),
                kind: f.kind,
                reason: f.reason.clone(),
                excess_value_usd: f.excess_value_usd,
            })
            .collect(),
        note: crate::analyze::subagents::FLAG_RULES,
    }
}

pub fn opus(a: &Analysis, p: Privacy) -> OpusView {
    let Some(o) = &a.opus_audit else {
        return OpusView::default();
    };
    OpusView {
        caveat: o.caveat,
        opus_tokens: o.opus_tokens,
        sonnet_shaped_tokens: o.sonnet_shaped_tokens,
        sonnet_shaped_share: o.sonnet_shaped_share,
        opus_turns: o.opus_turns,
        sonnet_shaped_turns: o.sonnet_shaped_turns,
        opus_api_value_usd: o.opus_api_value_usd,
        sonnet_shaped_api_value_usd: o.sonnet_shaped_api_value_usd,
        sonnet_shaped_at_sonnet_usd: o.sonnet_shaped_at_sonnet_usd,
        by_project: o
            .by_project
            .iter()
            .take(LIMITS.opus_rows)
            .map(|r| OpusProject {
                project: p.project(&r.project, r.cwd.as_deref(), &r.project_dir),
                opus_tokens: r.opus_tokens,
                sonnet_shaped_share: r.sonnet_shaped_share,
                sonnet_shaped_api_value_usd: r.sonnet_shaped_api_value_usd,
            })
            .collect(),
        flagged_sessions: o
            .flagged_sessions
            .iter()
            .take(LIMITS.opus_rows)
            .map(|s| OpusSession {
                session: short_id(&s.session_id),
                project: p.project(&s.project, s.cwd.as_deref(), &s.project_dir),
                date: s.date,
                turns: s.turns,
                sonnet_shaped_turns: s.sonnet_shaped_turns,
                api_value_usd: s.api_value_usd,
                at_sonnet_usd: s.at_sonnet_usd,
                reason: s.reason.clone(),
            })
            .collect(),
        suggestion: o.suggestion.why.clone(),
    }
}

pub fn recurring_row(r: &crate::analyze::recurring::Recurring, p: Privacy) -> RecurringRow {
    use crate::analyze::recurring::Kind;
    let tool = r.tool.as_deref().unwrap_or("tool");
    let label = match r.kind {
        Kind::File => p.path(&r.label),
        Kind::Search => p.text(&r.label, &format!("{tool} (pattern hidden)")),
        Kind::Prompt => p.text(&r.label, "a prompt (text hidden)"),
        Kind::ToolOutput => p.text(&r.label, &format!("{tool} output (input hidden)")),
    };
    RecurringRow {
        kind: r.kind,
        label,
        sessions: r.sessions,
        occurrences: r.occurrences,
        est_tokens: r.est_tokens,
        suggestion: r.suggestion.clone(),
    }
}

pub fn activity(a: &Analysis, p: Privacy) -> ActivityView {
    let Some(act) = &a.activity else {
        return ActivityView::default();
    };
    let t = &act.tools;
    ActivityView {
        tools: t
            .tools
            .iter()
            .take(LIMITS.tools)
            .map(|r| ToolRow {
                error_sample: r
                    .error_sample
                    .as_deref()
                    .map(|e| p.text(e, "(message hidden)")),
                ..r.clone()
            })
            .collect(),
        tools_found: t.tools.len(),
        mcp_servers: t.mcp_servers.clone(),
        skills: t.skills.clone(),
        commands: t.commands.clone(),
        errors: Some(t.errors.clone()),
        slowest: t
            .slowest
            .iter()
            .take(LIMITS.slowest)
            .map(|s| SlowRow {
                tool: s.name.clone(),
                ms: s.ms,
                detail: p.text(&s.detail, "(input hidden)"),
            })
            .collect(),
        code: CodeChanges {
            most_edited: t
                .code
                .most_edited
                .iter()
                .take(LIMITS.files)
                .map(|f| FileEdits {
                    path: p.path(&f.path),
                    ..f.clone()
                })
                .collect(),
            ..t.code.clone()
        },
        repositories: act
            .time
            .repositories
            .iter()
            .take(LIMITS.repositories)
            .map(|r| RepoRow {
                repository: p.project(&r.project, Some(&r.repository), &r.repository),
                worktrees: r.worktrees.iter().map(|w| p.path(w)).collect(),
                ..r.clone()
            })
            .collect(),
        weekday_hour: act.time.weekday_hour.clone(),
        latency_note: act.notes.latency,
    }
}
