-- Store one part of a run.
INSERT INTO reconcile_results VALUES ($key, $part, $content_version, $fee_version, $engine_version, $as_of,
                                      $date_from, $date_to, current_timestamp, $payload);
