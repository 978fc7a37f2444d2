package exec

import "github.com/zeptodb/zeptodb/internal/column"

type columnVector = column.Vector
