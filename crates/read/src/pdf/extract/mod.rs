//! The only module that knows the PDF library (`lopdf`): it loads the file, walks the page
//! tree and interprets each page's content stream into a [`Page`] of glyphs, lines and
//! rectangles.
//!
//! `lopdf` parses the file (cross-reference tables and streams, object streams, damaged
//! files, encryption with an empty user password, stream filters with a size limit) and
//! splits content streams into operations. The interpretation — graphics and text state,
//! fonts and their CMaps, paths — is ours, so that fonts with predefined CMaps and no
//! ToUnicode (`UniGB-UCS2-H`, `GBK-EUC-H`) are decoded, which the PDF crates tried for this
//! project get wrong (`../shared/spec/dependencies.md`).
//!
//! Every loop is bounded: pages ([`super::MAX_PAGES`]), decompressed bytes per stream and
//! in total, operations, glyphs, path points and the nesting of form XObjects.

use std::collections::HashMap;

use lopdf::{Dictionary, Object, Stream};

use super::page::Page;
use crate::ReadError;

mod interp;
use interp::*;

/// Largest decompressed size of one stream.
const MAX_STREAM_BYTES: usize = 32 * 1024 * 1024;
/// Largest decompressed size of all content streams together.
const MAX_CONTENT_BYTES: usize = 256 * 1024 * 1024;
/// Most content stream operations interpreted in one document.
const MAX_OPERATIONS: usize = 20_000_000;
/// Most glyphs kept in one document.
const MAX_CHARS: usize = 2_000_000;
/// Most lines and rectangles kept on one page.
const MAX_SHAPES_PER_PAGE: usize = 200_000;
/// Most points in one path.
const MAX_PATH_POINTS: usize = 100_000;
/// Deepest nesting of form XObjects, and of the page tree.
const MAX_DEPTH: usize = 12;
/// Deepest `q` nesting tracked.
const MAX_SAVED_STATES: usize = 256;

/// Glyph box above and below the baseline, in ems (the ideographic em box).
const ASCENT: f32 = 0.88;
const DESCENT: f32 = 0.12;

static NULL: Object = Object::Null;

/// A number operand or value.
pub fn num(o: &Object) -> Option<f32> {
    let v = match o {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        _ => return None,
    };
    v.is_finite().then_some(v)
}

/// Read access to the objects of a loaded document, following references.
pub struct Objects<'a> {
    doc: &'a lopdf::Document,
}

impl<'a> Objects<'a> {
    /// The object a reference points to (through at most 16 references); `Null` when
    /// missing.
    pub fn resolve<'b>(&self, mut o: &'b Object) -> &'b Object
    where
        'a: 'b,
    {
        for _ in 0..16 {
            match o {
                Object::Reference(id) => match self.doc.get_object(*id) {
                    Ok(next) => o = next,
                    Err(_) => return &NULL,
                },
                _ => return o,
            }
        }
        &NULL
    }

    /// A dictionary entry, resolved.
    pub fn get<'b>(&self, d: &'b Dictionary, key: &[u8]) -> Option<&'b Object>
    where
        'a: 'b,
    {
        match d.get(key).ok().map(|o| self.resolve(o)) {
            None | Some(Object::Null) => None,
            Some(o) => Some(o),
        }
    }

    /// A dictionary entry that is a dictionary (or a stream's dictionary).
    pub fn dict<'b>(&self, d: &'b Dictionary, key: &[u8]) -> Option<&'b Dictionary>
    where
        'a: 'b,
    {
        match self.get(d, key)? {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    /// A name entry as text.
    pub fn name(&self, d: &Dictionary, key: &[u8]) -> Option<String> {
        match self.get(d, key)? {
            Object::Name(n) => Some(String::from_utf8_lossy(n).into_owned()),
            _ => None,
        }
    }

    /// A string or name entry as text.
    pub fn string(&self, d: &Dictionary, key: &[u8]) -> Option<String> {
        match self.get(d, key)? {
            Object::Name(n) | Object::String(n, _) => Some(String::from_utf8_lossy(n).into_owned()),
            _ => None,
        }
    }

    /// The decoded data of a stream object (through a reference).
    pub fn stream_data(&self, o: Option<&Object>) -> Option<Vec<u8>> {
        match self.resolve(o?) {
            Object::Stream(s) => self.decoded(s),
            _ => None,
        }
    }

    /// The decoded data of a stream, within [`MAX_STREAM_BYTES`].
    pub fn decoded(&self, s: &Stream) -> Option<Vec<u8>> {
        s.decompressed_content_with_limit(MAX_STREAM_BYTES).ok()
    }
}

/// Loads a PDF and interprets every page.
pub fn pages(bytes: &[u8]) -> Result<Vec<Page>, ReadError> {
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_STREAM_BYTES),
        ..Default::default()
    };
    let doc = lopdf::Document::load_mem_with_options(bytes, options).map_err(load_error)?;
    let objs = Objects { doc: &doc };
    let catalog = doc.catalog().map_err(|e| {
        // Objects that could not be decrypted (a user password is needed) are missing.
        if doc.trailer.get(b"Encrypt").is_ok() {
            ReadError::EncryptedPdf
        } else {
            ReadError::BadPdf {
                detail: format!("no document catalog: {e}"),
            }
        }
    })?;
    let root = objs
        .dict(catalog, b"Pages")
        .ok_or_else(|| ReadError::BadPdf {
            detail: "no page tree".into(),
        })?;
    let mut refs = Vec::new();
    let mut visited = Vec::new();
    let inherited = Inherited::default();
    collect_pages(&objs, root, inherited, 0, &mut visited, &mut refs);
    if refs.len() > super::MAX_PAGES {
        let declared = objs
            .get(root, b"Count")
            .and_then(num)
            .map_or(refs.len(), |c| c.max(refs.len() as f32) as usize);
        return Err(ReadError::TooManyPages {
            pages: declared,
            limit: super::MAX_PAGES,
        });
    }
    if refs.is_empty() {
        return Err(ReadError::BadPdf {
            detail: "the page tree has no pages".into(),
        });
    }
    let mut budget = Budget {
        operations: MAX_OPERATIONS,
        chars: MAX_CHARS,
        content_bytes: MAX_CONTENT_BYTES,
    };
    let mut fonts = HashMap::new();
    let mut out = Vec::with_capacity(refs.len());
    for (i, p) in refs.iter().enumerate() {
        out.push(interpret_page(
            &objs,
            p,
            u32::try_from(i + 1).unwrap_or(u32::MAX),
            &mut budget,
            &mut fonts,
        )?);
    }
    Ok(out)
}

