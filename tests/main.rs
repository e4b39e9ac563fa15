//! The integration tests, built as one binary (`autotests = false` in Cargo.toml): each
//! file beside this one is a module. Shared helpers live in `common/`.

mod common;

mod activity;
mod attribution;
mod bad_input;
mod cli;
mod context;
mod dedupe_rules;
mod distribution;
mod first_use;
mod fuzz_regressions;
mod generator;
mod html;
mod layering;
mod ledger;
mod live;
mod live_files;
mod live_scan;
mod no_network;
mod opus;
mod output_files;
mod output_safety;
mod parity;
mod properties;
mod real_shapes;
mod render;
mod scan_detail;
mod session;
mod subagents;
mod wrapped;
