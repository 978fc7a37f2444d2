// Package apptest holds end-to-end tests that build the real zeptodb
// binary, start it on a free loopback port, and talk to it over HTTP:
// the API, restarts, kill -9 during concurrent inserts, and damaged WAL
// files.
package apptest
