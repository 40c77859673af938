package mermaid

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/specls/specls/spec"
)

type parser struct {
	src   string
	pos   int
	g     *Graph
	index map[string]*Node
	open  []*Subgraph // subgraphs not yet closed by "end"
	auto  int         // counter for untitled subgraphs

	// Nodes, edges and references are allocated in blocks, and the
	// occurrences of a statement in reused buffers: a graph may have
	// 100,000 edges.
	nodeSlab []Node
	edgeSlab []Edge
	refSlab  []spec.Span
	occ      [2][]occurrence
	// The blocks are as long as the source has lines at first, doubled
	// with each block up to slabSize: a spec's graph has a dozen nodes,
	// and three blocks of 256 were most of what parsing it allocated.
	lines                       int
	nodeLast, edgeLast, refLast int
}

const slabSize = 256

// slabLen returns the length of the next block of a kind, whose
// previous length is *last (0 for none).
func (p *parser) slabLen(last *int) int {
	n := slabSize
	if *last == 0 {
		n = min(max(p.lines, 4), slabSize)
	} else if *last < slabSize {
		n = min(2**last, slabSize)
	}
	*last = n
	return n
}

func (p *parser) newNode() *Node {
	if len(p.nodeSlab) == 0 {
		p.nodeSlab = make([]Node, p.slabLen(&p.nodeLast))
	}
	n := &p.nodeSlab[0]
	p.nodeSlab = p.nodeSlab[1:]
	return n
}

func (p *parser) newEdge() *Edge {
	if len(p.edgeSlab) == 0 {
		p.edgeSlab = make([]Edge, p.slabLen(&p.edgeLast))
	}
	e := &p.edgeSlab[0]
	p.edgeSlab = p.edgeSlab[1:]
	return e
}

// newRefs returns an empty list of references with room for two (a node
// of a chain is written twice), carved from a shared block.
func (p *parser) newRefs() []spec.Span {
	if len(p.refSlab) < 2 {
		p.refSlab = make([]spec.Span, 2*p.slabLen(&p.refLast))
	}
	r := p.refSlab[:0:2]
	p.refSlab = p.refSlab[2:]
	return r
}

// occurrence is one node as written in a statement.
type occurrence struct {
	id   string
	span spec.Span // ID and shape
	node *Node
}

func (p *parser) errorf(start, end int, format string, args ...any) error {
	start = min(max(start, 0), len(p.src))
	end = min(max(end, start), len(p.src))
	return &SyntaxError{Span: spec.Span{Start: start, End: end}, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) at(i int) byte {
	if i < len(p.src) {
		return p.src[i]
	}
	return 0
}

func (p *parser) spaces() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

// lineEnd returns the offset of the end of the line holding pos.
func (p *parser) lineEnd(pos int) int {
	for pos < len(p.src) && p.src[pos] != '\n' && p.src[pos] != '\r' {
		pos++
	}
	return pos
}

// word returns the run of non-blank characters at pos, stopping at ";".
func (p *parser) word() string {
	e := p.pos
	for e < len(p.src) && !strings.ContainsRune(" \t\r\n;", rune(p.src[e])) {
		e++
	}
	return string(p.src[p.pos:e])
}

// tokenEnd returns the end of the token starting at i, for error spans: a
// run of characters up to a blank, or one (whole UTF-8) character.
func (p *parser) tokenEnd(i int) int {
	if i >= len(p.src) {
		return i
	}
	e := i
	for e < len(p.src) && isIDByte(p.src[e]) {
		e++
	}
	if e > i {
		return e
	}
	_, n := utf8.DecodeRuneInString(p.src[i:])
	return i + max(n, 1)
}

// skipPreamble skips blank lines, %% comments and directives, and a YAML
// front matter block, up to the diagram's first statement.
func (p *parser) skipPreamble() {
	for {
		for p.pos < len(p.src) && strings.ContainsRune(" \t\r\n", rune(p.src[p.pos])) {
			p.pos++
		}
		rest := p.src[p.pos:]
		switch {
		case len(rest) >= 2 && rest[0] == '%' && rest[1] == '%':
			p.pos = p.lineEnd(p.pos)
		case len(rest) >= 3 && string(rest[:3]) == "---" && p.isLineStart(p.pos):
			// Front matter: up to the next "---" line.
			e := p.lineEnd(p.pos)
			for e < len(p.src) {
				ls := e
				for ls < len(p.src) && (p.src[ls] == '\n' || p.src[ls] == '\r') {
					ls++
				}
				le := p.lineEnd(ls)
				if strings.TrimSpace(string(p.src[ls:le])) == "---" {
					p.pos = le
					break
				}
				if le == len(p.src) {
					p.pos = le
					break
				}
				e = le
			}
			if e >= len(p.src) {
				p.pos = len(p.src)
			}
		default:
			return
		}
	}
}

func (p *parser) isLineStart(i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch p.src[j] {
		case ' ', '\t':
		case '\n', '\r':
			return true
		default:
			return false
		}
	}
	return true
}

