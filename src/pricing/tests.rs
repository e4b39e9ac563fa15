use super::*;

fn p() -> &'static Pricing {
    Pricing::embedded()
}

fn t(input: u64, output: u64, cache_read: u64, cache_write_5m: u64, cache_write_1h: u64) -> Tokens {
    Tokens {
        input,
        output,
        cache_read,
        cache_write_5m,
        cache_write_1h,
    }
}

#[track_caller]
fn close(got: f64, want: f64) {
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1e-6),
        "got {got}, want {want}"
    );
}

fn rates_of(model: &str) -> [f64; 5] {
    let r = p()
        .resolve(model)
        .unwrap_or_else(|| panic!("{model} is unpriced"))
        .price;
    [
        r.input,
        r.cache_write_5m,
        r.cache_write_1h,
        r.cache_read,
        r.output,
    ]
}

#[test]
fn embedded_table_parses_with_its_metadata() {
    let table = Pricing::from_json(EMBEDDED_JSON).expect("prices.json parses");
    assert_eq!(table.as_of(), "2026-11-21");
    assert_eq!(p().as_of(), "2026-11-21");
    assert_eq!(p().currency(), "USD");
    assert!(p().sources().len() >= 3);
    assert_eq!(p().models().len(), 25);
}

/// Every row of §7.2, as [input, 5m write, 1h write, cache read, output].
#[test]
fn every_documented_model_resolves_to_its_published_rates() {
    let rows: &[(&str, [f64; 5])] = &[
        ("claude-opus-4-5-20251101", [5.0, 6.25, 10.0, 0.5, 25.0]),
        ("claude-opus-4-6", [5.0, 6.25, 10.0, 0.5, 25.0]),
        ("claude-opus-4-7", [5.0, 6.25, 10.0, 0.5, 25.0]),
        ("claude-opus-4-8", [5.0, 6.25, 10.0, 0.5, 25.0]),
        ("claude-opus-4-1-20250805", [15.0, 18.75, 30.0, 1.5, 75.0]),
        ("claude-opus-4-20250514", [15.0, 18.75, 30.0, 1.5, 75.0]),
        ("claude-sonnet-4-6", [3.0, 3.75, 6.0, 0.3, 15.0]),
        ("claude-sonnet-4-5-20250929", [3.0, 3.75, 6.0, 0.3, 15.0]),
        ("claude-sonnet-4-20250514", [3.0, 3.75, 6.0, 0.3, 15.0]),
        ("claude-3-7-sonnet-20250219", [3.0, 3.75, 6.0, 0.3, 15.0]),
        ("claude-3-5-sonnet-20241022", [3.0, 3.75, 6.0, 0.3, 15.0]),
        ("claude-3-sonnet-20240229", [3.0, 3.75, 6.0, 0.3, 15.0]),
        ("claude-haiku-4-5-20251001", [1.0, 1.25, 2.0, 0.1, 5.0]),
        ("claude-3-5-haiku-20241022", [0.8, 1.0, 1.6, 0.08, 4.0]),
        ("claude-3-opus-20240229", [15.0, 18.75, 30.0, 1.5, 75.0]),
        ("claude-3-haiku-20240307", [0.25, 0.3, 0.5, 0.03, 1.25]),
        ("claude-fable-5-1", [10.0, 12.5, 20.0, 0.25, 50.0]),
        ("claude-mythos-5-1", [10.0, 12.5, 20.0, 0.25, 50.0]),
        ("claude-fable-5", [10.0, 12.5, 20.0, 1.0, 50.0]),
        ("claude-mythos-5", [10.0, 12.5, 20.0, 1.0, 50.0]),
        ("claude-opus-5", [5.0, 6.25, 10.0, 0.5, 25.0]),
        ("claude-opus-5-5", [4.0, 5.0, 8.0, 0.2, 20.0]),
        ("claude-sonnet-5", [2.0, 2.5, 4.0, 0.2, 10.0]),
        ("claude-sonnet-5-5", [2.0, 2.5, 4.0, 0.1, 10.0]),
        ("claude-haiku-5-5", [0.1, 0.125, 0.2, 0.01, 0.5]),
    ];
    for (model, want) in rows {
        assert_eq!(&rates_of(model), want, "{model}");
    }
    // Every table entry is covered above.
    assert_eq!(rows.len(), p().models().len());
}

