//! The platform (issue 18 §1): agencies as a tree and the roles users hold in each.
//!
//! The platform administrator is whoever holds 管理员 on the root agency (agency 1: the
//! office of a database made before the platform). They list the tree, add an agency under
//! another, and set a user's roles in any agency (the ledger's roles, and `supervisor`:
//! read access to the node's subtree, whose views come in a later stage). Every change is
//! audited in the root agency's log; the store checks the role again in the transaction.
//!
//! Every other use case works in the actor's agency ([`Actor::agency`]): a user with roles
//! in two agencies picks one ([`Service::actor_in`], the web's agency switch), and
//! [`Service::my_agencies`] lists the ones to pick from.

use gongkai_store::agencies::{self, ROOT};
use gongkai_store::agency_edit::AgencyEdit;
use gongkai_store::{
    Agency, AgencyId, AgencyKind, NewAgency, Role, SessionToken, StoreError, User,
};
use serde::Serialize;

use crate::error::ServiceError;
use crate::{Actor, Result, Service};

/// One agency of the tree, with its depth below the root (for an indented list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TreeRow {
    pub agency: Agency,
    pub depth: usize,
}

/// Where a signed-in user works: the agency of the session (or the API token), the user
/// with the roles held there, and every agency where the user holds a ledger role (the
/// agency switch offers them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    pub agency: Agency,
    /// The user with the ledger roles held in [`Seat::agency`] (primary role first).
    pub user: User,
    /// The agencies where the user holds a ledger role, by number.
    pub agencies: Vec<Agency>,
    /// The user holds `supervisor` on some node (the 监督 link).
    pub supervises: bool,
    /// The user holds no ledger role here: a supervisor working in a node it supervises,
    /// which reads (the supervisor's view, the node's ledger) and writes nothing — the
    /// store finds no role of its in the agency and refuses every write (`not_member`).
    pub supervisor_only: bool,
}

/// An agency's fields as a form or the command line gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgencyForm {
    pub code: String,
    pub name: String,
    /// 省, 市, 县区, 乡镇街道, 部门 or the keys.
    pub kind: String,
    pub reconsideration_organ: String,
    pub court: String,
}

/// Which agency a signed-in user asks to work in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeatChoice {
    /// The session's remembered agency if the user still holds a ledger role there, else
    /// the user's first agency (a session; `None`: nothing remembered yet).
    Remembered(Option<AgencyId>),
    /// This agency only (an API token made for it): no seat if the user holds no ledger
    /// role there any more.
    Only(AgencyId),
}

impl Service {
    /// Where `user` (authenticated by the front end: a session or a token) works, and with
    /// which roles; `None` when it holds no ledger role in the chosen agency (or anywhere):
    /// such a user is not let in. One query.
    pub async fn seat(&self, user: User, choice: SeatChoice) -> Result<Option<Seat>> {
        let all = self.store.held_agencies(&user.name).await?;
        let supervised: Vec<Agency> = all
            .iter()
            .filter(|(_, keys)| keys.iter().any(|k| k == "supervisor"))
            .map(|(a, _)| a.clone())
            .collect();
        let supervises = !supervised.is_empty();
        let held: Vec<(Agency, Vec<Role>)> = all
            .into_iter()
            .map(|(a, keys)| (a, agencies::ledger_roles(&keys)))
            .filter(|(_, roles)| !roles.is_empty())
            .collect();
        let pick = match choice {
            SeatChoice::Only(id) => held.iter().find(|(a, _)| a.id == id),
            SeatChoice::Remembered(id) => id
                .and_then(|id| held.iter().find(|(a, _)| a.id == id))
                .or_else(|| held.first()),
        };
        let Some((agency, roles)) = pick else {
            // No ledger role in the chosen agency (or anywhere): a supervisor works in a
            // node it supervises (the token's, or the first), reading only.
            let node = match choice {
                SeatChoice::Only(id) => supervised.iter().find(|a| a.id == id),
                SeatChoice::Remembered(id) if held.is_empty() => id
                    .and_then(|id| supervised.iter().find(|a| a.id == id))
                    .or_else(|| supervised.first()),
                SeatChoice::Remembered(_) => None,
            };
            return Ok(node.map(|a| Seat {
                agency: a.clone(),
                user,
                agencies: Vec::new(),
                supervises: true,
                supervisor_only: true,
            }));
        };
        let agency = agency.clone();
        let Some(user) = agencies::with_roles(user, roles) else {
            return Ok(None);
        };
        Ok(Some(Seat {
            agency,
            user,
            agencies: held.into_iter().map(|(a, _)| a).collect(),
            supervises,
            supervisor_only: false,
        }))
    }

    /// The agency switch: the session `token` of `actor` works in the agency with code
    /// `code` from now on. Refused (`not_member`, 403) unless the actor holds a ledger
    /// role there; an unknown code is not found. Audited `session.agency` in the new
    /// agency.
    pub async fn switch_agency(
        &self,
        actor: &Actor,
        token: &SessionToken,
        code: &str,
    ) -> Result<Agency> {
        crate::limits::text("agency", code)?;
        let target = self.agency_by_code(code).await?;
        Ok(self
            .store
            .in_agency(target.id)
            .switch_session(token, &actor.stamp())
            .await?)
    }

