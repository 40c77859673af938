package diagnostics

import (
	"strings"

	"github.com/specls/specls/config"
	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/pyreq"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// Gate C: Python libraries selected, uv compatibility verified.

// DefaultLibraryMinimums is the seed's pre-approved core stack.
var DefaultLibraryMinimums = map[string]string{
	"fastapi":                               "0.104.0",
	"pydantic":                              "2.5.0",
	"uvicorn":                               "0.24.0",
	"grpcio":                                "1.60.0",
	"grpcio-tools":                          "1.60.0",
	"protobuf":                              "4.24.0",
	"sqlalchemy":                            "2.0.0",
	"asyncpg":                               "0.29.0",
	"alembic":                               "1.12.0",
	"redis":                                 "5.0.0",
	"aiokafka":                              "0.10.0",
	"celery":                                "5.3.0",
	"opentelemetry-api":                     "1.20.0",
	"opentelemetry-instrumentation-fastapi": "0.41b0",
	"prometheus-client":                     "0.19.0",
	"structlog":                             "23.2.0",
	"sentry-sdk":                            "1.39.0",
}

// DefaultLicenses are the licenses the seed prefers.
var DefaultLicenses = []string{"MIT", "Apache-2.0", "BSD"}

// DefaultPythonMinimum is the lowest Python a tech spec may target.
const DefaultPythonMinimum = "3.11"

// Minimum is an approved lowest version of a library.
type Minimum struct {
	Text    string // as configured: "0.104.0"
	Version pyreq.Version
}

var defaultMinimums = func() map[string]Minimum {
	m := map[string]Minimum{}
	for k, v := range DefaultLibraryMinimums {
		m[k] = Minimum{v, pyreq.MustVersion(v)}
	}
	return m
}()

// LibraryMinimums returns the approved minimums in force: the defaults,
// with the configuration's entries added or replacing them ("" or "off"
// removes one). Names are PEP 503 normalised.
func LibraryMinimums(cfg *config.Config) map[string]Minimum {
	if cfg == nil || len(cfg.Options.LibraryMinimums) == 0 {
		return defaultMinimums
	}
	m := make(map[string]Minimum, len(defaultMinimums)+len(cfg.Options.LibraryMinimums))
	for k, v := range defaultMinimums {
		m[k] = v
	}
	for k, v := range cfg.Options.LibraryMinimums {
		k = pyreq.NormalizeName(k)
		v = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(v), ">="))
		if v == "" || strings.EqualFold(v, "off") {
			delete(m, k)
			continue
		}
		if pv, err := pyreq.ParseVersion(v); err == nil {
			m[k] = Minimum{v, pv}
		}
	}
	return m
}

func checkLibraries(c *Context, a *analysis) {
	d := a.doc
	if a.libSection == nil && len(a.libraries) == 0 {
		c.reportAbsent(a, rules.LibrariesMissing, artLibraries, nil,
			"the tech spec has no libraries assessment; list each library with its version constraint, license and the decision")
	}
	mins := LibraryMinimums(c.Config)
	allowed := c.Config.Options.Licenses
	if len(allowed) == 0 {
		allowed = DefaultLicenses
	}
	for _, l := range a.libraries {
		if l.Rejected {
			continue
		}
		m, core := mins[l.Key]
		switch {
		case l.BadVersion != "":
			c.Report(rules.LibraryUnpinned, d, l.Constraint, Data{Target: l.Name},
				"%q is not a PEP 440 version constraint for %s; write e.g. \">=%s\"", l.BadVersion, l.Name, suggestVersion(m, core))
		case len(l.Specifiers) == 0:
			c.Report(rules.LibraryUnpinned, d, l.NameSpan, Data{Target: l.Name},
				"library %s has no version constraint; pin it, e.g. %s >= %s", l.Name, l.Name, suggestVersion(m, core))
		case core:
			if below, s := l.Specifiers.AllowsBelow(m.Version); below {
				if s != nil {
					c.Report(rules.LibraryBelowMinimum, d, l.SpecSpan(s), Data{Target: l.Name, Want: m.Text},
						"%s %s%s is below the approved minimum %s; require %s >= %s", l.Name, s.Op, s.Raw, m.Text, l.Name, m.Text)
				} else {
					c.Report(rules.LibraryBelowMinimum, d, l.Constraint, Data{Target: l.Name, Want: m.Text},
						"%s %s sets no lower bound, so versions below the approved minimum %s are allowed; add >= %s", l.Name, l.Specifiers, m.Text, m.Text)
				}
			}
		}
		if t := strings.TrimSpace(l.License.Text); t != "" && !licenseAllowed(t, allowed) {
			c.Report(rules.LibraryLicense, d, l.License.Span, Data{Target: l.Name, Want: strings.Join(allowed, ", ")},
				"%s is licensed %s, outside the allowed licenses (%s); choose another library or record the approval", l.Name, t, strings.Join(allowed, ", "))
		}
	}
	checkPython(c, a)
	if !a.says(uvTerms) {
		span := titleSpan(d)
		var sec *spec.Section
		if a.libSection != nil {
			span, sec = headSpan(d, a.libSection), a.libSection
		}
		c.Report(rules.UVMissing, d, span, Data{Section: sec},
			"the tech spec never names uv as the package manager; state it (e.g. \"Dependencies are managed with uv: pyproject.toml + uv.lock, `uv sync --frozen` in CI\")")
	}
}

