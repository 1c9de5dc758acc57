//! The images of a scan's uncertain cells (cargo feature `ocr`): a person reads what the
//! recogniser could not, beside the finding that lists the cell.
//!
//! The uploaded file is not kept (only its report, [`crate::uploads`]), so the crops are
//! cut when the file is read ([`cut`]: `gongkai_read::ocr::crop`, the page's own grey
//! levels through the deskew and scale), one small grey PNG per uncertain cell, kept with
//! the upload in the database (`check_crops`, migration 0030: a restart keeps them, the
//! retention purge deletes them with the upload) and in this process's memory ([`Crops`])
//! up to [`super::Limits::crop_bytes`] altogether, the oldest upload's dropped first and
//! read again from the database when next shown ([`of`]). Without a database (uploads in
//! memory) a restart loses them with the uploads. A photographed page's cells are cut
//! from the photograph as stored, through the homography that undid its perspective.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use gongkai_read::ocr;
use gongkai_report::{Location, Report};

use super::get_upload;
use super::pages::CropView;
use crate::AppState;
use crate::error::PageError;

/// One uncertain cell's image, a grey PNG.
pub type Crop = Arc<[u8]>;

/// The crops of one upload: cell id → crop.
pub type CellCrops = HashMap<String, Crop>;

/// The crops of the uncertain cells of `report`, read from the scan `bytes` (recognised as
/// `scan`). A cell whose box cannot be cut (not on a page of the scan) has none.
pub fn cut(bytes: &[u8], scan: &ocr::Scan, report: &Report) -> CellCrops {
    let cells: Vec<(&str, Location)> = report
        .uncertain
        .iter()
        .filter(|u| matches!(u.loc, Location::Pdf { .. }))
        .map(|u| (u.cell.as_str(), u.loc))
        .collect();
    let mut out = CellCrops::new();
    if cells.is_empty() {
        return out;
    }
    let locs: Vec<Location> = cells.iter().map(|(_, l)| *l).collect();
    let pngs = match ocr::crop::cell_pngs(&[bytes], scan, &locs) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(error = %e, "cutting the cells' images of a scan failed");
            return out;
        }
    };
    for ((cell, _), png) in cells.into_iter().zip(pngs) {
        if let Some(png) = png {
            out.insert(cell.to_string(), png.into());
        }
    }
    out
}

/// The crops of recent uploads, in memory, at most `max_bytes` of PNG altogether.
pub struct Crops {
    max_bytes: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Oldest first: upload id, its crops, their bytes.
    uploads: VecDeque<(String, CellCrops, usize)>,
    bytes: usize,
}

fn size(c: &CellCrops) -> usize {
    c.values().map(|p| p.len()).sum()
}

impl Crops {
    pub fn new(max_bytes: usize) -> Self {
        Crops {
            max_bytes,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// Keeps the crops of an upload, dropping the oldest uploads' to make room. An
    /// upload's crops that alone exceed the budget keep what fits (the cells in id order).
    pub fn insert(&self, upload: &str, mut crops: CellCrops) {
        if crops.is_empty() {
            return;
        }
        if size(&crops) > self.max_bytes {
            let mut ids: Vec<String> = crops.keys().cloned().collect();
            ids.sort();
            let mut used = 0;
            for id in ids {
                if let Some(p) = crops.get(&id) {
                    if used + p.len() > self.max_bytes {
                        crops.remove(&id);
                    } else {
                        used += p.len();
                    }
                }
            }
        }
        let bytes = size(&crops);
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.uploads.retain(|(id, _, _)| id != upload);
        inner.bytes = inner.uploads.iter().map(|(_, _, b)| b).sum();
        while inner.bytes + bytes > self.max_bytes {
            match inner.uploads.pop_front() {
                Some((_, _, b)) => inner.bytes -= b,
                None => break,
            }
        }
        inner.bytes += bytes;
        inner.uploads.push_back((upload.to_string(), crops, bytes));
    }

    /// The crops kept of an upload (`None`: none kept — not a scan, nothing uncertain,
    /// or dropped).
    pub fn of(&self, upload: &str) -> Option<CellCrops> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner
            .uploads
            .iter()
            .find(|(id, _, _)| id == upload)
            .map(|(_, c, _)| c.clone())
    }

    /// One cell's crop.
    #[cfg(test)]
    pub fn get(&self, upload: &str, cell: &str) -> Option<Crop> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner
            .uploads
            .iter()
            .find(|(id, _, _)| id == upload)
            .and_then(|(_, c, _)| c.get(cell).cloned())
    }

    /// PNG bytes kept.
    pub fn bytes(&self) -> usize {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).bytes
    }
}

