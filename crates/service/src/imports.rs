//! Imports (导入): an office's old ledger sheet and its list of documents in force, read
//! from XLSX (also XLS, ODS — through `calamine`) or CSV (UTF-8 or GBK), the columns mapped
//! (the saved mapping, the common Chinese headers, the user's choices), previewed — what
//! will be created, what is already in the ledger, every refused row with its reason —
//! and then written in one transaction ([`gongkai_store::imports`]); and the opening
//! balances ([`gongkai_ledger::Opening`]) typed or taken from last year's published report.
//!
//! One preview for every front end: the command line prints it (and writes unless
//! `--dry-run`), the import page shows it with the mapping form before its 导入 button.

use std::io::Cursor;

use calamine::{Data, Reader};
use gongkai_format::APPLICANT_COLUMNS;
use gongkai_ledger::import::{
    self, Cell, Columns, Field, ImportKind, Mapping, PlannedApplication, PlannedDocument, Refusal,
    Sheet,
};
use gongkai_ledger::{Context, Opening};
use gongkai_report::Report;
use gongkai_store::imports::key_hash;
use gongkai_store::{ImportBatch, ImportOutcome};
use serde::Serialize;

use crate::actor::Actor;
use crate::error::ServiceError;
use crate::{Result, Service};

/// The largest file an import reads (bytes).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// What an import would do (nothing written yet).
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub kind: ImportKind,
    /// The file's name.
    pub source: String,
    pub columns: Columns,
    /// Applications to create, in sheet order.
    pub applications: Vec<PlannedApplication>,
    /// Documents to create.
    pub documents: Vec<PlannedDocument>,
    /// `(row, id)`: rows already in the ledger (imported before, or the same application
    /// or document typed in); nothing is created for them.
    pub existing: Vec<(usize, String)>,
    pub refused: Vec<Refusal>,
    pub blank_rows: usize,
}

impl Preview {
    /// How many records the import would create.
    pub fn to_create(&self) -> usize {
        self.applications.len() + self.documents.len()
    }
}

fn unreadable(message: impl Into<String>) -> ServiceError {
    ServiceError::invalid("导入文件", message)
}

pub(crate) fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
        Data::DateTime(x) => {
            import::dates::from_serial(x.as_f64()).map_or(Cell::Number(x.as_f64()), Cell::Date)
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
    }
}

fn read_workbook(bytes: &[u8]) -> Result<Sheet> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| unreadable(format!("无法读取电子表格（{e}）")))?;
    let Some(name) = book.sheet_names().first().cloned() else {
        return Err(unreadable("电子表格中没有工作表"));
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| unreadable(format!("无法读取工作表“{name}”（{e}）")))?;
    let merged = match &mut book {
        calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        _ => Vec::new(),
    };
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let (r0, c0) = (r0 as usize, c0 as usize);
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); r0];
    for row in range.rows() {
        let mut out = vec![Cell::Empty; c0];
        out.extend(row.iter().map(cell));
        while out.last().is_some_and(Cell::is_empty) {
            out.pop();
        }
        rows.push(out);
    }
    // A merged cell's value fills the whole region (a header over two rows, an outcome
    // written once for two rows).
    for m in merged {
        let (sr, sc) = (m.start.0 as usize, m.start.1 as usize);
        let Some(v) = rows.get(sr).and_then(|r| r.get(sc)).cloned() else {
            continue;
        };
        for r in sr..=(m.end.0 as usize).min(rows.len().saturating_sub(1)) {
            for c in sc..=m.end.1 as usize {
                if (r, c) == (sr, sc) {
                    continue;
                }
                let row = &mut rows[r];
                if row.len() <= c {
                    row.resize(c + 1, Cell::Empty);
                }
                if row[c].is_empty() {
                    row[c] = v.clone();
                }
            }
        }
    }
    Ok(Sheet { rows })
}

fn read_csv(bytes: &[u8]) -> Result<Sheet> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        // Excel and WPS save CSV in GBK on Chinese Windows.
        Err(_) => encoding_rs::GBK.decode(bytes).0.into_owned(),
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| unreadable(format!("CSV 第 {} 行无法读取（{e}）", i + 1)))?;
        rows.push(rec.iter().map(str::to_string).collect::<Vec<_>>());
    }
    Ok(Sheet::from_rows(rows))
}

