package auth

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Limits are a key's own bounds, overriding the server's; zero fields
// leave the server's in force.
type Limits struct {
	MaxConcurrent  int           // statements running at once
	Rate           float64       // statements per second (a burst of one second's worth)
	Timeout        time.Duration // per statement
	MaxResultRows  int
	MaxMemory      int64 // bytes of intermediate results per statement
	MaxResultBytes int64 // bytes of an encoded result
	MaxBody        int64 // bytes of a request body
}

// options renders the key=value fields of l, in a fixed order.
func (l Limits) options() []string {
	var out []string
	if l.MaxConcurrent > 0 {
		out = append(out, "max_concurrent="+strconv.Itoa(l.MaxConcurrent))
	}
	if l.Rate > 0 {
		out = append(out, "rate="+strconv.FormatFloat(l.Rate, 'g', -1, 64))
	}
	if l.Timeout > 0 {
		out = append(out, "timeout="+l.Timeout.String())
	}
	if l.MaxResultRows > 0 {
		out = append(out, "max_result_rows="+strconv.Itoa(l.MaxResultRows))
	}
	if l.MaxMemory > 0 {
		out = append(out, "max_memory="+strconv.FormatInt(l.MaxMemory, 10))
	}
	if l.MaxResultBytes > 0 {
		out = append(out, "max_result_bytes="+strconv.FormatInt(l.MaxResultBytes, 10))
	}
	if l.MaxBody > 0 {
		out = append(out, "max_body="+strconv.FormatInt(l.MaxBody, 10))
	}
	return out
}

// setOption reads one key=value field of a keys-file line into e.
func (e *Entry) setOption(field string) error {
	k, v, ok := strings.Cut(field, "=")
	if !ok {
		return fmt.Errorf("field %q: want key=value (tables, max_concurrent, rate, timeout, max_result_rows, max_result_bytes, max_memory, max_body)", field)
	}
	positive := func() (int, error) {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("%s=%s: want a positive count", k, v)
		}
		return n, nil
	}
	bytes := func() (int64, error) {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("%s=%s: want a positive number of bytes", k, v)
		}
		return n, nil
	}
	var err error
	switch k {
	case "tables":
		e.Tables, err = ParseTables(v)
	case "max_concurrent":
		e.Limits.MaxConcurrent, err = positive()
	case "max_result_rows":
		e.Limits.MaxResultRows, err = positive()
	case "max_memory":
		e.Limits.MaxMemory, err = bytes()
	case "max_result_bytes":
		e.Limits.MaxResultBytes, err = bytes()
	case "max_body":
		e.Limits.MaxBody, err = bytes()
	case "rate":
		e.Limits.Rate, err = strconv.ParseFloat(v, 64)
		if err != nil || !(e.Limits.Rate > 0 && e.Limits.Rate < 1e9) {
			err = fmt.Errorf("rate=%s: want statements per second, above 0", v)
		}
	case "timeout":
		e.Limits.Timeout, err = time.ParseDuration(v)
		if err != nil || e.Limits.Timeout <= 0 {
			err = fmt.Errorf("timeout=%s: want a duration such as 30s", v)
		}
	default:
		err = fmt.Errorf("unknown field %q (tables, max_concurrent, rate, timeout, max_result_rows, max_result_bytes, max_memory, max_body)", k)
	}
	return err
}
