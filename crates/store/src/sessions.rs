//! The agency a web session works in (issue 18 §1): a user with roles in several agencies
//! picks one with the agency switch, and the session remembers it (`sessions.agency_id`;
//! `NULL`: the user's first agency). A personal API token is made for one agency
//! (`api_tokens.agency_id`, see [`crate::tokens`]).

use serde_json::json;

use crate::auth;
use crate::backend::Conn;
use crate::error::{Result, StoreError};
use crate::model::{SessionToken, Stamp};
use crate::{Agency, Store, ops};

/// Write: the session `token` of the stamp's user now works in the transaction's agency,
/// where the user must hold a ledger role; audited `session.agency` in that agency with
/// the agency it came from.
async fn switch<C: Conn>(c: &mut C, token: &SessionToken, stamp: &Stamp) -> Result<Agency> {
    let id = auth::token_id(token);
    // Someone else's (or an ended) session is "not found": nothing is revealed.
    let session = match c.session(&id).await? {
        Some(s) if s.user == stamp.user => s,
        _ => {
            return Err(StoreError::NotFound {
                what: "会话",
                id: String::new(),
            });
        }
    };
    // Refused (`not_member`) unless the user holds a ledger role here.
    let me = ops::actor(c, stamp).await?;
    let agency = c.this_agency().await?.ok_or(StoreError::NotFound {
        what: "机关",
        id: String::new(),
    })?;
    c.set_session_agency(&id, agency.id).await?;
    ops::audit(
        c,
        stamp,
        "session.agency",
        "user",
        &me.name,
        json!({ "from": session.agency_id, "to": agency.id, "code": agency.code }),
    )
    .await?;
    Ok(agency)
}

impl Store {
    /// The session `token` of the stamp's user works in this store's agency from now on
    /// (the agency switch). Refused with [`StoreError::NotMember`] unless the user holds a
    /// ledger role here; a session that is not the user's is not found. Audited
    /// `session.agency` in this agency.
    pub async fn switch_session(&self, token: &SessionToken, stamp: &Stamp) -> Result<Agency> {
        tx!(self, write, |c| switch(c, token, stamp))
    }
}
