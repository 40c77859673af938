package ai

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/specls/specls/spec"
)

// requirements says, per template section (by normalised title), what the
// convention expects the section to hold. They restate the seed's
// workflow and quality gates for one section at a time, so that the model
// writes what the engine will check for.
var requirements = map[string]string{
	// Tech spec.
	"architecture overview":       "The shape of the whole system: which services exist and why the PRD's requirements split along those boundaries (bounded contexts), how they talk (gRPC between internal services, REST at the edge, a message broker for asynchronous events) and which service owns which data. Keep it an overview; the analysis artifacts below carry the detail.",
	"service dependency graph":    "A ```mermaid flowchart (graph TD or graph LR) with one node per service defined under Service Definitions, using the same names, and one edge per dependency labelled with its protocol, e.g. Gateway -->|gRPC| Auth. Synchronous (gRPC/REST) edges must not form a cycle.",
	"communication matrix":        "A table with the columns From | To | Protocol | Pattern and one row per edge of the dependency graph, agreeing with it: the protocol (gRPC, REST, Kafka, ...) and the pattern (Request-Reply, Streaming, Pub-Sub).",
	"data ownership":              "A table with the columns Service | Database | Data Domain and one row per service, each service owning its own database (no database shared between services).",
	"consistency model":           "For each service, whether its data is strongly or eventually consistent, and why, given the PRD's requirements (think of the CAP trade-offs where data crosses services).",
	"failure impact analysis":     "For each dependency (service, database, cache, broker, external API): what degrades and what fails when it is down or slow, and how the system copes and recovers: timeouts, retries with backoff, circuit breakers, fallbacks, idempotency.",
	"service definitions":         "One level-3 heading per service. Each service states its purpose and responsibilities, its gRPC service definition (a ```proto block), its REST endpoints where it has any (OpenAPI style: method, path, request, response), its database schema, and its internal and external dependencies.",
	"proto definitions":           "The shared protobuf message types and service contracts in ```proto blocks (syntax = \"proto3\"; they must compile), and how contracts are versioned (package versions such as v1, backward-compatible field rules).",
	"data models":                 "The SQLAlchemy 2.0 models (async), the Pydantic v2 schemas at the API boundary, and any Redis keys and data structures with their expiry, as ```python blocks or tables.",
	"communication patterns":      "The inter-service gRPC calls (unary or streaming, deadlines), the event streams (Kafka topics, producers, consumers, event schemas, delivery guarantees) and the REST client interfaces, matching the Communication Matrix.",
	"deployment architecture":     "How the services run: Docker images (multi-stage builds), Kubernetes manifests (Deployments, Services, readiness and liveness probes, resources, horizontal scaling), service mesh settings if any, secrets and configuration management, and monitoring (Prometheus metrics, OpenTelemetry tracing, structured logs). YAML blocks must parse.",
	"deployment sequencing":       "The order of rollout as phases: infrastructure first (broker, cache, databases), then core services, then feature services, then the API gateway, marking what can go in parallel. No phase may start a service before one it depends on.",
	"development sequencing":      "The critical path of the work, the tracks that can be built in parallel by different people, and a dependencies matrix saying which piece waits for which.",
	"testing strategy":            "Unit tests (pytest with async fixtures), integration tests (real databases and broker, e.g. in containers), contract tests for the gRPC interfaces between services, and load-testing targets with numbers derived from the PRD's success metrics.",
	"libraries assessment":        "A table with the columns Library | Version | License | Decision | Rationale for every library the design needs beyond the standard library: versions as constraints (>=) no lower than the approved core stack (fastapi >= 0.104.0, pydantic >= 2.5.0, uvicorn >= 0.24.0, grpcio >= 1.60.0, protobuf >= 4.24.0, sqlalchemy >= 2.0.0, asyncpg >= 0.29.0, alembic >= 1.12.0, redis >= 5.0.0, aiokafka >= 0.10.0, ...), licenses MIT, Apache-2.0 or BSD, Python 3.11+ and async support, installed with uv.",
	"technical decisions":         "A decision, with its reason, for each design question: service discovery, database per service, caching strategy, asynchronous messaging, API gateway, deployment strategy (blue-green or canary), secrets management and configuration management. Answer every question; leave no TBD.",
	"architecture review":         "The review of the design against microservice practice: the anti-patterns checked (distributed monolith, chatty services, shared database) and why the design avoids them, resilience (timeouts, retries, circuit breakers) and observability (metrics, tracing, structured logging).",
	"python production checklist": "The production checklist as GFM task items (- [x] / - [ ]), one per item of the template's list, ticked only where the spec above actually provides it.",
	"open questions":              "The questions the spec leaves open, each with who answers it and by when; write \"None.\" if there are none.",

	// PRD.
	"overview":                         "What problem the feature solves, for whom, and why it matters now, in product terms.",
	"goals":                            "Measurable goals as a list: each with a number, unit or target.",
	"user stories":                     "User stories, numbered US-1, US-2, ...: As a <user>, I want <capability> so that <benefit>.",
	"core features":                    "The functional requirements as a numbered list, each with an ID (FR-1, FR-2, ...) and stated so it can be tested.",
	"user experience":                  "User flows, the main screens or interactions, and accessibility considerations.",
	"high level technical constraints": "Integrations, compliance, performance and data constraints the product imposes, without choosing an implementation (no frameworks, databases or protocols).",
	"non goals out of scope":           "What the feature will not do, as a list.",
	"phased rollout plan":              "The rollout in phases (MVP, then later phases), with the scope of each.",
	"success metrics":                  "A table Metric | Target where every target has a number and a unit.",
	"risks and mitigations":            "A table Risk | Mitigation; every risk has a mitigation.",
	"appendix":                         "Research, references and mock-ups that support the PRD.",
}

