//! The Chinese working-day calendar: weekends, statutory holidays and make-up working days
//! (调休上班), one data file per year.
//!
//! Every deadline of the Regulations is counted in working days (工作日). Which days are
//! working days is fixed each year by a State Council General Office notice
//! (国务院办公厅关于某年部分节假日安排的通知), published in November or December for the
//! following year. The notices of 2023–2026 (`shared/spec/regulations.md` §4.2) are kept as
//! TOML files in `data/calendar/` and embedded in the binary; a directory of further files
//! (a new year, or a corrected one) can be loaded at run time, so adding 2027 needs no
//! release.
//!
//! A date in a year without a notice is never guessed silently: it is counted with the
//! statutory holidays of 《全国年节及纪念日放假办法》 (元旦, 春节, 清明, 劳动节, 端午, 中秋,
//! 国庆, lunar dates computed; see [`crate::holidays`]) — the notice's 调休 cannot be known —
//! and every answer that depends on it carries a [`CalendarWarning::YearNotCovered`].
//!
//! This module knows nothing of applications; the counting conventions of the Regulations
//! (which day is day 1) are in [`crate::clock`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The embedded notices, one per year.
const EMBEDDED: [(&str, &str); 4] = [
    (
        "data/calendar/2023.toml",
        include_str!("../data/calendar/2023.toml"),
    ),
    (
        "data/calendar/2024.toml",
        include_str!("../data/calendar/2024.toml"),
    ),
    (
        "data/calendar/2025.toml",
        include_str!("../data/calendar/2025.toml"),
    ),
    (
        "data/calendar/2026.toml",
        include_str!("../data/calendar/2026.toml"),
    ),
];

/// What kind of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// Monday to Friday, no holiday.
    Workday,
    /// Saturday or Sunday, no make-up work.
    Weekend,
    /// A day off of a statutory holiday (放假), whatever the weekday.
    Holiday,
    /// A Saturday or Sunday worked in exchange for a holiday (调休上班).
    MakeUpWorkday,
}

impl DayKind {
    /// True for [`DayKind::Workday`] and [`DayKind::MakeUpWorkday`].
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeUpWorkday)
    }
}

/// One date of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Day {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The holiday the day belongs to (for holidays and make-up working days), e.g. `春节`.
    pub holiday: Option<String>,
    /// False when the year has no notice in the calendar: `kind` is then a guess from the
    /// weekday.
    pub covered: bool,
}

/// Why an answer of the calendar may be wrong.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CalendarWarning {
    /// The computation reached a year whose holiday notice is not in the calendar; days of
    /// that year were counted with the statutory holidays only (no 调休).
    YearNotCovered { year: i32 },
}

impl fmt::Display for CalendarWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarWarning::YearNotCovered { year } => write!(
                f,
                "日历中没有{year}年的节假日安排通知，该年按《全国年节及纪念日放假办法》规定的\
                 法定节假日推算（未计调休），结果可能不准确；国务院办公厅公布{year}年节假日安排后\
                 请将通知录入日历目录（--calendar-dir）"
            ),
        }
    }
}

/// A value computed from the calendar, with the warnings that make it uncertain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[must_use]
pub struct Checked<T> {
    pub value: T,
    /// Empty when every day involved is in a year with a notice.
    pub warnings: Vec<CalendarWarning>,
}

impl<T> Checked<T> {
    /// True when no warning applies.
    pub fn is_certain(&self) -> bool {
        self.warnings.is_empty()
    }
}

/// The status of a notice's facts (`shared/spec/regulations.md` conventions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactStatus {
    /// Read in a primary text or in several independent copies.
    Confirmed,
    /// Read only in secondary material.
    Secondary,
    /// Not verified.
    Unconfirmed,
}

/// The State Council notice a year's data comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// e.g. `国务院办公厅关于2025年部分节假日安排的通知`.
    pub title: String,
    /// e.g. `国办发明电〔2024〕12号`; `None` when not verified.
    pub number: Option<String>,
    /// The date of the notice.
    pub issued: Option<NaiveDate>,
    pub status: FactStatus,
    /// Where the dates were read.
    pub sources: Vec<String>,
    pub note: Option<String>,
}

