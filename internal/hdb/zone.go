package hdb

import (
	"encoding/binary"
	"math"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

// Zone is the range of one block's values of a numeric or TIMESTAMP
// column, NULLs (and NaNs) left out. Integers and timestamps use Min and
// Max; FLOAT64 and FLOAT32 use FMin and FMax. A block of only NULLs (or
// NaNs) has no values: Has is false.
type Zone struct {
	Has        bool
	Min, Max   int64
	FMin, FMax float64
}

// zoned reports whether blocks of type t carry a zone (metadata v2).
func zoned(t model.ColumnType) bool {
	switch t {
	case model.TypeInt64, model.TypeTimestamp, model.TypeInt32, model.TypeFloat64, model.TypeFloat32:
		return true
	}
	return false
}

func isFloat(t model.ColumnType) bool { return t == model.TypeFloat64 || t == model.TypeFloat32 }

// zoneOf computes the zone of a vector of a zoned type.
func zoneOf(v *column.Vector) Zone {
	var z Zone
	switch v.Type {
	case model.TypeInt64, model.TypeTimestamp:
		z.Has, z.Min, z.Max = rangeOf(v, v.Int64)
	case model.TypeInt32:
		var lo, hi int32
		z.Has, lo, hi = rangeOf(v, v.Int32)
		z.Min, z.Max = int64(lo), int64(hi)
	case model.TypeFloat64:
		z.Has, z.FMin, z.FMax = rangeOf(v, v.Float64)
	case model.TypeFloat32:
		var lo, hi float32
		z.Has, lo, hi = rangeOf(v, v.Float32)
		z.FMin, z.FMax = float64(lo), float64(hi)
	}
	return z
}

// rangeOf returns the least and greatest of the values of v that are
// neither NULL nor NaN, and whether there are any.
func rangeOf[T int64 | int32 | float64 | float32](v *column.Vector, xs []T) (has bool, lo, hi T) {
	nulls := v.Nulls.Any()
	for i, x := range xs {
		if x != x || (nulls && v.Nulls.Get(i)) { // x != x: NaN
			continue
		}
		if !has {
			has, lo, hi = true, x, x
			continue
		}
		lo, hi = min(lo, x), max(hi, x)
	}
	return has, lo, hi
}

// appendZone: u8:has [8 bytes:min 8 bytes:max when has], as int64 for
// integers and timestamps, as float64 bits for floats.
func appendZone(dst []byte, t model.ColumnType, z Zone) []byte {
	if !z.Has {
		return append(dst, 0)
	}
	dst = append(dst, 1)
	lo, hi := uint64(z.Min), uint64(z.Max)
	if isFloat(t) {
		lo, hi = math.Float64bits(z.FMin), math.Float64bits(z.FMax)
	}
	dst = binary.LittleEndian.AppendUint64(dst, lo)
	return binary.LittleEndian.AppendUint64(dst, hi)
}

// zone reads what appendZone wrote.
func (d *metaDecoder) zone(t model.ColumnType) Zone {
	switch d.u8("zone flag") {
	case 0:
		return Zone{}
	case 1:
	default:
		d.fail("bad zone flag")
		return Zone{}
	}
	b := d.take(16, "zone")
	if b == nil {
		return Zone{}
	}
	lo, hi := binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])
	z := Zone{Has: true}
	if isFloat(t) {
		z.FMin, z.FMax = math.Float64frombits(lo), math.Float64frombits(hi)
		if !(z.FMin <= z.FMax) { // also false for NaN
			d.fail("zone min %v above max %v", z.FMin, z.FMax)
		}
		return z
	}
	z.Min, z.Max = int64(lo), int64(hi)
	if z.Min > z.Max {
		d.fail("zone min %d above max %d", z.Min, z.Max)
	}
	return z
}
