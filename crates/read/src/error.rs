//! Why a file could not be read. Messages are Chinese first, with the English after a
//! slash, and never include the path: the caller names the file.

use thiserror::Error;

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ReadError {
    #[error("文件为空 / the file is empty")]
    Empty,
    #[error(
        "不是文本文件（第 {offset} 字节处有二进制数据）/ binary data at byte {offset}, not a text file"
    )]
    Binary { offset: usize },
    #[error(
        "无法识别文字编码（既不是 UTF-8 也不是 GBK/GB18030，第 {offset} 字节处出错）/ the text is neither UTF-8 nor GBK (bad byte at {offset})"
    )]
    Encoding { offset: usize },
    #[error(
        "文件过大（{size} 字节，上限 {limit} 字节）/ the file is too large ({size} bytes, limit {limit})"
    )]
    TooLarge { size: usize, limit: usize },
    #[error("暂不支持 {0} 格式 / reading {0} files is not supported yet")]
    Unsupported(&'static str),
    #[error("不是政府信息公开工作年度报告：{0} / not an annual report")]
    NotAReport(&'static str),
}
