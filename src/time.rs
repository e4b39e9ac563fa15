//! Calendar and time-zone arithmetic: the zone dates are counted in, the local date (and
//! hour) of an instant, the instant a local day starts, the inclusive date window and its
//! bounds in milliseconds, the first day of a week, and `Timestamp`, the instant reports
//! carry (written in RFC 3339 form only when a report is serialized or shown).
//! Instants are milliseconds since the Unix epoch, UTC (`model::Millis`). It reads the
//! environment only for the system zone's name (`TZ`); it knows nothing about
//! transcripts.

use crate::model::Millis;
use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc, Weekday};
use serde::{Serialize, Serializer};
use std::fmt;

/// A time zone: the system's, or a named IANA zone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Zone {
    Local,
    Named(chrono_tz::Tz),
}

impl Zone {
    /// The local calendar date of an instant.
    pub fn date_of(&self, ms: Millis) -> NaiveDate {
        self.local(ms).date()
    }

    /// The local date and time of an instant.
    pub fn local(&self, ms: Millis) -> NaiveDateTime {
        let utc = Utc.timestamp_millis_opt(ms).single().unwrap_or_default();
        match self {
            Zone::Local => utc.with_timezone(&chrono::Local).naive_local(),
            Zone::Named(tz) => utc.with_timezone(tz).naive_local(),
        }
    }

    /// The instant a local date starts at: its first local time that exists (00:00, or
    /// later when a DST change skips midnight).
    pub fn start_of(&self, date: NaiveDate) -> Millis {
        let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        (0..=24 * 4)
            .map(|q| midnight + chrono::Duration::minutes(15 * q))
            .find_map(|naive| self.earliest(naive))
            .unwrap_or(midnight.and_utc().timestamp_millis())
    }

    fn earliest(self, naive: NaiveDateTime) -> Option<Millis> {
        match self {
            Zone::Local => chrono::Local
                .from_local_datetime(&naive)
                .earliest()
                .map(|d| d.timestamp_millis()),
            Zone::Named(tz) => tz
                .from_local_datetime(&naive)
                .earliest()
                .map(|d| d.timestamp_millis()),
        }
    }

    /// The zone `name` names (an IANA name, as reports carry it); the system's for any
    /// other name ("local").
    pub fn from_name(name: &str) -> Zone {
        name.parse().map_or(Zone::Local, Zone::Named)
    }

    /// A local date and time to the minute: `2026-11-15 08:30`.
    pub fn minute(&self, ms: Millis) -> String {
        self.local(ms).format("%Y-%m-%d %H:%M").to_string()
    }

    /// The zone's IANA name (for the system zone, `TZ` when it names one, else "local").
    pub fn name(&self) -> String {
        match self {
            Zone::Local => std::env::var("TZ")
                .ok()
                .filter(|s| !s.is_empty() && !s.starts_with(':'))
                .unwrap_or_else(|| "local".to_string()),
            Zone::Named(tz) => tz.name().to_string(),
        }
    }
}

/// `Zone::date_of` for instants that mostly arrive in time order: remembers the bounds of
/// the last local day it computed, so a run of same-day instants costs two comparisons.
#[derive(Clone, Debug)]
pub struct LocalDays {
    zone: Zone,
    /// The cached day covers `lo..hi`.
    lo: Millis,
    hi: Millis,
    date: NaiveDate,
}

impl LocalDays {
    pub fn new(zone: Zone) -> Self {
        LocalDays {
            zone,
            lo: 0,
            hi: 0,
            date: NaiveDate::default(),
        }
    }

    pub fn date_of(&mut self, ms: Millis) -> NaiveDate {
        if self.lo <= ms && ms < self.hi {
            return self.date;
        }
        let date = self.zone.date_of(ms);
        let lo = self.zone.start_of(date);
        let hi = date
            .succ_opt()
            .map_or(Millis::MAX, |n| self.zone.start_of(n));
        if lo <= ms && ms < hi {
            (self.lo, self.hi, self.date) = (lo, hi, date);
        }
        date
    }
}

/// Where an instant falls on the local clock: its date, weekday (Monday = 0) and hour.
pub type ClockHour = (NaiveDate, usize, usize);

