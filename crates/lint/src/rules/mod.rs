//! The rules, one per file, and the registry that lists them by code.

use std::cell::OnceCell;

use chrono::{Days, NaiveDate};

use crate::data::Citation;
use crate::engine::{AcHit, PatRef};
use crate::pii::Token;
use crate::text::{DateMention, Marks};
use crate::{Category, Data, OfficeLists, RuleInfo, RuleMeta, Severity, pii, text};

/// Declares a rule's unit struct with `$text` as both its doc comment and its
/// `EXPLANATION` const, so the documentation has one source.
macro_rules! explained {
    ($name:ident, $text:literal) => {
        #[doc = $text]
        #[derive(Debug, Clone, Copy)]
        pub(crate) struct $name;

        /// The long documentation of this rule (also the struct's doc comment).
        const EXPLANATION: &str = $text;
    };
}

mod bank_card_exposed;
mod banned_formulation;
mod document_number_brackets;
mod id_number_exposed;
mod impossible_date;
mod leader_title_outdated;
mod mixed_numeral_date;
mod mobile_number_exposed;
mod outdated_institution_name;
mod outdated_provision_wording;
mod possible_id_number;
mod repealed_law_cited;
mod sensitive_word;
mod serious_typo;
mod share_over_hundred_percent;
mod superseded_regulations_cited;
mod weekday_mismatch;

/// What a rule sees of one paragraph.
pub(crate) struct Cx<'a> {
    pub text: &'a str,
    /// The document's date (publication or signature), if it shows one.
    pub doc_date: Option<NaiveDate>,
    /// The date of the document's wording: the earlier of `doc_date` and the in-force
    /// date of a normative text (`本法自2001年5月1日起施行`); outdated names and citations
    /// are judged against it.
    pub wording_date: Option<NaiveDate>,
    pub today: Option<NaiveDate>,
    pub grace_days: u32,
    pub data: &'a Data,
    pub lists: &'a OfficeLists,
    /// Hits of the shipped tables' literal patterns.
    pub builtin: &'a [AcHit],
    /// Hits of the office lists.
    pub office: &'a [AcHit],
    pub leader_names: &'a [(String, Vec<usize>)],
    pub leader_titles: &'a [String],
    /// Which gating characters the paragraph contains.
    pub marks: Marks,
    /// The paragraph's dates, found once for the three date rules ([`Cx::dates`]).
    pub dates: OnceCell<Vec<DateMention>>,
    /// The paragraph's number tokens, found once for the four number rules
    /// ([`Cx::tokens`]).
    pub tokens: OnceCell<Vec<Token>>,
}

/// The fewest digits a number rule looks at (a mobile number).
const MIN_TOKEN_DIGITS: usize = 11;

impl Cx<'_> {
    /// Every `年…月(…日)` date of the paragraph ([`text::dates`]), found on first use.
    pub fn dates(&self) -> &[DateMention] {
        if !self.marks.has(Marks::YEAR) {
            return &[];
        }
        self.dates.get_or_init(|| text::dates(self.text))
    }

    /// The paragraph's number tokens with at least `min_digits` digits (at least
    /// [`MIN_TOKEN_DIGITS`]): the same as `pii::tokens(text, min_digits)`, tokenised once.
    pub fn tokens(&self, min_digits: usize) -> impl Iterator<Item = &Token> {
        debug_assert!(min_digits >= MIN_TOKEN_DIGITS);
        self.tokens
            .get_or_init(|| pii::tokens(self.text, MIN_TOKEN_DIGITS))
            .iter()
            .filter(move |t| t.digits.len() >= min_digits)
    }
}

/// A finding of a rule, before the engine adds excerpt, place and suppression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hit {
    /// Byte range of the match in the paragraph.
    pub start: usize,
    pub end: usize,
    pub severity: Severity,
    pub message_zh: String,
    pub message_en: String,
    pub suggestion: Option<String>,
}

/// A check over one paragraph.
pub(crate) trait Rule: Sync {
    fn info(&self) -> &'static RuleInfo;
    /// Appends this rule's hits in `cx.text` to `out`.
    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>);
}

