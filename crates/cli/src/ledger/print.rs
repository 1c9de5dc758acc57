//! Presentation only: event descriptions, stages, times and the deadline line.

use std::io::Write;

use anyhow::Result;
use chrono::{DateTime, Utc};
use gongkai_ledger::calendar::date_zh;
use gongkai_ledger::{ApplicationState, Event, EventKind, Notice};
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

/// One line about an event's content, e.g. `延长答复期限 20 个工作日（zhu 批准，2025年4月2日告知申请人）`.
pub(super) fn describe(e: &Event) -> String {
    let label = e.kind.event_type().label_zh();
    match &e.kind {
        EventKind::Received { channel } => format!("{label}（{}）", channel.label_zh()),
        EventKind::CorrectionRequested { items, due } => {
            format!("{label}：{items}；补正期限 {}", date_zh(*due))
        }
        EventKind::ConsultationSent {
            consultation,
            party,
        } => {
            let party: String = party.chars().take(40).collect();
            format!(
                "{}（{}）：{party}",
                consultation.label_zh(),
                consultation.article_zh()
            )
        }
        EventKind::ConsultationAnswered {
            consultation_seq,
            consents,
        } => {
            let answer = match consents {
                Some(true) => "，同意公开",
                Some(false) => "，不同意公开",
                None => "",
            };
            format!("{label}（第 {consultation_seq} 项）{answer}")
        }
        EventKind::Extended {
            days,
            approved_by,
            applicant_notified_on,
        } => format!(
            "{label} {days} 个工作日（{approved_by} 批准，{} 告知申请人）",
            date_zh(*applicant_notified_on)
        ),
        EventKind::FeeNoticeSent { amount, .. } => format!("{label}：{amount} 元"),
        EventKind::FeePaid { amount } => format!("{label}：{amount} 元"),
        EventKind::DelayedReplyNotice { deadline, reason } => {
            format!("{label}：{}（{reason}）", date_zh(*deadline))
        }
        EventKind::Decided { decision } => {
            format!("{label}：{}（{}）", decision.label_zh(), decision.article())
        }
        EventKind::ReplySent { method } => format!("{label}（{}）", method.label_zh()),
        EventKind::Withdrawn { reason: Some(r) } => format!("{label}：{r}"),
        EventKind::Amended { changes, reason } => format!(
            "{label}：{}（理由：{reason}）",
            changes
                .iter()
                .map(|c| c.describe_zh())
                .collect::<Vec<_>>()
                .join("；")
        ),
        _ => label.to_string(),
    }
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

pub(super) fn review(cx: &Session, r: &Review, out: &mut impl Write) -> Result<()> {
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
            s.actor,
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
