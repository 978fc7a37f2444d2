// Package model holds the value types every other package shares: column
// types, table schemas and partitioning units.
//
// It owns no state and must import nothing but the standard library.
package model
