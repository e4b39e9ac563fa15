//! The attribution analyzer: what each git branch, plugin, skill and MCP server cost in the
//! window. Four tables (`by_branch`, `by_plugin`, `by_skill`, `by_mcp_server`), each
//! holding every response of the window exactly once: responses without the field fall
//! into one row whose `name` is null, so each table sums to the window's totals. Branch
//! rows are grouped per repository (worktrees folded in as activity folds them) and carry
//! sessions, first and last day and the lines their edit calls changed; MCP rows list their
//! top tools; skill rows link to the `Skill` tool calls activity counts. Also the
//! per-period breakdowns of `--by` for the usage rollups (`breakdown`).

use super::Options;
use super::activity::sessions::RepoIndex;
use super::activity::tools::{Count, is_edit, skill_of};
use super::bucket::{Billing, Bucket};
use super::usage::{in_window, window_range};
use crate::model::{Attribution, Dataset, Response, Sym, Tokens};
use crate::options::By;
use crate::pricing::Pricing;
use crate::time::{LocalDays, in_bounds};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A single named row at or above this share of the window's API value is a highlight
/// (the summary's and the HTML recap's line).
pub const LARGE_SHARE: f64 = 0.4;

/// MCP tools listed per server.
const TOP_TOOLS: usize = 3;

/// The `attribution` section.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct AttributionReport {
    pub by_branch: Vec<BranchRow>,
    pub by_plugin: Vec<AttrRow>,
    pub by_skill: Vec<SkillRow>,
    pub by_mcp_server: Vec<McpRow>,
    /// Named rows at or above `large_share` of the window's API value, largest first.
    pub highlights: Vec<Highlight>,
    pub large_share: f64,
    pub notes: AttributionNotes,
}

/// One value of a field: the responses carrying it, their tokens and API value.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct AttrRow {
    /// The value; null for the responses without the field.
    pub name: Option<String>,
    pub responses: u64,
    pub tokens: AttrTokens,
    /// USD at API prices (priced models only).
    pub api_value_usd: f64,
    /// Share of the window's API value (of its tokens when the window has no value).
    pub share: f64,
}

#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct AttrTokens {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_read_tokens: u64,
    pub cache_write_tokens: u64,
}

impl From<Tokens> for AttrTokens {
    fn from(t: Tokens) -> Self {
        AttrTokens {
            input_tokens: t.input,
            output_tokens: t.output,
            cache_read_tokens: t.cache_read,
            cache_write_tokens: t.cache_write(),
        }
    }
}

/// A branch of one repository (`name` null: no branch — the field absent or empty, or a
/// detached `HEAD`).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct BranchRow {
    /// The repository's path (worktrees folded in), and its display name.
    pub repository: String,
    pub project: String,
    #[serde(flatten)]
    pub row: AttrRow,
    pub sessions: u64,
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    pub lines_added: u64,
    pub lines_removed: u64,
}

/// A skill, with the `Skill` tool calls that started it.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct SkillRow {
    #[serde(flatten)]
    pub row: AttrRow,
    pub skill_tool_calls: u64,
}

/// An MCP server and its most used tools (by responses).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct McpRow {
    #[serde(flatten)]
    pub row: AttrRow,
    pub top_tools: Vec<Count>,
}

/// A single value holding a large share of the window's value.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Highlight {
    /// `branch`, `plugin`, `skill` or `mcp_server`.
    pub table: &'static str,
    pub name: String,
    pub share: f64,
    pub api_value_usd: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AttributionNotes {
    pub source: &'static str,
    pub no_branch: &'static str,
    pub skills: &'static str,
    pub share: &'static str,
}

impl Default for AttributionNotes {
    fn default() -> Self {
        AttributionNotes {
            source: "gitBranch and the attributionPlugin, attributionSkill, attributionMcpServer and attributionMcpTool fields Claude Code writes on assistant lines, taken from the copy of each response the dedupe keeps",
            no_branch: "name null: no gitBranch, an empty one (not a repository) or a detached HEAD",
            skills: "skill_tool_calls: Skill tool calls whose skill equals the attributed name, or, when the attribution says plugin:skill and the call says skill, its part after the last colon",
            share: "of the window's API value (of its tokens when the window has no priced responses)",
        }
    }
}

