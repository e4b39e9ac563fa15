//! Distribution checks: the shell integration as a user meets it (`ccrecap completions
//! bash` sourced into a real bash and asked to complete, the other shells' scripts, the
//! man page), and the npm packages under `npm/` kept in lockstep with Cargo.toml (same
//! version everywhere, the five platform packages pinned exactly, each holding only its
//! binary, no install scripts). The end-to-end npm run is `npm/test-offline.sh`.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn ccrecap() -> Command {
    let mut c = Command::cargo_bin("ccrecap").unwrap();
    // No home, no transcripts anywhere: shell integration must not need any.
    c.env_clear()
        .env("HOME", "/nonexistent/ccrecap-home")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    c
}

fn stdout_of(args: &[&str]) -> String {
    let out = ccrecap().args(args).assert().success().get_output().clone();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Loads the bash script in a fresh `bash --norc` and completes each line (the last
/// word is the one being completed); returns one line of candidates per input line.
/// `eval`, not `source <(...)`: macOS's bash 3.2 cannot source a pipe.
#[cfg(unix)]
fn bash_complete(lines: &[&str]) -> Vec<String> {
    let script = r#"
eval "$("$CCRECAP" completions bash)" || exit 3
spec=$(complete -p ccrecap) || exit 4
fn=$(sed -E 's/.*-F ([^ ]+) .*/\1/' <<<"$spec")
while IFS= read -r line; do
  read -ra COMP_WORDS <<<"$line"
  [[ "$line" == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
  COMP_LINE="$line"; COMP_POINT=${#line}; COMPREPLY=()
  "$fn" ccrecap "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
  echo "${COMPREPLY[*]}"
done
"#;
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", script])
        .env("CCRECAP", env!("CARGO_BIN_EXE_ccrecap"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(format!("{}\n", lines.join("\n")).as_bytes())?;
            child.wait_with_output()
        })
        .expect("bash runs");
    assert!(
        out.status.success(),
        "bash failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[cfg(unix)] // bash
#[test]
fn bash_completion_script_completes_subcommands_flags_and_values() {
    let got = bash_complete(&[
        "ccrecap da",
        "ccrecap sub",
        "ccrecap completions ",
        "ccrecap daily --col",
        "ccrecap daily --color ",
        "ccrecap weekly --start-of-week mo",
    ]);
    let words = |i: usize| got[i].split(' ').collect::<Vec<_>>();
    assert_eq!(words(0), ["daily"], "{got:?}");
    assert_eq!(words(1), ["subagents"], "{got:?}");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        assert!(words(2).contains(&shell), "{got:?}");
    }
    assert_eq!(words(3), ["--color"], "{got:?}");
    assert_eq!(words(4), ["auto", "always", "never"], "{got:?}");
    assert_eq!(words(5), ["monday"], "{got:?}");
}

#[cfg(unix)] // bash
#[test]
fn bash_completion_registers_with_complete() {
    let out = std::process::Command::new("bash")
        .args([
            "--norc",
            "--noprofile",
            "-c",
            r#"eval "$("$CCRECAP" completions bash)" && complete -p ccrecap"#,
        ])
        .env("CCRECAP", env!("CARGO_BIN_EXE_ccrecap"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let spec = String::from_utf8(out.stdout).unwrap();
    assert!(
        spec.starts_with("complete ") && spec.trim_end().ends_with(" ccrecap"),
        "{spec}"
    );
}

#[test]
fn other_shells_get_scripts_naming_every_subcommand() {
    for (shell, marker) in [
        ("zsh", "#compdef ccrecap"),
        ("fish", "complete -c ccrecap"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let text = stdout_of(&["completions", shell]);
        assert!(text.contains(marker), "{shell}: {text}");
        for sub in ["context", "daily", "blocks", "card", "completions", "man"] {
            assert!(text.contains(sub), "{shell} lacks {sub}");
        }
    }
}

#[test]
fn completions_reject_unknown_shells_as_usage_errors() {
    ccrecap().args(["completions", "nushell"]).assert().code(2);
    ccrecap().arg("completions").assert().code(2);
}

#[test]
fn man_page_covers_every_subcommand() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH ccrecap 1"), "{page}");
    for sub in [
        "context",
        "subagents",
        "card",
        "activity",
        "opus",
        "daily",
        "weekly",
        "monthly",
        "session",
        "blocks",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!(".SS \"ccrecap {sub}\"")),
            "no section for {sub}"
        );
    }
    // Flags are roff-escaped (`\-`), and hidden test-only flags stay out.
    assert!(page.contains(r"\-\-claude\-dir"), "{page}");
    assert!(!page.contains(r"\-\-now"), "{page}");
}

#[cfg(unix)] // sh and man(1)
#[test]
#[allow(clippy::print_stderr)] // says why it checked nothing
fn man_page_renders_with_man_when_available() {
    let Ok(out) = std::process::Command::new("sh")
        .args(["-c", r#""$CCRECAP" man | MANWIDTH=80 man -l - 2>&1"#])
        .env("CCRECAP", env!("CARGO_BIN_EXE_ccrecap"))
        .output()
    else {
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || text.contains("not found") {
        eprintln!("man(1) is not installed here; skipped rendering");
        return;
    }
    assert!(
        text.contains("COMMANDS") && text.contains("ccrecap blocks"),
        "{text}"
    );
    assert!(!text.contains("\\-"), "raw roff escapes left: {text}");
}

// ---- npm packages ------------------------------------------------------------------

fn npm_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("npm")
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const PLATFORMS: [(&str, &str, &str); 5] = [
    ("linux-x64", "linux", "x64"),
    ("linux-arm64", "linux", "arm64"),
    ("darwin-x64", "darwin", "x64"),
    ("darwin-arm64", "darwin", "arm64"),
    ("win32-x64", "win32", "x64"),
];

#[test]
fn npm_launcher_pins_every_platform_package_to_the_cargo_version() {
    let version = env!("CARGO_PKG_VERSION");
    let launcher = json(&npm_dir().join("ccrecap/package.json"));
    assert_eq!(launcher["name"], "ccrecap");
    assert_eq!(launcher["version"], version);
    assert_eq!(launcher["bin"]["ccrecap"], "bin/ccrecap.js");
    assert!(
        launcher.get("dependencies").is_none(),
        "the launcher has no dependencies"
    );
    assert!(launcher.get("scripts").is_none(), "no install scripts");
    let optional = launcher["optionalDependencies"].as_object().unwrap();
    assert_eq!(optional.len(), PLATFORMS.len());
    for (dir, _, _) in PLATFORMS {
        let name = format!("@ccrecap/ccrecap-{dir}");
        assert_eq!(optional[&name], version, "{name} must be pinned exactly");
    }
}

#[test]
fn npm_platform_packages_hold_only_their_binary() {
    let version = env!("CARGO_PKG_VERSION");
    let listed: Vec<String> = std::fs::read_dir(npm_dir().join("platforms"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(listed.len(), PLATFORMS.len(), "{listed:?}");
    for (dir, os, cpu) in PLATFORMS {
        let pkg = json(&npm_dir().join("platforms").join(dir).join("package.json"));
        assert_eq!(pkg["name"], format!("@ccrecap/ccrecap-{dir}"));
        assert_eq!(pkg["version"], version, "{dir}");
        assert_eq!(pkg["os"], serde_json::json!([os]), "{dir}");
        assert_eq!(pkg["cpu"], serde_json::json!([cpu]), "{dir}");
        let exe = if os == "win32" {
            "bin/ccrecap.exe"
        } else {
            "bin/ccrecap"
        };
        assert_eq!(pkg["files"], serde_json::json!([exe]), "{dir}");
        assert_eq!(pkg["publishConfig"]["access"], "public", "{dir}");
        for field in ["bin", "scripts", "dependencies"] {
            assert!(pkg.get(field).is_none(), "{dir} has {field}");
        }
    }
}

// ---- release archives and cargo binstall ---------------------------------------------

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `key = "value"` in a `[table]` of Cargo.toml (the binstall block is that simple).
#[cfg(unix)]
fn cargo_toml(table: &str, key: &str) -> Option<String> {
    let toml = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let body = toml.split(&format!("\n[{table}]\n")).nth(1)?;
    let body = body.split("\n[").next()?;
    body.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Renders a binstall template the way cargo-binstall does for ccrecap on `target`.
#[cfg(unix)]
fn render(template: &str, target: &str, suffix: &str) -> String {
    let exe = if target.contains("windows") {
        ".exe"
    } else {
        ""
    };
    template
        .replace("{ repo }", "https://github.com/ccrecap/ccrecap")
        .replace("{ name }", "ccrecap")
        .replace("{ bin }", "ccrecap")
        .replace("{ version }", env!("CARGO_PKG_VERSION"))
        .replace("{ target }", target)
        .replace("{ archive-suffix }", suffix)
        .replace("{ binary-ext }", exe)
}

#[cfg(unix)] // bash, tar and Unix file modes
#[test]
fn release_archives_have_the_names_and_layout_binstall_looks_for() {
    let meta = "package.metadata.binstall";
    let pkg_url = cargo_toml(meta, "pkg-url").expect("pkg-url");
    let bin_dir = cargo_toml(meta, "bin-dir").expect("bin-dir");
    assert_eq!(cargo_toml(meta, "pkg-fmt").as_deref(), Some("tgz"));
    assert_eq!(
        cargo_toml(
            &format!("{meta}.overrides.x86_64-pc-windows-msvc"),
            "pkg-fmt"
        )
        .as_deref(),
        Some("zip")
    );
    let tmp = tempfile::tempdir().unwrap();
    let fake = tmp.path().join("ccrecap");
    std::fs::write(&fake, "#!/bin/sh\necho fake\n").unwrap();
    for target in ["x86_64-unknown-linux-musl", "aarch64-apple-darwin"] {
        let out = tmp.path().join(target);
        let run = std::process::Command::new("bash")
            .arg(root().join(".github/scripts/package.sh"))
            .args([target, env!("CARGO_PKG_VERSION")])
            .args([&fake, &out])
            .output()
            .unwrap();
        assert!(run.status.success(), "{run:?}");
        let archive = PathBuf::from(String::from_utf8(run.stdout).unwrap().trim());
        // binstall probes `.tgz` first for pkg-fmt tgz.
        let url = render(&pkg_url, target, ".tgz");
        assert_eq!(
            url.rsplit('/').next(),
            archive.file_name().and_then(|n| n.to_str()),
            "{url} vs {}",
            archive.display()
        );
        assert!(url.starts_with(&format!(
            "https://github.com/ccrecap/ccrecap/releases/download/v{}/",
            env!("CARGO_PKG_VERSION")
        )));
        let listing = std::process::Command::new("tar")
            .arg("-tvzf")
            .arg(&archive)
            .output()
            .unwrap();
        let listing = String::from_utf8(listing.stdout).unwrap();
        let bin = render(&bin_dir, target, ".tgz");
        assert!(
            listing
                .lines()
                .any(|l| l.starts_with("-rwxr-xr-x") && l.ends_with(&format!(" {bin}"))),
            "{bin} (executable) not in\n{listing}"
        );
        let sums = std::fs::read_to_string(out.join(format!(
            "{}.sha256",
            archive.file_name().unwrap().to_str().unwrap()
        )))
        .unwrap();
        let (hash, name) = sums.trim().split_once("  ").unwrap();
        assert_eq!(hash.len(), 64, "{sums}");
        assert_eq!(Some(name), archive.file_name().and_then(|n| n.to_str()));
    }
}

#[test]
fn the_release_workflow_builds_every_npm_platform() {
    let workflow = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    for (target, npm) in [
        ("x86_64-unknown-linux-musl", "linux-x64"),
        ("aarch64-unknown-linux-musl", "linux-arm64"),
        ("x86_64-apple-darwin", "darwin-x64"),
        ("aarch64-apple-darwin", "darwin-arm64"),
        ("x86_64-pc-windows-msvc", "win32-x64"),
    ] {
        assert!(
            workflow.contains(&format!("target: {target}, "))
                && workflow.contains(&format!("npm: {npm} }}")),
            "the release matrix lacks {target} → {npm}"
        );
        assert!(npm_dir().join("platforms").join(npm).is_dir(), "{npm}");
    }
    // Platforms first, the launcher last.
    let platforms = workflow
        .find("for dir in npm/platforms/*; do publish")
        .unwrap();
    let launcher = workflow.find("publish npm/ccrecap").unwrap();
    assert!(platforms < launcher);
}
