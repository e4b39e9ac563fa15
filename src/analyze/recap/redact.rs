//! What a shareable output may show. By default a path is cut to its last component and
//! free text from transcripts (prompts, task descriptions, commands, search patterns,
//! error messages) is replaced by a neutral label; `--show-paths` and `--show-prompts`
//! opt in. Every choice is recorded so the output can say what it hid. It only maps
//! strings; it never decides what a report contains.

use serde::Serialize;

/// The user's opt-ins for a shareable output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Privacy {
    pub show_paths: bool,
    pub show_prompts: bool,
}

/// What the output hid, stated in the output.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Redactions {
    pub show_paths: bool,
    pub show_prompts: bool,
    /// One sentence per kind of hidden information; empty when nothing was hidden.
    pub hidden: Vec<&'static str>,
}

impl Privacy {
    pub fn redactions(&self) -> Redactions {
        let mut hidden = Vec::new();
        if !self.show_paths {
            hidden.push(
                "paths are cut to their last component and projects go by their display names (--show-paths shows them in full)",
            );
        }
        if !self.show_prompts {
            hidden.push(
                "prompt text, task descriptions, commands, search patterns and error messages are hidden (--show-prompts shows them)",
            );
        }
        Redactions {
            show_paths: self.show_paths,
            show_prompts: self.show_prompts,
            hidden,
        }
    }

    /// A file or directory path.
    pub fn path(&self, path: &str) -> String {
        if self.show_paths {
            path.to_string()
        } else {
            last_component(path)
        }
    }

    /// A project: its display name, or with `--show-paths` its working directory (else
    /// its directory under `projects/`).
    pub fn project(&self, display: &str, cwd: Option<&str>, dir: &str) -> String {
        match (self.show_paths, cwd) {
            (true, Some(c)) => c.to_string(),
            (true, None) => dir.to_string(),
            (false, _) => display.to_string(),
        }
    }

    /// Free text from a transcript, or `hidden` in its place.
    pub fn text(&self, text: &str, hidden: &str) -> String {
        if self.show_prompts {
            text.to_string()
        } else {
            hidden.to_string()
        }
    }
}

/// The last component of a Unix or Windows path (the path itself when it has none).
pub fn last_component(path: &str) -> String {
    let p = path.trim_end_matches(['/', '\\']);
    let last = p.rsplit(['/', '\\']).next().unwrap_or(p);
    if last.is_empty() {
        path.to_string()
    } else {
        last.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HIDE: Privacy = Privacy {
        show_paths: false,
        show_prompts: false,
    };
    const SHOW: Privacy = Privacy {
        show_paths: true,
        show_prompts: true,
    };

    #[test]
    fn paths_keep_their_last_component() {
        assert_eq!(HIDE.path("/Users/dana/code/app/src/main.rs"), "main.rs");
        assert_eq!(HIDE.path(r"C:\work\app\"), "app");
        assert_eq!(HIDE.path("/"), "/");
        assert_eq!(SHOW.path("/Users/dana/x"), "/Users/dana/x");
    }

    #[test]
    fn projects_show_their_display_name_unless_paths_are_asked_for() {
        let cwd = Some("/Users/dana/code/app");
        assert_eq!(HIDE.project("app", cwd, "-Users-dana-code-app"), "app");
        assert_eq!(
            SHOW.project("app", cwd, "-Users-dana-code-app"),
            "/Users/dana/code/app"
        );
        assert_eq!(
            SHOW.project("app", None, "-Users-dana-code-app"),
            "-Users-dana-code-app"
        );
    }

    #[test]
    fn text_is_hidden_unless_asked() {
        assert_eq!(HIDE.text("fix the login bug", "(hidden)"), "(hidden)");
        assert_eq!(
            SHOW.text("fix the login bug", "(hidden)"),
            "fix the login bug"
        );
        assert_eq!(HIDE.redactions().hidden.len(), 2);
        assert!(SHOW.redactions().hidden.is_empty());
    }
}
