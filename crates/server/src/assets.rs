//! The files pages load: compiled into the binary, nothing from elsewhere.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

/// (name, content type, bytes).
const FILES: [(&str, &str, &[u8]); 8] = [
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/style.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/app.js"),
    ),
    // The letter template editor (`pages::admin_templates`).
    (
        "letter-preview.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/letter-preview.css"),
    ),
    (
        "admin-templates.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/admin-templates.js"),
    ),
    // The public 专栏 (`portal`).
    (
        "portal.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/portal.css"),
    ),
    (
        "portal.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/portal.js"),
    ),
    (
        "portal-apply.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/portal-apply.js"),
    ),
    (
        "icon.svg",
        "image/svg+xml",
        include_bytes!("../assets/icon.svg"),
    ),
];

pub fn router() -> Router<AppState> {
    Router::new().route("/assets/{name}", get(asset))
}

async fn asset(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, ty, body)) => {
            let mut resp = (*body).into_response();
            let h = resp.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ty));
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            resp
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
