//! The scan progress bar, drawn by indicatif: on stderr, only when stderr is a terminal,
//! never with `-q` or `--json` (the caller's `enabled`), only for scans big enough to be
//! worth it, and only once a scan has run for `DELAY` (a fast scan never shows one). The
//! bar starts hidden; a small thread reveals it after the delay unless the scan finished
//! first, and `finish` clears it so the report starts on a clean row. It is drawn at the
//! width config measured for stderr (never wider than `MAX_WIDTH`), its bar filling what
//! the words leave. The scan reports through a callback on rayon's threads, so nothing
//! else knows a bar exists.

use console::Term;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Files above which a scan gets a bar.
const MIN_FILES: usize = 200;
/// Bytes above which a scan gets a bar.
const MIN_BYTES: u64 = 256 << 20;
/// How long a scan runs before the bar appears.
const DELAY: Duration = Duration::from_millis(300);
/// Redraw interval once shown (the bar also redraws as bytes come in, at most `HZ`).
const TICK: Duration = Duration::from_millis(120);
/// Most redraws per second.
const HZ: u8 = 10;
/// ` reading ███████░░░ 120.50 MiB/300.00 MiB`, the bar as wide as the line allows.
const TEMPLATE: &str = " reading {wide_bar} {binary_bytes}/{binary_total_bytes}";
/// The widest the bar's line gets, however wide stderr is.
const MAX_WIDTH: usize = 80;

/// Where a revealed bar draws (stderr; something else in tests).
type Target = Box<dyn FnOnce() -> ProgressDrawTarget + Send>;

pub struct Progress {
    bar: Option<ProgressBar>,
    reveal: Option<(Arc<AtomicBool>, JoinHandle<()>)>,
}

impl Progress {
    /// A bar for a scan of `files` files and `bytes` bytes, drawn in `width` columns of
    /// stderr; a no-op unless `enabled` (stderr is a terminal, not `-q`, not `--json`) and
    /// the scan is big.
    pub fn new(enabled: bool, width: usize, files: usize, bytes: u64) -> Self {
        if !enabled || !big(files, bytes) {
            return Progress {
                bar: None,
                reveal: None,
            };
        }
        Self::start(
            bytes,
            DELAY,
            Box::new(move || {
                let stderr = Stderr {
                    term: Term::buffered_stderr(),
                    width: columns(width),
                };
                ProgressDrawTarget::term_like_with_hz(Box::new(stderr), HZ)
            }),
        )
    }

    fn start(bytes: u64, delay: Duration, target: Target) -> Self {
        let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::hidden())
            .with_style(style().unwrap_or_else(|_| ProgressStyle::default_bar()));
        let stop = Arc::new(AtomicBool::new(false));
        let (b, s) = (bar.clone(), Arc::clone(&stop));
        let reveal = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || reveal_after(delay, &b, &s, target))
            .ok()
            .map(|t| (stop, t));
        Progress {
            bar: Some(bar),
            reveal,
        }
    }

    /// Counts `bytes` more as read. Cheap and callable from any thread.
    pub fn advance(&self, bytes: u64) {
        if let Some(b) = &self.bar {
            b.inc(bytes);
        }
    }

    /// Stops the bar and erases it if it was drawn.
    pub fn finish(&mut self) {
        if let Some((stop, t)) = self.reveal.take() {
            stop.store(true, Ordering::Relaxed);
            t.thread().unpark();
            let _ = t.join();
        }
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The columns the bar's line takes in a `width`-column terminal: one short of it (a line
/// that ends in the last column makes some terminals wrap), at most `MAX_WIDTH`.
fn columns(width: usize) -> u16 {
    u16::try_from(width.min(MAX_WIDTH).saturating_sub(1)).unwrap_or(u16::MAX)
}

/// Stderr as indicatif draws on it, at the width config measured (indicatif asks the
/// terminal itself, and assumes 80 columns when that fails).
#[derive(Debug)]
struct Stderr {
    term: Term,
    width: u16,
}

impl TermLike for Stderr {
    fn width(&self) -> u16 {
        self.width
    }
    fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
        self.term.move_cursor_up(n)
    }
    fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
        self.term.move_cursor_down(n)
    }
    fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
        self.term.move_cursor_right(n)
    }
    fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
        self.term.move_cursor_left(n)
    }
    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.term.write_line(s)
    }
    fn write_str(&self, s: &str) -> std::io::Result<()> {
        self.term.write_str(s)
    }
    fn clear_line(&self) -> std::io::Result<()> {
        self.term.clear_line()
    }
    fn flush(&self) -> std::io::Result<()> {
        self.term.flush()
    }
}

