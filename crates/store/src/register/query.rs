//! The register's list as a query: text, 主题分类, 体裁, 发布机构, year of 生成日期, stage,
//! channel, 公开属性, due or overdue (art. 26), due for re-assessment (art. 18), published in
//! a year — filtered, counted and cut in the database.

use chrono::NaiveDate;
use gongkai_ledger::Vocabulary;
use gongkai_ledger::register::{ItemStage, Outlet};
use serde::{Deserialize, Serialize};

use crate::list::{Param, like_escape};
use crate::register::RegisterItem;
use crate::register::conn::{ITEM_COLUMNS, ITEM_FROM};

/// The order of a list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemOrder {
    /// Newest 生成日期 first (then the newest registered).
    #[default]
    Newest,
    /// Earliest art. 26 deadline first.
    Due,
    /// Earliest re-assessment first.
    Reassess,
}

/// Which items to list. Every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemQuery {
    /// Words the 名称, 索引号, 文号 or 内容概述 contain (each word somewhere;
    /// case-insensitive for Latin letters).
    pub text: Option<String>,
    /// The 主题分类 or one of its sub-topics (`综合政务` finds `综合政务\政务公开`).
    pub topic: Option<String>,
    pub genre: Option<String>,
    /// Words the 发布机构 contains.
    pub organ: Option<String>,
    /// 生成日期 in this year.
    pub year: Option<i32>,
    pub stage: Option<ItemStage>,
    /// Planned or published on this channel.
    pub outlet: Option<Outlet>,
    /// `proactive`, `on_request` or `withheld`.
    pub disclosure: Option<String>,
    /// Not published, not withdrawn, with an art. 26 deadline on or before this date.
    pub due_by: Option<NaiveDate>,
    /// Not published, not withdrawn, with an art. 26 deadline on or after this date.
    pub due_from: Option<NaiveDate>,
    /// Withheld, not withdrawn, to be re-assessed on or before this date.
    pub reassess_by: Option<NaiveDate>,
    /// First published in this year.
    pub published_in: Option<i32>,
    pub order: ItemOrder,
    /// Rows to skip (with `limit`).
    pub offset: u64,
    /// At most this many rows; `None`: all.
    pub limit: Option<u64>,
}

/// One page of the list and how many items the query selects in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemPage {
    pub total: u64,
    pub items: Vec<RegisterItem>,
}

fn year_bounds(y: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_ymd_opt(y, 1, 1)?,
        NaiveDate::from_ymd_opt(y, 12, 31)?,
    ))
}

/// Adds a parameter; its number.
fn push(params: &mut Vec<Param>, p: Param) -> usize {
    params.push(p);
    params.len()
}

