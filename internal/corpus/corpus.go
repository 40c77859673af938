// Package corpus writes a reproducible tree of realistic feature folders
// (tasks/prd-<slug>/_prd.md and _techspec.md) for benchmarks. The same seed
// gives the same bytes, so specls and the tools it is compared with read
// identical files, and feature i does not depend on how many are written:
// a corpus of 1,000 is the first 1,000 folders of a corpus of 5,000.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Options say what to write.
type Options struct {
	// Features is the number of feature folders.
	Features int
	// Seed fixes every random choice.
	Seed uint64
	// LargeEvery gives every LargeEvery-th feature (the first included) a
	// tech spec of 5,000+ lines; 0 means one in 500.
	LargeEvery int
	// Lines adds one feature per entry, prd-bench-<n>, whose tech spec has
	// about n lines: the documents the editor benchmarks edit.
	Lines []int
}

// Flaws are the problems injected into one feature in four, in turn, each a
// single realistic mistake with the rule code specls reports for it.
var Flaws = []string{"section-renamed", "section-missing", "section-placeholder", "title-placeholder", "requirement-untraced"}

// Feature is one generated feature folder.
type Feature struct {
	Slug     string
	Name     string
	Flaw     string // the rule code of the injected flaw, or "" for a clean feature
	CRLF     bool   // written with CRLF line breaks
	PRD      string
	TechSpec string
}

// Stats describe what Write wrote.
type Stats struct {
	Features, Files, Lines, Bytes, Flawed, Large int
}

func (o Options) largeEvery() int {
	if o.LargeEvery <= 0 {
		return 500
	}
	return o.LargeEvery
}

// Generate returns feature i of the corpus.
func Generate(i int, o Options) Feature {
	r := rand.New(rand.NewPCG(o.Seed, uint64(i)+1))
	dom := domains[r.IntN(len(domains))]
	f := Feature{Name: dom.name}
	f.Slug = fmt.Sprintf("%s-%04d", slugOf(dom.name), i)
	if i%4 == 3 {
		f.Flaw = Flaws[(i/4)%len(Flaws)]
	}
	f.CRLF = r.IntN(20) == 0
	techLines := 700 + r.IntN(200)
	if i%o.largeEvery() == 0 {
		techLines = 5000 + r.IntN(1000)
	}
	prdLines := 250 + r.IntN(100)
	f.PRD, f.TechSpec = feature(r, dom, f.Flaw, prdLines, techLines)
	if f.CRLF {
		f.PRD = strings.ReplaceAll(f.PRD, "\n", "\r\n")
		f.TechSpec = strings.ReplaceAll(f.TechSpec, "\n", "\r\n")
	}
	return f
}

// Bench returns the clean feature prd-bench-<lines> whose tech spec has
// about the given number of lines.
func Bench(lines int, o Options) Feature {
	r := rand.New(rand.NewPCG(o.Seed, uint64(1<<40+lines)))
	dom := domains[0]
	f := Feature{Slug: fmt.Sprintf("bench-%d", lines), Name: dom.name}
	f.PRD, f.TechSpec = feature(r, dom, "", 300, lines)
	return f
}

// Write writes the corpus under root/tasks and returns what it wrote.
func Write(root string, o Options) (Stats, error) {
	var st Stats
	write := func(f Feature) error {
		dir := filepath.Join(root, "tasks", "prd-"+f.Slug)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("corpus: %w", err)
		}
		for name, text := range map[string]string{"_prd.md": f.PRD, "_techspec.md": f.TechSpec} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				return fmt.Errorf("corpus: %w", err)
			}
			st.Files++
			st.Lines += strings.Count(text, "\n")
			st.Bytes += len(text)
		}
		st.Features++
		if f.Flaw != "" {
			st.Flawed++
		}
		if strings.Count(f.TechSpec, "\n") >= 5000 {
			st.Large++
		}
		return nil
	}
	for i := range o.Features {
		if err := write(Generate(i, o)); err != nil {
			return st, err
		}
	}
	for _, n := range o.Lines {
		if err := write(Bench(n, o)); err != nil {
			return st, err
		}
	}
	return st, nil
}

func slugOf(name string) string {
	return strings.ToLower(strings.ReplaceAll(name, " ", "-"))
}

