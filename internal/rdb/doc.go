// Package rdb owns the in-memory tables: time partitions, per-symbol
// series inside each partition, and fixed-capacity column chunks inside
// each series.
//
// A table is partitioned by its designated timestamp; inside a partition
// every value of the designated SYMBOL column has its own series, so a
// query for one symbol reads only that symbol's rows (the role kdb+'s
// p# attribute plays). A series is a list of chunks; a chunk is allocated
// once at a fixed capacity and never copied when rows are appended. Chunk
// capacities grow 1K, 2K, ... up to Options.ChunkRows so that rare symbols
// stay small.
//
// A partition sealed into the HDB may live on disk only: a ColdSource
// reads it back whole or one series at a time (cold.go), a ColdCache
// bounds what stays loaded, and rows written to it meanwhile wait in
// delta series that reads put after its sealed rows.
//
// Readers take a Snapshot, which holds the table's read lock until
// Release; appends wait for it. rdb imports model, column and symtab only;
// it knows nothing of files (the engine hands it a ColdSource).
package rdb
