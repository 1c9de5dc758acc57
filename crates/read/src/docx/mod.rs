//! The DOCX reader: `word/document.xml` inside the ZIP container → [`Document`].
//!
//! The body is streamed once with `quick-xml`; nothing is kept but the text being
//! collected and the table being built. What the reader does with WordprocessingML:
//!
//! * **paragraphs** (`w:p` in the body): the text of `w:t`; `w:tab` becomes a space;
//!   `w:br`/`w:cr` join the lines with nothing between CJK text and a space between
//!   ASCII words (as the text reader's cells do). Empty paragraphs are dropped. A
//!   paragraph's location is [`Location::Text`] with its 1-based number among the body
//!   paragraphs as the `line`: a DOCX has no lines, and the mapper needs each paragraph to
//!   have its own location.
//! * **tables** (`w:tbl` → `w:tr` → `w:tc`): one [`GridCell`] per `w:tc` that starts a
//!   cell, with `col_span` from `w:gridSpan` and `row_span` from the `w:vMerge` chain
//!   (`val="restart"` starts one; a bare `<w:vMerge/>` or `val="continue"` continues the
//!   cell above). A continuing cell is **not** put in its row: like a `rowspan` in HTML,
//!   the grid position is covered by the cell above. So a row of table 三 under the
//!   vertical label `（三）不予公开` holds its own label and its seven values and nothing
//!   else, and no empty field appears among the values. `w:gridBefore`/`w:gridAfter`
//!   shift the grid columns and add no cells; `w:hMerge` (Word 97) widens the cell
//!   before. An empty cell stays in its row as an empty field: it was printed blank, and
//!   the mapper keeps it in place (see `is_grid` in [`crate::map`]). Provenance is
//!   [`Location::Table`] with the 1-based number of the table among the top-level tables
//!   that have cells, the 1-based row (`w:tr`) and the 1-based *grid* column.
//! * **wrappers** are transparent: `w:sdt`/`w:sdtContent` (around paragraphs, tables, rows,
//!   cells or runs), `w:ins`, `w:moveTo`, `w:smartTag`, `w:hyperlink`, `w:customXml`,
//!   `w:fldSimple`. Deleted text (`w:del`, `w:moveFrom`), field instructions
//!   (`w:instrText`), properties (`w:pPr`, `w:rPr`, … and their tracked changes) and
//!   `mc:Fallback` copies of drawings are skipped.
//! * **nested tables** and **text boxes** are flattened: their text joins the text of the
//!   enclosing cell or paragraph.
//!
//! A table split into several `w:tbl` gives several [`Table`]s; the mapper tells them
//! apart by their words.
//!
//! Limits, so that no input can exhaust memory: at most [`MAX_ENTRIES`] entries in the
//! archive and [`MAX_DOCUMENT_XML_BYTES`] uncompressed bytes of `word/document.xml`, read
//! through [`Read::take`] whatever size the archive declares (zip bombs).

use std::io::{Cursor, Read};

use gongkai_report::{Block, Document, GridCell, Location, Paragraph, Table};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::reader::Reader;

use crate::ReadError;

/// The main part of a WordprocessingML package.
pub const DOCUMENT_XML: &str = "word/document.xml";

/// Largest `word/document.xml` read, uncompressed. Real reports have well under 5 MiB.
pub const MAX_DOCUMENT_XML_BYTES: u64 = 64 * 1024 * 1024;

/// Most entries accepted in the archive. Real DOCX files have a few dozen.
pub const MAX_ENTRIES: usize = 10_000;

/// Largest `w:gridSpan` or `w:gridBefore` taken at its word (Word allows 63 columns).
const MAX_SPAN: u32 = 1_000;

/// Namespaces of the WordprocessingML main part (transitional and strict).
const W_NAMESPACES: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];

/// Reads a DOCX file into a document.
///
/// A ZIP archive without `word/document.xml` is [`ReadError::Unsupported`] when it is
/// another known package (XLSX, PPTX, ODF) and [`ReadError::NoDocumentXml`] otherwise.
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    let xml = document_xml(bytes)?;
    parse(&xml)
}

