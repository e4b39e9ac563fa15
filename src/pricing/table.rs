//! The price-table file format (`prices.json` or a user-supplied file of the same shape), its
//! validation, and the normalisation of model ids into lookup keys. Pure data: no I/O here,
//! and nothing that computes a cost.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The whole price file, as written on disk.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriceFile {
    /// The date the table was last checked against its sources (YYYY-MM-DD).
    pub as_of: String,
    /// Always "USD".
    pub currency: String,
    /// Always "per million tokens".
    pub unit: String,
    #[serde(default)]
    pub sources: Vec<Source>,
    pub models: Vec<ModelPrice>,
}

/// Where some of the table's numbers come from.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The five rates of one model, in USD per million tokens.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rates {
    pub input: f64,
    pub output: f64,
    pub cache_write_5m: f64,
    pub cache_write_1h: f64,
    pub cache_read: f64,
}

/// One model's prices. Every rate is stated explicitly, never derived from a multiplier.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModelPrice {
    /// Canonical API id without a date suffix, e.g. "claude-sonnet-4-5".
    pub id: String,
    /// "opus", "sonnet", "haiku", or another family name such as "fable".
    pub family: String,
    /// "premium", "standard" or "small".
    pub tier: String,
    /// Other ids that resolve to this entry (dated snapshots, old-style names).
    #[serde(default)]
    pub aliases: Vec<String>,
    pub input: f64,
    pub output: f64,
    pub cache_write_5m: f64,
    pub cache_write_1h: f64,
    pub cache_read: f64,
    /// Rates for a whole request whose prompt is over the threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub long_context: Option<LongContext>,
    /// Cost multiplier for responses served in fast mode (`<model>-fast` labels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fast_multiplier: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// The long-context (prompt-length) tier of a model.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LongContext {
    /// A request whose prompt (input + cache writes + cache reads) is strictly greater than
    /// this is billed at these rates for all of its tokens.
    pub threshold_tokens: u64,
    pub input: f64,
    pub output: f64,
    pub cache_write_5m: f64,
    pub cache_write_1h: f64,
    pub cache_read: f64,
}

impl ModelPrice {
    /// The standard (below-threshold) rates.
    pub fn rates(&self) -> Rates {
        Rates {
            input: self.input,
            output: self.output,
            cache_write_5m: self.cache_write_5m,
            cache_write_1h: self.cache_write_1h,
            cache_read: self.cache_read,
        }
    }

    /// The fast-mode multiplier, 1.0 when the table states none.
    pub fn fast_multiplier(&self) -> f64 {
        self.fast_multiplier.unwrap_or(1.0)
    }
}

impl LongContext {
    pub fn rates(&self) -> Rates {
        Rates {
            input: self.input,
            output: self.output,
            cache_write_5m: self.cache_write_5m,
            cache_write_1h: self.cache_write_1h,
            cache_read: self.cache_read,
        }
    }
}

/// Why a price file was rejected.
#[derive(Debug, thiserror::Error)]
pub enum PricingError {
    #[error("price table is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("invalid price table: {0}")]
    Invalid(String),
}

fn invalid(msg: String) -> PricingError {
    PricingError::Invalid(msg)
}

fn check_rates(id: &str, what: &str, r: Rates) -> Result<(), PricingError> {
    let all = [
        ("input", r.input),
        ("output", r.output),
        ("cache_write_5m", r.cache_write_5m),
        ("cache_write_1h", r.cache_write_1h),
        ("cache_read", r.cache_read),
    ];
    for (name, v) in all {
        if !v.is_finite() || v < 0.0 {
            return Err(invalid(format!(
                "{id}: {what}{name} must be a finite, non-negative number, got {v}"
            )));
        }
    }
    Ok(())
}

