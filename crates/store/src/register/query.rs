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
    /// case-insensitive for ASCII letters).
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

/// The database a query is written for: the text search reads SQLite's FTS5 table or
/// PostgreSQL's `tsvector` (migration 0028).
pub(crate) trait Dialect {
    const POSTGRES: bool;
}

impl Dialect for sqlx::Sqlite {
    const POSTGRES: bool = false;
}

impl Dialect for sqlx::Postgres {
    const POSTGRES: bool = true;
}

/// A character as migration 0028 indexes it: ASCII capitals as small letters, any other
/// ASCII character that is not a letter or a digit as U+E000 + its code (one token of
/// FTS5's `ascii` tokenizer, no quote or backslash in a query), anything else as it is.
fn fold(c: char) -> char {
    if c.is_ascii_uppercase() {
        c.to_ascii_lowercase()
    } else if c.is_ascii() && !c.is_ascii_alphanumeric() {
        char::from_u32(0xE000 + u32::from(c)).unwrap_or(c)
    } else {
        c
    }
}

/// The index's query for the words: each word's pairs of characters (migration 0028's
/// tokens), or its one character as a prefix — an FTS5 `MATCH` expression (the pairs as a
/// phrase) or a `tsquery` (the pairs joined by `&`).
fn text_query(words: &[&str], postgres: bool) -> String {
    let mut parts = Vec::new();
    for w in words {
        let chars: Vec<char> = w.chars().map(fold).collect();
        let grams: Vec<String> = chars.windows(2).map(|p| p.iter().collect()).collect();
        parts.push(match (chars.as_slice(), postgres) {
            ([c], false) => format!("\"{c}\" *"),
            ([c], true) => format!("'{c}':*"),
            (_, false) => format!("\"{}\"", grams.join(" ")),
            (_, true) => grams
                .iter()
                .map(|g| format!("'{g}'"))
                .collect::<Vec<_>>()
                .join(" & "),
        });
    }
    parts.join(if postgres { " & " } else { " AND " })
}

/// Whether the index of migration 0028 finds exactly the items whose text contains `word`,
/// so that no `LIKE` need check them: SQLite's phrase of the pairs is exactly where the
/// folded word occurs, and so are PostgreSQL's one pair or one character (a longer word is
/// the conjunction of its pairs there, in any order). The folding is the `LIKE`'s — ASCII
/// letters without case — but for the other ASCII characters, which fold to U+E000 + their
/// code and would meet such a character of the text: a word with one of those (or with
/// one of U+E000–U+E07F) is checked by the `LIKE`.
fn found_exactly(word: &str, postgres: bool) -> bool {
    word.chars().all(|c| {
        (c.is_ascii_alphanumeric() || !c.is_ascii()) && !('\u{E000}'..='\u{E07F}').contains(&c)
    }) && (!postgres || word.chars().count() <= 2)
}

/// The SQL of one query and its parameters (`$1` is the agency).
pub(crate) struct Sql {
    pub text: String,
    pub params: Vec<Param>,
}

