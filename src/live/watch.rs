//! `ccrecap watch`: redraws a frame every interval in the terminal's alternate screen
//! until Ctrl-C, SIGTERM, SIGHUP or `--ticks` redraws, and puts the terminal back as it
//! was on every way out (a guard restores it on return and on a panic; the signals only
//! set a flag the loop checks every 50 ms). A resize (SIGWINCH) redraws at once at the
//! new width. It owns the terminal and the clock; what a frame shows is the caller's
//! (`lib.rs` feeds the scan's incremental front end and renders the report).
//! Outside a terminal (a pipe) frames are printed one after another, with no escapes.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Set by SIGINT, SIGTERM and SIGHUP.
static STOP: AtomicBool = AtomicBool::new(false);
/// Set by SIGWINCH.
static RESIZED: AtomicBool = AtomicBool::new(false);

/// How often and how long to redraw.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub interval: Duration,
    /// Exit after this many redraws.
    pub ticks: Option<u64>,
    /// stdout is a terminal: use the alternate screen.
    pub terminal: bool,
}

/// What one redraw is told.
#[derive(Clone, Copy, Debug)]
pub struct Tick {
    /// Redraws so far (0: the first).
    pub n: u64,
    /// Time since the watch began.
    pub elapsed: Duration,
    /// The terminal's width now, when there is one.
    pub width: Option<usize>,
}

/// Restores the terminal when dropped.
struct Screen<'a> {
    out: &'a mut dyn Write,
    terminal: bool,
}

impl Drop for Screen<'_> {
    fn drop(&mut self) {
        if self.terminal {
            let _ = self.out.write_all(b"\x1b[?25h\x1b[?1049l");
            let _ = self.out.flush();
        }
    }
}

/// Runs the loop: `frame` makes each redraw's bytes.
pub fn run(
    s: Settings,
    out: &mut dyn Write,
    width: &dyn Fn() -> Option<usize>,
    frame: &mut dyn FnMut(Tick) -> Vec<u8>,
) -> io::Result<()> {
    install_handlers();
    let start = Instant::now();
    let screen = Screen {
        out,
        terminal: s.terminal,
    };
    if s.terminal {
        screen.out.write_all(b"\x1b[?1049h\x1b[?25l")?;
    }
    let mut n = 0u64;
    while !STOP.load(Ordering::Relaxed) {
        let bytes = frame(Tick {
            n,
            elapsed: start.elapsed(),
            width: width(),
        });
        if s.terminal {
            screen.out.write_all(b"\x1b[H\x1b[2J")?;
        } else if n > 0 {
            screen.out.write_all(b"\n")?;
        }
        screen.out.write_all(&bytes)?;
        screen.out.flush()?;
        n += 1;
        if s.ticks.is_some_and(|t| n >= t) {
            break;
        }
        wait(s.interval);
    }
    Ok(())
}

/// Sleeps `interval`, waking early for a stop or a resize.
fn wait(interval: Duration) {
    let until = Instant::now() + interval;
    while Instant::now() < until {
        if STOP.load(Ordering::Relaxed) || RESIZED.swap(false, Ordering::Relaxed) {
            return;
        }
        std::thread::sleep((until - Instant::now()).min(Duration::from_millis(50)));
    }
}

#[cfg(unix)]
extern "C" fn on_signal(sig: libc::c_int) {
    if sig == libc::SIGWINCH {
        RESIZED.store(true, Ordering::Relaxed);
    } else {
        STOP.store(true, Ordering::Relaxed);
    }
}

#[cfg(unix)]
fn install_handlers() {
    let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGWINCH] {
        // SAFETY: the handler only stores to atomics, which is async-signal-safe.
        unsafe {
            libc::signal(sig, handler);
        }
    }
}

#[cfg(not(unix))]
fn install_handlers() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_the_ticks_asked_and_restores_the_screen() {
        let mut out = Vec::new();
        let s = Settings {
            interval: Duration::from_millis(1),
            ticks: Some(3),
            terminal: true,
        };
        let mut seen = Vec::new();
        run(s, &mut out, &|| Some(80), &mut |t| {
            seen.push(t.n);
            format!("frame {}\n", t.n).into_bytes()
        })
        .unwrap();
        assert_eq!(seen, [0, 1, 2]);
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("\x1b[?1049h"));
        assert!(text.ends_with("\x1b[?25h\x1b[?1049l"));
        assert!(text.contains("frame 2"));
    }
}
