//! The scan progress bar: on stderr, only when stderr is a terminal, never with `-q`, only
//! for scans big enough to be worth it, and only once a scan has run for `DELAY` (a fast
//! scan never shows one). A small drawing thread redraws one line from an atomic byte
//! count and clears it at the end; the scan reports through a callback, so nothing else
//! knows a bar exists.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Files above which a scan gets a bar.
const MIN_FILES: usize = 200;
/// Bytes above which a scan gets a bar.
const MIN_BYTES: u64 = 256 << 20;
/// How long a scan runs before the bar appears.
const DELAY: Duration = Duration::from_millis(300);
/// Redraw interval.
const TICK: Duration = Duration::from_millis(120);
/// Width of the bar itself, in cells.
const WIDTH: usize = 30;

struct Shared {
    done: AtomicU64,
    stop: AtomicBool,
}

pub struct Progress {
    shared: Option<Arc<Shared>>,
    drawer: Option<JoinHandle<()>>,
}

impl Progress {
    pub fn new(enabled: bool, files: usize, bytes: u64) -> Self {
        if !enabled || (files < MIN_FILES && bytes < MIN_BYTES) {
            return Progress {
                shared: None,
                drawer: None,
            };
        }
        let shared = Arc::new(Shared {
            done: AtomicU64::new(0),
            stop: AtomicBool::new(false),
        });
        let s = Arc::clone(&shared);
        let drawer = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || draw_until_stopped(&s, bytes))
            .ok();
        Progress {
            shared: Some(shared),
            drawer,
        }
    }

    pub fn advance(&self, bytes: u64) {
        if let Some(s) = &self.shared {
            s.done.fetch_add(bytes, Ordering::Relaxed);
        }
    }

    pub fn finish(&mut self) {
        if let Some(s) = &self.shared {
            s.stop.store(true, Ordering::Relaxed);
        }
        if let Some(d) = self.drawer.take() {
            d.thread().unpark();
            let _ = d.join();
        }
    }
}

fn draw_until_stopped(s: &Shared, total: u64) {
    let start = Instant::now();
    let mut drawn = false;
    let mut err = std::io::stderr();
    while !s.stop.load(Ordering::Relaxed) {
        std::thread::park_timeout(TICK);
        if s.stop.load(Ordering::Relaxed) || start.elapsed() < DELAY {
            continue;
        }
        let line = bar_line(s.done.load(Ordering::Relaxed), total);
        drawn = write!(err, "\r{line}").and_then(|()| err.flush()).is_ok();
    }
    if drawn {
        // Erase the line: the report (or the footer) starts on a clean row.
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
}

/// ` reading transcripts ███████░░░ 120.5 MiB/300.0 MiB`.
fn bar_line(done: u64, total: u64) -> String {
    let frac = if total == 0 {
        1.0
    } else {
        (done as f64 / total as f64).min(1.0)
    };
    let full = (frac * WIDTH as f64).round() as usize;
    format!(
        " reading transcripts {}{} {}/{}",
        "█".repeat(full),
        "░".repeat(WIDTH - full),
        mib(done.min(total)),
        mib(total)
    )
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1 << 20) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_the_bytes_read() {
        assert_eq!(
            bar_line(0, 300 << 20),
            format!(" reading transcripts {} 0.0 MiB/300.0 MiB", "░".repeat(30))
        );
        let half = bar_line(150 << 20, 300 << 20);
        assert!(half.contains(&"█".repeat(15)) && half.contains("150.0 MiB/300.0 MiB"));
        assert!(
            bar_line(400, 100).contains(&"█".repeat(30)),
            "never past full"
        );
    }

    #[test]
    fn small_scans_get_no_bar() {
        let mut p = Progress::new(true, 10, 1 << 20);
        assert!(p.shared.is_none());
        p.advance(5);
        p.finish();
    }
}
