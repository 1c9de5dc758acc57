//! The reply deadline of art. 33, computed from the log and able to explain itself.
//!
//! Rules (CONFIRMED unless marked):
//!
//! * 20 working days from receipt (art. 33); after a correction, from the day the corrected
//!   application is received (art. 30).
//! * The day of receipt is not counted; day 1 is the next working day (UNCONFIRMED for
//!   disclosure, the rule of procedure law: [`crate::Settings::count_receipt_day`]). The
//!   deadline is always a working day, so a period never ends on a holiday.
//! * An extension adds at most 20 working days (art. 33, para. 2).
//! * Time spent consulting third parties (art. 32) or co-producers (art. 34) is not counted
//!   (art. 33, para. 3). A consultation pauses the clock on the working days after the
//!   letter was sent up to and including the day the answer arrived, at most 15 working
//!   days (the parties' time limit; silence ends the pause). The exact days are DERIVED.
//! * The fee payment window pauses the clock only if
//!   [`crate::Settings::fee_window_pauses_clock`] is set (UNCONFIRMED): from the day after
//!   the notice up to payment, at most the 20-working-day window.
//! * A delayed reply deadline fixed by notice under art. 35 replaces the computed one.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::calendar::{
    Calendar, CalendarWarning, DayKind, Warnings, date_zh, next_day, weekday_zh,
};
use crate::event::ConsultationKind;
use crate::settings::Settings;

/// Working days to reply (art. 33).
pub const REPLY_DAYS: u32 = 20;
/// The longest extension (art. 33).
pub const MAX_EXTENSION_DAYS: u32 = 20;
/// Working days to ask for a correction (art. 30).
pub const CORRECTION_REQUEST_DAYS: u32 = 7;
/// Working days a consulted party has to answer (arts 32, 34).
pub const CONSULTATION_DAYS: u32 = 15;

/// Why the clock stood still.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PauseReason {
    Consultation {
        consultation: ConsultationKind,
        party: String,
    },
    FeeWindow,
}

/// A stretch of days not counted: the working days in `(after, until]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// The event that started it.
    pub seq: u32,
    pub reason: PauseReason,
    /// The day the pause began (not itself paused: the letter went out that day).
    pub after: NaiveDate,
    /// The last paused day.
    pub until: NaiveDate,
    /// The event that ended it (answer, payment), if any.
    pub ended_by: Option<u32>,
    /// True when, on the state's date, the pause is still running; `until` is then the
    /// latest day it can run to.
    pub open: bool,
    /// Working days in `(after, until]`.
    pub working_days: u32,
}

/// Where counting starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockStart {
    pub seq: u32,
    pub date: NaiveDate,
    /// True when the clock restarted from a corrected application.
    pub corrected: bool,
    /// The original receipt, e.g. for the explanation of a restart.
    pub received_on: NaiveDate,
    /// e.g. `当面提交`.
    pub channel: String,
}

/// An extension (art. 33).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub seq: u32,
    pub date: NaiveDate,
    pub days: u32,
    pub approved_by: String,
    pub applicant_notified_on: NaiveDate,
}

/// A deadline fixed by notice (art. 35).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedDeadline {
    pub seq: u32,
    pub date: NaiveDate,
    pub deadline: NaiveDate,
    pub reason: String,
}

/// A run of holiday days inside the counting window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRun {
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Of which Monday–Friday (the days the holiday actually removed).
    pub weekdays: u32,
}

/// What the clock is computed from (built by the fold).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClockInput {
    pub start: ClockStart,
    pub extension: Option<Extension>,
    pub pauses: Vec<PauseSpec>,
    pub fixed: Option<FixedDeadline>,
}

/// A pause before its end is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PauseSpec {
    pub seq: u32,
    pub reason: PauseReason,
    pub after: NaiveDate,
    /// The latest last day (cap).
    pub cap: NaiveDate,
    /// The event that ended it and its date.
    pub ended: Option<(u32, NaiveDate)>,
}

