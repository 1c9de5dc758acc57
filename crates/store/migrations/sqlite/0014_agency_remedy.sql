-- The platform (issue 18 §1): each agency's 复议机关 and court (管辖法院), named in the
-- remedy paragraph of its reply letters, are columns of the tree, so the platform
-- administrator sees and sets them for every agency on one page.
-- ../postgres/0014_agency_remedy.sql makes the same change on PostgreSQL (same columns).
--
-- They come from the office settings (`agency_settings` key `office`, JSON), which keep
-- their other particulars; empty: the letter's defaults (本级人民政府, 人民法院).

ALTER TABLE agencies ADD COLUMN reconsideration_organ TEXT NOT NULL DEFAULT '';
ALTER TABLE agencies ADD COLUMN court TEXT NOT NULL DEFAULT '';

UPDATE agencies SET
    reconsideration_organ = COALESCE((
        SELECT json_extract(s.value, '$.reconsideration_organ') FROM agency_settings s
        WHERE s.agency_id = agencies.id AND s.key = 'office' AND json_valid(s.value)), ''),
    court = COALESCE((
        SELECT json_extract(s.value, '$.court') FROM agency_settings s
        WHERE s.agency_id = agencies.id AND s.key = 'office' AND json_valid(s.value)), '');