// Requirement returns what the convention expects of the template section
// with the given title, or "" when it says nothing particular.
func Requirement(title string) string { return requirements[spec.Normalize(title)] }

// maxContext bounds each document quoted in a prompt, in bytes, so that a
// huge file does not overflow the model's context.
const maxContext = 60_000

const systemPrompt = `You write technical specification documents in markdown, following a team's template and the product requirements document (PRD) they are derived from.

Rules for your answer:
- Answer with exactly the part of the document you are asked for, in markdown, and nothing else: no introduction, no closing remarks, no code fence around the whole answer.
- Start with the heading line you are given, exactly as given. Use headings only below that level inside it; never write a level-1 heading unless asked for the whole document.
- Be concrete: name the services, data, protocols and numbers that follow from the PRD. Where the PRD leaves something open, decide and say "Assumption:" with the reason; do not leave [bracketed placeholders], TODO, TBD or template guidance text.
- Keep what the author already wrote when it is real content; replace template guidance.
- Stay consistent with the rest of the documents you are shown: the same service names, the same requirement IDs (FR-1, ...).`

// buildPrompt writes the prompt for target t of the document doc (nil when
// the document does not exist yet) of the feature f.
func buildPrompt(f *spec.Feature, doc *spec.Document, tmpl *spec.Template, t Target) Prompt {
	var sb strings.Builder
	name := featureName(f)
	kind := "tech spec"
	if t.Kind == spec.KindPRD {
		kind = "PRD"
	}
	if t.Mode == ModeDocument {
		fmt.Fprintf(&sb, "Write the complete %s for the feature %q, starting with the line %q and following the template below: every required section, in its order, at its level.\n\n", kind, name, t.Heading)
		sb.WriteString("The template:\n\n<<<\n" + clip(string(tmpl.Doc.Text)) + "\n>>>\n\n")
		sb.WriteString("What each section must hold:\n\n")
		for _, ts := range tmpl.Sections {
			if r := requirements[ts.Key]; r != "" && ts.Level > 1 {
				fmt.Fprintf(&sb, "- %s: %s\n", ts.Title, r)
			}
		}
		sb.WriteString("\n")
	} else {
		fmt.Fprintf(&sb, "Write the section %q of the %s for the feature %q.\n\n", t.Heading, kind, name)
		if r := Requirement(t.Template.Title); r != "" {
			sb.WriteString("What this section must hold: " + r + "\n\n")
		}
		sb.WriteString("The template's skeleton for it (replace the guidance with real content):\n\n<<<\n" + skeleton(t) + "\n>>>\n\n")
		if t.Variable {
			fmt.Fprintf(&sb, "The heading names one item (such as one service); write it as a level-%d heading with a real name, not a placeholder.\n\n", t.Template.Level)
		}
		if len(t.Keep) > 0 {
			fmt.Fprintf(&sb, "Its subsections %s already exist and are kept as they are: write only the heading and the text that comes before them, with no subsection headings.\n\n", quoteList(t.Keep))
		}
		if strings.TrimSpace(t.Original) != "" && t.Mode != ModeInsert {
			sb.WriteString("The section as it stands (keep the author's real content, replace template text):\n\n<<<\n" + clip(strings.ReplaceAll(t.Original, "\r\n", "\n")) + "\n>>>\n\n")
		}
	}
	if f.PRD != nil && (doc == nil || f.PRD.Path != doc.Path) {
		fmt.Fprintf(&sb, "The PRD (%s):\n\n<<<\n%s\n>>>\n\n", filepath.Base(f.PRD.Path), clip(string(f.PRD.Text)))
	}
	if doc != nil && t.Mode != ModeDocument {
		rest := string(doc.Text[:t.Span.Start]) + "<!-- the section you write goes here -->\n\n" + string(doc.Text[t.Span.End:])
		fmt.Fprintf(&sb, "The rest of the %s, for context (do not repeat it):\n\n<<<\n%s\n>>>\n\n", kind, clip(strings.ReplaceAll(rest, "\r\n", "\n")))
	}
	if t.Kind == spec.KindPRD && f.TechSpec != nil {
		fmt.Fprintf(&sb, "The tech spec derived from it (%s):\n\n<<<\n%s\n>>>\n\n", filepath.Base(f.TechSpec.Path), clip(string(f.TechSpec.Text)))
	}
	if t.Mode == ModeDocument {
		fmt.Fprintf(&sb, "Answer with the markdown of the whole %s, starting with %q.", kind, t.Heading)
	} else {
		fmt.Fprintf(&sb, "Answer with the markdown of this one section, starting with %q.", t.Heading)
	}
	return Prompt{System: systemPrompt, User: sb.String()}
}

