//! The in-memory model: compact, deduplicated records of what the transcripts say.
//! `model` imports nothing from the rest of the crate; `scan` fills it and `analyze`
//! reads it.

pub mod attribution;
pub mod dataset;
pub mod dedupe;
pub mod diagnostics;
pub mod ids;
pub mod projects;
pub mod quota;
pub mod record;
pub mod tokens;

pub use attribution::{AttrTable, Attribution};
pub use dataset::{
    AgentMeta, ApiError, Compaction, Dataset, FileInfo, Prompt, Response, ToolCall, ToolResult,
};
pub use ids::{Interner, Sym};
pub use record::{DedupeKey, Millis, Origin};
pub use tokens::Tokens;