/// Branch groups by (repository, by its `RepoIndex` number; branch).
type BranchGroups = BTreeMap<(usize, Option<Sym>), Acc>;

/// A group being filled: its bucket (for the cost) and what branch rows also need.
#[derive(Default)]
struct Acc {
    bucket: Bucket,
    sessions: BTreeSet<Sym>,
    days: Option<(NaiveDate, NaiveDate)>,
    lines: (u64, u64),
    tools: BTreeMap<Sym, u64>,
}

/// The window's value and tokens, for shares.
struct Whole {
    value: f64,
    tokens: u64,
}

impl Whole {
    fn share(&self, value: f64, tokens: u64) -> f64 {
        if self.value > 0.0 {
            value / self.value
        } else if self.tokens > 0 {
            tokens as f64 / self.tokens as f64
        } else {
            0.0
        }
    }
}

pub fn analyze(ds: &Dataset, pricing: &Pricing, opts: &Options) -> AttributionReport {
    let billing = Billing::new(ds, pricing, opts.cost_mode);
    let mut repos = RepoIndex::default();
    let mut branch: BranchGroups = BTreeMap::new();
    let mut plugin: BTreeMap<Option<Sym>, Acc> = BTreeMap::new();
    let mut skill: BTreeMap<Option<Sym>, Acc> = BTreeMap::new();
    let mut mcp: BTreeMap<Option<Sym>, Acc> = BTreeMap::new();
    let mut whole = Bucket::default();
    let mut days = LocalDays::new(opts.zone);
    for r in in_window(ds, opts) {
        let a = ds.attribution(r);
        let repo = repos.of(ds, r.cwd, r.project);
        let b = branch.entry((repo, branch_of(ds, a))).or_default();
        b.bucket.add(r, &billing);
        b.sessions.insert(r.session);
        if let Some(d) = r.ts.map(|t| days.date_of(t)) {
            b.days = Some(b.days.map_or((d, d), |(f, l)| (f.min(d), l.max(d))));
        }
        plugin.entry(a.plugin).or_default().bucket.add(r, &billing);
        skill.entry(a.skill).or_default().bucket.add(r, &billing);
        let m = mcp.entry(a.mcp_server).or_default();
        m.bucket.add(r, &billing);
        if let Some(t) = a.mcp_tool {
            *m.tools.entry(t).or_default() += 1;
        }
        whole.add(r, &billing);
    }
    edit_lines(ds, opts, &repos, &mut branch);
    let f = whole.finish(pricing, ds);
    let whole = Whole {
        value: f.cost,
        tokens: f.tokens.total(),
    };
    let mut report = AttributionReport {
        by_branch: branch_rows(ds, pricing, &whole, &branch, &repos),
        by_plugin: rows(ds, pricing, &whole, &plugin, |row, _| row),
        by_skill: Vec::new(),
        by_mcp_server: rows(ds, pricing, &whole, &mcp, |row, acc| McpRow {
            row,
            top_tools: top_tools(ds, &acc.tools),
        }),
        highlights: Vec::new(),
        large_share: LARGE_SHARE,
        notes: AttributionNotes::default(),
    };
    report.by_skill = rows(ds, pricing, &whole, &skill, |row, _| SkillRow {
        row,
        skill_tool_calls: 0,
    });
    link_skill_calls(ds, opts, &mut report.by_skill);
    report.highlights = highlights(&report);
    report
}

/// The branch a response names; `HEAD` (detached) and no branch are one group.
fn branch_of(ds: &Dataset, a: &Attribution) -> Option<Sym> {
    a.branch.filter(|&b| ds.name(b) != "HEAD")
}

