//! The atomic write behind every regular report file: the bytes go to a temporary file in
//! the destination's directory, are synced, given their mode, and renamed over the
//! destination, so a reader never sees half a file and a failed write (a full disk)
//! leaves the old file untouched and no temporary file behind. It renames over whatever
//! `path` names: deciding that `path` is a regular file or a new one is `place`'s job.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically with permission bits `mode` (Unix; ignored
/// elsewhere). On any error the temporary file is removed and `path` is unchanged.
pub fn atomic(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    atomic_with(path, mode, |f| f.write_all(bytes))
}

/// `atomic` with the content written by `fill` (a failing `fill` stands in for a full disk
/// in the tests).
fn atomic_with(
    path: &Path,
    mode: u32,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let (tmp, mut file) = create_temp(&dir, &name.to_string_lossy())?;
    let written = fill(&mut file)
        .and_then(|()| finish(&mut file, mode))
        .and_then(|()| fs::rename(&tmp, path));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

/// The directory `path` is in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Creates a fresh hidden temporary file next to the destination (never an existing one).
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let mut attempt = 0u32;
    loop {
        let tmp = dir.join(format!(".{name}.{pid}.{attempt}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

fn finish(file: &mut File, mode: u32) -> io::Result<()> {
    file.flush()?;
    set_mode(file, mode)?;
    file.sync_all()
}

#[cfg(unix)]
fn set_mode(file: &File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &File, _mode: u32) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::DEFAULT_MODE;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.html");
        fs::write(&path, b"old").unwrap();
        atomic(&path, b"new", DEFAULT_MODE).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn sets_the_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.svg");
        atomic(&path, b"x", 0o640).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[test]
    fn a_full_disk_keeps_the_old_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.html");
        fs::write(&path, b"old report").unwrap();
        let err = atomic_with(&path, DEFAULT_MODE, |f| {
            f.write_all(b"half of the new rep")?;
            Err(io::Error::from_raw_os_error(libc::ENOSPC))
        })
        .unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ENOSPC));
        assert_eq!(fs::read(&path).unwrap(), b"old report");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [std::ffi::OsString::from("r.html")]);
    }

    #[test]
    fn a_missing_directory_fails_without_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope").join("r.html");
        assert!(atomic(&path, b"x", DEFAULT_MODE).is_err());
        assert!(!path.exists());
    }

    #[test]
    fn a_bare_name_lives_in_the_current_directory() {
        assert_eq!(parent_dir(Path::new("r.html")), PathBuf::from("."));
        assert_eq!(parent_dir(Path::new("a/r.html")), PathBuf::from("a"));
    }
}
