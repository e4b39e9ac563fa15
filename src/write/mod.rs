//! Writing report files (the card SVG, the HTML recap, and every file a later command
//! writes) where the user points, without destroying what is there. `report` is the one
//! entry every writer calls: `-` is stdout; an existing device, FIFO or socket is opened
//! and written into, never replaced (`special`); a symlink is written through, its target
//! replaced atomically and the link kept, unless following it is unsafe (`place`); an
//! existing directory gets the default file name inside it; a regular file or a new path
//! is written atomically with its mode (`atomic`). Never inside a transcripts directory.
//! It owns no formatting: callers pass finished bytes and say what was written.

pub mod atomic;
mod place;
mod special;
pub mod state;

use place::Kind;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The mode report files get unless the user says otherwise: owner read/write only.
pub const DEFAULT_MODE: u32 = 0o600;

/// Whether a destination the user gave means stdout: `-`, the usual convention (a file
/// named `-` is still reachable as `./-`).
pub fn is_stdout(dest: &Path) -> bool {
    dest.as_os_str() == "-"
}

/// How report files are written.
#[derive(Clone, Copy, Debug)]
pub struct Rules<'a> {
    /// Permission bits of a file written atomically (`--file-mode`).
    pub mode: u32,
    /// Directories never written into, directly or through a symlink (the transcripts').
    pub protected: &'a [PathBuf],
}

/// Where a report file went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// `-`.
    Stdout,
    /// A regular file or a new path, written atomically. `link` is the symlink the user
    /// named, written through to `path`.
    File {
        path: PathBuf,
        link: Option<PathBuf>,
    },
    /// An existing character or block device, written into.
    Device(PathBuf),
    /// An existing FIFO, written into.
    Fifo(PathBuf),
    /// An existing socket (which `open` refuses: never replaced, always an error).
    Socket(PathBuf),
}

/// Writes `bytes` to `dest` (`-` is `stdout`); a directory gets `default_name` inside it.
/// Returns where they went. On error, whatever was at the destination is unchanged (a
/// device or FIFO may have taken part of the bytes).
pub fn report(
    dest: &Path,
    default_name: &str,
    bytes: &[u8],
    rules: Rules<'_>,
    stdout: &mut dyn Write,
) -> io::Result<Destination> {
    let to = place::resolve(dest, default_name, rules.protected)?;
    match &to {
        Destination::Stdout => {
            stdout.write_all(bytes)?;
            stdout.flush()?;
        }
        Destination::File { path, .. } => atomic::atomic(path, bytes, rules.mode)?,
        Destination::Device(p) => special::write_into(p, Kind::Device, bytes)?,
        Destination::Fifo(p) => special::write_into(p, Kind::Fifo, bytes)?,
        Destination::Socket(p) => special::write_into(p, Kind::Socket, bytes)?,
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    const RULES: Rules<'static> = Rules {
        mode: DEFAULT_MODE,
        protected: &[],
    };

    fn write(dest: &Path, bytes: &[u8]) -> io::Result<Destination> {
        report(dest, "d.svg", bytes, RULES, &mut io::sink())
    }

    #[test]
    fn a_dash_writes_stdout() {
        let mut out = Vec::new();
        let to = report(Path::new("-"), "d.svg", b"<svg/>", RULES, &mut out).unwrap();
        assert_eq!((to, out.as_slice()), (Destination::Stdout, &b"<svg/>"[..]));
    }

    #[test]
    fn a_directory_gets_the_default_name_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), b"new").unwrap();
        assert_eq!(fs::read(dir.path().join("d.svg")).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through_and_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sync").join("recap.html");
        fs::create_dir(target.parent().unwrap()).unwrap();
        fs::write(&target, b"old").unwrap();
        let link = dir.path().join("recap.html");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let to = write(&link, b"new").unwrap();
        assert_eq!(
            to,
            Destination::File {
                path: target.clone(),
                link: Some(link.clone())
            }
        );
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(fs::read_link(&link).unwrap(), target);
        assert_eq!(fs::read(&target).unwrap(), b"new");
        let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, DEFAULT_MODE);
        // The temporary file was beside the target, and is gone.
        assert_eq!(fs::read_dir(target.parent().unwrap()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_symlink_creates_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("r.svg");
        std::os::unix::fs::symlink("made.svg", &link).unwrap();
        write(&link, b"x").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(fs::read(dir.path().join("made.svg")).unwrap(), b"x");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_a_device_writes_the_device() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("r.svg");
        std::os::unix::fs::symlink("/dev/null", &link).unwrap();
        let to = write(&link, b"x").unwrap();
        assert_eq!(to, Destination::Device(PathBuf::from("/dev/null")));
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
    }

    #[test]
    fn a_refusal_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let projects = dir.path().join("projects");
        fs::create_dir(&projects).unwrap();
        let rules = Rules {
            mode: DEFAULT_MODE,
            protected: std::slice::from_ref(&projects),
        };
        let mut out = Vec::new();
        assert!(report(&projects, "d.svg", b"x", rules, &mut out).is_err());
        assert!(out.is_empty());
        assert_eq!(fs::read_dir(&projects).unwrap().count(), 0);
    }
}
