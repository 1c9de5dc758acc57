//! The register's settings, per agency.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::register::index_number::IndexScheme;
use crate::register::taxonomy::Taxonomy;

/// Review levels when nothing else is set: 信息员初审 → 办公室主任复审 → 分管领导审核.
pub const DEFAULT_REVIEW_LEVELS: u8 = 3;

/// How often withheld items are re-assessed (art. 18 says 定期 without a period:
/// UNCONFIRMED, so configurable; the default is once a year).
pub const DEFAULT_REASSESS_MONTHS: u32 = 12;

/// How many working days before the art. 26 deadline an item is listed as due soon.
pub const DEFAULT_DUE_SOON_WORKING_DAYS: u32 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterSettings {
    /// The 索引号 template.
    pub index_scheme: IndexScheme,
    /// 主题分类.
    pub topics: Taxonomy,
    /// 体裁.
    pub genres: Taxonomy,
    /// Review levels (1–3) by 体裁; a genre not listed takes `default_review_levels`.
    /// E.g. `{"通知": 2}`: routine notices need 初审 and 复审 only. The number of levels is
    /// local practice, not law (`proactive-and-portal.md` §2.2).
    pub review_levels: BTreeMap<String, u8>,
    pub default_review_levels: u8,
    /// Art. 18 re-assessment period for withheld items, in months.
    pub reassess_months: u32,
    /// Listed as due soon this many working days before the art. 26 deadline.
    pub due_soon_working_days: u32,
    /// The code `{code}` stands for in the 索引号 (e.g. the 统一社会信用代码 or the
    /// organisation code); empty: the agency's code on the platform.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub index_code: String,
}

impl Default for RegisterSettings {
    fn default() -> Self {
        RegisterSettings {
            index_scheme: IndexScheme::default(),
            topics: Taxonomy::default_topics(),
            genres: Taxonomy::default_genres(),
            review_levels: BTreeMap::new(),
            default_review_levels: DEFAULT_REVIEW_LEVELS,
            reassess_months: DEFAULT_REASSESS_MONTHS,
            due_soon_working_days: DEFAULT_DUE_SOON_WORKING_DAYS,
            index_code: String::new(),
        }
    }
}

impl RegisterSettings {
    /// The review levels an item of `genre` needs (1–3).
    pub fn review_levels_for(&self, genre: &str) -> u8 {
        self.review_levels
            .get(genre.trim())
            .copied()
            .unwrap_or(self.default_review_levels)
            .clamp(1, 3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_by_genre_with_a_default() {
        let mut s = RegisterSettings::default();
        assert_eq!(s.review_levels_for("通知"), 3);
        s.review_levels.insert("通知".into(), 2);
        assert_eq!(s.review_levels_for(" 通知 "), 2);
        s.review_levels.insert("函".into(), 9);
        assert_eq!(s.review_levels_for("函"), 3);
    }

    #[test]
    fn missing_fields_take_defaults() {
        let s: RegisterSettings = serde_json::from_str(r#"{"reassess_months": 6}"#).unwrap();
        assert_eq!(s.reassess_months, 6);
        assert_eq!(s.index_scheme, IndexScheme::default());
        assert_eq!(s.genres, Taxonomy::default_genres());
    }
}
