//! Row and column labels of the national format, to mend a label the engine misread by a
//! character or two (`其他法律行政法规茜止公开` → `…禁止公开`), so the mapper finds its row.
//! A label is replaced only when one official label is clearly nearest: within a fifth of
//! its length, and at least three edits nearer than any other. Values are never mended.

use std::sync::OnceLock;

use gongkai_format::{
    APPEAL_COLUMNS, APPLICANT_COLUMNS, FormatVersion, OutcomeGroup, SECTION_HEADINGS,
};

/// Folds the punctuation the engine mixes up (full-width and ASCII brackets, colons,
/// commas) and drops white space.
fn fold(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' | '〈' | '《' => '(',
            '）' | '〉' | '》' => ')',
            '：' => ':',
            '，' => ',',
            '．' => '.',
            c => c,
        })
        .collect()
}

/// The official labels, folded, with their printed form.
fn known() -> &'static [(Vec<char>, String)] {
    static KNOWN: OnceLock<Vec<(Vec<char>, String)>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut texts: Vec<String> = Vec::new();
        for v in [FormatVersion::Trial2019, FormatVersion::Revised2021] {
            texts.extend(v.s3_rows().iter().map(|r| r.label.to_string()));
            for r in v.s2_rows() {
                texts.push(r.label.to_string());
                texts.push(r.caption.to_string());
                texts.extend(r.columns.iter().map(|c| c.1.to_string()));
            }
        }
        use OutcomeGroup::*;
        for g in [Granted, Partial, Denied, Unable, Rejected, Other, Total] {
            texts.push(g.label().to_string());
        }
        texts.extend(APPLICANT_COLUMNS.iter().map(|c| c.short.to_string()));
        texts.extend(APPEAL_COLUMNS.iter().map(|c| c.short.to_string()));
        texts.extend(SECTION_HEADINGS.iter().map(|h| h.0.to_string()));
        texts.sort();
        texts.dedup();
        texts.into_iter().map(|t| (fold(&t), t)).collect()
    })
}

/// Edit distance between two character strings.
fn distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// True when `text` is an official label (up to punctuation and white space).
pub fn is_known(text: &str) -> bool {
    let t = fold(text);
    known().iter().any(|(k, _)| *k == t)
}

/// The official label a misread label stands for, when one is clearly nearest.
pub fn mend(text: &str) -> Option<&'static str> {
    let t = fold(text);
    if t.len() < 4 {
        return None;
    }
    let mut best: Option<(usize, &'static str)> = None;
    let mut second = usize::MAX;
    for (k, printed) in known() {
        // Cheap bound: lengths too far apart cannot be near.
        if k.len().abs_diff(t.len()) > k.len() / 5 {
            continue;
        }
        let d = distance(&t, k);
        match best {
            Some((b, _)) if d >= b => second = second.min(d),
            _ => {
                if let Some((b, _)) = best {
                    second = second.min(b);
                }
                best = Some((d, printed.as_str()));
            }
        }
    }
    let (d, printed) = best?;
    let len = fold(printed).len();
    (d > 0 && d * 5 <= len && second >= d + 3).then_some(printed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mends_one_misread_character() {
        assert_eq!(
            mend("2.其他法律行政法规茜止公开"),
            Some("2.其他法律行政法规禁止公开")
        );
    }

    #[test]
    fn leaves_exact_short_and_unknown_labels() {
        // Exact (up to punctuation): nothing to mend.
        assert_eq!(mend("(一)予以公开"), None);
        assert_eq!(mend("规章"), None);
        assert_eq!(mend("本机关的其他说明文字"), None);
    }
}
