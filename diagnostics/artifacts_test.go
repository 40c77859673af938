package diagnostics

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/specls/specls/config"
	"github.com/specls/specls/mermaid"
	"github.com/specls/specls/spec"
)

func TestServiceKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Auth Service", "auth"},
		{"auth-service", "auth"},
		{"AuthService", "auth"},
		{"auth_svc", "auth"},
		{"Auth", "auth"},
		{"Notification Service (notifier)", "notification"},
		{"The Billing Service", "billing"},
		{"API Gateway", "apigateway"},
		{"Service", "service"},
		{"Order Fulfilment Service", "orderfulfilment"},
	} {
		if got := ServiceKey(tc.in); got != tc.want {
			t.Errorf("ServiceKey(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestNodeService pins how forgiving node-to-service matching is.
func TestNodeService(t *testing.T) {
	services := []*Service{{Name: "Auth Service"}, {Name: "API Gateway"}, {Name: "Orders API"}, {Name: "Notification Worker"}}
	for _, tc := range []struct {
		id, label, want string
	}{
		{"Auth", "Auth Service", "Auth Service"},
		{"auth-service", "auth-service", "Auth Service"},
		{"AuthSvc", "AuthSvc", "Auth Service"},
		{"Gateway", "API Gateway", "API Gateway"},
		{"GW", "Gateway", "API Gateway"},
		{"Orders", "Orders", "Orders API"},
		{"Notify", "Notification Worker", "Notification Worker"},
		{"Billing", "Billing Service", ""},
		{"PG", "PostgreSQL", ""},
	} {
		got := ""
		if s := NodeService(&mermaid.Node{ID: tc.id, Label: tc.label}, services); s != nil {
			got = s.Name
		}
		if got != tc.want {
			t.Errorf("node %s[%s] -> %q, want %q", tc.id, tc.label, got, tc.want)
		}
	}
}

// TestServiceLike: infrastructure and clients are never reported as
// undefined services; names with "service" are.
func TestServiceLike(t *testing.T) {
	for _, tc := range []struct {
		id, label string
		want      bool
	}{
		{"Billing", "Billing Service", true},
		{"Waitlist", "Waitlist Service", true},
		{"Worker", "Reminder Worker", true},
		{"Events", "Event Stream", false},
		{"Kafka", "Kafka", false},
		{"DB", "Orders DB", false},
		{"PG", "PostgreSQL", false},
		{"Gateway", "API Gateway", false},
		{"Stripe", "Stripe payment service", false},
		{"Billing", "Billing", false}, // not named like a service: could be anything
		{"Users", "Users", false},
		{"Mail", "External mail service", false},
		{"Orders", "Order Service (existing)", false},
	} {
		if got := serviceLike(&mermaid.Node{ID: tc.id, Label: tc.label}); got != tc.want {
			t.Errorf("serviceLike(%s[%s]) = %v, want %v", tc.id, tc.label, got, tc.want)
		}
	}
}

func TestProtocolOf(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"gRPC", "gRPC"}, {"gRPC stream", "gRPC"}, {"grpc-web", "gRPC"}, {"REST", "REST"}, {"HTTPS", "REST"}, {"HTTP/JSON", "REST"},
		{"Kafka", "Kafka"}, {"Kafka: orders.v1", "Kafka"}, {"RabbitMQ", "AMQP"}, {"async", ""}, {"Pub-Sub", ""}, {"SQL", "SQL"}, {"", ""},
		{"rest of the calls", "REST"}, {"GraphQL", "GraphQL"},
	} {
		if got := ProtocolOf(tc.in); got != tc.want {
			t.Errorf("ProtocolOf(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLicenseAllowed(t *testing.T) {
	allowed := DefaultLicenses
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"MIT", true}, {"MIT License", true}, {"Apache 2.0", true}, {"Apache License 2.0", true}, {"Apache-2.0", true},
		{"BSD-3-Clause", true}, {"BSD 2-Clause", true}, {"New BSD", true}, {"MIT OR Apache-2.0", true}, {"Apache-2.0 / BSD", true},
		{"LGPL-3.0", false}, {"GPL-3.0-or-later", false}, {"AGPL", false}, {"MPL-2.0", false}, {"PSF-2.0", false}, {"proprietary", false},
	} {
		if got := licenseAllowed(tc.in, allowed); got != tc.want {
			t.Errorf("licenseAllowed(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if !licenseAllowed("PSF", []string{"PSF-2.0"}) || licenseAllowed("BSD-3-Clause", []string{"MIT"}) {
		t.Error("configured license lists are not honoured")
	}
}

func TestDBInstance(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"PostgreSQL", ""},
		{"PostgreSQL `orders`", "postgresql:orders"},
		{"postgres (orders_db)", "postgres:orders"},
		{"Redis cache", ""},
		{"Shared PostgreSQL cluster", "postgresql:shared"},
		{"none (stateless)", ""},
		{"orders-db", ":orders"},
	} {
		if got := dbInstance(tc.in); got != tc.want {
			t.Errorf("dbInstance(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestLibraries reads libraries from every place a spec states them.
func TestLibraries(t *testing.T) {
	src := "# T\n\n## Libraries Assessment\n\n" +
		"| Library | Version | License | Decision |\n|---|---|---|---|\n" +
		"| **fastapi** | `>=0.110.0` | MIT | Adopt |\n" +
		"| [pydantic](https://docs.pydantic.dev) | ≥ 2.6 | MIT | Adopt |\n" +
		"| uvicorn[standard] | 0.27.1 | BSD | Adopt |\n" +
		"| flask | — | BSD | Reject |\n" +
		"| structlog | latest | MIT | Adopt |\n\n" +
		"- httpx >= 0.27.0 — HTTP client\n- **tenacity** (>=8.2)\n- `orjson`\n- None of the others were considered.\n\n" +
		"```python\n# Web Framework\nfastapi >= 0.104.0\nimport os\npass\n```\n\n" +
		"## Deployment\n\n```toml\n[project]\ndependencies = [\n  \"grpcio>=1.62.0\",\n  \"redis[hiredis]>=5.0.1\", # cache\n]\n```\n\n" +
		"```python\nx = compute(a >= 2)\n```\n"
	d := spec.Parse("tasks/prd-x/_techspec.md", []byte(src))
	var got []string
	for _, l := range Libraries(d) {
		s := fmt.Sprintf("%s %s name«%s» constraint«%s»", l.Source, l.Key, l.NameSpan.Text(d.Text), l.Constraint.Text(d.Text))
		if l.Specifiers != nil {
			var specs []string
			for i := range l.Specifiers {
				specs = append(specs, l.SpecSpan(&l.Specifiers[i]).Text(d.Text))
			}
			s += fmt.Sprintf(" specs%q", specs)
		}
		if l.BadVersion != "" {
			s += " bad=" + l.BadVersion
		}
		if l.Rejected {
			s += " rejected"
		}
		if l.License.Text != "" {
			s += " license=" + l.License.Text
		}
		got = append(got, s)
	}
	want := []string{
		`table fastapi name«fastapi» constraint«>=0.110.0» specs[">=0.110.0"] license=MIT`,
		`table pydantic name«pydantic» constraint«≥ 2.6» specs["≥ 2.6"] license=MIT`,
		`table uvicorn name«uvicorn» constraint«0.27.1» specs["0.27.1"] license=BSD`,
		`table flask name«flask» constraint«—» bad=— rejected license=BSD`,
		`table structlog name«structlog» constraint«latest» bad=latest license=MIT`,
		`list httpx name«httpx» constraint«>= 0.27.0» specs[">= 0.27.0"]`,
		`list tenacity name«tenacity» constraint«>=8.2» specs[">=8.2"]`,
		`list orjson name«orjson» constraint«»`,
		`code fastapi name«fastapi» constraint«>= 0.104.0» specs[">= 0.104.0"]`,
		`code grpcio name«grpcio» constraint«>=1.62.0» specs[">=1.62.0"]`,
		`code redis name«redis» constraint«>=5.0.1» specs[">=5.0.1"]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestQuestions pins which question lines count as answered.
func TestQuestions(t *testing.T) {
	src := `# T

## Technical Decisions

- Service discovery? Kubernetes DNS.
- Caching strategy?
  - Redis for slot search only.
- Message broker?
- Secrets?
  TBD
- Config? TBD

**Why gRPC and not REST between services?**

Because the contracts are shared protos.

### Do we shard the orders table?

## Open Questions

- Should quiet hours apply in Phase 2? Owner: Lena, by the Phase 2 kick-off.
- Who owns the SMS contract?
`
	d := spec.Parse("tasks/prd-x/_techspec.md", []byte(src))
	var got []string
	for _, q := range questionLines(d) {
		got = append(got, fmt.Sprintf("%v %v «%s»", q.answered, q.open, q.q.Text(d.Text)))
	}
	// Lines with text after the "?" ("Service discovery? Kubernetes DNS.",
	// "Config? TBD") are not taken for questions: the first is answered, the
	// marker of the second is section-placeholder's.
	want := []string{
		"true false «Caching strategy?»",
		"false false «Message broker?»",
		"false false «Secrets?»",
		"true false «Why gRPC and not REST between services?»",
		"false false «Do we shard the orders table?»",
		"false true «Who owns the SMS contract?»",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestDecided: a template prompt with its placeholder removed decides
// nothing; a stated choice does.
func TestDecided(t *testing.T) {
	for _, tc := range []struct {
		topic, prose string
		want         bool
	}{
		{"service discovery", "- service discovery:                  \n", false},
		{"service discovery", "- service discovery: kubernetes dns\n", true},
		{"service discovery", "we rely on consul for discovery.\n", true},
		{"caching", "- caching strategy: none; every read goes to postgresql\n", true},
		{"caching", "nothing about it\n", false},
		{"secrets", "- secrets management:   \n", false},
		{"secrets", "tokens live in kubernetes secrets.\n", true},
	} {
		if got := decidedAll(tc.prose, [][]string{topicWords[tc.topic]})[0]; got != tc.want {
			t.Errorf("decidedAll(%s, %q) = %v, want %v", tc.topic, tc.prose, got, tc.want)
		}
	}
}

func TestPhases(t *testing.T) {
	src := "# T\n\n## Deployment Architecture\n\n### Deployment Sequencing\n\n" +
		"- **Phase 1**: Infrastructure (Kafka, Redis)\n- **Phase 2**: Core services\n  - Auth Service\n  - User Service\n- Notes: none\n\n1. Gateway\n"
	d := spec.Parse("tasks/prd-x/_techspec.md", []byte(src))
	var got []string
	for _, p := range Phases(d) {
		got = append(got, fmt.Sprintf("%d:%s", p.N, p.Text))
	}
	want := "1:phase 1 infrastructure kafka redis|2:phase 2 core services auth service user service|1:gateway"
	if strings.Join(got, "|") != want {
		t.Errorf("got %s\nwant %s", strings.Join(got, "|"), want)
	}
}

// FuzzArtifacts runs the artifact readers (tables, graph, libraries,
// phases, questions) over arbitrary markdown: no panic, every span inside
// the text. Run longer with:
//
//	go test ./diagnostics -run XXX -fuzz FuzzArtifacts -fuzztime 5m
func FuzzArtifacts(f *testing.F) {
	good, _ := goodFeature(f)
	f.Add(good["_techspec.md"])
	f.Add("| From | To | Protocol |\n|---|---|---|\n| A | B |\n| | | gRPC |\n")
	f.Add("## Service Definitions\n### A\n## Data Ownership\n| Service | Database |\n|--|--|\n| A, B & C | pg `x`, redis |\n")
	f.Add("## Libraries Assessment\n| Library | Version | License |\n|-|-|-|\n| [x](y | >=1,< | MIT OR |\n- a[ >=\n```toml\ndependencies = [\"a>=1\", 'b\n```\n")
	f.Add("```mermaid\ngraph TD\nA-->|x|B\n```\n### Deployment Sequencing\n- Phase 1: A\n- Phase 0: B\n")
	f.Add("- why?\n  - because\n# Q?\n\ufeff**x?**")
	f.Fuzz(func(t *testing.T, src string) {
		d := spec.Parse("tasks/prd-f/_techspec.md", []byte(src))
		in := func(s spec.Span) bool { return s.Start >= 0 && s.Start <= s.End && s.End <= len(d.Text) }
		svcs, _ := Services(d)
		for _, s := range svcs {
			if s.Section == nil || !in(s.Section.TitleSpan) {
				t.Fatalf("bad service %+v", s)
			}
		}
		rows, _ := Matrix(d)
		for _, r := range rows {
			for _, c := range []spec.Cell{r.From, r.To, r.Protocol, r.Pattern} {
				if !in(c.Span) {
					t.Fatalf("matrix cell span %v", c.Span)
				}
			}
			if !in(r.Span) {
				t.Fatalf("matrix row span %v", r.Span)
			}
		}
		own, _ := Ownership(d)
		for _, r := range own {
			if !in(r.Database.Span) || !in(r.Span) {
				t.Fatalf("ownership span %+v", r)
			}
		}
		for _, l := range Libraries(d) {
			if !in(l.NameSpan) || !in(l.Constraint) || !in(l.License.Span) {
				t.Fatalf("library spans %+v", l)
			}
			for i := range l.Specifiers {
				if s := l.SpecSpan(&l.Specifiers[i]); l.Specifiers[i].Op != "===" && !in(s) {
					t.Fatalf("specifier span %v of %q", s, l.Name)
				}
			}
		}
		if g := DependencyGraph(d); g != nil && g.Err != nil && !in(g.Span(g.Err.Span)) {
			t.Fatalf("graph error span %v", g.Span(g.Err.Span))
		}
		for _, p := range Phases(d) {
			if !in(p.Span) {
				t.Fatalf("phase span %v", p.Span)
			}
		}
		for _, q := range questionLines(d) {
			if !in(q.q) || q.q.Start >= q.q.End {
				t.Fatalf("question span %v", q.q)
			}
		}
	})
}

func TestGenericHeading(t *testing.T) {
	for _, tc := range []struct {
		title string
		want  bool
	}{
		{"Overview", true}, {"Shared Libraries", true}, {"Common Patterns", true}, {"Cross-cutting concerns", true},
		{"Shared Inventory Service", false}, {"Auth Service", false}, {"Notification Worker", false}, {"Billing", false},
	} {
		if got := genericHeading(tc.title); got != tc.want {
			t.Errorf("genericHeading(%q) = %v, want %v", tc.title, got, tc.want)
		}
	}
}

// A node whose name is the start of another's is not deployed by a phase
// that lists only the longer one.
func TestMentionedNodesLongestName(t *testing.T) {
	forms := [][]string{{"tax service", "tax"}, {"tax rules service", "tax rules"}}
	for _, tc := range []struct {
		text string
		want []bool
	}{
		{"phase 1 tax rules service", []bool{false, true}},
		{"phase 1 tax rules service and tax service", []bool{true, true}},
		{"phase 1 tax", []bool{true, false}},
		{"phase 1 taxes", []bool{false, false}},
	} {
		if got := mentionedNodes(tc.text, forms); !slices.Equal(got, tc.want) {
			t.Errorf("mentionedNodes(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	tech := "# Technical Specification: Checkout\n\n## Architecture Overview\n\n### Service Dependency Graph\n\n```mermaid\ngraph TD\n" +
		"  Orders -->|gRPC| Tax\n  Orders -->|gRPC| TaxRules[Tax Rules Service]\n```\n\n## Deployment Architecture\n\n### Deployment Sequencing\n\n" +
		"- **Phase 1**: Tax Rules Service\n- **Phase 2**: Orders Service\n- **Phase 3**: Tax Service\n"
	f := &spec.Feature{Dir: "tasks/prd-checkout"}
	f.Set(spec.Parse("tasks/prd-checkout/_techspec.md", []byte(tech)))
	var got []string
	for _, fd := range Check(Input{Feature: f, Config: config.Default()}) {
		if fd.Code == "deployment-order" {
			got = append(got, fd.Message)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "starts Orders before Tax (phase 3)") {
		t.Fatalf("deployment-order: %q, want one finding: Orders (phase 2) before Tax (phase 3)", got)
	}
}
