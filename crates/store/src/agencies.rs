//! The platform's agencies (issue 18 §1): a jurisdiction tree (省 → 市 → 县区 → 乡镇街道,
//! and the departments of each government), each with its own ledger, settings and users'
//! roles.
//!
//! * Every record row carries `agency_id` (migration 0013); a [`Store`] works in one
//!   agency ([`Store::in_agency`]) and every query of a record filters by it, so an id of
//!   another agency's application is simply not found.
//! * Users are global (a person may serve two agencies); their roles are per agency
//!   (`agency_roles`). The ledger's roles (信息员, 办公室主任, 分管领导, 管理员) decide what a
//!   user may do in that agency; `supervisor` on a node gives read access to its subtree
//!   (the supervisor's views are a later stage: the role and [`Store::subtree`] exist).
//! * The platform administrator is whoever holds 管理员 on the root agency (agency 1, the
//!   office of a database made before the platform): they add agencies and grant roles.
//! * An agency's settings (`settings`, `office`, `opening`, `import_mapping:*`) are rows of
//!   `agency_settings`; `meta` keeps what belongs to the installation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::{Result, StoreError};
use crate::model::{Role, Stamp, User};
use crate::{Store, ops};

/// An agency's number (`agencies.id`).
pub type AgencyId = i64;

/// The root agency: the office of a single-office database, and where the platform
/// administrator holds 管理员.
pub const ROOT: AgencyId = 1;

/// The role that gives read access to a node's subtree (stored in `agency_roles`).
pub const SUPERVISOR: &str = "supervisor";

/// The level or kind of an agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// 省级
    Province,
    /// 市级
    City,
    /// 县区级
    County,
    /// 乡镇街道
    Township,
    /// 部门
    Department,
}

impl AgencyKind {
    pub const ALL: [AgencyKind; 5] = [
        AgencyKind::Province,
        AgencyKind::City,
        AgencyKind::County,
        AgencyKind::Township,
        AgencyKind::Department,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgencyKind::Province => "province",
            AgencyKind::City => "city",
            AgencyKind::County => "county",
            AgencyKind::Township => "township",
            AgencyKind::Department => "department",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            AgencyKind::Province => "省",
            AgencyKind::City => "市",
            AgencyKind::County => "县区",
            AgencyKind::Township => "乡镇街道",
            AgencyKind::Department => "部门",
        }
    }
}

impl std::str::FromStr for AgencyKind {
    type Err = String;

    /// The key (`county`) or the Chinese name (`县区`, also `县`, `区`, `乡镇`, `街道`).
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let s = s.trim();
        let alias = match s {
            "省级" => Some(AgencyKind::Province),
            "市级" => Some(AgencyKind::City),
            "县" | "区" | "县级" => Some(AgencyKind::County),
            "乡镇" | "街道" => Some(AgencyKind::Township),
            _ => None,
        };
        alias
            .or_else(|| {
                AgencyKind::ALL
                    .into_iter()
                    .find(|k| k.as_str() == s || k.label_zh() == s)
            })
            .ok_or_else(|| format!("未知的机关层级“{s}”（省、市、县区、乡镇街道或部门）"))
    }
}

/// An agency of the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agency {
    pub id: AgencyId,
    pub parent_id: Option<AgencyId>,
    /// 统一社会信用代码 or an internal code; unique.
    pub code: String,
    pub name: String,
    pub kind: AgencyKind,
    pub created_at: DateTime<Utc>,
    /// The 行政复议机关 named in the remedy paragraph of its letters (empty: the letter's
    /// default, 本级人民政府); migration 0014.
    pub reconsideration_organ: String,
    /// The 人民法院 named there (empty: 人民法院).
    pub court: String,
}

/// An agency to add under `parent_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgency {
    pub parent_id: AgencyId,
    pub code: String,
    pub name: String,
    pub kind: AgencyKind,
}

type AgencyRow = (
    i64,
    Option<i64>,
    String,
    String,
    String,
    DateTime<Utc>,
    String,
    String,
);

/// The columns of an [`AgencyRow`], for `SELECT … FROM agencies a`.
const AGENCY_COLUMNS: &str =
    "a.id, a.parent_id, a.code, a.name, a.kind, a.created_at, a.reconsideration_organ, a.court";

