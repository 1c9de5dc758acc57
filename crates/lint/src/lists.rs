//! The office's own lists: sensitive words, leaders with their titles and dates, banned
//! formulations, and the allow list. Nothing of this is shipped (content-checks.md §2e): an
//! empty list means no check.
//!
//! Files in the lists directory, all optional:
//!
//! | file | content |
//! |---|---|
//! | `sensitive.csv` | header `word,category,severity,suggestion`; severity `error` or `warning` (default `warning`) |
//! | `sensitive.toml` | `[[word]]` with the same keys |
//! | `leaders.toml` | `[[leader]]` `name`, `title`, `from`, `to` (absent = still in post) — one entry per post held |
//! | `formulations.toml` | `[[banned]]` `text`, `replacement`, `reason` |
//! | `allow.toml` | `[[allow]]` `text`, `rules` (codes; empty = all), `file` (substring of the path; empty = all), `who`, `why` (both required) |

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use crate::Severity;

/// A bad list file: the file and, where known, the line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ListsError {
    #[error("{}: 无法读取名单文件 / cannot read the list file: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: 名单文件格式错误 / bad list file: {message}", path.display())]
    Parse { path: PathBuf, message: String },
}

/// A word the office does not want published.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SensitiveWord {
    pub word: String,
    #[serde(default)]
    pub category: String,
    #[serde(default = "warning", deserialize_with = "de_severity")]
    pub severity: ListSeverity,
    #[serde(default)]
    pub suggestion: String,
}

/// The severity a list entry asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListSeverity {
    Error,
    Warning,
}

fn warning() -> ListSeverity {
    ListSeverity::Warning
}

/// `error`, `warning`, or empty (= warning), as a CSV cell or TOML string.
fn de_severity<'de, D: Deserializer<'de>>(d: D) -> Result<ListSeverity, D::Error> {
    let s = String::deserialize(d)?;
    match s.trim().to_ascii_lowercase().as_str() {
        "error" => Ok(ListSeverity::Error),
        "warning" | "" => Ok(ListSeverity::Warning),
        other => Err(D::Error::custom(format!(
            "严重程度“{other}”应为 error 或 warning / severity must be error or warning"
        ))),
    }
}

/// A date written as a TOML date (`2024-01-31`) or a string (`"2024-01-31"`).
pub(crate) fn de_date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let text = match toml::Value::deserialize(d)? {
        toml::Value::Datetime(dt) => dt.to_string(),
        toml::Value::String(s) => s,
        other => other.to_string(),
    };
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        D::Error::custom(format!(
            "“{text}”不是日期（应写成 2024-01-31）/ not a date (YYYY-MM-DD)"
        ))
    })
}

/// [`de_date`] for an optional date.
fn de_opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    de_date(d).map(Some)
}

impl From<ListSeverity> for Severity {
    fn from(s: ListSeverity) -> Severity {
        match s {
            ListSeverity::Error => Severity::Error,
            ListSeverity::Warning => Severity::Warning,
        }
    }
}

/// A post a leader holds or held.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Leader {
    pub name: String,
    pub title: String,
    #[serde(deserialize_with = "de_date")]
    pub from: NaiveDate,
    /// Last day in post; `None` = still in post.
    #[serde(default, deserialize_with = "de_opt_date")]
    pub to: Option<NaiveDate>,
}

/// A formulation not to be used, with what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Banned {
    pub text: String,
    #[serde(default)]
    pub replacement: String,
    #[serde(default)]
    pub reason: String,
}

/// An entry of the allow list: a text that is not to be reported.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Allow {
    /// The exact matched text (e.g. an official mobile number).
    pub text: String,
    /// Rule codes it applies to; empty = every rule.
    #[serde(default)]
    pub rules: Vec<String>,
    /// A substring of the file path; empty = every file.
    #[serde(default)]
    pub file: String,
    pub who: String,
    pub why: String,
}

/// All of an office's lists.
#[derive(Debug, Clone, Default)]
pub struct OfficeLists {
    pub sensitive: Vec<SensitiveWord>,
    pub leaders: Vec<Leader>,
    pub banned: Vec<Banned>,
    pub allow: Vec<Allow>,
}

#[derive(Deserialize)]
struct SensitiveFile {
    #[serde(default)]
    word: Vec<SensitiveWord>,
}

