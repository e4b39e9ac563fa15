//! Fuzz target: a file's bytes → totals (see `checks::file`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::file(data));