fn agency_from(
    (id, parent_id, code, name, kind, created_at, reconsideration_organ, court): AgencyRow,
) -> Result<Agency> {
    let kind = kind.parse().map_err(|e: String| StoreError::Corrupt {
        what: format!("机关 {id}"),
        detail: e,
    })?;
    Ok(Agency {
        id,
        parent_id,
        code,
        name,
        kind,
        created_at,
        reconsideration_organ,
        court,
    })
}

/// The agency SQL, once for both backends. `Conn` requires it, so every operation over a
/// transaction can read its agency's settings and the acting user's roles there.
pub(crate) trait AgencyConn: Send {
    /// The store's agency's setting `key`.
    async fn setting(&mut self, key: &str) -> Result<Option<String>>;
    async fn set_setting(&mut self, key: &str, value: &str) -> Result<()>;
    /// The store's agency (None: no such agency).
    async fn this_agency(&mut self) -> Result<Option<Agency>>;
    async fn set_agency_name(&mut self, name: &str) -> Result<()>;
    async fn all_agencies(&mut self) -> Result<Vec<Agency>>;
    async fn insert_agency(&mut self, a: &NewAgency, at: DateTime<Utc>) -> Result<AgencyId>;
    /// The roles (keys) `user` holds in `agency`.
    async fn role_keys(&mut self, user: &str, agency: AgencyId) -> Result<Vec<String>>;
    /// Replaces `user`'s roles in `agency`.
    async fn put_roles(&mut self, user: &str, agency: AgencyId, roles: &[&str]) -> Result<()>;
    /// Every (agency, role key) `user` holds, by agency.
    async fn memberships(&mut self, user: &str) -> Result<Vec<(AgencyId, String)>>;
    /// Every (user, role key) held in the store's agency.
    async fn agency_members(&mut self) -> Result<Vec<(String, String)>>;
    /// Every agency where `user` holds a role, with the role key, by agency id (one row
    /// per role).
    async fn held_agencies(&mut self, user: &str) -> Result<Vec<(Agency, String)>>;
    /// Sets the agency a session works in (`crate::sessions`).
    async fn set_session_agency(&mut self, session: &str, agency: AgencyId) -> Result<u64>;
    /// Changes agency `id`'s code, name, kind, 复议机关 and court (`crate::agency_edit`).
    async fn update_agency(
        &mut self,
        id: AgencyId,
        a: &crate::agency_edit::AgencyEdit,
    ) -> Result<()>;
    /// Sets the store's agency's 复议机关 and court (the office settings' save).
    async fn set_agency_remedy(&mut self, organ: &str, court: &str) -> Result<()>;
}

