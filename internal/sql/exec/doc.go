// Package exec binds parsed statements to the catalog and runs them:
// DDL and INSERT through the engine, SELECT through a vectorized pipeline
// over the in-memory chunks.
//
// A SELECT is planned in stages: bind names and types (bind.go), push the
// designated-symbol and time-range predicates down to series and chunk
// pruning (prune.go), then run scan → filter → aggregate or project →
// order → limit over batches of up to one chunk (a few thousand to 64K
// rows). Expressions are compiled once into typed nodes; each node
// processes a whole batch per call, with typed loops and selection vectors
// instead of per-row interfaces. Partitions and series are scanned by
// Options.Workers goroutines once a query touches more than
// Options.ParallelThreshold rows, and partial aggregates are merged.
//
// exec imports the parser, the engine and the storage packages below it;
// nothing in storage imports exec.
package exec
