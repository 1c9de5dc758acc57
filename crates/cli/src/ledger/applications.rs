//! `apply`, `event`, `show`, `list`: parse, call the service, print.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use gongkai_ledger::calendar::date_zh;
use gongkai_ledger::text::mask_id_number;
use gongkai_ledger::{
    Applicant, ApplicationId, ConsultationKind, Contact, EventKind, IdDocument, Identity,
    InformationRequest,
};
use gongkai_service::applications::DraftKind;
use gongkai_service::{EventDraft, FeeDraft, ListFilter, Service};
use gongkai_store::{EventInput, NewApplication};

use super::Session;
use super::args::{ApplyArgs, EventCommand, ListArgs};
use super::print::{deadline_line, describe, notices, review, stage_text, time_cn};

pub(super) async fn apply(cx: &Session, a: ApplyArgs, out: &mut impl Write) -> Result<ExitCode> {
    let actor = cx.actor().await?;
    let identity = a.id_number.map(|number| Identity {
        document: IdDocument::default_for(a.applicant_type),
        number,
    });
    let new = NewApplication {
        id: a.id.map(ApplicationId),
        applicant: Applicant {
            kind: a.applicant_type,
            name: a.name,
            identity,
            contact: Contact {
                phone: a.phone,
                email: a.email,
                address: a.address,
                postcode: None,
            },
            representative: None,
        },
        request: InformationRequest {
            description: a.request,
            document_number: a.document_number,
            form: a.form,
            delivery: a.delivery,
            fee_units: a.units,
        },
        received: Some(EventInput {
            date: a.received,
            kind: EventKind::Received {
                channel: a.channel.with_dates(a.arrived, a.received),
            },
            note: a.note,
        }),
    };
    let r = cx.service.register(&actor, new).await?;
    let app = &r.application;
    if cx.en() {
        writeln!(out, "Registered application {}", app.id)?;
    } else {
        writeln!(out, "已登记申请 {}（{}）", app.id, app.applicant.name)?;
    }
    deadline_line(cx, &r.state, out)?;
    notices(&r.state.notices, out)?;
    Ok(ExitCode::SUCCESS)
}

fn draft_kind(kind: EventCommand) -> DraftKind {
    let complete = DraftKind::Complete;
    match kind {
        EventCommand::CorrectionRequested { items, due } => {
            complete(EventKind::CorrectionRequested { items, due })
        }
        EventCommand::Corrected => complete(EventKind::Corrected),
        EventCommand::NotCorrected => complete(EventKind::NotCorrected),
        EventCommand::Consultation { party, co_producer } => {
            complete(EventKind::ConsultationSent {
                consultation: if co_producer {
                    ConsultationKind::CoProducer
                } else {
                    ConsultationKind::ThirdParty
                },
                party,
            })
        }
        EventCommand::ConsultationAnswered {
            consultation,
            consents,
        } => complete(EventKind::ConsultationAnswered {
            consultation_seq: consultation,
            consents,
        }),
        EventCommand::Extension {
            days,
            approved_by,
            notified,
        } => DraftKind::Extended {
            days,
            approved_by,
            applicant_notified_on: notified,
        },
        EventCommand::FeeNotice {
            pages,
            units,
            earlier,
            amount,
            applicant_received,
        } => DraftKind::FeeNotice {
            basis: match pages {
                Some(pages) => FeeDraft::PerVolume { pages },
                None => FeeDraft::PerApplication {
                    units,
                    earlier_units: earlier,
                },
            },
            amount,
            received_by_applicant_on: applicant_received,
        },
        EventCommand::FeePaid { amount } => DraftKind::FeePaid { amount },
        EventCommand::FeeNotPaid => complete(EventKind::FeeNotPaid),
        EventCommand::DelayNotice { deadline, reason } => {
            complete(EventKind::DelayedReplyNotice { deadline, reason })
        }
        EventCommand::Decision { decision } => complete(EventKind::Decided { decision }),
        EventCommand::ReplySent { method } => complete(EventKind::ReplySent { method }),
        EventCommand::Withdrawn { reason } => complete(EventKind::Withdrawn { reason }),
    }
}

