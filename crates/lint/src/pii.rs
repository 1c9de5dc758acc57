//! Numbers that may identify a person: tokenising digit runs, the GB 11643 check digit,
//! Luhn, and the masked forms suggested instead.
//!
//! Written by hand rather than with `regex` look-around (which the crate lacks): one pass
//! over the bytes finds digit runs, joins groups split by one space or hyphen (`138 1234
//! 5678`, `6222 0212 …`), and checks that no letter or digit touches either end, so a
//! number inside a longer code (统一社会信用代码, 索引号) is never taken apart.

use chrono::{Datelike, NaiveDate};

/// A run of digits (groups joined), possibly ending in `X` for an ID number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// Byte range in the paragraph, separators included.
    pub start: usize,
    pub end: usize,
    /// Digits only (and a final `X`), separators removed.
    pub digits: String,
    /// Lengths of the groups (one entry when not grouped).
    pub groups: Vec<usize>,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Labels of numbers that are not personal (document, index, order numbers).
const NOT_PERSONAL: [&str; 9] = [
    "索引号",
    "文号",
    "编号",
    "信用代码",
    "订单号",
    "流水号",
    "登记号",
    "注册号",
    "许可证号",
];

/// True when a label of a non-personal number sits just before `start` (within 12 chars).
pub(crate) fn labelled_not_personal(text: &str, start: usize) -> bool {
    let before: String = {
        let mut v: Vec<char> = text[..start].chars().rev().take(12).collect();
        v.reverse();
        v.into_iter().collect()
    };
    NOT_PERSONAL.iter().any(|l| before.contains(l))
}

/// Every number-like token of `text` with at least `min_digits` digits.
///
/// Most digit runs in government text are short (years, counts, table cells such as
/// `0 0 0`), so a run is first measured without allocating; only a long enough one gets
/// its digits and groups copied out.
pub(crate) fn tokens(text: &str, min_digits: usize) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i = next_digit(b, i + 1);
            continue;
        }
        if i > 0 && is_word_byte(b[i - 1]) {
            i += 1;
            continue;
        }
        let start = i;
        // First pass: where the run ends, how many digits and groups it has.
        let (mut n_digits, mut n_groups) = (0usize, 0usize);
        let mut sep: Option<u8> = None;
        loop {
            let g0 = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            n_digits += i - g0;
            n_groups += 1;
            // A group may continue after one space or hyphen, always the same one.
            let next_sep = b.get(i).copied().filter(|&c| c == b' ' || c == b'-');
            match next_sep {
                Some(s)
                    if sep.is_none_or(|p| p == s)
                        && b.get(i + 1).is_some_and(u8::is_ascii_digit) =>
                {
                    sep = Some(s);
                    i += 1;
                }
                _ => break,
            }
        }
        let digits_end = i;
        // An ID number may end in X.
        let x = i < b.len() && (b[i] == b'X' || b[i] == b'x') && n_groups == 1 && n_digits == 17;
        if x {
            n_digits += 1;
            i += 1;
        }
        let touching = i < b.len() && is_word_byte(b[i]);
        if !touching && n_digits >= min_digits {
            // Second pass over the run: copy digits and group lengths.
            let mut digits = String::with_capacity(n_digits);
            let mut groups = Vec::with_capacity(n_groups);
            for g in text[start..digits_end].split([' ', '-']) {
                digits.push_str(g);
                groups.push(g.len());
            }
            if x {
                digits.push('X');
            }
            out.push(Token {
                start,
                end: i,
                digits,
                groups,
            });
        }
        // Skip the rest of a word that touches the end.
        while i < b.len() && is_word_byte(b[i]) {
            i += 1;
        }
    }
    out
}

/// The index of the first ASCII digit in `b` at or after `i` (`b.len()` when none). Text
/// is mostly Chinese, without digits: eight bytes are tested at a time.
fn next_digit(b: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = b.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        if has_ascii_digit(u64::from_le_bytes(w)) {
            break;
        }
        i += 8;
    }
    while i < b.len() && !b[i].is_ascii_digit() {
        i += 1;
    }
    i.min(b.len())
}

/// True when one of the eight bytes of `w` is `0`…`9` (exact: the per-byte sums cannot
/// carry into the next byte).
fn has_ascii_digit(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low7 = w & (ONES * 0x7F);
    // High bit set per byte: low7 <= 0x39, the byte is ASCII, and low7 >= 0x30.
    let below = (ONES * (0x7F + 0x3A)) - low7;
    let above = low7 + ONES * (0x7F - 0x2F);
    below & !w & above & HIGH != 0
}

/// Weights of GB 11643-1999 (ISO 7064 MOD 11-2).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [u8; 11] = *b"10X98765432";

