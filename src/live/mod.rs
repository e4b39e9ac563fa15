//! Live use: the status line (`statusline`), the quota snapshot file (`snapshots`) and the
//! watch view (`watch`). None of them rescans history: the status line reads Claude
//! Code's stdin, today's files and the current transcript; watch feeds only appended bytes
//! through `scan::live` (the scan's incremental front end: the same parse and dedupe as a
//! full scan). They sit beside `lib.rs` as its other way of running: `lib.rs` resolves
//! the configuration and hands each its settings.

pub mod feed;
pub mod snapshots;
pub mod statusline;
pub mod watch;
