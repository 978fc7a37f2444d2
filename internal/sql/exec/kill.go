package exec

import (
	"context"

	"github.com/zeptodb/zeptodb/internal/sql/parser"
)

// execKill runs KILL QUERY WHERE cond: the statements of system.processes
// that cond selects are cancelled (their clients get QUERY_WAS_CANCELLED)
// and listed, as ClickHouse lists them: kill_status, query_id, user,
// query.
func (x *Executor) execKill(ctx context.Context, s *parser.KillQuery) (*Result, error) {
	sel := &parser.Select{
		Items: []parser.SelectItem{{Expr: &parser.ColumnRef{Name: "query_id"}}, {Expr: &parser.ColumnRef{Name: "user"}}, {Expr: &parser.ColumnRef{Name: "query"}}},
		From:  &parser.TableRef{At: s.At, Name: SystemDatabase + ".processes"},
		Where: s.Where,
	}
	sel.Source = sel.From
	res, err := x.runQuery(ctx, sel, nil)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	for r := 0; r < res.Rows; r++ {
		id, user, query := res.Columns[0].Data.String[r], res.Columns[1].Data.String[r], res.Columns[2].Data.String[r]
		status := "pending"
		switch {
		case s.Test:
			status = "test"
		case x.opts.Kill != nil && x.opts.Kill(ctx, id):
			status = "finished"
		default:
			status = "cant_cancel" // it ended meanwhile
		}
		rows = append(rows, []string{status, id, user, query})
	}
	return textResult([]string{"kill_status", "query_id", "user", "query"}, rows...), nil
}
