//! What the year-in-review page and card may show: the `wrapped` section of a report with
//! its projects by display name (working directories only with `--show-paths`), the
//! report's window, prices and diagnostics (unreadable paths cut to their last component,
//! machine names left out), and the months known only from the ledger. The HTML page
//! draws this and embeds it as JSON; the SVG card draws from it too. It only picks and
//! redacts; nothing here formats.

use super::Wrapped;
use crate::analyze::recap::redact::{Privacy, Redactions};
use crate::analyze::{Body, Generator, PricingInfo, Report, WindowInfo};
use crate::model::diagnostics::Diagnostics;
use serde::Serialize;

/// Everything the year-in-review page shows.
#[derive(Clone, Debug, Serialize)]
pub struct WrappedPage {
    pub schema_version: u32,
    pub generator: Generator,
    pub window: WindowInfo,
    pub pricing: PricingInfo,
    pub privacy: Redactions,
    pub wrapped: Wrapped,
    /// Months of the year whose transcripts are gone: their use comes from the ledger
    /// alone (every figure here counts it).
    pub ledger_only_months: Vec<String>,
    pub responses_from_ledger: u64,
    /// Whether a ledger was read.
    pub ledger_read: bool,
    pub diagnostics: Diagnostics,
}

/// What a year in review never holds, and what it hides unless asked.
fn redactions(p: Privacy) -> Redactions {
    let mut hidden = vec![
        "no prompt text, commands, file names or session ids: only totals, model names and project names",
    ];
    if !p.show_paths {
        hidden.push(
            "projects go by their display names, not their paths (--show-paths shows their working directories)",
        );
    }
    Redactions {
        show_paths: p.show_paths,
        show_prompts: false,
        hidden,
    }
}

/// The page of a report that ran the `wrapped` section (None otherwise).
pub fn build(report: &Report, privacy: Privacy) -> Option<WrappedPage> {
    let Body::Analysis(a) = &report.body else {
        return None;
    };
    let mut wrapped = a.wrapped.clone()?;
    for p in &mut wrapped.top_projects {
        p.project = privacy.project(&p.project, p.cwd.as_deref(), &p.project_dir);
        p.project_dir.clear();
        p.cwd = None;
    }
    let year = format!("{:04}-", wrapped.year);
    let ledger = report.diagnostics.ledger.as_ref();
    let mut diagnostics = Diagnostics {
        problem_paths: report
            .diagnostics
            .problem_paths
            .iter()
            .map(|x| privacy.path(x))
            .collect(),
        ..report.diagnostics.clone()
    };
    if let Some(l) = &mut diagnostics.ledger
        && !privacy.show_paths
    {
        l.machines.clear();
    }
    Some(WrappedPage {
        schema_version: 1,
        generator: report.generator.clone(),
        window: report.window.clone(),
        pricing: report.pricing.clone(),
        privacy: redactions(privacy),
        ledger_only_months: ledger
            .map(|l| {
                l.ledger_only_months
                    .iter()
                    .filter(|m| m.starts_with(&year))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default(),
        responses_from_ledger: ledger.map_or(0, |l| l.responses_from_ledger),
        ledger_read: ledger.is_some(),
        diagnostics,
        wrapped,
    })
}

/// A report holding `w` alone, with a ledger and a problem path, for tests of the page
/// and its renderers.
#[cfg(test)]
pub(crate) fn report_with(w: Wrapped, ledger_months: &[&str]) -> Report {
    let a = crate::analyze::Analysis {
        wrapped: Some(w),
        ..Default::default()
    };
    let opts = crate::analyze::Options {
        window: crate::time::Window::default(),
        zone: crate::time::Zone::Named(chrono_tz::UTC),
        cost_mode: crate::options::CostMode::Auto,
        order: crate::options::Order::Asc,
        now_ms: 0,
        week_start: chrono::Weekday::Mon,
        blocks: crate::options::BlocksOptions::default(),
        weekly_card: false,
        quota: Vec::new(),
        by: None,
    };
    let diag = Diagnostics {
        ledger: Some(crate::model::diagnostics::LedgerUse {
            ledger_only_months: ledger_months.iter().map(|s| (*s).to_string()).collect(),
            machines: vec!["dana-laptop".into()],
            ..Default::default()
        }),
        problem_paths: vec!["/home/dana/.claude/projects/x/y.jsonl".into()],
        ..Default::default()
    };
    Report::new(
        Body::Analysis(Box::new(a)),
        &crate::model::Dataset::default(),
        crate::pricing::Pricing::embedded(),
        &opts,
        diag,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::wrapped::ProjectShare;

    #[test]
    fn projects_and_paths_are_cut_unless_asked_for() {
        let w = Wrapped {
            year: 2026,
            top_projects: vec![ProjectShare {
                project: "app".into(),
                project_dir: "-home-dana-code-app".into(),
                cwd: Some("/home/dana/code/app".into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        let r = report_with(w, &["2025-12", "2026-01", "2026-02"]);
        let p = build(&r, Privacy::default()).unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert!(!json.contains("/home/dana"), "{json}");
        assert!(!json.contains("-home-dana"), "{json}");
        assert!(!json.contains("dana-laptop"), "{json}");
        assert_eq!(p.wrapped.top_projects[0].project, "app");
        assert_eq!(p.ledger_only_months, ["2026-01", "2026-02"]);
        assert_eq!(p.privacy.hidden.len(), 2);
        let shown = Privacy {
            show_paths: true,
            show_prompts: false,
        };
        let p = build(&r, shown).unwrap();
        assert_eq!(p.wrapped.top_projects[0].project, "/home/dana/code/app");
        assert_eq!(p.privacy.hidden.len(), 1);
    }
}
