//! Reading running text: sentences, years, dates and counts in section narrative.
//!
//! The narrative rules (STR002, TXT001) look for short fixed phrases. Text is normalised
//! once — full-width digits become ASCII, spaces and tabs are dropped — so that
//! `2023 年`, `２０２３年` and `2023年` read alike and `件数 0 件` reads as `件数0件`.
//! Excerpts quote the original text. This module is not a rule; it knows no cell ids.

use std::ops::Range;

/// Sentence ends. Commas do not end a sentence.
const SENTENCE_ENDS: [char; 7] = ['。', '！', '？', '；', '!', '?', ';'];

/// A piece of narrative text, normalised for matching.
#[derive(Debug, Clone)]
pub(crate) struct Narrative {
    /// The normalised characters.
    chars: Vec<char>,
    /// The original characters.
    orig: Vec<char>,
    /// For each normalised character, its index in `orig`.
    map: Vec<usize>,
    /// The sentences, cut once on first use.
    sentences: std::cell::OnceCell<Vec<Range<usize>>>,
    /// Every index where [`Narrative::year_at`] finds a year, found once on first use.
    year_starts: std::cell::OnceCell<Vec<usize>>,
}

impl Narrative {
    pub(crate) fn new(text: &str) -> Self {
        let orig: Vec<char> = text.chars().collect();
        let mut chars = Vec::with_capacity(orig.len());
        let mut map = Vec::with_capacity(orig.len());
        for (i, &c) in orig.iter().enumerate() {
            let c = match c {
                ' ' | '\t' | '\r' | '\u{3000}' | '\u{a0}' => continue,
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                other => other,
            };
            chars.push(c);
            map.push(i);
        }
        Narrative {
            chars,
            orig,
            map,
            sentences: std::cell::OnceCell::new(),
            year_starts: std::cell::OnceCell::new(),
        }
    }

    /// The normalised characters.
    pub(crate) fn chars(&self) -> &[char] {
        &self.chars
    }

    /// Sentences: split after `。！？；` and at line breaks; terminators excluded; empty
    /// sentences skipped.
    pub(crate) fn sentences(&self) -> &[Range<usize>] {
        self.sentences
            .get_or_init(|| self.split(|c| c == '\n' || SENTENCE_ENDS.contains(&c)))
    }

    /// Paragraphs: split at line breaks; empty paragraphs skipped.
    pub(crate) fn paragraphs(&self) -> Vec<Range<usize>> {
        self.split(|c| c == '\n')
    }

