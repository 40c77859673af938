package spec

import (
	"strings"
	"unicode"
)

// Normalize folds a heading for matching: lower case, punctuation dropped,
// runs of space collapsed. "Non-Goals (Out of Scope)" -> "non goals out of scope".
func Normalize(s string) string {
	// ASCII fast path: rules call this on every heading and cell, per keystroke.
	// Most are short: their buffer lives on the stack, and the result is
	// the one allocation.
	var stack [128]byte
	buf := stack[:0]
	if len(s) > len(stack) {
		buf = make([]byte, 0, len(s))
	}
	space, changed := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return normalizeUnicode(s)
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
			changed = true
		default:
			space, changed = true, true
			continue
		}
		if space && len(buf) > 0 {
			buf = append(buf, ' ')
		}
		space = false
		buf = append(buf, c)
	}
	if !changed {
		return s // already normalised: no copy
	}
	return string(buf)
}

// AppendNormalize appends Normalize(s) to dst: a caller that only looks
// the key up (m[string(b)] does not copy) allocates nothing.
func AppendNormalize(dst []byte, s string) []byte {
	start := len(dst)
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return append(dst[:start], normalizeUnicode(s)...)
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		default:
			space = true
			continue
		}
		if space && len(dst) > start {
			dst = append(dst, ' ')
		}
		space = false
		dst = append(dst, c)
	}
	return dst
}

func normalizeUnicode(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			space = false
			sb.WriteRune(unicode.ToLower(r))
		} else {
			space = true
		}
	}
	return sb.String()
}

// NearMiss reports whether two normalised headings differ only a little: a
// singular/plural difference, or an edit distance of at most 2 (1 for short
// titles) that is no more than a fifth of the length.
func NearMiss(a, b string) bool {
	if a == b || a == "" || b == "" {
		return false
	}
	if singular(a) == singular(b) || stems(a) == stems(b) {
		return true
	}
	d := Distance(a, b)
	n := max(len([]rune(a)), len([]rune(b)))
	limit := 2
	if n < 10 {
		limit = 1
	}
	return d <= limit && d*5 <= n
}

func singular(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		switch {
		case strings.HasSuffix(w, "ies") && len(w) > 4:
			words[i] = w[:len(w)-3] + "y"
		case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && len(w) > 3:
			words[i] = w[:len(w)-1]
		}
	}
	return strings.Join(words, " ")
}

// Distance is the Levenshtein distance between a and b, in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// HeadingKey is the key headings are matched to the template by: the
// normalised title without what authors add around a section's name.
// Leading numbering ("1.", "2)", "4.1", "Step 3:", "Section 2 -") and a
// trailing qualifier in parentheses or after a colon or a dash ("Data
// Models (Prisma Schema)", "API Endpoints — via Gateway") are dropped, so
// "## 2. Data Models (Prisma)" is the template's "## Data Models".
// Emphasis and code are already gone from titles (inlineText).
func HeadingKey(title string) string {
	return headingKey(strings.TrimSpace(title), "", false)
}

// headingKey is HeadingKey of a trimmed title; when known, key is its
// Normalize. The parser has that key already, and most titles have no
// numbering and no qualifier to strip: their key is then reused rather
// than built again.
func headingKey(title, key string, known bool) string {
	t := stripNumbering(title)
	core := stripQualifier(t)
	k := key
	if !known || core != title {
		k = Normalize(core)
		if k == "" {
			k = Normalize(t)
		}
	}
	if en, ok := headingSynonyms[k]; ok {
		return en
	}
	return k
}

// stripNumbering drops a leading section number: "1.", "2)", "4.1",
// "4.1.2.", "IV.", "A.", "Step 3:", "Section 2 -", "§ 3".
func stripNumbering(t string) string {
	s := strings.TrimLeft(t, "§ ")
	var lower string
	lowered := false
	for _, w := range numberingWords {
		if hasLowerPrefix(s, w, &lower, &lowered) {
			rest := strings.TrimLeft(s[len(w):], " ")
			if n := numberPrefix(rest); n > 0 {
				return trimSeparator(rest[n:], t)
			}
		}
	}
	if n := numberPrefix(s); n > 0 {
		rest := s[n:]
		// A bare number must be followed by a separator or a space, so that
		// "2FA Setup" or "3D Models" keep their names.
		if rest == "" || strings.ContainsRune(".):-–— ", rune(rest[0])) || strings.HasPrefix(rest, "–") || strings.HasPrefix(rest, "—") {
			return trimSeparator(rest, t)
		}
	}
	// Roman numerals and single capital letters followed by "." or ")".
	if i := strings.IndexAny(s, ".)"); i > 0 && i <= 4 && i+1 < len(s) && s[i+1] == ' ' {
		head := s[:i]
		if strings.Trim(head, "IVXLivxl") == "" || (len(head) == 1 && head[0] >= 'A' && head[0] <= 'Z') {
			return trimSeparator(s[i+1:], t)
		}
	}
	return t
}

// numberingWords are the words a section number may follow.
var numberingWords = [...]string{"step ", "section ", "part ", "chapter "}