/// The reply deadline with everything that made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyClock {
    /// The state's date.
    pub as_of: NaiveDate,
    pub start: ClockStart,
    /// Whether the start day is day 1 (setting).
    pub count_start_day: bool,
    /// 20.
    pub base_days: u32,
    pub extension: Option<Extension>,
    pub pauses: Vec<Pause>,
    pub fixed: Option<FixedDeadline>,
    /// 20 working days plus pauses, without extension.
    pub statutory_deadline: NaiveDate,
    /// With the extension (or the art. 35 date).
    pub deadline: NaiveDate,
    /// Working days counted towards the period.
    pub counted_days: u32,
    /// Working days inside the window that were not counted because of pauses.
    pub paused_days: u32,
    /// Holidays inside the counting window.
    pub holidays: Vec<HolidayRun>,
    /// Make-up working days inside the window (counted).
    pub make_up_days: Vec<NaiveDate>,
    pub warnings: Vec<CalendarWarning>,
}

impl ClockInput {
    pub(crate) fn compute(
        &self,
        as_of: NaiveDate,
        cal: &Calendar,
        settings: Settings,
    ) -> ReplyClock {
        let mut warnings = Warnings::default();
        let pauses: Vec<Pause> = self
            .pauses
            .iter()
            .map(|p| {
                let until = match p.ended {
                    Some((_, d)) => d.min(p.cap),
                    None => p.cap,
                };
                let until = until.max(p.after);
                let wd = cal.working_days_between(p.after, until);
                warnings.extend(&wd.warnings);
                Pause {
                    seq: p.seq,
                    reason: p.reason.clone(),
                    after: p.after,
                    until,
                    ended_by: p.ended.map(|(s, _)| s),
                    open: p.ended.is_none() && as_of < p.cap,
                    working_days: wd.value,
                }
            })
            .collect();
        let in_pause = |d: NaiveDate| pauses.iter().any(|p| p.after < d && d <= p.until);
        let base = REPLY_DAYS;
        let total = base + self.extension.as_ref().map_or(0, |e| e.days);
        let start = self.start.date;
        let mut d = if settings.count_receipt_day {
            start.pred_opt().unwrap_or(start)
        } else {
            start
        };
        let mut counted = 0;
        let mut paused = 0;
        let mut statutory = start;
        let mut holidays: Vec<HolidayRun> = Vec::new();
        let mut make_up = Vec::new();
        while counted < total {
            d = next_day(d);
            let (kind, covered) = cal.kind(d);
            if !covered {
                warnings.year(d.year());
            }
            match kind {
                DayKind::Holiday => {
                    let name = cal.day(d).holiday.unwrap_or_default();
                    let weekday = !matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
                    match holidays.last_mut() {
                        Some(run) if run.name == name && next_day(run.to) == d => {
                            run.to = d;
                            run.weekdays += u32::from(weekday);
                        }
                        _ => holidays.push(HolidayRun {
                            name,
                            from: d,
                            to: d,
                            weekdays: u32::from(weekday),
                        }),
                    }
                    continue;
                }
                DayKind::Weekend => continue,
                DayKind::MakeUpWorkday | DayKind::Workday => {}
            }
            if in_pause(d) {
                paused += 1;
                continue;
            }
            if kind == DayKind::MakeUpWorkday {
                make_up.push(d);
            }
            counted += 1;
            if counted == base {
                statutory = d;
            }
        }
        let deadline = match &self.fixed {
            Some(f) => f.deadline,
            None => d,
        };
        ReplyClock {
            as_of,
            start: self.start.clone(),
            count_start_day: settings.count_receipt_day,
            base_days: base,
            extension: self.extension.clone(),
            pauses,
            fixed: self.fixed.clone(),
            statutory_deadline: statutory,
            deadline,
            counted_days: counted,
            paused_days: paused,
            holidays,
            make_up_days: make_up,
            warnings: warnings.into_vec(),
        }
    }
}

/// One line of a deadline's explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockStep {
    /// The event behind the line, if any.
    pub seq: Option<u32>,
    pub text: String,
}

