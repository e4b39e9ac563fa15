//! The layering rules, checked on the source: each module of `src/` may import only the
//! modules below it (cli → config → command → scan → model → analyze → render, with the
//! support modules `options`, `time`, `pricing` beside them), only `cli.rs`, `shell.rs`
//! and `main.rs` know clap, and the function-size limits clippy enforces (`clippy.toml`)
//! are neither raised nor dodged with `#[allow]`. See CONTRIBUTING.md for the picture.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What each part of `src/` may import from the crate (besides itself). `lib.rs` and
/// `main.rs` wire everything and may import anything.
const ALLOWED: &[(&str, &[&str])] = &[
    ("bytes", &[]),
    ("model", &["bytes"]),
    ("options", &[]),
    ("error", &[]),
    ("write", &[]),
    ("progress", &[]),
    ("time", &["model"]),
    ("pricing", &["model"]),
    ("scan", &["model", "bytes"]),
    ("demo", &["scan"]),
    ("ledger", &["scan", "model", "write", "time"]),
    (
        "analyze",
        &["model", "pricing", "options", "time", "render::fmt"],
    ),
    (
        "render",
        &["analyze", "model", "pricing", "options", "time"],
    ),
    (
        "command",
        &[
            "analyze", "render", "scan", "model", "pricing", "options", "time",
        ],
    ),
    (
        "output",
        &[
            "analyze", "render", "command", "options", "write", "model", "time", "ledger",
        ],
    ),
    (
        "live",
        &[
            "analyze", "render", "scan", "model", "pricing", "options", "time", "write",
        ],
    ),
    ("cli", &["command", "options"]),
    ("shell", &["cli", "options"]),
    (
        "config",
        &[
            "cli", "command", "options", "time", "error", "write", "ledger",
        ],
    ),
];

/// Files that may use clap.
const CLAP: &[&str] = &["cli", "shell", "main"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The part of `src/` a file belongs to: its top-level module.
fn layer(file: &Path) -> String {
    let rel = file.strip_prefix(src()).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The code of a file without its comments (doc comments mention other modules freely).
fn code(file: &Path) -> String {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::a` and `crate::a::b` a file names.
fn imports(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        let name = |s: &str| -> String {
            s.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        };
        let first = name(rest);
        let second = rest
            .strip_prefix(&first)
            .and_then(|r| r.strip_prefix("::"))
            .map(name)
            .unwrap_or_default();
        out.insert(format!("{first}::{second}"));
    }
    out
}

fn allowed(layer: &str, import: &str) -> bool {
    let (first, _) = import.split_once("::").unwrap_or((import, ""));
    if first == layer || matches!(layer, "lib" | "main") {
        return true;
    }
    let Some((_, ok)) = ALLOWED.iter().find(|(l, _)| *l == layer) else {
        panic!("src/{layer} has no layering rule: add it to ALLOWED (and CONTRIBUTING.md)");
    };
    ok.iter().any(|a| match a.split_once("::") {
        Some(_) => import == *a,
        None => first == *a,
    })
}

#[test]
fn modules_import_only_the_layers_below_them() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for f in &files {
        let layer = layer(f);
        for import in imports(&code(f)) {
            if !allowed(&layer, &import) {
                wrong.push(format!("{}: crate::{import}", f.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn only_the_command_line_knows_clap() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    for f in &files {
        if CLAP.contains(&layer(f).as_str()) {
            continue;
        }
        assert!(!code(f).contains("clap"), "{} uses clap", f.display());
    }
}

#[test]
fn the_rules_catch_an_upward_import() {
    assert!(!allowed("analyze", "scan::Detail"));
    assert!(!allowed("analyze", "render::terminal"));
    assert!(allowed("analyze", "render::fmt"));
    assert!(!allowed("model", "time::Zone"));
    assert!(!allowed("render", "cli::Cli"));
    assert!(!allowed("scan", "analyze::Report"));
    assert!(allowed("lib", "cli::Cli"));
    assert_eq!(
        imports("use crate::render::fmt::{self, clip};\nlet x = crate::time::iso_ms(1);"),
        BTreeSet::from(["render::fmt".to_string(), "time::iso_ms".to_string()])
    );
}

#[test]
fn function_size_limits_are_kept_not_dodged() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let clippy = std::fs::read_to_string(manifest.join("clippy.toml")).unwrap();
    assert!(clippy.contains("too-many-lines-threshold = 80"), "{clippy}");
    assert!(
        clippy.contains("too-many-arguments-threshold = 6"),
        "{clippy}"
    );
    let cargo = std::fs::read_to_string(manifest.join("Cargo.toml")).unwrap();
    assert!(cargo.contains("too_many_lines = \"warn\""));
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for lint in ["too_many_lines", "too_many_arguments"] {
            assert!(
                !text.contains(lint),
                "{} allows clippy::{lint}",
                f.display()
            );
        }
    }
}
