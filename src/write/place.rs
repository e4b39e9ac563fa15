//! Where a report file really goes, decided before a byte is written: `-` is stdout;
//! symlinks are followed by hand (`lstat` and `readlink`, never an accidental follow),
//! each one checked against the kernel's protected-symlinks rule; an existing directory
//! gets the default file name inside it; and what is found at the end (nothing, a regular
//! file, a device, a FIFO, a socket) says how to write. Nothing inside a transcripts
//! directory, where the user pointed or where a link leads. It only looks; it never writes.

use super::Destination;
use super::atomic::parent_dir;
use std::fs::{self, FileType};
use std::io;
use std::path::{Path, PathBuf};

/// How many symlinks a destination may go through (Linux's own limit).
const MAX_LINKS: usize = 40;

/// What a path names, looked at without following a symlink.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Nothing yet: a new file.
    Missing,
    File,
    Dir,
    Symlink,
    /// A character or block device.
    Device,
    Fifo,
    Socket,
}

/// Resolves the destination the user gave (`dest`); `default_name` is the file a
/// directory gets; `protected` are the transcripts directories.
pub fn resolve(dest: &Path, default_name: &str, protected: &[PathBuf]) -> io::Result<Destination> {
    if super::is_stdout(dest) {
        return Ok(Destination::Stdout);
    }
    refuse_inside(dest, None, protected)?;
    let (mut end, mut link) = follow(dest)?;
    if kind_of(&end)? == Kind::Dir {
        let (inner, inner_link) = follow(&end.join(default_name))?;
        end = inner;
        link = link.or(inner_link);
    }
    refuse_inside(&end, link.as_deref(), protected)?;
    Ok(match kind_of(&end)? {
        Kind::Missing | Kind::File => Destination::File { path: end, link },
        Kind::Device => Destination::Device(end),
        Kind::Fifo => Destination::Fifo(end),
        Kind::Socket => Destination::Socket(end),
        Kind::Dir => return Err(plain(format!("{} is a directory", end.display()))),
        Kind::Symlink => {
            return Err(plain(format!(
                "{} was replaced by a symlink while being looked at",
                end.display()
            )));
        }
    })
}

/// What `path` names, without following a symlink (`lstat`).
pub fn kind_of(path: &Path) -> io::Result<Kind> {
    match fs::symlink_metadata(path) {
        Ok(m) => Ok(kind_of_type(m.file_type())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Kind::Missing),
        Err(e) => Err(e),
    }
}

/// The kind of a file type (what `lstat` or an opened descriptor's `fstat` says).
pub fn kind_of_type(t: FileType) -> Kind {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() || t.is_block_device() {
            return Kind::Device;
        }
        if t.is_fifo() {
            return Kind::Fifo;
        }
        if t.is_socket() {
            return Kind::Socket;
        }
    }
    if t.is_symlink() {
        Kind::Symlink
    } else if t.is_dir() {
        Kind::Dir
    } else {
        // A regular file, or a type this platform cannot tell apart: written atomically.
        Kind::File
    }
}

/// Follows `path` through symlinks to what they finally name. Returns that path and the
/// first symlink on the way (None when `path` is not one).
fn follow(path: &Path) -> io::Result<(PathBuf, Option<PathBuf>)> {
    let mut at = path.to_path_buf();
    let mut first = None;
    for _ in 0..MAX_LINKS {
        let meta = match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => m,
            _ => return Ok((at, first)),
        };
        may_follow(&at, &meta)?;
        let to = fs::read_link(&at)?;
        let next = at.parent().map_or_else(|| to.clone(), |dir| dir.join(&to));
        first.get_or_insert_with(|| at.clone());
        at = next;
    }
    Err(plain(format!(
        "{} goes through more than {MAX_LINKS} symlinks",
        path.display()
    )))
}

/// The kernel's protected-symlinks rule (`fs.protected_symlinks`), applied whatever the
/// system's setting: a symlink in a sticky world-writable directory (such as /tmp) is
/// followed only when it belongs to the caller or to the directory's owner. Anyone can
/// plant a link there, so following another user's would let them choose what is written.
#[cfg(unix)]
fn may_follow(link: &Path, meta: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let dir = parent_dir(link);
    let d = fs::metadata(&dir)?;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let caller = unsafe { libc::geteuid() };
    if protected_link(meta.uid(), d.uid(), d.mode(), caller) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "refusing to follow the symlink {}: it is in the sticky world-writable \
                 directory {} and belongs to uid {}, neither you nor the directory's owner",
                link.display(),
                dir.display(),
                meta.uid()
            ),
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn may_follow(_link: &Path, _meta: &fs::Metadata) -> io::Result<()> {
    Ok(())
}

/// Whether a symlink owned by `link_uid`, in a directory owned by `dir_uid` with mode
/// bits `dir_mode`, must not be followed by `caller`.
#[cfg(unix)]
pub fn protected_link(link_uid: u32, dir_uid: u32, dir_mode: u32, caller: u32) -> bool {
    let sticky_world_writable = dir_mode & 0o1000 != 0 && dir_mode & 0o002 != 0;
    sticky_world_writable && link_uid != caller && link_uid != dir_uid
}

