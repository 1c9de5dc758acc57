//! The register's settings as a form: the 索引号 template and code, the 主题分类 and 体裁
//! lists one entry a line, review levels by 体裁 (`通知=2` a line), the art. 18 period and
//! the due-soon window. Read from the agency's settings, written by 办公室主任 or 管理员.

use std::collections::BTreeMap;

use gongkai_ledger::register::{IndexScheme, RegisterSettings, Taxonomy};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::error::ServiceError;
use crate::{Result, Service};

/// The settings as text fields (what the settings page and the command line edit).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub index_scheme: String,
    pub index_code: String,
    /// One 主题分类 a line.
    pub topics: String,
    /// One 体裁 a line.
    pub genres: String,
    /// `体裁=级数` a line.
    pub review_levels: String,
    pub default_review_levels: String,
    pub reassess_months: String,
    pub due_soon_working_days: String,
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn number<T>(field: &'static str, s: &str, range: std::ops::RangeInclusive<T>) -> Result<T>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    let v: T = s
        .trim()
        .parse()
        .map_err(|_| ServiceError::invalid(field, format!("“{}”不是数字", s.trim())))?;
    if range.contains(&v) {
        Ok(v)
    } else {
        Err(ServiceError::invalid(
            field,
            format!("应在 {} 到 {} 之间", range.start(), range.end()),
        ))
    }
}

impl SettingsForm {
    /// The form showing `s`.
    pub fn from_settings(s: &RegisterSettings) -> Self {
        SettingsForm {
            index_scheme: s.index_scheme.template().to_string(),
            index_code: s.index_code.clone(),
            topics: s.topics.entries().join("\n"),
            genres: s.genres.entries().join("\n"),
            review_levels: s
                .review_levels
                .iter()
                .map(|(g, n)| format!("{g}={n}"))
                .collect::<Vec<_>>()
                .join("\n"),
            default_review_levels: s.default_review_levels.to_string(),
            reassess_months: s.reassess_months.to_string(),
            due_soon_working_days: s.due_soon_working_days.to_string(),
        }
    }

    /// The settings the form says; the first field that cannot be read, named.
    pub fn parse(&self) -> Result<RegisterSettings> {
        for (field, text) in [("主题分类", &self.topics), ("体裁", &self.genres)] {
            super::within(field, 20_000, text)?;
        }
        let index_scheme = IndexScheme::parse(&self.index_scheme)
            .map_err(|e| ServiceError::invalid("索引号规则", e.to_string()))?;
        let topics = Taxonomy(lines(&self.topics)).normalised();
        let genres = Taxonomy(lines(&self.genres)).normalised();
        let mut review_levels = BTreeMap::new();
        for l in lines(&self.review_levels) {
            let (g, n) = l.split_once(['=', '＝', ':', '：']).ok_or_else(|| {
                ServiceError::invalid("审核级数", format!("“{l}”应写作 体裁=级数，例如 通知=2"))
            })?;
            let g = g.trim();
            if genres.accept(g).is_none() {
                return Err(ServiceError::invalid(
                    "审核级数",
                    format!("体裁“{g}”不在体裁列表中"),
                ));
            }
            review_levels.insert(g.to_string(), number("审核级数", n, 1u8..=3)?);
        }
        Ok(RegisterSettings {
            index_scheme,
            index_code: self.index_code.trim().to_string(),
            topics,
            genres,
            review_levels,
            default_review_levels: number("默认审核级数", &self.default_review_levels, 1u8..=3)?,
            reassess_months: number("定期评估周期（月）", &self.reassess_months, 1u32..=120)?,
            due_soon_working_days: number(
                "即将到期提醒（工作日）",
                &self.due_soon_working_days,
                0u32..=20,
            )?,
        })
    }
}

impl Service {
    /// The agency's register settings.
    pub async fn register_settings(&self, actor: &Actor) -> Result<RegisterSettings> {
        Ok(self.store_for(actor).register_settings().await?)
    }

    /// Changes the register settings from the form (办公室主任 or 管理员), audited.
    pub async fn set_register_settings(
        &self,
        actor: &Actor,
        form: &SettingsForm,
    ) -> Result<RegisterSettings> {
        let settings = form.parse()?;
        let r = self
            .store_for(actor)
            .set_register_settings(settings, &actor.stamp())
            .await;
        self.refused(actor, "register_settings.set", "", r.map_err(Into::into))
            .await
    }
}
