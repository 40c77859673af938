package diagnostics

import (
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// decidedAllRef is decision-missing's scan as it was before the default
// topics' words were indexed once: the reference decisionSet must equal.
func decidedAllRef(m *Memo, prose string, topics [][]string) []bool {
	n := 0
	for _, words := range topics {
		n += len(words)
	}
	terms, topic := make([]term, 0, n), make([]int, 0, n)
	for i, words := range topics {
		for _, w := range words {
			terms = append(terms, p(w))
			topic = append(topic, i)
		}
	}
	out := make([]bool, len(topics))
	left := len(topics)
	newTermSet(terms).scanWith(m, prose, func(k, i int) bool {
		if out[topic[k]] {
			return true
		}
		l := prose[strings.LastIndexByte(prose[:i], '\n')+1:]
		if j := strings.IndexByte(l, '\n'); j >= 0 {
			l = l[:j]
		}
		if c := strings.LastIndexByte(l, ':'); c >= 0 && !substantive(l[c+1:]) {
			return true
		}
		out[topic[k]] = true
		left--
		return left > 0
	})
	return out
}

func TestDecisionSetMatchesReference(t *testing.T) {
	texts := []string{"", "caching:", "caching: redis", "- **secrets:** \n", "we use kafka.\nsecrets: [todo]\n", "configmap and env vars, canary releases, consul"}
	files, _ := filepath.Glob("../examples/*/*/_techspec.md")
	more, _ := filepath.Glob("../examples/*/tasks/*/_techspec.md")
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, strings.ToLower(string(b)))
	}
	if len(texts) < 8 {
		t.Fatalf("found %d example tech specs", len(texts)-6)
	}
	// Random lines of topic words, labels and fillers.
	var vocab []string
	for _, words := range decisionWords(DefaultDecisionTopics) {
		vocab = append(vocab, words...)
	}
	vocab = append(vocab, "decision:", "the", "-", "[tbd]", "\n", "\n", ":", "x", "todo", "caches")
	r := rand.New(rand.NewSource(1))
	for range 300 {
		ws := make([]string, r.Intn(30))
		for i := range ws {
			ws[i] = vocab[r.Intn(len(vocab))]
		}
		texts = append(texts, strings.Join(ws, " "))
	}
	custom := decisionWords([]string{"Service Discovery", "Feature flags", "  Rate Limiting ", "secrets"})
	for _, memo := range []*Memo{nil, {}} {
		for _, text := range texts {
			if got, want := defaultDecisionSet().decided(memo, text), decidedAllRef(memo, text, decisionWords(DefaultDecisionTopics)); !slices.Equal(got, want) {
				t.Fatalf("default topics of %.80q: %v, reference %v", text, got, want)
			}
			if got, want := newDecisionSet(custom).decided(memo, text), decidedAllRef(memo, text, custom); !slices.Equal(got, want) {
				t.Fatalf("custom topics of %.80q: %v, reference %v", text, got, want)
			}
		}
	}
}
