//! 批量导入 register items (issue 16 §2 “bulk work”): a CSV or XLSX sheet with one item a
//! row, and the attachments it names, from a folder (the command line) or uploaded with
//! it (the web). The header row names the columns (名称, 生成日期, 文号, 主题分类, 体裁,
//! 内容概述, 正文, 发布机构, 公开属性, 不予公开依据, 发布渠道, 附件); every row is checked
//! as if entered alone (the agency's lists, dates, lengths, each attachment present), and
//! the import is all or nothing: one refused row refuses it, naming the row and the column,
//! and writes nothing. The items are registered as drafts, numbered in row order, in one
//! transaction with one audit row each; their review follows as for any item.

use gongkai_ledger::Vocabulary;
use gongkai_ledger::import::{Cell, Refusal, Sheet};
use gongkai_ledger::register::{Disclosure, ItemDraft, Outlet, WithholdBasis};
use gongkai_store::register::{MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, NewAttachment, RegisterItem};
use serde::Serialize;

use super::check_draft;
use crate::actor::Actor;
use crate::{Result, Service, ServiceError};

/// Rows in one import at most.
pub const MAX_ROWS: usize = 5_000;

/// The columns, by header.
const COLUMNS: &[(&str, &[&str])] = &[
    ("名称", &["名称", "标题", "信息名称"]),
    ("生成日期", &["生成日期", "成文日期", "形成日期"]),
    ("文号", &["文号", "发文字号"]),
    ("主题分类", &["主题分类", "主题"]),
    ("体裁", &["体裁", "文种"]),
    ("内容概述", &["内容概述", "摘要", "内容摘要"]),
    ("正文", &["正文", "内容"]),
    ("发布机构", &["发布机构", "发文机关"]),
    ("公开属性", &["公开属性", "公开方式"]),
    ("不予公开依据", &["不予公开依据", "不公开理由"]),
    ("发布渠道", &["发布渠道", "公开渠道"]),
    ("附件", &["附件", "附件文件"]),
];

/// One row read: the draft, the attachment file names, its row number (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub row: usize,
    pub draft: ItemDraft,
    pub attachments: Vec<String>,
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct ItemImport {
    pub items: Vec<RegisterItem>,
}