fn load_error(e: lopdf::Error) -> ReadError {
    match e {
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => ReadError::EncryptedPdf,
        e => ReadError::BadPdf {
            detail: e.to_string(),
        },
    }
}

#[derive(Clone, Copy, Default)]
struct Inherited<'a> {
    resources: Option<&'a Dictionary>,
    media: Option<[f32; 4]>,
    crop: Option<[f32; 4]>,
    rotate: i64,
}

struct PageRef<'a> {
    dict: &'a Dictionary,
    inh: Inherited<'a>,
}

fn rect_of(objs: &Objects<'_>, d: &Dictionary, key: &[u8]) -> Option<[f32; 4]> {
    let Object::Array(a) = objs.get(d, key)? else {
        return None;
    };
    if a.len() != 4 {
        return None;
    }
    let v: Vec<f32> = a.iter().filter_map(|o| num(objs.resolve(o))).collect();
    let [x0, y0, x1, y1] = v.as_slice() else {
        return None;
    };
    let r = [x0.min(*x1), y0.min(*y1), x0.max(*x1), y0.max(*y1)];
    (r[2] - r[0] > 1.0 && r[3] - r[1] > 1.0 && r[2] - r[0] < 1e6 && r[3] - r[1] < 1e6).then_some(r)
}

fn collect_pages<'a>(
    objs: &Objects<'a>,
    node: &'a Dictionary,
    inh: Inherited<'a>,
    depth: usize,
    visited: &mut Vec<*const Dictionary>,
    out: &mut Vec<PageRef<'a>>,
) {
    if depth > MAX_DEPTH * 4 || out.len() > super::MAX_PAGES {
        return;
    }
    let ptr = node as *const Dictionary;
    if visited.contains(&ptr) {
        return;
    }
    visited.push(ptr);
    let mut inh = inh;
    if let Some(r) = objs.dict(node, b"Resources") {
        inh.resources = Some(r);
    }
    if let Some(r) = rect_of(objs, node, b"MediaBox") {
        inh.media = Some(r);
    }
    if let Some(r) = rect_of(objs, node, b"CropBox") {
        inh.crop = Some(r);
    }
    if let Some(r) = objs.get(node, b"Rotate").and_then(num) {
        inh.rotate = (r as i64).rem_euclid(360);
    }
    let kids = match objs.get(node, b"Kids") {
        Some(Object::Array(k)) => Some(k),
        _ => None,
    };
    let is_page = objs.name(node, b"Type").as_deref() == Some("Page") || kids.is_none();
    if is_page {
        out.push(PageRef { dict: node, inh });
        return;
    }
    for kid in kids.into_iter().flatten() {
        if let Object::Dictionary(d) = objs.resolve(kid) {
            collect_pages(objs, d, inh, depth + 1, visited, out);
        }
        if out.len() > super::MAX_PAGES {
            return;
        }
    }
}