// endStatement consumes the end of a statement (";", a line break, a
// trailing %% comment or the end of the text) and reports whether it found one.
func (p *parser) endStatement() bool {
	p.spaces()
	if p.pos >= len(p.src) {
		return true
	}
	switch c := p.src[p.pos]; {
	case c == ';' || c == '\n' || c == '\r':
		p.pos++
		return true
	}
	return false
}

// directions are case-sensitive, as in mermaid ("graph td" does not parse).
var directions = map[string]string{"TB": "TB", "TD": "TD", "BT": "BT", "RL": "RL", "LR": "LR", ">": "LR", "<": "RL", "^": "BT", "v": "TB"}

func (p *parser) parse() error {
	p.skipPreamble()
	start := p.pos
	w := p.word()
	switch w {
	case "graph", "flowchart", "flowchart-elk":
	case "":
		return p.errorf(start, start, "the diagram is empty; start it with \"graph TD\" or \"flowchart LR\"")
	default:
		for _, k := range diagramKinds {
			if w == k {
				return p.errorf(start, start+len(w), "this is a %s, not a flowchart; draw the dependency graph as \"graph TD\" or \"flowchart LR\" with one node per service", k)
			}
		}
		return p.errorf(start, start+len(w), "unknown diagram type %q; a flowchart starts with \"graph TD\" or \"flowchart LR\"", w)
	}
	p.pos += len(w)
	p.g.Header = spec.Span{Start: start, End: p.pos}
	p.g.Direction = "TB"
	p.spaces()
	if d := p.word(); d != "" && !strings.HasPrefix(d, "%%") {
		dir, ok := directions[d]
		if !ok {
			return p.errorf(p.pos, p.pos+len(d), "unknown direction %q; use TD, TB, BT, LR or RL", d)
		}
		p.g.Direction = dir
		p.pos += len(d)
		p.g.Header.End = p.pos
	}
	if !p.endStatement() {
		return p.errorf(p.pos, p.tokenEnd(p.pos), "unexpected %q after the diagram header", p.src[p.pos:p.tokenEnd(p.pos)])
	}
	for {
		for p.pos < len(p.src) && strings.ContainsRune(" \t\r\n;", rune(p.src[p.pos])) {
			p.pos++
		}
		if p.pos >= len(p.src) {
			break
		}
		if err := p.statement(); err != nil {
			return err
		}
	}
	if n := len(p.open); n > 0 {
		s := p.open[n-1]
		return p.errorf(s.Span.Start, s.Span.Start+len("subgraph"), "subgraph %q is never closed; add a line \"end\"", s.Title)
	}
	return nil
}

// keyword returns the identifier at pos when it is followed by a blank, a
// line break, ";" or the end of the text.
func (p *parser) keyword() string {
	e := p.pos
	for e < len(p.src) && (isLetter(p.src[e])) {
		e++
	}
	if e == p.pos {
		return ""
	}
	if e < len(p.src) && !strings.ContainsRune(" \t\r\n;", rune(p.src[e])) {
		return ""
	}
	return string(p.src[p.pos:e])
}

