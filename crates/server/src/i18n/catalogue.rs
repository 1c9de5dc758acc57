//! The English catalogue: Chinese text → English, exact or by pattern (see the module
//! above for the design).

use std::collections::HashMap;
use std::sync::OnceLock;

/// The catalogue's files, one entry a line: `中文<TAB>English`. `{}` in both columns
/// stands for a value (a number, a name, a date), in the same order. `#` starts a comment
/// line. `en.tsv`: the templates' texts and the status messages; `en-messages.tsv`: what
/// code puts into pages (the ledger's labels, the national form's rows, deadline
/// explanations, errors).
pub const EN_FILES: &[(&str, &str)] = &[
    ("en.tsv", include_str!("en.tsv")),
    ("en-messages.tsv", include_str!("en-messages.tsv")),
];

/// A parsed catalogue.
#[derive(Debug, Default)]
pub struct Catalogue {
    /// Every entry by its Chinese text (patterns too, by their text with `{}`).
    exact: HashMap<String, String>,
    /// The entries with `{}`, the most specific (most literal characters) first.
    patterns: Vec<Pattern>,
}

#[derive(Debug)]
struct Pattern {
    /// The literal pieces around the `{}`s (one more than the values).
    pieces: Vec<String>,
    /// The English, split the same way.
    english: Vec<String>,
    literal_len: usize,
}

/// A line of the catalogue that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file} 第 {line} 行：{reason}")]
pub struct CatalogueError {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

/// The catalogue of [`EN_FILES`], parsed once.
pub fn english() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| match Catalogue::parse_files(EN_FILES) {
        Ok(c) => c,
        Err(e) => {
            // The web tests parse the file strictly; a bad line here must not take pages
            // down: the pages stay Chinese.
            tracing::error!(error = %e, "the English catalogue cannot be read");
            Catalogue::default()
        }
    })
}

impl Catalogue {
    /// Parses `text` (the format of [`EN_FILES`]); refuses a line without a tab, an empty
    /// side, a duplicate, or a different number of `{}` on the two sides.
    pub fn parse(text: &str) -> Result<Self, CatalogueError> {
        Self::parse_files(&[("en.tsv", text)])
    }

    /// Parses the files `(name, text)` into one catalogue (an entry in two is refused).
    pub fn parse_files(files: &[(&str, &str)]) -> Result<Self, CatalogueError> {
        let mut c = Catalogue::default();
        for (name, text) in files {
            c.add(name, text)?;
        }
        c.patterns.sort_by_key(|p| std::cmp::Reverse(p.literal_len));
        Ok(c)
    }

