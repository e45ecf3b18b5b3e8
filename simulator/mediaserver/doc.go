// Package mediaserver models the media servers behind a call for the
// support agent's monitoring panel and for the call itself: each server's
// CPU, memory, concurrent sessions and capacity; a primary, a backup and the
// instances an elastic scale-out adds; and what an overloaded or failed
// server does to the media it forwards.
//
// Above a CPU threshold (80 % by default) a server forwards late and drops:
// Curve gives the extra downlink delay, jitter and loss as an impair.Config
// overlay, plus a probability of dropping whole video frames. Merge the
// overlay onto the call's downlink with netpath.Combine. A scale-out adds
// instances after a delay (its ETA is what the agent tells the customer),
// then the pool's load spreads over them; a failover moves the session to
// the backup, which has a load of its own.
//
// The model is pure and lazy: no goroutines, nothing to close. State changes
// only through its methods; time (for the scale-out) comes from an injected
// clock and is read when a figure is asked for.
package mediaserver