fn split_list(s: &str) -> Vec<String> {
    s.split([';', '；', '、', ',', '，', '\n'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn refusal(row: usize, column: &str, reason: impl Into<String>) -> Refusal {
    Refusal {
        row,
        column: Some(column.to_string()),
        reason: reason.into(),
    }
}

/// Reads the rows of `sheet` (the header is the first row naming 名称), without the
/// agency's lists (the store checks those when registering). The refusals name row and
/// column; an empty row is skipped.
pub fn parse_sheet(sheet: &Sheet) -> std::result::Result<Vec<ImportRow>, Vec<Refusal>> {
    let header_at = sheet
        .rows
        .iter()
        .position(|r| r.iter().any(|c| COLUMNS[0].1.contains(&c.text().as_str())));
    let Some(h) = header_at else {
        return Err(vec![Refusal {
            row: 0,
            column: None,
            reason: "找不到标题行（须有“名称”“生成日期”等列标题）".into(),
        }]);
    };
    let header: Vec<String> = sheet.rows[h].iter().map(Cell::text).collect();
    let col = |name: &str| -> Option<usize> {
        let names = COLUMNS.iter().find(|(n, _)| *n == name)?.1;
        header.iter().position(|t| names.contains(&t.as_str()))
    };
    let mut refusals = Vec::new();
    for required in ["名称", "生成日期", "主题分类", "体裁", "内容概述"] {
        if col(required).is_none() {
            refusals.push(Refusal {
                row: h + 1,
                column: Some(required.into()),
                reason: format!("缺少“{required}”列"),
            });
        }
    }
    if !refusals.is_empty() {
        return Err(refusals);
    }
    let mut rows = Vec::new();
    for (i, r) in sheet.rows.iter().enumerate().skip(h + 1) {
        let n = i + 1;
        if r.iter().all(Cell::is_empty) {
            continue;
        }
        let get = |name: &str| -> String {
            col(name)
                .and_then(|j| r.get(j))
                .map(Cell::text)
                .unwrap_or_default()
        };
        let formed_on = match col("生成日期").and_then(|j| r.get(j)) {
            Some(Cell::Date(d)) => Some(*d),
            Some(c) => gongkai_ledger::parse_date(&c.text()),
            None => None,
        };
        let Some(formed_on) = formed_on else {
            refusals.push(refusal(
                n,
                "生成日期",
                format!("“{}”不是日期", get("生成日期")),
            ));
            continue;
        };
        let disclosure = match get("公开属性").as_str() {
            "" | "主动公开" | "proactive" => Disclosure::Proactive,
            "依申请公开" | "on_request" => Disclosure::OnRequest,
            "不予公开" | "withheld" => match WithholdBasis::parse(&get("不予公开依据")) {
                Ok(basis) => Disclosure::Withheld { basis },
                Err(e) => {
                    refusals.push(refusal(n, "不予公开依据", e.to_string()));
                    continue;
                }
            },
            other => {
                refusals.push(refusal(
                    n,
                    "公开属性",
                    format!("“{other}”无效，应为主动公开、依申请公开或不予公开"),
                ));
                continue;
            }
        };
        let mut outlets = Vec::new();
        let mut bad = None;
        for o in split_list(&get("发布渠道")) {
            match Outlet::parse(&o) {
                Ok(o) => outlets.push(o),
                Err(e) => bad = Some(e.to_string()),
            }
        }
        if let Some(e) = bad {
            refusals.push(refusal(n, "发布渠道", e));
            continue;
        }
        let number = Some(get("文号")).filter(|s| !s.is_empty());
        rows.push(ImportRow {
            row: n,
            draft: ItemDraft {
                title: get("名称"),
                organ: get("发布机构"),
                formed_on,
                number,
                topic: get("主题分类"),
                genre: get("体裁"),
                summary: get("内容概述"),
                body: get("正文"),
                disclosure,
                validity: None,
                outlets,
            },
            attachments: split_list(&get("附件")),
        });
    }
    if rows.len() > MAX_ROWS {
        refusals.push(Refusal {
            row: 0,
            column: None,
            reason: format!("一次最多导入 {MAX_ROWS} 项，现有 {} 项", rows.len()),
        });
    }
    if refusals.is_empty() {
        Ok(rows)
    } else {
        Err(refusals)
    }
}

fn refused(refusals: Vec<Refusal>) -> ServiceError {
    let text = refusals
        .iter()
        .take(20)
        .map(|r| match (&r.column, r.row) {
            (Some(c), n) if n > 0 => format!("第 {n} 行“{c}”：{}", r.reason),
            (_, n) if n > 0 => format!("第 {n} 行：{}", r.reason),
            _ => r.reason.clone(),
        })
        .collect::<Vec<_>>()
        .join("；");
    ServiceError::invalid("导入文件", format!("导入失败，未写入任何事项：{text}"))
}

/// The media type of an attachment, from its file name's extension.
pub fn media_type(name: &str) -> &'static str {
    let lower = name.to_lowercase();
    match lower.rsplit('.').next().unwrap_or("") {
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "doc" => "application/msword",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xls" => "application/vnd.ms-excel",
        "html" | "htm" => "text/html",
        "txt" => "text/plain",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "zip" => "application/zip",
        "ofd" => "application/ofd",
        _ => "application/octet-stream",
    }
}

/// One row an import would register.
#[derive(Debug, Clone, Serialize)]
pub struct PreviewRow {
    pub row: usize,
    pub title: String,
    pub formed_on: chrono::NaiveDate,
    pub topic: String,
    pub genre: String,
    pub attachments: Vec<String>,
}

/// What an import would do (nothing written): the rows it would register, or every row
/// refused with its column and reason (the import then writes nothing).
#[derive(Debug, Clone, Serialize)]
pub struct ImportPreview {
    pub rows: Vec<PreviewRow>,
    pub refusals: Vec<Refusal>,
}

impl ImportPreview {
    /// Whether the import would be accepted.
    pub fn ok(&self) -> bool {
        self.refusals.is_empty()
    }
}

impl Service {
    /// Previews the import of sheet file `name` without writing: every row checked as
    /// [`Service::import_items`] checks it (the columns, the agency's lists and dates as
    /// when registering, each attachment present and within the limits), every problem
    /// named by row and column. A file that cannot be read at all is an error.
    pub async fn preview_item_import(
        &self,
        actor: &Actor,
        name: &str,
        bytes: &[u8],
        attachment: &(dyn Fn(&str) -> Option<Vec<u8>> + Send + Sync),
    ) -> Result<ImportPreview> {
        let sheet = crate::imports::read_sheet(name, bytes)?;
        let parsed = match parse_sheet(&sheet) {
            Ok(rows) => rows,
            Err(refusals) => {
                return Ok(ImportPreview {
                    rows: Vec::new(),
                    refusals,
                });
            }
        };
        let store = self.store_for(actor);
        let settings = store.register_settings().await?;
        let organ = store.agency().await?;
        let today = self.current_date();
        let mut rows = Vec::with_capacity(parsed.len());
        let mut refusals = Vec::new();
        for mut r in parsed {
            if r.draft.organ.trim().is_empty() {
                r.draft.organ = organ.clone();
            }
            if let Err(e) = check_draft(&r.draft) {
                refusals.push(Refusal {
                    row: r.row,
                    column: None,
                    reason: e.to_string(),
                });
            }
            match r.draft.clone().validated(&settings, today) {
                Ok(d) => rows.push(PreviewRow {
                    row: r.row,
                    title: d.title,
                    formed_on: d.formed_on,
                    topic: d.topic,
                    genre: d.genre,
                    attachments: r.attachments.clone(),
                }),
                Err(e) => refusals.push(Refusal {
                    row: r.row,
                    column: None,
                    reason: e.to_string(),
                }),
            }
            if r.attachments.len() > MAX_ATTACHMENTS {
                refusals.push(refusal(
                    r.row,
                    "附件",
                    format!(
                        "附件最多 {MAX_ATTACHMENTS} 个，现有 {} 个",
                        r.attachments.len()
                    ),
                ));
            }
            for f in &r.attachments {
                match attachment(f) {
                    None => refusals.push(refusal(r.row, "附件", format!("找不到附件“{f}”"))),
                    Some(b) if b.len() > MAX_ATTACHMENT_BYTES => refusals.push(refusal(
                        r.row,
                        "附件",
                        format!(
                            "附件“{f}”有 {} 字节，超过 {} MiB 的上限",
                            b.len(),
                            MAX_ATTACHMENT_BYTES / 1024 / 1024
                        ),
                    )),
                    Some(_) => {}
                }
            }
        }
        Ok(ImportPreview { rows, refusals })
    }

    /// Imports the items of sheet file `name` (`bytes`, CSV or XLSX); `attachment` gives
    /// the bytes of a file the sheet names (`None`: missing, the row is refused). All or
    /// nothing.
    pub async fn import_items(
        &self,
        actor: &Actor,
        name: &str,
        bytes: &[u8],
        attachment: &(dyn Fn(&str) -> Option<Vec<u8>> + Send + Sync),
    ) -> Result<ItemImport> {
        let sheet = crate::imports::read_sheet(name, bytes)?;
        let rows = parse_sheet(&sheet).map_err(refused)?;
        let mut batch = Vec::with_capacity(rows.len());
        let mut missing = Vec::new();
        let organ = self.store_for(actor).agency().await?;
        for mut r in rows {
            let mut files = Vec::new();
            for f in &r.attachments {
                match attachment(f) {
                    Some(b) => {
                        let text = super::attachment_text::extract(f, &b);
                        files.push((
                            NewAttachment {
                                name: f.clone(),
                                media_type: media_type(f).to_string(),
                                bytes: b,
                            },
                            text,
                        ))
                    }
                    None => missing.push(refusal(r.row, "附件", format!("找不到附件“{f}”"))),
                }
            }
            if r.draft.organ.trim().is_empty() {
                r.draft.organ = organ.clone();
            }
            batch.push((r.row, r.draft, files));
        }
        if !missing.is_empty() {
            return Err(refused(missing));
        }
        let r = self
            .store_for(actor)
            .import_items(batch, self.current_date(), &actor.stamp())
            .await;
        let items = self
            .refused(actor, "register.import", name, r.map_err(Into::into))
            .await?;
        tracing::info!(count = items.len(), user = actor.name(), "items imported");
        Ok(ItemImport { items })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet::from_rows(rows.iter().map(|r| r.iter().map(|s| s.to_string())))
    }

    #[test]
    fn rows_become_drafts_and_bad_rows_are_named() {
        let s = sheet(&[
            &["某局主动公开目录"],
            &[
                "名称",
                "生成日期",
                "主题分类",
                "体裁",
                "内容概述",
                "发布渠道",
                "附件",
            ],
            &[
                "关于甲的通知",
                "2025年10月9日",
                "综合政务",
                "通知",
                "甲。",
                "政府网站、政务新媒体",
                "甲.pdf；甲附表.xlsx",
            ],
            &["", "", "", "", "", "", ""],
            &[
                "关于乙的公告",
                "2025-10-10",
                "综合政务",
                "公告",
                "乙。",
                "",
                "",
            ],
        ]);
        let rows = parse_sheet(&s).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].row, 3);
        assert_eq!(rows[0].draft.formed_on.to_string(), "2025-10-09");
        assert_eq!(
            rows[0].draft.outlets,
            vec![Outlet::Website, Outlet::NewMedia]
        );
        assert_eq!(rows[0].attachments, vec!["甲.pdf", "甲附表.xlsx"]);
        assert_eq!(rows[1].row, 5);

        let bad = sheet(&[
            &[
                "名称",
                "生成日期",
                "主题分类",
                "体裁",
                "内容概述",
                "公开属性",
            ],
            &["丙", "昨天", "综合政务", "通知", "丙。", ""],
            &["丁", "2025-10-10", "综合政务", "通知", "丁。", "半公开"],
        ]);
        let e = parse_sheet(&bad).unwrap_err();
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].row, e[0].column.as_deref()), (2, Some("生成日期")));
        assert_eq!((e[1].row, e[1].column.as_deref()), (3, Some("公开属性")));
        let msg = refused(e).to_string();
        assert!(msg.contains("第 2 行“生成日期”"), "{msg}");

        let no_header = sheet(&[&["标题行不在"], &["x"]]);
        assert!(parse_sheet(&no_header).is_err());
        let missing = sheet(&[&["名称", "生成日期"]]);
        assert!(
            parse_sheet(&missing).unwrap_err()[0]
                .reason
                .contains("主题分类")
        );
    }
}
