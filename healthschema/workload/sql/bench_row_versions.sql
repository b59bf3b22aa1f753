-- Row versions this transaction wrote into customer_health: inserted + updated (HOT included).
SELECT (n_tup_ins + n_tup_upd)::bigint, n_tup_ins::bigint, n_tup_upd::bigint, n_tup_hot_upd::bigint
  FROM pg_catalog.pg_stat_xact_user_tables
 WHERE relid = {table}::regclass
