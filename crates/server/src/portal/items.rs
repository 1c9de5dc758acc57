//! 法定主动公开内容 (`/portal/{code}/items`, by 主题分类 / 体裁 / 机构 / year), an item's
//! page with its metadata block, body and attachments (`/portal/{code}/items/{id}`, a
//! stable address; a withdrawn item says so), its attachments' downloads, the
//! 政府信息公开制度 column (`/portal/{code}/rules`) and the 政府信息公开目录
//! (`/portal/{code}/catalogue`, with CSV and XLSX downloads).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongkai_service::portal::search::PortalSearch;
use gongkai_service::portal::{ItemPage, PublicFilter, PublicItem, PublicListing};
use gongkai_store::Agency;
use serde::Deserialize;

use super::{PortalChrome, agency};
use crate::AppState;
use crate::error::PageError;
use crate::view::date_zh;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/portal/{code}/items", get(list))
        .route("/portal/{code}/items/{id}", get(show))
        .route("/portal/{code}/items/{id}/files/{seq}", get(file))
        .route("/portal/{code}/rules", get(rules))
        .route("/portal/{code}/catalogue", get(catalogue))
        .route("/portal/{code}/catalogue.{format}", get(catalogue_file))
}

/// The search index the lists are served from (`gongkai_service::portal::lists`).
pub fn index(st: &AppState) -> Result<&PortalSearch, PageError> {
    Ok(st.portal().lists(&st.service())?)
}

/// One item in a list.
pub struct Row {
    pub id: i64,
    pub index_number: String,
    pub title: String,
    pub summary: String,
    pub organ: String,
    pub number: String,
    pub topic: String,
    pub genre: String,
    pub formed_on: String,
    /// ISO date for `<time datetime>`.
    pub formed_iso: String,
    pub published_on: String,
    pub validity: String,
}

pub fn row(i: &PublicItem) -> Row {
    Row {
        id: i.id,
        index_number: i.index_number.clone(),
        title: i.title.clone(),
        summary: i.summary.clone(),
        organ: i.organ.clone(),
        number: i.number.clone().unwrap_or_default(),
        topic: i.topic.clone(),
        genre: i.genre.clone(),
        formed_on: date_zh(i.formed_on),
        formed_iso: i.formed_on.to_string(),
        published_on: i.published_on.map(date_zh).unwrap_or_default(),
        validity: i
            .validity
            .as_ref()
            .map(|v| {
                let mut s = v.status.label_zh().to_string();
                if let Some(d) = v.ended_on {
                    s.push_str(&format!("（{}）", date_zh(d)));
                }
                s
            })
            .unwrap_or_default(),
    }
}

/// The list's query string.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    topic: String,
    genre: String,
    organ: String,
    year: String,
    page: String,
}

impl ListQuery {
    fn filter(&self) -> Result<PublicFilter, PageError> {
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let year = match self.year.trim() {
            "" => None,
            y => Some(
                y.parse::<i32>()
                    .map_err(|_| PageError::BadRequest(format!("年度“{y}”不是数字（如 2025）")))?,
            ),
        };
        let page = match self.page.trim() {
            "" => 1,
            p => p
                .parse::<u64>()
                .map_err(|_| PageError::BadRequest(format!("页码“{p}”不是正整数")))?,
        };
        Ok(PublicFilter {
            text: some(&self.q),
            topic: some(&self.topic),
            genre: some(&self.genre),
            organ: some(&self.organ),
            year,
            page,
            per_page: 0,
        })
    }

    /// The query string for another page of the same list.
    fn page_href(&self, base: &str, page: u64) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("q", &self.q),
            ("topic", &self.topic),
            ("genre", &self.genre),
            ("organ", &self.organ),
            ("year", &self.year),
        ] {
            if !v.trim().is_empty() {
                parts.push(format!("{k}={}", crate::check::percent_encode(v.trim())));
            }
        }
        parts.push(format!("page={page}"));
        format!("{base}?{}", parts.join("&"))
    }
}

