// Package ingest owns the decoders that turn wire text into ingest batches:
// one column.Vector per schema column, in schema order, with SYMBOL values
// as text. The first decoder reads the row list of INSERT ... VALUES
// straight into typed vectors, so bulk inserts skip the SQL parser and the
// expression binder; it follows their literal syntax and conversion rules
// exactly and reports anything else as an error, on which a caller may fall
// back to the full parser.
//
// It imports only internal/model, internal/column and the standard library.
package ingest
