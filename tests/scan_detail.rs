//! The two scan depths over the bundled demo history: a usage scan (what the rollups use)
//! and a full scan (what the analyzers use) must agree on every response, and the full
//! scan must find the prompts, tool calls, tool results and sub-agent links the
//! generator wrote.

use ccrecap::model::Dataset;
use ccrecap::model::diagnostics::Diagnostics;
use ccrecap::scan::{Detail, ReadOptions};

fn scan(detail: Detail) -> (Dataset, Diagnostics) {
    let found = ccrecap::demo::discovery(None);
    let opts = ReadOptions {
        max_line: 256 << 20,
        detail,
    };
    let scan = ccrecap::scan::load(&found, opts, Diagnostics::default(), &|_| {});
    (scan.dataset, scan.diagnostics)
}

#[test]
fn usage_and_full_scans_agree_on_responses() {
    let (usage, du) = scan(Detail::Usage);
    let (full, df) = scan(Detail::Full);
    assert_eq!(usage.responses.len(), full.responses.len());
    let tokens = |d: &Dataset| d.responses.iter().map(|r| r.tokens).collect::<Vec<_>>();
    assert_eq!(tokens(&usage), tokens(&full));
    assert_eq!(du.duplicates, df.duplicates);
    assert_eq!(du.skipped_lines, df.skipped_lines);
    assert!(usage.prompts.is_empty() && usage.tool_calls.is_empty());
}

#[test]
fn full_scan_reads_tools_prompts_and_sub_agents() {
    let (full, _) = scan(Detail::Full);
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/demo/manifest.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let want: u64 = manifest["diagnostics"]["tool_uses"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(full.tool_calls.len() as u64, want, "tool calls");
    let agent_calls = full
        .tool_calls
        .iter()
        .filter(|c| full.name(c.name) == "Agent")
        .count();
    // Every run but the workflow agents (which a Workflow call starts) has an Agent call.
    let workflow = manifest["subagents"]["by_layout"]["workflow"]
        .as_u64()
        .unwrap_or(0);
    assert_eq!(
        agent_calls as u64,
        manifest["subagent_runs"].as_u64().unwrap() - workflow
    );
    let linked = full
        .tool_results
        .iter()
        .filter(|r| r.agent_spawned.is_some())
        .count();
    assert_eq!(linked, agent_calls, "Agent results name their sub-agent");
    assert!(full.tool_results.len() >= full.tool_calls.len() - 1);
    // Each call is linked to the result of its own id, and all but the last one have one.
    let results: Vec<_> = full.tool_calls.iter().map(|c| full.result_of(c)).collect();
    for (c, r) in full.tool_calls.iter().zip(&results) {
        assert!(r.is_none_or(|r| r.tool_use_hash == c.id_hash));
    }
    assert!(results.iter().flatten().count() >= full.tool_calls.len() - 1);
    assert!(!full.prompts.is_empty());
    assert!(full.responses.iter().any(|r| r.turn.is_some()));
    assert!(!full.agent_meta.is_empty());
}
