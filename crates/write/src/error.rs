//! Why a report could not be written, or a data file not read. Messages are Chinese
//! first, with the English after a slash; they never include the path (the caller names
//! the file).

use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum WriteError {
    /// `--to` named a format that does not exist.
    #[error("未知的输出格式“{0}”，可选 md、html、docx、pdf / unknown output format")]
    UnknownFormat(String),
    /// The binary was built without the `pdf` feature.
    #[error(
        "此版本编译时未启用 PDF 输出（cargo 特性 `pdf`）/ this build has no PDF output (cargo feature `pdf`)"
    )]
    PdfDisabled,
    /// docx-rs could not pack the document.
    #[error("无法生成 DOCX：{0} / cannot write the DOCX")]
    Docx(String),
    /// The font directory has none of the Noto CJK fonts.
    #[error(
        "字体目录 {} 中没有 Noto Serif/Sans CJK 字体（Debian/Ubuntu：apt-get install fonts-noto-cjk，或用 --font-dir 指定）/ no Noto CJK fonts in the font directory",
        dir.display()
    )]
    FontsMissing { dir: PathBuf },
    /// A font file exists but cannot be read.
    #[error("无法读取字体文件 {}：{source} / cannot read a font file", path.display())]
    FontRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// typst could not lay out or export the document.
    #[error("PDF 排版失败：{0} / typst could not produce the PDF")]
    Pdf(String),
    /// The data file is not valid TOML or JSON, or does not have the expected fields.
    #[error("数据文件格式错误（{kind}）：{message} / the data file is not valid {kind}")]
    Syntax { kind: &'static str, message: String },
    /// A cell id that the report's format does not have.
    #[error(
        "未知单元格 `{id}`（{format} 格式中没有此单元格；`gongkai template` 列出全部单元格）/ unknown cell id"
    )]
    UnknownCell { id: String, format: &'static str },
    /// A cell value that is neither a number nor a blank marker.
    #[error(
        "单元格 `{id}` 的值“{raw}”不是数字（空白请写 \"\"）/ the value of a cell is not a number"
    )]
    BadValue { id: String, raw: String },
    /// A section number outside 1..=6, or a section given twice.
    #[error("第 {number} 部分：{reason} / bad section")]
    BadSection { number: i64, reason: &'static str },
    /// A date that is not `YYYY-MM-DD`.
    #[error("日期“{0}”应写作 YYYY-MM-DD（如 2025-01-20）/ a date must be YYYY-MM-DD")]
    BadDate(String),
    /// rust_xlsxwriter could not write the workbook (or a workbook could not be read back).
    #[error("无法生成 XLSX：{0} / cannot write the XLSX")]
    Xlsx(String),
}
