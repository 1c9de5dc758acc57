//! The online form as posted (issue 17 §3): `multipart/form-data` with the identity
//! documents (`id_files`, one or two files), or — a browser that sends no files, a test,
//! a script — URL-encoded as before. The same field names either way.
//!
//! A file larger than its limit is not kept in memory: the rest of it is read and counted
//! only, so the form comes back with the message naming the file and its size and every
//! value as entered. The whole body is bounded by [`BODY_LIMIT`] (the route's layer).

use axum::extract::multipart::Field;
use axum::extract::{Form, FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};
use gongkai_service::portal::id_files::{self, IdFile};

use crate::AppState;
use crate::error::PageError;

/// The name of the file input.
pub const FILE_FIELD: &str = "id_files";

/// The largest request body the form takes: the files' total and room for the fields.
pub const BODY_LIMIT: usize = id_files::MAX_TOTAL_BYTES + 1024 * 1024;

/// The fields and files of one submission.
#[derive(Debug, Default)]
pub struct Posted {
    pub fields: serde_json::Map<String, serde_json::Value>,
    pub files: Vec<IdFile>,
    /// A file over the limit: its message (the form is shown again with it).
    pub problem: Option<String>,
}

impl Posted {
    /// The text fields as the form struct `T` (missing fields: its defaults).
    pub fn form<T: serde::de::DeserializeOwned>(&self) -> Result<T, PageError> {
        serde_json::from_value(serde_json::Value::Object(self.fields.clone()))
            .map_err(|e| PageError::BadRequest(format!("表单内容有误：{e}")))
    }
}

fn too_big() -> PageError {
    PageError::Refused(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "{}：上传的内容超过 {}（每个文件不超过 {}，合计不超过 {}），请压缩后重新提交",
            id_files::FIELD,
            id_files::size_text(BODY_LIMIT),
            id_files::size_text(id_files::MAX_FILE_BYTES),
            id_files::size_text(id_files::MAX_TOTAL_BYTES)
        ),
    )
}

fn broken(e: &axum::extract::multipart::MultipartError) -> PageError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_big()
    } else {
        PageError::BadRequest("提交的数据不完整或格式有误（连接中断或表单损坏），请重新提交".into())
    }
}

/// Reads a file part: its bytes, or (over the limit) only its size.
async fn read_file(mut field: Field<'_>) -> Result<(Vec<u8>, usize), PageError> {
    let mut out = Vec::new();
    let mut size = 0usize;
    while let Some(chunk) = field.chunk().await.map_err(|e| broken(&e))? {
        size += chunk.len();
        if size <= id_files::MAX_FILE_BYTES {
            out.extend_from_slice(&chunk);
        } else {
            out = Vec::new();
        }
    }
    Ok((out, size))
}

/// Reads the form, either encoding.
pub async fn read(st: &AppState, req: Request) -> Result<Posted, PageError> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let mut posted = Posted::default();
    if !multipart {
        let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, st)
            .await
            .map_err(|e| PageError::BadRequest(format!("表单内容有误：{e}")))?;
        for (k, v) in pairs {
            posted.fields.insert(k, serde_json::Value::String(v));
        }
        return Ok(posted);
    }
    let mut mp = Multipart::from_request(req, st).await.map_err(|_| {
        PageError::BadRequest("提交的数据不是表单，请在申请页面上填写后提交".into())
    })?;
    while let Some(field) = mp.next_field().await.map_err(|e| broken(&e))? {
        let name = field.name().unwrap_or("").to_string();
        if name == FILE_FIELD {
            let file_name = field.file_name().unwrap_or("").trim().to_string();
            let (bytes, size) = read_file(field).await?;
            if file_name.is_empty() && size == 0 {
                // A file input left empty still sends its (empty) part.
                continue;
            }
            if size > id_files::MAX_FILE_BYTES {
                posted.problem.get_or_insert_with(|| {
                    id_files::too_large(&file_name, posted.files.len() + 1, size).to_string()
                });
                continue;
            }
            posted.files.push(IdFile {
                name: file_name,
                bytes,
            });
        } else {
            let text = field.text().await.map_err(|e| broken(&e))?;
            posted.fields.insert(name, serde_json::Value::String(text));
        }
    }
    Ok(posted)
}
