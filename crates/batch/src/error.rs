//! Why a batch could not be run or written. A bad *report* is never an error here: it is a
//! row of the output with its reason. These errors are about the batch itself — an output
//! that cannot be written, a jurisdiction file that cannot be used.
//!
//! Messages are Chinese first, with the English after a slash.

use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum BatchError {
    /// An output file or directory could not be created or written.
    #[error("无法写入 {path}：{source} / cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The CSV writer failed.
    #[error("无法写入 CSV 文件 {path}：{source} / cannot write the CSV file {path}")]
    Csv {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
    /// The XLSX writer failed.
    #[error("无法写入 Excel 文件 {path}：{source} / cannot write the XLSX file {path}")]
    Xlsx {
        path: PathBuf,
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
    /// The JSON writer failed.
    #[error("无法写入 JSON 文件 {path}：{source} / cannot write the JSON file {path}")]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    /// The jurisdiction file could not be read.
    #[error("无法读取辖区文件 {path}：{source} / cannot read the jurisdiction file {path}")]
    JurisdictionRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The jurisdiction file is not valid TOML or does not have the expected shape.
    #[error("辖区文件格式错误：{detail} / the jurisdiction file is malformed: {detail}")]
    JurisdictionSyntax { detail: String },
    /// The jurisdiction file is valid TOML but not a usable tree.
    #[error("辖区文件有误：{detail} / the jurisdiction tree is not usable: {detail}")]
    JurisdictionTree { detail: String },
    /// The thread pool could not be started.
    #[error("无法启动 {jobs} 个工作线程：{detail} / cannot start {jobs} worker threads: {detail}")]
    ThreadPool { jobs: usize, detail: String },
}
