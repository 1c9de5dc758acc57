//! The rules, one per file, and the registry that lists them by code.

use gongkai_format::{CellDef, CellIdx, Place};
use gongkai_report::{Location, Report, Value};

use crate::{CellRef, Finding, Rule};

/// Declares a rule: its unit struct, with the explanation as its doc comment, and its
/// `META` — code, name, severity, summaries and explanation, the one source of what
/// `gongkai rules` shows. The rule's `impl Rule` then only returns `&META` and checks.
macro_rules! rule {
    (
        $name:ident {
            code: $code:literal,
            name: $rule_name:literal,
            severity: $severity:ident,
            summary_zh: $zh:literal,
            summary_en: $en:literal,
            explanation: $text:literal $(,)?
        }
    ) => {
        #[doc = $text]
        #[derive(Debug, Clone, Copy)]
        pub(crate) struct $name;

        /// This rule's metadata; the explanation is also the struct's doc comment.
        pub(crate) static META: crate::RuleMeta = crate::RuleMeta {
            code: $code,
            name: $rule_name,
            severity: crate::Severity::$severity,
            summary_zh: $zh,
            summary_en: $en,
            explanation: $text,
        };
    };
}

mod all_handled_despite_carry_forward;
mod appeal_total_mismatch;
mod blank_cell;
mod column_balance;
mod conflicting_dates;
mod count_not_whole;
mod earlier_year_as_own_period;
mod fee_invalid;
mod label_deviates_from_format;
mod missing_date;
mod narrative_contradicts_table;
mod problems_section_empty;
mod published_late;
mod results_total_mismatch;
mod row_total_mismatch;
mod sections_missing_or_disordered;
mod uncertain_cell;
mod year_mismatch;

/// Every rule, ordered by code.
pub(crate) static REGISTRY: &[&dyn Rule] = &[
    &published_late::PublishedLate,
    &conflicting_dates::ConflictingDates,
    &missing_date::MissingDate,
    &sections_missing_or_disordered::SectionsMissingOrDisordered,
    &year_mismatch::YearMismatch,
    &problems_section_empty::ProblemsSectionEmpty,
    &column_balance::ColumnBalance,
    &results_total_mismatch::ResultsTotalMismatch,
    &row_total_mismatch::RowTotalMismatch,
    &appeal_total_mismatch::AppealTotalMismatch,
    &narrative_contradicts_table::NarrativeContradictsTable,
    &label_deviates_from_format::LabelDeviatesFromFormat,
    &all_handled_despite_carry_forward::AllHandledDespiteCarryForward,
    &earlier_year_as_own_period::EarlierYearAsOwnPeriod,
    &count_not_whole::CountNotWhole,
    &fee_invalid::FeeInvalid,
    &blank_cell::BlankCell,
    &uncertain_cell::UncertainCell,
];

/// `第一部分` … `第六部分`.
pub(crate) fn section_zh(n: u8) -> String {
    const NUM: [&str; 6] = ["一", "二", "三", "四", "五", "六"];
    match NUM.get(usize::from(n).wrapping_sub(1)) {
        Some(s) => format!("第{s}部分"),
        None => format!("第{n}部分"),
    }
}

/// The cell with its label, value and provenance.
pub(crate) fn cell_ref(report: &Report, idx: CellIdx) -> CellRef {
    let def = report.def(idx);
    CellRef {
        id: def.id.clone(),
        label: def.label.clone(),
        value: report.at(idx),
        loc: report.location(idx),
    }
}

/// The cell named by id, if the id belongs to the report's format.
pub(crate) fn cell_ref_by_id(report: &Report, id: &str) -> Option<CellRef> {
    report.format.cell(id).map(|idx| cell_ref(report, idx))
}

/// Where a cell sits, in Chinese: `第三部分“一、本年新收…”行“自然人”列`.
pub(crate) fn place_zh(def: &CellDef) -> String {
    match def.place {
        Place::S4 { .. } => format!(
            "{}“{}”“{}”",
            section_zh(def.section),
            def.row_label,
            def.column_label
        ),
        _ => format!(
            "{}“{}”行“{}”列",
            section_zh(def.section),
            def.row_label,
            def.column_label
        ),
    }
}

/// Where a cell sits, in English.
pub(crate) fn place_en(def: &CellDef) -> String {
    match def.place {
        Place::S4 { .. } => format!(
            "section {}, group “{}”, column “{}”",
            def.section, def.row_label, def.column_label
        ),
        _ => format!(
            "section {}, row “{}”, column “{}”",
            def.section, def.row_label, def.column_label
        ),
    }
}

