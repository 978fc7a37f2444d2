// Package config owns the server configuration: defaults, the YAML file
// zeptodb.conf (snake_case keys; unknown keys are an error), ZEPTODB_*
// environment variables and command-line flags, applied in that order so
// that each overrides the one before.
//
// It imports only the standard library and gopkg.in/yaml.v3.
package config
