//! The shipped data tables (`data/*.toml`): outdated institution names, legal citations,
//! serious typos and personal-information reference data. Each entry carries its source.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::Severity;
use crate::lists::de_date;

/// How well an entry is sourced (as in `shared/spec/content-checks.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Confirmed,
    Secondary,
    Derived,
    Unconfirmed,
}

/// A renamed or abolished institution.
#[derive(Debug, Clone, Deserialize)]
pub struct Institution {
    pub old: Vec<String>,
    pub new: String,
    pub reform: String,
    #[serde(deserialize_with = "de_date")]
    pub effective: NaiveDate,
    pub status: Status,
    pub source: String,
    /// Text right after the match that makes it another word (`文化部门`).
    #[serde(default)]
    pub not_after: Vec<String>,
    /// Text right before the match that makes it another word (`文化和旅游局`).
    #[serde(default)]
    pub not_before: Vec<String>,
}

impl Institution {
    /// Only CONFIRMED rows may be errors.
    pub fn max_severity(&self) -> Severity {
        if self.status == Status::Confirmed {
            Severity::Error
        } else {
            Severity::Warning
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MaxSeverity {
    Error,
    Warning,
}

/// An outdated citation or wording.
#[derive(Debug, Clone, Deserialize)]
pub struct Citation {
    pub rule: String,
    #[serde(rename = "match")]
    pub patterns: Vec<String>,
    pub current: String,
    #[serde(deserialize_with = "de_date")]
    pub effective: NaiveDate,
    pub status: Status,
    pub max: MaxSeverity,
    pub source: String,
    #[serde(default)]
    pub only_with: Vec<String>,
    #[serde(default)]
    pub skip_with: Vec<String>,
}

impl Citation {
    pub fn max_severity(&self) -> Severity {
        match (self.max, self.status) {
            (MaxSeverity::Error, Status::Confirmed) => Severity::Error,
            _ => Severity::Warning,
        }
    }
}

/// A serious typo.
#[derive(Debug, Clone, Deserialize)]
pub struct Typo {
    pub wrong: String,
    pub right: String,
    pub status: Status,
    pub source: String,
}

#[derive(Debug, Deserialize)]
struct InstitutionFile {
    name: Vec<Institution>,
}

#[derive(Debug, Deserialize)]
struct LawFile {
    citation: Vec<Citation>,
    articles_2007_to_2019: BTreeMap<String, u32>,
}

#[derive(Debug, Deserialize)]
struct TypoFile {
    typo: Vec<Typo>,
}

/// Reference data for personal-information rules.
#[derive(Debug, Clone, Deserialize)]
pub struct PiiData {
    pub mobile_prefixes: Vec<String>,
    pub province_codes: Vec<String>,
    pub card_prefixes: Vec<String>,
}

/// All shipped tables.
#[derive(Debug, Clone)]
pub struct Data {
    pub institutions: Vec<Institution>,
    pub citations: Vec<Citation>,
    /// Article number of the 2007 Regulations → the same provision in the 2019 text.
    pub articles_2007_to_2019: BTreeMap<u32, u32>,
    pub typos: Vec<Typo>,
    pub pii: PiiData,
}

const INSTITUTIONS: &str = include_str!("../data/institutions.toml");
const LAWS: &str = include_str!("../data/laws.toml");
const TYPOS: &str = include_str!("../data/typos.toml");
const PII: &str = include_str!("../data/pii.toml");

impl Data {
    /// The tables shipped in `data/`. They are part of the program and checked by the
    /// tests, so a parse failure is a build defect, not bad user input.
    pub fn shipped() -> Data {
        match Data::parse(INSTITUTIONS, LAWS, TYPOS, PII) {
            Ok(d) => d,
            Err(e) => panic!("shipped data tables do not parse: {}", e.message()),
        }
    }

    fn parse(inst: &str, laws: &str, typos: &str, pii: &str) -> Result<Data, toml::de::Error> {
        let inst: InstitutionFile = toml::from_str(inst)?;
        let laws: LawFile = toml::from_str(laws)?;
        let typos: TypoFile = toml::from_str(typos)?;
        let pii: PiiData = toml::from_str(pii)?;
        Ok(Data {
            institutions: inst.name,
            citations: laws.citation,
            articles_2007_to_2019: laws
                .articles_2007_to_2019
                .into_iter()
                .filter_map(|(k, v)| k.parse().ok().map(|k| (k, v)))
                .collect(),
            typos: typos.typo,
            pii,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_tables_parse_and_every_entry_has_a_source() {
        let d = Data::shipped();
        assert!(d.institutions.len() >= 25);
        assert!(d.citations.len() >= 10);
        assert_eq!(d.articles_2007_to_2019.get(&24), Some(&33));
        for i in &d.institutions {
            assert!(!i.source.is_empty() && !i.old.is_empty(), "{:?}", i.old);
        }
        for c in &d.citations {
            assert!(!c.source.is_empty(), "{:?}", c.patterns);
            assert!(["LAW001", "LAW002", "LAW003"].contains(&c.rule.as_str()));
        }
        for t in &d.typos {
            assert!(!t.source.is_empty());
        }
        assert!(d.pii.mobile_prefixes.iter().all(|p| p.len() == 3));
    }

    #[test]
    fn only_confirmed_rows_may_be_errors() {
        let d = Data::shipped();
        for i in &d.institutions {
            if i.status != Status::Confirmed {
                assert_eq!(i.max_severity(), Severity::Warning);
            }
        }
    }
}
