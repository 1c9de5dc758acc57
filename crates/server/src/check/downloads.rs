//! The report checker's downloads: one report as JSON, its cells and findings as CSV, a
//! batch's summary CSV and dashboard.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use gongkai_check::Finding;
use gongkai_report::Value;

use super::{attachment_response, get_upload, report_title, valid_id};
use crate::AppState;
use crate::error::PageError;
use crate::uploads::{Checked, Upload, counts};
use crate::view;
/// The name of downloads: the upload's name without its extension.
fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

fn checked_of(u: &Upload) -> Result<&Checked, PageError> {
    u.result
        .as_ref()
        .map_err(|e| PageError::BadRequest(format!("文件未能读取：{e}")))
}

pub(super) async fn report_json(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let u = get_upload(&st, &id).await?;
    let c = checked_of(&u)?;
    let findings = gongkai_check::check(&c.current);
    let body = serde_json::json!({
        "file": { "name": u.name, "size": u.size, "uploaded_at": u.uploaded_at },
        "report": c.current,
        "findings": findings,
        "corrections": c.corrections,
        "cells_as_read": c.corrections.iter().map(|k| (k.cell.clone(), c.read.get(&k.cell))).collect::<HashMap<_, _>>(),
    });
    let bytes = serde_json::to_vec_pretty(&body).map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(attachment_response(
        "application/json; charset=utf-8",
        &format!("{}.json", stem(&u.name)),
        bytes,
    ))
}

fn csv_bytes(rows: Vec<Vec<String>>) -> Result<Vec<u8>, PageError> {
    // A BOM, so that Excel reads the file as UTF-8 rather than GBK.
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    for r in rows {
        // Text that a spreadsheet would run as a formula (a file name or a printed label
        // beginning with `=`, `+`, `-`, `@`) is quoted by the batch writer's guard; numbers,
        // negative ones included, stay numbers.
        let guarded = r.iter().map(|f| {
            if f.parse::<f64>().is_ok() {
                f.clone()
            } else {
                gongkai_batch::output::formula_safe(f).into_owned()
            }
        });
        w.write_record(guarded)
            .map_err(|e| PageError::Internal(e.to_string()))?;
    }
    w.into_inner()
        .map_err(|e| PageError::Internal(e.to_string()))
}

