//! Writing into an existing device, FIFO or socket, which stays what it is: it is opened
//! for writing without creating, truncating, following a symlink, becoming the
//! controlling terminal or blocking (a FIFO nobody reads would block the open for ever),
//! checked to still be the kind of file it was found to be, switched back to blocking
//! writes, and written. Never a temporary file beside it, never a rename over it.

use super::place::Kind;
#[cfg(unix)]
use super::place::kind_of_type;
#[cfg(unix)]
use std::fs::File;
use std::io;
#[cfg(unix)]
use std::io::Write;
use std::path::Path;

/// Writes `bytes` into the existing special file `path`, found to be of kind `kind`.
#[cfg(unix)]
pub fn write_into(path: &Path, kind: Kind, bytes: &[u8]) -> io::Result<()> {
    let mut file = open(path, kind)?;
    file.write_all(bytes).map_err(|e| match (kind, e.kind()) {
        (Kind::Fifo, io::ErrorKind::BrokenPipe) => {
            io::Error::other("the FIFO's reader went away before the end")
        }
        _ => e,
    })?;
    file.flush()
}

#[cfg(not(unix))]
pub fn write_into(_path: &Path, _kind: Kind, _bytes: &[u8]) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "special files are written on Unix only",
    ))
}

/// Opens `path` for writing, non-blocking first: a FIFO without a reader fails at once
/// (ENXIO) instead of waiting, and so does a socket (which `open` cannot write).
#[cfg(unix)]
fn open(path: &Path, kind: Kind) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| match (kind, e.raw_os_error()) {
            (Kind::Fifo, Some(libc::ENXIO)) => io::Error::other("no process is reading the FIFO"),
            (Kind::Socket, _) => io::Error::other(format!(
                "it is a socket, which cannot be opened as a file ({e})"
            )),
            _ => e,
        })?;
    let now = kind_of_type(file.metadata()?.file_type());
    if now != kind {
        return Err(io::Error::other(
            "it changed into another kind of file while being opened",
        ));
    }
    set_blocking(&file)?;
    Ok(file)
}

/// Clears `O_NONBLOCK`, so writes wait for a slow reader instead of failing with EAGAIN.
#[cfg(unix)]
fn set_blocking(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: F_GETFL on a descriptor `file` owns and keeps open for the call.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: F_SETFL on the same open descriptor, with its own flags minus O_NONBLOCK.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::Read;

    fn mkfifo(path: &Path) {
        let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }

    #[test]
    fn a_fifo_without_a_reader_fails_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f");
        mkfifo(&fifo);
        let err = write_into(&fifo, Kind::Fifo, b"x").unwrap_err();
        assert!(err.to_string().contains("no process is reading"), "{err}");
    }

    #[test]
    fn a_fifo_with_a_reader_gets_more_than_a_pipe_buffer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f");
        mkfifo(&fifo);
        // O_RDWR never blocks on a FIFO and counts as a reader; a second descriptor reads.
        let _keep = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&fifo)
            .unwrap();
        let mut reader = File::open(&fifo).unwrap();
        let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let want = bytes.len();
        let got = std::thread::scope(|s| {
            let r = s.spawn(move || {
                let mut got = vec![0; want];
                reader.read_exact(&mut got).unwrap();
                got
            });
            write_into(&fifo, Kind::Fifo, &bytes).unwrap();
            r.join().unwrap()
        });
        assert_eq!(got, bytes);
        assert_eq!(crate::write::place::kind_of(&fifo).unwrap(), Kind::Fifo);
    }

    #[test]
    fn a_fifo_reader_that_leaves_early_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f");
        mkfifo(&fifo);
        // O_RDWR: a reader whose read waits for data instead of seeing end-of-file.
        let mut reader = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&fifo)
            .unwrap();
        let bytes = vec![1u8; 1 << 20];
        let err = std::thread::scope(|s| {
            s.spawn(move || {
                let mut first = [0; 10];
                reader.read_exact(&mut first).unwrap();
                // Dropped here: the writer, stuck on a full pipe, sees no reader left.
            });
            write_into(&fifo, Kind::Fifo, &bytes).unwrap_err()
        });
        assert!(err.to_string().contains("reader went away"), "{err}");
        assert_ne!(err.kind(), io::ErrorKind::BrokenPipe, "not a closed stdout");
    }

    #[cfg(target_os = "linux")] // /dev/full
    #[test]
    fn a_full_device_is_an_error() {
        let err = write_into(Path::new("/dev/full"), Kind::Device, b"x").unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ENOSPC));
    }

    #[test]
    fn dev_null_takes_anything() {
        write_into(Path::new("/dev/null"), Kind::Device, &vec![7; 100_000]).unwrap();
    }

    #[test]
    fn a_socket_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("s.sock");
        let _listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
        let err = write_into(&sock, Kind::Socket, b"x").unwrap_err();
        assert!(err.to_string().contains("socket"), "{err}");
        assert_eq!(crate::write::place::kind_of(&sock).unwrap(), Kind::Socket);
    }

    #[test]
    fn a_kind_that_changed_is_refused() {
        let err = write_into(Path::new("/dev/null"), Kind::Fifo, b"x").unwrap_err();
        assert!(err.to_string().contains("changed"), "{err}");
    }
}
