//! Bytes → lines. Opens a transcript without following symlinks or blocking on FIFOs,
//! checks the opened descriptor is a regular file, reads at most the length it had when
//! opened (appends are the next run's business), and hands out complete lines split with
//! memchr, saying where the last complete line ended (a live scan resumes there). Memory
//! is bounded by the line cap, never by file size. Knows nothing of JSON.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Bytes asked of each `read`: 128 KiB, so the buffer the kernel copies into stays in the
/// core's L2 cache while the line is parsed (with 1 MiB reads and another process sharing
/// the cache, a 1 GB scan spent twice the system time: bench/README.md).
const CHUNK: usize = 128 << 10;

/// One piece of a file, as handed to the line callback.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// A line that ended with `\n` (the `\n` and a trailing `\r` removed).
    Line(&'a [u8]),
    /// The last bytes of the file, not ended by `\n`.
    Tail(&'a [u8]),
    /// A line longer than the cap; its bytes were not kept.
    TooLong,
}

/// Why a file could not be read at all.
#[derive(Debug)]
pub enum OpenError {
    /// Gone between listing and opening.
    Vanished,
    /// Not a regular file (FIFO, device, directory, symlink).
    NotRegular,
    /// Permission denied or another I/O error.
    Unreadable(io::Error),
}

/// Opens `path` for reading without following a final symlink and without blocking.
pub fn open_regular(path: &Path) -> Result<(File, u64), OpenError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC);
    }
    let file = opts.open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => OpenError::Vanished,
        _ if e.raw_os_error() == Some(libc::ELOOP) => OpenError::NotRegular,
        _ => OpenError::Unreadable(e),
    })?;
    let meta = file.metadata().map_err(OpenError::Unreadable)?;
    if !meta.is_file() {
        return Err(OpenError::NotRegular);
    }
    Ok((file, meta.len()))
}

/// How far a read went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Extent {
    /// Bytes read.
    pub read: u64,
    /// Bytes up to and including the last `\n` read: where the next line starts. The
    /// bytes after it, if any, are the tail (a line still being written).
    pub complete: u64,
}

