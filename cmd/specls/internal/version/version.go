// Package version is the version specls reports, and answers `specls
// version` from its init when package about could not (no version was
// stamped at link time): it needs runtime/debug for the build info, which
// makes it initialise after protobuf's packages but still before goldmark,
// net/http and specls's own (see package about).
package version

import (
	"os"
	"runtime/debug"

	"github.com/specls/specls/cmd/specls/internal/about"
)

// String is the version specls reports: the one stamped with -ldflags, else
// the module version `go install ...@v0.3.0` records in the binary, else
// the version go build derived from the repository, else "dev".
func String() string {
	if v := about.Stamped(); v != "" {
		return v
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func init() {
	if !about.InTest() && about.Asks(os.Args[1:]) == about.Version {
		about.Exit(about.VersionLine(String()))
	}
}