/// Lines changed by the window's edit calls, by the branch of the response that made them.
fn edit_lines(ds: &Dataset, opts: &Options, repos: &RepoIndex, branch: &mut BranchGroups) {
    let range = window_range(ds, opts);
    for c in &ds.tool_calls {
        let Some(i) = c.response.map(|i| i as usize).filter(|i| range.contains(i)) else {
            continue;
        };
        if !is_edit(ds.name(c.name)) {
            continue;
        }
        let r = &ds.responses[i];
        let Some(repo) = repos.get(r.cwd, r.project) else {
            continue;
        };
        if let Some(acc) = branch.get_mut(&(repo, branch_of(ds, ds.attribution(r)))) {
            acc.lines.0 += u64::from(c.input.lines_added);
            acc.lines.1 += u64::from(c.input.lines_removed);
        }
    }
}

/// A finished group's row.
fn attr_row(
    ds: &Dataset,
    pricing: &Pricing,
    whole: &Whole,
    name: Option<Sym>,
    acc: &Acc,
) -> AttrRow {
    let f = acc.bucket.finish(pricing, ds);
    AttrRow {
        name: name.map(|s| ds.name(s).to_string()),
        responses: acc.bucket.entries,
        tokens: f.tokens.into(),
        api_value_usd: f.cost,
        share: whole.share(f.cost, f.tokens.total()),
    }
}

/// Rows by value, most valuable first; the null row last.
fn rows<T>(
    ds: &Dataset,
    pricing: &Pricing,
    whole: &Whole,
    groups: &BTreeMap<Option<Sym>, Acc>,
    make: impl Fn(AttrRow, &Acc) -> T,
) -> Vec<T>
where
    T: AsRef<AttrRow>,
{
    let mut out: Vec<T> = groups
        .iter()
        .map(|(&name, acc)| make(attr_row(ds, pricing, whole, name, acc), acc))
        .collect();
    out.sort_by(|a, b| order(a.as_ref(), b.as_ref()));
    out
}

/// Named rows first, by value then tokens then name; the null row last.
fn order(a: &AttrRow, b: &AttrRow) -> std::cmp::Ordering {
    a.name
        .is_none()
        .cmp(&b.name.is_none())
        .then_with(|| b.api_value_usd.total_cmp(&a.api_value_usd))
        .then_with(|| total(&b.tokens).cmp(&total(&a.tokens)))
        .then_with(|| a.name.cmp(&b.name))
}

fn total(t: &AttrTokens) -> u64 {
    t.input_tokens + t.output_tokens + t.cache_read_tokens + t.cache_write_tokens
}

impl AsRef<AttrRow> for AttrRow {
    fn as_ref(&self) -> &AttrRow {
        self
    }
}
impl AsRef<AttrRow> for SkillRow {
    fn as_ref(&self) -> &AttrRow {
        &self.row
    }
}
impl AsRef<AttrRow> for McpRow {
    fn as_ref(&self) -> &AttrRow {
        &self.row
    }
}

/// Branch rows, repositories by their value, branches within each by `order`.
fn branch_rows(
    ds: &Dataset,
    pricing: &Pricing,
    whole: &Whole,
    groups: &BranchGroups,
    repos: &RepoIndex,
) -> Vec<BranchRow> {
    let mut rows: Vec<BranchRow> = groups
        .iter()
        .map(|(&(repo, name), acc)| BranchRow {
            repository: repos.repos[repo].path.clone(),
            project: repos.repos[repo].name.clone(),
            row: attr_row(ds, pricing, whole, name, acc),
            sessions: acc.sessions.len() as u64,
            first_day: acc.days.map(|d| d.0),
            last_day: acc.days.map(|d| d.1),
            lines_added: acc.lines.0,
            lines_removed: acc.lines.1,
        })
        .collect();
    let mut repo_value: BTreeMap<&str, f64> = BTreeMap::new();
    for r in &rows {
        *repo_value.entry(r.repository.as_str()).or_default() += r.row.api_value_usd;
    }
    let repo_value: BTreeMap<String, f64> = repo_value
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    rows.sort_by(|a, b| {
        repo_value[&b.repository]
            .total_cmp(&repo_value[&a.repository])
            .then_with(|| a.repository.cmp(&b.repository))
            .then_with(|| order(&a.row, &b.row))
    });
    rows
}

