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
mod format_deviation;
mod label_deviates_from_format;
mod missing_date;
mod narrative_content;
mod narrative_contradicts_table;
mod placeholder_text;
mod problems_section_empty;
mod published_late;
mod results_total_mismatch;
mod row_total_mismatch;
mod sections_missing_or_disordered;
mod uncertain_cell;
mod year_mismatch;

/// Every rule, ordered by code.
pub(crate) static REGISTRY: &[&dyn Rule] = &[
    &narrative_content::NarrativeContent,
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
    &format_deviation::FormatDeviation,
    &narrative_contradicts_table::NarrativeContradictsTable,
    &label_deviates_from_format::LabelDeviatesFromFormat,
    &all_handled_despite_carry_forward::AllHandledDespiteCarryForward,
    &earlier_year_as_own_period::EarlierYearAsOwnPeriod,
    &placeholder_text::PlaceholderText,
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

/// What a sum identity is over, for naming the cells in a message: along a column (name
/// each cell by its row), along a row or a section 四 group (name each cell by its column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Along {
    Column,
    Row,
    Group,
}

impl Along {
    fn scope_zh(self) -> &'static str {
        match self {
            Along::Column => "本列",
            Along::Row => "本行",
            Along::Group => "本组",
        }
    }

    fn scope_en(self) -> &'static str {
        match self {
            Along::Column => "the column",
            Along::Row => "the row",
            Along::Group => "the group",
        }
    }

    /// The cell's name inside the identity: its row path (`（六）其他处理 3.其他`) along a
    /// column, its column label along a row or group.
    fn name(self, def: &CellDef) -> String {
        match self {
            Along::Column => {
                let row = def
                    .label
                    .strip_suffix(def.column_label.as_str())
                    .unwrap_or(&def.row_label);
                let parts: Vec<&str> = row
                    .split('/')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .collect();
                // Drop the section part (`三`, `三、本年度办理结果`) when a row follows.
                let skip = usize::from(parts.len() > 1 && parts[0].starts_with(['二', '三', '四']));
                parts[skip..].join(" ")
            }
            Along::Row | Along::Group => def.column_label.clone(),
        }
    }
}

/// The two sides of an identity, summed over the printed numbers (blank cells as 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sides {
    pub lhs: Value,
    pub rhs: Value,
    /// How many cells were printed blank and counted as 0.
    pub blanks: usize,
}

/// How a sum identity `lhs = rhs` of printed cells stands.
///
/// The treatment of cells is the same in every sum rule (TAB001–TAB004), in the
/// year-over-year rules and in the batch figures:
///
/// * a cell **printed blank** (or `/`, `-`, `—`, `无`) is the report's own statement and
///   is **counted as 0**; the message says so. A side whose every cell is blank is not
///   checked (nothing was printed to compare).
/// * a cell the reader **could not place** (listed in [`Report::uncertain`]) is not the
///   report's fault: the identity is [`Identity::Unverifiable`], a warning that names the
///   cells and what they would have to be, never an error.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Identity {
    /// A whole side is blank.
    Skipped,
    Holds,
    /// Only printed, placed numbers, and they disagree.
    Broken(Sides),
    /// A cell the reader left uncertain is part of the identity.
    Unverifiable {
        sides: Sides,
        /// The uncertain cells, left-hand side first.
        uncertain: Vec<CellIdx>,
        /// What the uncertain cells would have to add up to for the identity to hold,
        /// when they are all on one side and none was read.
        need: Option<Value>,
    },
}

/// Evaluates `sum(lhs) = sum(rhs)` on the report (see [`Identity`] for the treatment of
/// blank and uncertain cells).
pub(crate) fn identity(report: &Report, lhs: &[CellIdx], rhs: &[CellIdx]) -> Identity {
    let uncertain =
        |i: CellIdx| !report.uncertain.is_empty() && report.is_uncertain(&report.def(i).id);
    let mut blanks = 0;
    let mut unsure: Vec<CellIdx> = Vec::new();
    let mut side = |cells: &[CellIdx]| -> (Value, bool, Vec<CellIdx>) {
        let mut sum = Value::int(0);
        let mut printed = false;
        let mut unread = Vec::new();
        let mut groups_used: Vec<&gongkai_report::GroupTotal> = Vec::new();
        for &i in cells {
            let u = uncertain(i);
            match report.at(i) {
                Some(v) => {
                    sum = sum + v;
                    printed = true;
                }
                None if u => unread.push(i),
                None => match group_total(report, i, cells) {
                    // A group printed as one row: its value stands for its cells.
                    Some(g) => {
                        if !groups_used.iter().any(|x| std::ptr::eq(*x, g)) {
                            groups_used.push(g);
                            sum = sum + g.value;
                            printed = true;
                        }
                    }
                    None => blanks += 1,
                },
            }
            if u {
                unsure.push(i);
                printed = true;
            }
        }
        (sum, printed, unread)
    };
    let (l, l_printed, l_unread) = side(lhs);
    let (r, r_printed, r_unread) = side(rhs);
    if !l_printed || !r_printed {
        return Identity::Skipped;
    }
    let sides = Sides {
        lhs: l,
        rhs: r,
        blanks,
    };
    if unsure.is_empty() {
        return if l == r {
            Identity::Holds
        } else {
            Identity::Broken(sides)
        };
    }
    let unread = l_unread.len() + r_unread.len();
    if unread == 0 && l == r {
        return Identity::Holds;
    }
    let need = match (
        unread == unsure.len(),
        l_unread.is_empty(),
        r_unread.is_empty(),
    ) {
        (true, false, true) => Some(r - l),
        (true, true, false) => Some(l - r),
        _ => None,
    };
    Identity::Unverifiable {
        sides,
        uncertain: unsure,
        need,
    }
}