/// Whether a scan is big enough for a bar.
fn big(files: usize, bytes: u64) -> bool {
    files >= MIN_FILES || bytes >= MIN_BYTES
}

fn style() -> Result<ProgressStyle, indicatif::style::TemplateError> {
    Ok(ProgressStyle::with_template(TEMPLATE)?.progress_chars("█░"))
}

/// Waits out `delay` (woken early by `finish`), then points the bar at its target and
/// keeps it ticking, unless the scan has finished by then.
fn reveal_after(delay: Duration, bar: &ProgressBar, stop: &AtomicBool, target: Target) {
    let start = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        let left = delay.saturating_sub(start.elapsed());
        if left.is_zero() {
            bar.set_draw_target(target());
            bar.enable_steady_tick(TICK);
            return;
        }
        std::thread::park_timeout(left);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A terminal that records what is written to it.
    #[derive(Debug, Clone, Default)]
    struct Screen(Arc<Mutex<Vec<String>>>);

    impl Screen {
        fn log(&self, s: String) {
            self.0.lock().unwrap().push(s);
        }
        fn seen(&self) -> Vec<String> {
            self.0.lock().unwrap().clone()
        }
    }

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            columns(60)
        }
        fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
            self.log(format!("up {n}"));
            Ok(())
        }
        fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
            self.log(format!("down {n}"));
            Ok(())
        }
        fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
            self.log(format!("right {n}"));
            Ok(())
        }
        fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
            self.log(format!("left {n}"));
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.log(format!("{s}\n"));
            Ok(())
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            self.log(s.to_string());
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            self.log("clear".into());
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn on(screen: &Screen) -> Target {
        let s = screen.clone();
        Box::new(move || ProgressDrawTarget::term_like(Box::new(s)))
    }

    #[test]
    fn the_template_parses() {
        assert!(style().is_ok());
    }

    #[test]
    fn the_line_stays_inside_the_terminal() {
        assert_eq!(columns(60), 59);
        assert_eq!(columns(200), 79);
        assert_eq!(columns(0), 0);
    }

    #[test]
    fn small_scans_and_disabled_bars_get_nothing() {
        let mut p = Progress::new(true, 80, 10, 1 << 20);
        assert!(p.bar.is_none() && p.reveal.is_none());
        p.advance(5);
        p.finish();
        assert!(Progress::new(false, 80, 10_000, 1 << 40).bar.is_none());
        assert!(!big(MIN_FILES - 1, MIN_BYTES - 1));
        assert!(big(MIN_FILES, 0) && big(1, MIN_BYTES));
    }

    #[test]
    fn a_scan_that_ends_before_the_delay_draws_nothing() {
        let screen = Screen::default();
        let mut p = Progress::start(300 << 20, Duration::from_secs(3600), on(&screen));
        p.advance(100 << 20);
        p.finish();
        assert!(screen.seen().is_empty(), "{:?}", screen.seen());
    }

    #[test]
    fn a_revealed_bar_fills_with_the_bytes_read_and_is_cleared() {
        let screen = Screen::default();
        let mut p = Progress::start(300 << 20, Duration::ZERO, on(&screen));
        p.advance(150 << 20);
        // The bar ticks once revealed: wait until it has drawn (a generous bound, not a
        // timing check, so a broken bar fails instead of hanging).
        for _ in 0..6000 {
            if screen.seen().concat().contains("150.00 MiB") {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        p.finish();
        let seen = screen.seen();
        let bar = seen.iter().find(|s| s.contains("150.00 MiB")).unwrap();
        assert!(bar.starts_with(" reading "), "{bar}");
        // 59 columns: the words take 31, the bar the other 28, half of them filled.
        assert_eq!(bar.chars().count(), 59, "{bar}");
        assert!(
            bar.contains(&format!(" {}{} ", "█".repeat(14), "░".repeat(14))),
            "{bar}"
        );
        assert!(bar.contains("150.00 MiB/300.00 MiB"), "{bar}");
        let last_bar = seen.iter().rposition(|s| s.contains(" reading "));
        let last_clear = seen.iter().rposition(|s| s == "clear");
        assert!(last_clear > last_bar, "erased at the end: {seen:?}");
    }
}