macro_rules! impl_agency_conn {
    ($db:ty) => {
        impl AgencyConn for crate::Tx<'_, $db> {
            async fn setting(&mut self, key: &str) -> Result<Option<String>> {
                Ok(sqlx::query_scalar(
                    "SELECT value FROM agency_settings WHERE agency_id = $1 AND key = $2",
                )
                .bind(self.agency)
                .bind(key)
                .fetch_optional(&mut *self.t)
                .await?)
            }

            async fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
                sqlx::query(
                    "INSERT INTO agency_settings (agency_id, key, value) VALUES ($1, $2, $3) \
                     ON CONFLICT (agency_id, key) DO UPDATE SET value = excluded.value",
                )
                .bind(self.agency)
                .bind(key)
                .bind(value)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn this_agency(&mut self) -> Result<Option<Agency>> {
                let row: Option<AgencyRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT {AGENCY_COLUMNS} FROM agencies a WHERE a.id = $1"
                )))
                .bind(self.agency)
                .fetch_optional(&mut *self.t)
                .await?;
                row.map(agency_from).transpose()
            }

            async fn set_agency_name(&mut self, name: &str) -> Result<()> {
                sqlx::query("UPDATE agencies SET name = $2 WHERE id = $1")
                    .bind(self.agency)
                    .bind(name)
                    .execute(&mut *self.t)
                    .await?;
                Ok(())
            }

            async fn all_agencies(&mut self) -> Result<Vec<Agency>> {
                let rows: Vec<AgencyRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT {AGENCY_COLUMNS} FROM agencies a ORDER BY a.id"
                )))
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter().map(agency_from).collect()
            }

            async fn insert_agency(
                &mut self,
                a: &NewAgency,
                at: DateTime<Utc>,
            ) -> Result<AgencyId> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO agencies (parent_id, code, name, kind, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(a.parent_id)
                .bind(&a.code)
                .bind(&a.name)
                .bind(a.kind.as_str())
                .bind(at)
                .fetch_one(&mut *self.t)
                .await?)
            }

            async fn role_keys(&mut self, user: &str, agency: AgencyId) -> Result<Vec<String>> {
                Ok(sqlx::query_scalar(
                    "SELECT role FROM agency_roles WHERE agency_id = $1 AND user_name = $2",
                )
                .bind(agency)
                .bind(user)
                .fetch_all(&mut *self.t)
                .await?)
            }

            async fn put_roles(
                &mut self,
                user: &str,
                agency: AgencyId,
                roles: &[&str],
            ) -> Result<()> {
                sqlx::query("DELETE FROM agency_roles WHERE agency_id = $1 AND user_name = $2")
                    .bind(agency)
                    .bind(user)
                    .execute(&mut *self.t)
                    .await?;
                for r in roles {
                    sqlx::query(
                        "INSERT INTO agency_roles (agency_id, user_name, role) VALUES ($1, $2, $3) \
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(agency)
                    .bind(user)
                    .bind(*r)
                    .execute(&mut *self.t)
                    .await?;
                }
                Ok(())
            }

            async fn memberships(&mut self, user: &str) -> Result<Vec<(AgencyId, String)>> {
                Ok(sqlx::query_as(
                    "SELECT agency_id, role FROM agency_roles WHERE user_name = $1 \
                     ORDER BY agency_id",
                )
                .bind(user)
                .fetch_all(&mut *self.t)
                .await?)
            }

            async fn agency_members(&mut self) -> Result<Vec<(String, String)>> {
                Ok(
                    sqlx::query_as("SELECT user_name, role FROM agency_roles WHERE agency_id = $1")
                        .bind(self.agency)
                        .fetch_all(&mut *self.t)
                        .await?,
                )
            }

            async fn held_agencies(&mut self, user: &str) -> Result<Vec<(Agency, String)>> {
                type Row = (
                    i64,
                    Option<i64>,
                    String,
                    String,
                    String,
                    DateTime<Utc>,
                    String,
                    String,
                    String,
                );
                let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT {AGENCY_COLUMNS}, r.role \
                     FROM agency_roles r JOIN agencies a ON a.id = r.agency_id \
                     WHERE r.user_name = $1 ORDER BY a.id, r.role"
                )))
                .bind(user)
                .fetch_all(&mut *self.t)
                .await?;
                rows.into_iter()
                    .map(|(id, parent, code, name, kind, at, organ, court, role)| {
                        let a = agency_from((id, parent, code, name, kind, at, organ, court))?;
                        Ok((a, role))
                    })
                    .collect()
            }

            async fn update_agency(
                &mut self,
                id: AgencyId,
                a: &crate::agency_edit::AgencyEdit,
            ) -> Result<()> {
                sqlx::query(
                    "UPDATE agencies SET code = $2, name = $3, kind = $4, \
                     reconsideration_organ = $5, court = $6 WHERE id = $1",
                )
                .bind(id)
                .bind(&a.code)
                .bind(&a.name)
                .bind(a.kind.as_str())
                .bind(&a.reconsideration_organ)
                .bind(&a.court)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn set_agency_remedy(&mut self, organ: &str, court: &str) -> Result<()> {
                sqlx::query(
                    "UPDATE agencies SET reconsideration_organ = $2, court = $3 WHERE id = $1",
                )
                .bind(self.agency)
                .bind(organ)
                .bind(court)
                .execute(&mut *self.t)
                .await?;
                Ok(())
            }

            async fn set_session_agency(&mut self, session: &str, agency: AgencyId) -> Result<u64> {
                Ok(
                    sqlx::query("UPDATE sessions SET agency_id = $2 WHERE id = $1")
                        .bind(session)
                        .bind(agency)
                        .execute(&mut *self.t)
                        .await?
                        .rows_affected(),
                )
            }
        }
    };
}

