//! Text helpers shared by the rules: dates written in Arabic, full-width or Chinese
//! numerals, the document's own date, sentence bounds and the context around a match.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

/// How a number in a date is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumStyle {
    /// `2023`
    Arabic,
    /// `２０２３`
    FullWidth,
    /// `二〇二三`, `十二`
    Chinese,
}

/// A date (or year-month) found in text. `start..end` are byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateMention {
    pub start: usize,
    pub end: usize,
    pub year: i32,
    pub month: u32,
    pub day: Option<u32>,
    pub styles: [Option<NumStyle>; 3],
}

impl DateMention {
    /// The calendar date, when it exists.
    pub fn date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, self.day?)
    }

    /// True when the numbers are not all written the same way.
    pub fn mixed_styles(&self) -> bool {
        let mut it = self.styles.iter().flatten();
        let Some(first) = it.next() else {
            return false;
        };
        it.any(|s| s != first)
    }
}

/// `年…月…日` with each number in Arabic, full-width or Chinese numerals.
static YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([0-9０-９〇○零一二三四五六七八九]{4})\s*年\s*([0-9０-９一二三四五六七八九十]{1,3})\s*月(?:\s*([0-9０-９一二三四五六七八九十]{1,4})\s*[日号])?",
    )
    .expect("valid regex")
});

/// `2023-05-06`, `2023/5/6`, `2023.05.06`.
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([0-9]{4})([-/.])([0-9]{1,2})([-/.])([0-9]{1,2})").expect("valid regex")
});

/// A label in front of the publication date. A bare `时间：` counts only at the start of
/// the paragraph or after a space (`时间:2018-08-03`, `作者: 北化之家    时间: 2018-3-9`),
/// not as the end of another label (`公示时间：`, `会议时间：`, `出生时间：`).
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:发布时间|发布日期|发表时间|发表日期|发文日期|成文日期|印发日期|公开日期|生成日期|日期|(?:^|\s)时间)\s*[：:]\s*",
    )
    .expect("valid regex")
});

/// Characters whose presence gates a search (a regular expression, a date or label
/// parse), found in one pass over a paragraph's bytes instead of one substring search
/// each. All of them are ASCII or begin with a lead byte (`E5`, `E8`, `EF`) that never
/// occurs inside another character.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Marks(u8);

impl Marks {
    /// `年`
    pub const YEAR: u8 = 1;
    /// `自`
    pub const FROM: u8 = 1 << 1;
    /// `：` or `:`
    pub const COLON: u8 = 1 << 2;
    /// `％` or `%`
    pub const PERCENT: u8 = 1 << 3;
    /// `号`
    pub const NUMBER_SIGN: u8 = 1 << 4;
    /// ASCII `g` (the inline marker `gongkai-lint: allow`)
    pub const G: u8 = 1 << 5;

    pub fn of(s: &str) -> Marks {
        let b = s.as_bytes();
        let mut m = 0;
        let mut i = 0;
        // Character by character (the text is valid UTF-8): one test per ASCII byte, one
        // per Chinese character.
        while let Some(&c) = b.get(i) {
            if c < 0x80 {
                m |= match c {
                    b':' => Marks::COLON,
                    b'%' => Marks::PERCENT,
                    b'g' => Marks::G,
                    _ => 0,
                };
                i += 1;
            } else if c < 0xE0 {
                i += 2;
            } else if c < 0xF0 {
                if matches!(c, 0xE5 | 0xE8 | 0xEF)
                    && let Some(&[x, y]) = b.get(i + 1..i + 3)
                {
                    m |= match (c, x, y) {
                        (0xE5, 0xB9, 0xB4) => Marks::YEAR,
                        (0xE5, 0x8F, 0xB7) => Marks::NUMBER_SIGN,
                        (0xE8, 0x87, 0xAA) => Marks::FROM,
                        (0xEF, 0xBC, 0x9A) => Marks::COLON,
                        (0xEF, 0xBC, 0x85) => Marks::PERCENT,
                        _ => 0,
                    };
                }
                i += 3;
            } else {
                i += 4;
            }
        }
        Marks(m)
    }