/// One holiday of a notice: the days off and the make-up working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    /// e.g. `春节`.
    pub name: String,
    /// First day off.
    pub from: NaiveDate,
    /// Last day off (inclusive).
    pub to: NaiveDate,
    /// Saturdays and Sundays worked (调休上班).
    pub make_up: Vec<NaiveDate>,
    pub note: Option<String>,
}

/// One year's arrangement as loaded from its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearArrangement {
    pub year: i32,
    pub notice: Notice,
    pub holidays: Vec<Holiday>,
    /// Where the file came from: `data/calendar/2025.toml` (embedded) or a path.
    pub origin: String,
}

/// A problem with a calendar file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    #[error("无法读取日历文件或目录 {path}：{source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("日历文件 {origin} 第 {line} 行格式错误：{message}")]
    Parse {
        origin: String,
        line: usize,
        message: String,
    },
    #[error(
        "日历文件 {origin} 第 {line} 行：{field} 的值 “{text}” 不是日期（应写作 \"YYYY-MM-DD\"）"
    )]
    BadDate {
        origin: String,
        line: usize,
        field: String,
        text: String,
    },
    #[error("日历文件 {origin} 第 {line} 行：“{holiday}” 的放假起始日 {from} 晚于结束日 {to}")]
    RangeReversed {
        origin: String,
        line: usize,
        holiday: String,
        from: NaiveDate,
        to: NaiveDate,
    },
    #[error("日历文件 {origin} 第 {line} 行：“{holiday}” 的调休上班日 {date} 不是星期六或星期日")]
    MakeUpNotWeekend {
        origin: String,
        line: usize,
        holiday: String,
        date: NaiveDate,
    },
    #[error("日历文件 {origin} 第 {line} 行：{date} 同时是放假日和调休上班日")]
    Conflict {
        origin: String,
        line: usize,
        date: NaiveDate,
    },
    #[error(
        "日历文件 {origin} 第 {line} 行：日期 {date} 不在 {year} 年前后（只允许跨年的元旦假期等相邻日期）"
    )]
    DateOutsideYear {
        origin: String,
        line: usize,
        year: i32,
        date: NaiveDate,
    },
}

impl CalendarError {
    /// Sets the line of a content error to the first line of `text` that contains
    /// `needle` (1 when none does).
    fn at_line_of(mut self, text: &str, needle: &str) -> Self {
        let found = text
            .lines()
            .position(|l| l.contains(needle))
            .map_or(1, |i| i + 1);
        match &mut self {
            CalendarError::Parse { line, .. }
            | CalendarError::BadDate { line, .. }
            | CalendarError::RangeReversed { line, .. }
            | CalendarError::MakeUpNotWeekend { line, .. }
            | CalendarError::Conflict { line, .. }
            | CalendarError::DateOutsideYear { line, .. } => *line = found,
            CalendarError::Io { .. } => {}
        }
        self
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    year: i32,
    notice: RawNotice,
    #[serde(default)]
    holidays: Vec<RawHoliday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotice {
    title: String,
    number: Option<String>,
    issued: Option<toml::Value>,
    status: FactStatus,
    #[serde(default)]
    sources: Vec<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    name: String,
    from: toml::Value,
    to: toml::Value,
    #[serde(default)]
    make_up: Vec<toml::Value>,
    note: Option<String>,
}

/// A date written as `"2025-01-28"` or as a bare TOML date `2025-01-28`.
fn toml_date(origin: &str, field: &str, v: &toml::Value) -> Result<NaiveDate, CalendarError> {
    let text = match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => other.to_string(),
    };
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| CalendarError::BadDate {
        origin: origin.to_string(),
        line: 0,
        field: field.to_string(),
        text,
    })
}

impl YearArrangement {
    /// Parses and validates one year file.
    /// An error names the file and the line.
    pub fn from_toml(text: &str, origin: &str) -> Result<Self, CalendarError> {
        Self::parse(text, origin).map_err(|e| {
            let needle = match &e {
                CalendarError::BadDate { text, .. } => text.clone(),
                CalendarError::RangeReversed { from, .. } => from.to_string(),
                CalendarError::MakeUpNotWeekend { date, .. }
                | CalendarError::Conflict { date, .. }
                | CalendarError::DateOutsideYear { date, .. } => date.to_string(),
                CalendarError::Parse { .. } | CalendarError::Io { .. } => return e,
            };
            e.at_line_of(text, &needle)
        })
    }