func (p *parser) statement() error {
	if p.src[p.pos] == '%' && p.at(p.pos+1) == '%' {
		p.pos = p.lineEnd(p.pos)
		return nil
	}
	start := p.pos
	switch kw := p.keyword(); kw {
	case "classDef", "class", "style", "linkStyle", "click", "accTitle", "accDescr":
		// Styling and interaction lines name nodes but declare none.
		p.pos = p.lineEnd(p.pos)
		return nil
	case "direction":
		p.pos += len(kw)
		p.spaces()
		d := p.word()
		if _, ok := directions[d]; !ok {
			return p.errorf(p.pos, p.pos+len(d), "unknown direction %q; use TD, TB, BT, LR or RL", d)
		}
		p.pos += len(d)
		return p.expectEnd()
	case "subgraph":
		return p.subgraph(start)
	case "end":
		p.pos += len(kw)
		n := len(p.open)
		if n == 0 {
			return p.errorf(start, p.pos, "\"end\" without an open subgraph")
		}
		s := p.open[n-1]
		s.Span.End = p.pos
		p.open = p.open[:n-1]
		return p.expectEnd()
	}
	return p.chain()
}

func (p *parser) expectEnd() error {
	if !p.endStatement() {
		if p.at(p.pos) == '%' && p.at(p.pos+1) == '%' {
			return p.errorf(p.pos, p.pos+2, "a %%%% comment must stand on a line of its own")
		}
		return p.errorf(p.pos, p.tokenEnd(p.pos), "unexpected %q; expected the end of the line", p.src[p.pos:p.tokenEnd(p.pos)])
	}
	return nil
}

func (p *parser) subgraph(start int) error {
	p.pos += len("subgraph")
	p.spaces()
	le := p.pos
	for le < len(p.src) && p.src[le] != '\n' && p.src[le] != '\r' && p.src[le] != ';' {
		le++
	}
	rest := strings.TrimSpace(string(p.src[p.pos:le]))
	s := &Subgraph{Span: spec.Span{Start: start, End: le}}
	switch {
	case rest == "":
		p.auto++
		s.ID = fmt.Sprintf("subGraph%d", p.auto-1)
	case rest[0] == '"':
		s.Title = unquote(rest)
		s.ID = s.Title
	default:
		i := 0
		for i < len(rest) && isIDByte(rest[i]) {
			i++
		}
		if i > 0 && i < len(rest) && rest[i] == '[' || i > 0 && strings.HasPrefix(strings.TrimLeft(rest[i:], " \t"), "[") {
			t := strings.TrimLeft(rest[i:], " \t")
			if !strings.HasSuffix(t, "]") {
				at := p.pos + strings.Index(string(p.src[p.pos:le]), "[")
				return p.errorf(at, at+1, "the \"[\" of subgraph %s's title is never closed", rest[:i])
			}
			s.ID = rest[:i]
			s.Title = unquote(strings.TrimSpace(t[1 : len(t)-1]))
		} else {
			s.ID, s.Title = rest, rest
		}
	}
	if s.Title == "" {
		s.Title = s.ID
	}
	p.pos = le
	p.g.Subgraphs = append(p.g.Subgraphs, s)
	p.open = append(p.open, s)
	return nil
}

