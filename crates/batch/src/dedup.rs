//! Duplicates: which reports count once.
//!
//! Two steps, over the readable reports in path order:
//!
//! 1. **Identical content** (DUP002): the same format, the same 200 cells and the same
//!    narrative (see [`crate::text`]) — the same report saved twice, or published as a web
//!    page and as a document. The first file by path is kept; the others are marked.
//! 2. **Same agency and year, different content** (DUP001): two versions of one report.
//!    One is kept: the latest printed date, then the fewer checker errors, then the first
//!    path. Every version is marked and the message names the one kept.
//!
//! Reports that are not kept (`selected = false`) are still listed and checked; they are
//! left out of year-over-year pairing, the roll-up and the dashboard's totals.

use std::collections::{BTreeMap, HashMap};

use crate::rules::{DUP001, DUP002, FindingRow};
use crate::summary::ReportSummary;

/// Marks duplicates; returns the findings with the index of the report each is about.
pub(crate) fn mark(reports: &mut [ReportSummary]) -> Vec<(usize, FindingRow)> {
    let mut out = Vec::new();

    // 1. Identical content.
    let mut by_content: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, r) in reports.iter().enumerate() {
        if r.status.is_ok() {
            by_content.entry(r.content_hash).or_default().push(i);
        }
    }
    let mut groups: Vec<Vec<usize>> = by_content.into_values().filter(|g| g.len() > 1).collect();
    groups.sort();
    for group in groups {
        let first = group[0];
        for &i in &group[1..] {
            let (kept, r) = (&reports[first], &reports[i]);
            let same_identity = kept.agency_key == r.agency_key && kept.year == r.year;
            let (zh, en) = if same_identity {
                (
                    format!(
                        "与 {} 内容完全相同（重复文件），逐年对比和汇总只计后者",
                        kept.file
                    ),
                    format!(
                        "identical to {}; only that file counts in pairing and roll-up",
                        kept.file
                    ),
                )
            } else {
                (
                    format!(
                        "与 {}（{} {}年度）内容完全相同，但标注的机关或年度不同，可能抄自该报告",
                        kept.file,
                        kept.agency.as_deref().unwrap_or("机关不明"),
                        kept.year.map_or("?".to_string(), |y| y.to_string())
                    ),
                    format!(
                        "identical content to {} ({} {}) under a different agency or year: possibly copied",
                        kept.file,
                        kept.agency.as_deref().unwrap_or("unknown agency"),
                        kept.year.map_or("?".to_string(), |y| y.to_string())
                    ),
                )
            };
            out.push((
                i,
                FindingRow::batch(&DUP002, &r.file, r.agency.as_deref(), r.year, zh, en),
            ));
            reports[i].selected = false;
        }
    }

    // 2. Same agency and year, different content.
    let mut by_identity: BTreeMap<(&str, i32), Vec<usize>> = BTreeMap::new();
    for (i, r) in reports.iter().enumerate() {
        if let (true, Some(key), Some(year)) = (r.selected, r.agency_key.as_deref(), r.year) {
            by_identity.entry((key, year)).or_default().push(i);
        }
    }
    let mut unselect = Vec::new();
    for group in by_identity.into_values().filter(|g| g.len() > 1) {
        let kept = *group
            .iter()
            .min_by(|&&a, &&b| {
                let (ra, rb) = (&reports[a], &reports[b]);
                rb.published()
                    .cmp(&ra.published())
                    .then(ra.errors.cmp(&rb.errors))
                    .then(a.cmp(&b))
            })
            .unwrap_or(&group[0]);
        let kept_file = &reports[kept].file;
        let files: Vec<&str> = group.iter().map(|&i| reports[i].file.as_str()).collect();
        for &i in &group {
            let r = &reports[i];
            let others: Vec<&str> = files
                .iter()
                .copied()
                .filter(|f| *f != r.file.as_str())
                .collect();
            let (zh_use, en_use) = if i == kept {
                ("采用本报告".to_string(), "this report is used".to_string())
            } else {
                (format!("采用 {kept_file}"), format!("{kept_file} is used"))
            };
            out.push((
                i,
                FindingRow::batch(
                    &DUP001,
                    &r.file,
                    r.agency.as_deref(),
                    r.year,
                    format!(
                        "同一机关同一年度还有 {} 份内容不同的报告（{}）；逐年对比和汇总{zh_use}",
                        others.len(),
                        others.join("、")
                    ),
                    format!(
                        "{} other, different report(s) for the same agency and year ({}); in pairing and roll-up {en_use}",
                        others.len(),
                        others.join(", ")
                    ),
                ),
            ));
            if i != kept {
                unselect.push(i);
            }
        }
    }
    for i in unselect {
        reports[i].selected = false;
    }
    out
}
