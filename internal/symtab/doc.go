// Package symtab owns symbol dictionaries: the mapping between the text of
// a SYMBOL value (a ticker, a venue) and the dense uint32 id stored in
// columns.
//
// Ids are handed out in first-seen order, so replaying the same writes in
// the same order rebuilds the same dictionary; that is how the WAL makes
// dictionaries durable. It imports only the standard library.
package symtab