/// Local date, weekday and hour of instants, converted once per local hour.
#[derive(Clone, Debug)]
pub struct LocalHours {
    zone: Zone,
    lo: Millis,
    hi: Millis,
    at: ClockHour,
}

impl LocalHours {
    pub fn new(zone: Zone) -> Self {
        LocalHours {
            zone,
            lo: 0,
            hi: 0,
            at: (NaiveDate::default(), 0, 0),
        }
    }

    pub fn at(&mut self, ms: Millis) -> ClockHour {
        if !(self.lo <= ms && ms < self.hi) {
            let local = self.zone.local(ms);
            let into_hour = i64::from(local.minute()) * 60_000
                + i64::from(local.second()) * 1000
                + ms.rem_euclid(1000);
            self.lo = ms - into_hour;
            self.hi = self.lo + 3_600_000;
            self.at = (
                local.date(),
                local.weekday().num_days_from_monday() as usize,
                local.hour() as usize,
            );
        }
        self.at
    }
}

/// The inclusive date window (local dates); `None` ends are open.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Window {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

/// A window as instants: `[lo, hi)` in ms.
pub type Bounds = (Millis, Millis);

impl Window {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.since.is_none_or(|s| d >= s) && self.until.is_none_or(|u| d <= u)
    }

    /// The window as `[lo, hi)` in `zone`, or None when it is open at both ends (then
    /// undated records belong to it too).
    pub fn bounds(&self, zone: Zone) -> Option<Bounds> {
        if self.since.is_none() && self.until.is_none() {
            return None;
        }
        let lo = self.since.map_or(Millis::MIN, |d| zone.start_of(d));
        let hi = self
            .until
            .and_then(|d| d.succ_opt())
            .map_or(Millis::MAX, |d| zone.start_of(d));
        Some((lo, hi))
    }
}

/// Whether a record's time falls in a window's bounds (undated: only in an open window).
pub fn in_bounds(bounds: Option<Bounds>, ts: Option<Millis>) -> bool {
    match (bounds, ts) {
        (None, _) => true,
        (Some((lo, hi)), Some(t)) => lo <= t && t < hi,
        (Some(_), None) => false,
    }
}

/// The first day of the week containing `d`.
pub fn week_start(d: NaiveDate, start: Weekday) -> NaiveDate {
    let back = (7 + i64::from(d.weekday().num_days_from_sunday())
        - i64::from(start.num_days_from_sunday()))
        % 7;
    d - chrono::Duration::days(back)
}

/// An instant as `2026-11-13T08:00:00.000Z`.
pub fn iso_ms(ms: Millis) -> String {
    Timestamp(ms).to_string()
}

/// An instant a report carries: milliseconds since the epoch, UTC. It is written (JSON,
/// `Display`) as `2026-11-13T08:00:00.000Z`; renderers pick other forms with `utc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub Millis);

impl Timestamp {
    /// The UTC date and time.
    pub fn utc(self) -> NaiveDateTime {
        chrono::DateTime::from_timestamp_millis(self.0)
            .unwrap_or_default()
            .naive_utc()
    }
}

impl From<Millis> for Timestamp {
    fn from(ms: Millis) -> Timestamp {
        Timestamp(ms)
    }
}