    /// Whether the user holds 管理员 on the root agency.
    pub async fn is_platform_admin(&self, actor: &Actor) -> Result<bool> {
        Ok(self
            .store
            .in_agency(ROOT)
            .member(actor.name())
            .await?
            .is_some_and(|u| u.roles().contains(&Role::Admin)))
    }

    async fn require_platform_admin(&self, actor: &Actor) -> Result<()> {
        if self.is_platform_admin(actor).await? {
            Ok(())
        } else {
            Err(StoreError::Forbidden {
                user: actor.name().to_string(),
                role: actor.role(),
                action: "管理平台的机关（须为根机关的管理员）",
            }
            .into())
        }
    }

    /// The whole tree from the root, depth first (platform administrator).
    pub async fn agency_tree(&self, actor: &Actor) -> Result<Vec<TreeRow>> {
        self.require_platform_admin(actor).await?;
        Ok(self
            .store
            .subtree(ROOT)
            .await?
            .into_iter()
            .map(|(agency, depth)| TreeRow { agency, depth })
            .collect())
    }

    /// Adds an agency under the agency with code `parent` (platform administrator;
    /// audited `agency.add`). `kind`: 省, 市, 县区, 乡镇街道, 部门 (or the English keys).
    pub async fn add_agency(
        &self,
        actor: &Actor,
        parent: &str,
        code: &str,
        name: &str,
        kind: &str,
    ) -> Result<Agency> {
        crate::limits::text("name", code)?;
        crate::limits::text("agency", name)?;
        let kind: AgencyKind = kind.parse().map_err(|message| ServiceError::Invalid {
            field: "机关层级",
            message,
        })?;
        let parent = self.agency_by_code(parent).await?;
        let new = NewAgency {
            parent_id: parent.id,
            code: code.to_string(),
            name: name.to_string(),
            kind,
        };
        Ok(self
            .store
            .in_agency(ROOT)
            .add_agency(&new, &actor.stamp())
            .await?)
    }

    /// Changes the agency with code `code` (platform administrator; audited `agency.edit`):
    /// its new code, name, kind (省, 市, 县区, 乡镇街道, 部门 or the keys), and the 复议机关
    /// and court its letters name (empty: the letters' defaults).
    pub async fn edit_agency(&self, actor: &Actor, code: &str, new: &AgencyForm) -> Result<Agency> {
        crate::limits::text("name", &new.code)?;
        crate::limits::text("agency", &new.name)?;
        crate::limits::text("reconsideration_organ", &new.reconsideration_organ)?;
        crate::limits::text("court", &new.court)?;
        let kind: AgencyKind = new.kind.parse().map_err(|message| ServiceError::Invalid {
            field: "机关层级",
            message,
        })?;
        self.require_platform_admin(actor).await?;
        let old = self.agency_by_code(code).await?;
        let edit = AgencyEdit {
            code: new.code.clone(),
            name: new.name.clone(),
            kind,
            reconsideration_organ: new.reconsideration_organ.clone(),
            court: new.court.clone(),
        };
        Ok(self
            .store
            .in_agency(ROOT)
            .edit_agency(old.id, &edit, &actor.stamp())
            .await?)
    }

    /// Every agency where `user` holds a role, with the role keys (platform
    /// administrator: the roles per agency on the users page).
    pub async fn roles_by_agency(
        &self,
        actor: &Actor,
        user: &str,
    ) -> Result<Vec<(Agency, Vec<String>)>> {
        self.require_platform_admin(actor).await?;
        Ok(self.store.held_agencies(user.trim()).await?)
    }

    /// Sets `user`'s roles in the agency with code `agency` (platform administrator;
    /// audited `agency.roles`). Roles: 信息员, 办公室主任, 分管领导, 管理员 (or their keys) and
    /// `supervisor` (监督); none: the user leaves the agency.
    pub async fn grant_roles(
        &self,
        actor: &Actor,
        user: &str,
        agency: &str,
        roles: &[String],
    ) -> Result<()> {
        crate::limits::text("name", user)?;
        let a = self.agency_by_code(agency).await?;
        Ok(self
            .store
            .in_agency(ROOT)
            .grant_roles(user.trim(), a.id, roles, &actor.stamp())
            .await?)
    }

    /// The agencies where the actor holds a ledger role, by number (the agency switch).
    pub async fn my_agencies(&self, actor: &Actor) -> Result<Vec<Agency>> {
        self.my_agencies_of(actor.name()).await
    }

    /// The agencies where user `name` holds a ledger role, by number (before it is
    /// authenticated: which agency a command works in by default).
    pub async fn my_agencies_of(&self, name: &str) -> Result<Vec<Agency>> {
        let held = self.store.memberships(name).await?;
        let all = self.store.agencies().await?;
        Ok(all
            .into_iter()
            .filter(|a| {
                held.iter().any(|(id, roles)| {
                    *id == a.id && roles.iter().any(|r| r.parse::<Role>().is_ok())
                })
            })
            .collect())
    }

    /// The agency with code `code` (`NotFound` naming the code).
    pub async fn agency_by_code(&self, code: &str) -> Result<Agency> {
        self.store
            .agency_by_code(code)
            .await?
            .ok_or_else(|| ServiceError::NotFound {
                what: "机关",
                id: code.trim().to_string(),
            })
    }
}
