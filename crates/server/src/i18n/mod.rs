//! The pages in English on request: Chinese stays first and the default; a visitor
//! switches with the link in the top bar (“English” / “中文”, `GET /lang?to=en&back=/path`),
//! which sets the preference cookie `gongkai_lang` (a year, `SameSite=Lax`, no database
//! write) and returns to the same page — only ever to a local path.
//!
//! # Design: a catalogue keyed by the Chinese text, applied to the rendered page
//!
//! The templates stay Chinese and readable; nothing in them is wrapped in a translation
//! call. The catalogue [`catalogue::EN_FILES`] (`en.tsv` for the templates,
//! `en-messages.tsv` for what code writes; compiled in, parsed once) maps Chinese text to
//! English, gettext-style: the msgid *is* the Chinese. An entry with `{}`
//! is a pattern for a text that carries values (`文件超过 {} MB` → `The file is over {} MB`).
//!
//! When the language is English, [`layer`] rewrites each HTML answer ([`to_english`]):
//! every text node (the `<title>` too) and the attributes a reader sees (`title`,
//! `placeholder`, `aria-label`, `alt`, `data-label`, `data-confirm`, the `value` of a
//! button) are replaced when their trimmed text is in the catalogue — whole, by a pattern
//! (whose values are translated in turn when they are entries, dates become `2026-12-06`),
//! or else run by run of Han characters — keeping the surrounding whitespace. So the texts
//! handlers and the service put into pages (flash messages, form errors, the 404/403/500
//! pages) are translated by the same catalogue, without touching the code that makes them.
//! The JSON API, downloads (`Content-Disposition`) and everything not `text/html` are left
//! alone.
//!
//! What is not translated: what a user typed inside `<textarea>`, every element marked
//! `translate="no"` (the HTML attribute for this: the letter preview), and the preview's
//! own fragment (`…/preview`: the letter stays Chinese). Other user data is not
//! translated on purpose, but a value that happens to equal a catalogue entry (an applicant
//! called “申请人”) is shown in English like any other text of the page — accepted. A text
//! that has no entry stays Chinese; the web test `i18n::catalogue_covers_every_template`
//! lists every template text and flash message without one.
//!
//! Why our own rewriter ([`rewrite`]) rather than Cloudflare's `lol_html`: measured on this
//! machine, `lol_html` 3.0.3 builds 45 crates cold in 24 CPU-seconds (20 s user, 4 s
//! system; 51 s wall on 2 jobs), and in this workspace it would add a second `cssparser`
//! (0.36 beside scraper's 0.38) and `selectors` (0.37 beside 0.41) — new duplicates the
//! house rules refuse. What it would parse is only our own askama output, where every
//! value is escaped: a 300-line scanner that copies everything byte for byte except the
//! pieces it replaces is enough, costs no build time, and is the same code the coverage
//! test runs over the templates ([`template_texts`]). An askama filter (`|t(lang)`) was the
//! other way: it would have wrapped every one of ~750 strings in the templates.
//!
//! Adding a string: write the Chinese as the page shows it (trimmed; values as `{}`), a
//! tab, the English, in `en.tsv` (or `en-messages.tsv`); `cargo test --test web i18n`
//! lists the templates' texts that are missing.

pub mod catalogue;
pub mod rewrite;

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, Request};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::{AppState, Ctx, security};
pub use catalogue::{Catalogue, english};
pub use rewrite::{Piece, rewrite};

/// The preference cookie: `en` or `zh`.
pub const LANG_COOKIE: &str = "gongkai_lang";

/// The language of the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese, the default.
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The value of `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The value of the cookie and of `/lang?to=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn is_en(self) -> bool {
        self == Lang::En
    }

    /// The language a request asks for (its cookie; Chinese without one).
    pub fn of(headers: &HeaderMap) -> Lang {
        match security::cookie(headers, LANG_COOKIE) {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }
}

#[derive(Debug, Clone)]
struct Current {
    lang: Lang,
    /// The local path the language switch returns to.
    here: String,
}

tokio::task_local! {
    static CURRENT: Current;
}

/// The language of the request being answered (Chinese outside one).
pub fn current() -> Lang {
    CURRENT.try_with(|c| c.lang).unwrap_or_default()
}

/// A fixed label (`管理员`) in the request's language: its catalogue entry on an English
/// page, for texts the page joins with a user's data (which the page rewrite cannot take
/// apart), e.g. the roles beside the user's name.
pub fn label(zh: &'static str) -> &'static str {
    if current().is_en() {
        english().get(zh).unwrap_or(zh)
    } else {
        zh
    }
}

/// The link of the language switch on this page: to the other language, back here.
pub fn switch_href() -> String {
    let (lang, here) = CURRENT
        .try_with(|c| (c.lang, c.here.clone()))
        .unwrap_or_else(|_| (Lang::Zh, "/".to_string()));
    let to = if lang.is_en() { Lang::Zh } else { Lang::En };
    format!(
        "/lang?to={}&back={}",
        to.code(),
        crate::check::percent_encode(&here)
    )
}

/// A place the switch may return to: a local path of this site (the login page too),
/// never another site.
pub fn safe_back(back: &str) -> Option<&str> {
    security::safe_next(back).or_else(|| {
        (back == "/login" || back.starts_with("/login?"))
            .then_some(back)
            .filter(|b| !b.chars().any(|c| c.is_control() || c.is_whitespace()))
    })
}

/// The page a request came from: a GET's own path and query; for a form sent (POST), the
/// path of the page it was sent from (`Referer`, only when it is this site).
fn here_of(req: &Request) -> String {
    let own = if req.method() == Method::GET {
        req.uri().path_and_query().map(|p| p.as_str().to_string())
    } else {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        req.headers()
            .get(header::REFERER)
            .and_then(|r| r.to_str().ok())
            .zip(host)
            .and_then(|(r, host)| {
                let rest = r.split_once("://")?.1;
                let path = rest.strip_prefix(host)?;
                path.starts_with('/').then(|| path.to_string())
            })
    };
    own.map(|p| without_msg(&p))
        .filter(|p| safe_back(p).is_some())
        .unwrap_or_else(|| "/".to_string())
}

/// `path?msg=saved&q=1` without its status message (`path?q=1`): the switch returns to the
/// page, not to the message shown once.
fn without_msg(path_and_query: &str) -> String {
    let Some((path, query)) = path_and_query.split_once('?') else {
        return path_and_query.to_string();
    };
    let rest: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.starts_with("msg="))
        .collect();
    if rest.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", rest.join("&"))
    }
}

