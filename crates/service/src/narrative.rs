//! The annual report finished by the office: the narrative of the six sections (一 总体情况,
//! 五 存在的主要问题及改进情况 and 六 其他需要报告的事项 above all; the short running text of
//! 二 to 四 around their tables too) and the 落款 (agency and date), written over the drafts
//! the ledger computes and saved in versions with their history.
//!
//! Before the annual report is submitted for review — which closes the year and freezes
//! its figures — [`Service::ready_to_submit`] requires
//! * the year to be over: submission opens on 1 January of the next year (the service's
//!   clock, [`Service::current_date`]);
//! * no finding of severity error on the report as it would be frozen: in particular no
//!   placeholder left from the drafts (TXT005: 【请填写。】, XX, ××, 待补充 …).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use gongkai_ledger::calendar::date_zh;
use gongkai_report::{Location, PrintedDate, Report};
use gongkai_store::{Narrative, NarrativeText, ReviewAction, ReviewStatus, ReviewSubject};
use serde::Serialize;

use crate::actor::Actor;
use crate::error::ServiceError;
use crate::year_end::check_year;
use crate::{Result, Service};

/// The longest text of one section, in characters.
pub const MAX_SECTION_CHARS: usize = 20_000;
/// The longest 落款 agency name.
const MAX_SIGNED_BY_CHARS: usize = 100;

/// Section numbers as written: `一` … `六`, `1` … `6` (also `第一部分`, `五、`).
pub fn section_number(text: &str) -> Result<u8> {
    const NUM: [&str; 6] = ["一", "二", "三", "四", "五", "六"];
    let t = text
        .trim()
        .trim_start_matches('第')
        .trim_end_matches(['、', '.', '．'])
        .trim_end_matches("部分");
    let n = NUM
        .iter()
        .position(|n| *n == t)
        .map(|i| i as u8 + 1)
        .or_else(|| t.parse::<u8>().ok().filter(|n| (1..=6).contains(n)));
    n.ok_or_else(|| {
        ServiceError::invalid(
            "部分",
            format!(
                "“{}”不是年度报告的部分（应为 一 至 六，或 1 至 6）",
                text.trim()
            ),
        )
    })
}

/// The narrative of a year as the year-end page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct NarrativeView {
    pub year: i32,
    /// The ledger's drafts of the six sections (computed now).
    pub drafts: Vec<String>,
    /// The text of the six sections in the report: the saved version over the drafts.
    pub sections: Vec<String>,
    /// Which of the six the office wrote (true) or still the draft (false).
    pub written: Vec<bool>,
    /// The 落款 in the report: the saved agency, or the office's name.
    pub signed_by: String,
    pub signed_on: Option<NaiveDate>,
    /// The version in the report, if any was saved.
    pub current: Option<Narrative>,
    /// Every saved version, newest first.
    pub history: Vec<Narrative>,
    /// Whether it may be changed now (not while the report is under review or approved).
    pub editable: bool,
    pub status: ReviewStatus,
}

/// Puts `text` into `report`: the sections written, the 落款 agency and date.
pub fn apply(report: &mut Report, text: &NarrativeText) {
    for s in &mut report.sections {
        if let Some(t) = text.sections.get(&s.number) {
            s.text.clone_from(t);
        }
    }
    if let Some(by) = &text.signed_by {
        report.meta.signed_by = Some(by.clone());
    }
    if let Some(d) = text.signed_on {
        report.meta.dates = vec![PrintedDate {
            date: d.format("%Y-%m-%d").to_string(),
            text: date_zh(d),
            loc: Location::None,
        }];
    }
}

/// The text as stored: `\r\n` → `\n`, trailing spaces of lines removed, and white space
/// at both ends.
fn clean(text: &str) -> String {
    let t = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = t.lines().map(str::trim_end).collect();
    lines.join("\n").trim().to_string()
}

