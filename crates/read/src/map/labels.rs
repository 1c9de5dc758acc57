//! Row labels: wording variants, groups and items of table 三, table 四's appendix
//! columns, and fuzzy matching of labels.

use gongkai_format::{APPEAL_COLUMNS, APPEAL_GROUPS, FormatVersion, OutcomeGroup, S2Row};
use gongkai_report::{GridCell, Value};

use super::tables::*;
use crate::norm::{is_blank_marker, norm, rfind_short};

/// Known wordings of section 二 row labels that differ from the format.
pub(super) const S2_VARIANTS: &[(FormatVersion, &str, &str)] = &[
    (
        FormatVersion::Revised2021,
        "规范性文件",
        "normative_documents",
    ),
    (
        FormatVersion::Revised2021,
        "其他规范性文件",
        "normative_documents",
    ),
    (
        FormatVersion::Trial2019,
        "行政规范性文件",
        "normative_documents",
    ),
];

/// The row of section 二 a label names, and whether the wording is a variant.
pub(super) fn match_s2(
    format: FormatVersion,
    defs: &[S2Row],
    label: &str,
) -> Option<(usize, bool)> {
    let l = norm(label);
    // A unit in brackets after the label is not a variant: `行政事业性收费（万元）`.
    let bare = match l.find('(') {
        Some(i) if i > 0 => &l[..i],
        _ => l.as_str(),
    };
    if let Some(r) = defs.iter().position(|d| norm(d.label) == bare) {
        return Some((r, false));
    }
    S2_VARIANTS
        .iter()
        .filter(|(f, v, _)| *f == format && *v == bare)
        .find_map(|(_, _, key)| defs.iter().position(|d| d.key == *key))
        .map(|r| (r, true))
}

/// The outcome group a label opens, if it names one.
pub(super) fn group_of(label: &str) -> Option<OutcomeGroup> {
    // The last group named wins: `三、本年度办理结果（三）不予公开` opens （三）.
    [
        ("予以公开", OutcomeGroup::Granted),
        ("部分公开", OutcomeGroup::Partial),
        ("不予公开", OutcomeGroup::Denied),
        ("无法提供", OutcomeGroup::Unable),
        ("不予处理", OutcomeGroup::Rejected),
        ("其他处理", OutcomeGroup::Other),
        ("总计", OutcomeGroup::Total),
    ]
    .iter()
    .filter_map(|(w, g)| rfind_short(label, w).map(|p| (p, *g)))
    .max_by_key(|(p, _)| *p)
    .map(|(_, g)| g)
}

/// The row of table 三 a (normalised) label names.
pub(super) fn find_s3_row(
    format: FormatVersion,
    label: &str,
    group: OutcomeGroup,
) -> Option<usize> {
    if label.is_empty() {
        return None;
    }
    let defs = format.s3_rows();
    // The bytes of the label, as a set: a word with a byte outside it is not in the label,
    // and most of the seventy-odd row words are ruled out so without a search.
    let mut present = [0u64; 4];
    for &x in label.as_bytes() {
        present[usize::from(x >> 6)] |= 1 << (x & 63);
    }
    let may_hold = |k: &str| {
        k.bytes()
            .all(|x| present[usize::from(x >> 6)] & (1 << (x & 63)) != 0)
    };
    let best = defs
        .iter()
        .enumerate()
        .filter_map(|(r, d)| {
            d.keywords
                .iter()
                .filter(|k| may_hold(k))
                .filter_map(|k| rfind_short(label, k))
                .max()
                .map(|p| (p, r))
        })
        .max_by_key(|(p, _)| *p)
        .map(|(_, r)| r);
    if best.is_some() {
        return best;
    }
    // `3.其他` under （六）其他处理 has no word of its own.
    let tail = label.rsplit(')').next().unwrap_or(label);
    let tail = tail.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '、');
    if tail == "其他" && group == OutcomeGroup::Other {
        return defs.iter().position(|d| d.key == "other_other");
    }
    None
}

