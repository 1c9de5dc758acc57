//! Presentation only: event descriptions, stages, times and the deadline line.

use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, Utc};
use gongkai_ledger::calendar::date_zh;
use gongkai_ledger::text::Lang;
use gongkai_ledger::{ApplicationState, Event, Notice};
use gongkai_service::records::Names;
use gongkai_store::Review;
use gongkai_store::model::china_offset;

use super::Session;

pub(super) fn stage_text(st: &ApplicationState) -> String {
    match (st.closure, st.decision) {
        (Some(c), Some(d)) => format!("{}（{c}，{}）", st.stage.label_zh(), d.label_zh()),
        (None, Some(d)) => format!("{}（{}）", st.stage.label_zh(), d.label_zh()),
        _ => st.stage.label_zh().to_string(),
    }
}

pub(super) fn time_cn(t: DateTime<Utc>) -> String {
    t.with_timezone(&china_offset())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// One line about an event (the shared wording of `gongkai_ledger::text`), e.g.
/// `延长答复期限：延长 20 个工作日，批准人 zhu，2025年4月2日告知申请人`.
pub(super) fn describe(cx: &Session, e: &Event) -> String {
    let lang = if cx.en() { Lang::En } else { Lang::Zh };
    gongkai_ledger::text::describe(e, lang)
}

pub(super) fn deadline_line(
    cx: &Session,
    st: &ApplicationState,
    out: &mut impl Write,
) -> Result<()> {
    match st.deadline() {
        Some(d) if st.is_open() => {
            let label = if cx.en() {
                "Reply deadline"
            } else {
                "答复期限"
            };
            writeln!(out, "{label}：{}", date_zh(d))?;
        }
        _ => {}
    }
    Ok(())
}

pub(super) fn notices<'a>(
    notices: impl IntoIterator<Item = &'a Notice>,
    out: &mut impl Write,
) -> Result<()> {
    for n in notices {
        writeln!(out, "提醒：{n}")?;
    }
    Ok(())
}

/// A review and its steps, people by their display names.
pub(super) fn review(cx: &Session, r: &Review, names: &Names, out: &mut impl Write) -> Result<()> {
    let status = if cx.en() {
        r.status.label_en()
    } else {
        r.status.label_zh()
    };
    writeln!(out, "{}：{status}", if cx.en() { "Review" } else { "审核" })?;
    for s in &r.steps {
        let note = s
            .note
            .as_deref()
            .map(|n| format!("：{n}"))
            .unwrap_or_default();
        writeln!(
            out,
            "  {} {}（{}）{}{note}",
            time_cn(s.at),
            names.of(&s.actor),
            s.actor_role.label_zh(),
            s.action.label_zh()
        )?;
    }
    if let Some(a) = r.approved() {
        let c = &a.snapshot;
        let get = |k: &str| c.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        if let Some(label) = c.get("decision_label").and_then(|v| v.as_str()) {
            writeln!(
                out,
                "  批准的内容：{label}；理由：{}；摘要 {}",
                c.get("reason").and_then(|v| v.as_str()).unwrap_or("（无）"),
                get("digest").chars().take(12).collect::<String>()
            )?;
        }
    }
    Ok(())
}
