package model

import (
	"testing"
	"time"
)

func TestParseType(t *testing.T) {
	tests := []struct {
		in   string
		want ColumnType
	}{
		{"bigint", TypeInt64}, {"INT", TypeInt32}, {"double", TypeFloat64}, {"FLOAT", TypeFloat32},
		{"timestamp_ns", TypeTimestamp}, {"Symbol", TypeSymbol}, {"varchar", TypeString},
		{"TEXT", TypeString}, {"boolean", TypeBool},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseType(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("ParseType(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
	if _, err := ParseType("decimal128"); err == nil {
		t.Fatal("ParseType(decimal128) succeeded")
	}
}

func TestNewSchemaDesignatedColumns(t *testing.T) {
	cols := []Column{{"a", TypeInt64, false}, {"t1", TypeTimestamp, false}, {"s", TypeSymbol, false}, {"t2", TypeTimestamp, false}}
	s, err := NewSchema("x", cols, "", PartitionDay)
	if err != nil {
		t.Fatal(err)
	}
	if s.TimestampCol != 1 || s.SymbolCol != 2 {
		t.Fatalf("designated = %d, %d; want 1, 2", s.TimestampCol, s.SymbolCol)
	}
	s, err = NewSchema("x", cols, "T2", PartitionDay)
	if err != nil || s.TimestampCol != 3 {
		t.Fatalf("TIMESTAMP(t2): %v, %v", s, err)
	}
	for _, bad := range []struct {
		name string
		cols []Column
		ts   string
	}{
		{"dup", []Column{{"a", TypeInt64, false}, {"A", TypeInt64, false}}, ""},
		{"ts not timestamp", cols, "a"},
		{"ts missing", cols, "zz"},
		{"empty", nil, ""},
		{"bad name", []Column{{"a-b", TypeInt64, false}}, ""},
	} {
		if _, err := NewSchema("x", bad.cols, bad.ts, PartitionDay); err == nil {
			t.Errorf("%s: NewSchema succeeded", bad.name)
		}
	}
}

func TestPartitionStart(t *testing.T) {
	ts := time.Date(2026, 11, 2, 13, 45, 1, 7, time.UTC).UnixNano()
	tests := []struct {
		p    PartitionBy
		want time.Time
	}{
		{PartitionHour, time.Date(2026, 11, 2, 13, 0, 0, 0, time.UTC)},
		{PartitionDay, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)},
		{PartitionMonth, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if got := tt.p.PartitionStart(ts); got != tt.want.UnixNano() {
			t.Errorf("%v: got %v want %v", tt.p, time.Unix(0, got).UTC(), tt.want)
		}
	}
	if got := PartitionDay.PartitionStart(-1); got != -int64(24*time.Hour) {
		t.Errorf("negative ts floors wrongly: %d", got)
	}
}
