//! Python's XML parser as a second opinion on the SVG and HTML files the tests write,
//! where a working `python3` is on the PATH.

use std::path::Path;
use std::process::{Command, Output};

/// Parses `file` with `xml.dom.minidom`: the run's output, or `None` when no working
/// python3 is there (on Windows `python3` may be the Microsoft Store's installer stub,
/// which exists but cannot run Python).
pub fn xml_parse(file: &Path) -> Option<Output> {
    let works = Command::new("python3")
        .args(["-c", "import xml.dom.minidom"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !works {
        return None;
    }
    Command::new("python3")
        .args([
            "-c",
            "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])",
        ])
        .arg(file)
        .output()
        .ok()
}