impl_agency_conn!(sqlx::Sqlite);
impl_agency_conn!(sqlx::Postgres);

/// The ledger's roles among role keys, in `Role::ALL` order (`supervisor` is not one).
pub fn ledger_roles(keys: &[String]) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| keys.iter().any(|k| k == r.as_str()))
        .collect()
}

/// `user` with the roles `held` in an agency (the preferred primary role first when held);
/// `None` when it holds none there.
pub fn with_roles(mut user: User, held: &[Role]) -> Option<User> {
    let primary = if held.contains(&user.role) {
        user.role
    } else {
        *held.first()?
    };
    user.role = primary;
    user.other_roles = held.iter().copied().filter(|r| *r != primary).collect();
    Some(user)
}

/// `user` as a member of the transaction's agency, or `None`.
pub(crate) async fn member<C: crate::backend::Conn>(c: &mut C, user: User) -> Result<Option<User>> {
    let agency = current(c).await?;
    let keys = c.role_keys(&user.name, agency).await?;
    Ok(with_roles(user, &ledger_roles(&keys)))
}

/// The row of user `name` if it holds a role (any, `supervisor` too) in the transaction's
/// agency: what an agency's administrator may manage. A user of another agency is
/// "unknown" here.
pub(crate) async fn member_row<C: crate::backend::Conn>(
    c: &mut C,
    name: &str,
) -> Result<Option<crate::backend::UserRow>> {
    let agency = current(c).await?;
    if c.role_keys(name, agency).await?.is_empty() {
        return Ok(None);
    }
    c.user(name).await
}

/// Gives `user` its roles (`user.roles()`) in the transaction's agency, replacing what it
/// held there (a supervisor role there is kept).
pub(crate) async fn grant_here<C: crate::backend::Conn>(c: &mut C, user: &User) -> Result<()> {
    let agency = current(c).await?;
    let held = c.role_keys(&user.name, agency).await?;
    let roles = user.roles();
    let mut keys: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    if held.iter().any(|k| k == SUPERVISOR) {
        keys.push(SUPERVISOR);
    }
    c.put_roles(&user.name, agency, &keys).await
}

/// The transaction's agency id (refused if it does not exist).
pub(crate) async fn current<C: AgencyConn>(c: &mut C) -> Result<AgencyId> {
    match c.this_agency().await? {
        Some(a) => Ok(a.id),
        None => Err(StoreError::NotFound {
            what: "机关",
            id: String::new(),
        }),
    }
}

/// Every agency in `all` under `root` (itself included), in tree order (depth first,
/// children by id), with each one's depth below `root`.
pub fn subtree_of(all: &[Agency], root: AgencyId) -> Vec<(Agency, usize)> {
    let mut out = Vec::new();
    let mut stack: Vec<(AgencyId, usize)> = vec![(root, 0)];
    while let Some((id, depth)) = stack.pop() {
        let Some(a) = all.iter().find(|a| a.id == id) else {
            continue;
        };
        if out.iter().any(|(b, _): &(Agency, usize)| b.id == id) {
            continue; // a cycle cannot be stored (CHECK), but never loop
        }
        out.push((a.clone(), depth));
        let mut children: Vec<AgencyId> = all
            .iter()
            .filter(|c| c.parent_id == Some(id))
            .map(|c| c.id)
            .collect();
        children.sort_unstable_by(|a, b| b.cmp(a));
        stack.extend(children.into_iter().map(|c| (c, depth + 1)));
    }
    out
}

pub(crate) async fn require_platform_admin<C: crate::backend::Conn>(
    c: &mut C,
    stamp: &Stamp,
) -> Result<()> {
    let me = ops::actor_anywhere(c, stamp).await?;
    let keys = c.role_keys(&me.name, ROOT).await?;
    if keys.iter().any(|k| k == Role::Admin.as_str()) {
        Ok(())
    } else {
        Err(StoreError::Forbidden {
            user: me.name,
            role: me.role,
            action: "管理平台的机关（须为根机关的管理员）",
        })
    }
}