impl ReplyClock {
    /// The explanation as lines: start, holidays and make-up days, pauses, extension, fixed
    /// date, total, warnings. Each line names the event that caused it.
    pub fn steps(&self) -> Vec<ClockStep> {
        let mut out = Vec::new();
        let s = &self.start;
        let count_rule = if self.count_start_day {
            "收到当日为工作日的计为第1日"
        } else {
            "收到当日不计入，自次日起计算"
        };
        if s.corrected {
            out.push(ClockStep {
                seq: None,
                text: format!("{}收到申请（{}）。", dated(s.received_on), s.channel),
            });
            out.push(ClockStep {
                seq: Some(s.seq),
                text: format!(
                    "{}收到补正后的申请。依照条例第三十条，答复期限自收到补正后的申请之日起重新计算，共{}个工作日（条例第三十三条）；{count_rule}。",
                    dated(s.date),
                    self.base_days
                ),
            });
        } else {
            out.push(ClockStep {
                seq: Some(s.seq),
                text: format!(
                    "{}收到申请（{}）。依照条例第三十三条，应当自收到申请之日起{}个工作日内答复；{count_rule}。",
                    dated(s.date),
                    s.channel,
                    self.base_days
                ),
            });
        }
        if !self.holidays.is_empty() {
            let runs: Vec<String> = self
                .holidays
                .iter()
                .map(|h| {
                    let span = if h.from == h.to {
                        date_zh(h.from)
                    } else {
                        format!("{}至{}", date_zh(h.from), date_zh(h.to))
                    };
                    format!(
                        "{} {span}",
                        if h.name.is_empty() {
                            "节假日"
                        } else {
                            &h.name
                        }
                    )
                })
                .collect();
            out.push(ClockStep {
                seq: None,
                text: format!("期间内的法定节假日放假不计入：{}。", runs.join("；")),
            });
        }
        if !self.make_up_days.is_empty() {
            let days: Vec<String> = self.make_up_days.iter().map(|d| dated(*d)).collect();
            out.push(ClockStep {
                seq: None,
                text: format!("期间内的调休上班日按工作日计入：{}。", days.join("、")),
            });
        }
        for p in &self.pauses {
            let what = match &p.reason {
                PauseReason::Consultation {
                    consultation,
                    party,
                } => format!(
                    "{}（{party}，条例{}）",
                    consultation.label_zh(),
                    consultation.article_zh()
                ),
                PauseReason::FeeWindow => {
                    "申请人缴纳信息处理费的期间（按本机关设置不计入）".to_string()
                }
            };
            let end = if p.open {
                format!("尚未结束，最长至{}", date_zh(p.until))
            } else if p.ended_by.is_some() {
                format!("至{}结束", date_zh(p.until))
            } else {
                format!("期满未答复，至{}结束", date_zh(p.until))
            };
            out.push(ClockStep {
                seq: Some(p.seq),
                text: format!(
                    "{}{what}，{end}；其间{}个工作日依照条例第三十三条第三款不计算在期限内。",
                    dated(p.after),
                    p.working_days
                ),
            });
        }
        if let Some(e) = &self.extension {
            out.push(ClockStep {
                seq: Some(e.seq),
                text: format!(
                    "{}经{}同意延长答复期限{}个工作日，{}告知申请人（条例第三十三条第二款）；原期限为{}。",
                    dated(e.date),
                    e.approved_by,
                    e.days,
                    date_zh(e.applicant_notified_on),
                    date_zh(self.statutory_deadline)
                ),
            });
        }
        if let Some(f) = &self.fixed {
            out.push(ClockStep {
                seq: Some(f.seq),
                text: format!(
                    "{}依照条例第三十五条确定延迟答复期限至{}（{}），取代按工作日计算的期限。",
                    dated(f.date),
                    dated(f.deadline),
                    f.reason
                ),
            });
        }
        let mut total = format!("合计计入{}个工作日", self.counted_days);
        if self.paused_days > 0 {
            total.push_str(&format!("，暂停{}个工作日", self.paused_days));
        }
        total.push_str(&format!("，答复期限届满日为{}。", dated(self.deadline)));
        out.push(ClockStep {
            seq: None,
            text: total,
        });
        for w in &self.warnings {
            out.push(ClockStep {
                seq: None,
                text: format!("注意：{w}。"),
            });
        }
        out
    }

    /// The explanation as Chinese text, one numbered line per step under a heading.
    pub fn explain_zh(&self) -> String {
        let mut text = format!("答复期限：{}\n", dated(self.deadline));
        for (i, s) in self.steps().iter().enumerate() {
            text.push_str(&format!("{}. {}\n", i + 1, s.text));
        }
        text
    }
}

/// `2025年2月21日（星期五）`.
fn dated(d: NaiveDate) -> String {
    format!("{}（{}）", date_zh(d), weekday_zh(d))
}
