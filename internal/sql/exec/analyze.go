package exec

import (
	"fmt"
	"sync/atomic"
	"time"
)

// analyzeStats is what EXPLAIN ANALYZE measures while the query runs: the
// scan's counters (added up by every scanning worker) and the wall time
// and output rows of each later stage. A nil *analyzeStats measures
// nothing, which is what every other query runs with.
type analyzeStats struct {
	chunks, rowsRead, rowsPassed atomic.Int64
	scanNanos                    atomic.Int64 // reading and filtering, summed over workers
	stages                       []stageStat
}

type stageStat struct {
	name string
	rows int
	took time.Duration
}

// scanned records one unit: its rows, the rows left after WHERE (and a
// join), and the time both took.
func (a *analyzeStats) scanned(read int, passed *batch, took time.Duration) {
	if a == nil {
		return
	}
	a.chunks.Add(1)
	a.rowsRead.Add(int64(read))
	if passed != nil {
		a.rowsPassed.Add(int64(passed.n))
	}
	a.scanNanos.Add(int64(took))
}

// stage records a stage that ended now, started at start.
func (a *analyzeStats) stage(name string, rows int, start time.Time) {
	if a != nil {
		a.stages = append(a.stages, stageStat{name: name, rows: rows, took: time.Since(start)})
	}
}

func (a *analyzeStats) lines(plan, total time.Duration, rows int) []string {
	out := []string{
		fmt.Sprintf("analyze: plan %s", ms(plan)),
		fmt.Sprintf("analyze: scan %d chunks, %d rows read, %d rows passed, %s (summed over workers)",
			a.chunks.Load(), a.rowsRead.Load(), a.rowsPassed.Load(), ms(time.Duration(a.scanNanos.Load()))),
	}
	for _, s := range a.stages {
		out = append(out, fmt.Sprintf("analyze: %s: %d rows out, %s", s.name, s.rows, ms(s.took)))
	}
	return append(out, fmt.Sprintf("analyze: %d rows out in %s (plan and run)", rows, total.Round(time.Microsecond)))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/1e6) }

// stageName names the stage that produces a plan's rows after the scan.
func (p *selectPlan) stageName() string {
	switch {
	case p.agg != nil && p.latestPerSymbol():
		return "aggregate (last per symbol, newest first; scan included)"
	case p.agg != nil:
		return "aggregate (scan included)"
	case p.latestOn != nil:
		return "latest on + finish (scan included)"
	case p.windows != nil:
		return "window + finish (scan included)"
	}
	if _, ok := p.topKeyed(); ok {
		return "top-k + finish (scan included)"
	}
	return "collect + finish (scan included)"
}
