//! The scan progress bar: on stderr, only when stderr is a terminal, never with `-q`, and
//! only for scans big enough to be worth it. indicatif draws it; the scan reports through a
//! callback, so nothing else knows a bar exists.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Duration;

/// Files above which a scan gets a bar.
const MIN_FILES: usize = 200;
/// Bytes above which a scan gets a bar.
const MIN_BYTES: u64 = 256 << 20;

pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn new(enabled: bool, files: usize, bytes: u64) -> Self {
        if !enabled || (files < MIN_FILES && bytes < MIN_BYTES) {
            return Progress { bar: None };
        }
        let bar =
            ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr_with_hz(10));
        bar.set_style(
            ProgressStyle::with_template(
                " reading transcripts {bar:30} {binary_bytes}/{binary_total_bytes}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress { bar: Some(bar) }
    }

    pub fn advance(&self, bytes: u64) {
        if let Some(b) = &self.bar {
            b.inc(bytes);
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
