//! State files (the quota snapshots): a whole line appended in one `write` to a file
//! opened with `O_APPEND`, so concurrent writers (several status bars) never interleave
//! within a line; created with its mode (0600) in a directory made private (0700) if it
//! is new; rewritten atomically (`atomic`) when compacted. Owns no format.

use super::atomic;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// Appends `line` (which ends in `\n`) to `path` in one write, creating the file with
/// permission bits `mode` and its directory (0700) if missing.
pub fn append_line(path: &Path, line: &[u8], mode: u32) -> io::Result<()> {
    create_dir(&atomic::parent_dir(path))?;
    let mut opts = OpenOptions::new();
    opts.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(mode).custom_flags(libc::O_NOFOLLOW);
    }
    let mut file = opts.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(io::Error::other("not a regular file"));
        }
        if meta.permissions().mode() & 0o777 != mode {
            file.set_permissions(fs::Permissions::from_mode(mode))?;
        }
    }
    #[cfg(not(unix))]
    let _ = mode;
    // One write call: O_APPEND places it whole at the end.
    let n = file.write(line)?;
    if n != line.len() {
        return Err(io::Error::new(io::ErrorKind::WriteZero, "short append"));
    }
    Ok(())
}

/// Replaces `path` with `bytes` atomically (mode `mode`).
pub fn rewrite(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    create_dir(&atomic::parent_dir(path))?;
    atomic::atomic(path, bytes, mode)
}

fn create_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_whole_lines_and_creates_the_file_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/state/q.jsonl");
        append_line(&path, b"a\n", 0o600).unwrap();
        append_line(&path, b"b\n", 0o600).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"a\nb\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            let dmode = fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(dmode & 0o777, 0o700);
        }
        rewrite(&path, b"c\n", 0o600).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"c\n");
    }
}
