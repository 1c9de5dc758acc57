//! The platform administrator changes an agency of the tree (issue 18 §1): its code, name,
//! kind, and the 复议机关 and court (管辖法院) its letters name in their remedy paragraph
//! (migration 0014: columns of `agencies`). The office settings read those two from here
//! ([`overlay_remedy`]) and write them here ([`store_remedy`]), so the settings page of
//! the agency, the command line's `settings` and the platform page show and change one
//! value.

use gongkai_ledger::OfficeSettings;
use serde_json::json;

use crate::agencies::{AgencyId, AgencyKind, require_platform_admin};
use crate::backend::Conn;
use crate::error::{Result, StoreError};
use crate::model::Stamp;
use crate::{Agency, Store, ops};

/// What the platform administrator sets on an agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyEdit {
    /// 统一社会信用代码 or an internal code; unique, without spaces.
    pub code: String,
    pub name: String,
    pub kind: AgencyKind,
    /// The 行政复议机关 (empty: 本级人民政府 in the letters).
    pub reconsideration_organ: String,
    /// The 人民法院 (empty: 人民法院).
    pub court: String,
}

impl AgencyEdit {
    /// The agency's present values.
    pub fn of(a: &Agency) -> Self {
        AgencyEdit {
            code: a.code.clone(),
            name: a.name.clone(),
            kind: a.kind,
            reconsideration_organ: a.reconsideration_organ.clone(),
            court: a.court.clone(),
        }
    }

    fn trimmed(&self) -> Self {
        AgencyEdit {
            code: self.code.trim().to_string(),
            name: self.name.trim().to_string(),
            kind: self.kind,
            reconsideration_organ: self.reconsideration_organ.trim().to_string(),
            court: self.court.trim().to_string(),
        }
    }
}

/// The office settings with the agency's 复议机关 and court (the columns win over what the
/// settings' JSON kept before migration 0014).
pub(crate) async fn overlay_remedy<C: Conn>(
    c: &mut C,
    mut office: OfficeSettings,
) -> Result<OfficeSettings> {
    if let Some(a) = c.this_agency().await? {
        office.reconsideration_organ = a.reconsideration_organ;
        office.court = a.court;
    }
    Ok(office)
}

/// Writes the office settings' 复议机关 and court to the agency's columns.
pub(crate) async fn store_remedy<C: Conn>(c: &mut C, office: &OfficeSettings) -> Result<()> {
    c.set_agency_remedy(office.reconsideration_organ.trim(), office.court.trim())
        .await
}

async fn edit<C: Conn>(c: &mut C, id: AgencyId, new: &AgencyEdit, stamp: &Stamp) -> Result<Agency> {
    require_platform_admin(c, stamp).await?;
    let new = new.trimmed();
    if new.code.is_empty() || new.code.chars().any(char::is_whitespace) {
        return Err(gongkai_ledger::LedgerError::EmptyField {
            field: "机关代码（不能为空或含空格）",
        }
        .into());
    }
    if new.name.is_empty() {
        return Err(gongkai_ledger::LedgerError::EmptyField {
            field: "机关名称"
        }
        .into());
    }
    let all = c.all_agencies().await?;
    let Some(old) = all.iter().find(|a| a.id == id).cloned() else {
        return Err(StoreError::NotFound {
            what: "机关",
            id: id.to_string(),
        });
    };
    if all.iter().any(|a| a.id != id && a.code == new.code) {
        return Err(StoreError::Duplicate {
            what: "机关代码",
            id: new.code.clone(),
        });
    }
    let before = AgencyEdit::of(&old);
    if before == new {
        return Ok(old);
    }
    c.update_agency(id, &new).await?;
    let view = |e: &AgencyEdit| {
        json!({ "code": e.code, "name": e.name, "kind": e.kind,
                "reconsideration_organ": e.reconsideration_organ, "court": e.court })
    };
    ops::audit(
        c,
        stamp,
        "agency.edit",
        "agency",
        &new.code,
        json!({ "id": id, "before": view(&before), "after": view(&new) }),
    )
    .await?;
    Ok(Agency {
        code: new.code,
        name: new.name,
        kind: new.kind,
        reconsideration_organ: new.reconsideration_organ,
        court: new.court,
        ..old
    })
}

impl Store {
    /// The platform administrator changes agency `id` (audited `agency.edit` in the
    /// store's agency, with the values before and after; nothing written when nothing
    /// changed). A code another agency has is refused.
    pub async fn edit_agency(
        &self,
        id: AgencyId,
        new: &AgencyEdit,
        stamp: &Stamp,
    ) -> Result<Agency> {
        tx!(self, write, |c| edit(c, id, new, stamp))
    }
}