// feature writes a PRD and a tech spec that agree with each other: every
// functional requirement of the PRD is traced in the tech spec.
func feature(r *rand.Rand, dom domain, flaw string, prdLines, techLines int) (string, string) {
	reqs := 6 + r.IntN(5)
	prd := genPRD(r, dom, reqs, prdLines)
	// Services are added until the tech spec reaches its length; each
	// attempt starts from the same random state so the result is stable.
	state := r.Uint64()
	n := max(3, (techLines-260)/68)
	var tech string
	for {
		tech = genTechSpec(rand.New(rand.NewPCG(state, uint64(n))), dom, reqs, n, flaw)
		if strings.Count(tech, "\n") >= techLines*95/100 || n > 2000 {
			break
		}
		n += max(1, (techLines-strings.Count(tech, "\n"))/68)
	}
	if flaw == "title-placeholder" {
		tech = strings.Replace(tech, "# Technical Specification: "+dom.name, "# Technical Specification: [Feature Name]", 1)
	}
	return prd, tech
}

// doc builds markdown text line by line.
type doc struct{ strings.Builder }

func (d *doc) line(format string, args ...any) {
	fmt.Fprintf(&d.Builder, format, args...)
	d.WriteByte('\n')
}

func (d *doc) blank() { d.WriteByte('\n') }

// para writes sentences as a paragraph wrapped at about 100 columns, as
// authors and formatters wrap markdown.
func (d *doc) para(sentences ...string) {
	col := 0
	for _, s := range sentences {
		for _, w := range strings.Fields(s) {
			if col > 0 && col+1+len(w) > 100 {
				d.WriteByte('\n')
				col = 0
			} else if col > 0 {
				d.WriteByte(' ')
				col++
			}
			d.WriteString(w)
			col += len(w)
		}
	}
	d.WriteString("\n\n")
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func fill(s string, dom domain) string {
	return fmt.Sprintf(s, dom.actor, dom.thing, dom.things, dom.org, dom.staff)
}

func sentences(r *rand.Rand, dom domain, from []string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fill(pick(r, from), dom)
	}
	return out
}

// genPRD writes a PRD of about lines lines with reqs functional requirements.
func genPRD(r *rand.Rand, dom domain, reqs, lines int) string {
	var d doc
	d.line("# Product Requirements Document: %s", dom.name)
	d.blank()
	d.line("## Overview")
	d.blank()
	for range 3 {
		d.para(sentences(r, dom, prdSentences, 4+r.IntN(3))...)
	}
	d.line("## Goals")
	d.blank()
	d.line("- Cut the %s by %d%% within two quarters of launch.", dom.measure, 20+r.IntN(30))
	d.line("- Let every %s complete the common case without help, on any device.", dom.actor)
	d.line("- Give the %s one current view of every %s.", dom.staff, dom.thing)
	d.line("- Halve the time from request to confirmation for %s.", dom.things)
	d.blank()
	d.line("## User Stories")
	d.blank()
	stories := 12 + (lines-250)/10
	verbs := []string{"see", "change", "cancel", "share", "export", "search", "filter", "approve", "comment on", "track"}
	whys := []string{"so that I do not have to call", "so that I can plan my week", "so that mistakes are caught early", "so that I know what happens next", "so that the team sees the same facts"}
	for i := 1; i <= stories; i++ {
		who := dom.actor
		if i%3 == 0 {
			who = dom.staff
		}
		d.line("- US-%d: As a %s, I want to %s a %s %s.", i, who, pick(r, verbs), dom.thing, pick(r, whys))
	}
	d.blank()
	d.line("## Core Features")
	d.blank()
	for i := 1; i <= reqs; i++ {
		d.line("%d. FR-%d: The %s can %s a %s from the home screen, and the result is confirmed on screen and by message.", i, i, dom.actor, pick(r, verbs), dom.thing)
		// Nested items are indented to the item's content, or they would
		// start a list of their own.
		indent := strings.Repeat(" ", len(fmt.Sprint(i))+2)
		for j := range 2 + r.IntN(3) {
			d.line("%s- Acceptance %d.%d: %s", indent, i, j+1, fill(pick(r, uxSentences), dom))
		}
	}
	d.blank()
	d.line("## User Experience")
	d.blank()
	for range 4 {
		d.para(sentences(r, dom, uxSentences, 3+r.IntN(3))...)
	}
	d.line("## High-Level Technical Constraints")
	d.blank()
	d.line("- NFR-1: Confirming a %s takes under 2 seconds for 95%% of requests at peak load.", dom.thing)
	d.line("- NFR-2: Personal data stays in the EU region and is kept for at most 24 months.")
	d.line("- NFR-3: The service is available 99.9%% of each calendar month.")
	d.line("- Existing contracts with the payment and messaging providers are kept.")
	d.blank()
	d.line("## Non-Goals (Out of Scope)")
	d.blank()
	d.line("- Changes to how %s are priced.", dom.things)
	d.line("- A separate tool for the %s team.", dom.staff)
	d.line("- Migration of records older than two years.")
	d.blank()
	d.line("## Phased Rollout Plan")
	d.blank()
	d.line("- **MVP**: FR-1 to FR-%d for two pilot sites.", reqs/2)
	d.line("- **Phase 2**: FR-%d to FR-%d for every site.", reqs/2+1, reqs)
	d.line("- **Phase 3**: self-service reports for the %s team.", dom.staff)
	d.blank()
	d.line("## Success Metrics")
	d.blank()
	d.line("| Metric | Target |")
	d.line("|--------|--------|")
	d.line("| %s | %d%% lower within 6 months |", strings.ToUpper(dom.measure[:1])+dom.measure[1:], 20+r.IntN(30))
	d.line("| Self-service share of %s | %d%% within 6 months |", dom.things, 50+r.IntN(30))
	d.line("| Confirmation time (p95) | under 2 s |")
	d.line("| Support contacts per 1,000 %s | %d or fewer |", dom.things, 5+r.IntN(20))
	d.blank()
	d.line("## Risks and Mitigations")
	d.blank()
	d.line("| Risk | Mitigation |")
	d.line("|------|------------|")
	d.line("| Users keep calling out of habit | Announce the change in every confirmation for 3 months |")
	d.line("| Peak weeks overload the %s team | Stagger the rollout and staff the pilot sites first |", dom.staff)
	d.line("| Records drift between sites | Nightly reconciliation report with an alert on any mismatch |")
	d.blank()
	d.line("## Open Questions")
	d.blank()
	d.line("- Should Phase 3 include exports for partners? Owner: %s, decision by the Phase 2 review.", pick(r, people))
	d.blank()
	d.line("## Appendix")
	d.blank()
	for strings.Count(d.String(), "\n") < lines-2 {
		d.line("- Research note %d: %s", strings.Count(d.String(), "\n"), fill(pick(r, prdSentences), dom))
	}
	return d.String()
}

