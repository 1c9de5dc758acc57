//! A bench's office: a SQLite database initialised as `gongkai ledger init` does, with the
//! administrator `admin` and the clerk `clerk` (one password for both).

use chrono::Utc;
use gongkai_store::{NewUser, Role, Stamp, Store};

pub async fn office(db: &std::path::Path, agency: &str, password: &str) -> Store {
    let store = Store::open(db.to_str().expect("a UTF-8 path"))
        .await
        .unwrap();
    let user = |name: &str, role| NewUser {
        name: name.into(),
        display_name: None,
        role,
        password: password.into(),
    };
    store
        .init(agency, &user("admin", Role::Admin), Utc::now())
        .await
        .unwrap();
    store
        .add_user(&user("clerk", Role::Clerk), &Stamp::now("admin"))
        .await
        .unwrap();
    store
}
