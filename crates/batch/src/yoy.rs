//! Year over year: each agency's report for year N against its report for N−1.
//!
//! Only kept reports ([`crate::dedup`]) with a known agency and year take part; an agency
//! with reports for 2021, 2022 and 2024 gives one pair (2021–2022): a gap is not bridged.
//! The findings (YOY001–YOY004, see [`crate::rules`]) are put on the year-N report.

use std::collections::BTreeMap;

use gongkai_format::{APPLICANT_COLUMNS, FormatVersion};
use gongkai_report::Value;
use serde::Serialize;

use crate::cells::{CellValues, Unread};
use crate::rules::{
    COPY_MIN_SENTENCES, COPY_SHARE_PERCENT, FindingRow, JUMP_CELLS, JUMP_FACTOR,
    JUMP_MIN_DIFFERENCE, YOY001, YOY002, YOY003, YOY004,
};
use crate::summary::ReportSummary;
use crate::text::copied_share;

/// One agency's two consecutive years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearPair {
    /// The normalised agency.
    pub agency: String,
    pub previous_year: i32,
    pub year: i32,
    pub previous_file: String,
    pub file: String,
    /// Applicant columns whose carry-over does not match (YOY001).
    pub carry_over_mismatches: u32,
    /// Rows (规章, 行政规范性文件) whose in-force count does not add up (YOY002).
    pub in_force_mismatches: u32,
    /// Key figures that jumped (YOY003).
    pub jumps: u32,
    /// Narrative sentences of year N also in N−1, and the comparable sentences of N.
    pub copied_sentences: usize,
    pub sentences: usize,
    /// `copied_sentences / sentences`, 0..=1; `None` without comparable sentences.
    pub copied_share: Option<f64>,
    /// 本年新收 total in N−1 and N.
    pub new_received_previous: Option<i64>,
    pub new_received: Option<i64>,
}

/// Pairs consecutive years; returns the pairs and the findings with the index of the
/// report each is about.
pub(crate) fn compare(reports: &[ReportSummary]) -> (Vec<YearPair>, Vec<(usize, FindingRow)>) {
    let mut by_agency: BTreeMap<&str, Vec<(i32, usize)>> = BTreeMap::new();
    for (i, r) in reports.iter().enumerate() {
        if let (true, Some(key), Some(year)) = (r.selected, r.agency_key.as_deref(), r.year) {
            by_agency.entry(key).or_default().push((year, i));
        }
    }
    let mut pairs = Vec::new();
    let mut findings = Vec::new();
    for (agency, mut years) in by_agency {
        years.sort();
        for w in years.windows(2) {
            let ((y0, i0), (y1, i1)) = (w[0], w[1]);
            if y1 != y0 + 1 {
                continue;
            }
            let (prev, cur) = (&reports[i0], &reports[i1]);
            let (Some(pc), Some(cc)) = (&prev.cells, &cur.cells) else {
                continue;
            };
            let mut out = Vec::new();
            let pair_ctx = Ctx { cur, year: y1 };
            let carry = carry_over(&pair_ctx, pc, cc, &mut out);
            let in_force = in_force(&pair_ctx, pc, cc, &mut out);
            let jumps = jumps(&pair_ctx, pc, cc, &mut out);
            let copied = copied_share(&cur.fingerprint.sentences, &prev.fingerprint.sentences);
            if let Some((shared, total)) = copied
                && total >= COPY_MIN_SENTENCES
                && shared * 100 >= COPY_SHARE_PERCENT * total
            {
                let pct = shared * 100 / total;
                out.push(FindingRow::batch(
                    &YOY004,
                    &cur.file,
                    cur.agency.as_deref(),
                    cur.year,
                    format!(
                        "正文 {total} 句中有 {shared} 句（{pct}%）与 {y0} 年度报告（{}）相同（不计数字差别）",
                        prev.file
                    ),
                    format!(
                        "{shared} of {total} narrative sentences ({pct}%) repeat the {y0} report ({}), digits aside",
                        prev.file
                    ),
                ));
            }
            findings.extend(out.into_iter().map(|f| (i1, f)));
            let (copied_sentences, sentences) = copied.unwrap_or((0, 0));
            pairs.push(YearPair {
                agency: agency.to_string(),
                previous_year: y0,
                year: y1,
                previous_file: prev.file.clone(),
                file: cur.file.clone(),
                carry_over_mismatches: carry,
                in_force_mismatches: in_force,
                jumps,
                copied_sentences,
                sentences,
                copied_share: copied.map(|(s, t)| s as f64 / t as f64),
                new_received_previous: pc.int("s3.new_received.total"),
                new_received: cc.int("s3.new_received.total"),
            });
        }
    }
    (pairs, findings)
}

