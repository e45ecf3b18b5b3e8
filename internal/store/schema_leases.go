package store

// schemaLeasesSQLite adds the table through which several `rtcdrill serve`
// nodes on one database agree which of them runs an attempt's live call. A
// lease names its node and the URL other nodes forward the call's requests
// to; a node renews its leases while it lives, so one whose expires_at has
// passed belongs to a node that died, and any node may take it over. The
// row goes with its attempt.
func schemaLeasesSQLite() []string {
	return []string{
		`CREATE TABLE attempt_leases (
			attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
			node_id TEXT NOT NULL CHECK (node_id <> ''),
			node_url TEXT NOT NULL DEFAULT '',
			expires_at DATETIME NOT NULL,
			updated_at DATETIME NOT NULL)`,
		`CREATE INDEX attempt_leases_node ON attempt_leases(node_id)`,
		`CREATE INDEX attempt_leases_expiry ON attempt_leases(expires_at)`,
	}
}

// schemaLeasesPostgres is schemaLeasesSQLite in PostgreSQL's types.
func schemaLeasesPostgres() []string {
	return []string{
		`CREATE TABLE attempt_leases (
			attempt_id BIGINT PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
			node_id TEXT NOT NULL CHECK (node_id <> ''),
			node_url TEXT NOT NULL DEFAULT '',
			expires_at TIMESTAMPTZ NOT NULL,
			updated_at TIMESTAMPTZ NOT NULL)`,
		`CREATE INDEX attempt_leases_node ON attempt_leases(node_id)`,
		`CREATE INDEX attempt_leases_expiry ON attempt_leases(expires_at)`,
	}
}
