// Package clients runs other systems' own client libraries against the
// real zeptodb binary: InfluxDB's Go client writing line protocol. It is
// a module of its own so that those clients stay out of the server's
// dependencies; .ci/run runs it.
package clients
