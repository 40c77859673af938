package arch

import (
	"strings"
	"testing"

	"github.com/specls/specls/spec"
)

// rejectedRef is rejected as it was before the decision was normalised
// on the stack.
func rejectedRef(decision string) bool {
	n := spec.Normalize(decision)
	for _, w := range []string{"reject", "rejected", "avoid", "drop", "dropped", "no", "not adopted", "declined", "replaced", "deprecated", "remove", "removed"} {
		if n == w || strings.HasPrefix(n, w+" ") {
			return true
		}
	}
	return false
}

func TestRejectedMatchesReference(t *testing.T) {
	decisions := []string{"", "Rejected", "rejected — too heavy", "**No**", "No.", "no-go", "Nope", "Not adopted", "not adopted yet", "NOT ADOPTED",
		"Adopted", "Adopt", "Dropped.", "REMOVED (v2)", "Removed", "removes", "Évité", "Rejeté", "avoid: GPL", "Avoided", "Declined (license)",
		"replaced by httpx", "Deprecated", "keep", " no ", "✅ Adopted", "❌ Rejected", "no" + strings.Repeat(" x", 100), strings.Repeat("Rejected ", 20)}
	for _, d := range decisions {
		if got, want := rejected(d), rejectedRef(d); got != want {
			t.Errorf("rejected(%q) = %v, reference %v", d, got, want)
		}
	}
}

func TestBlankMarkup(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"fastapi", "fastapi"}, {"`fastapi`", " fastapi "}, {"**httpx**", "  httpx  "}, {"≥2.5", ">= 2.5"}, {"`≤ 3`", " <=  3 "}, {"", ""},
	} {
		if got := blankMarkup(tc.in); got != tc.want {
			t.Errorf("blankMarkup(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestHeaderKeys(t *testing.T) {
	src := "| Library | Version Constraint | **License** | Décision | | ÜBER-Spalte (x) |\n|---|---|---|---|---|---|\n| a | b | c | d | e | f |\n"
	wide := "|" + strings.Repeat(" Col-X |", 40) + "\n|" + strings.Repeat("---|", 40) + "\n|" + strings.Repeat(" v |", 40) + "\n"
	for _, src := range []string{src, wide} {
		d := spec.Parse("tasks/prd-x/_techspec.md", []byte(src))
		if len(d.Tables) != 1 {
			t.Fatalf("%d tables", len(d.Tables))
		}
		tb := d.Tables[0]
		got := HeaderKeys(tb)
		if len(got) != len(tb.Header) {
			t.Fatalf("%d keys for %d headers", len(got), len(tb.Header))
		}
		for i, h := range tb.Header {
			if got[i] != spec.Normalize(h.Text) {
				t.Errorf("key %d = %q, want %q", i, got[i], spec.Normalize(h.Text))
			}
		}
	}
}

// splitNamesRef is SplitNames as it was before its one-name shortcut.
func splitNamesRef(s string) []string {
	s = nameSeparators.Replace(s)
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func TestSplitNamesMatchesReference(t *testing.T) {
	for _, s := range []string{"", "  ", "Auth", " Auth Service ", "Auth, Profile & Billing", "A and B", "Brand and Co", "Sandy", "A/B", "A; B + C", ",", " and ",
		"Orders\tService", "Auth,", "Ünïcode Dienst", "andand", "A and"} {
		got, want := SplitNames(s), splitNamesRef(s)
		if strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) || (got == nil) != (want == nil) {
			t.Errorf("SplitNames(%q) = %q, reference %q", s, got, want)
		}
	}
}

// engineOfWordRef is engineOfWord as it was before its map.
func engineOfWordRef(w string) string {
	for _, e := range databaseEngines {
		for _, x := range e.Words {
			if w == x {
				return strings.ToLower(e.Name)
			}
		}
	}
	return ""
}

func TestEngineOfWordMatchesReference(t *testing.T) {
	words := []string{"", "postgres", "pg", "mariadb", "mongo", "s3", "minio", "redis", "valkey", "orders", "database", "PostgreSQL"}
	for _, e := range databaseEngines {
		words = append(words, e.Words...)
		words = append(words, e.Name)
	}
	for _, w := range words {
		if got, want := engineOfWord(w), engineOfWordRef(w); got != want {
			t.Errorf("engineOfWord(%q) = %q, reference %q", w, got, want)
		}
	}
	for _, tc := range []struct{ cell, want string }{
		{"PostgreSQL (orders_db)", "postgresql:orders"}, {"PostgreSQL", ""}, {"none (stateless)", ""}, {"None — reads Orders", ""},
		{"orders managed database", ":orders"}, {"Redis cache `sessions`", "redis:sessions"}, {"MariaDB billing", "mysql:billing"},
	} {
		if got := DatabaseInstance(tc.cell); got != tc.want {
			t.Errorf("DatabaseInstance(%q) = %q, want %q", tc.cell, got, tc.want)
		}
	}
}
