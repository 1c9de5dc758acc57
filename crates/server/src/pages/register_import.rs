//! 批量导入 register items on the web (`/register/import`, issue 16 §2 “bulk work”, §4):
//!
//! | route | what |
//! |---|---|
//! | `GET /register/import` | the form: the sheet (CSV/XLSX) and the attachment files chosen together |
//! | `POST /register/import` | multipart: `csrf`, `action` (`preview` or `import`), `sheet`, `attachments` (files), or `upload` (the files kept from the preview) |
//!
//! 预览 reads the files and lists what would be registered and every problem by row and
//! column (`Service::preview_item_import`); the files are kept for the import under an
//! unguessable token, for the same user and agency only, for an hour. 导入 registers
//! every row or none (`Service::import_items`: one transaction, one audit row an item).
//! Only those who record see and use the page.

use std::collections::HashMap;
use std::path::PathBuf;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongkai_service::Via;
use gongkai_service::register::import::{ImportPreview, MAX_ROWS};
use gongkai_store::register::{MAX_ATTACHMENT_BYTES, RegisterItem};
use serde::{Deserialize, Serialize};

use crate::check::intake::{multipart_error, not_multipart, read_field};
use crate::error::PageError;
use crate::security::CSRF_FIELD;
use crate::view::Chrome;
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/register/import", get(home).post(post))
}

/// A sheet at most this large.
const MAX_SHEET_BYTES: usize = 20 * 1024 * 1024;
/// How long the files of a preview are kept.
const KEEP_SECS: u64 = 3600;

#[derive(Template, WebTemplate)]
#[template(path = "register_import.html")]
struct Page {
    chrome: Chrome,
    error: Option<String>,
    /// The preview's file name and its token (empty before a preview).
    source: String,
    upload: String,
    previewed: bool,
    /// (row, title, 生成日期, 主题分类, 体裁, attachments)
    rows: Vec<(usize, String, String, String, String, String)>,
    /// (row, column, reason)
    refused: Vec<(usize, String, String)>,
    files: usize,
    imported: Vec<RegisterItem>,
    max_rows: usize,
    max_mib: usize,
}

impl Page {
    fn new(ctx: &Ctx) -> Page {
        Page {
            chrome: Chrome::new(ctx, "register"),
            error: None,
            source: String::new(),
            upload: String::new(),
            previewed: false,
            rows: Vec::new(),
            refused: Vec::new(),
            files: 0,
            imported: Vec::new(),
            max_rows: MAX_ROWS,
            max_mib: MAX_ATTACHMENT_BYTES / 1024 / 1024,
        }
    }

    fn with_preview(mut self, p: &ImportPreview) -> Page {
        self.previewed = true;
        self.rows = p
            .rows
            .iter()
            .map(|r| {
                (
                    r.row,
                    r.title.clone(),
                    r.formed_on.to_string(),
                    r.topic.clone(),
                    r.genre.clone(),
                    r.attachments.join("、"),
                )
            })
            .collect();
        self.refused = p
            .refusals
            .iter()
            .map(|r| {
                (
                    r.row,
                    r.column.clone().unwrap_or_default(),
                    r.reason.clone(),
                )
            })
            .collect();
        self
    }
}

async fn home(ctx: Ctx) -> Result<Page, PageError> {
    ctx.recorder()?;
    Ok(Page::new(&ctx))
}

/// The sheet and the attachments of one import.
#[derive(Default)]
struct Files {
    sheet: Option<(String, Vec<u8>)>,
    attachments: HashMap<String, Vec<u8>>,
}

#[derive(Default)]
struct Posted {
    action: String,
    upload: String,
    files: Files,
}

async fn read_form(st: &AppState, ctx: &Ctx, mut mp: Multipart) -> Result<Posted, PageError> {
    let cfg = st.config().clone();
    let mut p = Posted::default();
    let mut csrf: Option<String> = None;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| multipart_error(&e, &cfg))?
    {
        let name = field.name().unwrap_or("").to_string();
        if name == CSRF_FIELD {
            csrf = Some(field.text().await.map_err(|e| multipart_error(&e, &cfg))?);
            continue;
        }
        ctx.check_csrf(csrf.as_deref().unwrap_or(""))?;
        let text = |b: Vec<u8>| String::from_utf8_lossy(&b).trim().to_string();
        match name.as_str() {
            "sheet" | "attachments" => {
                let file_name = field.file_name().unwrap_or("").trim().to_string();
                let max = if name == "sheet" {
                    MAX_SHEET_BYTES
                } else {
                    MAX_ATTACHMENT_BYTES
                };
                let bytes = read_field(field, &file_name, max, &cfg).await?;
                if file_name.is_empty() {
                    continue;
                }
                if name == "sheet" {
                    p.files.sheet = Some((file_name, bytes));
                } else {
                    p.files.attachments.insert(file_name, bytes);
                }
            }
            "action" => p.action = text(read_field(field, "action", 100, &cfg).await?),
            "upload" => p.upload = text(read_field(field, "upload", 100, &cfg).await?),
            _ => {}
        }
    }
    ctx.check_csrf(csrf.as_deref().unwrap_or(""))?;
    Ok(p)
}

