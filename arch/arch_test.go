package arch

import (
	"fmt"
	"strings"
	"testing"

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
		if got := ServiceLike(&mermaid.Node{ID: tc.id, Label: tc.label}); got != tc.want {
			t.Errorf("ServiceLike(%s[%s]) = %v, want %v", tc.id, tc.label, got, tc.want)
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

func TestDBInstance(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"PostgreSQL", ""},
		{"PostgreSQL `orders`", "postgresql:orders"},
		{"postgres (orders_db)", "postgresql:orders"}, // one engine, however it is spelled
		{"PG orders", "postgresql:orders"},
		{"Redis cache", ""},
		{"Shared PostgreSQL cluster", "postgresql:shared"},
		{"none (stateless)", ""},
		{"orders-db", ":orders"},
	} {
		if got := DatabaseInstance(tc.in); got != tc.want {
			t.Errorf("DatabaseInstance(%q) = %q, want %q", tc.in, got, tc.want)
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
