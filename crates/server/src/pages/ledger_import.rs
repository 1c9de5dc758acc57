//! 导入 (`/ledger/import`): an office's existing records brought in from a sheet.
//!
//! | route | what |
//! |---|---|
//! | `GET /ledger/import` | the upload form (applications or documents) |
//! | `POST /ledger/import` | multipart: `csrf`, `kind`, `file` (XLSX/XLS/ODS/CSV) or the sheet carried over from the preview (`sheet`, `source`), `map.<field>` (the column chosen for each field), `action` (`preview` or `import`) |
//!
//! The first post reads the file and shows the preview: the columns with the field each
//! is mapped to (the saved mapping and the recognised headers preselected; any can be
//! changed), what will be created, the rows already in the ledger, and every row that
//! cannot be imported with its reason. 重新预览 applies a changed mapping; 导入 writes in
//! one transaction (`gongkai_service::imports`) and saves the mapping. Only those who
//! record (信息员, 办公室主任, 管理员) see and use the page.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Multipart, State};
use axum::routing::get;
use gongkai_ledger::import::{Field, ImportKind, Sheet};
use gongkai_service::Via;
use gongkai_service::imports::{self, Overrides, Preview};

use crate::error::PageError;
use crate::security::CSRF_FIELD;
use crate::view::Chrome;
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/ledger/import", get(home).post(post))
}

/// One field of the mapping form.
pub struct FieldRow {
    pub name: &'static str,
    pub label: &'static str,
    pub required: bool,
    /// The header of the column chosen (empty: none).
    pub chosen: String,
}

/// A planned record as the preview lists it.
pub struct PlanRow {
    pub row: usize,
    pub cells: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "ledger_import.html")]
pub struct Page {
    pub chrome: Chrome,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub error: Option<String>,
    /// The preview, once a sheet was read.
    pub previewed: bool,
    pub source: String,
    pub sheet_json: String,
    pub header_row: usize,
    pub headers: Vec<String>,
    pub fields: Vec<FieldRow>,
    pub plan_head: Vec<&'static str>,
    pub plan: Vec<PlanRow>,
    pub existing: Vec<(usize, String)>,
    pub refused: Vec<(usize, String, String)>,
    pub blank_rows: usize,
    /// After the import: the ids created.
    pub imported: Option<Vec<(usize, String)>>,
}

impl Page {
    fn empty(ctx: &Ctx, kind: ImportKind) -> Page {
        Page {
            chrome: Chrome::new(ctx, "ledger"),
            kind: kind.name(),
            kind_label: kind.label_zh(),
            error: None,
            previewed: false,
            source: String::new(),
            sheet_json: String::new(),
            header_row: 0,
            headers: Vec::new(),
            fields: Vec::new(),
            plan_head: Vec::new(),
            plan: Vec::new(),
            existing: Vec::new(),
            refused: Vec::new(),
            blank_rows: 0,
            imported: None,
        }
    }

