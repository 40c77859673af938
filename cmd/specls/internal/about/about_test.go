package about

import "testing"

func TestAnswer(t *testing.T) {
	version := "specls " + Version() + "\n"
	tests := []struct {
		args []string
		want string
		ok   bool
	}{
		{[]string{"version"}, version, true},
		{[]string{"--version"}, version, true},
		{[]string{"-version"}, version, true},
		{[]string{"version", "extra"}, version, true},
		{[]string{"help"}, Usage, true},
		{[]string{"-h"}, Usage, true},
		{[]string{"-help"}, Usage, true},
		{[]string{"--help"}, Usage, true},
		{[]string{"help", "help"}, Usage, true},
		{[]string{"--help", "version"}, Usage, true},
		// A command's flags, and every other command, are main's.
		{[]string{"help", "check"}, "", false},
		{[]string{"-h", "new"}, "", false},
		{[]string{"help", ""}, "", false},
		{[]string{"check", "--version"}, "", false},
		{[]string{"--stdio"}, "", false},
		{[]string{"serve"}, "", false},
		{nil, "", false},
	}
	for _, tt := range tests {
		got, ok := Answer(tt.args)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Answer(%q) = %q, %v; want %q, %v", tt.args, got, ok, tt.want, tt.ok)
		}
	}
}

func TestVersionFromLdflags(t *testing.T) {
	defer func(v string) { version = v }(version)
	version = "v9.9.9"
	if got := Version(); got != "v9.9.9" {
		t.Errorf("Version() = %q with -X ...about.version=v9.9.9", got)
	}
}