/// Parses and validates a price file, and builds the lookup index (lower-cased id and
/// alias -> position in `models`).
pub fn parse(text: &str) -> Result<(PriceFile, HashMap<String, usize>), PricingError> {
    let file: PriceFile = serde_json::from_str(text)?;
    if file.currency != "USD" {
        return Err(invalid(format!(
            "currency must be \"USD\", got {:?}",
            file.currency
        )));
    }
    if file.unit != "per million tokens" {
        return Err(invalid(format!(
            "unit must be \"per million tokens\", got {:?}",
            file.unit
        )));
    }
    if file.as_of.trim().is_empty() {
        return Err(invalid("as_of must not be empty".to_string()));
    }
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, m) in file.models.iter().enumerate() {
        check_rates(&m.id, "", m.rates())?;
        if let Some(lc) = &m.long_context {
            check_rates(&m.id, "long_context.", lc.rates())?;
            if lc.threshold_tokens == 0 {
                return Err(invalid(format!(
                    "{}: long_context.threshold_tokens must be > 0",
                    m.id
                )));
            }
        }
        if let Some(f) = m.fast_multiplier
            && (!f.is_finite() || f <= 0.0)
        {
            return Err(invalid(format!(
                "{}: fast_multiplier must be > 0, got {f}",
                m.id
            )));
        }
        for key in std::iter::once(&m.id).chain(&m.aliases) {
            let k = key.trim().to_ascii_lowercase();
            if k.is_empty() || k.ends_with("-fast") || k == "<synthetic>" {
                return Err(invalid(format!("{}: unusable id or alias {key:?}", m.id)));
            }
            if let Some(&j) = index.get(&k) {
                let other = &file.models[j].id;
                return Err(invalid(format!(
                    "{key:?} is listed by both {other} and {}",
                    m.id
                )));
            }
            index.insert(k, i);
        }
    }
    Ok((file, index))
}

/// A model label reduced to the forms worth looking up, most specific first.
#[derive(Debug, PartialEq)]
pub struct Key {
    pub candidates: Vec<String>,
    /// The label carried a `-fast` suffix.
    pub fast: bool,
}

/// Normalises a model label: lower-cases it; drops a provider path (`bedrock/...`,
/// `anthropic/...`, an ARN) and a Bedrock `anthropic.` or `<region>.anthropic.` prefix;
/// turns dotted versions (`claude-opus-4.5`) into the API's dashed form; then repeatedly
/// strips `[1m]`, `-fast`, a Vertex `@...` suffix, a Bedrock `-v1:0` / `-v1` suffix,
/// `-latest` and a `-YYYYMMDD` date. The label before stripping and after each round is a
/// candidate, so exact ids and dated aliases match before their stripped forms do.
pub fn normalize(model: &str) -> Key {
    let mut s = model.trim().to_ascii_lowercase();
    if let Some(pos) = s.rfind('/') {
        s = s[pos + 1..].to_string();
    }
    s = strip_bedrock_prefix(&s).to_string();
    s = dashed_versions(&s);
    let mut candidates = vec![s.clone()];
    let mut fast = false;
    loop {
        let before = s.len();
        if let Some(r) = s.strip_suffix("[1m]") {
            s.truncate(r.len());
        }
        if let Some(r) = s.strip_suffix("-fast") {
            s.truncate(r.len());
            fast = true;
        }
        if let Some(at) = s.find('@') {
            s.truncate(at);
        }
        if let Some(n) = bedrock_version_suffix_len(&s) {
            s.truncate(s.len() - n);
        }
        if let Some(r) = s.strip_suffix("-latest") {
            s.truncate(r.len());
        }
        if let Some(n) = date_suffix_len(&s) {
            s.truncate(s.len() - n);
        }
        if s.len() == before {
            break;
        }
        candidates.push(s.clone());
    }
    Key { candidates, fast }
}

/// `anthropic.claude-...` and `us.anthropic.claude-...` (any region word) lose the prefix.
fn strip_bedrock_prefix(s: &str) -> &str {
    if let Some(r) = s.strip_prefix("anthropic.") {
        return r;
    }
    match s.split_once('.') {
        Some((region, rest))
            if !region.is_empty() && region.bytes().all(|b| b.is_ascii_lowercase()) =>
        {
            rest.strip_prefix("anthropic.").unwrap_or(s)
        }
        _ => s,
    }
}

/// `claude-opus-4.5` -> `claude-opus-4-5`: a dot between two digits becomes a dash.
fn dashed_versions(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        let between_digits = c == '.'
            && i > 0
            && b[i - 1].is_ascii_digit()
            && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        out.push(if between_digits { '-' } else { c });
    }
    out
}

