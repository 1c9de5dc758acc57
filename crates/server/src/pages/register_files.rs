//! 正文文件与附件 of register items on the web (issue 16 §4):
//!
//! | route | what |
//! |---|---|
//! | `POST /register/new`, `/register/{id}/edit`, `/register/{id}/correct` | the item form as multipart: its fields, `body_file` (DOCX/HTML/PDF/text: its text becomes the 正文) and `attachments` (any number of files) — read here by [`read_item_form`] |
//! | `POST /register/{id}/attachments` | multipart: `csrf`, `attachments` (files added to the item) |
//! | `GET /register/{id}/attachments/{seq}` | an attachment's download (audited) |
//!
//! The limits are the store's: [`MAX_ATTACHMENT_BYTES`] a file (refused while it is read),
//! [`MAX_ATTACHMENTS`] an item. Thin: the body is read by `Service::body_from_file`, each
//! file added by `Service::attach_to_item` (a new item with its files in one transaction,
//! `Service::register_item_with_files`), each write audited by the service.

use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Form, FromRequest, Multipart, Path, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_service::Via;
use gongkai_service::register::import::media_type;
use gongkai_store::register::{MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, NewAttachment};

use crate::check::intake::{multipart_error, not_multipart, read_field};
use crate::error::PageError;
use crate::security::CSRF_FIELD;
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/register/{id}/attachments", post(attach))
        .route("/register/{id}/attachments/{seq}", get(download))
}

/// The flash message after files were added.
pub const ATTACHED: &str = "register_attached";

/// A posted item form: its text fields (as pairs), the body file, the attachments.
#[derive(Default)]
pub struct Upload {
    pub fields: serde_json::Map<String, serde_json::Value>,
    pub body_file: Option<(String, Vec<u8>)>,
    pub files: Vec<NewAttachment>,
}

impl Upload {
    /// The text fields as the form struct `T` (fields missing are its defaults).
    pub fn form<T: serde::de::DeserializeOwned>(&self) -> Result<T, PageError> {
        serde_json::from_value(serde_json::Value::Object(self.fields.clone()))
            .map_err(|e| PageError::BadRequest(format!("表单内容有误：{e}")))
    }
}

/// Reads the item form posted as multipart (with files) or URL-encoded (without), the
/// CSRF token checked.
pub async fn read_form_or_multipart(
    st: &AppState,
    ctx: &Ctx,
    req: Request,
) -> Result<Upload, PageError> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        let mp = Multipart::from_request(req, st).await;
        return read_item_form(st, ctx, mp).await;
    }
    let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, st)
        .await
        .map_err(|e| PageError::BadRequest(format!("表单内容有误：{e}")))?;
    let mut up = Upload::default();
    for (k, v) in pairs {
        up.fields.insert(k, serde_json::Value::String(v));
    }
    let csrf = up
        .fields
        .get(CSRF_FIELD)
        .and_then(|v| v.as_str())
        .unwrap_or("");
    ctx.check_csrf(csrf)?;
    Ok(up)
}

/// Reads a multipart form: the CSRF token first (nothing is read without it), text fields,
/// `body_file`, and every file of `attachments` (empty file inputs skipped).
pub async fn read_item_form(
    st: &AppState,
    ctx: &Ctx,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Upload, PageError> {
    let mut mp = mp.map_err(not_multipart)?;
    let cfg = st.config().clone();
    let mut up = Upload::default();
    let mut csrf: Option<String> = None;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| multipart_error(&e, &cfg))?
    {
        let name = field.name().unwrap_or("").to_string();
        if name == CSRF_FIELD {
            let t = field.text().await.map_err(|e| multipart_error(&e, &cfg))?;
            ctx.check_csrf(&t)?;
            up.fields.insert(name, serde_json::Value::String(t.clone()));
            csrf = Some(t);
            continue;
        }
        ctx.check_csrf(csrf.as_deref().unwrap_or(""))?;
        match name.as_str() {
            "body_file" | "attachments" => {
                let file_name = field.file_name().unwrap_or("").trim().to_string();
                if file_name.is_empty() {
                    // An empty file input still sends its (empty) part.
                    let _ = read_field(field, "空", 0, &cfg).await;
                    continue;
                }
                let max = if name == "body_file" {
                    gongkai_read::MAX_INPUT_BYTES
                } else {
                    MAX_ATTACHMENT_BYTES
                };
                let bytes = read_field(field, &file_name, max, &cfg).await?;
                if name == "body_file" {
                    up.body_file = Some((file_name, bytes));
                } else {
                    if up.files.len() >= MAX_ATTACHMENTS {
                        return Err(PageError::BadRequest(format!(
                            "一次最多上传 {MAX_ATTACHMENTS} 个附件"
                        )));
                    }
                    up.files.push(NewAttachment {
                        media_type: media_type(&file_name).to_string(),
                        name: file_name,
                        bytes,
                    });
                }
            }
            _ => {
                let v = read_field(field, &name, 1024 * 1024, &cfg).await?;
                up.fields.insert(
                    name,
                    serde_json::Value::String(String::from_utf8_lossy(&v).into_owned()),
                );
            }
        }
    }
    ctx.check_csrf(csrf.as_deref().unwrap_or(""))?;
    Ok(up)
}

/// Adds the posted files to item `id`, one by one (each audited); stops at the first
/// refusal, showing it on the item page with what was added before it.
async fn attach(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let actor = ctx.recorder()?.actor(Via::Web);
    let up = read_item_form(&st, &ctx, mp).await?;
    if up.files.is_empty() {
        let r: Result<(), _> = Err(gongkai_service::ServiceError::invalid(
            "附件",
            "请选择要上传的附件文件",
        ));
        return super::register::done(&st, &ctx, id, r).await;
    }
    let svc = st.service();
    let mut added = Vec::new();
    for f in up.files {
        let name = f.name.clone();
        match svc.attach_to_item(&actor, id, f).await {
            Ok(_) => added.push(name),
            Err(e) => {
                let e = if added.is_empty() {
                    e
                } else {
                    gongkai_service::ServiceError::invalid(
                        "附件",
                        format!("已添加 {}；“{name}”未添加：{e}", added.join("、")),
                    )
                };
                return super::register::done(&st, &ctx, id, Err::<(), _>(e)).await;
            }
        }
    }
    Ok(Redirect::to(&format!("/register/{id}?msg={ATTACHED}")).into_response())
}

/// An attachment's bytes, as a download named as uploaded (the service audits it).
async fn download(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, seq)): Path<(i64, u32)>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let (meta, bytes) = st.service().item_attachment(&actor, id, seq).await?;
    Ok(crate::check::attachment_response(
        media_type(&meta.name),
        &meta.name,
        bytes,
    ))
}