#[test]
fn every_id_and_alias_resolves_to_its_own_entry() {
    for m in p().models() {
        for key in std::iter::once(&m.id).chain(&m.aliases) {
            let r = p()
                .resolve(key)
                .unwrap_or_else(|| panic!("{key} does not resolve"));
            assert_eq!(r.price.id, m.id, "{key}");
            assert!(!r.fast);
        }
    }
}

#[test]
fn decorated_forms_resolve_to_the_same_price() {
    let forms = [
        "claude-sonnet-4-5",
        "claude-sonnet-4-5-20250929",
        "claude-sonnet-4-5@20250929",
        "anthropic.claude-sonnet-4-5-20250929-v1:0",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "apac.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "claude-sonnet-4-5[1m]",
        "claude-sonnet-4-5-20250929[1m]",
        "CLAUDE-SONNET-4-5",
        " claude-sonnet-4-5 ",
    ];
    for f in forms {
        let r = p()
            .resolve(f)
            .unwrap_or_else(|| panic!("{f} does not resolve"));
        assert_eq!(r.price.id, "claude-sonnet-4-5", "{f}");
        assert!(!r.fast, "{f}");
    }
    for f in [
        "claude-sonnet-5-5[1m]",
        "claude-haiku-5-5[1m]",
        "anthropic.claude-haiku-5-5",
    ] {
        assert!(p().is_priced(f), "{f}");
    }
    assert_eq!(
        p().resolve("claude-3-7-sonnet-latest").unwrap().price.id,
        "claude-3-7-sonnet"
    );
    assert_eq!(
        p().resolve("anthropic.claude-3-5-sonnet-20241022-v2:0")
            .unwrap()
            .price
            .id,
        "claude-3-5-sonnet"
    );
    let fast = p().resolve("claude-opus-4-6-fast").unwrap();
    assert_eq!(fast.price.id, "claude-opus-4-6");
    assert!(fast.fast);
    assert!(p().resolve("claude-opus-4-6[1m]-fast").unwrap().fast);
}

#[test]
fn unknown_models_are_unpriced_never_zero() {
    for m in [
        "<synthetic>",
        "",
        "claude-opus-9",
        "gpt-5",
        "claude-sonnet-4-5-turbo",
        "sonnet",
        "claude-haiku-6-fast",
    ] {
        assert!(p().resolve(m).is_none(), "{m}");
        assert!(!p().is_priced(m), "{m}");
        assert_eq!(
            p().cost(m, &t(1000, 1000, 0, 0, 0), &Tokens::default()),
            None,
            "{m}"
        );
        assert!(!p().is_long_context(m, &t(900_000, 0, 0, 0, 0)), "{m}");
    }
}

/// §5.4: ccusage priced this synthetic Sonnet 4.5 message at $0.01053, with the 1,000
/// `ephemeral_1h` write tokens at the 1-hour rate.
#[test]
fn ccusage_golden_sonnet_4_5_with_one_hour_writes() {
    let msg = t(10, 200, 5000, 0, 1000);
    close(
        p().cost("claude-sonnet-4-5-20250929", &msg, &Tokens::default())
            .unwrap(),
        0.01053,
    );
    close(
        p().request_cost("claude-sonnet-4-5-20250929", &msg)
            .unwrap(),
        0.01053,
    );
    // The same tokens as 5-minute writes would be $0.00828.
    close(
        p().request_cost("claude-sonnet-4-5", &t(10, 200, 5000, 1000, 0))
            .unwrap(),
        0.00828,
    );
}

#[test]
fn opus_4_1_has_no_tier_and_bills_250k_at_15_dollars() {
    let req = t(250_000, 1000, 0, 0, 0);
    assert!(!p().is_long_context("claude-opus-4-1-20250805", &req));
    close(
        p().request_cost("claude-opus-4-1-20250805", &req).unwrap(),
        3.825,
    );
}

