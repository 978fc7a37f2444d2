package column

import (
	"errors"
	"reflect"
	"testing"

	"github.com/zeptodb/zeptodb/internal/model"
)

func sampleBatch() *Batch {
	ts := &Vector{Type: model.TypeTimestamp, Int64: []int64{1, 2, -3}}
	sym := &Vector{Type: model.TypeSymbol, String: []string{"AAPL", "", "MSFT"}}
	px := &Vector{Type: model.TypeFloat64, Float64: []float64{1.5, 0, -2.25}}
	px.SetNull(1)
	i32 := &Vector{Type: model.TypeInt32, Int32: []int32{7, -8, 9}}
	f32 := &Vector{Type: model.TypeFloat32, Float32: []float32{0.5, 1, 2}}
	b := &Vector{Type: model.TypeBool, Bool: []bool{true, false, true}}
	s := &Vector{Type: model.TypeString, String: []string{"x", "héllo", ""}}
	s.SetNull(2)
	return &Batch{Vectors: []*Vector{ts, sym, px, i32, f32, b, s}}
}

func TestBatchRoundTrip(t *testing.T) {
	in := sampleBatch()
	enc := AppendBatch([]byte("prefix"), in)
	out, rest, err := DecodeBatch(append(enc[len("prefix"):], 0xAA))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rest, []byte{0xAA}) {
		t.Fatalf("rest = %v", rest)
	}
	if out.Len() != 3 || len(out.Vectors) != len(in.Vectors) {
		t.Fatalf("shape: %d rows %d cols", out.Len(), len(out.Vectors))
	}
	for c := range in.Vectors {
		a, b := in.Vectors[c], out.Vectors[c]
		for i := 0; i < 3; i++ {
			if a.IsNull(i) != b.IsNull(i) {
				t.Errorf("col %d row %d null mismatch", c, i)
			}
		}
		a.Nulls, b.Nulls = nil, nil
		if !reflect.DeepEqual(a, b) {
			t.Errorf("col %d: got %+v want %+v", c, b, a)
		}
	}
}

func TestDecodeBatchTruncated(t *testing.T) {
	enc := AppendBatch(nil, sampleBatch())
	for n := 0; n < len(enc); n++ {
		if _, _, err := DecodeBatch(enc[:n]); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("prefix %d: err = %v, want ErrCorrupt", n, err)
		}
	}
}

func FuzzDecodeBatch(f *testing.F) {
	f.Add(AppendBatch(nil, sampleBatch()))
	f.Add([]byte{0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		b, _, err := DecodeBatch(data)
		if err != nil {
			return
		}
		n := b.Len()
		for _, v := range b.Vectors {
			if v.Len() != n {
				t.Fatalf("ragged batch: %d vs %d", v.Len(), n)
			}
		}
		again, _, err := DecodeBatch(AppendBatch(nil, b))
		if err != nil || again.Len() != n {
			t.Fatalf("re-encode: %v", err)
		}
	})
}

func TestBitmapCount(t *testing.T) {
	var b Bitmap
	for _, i := range []int{0, 5, 63, 64, 130} {
		b.Set(i)
	}
	for n, want := range map[int]int{0: 0, 1: 1, 6: 2, 64: 3, 65: 4, 131: 5, 1000: 5} {
		if got := b.Count(n); got != want {
			t.Errorf("Count(%d) = %d want %d", n, got, want)
		}
	}
}
