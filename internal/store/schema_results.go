package store

// schemaResults adds the graded figures of every submitted scenario attempt,
// so that the manager reports read them instead of regrading on each page.
// The indexes follow the reports' filters: a trainee (user), a team, a
// scenario or an exam, each optionally restricted to first attempts, and all
// read in submission order.
func schemaResults() []string {
	return []string{
		`CREATE TABLE results (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			attempt_id INTEGER REFERENCES attempts(id) ON DELETE CASCADE,
			attempt_item_id INTEGER UNIQUE REFERENCES attempt_items(id) ON DELETE CASCADE,
			user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
			team_id INTEGER REFERENCES teams(id) ON DELETE SET NULL,
			exam_id INTEGER REFERENCES exams(id) ON DELETE RESTRICT,
			attempt_no INTEGER NOT NULL CHECK (attempt_no >= 1),
			scenario_id TEXT NOT NULL CHECK (scenario_id <> ''),
			fault_class TEXT NOT NULL DEFAULT '',
			variant_seed INTEGER NOT NULL,
			submitted_at DATETIME NOT NULL,
			handle_ns INTEGER NOT NULL CHECK (handle_ns >= 0),
			recover_ns INTEGER NOT NULL DEFAULT 0 CHECK (recover_ns >= 0),
			score REAL NOT NULL CHECK (score >= 0 AND score <= 100),
			root_cause TEXT NOT NULL DEFAULT '',
			root_cause_correct BOOLEAN NOT NULL,
			resolved BOOLEAN NOT NULL,
			first_contact_resolved BOOLEAN NOT NULL,
			fatal BOOLEAN NOT NULL,
			csat INTEGER NOT NULL CHECK (csat BETWEEN 1 AND 5),
			created_at DATETIME NOT NULL)`,
		`CREATE INDEX results_user ON results(user_id, submitted_at)`,
		`CREATE INDEX results_team ON results(team_id, submitted_at)`,
		`CREATE INDEX results_scenario ON results(scenario_id, attempt_no)`,
		`CREATE INDEX results_exam ON results(exam_id, attempt_no)`,
		`CREATE INDEX results_attempt ON results(attempt_id)`,
	}
}
