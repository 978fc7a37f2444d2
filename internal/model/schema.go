package model

import (
	"fmt"
	"strings"
	"time"
)

// Column describes one column of a table.
type Column struct {
	Name    string
	Type    ColumnType
	NotNull bool
}

// PartitionBy is the time unit a table is partitioned by.
type PartitionBy uint8

// Partitioning units. The numeric values are part of the WAL format.
const (
	PartitionDay PartitionBy = iota
	PartitionHour
	PartitionMonth
	PartitionNone
)

var partitionNames = [...]string{"DAY", "HOUR", "MONTH", "NONE"}

func (p PartitionBy) String() string {
	if int(p) < len(partitionNames) {
		return partitionNames[p]
	}
	return fmt.Sprintf("PartitionBy(%d)", uint8(p))
}

// ParsePartitionBy maps HOUR, DAY, MONTH or NONE (any case) to a PartitionBy.
// The empty string means the default, DAY.
func ParsePartitionBy(s string) (PartitionBy, error) {
	switch strings.ToUpper(s) {
	case "", "DAY":
		return PartitionDay, nil
	case "HOUR":
		return PartitionHour, nil
	case "MONTH":
		return PartitionMonth, nil
	case "NONE":
		return PartitionNone, nil
	}
	return 0, fmt.Errorf("unknown partition unit %q (want HOUR, DAY, MONTH or NONE)", s)
}

// PartitionStart returns the start, in ns since the epoch, of the partition
// holding timestamp ts.
func (p PartitionBy) PartitionStart(ts int64) int64 {
	const hour, day = int64(time.Hour), int64(24 * time.Hour)
	switch p {
	case PartitionHour:
		return floorDiv(ts, hour) * hour
	case PartitionDay:
		return floorDiv(ts, day) * day
	case PartitionMonth:
		t := time.Unix(0, ts).UTC()
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).UnixNano()
	}
	return 0
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Schema is a table definition. TimestampCol and SymbolCol are column
// indexes, or -1 when the table has no such designated column.
type Schema struct {
	Name         string
	Columns      []Column
	TimestampCol int
	SymbolCol    int
	PartitionBy  PartitionBy
}

// MaxColumns bounds the width of a table.
const MaxColumns = 1024

// NewSchema validates columns and picks the designated columns: the named
// timestamp column, else the first TIMESTAMP; the first SYMBOL.
func NewSchema(name string, cols []Column, timestampCol string, part PartitionBy) (*Schema, error) {
	if err := ValidateName(name); err != nil {
		return nil, fmt.Errorf("table name: %w", err)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("table %s: no columns", name)
	}
	if len(cols) > MaxColumns {
		return nil, fmt.Errorf("table %s: %d columns exceed the limit of %d", name, len(cols), MaxColumns)
	}
	if part > PartitionNone {
		return nil, fmt.Errorf("table %s: invalid partition unit %d", name, part)
	}
	s := &Schema{Name: name, Columns: cols, TimestampCol: -1, SymbolCol: -1, PartitionBy: part}
	seen := make(map[string]bool, len(cols))
	for i, c := range cols {
		if err := ValidateName(c.Name); err != nil {
			return nil, fmt.Errorf("column name: %w", err)
		}
		lower := strings.ToLower(c.Name)
		if seen[lower] {
			return nil, fmt.Errorf("table %s: duplicate column %q", name, c.Name)
		}
		seen[lower] = true
		if !c.Type.Valid() {
			return nil, fmt.Errorf("column %s: invalid type", c.Name)
		}
		if c.Type == TypeTimestamp && s.TimestampCol < 0 && timestampCol == "" {
			s.TimestampCol = i
		}
		if c.Type == TypeSymbol && s.SymbolCol < 0 {
			s.SymbolCol = i
		}
	}
	if timestampCol != "" {
		i := s.ColumnIndex(timestampCol)
		if i < 0 {
			return nil, fmt.Errorf("designated timestamp %q is not a column", timestampCol)
		}
		if cols[i].Type != TypeTimestamp {
			return nil, fmt.Errorf("designated timestamp %q has type %s, want TIMESTAMP", timestampCol, cols[i].Type)
		}
		s.TimestampCol = i
	}
	return s, nil
}

// ColumnIndex returns the index of the named column (case-insensitive), or -1.
func (s *Schema) ColumnIndex(name string) int {
	for i, c := range s.Columns {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

// ValidateName checks a table or column name: 1 to 255 bytes of letters,
// digits and underscores, not starting with a digit. Names become file
// names in later tiers, so they are kept conservative.
func ValidateName(name string) error {
	if name == "" || len(name) > 255 {
		return fmt.Errorf("name must be 1 to 255 characters")
	}
	for i, r := range name {
		ok := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9')
		if !ok {
			return fmt.Errorf("invalid name %q: use letters, digits and underscores", name)
		}
	}
	return nil
}

// PartitionEnd returns the exclusive end of the partition starting at start.
func (p PartitionBy) PartitionEnd(start int64) int64 {
	switch p {
	case PartitionHour:
		return start + int64(time.Hour)
	case PartitionDay:
		return start + int64(24*time.Hour)
	case PartitionMonth:
		return time.Unix(0, start).UTC().AddDate(0, 1, 0).UnixNano()
	}
	return 1<<63 - 1
}
