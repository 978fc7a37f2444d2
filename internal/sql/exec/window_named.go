package exec

import (
	"strings"

	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// resolveWindow replaces a reference to a named window (OVER w, or OVER
// (w ORDER BY ...)) by the window it names, refined as SQL allows: the
// reference may add ORDER BY where the named window has none, and a
// frame; it may not repartition.
func resolveWindow(f *parser.FuncCall, named []parser.NamedWindow) (*parser.FuncCall, error) {
	spec, err := resolveSpec(f.Over, named, 0)
	if err != nil || spec == f.Over {
		return f, err
	}
	out := *f
	out.Over = spec
	return &out, nil
}

func resolveSpec(ref *parser.WindowSpec, named []parser.NamedWindow, depth int) (*parser.WindowSpec, error) {
	if ref.Name == "" {
		return ref, nil
	}
	if depth > len(named) {
		return nil, errAt(CodeBadArguments, ref.At, "window %s refers to itself", ref.Name)
	}
	var base *parser.WindowSpec
	for _, w := range named {
		if strings.EqualFold(w.Name, ref.Name) {
			base = w.Spec
		}
	}
	if base == nil {
		return nil, errAt(CodeBadArguments, ref.At, "unknown window %s", ref.Name)
	}
	base, err := resolveSpec(base, named, depth+1)
	if err != nil {
		return nil, err
	}
	switch {
	case len(ref.PartitionBy) > 0:
		return nil, errAt(CodeBadArguments, ref.At, "a reference to window %s cannot add PARTITION BY", ref.Name)
	case len(ref.OrderBy) > 0 && len(base.OrderBy) > 0:
		return nil, errAt(CodeBadArguments, ref.At, "window %s already has an ORDER BY", ref.Name)
	case ref.Frame != nil && base.Frame != nil:
		return nil, errAt(CodeBadArguments, ref.At, "window %s already has a frame", ref.Name)
	}
	out := &parser.WindowSpec{At: ref.At, PartitionBy: base.PartitionBy, OrderBy: base.OrderBy, Frame: base.Frame}
	if len(ref.OrderBy) > 0 {
		out.OrderBy = ref.OrderBy
	}
	if ref.Frame != nil {
		out.Frame = ref.Frame
	}
	return out, nil
}
