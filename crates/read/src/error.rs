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
    #[error(
        "DOC 不能读取：这是旧版 Word 文档（Word 97-2003 .doc），请在 Word 或 WPS 中另存为 DOCX 或 PDF 后上传 / old Word documents (.doc) cannot be read: save it as DOCX or PDF"
    )]
    OldWordDoc,
    #[error(
        "ZIP 压缩包已损坏或不完整（{detail}）/ the ZIP archive is damaged or incomplete: {detail}"
    )]
    BadZip { detail: String },
    #[error(
        "ZIP 压缩包中没有 word/document.xml，不是 Word 文档（DOCX）/ the ZIP archive has no word/document.xml: not a DOCX file"
    )]
    NoDocumentXml,
    #[error(
        "ZIP 压缩包中的文件过多（{count} 个，上限 {limit} 个）/ too many entries in the ZIP archive ({count}, limit {limit})"
    )]
    TooManyEntries { count: usize, limit: usize },
    #[error(
        "DOCX 正文 word/document.xml 解压后超过 {limit} 字节（可能是压缩炸弹）/ word/document.xml is larger than {limit} bytes uncompressed (possibly a zip bomb)"
    )]
    EntryTooLarge { limit: u64 },
    #[error(
        "DOCX 正文 word/document.xml 第 {offset} 字节处 XML 格式错误（{detail}）/ malformed XML in word/document.xml at byte {offset}: {detail}"
    )]
    Xml { offset: u64, detail: String },
    #[error(
        "PDF 文件已损坏或无法解析（{detail}）/ the PDF is damaged or cannot be parsed: {detail}"
    )]
    BadPdf { detail: String },
    #[error("PDF 已加密，需要密码才能打开 / the PDF is encrypted and needs a password")]
    EncryptedPdf,
    #[error(
        "PDF 中没有文字层（共 {pages} 页，{images} 幅图像），可能是扫描件，需要先进行文字识别（OCR）/ the PDF has no text layer ({pages} pages, {images} images): probably a scan, run OCR first"
    )]
    NoTextLayer { pages: usize, images: usize },
    #[error(
        "PDF 中的文字无法解码（{glyphs} 个字符中有 {unknown} 个的字体没有 Unicode 映射）/ the text of the PDF cannot be decoded ({unknown} of {glyphs} glyphs have no Unicode mapping)"
    )]
    PdfUndecodable { glyphs: usize, unknown: usize },
    #[error(
        "PDF 页数过多（{pages} 页，上限 {limit} 页）/ too many pages in the PDF ({pages}, limit {limit})"
    )]
    TooManyPages { pages: usize, limit: usize },
    #[error("PDF 内容过于复杂（{what}超出上限）/ the PDF is too complex: {what} over the limit")]
    PdfTooComplex { what: &'static str },
    #[error("图像无法解码（{detail}）/ the image cannot be decoded: {detail}")]
    BadImage { detail: String },
    #[error("文字识别（OCR）失败：{detail} / OCR failed: {detail}")]
    Ocr { detail: String },
    #[error("不是政府信息公开工作年度报告：{0} / not an annual report")]
    NotAReport(&'static str),
}