pub(super) async fn event(
    cx: &Session,
    id: &str,
    date: Option<NaiveDate>,
    note: Option<String>,
    kind: EventCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let actor = cx.actor().await?;
    let id = ApplicationId(id.trim().to_string());
    let draft = EventDraft {
        date: date.unwrap_or_else(Service::today),
        kind: draft_kind(kind),
        note,
    };
    let r = cx.service.append_event(&actor, &id, draft).await?;
    let e = &r.event;
    if cx.en() {
        writeln!(out, "Recorded event #{} of {id}", e.seq)?;
    } else {
        writeln!(
            out,
            "已登记：申请 {id} 第 {} 项 {}（{}）",
            e.seq,
            e.kind.event_type().label_zh(),
            date_zh(e.date)
        )?;
    }
    writeln!(
        out,
        "{}：{}",
        if cx.en() { "Stage" } else { "状态" },
        stage_text(&r.state)
    )?;
    deadline_line(cx, &r.state, out)?;
    notices(&r.new_notices, out)?;
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn show(
    cx: &Session,
    id: &str,
    as_of: Option<NaiveDate>,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let id = ApplicationId(id.trim().to_string());
    let d = cx.service.application(&id, as_of).await?;
    let (app, st) = (&d.application, &d.state);
    if json {
        let v = serde_json::json!({ "application": app, "state": st, "review": d.review });
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let date = as_of.unwrap_or_else(Service::today);
    let en = cx.en();
    let a = &app.applicant;
    let t = |zh: &'static str, e: &'static str| if en { e } else { zh };
    writeln!(out, "{} {}", t("申请", "Application"), app.id)?;
    writeln!(
        out,
        "{}：{}（{}）",
        t("申请人", "Applicant"),
        a.name,
        a.kind.label_zh()
    )?;
    if let Some(i) = &a.identity {
        writeln!(out, "{}：{}", t("证件", "Identity"), i.number)?;
    }
    let contact: Vec<&str> = [&a.contact.phone, &a.contact.email, &a.contact.address]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if !contact.is_empty() {
        writeln!(out, "{}：{}", t("联系方式", "Contact"), contact.join("；"))?;
    }
    writeln!(
        out,
        "{}：{}",
        t("所需信息", "Request"),
        app.request.description
    )?;
    if let Some(c) = &st.channel {
        writeln!(
            out,
            "{}：{}（{}）",
            t("渠道", "Channel"),
            c.label_zh(),
            c.receipt_rule_zh()
        )?;
    }
    writeln!(
        out,
        "{}（{} {}）：{}",
        t("状态", "Stage"),
        t("截至", "as of"),
        date_zh(date),
        stage_text(st)
    )?;
    if st.is_overdue() {
        writeln!(out, "⚠ {}", t("已超过答复期限", "OVERDUE"))?;
    }
    if let Some(clock) = &st.clock {
        write!(out, "{}", clock.explain_zh())?;
    } else if let Some(c) = &st.correction
        && c.corrected_on.is_none()
        && !c.lapsed
    {
        writeln!(
            out,
            "答复期限：补正期间不计算（补正期限 {}，收到补正后重新计算）",
            date_zh(c.due)
        )?;
    }
    notices(&st.notices, out)?;
    for bad in &st.invalid_events {
        writeln!(out, "无效事项：第 {} 项：{}", bad.seq, bad.message)?;
    }
    let names = cx.service.display_names().await?;
    writeln!(out, "{}：", t("办理事项", "Events"))?;
    for e in &app.events {
        writeln!(
            out,
            "  #{:<2} {}  {}",
            e.seq,
            e.date.format("%Y-%m-%d"),
            describe(cx, e)
        )?;
        let by = e.recorded_by.as_deref().map_or("-", |n| names.of(n));
        let mut meta = format!("登记：{by} {}", time_cn(e.recorded_at));
        if let Some(n) = &e.note {
            meta.push_str(&format!("；备注：{n}"));
        }
        writeln!(out, "       {meta}")?;
    }
    review(cx, &d.review, &names, out)?;
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn list(cx: &Session, a: ListArgs, out: &mut impl Write) -> Result<ExitCode> {
    let today = Service::today();
    let filter = ListFilter {
        offset: a.offset,
        limit: a.limit,
        ..a.filter.filter()
    };
    let listing = cx.service.list(&filter).await?;
    let rows = &listing.rows;
    if a.json {
        let items: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                let (a, s) = (&r.application, &r.state);
                serde_json::json!({
                    "id": a.id,
                    "applicant": a.applicant.name,
                    "id_number": a.applicant.identity.as_ref().map(|i| mask_id_number(&i.number)),
                    "received_on": s.received_on,
                    "stage": s.stage,
                    "decision": s.decision,
                    "deadline": s.deadline(),
                    "overdue": s.is_overdue(),
                    "closed_on": s.closed_on,
                })
            })
            .collect();
        // An array, as before paging came; the total is on the text output.
        serde_json::to_writer_pretty(&mut *out, &items)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        let none = if cx.en() {
            "No applications."
        } else {
            "没有符合条件的申请。"
        };
        writeln!(out, "{none}")?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{}",
        if cx.en() {
            "id          received    deadline    closed      stage / applicant"
        } else {
            "编号        收到日期    答复期限    办结日期    状态 / 申请人"
        }
    )?;
    for r in rows {
        let (a, s) = (&r.application, &r.state);
        let ymd = |d: Option<chrono::NaiveDate>| {
            d.map_or("-".to_string(), |d| d.format("%Y-%m-%d").to_string())
        };
        let received = ymd(s.received_on);
        let deadline = ymd(s.deadline().filter(|_| s.is_open()));
        let closed = ymd(s.closed_on);
        let mark = if s.is_overdue() {
            let days = s.deadline().map_or(0, |d| (today - d).num_days());
            if cx.en() {
                format!("  ⚠ OVERDUE by {days} days")
            } else {
                format!("  ⚠ 已超期 {days} 天")
            }
        } else if s.is_open()
            && let Some(d) = s.deadline()
        {
            let days = (d - today).num_days();
            if cx.en() {
                format!("  ({days} days left)")
            } else {
                format!("  （还有 {days} 天）")
            }
        } else {
            String::new()
        };
        let id_number = a
            .applicant
            .identity
            .as_ref()
            .map(|i| format!(" {}", mask_id_number(&i.number)))
            .unwrap_or_default();
        writeln!(
            out,
            "{:<11} {received}  {deadline:<10}  {closed:<10}  {} / {}{id_number}{mark}",
            a.id.0,
            stage_text(s),
            a.applicant.name
        )?;
    }
    if listing.total > rows.len() {
        let (from, to) = (listing.offset + 1, listing.offset + rows.len());
        if cx.en() {
            writeln!(out, "{from}–{to} of {}", listing.total)?;
        } else {
            writeln!(out, "共 {} 件，此为第 {from}–{to} 件", listing.total)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