struct Ctx<'a> {
    cur: &'a ReportSummary,
    year: i32,
}

impl Ctx<'_> {
    fn finding(
        &self,
        rule: &gongkai_check::RuleMeta,
        section: u8,
        zh: String,
        en: String,
    ) -> FindingRow {
        let mut f = FindingRow::batch(
            rule,
            &self.cur.file,
            self.cur.agency.as_deref(),
            self.cur.year,
            zh,
            en,
        );
        f.section = Some(section);
        f
    }
}

/// A value of a year-over-year identity with whether it was printed blank (then 0, as in
/// every sum); `None` when the reader could not place the cell.
fn summand(c: &CellValues, id: &str) -> Option<(Value, bool)> {
    match c.summand(id) {
        Ok(v) => Some((v, c.get(id).is_none())),
        Err(Unread) => None,
    }
}

/// “（空白按 0 计）” when a blank was counted.
fn blank_note(blank: bool) -> (&'static str, &'static str) {
    if blank {
        ("（空白单元格按 0 计）", " (blank cells counted as 0)")
    } else {
        ("", "")
    }
}

impl Ctx<'_> {
    /// The warning “无法核对” of a year-over-year identity with a cell the reader could not
    /// place: never an error, which only printed, placed numbers can make.
    fn unverifiable(
        &self,
        rule: &gongkai_check::RuleMeta,
        section: u8,
        what_zh: String,
        what_en: String,
        cells: Vec<String>,
    ) -> FindingRow {
        let mut f = self.finding(
            rule,
            section,
            format!("{what_zh}：无法核对——所涉单元格未能读出，请对照原文核实"),
            format!("{what_en}: cannot be checked — a cell involved could not be read"),
        );
        f.severity = gongkai_check::Severity::Warning;
        f.cells = cells;
        f
    }
}

/// YOY001: 二、上年结转 (N) = 四、结转下年度继续办理 (N−1), per column.
fn carry_over(ctx: &Ctx, prev: &CellValues, cur: &CellValues, out: &mut Vec<FindingRow>) -> u32 {
    let mut n = 0;
    let y0 = ctx.year - 1;
    for col in APPLICANT_COLUMNS {
        let forward_id = format!("s3.carried_forward.{}", col.key);
        let over_id = format!("s3.carried_over.{}", col.key);
        let (Some((expected, b0)), Some((found, b1))) =
            (summand(prev, &forward_id), summand(cur, &over_id))
        else {
            out.push(ctx.unverifiable(
                &YOY001,
                3,
                format!(
                    "第三部分“{}”列：二、上年结转与 {y0} 年度报告的四、结转下年度继续办理",
                    col.label
                ),
                format!("Section 3, column {}: carried over against {y0}", col.key),
                vec![over_id],
            ));
            continue;
        };
        // A blank side is not checked (as in the checker's sums).
        if b0 || b1 || expected == found {
            continue;
        }
        n += 1;
        let diff = found - expected;
        let mut f = ctx.finding(
            &YOY001,
            3,
            format!(
                "第三部分“{}”列：二、上年结转（{found}）不等于 {y0} 年度报告的四、结转下年度继续办理（{expected}），相差 {diff}",
                col.label
            ),
            format!(
                "Section 3, column {}: carried over ({found}) differs from carried forward in the {y0} report ({expected}) by {diff}",
                col.key
            ),
        );
        f.cells = vec![over_id];
        f.expected = Some(expected);
        f.found = Some(found);
        f.difference = Some(diff);
        out.push(f);
    }
    n
}

