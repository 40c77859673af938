package pyreq

import (
	"sort"
	"strings"
	"testing"
)

func TestParseVersionNormalises(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1.0", "1.0"},
		{"v1.0", "1.0"},
		{" 0.104.0 ", "0.104.0"},
		{"1.0a", "1.0a0"},
		{"1.0.alpha.1", "1.0a1"},
		{"1.0-beta2", "1.0b2"},
		{"1.0c1", "1.0rc1"},
		{"1.0pre1", "1.0rc1"},
		{"1.0preview3", "1.0rc3"},
		{"0.41b0", "0.41b0"},
		{"1.0-1", "1.0.post1"},
		{"1.0.post", "1.0.post0"},
		{"1.0rev2", "1.0.post2"},
		{"1.0.dev", "1.0.dev0"},
		{"1!2.0rc1.post2.dev3+Ubuntu-1", "1!2.0rc1.post2.dev3+ubuntu.1"},
		{"2024.1.15", "2024.1.15"},
	} {
		v, err := ParseVersion(tc.in)
		if err != nil {
			t.Errorf("ParseVersion(%q): %v", tc.in, err)
			continue
		}
		if got := v.String(); got != tc.want {
			t.Errorf("ParseVersion(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestParseVersionRejects(t *testing.T) {
	for _, in := range []string{"", "latest", "x1.0", "1.0+", "1.0+a..b", "1.0 beta", "1.0.*", "^1.2", "1.0foo"} {
		if v, err := ParseVersion(in); err == nil {
			t.Errorf("ParseVersion(%q) = %s, want an error", in, v)
		}
	}
}

// TestVersionOrder is the ordering example of PEP 440, shuffled and sorted.
func TestVersionOrder(t *testing.T) {
	ordered := []string{
		"1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12",
		"1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345",
		"1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7", "1.0+5",
		"1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1", "1!0.1",
	}
	vs := make([]Version, len(ordered))
	for i := range ordered {
		vs[len(ordered)-1-i] = MustVersion(ordered[i])
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].Compare(vs[j]) < 0 })
	for i, v := range vs {
		if want := MustVersion(ordered[i]).String(); v.String() != want {
			t.Fatalf("position %d: got %s, want %s", i, v, want)
		}
	}
	if MustVersion("1.0").Compare(MustVersion("1.0.0")) != 0 {
		t.Error("1.0 and 1.0.0 must compare equal")
	}
}

func TestSpecifierContains(t *testing.T) {
	for _, tc := range []struct {
		spec string
		yes  []string
		no   []string
	}{
		{">=0.104.0", []string{"0.104.0", "0.110.1", "1.0"}, []string{"0.103.9", "0.104.0rc1", "0.105.0a1"}},
		{"~=2.5", []string{"2.5", "2.9.1"}, []string{"2.4", "3.0"}},
		{"~=2.5.1", []string{"2.5.1", "2.5.9"}, []string{"2.6.0", "2.5.0"}},
		{"==1.4.*", []string{"1.4", "1.4.7", "1.4.0.post1"}, []string{"1.5", "1.40"}},
		{"!=1.4.*", []string{"1.5", "1.3.9"}, []string{"1.4.2"}},
		{"==1.0", []string{"1.0", "1.0.0", "1.0+local"}, []string{"1.0.1", "1.0.post1"}},
		{"==1.0+local", []string{"1.0+local"}, []string{"1.0", "1.0+other"}},
		{">1.7", []string{"1.7.1", "1.8"}, []string{"1.7", "1.7.post1"}},
		{">1.7.post2", []string{"1.7.post3", "1.8"}, []string{"1.7.post2"}},
		{"<2", []string{"1.9"}, []string{"2.0", "2.0rc1", "2.0.dev0"}},
		{"<2.0rc2", []string{"2.0rc1"}, []string{"2.0rc2"}},
		{">=1.0,<2,!=1.5", []string{"1.0", "1.9.9"}, []string{"1.5", "2.0", "0.9"}},
		{">=0.41b0", []string{"0.41b0", "0.41", "0.42b1"}, []string{"0.40", "0.41a9"}},
		{"===1.0.0", []string{"1.0.0"}, []string{"1.0"}},
	} {
		ss, err := ParseSpecifiers(tc.spec)
		if err != nil {
			t.Errorf("ParseSpecifiers(%q): %v", tc.spec, err)
			continue
		}
		for _, v := range tc.yes {
			if !ss.Contains(MustVersion(v), false) {
				t.Errorf("%q should contain %s", tc.spec, v)
			}
		}
		for _, v := range tc.no {
			if ss.Contains(MustVersion(v), false) {
				t.Errorf("%q should not contain %s", tc.spec, v)
			}
		}
	}
}

