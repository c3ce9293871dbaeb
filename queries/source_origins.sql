-- Where the files that did not come from disk came from: the API page's URL, or the mail they were attached to.
SELECT sha256, channel, url, mailbox, message_key, message_id, mail_date, mail_from, attachment_name
FROM source_origins;
