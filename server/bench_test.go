package server_test

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/server"
	"github.com/specls/specls/server/lsptest"
	"github.com/specls/specls/workspace"
)

// largeTechSpec generates a tech spec of about n lines that follows the
// template: many services, each with a proto block, an endpoint table and
// a schema, plus the analysis artifacts.
func largeTechSpec(n int) string {
	var sb strings.Builder
	services := max((n-100)/28, 2)
	name := func(i int) string { return fmt.Sprintf("Service%02d", i) }
	sb.WriteString("# Technical Specification: Orders at scale\n\n## Architecture Overview\n\nThe gateway fans out to the services over gRPC (FR-1).\n\n### Service Dependency Graph\n\n```mermaid\ngraph TD\n")
	for i := 1; i < services; i++ {
		fmt.Fprintf(&sb, "  %s -->|gRPC| %s\n", name(0), name(i))
	}
	sb.WriteString("```\n\n### Communication Matrix\n\n| From | To | Protocol | Pattern |\n|------|----|----------|---------|\n")
	for i := 1; i < services; i++ {
		fmt.Fprintf(&sb, "| %s | %s | gRPC | Request-Reply |\n", name(0), name(i))
	}
	sb.WriteString("\n### Data Ownership\n\n| Service | Database | Data Domain |\n|---------|----------|-------------|\n")
	for i := 0; i < services; i++ {
		fmt.Fprintf(&sb, "| %s | PostgreSQL %s | Domain %d |\n", name(i), strings.ToLower(name(i)), i)
	}
	sb.WriteString("\n### Consistency Model\n\nEvery service is strongly consistent within its database.\n\n### Failure Impact Analysis\n\nA service down fails its own requests only; timeouts of 2 s and retries with backoff.\n\n## Service Definitions\n\n")
	for i := 0; i < services; i++ {
		fmt.Fprintf(&sb, "### %s\n\nOwns domain %d and answers the gateway.\n\n```proto\nsyntax = \"proto3\";\npackage s%d.v1;\nservice S%d {\n  rpc Get(GetRequest) returns (GetReply);\n  rpc Put(PutRequest) returns (PutReply);\n}\nmessage GetRequest { string id = 1; }\nmessage GetReply { string body = 1; }\nmessage PutRequest { string body = 1; }\nmessage PutReply { string id = 1; }\n```\n\n| Method | Path | Purpose |\n|--------|------|---------|\n| GET | /v1/items/{id} | read |\n| PUT | /v1/items | write |\n\nDatabase schema: `items(id uuid primary key, body jsonb, updated_at timestamptz)`.\n\nDependencies: PostgreSQL; the gateway calls it.\n\n", name(i), i, i, i)
	}
	sb.WriteString("## Proto Definitions\n\nShared `common.v1.Page`.\n\n## Data Models\n\nSQLAlchemy models per service.\n\n## Communication Patterns\n\ngRPC with deadlines.\n\n## Deployment Architecture\n\nOne Deployment per service.\n\n### Deployment Sequencing\n\n- **Phase 1**: PostgreSQL\n- **Phase 2**: the services\n- **Phase 3**: the gateway\n\n## Development Sequencing\n\nServices in parallel.\n\n## Testing Strategy\n\npytest and contract tests.\n\n## Libraries Assessment\n\nfastapi >= 0.104.0 (MIT).\n\n## Technical Decisions\n\nKubernetes DNS for discovery.\n\n## Architecture Review\n\nNo shared database.\n\n## Python Production Checklist\n\n- [x] Python 3.11+ with async/await throughout\n\n## Open Questions\n\n- None.\n")
	return sb.String()
}

func TestLargeTechSpecSize(t *testing.T) {
	if n := strings.Count(largeTechSpec(2000), "\n"); n < 1900 || n > 2200 {
		t.Fatalf("generated %d lines, want about 2000", n)
	}
}

// BenchmarkDidChangeToDiagnostics measures, for a 2,000-line tech spec,
// the time from sending didChange to receiving the diagnostics of that
// version, with no debounce: applying the change, checking the feature,
// converting and publishing. It reports p50 and p99.
func BenchmarkDidChangeToDiagnostics(b *testing.B) {
	// The default configuration: every gate on.
	root := b.TempDir()
	ed := lsptest.Start(b, lsptest.Config{Root: root, Options: serverOptions(0)})
	lsptest.WriteFiles(b, root, map[string]string{prd: "# PRD: Orders\n\n## Core Features\n\n1. FR-1: Place orders.\n"})
	settle()
	v := ed.Open(techspec, largeTechSpec(2000))
	ed.Diagnostics(techspec, v)
	benchEdits(b, ed, techspec, ed.PosAfter(techspec, "Owns domain 7"))
}

