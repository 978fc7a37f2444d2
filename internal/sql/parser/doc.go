// Package parser turns SQL text into an abstract syntax tree. It owns the
// lexer, the grammar and the AST node types; it knows nothing about tables,
// types or functions, which are resolved later by the binder.
//
// The grammar is a small SQL dialect for market tick data, PostgreSQL at its
// core with a few ClickHouse conveniences (LIMIT m, n; LIMIT n BY; SAMPLE k;
// parametric aggregates quantile(0.5)(x); FORMAT; SETTINGS; INSERT ... FORMAT
// with the data in the statement body; backslash escapes in strings) and
// QuestDB's time-series clauses (LATEST ON, SAMPLE BY with FILL and ALIGN
// TO, ASOF and WINDOW joins, durations such as 5m). Queries may use WITH,
// subqueries in FROM and in expressions, joins, UNION/INTERSECT/EXCEPT,
// window functions and QUALIFY; statements include UPDATE, DELETE, ALTER
// TABLE, TRUNCATE, CREATE TABLE ... AS and INSERT ... SELECT.
//
// Only a handful of words are reserved so that column names common in tick
// data (ts, timestamp, symbol, price, date, first, last, count, value,
// window, range, rows, sample, ...) work unquoted. Every other keyword is
// contextual: it counts only where its clause can start and when followed
// by what the clause needs (LEFT JOIN, SAMPLE BY, LATEST ON ts PARTITION,
// WINDOW w AS, OVER (...)), and is a name everywhere else. An implicit alias
// spelled like such a clause (FROM t left JOIN ...) needs AS.
//
// Identifiers are kept exactly as written; quoted identifiers lose their
// quotes but keep their case. Case folding is the binder's decision.
//
// Parse reports malformed input as a *SyntaxError carrying a 1-based line and
// column. The parser never panics on any input: expression nesting is capped
// (see maxDepth) so hostile input cannot exhaust the stack.
//
// The package must import nothing but the standard library.
package parser
