//! The standard catalogue (政府信息公开目录, art. 12) of the published items as CSV or XLSX:
//! 索引号, 名称, 内容概述, 生成日期, 发布机构, 文号, 主题分类 (the fields of
//! `proactive-and-portal.md` §4), with 体裁, 发布日期 (the first publication) and the channels
//! with their dates. One row per published item (not withdrawn), in the current version,
//! ordered by 生成日期 and 索引号. Every CSV cell goes through `csv_cell` (formula guard);
//! XLSX text is written as strings.

use chrono::NaiveDate;
use gongkai_ledger::register::{Outlet, Publication};
use gongkai_report::spreadsheet::csv_cell;
use gongkai_write::xlsx::{self, SheetValue};
use serde::Serialize;

use std::collections::HashMap;

use gongkai_ledger::register::ItemStage;
use gongkai_store::register::ItemQuery;

use crate::actor::Actor;
use crate::exports::{Export, ExportFormat};
use crate::{Result, Service, ServiceError};

/// The catalogue's columns: header and width (XLSX, characters).
pub const CATALOGUE_COLUMNS: [(&str, u8); 10] = [
    ("索引号", 24),
    ("名称", 48),
    ("内容概述", 48),
    ("生成日期", 12),
    ("发布机构", 24),
    ("文号", 20),
    ("主题分类", 20),
    ("体裁", 10),
    ("发布日期", 12),
    ("发布渠道", 40),
];

/// One row of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogueRow {
    /// The item's id in the register (for links; not a column).
    pub id: i64,
    pub index_number: String,
    pub title: String,
    pub summary: String,
    pub formed_on: NaiveDate,
    pub organ: String,
    pub number: Option<String>,
    pub topic: String,
    pub genre: String,
    /// The first publication.
    pub published_on: Option<NaiveDate>,
    /// The channels with their dates, in words (`政府网站 2025-03-04；政务新媒体“某某发布” 2025-03-05`).
    pub channels: String,
}