/// Checks and cleans what a front end sends: sections 1..=6, an empty text means “back
/// to the draft”, lengths, a 落款 date inside or after the report year.
pub fn normalise(year: i32, text: NarrativeText) -> Result<NarrativeText> {
    let mut sections = BTreeMap::new();
    for (n, t) in text.sections {
        if !(1..=6).contains(&n) {
            return Err(ServiceError::invalid(
                "部分",
                format!("{n} 不是年度报告的部分（应为 1 至 6）"),
            ));
        }
        let t = clean(&t);
        if t.chars().count() > MAX_SECTION_CHARS {
            return Err(ServiceError::invalid(
                "正文",
                format!("第{n}部分超过 {MAX_SECTION_CHARS} 个字"),
            ));
        }
        if !t.is_empty() {
            sections.insert(n, t);
        }
    }
    let signed_by = text
        .signed_by
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if signed_by
        .as_ref()
        .is_some_and(|s| s.chars().count() > MAX_SIGNED_BY_CHARS || s.contains('\n'))
    {
        return Err(ServiceError::invalid(
            "落款机关",
            format!("应为一行、不超过 {MAX_SIGNED_BY_CHARS} 个字"),
        ));
    }
    if let Some(d) = text.signed_on
        && d.year() < year
    {
        return Err(ServiceError::invalid(
            "落款日期",
            format!("{} 早于报告年度 {year} 年", date_zh(d)),
        ));
    }
    Ok(NarrativeText {
        sections,
        signed_by,
        signed_on: text.signed_on,
    })
}

/// Refuses to close `year` on `today`: a year is closed from 1 January of the next year.
pub fn check_year_over(year: i32, today: NaiveDate) -> Result<()> {
    if today.year() > year {
        Ok(())
    } else {
        Err(ServiceError::YearNotOver { year, today })
    }
}

impl Service {
    /// The narrative of `year`: drafts, what the report says, the saved versions.
    pub async fn narrative(&self, year: i32) -> Result<NarrativeView> {
        let official = self.official_year_end(year, None).await?;
        let history: Vec<Narrative> = self
            .store
            .narratives(official.year)
            .await?
            .into_iter()
            .rev()
            .collect();
        let current = official.narrative.clone();
        let written = (1..=6u8)
            .map(|n| {
                current
                    .as_ref()
                    .is_some_and(|c| c.text.sections.contains_key(&n))
            })
            .collect();
        let report = &official.year_end.report;
        let status = official.review.status;
        Ok(NarrativeView {
            year: official.year,
            drafts: official.drafts.clone(),
            sections: report.sections.iter().map(|s| s.text.clone()).collect(),
            written,
            signed_by: report.meta.signed_by.clone().unwrap_or_default(),
            signed_on: current.as_ref().and_then(|c| c.text.signed_on),
            current,
            history,
            editable: matches!(status, ReviewStatus::NotSubmitted | ReviewStatus::SentBack),
            status,
        })
    }

    /// Saves a new version of the narrative (信息员 or 办公室主任; not while the report is
    /// under review or approved). Sections left out keep the draft; saving what the last
    /// version says adds no version.
    pub async fn save_narrative(
        &self,
        actor: &Actor,
        year: i32,
        text: NarrativeText,
        note: Option<String>,
    ) -> Result<Narrative> {
        crate::limits::check(&text)?;
        crate::limits::opt("note", note.as_deref())?;
        let year = check_year(year)?;
        let mut text = normalise(year, text)?;
        // A section sent back as the ledger drafted it keeps following the draft.
        let drafts = self
            .for_actor(actor)
            .official_year_end(year, None)
            .await?
            .drafts;
        text.sections
            .retain(|n, t| drafts.get(usize::from(*n) - 1).map(|d| clean(d)).as_ref() != Some(&*t));
        let n = self
            .store
            .save_narrative(year, text, note, &actor.stamp())
            .await;
        let n = self
            .refused(
                actor,
                "narrative.save",
                &year.to_string(),
                n.map_err(Into::into),
            )
            .await?;
        tracing::info!(year, version = n.version, user = actor.name(), via = ?actor.via(), "narrative saved");
        Ok(n)
    }

