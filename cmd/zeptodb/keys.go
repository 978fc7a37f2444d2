package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/zeptodb/zeptodb/internal/auth"
)

const keysUsage = `usage:
  zeptodb keys create --role admin|writer|reader|metrics --name NAME [--tables t1,t2] [--file keys.txt]
  zeptodb keys list [--file keys.txt]
  zeptodb keys revoke --name NAME [--file keys.txt]

The keys file holds only SHA-256 hashes of the keys; create prints a new
key once. Start the server with --api-keys-file FILE and send the key as
Authorization: Bearer <key>; after a change, SIGHUP reloads the file.
--file defaults to $ZEPTODB_API_KEYS_FILE, else keys.txt.
`

// keys manages a keys file.
func keys(args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New(keysUsage)
	}
	fs := flag.NewFlagSet("zeptodb keys "+args[0], flag.ContinueOnError)
	defaultFile := os.Getenv("ZEPTODB_API_KEYS_FILE")
	if defaultFile == "" {
		defaultFile = "keys.txt"
	}
	file := fs.String("file", defaultFile, "the keys file")
	role := fs.String("role", "", "create: admin, writer, reader or metrics")
	name := fs.String("name", "", "create, revoke: the key's name")
	tables := fs.String("tables", "", "create: the only tables the key may use, separated by commas (default: all)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch args[0] {
	case "create":
		var list []string
		if *tables != "" {
			var err error
			if list, err = auth.ParseTables(*tables); err != nil {
				return fmt.Errorf("keys create: --tables: %w", err)
			}
		}
		r, err := auth.ParseRole(*role)
		if err != nil {
			return fmt.Errorf("keys create: --role: %w", err)
		}
		key, err := auth.GenerateKey()
		if err != nil {
			return err
		}
		if err := auth.AddKey(*file, auth.Entry{Hash: auth.HashKey(key), Role: r, Name: *name, Tables: list}); err != nil {
			return fmt.Errorf("keys create: %w", err)
		}
		fmt.Fprintln(out, key)
		fmt.Fprintf(os.Stderr, "key %q (%s) added to %s; it is shown only now. Send it as Authorization: Bearer <key>.\n", *name, r, *file)
		return nil
	case "list":
		entries, err := auth.ReadKeysFile(*file)
		if err != nil {
			return err
		}
		for _, e := range entries {
			tables := "all tables"
			if e.Tables != nil {
				tables = strings.Join(e.Tables, ",")
			}
			fmt.Fprintf(out, "%-24s %-8s sha256:%s…  %s\n", e.Name, e.Role, e.Hash[:12], tables)
		}
		return nil
	case "revoke":
		if err := auth.RevokeKey(*file, *name); err != nil {
			return fmt.Errorf("keys revoke: %w", err)
		}
		fmt.Fprintf(out, "key %q revoked in %s; send SIGHUP to running servers\n", *name, *file)
		return nil
	}
	return fmt.Errorf("keys: unknown command %q\n%s", args[0], keysUsage)
}
