-- The origin of a file being stored (same transaction as its source_files row).
INSERT INTO source_origins
    (sha256, channel, url, mailbox, message_key, message_id, mail_date, mail_from, attachment_name)
VALUES ($sha256, $channel, $url, $mailbox, $message_key, $message_id, $mail_date, $mail_from, $attachment_name);