func suggestVersion(m Minimum, core bool) string {
	if core {
		return m.Text
	}
	return "X.Y"
}

// uvTerms find uv named as a tool: "uv sync", "uv.lock", "UV for
// dependency management" (the word alone, not "uvicorn" or "uvloop").
var uvTerms = []term{w("uv")}

// pythonRe finds Python versions: "Python 3.10", "python:3.10-slim",
// "python_version = 3.10", "--python 3.9".
var pythonRe = lazyregexp.New(`^python(?:[ _-]?version)?\s*[:=]?\s*(?:>=|==|~=|>|≥)?\s*['"]?v?(\d+)\.(\d+)\b`)

// requiresPythonRe finds requires-python = ">=3.10" and python_requires.
var requiresPythonRe = lazyregexp.New(`^(?:requires-python|python_requires)\s*=\s*["']([^"']+)["']`)

// targetVersionRe finds ruff/black target-version = "py310".
var targetVersionRe = lazyregexp.New(`^target-version\s*=\s*\[?\s*["']py(\d)(\d{1,2})["']`)

// legacyRe marks lines that talk about an old Python without targeting it.
var legacyRe = lazyregexp.New(`legacy|deprecat|dropp|drop support|migrat|upgrad|previous|formerly|instead of|end of life|eol`)

func checkPython(c *Context, a *analysis) {
	if !c.Enabled(rules.PythonVersion) {
		return
	}
	d := a.doc
	minText := c.Config.Options.PythonMinimum
	if minText == "" {
		minText = DefaultPythonMinimum
	}
	minV, err := pyreq.ParseVersion(minText)
	if err != nil {
		minV, minText = pyreq.MustVersion(DefaultPythonMinimum), DefaultPythonMinimum
	}
	ev := a.evidence
	report := func(span spec.Span, found string) {
		line := ev[strings.LastIndexAny(ev[:span.Start], "\r\n")+1 : lineEnd(ev, span.Start)]
		if legacyRe.MatchString(line) {
			return
		}
		c.Report(rules.PythonVersion, d, span, Data{Want: minText},
			"Python %s is named as the target; the services must target Python %s or later", found, minText)
	}
	// Each pattern is tried where its literal occurs, to the end of the
	// line: one pass over the text finds the candidates of all of them.
	python := func(at int, m []int) {
		ver := ev[at+m[2] : at+m[5]]
		if v, err := pyreq.ParseVersion(ver); err == nil && v.Release[0] <= 3 && v.Compare(minV) < 0 {
			report(spec.Span{Start: at + m[0], End: at + m[5]}, ver)
		}
	}
	requires := func(at int, m []int) {
		ss, err := pyreq.ParseSpecifiers(ev[at+m[2] : at+m[3]])
		if err != nil {
			return
		}
		if below, s := ss.AllowsBelow(minV); below && s != nil {
			report(spec.Span{Start: at + m[2] + s.Span.Start, End: at + m[2] + s.Span.End}, s.Raw)
		}
	}
	target := func(at int, m []int) {
		ver := ev[at+m[2]:at+m[3]] + "." + ev[at+m[4]:at+m[5]]
		if v, err := pyreq.ParseVersion(ver); err == nil && v.Compare(minV) < 0 {
			report(spec.Span{Start: at + m[2] - 2, End: at + m[5]}, ver)
		}
	}
	patterns := []struct {
		re *lazyregexp.Regexp
		fn func(at int, m []int)
	}{{pythonRe, python}, {requiresPythonRe, requires}, {requiresPythonRe, requires}, {targetVersionRe, target}}
	// The literals were found by the scan that finds the review terms
	// (see evidenceTerms).
	for _, h := range a.evidenceHits().python {
		k, at := int(h.k), int(h.i)
		if m := patterns[k].re.FindStringSubmatchIndex(ev[at:lineEnd(ev, at)]); m != nil {
			patterns[k].fn(at, m)
		}
	}
}

