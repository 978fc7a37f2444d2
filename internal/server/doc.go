// Package server owns the HTTP API on port 8123: statements in, results
// out as JSON, plus /ping, /health and /ready.
//
// It imports the SQL packages and the engine; nothing below imports it.
// Responses are written by hand-written append-style encoders (json.go),
// never through reflection.
package server
