// Package secrets owns where the server's secrets come from — the API
// keys and the JWT signing secret — along the chain the operations guide
// names: HashiCorp Vault's KV version 2 engine first (token or Kubernetes
// service-account login), then a mounted file (a Kubernetes Secret), then
// an environment variable.
//
// It imports only the standard library and never logs a secret's value;
// errors name the source and the field, not what it holds.
package secrets
