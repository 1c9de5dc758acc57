//! What each register write does inside its transaction: the acting user and role, the
//! domain's checks (`ItemDraft::validated`, `Publication::validate`), the rows, the
//! timeline entry and the audit row.

use chrono::Datelike;
use gongkai_ledger::Calendar;
use gongkai_ledger::register::{
    Disclosure, ItemDraft, ItemStage, PUBLISH_WITHIN_WORKING_DAYS, Publication, ReassessOutcome,
    RegisterSettings, next_reassessment,
};
use serde_json::json;

use crate::error::{Result, StoreError};
use crate::model::{Role, Stamp, User};
use crate::ops::{actor, audit, require};
use crate::register::hooks;
use crate::register::{
    AttachmentMeta, AttachmentRemoval, AttachmentText, ItemRecord, ItemVersion,
    MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, NewAttachment, PublicationRecord, Reassessment,
    RegisterConn, RegisterItem, SETTINGS_KEY, TimelineEntry, TimelineKind, VersionKind,
};

pub(crate) async fn settings<C: RegisterConn>(c: &mut C) -> Result<RegisterSettings> {
    match c.setting(SETTINGS_KEY).await? {
        None => Ok(RegisterSettings::default()),
        Some(s) => serde_json::from_str(&s).map_err(|e| StoreError::Corrupt {
            what: "主动公开登记设置".into(),
            detail: e.to_string(),
        }),
    }
}

pub(crate) async fn set_settings<C: RegisterConn>(
    c: &mut C,
    new: RegisterSettings,
    stamp: &Stamp,
) -> Result<RegisterSettings> {
    let me = actor(c, stamp).await?;
    require(&me, me.any(Role::can_configure), "修改主动公开登记设置")?;
    let old = settings(c).await?;
    let new = RegisterSettings {
        topics: new.topics.normalised(),
        genres: new.genres.normalised(),
        index_code: new.index_code.trim().to_string(),
        ..new
    };
    for (field, list) in [("主题分类", &new.topics), ("体裁", &new.genres)] {
        if list.entries().is_empty() {
            return Err(gongkai_ledger::register::RegisterError::EmptyField { field }.into());
        }
    }
    c.set_setting(
        SETTINGS_KEY,
        &serde_json::to_string(&new).unwrap_or_default(),
    )
    .await?;
    audit(
        c,
        stamp,
        "register_settings.set",
        "ledger",
        "register_settings",
        json!({ "before": old, "after": new }),
    )
    .await?;
    Ok(new)
}

fn may_record(me: &User, action: &'static str) -> Result<()> {
    require(me, me.any(Role::can_record), action)
}

fn refused(item: &RegisterItem, reason: impl Into<String>) -> StoreError {
    StoreError::ItemRefused {
        item: item.index_number.clone(),
        reason: reason.into(),
    }
}

pub(crate) async fn item<C: RegisterConn>(c: &mut C, id: i64) -> Result<RegisterItem> {
    c.item(id).await?.ok_or_else(|| StoreError::NotFound {
        what: "登记事项",
        id: id.to_string(),
    })
}

/// The SHA-256 of a version's content (its JSON, fields in declaration order).
pub(crate) fn content_hash(draft: &ItemDraft) -> String {
    crate::auth::sha256_hex(&serde_json::to_vec(draft).unwrap_or_default())
}

/// The row's catalogue fields from `draft` (the clock and re-assessment are set apart).
fn apply(item: &mut RegisterItem, draft: &ItemDraft) {
    item.title = draft.title.clone();
    item.organ = draft.organ.clone();
    item.formed_on = draft.formed_on;
    item.number = draft.number.clone();
    item.topic = draft.topic.clone();
    item.genre = draft.genre.clone();
    item.summary = draft.summary.clone();
    item.disclosure = draft.disclosure.clone();
    item.doc_kind = draft.validity.as_ref().map(|v| v.kind);
    item.validity = draft.validity.as_ref().map(|v| v.status);
    item.valid_until = draft.validity.as_ref().and_then(|v| v.ended_on);
    for o in &draft.outlets {
        if !item.outlets.contains(o) {
            item.outlets.push(*o);
        }
    }
    item.content_hash = content_hash(draft);
}

