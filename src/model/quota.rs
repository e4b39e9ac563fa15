//! Quota snapshots: what Claude Code's statusline input said about the 5-hour and 7-day
//! windows at one instant (`rate_limits`). Plain values; `live::snapshots` keeps them in
//! the state file, `analyze::quota` reads them.

use serde::{Deserialize, Serialize};

/// One window as Claude Code reported it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct WindowUse {
    /// 0–100.
    pub used_percentage: f64,
    /// When the window resets, epoch seconds.
    pub resets_at: i64,
}

/// Both windows at one instant (either may be missing).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuotaSnapshot {
    /// When it was seen, epoch seconds.
    pub at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub five_hour: Option<WindowUse>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seven_day: Option<WindowUse>,
}

impl QuotaSnapshot {
    /// Whether `other` says the same about both windows (the time aside).
    pub fn same_values(&self, other: &QuotaSnapshot) -> bool {
        self.five_hour == other.five_hour && self.seven_day == other.seven_day
    }
}