    fn split(&self, is_end: impl Fn(char) -> bool) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, &c) in self.chars.iter().enumerate() {
            if is_end(c) {
                if i > start {
                    out.push(start..i);
                }
                start = i + 1;
            }
        }
        if self.chars.len() > start {
            out.push(start..self.chars.len());
        }
        out
    }

    /// True when `pat` occurs at `i`.
    pub(crate) fn is_at(&self, i: usize, pat: &str) -> bool {
        for (j, p) in (i..).zip(pat.chars()) {
            if self.chars.get(j) != Some(&p) {
                return false;
            }
        }
        true
    }

    /// Start indices of `pat` within `range` (the whole match inside the range), lazily.
    fn positions<'a>(
        &'a self,
        pat: &'a str,
        range: Range<usize>,
    ) -> impl Iterator<Item = usize> + 'a {
        let n = pat.chars().count();
        let first = pat.chars().next();
        let end = range.end.min(self.chars.len());
        let last = if n == 0 || end < range.start + n {
            None
        } else {
            Some(end - n)
        };
        let window = match last {
            Some(last) => &self.chars[range.start..=last],
            None => &[][..],
        };
        window
            .iter()
            .enumerate()
            .filter(move |(_, c)| Some(**c) == first)
            .map(move |(k, _)| range.start + k)
            .filter(move |&i| self.is_at(i, pat))
    }

    /// Every start index of `pat` within `range` (the whole match inside the range).
    pub(crate) fn find_all(&self, pat: &str, range: Range<usize>) -> Vec<usize> {
        self.positions(pat, range).collect()
    }

    /// True when `pat` occurs within `range`.
    pub(crate) fn contains(&self, range: Range<usize>, pat: &str) -> bool {
        self.positions(pat, range).next().is_some()
    }

    /// The original text of `range`, trimmed, cut to `max` characters with `……`.
    pub(crate) fn excerpt(&self, range: Range<usize>, max: usize) -> String {
        if range.is_empty() {
            return String::new();
        }
        let start = self.map[range.start];
        let end = self.map[range.end - 1] + 1;
        let text: String = self.orig[start..end].iter().collect();
        let text = text.trim();
        if text.chars().count() > max {
            let cut: String = text.chars().take(max).collect();
            format!("{cut}……")
        } else {
            text.to_string()
        }
    }

    /// A year `19xx` or `20xx` written at `i` and followed by `年`, not preceded by a
    /// digit.
    pub(crate) fn year_at(&self, i: usize) -> Option<i32> {
        if i > 0 && self.chars.get(i - 1).is_some_and(char::is_ascii_digit) {
            return None;
        }
        let digits = self.chars.get(i..i + 4)?;
        if !digits.iter().all(char::is_ascii_digit) || self.chars.get(i + 4) != Some(&'年') {
            return None;
        }
        let year: String = digits.iter().collect();
        let year: i32 = year.parse().ok()?;
        (1900..2100).contains(&year).then_some(year)
    }

    /// True when a year `YYYY年` ([`Narrative::year_at`]) starts within `range`: most
    /// sentences have none, and the rules about years skip them without scanning.
    pub(crate) fn has_year(&self, range: Range<usize>) -> bool {
        let starts = self.year_starts.get_or_init(|| {
            // A year ends with `年`: look back from each one.
            (0..self.chars.len())
                .filter(|&j| self.chars[j] == '年')
                .filter_map(|j| j.checked_sub(4))
                .filter(|&i| self.year_at(i).is_some())
                .collect()
        });
        let k = starts.partition_point(|&i| i < range.start);
        starts.get(k).is_some_and(|&i| i < range.end)
    }

    /// Every year mentioned in `range` as `YYYY年`, outside book-title marks `《…》`
    /// (document names such as `《2023年政务公开工作要点》` are not statements about a
    /// year). Returns (index, year).
    pub(crate) fn years(&self, range: Range<usize>) -> Vec<(usize, i32)> {
        let mut out = Vec::new();
        if !self.has_year(range.clone()) {
            return out;
        }
        let mut depth = 0u32;
        for i in range {
            match self.chars[i] {
                '《' => depth += 1,
                '》' => depth = depth.saturating_sub(1),
                _ if depth == 0 => {
                    if let Some(y) = self.year_at(i) {
                        out.push((i, y));
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// A month-and-day `M月D日` at `i` (one or two digits each): (month, day, end).
    pub(crate) fn month_day_at(&self, i: usize) -> Option<(u32, u32, usize)> {
        let (m, j) = self.small_number_at(i)?;
        if self.chars.get(j) != Some(&'月') {
            return None;
        }
        let (d, k) = self.small_number_at(j + 1)?;
        if self.chars.get(k) != Some(&'日') {
            return None;
        }
        Some((m, d, k + 1))
    }

    fn small_number_at(&self, i: usize) -> Option<(u32, usize)> {
        let mut j = i;
        let mut n = 0u32;
        while j < i + 2 && self.chars.get(j).is_some_and(char::is_ascii_digit) {
            n = n * 10 + self.chars[j].to_digit(10)?;
            j += 1;
        }
        (j > i).then_some((n, j))
    }

    /// A count written at `i` in Arabic digits (`12`, `1,234`) or Chinese numerals
    /// (`十二`, `一百零五`, `两`): (value, end).
    pub(crate) fn count_at(&self, i: usize) -> Option<(u64, usize)> {
        if self.chars.get(i).is_some_and(char::is_ascii_digit) {
            self.arabic_at(i)
        } else {
            self.chinese_at(i)
        }
    }

    fn arabic_at(&self, i: usize) -> Option<(u64, usize)> {
        let mut n: u64 = 0;
        let mut j = i;
        loop {
            match self.chars.get(j) {
                Some(c) if c.is_ascii_digit() => {
                    n = n.checked_mul(10)?.checked_add(u64::from(c.to_digit(10)?))?;
                    j += 1;
                }
                // A thousands separator only when three digits follow.
                Some(',' | '，')
                    if j > i
                        && self
                            .chars
                            .get(j + 1..j + 4)
                            .is_some_and(|d| d.iter().all(char::is_ascii_digit))
                        && !self.chars.get(j + 4).is_some_and(char::is_ascii_digit) =>
                {
                    j += 1;
                }
                _ => break,
            }
        }
        // A decimal fraction is not a count.
        if self.chars.get(j) == Some(&'.')
            && self.chars.get(j + 1).is_some_and(char::is_ascii_digit)
        {
            return None;
        }
        (j > i).then_some((n, j))
    }

    fn chinese_at(&self, i: usize) -> Option<(u64, usize)> {
        let mut total: u64 = 0;
        let mut current: u64 = 0;
        let mut j = i;
        while let Some(&c) = self.chars.get(j) {
            let digit = match c {
                '零' | '〇' => Some(0),
                '一' => Some(1),
                '二' | '两' => Some(2),
                '三' => Some(3),
                '四' => Some(4),
                '五' => Some(5),
                '六' => Some(6),
                '七' => Some(7),
                '八' => Some(8),
                '九' => Some(9),
                _ => None,
            };
            let unit = match c {
                '十' => Some(10),
                '百' => Some(100),
                '千' => Some(1000),
                _ => None,
            };
            match (digit, unit) {
                (Some(d), _) => current = d,
                (None, Some(u)) => {
                    total += if current == 0 { 1 } else { current } * u;
                    current = 0;
                }
                (None, None) => break,
            }
            j += 1;
        }
        (j > i).then_some((total + current, j))
    }
}

/// The part of the report a piece of narrative belongs to, in Chinese and English:
/// `导语` / `the preamble` for the lead-in (number 0), else `第一部分` / `section 1`.
pub(crate) fn part_names(number: u8) -> (String, String) {
    if number == 0 {
        ("导语".to_string(), "the preamble".to_string())
    } else {
        (
            crate::rules::section_zh(number),
            format!("section {number}"),
        )
    }
}

/// Other kinds of items that are also received, answered or closed (suggestions,
/// consultations, hotline tickets, petitions, appeals): a sentence about these is not about
/// disclosure applications.
pub(crate) const OTHER_ITEMS: [&str; 15] = [
    "建议", "提案", "咨询", "留言", "信访", "来信", "来访", "热线", "工单", "诉求", "12345",
    "复议", "诉讼", "投诉", "举报",
];

/// Words that make a sentence a plan or a promise rather than a statement of what was done.
pub(crate) const PLAN_WORDS: [&str; 7] = ["将", "计划", "拟", "下一步", "力争", "争取", "确保"];

/// The bodies a report may name itself by after `本` or `我` (`本街道`, `我局`), longest
/// first within each length so that `本分局` is not read as `本分` + `局`.
const SELF_BODIES: [&str; 18] = [
    "办公室",
    "委员会",
    "街道办",
    "机关",
    "单位",
    "部门",
    "中心",
    "街道",
    "分局",
    "政府",
    "局",
    "委",
    "办",
    "厅",
    "院",
    "镇",
    "乡",
    "所",
];

/// The ways a report names its own agency: `本机关`, `本单位`, `我局`, `本街道`, `我镇` …,
/// and the agency's name from the title with its shorter forms (`红旗区洪门镇人民政府`,
/// `洪门镇`). A count whose subject is one of these is the agency's own count; a scope word
/// such as `街道` or `镇` left after removing them names another body.
#[derive(Debug, Clone)]
pub(crate) struct SelfNames(Vec<Vec<char>>);

impl SelfNames {
    pub(crate) fn new(agency: Option<&str>) -> Self {
        let mut names: Vec<String> = Vec::new();
        for body in SELF_BODIES {
            names.push(format!("本{body}"));
            names.push(format!("我{body}"));
        }
        if let Some(agency) = agency.map(str::trim).filter(|a| a.chars().count() >= 2) {
            let mut forms = vec![agency.to_string()];
            for suffix in ["人民政府办公室", "人民政府", "办事处"] {
                if let Some(short) = agency.strip_suffix(suffix) {
                    forms.push(short.to_string());
                }
            }
            // Without the place it belongs to: `红旗区洪门镇` → `洪门镇`.
            for form in forms.clone() {
                if let Some((i, c)) = form
                    .char_indices()
                    .skip(1)
                    .find(|(_, c)| "省市区县".contains(*c))
                {
                    let rest = &form[i + c.len_utf8()..];
                    if rest.chars().count() >= 2 {
                        forms.push(rest.to_string());
                    }
                }
            }
            names.extend(forms);
        }
        let mut names: Vec<Vec<char>> = names.iter().map(|n| n.chars().collect()).collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        names.dedup();
        SelfNames(names)
    }

    /// The characters of `range` with every self-name replaced by `□`.
    pub(crate) fn mask(&self, text: &Narrative, range: Range<usize>) -> String {
        let mut out = String::new();
        let mut i = range.start;
        while i < range.end {
            match self.0.iter().find(|n| {
                i + n.len() <= range.end && text.chars.get(i..i + n.len()) == Some(n.as_slice())
            }) {
                Some(n) => {
                    out.push('□');
                    i += n.len();
                }
                None => {
                    out.push(text.chars[i]);
                    i += 1;
                }
            }
        }
        out
    }

    /// True when a self-name ends right before `i`.
    pub(crate) fn ends_at(&self, text: &Narrative, i: usize) -> bool {
        self.0
            .iter()
            .any(|n| i >= n.len() && text.chars.get(i - n.len()..i) == Some(n.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_digits_and_spaces_but_quotes_the_original() {
        let t = Narrative::new("我办收到依申请公开件数 0 件。２０２３ 年");
        let s = t.sentences();
        assert_eq!(s.len(), 2);
        assert_eq!(t.excerpt(s[0].clone(), 80), "我办收到依申请公开件数 0 件");
        assert_eq!(t.year_at(s[1].start), Some(2023));
    }

    #[test]
    fn counts() {
        for (text, n) in [
            ("0件", 0),
            ("12件", 12),
            ("1,234件", 1234),
            ("十二件", 12),
            ("二十件", 20),
            ("一百零五件", 105),
            ("两件", 2),
            ("零件", 0),
        ] {
            let t = Narrative::new(text);
            let (v, end) = t.count_at(0).unwrap();
            assert_eq!(v, n, "{text}");
            assert_eq!(t.chars()[end], '件', "{text}");
        }
        assert_eq!(Narrative::new("1.5件").count_at(0), None);
        assert_eq!(Narrative::new("件").count_at(0), None);
    }

    #[test]
    fn years_skip_document_names_and_longer_numbers() {
        let t = Narrative::new("2023年印发《2024年工作要点》，编号12023年");
        let years: Vec<i32> = t.years(0..t.chars().len()).iter().map(|p| p.1).collect();
        assert_eq!(years, [2023]);
    }

    #[test]
    fn self_names_are_masked_and_other_bodies_kept() {
        let names = SelfNames::new(Some("红旗区洪门街道办事处"));
        for (text, masked) in [
            ("本街道共受理", "□共受理"),
            ("我局受理", "□受理"),
            ("洪门街道共受理", "□共受理"),
            ("红旗区洪门街道办事处受理", "□受理"),
            ("各街道共受理", "各街道共受理"),
        ] {
            let t = Narrative::new(text);
            assert_eq!(names.mask(&t, 0..t.chars().len()), masked, "{text}");
        }
        let t = Narrative::new("本单位2023年度");
        assert!(names.ends_at(&t, 3));
        assert!(!names.ends_at(&t, 2));
    }

    #[test]
    fn month_and_day() {
        let t = Narrative::new("1月1日至12月31日");
        assert_eq!(t.month_day_at(0), Some((1, 1, 4)));
        assert_eq!(t.month_day_at(5), Some((12, 31, 11)));
    }
}