    /// Saves a new version with `changes` over the latest one: the sections it names
    /// (an empty text puts the draft back), the 落款 agency and date if given; the rest
    /// stays.
    pub async fn update_narrative(
        &self,
        actor: &Actor,
        year: i32,
        changes: NarrativeText,
        note: Option<String>,
    ) -> Result<Narrative> {
        crate::limits::check(&changes)?;
        let year = check_year(year)?;
        let mut next = self
            .store
            .narrative_as_of(year, None)
            .await?
            .map(|n| n.text)
            .unwrap_or_default();
        next.sections.extend(changes.sections);
        if changes.signed_by.is_some() {
            next.signed_by = changes.signed_by;
        }
        if changes.signed_on.is_some() {
            next.signed_on = changes.signed_on;
        }
        self.save_narrative(actor, year, next, note).await
    }

    /// What must hold before the annual report of `year` is submitted for review (module
    /// docs): the year over on the service's clock, no error on the report.
    pub async fn ready_to_submit(&self, year: i32) -> Result<()> {
        let year = check_year(year)?;
        check_year_over(year, self.current_date())?;
        let official = self.official_year_end(year, None).await?;
        let errors: Vec<String> = gongkai_check::check(&official.year_end.report)
            .into_iter()
            .filter(|f| f.severity == gongkai_check::Severity::Error)
            .map(|f| format!("[{}] {}", f.code, f.message_zh))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::ReportHasErrors { year, errors })
        }
    }
}

impl Service {
    /// Called before every review step: a submission of an annual report by someone who
    /// may submit it must pass [`Service::ready_to_submit`] (others get the store's refusal
    /// of their role or turn).
    pub(crate) async fn guard_step(
        &self,
        actor: &Actor,
        subject: &ReviewSubject,
        action: ReviewAction,
    ) -> Result<()> {
        if let (ReviewSubject::AnnualReport { year }, ReviewAction::Submit) = (subject, action) {
            let current = self.store_for(actor).review(subject).await?;
            if crate::review::allowed(&current, actor).submit {
                self.for_actor(actor).ready_to_submit(*year).await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_year_closes_on_the_first_of_january() {
        let e = check_year_over(2025, d(2025, 12, 31)).unwrap_err();
        assert_eq!(e.code(), "year_not_over");
        assert!(e.to_string().contains("2025 年度尚未结束"), "{e}");
        assert!(e.to_string().contains("2025年12月31日"), "{e}");
        check_year_over(2025, d(2026, 1, 1)).unwrap();
        check_year_over(2025, d(2027, 6, 1)).unwrap();
        assert!(check_year_over(2026, d(2025, 6, 1)).is_err());
    }

    #[test]
    fn section_numbers() {
        for (t, n) in [
            ("一", 1),
            ("五", 5),
            ("六", 6),
            ("3", 3),
            ("第六部分", 6),
            ("五、", 5),
        ] {
            assert_eq!(section_number(t).unwrap(), n, "{t}");
        }
        for t in ["七", "0", "7", "", "总体情况"] {
            assert!(section_number(t).is_err(), "{t}");
        }
    }

    #[test]
    fn texts_are_cleaned_and_checked() {
        let mut sections = BTreeMap::new();
        sections.insert(1, "第一段  \r\n第二段\r\n\r\n".to_string());
        sections.insert(6, "  \n ".to_string());
        let t = normalise(
            2025,
            NarrativeText {
                sections,
                signed_by: Some(" 某市某局 ".into()),
                signed_on: Some(d(2026, 1, 20)),
            },
        )
        .unwrap();
        assert_eq!(t.sections.get(&1).unwrap(), "第一段\n第二段");
        assert!(!t.sections.contains_key(&6), "blank is back to the draft");
        assert_eq!(t.signed_by.as_deref(), Some("某市某局"));
        let mut bad = BTreeMap::new();
        bad.insert(7, "x".to_string());
        let e = normalise(
            2025,
            NarrativeText {
                sections: bad,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("部分"), "{e}");
        let e = normalise(
            2025,
            NarrativeText {
                signed_on: Some(d(2024, 12, 1)),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("落款日期"), "{e}");
    }
}
