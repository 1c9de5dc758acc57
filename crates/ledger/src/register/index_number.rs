//! The 索引号 (index number) scheme. No national format exists (UNCONFIRMED in
//! `proactive-and-portal.md` §4: the central government uses `000014349/2017-00110`,
//! others `<credit code>/<year>-<serial>`, `<code>-<year>-<serial>` or longer segmented
//! codes), so each agency configures a template; the default is the central government's
//! shape with the agency's code.
//!
//! Placeholders: `{code}` (the agency's code: 统一社会信用代码 or internal code), `{year}`
//! (year of 生成日期), `{date}` (生成日期 as `YYYYMMDD`), `{seq}` or `{seq:0N}` (the serial
//! within the agency and year, zero-padded to N digits). `{seq}` is required, so two items
//! of one agency and year never share a number; literal text is kept as it is.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The default template: `{code}/{year}-{seq:05}` (e.g. `000014349/2017-00110`).
pub const DEFAULT_TEMPLATE: &str = "{code}/{year}-{seq:05}";

/// A template that cannot number items.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IndexSchemeError {
    #[error("索引号规则“{template}”缺少序号占位符 {{seq}}（或 {{seq:05}}），无法保证唯一")]
    NoSerial { template: String },
    #[error(
        "索引号规则“{template}”中的占位符“{{{name}}}”无法识别；可用：{{code}}、{{year}}、{{date}}、{{seq}}、{{seq:0N}}"
    )]
    UnknownPlaceholder { template: String, name: String },
    #[error("索引号规则“{template}”的花括号不成对")]
    Unbalanced { template: String },
    #[error("索引号规则“{template}”的序号宽度“{width}”无效，应为 1–12 位，例如 {{seq:05}}")]
    BadWidth { template: String, width: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Code,
    Year,
    Date,
    Seq(usize),
}

/// A parsed 索引号 template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IndexScheme {
    template: String,
    #[serde(skip)]
    parts: Vec<Part>,
}

impl Default for IndexScheme {
    fn default() -> Self {
        IndexScheme::parse(DEFAULT_TEMPLATE).expect("the default template parses")
    }
}

impl TryFrom<String> for IndexScheme {
    type Error = IndexSchemeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        IndexScheme::parse(&s)
    }
}

impl From<IndexScheme> for String {
    fn from(s: IndexScheme) -> String {
        s.template
    }
}

impl IndexScheme {
    /// Parses `template`, e.g. `{code}-{year}-{seq:06}`.
    pub fn parse(template: &str) -> Result<Self, IndexSchemeError> {
        let template = template.trim().to_string();
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = template.as_str();
        let unbalanced = || IndexSchemeError::Unbalanced {
            template: template.clone(),
        };
        while let Some(c) = rest.chars().next() {
            match c {
                '{' => {
                    let end = rest.find('}').ok_or_else(unbalanced)?;
                    let name = &rest[1..end];
                    if name.contains('{') {
                        return Err(unbalanced());
                    }
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(Self::placeholder(&template, name)?);
                    rest = &rest[end + 1..];
                }
                '}' => return Err(unbalanced()),
                _ => {
                    text.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        if !parts.iter().any(|p| matches!(p, Part::Seq(_))) {
            return Err(IndexSchemeError::NoSerial { template });
        }
        Ok(IndexScheme { template, parts })
    }

    fn placeholder(template: &str, name: &str) -> Result<Part, IndexSchemeError> {
        Ok(match name {
            "code" => Part::Code,
            "year" => Part::Year,
            "date" => Part::Date,
            "seq" => Part::Seq(1),
            _ => match name.strip_prefix("seq:") {
                Some(width) => {
                    let n = width
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=12).contains(n))
                        .ok_or_else(|| IndexSchemeError::BadWidth {
                            template: template.to_string(),
                            width: width.to_string(),
                        })?;
                    Part::Seq(n)
                }
                None => {
                    return Err(IndexSchemeError::UnknownPlaceholder {
                        template: template.to_string(),
                        name: name.to_string(),
                    });
                }
            },
        })
    }

    /// The template as written.
    pub fn template(&self) -> &str {
        &self.template
    }

    /// The 索引号 of the `seq`-th item (from 1) of the agency `code` formed on `formed_on`.
    pub fn format(&self, code: &str, formed_on: NaiveDate, seq: u64) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Code => out.push_str(code.trim()),
                Part::Year => out.push_str(&formed_on.year().to_string()),
                Part::Date => out.push_str(&formed_on.format("%Y%m%d").to_string()),
                Part::Seq(w) => out.push_str(&format!("{seq:0w$}", w = *w)),
            }
        }
        out
    }

    /// Whether the serial restarts every year (the template shows the year or the date);
    /// if not, the serial runs on across years.
    pub fn serial_per_year(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Year | Part::Date))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_default_is_the_central_governments_shape() {
        let s = IndexScheme::default();
        assert_eq!(
            s.format("000014349", d("2017-06-08"), 110),
            "000014349/2017-00110"
        );
        assert!(s.serial_per_year());
    }

    #[test]
    fn other_shapes_in_use() {
        let s = IndexScheme::parse("{code}-{year}-{seq:06}").unwrap();
        assert_eq!(
            s.format("01527918X", d("2020-03-01"), 153077),
            "01527918X-2020-153077"
        );
        let s = IndexScheme::parse("330200-ZF-{date}-{seq:03}").unwrap();
        assert_eq!(s.format("x", d("2024-01-05"), 7), "330200-ZF-20240105-007");
        let s = IndexScheme::parse("GK{seq:08}").unwrap();
        assert!(!s.serial_per_year());
        assert_eq!(s.format("x", d("2024-01-05"), 12), "GK00000012");
    }

    #[test]
    fn bad_templates_are_refused_in_chinese() {
        let e = IndexScheme::parse("{code}/{year}").unwrap_err();
        assert!(e.to_string().contains("缺少序号"), "{e}");
        let e = IndexScheme::parse("{code}/{yr}-{seq}").unwrap_err();
        assert!(e.to_string().contains("{yr}"), "{e}");
        let e = IndexScheme::parse("{code/{seq}").unwrap_err();
        assert!(matches!(e, IndexSchemeError::Unbalanced { .. }), "{e}");
        let e = IndexScheme::parse("{seq:0}").unwrap_err();
        assert!(matches!(e, IndexSchemeError::BadWidth { .. }), "{e}");
        assert!(IndexScheme::parse("a}{seq}").is_err());
    }

    #[test]
    fn serde_round_trip_keeps_the_template() {
        let s = IndexScheme::parse("{code}-{year}-{seq:04}").unwrap();
        let j = serde_json::to_string(&s).unwrap();
        assert_eq!(j, "\"{code}-{year}-{seq:04}\"");
        let back: IndexScheme = serde_json::from_str(&j).unwrap();
        assert_eq!(back, s);
        assert!(serde_json::from_str::<IndexScheme>("\"{code}\"").is_err());
    }
}