    fn parse(text: &str, origin: &str) -> Result<Self, CalendarError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| CalendarError::Parse {
            origin: origin.to_string(),
            line: e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            }),
            message: e.message().trim().to_string(),
        })?;
        let issued = raw
            .notice
            .issued
            .as_ref()
            .map(|v| toml_date(origin, "notice.issued", v))
            .transpose()?;
        let year = raw.year;
        let near = |date: NaiveDate| -> Result<NaiveDate, CalendarError> {
            if (year - 1..=year + 1).contains(&date.year()) {
                Ok(date)
            } else {
                Err(CalendarError::DateOutsideYear {
                    line: 0,
                    origin: origin.to_string(),
                    year,
                    date,
                })
            }
        };
        let mut holidays = Vec::new();
        for h in raw.holidays {
            let from = near(toml_date(origin, &format!("{}.from", h.name), &h.from)?)?;
            let to = near(toml_date(origin, &format!("{}.to", h.name), &h.to)?)?;
            if from > to {
                return Err(CalendarError::RangeReversed {
                    line: 0,
                    origin: origin.to_string(),
                    holiday: h.name,
                    from,
                    to,
                });
            }
            let mut make_up = Vec::new();
            for v in &h.make_up {
                let d = near(toml_date(origin, &format!("{}.make_up", h.name), v)?)?;
                if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    return Err(CalendarError::MakeUpNotWeekend {
                        line: 0,
                        origin: origin.to_string(),
                        holiday: h.name,
                        date: d,
                    });
                }
                make_up.push(d);
            }
            holidays.push(Holiday {
                name: h.name,
                from,
                to,
                make_up,
                note: h.note,
            });
        }
        for h in &holidays {
            for d in &h.make_up {
                if holidays.iter().any(|o| o.from <= *d && *d <= o.to) {
                    return Err(CalendarError::Conflict {
                        line: 0,
                        origin: origin.to_string(),
                        date: *d,
                    });
                }
            }
        }
        Ok(YearArrangement {
            year,
            notice: Notice {
                title: raw.notice.title,
                number: raw.notice.number,
                issued,
                status: raw.notice.status,
                sources: raw.notice.sources,
                note: raw.notice.note,
            },
            holidays,
            origin: origin.to_string(),
        })
    }
}

/// Per-day codes of a covered year, indexed by `ordinal0`.
#[derive(Debug, Clone)]
struct YearTable {
    kinds: Vec<DayKind>,
    /// Index into `names` per day, `u16::MAX` for none.
    name_of: Vec<u16>,
    names: Vec<String>,
}

/// The working-day calendar: a set of yearly arrangements.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    arrangements: BTreeMap<i32, YearArrangement>,
    tables: BTreeMap<i32, YearTable>,
}

impl Calendar {
    /// A calendar with no year: every date is uncovered.
    pub fn empty() -> Self {
        Calendar::default()
    }

    /// The calendar embedded at build time (2023–2026).
    pub fn embedded() -> Self {
        let mut cal = Calendar::empty();
        for (origin, text) in EMBEDDED {
            // The embedded files are tested; a failure here is a build defect.
            let year = YearArrangement::from_toml(text, origin)
                .unwrap_or_else(|e| panic!("embedded calendar file is invalid: {e}"));
            cal.insert(year);
        }
        cal
    }