    fn with_preview(mut self, p: &Preview, sheet: &Sheet) -> Page {
        self.previewed = true;
        self.source.clone_from(&p.source);
        self.sheet_json = serde_json::to_string(sheet).unwrap_or_default();
        self.header_row = p.columns.header_row + 1;
        self.headers.clone_from(&p.columns.headers);
        self.fields = Field::of(p.kind)
            .iter()
            .map(|f| FieldRow {
                name: f.name(),
                label: f.label(),
                required: f.required(),
                chosen: p
                    .columns
                    .fields
                    .get(f)
                    .and_then(|c| p.columns.headers.get(*c))
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect();
        match p.kind {
            ImportKind::Applications => {
                self.plan_head = vec![
                    "行",
                    "收到日期",
                    "申请人",
                    "申请人类型",
                    "申请内容",
                    "办理情况",
                ];
                self.plan = p
                    .applications
                    .iter()
                    .map(|a| PlanRow {
                        row: a.row,
                        cells: vec![
                            a.received().to_string(),
                            a.applicant.name.clone(),
                            a.applicant.kind.label_zh().to_string(),
                            a.request.description.clone(),
                            a.status_zh(),
                        ],
                    })
                    .collect();
            }
            ImportKind::Documents => {
                self.plan_head = vec!["行", "类别", "文件名称", "文号", "发布日期", "废止日期"];
                self.plan = p
                    .documents
                    .iter()
                    .map(|d| PlanRow {
                        row: d.row,
                        cells: vec![
                            d.record.kind.label_zh().to_string(),
                            d.record.title.clone(),
                            d.record.number.clone().unwrap_or_default(),
                            d.record.issued_on.to_string(),
                            d.record
                                .repealed_on
                                .map(|r| r.to_string())
                                .unwrap_or_default(),
                        ],
                    })
                    .collect();
            }
        }
        self.existing.clone_from(&p.existing);
        self.refused = p
            .refused
            .iter()
            .map(|r| {
                (
                    r.row,
                    r.column.clone().unwrap_or_default(),
                    r.reason.clone(),
                )
            })
            .collect();
        self.blank_rows = p.blank_rows;
        self
    }
}

async fn home(ctx: Ctx) -> Result<Page, PageError> {
    ctx.recorder()?;
    Ok(Page::empty(&ctx, ImportKind::Applications))
}

/// The posted form.
#[derive(Default)]
struct Posted {
    csrf: Option<String>,
    kind: Option<String>,
    action: String,
    file: Option<(String, Vec<u8>)>,
    sheet: Option<Vec<u8>>,
    source: String,
    maps: Vec<(String, String)>,
}

async fn read_form(st: &AppState, ctx: &Ctx, mut mp: Multipart) -> Result<Posted, PageError> {
    use crate::check::intake::{multipart_error, read_field};
    let cfg = st.config().clone();
    let max = cfg.max_file_bytes.max(imports::MAX_FILE_BYTES);
    let mut p = Posted::default();
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| multipart_error(&e, &cfg))?
    {
        let name = field.name().unwrap_or("").to_string();
        if name == CSRF_FIELD {
            p.csrf = Some(field.text().await.map_err(|e| multipart_error(&e, &cfg))?);
            continue;
        }
        // The token comes first; nothing is read without it.
        ctx.check_csrf(p.csrf.as_deref().unwrap_or(""))?;
        let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
        match name.as_str() {
            "file" => {
                let file_name = field.file_name().unwrap_or("").to_string();
                let bytes = read_field(field, &file_name, max, &cfg).await?;
                if !bytes.is_empty() {
                    p.file = Some((file_name, bytes));
                }
            }
            "sheet" => p.sheet = Some(read_field(field, "sheet", max, &cfg).await?),
            "kind" => p.kind = Some(text(read_field(field, "kind", 100, &cfg).await?)),
            "action" => p.action = text(read_field(field, "action", 100, &cfg).await?),
            "source" => p.source = text(read_field(field, "source", 1000, &cfg).await?),
            n if n.starts_with("map.") => {
                let v = text(read_field(field, n, 1000, &cfg).await?);
                p.maps.push((n["map.".len()..].to_string(), v));
            }
            _ => {}
        }
    }
    ctx.check_csrf(p.csrf.as_deref().unwrap_or(""))?;
    Ok(p)
}

async fn post(
    State(st): State<AppState>,
    ctx: Ctx,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Page, PageError> {
    let mp = multipart.map_err(crate::check::intake::not_multipart)?;
    let actor = ctx.recorder()?.actor(Via::Web);
    let form = read_form(&st, &ctx, mp).await?;
    let kind = form
        .kind
        .as_deref()
        .and_then(ImportKind::parse)
        .unwrap_or(ImportKind::Applications);
    let page = Page::empty(&ctx, kind);
    let (source, sheet, sha) = match (&form.file, &form.sheet) {
        (Some((name, bytes)), _) => {
            let name = if name.trim().is_empty() {
                "上传的表格".to_string()
            } else {
                name.clone()
            };
            let b = bytes.clone();
            let n = name.clone();
            let read = tokio::task::spawn_blocking(move || imports::read_sheet(&n, &b))
                .await
                .map_err(|e| PageError::Internal(e.to_string()))?;
            match read {
                Ok(s) => (name, s, gongkai_store::auth::sha256_hex(bytes)),
                Err(e) => {
                    return Ok(Page {
                        error: Some(e.to_string()),
                        ..page
                    });
                }
            }
        }
        (None, Some(json)) => {
            let sheet: Sheet = serde_json::from_slice(json)
                .map_err(|_| PageError::BadRequest("表格数据无法读取，请重新上传文件".into()))?;
            (
                form.source.clone(),
                sheet,
                gongkai_store::auth::sha256_hex(json),
            )
        }
        (None, None) => {
            return Ok(Page {
                error: Some("请选择要导入的文件（.xlsx、.xls、.ods 或 .csv）".into()),
                ..page
            });
        }
    };
    // The mapping form is sent only after a preview; a fresh file starts from the saved
    // mapping and the recognised headers.
    let mut overrides: Overrides = Vec::new();
    if form.file.is_none() {
        for (name, header) in &form.maps {
            if let Some(f) = Field::parse(kind, name) {
                overrides.push((f, Some(header.clone()).filter(|h| !h.trim().is_empty())));
            }
        }
    }
    let svc = st.service();
    if form.action == "import" && form.file.is_none() {
        match svc
            .import_sheet(&actor, kind, &source, &sheet, &overrides, &sha)
            .await
        {
            Ok((p, out)) => {
                return Ok(Page {
                    imported: Some(out.created),
                    ..page.with_preview(&p, &sheet)
                });
            }
            Err(e) if e.kind() == gongkai_service::ErrorKind::Invalid => {
                return Ok(Page {
                    error: Some(e.to_string()),
                    ..page
                });
            }
            Err(e) => return Err(e.into()),
        }
    }
    match svc
        .import_preview(&actor, kind, &source, &sheet, &overrides)
        .await
    {
        Ok(p) => Ok(page.with_preview(&p, &sheet)),
        Err(e) if e.kind() == gongkai_service::ErrorKind::Invalid => {
            // Show the columns so a missing one can be chosen.
            let mut pg = Page {
                error: Some(e.to_string()),
                ..page
            };
            if let Ok(cols) = svc.import_columns(kind, &sheet, &Vec::new()).await {
                pg.previewed = true;
                pg.source = source;
                pg.sheet_json = serde_json::to_string(&sheet).unwrap_or_default();
                pg.header_row = cols.header_row + 1;
                pg.fields = Field::of(kind)
                    .iter()
                    .map(|f| FieldRow {
                        name: f.name(),
                        label: f.label(),
                        required: f.required(),
                        chosen: overrides
                            .iter()
                            .find(|(o, _)| o == f)
                            .and_then(|(_, h)| h.clone())
                            .or_else(|| cols.fields.get(f).map(|c| cols.headers[*c].clone()))
                            .unwrap_or_default(),
                    })
                    .collect();
                pg.headers = cols.headers;
            }
            Ok(pg)
        }
        Err(e) => Err(e.into()),
    }
}
