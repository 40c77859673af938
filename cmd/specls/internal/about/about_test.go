package about

import "testing"

func TestAnswer(t *testing.T) {
	v := func() string { return "v1.2.3" }
	version := "specls v1.2.3\n"
	tests := []struct {
		args []string
		kind Kind
		want string
	}{
		{[]string{"version"}, Version, version},
		{[]string{"--version"}, Version, version},
		{[]string{"-version"}, Version, version},
		{[]string{"version", "extra"}, Version, version},
		{[]string{"help"}, Help, Usage},
		{[]string{"-h"}, Help, Usage},
		{[]string{"-help"}, Help, Usage},
		{[]string{"--help"}, Help, Usage},
		{[]string{"help", "help"}, Help, Usage},
		{[]string{"--help", "version"}, Help, Usage},
		// A command's flags, and every other command, are main's.
		{[]string{"help", "check"}, Other, ""},
		{[]string{"-h", "new"}, Other, ""},
		{[]string{"help", ""}, Other, ""},
		{[]string{"check", "--version"}, Other, ""},
		{[]string{"--stdio"}, Other, ""},
		{[]string{"serve"}, Other, ""},
		{nil, Other, ""},
	}
	for _, tt := range tests {
		if got := Asks(tt.args); got != tt.kind {
			t.Errorf("Asks(%q) = %v, want %v", tt.args, got, tt.kind)
		}
		got, ok := Answer(tt.args, v)
		if got != tt.want || ok != (tt.kind != Other) {
			t.Errorf("Answer(%q) = %q, %v; want %q, %v", tt.args, got, ok, tt.want, tt.kind != Other)
		}
	}
}

func TestStamped(t *testing.T) {
	defer func(v string) { version = v }(version)
	for v, want := range map[string]string{"dev": "", "": "", "v9.9.9": "v9.9.9"} {
		version = v
		if got := Stamped(); got != want {
			t.Errorf("Stamped() = %q with -X ...about.version=%q, want %q", got, v, want)
		}
	}
}