/// The crops of upload `id`: from memory, or from the store (after a restart, or when
/// newer uploads pushed them out of memory), then kept in memory again. A store that
/// cannot be read gives none (logged): the report is shown without the images.
pub async fn of(st: &AppState, id: &str) -> CellCrops {
    if let Some(c) = st.checker().crops.of(id) {
        return c;
    }
    match st.uploads().crops(id).await {
        Ok(kept) => {
            let crops: CellCrops = kept
                .into_iter()
                .map(|(cell, png)| (cell, png.into()))
                .collect();
            st.checker().crops.insert(id, crops.clone());
            crops
        }
        Err(e) => {
            tracing::warn!(error = %e, upload = id, "reading the cells' images failed");
            CellCrops::new()
        }
    }
}

/// Keeps the crops of new uploads: in the store (with the upload) and in memory. A
/// failure to store them is logged, not the upload's failure: the upload is kept and its
/// findings stand; only the images are lost at the next restart.
pub async fn keep(st: &AppState, id: &str, crops: CellCrops) {
    if crops.is_empty() {
        return;
    }
    let rows: Vec<(String, Vec<u8>)> = crops
        .iter()
        .map(|(cell, png)| (cell.clone(), png.to_vec()))
        .collect();
    if let Err(e) = st.uploads().put_crops(id, rows).await {
        tracing::warn!(error = %e, upload = id, "keeping the cells' images failed");
    }
    st.checker().crops.insert(id, crops);
}

/// `GET /check/r/{id}/crop/{cell}`: the PNG of an uncertain cell of a scan, or a Chinese
/// 404 saying why there is none.
pub(super) async fn crop(
    State(st): State<AppState>,
    Path((id, cell)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let u = get_upload(&st, &id).await?;
    match of(&st, &u.id).await.remove(&cell) {
        Some(png) => {
            let mut resp = png.to_vec().into_response();
            let h = resp.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600"),
            );
            Ok(resp)
        }
        None => Err(PageError::NotFound(
            "没有该单元格的扫描图像：只有扫描件中取值不确定的单元格才截图。".to_string(),
        )),
    }
}

/// The images of the cells of the uncertain-cell findings (VAL004) of upload `id`, at most
/// eight a finding (as the cell links).
pub fn attach(
    views: &mut [super::FindingView],
    findings: &[gongkai_check::Finding],
    id: &str,
    crops: &CellCrops,
) {
    for (v, f) in views.iter_mut().zip(findings) {
        if f.code != "VAL004" {
            continue;
        }
        for (c, link) in f.cells.iter().zip(&v.cells).take(8) {
            let view = match crops.get(&c.id) {
                Some(_) => CropView {
                    src: format!("/check/r/{id}/crop/{}", c.id),
                    alt: format!("扫描件上“{}”单元格的图像", link.short),
                    note: String::new(),
                },
                None => CropView {
                    src: String::new(),
                    alt: link.short.clone(),
                    note: "此格没有截图（不在所读的扫描页上）".to_string(),
                },
            };
            v.crops.push(view);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(n: usize) -> Crop {
        vec![0u8; n].into()
    }

    fn crops(cells: &[(&str, Crop)]) -> CellCrops {
        cells
            .iter()
            .map(|(c, p)| (c.to_string(), p.clone()))
            .collect()
    }

    #[test]
    fn the_oldest_uploads_make_room() {
        let c = Crops::new(100);
        c.insert("a", crops(&[("x", png(40))]));
        c.insert("b", crops(&[("x", png(40)), ("y", png(0))]));
        assert_eq!(c.bytes(), 80);
        c.insert("c", crops(&[("x", png(30))]));
        assert_eq!(c.get("a", "x"), None, "a made room for c");
        assert_eq!(c.get("b", "y"), Some(png(0)));
        assert_eq!(c.get("c", "x"), Some(png(30)));
        assert_eq!(c.bytes(), 70);
        assert!(c.of("a").is_none());
        assert_eq!(c.of("b").map(|b| b.len()), Some(2));
    }

    #[test]
    fn an_upload_larger_than_the_budget_keeps_what_fits() {
        let c = Crops::new(100);
        c.insert("a", crops(&[("x", png(10))]));
        c.insert("b", crops(&[("p", png(60)), ("q", png(60)), ("r", png(0))]));
        let b = c.of("b").unwrap();
        assert_eq!(b.get("p"), Some(&png(60)));
        assert_eq!(b.get("q"), None);
        assert_eq!(b.get("r"), Some(&png(0)));
        assert!(c.bytes() <= 100);
        assert!(c.of("a").is_some(), "10 + 60 fits");
        // Nothing to keep: nothing recorded.
        c.insert("e", CellCrops::new());
        assert!(c.of("e").is_none());
    }
}
