//! Cell values: exact decimals, never floating point.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

/// The value of a filled cell. Counts are whole numbers; the fee cell may have decimals.
/// Kept as an exact decimal so `110.139` stays `110.139` and sums are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Value(pub Decimal);

impl Value {
    pub fn int(n: i64) -> Self {
        Value(Decimal::from(n))
    }

    /// True for a whole number.
    pub fn is_integer(&self) -> bool {
        self.0.fract().is_zero()
    }

    pub fn is_negative(&self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// The value as an integer, if it is one.
    pub fn as_i64(&self) -> Option<i64> {
        if self.is_integer() {
            i64::try_from(self.0).ok()
        } else {
            None
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

impl std::ops::Add for Value {
    type Output = Value;
    fn add(self, rhs: Value) -> Value {
        Value(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Value {
    type Output = Value;
    fn sub(self, rhs: Value) -> Value {
        Value(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Value {
    fn sum<I: Iterator<Item = Value>>(iter: I) -> Value {
        iter.fold(Value::int(0), |a, b| a + b)
    }
}

/// Parses a printed number: ASCII or full-width digits, an optional sign, one decimal
/// point, thousands separators (`1,234`). Returns `None` for anything else — the caller
/// decides whether the text is a blank marker (`/`, `-`, `—`, `无`) or not a number.
pub fn parse_number(text: &str) -> Option<Value> {
    let mut s = String::with_capacity(text.len());
    for ch in text.trim().chars() {
        let c = match ch {
            '０'..='９' => char::from_u32(ch as u32 - '０' as u32 + '0' as u32)?,
            '．' => '.',
            '－' | '−' => '-',
            '＋' => '+',
            ',' | '，' | ' ' | '\u{3000}' => continue,
            _ => ch,
        };
        s.push(c);
    }
    let body = s.strip_prefix(['-', '+']).unwrap_or(&s);
    if body.is_empty()
        || !body.chars().all(|c| c.is_ascii_digit() || c == '.')
        || body.matches('.').count() > 1
        || body.starts_with('.')
        || body.ends_with('.')
    {
        return None;
    }
    Decimal::from_str(&s).ok().map(Value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_printed_numbers() {
        assert_eq!(parse_number("0"), Some(Value::int(0)));
        assert_eq!(parse_number(" 12 "), Some(Value::int(12)));
        assert_eq!(parse_number("１２"), Some(Value::int(12)));
        assert_eq!(parse_number("1,234"), Some(Value::int(1234)));
        assert_eq!(parse_number("-3"), Some(Value::int(-3)));
        assert_eq!(
            parse_number("110.139").map(|v| v.to_string()),
            Some("110.139".into())
        );
        assert!(!parse_number("1.5").unwrap().is_integer());
    }

    #[test]
    fn rejects_non_numbers() {
        for t in [
            "", "/", "-", "—", "无", "1.2.3", ".5", "5.", "二", "12件", "N/A",
        ] {
            assert_eq!(parse_number(t), None, "{t:?}");
        }
    }
}