/// The printed group total standing for cell `i`, when every cell it covers is among
/// `cells` (the same side of an identity); otherwise the cell is absent and counts as 0.
fn group_total<'r>(
    report: &'r Report,
    i: CellIdx,
    cells: &[CellIdx],
) -> Option<&'r gongkai_report::GroupTotal> {
    if report.group_totals.is_empty() {
        return None;
    }
    let g = report.group_total_of(&report.def(i).id)?;
    g.cells
        .iter()
        .all(|id| report.format.cell(id).is_some_and(|c| cells.contains(&c)))
        .then_some(g)
}

/// Evaluates the identity `sum(lhs) = sum(rhs)` of a sum rule: pushes the warning
/// “无法核对” itself when a cell the reader left uncertain is part of it, and returns the
/// two sides only when printed numbers disagree. `place` names the column, row or group
/// in Chinese and English.
#[allow(clippy::too_many_arguments)]
pub(crate) fn broken(
    rule: &dyn Rule,
    report: &Report,
    out: &mut Vec<Finding>,
    section: u8,
    along: Along,
    place: (&str, &str),
    lhs: &[CellIdx],
    rhs: &[CellIdx],
) -> Option<Sides> {
    match identity(report, lhs, rhs) {
        Identity::Skipped | Identity::Holds => None,
        Identity::Broken(sides) => Some(sides),
        Identity::Unverifiable {
            uncertain, need, ..
        } => {
            let all: Vec<CellIdx> = lhs.iter().chain(rhs).copied().collect();
            // Nothing of the identity was read (a whole row or table not found): there is
            // nothing to weigh, and VAL004 already reports the cells once.
            if all.iter().all(|i| uncertain.contains(i)) {
                return None;
            }
            out.push(unverifiable_finding(
                rule, report, section, along, place.0, place.1, &all, &uncertain, need,
            ));
            None
        }
    }
}

/// “（空白单元格按 0 计）” when blank cells were counted, for the messages of sum rules.
pub(crate) fn blank_note(sides: &Sides) -> (String, String) {
    if sides.blanks == 0 {
        (String::new(), String::new())
    } else {
        (
            format!("（{} 个空白单元格按 0 计）", sides.blanks),
            format!(" ({} blank cells counted as 0)", sides.blanks),
        )
    }
}

/// The warning “无法核对” of a sum rule whose identity involves cells the reader left
/// uncertain: names them and says what they would have to be. `where_zh`/`where_en` name
/// the column, row or group (“第三部分“自然人”列”).
#[allow(clippy::too_many_arguments)]
pub(crate) fn unverifiable_finding(
    rule: &dyn Rule,
    report: &Report,
    section: u8,
    along: Along,
    where_zh: &str,
    where_en: &str,
    cells: &[CellIdx],
    uncertain: &[CellIdx],
    need: Option<Value>,
) -> Finding {
    let names: Vec<String> = uncertain
        .iter()
        .map(|&i| along.name(report.def(i)))
        .collect();
    let quoted = names
        .iter()
        .map(|n| format!("“{n}”"))
        .collect::<Vec<_>>()
        .join("、");
    let target_zh = if names.len() == 1 {
        quoted.clone()
    } else {
        format!("{quoted}之和")
    };
    let (scope_zh, scope_en) = (along.scope_zh(), along.scope_en());
    let (tail_zh, tail_en) = match need {
        Some(n) if !n.is_negative() => (
            format!("若{target_zh}为 {n}，则{scope_zh}平衡"),
            format!("{scope_en} balances if {} is {n}", names.join(" + ")),
        ),
        Some(n) => (
            format!(
                "已读出的数字已使两边相差 {}，即使{target_zh}为 0 也不平衡，请对照原文核实",
                Value::int(0) - n
            ),
            format!(
                "the numbers read already differ by {}; please check against the original",
                Value::int(0) - n
            ),
        ),
        None => (
            "请对照原文核实".to_string(),
            "please check against the original".to_string(),
        ),
    };
    let mut f = Finding::new(
        rule,
        format!("{where_zh}：无法核对——{quoted}取值不确定（未能读出）；{tail_zh}"),
        format!(
            "{where_en}: cannot be checked — {} could not be read; {tail_en}",
            names.join(", ")
        ),
    );
    f.severity = crate::Severity::Warning;
    f.section = Some(section);
    let refs: Vec<CellRef> = cells.iter().map(|&i| cell_ref(report, i)).collect();
    f.loc = uncertain
        .iter()
        .find_map(|&i| report.location(i))
        .or_else(|| first_loc(&refs));
    f.cells = refs;
    f.expected = need;
    f
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
