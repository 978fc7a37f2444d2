// Package auth owns who may do what: API keys (generated, stored only as
// SHA-256 hashes, read from a keys file and the environment), the roles
// they carry, and the check of an action against a role.
//
// Roles: admin may do everything; writer reads and changes rows (SELECT,
// SHOW, DESCRIBE, EXPLAIN, INSERT, UPDATE, DELETE); reader only reads;
// metrics only reads server statistics. DDL and the admin API are for
// admin alone.
//
// auth imports only the standard library: the server asks it, nothing in
// it knows HTTP or SQL.
package auth