// hasLowerPrefix reports whether strings.ToLower(s) starts with w, a
// lower-case ASCII word. When the first len(w) bytes of s are ASCII their
// lower case is those of ToLower(s), compared in place; else s is lowered
// once, into *lower. Every heading's key passes here, and lowering each
// title was an allocation per heading.
func hasLowerPrefix(s, w string, lower *string, lowered *bool) bool {
	if len(s) >= len(w) && isASCII(s[:len(w)]) {
		for i := 0; i < len(w); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != w[i] {
				return false
			}
		}
		return true
	}
	if !*lowered {
		*lower, *lowered = strings.ToLower(s), true
	}
	return strings.HasPrefix(*lower, w)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// numberPrefix returns the length of a leading "4", "4.1" or "4.1.2".
func numberPrefix(s string) int {
	n := 0
	for {
		d := 0
		for d < len(s[n:]) && s[n+d] >= '0' && s[n+d] <= '9' {
			d++
		}
		if d == 0 {
			// "4." followed by no digit: the dot is a separator.
			if n > 0 && s[n-1] == '.' {
				return n - 1
			}
			return n
		}
		n += d
		if n < len(s) && s[n] == '.' && n+1 < len(s) && s[n+1] >= '0' && s[n+1] <= '9' {
			n++
			continue
		}
		return n
	}
}

// trimSeparator drops the punctuation and space after a number; an empty
// remainder keeps the original title.
func trimSeparator(rest, orig string) string {
	r := strings.TrimLeft(rest, ".):-–— \t")
	if r == "" {
		return orig
	}
	return r
}

// stripQualifier drops a trailing "(...)" and what follows ": " or a
// spaced dash. A title that is nothing but a qualifier stays whole.
func stripQualifier(t string) string {
	if strings.HasSuffix(t, ")") {
		if i := strings.LastIndex(t, "("); i > 0 {
			t = strings.TrimSpace(t[:i])
		}
	}
	for _, sep := range []string{": ", " — ", " – ", " - ", " -- "} {
		if i := strings.Index(t, sep); i > 0 {
			t = strings.TrimSpace(t[:i])
		}
	}
	return strings.TrimRight(t, ":")
}

// stem folds the common English inflections of a word, so that "Testing
// Strategy" and "Test Strategy", "Data Model" and "Data Models" meet.
func stem(w string) string {
	switch {
	case len(w) > 5 && strings.HasSuffix(w, "ing"):
		w = w[:len(w)-3]
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		w = w[:len(w)-3] + "y"
	case len(w) > 4 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed"):
		w = w[:len(w)-2]
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	return w
}

// stems returns the normalised key with each word stemmed.
func stems(key string) string {
	words := strings.Fields(key)
	for i, w := range words {
		words[i] = stem(w)
	}
	return strings.Join(words, " ")
}

// SplitHeading splits a heading title into the numbering before its name,
// the name, and the qualifier after it: "2. Test Strategy (draft)" gives
// "2. ", "Test Strategy", " (draft)". A rename replaces only the name.
func SplitHeading(title string) (prefix, name, suffix string) {
	t := strings.TrimSpace(title)
	rest := stripNumbering(t)
	if rest == t {
		rest = t
	}
	core := stripQualifier(rest)
	if core == "" || !strings.HasPrefix(rest, core) || !strings.HasSuffix(t, rest) {
		return "", title, ""
	}
	start := len(t) - len(rest)
	return t[:start], core, t[start+len(core):]
}

// headingSynonyms maps section names written in another language (or an
// other common wording) to the English name the templates use, by key, so
// that a spec written in Portuguese or Spanish against an English template
// is matched section by section. Keys are Normalize'd.
var headingSynonyms = map[string]string{
	// Portuguese
	"visão geral": "overview", "objetivos": "goals", "metas": "goals", "metas e objetivos": "goals",
	"histórias de usuário": "user stories", "histórias do usuário": "user stories",
	"funcionalidades principais": "core features", "requisitos funcionais": "core features", "funcionalidades": "core features",
	"experiência do usuário": "user experience", "restrições técnicas de alto nível": "high level technical constraints",
	"restrições técnicas": "high level technical constraints", "fora de escopo": "non goals", "não metas": "non goals",
	"plano de lançamento": "phased rollout plan", "plano de lançamento em fases": "phased rollout plan",
	"métricas de sucesso": "success metrics", "riscos e mitigações": "risks and mitigations", "riscos": "risks and mitigations",
	"questões em aberto": "open questions", "perguntas em aberto": "open questions", "apêndice": "appendix",
	"resumo executivo": "executive summary", "arquitetura do sistema": "system architecture",
	"design de implementação": "implementation design", "interfaces principais": "core interfaces",
	"modelos de dados": "data models", "pontos de integração": "integration points", "análise de impacto": "impact analysis",
	"abordagem de testes": "testing approach", "estratégia de testes": "testing strategy",
	"sequenciamento de desenvolvimento": "development sequencing", "monitoramento e observabilidade": "monitoring and observability",
	"considerações técnicas": "technical considerations",
	// Spanish
	"resumen": "overview", "visión general": "overview", "historias de usuario": "user stories",
	"requisitos funcionales": "core features", "experiencia de usuario": "user experience", "fuera de alcance": "non goals",
	"métricas de éxito": "success metrics", "riesgos y mitigaciones": "risks and mitigations", "preguntas abiertas": "open questions",
	"modelos de datos": "data models", "estrategia de pruebas": "testing strategy",
}
