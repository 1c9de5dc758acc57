//! Appeals (section 四), proactive records (section 二) and users. Ids and stamps are
//! made here, never by a handler: a case without an id gets the next `案-YYYY-NNN` of its
//! filing year, a proactive record the next `文件-NNN` / `决定-NNN` / `收费-NNN`.

use chrono::{Datelike, NaiveDate};
use gongkai_ledger::{
    AppealCase, AppealConclusion, AppealKind, ApplicationId, CaseRole, ProactiveData,
    ProactiveRecord,
};
use gongkai_store::{NewUser, User};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::error::ServiceError;
use crate::{Result, Service};

/// A case as entered: the service stamps it (`recorded_at`, `recorded_by`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealDraft {
    /// `None`: the next `案-YYYY-NNN`.
    #[serde(default)]
    pub id: Option<String>,
    pub kind: AppealKind,
    pub filed_on: NaiveDate,
    #[serde(default)]
    pub application: Option<ApplicationId>,
    #[serde(default)]
    pub role: CaseRole,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub case_number: Option<String>,
    #[serde(default)]
    pub conclusion: Option<AppealConclusion>,
}

/// The next id `{prefix}{n:03}` after those in `ids`.
fn next_id<'a>(prefix: &str, ids: impl Iterator<Item = &'a str>) -> String {
    let n = ids
        .filter_map(|id| id.strip_prefix(prefix)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:03}", n + 1)
}

impl Service {
    pub(crate) fn case(actor: &Actor, id: String, d: AppealDraft) -> AppealCase {
        let stamp = actor.stamp();
        AppealCase {
            id,
            kind: d.kind,
            filed_on: d.filed_on,
            application: d.application,
            role: d.role,
            body: d.body.filter(|b| !b.trim().is_empty()),
            case_number: d.case_number.filter(|b| !b.trim().is_empty()),
            conclusion: d.conclusion,
            recorded_at: stamp.at,
            recorded_by: Some(stamp.user),
            supersedes: None,
        }
    }

    /// Adds a case.
    pub async fn add_appeal(&self, actor: &Actor, mut draft: AppealDraft) -> Result<AppealCase> {
        crate::limits::check(&draft)?;
        let id = match draft.id.take().filter(|i| !i.trim().is_empty()) {
            Some(id) => id.trim().to_string(),
            None => {
                let cases = self.store_for(actor).appeals().await?;
                let prefix = format!("案-{}-", draft.filed_on.year());
                next_id(&prefix, cases.iter().map(|c| c.id.as_str()))
            }
        };
        let case = Service::case(actor, id, draft);
        let r = self.store_for(actor).add_appeal(case, &actor.stamp()).await;
        self.refused(actor, "appeal.add", "", r.map_err(Into::into))
            .await
    }

    /// Replaces case `id` (e.g. with its conclusion).
    pub async fn update_appeal(
        &self,
        actor: &Actor,
        id: &str,
        draft: AppealDraft,
    ) -> Result<AppealCase> {
        crate::limits::text("id", id)?;
        crate::limits::check(&draft)?;
        let case = Service::case(actor, id.trim().to_string(), draft);
        let r = self
            .store_for(actor)
            .update_appeal(case, &actor.stamp())
            .await;
        self.refused(actor, "appeal.update", id, r.map_err(Into::into))
            .await
    }

    /// Records a case's conclusion.
    pub async fn conclude_appeal(
        &self,
        actor: &Actor,
        id: &str,
        conclusion: AppealConclusion,
    ) -> Result<AppealCase> {
        crate::limits::text("id", id)?;
        crate::limits::check(&conclusion)?;
        let mut case = self.for_actor(actor).appeal(id).await?;
        case.conclusion = Some(conclusion);
        let r = self
            .store_for(actor)
            .update_appeal(case, &actor.stamp())
            .await;
        self.refused(actor, "appeal.conclude", id, r.map_err(Into::into))
            .await
    }

    /// Case `id` (`NotFound` if there is none).
    pub async fn appeal(&self, id: &str) -> Result<AppealCase> {
        self.store
            .appeal(id.trim())
            .await?
            .ok_or_else(|| ServiceError::NotFound {
                what: "案件",
                id: id.trim().to_string(),
            })
    }

