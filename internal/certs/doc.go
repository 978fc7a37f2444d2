// Package certs owns the server's TLS certificate: it loads the
// certificate and key files and reloads them when they change (cert-manager
// renews the Secret behind a mounted volume), so HTTPS never needs a
// restart. It imports only the standard library.
package certs