#[derive(Deserialize)]
struct LeaderFile {
    #[serde(default)]
    leader: Vec<Leader>,
}

#[derive(Deserialize)]
struct FormulationFile {
    #[serde(default)]
    banned: Vec<Banned>,
}

#[derive(Deserialize)]
struct AllowFile {
    #[serde(default)]
    allow: Vec<Allow>,
}

fn read(path: &Path) -> Result<Option<String>, ListsError> {
    match fs::read_to_string(path) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ListsError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

fn toml_file<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Option<T>, ListsError> {
    let Some(text) = read(path)? else {
        return Ok(None);
    };
    toml::from_str(&text)
        .map(Some)
        .map_err(|e| ListsError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
}

impl OfficeLists {
    /// Loads the list files present in `dir` (see the module docs). A directory that does
    /// not exist is an error; a missing file is an empty list.
    pub fn load_dir(dir: &Path) -> Result<OfficeLists, ListsError> {
        if !dir.is_dir() {
            return Err(ListsError::Io {
                path: dir.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
            });
        }
        let mut lists = OfficeLists::default();
        if let Some(text) = read(&dir.join("sensitive.csv"))? {
            lists.sensitive = parse_sensitive_csv(&text, &dir.join("sensitive.csv"))?;
        }
        if let Some(f) = toml_file::<SensitiveFile>(&dir.join("sensitive.toml"))? {
            lists.sensitive.extend(f.word);
        }
        if let Some(f) = toml_file::<LeaderFile>(&dir.join("leaders.toml"))? {
            lists.leaders = f.leader;
        }
        if let Some(f) = toml_file::<FormulationFile>(&dir.join("formulations.toml"))? {
            lists.banned = f.banned;
        }
        let allow_path = dir.join("allow.toml");
        if let Some(f) = toml_file::<AllowFile>(&allow_path)? {
            if let Some(a) = f
                .allow
                .iter()
                .find(|a| a.who.trim().is_empty() || a.why.trim().is_empty())
            {
                return Err(ListsError::Parse {
                    path: allow_path,
                    message: format!(
                        "“{}”缺少 who 或 why（放行须写明是谁、为什么）/ entry needs `who` and `why`",
                        a.text
                    ),
                });
            }
            lists.allow = f.allow;
        }
        lists.validate(dir)?;
        Ok(lists)
    }

    fn validate(&self, dir: &Path) -> Result<(), ListsError> {
        let empty = self
            .sensitive
            .iter()
            .map(|w| (w.word.as_str(), "sensitive"))
            .chain(
                self.leaders
                    .iter()
                    .map(|l| (l.name.as_str(), "leaders.toml")),
            )
            .chain(
                self.banned
                    .iter()
                    .map(|b| (b.text.as_str(), "formulations.toml")),
            )
            .chain(self.allow.iter().map(|a| (a.text.as_str(), "allow.toml")))
            .find(|(t, _)| t.trim().is_empty());
        if let Some((_, file)) = empty {
            return Err(ListsError::Parse {
                path: dir.join(file),
                message: "有一条的文字为空 / an entry has empty text".into(),
            });
        }
        Ok(())
    }
}

/// Parses `sensitive.csv` (header `word,category,severity,suggestion`; only `word` is
/// required). Uses the `csv` crate so quoted fields with commas work.
pub fn parse_sensitive_csv(text: &str, path: &Path) -> Result<Vec<SensitiveWord>, ListsError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in rdr.deserialize::<SensitiveWord>().enumerate() {
        let w = rec.map_err(|e| ListsError::Parse {
            path: path.to_path_buf(),
            message: format!("第 {} 行 / line {}: {e}", i + 2, i + 2),
        })?;
        out.push(w);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_quotes_and_defaults() {
        let t = "\u{feff}word,category,severity,suggestion\n甲词,政治,error,乙词\n\"丙,丁\",,,\n";
        let w = parse_sensitive_csv(t, Path::new("s.csv")).unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].severity, ListSeverity::Error);
        assert_eq!(w[1].word, "丙,丁");
        assert_eq!(w[1].severity, ListSeverity::Warning);
    }

    #[test]
    fn bad_csv_names_the_line() {
        let t = "word,category,severity\n甲,政治,fatal\n";
        let e = parse_sensitive_csv(t, Path::new("s.csv")).unwrap_err();
        assert!(e.to_string().contains("第 2 行"), "{e}");
    }
}