    pub async fn appeals(&self) -> Result<Vec<AppealCase>> {
        Ok(self.store.appeals().await?)
    }

    /// Adds or replaces a proactive record; `id` `None` adds one under the next id of its
    /// kind. True if it was new.
    pub async fn set_proactive(
        &self,
        actor: &Actor,
        id: Option<&str>,
        data: ProactiveData,
    ) -> Result<(ProactiveRecord, bool)> {
        crate::limits::opt("id", id)?;
        crate::limits::check(&data)?;
        let id = match id.map(str::trim).filter(|i| !i.is_empty()) {
            Some(id) => id.to_string(),
            None => {
                let prefix = match data {
                    ProactiveData::Document(_) => "文件-",
                    ProactiveData::Decisions(_) => "决定-",
                    ProactiveData::Fees(_) => "收费-",
                };
                let records = self.store_for(actor).proactive_records().await?;
                next_id(prefix, records.iter().map(|r| r.id.as_str()))
            }
        };
        let r = self
            .store_for(actor)
            .set_proactive(&id, data, &actor.stamp())
            .await;
        self.refused(actor, "proactive.set", &id, r.map_err(Into::into))
            .await
    }

    pub async fn proactive_records(&self) -> Result<Vec<ProactiveRecord>> {
        Ok(self.store.proactive_records().await?)
    }

    // ---- users ------------------------------------------------------------------------

    /// Adds a user with one role and a chosen password, which must pass the password
    /// rules (administrator; see [`Service::create_account`] for several roles and a
    /// temporary password).
    pub async fn add_user(&self, actor: &Actor, user: &NewUser) -> Result<User> {
        let created = self
            .create_account(
                actor,
                crate::users::AccountDraft {
                    name: user.name.clone(),
                    display_name: user.display_name.clone(),
                    roles: vec![user.role],
                    password: Some(user.password.clone()),
                    must_change_password: false,
                },
            )
            .await?;
        Ok(created.user)
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        Ok(self.store.users().await?)
    }

    /// The names to show for the logins that stamps and review steps record (`li` →
    /// `李明`).
    pub async fn display_names(&self) -> Result<Names> {
        Ok(Names(
            self.store
                .users()
                .await?
                .into_iter()
                .filter_map(|u| {
                    let shown = u.display_name.filter(|d| !d.trim().is_empty())?;
                    Some((u.name, shown))
                })
                .collect(),
        ))
    }

    /// Sets `name`'s password (one's own, or anyone's for an administrator); it must pass
    /// the password rules.
    pub async fn set_password(&self, actor: &Actor, name: &str, password: &str) -> Result<()> {
        self.set_password_checked(actor, name, password, false)
            .await
    }

    /// Enables or disables a user (administrator).
    pub async fn set_user_active(&self, actor: &Actor, name: &str, active: bool) -> Result<()> {
        self.set_account_active(actor, name, active).await
    }

    /// Clears a user's sign-in lock and failure count (administrator; audited
    /// `user.unlock`). True if the account was throttled or locked.
    pub async fn unlock_user(&self, actor: &Actor, name: &str) -> Result<bool> {
        crate::limits::text("name", name)?;
        let r = match Service::require_admin(actor, "解除账户锁定") {
            Ok(()) => self
                .store
                .unlock_user(&actor.stamp(), name.trim())
                .await
                .map_err(Into::into),
            Err(e) => Err(e),
        };
        self.refused(actor, "user.unlock", name.trim(), r).await
    }
}

/// Display names by login (see [`Service::display_names`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names(std::collections::HashMap<String, String>);

impl Names {
    /// The display name of `login`, or the login when the user has none.
    pub fn of<'a>(&'a self, login: &'a str) -> &'a str {
        self.0.get(login).map_or(login, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::next_id;

    #[test]
    fn ids_count_on_from_the_highest() {
        assert_eq!(next_id("案-2025-", [].into_iter()), "案-2025-001");
        assert_eq!(
            next_id("案-2025-", ["案-2025-002", "案-2024-009", "x"].into_iter()),
            "案-2025-003"
        );
    }
}