/// The art. 26 clock from `from` (none unless 主动公开).
fn set_clock(item: &mut RegisterItem, cal: &Calendar, from: Option<chrono::NaiveDate>) {
    item.clock_from = from.filter(|_| item.disclosure == Disclosure::Proactive);
    item.due_on = item
        .clock_from
        .map(|f| cal.add_working_days(f, PUBLISH_WITHIN_WORKING_DAYS).value);
}

async fn next_seq(c: &mut impl RegisterConn, id: i64) -> Result<u32> {
    Ok(c.timeline(id).await?.len() as u32 + 1)
}

async fn log<C: RegisterConn>(
    c: &mut C,
    item: &RegisterItem,
    kind: TimelineKind,
    reason: Option<String>,
    detail: serde_json::Value,
    stamp: &Stamp,
) -> Result<()> {
    let seq = next_seq(c, item.id).await?;
    let e = TimelineEntry {
        seq,
        kind,
        version: item.version,
        reason: reason.clone(),
        detail: detail.clone(),
        at: stamp.at,
        by: stamp.user.clone(),
    };
    c.insert_timeline(item.id, &e).await?;
    let mut detail = detail;
    if let serde_json::Value::Object(m) = &mut detail {
        m.insert("index_number".into(), item.index_number.clone().into());
        m.insert("version".into(), item.version.into());
        if let Some(r) = reason {
            m.insert("reason".into(), r.into());
        }
    }
    audit(
        c,
        stamp,
        &format!("register.{}", kind.as_str()),
        "register_item",
        &item.id.to_string(),
        detail,
    )
    .await
}

fn reason_of(reason: &str) -> Result<String> {
    let r = reason.trim();
    if r.is_empty() {
        Err(gongkai_ledger::register::RegisterError::EmptyField { field: "理由" }.into())
    } else {
        Ok(r.to_string())
    }
}

pub(crate) async fn register<C: RegisterConn>(
    c: &mut C,
    cal: &Calendar,
    draft: ItemDraft,
    today: chrono::NaiveDate,
    stamp: &Stamp,
) -> Result<RegisterItem> {
    c.lock_numbering().await?;
    let me = actor(c, stamp).await?;
    may_record(&me, "登记主动公开事项")?;
    let settings = settings(c).await?;
    let draft = draft.validated(&settings, today)?;
    let agency = c.this_agency().await?.ok_or(StoreError::NotInitialised)?;
    let code = if settings.index_code.is_empty() {
        agency.code.clone()
    } else {
        settings.index_code.clone()
    };
    let scheme = &settings.index_scheme;
    let year = if scheme.serial_per_year() {
        draft.formed_on.year()
    } else {
        0
    };
    // A number taken (the template was changed back and forth) is skipped.
    let mut index_number = String::new();
    for _ in 0..10_000 {
        let seq = c.next_serial(year).await?;
        let n = scheme.format(&code, draft.formed_on, u64::try_from(seq).unwrap_or(0));
        if !c.index_number_taken(&n).await? {
            index_number = n;
            break;
        }
    }
    if index_number.is_empty() {
        return Err(StoreError::Duplicate {
            what: "索引号",
            id: scheme.template().to_string(),
        });
    }
    let id = c.next_item_id().await?;
    let mut item = RegisterItem {
        id,
        index_number,
        version: 1,
        stage: ItemStage::Draft,
        title: String::new(),
        organ: String::new(),
        formed_on: draft.formed_on,
        number: None,
        topic: String::new(),
        genre: String::new(),
        summary: String::new(),
        disclosure: Disclosure::Proactive,
        doc_kind: None,
        validity: None,
        valid_until: None,
        outlets: Vec::new(),
        clock_from: None,
        due_on: None,
        first_published_on: None,
        published_version: None,
        reassess_on: None,
        withdrawn_at: None,
        content_hash: String::new(),
        created_at: stamp.at,
        created_by: me.name.clone(),
        updated_at: stamp.at,
    };
    apply(&mut item, &draft);
    set_clock(&mut item, cal, Some(draft.formed_on));
    if matches!(item.disclosure, Disclosure::Withheld { .. }) {
        item.reassess_on = Some(next_reassessment(today, settings.reassess_months));
    }
    item.stage = hooks::derive_stage(c, &item).await?;
    c.insert_item(&item).await?;
    c.insert_version(
        id,
        &ItemVersion {
            version: 1,
            kind: VersionKind::Created,
            content_hash: item.content_hash.clone(),
            draft,
            reason: None,
            recorded_at: stamp.at,
            recorded_by: me.name,
        },
    )
    .await?;
    log(
        c,
        &item,
        TimelineKind::Created,
        None,
        json!({ "title": item.title, "disclosure": item.disclosure.label_zh() }),
        stamp,
    )
    .await?;
    Ok(item)
}

