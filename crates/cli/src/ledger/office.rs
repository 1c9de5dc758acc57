//! `gongkai ledger settings` and the office options of `init`: the organs named in the
//! reply letters' remedy paragraph and the default calendar directory.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use gongkai_ledger::OfficeSettings;
use gongkai_service::letters::{DEFAULT_COURT, DEFAULT_ORGAN};

use super::Session;

/// The office settings as options (each one optional: only those given change).
#[derive(Debug, Args, Default)]
pub(crate) struct OfficeArgs {
    /// 行政复议机关（答复书救济途径中写明），如“某某县人民政府”；空字符串清除 /
    /// the reconsideration organ named in reply letters
    #[arg(long, value_name = "NAME")]
    reconsideration_organ: Option<String>,
    /// 管辖法院（答复书救济途径中写明），如“某某县人民法院”；空字符串清除 / the court named
    /// in reply letters
    #[arg(long, value_name = "NAME")]
    court: Option<String>,
    /// 默认日历目录（保存在机关设置中，serve 和 ledger 未给 --calendar-dir 时读取）；空字符串清除
    /// / the calendar directory kept in the settings
    #[arg(long, value_name = "DIR")]
    default_calendar_dir: Option<String>,
}

impl OfficeArgs {
    fn is_empty(&self) -> bool {
        self.reconsideration_organ.is_none()
            && self.court.is_none()
            && self.default_calendar_dir.is_none()
    }

    /// `base` with the options given.
    pub(crate) fn apply(self, mut base: OfficeSettings) -> OfficeSettings {
        if let Some(v) = self.reconsideration_organ {
            base.reconsideration_organ = v;
        }
        if let Some(v) = self.court {
            base.court = v;
        }
        if let Some(v) = self.default_calendar_dir {
            base.calendar_dir = Some(v);
        }
        base.normalised()
    }
}

/// Shows the settings, or changes those given (office head or admin).
pub(super) async fn settings(
    cx: &Session,
    args: OfficeArgs,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut office = cx.service.office().await?;
    if !args.is_empty() {
        let actor = cx.actor().await?;
        office = args.apply(office);
        cx.service.set_office(&actor, &office).await?;
    }
    let rules = cx.store().settings().await?;
    if json {
        let v = serde_json::json!({ "office": office, "rules": rules });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let shown = |v: &str, default: &str| {
        if v.is_empty() {
            format!("（未设置，答复书写“{default}”）")
        } else {
            v.to_string()
        }
    };
    writeln!(
        out,
        "行政复议机关 / reconsideration organ: {}",
        shown(&office.reconsideration_organ, DEFAULT_ORGAN)
    )?;
    writeln!(
        out,
        "管辖法院 / court: {}",
        shown(&office.court, DEFAULT_COURT)
    )?;
    writeln!(
        out,
        "日历目录 / calendar directory: {}",
        office
            .calendar_dir
            .as_deref()
            .unwrap_or("（未设置，只用内置的 2023–2026 年）")
    )?;
    writeln!(
        out,
        "受理当日计入期限 / count_receipt_day: {}；收费期间暂停计时 / fee_window_pauses_clock: {}",
        rules.count_receipt_day, rules.fee_window_pauses_clock
    )?;
    Ok(ExitCode::SUCCESS)
}