// svc is one service of a generated tech spec.
type svc struct {
	name, id, pkg, db string
	deps              []int // indexes of services it calls over gRPC
	events            bool  // publishes to Kafka
	tier              int
}

func services(r *rand.Rand, n int) []svc {
	out := make([]svc, n)
	perm := r.Perm(len(servicePrefixes) * len(serviceQualifiers))
	for i := range out {
		k := perm[i%len(perm)]
		p, q := servicePrefixes[k%len(servicePrefixes)], serviceQualifiers[k/len(servicePrefixes)]
		name := p + " " + q
		if i >= len(perm) {
			name += fmt.Sprintf(" %d", i/len(perm)+1)
		}
		id := strings.ReplaceAll(name, " ", "")
		out[i] = svc{name: name + " Service", id: id, pkg: strings.ToLower(id), db: strings.ToLower(strings.ReplaceAll(name, " ", "_")), tier: i / 5}
	}
	// Tier t calls only tier t+1, so the graph has no cycle and deployment
	// goes from the last tier to the first.
	for i := range out {
		for j := (out[i].tier + 1) * 5; j < min(n, (out[i].tier+2)*5); j++ {
			if r.IntN(3) == 0 {
				out[i].deps = append(out[i].deps, j)
			}
		}
		out[i].events = r.IntN(2) == 0
	}
	return out
}