#[test]
fn sonnet_4_5_over_200k_bills_the_whole_request_at_the_long_rate() {
    let req = t(250_000, 1000, 0, 0, 0);
    assert!(p().is_long_context("claude-sonnet-4-5-20250929", &req));
    let none = Tokens::default();
    close(
        p().cost("claude-sonnet-4-5-20250929", &none, &req).unwrap(),
        1.5225,
    );
    close(
        p().request_cost("claude-sonnet-4-5-20250929", &req)
            .unwrap(),
        1.5225,
    );
    // Not ccusage's marginal $0.915.
    assert!(p().request_cost("claude-sonnet-4-5", &req).unwrap() > 1.0);
    // Same for Sonnet 4 and for decorated ids.
    close(
        p().request_cost("us.anthropic.claude-sonnet-4-20250514-v1:0", &req)
            .unwrap(),
        1.5225,
    );
    // Cache tokens are billed at the long rates too: 1M reads x $0.60 + 1M 1h writes x $12.
    close(
        p().cost(
            "claude-sonnet-4-5",
            &none,
            &t(0, 0, 1_000_000, 0, 1_000_000),
        )
        .unwrap(),
        12.6,
    );
    // Standard and long parts add up.
    close(
        p().cost("claude-sonnet-4-5", &t(1_000_000, 0, 0, 0, 0), &req)
            .unwrap(),
        3.0 + 1.5225,
    );
}

#[test]
fn long_context_threshold_is_strict_and_counts_cache_tokens() {
    let m = "claude-sonnet-4-5";
    assert!(!p().is_long_context(m, &t(200_000, 50_000, 0, 0, 0)));
    assert!(p().is_long_context(m, &t(200_001, 0, 0, 0, 0)));
    assert!(p().is_long_context(m, &t(1, 0, 150_000, 25_000, 25_000)));
    assert!(!p().is_long_context(m, &t(0, 0, 150_000, 25_000, 25_000)));
}

#[test]
fn haiku_5_5_prompt_length_tier_starts_above_100k() {
    let m = "claude-haiku-5-5";
    let short = t(100_000, 1000, 0, 0, 0);
    let long = t(100_001, 1000, 0, 0, 0);
    assert!(!p().is_long_context(m, &short));
    assert!(p().is_long_context(m, &long));
    close(
        p().request_cost(m, &short).unwrap(),
        (100_000.0 * 0.1 + 1000.0 * 0.5) / 1e6,
    );
    close(
        p().request_cost(m, &long).unwrap(),
        (100_001.0 * 0.5 + 1000.0 * 2.5) / 1e6,
    );
    let lc = p().resolve(m).unwrap().price.long_context.unwrap();
    assert_eq!(lc.threshold_tokens, 100_000);
    assert_eq!(
        [lc.cache_write_5m, lc.cache_write_1h, lc.cache_read],
        [0.625, 1.0, 0.05]
    );
}

/// §7.3: 4.6 models are priced flat (no tier) in this table.
#[test]
fn sonnet_and_opus_4_6_are_flat() {
    let req = t(250_000, 1000, 0, 0, 0);
    for (m, want) in [("claude-sonnet-4-6", 0.765), ("claude-opus-4-6", 1.275)] {
        assert!(!p().is_long_context(m, &req), "{m}");
        assert!(p().resolve(m).unwrap().price.long_context.is_none(), "{m}");
        close(p().request_cost(m, &req).unwrap(), want);
    }
}

#[test]
fn fast_labels_multiply_the_cost() {
    let req = t(1000, 2000, 3000, 400, 500);
    let base = p().request_cost("claude-opus-4-6", &req).unwrap();
    close(
        base,
        (1000.0 * 5.0 + 2000.0 * 25.0 + 3000.0 * 0.5 + 400.0 * 6.25 + 500.0 * 10.0) / 1e6,
    );
    close(
        p().request_cost("claude-opus-4-6-fast", &req).unwrap(),
        base * 6.0,
    );
    close(
        p().request_cost("claude-opus-4-8-fast", &req).unwrap(),
        base * 2.0,
    );
    assert_eq!(
        p().resolve("claude-opus-4-6-fast").unwrap().multiplier(),
        6.0
    );
    assert_eq!(p().resolve("claude-opus-4-6").unwrap().multiplier(), 1.0);
    // No multiplier in the table: 1.0.
    let haiku = p().request_cost("claude-haiku-4-5", &req).unwrap();
    close(
        p().request_cost("claude-haiku-4-5-fast", &req).unwrap(),
        haiku,
    );
    // Fast pricing wins over the long-context tier.
    let big = t(300_000, 0, 0, 0, 0);
    assert!(!p().is_long_context("claude-sonnet-4-5-fast", &big));
    close(
        p().cost("claude-sonnet-4-5-fast", &Tokens::default(), &big)
            .unwrap(),
        0.9,
    );
}