// skeleton is the template's text for the target section, with the
// subsections it keeps left out.
func skeleton(t Target) string {
	ts := t.Template
	if len(t.Keep) == 0 {
		return strings.TrimRight(ts.Markdown("\n"), "\n")
	}
	s := strings.Repeat("#", ts.Level) + " " + ts.Title + "\n"
	if ts.Body != "" {
		s += "\n" + ts.Body + "\n"
	}
	return strings.TrimRight(s, "\n")
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// clip cuts text longer than maxContext, saying so.
func clip(s string) string {
	if len(s) <= maxContext {
		return strings.TrimRight(s, "\n")
	}
	cut := maxContext
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut-- // do not split a UTF-8 sequence
	}
	return s[:cut] + "\n[... the rest is left out for length ...]"
}

// featureName reads the feature's name from the title of its PRD or tech
// spec ("Product Requirements Document: Chat Search"), else its slug.
func featureName(f *spec.Feature) string {
	for _, d := range f.Docs() {
		if h := d.Title(); h != nil {
			name := h.Title
			if _, after, ok := strings.Cut(name, ":"); ok {
				name = after
			}
			name = strings.TrimSpace(name)
			if name != "" && !strings.ContainsAny(name, "[]") && !strings.Contains(strings.ToLower(name), "template") {
				return name
			}
		}
	}
	words := strings.FieldsFunc(f.Slug, func(r rune) bool { return r == '-' || r == '_' })
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	if len(words) == 0 {
		return "the feature"
	}
	return strings.Join(words, " ")
}
