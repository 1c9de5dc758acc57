-- The publication register (0017) feeds the annual report (section 一's 主动公开 paragraph,
-- section 二's documents): its writes move the supervisor's figures like the other record
-- tables (0015's change counter, 0020's agency-level mark ''), in the same transaction.
-- ../sqlite/0022_register_supervision.sql makes the same change on SQLite.

CREATE TRIGGER register_items_insert_supervision AFTER INSERT ON register_items
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER register_items_insert_marks AFTER INSERT ON register_items
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_agency('');

CREATE TRIGGER register_items_update_supervision AFTER UPDATE ON register_items
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER register_items_update_marks AFTER UPDATE ON register_items
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_agency('');

CREATE TRIGGER register_versions_insert_supervision AFTER INSERT ON register_versions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER register_versions_insert_marks AFTER INSERT ON register_versions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_agency('');

CREATE TRIGGER register_publications_insert_supervision AFTER INSERT ON register_publications
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_bump_supervision();
CREATE TRIGGER register_publications_insert_marks AFTER INSERT ON register_publications
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gongkai_mark_agency('');