/// Length of a trailing `-v<digits>` or `-v<digits>:<digits>` (Bedrock), if any.
fn bedrock_version_suffix_len(s: &str) -> Option<usize> {
    let pos = s.rfind("-v")?;
    let tail = &s[pos + 2..];
    let (major, minor) = match tail.split_once(':') {
        Some((a, b)) => (a, Some(b)),
        None => (tail, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    (digits(major) && minor.is_none_or(digits)).then_some(s.len() - pos)
}

/// Length of a trailing `-YYYYMMDD`, if any.
pub fn date_suffix_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.len() < 9 {
        return None;
    }
    let tail = &b[b.len() - 9..];
    (tail[0] == b'-' && tail[1..].iter().all(u8::is_ascii_digit)).then_some(9)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last(model: &str) -> (String, bool) {
        let k = normalize(model);
        (k.candidates.last().unwrap().clone(), k.fast)
    }

    #[test]
    fn normalize_strips_every_decoration() {
        let cases = [
            ("claude-sonnet-4-5", "claude-sonnet-4-5", false),
            ("Claude-Sonnet-4-5-20250929", "claude-sonnet-4-5", false),
            ("claude-sonnet-4-5@20250929", "claude-sonnet-4-5", false),
            (
                "anthropic.claude-sonnet-4-5-20250929-v1:0",
                "claude-sonnet-4-5",
                false,
            ),
            (
                "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "claude-sonnet-4-5",
                false,
            ),
            (
                "global.anthropic.claude-opus-4-6-v1",
                "claude-opus-4-6",
                false,
            ),
            (
                "anthropic.claude-3-5-sonnet-20241022-v2:0",
                "claude-3-5-sonnet",
                false,
            ),
            (
                "bedrock/apac.anthropic.claude-haiku-4-5-20251001-v1:0",
                "claude-haiku-4-5",
                false,
            ),
            ("anthropic/claude-opus-4.5", "claude-opus-4-5", false),
            ("claude-sonnet-5-5[1m]", "claude-sonnet-5-5", false),
            ("claude-opus-4-6-fast", "claude-opus-4-6", true),
            ("claude-opus-4-6[1m]-fast", "claude-opus-4-6", true),
            ("claude-3-7-sonnet-latest", "claude-3-7-sonnet", false),
            ("claude-fable-5.1@eu", "claude-fable-5-1", false),
        ];
        for (input, want, fast) in cases {
            assert_eq!(last(input), (want.to_string(), fast), "{input}");
        }
    }

    #[test]
    fn normalize_keeps_the_exact_form_first() {
        let k = normalize("claude-sonnet-4-5-20250929");
        assert_eq!(
            k.candidates,
            ["claude-sonnet-4-5-20250929", "claude-sonnet-4-5"]
        );
    }

    #[test]
    fn suffix_helpers_reject_near_misses() {
        assert_eq!(date_suffix_len("claude-x-2025092"), None);
        assert_eq!(date_suffix_len("claude-x-20250929"), Some(9));
        assert_eq!(bedrock_version_suffix_len("claude-x-v1:0"), Some(5));
        assert_eq!(bedrock_version_suffix_len("claude-x-v"), None);
        assert_eq!(bedrock_version_suffix_len("claude-x-v1:"), None);
        assert_eq!(strip_bedrock_prefix("eu.anthropic.claude-x"), "claude-x");
        assert_eq!(
            strip_bedrock_prefix("claude-3.anthropic.x"),
            "claude-3.anthropic.x"
        );
        assert_eq!(
            dashed_versions("us.claude-3.5-sonnet"),
            "us.claude-3-5-sonnet"
        );
    }

    #[test]
    fn parse_rejects_bad_tables() {
        let base = |models: &str| {
            format!(
                r#"{{"as_of":"2026-11-21","currency":"USD","unit":"per million tokens","models":[{models}]}}"#
            )
        };
        let m = |id: &str, input: &str| {
            format!(
                r#"{{"id":"{id}","family":"x","tier":"x","input":{input},"output":1,"cache_write_5m":1,"cache_write_1h":1,"cache_read":1}}"#
            )
        };
        assert!(parse(&base(&m("a", "1"))).is_ok());
        assert!(parse(&base(&format!("{},{}", m("a", "1"), m("A", "2")))).is_err());
        assert!(parse(&base(&m("a", "-1"))).is_err());
        assert!(parse(&base(&m("a-fast", "1"))).is_err());
        assert!(parse(&base(&m("a", "1")).replace("USD", "EUR")).is_err());
        assert!(parse(&base(&m("a", "1")).replace("\"tier\"", "\"tyer\"")).is_err());
        assert!(matches!(parse("{"), Err(PricingError::Json(_))));
    }
}
