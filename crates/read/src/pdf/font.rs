//! Fonts: from a PDF font dictionary to a decoder of shown strings — the code length, the
//! Unicode text and the advance width of every glyph.
//!
//! The text of a code comes from, in order: the font's ToUnicode CMap; for a composite
//! font, the predefined CMap named by `/Encoding` when the name says what codes are
//! (`UniGB-UCS2-H`, `GBK-EUC-H`, …, see [`super::cmap`]); for a simple font, its encoding
//! (`WinAnsiEncoding`, `MacRomanEncoding`, `/Differences` glyph names); and last the code
//! itself when it is printable ASCII. Anything else is U+FFFD.

use lopdf::{Dictionary, Object};

use super::cmap::{CMap, Predefined, code_value};
use super::extract::{Objects, num};

/// How a composite font's codes are split and mapped to CIDs.
#[derive(Debug, Clone)]
enum CidEncoding {
    Predefined(Predefined),
    Embedded(CMap, Option<Predefined>),
}

#[derive(Debug, Clone)]
enum Kind {
    Simple {
        /// The character of each code from the font's encoding (`'\0'` when none).
        table: Box<[char; 256]>,
        first: u32,
        widths: Vec<f32>,
        missing: f32,
    },
    Composite {
        encoding: CidEncoding,
        /// (first CID, last CID, width), sorted by first CID.
        widths: Vec<(u32, u32, f32)>,
        default_width: f32,
        /// The font uses one of Adobe's CJK orderings (GB1, CNS1, Japan1, Korea1), whose
        /// CIDs 1–95 are the printable ASCII characters.
        adobe_cjk: bool,
    },
}

/// A font ready to decode shown strings.
#[derive(Debug, Clone)]
pub struct Font {
    kind: Kind,
    to_unicode: Option<CMap>,
    /// Glyph space units to text space units (1/1000, or a Type3 font's matrix).
    scale: f32,
}

/// One decoded glyph.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub text: String,
    /// Advance width in text space units for a font size of 1.
    pub width: f32,
    /// The single-byte code 32, to which word spacing applies.
    pub is_space: bool,
}

impl Font {
    /// A font for a dictionary that cannot be read: one-byte codes, ASCII text.
    pub fn fallback() -> Font {
        Font {
            kind: Kind::Simple {
                table: Box::new(latin1_table()),
                first: 0,
                widths: Vec::new(),
                missing: 500.0,
            },
            to_unicode: None,
            scale: 0.001,
        }
    }

