package model

import (
	"strings"
	"testing"
)

func TestParseTypeArgs(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want ColumnType
		err  string
	}{
		{"LOWCARDINALITY", []string{"STRING"}, TypeSymbol, ""},
		{"NULLABLE", []string{"LOWCARDINALITY(STRING)"}, TypeSymbol, ""},
		{"NULLABLE", []string{"INT64"}, TypeInt64, ""},
		{"DATETIME64", []string{"9", "'UTC'"}, TypeTimestamp, ""},
		{"DATETIME64", []string{"3"}, TypeTimestamp, ""},
		{"DATETIME", nil, TypeTimestamp, ""},
		{"DATETIME", []string{"'UTC'"}, TypeTimestamp, ""},
		{"NULLABLE", []string{"DATETIME64(6, 'UTC')"}, TypeTimestamp, ""},
		{"UINT8", nil, TypeInt32, ""},
		{"UINT32", nil, TypeInt64, ""},
		{"INT16", nil, TypeInt32, ""},
		{"VARCHAR", []string{"32"}, TypeString, ""},
		{"UINT64", nil, TypeInvalid, "do not all fit"},
		{"DATETIME64", []string{"3", "'Asia/Tokyo'"}, TypeInvalid, "stored in UTC"},
		{"DATETIME64", []string{"10"}, TypeInvalid, "want 0 to 9"},
		{"DATETIME", []string{"'Europe/London'"}, TypeInvalid, "stored in UTC"},
		{"INT64", []string{"3"}, TypeInvalid, "takes no parameters"},
		{"NULLABLE", nil, TypeInvalid, "takes one type"},
	}
	for _, tt := range tests {
		got, err := ParseTypeArgs(tt.name, tt.args)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s%v: %v, %v; want error %q", tt.name, tt.args, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s%v = %v, %v; want %v", tt.name, tt.args, got, err, tt.want)
		}
	}
}