impl fmt::Display for Timestamp {
    /// Written digit by digit: the full report carries tens of thousands of instants, and
    /// chrono's `format` parses its pattern again for each. Years outside 0–9999 (which
    /// chrono writes with a sign) go through chrono.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.utc();
        let Some(year) = u32::try_from(t.year()).ok().filter(|&y| y <= 9999) else {
            return write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%S%.3fZ"));
        };
        let mut out = *b"0000-00-00T00:00:00.000Z";
        let mut put = |at: usize, width: usize, mut v: u32| {
            for k in (at..at + width).rev() {
                out[k] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(0, 4, year);
        put(5, 2, t.month());
        put(8, 2, t.day());
        put(11, 2, t.hour());
        put(14, 2, t.minute());
        put(17, 2, t.second());
        put(20, 3, t.nanosecond() / 1_000_000);
        f.write_str(std::str::from_utf8(&out).map_err(|_| fmt::Error)?)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Serializes a local date, or `"undated"` for records without a time
/// (`#[serde(serialize_with = "time::date_or_undated")]`).
pub fn date_or_undated<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => d.serialize(s),
        None => s.serialize_str("undated"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(s: &str) -> Millis {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn instants_are_written_as_chrono_writes_them() {
        let chrono_way =
            |ms: Millis| format!("{}", Timestamp(ms).utc().format("%Y-%m-%dT%H:%M:%S%.3fZ"));
        let mut ms: Millis = -62_200_000_000_000;
        while ms < 260_000_000_000_000 {
            assert_eq!(Timestamp(ms).to_string(), chrono_way(ms), "{ms}");
            ms += 7_919_999_993;
        }
        for ms in [
            0,
            -1,
            999,
            1_000,
            253_402_300_799_999,
            253_402_300_800_000,
            i64::MAX,
        ] {
            assert_eq!(Timestamp(ms).to_string(), chrono_way(ms), "{ms}");
        }
        assert_eq!(iso_ms(1_763_020_800_007), "2025-11-13T08:00:00.007Z");
    }

    #[test]
    fn weeks_start_on_the_chosen_day() {
        assert_eq!(week_start(d("2026-11-13"), Weekday::Sun), d("2026-11-08"));
        assert_eq!(week_start(d("2026-11-08"), Weekday::Sun), d("2026-11-08"));
        assert_eq!(week_start(d("2026-11-08"), Weekday::Mon), d("2026-11-02"));
    }

    #[test]
    fn zones_convert_dates() {
        let ms = at("2026-11-15T23:30:00Z");
        assert_eq!(Zone::Named(chrono_tz::UTC).date_of(ms), d("2026-11-15"));
        let berlin = Zone::Named("Europe/Berlin".parse().unwrap());
        assert_eq!(berlin.date_of(ms), d("2026-11-16"));
        assert_eq!(berlin.start_of(d("2026-11-16")), at("2026-11-15T23:00:00Z"));
    }

    #[test]
    fn days_start_at_the_first_local_time_that_exists() {
        // Santiago skipped 00:00–01:00 on 2024-09-08.
        let santiago = Zone::Named("America/Santiago".parse().unwrap());
        let start = santiago.start_of(d("2024-09-08"));
        assert_eq!(start, at("2024-09-08T04:00:00Z"));
        assert_eq!(santiago.date_of(start), d("2024-09-08"));
        assert_eq!(santiago.date_of(start - 1), d("2024-09-07"));
    }

    #[test]
    fn cached_days_and_hours_agree_with_direct_conversion() {
        for zone in ["UTC", "Europe/Berlin", "America/Santiago", "Asia/Kolkata"] {
            let zone = Zone::Named(zone.parse().unwrap());
            let mut days = LocalDays::new(zone);
            let mut hours = LocalHours::new(zone);
            let start = at("2024-03-25T00:00:00Z");
            for i in 0..2_000 {
                let ms = start + i * 37 * 60_000 * 7;
                assert_eq!(days.date_of(ms), zone.date_of(ms), "{zone:?} {ms}");
                let local = zone.local(ms);
                assert_eq!(hours.at(ms).2, local.hour() as usize, "{zone:?} {ms}");
            }
            assert_eq!(days.date_of(start), zone.date_of(start));
        }
    }

    #[test]
    fn windows_bound_local_days() {
        let utc = Zone::Named(chrono_tz::UTC);
        let w = Window {
            since: Some(d("2026-11-15")),
            until: Some(d("2026-11-15")),
        };
        let b = w.bounds(utc);
        assert_eq!(
            b,
            Some((at("2026-11-15T00:00:00Z"), at("2026-11-16T00:00:00Z")))
        );
        assert!(in_bounds(b, Some(at("2026-11-15T23:59:59Z"))));
        assert!(!in_bounds(b, None));
        assert!(in_bounds(Window::default().bounds(utc), None));
        assert_eq!(
            iso_ms(at("2026-11-13T08:00:00Z")),
            "2026-11-13T08:00:00.000Z"
        );
    }
}
