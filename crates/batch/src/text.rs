//! Narrative fingerprints: what is kept of a report's running text.
//!
//! Copy detection between years needs only to know which sentences two reports share, so
//! a batch keeps one 64-bit hash per distinct sentence, not the text. A sentence is
//! normalised before hashing so that re-typesetting does not hide a copy and changing the
//! year does not either (the 东莞市统计局 case in `shared/spec/regulations.md` §5.3: a report
//! word-for-word the earlier one except for the year):
//!
//! * full-width ASCII is folded, white space and punctuation are dropped;
//! * every run of digits becomes `#` (`2023年` = `2024年`, `公开信息 12 条` = `公开信息 15 条`);
//! * sentences shorter than [`MIN_SENTENCE_CHARS`] characters after that (`无。`, `（一）主动公开`)
//!   are skipped: they are headings or boilerplate every report shares.
//!
//! Sentences end at `。！？；!?;` and at line breaks, as in the checker's narrative rules.
//! The text compared is the preamble and sections 一, 五 and 六 ([`NARRATIVE_SECTIONS`]).
//!
//! The hash is FNV-1a (64 bit): deterministic across runs and platforms, so the same
//! corpus gives the same output.

use gongkai_report::Report;

use crate::identity::fold_width;

/// Sentences shorter than this (in characters, after normalisation) are not compared.
pub const MIN_SENTENCE_CHARS: usize = 10;

const SENTENCE_ENDS: [char; 7] = ['。', '！', '？', '；', '!', '?', ';'];

/// FNV-1a, 64 bit.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
        // A separator, so ("ab","c") and ("a","bc") differ.
        self.bytes(&[0xff]);
    }

    pub fn u64(&mut self, n: u64) {
        self.bytes(&n.to_le_bytes());
    }

    pub fn finish(self) -> u64 {
        self.0
    }
}

/// True for characters that do not count in a sentence: white space, punctuation and
/// symbols (ASCII and CJK).
fn is_ignorable(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || matches!(c,
            '\u{3000}'..='\u{303F}'   // CJK symbols and punctuation: 、。〈〉《》「」【】〔〕
            | '\u{2010}'..='\u{206F}' // general punctuation: — ‘ ’ “ ” … and invisible marks
            | '\u{FE30}'..='\u{FE4F}' // CJK compatibility forms
            | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}'
            | '\u{FF5B}'..='\u{FF65}' // full-width punctuation
            | '\u{00B7}' | '\u{FEFF}')
}

/// The fingerprint of a report's narrative.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fingerprint {
    /// Hashes of the distinct normalised sentences (digits folded), sorted.
    pub sentences: Box<[u64]>,
    /// A hash of the whole narrative with digits kept, in order (short sentences too).
    pub text_hash: u64,
}

/// Sections whose running text is compared: 一、总体情况, 五、存在的主要问题及改进情况,
/// 六、其他需要报告的事项. The text around the tables of 二, 三 and 四 is captions and
/// notes dictated by the format (`表二 收到和处理政府信息公开申请情况`, the 勾稽 note), the
/// same in every report; counting it would make every report look partly copied.
pub const NARRATIVE_SECTIONS: [u8; 3] = [1, 5, 6];

/// The running text of a report: the preamble and sections 一, 五, 六.
fn narrative(report: &Report) -> impl Iterator<Item = &str> {
    report
        .meta
        .preamble
        .iter()
        .chain(
            report
                .sections
                .iter()
                .filter(|s| NARRATIVE_SECTIONS.contains(&s.number)),
        )
        .map(|s| s.text.as_str())
}

/// Fingerprints a report's narrative.
pub fn fingerprint(report: &Report) -> Fingerprint {
    let mut sentences = Vec::new();
    let mut whole = Fnv::default();
    let mut folded = String::new();
    let mut exact = String::new();
    let mut chars = 0usize;
    let mut flush = |folded: &mut String, exact: &mut String, chars: &mut usize| {
        if !exact.is_empty() {
            whole.str(exact);
        }
        if *chars >= MIN_SENTENCE_CHARS {
            let mut h = Fnv::default();
            h.str(folded);
            sentences.push(h.finish());
        }
        folded.clear();
        exact.clear();
        *chars = 0;
    };
    for text in narrative(report) {
        let mut in_digits = false;
        for c in text.chars() {
            if c == '\n' || SENTENCE_ENDS.contains(&c) {
                flush(&mut folded, &mut exact, &mut chars);
                in_digits = false;
                continue;
            }
            let c = fold_width(c);
            if is_ignorable(c) {
                continue;
            }
            exact.push(c);
            if c.is_ascii_digit() {
                if !in_digits {
                    folded.push('#');
                    chars += 1;
                }
                in_digits = true;
            } else {
                folded.push(c);
                chars += 1;
                in_digits = false;
            }
        }
        flush(&mut folded, &mut exact, &mut chars);
    }
    sentences.sort_unstable();
    sentences.dedup();
    Fingerprint {
        sentences: sentences.into_boxed_slice(),
        text_hash: whole.finish(),
    }
}

/// Share of `current`'s sentences that also occur in `previous` (both sorted), with the
/// counts: `(shared, total)`. `None` when `current` has no sentences.
pub fn copied_share(current: &[u64], previous: &[u64]) -> Option<(usize, usize)> {
    if current.is_empty() {
        return None;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < current.len() && j < previous.len() {
        match current[i].cmp(&previous[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    Some((shared, current.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_format::FormatVersion;
    use gongkai_report::{Location, Section};

    fn report(text: &str) -> Report {
        let mut r = Report::new(FormatVersion::Revised2021);
        r.sections.push(Section {
            number: 1,
            heading: "一、总体情况".into(),
            text: text.into(),
            loc: Location::None,
        });
        r
    }

    #[test]
    fn year_and_spacing_do_not_hide_a_copy() {
        let a = fingerprint(&report(
            "2023 年，我镇高度重视政务公开工作，安排专人负责。全年公开信息 12 条，群众满意度明显提升。无。",
        ));
        let b = fingerprint(&report(
            "２０２４年，我镇高度重视政务公开工作，安排专人负责。\n全年公开信息15条，群众满意度明显提升！",
        ));
        assert_eq!(a.sentences.len(), 2, "the short sentence is skipped");
        assert_eq!(a.sentences, b.sentences);
        assert_ne!(
            a.text_hash, b.text_hash,
            "digits count for identical content"
        );
        assert_eq!(copied_share(&b.sentences, &a.sentences), Some((2, 2)));
    }

    #[test]
    fn different_text_shares_nothing() {
        let a = fingerprint(&report("本机关持续完善政务公开制度，规范信息发布流程。"));
        let b = fingerprint(&report("我局积极推进政务服务事项标准化建设工作。"));
        assert_eq!(copied_share(&b.sentences, &a.sentences), Some((0, 1)));
        assert_eq!(copied_share(&[], &a.sentences), None);
    }
}