/// Every rule, ordered by code.
pub(crate) static REGISTRY: &[&dyn Rule] = &[
    &impossible_date::ImpossibleDate,
    &weekday_mismatch::WeekdayMismatch,
    &share_over_hundred_percent::ShareOverHundredPercent,
    &mixed_numeral_date::MixedNumeralDate,
    &superseded_regulations_cited::SupersededRegulationsCited,
    &repealed_law_cited::RepealedLawCited,
    &outdated_provision_wording::OutdatedProvisionWording,
    &sensitive_word::SensitiveWord,
    &leader_title_outdated::LeaderTitleOutdated,
    &banned_formulation::BannedFormulation,
    &outdated_institution_name::OutdatedInstitutionName,
    &id_number_exposed::IdNumberExposed,
    &possible_id_number::PossibleIdNumber,
    &mobile_number_exposed::MobileNumberExposed,
    &bank_card_exposed::BankCardExposed,
    &serious_typo::SeriousTypo,
    &document_number_brackets::DocumentNumberBrackets,
];

/// The severity of an outdated name or citation whose replacement took effect on
/// `effective`: nothing when the document's wording is dated before it (a historical
/// text, or a law or measures in force since before it, republished verbatim), a warning
/// when undated or within the grace period, else `max`.
pub(crate) fn dated_severity(cx: &Cx<'_>, effective: NaiveDate, max: Severity) -> Option<Severity> {
    match cx.wording_date {
        None => Some(Severity::Warning),
        Some(d) if d < effective => None,
        Some(d) if d < effective + Days::new(u64::from(cx.grace_days)) => Some(Severity::Warning),
        Some(_) => Some(max),
    }
}

/// Words around a match that show the text is about the past or the change itself.
/// (A bare `期间` was one of them until the precision corpus showed it in `婚姻关系存续期间`,
/// `春节期间`, `中秋、国庆期间`: it silenced true alarms. Only a reform's or a transition's
/// period counts.)
const HISTORY_WORDS: [&str; 10] = [
    "更名",
    "改为",
    "组建",
    "撤销",
    "划入",
    "整合",
    "不再保留",
    "改革前",
    "改革期间",
    "过渡期",
];

/// True when the sentence around the match is about the time before `effective` (a year
/// before it is written there) or about the change itself, or the match is marked as
/// former (`原国土资源部`), or followed by the current name (`（现…）`).
pub(crate) fn historical(cx: &Cx<'_>, start: usize, end: usize, effective: NaiveDate) -> bool {
    use chrono::Datelike;
    let t = cx.text;
    if text::char_before(t, start).is_some_and(|c| matches!(c, '原' | '前' | '旧')) {
        return true;
    }
    let after = &t[end..];
    if ["（现", "(现", "，现", "（今", "(今"]
        .iter()
        .any(|p| after.starts_with(p))
    {
        return true;
    }
    if text::years_in_sentence(t, start, end)
        .iter()
        .any(|&y| y < effective.year())
    {
        return true;
    }
    let (s, e) = text::sentence(t, start, end);
    HISTORY_WORDS.iter().any(|w| t[s..e].contains(w))
}

/// The hits of the citation table's rows for `rule` that apply in this paragraph, with
/// their severity: the row's `only_with` / `skip_with` words, the historical context and
/// the document date are taken into account.
pub(crate) fn citation_hits<'a>(
    cx: &'a Cx<'_>,
    rule: &'a str,
) -> impl Iterator<Item = (&'a AcHit, &'a Citation, Severity)> + 'a {
    cx.builtin.iter().filter_map(move |h| {
        let PatRef::Citation(i) = h.what else {
            return None;
        };
        let c = &cx.data.citations[i];
        if c.rule != rule
            || (!c.only_with.is_empty()
                && !c.only_with.iter().any(|w| cx.text.contains(w.as_str())))
            || c.skip_with.iter().any(|w| cx.text.contains(w.as_str()))
            || historical(cx, h.start, h.end, c.effective)
        {
            return None;
        }
        dated_severity(cx, c.effective, c.max_severity()).map(|s| (h, c, s))
    })
}

/// The shared metadata constructor.
pub(crate) const fn info(
    code: &'static str,
    name: &'static str,
    severity: Severity,
    category: Category,
    summary_zh: &'static str,
    summary_en: &'static str,
    explanation: &'static str,
) -> RuleInfo {
    RuleInfo {
        meta: RuleMeta {
            code,
            name,
            severity,
            summary_zh,
            summary_en,
            explanation,
        },
        category,
    }
}

/// `2019年5月15日`.
pub(crate) fn date_zh(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_documented() {
        let metas: Vec<&RuleMeta> = REGISTRY.iter().map(|r| &r.info().meta).collect();
        let codes: Vec<&str> = metas.iter().map(|m| m.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted, "the registry is ordered by code");
        // The checker's rules for every catalogue entry: code, kebab-case name, the
        // explanation's `## name (CODE)` and its four headings (法律依据 among them), both
        // summaries, no code or name twice.
        let problems = gongkai_report::rule::catalogue_problems(metas.iter().copied());
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
