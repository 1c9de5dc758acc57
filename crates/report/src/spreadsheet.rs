//! The one guard against formula injection for every CSV the product writes: the batch
//! tables (`gongkai batch`), the report checker's downloads (`gongkai serve`), the
//! lint report (`gongkai lint --format csv`) and the audit log's export.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or
//! a carriage return before one) as a formula — `=HYPERLINK(…)` in an applicant's name or
//! a file name would run on the office's computer. Such text gets a leading `'`, which
//! spreadsheets show as text and do not print.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
pub const FORMULA_PREFIXES: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Text for a CSV cell: text starting with one of [`FORMULA_PREFIXES`] gets a leading `'`.
pub fn formula_safe(s: &str) -> Cow<'_, str> {
    if s.starts_with(FORMULA_PREFIXES) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// [`formula_safe`] for a cell that may hold a number: a plain decimal number (`-3`,
/// `12.5`) stays a number, anything else is guarded.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    if is_plain_number(s) {
        Cow::Borrowed(s)
    } else {
        formula_safe(s)
    }
}

fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next();
    !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_get_a_quote() {
        for s in [
            "=1+1",
            "+1",
            "-1+2",
            "@SUM(A1)",
            "\t=x",
            "\r=x",
            "=HYPERLINK(\"http://x\")",
        ] {
            assert_eq!(formula_safe(s), format!("'{s}"));
        }
        assert_eq!(formula_safe("张三"), "张三");
        assert_eq!(formula_safe(""), "");
        assert_eq!(formula_safe("a=b"), "a=b");
    }

    #[test]
    fn numbers_stay_numbers() {
        assert_eq!(csv_cell("-3"), "-3");
        assert_eq!(csv_cell("12.5"), "12.5");
        assert_eq!(csv_cell("-12.50"), "-12.50");
        assert_eq!(csv_cell("-1+2"), "'-1+2");
        assert_eq!(csv_cell("-"), "'-");
        assert_eq!(csv_cell("-1."), "'-1.");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-inf"), "'-inf");
    }
}
