-- The register's list at 100,000 items (issue 16's acceptance: p99 < 50 ms with each
-- filter): the 体裁 and 主题分类 filters count and page on an index of their own, in the
-- list's order (生成日期, id), instead of scanning the agency's items. The page itself is
-- cut on the items' indexes before the versions are joined (crates/store/src/register/
-- query.rs). ../postgres/0024_register_list_indexes.sql makes the same indexes.

CREATE INDEX register_items_by_genre ON register_items (agency_id, genre, formed_on, id);
CREATE INDEX register_items_by_topic ON register_items (agency_id, topic, formed_on, id);