    fn add(&mut self, file: &str, text: &str) -> Result<(), CatalogueError> {
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let err = |reason: &str| CatalogueError {
                file: file.to_string(),
                line: line_no,
                reason: reason.to_string(),
            };
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((zh, en)) = line.split_once('\t') else {
                return Err(err("缺少制表符（中文<TAB>English）"));
            };
            let (zh, en) = (zh.trim(), en.trim());
            if zh.is_empty() || en.is_empty() {
                return Err(err("中文或英文为空"));
            }
            // Chinese text, or a pattern of Chinese punctuation (`：{}（{}）`).
            if zh.is_ascii() {
                return Err(err("中文一栏没有中文"));
            }
            let pieces: Vec<String> = zh.split("{}").map(str::to_string).collect();
            let english: Vec<String> = en.split("{}").map(str::to_string).collect();
            if pieces.len() != english.len() {
                return Err(err("两栏的 {} 个数不同"));
            }
            if self.exact.insert(zh.to_string(), en.to_string()).is_some() {
                return Err(err("重复的条目"));
            }
            if pieces.len() > 1 {
                let literal_len = pieces.iter().map(|p| p.chars().count()).sum();
                self.patterns.push(Pattern {
                    pieces,
                    english,
                    literal_len,
                });
            }
        }
        Ok(())
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.exact.len()
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }

    /// The English of exactly this (trimmed) text, if it is an entry.
    pub fn get(&self, zh: &str) -> Option<&str> {
        self.exact.get(zh).map(String::as_str)
    }

    /// Whether `segment` (a template's text, values as `{}`) is translated: it is an entry
    /// itself, or every run of Han characters in it is.
    pub fn covers(&self, segment: &str) -> bool {
        self.exact.contains_key(segment.trim()) || self.covers_runs(segment)
    }

    /// Whether every run of Han characters in `text` is an entry.
    pub fn covers_runs(&self, text: &str) -> bool {
        han_runs(text).all(|r| self.exact.contains_key(r))
    }

    /// The English of a text (a text node or an attribute's value, entities decoded),
    /// keeping its surrounding whitespace; `None` when it has no Han characters or nothing
    /// of it is in the catalogue.
    ///
    /// In order: the whole trimmed text as an entry (or a date, as `2026-12-06`); a
    /// pattern (its values translated in turn where they can be); the parts of a text cut
    /// by ` / ` or ` · `, each on its own; every run of Han characters, when each is an
    /// entry, with Chinese punctuation made English.
    pub fn translate(&self, text: &str) -> Option<String> {
        let trimmed = text.trim();
        if !has_han(trimmed) {
            return None;
        }
        let start = text.len() - text.trim_start().len();
        let end = start + trimmed.len();
        let english = self.translate_trimmed(trimmed, 0)?;
        Some(format!("{}{}{}", &text[..start], english, &text[end..]))
    }

    fn translate_trimmed(&self, text: &str, depth: usize) -> Option<String> {
        if let Some(en) = self.exact.get(text) {
            return Some(en.clone());
        }
        if let Some(d) = iso_date(text) {
            return Some(d);
        }
        if depth < 3 {
            for p in &self.patterns {
                let Some(values) = p.matches(text) else {
                    continue;
                };
                let mut out = String::new();
                let mut fits = true;
                for (i, piece) in p.english.iter().enumerate() {
                    out.push_str(piece);
                    let Some(v) = values.get(i) else { continue };
                    if !has_han(v) {
                        out.push_str(v);
                        continue;
                    }
                    match self.translate_trimmed(v.trim(), depth + 1) {
                        Some(en) => out.push_str(&en),
                        // A name or a short value stays as it is; a Chinese sentence in
                        // the place of a value means the pattern is not this text's.
                        None if is_sentence(v) => {
                            fits = false;
                            break;
                        }
                        None => out.push_str(v),
                    }
                }
                if fits {
                    return Some(out);
                }
            }
            // A path of labels (`三 /（七）总计 / 自然人`), a label and its detail
            // (`（三）不予公开 · …`): each part on its own.
            for sep in [" / ", " · "] {
                if text.contains(sep) {
                    let mut any = false;
                    let parts: Vec<String> = text
                        .split(sep)
                        .map(
                            |part| match self.translate_trimmed(part.trim(), depth + 1) {
                                Some(en) => {
                                    any = true;
                                    en
                                }
                                None => part.to_string(),
                            },
                        )
                        .collect();
                    if any {
                        return Some(parts.join(sep));
                    }
                }
            }
        }
        self.translate_runs(text)
    }

    /// Each run of Han characters replaced by its entry (dates first), the Chinese
    /// punctuation made English; `None` unless every run is an entry (half a sentence in
    /// English helps no one).
    fn translate_runs(&self, text: &str) -> Option<String> {
        let text = replace_dates(text);
        let mut out = String::with_capacity(text.len() * 2);
        let mut any = false;
        let mut rest = text.as_str();
        if !has_han(rest) {
            return None;
        }
        while let Some(start) = rest.find(is_han) {
            out.push_str(&rest[..start]);
            let run_len = rest[start..]
                .find(|c: char| !is_han(c))
                .unwrap_or(rest.len() - start);
            let run = &rest[start..start + run_len];
            let after = &rest[start + run_len..];
            match self.exact.get(run) {
                Some(en) => {
                    any = true;
                    if out
                        .chars()
                        .last()
                        .is_some_and(|c| c.is_ascii_alphanumeric())
                    {
                        out.push(' ');
                    }
                    out.push_str(en);
                    if after
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric())
                    {
                        out.push(' ');
                    }
                }
                None => return None,
            }
            rest = after;
        }
        out.push_str(rest);
        any.then(|| english_punctuation(&out))
    }
}

