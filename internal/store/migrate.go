package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// migration is one step of the schema's history. Steps are written as plain
// SQL rather than gorm's AutoMigrate: AutoMigrate derives the schema from
// today's structs, so an old step would silently change meaning whenever a
// model changes, and it can neither rename nor move data. Frozen SQL makes
// every database walk the same path, whatever version it starts from. Each
// step is spelt once per engine: statements for SQLite, postgres for
// PostgreSQL, the same tables, columns, checks and keys in both.
type migration struct {
	version    int
	name       string
	statements []string
	postgres   []string
}

// migrations lists the schema's history in order. Append new steps; never
// edit one that has shipped.
func migrations() []migration {
	return []migration{
		{version: 1, name: "accounts, exams and attempts", statements: schemaV1(), postgres: schemaV1Postgres()},
		{version: 2, name: "graded results for reports", statements: schemaResults(), postgres: schemaResultsPostgres()},
		{version: 3, name: "browser figures of the customer view", statements: schemaCustomerView(),
			postgres: schemaCustomerViewPostgres()},
		{version: 4, name: "node leases on live attempts", statements: schemaLeasesSQLite(), postgres: schemaLeasesPostgres()},
	}
}

// statementsFor returns the step as the engine spells it.
func (m migration) statementsFor(d dialect) ([]string, error) {
	stmts := m.statements
	if d == dialectPostgres {
		stmts = m.postgres
	}
	if len(stmts) == 0 {
		return nil, fmt.Errorf("no %s statements", d)
	}
	return stmts, nil
}

// createSchemaMigrations makes the table that records the steps applied.
func (s *Store) createSchemaMigrations(tx *gorm.DB) error {
	applied := "DATETIME"
	if s.dialect == dialectPostgres {
		applied = "TIMESTAMPTZ"
	}
	return tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at ` + applied + ` NOT NULL)`).Error
}

// migrate applies the steps the database has not seen yet, each in its own
// transaction together with its row in schema_migrations, so a crash leaves
// the schema at a step boundary. Nodes starting at once on one PostgreSQL
// database take turns on an advisory lock held by each step's transaction,
// and each re-reads the version under it, so a step runs once; on SQLite
// the immediate transaction is the lock.
func (s *Store) migrate(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := s.lock(tx, lockSchema); err != nil {
			return err
		}
		return s.createSchemaMigrations(tx)
	})
	if err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	steps := migrations()
	latest := steps[len(steps)-1].version
	for _, m := range steps {
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := s.lock(tx, lockSchema); err != nil {
				return err
			}
			var current int
			if err := tx.Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current).Error; err != nil {
				return err
			}
			if current > latest {
				return fmt.Errorf("database schema version %d is newer than this program's %d", current, latest)
			}
			if current >= m.version {
				return nil
			}
			stmts, err := m.statementsFor(s.dialect)
			if err != nil {
				return err
			}
			for _, stmt := range stmts {
				if err := tx.Exec(stmt).Error; err != nil {
					return err
				}
			}
			return tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, s.nowUTC()).Error
		})
		if err != nil {
			return fmt.Errorf("migrate to %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

// SchemaVersion reports the newest migration applied to the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := s.db.WithContext(ctx).Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v).Error; err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}