#[test]
fn cost_of_nothing_is_zero_for_a_priced_model() {
    let none = Tokens::default();
    assert_eq!(p().cost("claude-haiku-4-5", &none, &none), Some(0.0));
}

#[test]
fn family_uses_the_table_then_substrings() {
    assert_eq!(p().family("claude-sonnet-4-5-20250929"), Some("sonnet"));
    assert_eq!(p().family("claude-3-5-haiku-20241022"), Some("haiku"));
    assert_eq!(p().family("claude-fable-5-1"), Some("fable"));
    assert_eq!(p().family("claude-opus-9-fast"), Some("opus"));
    assert_eq!(p().family("Claude-Sonnet-7"), Some("sonnet"));
    assert_eq!(p().family("<synthetic>"), None);
    assert_eq!(p().family("gpt-5"), None);
}

#[test]
fn display_name_strips_only_a_date() {
    assert_eq!(
        display_name("claude-sonnet-4-5-20250929"),
        "claude-sonnet-4-5"
    );
    assert_eq!(display_name("claude-opus-4-6"), "claude-opus-4-6");
    assert_eq!(
        display_name("claude-opus-4-1-20250805-fast"),
        "claude-opus-4-1-fast"
    );
    assert_eq!(
        display_name("claude-3-haiku-2024030"),
        "claude-3-haiku-2024030"
    );
    assert_eq!(display_name("<synthetic>"), "<synthetic>");
}

/// Guards against typos in prices.json: explicit cache rates should match the published
/// multipliers (5m = 1.25x, 1h = 2x input; reads at most 0.1x) except where Anthropic
/// publishes rounded numbers (Claude 3 Haiku: $0.30 5-minute write, $0.03 read).
#[test]
fn explicit_rates_agree_with_the_published_multipliers() {
    for m in p().models() {
        let mut rates = vec![m.rates()];
        rates.extend(m.long_context.map(|lc| lc.rates()));
        for r in rates {
            assert!(r.output >= r.input, "{}", m.id);
            if m.id == "claude-3-haiku" {
                continue;
            }
            close(r.cache_write_5m, r.input * 1.25);
            close(r.cache_write_1h, r.input * 2.0);
            assert!(r.cache_read <= r.input * 0.1 + 1e-12, "{}", m.id);
        }
        assert!(
            ["premium", "standard", "small"].contains(&m.tier.as_str()),
            "{}",
            m.id
        );
        assert_eq!(m.id, m.id.to_ascii_lowercase());
        assert!(
            table::date_suffix_len(&m.id).is_none(),
            "{} has a date suffix",
            m.id
        );
    }
}

#[test]
fn override_tables_are_validated() {
    let bad = EMBEDDED_JSON.replacen("\"input\": 10.0", "\"input\": -10.0", 1);
    assert!(Pricing::from_json(&bad).is_err());
    let dup = EMBEDDED_JSON.replacen("\"aliases\": [],", "\"aliases\": [\"claude-opus-4-0\"],", 1);
    assert!(Pricing::from_json(&dup).is_err());
}

#[test]
fn same_generation_siblings() {
    let p = Pricing::embedded();
    assert_eq!(
        p.same_generation("claude-opus-4-6", "sonnet"),
        Some("claude-sonnet-4-6")
    );
    assert_eq!(
        p.same_generation("claude-opus-4-6", "haiku"),
        Some("claude-haiku-4-5")
    );
    assert_eq!(
        p.same_generation("claude-opus-4-1-20250805", "sonnet"),
        Some("claude-sonnet-4-6")
    );
    assert_eq!(
        p.same_generation("claude-3-opus-20240229", "haiku"),
        Some("claude-3-5-haiku")
    );
    assert_eq!(
        p.same_generation("claude-3-opus-20240229", "sonnet"),
        Some("claude-3-7-sonnet")
    );
    assert_eq!(
        p.same_generation("claude-opus-5-5", "haiku"),
        Some("claude-haiku-5-5")
    );
    assert_eq!(p.same_generation("claude-unknown-9", "haiku"), None);
    assert_eq!(p.tier("claude-opus-4-6"), Some("premium"));
    assert_eq!(p.tier("claude-haiku-4-5"), Some("small"));
}