/// Who may use kept files: the user in the agency.
#[derive(Serialize, Deserialize, PartialEq)]
struct Kept {
    owner: String,
    agency: String,
    sheet: String,
    names: Vec<String>,
}

fn kept_root() -> PathBuf {
    std::env::temp_dir().join("gongkai-register-import")
}

fn owner_of(ctx: &Ctx) -> Result<(String, String), PageError> {
    Ok((
        ctx.user()?.actor(Via::Web).name().to_string(),
        format!("{:?}", crate::context::agency()),
    ))
}

fn io(e: std::io::Error) -> PageError {
    PageError::Internal(format!("无法暂存上传的文件：{e}"))
}

/// Keeps the files of a preview; returns the token.
fn keep(ctx: &Ctx, files: &Files) -> Result<String, PageError> {
    let root = kept_root();
    // Old previews go.
    if let Ok(dirs) = std::fs::read_dir(&root) {
        for d in dirs.flatten() {
            let old = d
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > KEEP_SECS);
            if old {
                let _ = std::fs::remove_dir_all(d.path());
            }
        }
    }
    let mut raw = [0u8; 16];
    getrandom::fill(&mut raw).map_err(|e| PageError::Internal(e.to_string()))?;
    let token: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    let dir = root.join(&token);
    std::fs::create_dir_all(&dir).map_err(io)?;
    let (sheet_name, sheet) = files.sheet.as_ref().expect("a sheet");
    std::fs::write(dir.join("sheet"), sheet).map_err(io)?;
    let mut names = Vec::new();
    for (i, (name, bytes)) in files.attachments.iter().enumerate() {
        std::fs::write(dir.join(format!("f{i}")), bytes).map_err(io)?;
        names.push(name.clone());
    }
    let (owner, agency) = owner_of(ctx)?;
    let kept = Kept {
        owner,
        agency,
        sheet: sheet_name.clone(),
        names,
    };
    let json = serde_json::to_vec(&kept).map_err(|e| PageError::Internal(e.to_string()))?;
    std::fs::write(dir.join("kept.json"), json).map_err(io)?;
    Ok(token)
}

/// The files kept under `token`, for their owner only.
fn kept(ctx: &Ctx, token: &str) -> Result<(PathBuf, Files), PageError> {
    let gone = || PageError::BadRequest("预览的文件已过期或不存在，请重新选择文件并预览".into());
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(gone());
    }
    let dir = kept_root().join(token);
    let meta: Kept = std::fs::read(dir.join("kept.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(gone)?;
    let (owner, agency) = owner_of(ctx)?;
    if meta.owner != owner || meta.agency != agency {
        return Err(gone());
    }
    let sheet = std::fs::read(dir.join("sheet")).map_err(|_| gone())?;
    let mut files = Files {
        sheet: Some((meta.sheet.clone(), sheet)),
        attachments: HashMap::new(),
    };
    for (i, name) in meta.names.iter().enumerate() {
        let b = std::fs::read(dir.join(format!("f{i}"))).map_err(|_| gone())?;
        files.attachments.insert(name.clone(), b);
    }
    Ok((dir, files))
}

async fn post(
    State(st): State<AppState>,
    ctx: Ctx,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let mp = mp.map_err(not_multipart)?;
    let actor = ctx.recorder()?.actor(Via::Web);
    let form = read_form(&st, &ctx, mp).await?;
    let mut page = Page::new(&ctx);
    let (kept_dir, files) = if form.files.sheet.is_none() && !form.upload.is_empty() {
        let (d, f) = kept(&ctx, &form.upload)?;
        (Some(d), f)
    } else {
        (None, form.files)
    };
    let Some((name, bytes)) = files.sheet.clone() else {
        page.error = Some("请选择要导入的表格文件（CSV 或 XLSX）".into());
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    page.source.clone_from(&name);
    page.files = files.attachments.len();
    let attachments = std::sync::Arc::new(files.attachments.clone());
    let find = {
        let a = attachments.clone();
        move |n: &str| a.get(n).cloned()
    };
    let svc = st.service();
    if form.action == "import" {
        match svc.import_items(&actor, &name, &bytes, &find).await {
            Ok(done) => {
                if let Some(d) = kept_dir {
                    let _ = std::fs::remove_dir_all(d);
                }
                page.imported = done.items;
                page.chrome = page.chrome.flash(Some("register_imported"));
                return Ok(page.into_response());
            }
            Err(e) if e.kind() == gongkai_service::ErrorKind::Internal => return Err(e.into()),
            Err(e) => {
                // Shown with the preview again, so each row's problem is in its place.
                page.error = Some(e.to_string());
            }
        }
    }
    let preview = match svc.preview_item_import(&actor, &name, &bytes, &find).await {
        Ok(p) => p,
        Err(e) if e.kind() == gongkai_service::ErrorKind::Internal => return Err(e.into()),
        Err(e) => {
            page.error = Some(format!("“{name}”：{e}"));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    page.upload = match kept_dir {
        Some(d) => d
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        None if preview.ok() => keep(&ctx, &files)?,
        None => String::new(),
    };
    let status = if preview.ok() && page.error.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = page.with_preview(&preview);
    Ok((status, page).into_response())
}
