//! The activity analyzer: what happened besides tokens — tools (calls, errors, latency,
//! MCP servers, skills, slash commands, code changes; `tools`) and time and place
//! (sessions' wall and active time, repositories with worktrees folded in, a weekday ×
//! hour grid, models per day; `sessions`). One `activity` section of the report.

pub mod sessions;
pub mod tools;

use super::Options;
use crate::model::Dataset;
use crate::pricing::Pricing;
use serde::Serialize;

/// The `activity` section.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Activity {
    #[serde(flatten)]
    pub tools: tools::ToolActivity,
    #[serde(flatten)]
    pub time: sessions::TimeActivity,
    pub notes: ActivityNotes,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ActivityNotes {
    pub latency: &'static str,
    pub active_time: &'static str,
}

impl Default for ActivityNotes {
    fn default() -> Self {
        ActivityNotes {
            latency: "from the timestamp of the response that made a tool call to its result's; percentiles are nearest-rank",
            active_time: "the sum of gaps of at most 30 minutes between a session's consecutive prompts and API calls",
        }
    }
}

pub fn analyze(ds: &Dataset, pricing: &Pricing, opts: &Options) -> Activity {
    let (tools, time) = rayon::join(
        || tools::analyze(ds, opts.bounds()),
        || sessions::analyze(ds, pricing, opts),
    );
    Activity {
        tools,
        time,
        notes: ActivityNotes::default(),
    }
}