/// The count and the rows of a list query for SQLite or PostgreSQL (each with its own
/// parameters: PostgreSQL refuses a parameter a statement does not use).
pub(crate) fn sql(q: &ItemQuery, agency: i64, postgres: bool) -> (Sql, Sql) {
    let mut params = vec![Param::Int(agency)];
    // Conditions on the item's row; the items the word index finds; the channel.
    let mut wheres: Vec<String> = Vec::new();
    // The words: the items the index of migration 0028 finds, then on those, for a word
    // the index does not find exactly (`found_exactly`), one LIKE over the four fields
    // joined by a space (a word has none, so it cannot match across two fields),
    // case-insensitive for ASCII letters on both databases (SQLite's LIKE is;
    // PostgreSQL's folds them with `translate`).
    const FIELDS: &str = "(i.title || ' ' || i.index_number || ' ' || COALESCE(i.number, '') \
                          || ' ' || i.summary)";
    let words: Vec<&str> = q.text.as_deref().unwrap_or("").split_whitespace().collect();
    // (the index's query, and for SQLite the rowid bounds of the agency)
    let mut text: Option<(Param, Option<(i64, i64)>)> = None;
    if !words.is_empty() {
        let m = Param::Text(text_query(&words, postgres));
        // The FTS5 rowid is agency_id · 2^32 + id.
        text = Some((m, (!postgres).then(|| (agency << 32, (agency + 1) << 32))));
    }
    for w in words.iter().filter(|w| !found_exactly(w, postgres)) {
        let n = push(
            &mut params,
            Param::Text(format!("%{}%", like_escape(&w.to_ascii_lowercase()))),
        );
        if postgres && w.chars().any(|c| c.is_ascii_alphabetic()) {
            wheres.push(format!(
                "translate({FIELDS}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') \
                 LIKE ${n} ESCAPE '\\'"
            ));
        } else {
            wheres.push(format!("{FIELDS} LIKE ${n} ESCAPE '\\'"));
        }
    }
    if let Some(t) = q.topic.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        // The topic and its sub-topics (`t\…`) lie between `t` and `t]` (']' follows '\')
        // in the bytes' order: a range of the topic index, then the exact condition.
        let t = t.replace(['/', '＼'], "\\");
        let a = push(&mut params, Param::Text(t.clone()));
        let b = push(
            &mut params,
            Param::Text(format!("{}\\\\%", like_escape(&t))),
        );
        let c = push(&mut params, Param::Text(format!("{t}]")));
        let col = if postgres {
            "i.topic COLLATE \"C\""
        } else {
            "i.topic"
        };
        wheres.push(format!(
            "{col} >= ${a} AND {col} < ${c} AND (i.topic = ${a} OR i.topic LIKE ${b} ESCAPE '\\')"
        ));
    }
    if let Some(g) = q.genre.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let n = push(&mut params, Param::Text(g.to_string()));
        wheres.push(format!("i.genre = ${n}"));
    }
    let organ: Vec<&str> = q
        .organ
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    if !organ.is_empty() {
        // The agency's few distinct 发布机构, read off the organ index one by one (a loose
        // index scan), the words checked on those; then the items of the ones that match.
        let mut likes = Vec::new();
        for w in organ {
            let n = push(&mut params, Param::Text(format!("%{}%", like_escape(w))));
            likes.push(format!("o.organ LIKE ${n} ESCAPE '\\'"));
        }
        wheres.push(format!(
            "i.organ IN (WITH RECURSIVE o (organ) AS (\
             SELECT MIN(organ) FROM register_items WHERE agency_id = $1 \
             UNION ALL SELECT (SELECT MIN(r.organ) FROM register_items r \
             WHERE r.agency_id = $1 AND r.organ > o.organ) FROM o WHERE o.organ IS NOT NULL) \
             SELECT o.organ FROM o WHERE {})",
            likes.join(" AND ")
        ));
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
        // The terms of the partial index `register_items_by_open_due` (migration 0029).
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
    let outlet = q.outlet.map(|o| Param::Text(o.name().to_string()));

    // The ids the word index finds, with the parameters pushed onto `ps`.
    let text_ids = |ps: &mut Vec<Param>| -> Option<String> {
        let (m, bounds) = text.clone()?;
        let m = push(ps, m);
        Some(match bounds {
            None => format!(
                "SELECT t.item_id FROM register_item_text t \
                 WHERE t.agency_id = $1 AND t.grams @@ CAST(${m} AS tsquery)"
            ),
            Some((from, to)) => {
                let from = push(ps, Param::Int(from));
                let to = push(ps, Param::Int(to));
                format!(
                    "SELECT rowid - ${from} FROM register_item_text \
                     WHERE register_item_text MATCH ${m} AND rowid >= ${from} AND rowid < ${to}"
                )
            }
        })
    };

    // The count. With no condition on the item's row it is read off the word index or the
    // channel table alone (one row there per item, kept by migration 0028's triggers),
    // not by looking up each item; else the items are counted, checked against the lists
    // of the words' and the channel's ids. (The channel as an `EXISTS` probe of each item
    // was faster for a common channel with a narrow filter — topic + year + website:
    // 10–14 → 4.3 ms, debug — but a probe of every item for a broad filter with a rare
    // channel: a stage with 新闻发布会, 5.8 → 56 ms.)
    let mut count_params = params.clone();
    let count = if wheres.is_empty() && (text.is_some() || outlet.is_some()) {
        let mut ps = vec![Param::Int(agency)];
        let ids = text_ids(&mut ps);
        match outlet.clone() {
            Some(o) => {
                let n = push(&mut ps, o);
                let and_ids = ids.map_or(String::new(), |s| format!(" AND o.item_id IN ({s})"));
                count_params = ps;
                format!(
                    "SELECT COUNT(*) FROM register_item_outlets o \
                     WHERE o.agency_id = $1 AND o.outlet = ${n}{and_ids}"
                )
            }
            None => {
                count_params = ps;
                format!("SELECT COUNT(*) FROM ({}) t", ids.unwrap_or_default())
            }
        }
    } else {
        let mut w = vec!["i.agency_id = $1".to_string()];
        w.extend(text_ids(&mut count_params).map(|s| format!("i.id IN ({s})")));
        if let Some(o) = outlet.clone() {
            let n = push(&mut count_params, o);
            w.push(format!(
                "i.id IN (SELECT o.item_id FROM register_item_outlets o \
                 WHERE o.agency_id = $1 AND o.outlet = ${n})"
            ));
        }
        w.extend(wheres.iter().cloned());
        format!(
            "SELECT COUNT(*) FROM register_items i WHERE {}",
            w.join(" AND ")
        )
    };

    // The rows: the word index's ids and the channel's as lists the items are checked
    // against (SQLite: a Bloom filter) while the items are walked in the list's order.
    let mut w = vec!["i.agency_id = $1".to_string()];
    w.extend(text_ids(&mut params).map(|s| format!("i.id IN ({s})")));
    if let Some(o) = outlet {
        let n = push(&mut params, o);
        w.push(format!(
            "i.id IN (SELECT o.item_id FROM register_item_outlets o \
             WHERE o.agency_id = $1 AND o.outlet = ${n})"
        ));
    }
    w.extend(wheres);
    let wheres = w.join(" AND ");
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
    (
        Sql {
            text: count,
            params: count_params,
        },
        Sql { text: rows, params },
    )
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
        for postgres in [false, true] {
            let (count, rows) = sql(&q, 7, postgres);
            assert!(!rows.text.contains("通知") && !count.text.contains("100"));
            assert!(rows.text.contains("LIMIT 20 OFFSET 40)"));
            let bounds = if postgres { 0 } else { 2 };
            // agency, the LIKE of `100%` (`通知` is found exactly), the topic's three, the
            // year's two, then the index's query (and bounds) and the channel.
            assert_eq!(rows.params.len(), 1 + 1 + 3 + 2 + 1 + bounds + 1);
            assert_eq!(count.params.len(), rows.params.len());
            assert!(rows.params.contains(&Param::Text("%100\\%%".into())));
            assert!(!rows.params.contains(&Param::Text("%通知%".into())));
            assert!(rows.params.contains(&Param::Text("new_media".into())));
            // Every parameter is used, in both.
            for s in [&count, &rows] {
                for n in 1..=s.params.len() {
                    assert!(s.text.contains(&format!("${n}")), "{n} in {}", s.text);
                }
                assert!(!s.text.contains(&format!("${}", s.params.len() + 1)));
            }
        }
    }

    #[test]
    fn the_words_become_pairs_of_folded_characters() {
        // '%' and '-' fold to U+E025 and U+E02D, capitals to small letters.
        assert_eq!(
            text_query(&["防汛救灾", "汛", "A-1%"], false),
            "\"防汛 汛救 救灾\" AND \"汛\" * AND \"a\u{e02d} \u{e02d}1 1\u{e025}\""
        );
        assert_eq!(
            text_query(&["防汛救灾", "汛"], true),
            "'防汛' & '汛救' & '救灾' & '汛':*"
        );
    }

    #[test]
    fn migration_0029_rewrites_the_word_triggers_with_a_range_only() {
        // The rows the triggers write are 0028's: the one change is how the positions
        // of the text are read.
        let old = include_str!("../../migrations/sqlite/0028_register_list_search.sql");
        let new = include_str!("../../migrations/sqlite/0029_register_list_speed.sql");
        let between = |s: &'static str, from: &str, to: &str| {
            let a = s.find(from).unwrap();
            s[a..a + s[a..].find(to).unwrap()].trim().to_string()
        };
        let first = "CREATE TRIGGER register_items_text_insert";
        let old = between(old, first, "CREATE TRIGGER register_items_text_delete");
        let new = between(new, first, "CREATE INDEX");
        assert_eq!(old.matches("p.k <= length(s.t)").count(), 2);
        assert_eq!(
            old.replace("p.k <= length(s.t)", "p.k BETWEEN 1 AND length(s.t)"),
            new
        );
    }

    #[test]
    fn the_triggers_know_every_channel() {
        // The triggers of migration 0028 split `outlets` on the channels' names.
        let sqlite = include_str!("../../migrations/sqlite/0028_register_list_search.sql");
        let postgres = include_str!("../../migrations/postgres/0028_register_list_search.sql");
        for o in Outlet::ALL {
            assert_eq!(sqlite.matches(&format!("\"{}\"", o.name())).count(), 3);
            assert_eq!(postgres.matches(&format!("'{}'", o.name())).count(), 2);
        }
    }
}
