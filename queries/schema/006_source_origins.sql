-- Where a stored file came from when it was not a file on disk: a Receipts API page (the URL it was fetched
-- from) or a mail attachment (the mail's Message-ID, date, sender and the attachment's name). One row per
-- source_files row that has such an origin; files imported from a path have none.
CREATE TABLE source_origins (
    sha256          VARCHAR PRIMARY KEY,   -- source_files.sha256
    channel         VARCHAR NOT NULL,      -- 'api' or 'mail'
    url             VARCHAR,               -- api: the page's URL
    mailbox         VARCHAR,               -- mail: the .eml, mbox or Maildir it was read from
    message_key     VARCHAR,               -- mail: the message's number (mbox) or file name (Maildir)
    message_id      VARCHAR,
    mail_date       TIMESTAMPTZ,
    mail_from       VARCHAR,
    attachment_name VARCHAR
);
