package secrets

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// Chain finds a secret in Vault (when one is configured), else in a
// mounted file, else in the environment. A Vault that cannot be read is
// an error, not a reason to fall back: a server must not quietly start
// with an older secret from its environment because Vault was down.
type Chain struct {
	Vault  *Vault                      // nil: no Vault
	Getenv func(string) (string, bool) // os.LookupEnv if nil
}

// Secret names one value along the chain; empty names skip a source.
type Secret struct {
	Field string // the field of the Vault secret
	File  string // a file holding the value (trailing newlines dropped)
	Env   string // an environment variable
}

// Lookup returns the value of s from the first source that has it and
// says which source that was; ok is false when none has it.
func (c Chain) Lookup(ctx context.Context, s Secret) (value, from string, ok bool, err error) {
	if c.Vault != nil && s.Field != "" {
		fields, err := c.Vault.Read(ctx)
		if err != nil {
			return "", "", false, err
		}
		if v, ok := fields[s.Field]; ok {
			return v, c.Vault.Where() + " field " + s.Field, true, nil
		}
	}
	if s.File != "" {
		b, err := os.ReadFile(s.File)
		if err != nil {
			return "", "", false, fmt.Errorf("secret file: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), s.File, true, nil
	}
	if s.Env != "" {
		getenv := c.Getenv
		if getenv == nil {
			getenv = os.LookupEnv
		}
		if v, ok := getenv(s.Env); ok {
			return v, "$" + s.Env, true, nil
		}
	}
	return "", "", false, nil
}
