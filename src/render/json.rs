//! JSON output: the report serialized as one pretty-printed document on stdout. Field
//! names are a public contract (ccusage-compatible rows plus `schema_version`,
//! `generator`, `window`, `pricing`, `diagnostics`).

use crate::analyze::Report;
use std::io::Write;

/// Usage reports are pretty-printed like ccusage's; the analyzers' document, which runs
/// to megabytes, is written compact (pipe it through `jq` to read it).
pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    if matches!(report.body, crate::analyze::Body::Analysis(_)) {
        serde_json::to_writer(&mut *out, report).map_err(std::io::Error::from)?;
    } else {
        serde_json::to_writer_pretty(&mut *out, report).map_err(std::io::Error::from)?;
    }
    out.write_all(b"\n")
}
