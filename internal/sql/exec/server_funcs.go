package exec

import (
	"os"
	"sync"

	"github.com/zeptodb/zeptodb/internal/model"
)

// CompatVersion is the ClickHouse release version() reports. ClickHouse's
// clients read it to decide what to send; 22.6 keeps Grafana from sending
// ad-hoc filters as the additional_table_filters setting (22.7 and later),
// which is not applied here and would otherwise be ignored silently.
const CompatVersion = "22.6.1.1"

// CompatRevision is the protocol revision revision() reports; clickhouse-go
// decodes every later answer by it (at least 54454; it sends 54460).
const CompatRevision = 54460

var hostName = sync.OnceValue(func() string {
	h, err := os.Hostname()
	if err != nil {
		return "zeptodb"
	}
	return h
})

// serverFunc binds ClickHouse's functions about the server itself, which
// clients call when they connect; ok is false for other names.
func serverFunc(name string) (expr, bool) {
	switch name {
	case "version":
		return scalarString(CompatVersion), true
	case "revision":
		return scalarInt(model.TypeInt64, CompatRevision), true
	case "timezone", "servertimezone", "timezoneof":
		return scalarString("UTC"), true
	case "currentdatabase", "database":
		return scalarString(DefaultDatabase), true
	case "displayname", "hostname", "fqdn":
		return scalarString(hostName()), true
	case "currentuser", "user":
		return scalarString("default"), true
	}
	return nil, false
}

// DefaultDatabase is the one database tables live in; system holds the
// catalog's views.
const DefaultDatabase = "default"