/// `(count, rows, params)`: the agency is `$1`.
pub(crate) fn sql(q: &ItemQuery, agency: i64) -> (String, String, Vec<Param>) {
    let mut params = vec![Param::Int(agency)];
    let mut wheres = vec!["i.agency_id = $1".to_string()];
    // One LIKE over the four fields joined by a space (a word has none, so it cannot match
    // across two fields), lower-cased only for a word with letters that have a case: the
    // scan of a Chinese word is then one plain LIKE per row.
    const FIELDS: &str = "(i.title || ' ' || i.index_number || ' ' || COALESCE(i.number, '') \
                          || ' ' || i.summary)";
    for w in q.text.as_deref().unwrap_or("").split_whitespace() {
        let cased = w.chars().any(|c| c.is_lowercase() || c.is_uppercase());
        let n = push(
            &mut params,
            Param::Text(format!("%{}%", like_escape(&w.to_lowercase()))),
        );
        if cased {
            wheres.push(format!("LOWER{FIELDS} LIKE ${n} ESCAPE '\\'"));
        } else {
            wheres.push(format!("{FIELDS} LIKE ${n} ESCAPE '\\'"));
        }
    }
    if let Some(t) = q.topic.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let t = t.replace(['/', '＼'], "\\");
        let a = push(&mut params, Param::Text(t.clone()));
        let b = push(
            &mut params,
            Param::Text(format!("{}\\\\%", like_escape(&t))),
        );
        wheres.push(format!("(i.topic = ${a} OR i.topic LIKE ${b} ESCAPE '\\')"));
    }
    if let Some(g) = q.genre.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let n = push(&mut params, Param::Text(g.to_string()));
        wheres.push(format!("i.genre = ${n}"));
    }
    for w in q.organ.as_deref().unwrap_or("").split_whitespace() {
        let n = push(&mut params, Param::Text(format!("%{}%", like_escape(w))));
        wheres.push(format!("i.organ LIKE ${n} ESCAPE '\\'"));
    }
    if let Some((from, to)) = q.year.and_then(year_bounds) {
        let a = push(&mut params, Param::Date(from));
        let b = push(&mut params, Param::Date(to));
        wheres.push(format!("i.formed_on >= ${a} AND i.formed_on <= ${b}"));
    }
    if let Some(s) = q.stage {
        let n = push(&mut params, Param::Text(s.name().to_string()));
        wheres.push(format!("i.stage = ${n}"));
    }
    if let Some(o) = q.outlet {
        let n = push(&mut params, Param::Text(format!("% {} %", o.name())));
        wheres.push(format!("(' ' || i.outlets || ' ') LIKE ${n}"));
    }
    if let Some(d) = q
        .disclosure
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let n = push(&mut params, Param::Text(d.to_string()));
        wheres.push(format!("i.disclosure = ${n}"));
    }
    if q.due_by.is_some() || q.due_from.is_some() {
        wheres.push(
            "i.due_on IS NOT NULL AND i.first_published_on IS NULL AND i.withdrawn_at IS NULL"
                .into(),
        );
    }
    if let Some(d) = q.due_by {
        let n = push(&mut params, Param::Date(d));
        wheres.push(format!("i.due_on <= ${n}"));
    }
    if let Some(d) = q.due_from {
        let n = push(&mut params, Param::Date(d));
        wheres.push(format!("i.due_on >= ${n}"));
    }
    if let Some(d) = q.reassess_by {
        let n = push(&mut params, Param::Date(d));
        wheres.push(format!(
            "i.reassess_on IS NOT NULL AND i.reassess_on <= ${n} AND i.withdrawn_at IS NULL \
             AND i.disclosure = 'withheld'"
        ));
    }
    if let Some((from, to)) = q.published_in.and_then(year_bounds) {
        let a = push(&mut params, Param::Date(from));
        let b = push(&mut params, Param::Date(to));
        wheres.push(format!(
            "i.first_published_on >= ${a} AND i.first_published_on <= ${b}"
        ));
    }
    let wheres = wheres.join(" AND ");
    let count = format!("SELECT COUNT(*) FROM register_items i WHERE {wheres}");
    let order = match q.order {
        ItemOrder::Newest => "i.formed_on DESC, i.id DESC",
        ItemOrder::Due => "i.due_on, i.id",
        ItemOrder::Reassess => "i.reassess_on, i.id",
    };
    // A page: the ids first, ordered and cut on the items' indexes alone, then the rows
    // with their versions (a deep page skips index entries, not joined rows).
    let rows = match q.limit {
        Some(limit) => format!(
            "SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} WHERE i.agency_id = $1 AND i.id IN \
             (SELECT i.id FROM register_items i WHERE {wheres} ORDER BY {order} LIMIT {} OFFSET {}) \
             ORDER BY {order}",
            limit.min(i64::MAX as u64),
            q.offset.min(i64::MAX as u64)
        ),
        None => format!("SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} WHERE {wheres} ORDER BY {order}"),
    };
    (count, rows, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_bound() {
        let q = ItemQuery {
            text: Some("通知 100%".into()),
            topic: Some("综合政务".into()),
            outlet: Some(Outlet::NewMedia),
            year: Some(2025),
            limit: Some(20),
            offset: 40,
            ..Default::default()
        };
        let (count, rows, params) = sql(&q, 7);
        assert!(!rows.contains("通知") && !count.contains("100"));
        assert!(rows.contains("LIMIT 20 OFFSET 40)"));
        assert_eq!(params.len(), 1 + 2 + 2 + 1 + 2);
        assert!(params.contains(&Param::Text("%100\\%%".into())));
        assert!(params.contains(&Param::Text("% new_media %".into())));
    }
}