    /// True when one of the characters of `mask` is present.
    pub fn has(self, mask: u8) -> bool {
        self.0 & mask != 0
    }
}

fn style_of(s: &str) -> NumStyle {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        NumStyle::Arabic
    } else if s.chars().all(|c| ('０'..='９').contains(&c)) {
        NumStyle::FullWidth
    } else {
        NumStyle::Chinese
    }
}

fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(c as u32 - '０' as u32),
        '〇' | '○' | '零' => Some(0),
        '一' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// A year written digit by digit (`2023`, `二〇二三`).
fn year_value(s: &str) -> Option<i32> {
    s.chars()
        .try_fold(0u32, |acc, c| Some(acc * 10 + digit_value(c)?))
        .and_then(|v| i32::try_from(v).ok())
}

/// A month or day: Arabic digits, or Chinese `十二`, `二十一`, `三十`, or digit-by-digit
/// Chinese (`一二` is not a number and gives `None`).
fn small_value(s: &str) -> Option<u32> {
    if !s.contains('十') {
        return if s
            .chars()
            .all(|c| !matches!(c, '一'..='九' | '〇' | '○' | '零'))
        {
            s.chars()
                .try_fold(0u32, |acc, c| Some(acc * 10 + digit_value(c)?))
        } else if s.chars().count() == 1 {
            s.chars().next().and_then(digit_value)
        } else {
            None
        };
    }
    let (tens, ones) = s.split_once('十')?;
    let tens = match tens {
        "" => 1,
        t if t.chars().count() == 1 => digit_value(t.chars().next()?)?,
        _ => return None,
    };
    let ones = match ones {
        "" => 0,
        o if o.chars().count() == 1 => digit_value(o.chars().next()?)?,
        _ => return None,
    };
    Some(tens * 10 + ones)
}

/// Every `年…月(…日)` date in `text`, including impossible ones (month 13, 2 月 30 日).
pub(crate) fn dates(text: &str) -> Vec<DateMention> {
    if !text.contains('年') {
        return Vec::new();
    }
    YMD.captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            // `12023年` is not a year.
            if text[..whole.start()]
                .chars()
                .next_back()
                .is_some_and(|p| digit_value(p).is_some() || p == '十')
            {
                return None;
            }
            let y = c.get(1)?.as_str();
            let m = c.get(2)?.as_str();
            let d = c.get(3).map(|d| d.as_str());
            Some(DateMention {
                start: whole.start(),
                end: whole.end(),
                year: year_value(y)?,
                month: small_value(m)?,
                day: match d {
                    Some(d) => Some(small_value(d)?),
                    None => None,
                },
                styles: [Some(style_of(y)), Some(style_of(m)), d.map(style_of)],
            })
        })
        .collect()
}

/// The first valid full date at the very start of `text` (after white space), in `年月日`
/// or ISO form.
fn leading_date(text: &str) -> Option<(NaiveDate, usize)> {
    let trimmed = text.trim_start();
    let skip = text.len() - trimmed.len();
    if let Some(m) = dates(trimmed).into_iter().find(|m| m.start == 0)
        && let Some(d) = m.date()
    {
        return Some((d, skip + m.end));
    }
    // The ISO form must start the text: four digits and a separator.
    let b = trimmed.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) || !b"-/.".contains(&b[4]) {
        return None;
    }
    let c = ISO.captures(trimmed)?;
    let whole = c.get(0)?;
    if whole.start() != 0 || c.get(2)?.as_str() != c.get(4)?.as_str() {
        return None;
    }
    let d = NaiveDate::from_ymd_opt(
        c.get(1)?.as_str().parse().ok()?,
        c.get(3)?.as_str().parse().ok()?,
        c.get(5)?.as_str().parse().ok()?,
    )?;
    Some((d, skip + whole.end()))
}

/// The date of a document from its paragraphs: the first labelled publication date
/// (`发布时间：2023-05-06`) or news byline (`2017年10月10日 来源：北京晚报`), else the last
/// paragraph that is only a date (the signature date). Dates after `today` are ignored.
pub(crate) fn document_date<'a>(
    paragraphs: impl Iterator<Item = &'a str>,
    today: Option<NaiveDate>,
) -> Option<NaiveDate> {
    document_date_marked(paragraphs.map(|p| (p, Marks::of(p))), today)
}