/// Writes a new version of `item` (kind, reason) if its content changed; `None` if not.
#[allow(clippy::too_many_arguments)]
async fn new_version<C: RegisterConn>(
    c: &mut C,
    cal: &Calendar,
    item: &mut RegisterItem,
    draft: ItemDraft,
    kind: VersionKind,
    reason: Option<String>,
    reassess_from: Option<chrono::NaiveDate>,
    stamp: &Stamp,
) -> Result<bool> {
    let hash = content_hash(&draft);
    if hash == item.content_hash {
        return Ok(false);
    }
    let was = item.disclosure.clone();
    apply(item, &draft);
    item.version += 1;
    item.updated_at = stamp.at;
    if item.first_published_on.is_none() && kind == VersionKind::Edited {
        // Before publication the clock follows the 生成日期 as now entered.
        set_clock(item, cal, Some(draft.formed_on));
    } else if was != item.disclosure {
        // 公开属性 changed: a clock starts on the day of the change.
        set_clock(item, cal, reassess_from);
    }
    let settings = settings(c).await?;
    item.reassess_on = match (&item.disclosure, reassess_from, item.reassess_on) {
        (Disclosure::Withheld { .. }, Some(from), _) => {
            Some(next_reassessment(from, settings.reassess_months))
        }
        (Disclosure::Withheld { .. }, None, Some(d)) => Some(d),
        (Disclosure::Withheld { .. }, None, None) => {
            Some(next_reassessment(stamp.today(), settings.reassess_months))
        }
        _ => None,
    };
    item.stage = hooks::derive_stage(c, item).await?;
    c.insert_version(
        item.id,
        &ItemVersion {
            version: item.version,
            kind,
            content_hash: hash,
            draft,
            reason,
            recorded_at: stamp.at,
            recorded_by: stamp.user.clone(),
        },
    )
    .await?;
    c.update_item(item).await?;
    Ok(true)
}

pub(crate) async fn edit<C: RegisterConn>(
    c: &mut C,
    cal: &Calendar,
    id: i64,
    draft: ItemDraft,
    today: chrono::NaiveDate,
    stamp: &Stamp,
) -> Result<RegisterItem> {
    let me = actor(c, stamp).await?;
    may_record(&me, "修改主动公开事项")?;
    let mut it = item(c, id).await?;
    match it.stage {
        ItemStage::Published => {
            return Err(refused(&it, "已发布，修改须作为更正登记并说明理由"));
        }
        ItemStage::Withdrawn => return Err(refused(&it, "已撤稿，不能修改")),
        _ => {}
    }
    let settings = settings(c).await?;
    let draft = draft.validated(&settings, today)?;
    let changed: Vec<&str> = changed_fields(c, &it, &draft).await?;
    if new_version(
        c,
        cal,
        &mut it,
        draft,
        VersionKind::Edited,
        None,
        None,
        stamp,
    )
    .await?
    {
        log(
            c,
            &it,
            TimelineKind::Edited,
            None,
            json!({ "fields": changed }),
            stamp,
        )
        .await?;
    }
    Ok(it)
}

