package main

// diffRegressQueries are minimized queries found by TestDifferentialRandom
// (difffuzz_test.go); that test runs them before its random ones, in the
// same form as diffQueries (DuckDB text "" = same as ZeptoDB's). Both bugs
// below are fixed (commit 599124c); the queries guard against regressions.
func diffRegressQueries(d *diffData) []diffQuery {
	q := func(name, zepto, duck string) diffQuery { return diffQuery{name: name, zepto: zepto, duck: duck} }
	return []diffQuery{
		// Multi-key GROUP BY (and DISTINCT) puts a row whose key is the zero
		// value (false, 0, '') into the group of a NULL key when the
		// previous batch (here: the previous symbol's series, S4, stored
		// last a NULL flag) ended with that NULL key and the new batch has
		// no NULLs in that key: groupTable.assign compares the cached null
		// mask only when the batch has NULLs. With the default data seed
		// ZeptoDB answers (false, day 1) = 1 and (NULL, day 1) = 2, DuckDB
		// 2 and 1. Standalone: rows (1,'A',NULL,5), (2,'B',0,5) of
		// (ts, symbol, q, v); SELECT q, v, count(*) ... GROUP BY q, v gives
		// one group (NULL, 5, 2).
		q("fuzz: group key NULL then zero across series",
			`SELECT flag, xbar(ts, INTERVAL 1 DAY) AS b, count(*) FROM t WHERE symbol IN ('S4', 'S6') AND volume % 8 = 0 GROUP BY flag, b ORDER BY flag, b`,
			`SELECT flag, `+barD(nsPerDay)+` AS b, count(*) FROM t WHERE symbol IN ('S4', 'S6') AND volume % 8 = 0 GROUP BY flag, b ORDER BY flag, b`),
		// A NULL constant of a known type (a folded 1 / 0, CAST(NULL AS
		// DOUBLE)) is ignored when CASE and coalesce unify their branch
		// types (commonType skips every NULL constant), so the result is
		// INT64 where DuckDB's is DOUBLE.
		q("fuzz: typed NULL constant in coalesce and CASE",
			`SELECT ts, coalesce(1 / 0, qty), coalesce(CAST(NULL AS DOUBLE), qty), CASE WHEN qty > 0 THEN 0 / 0 ELSE qty END FROM t WHERE symbol = 'S8' ORDER BY ts`,
			`SELECT ts, coalesce(1 / nullif(0, 0), qty), coalesce(CAST(NULL AS DOUBLE), qty), CASE WHEN qty > 0 THEN 0 / nullif(0, 0) ELSE qty END FROM t WHERE symbol = 'S8' ORDER BY ts`),
		q("fuzz: typed NULL constant in an aggregated CASE",
			`SELECT symbol, sum(CASE WHEN qty > 0 THEN 0 / 0 END) FROM t GROUP BY symbol`,
			`SELECT symbol, sum(CASE WHEN qty > 0 THEN 0 / nullif(0, 0) END) FROM t GROUP BY symbol`),
	}
}