/// The uncompressed `word/document.xml` of a DOCX archive.
pub fn document_xml(bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
    if archive.len() > MAX_ENTRIES {
        return Err(ReadError::TooManyEntries {
            count: archive.len(),
            limit: MAX_ENTRIES,
        });
    }
    if archive.index_for_name(DOCUMENT_XML).is_none() {
        let has = |name: &str| archive.index_for_name(name).is_some();
        return Err(if has("xl/workbook.xml") {
            ReadError::Unsupported("XLSX")
        } else if has("ppt/presentation.xml") {
            ReadError::Unsupported("PPTX")
        } else if has("content.xml") && has("mimetype") {
            ReadError::Unsupported("ODF (OpenDocument)")
        } else {
            ReadError::NoDocumentXml
        });
    }
    let entry = archive.by_name(DOCUMENT_XML).map_err(zip_error)?;
    if entry.size() > MAX_DOCUMENT_XML_BYTES {
        return Err(ReadError::EntryTooLarge {
            limit: MAX_DOCUMENT_XML_BYTES,
        });
    }
    // The declared size may lie: never allocate more than a modest amount up front, and
    // never read past the limit.
    let capacity = usize::try_from(entry.size().min(8 * 1024 * 1024)).unwrap_or(0);
    let mut xml = Vec::with_capacity(capacity);
    entry
        .take(MAX_DOCUMENT_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| ReadError::BadZip {
            detail: e.to_string(),
        })?;
    if xml.len() as u64 > MAX_DOCUMENT_XML_BYTES {
        return Err(ReadError::EntryTooLarge {
            limit: MAX_DOCUMENT_XML_BYTES,
        });
    }
    Ok(xml)
}

fn zip_error(e: zip::result::ZipError) -> ReadError {
    ReadError::BadZip {
        detail: e.to_string(),
    }
}

/// Parses the XML of `word/document.xml` (UTF-8; UTF-16 with a byte order mark is
/// converted first).
pub fn parse(xml: &[u8]) -> Result<Document, ReadError> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(xml)
        && encoding != encoding_rs::UTF_8
    {
        let (text, _) = encoding.decode_with_bom_removal(xml);
        return parse_utf8(text.as_bytes());
    }
    parse_utf8(xml)
}

