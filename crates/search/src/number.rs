//! 文号 (document numbers) in any of the forms offices and citizens write them:
//! 国办发〔2023〕12号, 国办发[2023]12号, 国办发(2023)12号, 国办发（2023）12号,
//! 国办发【2023】12号, 国办发〔2023〕第12号, with full-width digits or spaces. Each has one
//! canonical key (`国办发〔2023〕12号`) and a tail key without the issuer's prefix
//! (`〔2023〕12号`); both are indexed, so any form finds the document and the answer can
//! say which 文号 it matched.

use unicode_normalization::UnicodeNormalization;

const OPEN: &[char] = &[
    '〔', '[', '(', '【', '〖', '{', '「', '<', '《', '［', '（', '｛',
];
const CLOSE: &[char] = &[
    '〕', ']', ')', '】', '〗', '}', '」', '>', '》', '］', '）', '｝',
];

/// A 文号 as parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNumber {
    /// The issuer's code (机关代字), e.g. 国办发; empty when only 〔2023〕12号 was given.
    pub prefix: String,
    pub year: u32,
    /// The serial without leading zeros.
    pub serial: String,
    /// Where in the text it was found (byte range of the original text, the prefix
    /// included).
    pub span: (usize, usize),
    /// The byte offset in the original text of each character of the prefix.
    prefix_at: Vec<usize>,
}

impl DocNumber {
    /// The canonical form, e.g. `国办发〔2023〕12号` (`〔2023〕12号` without a prefix).
    pub fn canonical(&self) -> String {
        format!("{}{}", self.prefix, self.tail())
    }

    /// The part after the prefix: `〔2023〕12号`.
    pub fn tail(&self) -> String {
        format!("〔{}〕{}号", self.year, self.serial)
    }

    /// The keys to index for a document with this number.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = vec![self.tail()];
        if !self.prefix.is_empty() {
            keys.push(self.canonical());
        }
        keys
    }

    /// The keys a query with this number looks up, longest prefix first, with where each
    /// starts in the text: in free text the issuer's code cannot be told from the words
    /// before it (请查找京政办发(2021)7号), so every ending of the run of letters before the
    /// year, down to two characters, is a candidate (a document's key is its whole code);
    /// without letters before the year, the tail.
    pub fn query_keys(&self) -> Vec<(String, usize)> {
        let chars: Vec<char> = self.prefix.chars().collect();
        let mut keys = Vec::new();
        for from in 0..chars.len().saturating_sub(1) {
            let p: String = chars[from..].iter().collect();
            let at = self.prefix_at.get(from).copied().unwrap_or(self.span.0);
            keys.push((format!("{p}{}", self.tail()), at));
        }
        if keys.is_empty() {
            keys.push((self.canonical(), self.span.0));
        }
        keys
    }
}

fn fold(c: char) -> char {
    let mut it = std::iter::once(c).nfkc();
    match (it.next(), it.next()) {
        (Some(f), None) => f,
        _ => c,
    }
}

/// The first 文号 in `text`, if any.
pub fn find(text: &str) -> Option<DocNumber> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if let Some(n) = parse_at(&chars, i) {
            return Some(n);
        }
        i += 1;
    }
    None
}

/// `text` parsed as a 文号 when it is nothing else (spaces aside).
pub fn parse(text: &str) -> Option<DocNumber> {
    let n = find(text)?;
    let rest = format!("{}{}", &text[..n.span.0], &text[n.span.1..]);
    rest.trim().is_empty().then_some(n)
}

/// A 文号 whose year bracket opens at `chars[i]` (or whose year starts there, without
/// brackets, followed by 年).
fn parse_at(chars: &[(usize, char)], i: usize) -> Option<DocNumber> {
    let (start_byte, c) = chars[i];
    let open = OPEN.contains(&c);
    let mut j = if open { i + 1 } else { i };
    let skip_spaces = |j: &mut usize| {
        while *j < chars.len() && chars[*j].1.is_whitespace() {
            *j += 1;
        }
    };
    skip_spaces(&mut j);
    let mut year = String::new();
    while j < chars.len() && fold(chars[j].1).is_ascii_digit() && year.len() < 5 {
        year.push(fold(chars[j].1));
        j += 1;
    }
    if year.len() != 4 {
        return None;
    }
    // Not the end of a longer number: 12023 is no year.
    if !open && i > 0 && fold(chars[i - 1].1).is_ascii_digit() {
        return None;
    }
    let year_n: u32 = year.parse().ok()?;
    if !(1949..=2100).contains(&year_n) {
        return None;
    }
    skip_spaces(&mut j);
    if open {
        if j >= chars.len() || !CLOSE.contains(&chars[j].1) {
            return None;
        }
        j += 1;
    } else {
        if j >= chars.len() || chars[j].1 != '年' {
            return None;
        }
        j += 1;
    }
    skip_spaces(&mut j);
    if j < chars.len() && chars[j].1 == '第' {
        j += 1;
    }
    let mut serial = String::new();
    while j < chars.len() && fold(chars[j].1).is_ascii_digit() && serial.len() < 8 {
        serial.push(fold(chars[j].1));
        j += 1;
    }
    if serial.is_empty() {
        return None;
    }
    skip_spaces(&mut j);
    if j >= chars.len() || chars[j].1 != '号' {
        return None;
    }
    let end_byte = chars[j].0 + '号'.len_utf8();
    let serial = serial.trim_start_matches('0');
    let serial = if serial.is_empty() { "0" } else { serial };
    // The prefix: the run of letters (Han, Latin) just before, at most 16 characters.
    let mut i = i;
    while i > 0 && chars[i - 1].1.is_whitespace() {
        i -= 1;
    }
    let mut k = i;
    while k > 0 && i - k < 16 {
        let p = chars[k - 1].1;
        if p.is_alphabetic() && !OPEN.contains(&p) {
            k -= 1;
        } else {
            break;
        }
    }
    let prefix: String = chars[k..i].iter().map(|&(_, c)| fold(c)).collect();
    let prefix = prefix.to_uppercase();
    let prefix_at: Vec<usize> = chars[k..i].iter().map(|&(at, _)| at).collect();
    let from = if k < i { chars[k].0 } else { start_byte };
    Some(DocNumber {
        prefix,
        year: year_n,
        serial: serial.to_string(),
        span: (from, end_byte),
        prefix_at,
    })
}