// genTechSpec writes a tech spec with n services following the seed's
// outline, with every analysis artifact and the production checklist.
func genTechSpec(r *rand.Rand, dom domain, reqs, n int, flaw string) string {
	ss := services(r, n)
	var d doc
	d.line("# Technical Specification: %s", dom.name)
	d.blank()
	d.line("## Architecture Overview")
	d.blank()
	traced := reqs
	if flaw == "requirement-untraced" {
		traced = reqs - 1
	}
	d.para(fmt.Sprintf("%d Python 3.12 FastAPI services sit behind one edge gateway, the only REST surface for the apps of %s.", n, dom.org),
		"Services call each other over gRPC with deadlines and announce state changes on Kafka; each service owns its PostgreSQL database.")
	// On a line of its own: specls reads a requirement range only within
	// one line.
	d.line("This design covers FR-1 to FR-%d and NFR-1 to NFR-3 of the PRD.", traced)
	d.blank()
	d.line("### Service Dependency Graph")
	d.blank()
	d.line("```mermaid")
	d.line("graph TD")
	d.line("  Apps((Client apps)) -->|HTTPS| Gateway[API Gateway]")
	type edge struct{ from, to, proto string }
	edges := []edge{{"Apps", "Gateway", "HTTPS"}}
	for i := range ss[:min(5, n)] {
		d.line("  Gateway -->|gRPC| %s[%s]", ss[i].id, ss[i].name)
		edges = append(edges, edge{"Gateway", ss[i].id, "gRPC"})
	}
	for i, s := range ss {
		if i >= 5 && s.tier > 0 {
			d.line("  %s[%s]", s.id, s.name)
		}
	}
	for _, s := range ss {
		for _, j := range s.deps {
			d.line("  %s -->|gRPC| %s", s.id, ss[j].id)
			edges = append(edges, edge{s.id, ss[j].id, "gRPC"})
		}
		if s.events {
			d.line("  %s -->|Kafka| Events[Kafka event bus]", s.id)
			edges = append(edges, edge{s.id, "Events", "Kafka"})
		}
	}
	d.line("```")
	d.blank()
	d.line("### Communication Matrix")
	d.blank()
	d.line("| From | To | Protocol | Pattern |")
	d.line("|------|----|----------|---------|")
	for _, e := range edges {
		pat := pick(r, patternsSync)
		if e.proto == "Kafka" {
			pat = "Pub-Sub"
		} else if e.proto == "HTTPS" {
			pat = "Request-Reply"
		}
		d.line("| %s | %s | %s | %s |", e.from, e.to, e.proto, pat)
	}
	d.blank()
	d.line("### Data Ownership")
	d.blank()
	d.line("| Service | Database | Data Domain |")
	d.line("|---------|----------|-------------|")
	d.line("| API Gateway | none (stateless) | — |")
	for _, s := range ss {
		d.line("| %s | PostgreSQL `%s` | %s %s |", s.name, s.db, strings.ToUpper(dom.thing[:1])+dom.thing[1:], strings.ToLower(strings.TrimSuffix(s.name, " Service")))
	}
	d.blank()
	d.line("### Consistency Model")
	d.blank()
	d.line("- **API Gateway**: stateless; it forwards the caller's idempotency key with every write.")
	for i, s := range ss {
		if i%3 == 2 {
			d.line("- **%s**: eventual consistency; it rebuilds its view from events and may lag by seconds.", s.name)
		} else {
			d.line("- **%s**: strong consistency; writes and reads go to the primary of its database.", s.name)
		}
	}
	d.blank()
	d.line("### Failure Impact Analysis")
	d.blank()
	d.line("| Dependency down | Impact | Recovery |")
	d.line("|-----------------|--------|----------|")
	for _, s := range ss {
		d.line("| %s | Requests that need it fail fast; the rest proceed | gRPC deadline %d ms, 2 retries with jittered backoff, circuit breaker after 5 failures |", s.name, 200+100*r.IntN(4))
	}
	d.line("| Kafka | Events queue in each service's outbox table; nothing is lost | Outbox relay retries every 5 s |")
	d.blank()

	d.line("## Service Definitions")
	d.blank()
	d.line("### API Gateway")
	d.blank()
	d.line("- **Purpose and responsibilities**: the single entry point for the apps; terminates TLS, checks")
	d.line("  sessions, applies rate limits and maps REST calls to gRPC.")
	d.line("- **gRPC**: exposes none; it is a gRPC client of the first-tier services.")
	d.line("- **REST endpoints** (OpenAPI 3.1, `/v1`): `GET /v1/%s`, `POST /v1/%s`, `PATCH /v1/%s/{id}`.", slugOf(dom.things), slugOf(dom.things), slugOf(dom.things))
	d.line("- **Database schema**: none; stateless, with an in-memory session cache of 15 minutes.")
	d.line("- **Dependencies**: the first-tier services over gRPC.")
	d.blank()
	for i, s := range ss {
		d.line("### %s", s.name)
		d.blank()
		d.line("- **Purpose and responsibilities**: %s (FR-%d).", fmt.Sprintf(pick(r, purposes), dom.things), i%traced+1)
		d.line("- **gRPC**: `%sService` with `Get%s`, `List%s`, `Upsert%s` (see Proto Definitions).", s.id, s.id, s.id, s.id)
		d.line("- **REST endpoints**: none of its own; reached through the gateway at `/v1/%s`.", s.pkg)
		d.line("- **Database schema**: `%s(id uuid pk, owner_id uuid, state text, version int, updated_at timestamptz)`", s.db)
		d.line("  with an index on `(owner_id, updated_at)`; `outbox(id, topic, payload jsonb, published_at)`.")
		var deps []string
		for _, j := range s.deps {
			deps = append(deps, ss[j].name+" (gRPC)")
		}
		if s.events {
			deps = append(deps, fmt.Sprintf("Kafka (publishes `%s.changed`)", s.pkg))
		}
		if len(deps) == 0 {
			deps = append(deps, "its PostgreSQL database only")
		}
		d.line("- **Dependencies**: %s.", strings.Join(deps, ", "))
		d.blank()
		d.line("| Method | Path | Purpose |")
		d.line("|--------|------|---------|")
		d.line("| GET | /v1/%s/{id} | read one |", s.pkg)
		d.line("| GET | /v1/%s | list, paged |", s.pkg)
		d.line("| PUT | /v1/%s/{id} | create or replace, idempotent |", s.pkg)
		d.blank()
	}

	d.line("## Proto Definitions")
	d.blank()
	d.para("Contracts live in one repository, one package per service, versioned by package; a breaking change goes to a new package and both run side by side for a release.")
	for _, s := range ss {
		d.line("```proto")
		d.line("syntax = \"proto3\";")
		d.blank()
		d.line("package %s.v1;", s.pkg)
		d.blank()
		d.line("service %sService {", s.id)
		d.line("  rpc Get%s(Get%sRequest) returns (%s);", s.id, s.id, s.id)
		d.line("  rpc List%s(List%sRequest) returns (List%sResponse);", s.id, s.id, s.id)
		d.line("  rpc Upsert%s(%s) returns (%s);", s.id, s.id, s.id)
		d.line("}")
		d.blank()
		d.line("message Get%sRequest {", s.id)
		d.line("  string id = 1;")
		d.line("}")
		d.blank()
		d.line("message List%sRequest {", s.id)
		d.line("  string owner_id = 1;")
		d.line("  int32 page_size = 2;")
		d.line("  string page_token = 3;")
		d.line("}")
		d.blank()
		d.line("message List%sResponse {", s.id)
		d.line("  repeated %s items = 1;", s.id)
		d.line("  string next_page_token = 2;")
		d.line("}")
		d.blank()
		d.line("message %s {", s.id)
		d.line("  string id = 1;")
		d.line("  string owner_id = 2;")
		d.line("  string state = 3;")
		d.line("  int64 version = 4;")
		d.line("}")
		d.line("```")
		d.blank()
	}

	models := "Data Models"
	if flaw == "section-renamed" {
		models = "Data Model"
	}
	d.line("## %s", models)
	d.blank()
	d.para("SQLAlchemy 2.0 models with async sessions; Pydantic v2 schemas for the gateway's REST bodies.")
	for _, s := range ss[:min(len(ss), 4+len(ss)/4)] {
		d.line("```python")
		d.line("class %s(Base):", s.id)
		d.line("    __tablename__ = %q", s.db)
		d.blank()
		d.line("    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)")
		d.line("    owner_id: Mapped[uuid.UUID] = mapped_column(index=True)")
		d.line("    state: Mapped[str] = mapped_column(default=\"new\")")
		d.line("    version: Mapped[int] = mapped_column(default=1)")
		d.line("```")
		d.blank()
	}
	d.line("Redis keys: `%s:{owner_id}` caches the latest list for 10 minutes, invalidated on every write.", slugOf(dom.things))
	d.blank()

	d.line("## Communication Patterns")
	d.blank()
	d.line("- Gateway to services: gRPC unary calls with a 300 ms deadline, retried twice on `UNAVAILABLE`")
	d.line("  with jittered backoff; never retried on `ABORTED`.")
	d.line("- Events: Kafka topics `<service>.changed` keyed by record ID; producers write through a")
	d.line("  transactional outbox and consumers are idempotent by event ID.")
	d.line("- External calls: HTTPS with `httpx`, 5 s timeout and idempotency keys.")
	d.blank()

	d.line("## Deployment Architecture")
	d.blank()
	d.para("Each service ships as a Docker image built in two stages (uv sync in the builder, slim runtime) and runs on Kubernetes behind an Istio mesh with mutual TLS. Prometheus scrapes `/metrics`; traces go to the OpenTelemetry collector.")
	for _, s := range ss[:min(len(ss), 2+len(ss)/6)] {
		name := strings.ToLower(strings.ReplaceAll(strings.TrimSuffix(s.name, " Service"), " ", "-")) + "-service"
		d.line("```yaml")
		d.line("apiVersion: apps/v1")
		d.line("kind: Deployment")
		d.line("metadata:")
		d.line("  name: %s", name)
		d.line("spec:")
		d.line("  replicas: %d", 2+r.IntN(3))
		d.line("  selector:")
		d.line("    matchLabels:")
		d.line("      app: %s", name)
		d.line("  template:")
		d.line("    metadata:")
		d.line("      labels:")
		d.line("        app: %s", name)
		d.line("    spec:")
		d.line("      containers:")
		d.line("        - name: %s", s.pkg)
		d.line("          image: registry.example/%s:1.0.0", name)
		d.line("          ports:")
		d.line("            - containerPort: 50051")
		d.line("          readinessProbe:")
		d.line("            grpc:")
		d.line("              port: 50051")
		d.line("```")
		d.blank()
	}
	d.line("### Deployment Sequencing")
	d.blank()
	d.line("- **Phase 1**: Infrastructure first — Kafka topics, Redis and one PostgreSQL database per service.")
	tiers := (n + 4) / 5
	for t := tiers - 1; t >= 0; t-- {
		var names []string
		for _, s := range ss[t*5 : min(n, t*5+5)] {
			names = append(names, s.name)
		}
		d.line("- **Phase %d**: %s, in parallel.", tiers-t+1, strings.Join(names, ", "))
	}
	d.line("- **Phase %d**: API Gateway, then the apps switch over site by site.", tiers+2)
	d.blank()

	d.line("## Development Sequencing")
	d.blank()
	for i := 1; i <= traced; i++ {
		d.line("- FR-%d: built by the %s track in week %d.", i, ss[(i-1)%n].name, 1+i/2)
	}
	d.line("- Critical path: protos, then the first-tier services, then the gateway endpoints.")
	d.blank()

	if flaw != "section-missing" {
		d.line("## Testing Strategy")
		d.blank()
		if flaw == "section-placeholder" {
			d.line("[Describe unit, integration, contract and load tests]")
		} else {
			d.line("- Unit tests with pytest and pytest-asyncio fixtures for every service.")
			d.line("- Integration tests against PostgreSQL, Redis and Kafka in testcontainers.")
			d.line("- Contract tests: each gRPC client runs against the server's proto with buf breaking checks.")
			d.line("- Load test: peak traffic for 30 minutes with p95 under 2 s (NFR-1).")
		}
		d.blank()
	}

	d.line("## Libraries Assessment")
	d.blank()
	d.line("All libraries are installed with uv from `pyproject.toml`; `uv.lock` is committed and CI runs `uv sync --frozen`.")
	d.blank()
	d.line("| Library | Version | License | Decision | Rationale |")
	d.line("|---------|---------|---------|----------|-----------|")
	for _, l := range libraries {
		d.line("| %s | %s | %s | Adopt | %s |", l.name, l.version, l.license, l.role)
	}
	d.blank()

	d.line("## Technical Decisions")
	d.blank()
	d.line("- Service discovery: Kubernetes DNS names; no separate registry.")
	d.line("- Database per service: yes; no service reads another's database.")
	d.line("- Caching strategy: Redis for list reads only, invalidated on writes.")
	d.line("- Async messaging: Kafka, run by the platform team; events through a transactional outbox.")
	d.line("- API gateway: one FastAPI edge service of our own, because it also maps REST to gRPC.")
	d.line("- Deployment strategy: canary through Argo Rollouts, 10%% then 50%% then 100%%.")
	d.line("- Secrets management: External Secrets Operator syncing from Vault.")
	d.line("- Configuration management: environment variables read with pydantic-settings from a ConfigMap.")
	d.blank()

	d.line("## Architecture Review")
	d.blank()
	d.line("- No synchronous cycle: calls go from one tier to the next only.")
	d.line("- No shared database: each service owns its schema.")
	d.line("- Resilience: deadlines, retries with backoff and circuit breakers, as in Failure Impact Analysis.")
	d.line("- Observability: Prometheus metrics, OpenTelemetry traces and structlog JSON logs with the trace ID.")
	d.blank()

	d.line("## Python Production Checklist")
	d.blank()
	for _, c := range checklist {
		d.line("- [x] %s", c)
	}
	d.blank()

	d.line("## Open Questions")
	d.blank()
	d.line("- Should the list cache move to the gateway once traffic doubles? Owner: %s, decision by the Phase 2 review.", pick(r, people))
	return d.String()
}