/// The names of the fields `draft` changes in the current version.
async fn changed_fields<C: RegisterConn>(
    c: &mut C,
    it: &RegisterItem,
    draft: &ItemDraft,
) -> Result<Vec<&'static str>> {
    let versions = c.versions(it.id).await?;
    let Some(old) = versions.last().map(|v| &v.draft) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let pairs: [(&'static str, bool); 11] = [
        ("名称", old.title != draft.title),
        ("发布机构", old.organ != draft.organ),
        ("生成日期", old.formed_on != draft.formed_on),
        ("文号", old.number != draft.number),
        ("主题分类", old.topic != draft.topic),
        ("体裁", old.genre != draft.genre),
        ("内容概述", old.summary != draft.summary),
        ("正文", old.body != draft.body),
        ("公开属性", old.disclosure != draft.disclosure),
        ("有效性", old.validity != draft.validity),
        ("发布渠道", old.outlets != draft.outlets),
    ];
    for (name, changed) in pairs {
        if changed {
            out.push(name);
        }
    }
    Ok(out)
}

pub(crate) async fn publish<C: RegisterConn>(
    c: &mut C,
    id: i64,
    publication: Publication,
    today: chrono::NaiveDate,
    stamp: &Stamp,
) -> Result<RegisterItem> {
    let me = actor(c, stamp).await?;
    may_record(&me, "登记发布")?;
    let mut it = item(c, id).await?;
    if it.stage == ItemStage::Withdrawn {
        return Err(refused(&it, "已撤稿，不能登记发布"));
    }
    if it.disclosure != Disclosure::Proactive {
        return Err(refused(
            &it,
            format!(
                "公开属性为“{}”，不能登记发布（须先改为主动公开）",
                it.disclosure.label_zh()
            ),
        ));
    }
    let publication = Publication {
        account: publication.account.trim().to_string(),
        url: publication
            .url
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty()),
        ..publication
    };
    publication.validate(it.formed_on, today)?;
    hooks::publication_gate(c, &it, stamp).await?;
    let seq = c.publications(id).await?.len() as u32 + 1;
    let rec = PublicationRecord {
        seq,
        version: it.version,
        publication: publication.clone(),
        recorded_at: stamp.at,
        recorded_by: me.name,
    };
    c.insert_publication(id, &rec).await?;
    let p = publication.published_on;
    it.first_published_on = Some(it.first_published_on.map_or(p, |f| f.min(p)));
    it.published_version = Some(it.version);
    if !it.outlets.contains(&publication.outlet) {
        it.outlets.push(publication.outlet);
    }
    it.updated_at = stamp.at;
    it.stage = hooks::derive_stage(c, &it).await?;
    c.update_item(&it).await?;
    log(
        c,
        &it,
        TimelineKind::Published,
        None,
        json!({
            "outlet": publication.outlet.label_zh(),
            "account": publication.account,
            "published_on": publication.published_on,
            "url": publication.url,
        }),
        stamp,
    )
    .await?;
    Ok(it)
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn correct<C: RegisterConn>(
    c: &mut C,
    cal: &Calendar,
    id: i64,
    draft: ItemDraft,
    reason: &str,
    today: chrono::NaiveDate,
    stamp: &Stamp,
) -> Result<RegisterItem> {
    let me = actor(c, stamp).await?;
    may_record(&me, "更正主动公开事项")?;
    let reason = reason_of(reason)?;
    let mut it = item(c, id).await?;
    if it.stage != ItemStage::Published {
        return Err(refused(
            &it,
            format!(
                "当前为“{}”，只有已发布的事项才能更正（未发布的直接修改）",
                it.stage.label_zh()
            ),
        ));
    }
    let settings = settings(c).await?;
    let draft = draft.validated(&settings, today)?;
    let changed = changed_fields(c, &it, &draft).await?;
    if !new_version(
        c,
        cal,
        &mut it,
        draft,
        VersionKind::Corrected,
        Some(reason.clone()),
        Some(today),
        stamp,
    )
    .await?
    {
        return Err(refused(&it, "更正内容与现行版本相同"));
    }
    log(
        c,
        &it,
        TimelineKind::Corrected,
        Some(reason),
        json!({ "fields": changed, "supersedes": it.version - 1 }),
        stamp,
    )
    .await?;
    Ok(it)
}