func TestParseSpecifiersErrors(t *testing.T) {
	for _, tc := range []struct {
		in       string
		at       Span
		contains string
	}{
		{">=", Span{0, 2}, "needs a version"},
		{">= latest", Span{3, 9}, "not a PEP 440 version"},
		{"~=2", Span{2, 3}, "at least two"},
		{">=1.0.*", Span{2, 7}, "not a PEP 440 version"},
		{">=1.0+local", Span{2, 11}, "local version"},
		{">=1.0,", Span{5, 6}, "unexpected"},
		{"1.0", Span{0, 3}, "no version constraint"},
		{">=1.0 and more", Span{6, 14}, "unexpected"},
	} {
		_, err := ParseSpecifiers(tc.in)
		e, ok := err.(*Error)
		if !ok {
			t.Errorf("ParseSpecifiers(%q) error = %v, want *Error", tc.in, err)
			continue
		}
		if e.Span != tc.at || !strings.Contains(e.Msg, tc.contains) {
			t.Errorf("ParseSpecifiers(%q) = %v %q, want %v containing %q", tc.in, e.Span, e.Msg, tc.at, tc.contains)
		}
	}
}

func TestParseRequirement(t *testing.T) {
	for _, tc := range []struct {
		in                 string
		key, extras, specs string
		nameSpan, specSpan Span
		url, marker        string
	}{
		{"fastapi >= 0.104.0", "fastapi", "", ">=0.104.0", Span{0, 7}, Span{8, 18}, "", ""},
		{"uvicorn[standard] >= 0.24.0", "uvicorn", "standard", ">=0.24.0", Span{0, 7}, Span{18, 27}, "", ""},
		{"celery[redis,msgpack]>=5.3.0,<6", "celery", "redis,msgpack", ">=5.3.0,<6", Span{0, 6}, Span{21, 31}, "", ""},
		{"  Opentelemetry_API (>=1.20.0)", "opentelemetry-api", "", ">=1.20.0", Span{2, 19}, Span{21, 29}, "", ""},
		{"pydantic~=2.5 ; python_version >= '3.11'", "pydantic", "", "~=2.5", Span{0, 8}, Span{8, 13}, "", "python_version >= '3.11'"},
		{"mylib @ https://example.com/mylib-1.0.tar.gz", "mylib", "", "", Span{0, 5}, Span{6, 44}, "https://example.com/mylib-1.0.tar.gz", ""},
		{"structlog", "structlog", "", "", Span{0, 9}, Span{9, 9}, "", ""},
		{"sentry-sdk==1.39.1  # errors", "sentry-sdk", "", "==1.39.1", Span{0, 10}, Span{10, 18}, "", ""},
	} {
		r, err := ParseRequirement(tc.in)
		if err != nil {
			t.Errorf("ParseRequirement(%q): %v", tc.in, err)
			continue
		}
		if r.Key() != tc.key || strings.Join(r.Extras, ",") != tc.extras || r.Specifiers.String() != tc.specs ||
			r.NameSpan != tc.nameSpan || r.SpecSpan != tc.specSpan || r.URL != tc.url || r.Marker != tc.marker {
			t.Errorf("ParseRequirement(%q) = key %q extras %v specs %q name %v spec %v url %q marker %q", tc.in,
				r.Key(), r.Extras, r.Specifiers, r.NameSpan, r.SpecSpan, r.URL, r.Marker)
		}
		if got := tc.in[r.NameSpan.Start:r.NameSpan.End]; NormalizeName(got) != tc.key {
			t.Errorf("name span of %q covers %q", tc.in, got)
		}
	}
}

func TestParseRequirementErrors(t *testing.T) {
	for _, in := range []string{"", "# comment", "fastapi >= ", "uvicorn[standard", "fastapi latest", "fastapi (>=1.0", "fastapi @", "-e ."} {
		if r, err := ParseRequirement(in); err == nil {
			t.Errorf("ParseRequirement(%q) = %v, want an error", in, r)
		}
	}
}

