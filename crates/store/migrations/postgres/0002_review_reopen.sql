-- Reopening an approved annual report (撤销批准、重新打开) is a review step of its own:
-- the `reviews.action` CHECK gains 'reopen'. ../sqlite/0002_review_reopen.sql makes the
-- same change on SQLite (by rebuilding the table).

ALTER TABLE reviews DROP CONSTRAINT reviews_action_check;
ALTER TABLE reviews ADD CONSTRAINT reviews_action_check
    CHECK (action IN ('submit', 'review', 'approve', 'send_back', 'reopen'));