/// The first known provenance among `cells`.
pub(crate) fn first_loc(cells: &[CellRef]) -> Option<Location> {
    cells.iter().find_map(|c| c.loc)
}

/// A `Location` that is not `Location::None`.
pub(crate) fn known(loc: Location) -> Option<Location> {
    match loc {
        Location::None => None,
        other => Some(other),
    }
}

/// A printed total against the sum of its printed parts: `Some((found, expected))` when
/// both are there and differ.
pub(crate) fn total_mismatch(
    report: &Report,
    total: CellIdx,
    parts: &[CellIdx],
) -> Option<(Value, Value)> {
    let found = report.at(total)?;
    let values: Vec<_> = parts.iter().map(|&i| report.at(i)).collect();
    let expected = sum_present(&values)?;
    (expected != found).then_some((found, expected))
}

/// Completes a finding about a sum: section, cells, place, expected, found, difference.
pub(crate) fn sum_finding(
    mut f: Finding,
    section: u8,
    cells: Vec<CellRef>,
    expected: Value,
    found: Value,
) -> Finding {
    f.section = Some(section);
    f.loc = first_loc(&cells);
    f.cells = cells;
    f.expected = Some(expected);
    f.found = Some(found);
    f.difference = Some(found - expected);
    f
}

/// Sum of `parts` with blanks counted as zero; `None` when every part is blank.
pub(crate) fn sum_present(parts: &[Option<Value>]) -> Option<Value> {
    if parts.iter().all(Option::is_none) {
        None
    } else {
        Some(parts.iter().flatten().copied().sum())
    }
}

#[cfg(test)]
mod tests {
    use gongkai_format::FormatVersion;
    use gongkai_report::{Meta, PrintedDate, Section};

    use super::*;
    use crate::Lang;

    #[test]
    fn registry_codes_are_unique_and_sorted_and_documented() {
        let codes: Vec<&str> = REGISTRY.iter().map(|r| r.code()).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted, "codes must be sorted");
        let problems = crate::catalogue_problems(crate::metas());
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(crate::rule("tab001").map(|r| r.code()), Some("TAB001"));
        assert!(crate::rule("XYZ999").is_none());
        assert_eq!(
            crate::rule("TXT003").map(|r| r.summary(Lang::En).is_empty()),
            Some(false)
        );
    }

    /// A report with every cell 0, all six sections, a year and one timely date.
    fn zero_report(format: FormatVersion) -> Report {
        let mut r = Report::new(format);
        for c in &mut r.cells {
            *c = Some(Value::int(0));
        }
        r.meta = Meta {
            title: Some("某局2023年政府信息公开工作年度报告".into()),
            agency: Some("某局".into()),
            year: Some(2023),
            dates: vec![PrintedDate {
                date: "2024-01-15".into(),
                text: "2024年1月15日".into(),
                loc: Location::None,
            }],
            preamble: None,
            signed_by: None,
        };
        let texts = [
            "2023年，我局认真贯彻落实《条例》。本报告统计期限自2023年1月1日起至2023年12月31日止。",
            "",
            "本年度未收到政府信息公开申请。",
            "",
            "2024年，我局将继续做好政务公开工作。",
            "无。",
        ];
        r.sections = gongkai_format::SECTION_HEADINGS
            .iter()
            .zip(texts)
            .enumerate()
            .map(|(i, ((heading, _), text))| Section {
                number: u8::try_from(i + 1).unwrap(),
                heading: (*heading).to_string(),
                text: text.to_string(),
                loc: Location::None,
            })
            .collect();
        r
    }

    #[test]
    fn consistent_zero_report_has_no_findings() {
        for format in [FormatVersion::Revised2021, FormatVersion::Trial2019] {
            let findings = crate::check(&zero_report(format));
            assert!(findings.is_empty(), "{format}: {findings:#?}");
        }
    }

    #[test]
    fn check_sorts_by_section_line_and_code() {
        let mut r = zero_report(FormatVersion::Revised2021);
        r.set("s3.new_received.total", Some(Value::int(1)));
        r.set("s2.fees.amount_10k_yuan", Some(Value::int(-1)));
        r.meta.dates.clear();
        let findings = crate::check(&r);
        let codes: Vec<&str> = findings.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            ["DAT003", "VAL002", "TAB001", "TAB003"],
            "{findings:#?}"
        );
    }
}
