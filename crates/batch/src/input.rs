//! Finding the files of a batch, and naming the kind of each for the output.
//!
//! A directory is walked recursively; its files are taken when their extension is one a
//! report is published in ([`REPORT_EXTENSIONS`]) — other files (images, spreadsheets,
//! this tool's own CSV output) are skipped silently. Files named on the command line are
//! always taken, whatever their name. Hidden files and directories (`.git`, `.DS_Store`)
//! are skipped. The list is sorted by path, so output order does not depend on the file
//! system or on the number of threads.
//!
//! The kind shown in the output (`text`, `html`, …) is judged from the content, like the
//! reader does; it is for people reading the table. Reading itself is left to
//! [`gongkai_read::read_report`], which picks its reader on its own.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// Extensions of files taken from a directory (compared case-insensitively).
pub const REPORT_EXTENSIONS: [&str; 11] = [
    "txt", "text", "htm", "html", "shtml", "md", "markdown", "docx", "doc", "pdf", "wps",
];

/// Deepest directory nesting walked (protects against symlink loops).
const MAX_DEPTH: usize = 32;

/// One entry of the batch: a file to read, or an input that could not be listed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Entry {
    File(PathBuf),
    /// A named input that does not exist or a directory that cannot be listed, with the
    /// reason in Chinese and English.
    Missing(PathBuf, String),
}

impl Entry {
    pub fn path(&self) -> &Path {
        match self {
            Entry::File(p) | Entry::Missing(p, _) => p,
        }
    }
}

/// Lists the files of `inputs` (files and directories), sorted and without repeats;
/// `exclude` are paths never to take (the batch's own output files).
pub fn discover(inputs: &[PathBuf], exclude: &[PathBuf]) -> Vec<Entry> {
    let excluded: BTreeSet<PathBuf> = exclude.iter().filter_map(|p| canonical(p)).collect();
    let mut out = BTreeSet::new();
    for input in inputs {
        match fs::metadata(input) {
            Ok(m) if m.is_dir() => walk(input, 0, &excluded, &mut out),
            Ok(_) => {
                out.insert(Entry::File(input.clone()));
            }
            Err(e) => {
                out.insert(Entry::Missing(
                    input.clone(),
                    format!("无法打开：{} / cannot open: {e}", io_zh(&e)),
                ));
            }
        }
    }
    let mut out: Vec<Entry> = out.into_iter().collect();
    out.sort_by(|a, b| a.path().cmp(b.path()));
    out.dedup_by(|a, b| a.path() == b.path());
    out
}

fn canonical(p: &Path) -> Option<PathBuf> {
    fs::canonicalize(p).ok()
}

fn walk(dir: &Path, depth: usize, excluded: &BTreeSet<PathBuf>, out: &mut BTreeSet<Entry>) {
    if depth > MAX_DEPTH {
        out.insert(Entry::Missing(
            dir.to_path_buf(),
            format!(
                "目录层级超过 {MAX_DEPTH} 层，未继续读取 / nested deeper than {MAX_DEPTH} levels"
            ),
        ));
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.insert(Entry::Missing(
                dir.to_path_buf(),
                format!(
                    "无法列出目录：{} / cannot list the directory: {e}",
                    io_zh(&e)
                ),
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        let Ok(meta) = fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, depth + 1, excluded, out);
        } else if has_report_extension(&path)
            && !canonical(&path).is_some_and(|c| excluded.contains(&c))
        {
            out.insert(Entry::File(path));
        }
    }
}

fn has_report_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| REPORT_EXTENSIONS.iter().any(|r| r.eq_ignore_ascii_case(e)))
}

/// A short Chinese reason for an I/O error.
pub(crate) fn io_zh(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在",
        std::io::ErrorKind::PermissionDenied => "没有读取权限",
        std::io::ErrorKind::IsADirectory => "是目录，不是文件",
        _ => "读取出错",
    }
}

/// The kind of a report file, judged from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    Text,
    Html,
    Markdown,
    Docx,
    Pdf,
    /// Word 97–2003 or WPS (OLE compound file).
    Doc,
    /// A ZIP container that is not a Word document, or nothing was read.
    Other,
}

impl InputFormat {
    /// The name in the output: `text`, `html`, `markdown`, `docx`, `pdf`, `doc`, `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Text => "text",
            InputFormat::Html => "html",
            InputFormat::Markdown => "markdown",
            InputFormat::Docx => "docx",
            InputFormat::Pdf => "pdf",
            InputFormat::Doc => "doc",
            InputFormat::Other => "other",
        }
    }

    /// Judges the kind from the first bytes, as the reader does ([`gongkai_read::sniff`]);
    /// a ZIP container is `docx` when it holds `word/` parts.
    pub fn sniff(bytes: &[u8]) -> InputFormat {
        use gongkai_read::InputKind;
        match gongkai_read::sniff(bytes) {
            InputKind::Text => InputFormat::Text,
            InputKind::Html => InputFormat::Html,
            InputKind::Markdown => InputFormat::Markdown,
            InputKind::Pdf => InputFormat::Pdf,
            InputKind::Ole => InputFormat::Doc,
            InputKind::Zip => {
                let head = &bytes[..bytes.len().min(64 * 1024)];
                if head.windows(5).any(|w| w == b"word/") {
                    InputFormat::Docx
                } else {
                    InputFormat::Other
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_kinds() {
        assert_eq!(
            InputFormat::sniff(b"<!DOCTYPE html><html>"),
            InputFormat::Html
        );
        assert_eq!(InputFormat::sniff(b"%PDF-1.7"), InputFormat::Pdf);
        assert_eq!(
            InputFormat::sniff("# 标题\n\n| a | b |\n|---|---|\n".as_bytes()),
            InputFormat::Markdown
        );
        assert_eq!(
            InputFormat::sniff("一、总体情况\n\t0\t1".as_bytes()),
            InputFormat::Text
        );
        assert_eq!(
            InputFormat::sniff(b"PK\x03\x04....word/document.xml"),
            InputFormat::Docx
        );
    }

    #[test]
    fn walks_directories_sorted_and_skips_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("b/.hidden")).unwrap();
        fs::write(d.join("b/2.txt"), "x").unwrap();
        fs::write(d.join("b/.hidden/3.txt"), "x").unwrap();
        fs::write(d.join("1.HTML"), "x").unwrap();
        fs::write(d.join("out.csv"), "x").unwrap();
        fs::write(d.join("dash.html"), "x").unwrap();
        let got = discover(
            &[d.to_path_buf(), d.join("b/2.txt"), d.join("nope.txt")],
            &[d.join("dash.html")],
        );
        let names: Vec<String> = got
            .iter()
            .map(|e| {
                let rel = e.path().strip_prefix(d).unwrap().display().to_string();
                match e {
                    Entry::File(_) => rel,
                    Entry::Missing(..) => format!("missing:{rel}"),
                }
            })
            .collect();
        assert_eq!(names, ["1.HTML", "b/2.txt", "missing:nope.txt"]);
    }
}