fn parse_utf8(xml: &[u8]) -> Result<Document, ReadError> {
    let mut reader = Reader::from_reader(xml);
    let mut p = Parser::default();
    let mut depth: usize = 0;
    loop {
        let event = reader.read_event().map_err(|e| ReadError::Xml {
            offset: reader.error_position(),
            detail: e.to_string(),
        })?;
        match event {
            Event::Start(e) => {
                if p.start(&e, false) {
                    // Properties, deleted text and the like: no need for their events.
                    reader.read_to_end(e.name()).map_err(|e| ReadError::Xml {
                        offset: reader.error_position(),
                        detail: e.to_string(),
                    })?;
                } else {
                    depth += 1;
                }
            }
            Event::Empty(e) => {
                p.start(&e, true);
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                p.end(e.name().as_ref());
            }
            Event::Text(t) => {
                if p.in_text() {
                    p.text(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if p.in_text() {
                    p.text(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if p.in_text() {
                    p.reference(&r);
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if depth != 0 {
        return Err(ReadError::Xml {
            offset: reader.buffer_position(),
            detail: format!("unexpected end of the document, {depth} elements still open"),
        });
    }
    Ok(Document { blocks: p.blocks })
}

// ---------------------------------------------------------------------------------------
// Text collection
// ---------------------------------------------------------------------------------------

/// Text being collected for a paragraph or a cell.
#[derive(Debug, Default)]
struct TextBuf {
    s: String,
    /// A line or paragraph break is due before the next text.
    pending_break: bool,
}

impl TextBuf {
    fn push(&mut self, t: &str) {
        let Some(first) = t.chars().next() else {
            return;
        };
        if self.pending_break {
            self.pending_break = false;
            if let Some(last) = self.s.chars().next_back()
                && !last.is_whitespace()
                && !first.is_whitespace()
                && last.is_ascii()
                && first.is_ascii()
            {
                self.s.push(' ');
            }
        }
        self.s.push_str(t);
    }

    fn push_char(&mut self, c: char) {
        let mut b = [0; 4];
        self.push(c.encode_utf8(&mut b));
    }

    fn line_break(&mut self) {
        if !self.s.is_empty() {
            self.pending_break = true;
        }
    }

    fn take(&mut self) -> String {
        self.pending_break = false;
        let t = self.s.trim();
        let out = if t.len() == self.s.len() {
            std::mem::take(&mut self.s)
        } else {
            t.to_string()
        };
        self.s.clear();
        out
    }
}

// ---------------------------------------------------------------------------------------
// Tables under construction
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

#[derive(Debug)]
struct CellBuild {
    /// 0-based grid column where the cell starts.
    col: u32,
    span: u32,
    vmerge: VMerge,
    /// `w:hMerge val="continue"` (the Word 97 way of merging horizontally).
    hmerge_continue: bool,
    text: TextBuf,
}

#[derive(Debug, Default)]
struct RowBuild {
    /// The next free grid column.
    col: u32,
    cells: Vec<(u32, u32, VMerge, String)>,
}

#[derive(Debug, Default)]
struct TableBuild {
    rows: Vec<Vec<(u32, u32, VMerge, String)>>,
    row: Option<RowBuild>,
    cell: Option<CellBuild>,
}

impl TableBuild {
    /// The grid with vertical merges resolved: continuing cells are folded into the cell
    /// that starts the merge (its `row_span` grows), and left out of their rows.
    fn finish(self, table: u32) -> Table {
        let mut out: Vec<Vec<GridCell>> = Vec::with_capacity(self.rows.len());
        // Per row: grid column ranges [start, end) → (row, index) of the cell covering them.
        let mut above: Vec<(u32, u32, usize, usize)> = Vec::new();
        for (r, row) in self.rows.into_iter().enumerate() {
            let mut cover = Vec::with_capacity(row.len());
            let mut cells = Vec::with_capacity(row.len());
            for (col, span, vmerge, text) in row {
                let end = col.saturating_add(span);
                let origin = if vmerge == VMerge::Continue {
                    covering(&above, col)
                } else {
                    None
                };
                match origin {
                    Some((or, oc)) => {
                        if let Some(cell) = out.get_mut(or).and_then(|row| row.get_mut(oc)) {
                            cell.row_span = u32::try_from(r - or + 1).unwrap_or(u32::MAX);
                            if !text.is_empty() {
                                // Word shows the text of a continuing cell nowhere; keep it
                                // with the merged cell rather than lose it.
                                let mut buf = TextBuf {
                                    s: std::mem::take(&mut cell.text),
                                    pending_break: true,
                                };
                                buf.push(&text);
                                cell.text = buf.s;
                            }
                        }
                        cover.push((col, end, or, oc));
                    }
                    None => {
                        cover.push((col, end, r, cells.len()));
                        cells.push(GridCell {
                            text,
                            loc: Location::Table {
                                table,
                                row: u32::try_from(r + 1).unwrap_or(u32::MAX),
                                column: col.saturating_add(1),
                            },
                            row_span: 1,
                            col_span: span,
                        });
                    }
                }
            }
            out.push(cells);
            above = cover;
        }
        Table { rows: out }
    }
}

/// The cell of the row above that covers grid column `col`.
fn covering(above: &[(u32, u32, usize, usize)], col: u32) -> Option<(usize, usize)> {
    // Ranges are in column order (cells are laid out left to right).
    let i = above.partition_point(|&(start, _, _, _)| start <= col);
    let &(start, end, r, c) = above.get(i.checked_sub(1)?)?;
    (start <= col && col < end).then_some((r, c))
}

// ---------------------------------------------------------------------------------------
// The event handler
// ---------------------------------------------------------------------------------------

/// What an open element of interest is, so that its end tag does the right thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// A paragraph of the body (outside tables).
    BodyParagraph,
    /// A top-level table and its parts.
    Table,
    Row,
    Cell,
    /// A paragraph inside a table cell or a flattened part.
    InnerParagraph,
    /// A nested table or a text box: its text joins the enclosing cell or paragraph.
    Flat,
    /// A row, cell or paragraph inside a flattened part.
    FlatPart,
}

#[derive(Default)]
struct Parser {
    blocks: Vec<Block>,
    /// The prefix bound to the WordprocessingML namespace (`w` almost always).
    w_prefix: Option<String>,
    root_seen: bool,
    frames: Vec<Frame>,
    /// Inside `w:t`.
    in_t: bool,
    /// Open flattened parts (nested tables, text boxes).
    flat: usize,
    paragraph: TextBuf,
    paragraphs: u32,
    table: Option<TableBuild>,
    tables: u32,
}

/// Elements whose whole subtree holds no text of the document.
const SKIPPED: &[&str] = &[
    "del",
    "moveFrom",
    "delText",
    "delInstrText",
    "instrText",
    "sdtPr",
    "sdtEndPr",
    "pPr",
    "rPr",
    "tblPr",
    "tblGrid",
    "tblPrEx",
    "sectPr",
    "pPrChange",
    "rPrChange",
    "tcPrChange",
    "trPrChange",
    "tblPrChange",
    "tblPrExChange",
    "tblGridChange",
    "sectPrChange",
    "numberingChange",
];

impl Parser {
    fn in_text(&self) -> bool {
        self.in_t
    }

    /// The local name of a WordprocessingML element or attribute, or `None` for other
    /// namespaces.
    fn local<'a>(&self, qname: &'a str) -> Option<&'a str> {
        let prefix = self.w_prefix.as_deref().unwrap_or("w");
        if prefix.is_empty() {
            return (!qname.contains(':')).then_some(qname);
        }
        qname.strip_prefix(prefix)?.strip_prefix(':')
    }

    /// The value of the `w:val` attribute.
    fn val(&self, e: &BytesStart<'_>) -> Option<String> {
        e.attributes().flatten().find_map(|a| {
            (self.local(a.key.as_ref()) == Some("val")).then(|| a.value.trim().to_string())
        })
    }

    fn sink(&mut self) -> Option<&mut TextBuf> {
        match &mut self.table {
            Some(t) => t.cell.as_mut().map(|c| &mut c.text),
            None => Some(&mut self.paragraph),
        }
    }

    fn text(&mut self, t: &str) {
        if let Some(s) = self.sink() {
            s.push(t);
        }
    }

    fn reference(&mut self, r: &BytesRef<'_>) {
        let resolved = match r.resolve_char_ref() {
            Ok(Some(c)) => Some(c),
            Ok(None) => quick_xml::escape::resolve_xml_entity(&r.xml10_content()).and_then(|s| {
                let mut chars = s.chars();
                chars.next().filter(|_| chars.next().is_none())
            }),
            Err(_) => None,
        };
        if let (Some(c), Some(s)) = (resolved, self.sink()) {
            s.push_char(c);
        }
    }

    fn line_break(&mut self) {
        if let Some(s) = self.sink() {
            s.line_break();
        }
    }

    /// Handles a start tag (or an empty element); returns `true` when the caller is to
    /// skip the element's subtree.
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> bool {
        let qname = e.name();
        let qname = qname.as_ref();
        if !self.root_seen {
            self.root_seen = true;
            self.find_prefix(e);
        }
        let Some(name) = self.local(qname) else {
            // `mc:Fallback` repeats the content of `mc:Choice` for old readers.
            return !empty && (qname == "Fallback" || qname.ends_with(":Fallback"));
        };
        if SKIPPED.contains(&name) {
            return !empty;
        }
        match name {
            "t" => self.in_t = !empty,
            "tab" | "ptab" => self.text(" "),
            "br" | "cr" => self.line_break(),
            "noBreakHyphen" => self.text("-"),
            "p" | "tbl" | "tr" | "tc" | "txbxContent" => {
                self.open(name);
                if empty {
                    self.end(qname);
                }
            }
            "gridBefore" => {
                let n = self.number(e);
                if self.flat == 0
                    && let Some(t) = &mut self.table
                    && t.cell.is_none()
                    && let Some(row) = &mut t.row
                {
                    row.col = row.col.saturating_add(n);
                }
            }
            "gridSpan" => {
                let n = self.number(e).max(1);
                if let Some(c) = self.structural_cell() {
                    c.span = n;
                }
            }
            "vMerge" => {
                let v = match self.val(e).as_deref() {
                    Some("restart") => VMerge::Restart,
                    _ => VMerge::Continue,
                };
                if let Some(c) = self.structural_cell() {
                    c.vmerge = v;
                }
            }
            "hMerge" => {
                let cont = self.val(e).as_deref() != Some("restart");
                if let Some(c) = self.structural_cell() {
                    c.hmerge_continue = cont;
                }
            }
            _ => {}
        }
        false
    }

    /// The cell of the top-level table being read, outside flattened parts.
    fn structural_cell(&mut self) -> Option<&mut CellBuild> {
        if self.flat > 0 {
            return None;
        }
        self.table.as_mut()?.cell.as_mut()
    }

    /// A `w:val` count, clamped to [`MAX_SPAN`]; 0 when absent or not a number.
    fn number(&self, e: &BytesStart<'_>) -> u32 {
        self.val(e)
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
            .min(MAX_SPAN)
    }

    fn find_prefix(&mut self, root: &BytesStart<'_>) {
        for a in root.attributes().flatten() {
            let key = a.key.as_ref();
            if W_NAMESPACES.contains(&a.value.as_ref()) {
                if key == "xmlns" {
                    self.w_prefix = Some(String::new());
                    return;
                }
                if let Some(p) = key.strip_prefix("xmlns:") {
                    self.w_prefix = Some(p.to_string());
                    return;
                }
            }
        }
    }

    fn open(&mut self, name: &str) {
        let frame = if self.flat > 0 {
            match name {
                "tbl" | "txbxContent" => {
                    self.flat += 1;
                    self.line_break();
                    Frame::Flat
                }
                _ => Frame::FlatPart,
            }
        } else {
            match (name, &mut self.table) {
                ("txbxContent", _) => {
                    self.flat += 1;
                    self.line_break();
                    Frame::Flat
                }
                ("p", None) => {
                    self.paragraph = TextBuf::default();
                    Frame::BodyParagraph
                }
                ("tbl", None) => {
                    self.table = Some(TableBuild::default());
                    Frame::Table
                }
                ("tr" | "tc", None) => Frame::FlatPart,
                ("p", Some(_)) => Frame::InnerParagraph,
                ("tbl", Some(t)) => {
                    if t.cell.is_some() {
                        self.flat += 1;
                        self.line_break();
                        Frame::Flat
                    } else {
                        // A table directly in a row or table (malformed): read its text
                        // nowhere rather than mix it into the grid.
                        self.flat += 1;
                        Frame::Flat
                    }
                }
                ("tr", Some(t)) => {
                    if t.row.is_none() && t.cell.is_none() {
                        t.row = Some(RowBuild::default());
                        Frame::Row
                    } else {
                        Frame::FlatPart
                    }
                }
                ("tc", Some(t)) => match &t.row {
                    Some(row) if t.cell.is_none() => {
                        t.cell = Some(CellBuild {
                            col: row.col,
                            span: 1,
                            vmerge: VMerge::None,
                            hmerge_continue: false,
                            text: TextBuf::default(),
                        });
                        Frame::Cell
                    }
                    _ => Frame::FlatPart,
                },
                _ => Frame::FlatPart,
            }
        };
        self.frames.push(frame);
    }

    fn end(&mut self, qname: &str) {
        let Some(name) = self.local(qname) else {
            return;
        };
        match name {
            "t" => self.in_t = false,
            "p" | "tbl" | "tr" | "tc" | "txbxContent" => {
                if let Some(frame) = self.frames.pop() {
                    self.close(frame);
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, frame: Frame) {
        match frame {
            Frame::BodyParagraph => {
                self.paragraphs = self.paragraphs.saturating_add(1);
                let text = self.paragraph.take();
                if !text.is_empty() {
                    self.blocks.push(Block::Paragraph(Paragraph {
                        text,
                        loc: Location::Text {
                            line: self.paragraphs,
                            column: 1,
                        },
                    }));
                }
            }
            Frame::InnerParagraph | Frame::FlatPart => self.line_break(),
            Frame::Flat => {
                self.flat = self.flat.saturating_sub(1);
                self.line_break();
            }
            Frame::Cell => {
                if let Some(t) = &mut self.table
                    && let Some(mut cell) = t.cell.take()
                    && let Some(row) = &mut t.row
                {
                    let text = cell.text.take();
                    let merged = cell.hmerge_continue
                        && row.cells.last_mut().is_some_and(|prev| {
                            prev.1 = prev.1.saturating_add(cell.span);
                            if !text.is_empty() {
                                let mut buf = TextBuf {
                                    s: std::mem::take(&mut prev.3),
                                    pending_break: true,
                                };
                                buf.push(&text);
                                prev.3 = buf.s;
                            }
                            true
                        });
                    if !merged {
                        row.cells.push((cell.col, cell.span, cell.vmerge, text));
                    }
                    row.col = cell.col.saturating_add(cell.span);
                }
            }
            Frame::Row => {
                if let Some(t) = &mut self.table
                    && let Some(row) = t.row.take()
                {
                    t.rows.push(row.cells);
                }
            }
            Frame::Table => {
                if let Some(t) = self.table.take()
                    && t.rows.iter().any(|r| !r.is_empty())
                {
                    self.tables = self.tables.saturating_add(1);
                    self.blocks.push(Block::Table(t.finish(self.tables)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