/// Extra values after the 15 of table 四's data row that are a recognisable appendix:
/// the first 15 add up (each group's 总计 is the sum of its four results, blanks as 0) and
/// the rest is a `/` column with what follows it, or repeats totals of the row (not all
/// 0); every field is printed (an empty field is a gap of unknown column). Returns
/// what the extra values are, in Chinese; `None` when they cannot be told apart from data
/// (the row stays uncertain).
pub(super) fn s4_appendix(fields: &[&GridCell]) -> Option<&'static str> {
    let n = APPEAL_COLUMNS.len() * APPEAL_GROUPS.len();
    if fields.len() <= n || fields.len() > n + APPEAL_COLUMNS.len() {
        return None;
    }
    // Empty fields are gaps whose column is unknown in text exports: nothing to go by.
    if fields.iter().any(|c| c.text.trim().is_empty()) {
        return None;
    }
    let value = |c: &GridCell| match printed(&c.text) {
        Printed::Number(v) => Some(Some(v)),
        Printed::Blank => Some(None),
        Printed::Other => None,
    };
    let first: Vec<Option<Value>> = fields[..n]
        .iter()
        .map(|c| value(c))
        .collect::<Option<_>>()?;
    let zero = Value::int(0);
    let mut totals = Vec::new();
    for g in first.chunks(APPEAL_COLUMNS.len()) {
        let parts: Value = g[..4].iter().map(|v| v.unwrap_or(zero)).sum();
        let total = g[4].unwrap_or(zero);
        if parts != total {
            return None;
        }
        totals.push(total);
    }
    let extra = &fields[n..];
    if is_blank_marker(&extra[0].text) && !extra[0].text.trim().is_empty() {
        return extra[1..]
            .iter()
            .all(|c| value(c).is_some())
            .then_some("以“/”开头的附加栏");
    }
    let litigation = totals[1] + totals[2];
    let all_totals = totals[0] + litigation;
    // Repeated totals: every extra value is one of the row's totals, and not all are 0
    // (zeros repeat anything).
    let mut nonzero = false;
    let repeated = extra.iter().all(|c| match printed(&c.text) {
        Printed::Number(v) => {
            nonzero |= v != zero;
            totals.contains(&v) || v == litigation || v == all_totals
        }
        _ => false,
    });
    (repeated && nonzero).then_some("重复印出的合计数")
}

/// The item row of table 三 that a label names by its number (`2.` under （三）) when the
/// words did not name any: the row must follow the last row placed (its position in the
/// format) and its printed words must be close to the format's — at most a third of the
/// characters edited, as when a cell's text was clipped or a word misprinted. Anything
/// less certain is left to the caller (uncertain).
pub(super) fn by_number(
    format: FormatVersion,
    label: &str,
    group: OutcomeGroup,
    last: Option<usize>,
) -> Option<usize> {
    let (n, words) = item_of(label)?;
    let defs = format.s3_rows();
    let r = defs
        .iter()
        .position(|d| d.group == group && d.item == n && d.is_outcome)?;
    if last != r.checked_sub(1) {
        return None;
    }
    let official = norm(defs[r].label);
    let (_, want) = item_of(&official)?;
    let a: Vec<char> = words.chars().collect();
    let b: Vec<char> = want.chars().collect();
    let d = edit_distance(&a, &b);
    (!a.is_empty() && d * 3 <= a.len().max(b.len())).then_some(r)
}

/// The item number and the words of an item label (`(三)不予公开2.属于国家秘密` →
/// `(2, "属于国家秘密")`), normalised text.
pub(super) fn item_of(label: &str) -> Option<(u8, &str)> {
    let tail = label.rsplit(')').next().unwrap_or(label);
    let digits = tail.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let n: u8 = tail[..digits].parse().ok()?;
    let words = tail[digits..].trim_start_matches(['.', '、', ',', ' ']);
    Some((n, words))
}

/// Levenshtein distance over characters. Labels are a few dozen characters, so the
/// two-row dynamic programme is all that is needed (no crate for this).
pub(super) fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// True for the label of group （六）其他处理 itself (not one of its items), in a format
/// whose group has items.
pub(super) fn is_other_aggregate(format: FormatVersion, label: &str) -> bool {
    let items = format
        .s3_rows()
        .iter()
        .filter(|d| d.group == OutcomeGroup::Other && d.is_outcome)
        .count();
    items > 1 && group_of(label) == Some(OutcomeGroup::Other) && label.ends_with("其他处理")
}

/// The group of table 四 a row label names (transposed layout).
pub(super) fn appeal_group_of(label: &str) -> Option<usize> {
    if label.contains("复议后起诉") {
        Some(2)
    } else if label.contains("直接起诉") {
        Some(1)
    } else if label.contains("行政复议") {
        Some(0)
    } else {
        None
    }
}
