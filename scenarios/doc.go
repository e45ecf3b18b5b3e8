// Package scenarios loads and validates the training scenarios trainers
// write as YAML in scenarios.d/: the customer's ticket, the fault as a
// timeline of impairments the simulator plays, and the answer key grading
// uses. It also holds the catalog of root causes and remedies and the exam
// definitions.
//
// Files are decoded from yaml.Node trees by a walker of its own so that every
// problem of a file is reported at once with its line, column and field
// path. Numeric fault parameters may be ranges or lists of choices; a seed
// resolves them into a Variant whose canonical JSON is byte-identical for
// the same file and seed.
//
// The package imports nothing of the simulator: the simulator maps a
// Variant's Impairment onto its own config.
package scenarios

//go:generate go run ./internal/schemagen -out ../scenarios.d