fn top_tools(ds: &Dataset, tools: &BTreeMap<Sym, u64>) -> Vec<Count> {
    let mut v: Vec<Count> = tools
        .iter()
        .map(|(&t, &n)| Count {
            name: ds.name(t).to_string(),
            count: n,
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    v.truncate(TOP_TOOLS);
    v
}

/// The part of a skill name after its plugin (`superpowers:tdd` → `tdd`).
fn unqualified(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Counts the window's `Skill` tool calls against the skill rows: an exact name match
/// first, else the one row whose unqualified name equals the call's.
fn link_skill_calls(ds: &Dataset, opts: &Options, rows: &mut [SkillRow]) {
    let bounds = opts.bounds();
    for c in &ds.tool_calls {
        if ds.name(c.name) != "Skill" || !in_bounds(bounds, c.ts) {
            continue;
        }
        let called = skill_of(c);
        fn named(r: &SkillRow) -> Option<&str> {
            r.row.name.as_deref()
        }
        let exact = rows.iter().position(|r| named(r) == Some(called));
        let loose = || {
            let mut hits = rows
                .iter()
                .enumerate()
                .filter(|(_, r)| named(r).is_some_and(|n| unqualified(n) == unqualified(called)));
            match (hits.next(), hits.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        };
        if let Some(i) = exact.or_else(loose) {
            rows[i].skill_tool_calls += 1;
        }
    }
}

/// Named rows of each table at or above `LARGE_SHARE`, largest first.
fn highlights(r: &AttributionReport) -> Vec<Highlight> {
    let mut out = Vec::new();
    let mut add = |table: &'static str, row: &AttrRow| {
        if let Some(name) = row.name.as_ref().filter(|_| row.share >= LARGE_SHARE) {
            out.push(Highlight {
                table,
                name: name.clone(),
                share: row.share,
                api_value_usd: row.api_value_usd,
            });
        }
    };
    r.by_branch.iter().for_each(|b| add("branch", &b.row));
    r.by_plugin.iter().for_each(|b| add("plugin", b));
    r.by_skill.iter().for_each(|b| add("skill", &b.row));
    r.by_mcp_server
        .iter()
        .for_each(|b| add("mcp_server", &b.row));
    out.sort_by(|a, b| b.share.total_cmp(&a.share));
    out
}

/// One value's share of a period or session under `--by`.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ByRow {
    /// The value; null for the responses without the field (no branch, for branches).
    pub name: Option<String>,
    pub responses: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_creation_tokens: u64,
    pub cache_read_tokens: u64,
    pub total_tokens: u64,
    /// USD of priced models.
    pub cost: f64,
}

/// The value a response has for `by` (branches: `HEAD` is no branch).
pub fn value_of(ds: &Dataset, r: &Response, by: By) -> Option<Sym> {
    let a = ds.attribution(r);
    match by {
        By::Branch => branch_of(ds, a),
        By::Plugin => a.plugin,
        By::Skill => a.skill,
        By::Mcp => a.mcp_server,
    }
}

/// Groups by value for `--by`, filled alongside a period's or session's bucket.
#[derive(Default)]
pub struct ByBuckets(BTreeMap<Option<Sym>, Bucket>);

impl ByBuckets {
    pub fn add(&mut self, ds: &Dataset, r: &Response, by: By, billing: &Billing) {
        self.0
            .entry(value_of(ds, r, by))
            .or_default()
            .add(r, billing);
    }

    /// The rows, most valuable first, the null row last.
    pub fn finish(&self, ds: &Dataset, pricing: &Pricing) -> Vec<ByRow> {
        let mut out: Vec<ByRow> = self
            .0
            .iter()
            .map(|(&name, b)| {
                let f = b.finish(pricing, ds);
                let t = f.tokens;
                ByRow {
                    name: name.map(|s| ds.name(s).to_string()),
                    responses: b.entries,
                    input_tokens: t.input,
                    output_tokens: t.output,
                    cache_creation_tokens: t.cache_write(),
                    cache_read_tokens: t.cache_read,
                    total_tokens: t.total(),
                    cost: f.cost,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            a.name
                .is_none()
                .cmp(&b.name.is_none())
                .then_with(|| b.cost.total_cmp(&a.cost))
                .then_with(|| b.total_tokens.cmp(&a.total_tokens))
                .then_with(|| a.name.cmp(&b.name))
        });
        out
    }
}
