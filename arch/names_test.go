package arch

import (
	"slices"
	"testing"

	"github.com/specls/specls/internal/namepairs"
	"github.com/specls/specls/mermaid"
)

// TestNamePairs: the one name-matching function answers the shared table,
// both ways round, memoised or not, indexed or not.
func TestNamePairs(t *testing.T) {
	var m Matcher
	for _, p := range namepairs.Pairs {
		for _, ab := range [][2]string{{p.A, p.B}, {p.B, p.A}} {
			if got := SameService(ab[0], ab[1]); got != p.Same {
				t.Errorf("SameService(%q, %q) = %v, want %v", ab[0], ab[1], got, p.Same)
			}
			if got := m.SameService(ab[0], ab[1]); got != p.Same {
				t.Errorf("Matcher.SameService(%q, %q) = %v, want %v", ab[0], ab[1], got, p.Same)
			}
			ix := NewServiceIndex([]*Service{{Name: ab[0]}}, &m)
			if got := ix.Name(ab[1]) != nil; got != p.Same {
				t.Errorf("ServiceIndex.Name: %q finds %q = %v, want %v", ab[1], ab[0], got, p.Same)
			}
		}
	}
	for _, p := range namepairs.NodePairs {
		n := &mermaid.Node{ID: p.ID, Label: p.Label}
		if got := NamesNode(p.Name, n); got != p.Same {
			t.Errorf("NamesNode(%q, %s[%s]) = %v, want %v", p.Name, p.ID, p.Label, got, p.Same)
		}
		if got := m.NamesNode(p.Name, n); got != p.Same {
			t.Errorf("Matcher.NamesNode(%q, %s[%s]) = %v, want %v", p.Name, p.ID, p.Label, got, p.Same)
		}
		svcs := []*Service{{Name: p.Name}}
		if got := NodeService(n, svcs) != nil; got != p.Same {
			t.Errorf("NodeService(%s[%s]) finds %q = %v, want %v", p.ID, p.Label, p.Name, got, p.Same)
		}
		if got := NewServiceIndex(svcs, nil).Node(n) != nil; got != p.Same {
			t.Errorf("ServiceIndex.Node(%s[%s]) finds %q = %v, want %v", p.ID, p.Label, p.Name, got, p.Same)
		}
	}
}

// TestMatcherNameForms: the memoised forms are NameForms', for one name
// and for lists of names that share forms, asked in any order.
func TestMatcherNameForms(t *testing.T) {
	names := []string{"", "Auth Service", "Auth", "auth-service", "AuthService", "the Orders API", "Orders", "Payment Gateway Service",
		"Notification Svc", "DB (Postgres)", "(internal)", "Ünïcode Dienst", "API Gateway", "Kafka", "order_processing_worker", "HTTPServer"}
	for _, p := range namepairs.NodePairs {
		names = append(names, p.Name, p.ID, p.Label)
	}
	var m Matcher
	for i, a := range names {
		if got, want := m.NameForms(a), NameForms(a); !slices.Equal(got, want) {
			t.Errorf("Matcher.NameForms(%q) = %q, want %q", a, got, want)
		}
		b, c := names[(i*7+3)%len(names)], names[(i*5+1)%len(names)]
		if got, want := m.NameForms(a, b, c), NameForms(a, b, c); !slices.Equal(got, want) {
			t.Errorf("Matcher.NameForms(%q, %q, %q) = %q, want %q", a, b, c, got, want)
		}
	}
}

// TestMentionsIsMentionAt: Mentions, which stops at the first phrase
// found, answers as MentionAt does.
func TestMentionsIsMentionAt(t *testing.T) {
	texts := []string{"", "auth", "authentication service", "the auth service calls orders", "orders api and payment gateway", "x auth", "auth x",
		"authauth auth", "order service orders", "über dienst", "api gateway gateway api"}
	forms := [][]string{nil, {""}, {"auth"}, {"auth service", "auth"}, {"orders", "order"}, {"gateway", "api gateway"}, {"über"}, {"x", "auth"}, {"service calls"}}
	for _, text := range texts {
		for _, f := range forms {
			if got, want := Mentions(text, f), MentionAt(text, f) >= 0; got != want {
				t.Errorf("Mentions(%q, %q) = %v, MentionAt says %v", text, f, got, want)
			}
		}
	}
}
