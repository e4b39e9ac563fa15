//! Number formats of the HTML recap, shared by the chart geometry and the template
//! filters: compact for reading (`42.1M`, `$312.40`, `61%`, `1.2 s`) and exact for
//! `title` attributes (`42,117,230`). Formatting only.

use crate::render::terminal::{money, num, text};

/// 1234 → "1,234".
pub fn exact(n: u64) -> String {
    num(n)
}

/// 12345678 → "12.3M".
pub fn tokens(n: u64) -> String {
    text::short(n)
}

/// 1234.5 → "$1,234.50"; amounts under a cent keep three significant digits.
pub fn usd(v: f64) -> String {
    if v > 0.0 && v < 0.0001 {
        return "<$0.0001".into();
    }
    if v > 0.0 && v < 0.01 {
        return format!("${v:.4}");
    }
    money(v)
}

/// 0.613 → "61%"; under 1% → "0.4%".
pub fn pct(share: f64) -> String {
    let p = share * 100.0;
    if p > 0.0 && p < 1.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

/// Milliseconds → "850 ms", "12.4 s", "3.1 min", "2.5 h".
pub fn duration(ms: i64) -> String {
    let m = ms.max(0) as f64;
    if m < 1000.0 {
        format!("{ms} ms")
    } else if m < 60_000.0 {
        format!("{:.1} s", m / 1e3)
    } else if m < 3_600_000.0 {
        format!("{:.1} min", m / 6e4)
    } else {
        format!("{:.1} h", m / 3.6e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_for_people() {
        assert_eq!(tokens(12_345_678), "12.3M");
        assert_eq!(exact(12_345_678), "12,345,678");
        assert_eq!(usd(312.4), "$312.40");
        assert_eq!(usd(0.0012), "$0.0012");
        assert_eq!(usd(0.000016), "<$0.0001");
        assert_eq!(pct(0.613), "61%");
        assert_eq!(pct(0.004), "0.4%");
        assert_eq!(duration(850), "850 ms");
        assert_eq!(duration(12_400), "12.4 s");
        assert_eq!(duration(5_400_000), "1.5 h");
    }
}
