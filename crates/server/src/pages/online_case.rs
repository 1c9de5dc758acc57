//! What an application submitted online adds to its page in the ledger (issue 17 §3): the
//! identity documents uploaded with it (listed and downloaded by staff who may see an
//! applicant's identity; each download audited; never on a public page) and the e-mail
//! notices to the applicant with their state (sent, to be retried with the last error,
//! given up).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongkai_service::{Actor, Via};

use crate::check::percent_encode;
use crate::error::PageError;
use crate::view::datetime;
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/ledger/a/{id}/id-file/{seq}", get(download))
}

/// An identity document as listed.
pub struct FileRow {
    pub url: String,
    pub name: String,
    pub kind: &'static str,
    pub size: String,
}

/// An e-mail notice as listed.
pub struct NoticeRow {
    pub kind: &'static str,
    pub recipient: String,
    pub state: &'static str,
    pub when: String,
    pub error: String,
}

/// The section of the application's page (empty for an application not submitted
/// online).
#[derive(Default)]
pub struct OnlineCaseView {
    pub files: Vec<FileRow>,
    pub notices: Vec<NoticeRow>,
}

impl OnlineCaseView {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.notices.is_empty()
    }

    pub async fn of(st: &AppState, actor: &Actor, id: &str) -> Result<Self, PageError> {
        let service = st.service();
        let files = service
            .online_files(actor, id)
            .await?
            .into_iter()
            .map(|f| FileRow {
                url: format!("/ledger/a/{}/id-file/{}", percent_encode(id), f.seq),
                name: f.file_name,
                kind: match f.media_type.as_str() {
                    "image/jpeg" => "JPEG",
                    "image/png" => "PNG",
                    _ => "PDF",
                },
                size: gongkai_service::portal::id_files::size_text(
                    usize::try_from(f.size).unwrap_or(0),
                ),
            })
            .collect();
        let notices = service
            .mail_notices_of(actor, id)
            .await?
            .into_iter()
            .map(|n| NoticeRow {
                kind: n.kind.label_zh(),
                recipient: n.recipient.clone(),
                state: n.state_zh(),
                when: datetime(n.sent_at.unwrap_or(n.created_at)),
                error: n.last_error.clone().unwrap_or_default(),
            })
            .collect();
        Ok(OnlineCaseView { files, notices })
    }
}

/// One identity document, as an attachment (never shown inline).
async fn download(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, seq)): Path<(String, i32)>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let (file, bytes) = st.service().online_file(&actor, &id, seq).await?;
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&file.media_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    let ext = match file.media_type.as_str() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => "pdf",
    };
    let disposition = format!(
        "attachment; filename=\"id-{seq}.{ext}\"; filename*=UTF-8''{}",
        percent_encode(&file.file_name)
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(resp)
}