/// One row per cell: id, section, label, value, value as read, corrected, uncertain, the
/// codes of the findings on it.
pub fn cells_table(c: &Checked, findings: &[Finding]) -> Vec<Vec<String>> {
    let mut codes: HashMap<&str, Vec<&str>> = HashMap::new();
    for f in findings {
        for cell in &f.cells {
            let v = codes.entry(cell.id.as_str()).or_default();
            if !v.contains(&f.code) {
                v.push(f.code);
            }
        }
    }
    let mut rows = vec![
        [
            "单元格编号",
            "部分",
            "名称",
            "值",
            "读取值",
            "已更正",
            "取值不确定",
            "问题",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let corrected: std::collections::HashSet<&str> =
        c.corrections.iter().map(|k| k.cell.as_str()).collect();
    for (i, def) in c.current.format.cells().iter().enumerate() {
        let cur = c.current.cells[i];
        let read = c.read.cells.get(i).copied().flatten();
        rows.push(vec![
            def.id.clone(),
            def.section.to_string(),
            def.label.clone(),
            cur.map(|v| v.to_string()).unwrap_or_default(),
            read.map(|v| v.to_string()).unwrap_or_default(),
            if corrected.contains(def.id.as_str()) {
                "是"
            } else {
                ""
            }
            .to_string(),
            if c.current.is_uncertain(&def.id) {
                "是"
            } else {
                ""
            }
            .to_string(),
            codes
                .get(def.id.as_str())
                .map(|v| v.join(" "))
                .unwrap_or_default(),
        ]);
    }
    rows
}

/// An upload's report checked as it stands now, as a CSV download `<stem>-<suffix>.csv`
/// with the rows `table` makes of it.
async fn checked_csv(
    st: &AppState,
    id: &str,
    suffix: &str,
    table: impl FnOnce(&Checked, &[Finding]) -> Vec<Vec<String>>,
) -> Result<Response, PageError> {
    let u = get_upload(st, id).await?;
    let c = checked_of(&u)?;
    let findings = gongkai_check::check(&c.current);
    Ok(attachment_response(
        "text/csv; charset=utf-8",
        &format!("{}-{suffix}.csv", stem(&u.name)),
        csv_bytes(table(c, &findings))?,
    ))
}

pub(super) async fn cells_csv(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    checked_csv(&st, &id, "单元格", cells_table).await
}

/// One row per finding.
pub fn findings_table(findings: &[Finding]) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "序号",
            "代码",
            "级别",
            "说明",
            "涉及单元格",
            "预期",
            "实际",
            "差额",
            "位置",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let opt = |v: Option<Value>| v.map(|v| v.to_string()).unwrap_or_default();
    for (i, f) in findings.iter().enumerate() {
        rows.push(vec![
            (i + 1).to_string(),
            f.code.to_string(),
            f.severity.zh().to_string(),
            f.message_zh.clone(),
            f.cells
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            opt(f.expected),
            opt(f.found),
            opt(f.difference),
            view::location(f.loc),
        ]);
    }
    rows
}

pub(super) async fn findings_csv(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    checked_csv(&st, &id, "问题清单", |_, findings| {
        findings_table(findings)
    })
    .await
}

/// The batch dashboard of `gongkai batch --html` over the files of one upload: outcomes,
/// applicant types, rates, the most frequent findings, the worst reports, year over year.
pub(super) async fn batch_dashboard(
    State(st): State<AppState>,
    Path(batch): Path<String>,
) -> Result<Response, PageError> {
    valid_id(&batch)?;
    let uploads = st.uploads().batch(&batch).await?;
    if uploads.is_empty() {
        return Err(PageError::NotFound("找不到这批上传的文件".into()));
    }
    let items: Vec<gongkai_batch::Prepared> = uploads
        .iter()
        .map(|u| match &u.result {
            Ok(c) => gongkai_batch::Prepared::Read {
                file: u.name.clone(),
                report: Box::new(c.current.clone()),
            },
            Err(reason) => gongkai_batch::Prepared::Unreadable {
                file: u.name.clone(),
                reason: reason.clone(),
            },
        })
        .collect();
    let page = tokio::task::spawn_blocking(move || {
        gongkai_batch::run_reports(&items, &gongkai_batch::Options::default())
            .map(|b| gongkai_batch::dashboard::render_titled(&b, "上传报告的汇总"))
    })
    .await
    .map_err(|e| PageError::Internal(e.to_string()))?
    .map_err(|e| PageError::Internal(e.to_string()))?;
    let mut resp = page.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // The page is self-contained: inline CSS and SVG, no scripts.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
        ),
    );
    Ok(resp)
}

pub(super) async fn batch_csv(
    State(st): State<AppState>,
    Path(batch): Path<String>,
) -> Result<Response, PageError> {
    valid_id(&batch)?;
    let uploads = st.uploads().batch(&batch).await?;
    if uploads.is_empty() {
        return Err(PageError::NotFound("找不到这批上传的文件".into()));
    }
    let mut rows = vec![
        [
            "文件",
            "报告标题",
            "机关",
            "年度",
            "报告格式（2021/2019版）",
            "错误",
            "警告",
            "问题代码",
            "读取错误",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for u in &uploads {
        match &u.result {
            Ok(c) => {
                let f = gongkai_check::check(&c.current);
                let (e, w) = counts(&f);
                let mut codes: Vec<&str> = f.iter().map(|f| f.code).collect();
                codes.dedup();
                rows.push(vec![
                    u.name.clone(),
                    report_title(&c.current),
                    c.current.meta.agency.clone().unwrap_or_default(),
                    c.current
                        .meta
                        .year
                        .map(|y| y.to_string())
                        .unwrap_or_default(),
                    c.current.format.as_str().to_string(),
                    e.to_string(),
                    w.to_string(),
                    codes.join(" "),
                    String::new(),
                ]);
            }
            Err(msg) => rows.push(vec![
                u.name.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                msg.clone(),
            ]),
        }
    }
    Ok(attachment_response(
        "text/csv; charset=utf-8",
        "检查汇总.csv",
        csv_bytes(rows)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_guards_formulas_but_keeps_numbers() {
        let bytes = csv_bytes(vec![vec![
            "=HYPERLINK(\"x\")".into(),
            "@SUM(A1)".into(),
            "-1".into(),
            "3.5".into(),
            "-2+3".into(),
            "某县政府.txt".into(),
        ]])
        .unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "\u{feff}\"'=HYPERLINK(\"\"x\"\")\",'@SUM(A1),-1,3.5,'-2+3,某县政府.txt\n"
        );
    }
}