    /// A shared copy of [`Calendar::embedded`].
    pub fn builtin() -> &'static Calendar {
        static CAL: OnceLock<Calendar> = OnceLock::new();
        CAL.get_or_init(Calendar::embedded)
    }

    /// The embedded calendar with every `*.toml` file of `dir` added; a file for a year
    /// that is already known replaces it.
    pub fn with_dir(dir: &Path) -> Result<Self, CalendarError> {
        let mut cal = Calendar::embedded();
        cal.load_dir(dir)?;
        Ok(cal)
    }

    /// Adds every `*.toml` file of `dir` (sorted by name); returns the years loaded.
    pub fn load_dir(&mut self, dir: &Path) -> Result<Vec<i32>, CalendarError> {
        let io = |e| CalendarError::Io {
            path: dir.to_path_buf(),
            source: e,
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        let mut loaded = Vec::new();
        let mut parsed = Vec::new();
        for p in paths {
            let text = std::fs::read_to_string(&p).map_err(|e| CalendarError::Io {
                path: p.clone(),
                source: e,
            })?;
            parsed.push(YearArrangement::from_toml(&text, &p.display().to_string())?);
        }
        // All files are valid: only now change the calendar.
        for y in parsed {
            loaded.push(y.year);
            self.insert(y);
        }
        Ok(loaded)
    }

    /// Adds (or replaces) one year from TOML text; returns its year.
    pub fn add_toml(&mut self, text: &str, origin: &str) -> Result<i32, CalendarError> {
        let y = YearArrangement::from_toml(text, origin)?;
        let year = y.year;
        self.insert(y);
        Ok(year)
    }

    /// Adds (or replaces) one year.
    pub fn insert(&mut self, year: YearArrangement) {
        self.arrangements.insert(year.year, year);
        self.rebuild();
    }

    fn rebuild(&mut self) {
        self.tables.clear();
        for &year in self.arrangements.keys() {
            let start = NaiveDate::from_yo_opt(year, 1).unwrap_or_default();
            let days = if NaiveDate::from_yo_opt(year, 366).is_some() {
                366
            } else {
                365
            };
            let mut kinds = Vec::with_capacity(days);
            for i in 0..days {
                let d = start + chrono::Days::new(i as u64);
                kinds.push(weekday_kind(d));
            }
            let mut t = YearTable {
                kinds,
                name_of: vec![u16::MAX; days],
                names: Vec::new(),
            };
            // Neighbouring years first, the year's own notice last (it wins).
            let order = [year - 1, year + 1, year];
            for y in order {
                let Some(a) = self.arrangements.get(&y) else {
                    continue;
                };
                for h in &a.holidays {
                    let name = t.names.len() as u16;
                    let mut used = false;
                    let mut d = h.from;
                    loop {
                        if d.year() == year {
                            t.kinds[d.ordinal0() as usize] = DayKind::Holiday;
                            t.name_of[d.ordinal0() as usize] = name;
                            used = true;
                        }
                        if d >= h.to {
                            break;
                        }
                        d = next_day(d);
                    }
                    for m in &h.make_up {
                        if m.year() == year {
                            t.kinds[m.ordinal0() as usize] = DayKind::MakeUpWorkday;
                            t.name_of[m.ordinal0() as usize] = name;
                            used = true;
                        }
                    }
                    if used {
                        t.names.push(h.name.clone());
                    }
                }
            }
            self.tables.insert(year, t);
        }
    }

    /// The years with a notice, ascending.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.arrangements.keys().copied()
    }

    /// The arrangement of `year`, if loaded.
    pub fn arrangement(&self, year: i32) -> Option<&YearArrangement> {
        self.arrangements.get(&year)
    }

    /// True when `date`'s year has a notice.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.tables.contains_key(&date.year())
    }

    /// The kind of `date` and whether its year is covered (a year without its notice is
    /// counted with the statutory holidays, [`crate::holidays`]).
    #[inline]
    pub fn kind(&self, date: NaiveDate) -> (DayKind, bool) {
        match self.tables.get(&date.year()) {
            Some(t) => (t.kinds[date.ordinal0() as usize], true),
            None => match statutory_table(date.year()) {
                Some(t) => (t.kinds[date.ordinal0() as usize], false),
                None => (weekday_kind(date), false),
            },
        }
    }

    /// Everything the calendar knows about `date`.
    pub fn day(&self, date: NaiveDate) -> Day {
        match self.tables.get(&date.year()) {
            Some(t) => {
                let i = date.ordinal0() as usize;
                let name = t.name_of[i];
                Day {
                    date,
                    kind: t.kinds[i],
                    holiday: (name != u16::MAX).then(|| t.names[name as usize].clone()),
                    covered: true,
                }
            }
            None => {
                let (kind, _) = self.kind(date);
                let holiday = statutory_table(date.year()).and_then(|t| {
                    let name = t.name_of[date.ordinal0() as usize];
                    (name != u16::MAX).then(|| t.names[name as usize].clone())
                });
                Day {
                    date,
                    kind,
                    holiday,
                    covered: false,
                }
            }
        }
    }

    /// Whether `date` is a working day (工作日).
    pub fn is_working_day(&self, date: NaiveDate) -> Checked<bool> {
        let (kind, covered) = self.kind(date);
        Checked {
            value: kind.is_working(),
            warnings: if covered {
                Vec::new()
            } else {
                vec![CalendarWarning::YearNotCovered { year: date.year() }]
            },
        }
    }

    /// The `n`-th working day after `start`; `start` itself is not counted (期间开始的日不
    /// 计算在期间内). `n = 0` gives `start`. Because the result is always a working day, a
    /// period never ends on a holiday.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Checked<NaiveDate> {
        let mut warnings = Warnings::default();
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = next_day(d);
            let (kind, covered) = self.kind(d);
            if !covered {
                warnings.year(d.year());
            }
            if kind.is_working() {
                left -= 1;
            }
        }
        Checked {
            value: d,
            warnings: warnings.into_vec(),
        }
    }

    /// The number of working days in `(from, to]` (0 when `to <= from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Checked<u32> {
        let mut warnings = Warnings::default();
        let mut n = 0;
        let mut d = from;
        while d < to {
            d = next_day(d);
            let (kind, covered) = self.kind(d);
            if !covered {
                warnings.year(d.year());
            }
            if kind.is_working() {
                n += 1;
            }
        }
        Checked {
            value: n,
            warnings: warnings.into_vec(),
        }
    }

    /// The first working day on or after `date`.
    pub fn next_working_day_from(&self, date: NaiveDate) -> Checked<NaiveDate> {
        let mut warnings = Warnings::default();
        let mut d = date;
        loop {
            let (kind, covered) = self.kind(d);
            if !covered {
                warnings.year(d.year());
            }
            if kind.is_working() {
                return Checked {
                    value: d,
                    warnings: warnings.into_vec(),
                };
            }
            d = next_day(d);
        }
    }
}

