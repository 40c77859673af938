package main

import (
	"encoding/json"
	"runtime"
	"strconv"
	"unicode/utf8"

	"github.com/specls/specls/spec"
)

// The JSON report, written as encoding/json's Encoder with SetIndent("",
// "  ") writes the jsonReport structs, byte for byte (TestJSONWriterSame),
// but without reflection and without indenting a copy of the whole report
// afterwards: a tech spec may have 50,000 findings. Strings that need
// escaping are escaped by encoding/json itself.

// jsonOut appends indented JSON to b.
type jsonOut struct {
	b     []byte
	depth int
	more  bool // the open object or array already has a member
}

func (o *jsonOut) newline() {
	o.b = append(o.b, '\n')
	for range o.depth {
		o.b = append(o.b, "  "...)
	}
}

// open starts an object or array ('{' or '[').
func (o *jsonOut) open(c byte) {
	o.b = append(o.b, c)
	o.depth++
	o.more = false
}

// close ends it; an empty one stays "{}" or "[]".
func (o *jsonOut) close(c byte) {
	o.depth--
	if o.more {
		o.newline()
	}
	o.b = append(o.b, c)
	o.more = true
}

// elem starts an array element.
func (o *jsonOut) elem() {
	if o.more {
		o.b = append(o.b, ',')
	}
	o.newline()
	o.more = true
}

// key starts an object member; k is one of the report's field names,
// which need no escaping.
func (o *jsonOut) key(k string) {
	o.elem()
	o.b = append(o.b, '"')
	o.b = append(o.b, k...)
	o.b = append(o.b, `": `...)
}

func (o *jsonOut) str(k, v string) {
	o.key(k)
	o.b = appendJSONString(o.b, v)
}

func (o *jsonOut) int(k string, v int) {
	o.key(k)
	o.b = strconv.AppendInt(o.b, int64(v), 10)
}

func (o *jsonOut) span(k string, s spec.Span) {
	o.key(k)
	o.open('{')
	o.int("start", s.Start)
	o.int("end", s.End)
	o.close('}')
}

// value appends v as encoding/json indents it at this depth.
func (o *jsonOut) value(k string, v any) error {
	o.key(k)
	prefix := make([]byte, 0, 2*o.depth)
	for range o.depth {
		prefix = append(prefix, "  "...)
	}
	b, err := json.MarshalIndent(v, string(prefix), "  ")
	if err != nil {
		return err
	}
	o.b = append(o.b, b...)
	return nil
}

// appendJSONString appends s quoted as encoding/json quotes it (HTML
// characters escaped, invalid UTF-8 replaced); the common string that
// needs no escaping is copied as it is.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return appendMarshalled(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return appendMarshalled(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendMarshalled(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

// chunks holds the encoded report in blocks: a report of tens of
// megabytes is never copied to grow it.
type chunks struct{ blocks [][]byte }

const chunkSize = 1 << 20

// flushAt is the size at which appendFeature moves its encoding to the
// chunks (tests make it small).
var flushAt = 32 << 10

func (c *chunks) write(p []byte) {
	for len(p) > 0 {
		if n := len(c.blocks); n == 0 || len(c.blocks[n-1]) == cap(c.blocks[n-1]) {
			c.blocks = append(c.blocks, make([]byte, 0, chunkSize))
		}
		// What fits fills the last block; the rest starts the next one.
		last := &c.blocks[len(c.blocks)-1]
		k := min(len(p), cap(*last)-len(*last))
		*last = append(*last, p[:k]...)
		p = p[k:]
	}
}