/// The check character of the first 17 digits.
pub(crate) fn id_check_char(first17: &[u8]) -> Option<u8> {
    if first17.len() != 17 || !first17.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let s: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    Some(CHECK[(s % 11) as usize])
}

/// What an 18-character ID-shaped token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdShape {
    /// Valid birth date, known province, correct check digit.
    Valid,
    /// Valid birth date and province, wrong check digit.
    BadCheck,
    /// A 15-digit pre-1999 number with a valid birth date and province.
    Old15,
    NotId,
}

/// Classifies a token as a citizen ID number. `today` bounds the birth date.
pub(crate) fn id_shape(t: &Token, provinces: &[String], today: Option<NaiveDate>) -> IdShape {
    if t.groups.len() != 1 {
        return IdShape::NotId;
    }
    let d = t.digits.as_bytes();
    let (birth, century) = match d.len() {
        18 => (&t.digits[6..14], None),
        15 => (&t.digits[6..12], Some(1900)),
        _ => return IdShape::NotId,
    };
    if d[0] == b'0' || !provinces.iter().any(|p| t.digits.starts_with(p.as_str())) {
        return IdShape::NotId;
    }
    let date = match century {
        None => NaiveDate::parse_from_str(birth, "%Y%m%d").ok(),
        Some(c) => {
            let y: i32 = birth[..2].parse().unwrap_or(-1);
            let m: u32 = birth[2..4].parse().unwrap_or(0);
            let dd: u32 = birth[4..6].parse().unwrap_or(0);
            NaiveDate::from_ymd_opt(c + y, m, dd)
        }
    };
    let Some(date) = date else {
        return IdShape::NotId;
    };
    if date.year() < 1880 || today.is_some_and(|t| date > t) {
        return IdShape::NotId;
    }
    if century.is_some() {
        return IdShape::Old15;
    }
    match id_check_char(&d[..17]) {
        Some(c) if c == d[17].to_ascii_uppercase() => IdShape::Valid,
        Some(_) => IdShape::BadCheck,
        None => IdShape::NotId,
    }
}

/// Luhn (ISO/IEC 7812-1 Annex B).
pub(crate) fn luhn(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// `digits` with all but the first `keep_head` and last `keep_tail` characters as `*`.
pub(crate) fn mask(digits: &str, keep_head: usize, keep_tail: usize) -> String {
    let n = digits.chars().count();
    digits
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i < keep_head || i + keep_tail >= n {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provinces() -> Vec<String> {
        crate::Data::shipped().pii.province_codes
    }

    #[test]
    fn spec_test_vectors_are_valid() {
        for id in ["11010519491231002X", "440524188001010014"] {
            let t = &tokens(id, 15)[0];
            assert_eq!(id_shape(t, &provinces(), None), IdShape::Valid, "{id}");
        }
        let t = &tokens("110105194912310021", 15)[0];
        assert_eq!(id_shape(t, &provinces(), None), IdShape::BadCheck);
        // Not a date.
        let t = &tokens("110105194913310021", 15)[0];
        assert_eq!(id_shape(t, &provinces(), None), IdShape::NotId);
    }

    #[test]
    fn tokens_respect_word_boundaries_and_groups() {
        let t = tokens(
            "电话138 1234 5678，代码91330100MA2X1234X5，卡6222-0202-0000-0000-000",
            11,
        );
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].digits, "13812345678");
        assert_eq!(t[0].groups, vec![3, 4, 4]);
        assert_eq!(t[1].groups, vec![4, 4, 4, 4, 3]);
        assert!(tokens("138****5678", 11).is_empty());
        assert!(tokens("A13812345678", 11).is_empty());
    }

    #[test]
    fn digit_skipping_matches_a_plain_scan() {
        for b in 0..=255u8 {
            let w = u64::from_le_bytes([0xE5, b, 0x80, 0xFF, 0x20, 0x2F, 0x3A, 0xB9]);
            assert_eq!(has_ascii_digit(w), b.is_ascii_digit(), "{b:#x}");
        }
        let t = "政府信息公开工作年度报告，共计2023年收到申请12件。x9";
        let b = t.as_bytes();
        for i in 0..=b.len() {
            let plain = (i..b.len())
                .find(|&j| b[j].is_ascii_digit())
                .unwrap_or(b.len());
            assert_eq!(next_digit(b, i), plain, "{i}");
        }
    }

    #[test]
    fn luhn_and_masks() {
        assert!(luhn("4111111111111111"));
        assert!(!luhn("4111111111111112"));
        assert_eq!(mask("13812345678", 3, 4), "138****5678");
        assert_eq!(mask("11010519491231002X", 6, 4), "110105********002X");
    }
}
