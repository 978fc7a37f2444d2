// Package parser turns SQL text into an abstract syntax tree. It owns the
// lexer, the grammar and the AST node types; it knows nothing about tables,
// types or functions, which are resolved later by the binder.
//
// The grammar is a small SQL dialect for market tick data, PostgreSQL at its
// core with a few ClickHouse conveniences (LIMIT m, n; FORMAT; SETTINGS;
// INSERT ... FORMAT with the data in the statement body; backslash escapes in
// strings). Only a handful of words are reserved so that column names common
// in tick data (ts, timestamp, symbol, price, date, first, last, count, ...)
// work unquoted.
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
