package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/rtcdrill/rtcdrill/scenarios"
)

// validateCmd checks scenario libraries or single files and prints one line
// per problem, `file:line:column: path: message`, on stdout so that editors,
// pre-commit hooks and CI annotate them; the summary goes to stderr.
func validateCmd(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: rtcdrill validate [paths...]")
		fmt.Fprintln(stderr, "\nChecks scenario directories (default ./scenarios.d) or single files: YAML syntax,")
		fmt.Fprintln(stderr, "unknown fields, types, units, timelines, catalog ids, exams. Prints one line per")
		fmt.Fprintln(stderr, "problem as file:line:column: path: message. Exit status 0 when everything is")
		fmt.Fprintln(stderr, "valid, 1 otherwise. A file is checked within its library (the nearest directory")
		fmt.Fprintln(stderr, "holding catalog.yaml), so duplicate ids and exam pools are checked too.")
		fmt.Fprintln(stderr, "\nExample pre-commit hook:\n  rtcdrill validate scenarios.d || exit 1")
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"./scenarios.d"}
	}
	problems, failed := 0, false
	for _, path := range paths {
		ps, err := scenarios.Check(path)
		if err != nil {
			fmt.Fprintf(stderr, "validate: %v\n", err)
			failed = true
			continue
		}
		for _, p := range ps {
			fmt.Fprintln(stdout, p.Error())
		}
		problems += len(ps)
	}
	switch {
	case problems > 0:
		fmt.Fprintf(stderr, "validate: %d problem(s)\n", problems)
		return 1
	case failed:
		return 1
	}
	fmt.Fprintf(stderr, "validate: %d path(s) valid\n", len(paths))
	return 0
}