// BenchmarkDidChangeCorpus is BenchmarkDidChangeToDiagnostics on the
// features `make bench` times over stdio (prd-bench-<lines> of the corpus,
// with its 300-line PRD on disk), editing the middle of the tech spec.
func BenchmarkDidChangeCorpus(b *testing.B) {
	for _, lines := range []int{2000, 10000} {
		b.Run(strconv.Itoa(lines), func(b *testing.B) {
			f := corpus.Bench(lines, corpus.Options{Seed: 1})
			root := b.TempDir()
			dir := "tasks/prd-" + f.Slug + "/"
			lsptest.WriteFiles(b, root, map[string]string{dir + "_prd.md": f.PRD})
			settle()
			ed := lsptest.Start(b, lsptest.Config{Root: root, Options: serverOptions(0)})
			v := ed.Open(dir+"_techspec.md", f.TechSpec)
			ed.Diagnostics(dir+"_techspec.md", v)
			mid := strings.Count(f.TechSpec, "\n") / 2
			benchEdits(b, ed, dir+"_techspec.md", protocol.Position{Line: uint32(mid)})
		})
	}
}

// BenchmarkDidChangeSites types in several places of the 2,000-line
// corpus tech spec, one keystroke per op: at each site four characters,
// then four backspaces, so that most versions are new to the memo (unlike
// BenchmarkDidChangeCorpus, whose two alternating texts every cache holds
// after two edits). It reports the overall figures of benchEdits and the
// p50 and p99 CPU time per edit of each site: the sections the artifacts
// read (graph, matrix, ownership, deployment order), prose, a service's
// heading and a proto block. "burst" sends each keystroke when the last
// one's diagnostics arrive; "paced" waits typingPause between them, as
// the server's debounce does between a keystroke and its check, so that
// what the server does after publishing runs before the next keystroke
// (its ns/op counts the pauses; the per-edit metrics do not).
func BenchmarkDidChangeSites(b *testing.B) {
	b.Run("burst", func(b *testing.B) { benchSites(b, 0) })
	b.Run("paced", func(b *testing.B) { benchSites(b, typingPause) })
}

// typingPause is the pause between keystrokes of a paced benchmark.
const typingPause = 20 * time.Millisecond

func benchSites(b *testing.B, pause time.Duration) {
	f := corpus.Bench(2000, corpus.Options{Seed: 1})
	root := b.TempDir()
	dir := "tasks/prd-" + f.Slug + "/"
	rel := dir + "_techspec.md"
	lsptest.WriteFiles(b, root, map[string]string{dir + "_prd.md": f.PRD})
	settle()
	ed := lsptest.Start(b, lsptest.Config{Root: root, Options: serverOptions(0)})
	v := ed.Open(rel, f.TechSpec)
	ed.Diagnostics(rel, v)
	sites := []struct {
		name string
		at   protocol.Position
	}{
		{"graph", ed.PosAfter(rel, "InventoryBatch[Inventory Batch Service")},
		{"matrix", ed.PosAfter(rel, "| Gateway | DispatchQuery | gRPC | Request-Reply")},
		{"ownership", ed.PosAfter(rel, "Appointment dispatch query")},
		{"consistency", ed.PosAfter(rel, "writes and reads go to the primary of its database")},
		{"prose", ed.PosAfter(rel, "terminates TLS, checks")},
		{"heading", ed.PosAfter(rel, "### Pricing Core Service")},
		{"proto", protocol.Position{Line: uint32(strings.Count(f.TechSpec, "\n") / 2)}},
		{"phases", ed.PosAfter(rel, "**Phase 2**: Consent Batch Service")},
		{"questions", ed.PosAfter(rel, "once traffic doubles")},
	}
	const typed = "abcd"
	stats := make([]editStat, 0, b.N)
	bySite := make([][]time.Duration, len(sites))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := i / (2 * len(typed)) // the visit
		k := i % (2 * len(typed)) // the keystroke of the visit
		site := n % len(sites)
		at := sites[site].at
		var e lsptest.Edit
		if k < len(typed) {
			at.Character += uint32(k)
			e = lsptest.Edit{Range: protocol.Range{Start: at, End: at}, Text: typed[k : k+1]}
		} else {
			at.Character += uint32(2*len(typed) - k)
			e = lsptest.Edit{Range: protocol.Range{Start: protocol.Position{Line: at.Line, Character: at.Character - 1}, End: at}}
		}
		if pause > 0 {
			time.Sleep(pause)
		}
		before := readEditStat()
		v := ed.Change(rel, e)
		ed.Diagnostics(rel, v)
		st := readEditStat().since(before)
		stats = append(stats, st)
		bySite[site] = append(bySite[site], st.cpu)
	}
	b.StopTimer()
	if got := ed.Text(rel); b.N%(2*len(typed)) == 0 && got != f.TechSpec {
		b.Fatal("typing and deleting did not give the text back")
	}
	reportEditStats(b, stats)
	for i, times := range bySite {
		if len(times) > 0 {
			b.ReportMetric(percentile(times, 0.50), sites[i].name+"-p50-cpu-ms")
			b.ReportMetric(percentile(times, 0.99), sites[i].name+"-p99-cpu-ms")
		}
	}
}

// settle waits until the files just written are older than
// workspace.RecentWindow, as a PRD beside the edited tech spec usually
// is: until then the server reads them from disk on every check (and
// resolves the absent _tasks.md again), which no editing session but the
// first seconds of a benchmark pays.
func settle() { time.Sleep(workspace.RecentWindow + 100*time.Millisecond) }