// pythonLiterals start the patterns of checkPython, in its order.
var pythonLiterals = []term{p("python"), p("requires-python"), p("python_requires"), p("target-version")}

// licenseAllowed reports whether a license (or one alternative of a dual
// license: "MIT OR Apache-2.0", "BSD/MIT") is on the allowed list. An
// allowed family name ("BSD") admits its variants ("BSD-3-Clause").
func licenseAllowed(license string, allowed []string) bool {
	for _, alt := range licenseAlternatives(license) {
		ca := canonLicense(alt)
		for _, a := range allowed {
			c := canonLicense(a)
			if c != "" && (ca == c || strings.HasPrefix(ca, c+"-")) {
				return true
			}
		}
	}
	return false
}

var licenseSeparators = strings.NewReplacer(" OR ", "|", " or ", "|", "/", "|", ",", "|", " and ", "|", " AND ", "|")

func licenseAlternatives(s string) []string {
	s = licenseSeparators.Replace(s)
	return strings.Split(s, "|")
}

// canonLicense folds license spellings: "Apache License 2.0" and
// "Apache 2.0" -> "APACHE-2.0", "BSD 3-Clause" -> "BSD-3-CLAUSE",
// "MIT License" -> "MIT".
var licenseNoise = strings.NewReplacer("LICENSE", " ", "LICENCE", " ", "VERSION", " ", "(", " ", ")", " ", "\"", " ", "`", " ", "*", " ")

func canonLicense(s string) string {
	u := strings.ToUpper(strings.TrimSpace(s))
	u = licenseNoise.Replace(u)
	words := strings.FieldsFunc(u, func(r rune) bool { return r == ' ' || r == '-' || r == '_' })
	j := strings.Join(words, "-")
	switch {
	case j == "":
		return ""
	case strings.HasPrefix(j, "APACHE") || j == "ASL-2.0" || j == "ASL2":
		if strings.Contains(j, "1.1") {
			return "APACHE-1.1"
		}
		return "APACHE-2.0"
	case j == "MIT" || strings.HasPrefix(j, "MIT-") || j == "EXPAT":
		return "MIT"
	case strings.Contains(j, "BSD"):
		switch {
		case strings.Contains(j, "3") || strings.Contains(j, "NEW") || strings.Contains(j, "REVISED"):
			return "BSD-3-CLAUSE"
		case strings.Contains(j, "2") || strings.Contains(j, "SIMPLIFIED"):
			return "BSD-2-CLAUSE"
		}
		return "BSD"
	case strings.HasPrefix(j, "PSF") || strings.HasPrefix(j, "PYTHON"):
		return "PSF-2.0"
	}
	return j
}

// lineEnd returns the end of the line of s holding i.
func lineEnd(s string, i int) int {
	if j := strings.IndexAny(s[i:], "\r\n"); j >= 0 {
		return i + j
	}
	return len(s)
}
