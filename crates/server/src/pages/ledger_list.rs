//! The list of applications: search (applicant, number, request text), status, year,
//! overdue, paging — one [`ListFilter`] for the service, which filters and pages in the
//! store's query; identity numbers masked; the closing (reply) date of closed ones.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use gongkai_ledger::Calendar;
use gongkai_ledger::text::mask_id_number;
use gongkai_service::{ListFilter, ListStatus, Listed};
use serde::Deserialize;

use crate::check::percent_encode;
use crate::error::PageError;
use crate::forms;
use crate::pages::ledger::{DeadlineView, deadline_view};
use crate::view::{self, Chrome};
use crate::{AppState, Ctx};

pub struct AppRow {
    pub id: String,
    pub id_url: String,
    pub applicant: String,
    pub kind: &'static str,
    /// The identity number masked (`410702********1234`), or empty.
    pub id_number: String,
    pub description: String,
    pub received: String,
    pub stage: &'static str,
    pub deadline: DeadlineView,
    /// The date it was closed (the reply sent, withdrawn …), or empty.
    pub closed: String,
}

fn truncate(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

/// Rows per page of the list.
pub const PAGE_SIZE: usize = 50;

#[derive(Template, WebTemplate)]
#[template(path = "ledger_home.html")]
pub struct ListPage {
    chrome: Chrome,
    rows: Vec<AppRow>,
    /// What the filter shows: `在办`, `已办结`, `全部`.
    status_label: &'static str,
    status: &'static str,
    statuses: Vec<(&'static str, &'static str)>,
    search: String,
    year: String,
    overdue_only: bool,
    total: usize,
    /// `第 51–100 件`, or empty when everything fits on one page.
    range: String,
    prev_url: String,
    next_url: String,
    today: String,
    overdue: usize,
    due_soon: usize,
    can_record: bool,
    show_closed: bool,
    /// The export buttons' links, with the filters shown (`ledger_export`).
    export_xlsx: String,
    export_csv: String,
}

/// The list's query string: `?status=closed&q=张&year=2025&overdue=1&page=2`. `all=1` (an
/// older link) is `status=all`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub all: Option<String>,
    pub status: String,
    pub q: String,
    pub year: String,
    pub overdue: String,
    pub page: String,
    pub msg: Option<String>,
}

impl ListQuery {
    /// The service's filter for page `page` (from 1), or the Chinese reason it is refused.
    fn filter(&self) -> Result<(ListFilter, usize), String> {
        let status = if self.status.trim().is_empty() {
            if self.all.is_some() {
                ListStatus::All
            } else {
                ListStatus::Open
            }
        } else {
            self.status
                .parse::<ListStatus>()
                .map_err(|e| e.to_string())?
        };
        let year = match self.year.trim() {
            "" => None,
            y => Some(
                y.parse::<i32>()
                    .ok()
                    .filter(|y| (1990..=9999).contains(y))
                    .ok_or_else(|| format!("“年份”应为四位数年份：{y}"))?,
            ),
        };
        let page = match self.page.trim() {
            "" => 1,
            p => p
                .parse::<usize>()
                .ok()
                .filter(|p| *p >= 1)
                .ok_or_else(|| format!("“页码”应为正整数：{p}"))?,
        };
        Ok((
            ListFilter {
                status,
                search: forms::optional(&self.q),
                year,
                overdue: !self.overdue.trim().is_empty(),
                due_within: None,
                offset: (page - 1).saturating_mul(PAGE_SIZE),
                limit: Some(PAGE_SIZE),
            },
            page,
        ))
    }

    /// The filter of an export (`ledger_export`): the same, every row.
    pub(crate) fn export_filter(&self) -> Result<ListFilter, String> {
        let (filter, _) = self.filter()?;
        Ok(ListFilter {
            offset: 0,
            limit: None,
            ..filter
        })
    }
}

/// `/ledger?…` for `filter` on page `page`.
fn list_url(filter: &ListFilter, page: usize) -> String {
    format!("/ledger?{}", list_query(filter, page))
}

/// `/ledger/export/{format}?…` with the filters of `filter`.
fn export_url(filter: &ListFilter, format: &str) -> String {
    format!("/ledger/export/{format}?{}", list_query(filter, 1))
}

/// The query string of `filter` on page `page`.
fn list_query(filter: &ListFilter, page: usize) -> String {
    let mut parts = vec![format!("status={}", filter.status.name())];
    if let Some(q) = &filter.search {
        parts.push(format!("q={}", percent_encode(q)));
    }
    if let Some(y) = filter.year {
        parts.push(format!("year={y}"));
    }
    if filter.overdue {
        parts.push("overdue=1".into());
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    parts.join("&")
}

/// The rows of the list, in the service's order; identity numbers masked.
pub fn rows(listed: &[Listed], today: chrono::NaiveDate, cal: &Calendar) -> Vec<AppRow> {
    listed
        .iter()
        .map(
            |Listed {
                 application: a,
                 state: s,
             }| AppRow {
                id: a.id.0.clone(),
                id_url: percent_encode(&a.id.0),
                applicant: a.applicant.name.clone(),
                kind: a.applicant.kind.label_zh(),
                id_number: a
                    .applicant
                    .identity
                    .as_ref()
                    .map(|i| mask_id_number(&i.number))
                    .unwrap_or_default(),
                description: truncate(&a.request.description, 40),
                received: s.received_on.map(view::date_zh).unwrap_or_default(),
                stage: s.stage.label_zh(),
                deadline: deadline_view(s, today, cal),
                closed: s.closed_on.map(view::date_zh).unwrap_or_default(),
            },
        )
        .collect()
}

pub async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<ListPage, PageError> {
    let user = ctx.user()?;
    let (filter, page) = q.filter().map_err(PageError::BadRequest)?;
    let listing = st.service().list(&filter).await?;
    let today = view::today();
    let rows = rows(&listing.rows, today, st.store().calendar());
    let shown_to = listing.offset + rows.len();
    Ok(ListPage {
        overdue: rows.iter().filter(|r| r.deadline.mark == "overdue").count(),
        due_soon: rows
            .iter()
            .filter(|r| r.deadline.mark == "due-soon")
            .count(),
        can_record: user.can_record(),
        chrome: Chrome::new(&ctx, "ledger").flash(q.msg.as_deref()),
        status_label: filter.status.label_zh(),
        status: filter.status.name(),
        statuses: ListStatus::ALL
            .iter()
            .map(|s| (s.name(), s.label_zh()))
            .collect(),
        search: filter.search.clone().unwrap_or_default(),
        year: filter.year.map(|y| y.to_string()).unwrap_or_default(),
        overdue_only: filter.overdue,
        total: listing.total,
        range: if listing.total > rows.len() && !rows.is_empty() {
            format!("第 {}–{shown_to} 件", listing.offset + 1)
        } else {
            String::new()
        },
        prev_url: if page > 1 {
            list_url(&filter, page - 1)
        } else {
            String::new()
        },
        next_url: if shown_to < listing.total {
            list_url(&filter, page + 1)
        } else {
            String::new()
        },
        show_closed: filter.status != ListStatus::Open,
        export_xlsx: export_url(&filter, "xlsx"),
        export_csv: export_url(&filter, "csv"),
        rows,
        today: view::date_zh(today),
    })
}