// benchEdits alternately inserts and deletes a character at at, and
// reports the p50 and p99 time from didChange to that version's
// diagnostics. Beside the wall times, which other processes on a loaded
// machine stretch, it reports what each edit cost the process (editor and
// server: they share it): CPU time, minor page faults and whether a
// collection ran (editStats). These found the tail: the edits that a
// collection overlaps, and the first tens of edits after start-up, which
// fault in the pages the heap grows into.
func benchEdits(b *testing.B, ed *lsptest.Editor, rel string, at protocol.Position) {
	stats := make([]editStat, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		text := "x"
		r := protocol.Range{Start: at, End: at}
		if i%2 == 1 {
			r.End.Character++
			text = ""
		}
		before := readEditStat()
		v := ed.Change(rel, lsptest.Edit{Range: r, Text: text})
		ed.Diagnostics(rel, v)
		stats = append(stats, readEditStat().since(before))
	}
	b.StopTimer()
	reportEditStats(b, stats)
}

// editStat is what one edit cost: wall time, the process's CPU time (user
// and system), minor page faults and collections begun.
type editStat struct {
	at          time.Time
	wall, cpu   time.Duration
	faults, gcs int64
}

var gcCycles = []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}

func readEditStat() editStat {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	metrics.Read(gcCycles)
	return editStat{
		at:     time.Now(),
		cpu:    time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		faults: ru.Minflt,
		gcs:    int64(gcCycles[0].Value.Uint64()),
	}
}

func (s editStat) since(t editStat) editStat {
	return editStat{wall: s.at.Sub(t.at), cpu: s.cpu - t.cpu, faults: s.faults - t.faults, gcs: s.gcs - t.gcs}
}

// reportEditStats reports p50 and p99 of the wall and CPU times, the p99
// CPU time of the edits no collection began in and of the edits after the
// first warmEdits, the share of edits a collection began in, and page
// faults per edit.
func reportEditStats(b *testing.B, stats []editStat) {
	var walls, cpus, quiet, steady []time.Duration
	var faults, gcs int64
	for i, s := range stats {
		walls = append(walls, s.wall)
		cpus = append(cpus, s.cpu)
		if i >= warmEdits {
			steady = append(steady, s.cpu)
		}
		faults += s.faults
		if s.gcs > 0 {
			gcs++
		} else {
			quiet = append(quiet, s.cpu)
		}
	}
	reportPercentiles(b, walls)
	b.ReportMetric(percentile(cpus, 0.50), "p50-cpu-ms")
	b.ReportMetric(percentile(cpus, 0.99), "p99-cpu-ms")
	if len(quiet) > 0 {
		b.ReportMetric(percentile(quiet, 0.99), "p99-nogc-cpu-ms")
	}
	if len(steady) > 0 {
		b.ReportMetric(percentile(steady, 0.99), "p99-steady-cpu-ms")
	}
	b.ReportMetric(100*float64(gcs)/float64(len(stats)), "gc-edits-%")
	b.ReportMetric(float64(faults)/float64(len(stats)), "faults/op")
}

func reportPercentiles(b *testing.B, times []time.Duration) {
	b.ReportMetric(percentile(times, 0.50), "p50-ms")
	b.ReportMetric(percentile(times, 0.99), "p99-ms")
}

// warmEdits is how many edits after opening fault in the pages the heap
// grows into (and the first cuts the file into chunks): on this VM a page
// first touched costs 20–30 µs, so they make up much of a 500-edit p99.
const warmEdits = 50

// percentile returns the p-th percentile of times in milliseconds; it
// sorts times.
func percentile(times []time.Duration, p float64) float64 {
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return float64(times[min(len(times)-1, int(p*float64(len(times))))].Microseconds()) / 1000
}

// BenchmarkStartToInitialize measures the real binary: from starting the
// process to reading the initialize result on its stdout.
func BenchmarkStartToInitialize(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "specls")
	build := exec.Command("go", "build", "-o", bin, "../cmd/specls")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		b.Fatalf("build: %v", err)
	}
	req := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`
	frame := fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(req), req)
	var times []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		cmd := exec.Command(bin, "serve")
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		if _, err := io.WriteString(stdin, frame); err != nil {
			b.Fatal(err)
		}
		br := bufio.NewReader(stdout)
		n := 0
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				b.Fatalf("reading the initialize result: %v", err)
			}
			if strings.TrimSpace(line) == "" {
				break
			}
			fmt.Sscanf(line, "Content-Length: %d", &n)
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(br, body); err != nil || !strings.Contains(string(body), `"capabilities"`) {
			b.Fatalf("initialize result %q: %v", body, err)
		}
		times = append(times, time.Since(start))
		stdin.Close()
		_ = cmd.Wait()
	}
	b.StopTimer()
	reportPercentiles(b, times)
}

// serverOptions are quiet options with a debounce.
func serverOptions(debounce time.Duration) server.Options {
	return server.Options{Logger: slog.New(slog.DiscardHandler), Debounce: debounce}
}