/// Fails when `path` would land inside one of the transcripts directories `roots`:
/// ccrecap never writes where Claude Code keeps its history. `link` is the symlink that
/// led to `path`, named in the message.
fn refuse_inside(path: &Path, link: Option<&Path>, roots: &[PathBuf]) -> io::Result<()> {
    let Some(root) = inside(path, roots) else {
        return Ok(());
    };
    let why = match link {
        Some(l) => format!(
            "refusing to write through the symlink {}: its target {} is inside the \
             transcripts directory {}",
            l.display(),
            path.display(),
            root.display()
        ),
        None => format!(
            "refusing to write inside the transcripts directory {}",
            root.display()
        ),
    };
    Err(io::Error::new(io::ErrorKind::PermissionDenied, why))
}

/// The transcripts directory among `roots` that `path`'s directory is in, if any.
fn inside(path: &Path, roots: &[PathBuf]) -> Option<PathBuf> {
    let dir = parent_dir(path);
    let dir = fs::canonicalize(&dir).unwrap_or(dir);
    roots
        .iter()
        .map(|r| fs::canonicalize(r).unwrap_or_else(|_| r.clone()))
        .find(|root| dir.starts_with(root))
}

fn plain(msg: String) -> io::Error {
    io::Error::other(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_in(dest: &Path) -> io::Result<Destination> {
        resolve(dest, "default.svg", &[])
    }

    #[test]
    fn a_dash_is_stdout() {
        assert_eq!(resolve_in(Path::new("-")).unwrap(), Destination::Stdout);
    }

    #[test]
    fn new_and_regular_files_are_files() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.svg");
        let file = |path: &Path| Destination::File {
            path: path.to_path_buf(),
            link: None,
        };
        assert_eq!(resolve_in(&new).unwrap(), file(&new));
        fs::write(&new, "x").unwrap();
        assert_eq!(resolve_in(&new).unwrap(), file(&new));
    }

    #[test]
    fn a_directory_gets_the_default_name_inside_it_once() {
        let dir = tempfile::tempdir().unwrap();
        let to = Destination::File {
            path: dir.path().join("default.svg"),
            link: None,
        };
        assert_eq!(resolve_in(dir.path()).unwrap(), to);
        fs::create_dir(dir.path().join("default.svg")).unwrap();
        let err = resolve_in(dir.path()).unwrap_err();
        assert!(err.to_string().contains("is a directory"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_followed_to_their_end_and_the_first_link_is_named() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir(d.join("sync")).unwrap();
        symlink("sync/real.html", d.join("hop")).unwrap();
        symlink(d.join("hop"), d.join("link.html")).unwrap();
        let to = resolve_in(&d.join("link.html")).unwrap();
        assert_eq!(
            to,
            Destination::File {
                path: d.join("sync/real.html"),
                link: Some(d.join("link.html")),
            }
        );
        symlink("loop", d.join("loop")).unwrap();
        assert!(resolve_in(&d.join("loop")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_told_apart() {
        assert_eq!(
            resolve_in(Path::new("/dev/null")).unwrap(),
            Destination::Device(PathBuf::from("/dev/null"))
        );
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("s.sock");
        let _listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
        assert_eq!(resolve_in(&sock).unwrap(), Destination::Socket(sock));
    }

    #[cfg(unix)]
    #[test]
    fn the_protected_symlinks_rule() {
        let sticky_tmp = 0o41777;
        let plain_dir = 0o40755;
        // Someone else's link in /tmp: refused, for root too.
        assert!(protected_link(1000, 0, sticky_tmp, 0));
        assert!(protected_link(1000, 0, sticky_tmp, 1001));
        // The caller's own link, or the directory owner's: followed.
        assert!(!protected_link(1000, 0, sticky_tmp, 1000));
        assert!(!protected_link(0, 0, sticky_tmp, 1000));
        // Not sticky, or not world-writable: followed.
        assert!(!protected_link(1000, 0, plain_dir, 0));
        assert!(!protected_link(1000, 0, 0o41775, 0));
        assert!(!protected_link(1000, 0, 0o40777, 0));
    }

    #[test]
    fn refuses_the_transcripts_directory() {
        let dir = tempfile::tempdir().unwrap();
        let projects = dir.path().join("projects");
        fs::create_dir_all(projects.join("p")).unwrap();
        let roots = vec![projects.clone()];
        let inside = resolve(&projects.join("p").join("x.html"), "d.html", &roots);
        assert!(inside.is_err());
        // The directory itself, given as the destination: its default file is inside.
        assert!(resolve(&projects, "d.html", &roots).is_err());
        assert!(resolve(&dir.path().join("x.html"), "d.html", &roots).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_symlink_into_the_transcripts_directory() {
        let dir = tempfile::tempdir().unwrap();
        let projects = dir.path().join("projects");
        fs::create_dir_all(projects.join("p")).unwrap();
        let link = dir.path().join("r.html");
        std::os::unix::fs::symlink(projects.join("p/s.jsonl"), &link).unwrap();
        let err = resolve(&link, "d.html", &[projects]).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("through the symlink"), "{msg}");
        assert!(msg.contains("transcripts directory"), "{msg}");
    }
}