/// Reads a file as a sheet: XLSX/XLS/ODS by their content, anything else as CSV.
pub fn read_sheet(name: &str, bytes: &[u8]) -> Result<Sheet> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(unreadable(format!(
            "文件过大（{} MB），导入文件不能超过 {} MB",
            bytes.len() / 1_048_576,
            MAX_FILE_BYTES / 1_048_576
        )));
    }
    let lower = name.to_lowercase();
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if zip
        || ole
        || [".xlsx", ".xls", ".xlsm", ".ods"]
            .iter()
            .any(|e| lower.ends_with(e))
    {
        read_workbook(bytes)
    } else {
        read_csv(bytes)
    }
}

/// The mapping choices of a front end: field → the header of its column (`None`: not
/// imported).
pub type Overrides = Vec<(Field, Option<String>)>;

/// Parses `字段=列标题` (the command line's `--map`; the field by its Chinese label or
/// wire name, an empty header unmaps it).
pub fn parse_override(kind: ImportKind, text: &str) -> Result<(Field, Option<String>)> {
    let (f, h) = text.split_once('=').ok_or_else(|| {
        ServiceError::invalid(
            "列对应",
            format!("“{text}”应写成 字段=列标题，如 收到日期=来件日期"),
        )
    })?;
    let field = Field::parse(kind, f).ok_or_else(|| {
        ServiceError::invalid(
            "列对应",
            format!(
                "没有字段“{}”，可用：{}",
                f.trim(),
                Field::of(kind)
                    .iter()
                    .map(|f| f.label())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        )
    })?;
    let h = h.trim();
    Ok((field, (!h.is_empty()).then(|| h.to_string())))
}

fn require_recorder(actor: &Actor) -> Result<()> {
    if actor.roles().iter().any(|r| r.can_record()) {
        Ok(())
    } else {
        Err(gongkai_store::StoreError::Forbidden {
            user: actor.name().to_string(),
            role: actor.role(),
            action: "导入台账",
        }
        .into())
    }
}

impl Service {
    /// The saved mapping of `kind`.
    pub async fn import_mapping(&self, kind: ImportKind) -> Result<Mapping> {
        Ok(self.store.import_mapping(kind).await?)
    }

    /// The columns of `sheet`: the saved mapping, then the recognised headers, then the
    /// front end's choices.
    pub async fn import_columns(
        &self,
        kind: ImportKind,
        sheet: &Sheet,
        overrides: &Overrides,
    ) -> Result<Columns> {
        // The headers the user named count for finding the header row too.
        let mut saved = self.store.import_mapping(kind).await?;
        for (field, header) in overrides {
            if let Some(h) = header {
                saved.columns.insert(*field, h.clone());
            }
        }
        let mut columns = import::headers::columns(kind, sheet, &saved)
            .ok_or_else(|| unreadable(import::PlanError::NoHeaderRow.to_string()))?;
        for (field, header) in overrides {
            columns
                .set(*field, header.as_deref())
                .map_err(|m| ServiceError::invalid("列对应", m))?;
        }
        Ok(columns)
    }

    /// What importing `sheet` would do: nothing is written.
    pub async fn import_preview(
        &self,
        actor: &Actor,
        kind: ImportKind,
        source: &str,
        sheet: &Sheet,
        overrides: &Overrides,
    ) -> Result<Preview> {
        require_recorder(actor)?;
        let columns = self
            .for_actor(actor)
            .import_columns(kind, sheet, overrides)
            .await?;
        let store = self.store_for(actor);
        let settings = store.settings().await?;
        let ctx = Context::new(store.calendar(), settings, self.current_date());
        let plan = import::plan(kind, sheet, columns, source, &ctx)
            .map_err(|e| ServiceError::invalid("列对应", e.to_string()))?;
        let known = self.store_for(actor).known_import_keys().await?;
        let mut existing = Vec::new();
        let applications = plan
            .applications
            .into_iter()
            .filter(|a| match known.get(&key_hash(&a.key)) {
                Some(id) => {
                    existing.push((a.row, id.clone()));
                    false
                }
                None => true,
            })
            .collect();
        let documents = plan
            .documents
            .into_iter()
            .filter(|d| match known.get(&key_hash(&d.key)) {
                Some(id) => {
                    existing.push((d.row, id.clone()));
                    false
                }
                None => true,
            })
            .collect();
        existing.sort();
        Ok(Preview {
            kind,
            source: source.to_string(),
            columns: plan.columns,
            applications,
            documents,
            existing,
            refused: plan.refused,
            blank_rows: plan.blank_rows,
        })
    }

    /// Imports `sheet`: the preview's records in one transaction (audited), the rows
    /// already in the ledger skipped, the refused rows left out; the mapping used is saved
    /// for the next sheet.
    pub async fn import_sheet(
        &self,
        actor: &Actor,
        kind: ImportKind,
        source: &str,
        sheet: &Sheet,
        overrides: &Overrides,
        sha256: &str,
    ) -> Result<(Preview, ImportOutcome)> {
        let preview = self
            .import_preview(actor, kind, source, sheet, overrides)
            .await?;
        let stamp = actor.stamp();
        let batch = ImportBatch {
            source: source.to_string(),
            sha256: sha256.to_string(),
            applications: preview.applications.clone(),
            documents: preview.documents.clone(),
        };
        let mut outcome = self.store_for(actor).import(&batch, &stamp).await?;
        outcome.existing.extend(preview.existing.iter().cloned());
        outcome.existing.sort();
        self.store_for(actor)
            .set_import_mapping(kind, &preview.columns.mapping(), &stamp)
            .await?;
        Ok((preview, outcome))
    }

    /// The opening balances, if set.
    pub async fn opening(&self) -> Result<Option<Opening>> {
        Ok(self.store.opening().await?)
    }

    /// Sets (or clears) the opening balances (信息员, 办公室主任 or 管理员; audited).
    pub async fn set_opening(&self, actor: &Actor, opening: Option<&Opening>) -> Result<()> {
        if let Some(o) = opening {
            crate::limits::text("source", &o.source)?;
            o.check().map_err(|m| ServiceError::invalid("期初数", m))?;
        }
        let r = self
            .store
            .set_opening(opening, &actor.stamp())
            .await
            .map_err(Into::into);
        self.refused(actor, "opening.set", "opening", r).await
    }
}

/// The opening balances in last year's published report (as a reader read it): 四、结转
/// 下年度继续办理 per column and 现行有效件数. A blank or unread cell is refused, naming it.
pub fn opening_from_report(report: &Report, year: Option<i32>, source: &str) -> Result<Opening> {
    let year = year.or(report.meta.year).ok_or_else(|| {
        ServiceError::invalid("期初数", "无法从报告中读出年度：请用 --year 指明报告年度")
    })?;
    let get = |id: &str, label: &str| -> Result<u64> {
        let v = report.get(id).ok_or_else(|| {
            ServiceError::invalid("期初数", format!("报告中“{label}”为空或未读出"))
        })?;
        let n = v.as_i64().filter(|n| *n >= 0).ok_or_else(|| {
            ServiceError::invalid("期初数", format!("报告中“{label}”不是非负整数"))
        })?;
        Ok(n as u64)
    };
    let mut carried = [0u64; 7];
    for (c, col) in APPLICANT_COLUMNS.iter().enumerate() {
        carried[c] = get(
            &format!("s3.carried_forward.{}", col.key),
            &format!("四、结转下年度继续办理（{}）", col.short),
        )?;
    }
    let opening = Opening {
        year,
        carried_forward: carried,
        in_force: [
            get("s2.regulations.in_force", "规章 现行有效件数")?,
            get(
                "s2.normative_documents.in_force",
                "行政规范性文件 现行有效件数",
            )?,
        ],
        source: source.to_string(),
    };
    opening
        .check()
        .map_err(|m| ServiceError::invalid("期初数", m))?;
    Ok(opening)
}