/// The channels of `publications` in words, each once with its first date, in date order.
pub fn channels_text(publications: &[Publication]) -> String {
    let mut seen: Vec<(Outlet, &str, NaiveDate)> = Vec::new();
    for p in publications {
        let account = p.account.trim();
        match seen
            .iter_mut()
            .find(|(o, a, _)| *o == p.outlet && *a == account)
        {
            Some(s) => s.2 = s.2.min(p.published_on),
            None => seen.push((p.outlet, account, p.published_on)),
        }
    }
    seen.sort_by_key(|s| s.2);
    seen.iter()
        .map(|(o, a, d)| {
            if a.is_empty() {
                format!("{} {}", o.label_zh(), d.format("%Y-%m-%d"))
            } else {
                format!("{}“{a}” {}", o.label_zh(), d.format("%Y-%m-%d"))
            }
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn texts(r: &CatalogueRow) -> [String; 10] {
    let date = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    [
        r.index_number.clone(),
        r.title.clone(),
        r.summary.clone(),
        r.formed_on.format("%Y-%m-%d").to_string(),
        r.organ.clone(),
        r.number.clone().unwrap_or_default(),
        r.topic.clone(),
        r.genre.clone(),
        date(r.published_on).unwrap_or_default(),
        r.channels.clone(),
    ]
}

/// The catalogue as CSV (UTF-8 with BOM, so that spreadsheet programs read the Chinese).
pub fn catalogue_csv(rows: &[CatalogueRow]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let fail = |e: csv::Error| ServiceError::BadRequest(format!("无法生成 CSV：{e}"));
    w.write_record(CATALOGUE_COLUMNS.iter().map(|c| c.0))
        .map_err(fail)?;
    for r in rows {
        w.write_record(texts(r).iter().map(|t| csv_cell(t).into_owned()))
            .map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| ServiceError::BadRequest(format!("无法生成 CSV：{}", e.error())))
}

/// The catalogue as XLSX (one sheet, 政府信息公开目录; dates as dates).
pub fn catalogue_xlsx(rows: &[CatalogueRow]) -> Result<Vec<u8>> {
    let headers: Vec<&str> = CATALOGUE_COLUMNS.iter().map(|c| c.0).collect();
    let widths: Vec<f64> = CATALOGUE_COLUMNS.iter().map(|c| f64::from(c.1)).collect();
    let sheet: Vec<Vec<SheetValue>> = rows
        .iter()
        .map(|r| {
            let t = texts(r);
            let text = |i: usize| {
                if t[i].is_empty() {
                    SheetValue::Empty
                } else {
                    SheetValue::Text(t[i].clone())
                }
            };
            vec![
                text(0),
                text(1),
                text(2),
                SheetValue::Date(r.formed_on),
                text(4),
                text(5),
                text(6),
                text(7),
                r.published_on.map_or(SheetValue::Empty, SheetValue::Date),
                text(9),
            ]
        })
        .collect();
    xlsx::table("政府信息公开目录", &headers, &widths, &sheet)
        .map_err(|e| ServiceError::BadRequest(e.to_string()))
}

impl Service {
    /// The catalogue rows: every published item (not withdrawn), first published in `year`
    /// if given, ordered by 生成日期 and 索引号.
    pub async fn catalogue_rows(
        &self,
        actor: &Actor,
        year: Option<i32>,
    ) -> Result<Vec<CatalogueRow>> {
        if let Some(y) = year
            && !(2008..=9999).contains(&y)
        {
            return Err(ServiceError::invalid(
                "年度",
                format!("{y} 不在 2008 至 9999 之间"),
            ));
        }
        let store = self.store_for(actor);
        let page = store
            .list_items(&ItemQuery {
                stage: Some(ItemStage::Published),
                published_in: year,
                limit: None,
                ..ItemQuery::default()
            })
            .await?;
        let facts = store.register_facts().await?;
        let publications: HashMap<String, Vec<Publication>> =
            facts.into_iter().map(|f| (f.id, f.publications)).collect();
        let mut rows: Vec<CatalogueRow> = page
            .items
            .into_iter()
            .map(|i| {
                let pubs = publications.get(&i.id.to_string());
                CatalogueRow {
                    id: i.id,
                    channels: pubs.map(|p| channels_text(p)).unwrap_or_default(),
                    published_on: i.first_published_on,
                    index_number: i.index_number,
                    title: i.title,
                    summary: i.summary,
                    formed_on: i.formed_on,
                    organ: i.organ,
                    number: i.number,
                    topic: i.topic,
                    genre: i.genre,
                }
            })
            .collect();
        rows.sort_by(|a, b| (a.formed_on, &a.index_number).cmp(&(b.formed_on, &b.index_number)));
        Ok(rows)
    }

    /// The catalogue as `format` (module docs); audited as a download (`register`,
    /// `catalogue`).
    pub async fn catalogue_export(
        &self,
        actor: &Actor,
        year: Option<i32>,
        format: ExportFormat,
    ) -> Result<Export> {
        let rows = self.catalogue_rows(actor, year).await?;
        let bytes = match format {
            ExportFormat::Csv => catalogue_csv(&rows)?,
            ExportFormat::Xlsx => catalogue_xlsx(&rows)?,
        };
        self.record_download(actor, "register", "catalogue", format.as_str())
            .await?;
        tracing::info!(
            rows = rows.len(),
            format = format.as_str(),
            user = actor.name(),
            "catalogue exported"
        );
        Ok(Export {
            bytes,
            file_name: match year {
                Some(y) => format!("政府信息公开目录-{y}.{}", format.as_str()),
                None => format!("政府信息公开目录.{}", format.as_str()),
            },
            content_type: format.content_type(),
            rows: rows.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn row() -> CatalogueRow {
        CatalogueRow {
            id: 1,
            index_number: "11000-2025-00001".into(),
            title: "=关于做好防汛抗旱工作的通知".into(),
            summary: "部署防汛抗旱工作，明确责任。".into(),
            formed_on: d("2025-03-03"),
            organ: "临河市人民政府办公室".into(),
            number: Some("临政办发〔2025〕1号".into()),
            topic: "农业、林业、水利".into(),
            genre: "通知".into(),
            published_on: Some(d("2025-03-04")),
            channels: channels_text(&[
                Publication {
                    outlet: Outlet::NewMedia,
                    account: "临河发布".into(),
                    published_on: d("2025-03-05"),
                    url: None,
                },
                Publication {
                    outlet: Outlet::Website,
                    account: String::new(),
                    published_on: d("2025-03-04"),
                    url: None,
                },
                Publication {
                    outlet: Outlet::NewMedia,
                    account: "临河发布".into(),
                    published_on: d("2025-03-06"),
                    url: None,
                },
            ]),
        }
    }

    #[test]
    fn the_csv_has_the_standard_columns_and_guards_formulas() {
        let text = String::from_utf8(catalogue_csv(&[row()]).unwrap()).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next().unwrap(),
            "\u{feff}索引号,名称,内容概述,生成日期,发布机构,文号,主题分类,体裁,发布日期,发布渠道"
        );
        assert_eq!(
            lines.next().unwrap(),
            "11000-2025-00001,'=关于做好防汛抗旱工作的通知,部署防汛抗旱工作，明确责任。,2025-03-03,临河市人民政府办公室,临政办发〔2025〕1号,农业、林业、水利,通知,2025-03-04,政府网站 2025-03-04；政务新媒体“临河发布” 2025-03-05"
        );
    }

    #[test]
    fn the_xlsx_is_a_workbook() {
        let bytes = catalogue_xlsx(&[row()]).unwrap();
        assert!(bytes.starts_with(b"PK"), "a zip");
        assert!(bytes.len() > 1000);
    }
}
