package diagnostics

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/specls/specls/arch"
)

// checklistScoreRef is checklist-incomplete's score as it was before the
// stems were made once per text: the reference stemScore must equal.
func checklistScoreRef(req []string, task []string) float64 {
	if len(req) == 0 {
		return 0
	}
	have := map[string]bool{}
	for _, w := range task {
		have[stem(w)] = true
	}
	n := 0
	for _, w := range req {
		if have[stem(w)] {
			n++
		}
	}
	return float64(n) / float64(len(req))
}

func TestStemScoreMatchesReference(t *testing.T) {
	texts := append([]string{"", "the and of", "Python 3.11+ everywhere", "Structured logging (structlog, JSON)",
		"Kubernetes liveness and readiness probes", "Prometheus metrics are exposed on /metrics", "Sentry"}, arch.DefaultChecklist...)
	// Random tasks made of the items' words, stop words and near stems.
	var vocab []string
	for _, s := range texts {
		vocab = append(vocab, strings.Fields(s)...)
	}
	vocab = append(vocab, "structure", "metric", "dockerfile", "async", "asynchronous", "with", "data")
	r := rand.New(rand.NewSource(1))
	for range 500 {
		n := r.Intn(8)
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[r.Intn(len(vocab))]
		}
		texts = append(texts, strings.Join(ws, " "))
	}
	for _, item := range texts {
		req := checklistWords(item)
		for _, task := range texts {
			words := checklistWords(task)
			if got, want := stemScore(checklistStems(req), checklistStems(words)), checklistScoreRef(req, words); got != want {
				t.Fatalf("item %q, task %q: stemScore = %v, reference %v", item, task, got, want)
			}
		}
	}
	for i, stems := range defaultChecklistStems() {
		if want := checklistStems(checklistWords(arch.DefaultChecklist[i])); strings.Join(stems, " ") != strings.Join(want, " ") {
			t.Errorf("default item %d: stems %q, want %q", i, stems, want)
		}
	}
}
