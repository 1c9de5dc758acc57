//! The list of applications as a query: search (applicant, number, request text), the
//! year of receipt, open or closed, and a page — filtered, counted and cut in the
//! database, so a ledger of many years is not loaded to show twenty rows.
//!
//! Open or closed is read from the log's columns: an application is closed by a reply sent
//! (`reply_sent`), a withdrawal, a lapsed correction (`not_corrected`) or an unpaid fee
//! (`fee_not_paid`) — the four events that close it in `gongkai_ledger`'s state. The
//! reply deadline is not a column (it needs the calendar): the service computes it for the
//! open applications, which an office has at most some hundreds of at a time.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The event types that close an application (`gongkai_ledger::Closure`).
pub const CLOSING_EVENTS: &str = "('reply_sent', 'withdrawn', 'not_corrected', 'fee_not_paid')";

/// Which applications to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationQuery {
    /// Words the applicant's name, the application's number or the request text contain
    /// (case-insensitive for Latin letters; every word must match somewhere).
    pub search: Option<String>,
    /// Received in this year.
    pub received_in: Option<i32>,
    /// `Some(true)`: closed only (newest closing first); `Some(false)`: not closed (open,
    /// and registered but not yet received); `None`: both (by number).
    pub closed: Option<bool>,
    /// Rows to skip (with `limit`).
    pub offset: u64,
    /// At most this many rows; `None`: all.
    pub limit: Option<u64>,
}

/// One page of a list: the rows and how many the query matches in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationPage {
    pub total: u64,
    /// With their events.
    pub applications: Vec<gongkai_ledger::Application>,
}

/// A bound value of a list query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Param {
    Text(String),
    Date(NaiveDate),
    Int(i64),
}

/// The SQL of a list query: `(count, rows, events)` with the same parameters.
/// `description` is the backend's expression for the request text of `applications a`;
/// `agency` the agency whose applications are listed (always `$1`).
pub(crate) fn sql(
    q: &ApplicationQuery,
    description: &str,
    agency: i64,
) -> (String, String, String, Vec<Param>) {
    let mut params = vec![Param::Int(agency)];
    let mut wheres = vec!["a.agency_id = $1".to_string()];
    let words: Vec<String> = q
        .search
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .map(|w| format!("%{}%", like_escape(&w.to_lowercase())))
        .collect();
    for w in words {
        params.push(Param::Text(w));
        let n = params.len();
        wheres.push(format!(
            "(LOWER(a.id) LIKE ${n} ESCAPE '\\' OR LOWER(a.applicant_name) LIKE ${n} ESCAPE '\\' \
             OR LOWER({description}) LIKE ${n} ESCAPE '\\')"
        ));
    }
    if let Some(y) = q.received_in {
        let (from, to) = (
            NaiveDate::from_ymd_opt(y, 1, 1),
            NaiveDate::from_ymd_opt(y, 12, 31),
        );
        if let (Some(from), Some(to)) = (from, to) {
            params.push(Param::Date(from));
            params.push(Param::Date(to));
            let (a, b) = (params.len() - 1, params.len());
            wheres.push(format!(
                "EXISTS (SELECT 1 FROM events r WHERE r.agency_id = a.agency_id \
                 AND r.application_id = a.id AND r.event_type = 'received' AND r.event_date >= ${a} AND r.event_date <= ${b})"
            ));
        } else {
            wheres.push("1 = 0".into());
        }
    }
    let closing = format!(
        "SELECT 1 FROM events c WHERE c.agency_id = a.agency_id AND c.application_id = a.id \
         AND c.event_type IN {CLOSING_EVENTS}"
    );
    match q.closed {
        Some(true) => wheres.push(format!("EXISTS ({closing})")),
        Some(false) => wheres.push(format!("NOT EXISTS ({closing})")),
        None => {}
    }
    let filter = format!(" WHERE {}", wheres.join(" AND "));
    let order = if q.closed == Some(true) {
        format!(
            " ORDER BY (SELECT MAX(c.event_date) FROM events c WHERE c.agency_id = a.agency_id \
             AND c.application_id = a.id AND c.event_type IN {CLOSING_EVENTS}) DESC, a.id DESC"
        )
    } else {
        " ORDER BY a.id".to_string()
    };
    let page = match q.limit {
        Some(limit) => {
            params.push(Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
            params.push(Param::Int(i64::try_from(q.offset).unwrap_or(i64::MAX)));
            format!(" LIMIT ${} OFFSET ${}", params.len() - 1, params.len())
        }
        None => String::new(),
    };
    let count = format!("SELECT COUNT(*) FROM applications a{filter}");
    let rows = format!("SELECT a.data FROM applications a{filter}{order}{page}");
    let events = format!(
        "SELECT application_id, seq, data FROM events WHERE agency_id = $1 AND application_id IN \
         (SELECT a.id FROM applications a{filter}{order}{page}) ORDER BY application_id, seq"
    );
    (count, rows, events, params)
}

pub(crate) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_numbered_in_order_of_first_use() {
        let q = ApplicationQuery {
            search: Some("张 50%".into()),
            received_in: Some(2025),
            closed: Some(true),
            offset: 20,
            limit: Some(10),
        };
        let (count, rows, _, params) = sql(&q, "x", 7);
        assert_eq!(params.len(), 7);
        assert_eq!(params[0], Param::Int(7));
        assert_eq!(params[2], Param::Text("%50\\%%".into()));
        let mut last = 0;
        for n in 1..=5 {
            let at = count.find(&format!("${n}")).unwrap();
            assert!(at > last);
            last = at;
        }
        assert!(rows.ends_with("LIMIT $6 OFFSET $7"));
        assert!(!count.contains("LIMIT"));
    }
}
