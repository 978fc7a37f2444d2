// Package column owns typed column vectors, NULL bitmaps, batches of
// vectors, and the binary encoding of a batch that the WAL carries.
//
// Vectors are plain typed slices so that kernels loop over them without
// interface calls per row. Exactly one slice of a Vector is in use, chosen
// by its Type. It imports only internal/model and the standard library.
package column