/// Reads up to `limit` bytes of `file` and calls `on_piece` for every line. Returns the
/// number of bytes read. `buf` is a reusable scratch buffer: it is sized once, refilled
/// in place (never zeroed again), and grows only for a line longer than itself.
pub fn for_each_line(
    file: impl Read,
    limit: u64,
    max_line: usize,
    buf: &mut Vec<u8>,
    on_piece: impl FnMut(Piece<'_>),
) -> io::Result<u64> {
    lines(file, limit, max_line, buf, on_piece).map(|e| e.read)
}

/// `for_each_line`, also saying where the last complete line ended.
pub fn lines(
    file: impl Read,
    limit: u64,
    max_line: usize,
    buf: &mut Vec<u8>,
    on_piece: impl FnMut(Piece<'_>),
) -> io::Result<Extent> {
    lines_chunked(file, limit, max_line, CHUNK, buf, on_piece)
}

/// `for_each_line` reading at most `chunk` bytes per `read` call (at least 1). The pieces
/// never depend on `chunk`: the property tests and the fuzz target vary it to prove that.
pub fn for_each_line_chunked(
    file: impl Read,
    limit: u64,
    max_line: usize,
    chunk: usize,
    buf: &mut Vec<u8>,
    on_piece: impl FnMut(Piece<'_>),
) -> io::Result<u64> {
    lines_chunked(file, limit, max_line, chunk, buf, on_piece).map(|e| e.read)
}

/// `lines` reading at most `chunk` bytes per `read` call.
pub fn lines_chunked(
    mut file: impl Read,
    limit: u64,
    max_line: usize,
    chunk: usize,
    buf: &mut Vec<u8>,
    mut on_piece: impl FnMut(Piece<'_>),
) -> io::Result<Extent> {
    let chunk = chunk.max(1);
    if buf.len() < 2 * chunk {
        buf.resize(2 * chunk, 0);
    }
    let mut total: u64 = 0;
    let mut skipping = false; // inside a too-long line, discarding until '\n'
    let mut start = 0usize; // start of the current (incomplete) line in buf
    let mut filled = 0usize; // bytes of buf holding data
    let mut base: u64 = 0; // offset (from where reading began) of buf[0]
    let mut complete: u64 = 0;
    while total < limit {
        if buf.len() - filled < chunk {
            // Make room: move the incomplete line to the front, or grow for a long line.
            if start > 0 {
                buf.copy_within(start..filled, 0);
                filled -= start;
                base += start as u64;
                start = 0;
            }
            if buf.len() - filled < chunk {
                buf.resize(filled + 2 * chunk, 0);
            }
        }
        let want = chunk.min((limit - total) as usize);
        let n = match file.read(&mut buf[filled..filled + want]) {
            Ok(0) => break, // the file shrank while we read it
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        total += n as u64;
        let mut scan_from = filled;
        filled += n;
        while let Some(pos) = memchr::memchr(b'\n', &buf[scan_from..filled]) {
            let end = scan_from + pos;
            if skipping {
                skipping = false;
            } else if end - start > max_line {
                // Over the cap but ended within this read: skipped like any other long
                // line, so that the outcome never depends on where reads split the file.
                on_piece(Piece::TooLong);
            } else {
                on_piece(Piece::Line(trim_cr(&buf[start..end])));
            }
            start = end + 1;
            scan_from = start;
            complete = base + start as u64;
        }
        if filled - start > max_line || skipping {
            if !skipping {
                on_piece(Piece::TooLong);
            }
            skipping = true;
            base += filled as u64;
            start = 0;
            filled = 0;
        }
    }
    if !skipping && start < filled {
        on_piece(Piece::Tail(trim_cr(&buf[start..filled])));
    }
    Ok(Extent {
        read: total,
        complete,
    })
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(data: &[u8], max_line: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut buf = Vec::new();
        for_each_line(data, data.len() as u64, max_line, &mut buf, |p| {
            out.push(match p {
                Piece::Line(l) => format!("L:{}", String::from_utf8_lossy(l)),
                Piece::Tail(l) => format!("T:{}", String::from_utf8_lossy(l)),
                Piece::TooLong => "TOO_LONG".to_string(),
            });
        })
        .unwrap();
        out
    }

    #[test]
    fn splits_lines_and_keeps_the_tail() {
        assert_eq!(pieces(b"a\nb\r\nc", 100), vec!["L:a", "L:b", "T:c"]);
        assert_eq!(pieces(b"a\n", 100), vec!["L:a"]);
        assert_eq!(pieces(b"", 100), Vec::<String>::new());
    }

    #[test]
    fn long_lines_are_skipped_without_buffering() {
        let mut data = b"ok\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', 3 * CHUNK));
        data.extend(b"\nafter\n");
        assert_eq!(pieces(&data, 1000), vec!["L:ok", "TOO_LONG", "L:after"]);
    }

    #[test]
    fn a_line_spanning_chunks_is_whole() {
        let mut data = vec![b'y'; CHUNK + 10];
        data.push(b'\n');
        let p = pieces(&data, usize::MAX);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].len(), CHUNK + 12);
    }

    #[test]
    fn the_cap_does_not_depend_on_read_sizes() {
        // 12 bytes over a cap of 10: too long whether or not one read holds the line.
        let data = b"123456789012\nok\n";
        for chunk in [1, 4, 11, 12, 13, 64, CHUNK] {
            let mut out = Vec::new();
            let mut buf = Vec::new();
            for_each_line_chunked(&data[..], data.len() as u64, 10, chunk, &mut buf, |p| {
                out.push(format!("{p:?}"));
            })
            .unwrap();
            assert_eq!(out, ["TooLong", "Line([111, 107])"], "chunk {chunk}");
        }
    }

    #[test]
    fn the_extent_ends_at_the_last_newline_whatever_the_read_sizes() {
        let cases: [(&[u8], usize, u64); 5] = [
            (b"a\nbb\nccc", 100, 5),
            (b"a\nbb\n", 100, 5),
            (b"abc", 100, 0),
            // A too-long line ended by a newline is complete; an unended one is not.
            (b"ok\n123456789012\nx", 10, 16),
            (b"ok\n123456789012", 10, 3),
        ];
        for (data, max, complete) in cases {
            for chunk in [1, 2, 3, 5, 64] {
                let mut buf = Vec::new();
                let e =
                    lines_chunked(data, data.len() as u64, max, chunk, &mut buf, |_| {}).unwrap();
                assert_eq!(e.read, data.len() as u64);
                assert_eq!(e.complete, complete, "{data:?} chunk {chunk}");
            }
        }
    }

    #[test]
    fn reads_at_most_the_limit() {
        let data = b"a\nbbbb\n";
        let mut out = Vec::new();
        let mut buf = Vec::new();
        for_each_line(&data[..], 4, 100, &mut buf, |p| out.push(format!("{p:?}"))).unwrap();
        assert_eq!(out, vec!["Line([97])", "Tail([98, 98])"]);
    }
}