/// The middleware: knows the request's language for the handlers (task-local, so the
/// error pages know it too) and turns an HTML answer into English when asked for.
pub async fn layer(req: Request, next: Next) -> Response {
    let lang = Lang::of(req.headers());
    let here = here_of(&req);
    // The letter preview's fragment is the letter itself, which stays Chinese.
    let letter = req.uri().path().ends_with("/preview");
    let resp = CURRENT.scope(Current { lang, here }, next.run(req)).await;
    if !lang.is_en() || letter {
        return resp;
    }
    let is_html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html || resp.headers().contains_key(header::CONTENT_DISPOSITION) {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = %e, "a page could not be read for translation");
            return (StatusCode::INTERNAL_SERVER_ERROR, "Internal error").into_response();
        }
    };
    let body = match std::str::from_utf8(&bytes) {
        Ok(html) => Body::from(to_english(html, english())),
        Err(_) => Body::from(bytes),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, body)
}

/// A page in English: each text and shown attribute that `catalogue` translates.
pub fn to_english(html: &str, catalogue: &Catalogue) -> String {
    rewrite(html, |piece| {
        let raw = match piece {
            Piece::Text(t) => t,
            Piece::Attr { value, .. } => value,
        };
        if !catalogue::has_han(raw) {
            return None;
        }
        catalogue
            .translate(&rewrite::decode(raw))
            .map(|en| rewrite::escape(&en))
    })
}

#[derive(Debug, Deserialize)]
struct SwitchQuery {
    to: Option<String>,
    back: Option<String>,
}

/// `GET /lang?to=en&back=/ledger`: sets the preference and returns to `back` when it is a
/// local path (else to the home page). A preference only: no CSRF token needed.
async fn switch(ctx: Ctx, Query(q): Query<SwitchQuery>) -> Response {
    let lang = match q.to.as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Zh,
    };
    let back = q.back.as_deref().and_then(safe_back).unwrap_or("/");
    let cookie = security::set_cookie(LANG_COOKIE, lang.code(), Some(365 * 24 * 3600), ctx.secure);
    let mut resp = StatusCode::SEE_OTHER.into_response();
    if let (Ok(to), Ok(c)) = (HeaderValue::from_str(back), HeaderValue::from_str(&cookie)) {
        resp.headers_mut().insert(header::LOCATION, to);
        resp.headers_mut().insert(header::SET_COOKIE, c);
    }
    resp
}

/// The switch's route.
pub fn router() -> Router<AppState> {
    Router::new().route("/lang", get(switch))
}

/// A Chinese text of a template: its text nodes and shown attribute values with askama's
/// `{{ value }}` as `{}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateText {
    pub text: String,
    /// One of several parts of a text node that `{% … %}` tags cut: the page shows them
    /// joined, so each run of Han characters in it needs its own entry. (A text node with
    /// one non-blank part between such tags is shown alone and is not split.)
    pub split: bool,
}

/// Every text with Han characters in an askama template (for the coverage test): text
/// nodes and shown attributes (as [`to_english`] sees them), outside `translate="no"`.
pub fn template_texts(src: &str) -> Vec<TemplateText> {
    const CUT: char = '\u{1}';
    // Mask askama: values as `{}`, tags as a cut, comments dropped.
    let mut masked = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(i) = rest.find('{') {
        masked.push_str(&rest[..i]);
        let tail = &rest[i..];
        let close = match tail.get(..2) {
            Some("{{") => Some(("}}", "{}")),
            Some("{%") => Some(("%}", "\u{1}")),
            Some("{#") => Some(("#}", "")),
            _ => None,
        };
        match close.and_then(|(end, put)| tail.find(end).map(|n| (n + end.len(), put))) {
            Some((n, put)) => {
                masked.push_str(put);
                rest = &tail[n..];
            }
            None => {
                masked.push('{');
                rest = &tail[1..];
            }
        }
    }
    masked.push_str(rest);
    let mut out = Vec::new();
    rewrite(&masked, |piece| {
        let raw = match piece {
            Piece::Text(t) => t,
            Piece::Attr { value, .. } => value,
        };
        let text = rewrite::decode(raw);
        let parts: Vec<&str> = text
            .split(CUT)
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let split = parts.len() > 1;
        for p in parts {
            if catalogue::has_han(p) {
                out.push(TemplateText {
                    text: p.to_string(),
                    split,
                });
            }
        }
        None
    });
    out
}
