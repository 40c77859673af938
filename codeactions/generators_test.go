package codeactions

import (
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/bufbuild/protocompile/parser"
	"github.com/bufbuild/protocompile/reporter"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

func TestParseDeps(t *testing.T) {
	tests := []struct {
		in   string
		want []dependency
	}{
		{"Auth Service (gRPC), Kafka", []dependency{{Name: "Auth Service", Protocol: "gRPC"}, {Name: "Kafka", Protocol: "Kafka"}}},
		{"Agent Service (gRPC streaming); Redis", []dependency{{Name: "Agent Service", Protocol: "gRPC", Streaming: true}, {Name: "Redis", Protocol: "Redis"}}},
		{"Billing via REST and Ledger", []dependency{{Name: "Billing", Protocol: "REST"}, {Name: "Ledger"}}},
		{"Auth Service (gRPC, sync)", []dependency{{Name: "Auth Service", Protocol: "gRPC"}}},
		{"Search Service — full-text queries", []dependency{{Name: "Search Service"}}},
		{"none", nil},
		{"N/A", nil},
		{"[Service]", nil},
	}
	for _, tc := range tests {
		if got := parseDeps(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseDeps(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct{ in, key, id string }{
		{"Auth Service", "auth", "AuthService"},
		{"AuthService", "auth", "AuthService"},
		{"auth-service", "auth", "AuthService"},
		{"API Gateway", "apigateway", "APIGateway"},
		{"2FA svc", "2fa", "S2FASvc"},
		{"Überweisung", "überweisung", "Berweisung"},
	} {
		if got := nameKey(tc.in); got != tc.key {
			t.Errorf("nameKey(%q) = %q, want %q", tc.in, got, tc.key)
		}
		if got := identifier(tc.in); got != tc.id {
			t.Errorf("identifier(%q) = %q, want %q", tc.in, got, tc.id)
		}
	}
	for _, tc := range []struct{ slug, want string }{
		{"ai-chat", "ai_chat.v1"}, {"2fa", "feature_2fa.v1"}, {"", "feature.v1"}, {"x--y", "x_y.v1"},
	} {
		if got := protoPackage(tc.slug); got != tc.want {
			t.Errorf("protoPackage(%q) = %q, want %q", tc.slug, got, tc.want)
		}
	}
}

func TestPattern(t *testing.T) {
	for in, want := range map[string]string{
		"gRPC": "Request-Reply", "REST": "Request-Reply", "gRPC stream": "Streaming",
		"Kafka": "Pub-Sub", "AMQP": "Pub-Sub", "async events": "Pub-Sub",
	} {
		if got := pattern(in); got != want {
			t.Errorf("pattern(%q) = %q, want %q", in, got, want)
		}
	}
}

// techSpec parses a tech spec of the ai-chat feature.
func techSpec(src string) (diagnostics.Input, *spec.Document) {
	d := spec.Parse(filepath.Join(featureDir, "_techspec.md"), []byte(src))
	f := &spec.Feature{Dir: featureDir, Slug: "ai-chat", TechSpec: d}
	return diagnostics.Input{Feature: f, Config: config.Default()}, d
}

const graphSpec = `# Technical Specification: AI Chat

## Architecture Overview

### Service Dependency Graph

` + "```mermaid" + `
graph TD
  Gateway[API Gateway] -->|REST| Auth[Auth Service]
  Gateway -->|gRPC| Chat[Chat Service]
  Chat -->|gRPC stream| Agent[Agent Service]
  Chat -->|Kafka| Events[Event Stream]
  Agent --> Auth
` + "```" + `

## Service Definitions

### Auth Service

- Database schema: users, sessions

` + "```sql" + `
CREATE TABLE IF NOT EXISTS auth.users (id uuid);
CREATE TABLE sessions (id uuid);
` + "```" + `

### Chat Service

- Uses MongoDB for messages
`

func TestGraphFromMermaid(t *testing.T) {
	in, d := techSpec(graphSpec)
	f := newFixer(in, d)
	a := f.artifacts()
	if !a.fromMermaid || a.graph == nil {
		t.Fatalf("the document's mermaid graph was not read (fromMermaid=%v)", a.fromMermaid)
	}
	var rows []string
	for _, r := range f.matrixRows(nil) {
		rows = append(rows, strings.Join(r.cells, " | "))
	}
	want := []string{
		"API Gateway | Auth Service | REST | Request-Reply",
		"API Gateway | Chat Service | gRPC | Request-Reply",
		"Chat Service | Agent Service | gRPC | Streaming", // the protocol family of "gRPC stream"
		"Chat Service | Event Stream | Kafka | Pub-Sub",
		"Agent Service | Auth Service | gRPC | Request-Reply", // an unlabelled edge between services: gRPC
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("matrix rows:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	// Rows follow the author's naming: IDs when the table uses them.
	rows = rows[:0]
	for _, r := range f.matrixRows([][]string{{"Gateway", "Auth", "REST", "Request-Reply"}}) {
		rows = append(rows, r.cells[0]+" -> "+r.cells[1])
	}
	if rows[0] != "Gateway -> Auth" {
		t.Errorf("with ID-named rows, got %v", rows)
	}

	var own []string
	for _, r := range f.ownershipRows(nil) {
		own = append(own, strings.Join(r.cells, " | "))
	}
	wantOwn := []string{"Auth Service | [Database] | Users, Sessions", "Chat Service | MongoDB | Chat data"}
	if !reflect.DeepEqual(own, wantOwn) {
		t.Errorf("ownership rows %q, want %q", own, wantOwn)
	}

	infra, levels := f.phases()
	// An undefined "API Gateway" is infrastructure, as the rules see it.
	if labels(infra) != "API Gateway, Event Stream" {
		t.Errorf("infrastructure %q", labels(infra))
	}
	var got []string
	for _, l := range levels {
		got = append(got, labels(l))
	}
	if want := []string{"Auth Service", "Agent Service", "Chat Service"}; !reflect.DeepEqual(got, want) {
		t.Errorf("phases %q, want %q", got, want)
	}

	if u := f.undefinedServices(); labels(u) != "Agent Service" {
		t.Errorf("undefined services %q", labels(u))
	}
}

func TestBrokenGraphDerivesNothing(t *testing.T) {
	in, d := techSpec(strings.Replace(graphSpec, "Agent --> Auth", "Agent --> ", 1))
	f := newFixer(in, d)
	if f.artifacts().graph != nil {
		t.Fatal("a graph that does not parse must not be used")
	}
	if rows := f.matrixRows(nil); len(rows) != 0 {
		t.Errorf("matrix rows from a broken graph: %v", rows)
	}
	if as := f.ensure(genMatrix); len(as) != 0 {
		t.Errorf("offered %q from a broken graph", as[0].Title)
	}
}

func TestProtoStubsParse(t *testing.T) {
	in, d := techSpec(graphSpec + "\n## Proto Definitions\n\n```proto\nsyntax = \"proto3\";\nservice ChatService {}\n```\n")
	f := newFixer(in, d)
	body := protoBody(f, nil)
	if !strings.Contains(body, "service AuthService {}") || strings.Contains(body, "service ChatService") {
		t.Fatalf("stubs for the services without one expected, got\n%s", body)
	}
	src := strings.TrimSuffix(strings.TrimPrefix(body, "```proto\n"), "```")
	h := reporter.NewHandler(nil)
	if _, err := parser.Parse("stub.proto", strings.NewReader(src), h); err != nil {
		t.Errorf("the generated proto does not parse: %v\n%s", err, src)
	}
}

func TestChecklistAddsMissingItems(t *testing.T) {
	src := "# Technical Specification: AI Chat\n\n## Python Production Checklist\n\n- [x] Python 3.11+ with async/await throughout\n  (verified in CI)\n- [ ] UV for dependency management\n\nNotes after the list.\n"
	in, d := techSpec(src)
	as := newFixer(in, d).ensure(genChecklist)
	if len(as) != 1 {
		t.Fatalf("want one action, got %d", len(as))
	}
	got, err := Apply(d.Text, as[0].Edits)
	if err != nil {
		t.Fatal(err)
	}
	s := string(got)
	if !strings.HasPrefix(s, src[:strings.Index(src, "\nNotes")-1]) {
		t.Errorf("the existing items changed:\n%s", s)
	}
	if !strings.Contains(s, "  (verified in CI)\n- [ ] UV for dependency management\n- [ ] FastAPI with Pydantic V2 validation\n") {
		t.Errorf("missing items not appended after the last item:\n%s", s)
	}
	if strings.Count(s, "- [") != len(arch.DefaultChecklist) {
		t.Errorf("want %d items, got\n%s", len(arch.DefaultChecklist), s)
	}
	if !strings.HasSuffix(s, "- [ ] Error handling with Sentry integration\n\nNotes after the list.\n") {
		t.Errorf("the text after the list moved:\n%s", s)
	}
}

func TestChecklistFromConfig(t *testing.T) {
	in, d := techSpec("# Technical Specification: AI Chat\n")
	in.Config.Options.Checklist = []string{"Type hints", "Ruff"}
	if got := checklistBody(newFixer(in, d), nil); got != "- [ ] Type hints\n- [ ] Ruff" {
		t.Errorf("got %q", got)
	}
}

func TestPhaseLabel(t *testing.T) {
	for line, label := range map[string]string{
		"- **Phase 1**: Infrastructure":  "- **Phase 1**: ",
		"- **Phase 2:** Core":            "- **Phase 2:** ",
		"* Phase 3: Gateway":             "* Phase 3: ",
		"1. Phase 4 - Edge":              "1. Phase 4 - ",
		"  - __Phase 10__ — Rollout":     "  - __Phase 10__ — ",
		"- Phase one: not a phase label": "",
	} {
		got := ""
		if loc := phaseLabel.FindStringIndex(line); loc != nil {
			got = line[:loc[1]]
		}
		if got != label {
			t.Errorf("label of %q = %q, want %q", line, got, label)
		}
	}
}

func TestReorderPhases(t *testing.T) {
	src := graphSpec + `
## Deployment Architecture

### Deployment Sequencing

- **Phase 1**: Infrastructure (Kafka)
- **Phase 2**: API Gateway - Sequential
  (behind the load balancer)
- **Phase 3**: Auth Service, Agent Service - Parallel
- **Phase 4**: Chat Service - Sequential
`
	in, d := techSpec(src)
	as := newFixer(in, d).reorderPhases()
	if len(as) != 1 || !as[0].Safe {
		t.Fatalf("want one safe action, got %+v", as)
	}
	got, err := Apply(d.Text, as[0].Edits)
	if err != nil {
		t.Fatal(err)
	}
	want := `- **Phase 1**: Infrastructure (Kafka)
- **Phase 2**: Auth Service, Agent Service - Parallel
- **Phase 3**: Chat Service - Sequential
- **Phase 4**: API Gateway - Sequential
  (behind the load balancer)
`
	if !strings.HasSuffix(string(got), want) {
		t.Errorf("got\n%s\nwant the phases\n%s", got[strings.Index(string(got), "### Deployment Sequencing"):], want)
	}
	// Applied again, nothing is left to reorder.
	in2, d2 := techSpec(string(got))
	if as := newFixer(in2, d2).reorderPhases(); len(as) != 0 {
		t.Errorf("the reordered phases are reordered again: %+v", as[0].Edits)
	}
}

func TestReorderPhasesImpossible(t *testing.T) {
	// Chat depends on Agent and Agent on Auth: with Chat and Auth sharing a
	// phase no order of whole phases works.
	src := strings.Replace(graphSpec, "Agent --> Auth", "Agent -->|gRPC| Auth", 1) + `
### Deployment Sequencing

- **Phase 1**: Chat Service, Auth Service
- **Phase 2**: Agent Service
`
	in, d := techSpec(src)
	if as := newFixer(in, d).reorderPhases(); len(as) != 0 {
		t.Errorf("offered %q where no phase order works", as[0].Title)
	}
}

func TestRaiseLibrary(t *testing.T) {
	tests := []struct {
		text, want string
		offered    bool
	}{
		{"fastapi >= 0.100.0", "fastapi >= 0.104.0", true},
		{"fastapi==0.95", "fastapi>=0.104.0", true},
		{"fastapi == 0.95", "fastapi >= 0.104.0", true},
		{"0.100.0", ">=0.104.0", true},
		{"fastapi ~=0.99 (pinned)", "fastapi ~=0.104.0 (pinned)", true},
		{"fastapi < 0.100", "", false},
	}
	for _, tc := range tests {
		src := "# T\n\n" + tc.text + "\n"
		in, d := techSpec(src)
		fd := diagnostics.Finding{Code: "library-below-minimum", Path: d.Path, Span: spec.Span{Start: 5, End: 5 + len(tc.text)},
			Data: diagnostics.Data{Want: "0.104.0", Target: "fastapi"}}
		as := newFixer(in, d).actionsFor(fd)
		if len(as) > 0 != tc.offered {
			t.Errorf("%q: offered = %v, want %v", tc.text, len(as) > 0, tc.offered)
			continue
		}
		if !tc.offered {
			continue
		}
		got, _ := Apply(d.Text, as[0].Edits)
		if want := "# T\n\n" + tc.want + "\n"; string(got) != want {
			t.Errorf("%q: got %q, want %q", tc.text, got, want)
		}
	}
}

func TestCreatePRD(t *testing.T) {
	in, d := techSpec("# Technical Specification: AI Chat\r\n\r\n## Architecture Overview\r\n")
	fd := diagnostics.Finding{Code: "prd-missing", Path: d.Path}
	as := newFixer(in, d).actionsFor(fd)
	if len(as) != 1 || len(as[0].Creates) != 1 {
		t.Fatalf("want one action creating a file, got %+v", as)
	}
	c := as[0].Creates[0]
	if c.Path != filepath.Join(featureDir, "_prd.md") {
		t.Errorf("path %s", c.Path)
	}
	if !strings.HasPrefix(c.Content, "# Product Requirements Document: AI Chat\r\n\r\n## Overview\r\n") {
		t.Errorf("content does not start with the named title in CRLF:\n%q", c.Content[:80])
	}
	// The created PRD follows its template: no section is missing.
	f := &spec.Feature{Dir: featureDir, Slug: "ai-chat", TechSpec: d, PRD: spec.Parse(c.Path, []byte(c.Content))}
	for _, x := range diagnostics.Check(diagnostics.Input{Feature: f}) {
		if x.Path == c.Path && (x.Code == "section-missing" || x.Code == "title-placeholder") {
			t.Errorf("the created PRD has %s: %s", x.Code, x.Message)
		}
	}
}

// TestTableRowAsJoined holds tableRow, written into one buffer with plain
// cells as they are, to the joined form it replaces.
func TestTableRowAsJoined(t *testing.T) {
	plain := func(cells []string) string {
		esc := make([]string, len(cells))
		for i, c := range cells {
			esc[i] = strings.ReplaceAll(oneLine(c), "|", `\|`)
		}
		return "| " + strings.Join(esc, " | ") + " |"
	}
	cases := [][]string{nil, {""}, {"Step 0", "Step 1", "gRPC", "Request-Reply"}, {" lead", "trail ", "two  spaces", "tab\there", "a|b", "new\nline", "ünï", "\x7f", "`code`"}}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune{'a', 'Z', ' ', ' ', '|', '\t', '\n', '\r', 'é', '\u00a0', '\u2028', '-', '\x00', '\x7f'}
	for range 2000 {
		row := make([]string, r.IntN(5))
		for i := range row {
			rs := make([]rune, r.IntN(8))
			for j := range rs {
				rs[j] = alphabet[r.IntN(len(alphabet))]
			}
			row[i] = string(rs)
		}
		cases = append(cases, row)
	}
	for _, c := range cases {
		if got, want := tableRow(c), plain(c); got != want {
			t.Errorf("tableRow(%q) = %q, want %q", c, got, want)
		}
	}
}