// appendFeature appends one feature of the report at the depth of the
// report's features array. With out set, the encoding is handed to it
// every few findings and b stays small.
func appendFeature(b []byte, f *jsonFeature, out func([]byte)) ([]byte, error) {
	o := jsonOut{b: b, depth: 2}
	o.newline()
	o.open('{')
	o.str("dir", f.Dir)
	o.str("slug", f.Slug)
	if f.Profile != "" {
		o.str("profile", f.Profile)
	}
	if f.Template != "" {
		o.str("template", f.Template)
	}
	if err := o.value("gates", f.Gates); err != nil {
		return b, err
	}
	o.str("summary", f.Summary)
	o.key("findings")
	if f.Findings == nil && f.finder == nil {
		o.b = append(o.b, "null"...)
	} else {
		o.open('[')
		n := len(f.Findings)
		var fill func(int, *jsonFinding)
		if f.finder != nil {
			n = f.count
		}
		if f.finder != nil && n >= parallelFrom && out != nil {
			out(o.b)
			o.b = o.b[:0]
			appendFindingsParallel(&o, n, f.finder, out)
			n = 0
		} else if f.finder != nil {
			fill = f.finder()
		}
		var one jsonFinding // fill's record, reused
		for i := range n {
			if fill != nil {
				fill(i, &one)
				appendFinding(&o, &one)
			} else {
				appendFinding(&o, &f.Findings[i])
			}
			if out != nil && len(o.b) >= flushAt {
				out(o.b)
				o.b = o.b[:0]
			}
		}
		o.close(']')
	}
	o.close('}')
	return o.b, nil
}

// parallelFrom is the number of findings of a feature from which they are
// encoded on every CPU: 50,000 findings take a fifth of a second on one
// (issue 16). Tests lower it.
var parallelFrom = 4096

// parallelBlock is how many findings one goroutine encodes at a time.
var parallelBlock = 1024

// appendFindingsParallel encodes findings 0..n-1 as the elements of the
// array o has just opened, in blocks spread over the CPUs, and hands them
// to out in order. Each goroutine takes every W-th block into one of its
// own two buffers, which out's caller gives back once written: a
// goroutine is never more than two blocks ahead, and the next block due
// is never kept waiting for a buffer.
func appendFindingsParallel(o *jsonOut, n int, finder func() func(int, *jsonFinding), out func([]byte)) {
	blocks := (n + parallelBlock - 1) / parallelBlock
	workers := max(1, min(runtime.GOMAXPROCS(0), blocks))
	done := make([]chan []byte, workers)
	free := make([]chan []byte, workers)
	for w := range workers {
		done[w], free[w] = make(chan []byte, 2), make(chan []byte, 2)
		for range 2 {
			// About 500 bytes a finding: the buffers are not grown step by step.
			free[w] <- make([]byte, 0, 512*min(n, parallelBlock))
		}
		go func() {
			fill := finder()
			var one jsonFinding
			for k := w; k < blocks; k += workers {
				b := jsonOut{b: <-free[w], depth: o.depth, more: k > 0}
				for i := k * parallelBlock; i < min(n, (k+1)*parallelBlock); i++ {
					fill(i, &one)
					appendFinding(&b, &one)
				}
				done[w] <- b.b
			}
		}()
	}
	for k := range blocks {
		b := <-done[k%workers]
		out(b)
		free[k%workers] <- b[:0]
	}
	o.more = n > 0
}

func appendFinding(o *jsonOut, f *jsonFinding) {
	o.elem()
	o.open('{')
	o.str("path", f.Path)
	o.str("code", f.Code)
	o.str("severity", f.Severity)
	if f.Gate != "" {
		o.str("gate", f.Gate)
	}
	o.str("message", f.Message)
	if f.Advice != "" {
		o.str("advice", f.Advice)
	}
	o.key("range")
	o.open('{')
	o.int("startLine", f.Range.StartLine)
	o.int("startColumn", f.Range.StartCol)
	o.int("endLine", f.Range.EndLine)
	o.int("endColumn", f.Range.EndCol)
	o.close('}')
	o.span("span", f.Span)
	if len(f.Related) > 0 {
		o.key("related")
		o.open('[')
		for _, r := range f.Related {
			o.elem()
			o.open('{')
			o.str("path", r.Path)
			o.span("span", r.Span)
			o.str("message", r.Message)
			o.close('}')
		}
		o.close(']')
	}
	o.close('}')
}

// reportHead and reportTail are the report around its features: n
// features encoded by appendFeature and separated by commas.
func reportHead(rep *jsonReport) []byte {
	o := jsonOut{}
	o.open('{')
	o.int("version", rep.Version)
	o.key("features")
	return append(o.b, '[')
}

func reportTail(rep *jsonReport, n int) []byte {
	o := jsonOut{depth: 1, more: true}
	if n > 0 {
		o.b = append(o.b, "\n  "...)
	}
	o.b = append(o.b, ']')
	o.int("errors", rep.Errors)
	o.int("warnings", rep.Warnings)
	o.int("notes", rep.Notes)
	o.close('}')
	return append(o.b, '\n')
}
