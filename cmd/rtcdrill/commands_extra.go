package main

// extraCommands returns subcommands contributed by other files (validate,
// serve, ...). Each such file appends its entry here.
func extraCommands() []command {
	var cmds []command
	cmds = append(cmds, command{name: "serve", summary: "serve the web platform (accounts, exams, trainer authoring)", run: serveCmd})
	cmds = append(cmds, command{name: "validate", summary: "check scenario files: one line per problem, exit 1 if any", run: validateCmd})
	return cmds
}