impl Pattern {
    /// The values where the `{}`s are, if `text` has this pattern's literal pieces.
    fn matches<'a>(&self, text: &'a str) -> Option<Vec<&'a str>> {
        let first = self.pieces.first()?;
        let last = self.pieces.last()?;
        let body = text.strip_prefix(first.as_str())?;
        let body = body.strip_suffix(last.as_str())?;
        let middle = &self.pieces[1..self.pieces.len() - 1];
        let mut values = Vec::with_capacity(middle.len() + 1);
        let mut rest = body;
        for piece in middle {
            if piece.is_empty() {
                // Two values side by side cannot be told apart.
                return None;
            }
            let at = rest.find(piece.as_str())?;
            values.push(&rest[..at]);
            rest = &rest[at + piece.len()..];
        }
        values.push(rest);
        Some(values)
    }
}

/// Text that reads as a Chinese sentence (sentence punctuation, or long), not a value.
fn is_sentence(s: &str) -> bool {
    s.chars().count() > 40 || s.contains(['，', '。', '；', '：'])
}

/// A Han (Chinese) character.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}' | '〇')
}

pub fn has_han(s: &str) -> bool {
    s.chars().any(is_han)
}

/// The maximal runs of Han characters in `s`.
pub fn han_runs(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !is_han(c)).filter(|r| !r.is_empty())
}

/// `2026-12-06` for `2026年12月6日`, when that is the whole text.
fn iso_date(s: &str) -> Option<String> {
    let (d, rest) = parse_date(s)?;
    rest.is_empty().then_some(d)
}

/// A date `2026年12月6日` at the start of `s`: its ISO form and what follows.
fn parse_date(s: &str) -> Option<(String, &str)> {
    let (y, rest) = s.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let (d, rest) = rest.split_once('日')?;
    let num = |t: &str, max: usize| {
        let t = t.trim();
        (!t.is_empty() && t.len() <= max && t.chars().all(|c| c.is_ascii_digit()))
            .then(|| t.parse::<u32>().ok())
            .flatten()
    };
    let (y, m, d) = (num(y, 4)?, num(m, 2)?, num(d, 2)?);
    (y >= 1000).then(|| (format!("{y:04}-{m:02}-{d:02}"), rest))
}

/// Every `2026年12月6日` in `s` as `2026-12-06`.
fn replace_dates(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..i]);
        let here = &rest[i..];
        if let Some((d, after)) = parse_date(here) {
            out.push_str(&d);
            rest = after;
        } else {
            let n = here
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(here.len());
            out.push_str(&here[..n]);
            rest = &here[n..];
        }
    }
    out.push_str(rest);
    out
}

/// Chinese punctuation as English (`，` → `, `, `（` → ` (` …), spaces not doubled.
pub fn english_punctuation(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let (before, mark, after) = match c {
            '，' => ("", ",", " "),
            '、' => ("", ",", " "),
            '；' => ("", ";", " "),
            '：' => ("", ":", " "),
            '。' => ("", ".", " "),
            '！' => ("", "!", " "),
            '？' => ("", "?", " "),
            '（' => (" ", "(", ""),
            '）' => ("", ")", " "),
            '“' | '”' => ("", "\"", ""),
            '‘' | '’' => ("", "'", ""),
            '《' | '》' => ("", "", ""),
            '【' => (" ", "[", ""),
            '】' => ("", "]", " "),
            _ => {
                out.push(c);
                continue;
            }
        };
        if !before.is_empty() && !out.is_empty() && !out.ends_with([' ', '(', '\n']) {
            out.push_str(before);
        }
        if !after.is_empty() || !mark.is_empty() {
            // A space before a closing mark is not English.
            if matches!(mark, "," | ";" | ":" | "." | "!" | "?" | ")") {
                while out.ends_with(' ') {
                    out.pop();
                }
            }
        }
        out.push_str(mark);
        out.push_str(after);
    }
    // `, )`, `( `, doubled spaces.
    let mut cleaned = String::with_capacity(out.len());
    for c in out.chars() {
        if c == ' ' && cleaned.ends_with([' ', '(']) {
            continue;
        }
        if matches!(c, ')' | ',' | '.' | ';' | ':') && cleaned.ends_with(' ') {
            cleaned.pop();
        }
        cleaned.push(c);
    }
    cleaned.trim_end().to_string()
}