async fn add<C: crate::backend::Conn>(c: &mut C, new: &NewAgency, stamp: &Stamp) -> Result<Agency> {
    require_platform_admin(c, stamp).await?;
    let code = new.code.trim();
    let name = new.name.trim();
    if code.is_empty() || code.chars().any(char::is_whitespace) {
        return Err(gongkai_ledger::LedgerError::EmptyField {
            field: "机关代码（不能为空或含空格）",
        }
        .into());
    }
    if name.is_empty() {
        return Err(gongkai_ledger::LedgerError::EmptyField {
            field: "机关名称"
        }
        .into());
    }
    let all = c.all_agencies().await?;
    if !all.iter().any(|a| a.id == new.parent_id) {
        return Err(StoreError::NotFound {
            what: "上级机关",
            id: new.parent_id.to_string(),
        });
    }
    if all.iter().any(|a| a.code == code) {
        return Err(StoreError::Duplicate {
            what: "机关代码",
            id: code.to_string(),
        });
    }
    let row = NewAgency {
        parent_id: new.parent_id,
        code: code.to_string(),
        name: name.to_string(),
        kind: new.kind,
    };
    let id = c.insert_agency(&row, stamp.at).await?;
    ops::audit(
        c,
        stamp,
        "agency.add",
        "agency",
        code,
        json!({ "id": id, "parent_id": row.parent_id, "name": name, "kind": row.kind }),
    )
    .await?;
    Ok(Agency {
        id,
        parent_id: Some(row.parent_id),
        code: row.code,
        name: row.name,
        kind: row.kind,
        created_at: stamp.at,
        reconsideration_organ: String::new(),
        court: String::new(),
    })
}