pub(crate) async fn withdraw<C: RegisterConn>(
    c: &mut C,
    id: i64,
    reason: &str,
    stamp: &Stamp,
) -> Result<RegisterItem> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.has(Role::OfficeHead) || me.has(Role::Leader) || me.has(Role::Admin),
        "撤稿（应由办公室主任、分管领导或管理员决定）",
    )?;
    let reason = reason_of(reason)?;
    let mut it = item(c, id).await?;
    if it.stage == ItemStage::Withdrawn {
        return Err(refused(&it, "已撤稿"));
    }
    let was = it.stage;
    it.withdrawn_at = Some(stamp.at);
    it.updated_at = stamp.at;
    it.stage = ItemStage::Withdrawn;
    c.update_item(&it).await?;
    log(
        c,
        &it,
        TimelineKind::Withdrawn,
        Some(reason),
        json!({ "was": was.label_zh() }),
        stamp,
    )
    .await?;
    Ok(it)
}

pub(crate) async fn reassess<C: RegisterConn>(
    c: &mut C,
    cal: &Calendar,
    id: i64,
    r: Reassessment,
    today: chrono::NaiveDate,
    stamp: &Stamp,
) -> Result<RegisterItem> {
    let me = actor(c, stamp).await?;
    may_record(&me, "登记不予公开信息的定期评估")?;
    let reason = reason_of(&r.reason)?;
    let mut it = item(c, id).await?;
    if it.stage == ItemStage::Withdrawn {
        return Err(refused(&it, "已撤稿，不再评估"));
    }
    let Disclosure::Withheld { basis } = it.disclosure.clone() else {
        return Err(refused(
            &it,
            format!(
                "公开属性为“{}”，只有不予公开的事项需要定期评估",
                it.disclosure.label_zh()
            ),
        ));
    };
    let versions = c.versions(id).await?;
    let mut draft =
        versions
            .last()
            .map(|v| v.draft.clone())
            .ok_or_else(|| StoreError::Corrupt {
                what: format!("登记事项 {id}"),
                detail: "没有版本".into(),
            })?;
    draft.disclosure = r.outcome.disclosure(r.basis.unwrap_or(basis));
    let changed = new_version(
        c,
        cal,
        &mut it,
        draft,
        VersionKind::Reassessed,
        Some(reason.clone()),
        Some(today),
        stamp,
    )
    .await?;
    if !changed {
        // Kept on the same basis: the next re-assessment moves on.
        let settings = settings(c).await?;
        it.reassess_on = Some(next_reassessment(today, settings.reassess_months));
        it.updated_at = stamp.at;
        c.update_item(&it).await?;
    }
    log(
        c,
        &it,
        TimelineKind::Reassessed,
        Some(reason),
        json!({
            "outcome": r.outcome.label_zh(),
            "disclosure": it.disclosure.label_zh(),
            "basis": match &it.disclosure {
                Disclosure::Withheld { basis } => Some(basis.label_zh()),
                _ => None,
            },
            "next": it.reassess_on,
            "due_on": if r.outcome == ReassessOutcome::Release { it.due_on } else { None },
        }),
        stamp,
    )
    .await?;
    Ok(it)
}

