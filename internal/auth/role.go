package auth

import (
	"fmt"
	"strings"
)

// Role is what an identity may do.
type Role string

// The roles.
const (
	RoleAdmin   Role = "admin"
	RoleWriter  Role = "writer"
	RoleReader  Role = "reader"
	RoleMetrics Role = "metrics"
)

// ParseRole returns the role named s.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleAdmin, RoleWriter, RoleReader, RoleMetrics:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q (want admin, writer, reader or metrics)", s)
}

// Action is a class of request.
type Action int

// The actions, from the least to the most privileged.
const (
	ActMetrics Action = iota // server statistics
	ActRead                  // SELECT, SHOW, DESCRIBE, EXPLAIN
	ActWrite                 // INSERT, UPDATE, DELETE
	ActDDL                   // CREATE, DROP, ALTER, TRUNCATE
	ActAdmin                 // the admin API: backups, keys, queries
)

func (a Action) String() string {
	switch a {
	case ActMetrics:
		return "read statistics"
	case ActRead:
		return "read"
	case ActWrite:
		return "write"
	case ActDDL:
		return "change table definitions"
	}
	return "use the admin API"
}

// Allows reports whether role r may perform a.
func (r Role) Allows(a Action) bool {
	switch r {
	case RoleAdmin:
		return true
	case RoleWriter:
		return a == ActRead || a == ActWrite
	case RoleReader:
		return a == ActRead
	case RoleMetrics:
		return a == ActMetrics
	}
	return false
}

// Identity is who a request acts as.
type Identity struct {
	Name string
	Role Role
	// Tables, when not nil, are the only tables it may use (names as
	// given, compared without case).
	Tables []string
	// Limits override the server's for this identity.
	Limits Limits
}

// AllowsTable reports whether id may use table name.
func (id Identity) AllowsTable(name string) bool {
	if id.Tables == nil {
		return true
	}
	for _, t := range id.Tables {
		if strings.EqualFold(t, name) {
			return true
		}
	}
	return false
}
