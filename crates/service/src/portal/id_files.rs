//! The identity documents (证件扫描件) an applicant may upload with the online form
//! (issue 17 §3): one or two files, JPEG, PNG or PDF — told by their first bytes, not by
//! the name — at most [`MAX_FILE_BYTES`] each and [`MAX_TOTAL_BYTES`] together. They are
//! kept with the application (`gongkai_store::online_files`) and shown to the office only:
//! staff who may see an applicant's identity list and download them, each download
//! audited.

use gongkai_store::online_files::{NewOnlineFile, OnlineFile};

use crate::actor::Actor;
use crate::error::ServiceError;
use crate::{Result, Service};

/// Files at most.
pub const MAX_FILES: usize = 2;
/// Bytes per file at most (5 MB).
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// Bytes of all the files at most (8 MB).
pub const MAX_TOTAL_BYTES: usize = 8 * 1024 * 1024;
/// The form field's name in messages.
pub const FIELD: &str = "身份证明文件";

/// A file as uploaded.
#[derive(Clone, PartialEq, Eq)]
pub struct IdFile {
    /// The name the browser gave (may be empty).
    pub name: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for IdFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdFile")
            .field("name", &self.name)
            .field("size", &self.bytes.len())
            .finish()
    }
}

/// The type of a file from its first bytes: `image/jpeg`, `image/png`, `application/pdf`.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// `1.5 MB`, `320 KB`.
pub fn size_text(n: usize) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", n.div_ceil(1024))
    }
}

/// The file's name for messages and the download: its last path part, without control
/// characters, at most 100 characters; `证件扫描件N` when empty.
fn clean_name(name: &str, n: usize) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(100)
        .collect();
    let clean = clean.trim().to_string();
    if clean.is_empty() {
        format!("证件扫描件{n}")
    } else {
        clean
    }
}

/// The refusal of file number `n` (`name` as uploaded) of `size` bytes, over
/// [`MAX_FILE_BYTES`].
pub fn too_large(name: &str, n: usize, size: usize) -> ServiceError {
    ServiceError::invalid(
        FIELD,
        format!(
            "文件“{}”有 {}，超过每个文件 {} 的上限，请压缩或分页后再上传",
            clean_name(name, n),
            size_text(size),
            size_text(MAX_FILE_BYTES)
        ),
    )
}

/// The files checked (count, emptiness, type by content, size each and together), in
/// the order given; the first problem names the field and the file.
pub fn check(files: &[IdFile]) -> Result<Vec<NewOnlineFile>> {
    if files.len() > MAX_FILES {
        return Err(ServiceError::invalid(
            FIELD,
            format!("最多上传 {MAX_FILES} 个文件，您选择了 {} 个", files.len()),
        ));
    }
    let mut out = Vec::with_capacity(files.len());
    let mut total = 0usize;
    for (i, f) in files.iter().enumerate() {
        let name = clean_name(&f.name, i + 1);
        if f.bytes.is_empty() {
            return Err(ServiceError::invalid(
                FIELD,
                format!("文件“{name}”是空文件，请重新选择"),
            ));
        }
        if f.bytes.len() > MAX_FILE_BYTES {
            return Err(too_large(&f.name, i + 1, f.bytes.len()));
        }
        let Some(media_type) = sniff(&f.bytes) else {
            return Err(ServiceError::invalid(
                FIELD,
                format!("文件“{name}”不是 JPEG、PNG 或 PDF 文件（按文件内容判断，与扩展名无关）"),
            ));
        };
        total += f.bytes.len();
        out.push(NewOnlineFile {
            file_name: name,
            media_type: media_type.to_string(),
            content: f.bytes.clone(),
        });
    }
    if total > MAX_TOTAL_BYTES {
        return Err(ServiceError::invalid(
            FIELD,
            format!(
                "文件合计 {}，超过合计 {} 的上限",
                size_text(total),
                size_text(MAX_TOTAL_BYTES)
            ),
        ));
    }
    Ok(out)
}

impl Service {
    /// The identity documents of an online application (staff who may see identities;
    /// an empty list for the others).
    pub async fn online_files(&self, actor: &Actor, id: &str) -> Result<Vec<OnlineFile>> {
        Ok(self
            .store_for(actor)
            .online_files(id, &actor.stamp())
            .await?)
    }

    /// One identity document with its bytes (staff who may see identities), audited.
    pub async fn online_file(
        &self,
        actor: &Actor,
        id: &str,
        seq: i32,
    ) -> Result<(OnlineFile, Vec<u8>)> {
        let r = self
            .store_for(actor)
            .online_file(id, seq, &actor.stamp())
            .await;
        self.refused(actor, "online_file.download", id, r.map_err(Into::into))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, bytes: &[u8]) -> IdFile {
        IdFile {
            name: name.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn the_type_is_told_by_the_bytes() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(b"GIF89a"), None);
        let e = check(&[file("scan.jpg", b"GIF89a...")]).unwrap_err();
        assert!(e.to_string().contains("scan.jpg") && e.to_string().contains("JPEG"));
        let ok = check(&[file("C:\\docs\\id.gif", b"%PDF-1.4 x")]).unwrap();
        assert_eq!(ok[0].media_type, "application/pdf");
        assert_eq!(ok[0].file_name, "id.gif");
    }

    #[test]
    fn sizes_and_counts_are_limited() {
        let e = check(&[file("a.png", b"")]).unwrap_err();
        assert!(e.to_string().contains("空文件"), "{e}");
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_FILE_BYTES + 1, b' ');
        let e = check(&[file("big.pdf", &big)]).unwrap_err();
        assert!(e.to_string().contains("超过每个文件 5.0 MB"), "{e}");
        let mut half = b"%PDF-".to_vec();
        half.resize(MAX_FILE_BYTES - 10, b' ');
        let e = check(&[file("a.pdf", &half), file("b.pdf", &half)]).unwrap_err();
        assert!(e.to_string().contains("合计"), "{e}");
        let three = vec![file("a.pdf", b"%PDF-1"); 3];
        assert!(
            check(&three)
                .unwrap_err()
                .to_string()
                .contains("最多上传 2 个")
        );
        assert!(check(&[]).unwrap().is_empty());
    }
}