/// YOY002: in_force(N) = in_force(N−1) + issued(N) − repealed(N), for both document rows.
fn in_force(ctx: &Ctx, prev: &CellValues, cur: &CellValues, out: &mut Vec<FindingRow>) -> u32 {
    if prev.format() != FormatVersion::Revised2021 || cur.format() != FormatVersion::Revised2021 {
        return 0;
    }
    let mut n = 0;
    let y0 = ctx.year - 1;
    for (key, label) in [
        ("regulations", "规章"),
        ("normative_documents", "行政规范性文件"),
    ] {
        let id = |col: &str| format!("s2.{key}.{col}");
        let cells = vec![id("in_force"), id("issued"), id("repealed")];
        let values = (
            summand(prev, &id("in_force")),
            summand(cur, &id("issued")),
            summand(cur, &id("repealed")),
            summand(cur, &id("in_force")),
        );
        let (Some((before, b0)), Some((issued, b1)), Some((repealed, b2)), Some((found, b3))) =
            values
        else {
            out.push(ctx.unverifiable(
                &YOY002,
                2,
                format!("第二部分“{label}”：现行有效件数与 {y0} 年度报告"),
                format!("Section 2, {key}: in force against {y0}"),
                cells,
            ));
            continue;
        };
        // Nothing printed on one side: not checked (as in the checker's sums).
        if b3 || (b0 && b1 && b2) {
            continue;
        }
        let expected = before + issued - repealed;
        if expected == found {
            continue;
        }
        n += 1;
        let diff = found - expected;
        let note = blank_note(b0 || b1 || b2);
        let mut f = ctx.finding(
            &YOY002,
            2,
            format!(
                "第二部分“{label}”：现行有效件数（{found}）不等于 {y0} 年度现行有效件数 {before} + 本年制发 {issued} − 本年废止 {repealed} = {expected}，相差 {diff}{}",
                note.0
            ),
            format!(
                "Section 2, {key}: in force ({found}) ≠ in force in {y0} ({before}) + issued ({issued}) − repealed ({repealed}) = {expected}, difference {diff}{}",
                note.1
            ),
        );
        f.cells = cells;
        f.expected = Some(expected);
        f.found = Some(found);
        f.difference = Some(diff);
        out.push(f);
    }
    n
}

/// True when `a` → `b` is a jump: the larger at least [`JUMP_FACTOR`] times the smaller
/// (zero counted as one) and at least [`JUMP_MIN_DIFFERENCE`] apart.
pub fn is_jump(a: i64, b: i64) -> bool {
    let (lo, hi) = (a.min(b), a.max(b));
    lo >= 0
        && hi.saturating_sub(lo) >= JUMP_MIN_DIFFERENCE
        && hi >= lo.max(1).saturating_mul(JUMP_FACTOR)
}

/// YOY003: large jumps in the key figures.
fn jumps(ctx: &Ctx, prev: &CellValues, cur: &CellValues, out: &mut Vec<FindingRow>) -> u32 {
    let mut n = 0;
    for (id, name) in JUMP_CELLS {
        let (Some(a), Some(b)) = (prev.int(id), cur.int(id)) else {
            continue;
        };
        if !is_jump(a, b) {
            continue;
        }
        n += 1;
        let y0 = ctx.year - 1;
        let change_zh = if b > a {
            format!("增至 {:.1} 倍", b as f64 / a.max(1) as f64)
        } else {
            format!("降至 {:.1}%", b as f64 * 100.0 / a as f64)
        };
        let section = if id.starts_with("s2.") {
            2
        } else if id.starts_with("s3.") {
            3
        } else {
            4
        };
        let mut f = ctx.finding(
            &YOY003,
            section,
            format!("{name}从 {y0} 年度的 {a} 变为 {b}（{change_zh}），请核实"),
            format!("{id} changed from {a} in {y0} to {b}; please verify"),
        );
        f.cells = vec![id.to_string()];
        f.expected = Some(Value::int(a));
        f.found = Some(Value::int(b));
        f.difference = Some(Value::int(b - a));
        out.push(f);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jump_threshold() {
        assert!(!is_jump(0, 3));
        assert!(!is_jump(0, 49));
        assert!(is_jump(0, 50));
        assert!(is_jump(100, 20), "a fall counts like a rise");
        assert!(is_jump(20, 100));
        assert!(!is_jump(100, 21));
        assert!(!is_jump(21, 100));
        assert!(is_jump(1000, 10));
        assert!(!is_jump(300, 100));
    }
}
