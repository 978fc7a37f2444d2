// Command zeptodb is the ZeptoDB server and its tools, in one binary:
//
//	zeptodb serve    run the server (HTTP on :8123)
//	zeptodb client   run SQL against a server: one statement or a prompt
//	zeptodb inspect  check a data directory offline (wal, hdb)
//	zeptodb backup   take an online backup of a running server
//	zeptodb restore  make a data directory from a backup
//	zeptodb keys     create, list and revoke API keys
//	zeptodb import   load a CSV, TSV or JSON-lines file into a table
//	zeptodb version  print the version
//
// This package alone wires the internal packages together.
package main

import (
	"fmt"
	"os"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `usage: zeptodb <command> [flags]

commands:
  serve     run the server (zeptodb serve --help for flags)
  client    run SQL against a server (alias: sql)
  inspect   check a data directory offline: inspect wal|hdb --data-dir DIR [--verify]
  backup    online backup of a running server: backup --to FILE.tar.gz|DIR [--url URL]
  restore   restore a backup: restore --from FILE.tar.gz|DIR --data-dir DIR [--verify]
  keys      API keys: keys create --role ROLE --name NAME | keys list | keys revoke --name NAME
  import    load a file: import FILE --table T [--format csv|tsv|jsonl] [--create] [--resume]
  version   print the version
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "serve":
		err = serve(args)
	case "client", "sql":
		err = client(args, os.Stdin, os.Stdout)
	case "inspect":
		err = inspect(args, os.Stdout)
	case "backup":
		err = backup(args, os.Stdout)
	case "restore":
		err = restore(args, os.Stdout)
	case "keys":
		err = keys(args, os.Stdout)
	case "import":
		err = importFile(args, os.Stderr)
	case "version", "--version":
		fmt.Println("zeptodb", version)
	case "help", "-h", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "zeptodb: unknown command %q\n\n%s", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "zeptodb:", err)
		os.Exit(1)
	}
}
