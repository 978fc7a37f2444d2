package main

import (
	"fmt"
	"strings"
)

// The queries of TestDifferentialDuckDB. Where the dialects agree the DuckDB
// text is left empty (the same text runs on both). Translations:
//
//	xbar(ts, N)        ts - ts % N            (ts is positive)
//	vwap(p, v)         vwapD(p, v)            (rows where both are non-NULL; NULL for a zero volume sum)
//	first(x), last(x)  arg_min/arg_max(x, ts) FILTER (WHERE x IS NOT NULL)
//	ts vs. text        ts vs. the same instant in integer ns
//	LIMIT m, n         LIMIT n OFFSET m
//	x / qty            x / nullif(qty, 0): DuckDB's `/` divides as DOUBLE
//	                   and gives ±Inf for a zero divisor (IEEE), ZeptoDB
//	                   documents NULL
//
// A query with ORDER BY is compared in order, so its ORDER BY must be total.

func vwapD(p, v string) string {
	f := fmt.Sprintf("FILTER (WHERE %s IS NOT NULL AND %s IS NOT NULL)", p, v)
	return fmt.Sprintf("sum(%s * %s) %s / nullif(sum(%s) %s, 0)", p, v, f, v, f)
}

func firstD(x string) string {
	return fmt.Sprintf("arg_min(%s, ts) FILTER (WHERE %s IS NOT NULL)", x, x)
}
func lastD(x string) string {
	return fmt.Sprintf("arg_max(%s, ts) FILTER (WHERE %s IS NOT NULL)", x, x)
}
func barD(n int64) string { return fmt.Sprintf("(ts - ts %% %d)", n) }

// sub replaces {name} placeholders.
func sub(s string, kv ...string) string {
	return strings.NewReplacer(kv...).Replace(s)
}

