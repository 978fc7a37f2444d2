package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// response is a result in ClickHouse's JSONCompact format, which the
// client asks for.
type response struct {
	Meta []struct{ Name, Type string }
	Data [][]any
	Rows int
}

func client(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("zeptodb client", flag.ContinueOnError)
	host := fs.String("host", "127.0.0.1", "server host")
	port := fs.Int("port", 8123, "server port")
	query := fs.String("query", "", "run this statement and exit (also -q, or as arguments)")
	fs.StringVar(query, "q", "", "short for --query")
	key := fs.String("key", os.Getenv("ZEPTODB_API_KEY"), "API key to send (default $ZEPTODB_API_KEY)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *query == "" && fs.NArg() > 0 {
		*query = strings.Join(fs.Args(), " ")
	}
	c := &sqlClient{url: "http://" + net.JoinHostPort(*host, strconv.Itoa(*port)) + "/?default_format=JSONCompact&output_format_json_quote_64bit_integers=0",
		http: &http.Client{}, out: stdout, key: *key}
	if *query != "" {
		return c.run(*query)
	}
	return c.repl(stdin)
}

type sqlClient struct {
	url  string
	http *http.Client
	out  io.Writer
	key  string
}

// repl reads statements ending with ';' and runs each; errors are printed
// and the prompt goes on.
func (c *sqlClient) repl(in io.Reader) error {
	interactive := false
	if f, ok := in.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			interactive = true
		}
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var stmt strings.Builder
	prompt := func() {
		if interactive {
			if stmt.Len() == 0 {
				fmt.Fprint(c.out, "zeptodb> ")
			} else {
				fmt.Fprint(c.out, "      -> ")
			}
		}
	}
	failed := false
	prompt()
	for sc.Scan() {
		line := sc.Text()
		if stmt.Len() == 0 && (line == "quit" || line == "exit" || line == `\q`) {
			break
		}
		stmt.WriteString(line)
		stmt.WriteByte('\n')
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			if err := c.run(stmt.String()); err != nil {
				fmt.Fprintln(c.out, err)
				failed = true
			}
			stmt.Reset()
		}
		prompt()
	}
	if rest := strings.TrimSpace(stmt.String()); rest != "" {
		if err := c.run(rest); err != nil {
			fmt.Fprintln(c.out, err)
			failed = true
		}
	}
	if failed && !interactive {
		return errors.New("some statements failed")
	}
	return sc.Err()
}

func (c *sqlClient) run(sql string) error {
	start := time.Now()
	req, err := http.NewRequest(http.MethodPost, c.url, strings.NewReader(sql))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain")
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if code := resp.Header.Get("X-ZeptoDB-Error-Code"); code != "" || resp.StatusCode != http.StatusOK {
		return fmt.Errorf("error %s (HTTP %d): %s", code, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	elapsed := time.Since(start)
	if len(body) == 0 { // a statement without a result
		var sum struct {
			Written int64 `json:"written_rows,string"`
		}
		_ = json.Unmarshal([]byte(resp.Header.Get("X-ClickHouse-Summary")), &sum) // absent: 0 rows
		fmt.Fprintf(c.out, "OK, %d rows written (%.3f ms)\n", sum.Written, float64(elapsed.Microseconds())/1000)
		return nil
	}
	var r response
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&r); err != nil {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(body)))
	}
	cols := make([]string, len(r.Meta))
	for i, m := range r.Meta {
		cols[i] = m.Name
	}
	printTable(c.out, cols, r.Data)
	fmt.Fprintf(c.out, "(%d rows, %.3f ms)\n", r.Rows, float64(elapsed.Microseconds())/1000)
	return nil
}

// printTable writes rows as an aligned text table; numbers align right.
func printTable(w io.Writer, cols []string, data [][]any) {
	cells := make([][]string, len(data))
	width := make([]int, len(cols))
	numeric := make([]bool, len(cols))
	for i, c := range cols {
		width[i] = utf8.RuneCountInString(c)
		numeric[i] = true
	}
	for r, row := range data {
		cells[r] = make([]string, len(cols))
		for i := range cols {
			var s string
			switch v := row[i].(type) {
			case nil:
				s = "NULL"
			case json.Number:
				s = v.String()
			case string:
				s, numeric[i] = v, false
			default:
				s = fmt.Sprint(v)
			}
			cells[r][i] = s
			width[i] = max(width[i], utf8.RuneCountInString(s))
		}
	}
	line := func(vals []string, header bool) {
		var b strings.Builder
		for i, v := range vals {
			if i > 0 {
				b.WriteString(" | ")
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(v))
			if numeric[i] && !header {
				b.WriteString(pad + v)
			} else {
				b.WriteString(v + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(cols, true)
	seps := make([]string, len(cols))
	for i := range seps {
		seps[i] = strings.Repeat("-", width[i])
	}
	fmt.Fprintln(w, strings.Join(seps, "-+-"))
	for _, row := range cells {
		line(row, false)
	}
}
