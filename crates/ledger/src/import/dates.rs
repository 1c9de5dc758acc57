//! The date forms office sheets hold: ISO and slashed dates, dotted dates, `2025年3月3日`,
//! two-digit years (`25-3-3` is 2025), eight digits (`20250303`), a date with a time
//! after it (`2025-03-03 09:30`), and Excel serial numbers (`45719` = 2025-03-03, the
//! 1900 date system that Excel and WPS write).

use chrono::{Days, NaiveDate};

use super::Cell;

/// The first serial that is a real date we accept (1990-01-01): a smaller number in a
/// date column is a count or a typo, not a date.
const SERIAL_MIN: f64 = 32_874.0;
/// 2099-12-31.
const SERIAL_MAX: f64 = 73_050.0;

/// The date an Excel serial number stands for (1900 date system; serials after
/// 1900-02-28, which is all we accept).
pub fn from_serial(serial: f64) -> Option<NaiveDate> {
    if !(SERIAL_MIN..=SERIAL_MAX).contains(&serial) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_days(Days::new(serial.floor() as u64))
}

/// A two-digit year: `00`–`69` are 2000–2069, `70`–`99` are 1970–1999.
fn full_year(y: i32, digits: usize) -> i32 {
    if digits <= 2 {
        if y < 70 { 2000 + y } else { 1900 + y }
    } else {
        y
    }
}

/// A date written as text, in any of the forms of the module docs.
pub fn parse_text(text: &str) -> Option<NaiveDate> {
    let t: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '／' | '－' | '．' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    if t.is_empty() {
        return None;
    }
    // A time after the date.
    let t = t
        .split(|c: char| c.is_whitespace() || c == 'T')
        .next()
        .unwrap_or("");
    let digits_only = t.chars().all(|c| c.is_ascii_digit());
    if digits_only {
        if t.len() == 8 {
            let y = t[..4].parse().ok()?;
            let m = t[4..6].parse().ok()?;
            let d = t[6..].parse().ok()?;
            return NaiveDate::from_ymd_opt(y, m, d);
        }
        if t.len() == 5 {
            return from_serial(t.parse().ok()?);
        }
        return None;
    }
    if let Ok(x) = t.parse::<f64>() {
        // `45719.0`, `45719.375` (a date with a time) as text.
        return from_serial(x);
    }
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 || !parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    if parts[0].len() > 4 || parts[1].len() > 2 || parts[2].len() > 2 {
        return None;
    }
    let y = full_year(parts[0].parse().ok()?, parts[0].len());
    NaiveDate::from_ymd_opt(y, parts[1].parse().ok()?, parts[2].parse().ok()?)
}

/// The date in a cell: a date cell, a serial number or text.
pub fn parse_cell(cell: &Cell) -> Option<NaiveDate> {
    match cell {
        Cell::Empty => None,
        Cell::Date(d) => Some(*d),
        Cell::Number(n) => from_serial(*n),
        Cell::Text(t) => parse_text(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn office_forms() {
        for (text, want) in [
            ("2025-03-03", d(2025, 3, 3)),
            ("2025/3/3", d(2025, 3, 3)),
            ("2025.3.3", d(2025, 3, 3)),
            ("2025年3月3日", d(2025, 3, 3)),
            ("25-3-3", d(2025, 3, 3)),
            ("25/03/03", d(2025, 3, 3)),
            ("99.12.31", d(1999, 12, 31)),
            ("20250303", d(2025, 3, 3)),
            ("2025-03-03 09:30:00", d(2025, 3, 3)),
            ("２０２５年３月３日", d(2025, 3, 3)),
            ("45719", d(2025, 3, 3)),
            ("45719.5", d(2025, 3, 3)),
        ] {
            assert_eq!(parse_text(text), Some(want), "{text}");
        }
        for bad in [
            "",
            "2025-13-01",
            "2025-02-30",
            "三月三日",
            "12",
            "2025-3",
            "是",
        ] {
            assert_eq!(parse_text(bad), None, "{bad}");
        }
    }

    #[test]
    fn excel_serials() {
        assert_eq!(from_serial(45_719.0), Some(d(2025, 3, 3)));
        assert_eq!(from_serial(36_526.0), Some(d(2000, 1, 1)));
        assert_eq!(from_serial(3.0), None);
        assert_eq!(parse_cell(&Cell::Number(45_658.0)), Some(d(2025, 1, 1)));
    }
}
