// Package diff turns a live object and a desired object into something a
// person can review: both are normalised (fields the server owns are dropped),
// rendered as deterministic YAML, secrets are masked, and the two texts are
// compared as a unified diff that can be colored for a terminal.
//
// Nothing here prints: functions return strings, and callers write them to
// the writer they were given.
package diff
