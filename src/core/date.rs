//! Calendar dates as plans use them: `YYYY-MM-DD`, compared as plain values.
//!
//! The core reads no clock; "today" always comes from the caller (the UI or the CLI).

use std::fmt;

/// A calendar date (proleptic Gregorian), ordered chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 1900–2999.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31 (checked against the month).
    pub day: u8,
}

impl Date {
    /// Builds a date; callers in the core use it for the rulebook's fixed dates.
    pub const fn new(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    /// Parses `YYYY-MM-DD`, explaining what is wrong when it does not parse.
    ///
    /// ```
    /// use cen_planner::core::date::Date;
    /// assert_eq!(Date::parse("2019-06-25"), Ok(Date::new(2019, 6, 25)));
    /// assert!(Date::parse("2019-02-30").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Date, String> {
        let text = text.trim();
        let parts: Vec<&str> = text.split('-').collect();
        let bad = || format!("\"{text}\" is not a date: write it as YYYY-MM-DD, for example 2019-06-25");
        if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
            return Err(bad());
        }
        let num = |s: &str| -> Result<u16, String> {
            if s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse::<u16>().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let (year, month, day) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
        if !(1900..=2999).contains(&year) {
            return Err(format!("year {year} is out of range (1900–2999)"));
        }
        if !(1..=12).contains(&month) {
            return Err(format!("month {month} does not exist"));
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if day == 0 || day > days {
            return Err(format!("{text} does not exist: month {month} of {year} has {days} days"));
        }
        Ok(Date::new(year, month as u8, day as u8))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_round_trip() {
        let d = Date::parse("2018-08-01").unwrap();
        assert_eq!(d.to_string(), "2018-08-01");
        assert!(Date::new(2018, 8, 1) < Date::new(2019, 3, 1));
    }

    #[test]
    fn refuses_impossible_and_malformed_dates() {
        assert!(Date::parse("2019-02-29").is_err());
        assert!(Date::parse("2020-02-29").is_ok());
        assert!(Date::parse("2019-13-01").unwrap_err().contains("month 13"));
        assert!(Date::parse("19-1-1").unwrap_err().contains("YYYY-MM-DD"));
        assert!(Date::parse("２０１９-01-01").is_err());
        assert!(Date::parse("").is_err());
    }
}
