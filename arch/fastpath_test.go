package arch

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/specls/specls/internal/namepairs"
	"github.com/specls/specls/mermaid"
	"github.com/specls/specls/spec"
)

// The name functions the rules call for every node and cell avoid
// allocating (issue 16). These are their plain forms, as they were
// written before; the fast ones must agree with them on every name.

func refMentionsWords(name string, t *wordTable) bool {
	words := NameWords(name)
	for _, w := range words {
		if t.single[w] {
			return true
		}
	}
	if len(t.multi) == 0 || len(words) < 2 {
		return false
	}
	return Mentions(strings.Join(words, " "), t.multi)
}

func refProtocolOf(s string) string {
	n := " " + spec.Normalize(s) + " "
	for _, p := range protocolWords {
		for _, w := range p.words {
			if strings.Contains(n, " "+w+" ") {
				return p.name
			}
		}
	}
	return ""
}

func refFoldKey(s string) string {
	return "\x00" + strings.ToLower(strings.ToUpper(strings.TrimSpace(s)))
}

// nameSamples are names of every kind: the shared name pairs, the words
// of the vocabularies, and random mixes of them with punctuation, case,
// parentheses, non-ASCII letters and many words.
func nameSamples() []string {
	var out []string
	for _, p := range namepairs.Pairs {
		out = append(out, p.A, p.B)
	}
	for _, p := range namepairs.NodePairs {
		out = append(out, p.Name, p.ID, p.Label)
	}
	var vocab []string
	for _, t := range []*wordTable{dataStoreTable(), passiveTable(), serviceTable(), infraTable()} {
		for w := range t.single {
			vocab = append(vocab, w)
		}
		vocab = append(vocab, t.multi...)
	}
	for w := range qualifierWords {
		vocab = append(vocab, w)
	}
	for w := range serviceSuffixes {
		vocab = append(vocab, w)
	}
	for _, p := range protocolWords {
		vocab = append(vocab, p.words...)
	}
	vocab = append(vocab, "the", "Step 12", "S12", "OrdersAPI", "ÉtatService", "Straße", "(aside)", "[x]", "  ", "-", "gRPC", "HTTP/2", "a_b", "ÄpfelDB", "\t")
	out = append(out, vocab...)
	r := rand.New(rand.NewPCG(3, 4))
	seps := []string{" ", "-", "_", "", ".", "(", ")", "[", "]", "/", "  ", "é"}
	for range 5000 {
		var sb strings.Builder
		for k := range r.IntN(20) {
			if k > 0 {
				sb.WriteString(seps[r.IntN(len(seps))])
			}
			w := vocab[r.IntN(len(vocab))]
			switch r.IntN(3) {
			case 0:
				w = strings.ToUpper(w)
			case 1:
				if w != "" {
					w = strings.ToUpper(w[:1]) + w[1:]
				}
			}
			sb.WriteString(w)
		}
		out = append(out, sb.String())
	}
	return out
}

func TestFastNameFunctions(t *testing.T) {
	tables := []*wordTable{dataStoreTable(), passiveTable(), serviceTable(), infraTable()}
	for _, name := range nameSamples() {
		for k, tb := range tables {
			if got, want := mentionsWords(name, tb), refMentionsWords(name, tb); got != want {
				t.Errorf("mentionsWords(%q, table %d) = %v, want %v", name, k, got, want)
			}
			u := tables[(k+1)%len(tables)]
			want := 0
			if refMentionsWords(name, tb) {
				want |= 1
			}
			if refMentionsWords(name, u) {
				want |= 2
			}
			if got := mentionsTables(name, tb, u); got != want {
				t.Errorf("mentionsTables(%q, table %d, table %d) = %b, want %b", name, k, (k+1)%len(tables), got, want)
			}
		}
		if got, want := ProtocolOf(name), refProtocolOf(name); got != want {
			t.Errorf("ProtocolOf(%q) = %q, want %q", name, got, want)
		}
		if got, want := foldKey(name), refFoldKey(name); got != want {
			t.Errorf("foldKey(%q) = %q, want %q", name, got, want)
		}
		if got, want := ServiceKey(name), strings.Join(keyWords(name), ""); got != want {
			t.Errorf("ServiceKey(%q) = %q, want %q", name, got, want)
		}
		if got, want := KeyVariants(name), keyVariantsOf(name); !slices.Equal(got, want) {
			t.Errorf("KeyVariants(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestKeyIndexAsNameIndex: the index over numbered keys finds what the
// index over key strings finds, for every query.
func TestKeyIndexAsNameIndex(t *testing.T) {
	// NodeKeys as it was built: the ID's NameKeys, then the label's
	// variants.
	var nm Matcher
	for _, p := range namepairs.NodePairs {
		n := &mermaid.Node{ID: p.ID, Label: p.Label}
		want := appendKeys(append([]string(nil), nm.NameKeys(p.ID)...), nm.KeyVariants(p.Label), "")
		if got := nm.NodeKeys(n); !slices.Equal(got, want) {
			t.Errorf("NodeKeys(%s[%s]) = %q, want %q", p.ID, p.Label, got, want)
		}
	}
	r := rand.New(rand.NewPCG(7, 8))
	var m Matcher
	names := nameSamples()[:3000]
	var byName, byPair NameIndex
	var byID KeyIndex
	var byWide, byPairID PairIndex
	for i := range 2000 {
		for range r.IntN(3) {
			n, o := names[r.IntN(len(names))], names[r.IntN(len(names))]
			byName.Add(i, m.NameKeys(n))
			byID.Add(i, m.NameKeyIDs(n))
			byWide.Add(i, KeyIDs(m.NameKeyIDs(n)))
			byPair.Add(i, PairKeys(m.NameKeys(n), m.NameKeys(o)))
			byPairID.Add(i, PairKeyIDs(m.NameKeyIDs(n), m.NameKeyIDs(o)))
		}
	}
	same := func(what, n string, got, want []int) {
		if !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Fatalf("%s candidates of %q: %v, want %v", what, n, got, want)
		}
	}
	var dst []int
	for k, n := range names {
		want := byName.Candidates(nil, m.NameKeys(n))
		same("KeyIndex", n, byID.Candidates(dst[:0], m.NameKeyIDs(n)), want)
		same("PairIndex", n, byWide.Candidates(dst[:0], KeyIDs(m.NameKeyIDs(n))), want)
		o := names[(k*7)%len(names)]
		same("pair", n+" → "+o, byPairID.Candidates(dst[:0], PairKeyIDs(m.NameKeyIDs(n), m.NameKeyIDs(o))),
			byPair.Candidates(nil, PairKeys(m.NameKeys(n), m.NameKeys(o))))
	}
}

// TestMessagingPatternFast: MessagingPattern's search of ASCII labels
// agrees with the regexp on every label.
func TestMessagingPatternFast(t *testing.T) {
	labels := append(nameSamples(), "pubsub", "PUB/SUB", "pub-sub", "pub\nsub", "pub\n sub", "Pub  Sub", "pu bsub", "gRPC", "REST",
		"Kafka events", "KAFKA", "SQS queue", "async", "\u212afka", "ſqs", "pub\u00e9sub", strings.Repeat("x", 70)+"kafka", "topics", "n a t s")
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "pubsPUBS-_ \n.eventkafaqs"
	for range 20000 {
		b := make([]byte, 3+r.IntN(12))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		labels = append(labels, string(b))
	}
	for _, l := range labels {
		if got, want := MessagingPattern(l), messagingPattern.MatchString(l); got != want {
			t.Errorf("MessagingPattern(%q) = %v, want %v", l, got, want)
		}
	}
}
