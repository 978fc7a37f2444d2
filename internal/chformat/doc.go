// Package chformat owns ClickHouse's data formats as ZeptoDB writes
// them over HTTP: the format names and their aliases, ClickHouse's names
// for ZeptoDB's column types, and an append-style encoder per output
// format (TabSeparated, CSV and JSON families), byte for byte as
// ClickHouse's own clients read them (docs/http-api.md, and the
// compatibility notes the shapes were checked against).
//
// It imports model and column only: results reach it as columns, never
// as the executor's types, and it knows nothing of HTTP.
package chformat