/// The day table of the statutory holidays of `year` (built once per process), for years
/// without a notice.
fn statutory_table(year: i32) -> Option<&'static YearTable> {
    static TABLES: OnceLock<BTreeMap<i32, YearTable>> = OnceLock::new();
    TABLES
        .get_or_init(|| {
            let mut all = BTreeMap::new();
            for y in crate::holidays::YEARS {
                let Some(holidays) = crate::holidays::statutory(y) else {
                    continue;
                };
                let days = NaiveDate::from_ymd_opt(y, 12, 31).map_or(365, |d| d.ordinal()) as usize;
                let start = NaiveDate::from_yo_opt(y, 1).unwrap_or_default();
                let mut t = YearTable {
                    kinds: (0..days)
                        .map(|i| weekday_kind(start + chrono::Days::new(i as u64)))
                        .collect(),
                    name_of: vec![u16::MAX; days],
                    names: Vec::new(),
                };
                for h in holidays {
                    let name = t.names.len() as u16;
                    for d in &h.days {
                        t.kinds[d.ordinal0() as usize] = DayKind::Holiday;
                        t.name_of[d.ordinal0() as usize] = name;
                    }
                    t.names.push(h.name.to_string());
                }
                all.insert(y, t);
            }
            all
        })
        .get(&year)
}

/// The day after `d` (saturating at chrono's maximum date).
#[inline]
pub(crate) fn next_day(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(d)
}

/// Collects distinct uncovered years.
#[derive(Debug, Default)]
pub(crate) struct Warnings(Vec<i32>);

impl Warnings {
    pub(crate) fn year(&mut self, year: i32) {
        if !self.0.contains(&year) {
            self.0.push(year);
        }
    }

    pub(crate) fn extend(&mut self, w: &[CalendarWarning]) {
        for w in w {
            match w {
                CalendarWarning::YearNotCovered { year } => self.year(*year),
            }
        }
    }

    pub(crate) fn into_vec(mut self) -> Vec<CalendarWarning> {
        self.0.sort_unstable();
        self.0
            .into_iter()
            .map(|year| CalendarWarning::YearNotCovered { year })
            .collect()
    }
}

fn weekday_kind(d: NaiveDate) -> DayKind {
    match d.weekday() {
        Weekday::Sat | Weekday::Sun => DayKind::Weekend,
        _ => DayKind::Workday,
    }
}

/// `星期一` … `星期日`.
pub fn weekday_zh(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

/// `2025年2月21日`.
pub fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests;