    /// Reads a font dictionary. Never fails: what cannot be read falls back to defaults.
    pub fn load(objs: &Objects<'_>, dict: &Dictionary) -> Font {
        let subtype = objs.name(dict, b"Subtype").unwrap_or_default();
        let to_unicode = objs
            .stream_data(dict.get(b"ToUnicode").ok())
            .map(|d| CMap::parse(&d))
            .filter(|m| m.has_text());
        if subtype == "Type0" {
            return Font {
                kind: composite(objs, dict),
                to_unicode,
                scale: 0.001,
            };
        }
        let mut scale = 0.001;
        if subtype == "Type3"
            && let Some(Object::Array(m)) = objs.get(dict, b"FontMatrix")
            && let Some(a) = m.first().and_then(|o| num(objs.resolve(o)))
            && a.is_finite()
            && a.abs() < 10.0
        {
            scale = a;
        }
        let base_font = objs.name(dict, b"BaseFont").unwrap_or_default();
        let mut table = latin1_table();
        match objs.get(dict, b"Encoding") {
            Some(Object::Name(n)) => apply_base_encoding(&mut table, n),
            Some(Object::Dictionary(enc)) => {
                if let Some(Object::Name(n)) = objs.get(enc, b"BaseEncoding") {
                    apply_base_encoding(&mut table, n);
                }
                if let Some(Object::Array(diffs)) = objs.get(enc, b"Differences") {
                    let mut code: i64 = 0;
                    for d in diffs {
                        match objs.resolve(d) {
                            Object::Integer(i) => code = *i,
                            Object::Name(n) => {
                                if (0..256).contains(&code) {
                                    table[code as usize] =
                                        glyph_name_char(&String::from_utf8_lossy(n))
                                            .unwrap_or('\0');
                                }
                                code += 1;
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
        let first = match objs.get(dict, b"FirstChar") {
            Some(o) => num(o).unwrap_or(0.0).clamp(0.0, 255.0) as u32,
            None => 0,
        };
        let widths = match objs.get(dict, b"Widths") {
            Some(Object::Array(w)) => w
                .iter()
                .take(256)
                .map(|o| num(objs.resolve(o)).unwrap_or(0.0))
                .collect(),
            _ => Vec::new(),
        };
        let missing = objs
            .get(dict, b"FontDescriptor")
            .and_then(|d| match d {
                Object::Dictionary(d) => objs.get(d, b"MissingWidth").and_then(num),
                _ => None,
            })
            .filter(|w| *w > 0.0)
            .unwrap_or(if base_font.contains("Courier") {
                600.0
            } else {
                500.0
            });
        Font {
            kind: Kind::Simple {
                table: Box::new(table),
                first,
                widths,
                missing,
            },
            to_unicode,
            scale,
        }
    }

    /// Decodes a shown string into glyphs, calling `f` for each.
    pub fn decode(&self, bytes: &[u8], mut f: impl FnMut(Glyph)) {
        let mut rest = bytes;
        while !rest.is_empty() {
            let n = match &self.kind {
                Kind::Simple { .. } => 1,
                Kind::Composite { encoding, .. } => match encoding {
                    CidEncoding::Predefined(p) => p.code_len(rest),
                    CidEncoding::Embedded(cmap, p) => {
                        if cmap.codespace.is_empty() {
                            p.map_or(2, |p| p.code_len(rest))
                        } else {
                            cmap.codespace.code_len(rest)
                        }
                    }
                },
            };
            let n = n.clamp(1, rest.len());
            let (code, tail) = rest.split_at(n);
            rest = tail;
            f(self.glyph(code));
        }
    }

    fn glyph(&self, code_bytes: &[u8]) -> Glyph {
        let code = code_value(code_bytes);
        let from_map = self.to_unicode.as_ref().and_then(|m| m.text(code));
        match &self.kind {
            Kind::Simple {
                table,
                first,
                widths,
                missing,
            } => {
                let text = from_map.unwrap_or_else(|| {
                    let c = table[(code & 0xFF) as usize];
                    if c == '\0' {
                        '\u{FFFD}'.to_string()
                    } else {
                        c.to_string()
                    }
                });
                let w = code
                    .checked_sub(*first)
                    .and_then(|i| widths.get(i as usize))
                    .copied()
                    .filter(|w| *w > 0.0)
                    .unwrap_or(*missing);
                Glyph {
                    text,
                    width: w * self.scale,
                    is_space: code == 32,
                }
            }
            Kind::Composite {
                encoding,
                widths,
                default_width,
                adobe_cjk,
            } => {
                let predefined = match encoding {
                    CidEncoding::Predefined(p) => Some(*p),
                    CidEncoding::Embedded(_, p) => *p,
                };
                let text = from_map
                    .or_else(|| predefined.and_then(|p| p.text(code_bytes)))
                    .unwrap_or_else(|| '\u{FFFD}'.to_string());
                let cid = match encoding {
                    CidEncoding::Predefined(Predefined::Identity) => Some(code),
                    CidEncoding::Embedded(cmap, p) => cmap
                        .cid(code)
                        .or_else(|| (*p == Some(Predefined::Identity)).then_some(code)),
                    CidEncoding::Predefined(_) => {
                        // Without the CMap's data, the CID of a code is known only for
                        // ASCII in Adobe's CJK orderings (CID 1 is the space).
                        let mut chars = text.chars();
                        match (chars.next(), chars.next()) {
                            (Some(c), None) if *adobe_cjk && (' '..='~').contains(&c) => {
                                Some(c as u32 - 31)
                            }
                            _ => None,
                        }
                    }
                };
                let w = cid
                    .and_then(|cid| {
                        let i = widths.partition_point(|(lo, _, _)| *lo <= cid);
                        i.checked_sub(1)
                            .map(|i| widths[i])
                            .filter(|(_, hi, _)| cid <= *hi)
                            .map(|(_, _, w)| w)
                    })
                    .unwrap_or(*default_width);
                Glyph {
                    text,
                    width: w * self.scale,
                    is_space: code_bytes.len() == 1 && code == 32,
                }
            }
        }
    }
}

fn composite(objs: &Objects<'_>, dict: &Dictionary) -> Kind {
    let encoding = match objs.get(dict, b"Encoding") {
        Some(Object::Name(n)) => {
            CidEncoding::Predefined(Predefined::from_name(&String::from_utf8_lossy(n)).0)
        }
        Some(Object::Stream(s)) => {
            let cmap = objs.decoded(s).map(|d| CMap::parse(&d)).unwrap_or_default();
            let base = cmap
                .use_cmap
                .as_deref()
                .or_else(|| match s.dict.get(b"UseCMap") {
                    Ok(Object::Name(n)) => std::str::from_utf8(n).ok(),
                    _ => None,
                })
                .map(|n| Predefined::from_name(n).0);
            CidEncoding::Embedded(cmap, base)
        }
        _ => CidEncoding::Predefined(Predefined::Identity),
    };
    let descendant = match objs.get(dict, b"DescendantFonts") {
        Some(Object::Array(a)) => a.first().map(|o| objs.resolve(o)),
        Some(o @ Object::Dictionary(_)) => Some(o),
        _ => None,
    };
    let mut widths = Vec::new();
    let mut default_width = 1000.0;
    let mut adobe_cjk = false;
    if let Some(Object::Dictionary(d)) = descendant {
        if let Some(w) = objs.get(d, b"DW").and_then(num).filter(|w| *w > 0.0) {
            default_width = w;
        }
        if let Some(Object::Array(w)) = objs.get(d, b"W") {
            widths = cid_widths(objs, w);
        }
        if let Some(Object::Dictionary(info)) = objs.get(d, b"CIDSystemInfo") {
            let reg = objs.string(info, b"Registry").unwrap_or_default();
            let ord = objs.string(info, b"Ordering").unwrap_or_default();
            adobe_cjk =
                reg == "Adobe" && matches!(ord.as_str(), "GB1" | "CNS1" | "Japan1" | "Korea1");
        }
    }
    Kind::Composite {
        encoding,
        widths,
        default_width,
        adobe_cjk,
    }
}

/// Most entries read from a `/W` array.
const MAX_W_ENTRIES: usize = 100_000;

fn cid_widths(objs: &Objects<'_>, w: &[Object]) -> Vec<(u32, u32, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() && out.len() < MAX_W_ENTRIES {
        let Some(first) = num(objs.resolve(&w[i])).filter(|f| *f >= 0.0) else {
            i += 1;
            continue;
        };
        let first = first as u32;
        match w.get(i + 1).map(|o| objs.resolve(o)) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate().take(MAX_W_ENTRIES) {
                    if let Some(x) = num(objs.resolve(o)) {
                        let cid = first.saturating_add(k as u32);
                        out.push((cid, cid, x));
                    }
                }
                i += 2;
            }
            Some(o) => {
                let last = num(o).unwrap_or(-1.0);
                let x = w.get(i + 2).and_then(|o| num(objs.resolve(o)));
                if let Some(x) = x
                    && last >= first as f32
                {
                    out.push((first, last as u32, x));
                }
                i += 3;
            }
            None => break,
        }
    }
    out.sort_by_key(|e| e.0);
    out
}

fn latin1_table() -> [char; 256] {
    let mut t = ['\0'; 256];
    for (i, c) in t.iter_mut().enumerate() {
        if (0x20..0x7F).contains(&i) || i >= 0xA0 {
            *c = char::from(i as u8);
        }
    }
    t
}

fn apply_base_encoding(table: &mut [char; 256], name: &[u8]) {
    let enc = match name {
        b"WinAnsiEncoding" => encoding_rs::WINDOWS_1252,
        b"MacRomanEncoding" => encoding_rs::MACINTOSH,
        _ => return,
    };
    for (i, c) in table.iter_mut().enumerate().skip(0x80) {
        let b = [i as u8];
        let (s, bad) = enc.decode_without_bom_handling(&b);
        if !bad && let Some(ch) = s.chars().next() {
            *c = ch;
        }
    }
}

/// The character of an Adobe glyph name (`uni5E74`, `u1F600`, `zero`, `comma`, `A`, …).
pub fn glyph_name_char(name: &str) -> Option<char> {
    let name = name.split('.').next().unwrap_or(name);
    if let Some(hex) = name.strip_prefix("uni")
        && hex.len() >= 4
    {
        return u32::from_str_radix(&hex[..4], 16)
            .ok()
            .and_then(char::from_u32);
    }
    if let Some(hex) = name.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
    }
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_ascii_alphabetic().then_some(c);
    }
    const NAMES: &[(&str, char)] = &[
        ("space", ' '),
        ("exclam", '!'),
        ("quotedbl", '"'),
        ("numbersign", '#'),
        ("dollar", '$'),
        ("percent", '%'),
        ("ampersand", '&'),
        ("quotesingle", '\''),
        ("quoteright", '’'),
        ("parenleft", '('),
        ("parenright", ')'),
        ("asterisk", '*'),
        ("plus", '+'),
        ("comma", ','),
        ("hyphen", '-'),
        ("minus", '−'),
        ("period", '.'),
        ("slash", '/'),
        ("zero", '0'),
        ("one", '1'),
        ("two", '2'),
        ("three", '3'),
        ("four", '4'),
        ("five", '5'),
        ("six", '6'),
        ("seven", '7'),
        ("eight", '8'),
        ("nine", '9'),
        ("colon", ':'),
        ("semicolon", ';'),
        ("less", '<'),
        ("equal", '='),
        ("greater", '>'),
        ("question", '?'),
        ("at", '@'),
        ("bracketleft", '['),
        ("backslash", '\\'),
        ("bracketright", ']'),
        ("asciicircum", '^'),
        ("underscore", '_'),
        ("grave", '`'),
        ("quoteleft", '‘'),
        ("braceleft", '{'),
        ("bar", '|'),
        ("braceright", '}'),
        ("asciitilde", '~'),
        ("bullet", '•'),
        ("endash", '–'),
        ("emdash", '—'),
        ("quotedblleft", '“'),
        ("quotedblright", '”'),
        ("ellipsis", '…'),
        ("periodcentered", '·'),
        ("degree", '°'),
        ("multiply", '×'),
        ("divide", '÷'),
        ("section", '§'),
        ("copyright", '©'),
        ("registered", '®'),
        ("nbspace", '\u{A0}'),
        ("nonbreakingspace", '\u{A0}'),
        ("fi", 'ﬁ'),
        ("fl", 'ﬂ'),
    ];
    NAMES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_name_char("uni5E74"), Some('年'));
        assert_eq!(glyph_name_char("zero"), Some('0'));
        assert_eq!(glyph_name_char("one.tnum"), Some('1'));
        assert_eq!(glyph_name_char("A"), Some('A'));
        assert_eq!(glyph_name_char("g123"), None);
        assert_eq!(glyph_name_char("u"), Some('u'));
    }
}
