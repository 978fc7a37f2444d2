// Package engine owns the life of data on one node: every change is
// appended to the WAL, made durable (group commit), then applied to the
// in-memory tables in log order, and only then acknowledged. On start it
// replays the WAL to rebuild the catalog, the symbol dictionaries and the
// tables.
//
// Record types and payloads (see docs/format/wal.md):
//
//	1 create table  schema (see records.go)
//	2 drop table    uvarint len | name
//	3 insert        uvarint len | table name | column.Batch encoding
//	4 truncate      uvarint len | table name
//
// engine imports wal, rdb, column, model and vfs; it must not import sql,
// server or anything above it.
package engine