// chain parses "A[..] & B --> C -->|x| D" up to the end of the statement.
func (p *parser) chain() error {
	from, err := p.group(p.occ[0][:0])
	spare := p.occ[1][:0]
	defer func() { p.occ[0], p.occ[1] = from, spare }()
	if err != nil {
		return err
	}
	if from == nil {
		save := p.pos
		if a, _ := p.arrow(); a != nil {
			return p.errorf(a.span.Start, a.span.End, "a link needs a node before it")
		}
		p.pos = save
		e := p.tokenEnd(p.pos)
		return p.errorf(p.pos, e, "unexpected %q; expected a node ID such as A or A[Label]", p.src[p.pos:e])
	}
	for {
		if p.endStatement() {
			return nil
		}
		if p.at(p.pos) == '%' && p.at(p.pos+1) == '%' {
			return p.errorf(p.pos, p.pos+2, "a %%%% comment must stand on a line of its own")
		}
		a, err := p.arrow()
		if err != nil {
			return err
		}
		if a == nil {
			e := p.tokenEnd(p.pos)
			return p.errorf(p.pos, e, "unexpected %q; expected a link (-->) or the end of the line", p.src[p.pos:e])
		}
		p.spaces()
		to, err := p.group(spare)
		if err != nil {
			return err
		}
		if to == nil {
			return p.errorf(a.span.Start, a.span.End, "the link %q has no target node", p.src[a.span.Start:a.span.End])
		}
		for _, f := range from {
			for _, t := range to {
				e := p.newEdge()
				*e = Edge{From: f.id, To: t.id, Label: a.label, Arrow: a.arrow,
					Span: spec.Span{Start: f.span.Start, End: t.span.End}, ArrowSpan: a.span, LabelSpan: a.labelSpan,
					from: f.node, to: t.node}
				p.g.Edges = append(p.g.Edges, e)
			}
		}
		from, spare = to, from[:0]
	}
}