func TestScanRequirementStopsAtProse(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"fastapi >= 0.110.0 — web framework", "fastapi>=0.110.0"},
		{"redis>=5.0.1, aiokafka>=0.10", "redis>=5.0.1"},
		{"httpx (HTTP client)", "httpx"},
	} {
		r, err := ScanRequirement(tc.in)
		if err != nil || r == nil {
			t.Errorf("ScanRequirement(%q) = %v, %v", tc.in, r, err)
			continue
		}
		if r.String() != tc.want {
			t.Errorf("ScanRequirement(%q) = %s, want %s", tc.in, r, tc.want)
		}
	}
	if r, _ := ScanRequirement("— nothing"); r != nil {
		t.Errorf("ScanRequirement of prose = %v, want nil", r)
	}
}

func TestAllowsBelow(t *testing.T) {
	minimum := MustVersion("0.104.0")
	for _, tc := range []struct {
		spec  string
		below bool
		raise string // the clause to raise, "" when none (no lower bound)
	}{
		{">=0.104.0", false, ""},
		{">=0.110,<1", false, ""},
		{"~=0.104", false, ""},
		{"==0.104.*", false, ""},
		{">0.104.0", false, ""},
		{">0.103", true, ">0.103"},
		{">=0.100.0", true, ">=0.100.0"},
		{"==0.95.2", true, "==0.95.2"},
		{"==0.95.*", true, "==0.95.*"},
		{"<1.0", true, ""},
		{"!=0.105.0", true, ""},
		{">=0.104.0rc1", true, ">=0.104.0rc1"},
		{">=0.90,>=0.105", false, ""},
	} {
		ss, err := ParseSpecifiers(tc.spec)
		if err != nil {
			t.Fatalf("ParseSpecifiers(%q): %v", tc.spec, err)
		}
		below, s := ss.AllowsBelow(minimum)
		raise := ""
		if s != nil {
			raise = s.String()
		}
		if below != tc.below || raise != tc.raise {
			t.Errorf("%q AllowsBelow(0.104.0) = %v %q, want %v %q", tc.spec, below, raise, tc.below, tc.raise)
		}
	}
}

// FuzzParseRequirement: no panic, spans inside the input, and a parsed
// requirement prints to a line that parses to the same requirement.
func FuzzParseRequirement(f *testing.F) {
	for _, s := range []string{"fastapi >= 0.104.0", "uvicorn[standard]>=0.24.0,<1", "a (==1.*)", "x @ http://u ; os_name=='nt'",
		"pydantic~=2.5.3", "opentelemetry-instrumentation-fastapi>=0.41b0", "p===1!2.0rc1.post2.dev3+l.1", ">=", "[", "a[", "a(", "a,>=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRequirement(s)
		if err != nil {
			if e, ok := err.(*Error); ok && (e.Span.Start < 0 || e.Span.End > len(s) || e.Span.Start > e.Span.End) {
				t.Fatalf("error span %v outside %q", e.Span, s)
			}
			return
		}
		for _, sp := range []Span{r.NameSpan, r.SpecSpan, r.Span} {
			if sp.Start < 0 || sp.End > len(s) || sp.Start > sp.End {
				t.Fatalf("span %v outside %q", sp, s)
			}
		}
		for _, sp := range r.Specifiers {
			if sp.Span.Start < 0 || sp.Span.End > len(s) {
				t.Fatalf("specifier span %v outside %q", sp.Span, s)
			}
		}
		r2, err := ParseRequirement(r.String())
		if err != nil {
			t.Fatalf("%q printed as %q, which does not parse: %v", s, r.String(), err)
		}
		if r2.String() != r.String() {
			t.Fatalf("round trip %q -> %q -> %q", s, r.String(), r2.String())
		}
	})
}

// FuzzVersion: a parsed version prints to its normal form, which parses to
// an equal version.
func FuzzVersion(f *testing.F) {
	for _, s := range []string{"1.0", "v1.0a", "1!2.0rc1.post2.dev3+ubuntu.1", "1.0-1", "0.41b0", "1..0", "1.0+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVersion(s)
		if err != nil {
			return
		}
		w, err := ParseVersion(v.String())
		if err != nil {
			t.Fatalf("%q normalised to %q, which does not parse: %v", s, v, err)
		}
		if v.Compare(w) != 0 || w.String() != v.String() {
			t.Fatalf("%q: %s != %s", s, v, w)
		}
	})
}