pub(crate) async fn attach<C: RegisterConn>(
    c: &mut C,
    id: i64,
    file: NewAttachment,
    text: AttachmentText,
    stamp: &Stamp,
) -> Result<AttachmentMeta> {
    let me = actor(c, stamp).await?;
    may_record(&me, "添加附件")?;
    let it = item(c, id).await?;
    if it.stage == ItemStage::Withdrawn {
        return Err(refused(&it, "已撤稿，不能添加附件"));
    }
    let name = file.name.trim().to_string();
    if name.is_empty() {
        return Err(gongkai_ledger::register::RegisterError::EmptyField {
            field: "附件名称"
        }
        .into());
    }
    if file.bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(StoreError::AttachmentTooLarge {
            name,
            size: file.bytes.len() as u64,
            max: MAX_ATTACHMENT_BYTES as u64,
        });
    }
    let existing = c.attachments(id).await?;
    if existing.len() >= MAX_ATTACHMENTS {
        return Err(refused(&it, format!("附件已达 {MAX_ATTACHMENTS} 个")));
    }
    let meta = AttachmentMeta {
        seq: existing.len() as u32 + 1,
        version: it.version,
        name,
        media_type: {
            let m = file.media_type.trim();
            if m.is_empty() {
                "application/octet-stream"
            } else {
                m
            }
            .to_string()
        },
        size: file.bytes.len() as u64,
        sha256: crate::auth::sha256_hex(&file.bytes),
        added_at: stamp.at,
        added_by: me.name,
        removed: None,
    };
    c.insert_attachment(id, &meta, &file.bytes).await?;
    c.insert_attachment_text(id, meta.seq, &text, stamp.at)
        .await?;
    log(
        c,
        &it,
        TimelineKind::Attached,
        None,
        json!({ "name": meta.name, "size": meta.size, "sha256": meta.sha256,
                "text": text.text().map(|t| t.chars().count()),
                "unread": match &text { AttachmentText::None { note } => Some(note), _ => None } }),
        stamp,
    )
    .await?;
    // The attachments are part of the content a review binds.
    hooks::refresh_stage(c, id).await?;
    Ok(meta)
}

/// Takes attachment `seq` off item `id` (the bytes stay, append-only), with the reason.
pub(crate) async fn detach<C: RegisterConn>(
    c: &mut C,
    id: i64,
    seq: u32,
    reason: &str,
    stamp: &Stamp,
) -> Result<AttachmentMeta> {
    let me = actor(c, stamp).await?;
    may_record(&me, "删除附件")?;
    let reason = reason_of(reason)?;
    let it = item(c, id).await?;
    if it.stage == ItemStage::Withdrawn {
        return Err(refused(&it, "已撤稿，不能删除附件"));
    }
    let mut meta = c
        .attachments(id)
        .await?
        .into_iter()
        .find(|a| a.seq == seq)
        .ok_or_else(|| StoreError::NotFound {
            what: "附件",
            id: format!("{id}/{seq}"),
        })?;
    if meta.removed.is_some() {
        return Err(refused(&it, format!("附件“{}”已删除", meta.name)));
    }
    let removal = AttachmentRemoval {
        reason: reason.clone(),
        at: stamp.at,
        by: me.name,
    };
    c.insert_attachment_removal(id, seq, &removal).await?;
    log(
        c,
        &it,
        TimelineKind::Detached,
        Some(reason),
        json!({ "seq": seq, "name": meta.name, "sha256": meta.sha256 }),
        stamp,
    )
    .await?;
    hooks::refresh_stage(c, id).await?;
    meta.removed = Some(removal);
    Ok(meta)
}

pub(crate) async fn record<C: RegisterConn>(c: &mut C, id: i64) -> Result<ItemRecord> {
    let it = item(c, id).await?;
    let versions = c.versions(id).await?;
    let draft = versions
        .iter()
        .find(|v| v.version == it.version)
        .map(|v| v.draft.clone())
        .ok_or_else(|| StoreError::Corrupt {
            what: format!("登记事项 {id}"),
            detail: format!("缺少现行版本 {}", it.version),
        })?;
    Ok(ItemRecord {
        draft,
        versions,
        publications: c.publications(id).await?,
        timeline: c.timeline(id).await?,
        attachments: c.attachments(id).await?,
        item: it,
    })
}

pub(crate) async fn attachment<C: RegisterConn>(
    c: &mut C,
    id: i64,
    seq: u32,
) -> Result<(AttachmentMeta, Vec<u8>)> {
    item(c, id).await?;
    let not_found = || StoreError::NotFound {
        what: "附件",
        id: format!("{id}/{seq}"),
    };
    let meta = c
        .attachments(id)
        .await?
        .into_iter()
        .find(|a| a.seq == seq)
        .ok_or_else(not_found)?;
    let bytes = c.attachment_bytes(id, seq).await?.ok_or_else(not_found)?;
    Ok((meta, bytes))
}
