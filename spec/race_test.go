//go:build race

package spec_test

// raceDetector is true in a race-enabled build, whose parses are some
// twenty times slower: the property tests take fewer steps there (the race
// detector has nothing to find in them; `go test ./spec` runs them all).
const raceDetector = true