async fn grant<C: crate::backend::Conn>(
    c: &mut C,
    user: &str,
    agency: AgencyId,
    roles: &[String],
    stamp: &Stamp,
) -> Result<()> {
    require_platform_admin(c, stamp).await?;
    if c.user(user).await?.is_none() {
        return Err(StoreError::UnknownUser { name: user.into() });
    }
    let all = c.all_agencies().await?;
    if !all.iter().any(|a| a.id == agency) {
        return Err(StoreError::NotFound {
            what: "机关",
            id: agency.to_string(),
        });
    }
    let mut keys: Vec<&str> = Vec::new();
    for r in roles {
        let key = if r.trim() == SUPERVISOR || r.trim() == "监督" {
            SUPERVISOR
        } else {
            r.parse::<Role>()
                .map_err(|_| StoreError::NotFound {
                    what: "角色",
                    id: r.clone(),
                })?
                .as_str()
        };
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    let before = c.role_keys(user, agency).await?;
    c.put_roles(user, agency, &keys).await?;
    ops::audit(
        c,
        stamp,
        "agency.roles",
        "user",
        user,
        json!({ "agency_id": agency, "before": before, "after": keys }),
    )
    .await
}

impl Store {
    /// The agency this store works in.
    pub async fn this_agency(&self) -> Result<Agency> {
        tx!(self, read, |c| c.this_agency())?.ok_or(StoreError::NotFound {
            what: "机关",
            id: self.agency.to_string(),
        })
    }

    /// Every agency, by id.
    pub async fn agencies(&self) -> Result<Vec<Agency>> {
        tx!(self, read, |c| c.all_agencies())
    }

    /// The agency with code `code`.
    pub async fn agency_by_code(&self, code: &str) -> Result<Option<Agency>> {
        let code = code.trim();
        Ok(self.agencies().await?.into_iter().find(|a| a.code == code))
    }

    /// The agencies of `root`'s subtree (itself first), in tree order with their depth.
    pub async fn subtree(&self, root: AgencyId) -> Result<Vec<(Agency, usize)>> {
        Ok(subtree_of(&self.agencies().await?, root))
    }

    /// The agencies `user` may read as a supervisor: the subtrees of every node where it
    /// holds `supervisor`, each agency once, in tree order (the supervisor's views, a later
    /// stage, read through these).
    pub async fn supervised(&self, user: &str) -> Result<Vec<Agency>> {
        let held = self.memberships(user).await?;
        let all = self.agencies().await?;
        let mut out: Vec<Agency> = Vec::new();
        for (node, roles) in held {
            if roles.iter().any(|r| r == SUPERVISOR) {
                for (a, _) in subtree_of(&all, node) {
                    if !out.iter().any(|b| b.id == a.id) {
                        out.push(a);
                    }
                }
            }
        }
        Ok(out)
    }

    /// The platform administrator adds an agency (audited `agency.add` in the store's
    /// agency).
    pub async fn add_agency(&self, new: &NewAgency, stamp: &Stamp) -> Result<Agency> {
        tx!(self, write, |c| add(c, new, stamp))
    }

    /// The platform administrator sets `user`'s roles in `agency` (role keys or Chinese
    /// names, and `supervisor`; none: the user leaves the agency); audited `agency.roles`.
    pub async fn grant_roles(
        &self,
        user: &str,
        agency: AgencyId,
        roles: &[String],
        stamp: &Stamp,
    ) -> Result<()> {
        tx!(self, write, |c| grant(c, user, agency, roles, stamp))
    }

    /// The agencies where `user` holds a role, with the role keys, by agency id.
    pub async fn memberships(&self, user: &str) -> Result<Vec<(AgencyId, Vec<String>)>> {
        let rows = tx!(self, read, |c| c.memberships(user))?;
        let mut out: Vec<(AgencyId, Vec<String>)> = Vec::new();
        for (a, r) in rows {
            match out.last_mut() {
                Some((id, roles)) if *id == a => roles.push(r),
                _ => out.push((a, vec![r])),
            }
        }
        Ok(out)
    }

    /// The agencies where `user` holds a role (any, `supervisor` too), with the role keys,
    /// by agency id: one query (the web's request context asks it on every request).
    pub async fn held_agencies(&self, user: &str) -> Result<Vec<(Agency, Vec<String>)>> {
        let rows = tx!(self, read, |c| c.held_agencies(user))?;
        let mut out: Vec<(Agency, Vec<String>)> = Vec::new();
        for (a, r) in rows {
            match out.last_mut() {
                Some((b, roles)) if b.id == a.id => roles.push(r),
                _ => out.push((a, vec![r])),
            }
        }
        Ok(out)
    }

    /// `name` with the ledger roles held in the store's agency; `None` if the user does
    /// not exist or holds none of them here.
    pub async fn member(&self, name: &str) -> Result<Option<User>> {
        tx!(self, read, |c| async {
            match c.user(name).await? {
                Some(row) => member(c, row.user).await,
                None => Ok(None),
            }
        })
    }
}

use crate::backend::AccountConn as _;

#[cfg(test)]
mod tests {
    use super::*;

    fn a(id: AgencyId, parent: Option<AgencyId>) -> Agency {
        Agency {
            id,
            parent_id: parent,
            code: format!("c{id}"),
            name: format!("n{id}"),
            kind: AgencyKind::County,
            created_at: Utc::now(),
            reconsideration_organ: String::new(),
            court: String::new(),
        }
    }

    #[test]
    fn subtrees_are_depth_first() {
        let all = vec![a(1, None), a(2, Some(1)), a(3, Some(1)), a(4, Some(2))];
        let ids: Vec<(AgencyId, usize)> = subtree_of(&all, 1)
            .into_iter()
            .map(|(a, d)| (a.id, d))
            .collect();
        assert_eq!(ids, vec![(1, 0), (2, 1), (4, 2), (3, 1)]);
        assert_eq!(subtree_of(&all, 2).len(), 2);
        assert!(subtree_of(&all, 9).is_empty());
    }

    #[test]
    fn kinds_parse_from_chinese() {
        assert_eq!("县区".parse::<AgencyKind>(), Ok(AgencyKind::County));
        assert_eq!("街道".parse::<AgencyKind>(), Ok(AgencyKind::Township));
        assert_eq!("city".parse::<AgencyKind>(), Ok(AgencyKind::City));
        assert!("村".parse::<AgencyKind>().is_err());
    }
}