/// Page links: (label, href, current).
pub struct Pager {
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

fn pager(listing: &PublicListing, q: &ListQuery, base: &str) -> Pager {
    let pages = listing.pages();
    Pager {
        total: listing.total,
        page: listing.page,
        pages,
        prev: (listing.page > 1).then(|| q.page_href(base, listing.page - 1)),
        next: (listing.page < pages).then(|| q.page_href(base, listing.page + 1)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "portal_items.html")]
struct ListPage {
    chrome: PortalChrome,
    heading: &'static str,
    rows: Vec<Row>,
    pager: Pager,
    /// The filters as entered (the form shows them again).
    q: String,
    topic: String,
    genre: String,
    organ: String,
    year: String,
    topics: Vec<String>,
    genres: Vec<String>,
    /// Show the filter form (not on the 制度 column).
    filters: bool,
}

/// The 主题分类 and 体裁 lists of the agency (the filters' choices).
async fn lists(st: &AppState, agency: &Agency) -> Result<(Vec<String>, Vec<String>), PageError> {
    let settings = st
        .service()
        .store()
        .in_agency(agency.id)
        .register_settings()
        .await
        .map_err(gongkai_service::ServiceError::from)?;
    Ok((
        settings.topics.entries().to_vec(),
        settings.genres.entries().to_vec(),
    ))
}

async fn list(
    State(st): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let agency = agency(&st, &code).await?;
    let listing = index(&st)?.items(&agency, &q.filter()?).await?;
    let chrome = PortalChrome::new(&agency, "items");
    let base = format!("{}/items", chrome.base());
    let (topics, genres) = lists(&st, &agency).await?;
    Ok(ListPage {
        heading: "法定主动公开内容",
        rows: listing.items.iter().map(row).collect(),
        pager: pager(&listing, &q, &base),
        q: q.q.trim().to_string(),
        topic: q.topic.trim().to_string(),
        genre: q.genre.trim().to_string(),
        organ: q.organ.trim().to_string(),
        year: q.year.trim().to_string(),
        topics,
        genres,
        filters: true,
        chrome,
    }
    .into_response())
}

/// The 政府信息公开制度 column's listing (also on the home page).
pub async fn rules_listing(
    st: &AppState,
    agency: &Agency,
    page: u64,
    per_page: u64,
) -> Result<PublicListing, PageError> {
    Ok(index(st)?.rules(agency, page, per_page).await?)
}

async fn rules(
    State(st): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let agency = agency(&st, &code).await?;
    let page = q.filter()?.page;
    let listing = rules_listing(&st, &agency, page, 0).await?;
    let chrome = PortalChrome::new(&agency, "rules");
    let base = format!("{}/rules", chrome.base());
    Ok(ListPage {
        heading: "政府信息公开制度",
        rows: listing.items.iter().map(row).collect(),
        pager: pager(&listing, &ListQuery::default(), &base),
        q: String::new(),
        topic: String::new(),
        genre: String::new(),
        organ: String::new(),
        year: String::new(),
        topics: Vec::new(),
        genres: Vec::new(),
        filters: false,
        chrome,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal_item.html")]
struct ItemView {
    chrome: PortalChrome,
    /// None: withdrawn.
    item: Option<Row>,
    title: String,
    index_number: String,
    paragraphs: Vec<String>,
    /// (date, reason).
    corrections: Vec<(String, String)>,
    /// (seq, name, size in words).
    attachments: Vec<(u32, String, String)>,
    withdrawn_on: String,
    /// ISO date of publication for the 47号 `PubDate` tag.
    pub_date: String,
}

async fn show(
    State(st): State<AppState>,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let agency = agency(&st, &code).await?;
    let id = parse_id(&id)?;
    let chrome = PortalChrome::new(&agency, "items");
    let page = match st.service().portal_item(&agency, id).await? {
        ItemPage::Published {
            item,
            body,
            corrections,
            attachments,
        } => ItemView {
            title: item.title.clone(),
            index_number: item.index_number.clone(),
            pub_date: item.published_on.map(|d| d.to_string()).unwrap_or_default(),
            item: Some(row(&item)),
            paragraphs: body
                .split("\n\n")
                .flat_map(|p| p.lines())
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            corrections: corrections
                .into_iter()
                .map(|(d, r)| (date_zh(d), r))
                .collect(),
            attachments: attachments
                .into_iter()
                .map(|a| (a.seq, a.name, size_words(a.size)))
                .collect(),
            withdrawn_on: String::new(),
            chrome,
        },
        ItemPage::Withdrawn {
            index_number,
            title,
            withdrawn_on,
            ..
        } => ItemView {
            item: None,
            title,
            index_number,
            paragraphs: Vec::new(),
            corrections: Vec::new(),
            attachments: Vec::new(),
            withdrawn_on: withdrawn_on.map(date_zh).unwrap_or_default(),
            pub_date: String::new(),
            chrome,
        },
    };
    Ok(page.into_response())
}

fn parse_id(id: &str) -> Result<i64, PageError> {
    id.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| PageError::NotFound("没有这条政府信息".into()))
}

/// `12.3 KB`, `1.2 MB`.
fn size_words(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} 字节"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// Media types a download keeps; anything else goes as `application/octet-stream` (it is
/// always an attachment, never shown in the page's origin).
const KEPT_TYPES: &[&str] = &[
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/msword",
    "application/vnd.ms-excel",
    "application/ofd",
    "application/zip",
    "image/png",
    "image/jpeg",
    "text/plain",
    "text/csv",
];

async fn file(
    State(st): State<AppState>,
    Path((code, id, seq)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let agency = agency(&st, &code).await?;
    let id = parse_id(&id)?;
    let seq: u32 = seq
        .trim()
        .parse()
        .map_err(|_| PageError::NotFound("没有这个附件".into()))?;
    let (meta, bytes) = st.service().portal_attachment(&agency, id, seq).await?;
    let mut resp = crate::check::attachment_response("application/octet-stream", &meta.name, bytes);
    let ty = meta.media_type.trim().to_ascii_lowercase();
    if KEPT_TYPES.contains(&ty.as_str())
        && let Ok(v) = HeaderValue::from_str(&ty)
    {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    Ok(resp)
}

#[derive(Template, WebTemplate)]
#[template(path = "portal_catalogue.html")]
struct CataloguePage {
    chrome: PortalChrome,
    rows: Vec<Row>,
    pager: Pager,
    year: String,
}

async fn catalogue(
    State(st): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let agency = agency(&st, &code).await?;
    let mut filter = q.filter()?;
    filter.per_page = gongkai_service::portal::MAX_PER_PAGE;
    let listing = index(&st)?.items(&agency, &filter).await?;
    let chrome = PortalChrome::new(&agency, "catalogue");
    let base = format!("{}/catalogue", chrome.base());
    Ok(CataloguePage {
        rows: listing.items.iter().map(row).collect(),
        pager: pager(&listing, &q, &base),
        year: q.year.trim().to_string(),
        chrome,
    }
    .into_response())
}

async fn catalogue_file(
    State(st): State<AppState>,
    Path((code, format)): Path<(String, String)>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let agency = agency(&st, &code).await?;
    let year = q.filter()?.year;
    let rows = index(&st)?.catalogue(&agency, year).await?;
    let name = match year {
        Some(y) => format!("{}政府信息公开目录（{y}年）", agency.name),
        None => format!("{}政府信息公开目录", agency.name),
    };
    let (ty, bytes) = match format.as_str() {
        "csv" => (
            "text/csv; charset=utf-8",
            gongkai_service::register::catalogue::catalogue_csv(&rows)?,
        ),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            gongkai_service::register::catalogue::catalogue_xlsx(&rows)?,
        ),
        _ => {
            return Err(PageError::NotFound(
                "没有这种格式（可用：csv、xlsx）".into(),
            ));
        }
    };
    Ok(crate::check::attachment_response(
        ty,
        &format!("{name}.{format}"),
        bytes,
    ))
}
