//! What the CLI's integration tests share: a throw-away PostgreSQL database on the test
//! server named by `GONGKAI_TEST_POSTGRES_URL` (started by `scripts/postgres-test-server`).

/// A database created for one test and dropped (with its connections) when this is dropped,
/// also when the test panics.
pub struct PgDatabase {
    server: String,
    name: String,
    /// The URL of the new database: the server's URL with its database replaced.
    pub url: String,
}

/// A fresh database on the test server, named `{prefix}_{pid}_{nanos}`; `None` (with a
/// note on stderr) when no server is configured, a panic when `GONGKAI_REQUIRE_POSTGRES`
/// is set (CI: the PostgreSQL legs must run).
pub fn postgres_database(prefix: &str) -> Option<PgDatabase> {
    let Some(server) = std::env::var("GONGKAI_TEST_POSTGRES_URL")
        .ok()
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
    else {
        assert!(
            std::env::var_os("GONGKAI_REQUIRE_POSTGRES").is_none(),
            "GONGKAI_REQUIRE_POSTGRES is set but GONGKAI_TEST_POSTGRES_URL is not"
        );
        eprintln!("GONGKAI_TEST_POSTGRES_URL not set: PostgreSQL leg skipped");
        return None;
    };
    let name = format!(
        "{prefix}_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp_subsec_nanos()
    );
    execute(&server, &format!("CREATE DATABASE \"{name}\"")).expect("create database");
    let url = with_database(&server, &name);
    Some(PgDatabase { server, name, url })
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let drop = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        if let Err(e) = execute(&self.server, &drop) {
            eprintln!("could not drop the test database {}: {e}", self.name);
        }
    }
}

/// Runs one statement on `server` on a runtime of its own (the tests are synchronous).
fn execute(server: &str, sql: &str) -> Result<(), sqlx::Error> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(server).await?;
        sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&mut conn)
            .await?;
        Ok(())
    })
}

/// `url` with its database replaced by `db` (the query string kept).
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.find('?') {
        Some(q) => (&url[..q], &url[q..]),
        None => (url, ""),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    format!("{}/{db}{query}", &base[..host_end])
}
