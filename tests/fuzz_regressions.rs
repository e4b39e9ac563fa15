//! Replays every input the fuzz targets ever failed on (`fuzz/regressions/<target>/`) and
//! their seed corpora (`fuzz/seeds/<target>/`) through the targets' own checks
//! (`fuzz/checks.rs`), so a fixed crash stays fixed without cargo-fuzz installed.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in ["regressions", "seeds"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let name = path.display().to_string();
            let result = std::panic::catch_unwind(|| check(&data));
            assert!(result.is_ok(), "{name} fails the {target} checks again");
            n += 1;
        }
    }
    n
}

#[test]
fn line_target_regressions_and_seeds_pass() {
    assert!(replay("line", checks::line) >= 10);
}

#[test]
fn file_target_regressions_and_seeds_pass() {
    assert!(replay("file", checks::file) >= 4);
}
