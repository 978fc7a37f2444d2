package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// The report: a Markdown block with a header (machine, versions, data size,
// date), the ingest rates, and one table row per query.

// measurement is one engine's timings for one query.
type measurement struct {
	Median, Min    time.Duration
	ServerMedianUS float64 // server-reported execution time (ZeptoDB only)
	Rows           int     // result rows
	Err            string  // query failed (the cell shows ERROR)
	Mismatch       string  // result was wrong (the cell shows MISMATCH)
}

type queryReport struct {
	Name string
	M    []measurement // one per engine, in report.Engines order
}

type ingestLine struct {
	Engine string
	Table  string // "" for trades
	Rows   int
	Dur    time.Duration
	How    string
}

type report struct {
	Date          time.Time
	Rows          int
	Quotes        int // quotes loaded too (0: none)
	Seed          uint64
	Warmup, Runs  int
	DuckVersion   string // "" if DuckDB was not run
	Engines       []string
	Ingest        []ingestLine
	Queries       []queryReport
	Notes         []string
	ZeptoServerUS bool // show the server-reported time column
}

// cpuModel returns the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// memTotal returns MemTotal of /proc/meminfo, formatted, or "".
func memTotal() string {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			if err == nil {
				return fmt.Sprintf("%.1f GiB RAM", kb/(1<<20))
			}
		}
	}
	return ""
}

// depVersion returns the version of module path in this binary, or "".
func depVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == path {
				return d.Version
			}
		}
	}
	return ""
}

// fmtMS formats a duration in milliseconds with about three significant digits.
func fmtMS(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 1:
		return strconv.FormatFloat(ms, 'f', 3, 64)
	case ms < 100:
		return strconv.FormatFloat(ms, 'f', 2, 64)
	}
	return strconv.FormatFloat(ms, 'f', 1, 64)
}

// fmtInt formats n with thousands separators.
func fmtInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && c != '-' && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (m *measurement) cell(t time.Duration) string {
	switch {
	case m.Mismatch != "":
		return "MISMATCH"
	case m.Err != "":
		return "ERROR"
	}
	return fmtMS(t)
}

func (m *measurement) good() bool { return m.Err == "" && m.Mismatch == "" }

// markdown renders the report.
func (r *report) markdown() string {
	var b strings.Builder
	duck := "not run"
	if r.DuckVersion != "" {
		duck = r.DuckVersion
	}
	if v := depVersion("github.com/duckdb/duckdb-go/v2"); v != "" {
		duck += " (duckdb-go " + v + ")"
	}
	size := fmtInt(int64(r.Rows)) + " trades"
	if r.Quotes > 0 {
		size += ", " + fmtInt(int64(r.Quotes)) + " quotes"
	}
	fmt.Fprintf(&b, "### ZeptoDB vs DuckDB: %s, %s\n\n", size, r.Date.UTC().Format("2006-01-02 15:04 MST"))
	machine := []string{fmt.Sprintf("nproc %d", runtime.NumCPU()), cpuModel()}
	if m := memTotal(); m != "" {
		machine = append(machine, m)
	}
	machine = append(machine, runtime.GOOS+"/"+runtime.GOARCH)
	fmt.Fprintf(&b, "Machine: %s. Go %s. DuckDB %s.\n", strings.Join(machine, ", "), runtime.Version(), duck)
	data := fmtInt(int64(r.Rows)) + " rows"
	if r.Quotes > 0 {
		data = fmtInt(int64(r.Rows)) + " trades and " + fmtInt(int64(r.Quotes)) + " quotes"
	}
	fmt.Fprintf(&b, "Data: %s, %d symbols, seed %d. Each query: %d warm-up + %d timed runs; client wall time (ZeptoDB: HTTP round trip incl. JSON decode; DuckDB: query + scanning all rows); every run checked against a Go-computed answer.\n\n",
		data, NumSymbols, r.Seed, r.Warmup, r.Runs)
	for _, in := range r.Ingest {
		rate := float64(in.Rows) / in.Dur.Seconds()
		name := in.Engine
		if in.Table != "" {
			name += " " + in.Table
		}
		fmt.Fprintf(&b, "- Ingest %s: %s rows/s (%s rows in %.2f s; %s)\n", name, fmtInt(int64(rate)), fmtInt(int64(in.Rows)), in.Dur.Seconds(), in.How)
	}
	if len(r.Ingest) > 0 {
		b.WriteString("\n")
	}

	zi := -1
	for i, e := range r.Engines {
		if e == "ZeptoDB" {
			zi = i
		}
	}
	// Header.
	head := []string{"query"}
	for _, e := range r.Engines {
		head = append(head, e+" median ms")
	}
	var ratioOf []int
	if zi >= 0 {
		for i, e := range r.Engines {
			if i != zi {
				ratioOf = append(ratioOf, i)
				head = append(head, "ratio "+e+"/ZeptoDB")
			}
		}
	}
	for _, e := range r.Engines {
		head = append(head, e+" min ms")
	}
	if zi >= 0 && r.ZeptoServerUS {
		head = append(head, "ZeptoDB server ms (median)")
	}
	head = append(head, "rows")
	writeRow(&b, head)
	sep := make([]string, len(head))
	for i := range sep {
		sep[i] = "---:"
	}
	sep[0] = "---"
	writeRow(&b, sep)

	for _, q := range r.Queries {
		row := []string{q.Name}
		for i := range q.M {
			row = append(row, q.M[i].cell(q.M[i].Median))
		}
		for _, i := range ratioOf {
			z, o := &q.M[zi], &q.M[i]
			if z.good() && o.good() && z.Median > 0 {
				row = append(row, fmt.Sprintf("%.2f", float64(o.Median)/float64(z.Median)))
			} else {
				row = append(row, "-")
			}
		}
		for i := range q.M {
			row = append(row, q.M[i].cell(q.M[i].Min))
		}
		if zi >= 0 && r.ZeptoServerUS {
			z := &q.M[zi]
			if z.good() {
				row = append(row, fmtMS(time.Duration(z.ServerMedianUS*float64(time.Microsecond))))
			} else {
				row = append(row, "-")
			}
		}
		rows := "-"
		for i := range q.M {
			if q.M[i].good() {
				rows = strconv.Itoa(q.M[i].Rows)
				break
			}
		}
		row = append(row, rows)
		writeRow(&b, row)
	}
	if zi >= 0 && len(ratioOf) > 0 {
		b.WriteString("\nratio > 1 means ZeptoDB is faster.\n")
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\n%s\n", n)
	}
	return b.String()
}

func writeRow(b *strings.Builder, cells []string) {
	b.WriteString("| ")
	b.WriteString(strings.Join(cells, " | "))
	b.WriteString(" |\n")
}

// appendToFile appends s (and a blank line) to path.
func appendToFile(path, s string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(s + "\n"); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
