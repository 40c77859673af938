package diagnostics

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestRuleCaseMessagesFitOneLine holds the message of every finding of
// every rule case to CheckMessage.
func TestRuleCaseMessagesFitOneLine(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "rules", "*.txtar"))
	n := 0
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		docs, dir, cfg, _ := applyCase(t, ar)
		in := featureInput(dir, docs, cfg)
		for _, f := range Check(in) {
			n++
			if err := CheckMessage(f); err != "" {
				t.Errorf("%s: %s", filepath.Base(file), err)
			}
		}
	}
	if n < 50 {
		t.Fatalf("only %d findings in the rule cases", n)
	}
}
