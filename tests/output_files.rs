//! Report files on every kind of destination, catalogue rows 45–51 (README, "Reliability
//! catalogue"): `-` is stdout and nothing else is printed there; an existing device is
//! written into and stays a device (`/dev/null`; `/dev/full` fails with one line); a FIFO
//! with a reader gets the whole file and stays a FIFO, one without a reader fails at once;
//! a socket is refused and kept; a symlink is written through and kept, except into a
//! transcripts directory or from another user's link in a sticky world-writable directory;
//! a directory gets the default file name inside it. Each runs in a temporary directory;
//! the device cases run on copies bind-mounted in a private mount namespace.

#![allow(clippy::print_stderr)]

use crate::common;

use assert_cmd::Command;
use std::path::Path;

fn ccrecap() -> Command {
    common::clean_ccrecap()
}

/// The bytes `ccrecap --demo <args> <flag> FILE` writes into a new regular file.
fn regular_write(args: &[&str], flag: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("regular");
    ccrecap()
        .arg("--demo")
        .args(args)
        .arg(flag)
        .arg(&file)
        .assert()
        .success();
    std::fs::read(&file).unwrap()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `ccrecap --demo <args>` run in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    ccrecap()
        .current_dir(dir)
        .arg("--demo")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn row45_a_dash_writes_the_file_to_stdout_and_nothing_else() {
    let html = regular_write(&["html"], "-O");
    let svg = regular_write(&["card"], "--svg");
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["html", "-O", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(out.stdout == html, "stdout holds exactly the page");
    let err = stderr_of(&out);
    assert!(
        err.contains("wrote ") && err.contains(" KB to stdout"),
        "{err}"
    );
    // The card: the SVG alone, no terminal card before it.
    let out = run_in(dir.path(), &["card", "--svg", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(out.stdout == svg, "stdout holds exactly the SVG");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no file named - or anything else was written"
    );
    // JSON and the SVG cannot share stdout: a usage error.
    let out = run_in(dir.path(), &["card", "--json", "--svg", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[cfg(unix)] // bash, head
#[test]
fn row45_a_dash_into_a_closed_pipe_exits_quietly() {
    let script = format!(
        "set -o pipefail; '{}' --demo html -O - 2>\"$1\" | head -c 100 >/dev/null",
        assert_cmd::cargo::cargo_bin("ccrecap").display()
    );
    let err = tempfile::NamedTempFile::new().unwrap();
    let status = std::process::Command::new("bash")
        .args(["-c", &script, "bash"])
        .arg(err.path())
        .env("TZ", "UTC")
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let text = std::fs::read_to_string(err.path()).unwrap();
    assert!(!text.contains("error"), "{text}");
}

#[cfg(target_os = "linux")] // /dev/full, unshare, mknod
#[test]
fn row46_a_device_is_written_into_and_stays_a_device() {
    // Copies of /dev/null and /dev/full bind-mounted over the real ones in a private
    // mount namespace: even a regression that renamed over them could not touch the real
    // nodes (a rename over a mount point fails).
    let tmp = tempfile::tempdir().unwrap();
    let script = r#"
        mknod "$1/null" c 1 3 && mknod "$1/full" c 1 7 || exit 90
        chmod 666 "$1/null" "$1/full" || exit 90
        mount --bind "$1/null" /dev/null && mount --bind "$1/full" /dev/full || exit 90
        "$2" --demo card --svg /dev/null >"$1/null.out" 2>"$1/null.err"
        echo "null_rc=$?"
        "$2" --demo html -O /dev/full >"$1/full.out" 2>"$1/full.err"
        echo "full_rc=$?"
        "$2" --demo card --svg /dev/full >"$1/card.out" 2>"$1/card.err"
        echo "card_rc=$?"
        echo "null_kind=$(stat -c %F /dev/null)"
        echo "full_kind=$(stat -c %F /dev/full)"
        echo "temporaries=$(ls -A /dev | grep -c 'tmp$')"
    "#;
    let bin = assert_cmd::cargo::cargo_bin("ccrecap");
    let Some(out) = common::namespace::sh(
        "row46",
        "the unit tests of write::special still write /dev/null and /dev/full",
        script,
        &[tmp.path().as_os_str(), bin.as_os_str()],
    ) else {
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let read = |name: &str| std::fs::read_to_string(tmp.path().join(name)).unwrap();
    assert!(text.contains("null_rc=0"), "{text} {}", read("null.err"));
    assert!(
        read("null.err").contains("KB to a device, /dev/null"),
        "{}",
        read("null.err")
    );
    for (rc, err) in [("full_rc", "full.err"), ("card_rc", "card.err")] {
        assert!(text.contains(&format!("{rc}=1")), "{text}");
        let err = read(err);
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(
            err.starts_with("ccrecap: error: cannot write /dev/full: No space left"),
            "{err}"
        );
    }
    assert!(text.contains("null_kind=character special file"), "{text}");
    assert!(text.contains("full_kind=character special file"), "{text}");
    assert!(
        text.contains("temporaries=0"),
        "no temporary file in /dev: {text}"
    );
    for copy in ["null", "full"] {
        use std::os::unix::fs::FileTypeExt;
        let t = std::fs::symlink_metadata(tmp.path().join(copy)).unwrap();
        assert!(t.file_type().is_char_device(), "{copy}");
    }
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

#[cfg(unix)]
fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path)
        .unwrap()
        .file_type()
        .is_fifo()
}

/// Runs `ccrecap --demo <args>` while this test reads `fifo` (opened first, so a reader
/// is there when ccrecap opens it), until ccrecap has exited and all it wrote is read.
#[cfg(unix)]
fn read_fifo_while(fifo: &Path, args: &[&str]) -> (Vec<u8>, Option<i32>, String) {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let mut reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(fifo)
        .unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ccrecap"))
        .env_clear()
        .env("TZ", "UTC")
        .env("HOME", "/nonexistent-ccrecap-home")
        .arg("--demo")
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (mut got, mut buf) = (Vec::new(), vec![0; 1 << 16]);
    loop {
        // Checked before draining: once it has exited, one more drain reads the rest.
        let exited = child.try_wait().unwrap().is_some();
        loop {
            match reader.read(&mut buf) {
                // 0: no writer (not yet, or no more); WouldBlock: a writer, no data yet.
                Ok(0) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) => panic!("reading the FIFO: {e}"),
            }
        }
        if exited {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let out = child.wait_with_output().unwrap();
    (got, out.status.code(), stderr_of(&out))
}

#[cfg(unix)]
#[test]
fn row47_a_fifo_with_a_reader_gets_the_whole_file_and_stays_a_fifo() {
    let html = regular_write(&["html"], "-O");
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("recap.fifo");
    mkfifo(&fifo);
    let (got, code, err) = read_fifo_while(&fifo, &["html", "-O", fifo.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        got == html,
        "{} bytes read, {} written to a file",
        got.len(),
        html.len()
    );
    assert!(err.contains(" KB to a FIFO, "), "{err}");
    assert!(is_fifo(&fifo));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // The card's SVG too.
    let svg = regular_write(&["card"], "--svg");
    let (got, code, err) = read_fifo_while(&fifo, &["card", "--svg", fifo.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        got == svg,
        "{} bytes read, {} written to a file",
        got.len(),
        svg.len()
    );
    assert!(is_fifo(&fifo));
}

#[cfg(unix)]
#[test]
fn row47_a_fifo_without_a_reader_is_an_error_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("card.fifo");
    mkfifo(&fifo);
    // A regression that blocked on the open would hang: the child is killed, and the test
    // fails, if it has not finished long after it should have.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ccrecap"))
        .env_clear()
        .env("TZ", "UTC")
        .env("HOME", "/nonexistent-ccrecap-home")
        .args(["--demo", "card", "--svg"])
        .arg(&fifo)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let give_up = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > give_up {
            let _ = child.kill();
            panic!("ccrecap blocked on a FIFO nobody reads");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no process is reading the FIFO"), "{err}");
    assert!(is_fifo(&fifo));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn row48_a_socket_is_refused_and_kept() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("card.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    let out = run_in(dir.path(), &["card", "--svg", "card.sock"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("it is a socket"), "{err}");
    let t = std::fs::symlink_metadata(&sock).unwrap().file_type();
    assert!(t.is_socket());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn row49_a_symlink_is_written_through_and_stays_a_symlink() {
    use std::os::unix::fs::PermissionsExt;
    let html = regular_write(&["html"], "-O");
    let dir = tempfile::tempdir().unwrap();
    let sync = dir.path().join("Sync");
    std::fs::create_dir(&sync).unwrap();
    let target = sync.join("recap.html");
    std::fs::write(&target, "last week's recap").unwrap();
    let link = dir.path().join("recap.html");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = run_in(dir.path(), &["html", "-O", "recap.html"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(std::fs::read_link(&link).unwrap(), target);
    assert!(
        std::fs::read(&target).unwrap() == html,
        "the target holds the new file"
    );
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(err.contains("through the symlink recap.html"), "{err}");
    assert_eq!(
        std::fs::read_dir(&sync).unwrap().count(),
        1,
        "no temporary left"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[cfg(unix)]
#[test]
fn row50_a_symlink_into_the_transcripts_directory_is_refused() {
    use common::records::{Tree, assistant, file_of};
    let t = Tree::new();
    let session = t.write(
        "proj/s.jsonl",
        file_of(&[assistant("m1", "r1", (1, 2, 3, 4))]),
    );
    let before = std::fs::read(&session).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for target in [session.clone(), t.projects().join("proj/new.svg")] {
        let link = dir.path().join("card.svg");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let out = ccrecap()
            .args(["card", "--all", "--claude-dir"])
            .arg(t.path())
            .arg("--svg")
            .arg(&link)
            .output()
            .unwrap();
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("refusing to write through the symlink")
                && err.contains("inside the transcripts directory"),
            "{err}"
        );
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    }
    assert_eq!(std::fs::read(&session).unwrap(), before);
    assert_eq!(
        std::fs::read_dir(t.projects().join("proj"))
            .unwrap()
            .count(),
        1
    );
}

/// Gives `link` (a symlink) to uid and gid 65534: directly as root, else through
/// passwordless sudo. False when neither works.
#[cfg(unix)]
fn give_link_away(link: &Path) -> bool {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        let c = std::ffi::CString::new(link.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        return unsafe { libc::lchown(c.as_ptr(), 65534, 65534) } == 0;
    }
    std::process::Command::new("sudo")
        .args(["-n", "chown", "-h", "65534:65534"])
        .arg(link)
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(unix)]
#[test]
fn row50_another_users_symlink_in_a_sticky_world_writable_directory_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("tmp");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let target = dir.path().join("victim.txt");
    std::fs::write(&target, "keep me").unwrap();
    let link = shared.join("card.svg");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    // The caller's own link there is followed: the positive control.
    ccrecap()
        .args(["--demo", "card", "--svg"])
        .arg(&link)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("<svg")
    );
    std::fs::write(&target, "keep me").unwrap();
    if !give_link_away(&link) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must be able to chown a symlink (as root or through sudo -n)"
        );
        eprintln!(
            "row50: skipped the other user's link: not root and no passwordless sudo to \
             chown it; write::place's unit test of the rule still runs"
        );
        return;
    }
    let out = ccrecap()
        .args(["--demo", "card", "--svg"])
        .arg(&link)
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("refusing to follow the symlink")
            && err.contains("sticky world-writable directory")
            && err.contains("uid 65534"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(std::fs::read_dir(&shared).unwrap().count(), 1);
}

#[test]
fn row51_a_directory_gets_the_default_name_inside_it() {
    let html = regular_write(&["html"], "-O");
    let svg = regular_write(&["card"], "--svg");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let out = run_in(dir.path(), &["html", "-O", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let page = dir.path().join("out").join("ccrecap-2026-11-15.html");
    assert!(std::fs::read(&page).unwrap() == html);
    let err = stderr_of(&out);
    let shown = Path::new("out").join("ccrecap-2026-11-15.html");
    assert!(
        err.contains(&format!("wrote {} (", shown.display())),
        "{err}"
    );
    let out = run_in(dir.path(), &["card", "--svg", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let card = dir.path().join("out").join("ccrecap-card-2026-11-15.svg");
    assert!(std::fs::read(&card).unwrap() == svg);
    assert_eq!(
        std::fs::read_dir(dir.path().join("out")).unwrap().count(),
        2
    );
    // A directory where the default name would go: an error naming it, nothing written.
    std::fs::create_dir(dir.path().join("out2")).unwrap();
    std::fs::create_dir(dir.path().join("out2").join("ccrecap-card-2026-11-15.svg")).unwrap();
    let out = run_in(dir.path(), &["card", "--svg", "out2"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("is a directory"), "{err}");
    assert_eq!(
        std::fs::read_dir(dir.path().join("out2")).unwrap().count(),
        1
    );
}