/// [`document_date`] of paragraphs whose [`Marks`] are known.
pub(crate) fn document_date_marked<'a>(
    paragraphs: impl Iterator<Item = (&'a str, Marks)>,
    today: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let plausible = |d: NaiveDate| {
        d >= NaiveDate::from_ymd_opt(1949, 10, 1).unwrap_or(NaiveDate::MIN)
            && today.is_none_or(|t| d <= t)
    };
    let mut signature = None;
    let mut numbered = None;
    for (p, marks) in paragraphs {
        // A paragraph that is only the document's own number (`（粤办函〔2010〕249号）`)
        // gives its year: the last resort, mid-year (see [`DOC_NUMBER_LINE`]).
        if numbered.is_none()
            && marks.has(Marks::NUMBER_SIGN)
            && let Some(c) = DOC_NUMBER_LINE.captures(p.trim())
            && let Some(d) = c
                .get(1)
                .and_then(|y| y.as_str().parse().ok())
                .and_then(|y| NaiveDate::from_ymd_opt(y, 7, 1))
            && plausible(d)
        {
            numbered = Some(d);
        }
        // Every label ends in a colon (`：` or `:`); most paragraphs have none.
        if marks.has(Marks::COLON)
            && let Some(m) = LABEL.find(p)
            && let Some((d, _)) = leading_date(&p[m.end()..])
            && plausible(d)
        {
            return Some(d);
        }
        let t = p.trim();
        if !t.starts_with(|c| digit_value(c).is_some()) {
            // A signature that carries its organ on the same line, as flattened pages
            // show it: `东莞市卫生和计划生育局2016年4月20日`.
            if marks.has(Marks::YEAR)
                && t.ends_with('日')
                && let Some(d) = organ_signature(t)
                && plausible(d)
            {
                signature = Some(d);
            }
            continue;
        }
        let n = t.chars().count();
        // An aggregator's byline: `02.06.2016 05:10` (day first).
        if n <= 20
            && let Some(d) = dotted_byline(t)
            && plausible(d)
        {
            return Some(d);
        }
        if n <= BYLINE_CHARS
            && let Some((d, end)) = leading_date(t)
            && plausible(d)
        {
            let rest = &t[end..];
            if BYLINE.is_match(rest) {
                return Some(d);
            }
            if n <= 20 && rest.trim().is_empty() {
                signature = Some(d);
            }
        }
    }
    signature.or(numbered)
}

/// The longest line taken for a signature with its organ (`东莞市卫生和计划生育局2016年4月20日`).
const SIGNED_CHARS: usize = 40;

/// Last characters of an organ's name before a signature date: 局, 委, 政府, 办公室 ….
const ORGAN_ENDS: [char; 14] = [
    '局', '委', '院', '会', '室', '厅', '部', '府', '处', '所', '站', '办', '队', '心',
];

/// The date of a line that is an organ's name followed by a full date and nothing else
/// (`东莞市卫生和计划生育局2016年4月20日`); the name is Chinese characters only, so a
/// sentence (`会议定于2024年3月1日`, `截至2023年5月6日`) is not taken.
fn organ_signature(t: &str) -> Option<NaiveDate> {
    if t.chars().count() > SIGNED_CHARS {
        return None;
    }
    let m = dates(t).into_iter().find(|m| m.end == t.len())?;
    let organ = t[..m.start].trim_end();
    let ok = organ.chars().count() >= 3
        && organ.ends_with(ORGAN_ENDS)
        && organ
            .chars()
            .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    if ok { m.date() } else { None }
}

/// `02.06.2016 05:10`: a line of only a day-first dotted date and a time of day, the
/// byline of a news aggregator. Month first when day first is no date.
fn dotted_byline(t: &str) -> Option<NaiveDate> {
    let c = DOTTED.captures(t)?;
    let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let (a, b, y) = (n(1)?, n(2)?, i32::try_from(n(3)?).ok()?);
    NaiveDate::from_ymd_opt(y, b, a).or_else(|| NaiveDate::from_ymd_opt(y, a, b))
}

static DOTTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([0-9]{1,2})\.([0-9]{1,2})\.((?:19|20)[0-9]{2})\s+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?$",
    )
    .expect("valid regex")
});

/// A paragraph that is nothing but a document number, optionally in round brackets:
/// `粤办函〔2010〕249号`, `（琼府办〔2011〕214号）`, `锡署发(2010)183号`. A text republished
/// without its date keeps this line; its year dates the wording. Taken as 1 July of that
/// year, so that a name or law replaced during that year is a warning (undecided, within
/// the grace period), one replaced in a later year is not reported and one replaced in an
/// earlier year is reported in full.
static DOC_NUMBER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[（(]?\s*[\p{Han}A-Za-z]{1,16}\s*[〔\[【（(]\s*((?:19|20)[0-9]{2})\s*[〕\]】）)]\s*第?[0-9]{1,5}\s*号\s*[）)]?$",
    )
    .expect("valid regex")
});

/// The longest line taken for a byline (`2017年10月10日 来源：北京晚报`).
const BYLINE_CHARS: usize = 80;

/// What follows the date in a news page's byline: a clock time (`2018-04-24 10:34
/// 全媒体记者组`: a date with its time of day heads a news item, whatever follows), or
/// the source, author or page furniture (`2017年10月10日 来源：北京晚报`). A line that
/// starts with a date and goes on like this dates the page as a label does.
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:[0-9]{1,2}[:：][0-9]{2}(?:[:：][0-9]{2})?(?:\s|$)|(?:来源|作者|发布|编辑|责任编辑|浏览|点击|字号|【))",
    )
    .expect("valid regex")
});

/// The clause that puts a normative text into force: `本法自2001年5月1日起施行`,
/// `本办法自……起实施`. The date itself follows the match.
static IN_FORCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"本(?:法|条例|办法|实施办法|规定|细则|实施细则|决定|规则|准则|修正案|规范|通知|意见|方案)自\s*",
    )
    .expect("valid regex")
});

/// What may stand before the in-force clause when it is the text's own: the start of the
/// paragraph or of a sentence, then an article number or list marker (`第九十四条　`,
/// `八、`, `（三）`, Markdown `**第三十四条**`).
static CLAUSE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[。；;])[\s*#　]*(?:第[零〇一二三四五六七八九十百千0-9]+条|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[.、．])?[\s*　]*$",
    )
    .expect("valid regex")
});

/// The date a normative text came into force, from its own clause
/// (`本法自2001年5月1日起施行`, an article or sentence of its own, not a clause quoted
/// inside another sentence); the latest one when several texts are joined (a notice and
/// the measures it issues). `None` when there is no such clause with a full date.
pub(crate) fn in_force_date<'a>(paragraphs: impl Iterator<Item = &'a str>) -> Option<NaiveDate> {
    in_force_date_marked(paragraphs.map(|p| (p, Marks::of(p))))
}

/// [`in_force_date`] of paragraphs whose [`Marks`] are known.
pub(crate) fn in_force_date_marked<'a>(
    paragraphs: impl Iterator<Item = (&'a str, Marks)>,
) -> Option<NaiveDate> {
    let mut latest: Option<NaiveDate> = None;
    for (p, marks) in paragraphs {
        if !marks.has(Marks::FROM) {
            continue;
        }
        for m in IN_FORCE.find_iter(p) {
            let rest = &p[m.end()..];
            let comes_into_force = |end: usize| {
                let after = rest[end..].trim_start();
                let after = after.strip_prefix('起').unwrap_or(after);
                ["施行", "实施", "执行", "生效"]
                    .iter()
                    .any(|w| after.starts_with(w))
            };
            if CLAUSE_START.is_match(&p[..m.start()])
                && let Some((d, end)) = leading_date(rest)
                && comes_into_force(end)
            {
                latest = Some(latest.map_or(d, |l| l.max(d)));
            }
        }
    }
    latest
}