func diffQueries(d *diffData) []diffQuery {
	t1, t2 := d.nthTS(700), d.nthTS(2300) // two timestamps of rows of t
	tExact := d.nthTS(1234)
	noon := diffBase + nsPerDay + 12*nsPerHour // 2026-11-03 12:00:00
	ph := []string{
		"{t1}", fmt.Sprint(t1), "{t2}", fmt.Sprint(t2), "{tExact}", fmt.Sprint(tExact),
		"{noon}", fmt.Sprint(noon), "{day1}", fmt.Sprint(diffBase + nsPerDay), "{day2}", fmt.Sprint(diffBase + 2*nsPerDay),
		"{hour30}", fmt.Sprint(diffBase + 30*nsPerHour),
		"{h0}", fmt.Sprint(d.t[0].ts), "{h0Text}", "'" + tsText(d.t[0].ts) + "'",
		"{day1Date}", "'2026-11-03'", "{day1RFC}", "'2026-11-03T00:00:00Z'", "{day2KDB}", "'2026.11.04D00:00:00'", "{noonText}", "'" + tsText(noon) + "'",
		"{t1Text}", "'" + tsText(t1) + "'", "{t2Text}", "'" + tsText(t2) + "'",
		"{vwap}", vwapD("price", "volume"), "{qty}", "nullif(qty, 0)",
		"{firstPrice}", firstD("price"), "{lastPrice}", lastD("price"),
		"{bar1m}", barD(nsPerMinute), "{bar5m}", barD(5 * nsPerMinute),
		"{bar15m}", barD(15 * nsPerMinute), "{bar1h}", barD(nsPerHour), "{bar1d}", barD(nsPerDay),
	}
	q := func(name, zepto, duck string) diffQuery {
		return diffQuery{name: name, zepto: sub(zepto, ph...), duck: sub(duck, ph...)}
	}
	return []diffQuery{
		// ---- global aggregates ----
		q("count(*)", `SELECT count(*) FROM t`, ``),
		q("count(col)", `SELECT count(price), count(volume), count(qty), count(flag), count(note), count(symbol), count(ts) FROM t`, ``),
		q("aggs price", `SELECT sum(price), avg(price), min(price), max(price) FROM t`, ``),
		q("aggs volume", `SELECT sum(volume), avg(volume), min(volume), max(volume) FROM t`, ``),
		q("aggs qty", `SELECT sum(qty), avg(qty), min(qty), max(qty) FROM t`, ``),
		q("min/max non-numeric", `SELECT min(ts), max(ts), min(note), max(note), min(flag), max(flag), min(symbol), max(symbol) FROM t`, ``),
		q("aggs where price", `SELECT count(*), sum(volume), avg(price), min(qty), max(note) FROM t WHERE price > 100`, ``),
		q("aggs where flag", `SELECT count(*), sum(qty), min(price), max(volume) FROM t WHERE flag`, ``),
		q("aggs where not flag", `SELECT count(*), sum(qty), avg(volume) FROM t WHERE flag = false`, ``),
		q("aggs of expressions", `SELECT sum(price * volume), sum(volume * qty), avg(volume / qty), sum(-qty), max(abs(qty)) FROM t`,
			`SELECT sum(price * volume), sum(volume * qty), avg(volume / {qty}), sum(-qty), max(abs(qty)) FROM t`),

		// ---- GROUP BY ----
		q("group by symbol", `SELECT symbol, count(*), count(price), sum(volume), avg(price), min(qty), max(qty) FROM t GROUP BY symbol`, ``),
		q("group by symbol ordered", `SELECT symbol, sum(price), min(price), max(price), avg(volume), sum(qty), avg(qty) FROM t GROUP BY symbol ORDER BY symbol`, ``),
		q("group by flag", `SELECT flag, count(*), sum(volume), avg(price) FROM t GROUP BY flag`, ``),
		q("group by note", `SELECT note, count(*), min(ts), max(price) FROM t GROUP BY note`, ``),
		q("group by symbol, flag", `SELECT symbol, flag, count(*), sum(qty) FROM t GROUP BY symbol, flag`, ``),
		q("group by position", `SELECT symbol, count(*) FROM t GROUP BY 1 ORDER BY 2 DESC, 1`, ``),
		q("group by expression", `SELECT volume % 7 AS m, count(*), sum(price) FROM t GROUP BY m`,
			`SELECT volume % 7 AS m, count(*), sum(price) FROM t GROUP BY m`),

		// ---- bars ----
		q("1-minute bars", `SELECT xbar(ts, 60000000000) AS bar, count(*), sum(volume), min(price), max(price) FROM t GROUP BY bar ORDER BY bar`,
			`SELECT {bar1m} AS bar, count(*), sum(volume), min(price), max(price) FROM t GROUP BY bar ORDER BY bar`),
		q("5-minute bars interval", `SELECT xbar(ts, INTERVAL 5 MINUTE) AS bar, count(*), avg(qty), first(price), last(price) FROM t GROUP BY bar`,
			`SELECT {bar5m} AS bar, count(*), avg(qty), {firstPrice}, {lastPrice} FROM t GROUP BY bar`),
		q("1-hour bars", `SELECT xbar(ts, 3600000000000) AS bar, count(*), avg(price), first(price), last(price), vwap(price, volume) FROM t GROUP BY bar ORDER BY bar`,
			`SELECT {bar1h} AS bar, count(*), avg(price), {firstPrice}, {lastPrice}, {vwap} FROM t GROUP BY bar ORDER BY bar`),
		q("1-day bars", `SELECT xbar(ts, INTERVAL 1 DAY) AS d, count(*), sum(qty), vwap(price, volume) FROM t GROUP BY d ORDER BY d`,
			`SELECT {bar1d} AS d, count(*), sum(qty), {vwap} FROM t GROUP BY d ORDER BY d`),
		q("OHLCV 5-minute bars per symbol", `SELECT symbol, xbar(ts, 300000000000) AS bar, first(price) AS open, max(price) AS high, min(price) AS low, last(price) AS close, sum(volume) AS volume FROM t GROUP BY symbol, bar ORDER BY symbol, bar`,
			`SELECT symbol, {bar5m} AS bar, {firstPrice} AS open, max(price) AS high, min(price) AS low, {lastPrice} AS close, sum(volume) AS volume FROM t GROUP BY symbol, bar ORDER BY symbol, bar`),
		q("1-hour vwap per symbol", `SELECT symbol, xbar(ts, INTERVAL 1 HOUR) AS bar, vwap(price, volume), count(volume) FROM t GROUP BY symbol, bar`,
			`SELECT symbol, {bar1h} AS bar, {vwap}, count(volume) FROM t GROUP BY symbol, bar`),
		q("1-minute vwap in a burst", `SELECT xbar(ts, 60000000000) AS bar, symbol, vwap(price, volume), sum(volume) FROM t WHERE ts >= {t1} GROUP BY bar, symbol`,
			`SELECT {bar1m} AS bar, symbol, {vwap}, sum(volume) FROM t WHERE ts >= {t1} GROUP BY bar, symbol`),
		q("15-minute bars having", `SELECT xbar(ts, 900000000000) AS bar, count(*) AS n, max(qty) FROM t GROUP BY bar HAVING count(*) > 3 ORDER BY n DESC, bar`,
			`SELECT {bar15m} AS bar, count(*) AS n, max(qty) FROM t GROUP BY bar HAVING count(*) > 3 ORDER BY n DESC, bar`),
		q("odd bar width", `SELECT xbar(ts, 7000000007) AS bar, count(*) FROM t WHERE symbol = 'S2' GROUP BY bar`,
			`SELECT (ts - ts % 7000000007) AS bar, count(*) FROM t WHERE symbol = 'S2' GROUP BY bar`),
		q("xbar of price", `SELECT xbar(price, 0.5) AS b, count(*) FROM t GROUP BY b`,
			`SELECT floor(price / 0.5) * 0.5 AS b, count(*) FROM t GROUP BY b`),

		// ---- HAVING ----
		q("having count", `SELECT symbol, count(*) AS n FROM t GROUP BY symbol HAVING count(*) > 350`, ``),
		q("having and", `SELECT symbol, avg(price) AS ap FROM t GROUP BY symbol HAVING avg(price) > 98 AND sum(volume) > 1000`, ``),
		q("having alias", `SELECT symbol, sum(qty) AS sq FROM t GROUP BY symbol HAVING sq < 0 OR sq > 1000`, ``),
		q("having not in select", `SELECT note FROM t GROUP BY note HAVING min(price) < -9.5 OR max(qty) < 100`, ``),

		// ---- ORDER BY / LIMIT / OFFSET ----
		q("order by ts limit", `SELECT ts, symbol, price FROM t ORDER BY ts LIMIT 10`, ``),
		q("order by ts desc limit offset", `SELECT ts, symbol, price FROM t ORDER BY ts DESC LIMIT 10 OFFSET 5`, ``),
		q("order by price desc nulls last", `SELECT ts, price FROM t ORDER BY price DESC, ts LIMIT 20`, ``),
		q("order by price tail with nulls", `SELECT ts, price FROM t ORDER BY price, ts LIMIT 20 OFFSET 2960`, ``),
		q("order by note desc", `SELECT ts, note FROM t ORDER BY note DESC, ts DESC LIMIT 25 OFFSET 2`, ``),
		q("order by nulls first", `SELECT ts, qty FROM t ORDER BY qty NULLS FIRST, ts LIMIT 20`, ``),
		q("order by desc nulls first", `SELECT ts, qty FROM t ORDER BY qty DESC NULLS FIRST, ts LIMIT 200`, ``),
		q("order by expression", `SELECT ts, qty FROM t ORDER BY abs(qty) DESC, ts LIMIT 10`, ``),
		q("order by flag offset", `SELECT flag, ts FROM t ORDER BY flag, ts DESC LIMIT 10 OFFSET 1450`, ``),
		q("order by symbol then ts", `SELECT symbol, ts, volume FROM t ORDER BY symbol DESC, ts LIMIT 30 OFFSET 700`, ``),
		q("last trades one symbol", `SELECT * FROM t WHERE symbol = 'S3' ORDER BY ts DESC LIMIT 50`, ``),
		q("order by aggregate", `SELECT symbol, sum(volume) AS v FROM t GROUP BY symbol ORDER BY v DESC, symbol LIMIT 3`, ``),
		q("limit m, n", `SELECT ts, volume FROM t ORDER BY ts LIMIT 5, 10`, `SELECT ts, volume FROM t ORDER BY ts LIMIT 10 OFFSET 5`),
		q("offset past end", `SELECT ts FROM t ORDER BY ts LIMIT 10 OFFSET 5000`, ``),
		q("limit 0", `SELECT ts FROM t ORDER BY ts LIMIT 0`, ``),

		// ---- WHERE ----
		q("where symbol <>", `SELECT count(*), sum(volume) FROM t WHERE symbol <> 'S3'`, ``),
		q("where price <", `SELECT count(*), min(ts) FROM t WHERE price < 50`, ``),
		q("where <= and >=", `SELECT count(*) FROM t WHERE price >= 50.5 AND volume <= 2500`, ``),
		q("where between", `SELECT symbol, count(*) FROM t WHERE volume BETWEEN 1000 AND 2000 GROUP BY symbol`, ``),
		q("where not between", `SELECT count(*) FROM t WHERE qty NOT BETWEEN -10 AND 10`, ``),
		q("where symbol in", `SELECT symbol, count(*) FROM t WHERE symbol IN ('S1', 'S5', 'NOPE') GROUP BY symbol`, ``),
		q("where symbol not in", `SELECT count(*) FROM t WHERE symbol NOT IN ('S1', 'S2')`, ``),
		q("where qty in", `SELECT ts, qty FROM t WHERE qty IN (0, 1, -1, 50)`, ``),
		q("where is null", `SELECT symbol, count(*) FROM t WHERE note IS NULL GROUP BY symbol`, ``),
		q("where is not null", `SELECT count(*) FROM t WHERE price IS NOT NULL AND volume IS NULL`, ``),
		q("where like prefix", `SELECT note, count(*) FROM t WHERE note LIKE 'buy%' GROUP BY note`, ``),
		q("where like underscore", `SELECT note, count(*) FROM t WHERE note LIKE 'a_b' GROUP BY note`, ``),
		q("where like infix", `SELECT count(*) FROM t WHERE note LIKE '%e%'`, ``),
		q("where not like", `SELECT note, count(*) FROM t WHERE note NOT LIKE '%l%' GROUP BY note`, ``),
		q("where ilike", `SELECT note, count(*) FROM t WHERE note ILIKE 'SELL%' GROUP BY note`, ``),
		q("where like non-ascii", `SELECT count(*) FROM t WHERE note LIKE 'caf_'`, ``),
		q("where and/or", `SELECT count(*) FROM t WHERE (price > 100 OR qty < 0) AND symbol IN ('S2', 'S3')`, ``),
		q("where not three-valued", `SELECT count(*) FROM t WHERE NOT (price > 100 OR qty < 0)`, ``),
		q("where not and", `SELECT count(*) FROM t WHERE NOT (flag AND volume > 2000)`, ``),
		q("where or nulls", `SELECT count(*) FROM t WHERE flag OR note = 'buy'`, ``),
		q("where ts int range", `SELECT count(*), sum(volume) FROM t WHERE ts >= {t1} AND ts < {t2}`, ``),
		q("where ts between", `SELECT symbol, count(*) FROM t WHERE ts BETWEEN {t1} AND {t2} GROUP BY symbol`, ``),
		q("where ts =", `SELECT ts, symbol, price, volume, qty, flag, note FROM t WHERE ts = {tExact}`, ``),
		q("where ts vs text", `SELECT count(*) FROM t WHERE ts > {noonText}`, `SELECT count(*) FROM t WHERE ts > {noon}`),
		q("where ts between text", `SELECT count(*) FROM t WHERE ts BETWEEN {t1Text} AND {t2Text}`, `SELECT count(*) FROM t WHERE ts BETWEEN {t1} AND {t2}`),
		q("where symbol range", `SELECT symbol, count(*) FROM t WHERE symbol > 'S4' GROUP BY symbol`, ``),
		q("where note range", `SELECT count(*) FROM t WHERE note >= 'b' AND note < 'c'`, ``),
		q("where arithmetic", `SELECT count(*) FROM t WHERE price * volume > 100000 AND volume % 2 = 0`, ``),

		// ---- one symbol, unknown symbol, empty ----
		q("one symbol aggregates", `SELECT count(*), sum(volume), avg(price), vwap(price, volume), first(price), last(price), first(note), last(qty) FROM t WHERE symbol = 'S3'`,
			`SELECT count(*), sum(volume), avg(price), {vwap}, {firstPrice}, {lastPrice}, `+firstD("note")+`, `+lastD("qty")+` FROM t WHERE symbol = 'S3'`),
		q("unknown symbol", `SELECT count(*) FROM t WHERE symbol = 'NOPE'`, ``),
		q("unknown symbol or known", `SELECT symbol, count(*) FROM t WHERE symbol = 'NOPE' OR symbol = 'S2' GROUP BY symbol`, ``),
		q("unknown symbol <>", `SELECT count(*) FROM t WHERE symbol <> 'NOPE'`, ``),
		q("empty global aggregates", `SELECT count(*), count(price), sum(price), avg(price), min(price), max(price), first(price), last(price), vwap(price, volume), sum(volume), min(note) FROM t WHERE symbol = 'NOPE'`,
			`SELECT count(*), count(price), sum(price), avg(price), min(price), max(price), {firstPrice}, {lastPrice}, {vwap}, sum(volume), min(note) FROM t WHERE symbol = 'NOPE'`),
		q("empty by contradiction", `SELECT count(*), sum(qty), max(ts) FROM t WHERE price > 100 AND price < 100`, ``),
		q("empty group by", `SELECT symbol, count(*) FROM t WHERE ts < 0 GROUP BY symbol`, ``),

		// ---- first/last/vwap ----
		q("vwap first last per symbol", `SELECT symbol, vwap(price, volume), first(price), last(price), first(ts), last(ts) FROM t GROUP BY symbol`,
			`SELECT symbol, {vwap}, {firstPrice}, {lastPrice}, min(ts), max(ts) FROM t GROUP BY symbol`),
		q("first last non-numeric", `SELECT symbol, first(note), last(note), first(flag), last(flag) FROM t GROUP BY symbol`,
			`SELECT symbol, `+firstD("note")+`, `+lastD("note")+`, `+firstD("flag")+`, `+lastD("flag")+` FROM t GROUP BY symbol`),
		q("vwap of expression", `SELECT symbol, vwap(price, qty) FROM t WHERE qty > 0 GROUP BY symbol`,
			`SELECT symbol, `+vwapD("price", "qty")+` FROM t WHERE qty > 0 GROUP BY symbol`),

		// ---- arithmetic and scalar functions ----
		q("arithmetic select list", `SELECT ts, price * volume, volume / qty, volume % 7, -price, abs(qty), round(price, 2), floor(price), ceil(price) FROM t WHERE symbol = 'S3'`,
			`SELECT ts, price * volume, volume / {qty}, volume % 7, -price, abs(qty), round(price, 2), floor(price), ceil(price) FROM t WHERE symbol = 'S3'`),
		q("integer arithmetic", `SELECT ts, qty % 7, volume - qty, qty * 3 + 1, volume + qty * qty FROM t`, ``),
		q("float arithmetic", `SELECT ts, price / 4, price + qty, price - volume, 2 * price * price FROM t WHERE symbol = 'S8'`, ``),
		q("division by zero", `SELECT ts, price / qty, volume / qty, volume % qty FROM t WHERE qty = 0 OR qty = -3`,
			`SELECT ts, price / {qty}, volume / {qty}, volume % qty FROM t WHERE qty = 0 OR qty = -3`),
		q("modulo negative", `SELECT ts, volume % qty, qty % 9 FROM t WHERE qty < 0`, ``),
		q("round variants", `SELECT ts, round(price), round(price, 1), round(price, 0), round(price, 3) FROM t WHERE symbol = 'S7'`, ``),
		q("sqrt abs", `SELECT ts, sqrt(abs(price)), abs(price), abs(-volume) FROM t WHERE symbol = 'S6'`, ``),
		q("timestamp arithmetic", `SELECT ts - 1000, ts + 1, ts - {t1} FROM t WHERE symbol = 'S4'`, ``),
		q("string functions", `SELECT DISTINCT note, length(note), upper(note), lower(note) FROM t`, ``),
		q("concat", `SELECT DISTINCT symbol || '/' || note FROM t WHERE symbol IN ('S1', 'S2')`, ``),
		q("cast", `SELECT ts, CAST(qty AS DOUBLE) / 2, CAST(volume AS DOUBLE), price::DOUBLE FROM t WHERE symbol = 'S5'`, ``),
		q("select without from", `SELECT 1, 7 / 2, 7 % 3, 2.5::DOUBLE * 2, 'x' || 'y'`, ``),

		// ---- DISTINCT ----
		q("distinct symbol", `SELECT DISTINCT symbol FROM t`, ``),
		q("distinct symbol flag", `SELECT DISTINCT symbol, flag FROM t`, ``),
		q("distinct ordered limit", `SELECT DISTINCT symbol FROM t ORDER BY symbol DESC LIMIT 3`, ``),
		q("distinct note where", `SELECT DISTINCT note FROM t WHERE symbol = 'S3'`, ``),

		// ---- table u: NULL symbols ----
		q("u counts", `SELECT count(*), count(symbol), count(venue), count(v), sum(v) FROM u`, ``),
		q("u group by symbol", `SELECT symbol, count(*), sum(v), min(v) FROM u GROUP BY symbol`, ``),
		q("u symbol is null", `SELECT count(*), sum(v) FROM u WHERE symbol IS NULL`, ``),
		q("u symbol <>", `SELECT count(*) FROM u WHERE symbol <> 'A'`, ``),
		q("u first last", `SELECT symbol, first(v), last(v) FROM u GROUP BY symbol`,
			`SELECT symbol, `+firstD("v")+`, `+lastD("v")+` FROM u GROUP BY symbol`),
		q("u order by symbol nulls last", `SELECT ts, symbol FROM u ORDER BY symbol, ts LIMIT 30 OFFSET 260`, ``),
		q("u order by symbol desc", `SELECT ts, symbol FROM u ORDER BY symbol DESC, ts LIMIT 30 OFFSET 260`, ``),
		q("u group by venue symbol", `SELECT venue, symbol, count(*), sum(v) FROM u GROUP BY venue, symbol`, ``),
		q("u where venue", `SELECT symbol, count(*) FROM u WHERE venue = 'X' AND v > 0 GROUP BY symbol`, ``),
		q("u distinct", `SELECT DISTINCT symbol, venue FROM u`, ``),

		// ---- more edge cases ----
		q("partition boundary <", `SELECT count(*), max(ts) FROM t WHERE ts < {day1}`, ``),
		q("partition boundary <=", `SELECT count(*), max(ts) FROM t WHERE ts <= {day1}`, ``),
		q("partition boundary >=", `SELECT count(*), min(ts) FROM t WHERE ts >= {day2}`, ``),
		q("partition boundary >", `SELECT count(*), min(ts) FROM t WHERE ts > {day2}`, ``),
		q("partition boundary = and symbol", `SELECT symbol, count(*) FROM t WHERE ts = {day1} OR ts = {day2} GROUP BY symbol`, ``),
		q("symbol and ts range", `SELECT count(*), sum(volume), first(price), last(price) FROM t WHERE symbol IN ('S3', 'S6') AND ts >= {day1} AND ts < {day2}`,
			`SELECT count(*), sum(volume), {firstPrice}, {lastPrice} FROM t WHERE symbol IN ('S3', 'S6') AND ts >= {day1} AND ts < {day2}`),
		q("two symbols contradiction", `SELECT count(*) FROM t WHERE symbol = 'S3' AND symbol = 'S5'`, ``),
		q("between reversed", `SELECT count(*) FROM t WHERE volume BETWEEN 2000 AND 1000`, ``),
		q("in with null", `SELECT count(*) FROM t WHERE qty IN (1, 2, NULL)`, ``),
		q("not in with null", `SELECT count(*) FROM t WHERE qty NOT IN (1, 2, NULL)`, ``),
		q("= null", `SELECT count(*) FROM t WHERE price = NULL OR note <> NULL`, ``),
		q("not flag", `SELECT count(*), sum(volume) FROM t WHERE NOT flag`, ``),
		q("!=", `SELECT count(*) FROM t WHERE note != 'buy' AND flag != true`, ``),
		q("empty string", `SELECT count(*), count(note) FROM t WHERE note = ''`, ``),
		q("like percent literal", `SELECT count(*) FROM t WHERE note LIKE 'sell%odd' OR note LIKE '%''%'`, ``),
		q("not like", `SELECT count(*) FROM t WHERE NOT note LIKE '%u%'`, ``),
		q("expression is null", `SELECT count(*) FROM t WHERE volume / qty IS NULL`, `SELECT count(*) FROM t WHERE volume / {qty} IS NULL`),
		q("column vs column", `SELECT count(*) FROM t WHERE price > qty AND volume <> qty`, ``),
		q("int column vs float", `SELECT count(*) FROM t WHERE qty = 2.0 OR volume > 2500.5 OR qty / 2 = 1.5`, ``),
		q("float column vs int", `SELECT count(*) FROM t WHERE price = 100 OR price < -1`, ``),
		q("order by column not selected", `SELECT ts FROM t ORDER BY price DESC, ts LIMIT 5`, ``),
		q("order by aggregate not selected", `SELECT symbol FROM t GROUP BY symbol ORDER BY sum(volume) DESC, symbol`, ``),
		q("order by first last", `SELECT symbol, first(price) AS o, last(price) AS c FROM t GROUP BY symbol ORDER BY c - o, symbol`,
			`SELECT symbol, {firstPrice} AS o, {lastPrice} AS c FROM t GROUP BY symbol ORDER BY c - o, symbol`),
		q("having first last", `SELECT xbar(ts, 3600000000000) AS bar, count(*) FROM t GROUP BY bar HAVING last(price) > first(price)`,
			`SELECT {bar1h} AS bar, count(*) FROM t GROUP BY bar HAVING {lastPrice} > {firstPrice}`),
		q("order by mixed directions", `SELECT flag, note, ts FROM t ORDER BY flag DESC, note, ts LIMIT 40 OFFSET 1400`, ``),
		q("order by note nulls first", `SELECT note, ts FROM t ORDER BY note NULLS FIRST, ts DESC LIMIT 40 OFFSET 140`, ``),
		q("group by ordered offset", `SELECT symbol, count(*) FROM t GROUP BY symbol ORDER BY symbol LIMIT 3 OFFSET 2`, ``),
		q("distinct ordered offset", `SELECT DISTINCT note FROM t ORDER BY note LIMIT 5 OFFSET 3`, ``),
		q("group by ts", `SELECT ts, count(*), sum(qty) FROM t WHERE symbol = 'S1' GROUP BY ts`, ``),
		q("where on xbar", `SELECT count(*), sum(volume) FROM t WHERE xbar(ts, 3600000000000) = {hour30}`,
			`SELECT count(*), sum(volume) FROM t WHERE {bar1h} = {hour30}`),
		q("bar first last ts", `SELECT xbar(ts, INTERVAL 1 DAY) AS d, first(ts), last(ts), min(ts), max(ts), first(symbol), last(symbol) FROM t GROUP BY d`,
			`SELECT {bar1d} AS d, min(ts), max(ts), min(ts), max(ts), `+firstD("symbol")+`, `+lastD("symbol")+` FROM t GROUP BY d`),
		// Exact halves are left out here: see knownDiffs.
		q("cast to integer", `SELECT ts, CAST(price AS BIGINT), CAST(price AS INT), CAST(flag AS INT) FROM t WHERE symbol = 'S6' AND price * 2 <> floor(price * 2)`, ``),
		// Whole-number doubles are left out here: see knownDiffs.
		q("cast to float and text", `SELECT ts, CAST(price AS FLOAT), CAST(price AS VARCHAR), CAST(flag AS VARCHAR), CAST(volume AS VARCHAR) FROM t WHERE symbol = 'S4' AND price <> floor(price)`, ``),
		q("cast to string", `SELECT DISTINCT CAST(qty AS VARCHAR) FROM t WHERE qty BETWEEN -5 AND 5`, ``),
		q("round negative digits", `SELECT ts, round(price, -1), round(volume / 3, 1) FROM t WHERE symbol = 'S2'`, ``),
		q("math functions", `SELECT ts, exp(price / 100), ln(abs(price) + 1), log10(volume + 1), log2(volume + 1) FROM t WHERE symbol = 'S1'`, ``),
		// sign and round of integers are compared by value here (the result
		// types are in knownDiffs).
		q("sign values", `SELECT DISTINCT CAST(sign(qty) AS BIGINT), CAST(sign(price) AS BIGINT) FROM t`, ``),
		q("case searched", `SELECT ts, CASE WHEN price > 100 THEN 'hi' WHEN price < 0 THEN 'neg' WHEN price IS NULL THEN 'null' ELSE 'mid' END FROM t WHERE symbol = 'S3'`, ``),
		q("case simple", `SELECT symbol, CASE symbol WHEN 'S1' THEN 1 WHEN 'S2' THEN 2 ELSE 0 END, count(*) FROM t GROUP BY symbol`, ``),
		q("case in aggregate", `SELECT symbol, sum(CASE WHEN flag THEN volume ELSE 0 END), count(CASE WHEN qty > 0 THEN 1 END) FROM t GROUP BY symbol`, ``),
		q("coalesce nullif if", `SELECT ts, coalesce(price, qty, -1.5), coalesce(note, 'none'), nullif(qty, 0), if(volume > 500, 'big', 'small') FROM t WHERE symbol = 'S5'`, ``),
		q("substr concat pow", `SELECT ts, substr(note, 2, 3), substr(note, -2), concat(symbol, '-', note), pow(abs(qty), 0.5) FROM t WHERE symbol = 'S6'`, ``),
		q("statistics", `SELECT symbol, count(DISTINCT qty), count(DISTINCT note), stddev(price), stddev_pop(price), variance(volume), var_pop(qty) FROM t GROUP BY symbol`,
			`SELECT symbol, count(DISTINCT qty), count(DISTINCT note), stddev_samp(price), stddev_pop(price), var_samp(volume), var_pop(qty) FROM t GROUP BY symbol`),
		q("quantiles", `SELECT symbol, median(price), percentile(volume, 0.9), quantile(qty, 0.25) FROM t GROUP BY symbol`,
			`SELECT symbol, quantile_cont(price, 0.5), quantile_cont(volume, 0.9), quantile_cont(qty, 0.25) FROM t GROUP BY symbol`),
		q("arg min max", `SELECT symbol, arg_min(ts, price), arg_max(ts, price), argMin(note, ts), arg_max(price, ts) FROM t GROUP BY symbol`,
			`SELECT symbol, arg_min(ts, price) FILTER (WHERE ts IS NOT NULL AND price IS NOT NULL), arg_max(ts, price) FILTER (WHERE ts IS NOT NULL AND price IS NOT NULL), arg_min(note, ts) FILTER (WHERE note IS NOT NULL), arg_max(price, ts) FILTER (WHERE price IS NOT NULL) FROM t GROUP BY symbol`),
		q("wavg and distinct symbols", `SELECT count(DISTINCT symbol), wavg(volume, price), count(DISTINCT flag) FROM t`,
			`SELECT count(DISTINCT symbol), sum(volume*price) FILTER (WHERE volume IS NOT NULL AND price IS NOT NULL) / sum(volume) FILTER (WHERE volume IS NOT NULL AND price IS NOT NULL), count(DISTINCT flag) FROM t`),
		q("date_trunc", `SELECT ts, date_trunc('second', ts), date_trunc('minute', ts), date_trunc('hour', ts), date_trunc('day', ts), date_trunc('week', ts), date_trunc('month', ts), date_trunc('year', ts) FROM t WHERE symbol = 'S2'`,
			`SELECT ts, epoch_ns(date_trunc('second', make_timestamp(ts // 1000))), epoch_ns(date_trunc('minute', make_timestamp(ts // 1000))), epoch_ns(date_trunc('hour', make_timestamp(ts // 1000))), epoch_ns(date_trunc('day', make_timestamp(ts // 1000))), epoch_ns(date_trunc('week', make_timestamp(ts // 1000))), epoch_ns(date_trunc('month', make_timestamp(ts // 1000))), epoch_ns(date_trunc('year', make_timestamp(ts // 1000))) FROM t WHERE symbol = 'S2'`),
		q("date_part and epochs", `SELECT ts, date_part('hour', ts), date_part('minute', ts), date_part('dow', ts), date_part('doy', ts), date_part('week', ts), epoch_ms(ts), epoch_s(ts) FROM t WHERE symbol = 'S4'`,
			`SELECT ts, date_part('hour', make_timestamp(ts // 1000)), date_part('minute', make_timestamp(ts // 1000)), date_part('dow', make_timestamp(ts // 1000)), date_part('doy', make_timestamp(ts // 1000)), date_part('week', make_timestamp(ts // 1000)), ts // 1000000, ts // 1000000000 FROM t WHERE symbol = 'S4'`),
		q("group by date_trunc hour", `SELECT date_trunc('hour', ts) AS h, count(*), vwap(price, volume) FROM t GROUP BY h`,
			`SELECT epoch_ns(date_trunc('hour', make_timestamp(ts // 1000))) AS h, count(*), `+vwapD("price", "volume")+` FROM t GROUP BY h`),
		q("sample by hour per symbol", `SELECT ts, symbol, count(*), sum(volume), max(price) FROM t SAMPLE BY 1h`,
			`SELECT ts - ts % 3600000000000, symbol, count(*), sum(volume), max(price) FROM t GROUP BY 1, 2`),
		q("sample by 15m filtered", `SELECT ts, first(price), last(price) FROM t WHERE symbol = 'S1' SAMPLE BY 15m`,
			`SELECT ts - ts % 900000000000, `+firstD("price")+`, `+lastD("price")+` FROM t WHERE symbol = 'S1' GROUP BY 1`),
		q("asof previous trade", `SELECT a.ts, a.symbol, b.ts, b.price, b.volume FROM t a ASOF JOIN t b ON a.symbol = b.symbol AND a.ts > b.ts WHERE a.symbol IN ('S1', 'S4')`, ``),
		q("asof left at or before", `SELECT a.ts, b.ts, b.qty FROM t a ASOF LEFT JOIN t b ON a.symbol = b.symbol AND a.ts >= b.ts WHERE a.symbol = 'S2'`, ``),
		q("asof forward", `SELECT a.ts, b.ts FROM t a ASOF JOIN t b ON a.symbol = b.symbol AND a.ts < b.ts WHERE a.symbol = 'S3'`, ``),
		q("asof aggregate", `SELECT a.symbol, count(*), sum(b.volume), avg(a.price - b.price) FROM t a ASOF JOIN t b ON a.symbol = b.symbol AND a.ts > b.ts GROUP BY a.symbol`, ``),
		q("asof across symbols", `SELECT a.ts, b.symbol, b.ts FROM t a ASOF JOIN t b ON a.ts > b.ts WHERE a.symbol = 'S5'`, ``),
		q("asof null keys", `SELECT a.ts, a.symbol, b.ts FROM u a ASOF LEFT JOIN u b ON a.symbol = b.symbol AND a.ts > b.ts`, ``),
		q("cte and subquery", `WITH per AS (SELECT symbol, sum(volume) AS vol, count(*) AS n FROM t GROUP BY symbol) SELECT symbol, vol, n FROM per WHERE vol > (0) AND n > 100`, ``),
		q("from subquery aggregate", `SELECT max(v), min(v), count(*) FROM (SELECT symbol, avg(price) AS v FROM t GROUP BY symbol) AS x`, ``),
		q("union all and except", `SELECT symbol FROM t WHERE qty > 40 UNION ALL SELECT symbol FROM t WHERE qty < -40`, ``),
		q("union distinct", `SELECT symbol, flag FROM t WHERE volume > 900 UNION SELECT symbol, flag FROM t WHERE volume < 100`, ``),
		q("intersect and except", `SELECT symbol FROM t WHERE price > 150 INTERSECT SELECT symbol FROM t WHERE price < 50 EXCEPT SELECT 'S1'`, ``),
		q("window ranking and shifts", `SELECT ts, symbol, row_number() OVER (PARTITION BY symbol ORDER BY ts), lag(price) OVER (PARTITION BY symbol ORDER BY ts), lead(volume, 2) OVER (PARTITION BY symbol ORDER BY ts), rank() OVER (ORDER BY qty) FROM t WHERE symbol IN ('S1', 'S2') ORDER BY ts`, ``),
		q("window moving aggregates", `SELECT ts, avg(price) OVER (PARTITION BY symbol ORDER BY ts ROWS BETWEEN 19 PRECEDING AND CURRENT ROW), sum(volume) OVER (PARTITION BY symbol ORDER BY ts), min(qty) OVER (PARTITION BY symbol ORDER BY ts ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING), max(price) OVER (PARTITION BY symbol), count(price) OVER (PARTITION BY symbol ORDER BY ts ROWS 5 PRECEDING) FROM t WHERE symbol = 'S3' ORDER BY ts`, ``),
		q("window first last dense", `SELECT ts, first_value(price) OVER (PARTITION BY symbol ORDER BY ts), last_value(note) OVER (PARTITION BY symbol ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), dense_rank() OVER (PARTITION BY symbol ORDER BY flag) FROM t WHERE symbol = 'S4' ORDER BY ts`, ``),
		q("window range interval", `SELECT symbol, ts, avg(price) OVER (PARTITION BY symbol ORDER BY ts RANGE BETWEEN INTERVAL '5 minutes' PRECEDING AND CURRENT ROW), count(*) OVER (PARTITION BY symbol ORDER BY ts RANGE BETWEEN INTERVAL '1 hour' PRECEDING AND INTERVAL '10 minutes' FOLLOWING), min(price) OVER (PARTITION BY symbol ORDER BY ts RANGE BETWEEN INTERVAL '30 minutes' PRECEDING AND CURRENT ROW), sum(volume) OVER (PARTITION BY symbol ORDER BY ts RANGE BETWEEN INTERVAL 2 HOUR PRECEDING AND INTERVAL 1 MINUTE PRECEDING) FROM t WHERE symbol IN ('S1', 'S3') ORDER BY symbol, ts`,
			`SELECT symbol, ts, avg(price) OVER (PARTITION BY symbol ORDER BY ts RANGE BETWEEN 300000000000 PRECEDING AND CURRENT ROW), count(*) OVER (PARTITION BY symbol ORDER BY ts RANGE BETWEEN 3600000000000 PRECEDING AND 600000000000 FOLLOWING), min(price) OVER (PARTITION BY symbol ORDER BY ts RANGE BETWEEN 1800000000000 PRECEDING AND CURRENT ROW), sum(volume) OVER (PARTITION BY symbol ORDER BY ts RANGE BETWEEN 7200000000000 PRECEDING AND 60000000000 PRECEDING) FROM t WHERE symbol IN ('S1', 'S3') ORDER BY symbol, ts`),
		q("window range numeric nulls", `SELECT qty, count(*) OVER (ORDER BY qty RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING), sum(volume) OVER (ORDER BY qty DESC RANGE BETWEEN 3 PRECEDING AND CURRENT ROW), max(volume) OVER (ORDER BY qty NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING) FROM t ORDER BY qty`, ``),
		q("window range float key", `SELECT price, count(*) OVER (ORDER BY price RANGE BETWEEN 0.5 PRECEDING AND 0.5 FOLLOWING), max(volume) OVER (ORDER BY price RANGE BETWEEN 1.25 PRECEDING AND CURRENT ROW) FROM t WHERE symbol = 'S2' ORDER BY price`, ``),
		q("named windows", `SELECT ts, avg(price) OVER w, count(*) OVER w, sum(volume) OVER (w2 ORDER BY ts ROWS 3 PRECEDING) FROM t WHERE symbol = 'S2' WINDOW w AS (PARTITION BY symbol ORDER BY ts ROWS BETWEEN 4 PRECEDING AND CURRENT ROW), w2 AS (PARTITION BY symbol) ORDER BY ts`, ``),
		q("windows over hourly bars", `SELECT symbol, xbar(ts, 3600000000000) AS bar, last(price) AS close, close - lag(close) OVER (PARTITION BY symbol ORDER BY bar) AS chg, avg(sum(volume)) OVER (PARTITION BY symbol ORDER BY bar ROWS 2 PRECEDING) AS vol3 FROM t GROUP BY symbol, bar ORDER BY symbol, bar`,
			`SELECT symbol, {bar1h} AS bar, {lastPrice} AS close, close - lag(close) OVER (PARTITION BY symbol ORDER BY bar) AS chg, avg(sum(volume)) OVER (PARTITION BY symbol ORDER BY bar ROWS 2 PRECEDING) AS vol3 FROM t GROUP BY symbol, bar ORDER BY symbol, bar`),
		q("rank of grouped sums", `SELECT symbol, sum(volume) AS v, rank() OVER (ORDER BY sum(volume) DESC) AS r, sum(volume) * 1.0 / sum(sum(volume)) OVER () AS share FROM t GROUP BY symbol HAVING count(*) > 10 ORDER BY symbol`, ``),
		q("qualify over grouped", `SELECT symbol, xbar(ts, 3600000000000) AS bar, count(*) AS n FROM t GROUP BY symbol, bar QUALIFY row_number() OVER (PARTITION BY symbol ORDER BY count(*) DESC, bar) = 1 ORDER BY symbol`,
			`SELECT symbol, {bar1h} AS bar, count(*) AS n FROM t GROUP BY symbol, bar QUALIFY row_number() OVER (PARTITION BY symbol ORDER BY count(*) DESC, bar) = 1 ORDER BY symbol`),
		q("aggregate FILTER", `SELECT symbol, count(*) FILTER (WHERE flag), sum(volume) FILTER (WHERE price > 100), avg(price) FILTER (WHERE note LIKE 'b%'), count(DISTINCT qty) FILTER (WHERE qty > 10), stddev(price) FILTER (WHERE qty IS NULL) FROM t GROUP BY symbol HAVING count(*) FILTER (WHERE NOT flag) > 5 ORDER BY symbol`, ``),
		q("limit by symbol", `SELECT symbol, ts, price, volume FROM t ORDER BY ts DESC, volume, price LIMIT 2 BY symbol`,
			`SELECT symbol, ts, price, volume FROM t QUALIFY row_number() OVER (PARTITION BY symbol ORDER BY ts DESC, volume, price) <= 2 ORDER BY ts DESC, volume, price`),
		q("limit offset by then limit", `SELECT symbol, ts, qty FROM t WHERE qty IS NOT NULL ORDER BY qty, ts, symbol LIMIT 3 OFFSET 1 BY symbol LIMIT 10`,
			`SELECT symbol, ts, qty FROM t WHERE qty IS NOT NULL QUALIFY row_number() OVER (PARTITION BY symbol ORDER BY qty, ts, symbol) BETWEEN 2 AND 4 ORDER BY qty, ts, symbol LIMIT 10`),
		q("three-way join", `SELECT a.venue, count(*), sum(c.v), count(DISTINCT b.symbol) FROM u a JOIN u b ON a.venue = b.venue AND a.v = b.v JOIN u c ON b.symbol = c.symbol GROUP BY a.venue ORDER BY a.venue NULLS LAST`, ``),
		q("three-way left joins", `SELECT count(*), count(c.v), sum(a.v), min(b.ts) FROM u a LEFT JOIN u b ON a.venue = b.venue AND a.v = b.v LEFT JOIN u c ON b.symbol = c.symbol AND c.v < 50`, ``),
		q("join of a grouped subquery", `SELECT s.symbol, s.n, count(*), sum(t.volume) FROM (SELECT symbol, count(*) AS n FROM t GROUP BY symbol) s JOIN t ON s.symbol = t.symbol WHERE t.qty > 10 GROUP BY s.symbol, s.n ORDER BY s.symbol`, ``),
		q("four tables", `SELECT count(*), sum(d.qty) FROM t a JOIN t b ON a.qty = b.qty AND a.symbol = b.symbol JOIN (SELECT symbol, max(qty) AS mq FROM t GROUP BY symbol) c ON c.symbol = b.symbol AND c.mq = b.qty JOIN t d ON d.symbol = c.symbol AND d.qty = c.mq`, ``),
		q("window over asof join", `SELECT a.ts, a.symbol, a.price - b.price AS move, avg(a.price - b.price) OVER (PARTITION BY a.symbol ORDER BY a.ts RANGE BETWEEN 3600000000000 PRECEDING AND CURRENT ROW) AS avg_move FROM t a ASOF JOIN t b ON a.symbol = b.symbol AND a.ts > b.ts WHERE a.symbol IN ('S1', 'S4') ORDER BY 1, 2, 3, 4`, ``),
		q("bars over asof join", `SELECT a.ts, count(*), sum(a.volume), min(b.ts) FROM t a ASOF JOIN t b ON a.symbol = b.symbol AND a.ts > b.ts SAMPLE BY 1h`,
			`SELECT a.ts - a.ts % 3600000000000 AS ts, count(*), sum(a.volume), min(b.ts) FROM t a ASOF JOIN t b ON a.symbol = b.symbol AND a.ts > b.ts GROUP BY 1 ORDER BY 1`),
		q("rank over join", `SELECT a.venue, a.v, b.symbol, dense_rank() OVER (PARTITION BY a.venue ORDER BY a.v DESC) FROM u a JOIN u b ON a.symbol = b.symbol AND a.v = b.v ORDER BY 1, 2, 3, 4`, ``),
		q("distinct inside aggregates", `SELECT symbol, sum(DISTINCT qty), avg(DISTINCT volume), stddev(DISTINCT price), median(DISTINCT qty), var_pop(DISTINCT qty), max(DISTINCT note) FROM t GROUP BY symbol ORDER BY symbol`, ``),
		q("distinct sum global", `SELECT sum(DISTINCT volume), avg(DISTINCT price), count(DISTINCT price) FROM t WHERE flag`, ``),
		q("distinct over groups", `SELECT DISTINCT flag, count(*) > 150 AS big FROM t GROUP BY symbol, flag ORDER BY flag NULLS LAST, big`, ``),
		q("correlated scalar in where", `SELECT ts, symbol, price FROM t o WHERE price > (SELECT avg(price) + 10 FROM t i WHERE i.symbol = o.symbol AND i.flag) ORDER BY ts, symbol, price`, ``),
		q("correlated scalars in select", `SELECT ts, symbol, (SELECT max(i.volume) FROM t i WHERE i.symbol = o.symbol AND i.qty = o.qty) AS mv, (SELECT count(*) FROM t i WHERE i.note = o.note AND i.symbol = o.symbol) AS n FROM t o WHERE symbol = 'S2' ORDER BY ts, mv, n`, ``),
		q("correlated exists", `SELECT count(*), sum(volume) FROM t o WHERE EXISTS (SELECT 1 FROM t i WHERE i.qty = o.qty AND i.symbol <> 'S1' AND i.price < 90)`, ``),
		q("correlated not exists grouped", `SELECT symbol, count(*) FROM t o WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.v = o.volume) GROUP BY symbol ORDER BY symbol`, ``),
		q("qualify latest per symbol", `SELECT symbol, ts, price FROM t QUALIFY row_number() OVER (PARTITION BY symbol ORDER BY ts DESC) = 1 ORDER BY symbol`, ``),
		q("delta via lag", `SELECT ts, delta(price) OVER (PARTITION BY symbol ORDER BY ts) FROM t WHERE symbol = 'S6' ORDER BY ts`,
			`SELECT ts, price - lag(price) OVER (PARTITION BY symbol ORDER BY ts) FROM t WHERE symbol = 'S6' ORDER BY ts`),
		q("inner join on symbol", `SELECT a.symbol, count(*), sum(b.v) FROM t a JOIN u b ON a.symbol = b.symbol WHERE a.qty > 30 GROUP BY a.symbol`, ``),
		q("left join keeps unmatched", `SELECT a.ts, b.v FROM t a LEFT JOIN u b ON a.symbol = b.symbol WHERE a.symbol IN ('S1', 'S7') AND a.qty > 45`, ``),
		q("full join two keys with null keys", `SELECT a.symbol, a.venue, b.symbol, b.venue, count(*), sum(a.v), sum(b.v) FROM u a FULL JOIN u b ON a.symbol = b.symbol AND a.venue = b.venue GROUP BY 1, 2, 3, 4`, ``),
		q("right join int with bigint key", `SELECT b.symbol, count(*), count(a.ts), sum(a.volume), sum(b.v) FROM t a RIGHT JOIN u b ON a.qty = b.v GROUP BY b.symbol`, ``),
		q("full join int with bigint key", `SELECT count(*), count(a.ts), count(b.ts), sum(a.volume), sum(b.v), min(a.qty), max(b.v) FROM t a FULL OUTER JOIN u b ON b.v = a.qty`, ``),
		q("left join two keys filtered", `SELECT a.ts, a.symbol, a.venue, b.ts, b.v FROM u a LEFT JOIN u b ON a.symbol = b.symbol AND a.venue = b.venue WHERE a.v > 650 AND (b.v < 0 OR b.v IS NULL)`, ``),
		q("right join pushed filters", `SELECT a.ts, b.ts, b.v FROM u a RIGHT JOIN u b ON a.symbol = b.symbol AND a.venue = b.venue WHERE b.v > 600 AND (a.v IS NULL OR a.v < -200)`, ``),
		q("inner join using", `SELECT symbol, venue, count(*), sum(a.v * b.v) FROM u a JOIN u b USING (symbol, venue) WHERE a.ts < b.ts GROUP BY symbol, venue`, ``),
		q("full join using merged", `SELECT symbol, count(*), count(a.v), count(b.v) FROM u a FULL JOIN u b USING (symbol, venue) GROUP BY symbol`, ``),
		q("cross join filtered", `SELECT count(*), sum(a.v - b.v), min(a.ts - b.ts) FROM u a CROSS JOIN u b WHERE a.venue = 'X' AND b.symbol = 'C'`, ``),
		q("cross join ordered limit", `SELECT a.ts, b.ts, b.v FROM t a CROSS JOIN u b WHERE a.symbol = 'S6' ORDER BY a.ts, b.ts, b.v NULLS LAST LIMIT 20 OFFSET 5`, ``),
		q("inner join extra on terms", `SELECT a.symbol, count(*), sum(b.v) FROM u a JOIN u b ON a.symbol = b.symbol AND a.ts < b.ts AND b.v > a.v GROUP BY a.symbol`, ``),
		q("asof two keys", `SELECT a.ts, a.symbol, a.venue, b.ts, b.v FROM u a ASOF LEFT JOIN u b ON a.symbol = b.symbol AND a.venue = b.venue AND a.ts > b.ts`, ``),
		// WINDOW JOIN: DuckDB aggregates a range join per left row (t's and
		// u's timestamps are unique, so GROUP BY a.ts is one group per row).
		q("window join wj1", `SELECT a.ts, a.symbol, wj_count(b.price), wj_count(*), wj_sum(b.volume), wj_avg(b.price), wj_min(b.qty), wj_max(b.price), wj_first(b.note), wj_last(b.price) FROM t a WINDOW JOIN t b ON a.symbol = b.symbol AND b.ts BETWEEN a.ts - INTERVAL 10 MINUTE AND a.ts + INTERVAL 5 MINUTE WHERE a.symbol IN ('S2', 'S6')`,
			`SELECT a.ts, a.symbol, count(b.price), count(b.ts), sum(b.volume), avg(b.price), min(b.qty), max(b.price), arg_min(b.note, b.ts) FILTER (WHERE b.note IS NOT NULL), arg_max(b.price, b.ts) FILTER (WHERE b.price IS NOT NULL) FROM t a LEFT JOIN t b ON a.symbol = b.symbol AND b.ts BETWEEN a.ts - 600000000000 AND a.ts + 300000000000 WHERE a.symbol IN ('S2', 'S6') GROUP BY a.ts, a.symbol`),
		q("window join wj prevailing", `SELECT a.ts, a.symbol, wj_count(b.price), wj_count(*), wj_avg(b.price), wj_min(b.price), wj_first(b.price), wj_last(b.volume) FROM t a WINDOW JOIN t b ON a.symbol = b.symbol AND b.ts BETWEEN a.ts - INTERVAL 10 MINUTE AND a.ts INCLUDE PREVAILING WHERE a.symbol IN ('S1', 'S8')`,
			`WITH p AS (SELECT a.ts AS ats, a.symbol AS asym, (SELECT max(c.ts) FROM t c WHERE c.symbol = a.symbol AND c.ts < a.ts - 600000000000) AS pts, EXISTS (SELECT 1 FROM t d WHERE d.symbol = a.symbol AND d.ts = a.ts - 600000000000) AS atstart FROM t a WHERE a.symbol IN ('S1', 'S8')) `+
				`SELECT p.ats, p.asym, count(b.price), count(b.ts), avg(b.price), min(b.price), arg_min(b.price, b.ts) FILTER (WHERE b.price IS NOT NULL), arg_max(b.volume, b.ts) FILTER (WHERE b.volume IS NOT NULL) FROM p LEFT JOIN t b ON b.symbol = p.asym AND (b.ts BETWEEN p.ats - 600000000000 AND p.ats OR (NOT p.atstart AND b.ts = p.pts)) GROUP BY p.ats, p.asym`),
		q("window join two keys null keys", `SELECT a.ts, a.symbol, a.venue, wj_count(*), wj_sum(b.v), wj_max(b.ts) FROM u a WINDOW JOIN u b ON a.symbol = b.symbol AND a.venue = b.venue AND b.ts BETWEEN a.ts - INTERVAL 6 HOUR AND a.ts`,
			`SELECT a.ts, a.symbol, a.venue, count(b.ts), sum(b.v), max(b.ts) FROM u a LEFT JOIN u b ON a.symbol = b.symbol AND a.venue = b.venue AND b.ts BETWEEN a.ts - 21600000000000 AND a.ts GROUP BY a.ts, a.symbol, a.venue`),
		q("join derived table dictionary", `WITH x AS (SELECT venue, symbol, sum(v) AS s FROM u WHERE venue = 'Y' GROUP BY venue, symbol) SELECT x.symbol, b.venue, x.s, count(*) FROM x RIGHT JOIN u b ON x.symbol = b.symbol GROUP BY 1, 2, 3`, ``),
		q("cast half to integer", `SELECT ts, price, CAST(price AS BIGINT), CAST(price AS INT), CAST(-price AS BIGINT) FROM t WHERE price * 2 = floor(price * 2) AND price <> floor(price)`, ``),
		q("cast whole double to text", `SELECT ts, price, CAST(price AS VARCHAR), CAST(floor(price) AS VARCHAR) FROM t WHERE price = floor(price)`, ``),
		q("sign type", `SELECT DISTINCT sign(qty), sign(volume), sign(price) FROM t`, ``),
		q("round of integers type", `SELECT ts, round(qty), round(volume, -2) FROM t WHERE symbol = 'S2'`, ``),
		q("integer functions", `SELECT ts, floor(qty), ceil(volume), sqrt(volume), abs(qty), CAST(round(qty) AS BIGINT), CAST(round(volume, -2) AS BIGINT) FROM t WHERE symbol = 'S2'`, ``),
		q("null arithmetic", `SELECT ts, price + NULL, qty * NULL FROM t WHERE symbol = 'S8'`, ``),
		q("interval arithmetic", `SELECT ts + INTERVAL 1 HOUR, ts - INTERVAL 30 SECOND FROM t WHERE symbol = 'S7'`,
			`SELECT ts + 3600000000000, ts - 30000000000 FROM t WHERE symbol = 'S7'`),
		q("timestamp difference", `SELECT ts - CAST({t1Text} AS TIMESTAMP), count(*) FROM t WHERE symbol = 'S4' GROUP BY 1`,
			`SELECT ts - {t1}, count(*) FROM t WHERE symbol = 'S4' GROUP BY 1`),
		q("count star and column grouped on null symbol", `SELECT symbol, count(*), count(symbol), count(venue) FROM u GROUP BY symbol`, ``),
		q("u vwap and first over null symbols", `SELECT venue, first(symbol), last(symbol), vwap(v, v) FROM u GROUP BY venue`,
			`SELECT venue, `+firstD("symbol")+`, `+lastD("symbol")+`, `+vwapD("v", "v")+` FROM u GROUP BY venue`),
		q("u symbol in with null", `SELECT symbol, count(*) FROM u WHERE symbol IN ('A', 'B') OR symbol IS NULL GROUP BY symbol`, ``),
		q("u star", `SELECT * FROM u WHERE v > 600`, ``),
		q("u in with null", `SELECT count(*) FROM u WHERE symbol IN ('A', NULL)`, ``),
		q("u not in with null", `SELECT count(*) FROM u WHERE NOT (symbol IN ('A', NULL)) OR symbol NOT IN ('B')`, ``),
		q("u min max symbols", `SELECT min(symbol), max(symbol), min(venue), max(venue) FROM u WHERE v > 0`, ``),
		q("u symbol comparisons", `SELECT symbol, count(*) FROM u WHERE symbol > 'A' OR symbol LIKE 'A%' GROUP BY symbol`, ``),
		q("u grouped nulls first", `SELECT symbol, min(ts), max(v) FROM u GROUP BY symbol ORDER BY symbol NULLS FIRST`, ``),
		q("u grouped desc", `SELECT symbol, min(ts), count(v) FROM u GROUP BY symbol ORDER BY symbol DESC`, ``),

		// ---- timestamps compared with text (DuckDB: the same instants as integers) ----
		q("ts = text", `SELECT symbol, price FROM t WHERE ts = {h0Text}`, `SELECT symbol, price FROM t WHERE ts = {h0}`),
		q("ts in text", `SELECT count(*) FROM t WHERE ts IN ({h0Text}, {day1Date}, {t1Text})`, `SELECT count(*) FROM t WHERE ts IN ({h0}, {day1}, {t1})`),
		q("ts <> text", `SELECT count(*) FROM t WHERE ts <> {h0Text}`, `SELECT count(*) FROM t WHERE ts <> {h0}`),
		q("text <= ts", `SELECT count(*) FROM t WHERE {day1Date} <= ts`, `SELECT count(*) FROM t WHERE {day1} <= ts`),
		q("ts vs rfc3339", `SELECT count(*) FROM t WHERE ts < {day1RFC}`, `SELECT count(*) FROM t WHERE ts < {day1}`),
		q("ts vs kdb text", `SELECT count(*), min(ts) FROM t WHERE ts >= {day2KDB}`, `SELECT count(*), min(ts) FROM t WHERE ts >= {day2}`),
		q("ts between dates", `SELECT symbol, count(*) FROM t WHERE ts BETWEEN {day1Date} AND '2026-11-03 23:59:59.999999999' GROUP BY symbol`,
			`SELECT symbol, count(*) FROM t WHERE ts BETWEEN {day1} AND {day2} - 1 GROUP BY symbol`),

		// ---- text matching, symbols ----
		q("ilike non-ascii and quote", `SELECT note, count(*) FROM t WHERE note ILIKE 'CAFÉ' OR note ILIKE 'o''n%' GROUP BY note`, ``),
		q("like at least two chars", `SELECT count(*) FROM t WHERE note LIKE '_%_'`, ``),
		q("symbol case-sensitive", `SELECT count(*) FROM t WHERE symbol = 's3' OR symbol IN ('s5')`, ``),
		q("symbol ilike", `SELECT symbol, count(*) FROM t WHERE symbol ILIKE 's3' OR symbol NOT LIKE 'S_' GROUP BY symbol`, ``),
		q("symbol between", `SELECT count(*) FROM t WHERE symbol BETWEEN 'S2' AND 'S5'`, ``),
		q("symbol in duplicates", `SELECT symbol, count(*) FROM t WHERE symbol IN ('S3', 'S3', 's3') GROUP BY symbol`, ``),
		q("group by symbol expression", `SELECT lower(symbol) AS l, count(*), sum(volume) FROM t GROUP BY l`, ``),

		// ---- precedence, more grouping ----
		q("arithmetic precedence", `SELECT ts, volume - qty - 1, volume / 2 / 4, qty * 2 % 3, -qty % 4, 2 + 3 * qty, (2 + 3) * qty, -2 * -qty FROM t WHERE symbol = 'S1'`, ``),
		q("not precedence", `SELECT count(*) FROM t WHERE NOT qty > 0 AND flag`, ``),
		q("and/or precedence", `SELECT count(*) FROM t WHERE flag OR qty > 50 AND price < 20 OR note = 'cross'`, ``),
		q("between and precedence", `SELECT count(*) FROM t WHERE qty BETWEEN -5 AND 5 AND flag OR volume BETWEEN 10 AND 20`, ``),
		q("negative in list", `SELECT count(*) FROM t WHERE -qty IN (-5, 5, -100) OR qty NOT IN (-1, 1)`, ``),
		q("group by float", `SELECT price, count(*), sum(qty) FROM t GROUP BY price HAVING count(*) > 1`, ``),
		q("weekly and 90-minute bars", `SELECT xbar(ts, INTERVAL 1 WEEK) AS w, xbar(ts, INTERVAL 90 MINUTE) AS b, count(*), sum(volume) FROM t GROUP BY w, b`,
			`SELECT `+barD(7*nsPerDay)+` AS w, `+barD(90*nsPerMinute)+` AS b, count(*), sum(volume) FROM t GROUP BY w, b`),
		q("many groups ordered limit", `SELECT symbol, xbar(ts, 60000000000) AS bar, count(*) AS n, last(price) FROM t GROUP BY symbol, bar ORDER BY n DESC, bar DESC, symbol LIMIT 25 OFFSET 3`,
			`SELECT symbol, {bar1m} AS bar, count(*) AS n, {lastPrice} FROM t GROUP BY symbol, bar ORDER BY n DESC, bar DESC, symbol LIMIT 25 OFFSET 3`),

		// ---- whole tables: everything that was loaded ----
		q("all of t", `SELECT * FROM t`, ``),
		q("all of t ordered", `SELECT * FROM t ORDER BY ts`, ``),
		q("all of u", `SELECT * FROM u`, ``),
	}
}

// knownDiffs are queries on which ZeptoDB disagrees with DuckDB because of a
// ZeptoDB bug (bug says which). The test reports them with t.Log and fails
// when one starts agreeing. Empty: the four found so far (CAST rounding of
// halves, CAST of whole doubles to text, the types of sign and of round on
// integers) are fixed and their queries are in the main list.
func knownDiffs(d *diffData) []diffQuery {
	return nil
}
