//! Fuzz target: one transcript line (see `checks::line`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::line(data));
