// Command rtcdrill is the fault-injection training simulator for WebRTC support
// agents: it runs impaired calls, validates scenario files, benchmarks the engine
// and (later) serves the web platform.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one subcommand of the rtcdrill binary.
type command struct {
	name    string
	summary string
	// run executes the subcommand with its own arguments (without the name)
	// and returns the process exit code.
	run func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands lists the subcommands. Each lives in a file named after it.
func commands() []command {
	cmds := []command{
		{name: "run", summary: "run one impaired call (flags or a scenario file) and print live metrics", run: runCmd},
		{name: "bench", summary: "measure the engine's cost: bare vs impaired calls", run: benchCmd},
	}
	cmds = append(cmds, extraCommands()...)
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].name < cmds[j].name })
	return cmds
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := dispatch(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// dispatch picks the subcommand named by args[0]; it is separate from main so
// that tests can drive the CLI in-process.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "rtcdrill: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "rtcdrill — WebRTC fault-injection training simulator")
	fmt.Fprintln(w, "\nUsage: rtcdrill <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'rtcdrill <command> --help' for the flags of a command.")
}