/// The date of a document's wording, against which outdated names and citations are
/// judged: a normative text republished later (a law in force since 2001 on a page dated
/// 2024) keeps the wording it was enacted with, so the earlier of the publication date and
/// the text's own in-force date counts.
pub(crate) fn wording_date(
    published: Option<NaiveDate>,
    in_force: Option<NaiveDate>,
) -> Option<NaiveDate> {
    match (published, in_force) {
        (Some(p), Some(f)) => Some(p.min(f)),
        (p, f) => p.or(f),
    }
}

/// True when `s` is empty or only white space (the same as `s.trim().is_empty()`, but it
/// stops at the first other character, usually the first).
pub(crate) fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// Byte range of the sentence around `start..end` (bounded by `。！？；` and line ends).
pub(crate) fn sentence(text: &str, start: usize, end: usize) -> (usize, usize) {
    let is_stop = |c: char| matches!(c, '。' | '！' | '？' | '；' | '\n' | '!' | '?' | ';');
    let s = text[..start]
        .char_indices()
        .rev()
        .find(|&(_, c)| is_stop(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let e = text[end..]
        .char_indices()
        .find(|&(_, c)| is_stop(c))
        .map_or(text.len(), |(i, _)| end + i);
    (s, e)
}

/// Years (`2017年`) written in the sentence around the match, ignoring the match itself.
pub(crate) fn years_in_sentence(text: &str, start: usize, end: usize) -> Vec<i32> {
    static YEAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:^|[^0-9])((?:19|20)[0-9]{2})\s*年").expect("valid regex"));
    let (s, e) = sentence(text, start, end);
    YEAR.captures_iter(&text[s..e])
        .filter_map(|c| c.get(1))
        .filter(|m| s + m.end() <= start || s + m.start() >= end)
        .filter_map(|m| m.as_str().parse().ok())
        .collect()
}

/// True when the match sits inside a book title `《…》`.
pub(crate) fn inside_book_title(text: &str, start: usize, end: usize) -> bool {
    let open = text[..start].rfind('《');
    let close_before = text[..start].rfind('》');
    let opened = match (open, close_before) {
        (Some(o), Some(c)) => o > c,
        (Some(_), None) => true,
        _ => false,
    };
    opened && text[end..].contains('》')
}

/// The character just before `start` (None at the start).
pub(crate) fn char_before(text: &str, start: usize) -> Option<char> {
    text[..start].chars().next_back()
}

/// Up to `n` characters before `start` and after `end`.
pub(crate) fn context(text: &str, start: usize, end: usize, n: usize) -> (String, String) {
    let before: String = {
        let mut v: Vec<char> = text[..start].chars().rev().take(n).collect();
        v.reverse();
        v.into_iter().collect()
    };
    let after: String = text[end..].chars().take(n).collect();
    (before, after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_numeral_style() {
        let t = "于2023 年 5 月 6 日、二〇二三年十二月三十一日和２０２３年５月印发";
        let d = dates(t);
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].date(), NaiveDate::from_ymd_opt(2023, 5, 6));
        assert_eq!(d[1].date(), NaiveDate::from_ymd_opt(2023, 12, 31));
        assert_eq!((d[2].year, d[2].month, d[2].day), (2023, 5, None));
        assert!(!d[0].mixed_styles() && !d[1].mixed_styles());
        let m = dates("2023年五月6日");
        assert!(m[0].mixed_styles());
    }

    #[test]
    fn impossible_dates_are_still_found() {
        let d = dates("2023年2月30日和2020年13月");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].date(), None);
        assert_eq!(d[1].month, 13);
    }

    #[test]
    fn chinese_small_numbers() {
        assert_eq!(small_value("十"), Some(10));
        assert_eq!(small_value("十二"), Some(12));
        assert_eq!(small_value("二十一"), Some(21));
        assert_eq!(small_value("三十"), Some(30));
        assert_eq!(small_value("一二"), None);
        assert_eq!(small_value("05"), Some(5));
    }

    #[test]
    fn document_date_prefers_the_label_then_the_signature() {
        let paras = [
            "标题",
            "发布时间：2023-05-06 10:00 来源：本站",
            "正文",
            "2024年1月2日",
        ];
        assert_eq!(
            document_date(paras.iter().copied(), None),
            NaiveDate::from_ymd_opt(2023, 5, 6)
        );
        let paras = ["正文提到2018年3月1日的事", "某某局", "2024年1月2日"];
        assert_eq!(
            document_date(paras.iter().copied(), None),
            NaiveDate::from_ymd_opt(2024, 1, 2)
        );
        let paras = ["正文提到2018年3月1日的事"];
        assert_eq!(document_date(paras.iter().copied(), None), None);
        // A news byline dates the page; a sentence that starts with a date does not.
        let paras = [
            "标题",
            "2017年10月10日 来源:北京晚报",
            "正文",
            "2024年1月2日",
        ];
        assert_eq!(
            document_date(paras.iter().copied(), None),
            NaiveDate::from_ymd_opt(2017, 10, 10)
        );
        let paras = ["2021-01-07 15:30 来源：生态环境局信息中心"];
        assert_eq!(
            document_date(paras.iter().copied(), None),
            NaiveDate::from_ymd_opt(2021, 1, 7)
        );
        // A date with its time of day heads a news item whatever follows (通山县, 2018).
        let paras = ["2018-04-24 10:34   全媒体记者组", "正文"];
        assert_eq!(
            document_date(paras.iter().copied(), None),
            NaiveDate::from_ymd_opt(2018, 4, 24)
        );
        // `发表时间` labels the publication date as `发布时间` does.
        let paras = ["文章出处:未知 人气:发表时间:2020-03-31"];
        assert_eq!(
            document_date(paras.iter().copied(), None),
            NaiveDate::from_ymd_opt(2020, 3, 31)
        );
        // A time of day that runs on into digits is no byline.
        let paras = ["2018年3月1日 10:3012"];
        assert_eq!(document_date(paras.iter().copied(), None), None);
        // A bare `时间：` at the start of the paragraph or after a space labels the page's
        // date (株洲市国土资源局, 2018; a forum copy of a 繁峙县 news item, 2018); the end
        // of another label does not.
        let paras = [
            "国土资源违法案件行政处罚决定书 株国土资执法〔2018〕96号",
            "时间:2018-08-03",
        ];
        assert_eq!(
            document_date(paras.iter().copied(), None),
            NaiveDate::from_ymd_opt(2018, 8, 3)
        );
        let paras = ["作者: 北化之家    时间: 2018-3-9 07:41"];
        assert_eq!(
            document_date(paras.iter().copied(), None),
            NaiveDate::from_ymd_opt(2018, 3, 9)
        );
        let paras = ["公示时间:2019年5月27日-5月31日", "会议时间：2008年10月9日"];
        assert_eq!(document_date(paras.iter().copied(), None), None);
        // A signature with its organ on the same line (东莞市卫生和计划生育局, 2016); a
        // short sentence ending in a date is no signature.
        let paras = [
            "现将省卫生计生委通告转发给你们,请周知。",
            "东莞市卫生和计划生育局2016年4月20日",
        ];
        assert_eq!(
            document_date(paras.iter().copied(), None),
            NaiveDate::from_ymd_opt(2016, 4, 20)
        );
        let paras = ["会议定于2024年3月1日", "截至2023年5月6日"];
        assert_eq!(document_date(paras.iter().copied(), None), None);
        // An aggregator's dotted byline, day first.
        let paras = ["邹平县人大组织新《环保法》执法检查", "02.06.2016 05:10"];
        assert_eq!(
            document_date(paras.iter().copied(), None),
            NaiveDate::from_ymd_opt(2016, 6, 2)
        );
        let paras = ["12.25.2016 05:10"];
        assert_eq!(
            document_date(paras.iter().copied(), None),
            NaiveDate::from_ymd_opt(2016, 12, 25)
        );
        // A text republished without a date keeps its document number on a line of its
        // own (粤办函〔2010〕249号 on a law site): mid-year of that year, the last resort.
        let paras = [
            "关于2009年年度报告的通报",
            "（粤办函〔2010〕249号）",
            "正文",
        ];
        assert_eq!(
            document_date(paras.iter().copied(), None),
            NaiveDate::from_ymd_opt(2010, 7, 1)
        );
        let paras = ["锡署发(2010)183号", "正文", "2011年1月2日"];
        assert_eq!(
            document_date(paras.iter().copied(), None),
            NaiveDate::from_ymd_opt(2011, 1, 2)
        );
        // A number inside a sentence is a citation, not the text's own.
        let paras = ["根据《通知》（国办发〔2016〕80号）要求，制定本办法。"];
        assert_eq!(document_date(paras.iter().copied(), None), None);
        let paras = ["2018年3月1日起，来源不明的材料一律退回。"];
        assert_eq!(document_date(paras.iter().copied(), None), None);
        let paras = ["2035年12月31日"];
        assert_eq!(
            document_date(paras.iter().copied(), NaiveDate::from_ymd_opt(2026, 1, 1)),
            None
        );
    }

    #[test]
    fn in_force_clause_dates_the_wording() {
        // 税收征收管理法, last article (text in force, amended 2015).
        let law = [
            "第五十三条　国家税务局和地方税务局应当按照国家规定的税收征收管理范围和税款入库预算级次，将征收的税款缴入国库。",
            "第九十四条　本法自2001年5月1日起施行。",
        ];
        assert_eq!(
            in_force_date(law.iter().copied()),
            NaiveDate::from_ymd_opt(2001, 5, 1)
        );
        let notice = ["本办法自2017年1月1日起施行。", "本规定自2024年3月1日起实施"];
        assert_eq!(
            in_force_date(["本办法自2018年3月1日施行"].iter().copied()),
            NaiveDate::from_ymd_opt(2018, 3, 1)
        );
        assert_eq!(
            in_force_date(notice.iter().copied()),
            NaiveDate::from_ymd_opt(2024, 3, 1)
        );
        let md = [
            "**第三十四条** 本办法自2017年1月1日起施行",
            "（八）本规定自2019年1月1日起实施。",
        ];
        assert_eq!(
            in_force_date(md.iter().copied()),
            NaiveDate::from_ymd_opt(2019, 1, 1)
        );
        let none = [
            "本法自公布之日起施行。",
            "自2019年5月15日起施行的条例",
            "本办法自2019年起施行",
            "原条例第三十八条规定，本条例自2008年5月1日起施行",
        ];
        assert_eq!(in_force_date(none.iter().copied()), None);
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(wording_date(d(2024, 1, 5), d(2001, 5, 1)), d(2001, 5, 1));
        assert_eq!(
            wording_date(d(2023, 12, 20), d(2024, 1, 1)),
            d(2023, 12, 20)
        );
        assert_eq!(wording_date(None, d(2001, 5, 1)), d(2001, 5, 1));
        assert_eq!(wording_date(d(2024, 1, 5), None), d(2024, 1, 5));
    }

    #[test]
    fn marks_agree_with_substring_search() {
        for t in [
            "",
            "2023年，占比5％，国办发〔2019〕3号",
            "发布时间:2024 本法自公布之日起施行 100% gongkai-lint",
            "日期：无",
            "纯文字段落，没有标记字符。",
        ] {
            let m = Marks::of(t);
            assert_eq!(m.has(Marks::YEAR), t.contains('年'), "{t}");
            assert_eq!(m.has(Marks::FROM), t.contains('自'), "{t}");
            assert_eq!(m.has(Marks::COLON), t.contains(['：', ':']), "{t}");
            assert_eq!(m.has(Marks::PERCENT), t.contains(['％', '%']), "{t}");
            assert_eq!(m.has(Marks::NUMBER_SIGN), t.contains('号'), "{t}");
            assert_eq!(m.has(Marks::G), t.contains('g'), "{t}");
        }
    }

    #[test]
    fn context_helpers() {
        let t = "2017年，国土资源部印发《关于国土资源部的通知》。现在";
        let s = t.find("国土资源部").unwrap();
        assert_eq!(years_in_sentence(t, s, s + "国土资源部".len()), vec![2017]);
        let s2 = t.rfind("国土资源部").unwrap();
        assert!(inside_book_title(t, s2, s2 + "国土资源部".len()));
        assert!(!inside_book_title(t, s, s + "国土资源部".len()));
        let (b, a) = context(t, s, s + "国土资源部".len(), 3);
        assert_eq!((b.as_str(), a.as_str()), ("7年，", "印发《"));
    }
}
