//! A private mount namespace for the tests that mount over or bind onto paths the whole
//! machine uses (a full tmpfs, copies of /dev/null and /dev/full): `unshare -m` as root,
//! else through passwordless sudo (a hosted CI runner's user), so a regression can never
//! damage the real files. Where neither works, the test prints why it skips; on CI (`CI`
//! set) it fails instead, because CI must run every test.

#![allow(clippy::print_stderr)]

use std::ffi::OsStr;
use std::process::{Command, Output};

/// The exit status a script uses when a setup step (mount, mknod) fails.
pub const SETUP_FAILED: i32 = 90;

/// Runs `sh -c script sh args…` in a private mount namespace. The script must end with
/// status 0 and use `SETUP_FAILED` for a failed setup step. `None` (after saying why, as
/// `test`, with `still` naming what covers the case meanwhile) when no namespace can be
/// made here.
pub fn sh(test: &str, still: &str, script: &str, args: &[&OsStr]) -> Option<Output> {
    // SAFETY: geteuid has no preconditions.
    let mut unshare = if unsafe { libc::geteuid() } == 0 {
        Command::new("unshare")
    } else {
        let mut sudo = Command::new("sudo");
        sudo.args(["-n", "unshare"]);
        sudo
    };
    let out = unshare
        .args(["-m", "sh", "-c", script, "sh"])
        .args(args)
        .output();
    match out {
        Ok(o) if o.status.success() => Some(o),
        other => {
            assert!(
                std::env::var_os("CI").is_none(),
                "{test}: CI must be able to make a private mount namespace (as root or \
                 through sudo -n): {other:?}"
            );
            eprintln!(
                "{test}: skipped: no private mount namespace here (not root, no passwordless \
                 sudo, or no unshare: {other:?}); {still}"
            );
            None
        }
    }
}
