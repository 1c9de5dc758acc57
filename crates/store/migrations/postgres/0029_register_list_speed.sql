-- The register at 100,000 items (issue 16's acceptance figures: list p99 < 50 ms with each
-- filter, year-end < 1 s), continued from 0028. ../sqlite/0029_register_list_speed.sql
-- makes the same indexes on SQLite (and rewrites its word index, which PostgreSQL's
-- `tsvector` does not need); the reasons are given there.
--
-- `register_items_by_topic_bytes`: the 主题分类 filter reads the topic and its sub-topics
-- (`t\…`) as the range from `t` to `t]` in the bytes' order (`COLLATE "C"`, whatever the
-- database's collation), then checks them exactly (crates/store/src/register/query.rs).

CREATE INDEX register_items_by_topic_bytes
    ON register_items (agency_id, topic COLLATE "C", formed_on, id);
CREATE INDEX register_items_by_open_due ON register_items (agency_id, due_on, id)
    WHERE due_on IS NOT NULL AND first_published_on IS NULL AND withdrawn_at IS NULL;
CREATE INDEX register_items_by_organ ON register_items (agency_id, organ, formed_on, id);
CREATE INDEX register_versions_corrected ON register_versions (agency_id, item_id, version)
    WHERE kind = 'corrected';
CREATE INDEX register_items_versioned ON register_items (agency_id, id)
    WHERE doc_kind IS NOT NULL OR version > 1;