// group parses "A" or "A & B & C"; nil when no node starts at pos.
func (p *parser) group(out []occurrence) ([]occurrence, error) {
	amp := -1
	for {
		p.spaces()
		o, ok, err := p.node()
		if err != nil {
			return nil, err
		}
		if !ok {
			if amp >= 0 {
				return nil, p.errorf(amp, amp+1, "\"&\" needs a node after it")
			}
			return nil, nil
		}
		out = append(out, o)
		p.spaces()
		if p.at(p.pos) != '&' {
			return out, nil
		}
		amp = p.pos
		p.pos++
	}
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isIDByte reports whether c may appear in a node ID: ASCII letters and
// digits, "_", and any byte of a non-ASCII character.
func isIDByte(c byte) bool {
	return isLetter(c) || c >= '0' && c <= '9' || c == '_' || c >= 0x80
}

// ident reads a node ID at pos: "-" and "." may join its parts
// ("auth-service") but never start an arrow ("A-->B", "A-.->B").
func (p *parser) ident() string {
	i := p.pos
	for i < len(p.src) {
		c := p.src[i]
		if isIDByte(c) {
			i++
			continue
		}
		if (c == '-' || c == '.') && i > p.pos && i+1 < len(p.src) && isIDByte(p.src[i+1]) {
			i++
			continue
		}
		break
	}
	// A lone "o" or "x" before "--" is an arrow head (A o--o B), not an ID.
	if i == p.pos+1 && (p.src[p.pos] == 'o' || p.src[p.pos] == 'x') && (p.at(i) == '-' || p.at(i) == '=') && p.at(i+1) == p.at(i) {
		return ""
	}
	return string(p.src[p.pos:i])
}

// shapes lists node shape delimiters, longest opener first.
var shapes = []struct{ open, close, shape string }{
	{"(((", ")))", "doublecircle"},
	{"((", "))", "circle"},
	{"([", "])", "stadium"},
	{"[(", ")]", "cylinder"},
	{"[[", "]]", "subroutine"},
	{"[/", "/]", "parallelogram"},
	{"[\\", "\\]", "parallelogram"},
	{"{{", "}}", "hexagon"},
	{"[", "]", "rect"},
	{"(", ")", "round"},
	{"{", "}", "diamond"},
	{">", "]", "asymmetric"},
}

// node parses one node occurrence: ID, optional shape with its label,
// optional ":::class".
func (p *parser) node() (occurrence, bool, error) {
	start := p.pos
	id := p.ident()
	if id == "" {
		return occurrence{}, false, nil
	}
	p.pos += len(id)
	idSpan := spec.Span{Start: start, End: p.pos}
	label, shape, labelSpan := id, "", idSpan
	if p.at(p.pos) == '@' && p.at(p.pos+1) == '{' {
		var err error
		if label, shape, labelSpan, err = p.shapeData(id); err != nil {
			return occurrence{}, false, err
		}
	} else {
		for _, s := range shapes {
			if !strings.HasPrefix(string(p.src[p.pos:min(len(p.src), p.pos+len(s.open))]), s.open) {
				continue
			}
			text, tspan, err := p.shapeText(id, s.open, s.close)
			if err != nil {
				return occurrence{}, false, err
			}
			label, shape, labelSpan = text, s.shape, tspan
			if s.open == "[/" && strings.HasSuffix(string(p.src[:p.pos]), "\\]") || s.open == "[\\" && strings.HasSuffix(string(p.src[:p.pos]), "/]") {
				shape = "trapezoid"
			}
			break
		}
	}
	if strings.HasPrefix(string(p.src[p.pos:min(len(p.src), p.pos+3)]), ":::") {
		p.pos += 3
		c := p.pos
		for p.pos < len(p.src) && (isIDByte(p.src[p.pos]) || p.src[p.pos] == '-') {
			p.pos++
		}
		if p.pos == c {
			return occurrence{}, false, p.errorf(c-3, c, "\":::\" needs a class name after it")
		}
	}
	o := occurrence{id: id, span: spec.Span{Start: start, End: p.pos}}
	o.node = p.record(id, idSpan, o.span, label, shape, labelSpan)
	return o, true, nil
}

// shapeText reads the label between open and close; pos is at open.
func (p *parser) shapeText(id, open, close string) (string, spec.Span, error) {
	os := p.pos
	p.pos += len(open)
	// The closers "/]" and "\]" both end a [/ or [\ shape (trapezoids).
	closers := []string{close}
	if open == "[/" || open == "[\\" {
		closers = []string{"/]", "\\]"}
	}
	isClose := func(i int) int {
		for _, c := range closers {
			if strings.HasPrefix(string(p.src[i:min(len(p.src), i+len(c))]), c) {
				return len(c)
			}
		}
		return 0
	}
	i := p.pos
	for i < len(p.src) && (p.src[i] == ' ' || p.src[i] == '\t') {
		i++
	}
	if p.at(i) == '"' {
		// Quoted text may hold any character but '"', line breaks included.
		j := i + 1
		for j < len(p.src) && p.src[j] != '"' {
			j++
		}
		if j >= len(p.src) {
			return "", spec.Span{}, p.errorf(i, i+1, "the quote in node %s's label is never closed", id)
		}
		text := spec.Span{Start: i + 1, End: j}
		k := j + 1
		for k < len(p.src) && (p.src[k] == ' ' || p.src[k] == '\t') {
			k++
		}
		n := isClose(k)
		if n == 0 {
			return "", spec.Span{}, p.errorf(k, p.tokenEnd(k), "expected %q to close node %s after its quoted label", close, id)
		}
		p.pos = k + n
		return cleanLabel(string(p.src[text.Start:text.End])), text, nil
	}
	// mermaid 11 rejects "@" only in the label's first whitespace-free run
	// right after the opener (where it could start "@{" shape data):
	// "A{uses nick@fp?}" and "A[ x@y]" parse, "A[x@y z]" does not.
	firstRun := true
	for j := p.pos; j < len(p.src); j++ {
		if c := p.src[j]; firstRun && (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			firstRun = false
		}
		if n := isClose(j); n > 0 {
			text := trimSpan(p.src, spec.Span{Start: p.pos, End: j})
			if text.Start == text.End {
				return "", spec.Span{}, p.errorf(os, j+n, "node %s has an empty label; write %s%s%s%s or just %s", id, id, open, id, close, id)
			}
			p.pos = j + n
			return cleanLabel(string(p.src[text.Start:text.End])), text, nil
		}
		// Labels may run over lines; these characters end them in mermaid.
		switch c := p.src[j]; c {
		case '@':
			if firstRun {
				return "", spec.Span{}, p.errorf(j, j+1, "%q inside the label of node %s must be quoted: write %s%s\"...\"%s", string(c), id, id, open, close)
			}
		case '[', ']', '(', ')', '{', '}', '"', '|':
			return "", spec.Span{}, p.errorf(j, j+1, "%q inside the label of node %s must be quoted: write %s%s\"...\"%s", string(c), id, id, open, close)
		}
	}
	return "", spec.Span{}, p.errorf(os, os+len(open), "the %q of node %s is never closed; end its label with %q", open, id, close)
}

// shapeData reads the A@{ shape: cyl, label: "Orders DB" } form.
func (p *parser) shapeData(id string) (string, string, spec.Span, error) {
	os := p.pos
	e := os + 2
	for e < len(p.src) && p.src[e] != '}' {
		e++
	}
	if e >= len(p.src) {
		return "", "", spec.Span{}, p.errorf(os, os+2, "the \"@{\" of node %s is never closed", id)
	}
	body := string(p.src[os+2 : e])
	p.pos = e + 1
	label, shape := id, "rect"
	labelSpan := spec.Span{Start: os - len(id), End: os}
	for _, part := range strings.Split(body, ",") {
		k, v, ok := strings.Cut(part, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "shape":
			shape = map[string]string{"cyl": "cylinder", "database": "cylinder", "db": "cylinder", "circle": "circle", "diam": "diamond", "rounded": "round", "stadium": "stadium", "hex": "hexagon"}[v]
			if shape == "" {
				shape = "rect"
			}
		case "label":
			label = unquote(v)
			if i := strings.Index(body, v); i >= 0 {
				labelSpan = spec.Span{Start: os + 2 + i, End: os + 2 + i + len(v)}
			}
		}
	}
	return label, shape, labelSpan, nil
}

type arrowTok struct {
	arrow     string
	label     string
	span      spec.Span
	labelSpan spec.Span
}

// arrow parses a link at pos, with its label; nil when none starts there.
func (p *parser) arrow() (*arrowTok, error) {
	start := p.pos
	i := p.pos
	head := ""
	if c := p.at(i); c == '<' || (c == 'o' || c == 'x') && (p.at(i+1) == '-' || p.at(i+1) == '=') && p.at(i+2) == p.at(i+1) {
		head = string(c)
		i++
	}
	endHead := func(j int) (int, string) {
		switch c := p.at(j); {
		case c == '>':
			return j + 1, ">"
		case c == 'x' || c == 'o':
			// Mermaid reads "A--xB" as A --x B.
			return j + 1, string(c)
		}
		return j, ""
	}
	var a *arrowTok
	switch p.at(i) {
	case '-':
		n := 0
		for p.at(i+n) == '-' {
			n++
		}
		j := i + n
		if n == 1 && p.at(j) == '.' {
			d := 0
			for p.at(j+d) == '.' {
				d++
			}
			if p.at(j+d) == '-' {
				k, _ := endHead(j + d + 1)
				a = &arrowTok{arrow: p.src[start:k]} // head, "-", dots, "-", head
				p.pos = k
			} else {
				// "-. text .->"
				return p.textLink(start, j+d, head, "-.")
			}
		} else if n >= 2 {
			k, h := endHead(j)
			switch {
			case h != "":
				a = &arrowTok{arrow: p.src[start:k]} // head, dashes, head
				p.pos = k
			case n >= 3:
				a = &arrowTok{arrow: p.src[start:j]}
				p.pos = j
			default:
				return p.textLink(start, j, head, "--")
			}
		} else {
			return nil, nil
		}
	case '=':
		n := 0
		for p.at(i+n) == '=' {
			n++
		}
		if n < 2 {
			return nil, nil
		}
		j := i + n
		k, h := endHead(j)
		switch {
		case h != "":
			a = &arrowTok{arrow: p.src[start:k]}
			p.pos = k
		case n >= 3:
			a = &arrowTok{arrow: p.src[start:j]}
			p.pos = j
		default:
			return p.textLink(start, j, head, "==")
		}
	case '~':
		n := 0
		for p.at(i+n) == '~' {
			n++
		}
		if n < 3 {
			return nil, nil
		}
		a = &arrowTok{arrow: "~~~"}
		p.pos = i + n
	default:
		if head != "" {
			p.pos = start
		}
		return nil, nil
	}
	a.span = spec.Span{Start: start, End: p.pos}
	a.labelSpan = spec.Span{Start: p.pos, End: p.pos}
	// "-->|label|"
	save := p.pos
	p.spaces()
	if p.at(p.pos) == '|' {
		ls := p.pos
		e := ls + 1
		for e < len(p.src) && p.src[e] != '|' && p.src[e] != '\n' && p.src[e] != '\r' {
			e++
		}
		if p.at(e) != '|' {
			return nil, p.errorf(ls, ls+1, "the \"|\" of the link label is never closed; write -->|label|")
		}
		t := trimSpan(p.src, spec.Span{Start: ls + 1, End: e})
		if t.Start == t.End {
			return nil, p.errorf(ls, e+1, "the link label is empty; write -->|label| or drop the bars")
		}
		if err := p.checkLinkText(t, "()[]{}\"@"); err != nil {
			return nil, err
		}
		if p.at(e+1) == ' ' && p.at(e+2) == ' ' {
			// A quirk of mermaid's lexer (v10 and v11): "-->|x|  B" fails.
			n := e + 1
			for p.at(n) == ' ' {
				n++
			}
			return nil, p.errorf(e+1, n, "mermaid fails on more than one space after a link label; leave one: -->|%s| %s", p.src[t.Start:t.End], p.src[n:p.tokenEnd(n)])
		}
		a.label = cleanLabel(string(p.src[t.Start:t.End]))
		a.labelSpan = t
		p.pos = e + 1
		a.span.End = p.pos
	} else {
		p.pos = save
	}
	return a, nil
}

// textLink parses "-- text -->", "-. text .->" or "== text ==>": from is
// where the text starts, after the opener.
func (p *parser) textLink(start, from int, head, opener string) (*arrowTok, error) {
	// Like mermaid, the text may run over lines up to its closer.
	le := len(p.src)
	// The closer: a run of the opener's line character ("--", "==") or dots
	// then a dash (".-"), then an optional head.
	body := opener[len(opener)-1]
	i := from
	for ; i < le; i++ {
		if body == '.' && p.src[i] == '.' {
			j := i
			for j < le && p.src[j] == '.' {
				j++
			}
			if p.at(j) == '-' {
				break
			}
		} else if body != '.' && p.src[i] == body && p.at(i+1) == body {
			break
		}
	}
	example := map[string]string{"--": "-->", "-.": ".->", "==": "==>"}[opener]
	if i >= le {
		plain := map[string]string{"--": "-->", "-.": "-.->", "==": "==>"}[opener]
		return nil, p.errorf(start, from, "the link text after %q is never closed; write A %s text %s B, or A %s|text| B", opener, opener, example, plain)
	}
	end := i
	for end < le && p.src[end] == p.src[i] {
		end++
	}
	if body == '.' {
		end++ // the dash after the dots
	}
	arrowBody := string(p.src[i:end])
	if body == '.' {
		arrowBody = "-" + arrowBody
	}
	if c := p.at(end); c == '>' || c == 'x' || c == 'o' {
		end++
		arrowBody += string(c)
	} else if body != '.' && len(arrowBody) < 3 {
		return nil, p.errorf(i, end, "%q does not close the link text; write A %s text %s B", arrowBody, opener, example)
	}
	t := trimSpan(p.src, spec.Span{Start: from, End: i})
	if t.Start == t.End {
		return nil, p.errorf(start, end, "the link %q has an empty text", p.src[start:end])
	}
	if err := p.checkLinkText(t, "\""); err != nil {
		return nil, err
	}
	p.pos = end
	return &arrowTok{arrow: head + arrowBody, label: cleanLabel(string(p.src[t.Start:t.End])), span: spec.Span{Start: start, End: end}, labelSpan: t}, nil
}

// record notes an occurrence of node id and returns the node.
func (p *parser) record(id string, idSpan, occ spec.Span, label, shape string, labelSpan spec.Span) *Node {
	n := p.index[id]
	if n == nil {
		n = p.newNode()
		*n = Node{ID: id, Label: label, Shape: shape, Span: occ, LabelSpan: labelSpan, Refs: p.newRefs(), index: len(p.g.Nodes)}
		p.index[id] = n
		p.g.Nodes = append(p.g.Nodes, n)
	} else if n.Shape == "" && shape != "" {
		n.Label, n.Shape, n.Span, n.LabelSpan = label, shape, occ, labelSpan
	}
	n.Refs = append(n.Refs, idSpan)
	if k := len(p.open); k > 0 {
		s := p.open[k-1]
		for _, x := range s.Nodes {
			if x == id {
				return n
			}
		}
		s.Nodes = append(s.Nodes, id)
	}
	return n
}

// finish drops bare "nodes" that are really subgraph IDs used as link ends.
func (p *parser) finish() {
	if len(p.g.Subgraphs) == 0 {
		return
	}
	out := p.g.Nodes[:0]
	for _, n := range p.g.Nodes {
		if n.Shape == "" && p.g.Subgraph(n.ID) != nil {
			delete(p.index, n.ID)
			n.index = -1 // no longer a node: Ends and Index leave it out
			continue
		}
		n.index = len(out)
		out = append(out, n)
	}
	p.g.Nodes = out
	for _, s := range p.g.Subgraphs {
		keep := s.Nodes[:0]
		for _, id := range s.Nodes {
			if p.index[id] != nil {
				keep = append(keep, id)
			}
		}
		s.Nodes = keep
	}
}

func trimSpan(src string, s spec.Span) spec.Span {
	for s.Start < s.End && isBlank(src[s.Start]) {
		s.Start++
	}
	for s.End > s.Start && isBlank(src[s.End-1]) {
		s.End--
	}
	return s
}

var brTags = strings.NewReplacer("<br/>", " ", "<br />", " ", "<br>", " ", "\r\n", " ", "\n", " ")

// cleanLabel returns a label as shown: quotes and markdown-string
// backticks removed, <br> line breaks as spaces.
func cleanLabel(s string) string {
	if plainLabel(s) {
		return s // most labels: nothing to clean, and no copy
	}
	s = unquote(strings.TrimSpace(s))
	if len(s) >= 2 && s[0] == '`' && s[len(s)-1] == '`' {
		s = s[1 : len(s)-1]
	}
	return strings.Join(strings.Fields(brTags.Replace(s)), " ")
}

// plainLabel reports whether cleanLabel would return s as it is: printable
// ASCII, single spaces between words, no quote or backtick around it, no
// "<" that could start a <br>.
func plainLabel(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' || s[0] == '"' || s[0] == '`' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c > '~' || c == '<' || c == ' ' && s[i+1] == ' ' {
			return false
		}
	}
	return true
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// checkLinkText reports the first of bad in a link label: characters that
// end a label in mermaid unless it is quoted.
func (p *parser) checkLinkText(t spec.Span, bad string) error {
	text := p.src[t.Start:t.End]
	if len(text) >= 2 && text[0] == '"' && text[len(text)-1] == '"' {
		inner := text[1 : len(text)-1]
		if i := strings.IndexByte(string(inner), '"'); i >= 0 {
			return p.errorf(t.Start+1+i, t.Start+2+i, "a quote inside a quoted link label; use #quot; instead")
		}
		return nil
	}
	if i := strings.IndexAny(string(text), bad); i >= 0 {
		return p.errorf(t.Start+i, t.Start+i+1, "%q inside a link label must be quoted: write -->|\"...\"|", string(text[i]))
	}
	return nil
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
