//! Character maps: how a font's byte strings split into codes, and which Unicode text a
//! code stands for.
//!
//! Two sources of meaning, tried in this order by [`super::font`]:
//!
//! * a **ToUnicode** CMap embedded in the PDF ([`CMap::parse`]): `bfchar` and
//!   `bfrange` entries, UTF-16BE targets;
//! * the **encoding** of the font. For composite (Type0) fonts this is a CMap, embedded
//!   (`cidrange` entries give CIDs, which carry no Unicode meaning by themselves) or
//!   predefined by name ([`Predefined`]). The predefined CMaps of Chinese PDFs say what a
//!   code *is* in their name: `UniGB-UCS2-H` codes are UCS-2 code points, `GBK-EUC-H` and
//!   `GB-EUC-H` codes are GBK / GB 2312 bytes, `GBK2K-H` codes are GB 18030 bytes. So a
//!   font using them needs no ToUnicode and no Adobe-GB1 table to be read: the code is
//!   decoded with the character set the CMap is named after (`encoding_rs`). The same holds
//!   for the Big5, Shift-JIS and EUC-KR CMaps of the other Adobe orderings.
//!
//! What cannot be decoded this way is a font with `Identity-H` (codes are glyph ids or
//! CIDs) and no ToUnicode: its text comes out as U+FFFD, which the reader reports.

use std::collections::HashMap;

use encoding_rs::Encoding;

/// Most entries read from one CMap (a full CJK ToUnicode has about 30,000).
const MAX_ENTRIES: usize = 200_000;

/// Largest `bfrange`/`cidrange` taken (the codes of a range are never expanded: this only
/// bounds lookups by arithmetic).
const MAX_RANGE: u32 = 0x1_0000;

/// Code space ranges: which byte sequences are codes, and how long each code is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CodeSpace {
    /// (length in bytes, lowest bytes, highest bytes).
    ranges: Vec<(usize, [u8; 4], [u8; 4])>,
}

impl CodeSpace {
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    fn add(&mut self, lo: &[u8], hi: &[u8]) {
        let n = lo.len();
        if n == 0 || n > 4 || hi.len() != n || self.ranges.len() >= 256 {
            return;
        }
        let mut l = [0u8; 4];
        let mut h = [0u8; 4];
        l[..n].copy_from_slice(lo);
        h[..n].copy_from_slice(hi);
        self.ranges.push((n, l, h));
    }

    /// The length of the code at the start of `bytes` (at least 1, at most `bytes.len()`).
    pub fn code_len(&self, bytes: &[u8]) -> usize {
        for n in 1..=4 {
            if bytes.len() < n {
                break;
            }
            let hit = self.ranges.iter().any(|(len, lo, hi)| {
                *len == n && (0..n).all(|i| lo[i] <= bytes[i] && bytes[i] <= hi[i])
            });
            if hit {
                return n;
            }
        }
        // Not in any range: take the length of a range whose first byte matches, else
        // the shortest length (PDF 32000 §9.7.6.3 leaves this to the reader).
        let n = self
            .ranges
            .iter()
            .filter(|(_, lo, hi)| lo[0] <= bytes[0] && bytes[0] <= hi[0])
            .map(|r| r.0)
            .min()
            .or_else(|| self.ranges.iter().map(|r| r.0).min())
            .unwrap_or(1);
        n.clamp(1, bytes.len().max(1))
    }
}

/// The big-endian value of a code of up to four bytes.
pub fn code_value(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, &b| (acc << 8) | b as u32)
}

#[derive(Debug, Clone, PartialEq)]
struct BfRange {
    lo: u32,
    hi: u32,
    /// UTF-16 units of the text of `lo`; the last unit counts up through the range.
    base: Vec<u16>,
}

/// A parsed CMap: ToUnicode entries (`bf…`) and encoding entries (`cid…`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CMap {
    pub codespace: CodeSpace,
    chars: HashMap<u32, String>,
    ranges: Vec<BfRange>,
    cid_chars: HashMap<u32, u32>,
    /// (lo, hi, first CID).
    cid_ranges: Vec<(u32, u32, u32)>,
    /// The name after `usecmap`, if any (a predefined CMap this one extends).
    pub use_cmap: Option<String>,
}

