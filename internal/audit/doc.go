// Package audit owns the audit log: who did what — authentication
// failures, DDL, writes, admin actions, key changes — as JSON lines in a
// file, with the newest events also kept in memory for the admin API.
//
// It imports only the standard library. Callers never hand it secrets:
// events name keys, never their values.
package audit