impl CMap {
    /// Parses CMap text. Unknown or malformed parts are skipped; this never fails.
    pub fn parse(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let mut lex = Lexer { data, pos: 0 };
        let mut prev_name: Option<String> = None;
        let mut entries = 0usize;
        while let Some(tok) = lex.next() {
            match tok {
                Tok::Keyword(k) => match k {
                    b"begincodespacerange" => {
                        while let Some(lo) = lex.hex_until(b"endcodespacerange") {
                            let Some(hi) = lex.hex_until(b"endcodespacerange") else {
                                break;
                            };
                            cmap.codespace.add(&lo, &hi);
                        }
                    }
                    b"beginbfchar" => {
                        while let Some(src) = lex.hex_until(b"endbfchar") {
                            let Some(dst) = lex.next_until(b"endbfchar") else {
                                break;
                            };
                            entries += 1;
                            if entries > MAX_ENTRIES {
                                return cmap;
                            }
                            if let Some(text) = dst_text(&dst) {
                                cmap.chars.insert(code_value(&src), text);
                            }
                        }
                    }
                    b"beginbfrange" => {
                        while let Some(lo) = lex.hex_until(b"endbfrange") {
                            let Some(hi) = lex.hex_until(b"endbfrange") else {
                                break;
                            };
                            let Some(dst) = lex.next_until(b"endbfrange") else {
                                break;
                            };
                            entries += 1;
                            if entries > MAX_ENTRIES {
                                return cmap;
                            }
                            let (lo, hi) = (code_value(&lo), code_value(&hi));
                            if hi < lo || hi - lo >= MAX_RANGE {
                                continue;
                            }
                            match dst {
                                Tok::Hex(bytes) => {
                                    let base = utf16_units(&bytes);
                                    if !base.is_empty() {
                                        cmap.ranges.push(BfRange { lo, hi, base });
                                    }
                                }
                                Tok::ArrayStart => {
                                    let mut code = lo;
                                    while let Some(t) = lex.next() {
                                        match t {
                                            Tok::ArrayEnd => break,
                                            t => {
                                                if code <= hi
                                                    && let Some(text) = dst_text(&t)
                                                {
                                                    cmap.chars.insert(code, text);
                                                }
                                                code = code.saturating_add(1);
                                            }
                                        }
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                    b"begincidrange" => {
                        while let Some(lo) = lex.hex_until(b"endcidrange") {
                            let Some(hi) = lex.hex_until(b"endcidrange") else {
                                break;
                            };
                            let Some(Tok::Number(cid)) = lex.next_until(b"endcidrange") else {
                                break;
                            };
                            entries += 1;
                            if entries > MAX_ENTRIES {
                                return cmap;
                            }
                            let (lo, hi) = (code_value(&lo), code_value(&hi));
                            if hi >= lo && hi - lo < MAX_RANGE && cid >= 0.0 {
                                cmap.cid_ranges.push((lo, hi, cid as u32));
                            }
                        }
                    }
                    b"begincidchar" => {
                        while let Some(src) = lex.hex_until(b"endcidchar") {
                            let Some(Tok::Number(cid)) = lex.next_until(b"endcidchar") else {
                                break;
                            };
                            entries += 1;
                            if entries > MAX_ENTRIES {
                                return cmap;
                            }
                            if cid >= 0.0 {
                                cmap.cid_chars.insert(code_value(&src), cid as u32);
                            }
                        }
                    }
                    b"usecmap" => cmap.use_cmap = prev_name.take(),
                    _ => {}
                },
                Tok::Name(n) => {
                    prev_name = Some(String::from_utf8_lossy(&n).into_owned());
                    continue;
                }
                _ => {}
            }
            prev_name = None;
        }
        // Later ranges win over earlier ones, as later bfchar entries do.
        cmap.ranges.reverse();
        cmap
    }

    /// True when the map has no ToUnicode entries.
    pub fn has_text(&self) -> bool {
        !self.chars.is_empty() || !self.ranges.is_empty()
    }

    /// The text of a code, if the map has an entry for it.
    pub fn text(&self, code: u32) -> Option<String> {
        if let Some(t) = self.chars.get(&code) {
            return Some(t.clone());
        }
        let r = self.ranges.iter().find(|r| r.lo <= code && code <= r.hi)?;
        let mut units = r.base.clone();
        let last = units.last_mut()?;
        *last = last.wrapping_add((code - r.lo) as u16);
        let s: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect();
        Some(s)
    }

    /// The CID of a code, from `cidrange`/`cidchar` entries.
    pub fn cid(&self, code: u32) -> Option<u32> {
        if let Some(c) = self.cid_chars.get(&code) {
            return Some(*c);
        }
        self.cid_ranges
            .iter()
            .rev()
            .find(|(lo, hi, _)| *lo <= code && code <= *hi)
            .map(|(lo, _, cid)| cid.saturating_add(code - lo))
    }
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|c| {
            if c.len() == 2 {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                c[0] as u16
            }
        })
        .collect()
}

/// The text a `bfchar` target stands for: UTF-16BE hex, or a glyph name.
fn dst_text(tok: &Tok<'_>) -> Option<String> {
    let s: String = match tok {
        Tok::Hex(bytes) => char::decode_utf16(utf16_units(bytes))
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect(),
        Tok::Name(n) => super::font::glyph_name_char(&String::from_utf8_lossy(n))?.to_string(),
        _ => return None,
    };
    // A map to NUL or to nothing means "no text" in broken producers: fall back.
    (!s.is_empty() && !s.chars().all(|c| c == '\0')).then_some(s)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Hex(Vec<u8>),
    Name(Vec<u8>),
    Number(f64),
    Keyword(&'a [u8]),
    ArrayStart,
    ArrayEnd,
    Other,
}

struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Lexer<'a> {
    fn next(&mut self) -> Option<Tok<'a>> {
        let d = self.data;
        loop {
            let b = *d.get(self.pos)?;
            if b.is_ascii_whitespace() || b == 0 {
                self.pos += 1;
            } else if b == b'%' {
                while self.pos < d.len() && d[self.pos] != b'\n' && d[self.pos] != b'\r' {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
        let start = self.pos;
        let b = d[start];
        self.pos += 1;
        Some(match b {
            b'<' if d.get(self.pos) == Some(&b'<') => {
                self.pos += 1;
                Tok::Other
            }
            b'>' => {
                if d.get(self.pos) == Some(&b'>') {
                    self.pos += 1;
                }
                Tok::Other
            }
            b'<' => {
                let mut out = Vec::new();
                let mut hi: Option<u8> = None;
                while let Some(&c) = d.get(self.pos) {
                    self.pos += 1;
                    if c == b'>' {
                        break;
                    }
                    let v = match c {
                        b'0'..=b'9' => c - b'0',
                        b'a'..=b'f' => c - b'a' + 10,
                        b'A'..=b'F' => c - b'A' + 10,
                        _ => continue,
                    };
                    match hi.take() {
                        Some(h) => out.push(h << 4 | v),
                        None => hi = Some(v),
                    }
                }
                if let Some(h) = hi {
                    out.push(h << 4);
                }
                Tok::Hex(out)
            }
            b'[' => Tok::ArrayStart,
            b']' => Tok::ArrayEnd,
            b'(' => {
                // A literal string: skipped with its nesting and escapes.
                let mut depth = 1;
                while let Some(&c) = d.get(self.pos) {
                    self.pos += 1;
                    match c {
                        b'\\' => self.pos += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                Tok::Other
            }
            b'/' => {
                while self.pos < d.len()
                    && !d[self.pos].is_ascii_whitespace()
                    && !is_delim(d[self.pos])
                {
                    self.pos += 1;
                }
                Tok::Name(d[start + 1..self.pos].to_vec())
            }
            b'{' | b'}' | b')' => Tok::Other,
            _ => {
                while self.pos < d.len()
                    && !d[self.pos].is_ascii_whitespace()
                    && !is_delim(d[self.pos])
                {
                    self.pos += 1;
                }
                let word = &d[start..self.pos];
                match std::str::from_utf8(word).ok().and_then(|s| s.parse().ok()) {
                    Some(n) => Tok::Number(n),
                    None => Tok::Keyword(word),
                }
            }
        })
    }

    /// The next token, or `None` at `end` or at the end of the data.
    fn next_until(&mut self, end: &[u8]) -> Option<Tok<'a>> {
        match self.next()? {
            Tok::Keyword(k) if k == end => None,
            t => Some(t),
        }
    }

    /// The next hex string before `end`.
    fn hex_until(&mut self, end: &[u8]) -> Option<Vec<u8>> {
        loop {
            match self.next_until(end)? {
                Tok::Hex(h) => return Some(h),
                Tok::Keyword(_) => return None,
                _ => continue,
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Predefined CMaps
// ---------------------------------------------------------------------------------------

/// What the codes of a predefined CMap are, judged from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Predefined {
    /// `Identity-H/V`: two-byte codes that are CIDs (no Unicode meaning).
    Identity,
    /// `Uni…-UCS2-…`: two-byte UCS-2 code points.
    Ucs2,
    /// `Uni…-UTF16-…`: UTF-16BE, two or four bytes.
    Utf16,
    /// `Uni…-UTF8-…`.
    Utf8,
    /// `Uni…-UTF32-…`.
    Utf32,
    /// Codes that are bytes of a legacy character set, decoded with `encoding_rs`.
    Charset(Charset),
    /// A predefined CMap this reader does not know.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// `GB-EUC`, `GBpc-EUC`, `GBK-EUC`, `GBKp-EUC`: one byte below 0x81, else two.
    Gbk,
    /// `GB-H`: GB 2312 in its 7-bit form (two bytes 0x21–0x7E).
    Gb7bit,
    /// `GBK2K`: GB 18030 (one, two or four bytes).
    Gb18030,
    Big5,
    ShiftJis,
    EucJp,
    EucKr,
}

impl Predefined {
    /// The kind of a predefined CMap, and whether it is for vertical writing.
    pub fn from_name(name: &str) -> (Predefined, bool) {
        let vertical = name.ends_with("-V");
        let base = name
            .strip_suffix("-H")
            .or_else(|| name.strip_suffix("-V"))
            .unwrap_or(name);
        let kind = if base == "Identity" {
            Predefined::Identity
        } else if base.starts_with("Uni") {
            if base.contains("UCS2") {
                Predefined::Ucs2
            } else if base.contains("UTF16") {
                Predefined::Utf16
            } else if base.contains("UTF8") {
                Predefined::Utf8
            } else if base.contains("UTF32") {
                Predefined::Utf32
            } else {
                Predefined::Unknown
            }
        } else {
            let cs = match base {
                "GB-EUC" | "GBpc-EUC" | "GBK-EUC" | "GBKp-EUC" => Some(Charset::Gbk),
                "GB" => Some(Charset::Gb7bit),
                "GBK2K" => Some(Charset::Gb18030),
                "B5pc" | "ETen-B5" | "ETenms-B5" | "HKscs-B5" | "B5" => Some(Charset::Big5),
                "90ms-RKSJ" | "90msp-RKSJ" | "90pv-RKSJ" | "83pv-RKSJ" | "Add-RKSJ"
                | "Ext-RKSJ" => Some(Charset::ShiftJis),
                "EUC" => Some(Charset::EucJp),
                "KSC-EUC" | "KSCms-UHC" | "KSCpc-EUC" | "KSCms-UHC-HW" => Some(Charset::EucKr),
                _ => None,
            };
            cs.map_or(Predefined::Unknown, Predefined::Charset)
        };
        (kind, vertical)
    }

    /// The length of the code at the start of `bytes`.
    pub fn code_len(self, bytes: &[u8]) -> usize {
        let b0 = bytes.first().copied().unwrap_or(0);
        let b1 = bytes.get(1).copied().unwrap_or(0);
        let n =
            match self {
                Predefined::Identity | Predefined::Ucs2 | Predefined::Unknown => 2,
                Predefined::Utf16 => {
                    if (0xD8..=0xDB).contains(&b0) {
                        4
                    } else {
                        2
                    }
                }
                Predefined::Utf8 => match b0 {
                    0xF0..=0xF7 => 4,
                    0xE0..=0xEF => 3,
                    0xC0..=0xDF => 2,
                    _ => 1,
                },
                Predefined::Utf32 => 4,
                Predefined::Charset(cs) => {
                    match cs {
                        Charset::Gbk | Charset::Big5 | Charset::EucKr => {
                            if b0 < 0x81 || b0 == 0xFF { 1 } else { 2 }
                        }
                        Charset::Gb7bit => 2,
                        Charset::Gb18030 => {
                            if b0 < 0x81 || b0 == 0xFF {
                                1
                            } else if (0x30..=0x39).contains(&b1) {
                                4
                            } else {
                                2
                            }
                        }
                        Charset::ShiftJis => match b0 {
                            0x00..=0x80 | 0xA0..=0xDF | 0xFD..=0xFF => 1,
                            _ => 2,
                        },
                        Charset::EucJp => match b0 {
                            0x00..=0x8D | 0x90..=0xA0 | 0xFF => 1,
                            0x8F => 3,
                            _ => 2,
                        },
                    }
                }
            };
        n.clamp(1, bytes.len().max(1))
    }

    /// The text of one code, when the CMap's name says what codes are.
    pub fn text(self, code: &[u8]) -> Option<String> {
        let c = code_value(code);
        let s = match self {
            Predefined::Identity | Predefined::Unknown => return None,
            Predefined::Ucs2 => char::from_u32(c)?.to_string(),
            Predefined::Utf16 => char::decode_utf16(utf16_units(code))
                .collect::<Result<String, _>>()
                .ok()?,
            Predefined::Utf8 => std::str::from_utf8(code).ok()?.to_string(),
            Predefined::Utf32 => char::from_u32(c)?.to_string(),
            Predefined::Charset(cs) => {
                let (enc, bytes): (&'static Encoding, Vec<u8>) = match cs {
                    Charset::Gbk => (encoding_rs::GBK, code.to_vec()),
                    Charset::Gb7bit => (encoding_rs::GBK, code.iter().map(|b| b | 0x80).collect()),
                    Charset::Gb18030 => (encoding_rs::GB18030, code.to_vec()),
                    Charset::Big5 => (encoding_rs::BIG5, code.to_vec()),
                    Charset::ShiftJis => (encoding_rs::SHIFT_JIS, code.to_vec()),
                    Charset::EucJp => (encoding_rs::EUC_JP, code.to_vec()),
                    Charset::EucKr => (encoding_rs::EUC_KR, code.to_vec()),
                };
                let (text, _, bad) = enc.decode(&bytes);
                if bad {
                    return None;
                }
                text.into_owned()
            }
        };
        (!s.is_empty() && !s.contains('\0')).then_some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_unicode_entries() {
        let data = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
            1 begincodespacerange <0000> <FFFF> endcodespacerange
            2 beginbfchar <0003> <0020> <0010> <4E00> endbfchar
            2 beginbfrange <0020> <0022> <0030> <0100> <0101> [<5E74> <D840DC00>] endbfrange
            endcmap CMapName currentdict /CMap defineresource pop end end";
        let m = CMap::parse(data);
        assert_eq!(m.codespace.code_len(&[0, 3]), 2);
        assert_eq!(m.text(0x10).as_deref(), Some("一"));
        assert_eq!(m.text(0x21).as_deref(), Some("1"));
        assert_eq!(m.text(0x0100).as_deref(), Some("年"));
        assert_eq!(m.text(0x0101).as_deref(), Some("\u{20000}"));
        assert_eq!(m.text(0x0102), None);
    }

    #[test]
    fn garbage_cmap_does_not_fail() {
        for data in [
            &b"beginbfrange <00> endbfrange"[..],
            b"beginbfchar <",
            b"begincodespacerange <00> <FF",
            b"<< /a ( ( ) [ ] 1 begincidrange <0000> <FFFF> -5 endcidrange",
            b"beginbfrange <0000> <FFFFFF> <0041> endbfrange",
        ] {
            let m = CMap::parse(data);
            let _ = m.text(0);
        }
    }

    #[test]
    fn predefined_chinese_cmaps() {
        let (ucs2, v) = Predefined::from_name("UniGB-UCS2-H");
        assert_eq!((ucs2, v), (Predefined::Ucs2, false));
        assert_eq!(ucs2.code_len(&[0x4E, 0x00, 0x41]), 2);
        assert_eq!(ucs2.text(&[0x5E, 0x74]).as_deref(), Some("年"));

        let (gbk, _) = Predefined::from_name("GBK-EUC-H");
        assert_eq!(gbk, Predefined::Charset(Charset::Gbk));
        // 年 is C4EA in GBK; a digit is one byte.
        assert_eq!(gbk.code_len(&[0xC4, 0xEA]), 2);
        assert_eq!(gbk.code_len(&[0x31, 0xC4]), 1);
        assert_eq!(gbk.text(&[0xC4, 0xEA]).as_deref(), Some("年"));
        assert_eq!(gbk.text(b"7").as_deref(), Some("7"));

        let (gb, _) = Predefined::from_name("GB-H");
        assert_eq!(gb.text(&[0x44, 0x6A]).as_deref(), Some("年"));
        assert_eq!(
            Predefined::from_name("Identity-V"),
            (Predefined::Identity, true)
        );
        assert_eq!(Predefined::Identity.text(&[0, 1]), None);
    }
}
