package spec

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/specls/specls/internal/safefile"
)

// Codes of the findings about a spec file that is not checked at all.
const (
	CodeNotRegular     = string(safefile.NotRegular)
	CodeTooLarge       = string(safefile.TooLarge)
	CodeOutside        = string(safefile.OutsideRoot)
	CodeNotText        = "file-not-text"
	CodeNestingTooDeep = "nesting-too-deep"
)

// DefaultMaxDepth is the deepest nesting of lists and block quotes parsed
// when the configuration does not say otherwise. Real specs nest a few
// levels; thousands make the markdown parser take minutes.
const DefaultMaxDepth = 100

// Limits bound what a spec file may be before it is parsed. The zero
// value reads anywhere with the default caps.
type Limits struct {
	// Root, when set, is the workspace root every file must resolve inside.
	Root string
	// Granted are folders outside Root the user's command line reached
	// through folder links (safefile.Options.Granted).
	Granted []string
	// MaxSize is the largest file checked, in bytes (0: 10 MB).
	MaxSize int64
	// MaxDepth is the deepest nesting of lists and quotes (0: DefaultMaxDepth).
	MaxDepth int
	// Folders, when set, remembers the folders' real paths between reads
	// (safefile.Options.Folders): one check run sets it, the server not.
	Folders *safefile.Folders
}

// Read reads a file on disk within the limits: a regular file, inside
// Root, no larger than MaxSize.
func (l Limits) Read(path string) ([]byte, error) {
	return safefile.Read(path, safefile.Options{Root: l.Root, Granted: l.Granted, MaxSize: l.MaxSize, Folders: l.Folders})
}

// Refusal says why a spec file is not checked: it could not be read
// safely, or its content is not markdown text specls can parse in bounded
// time. A refused file is reported by one finding, and no fix touches it.
type Refusal struct {
	Code    string
	Message string
	// At is the byte offset the finding points at (the first bad byte).
	At int
}

// Screen returns why src, the content of path, is not checked, or nil.
// The size cap is the reader's (Read): it bounds what is read from disk,
// while a document open in the editor is already in memory.
func (l Limits) Screen(path string, src []byte) *Refusal {
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return &Refusal{Code: CodeNotText, At: i, Message: "this is not a text file (it holds a NUL byte); specls checks markdown text only and leaves it alone"}
	}
	if !utf8.Valid(src) {
		i := firstInvalid(src)
		return &Refusal{Code: CodeNotText, At: i, Message: fmt.Sprintf("invalid UTF-8 at byte %d (0x%02x); save the file as UTF-8 to have it checked", i, src[i])}
	}
	if i := loneCR(src); i >= 0 {
		// Rules and fixes split lines at LF; a file of lone CRs would be
		// one long line to them, and a fix would rewrite all of it.
		return &Refusal{Code: CodeNotText, At: i, Message: fmt.Sprintf("a lone carriage return (CR) line ending at byte %d; specls reads LF or CRLF line endings only: convert the file (e.g. with dos2unix) to have it checked", i)}
	}
	depth := l.MaxDepth
	if depth <= 0 {
		depth = DefaultMaxDepth
	}
	if at, ok := nestedDeeper(src, depth); ok {
		return &Refusal{Code: CodeNestingTooDeep, At: at, Message: fmt.Sprintf("lists or quotes nest more than %d levels deep here; specls skips the file (raise limits.max-nesting in .specls.yaml to check it)", depth)}
	}
	return nil
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return 0
}

// nestedDeeper reports the first line whose prefix of indentation, list
// markers and quote markers nests more than max levels, in one pass. It
// over-counts a little (every two columns of indentation before a marker
// count as a level), which only matters far past any real document.
func nestedDeeper(src []byte, max int) (int, bool) {
	for start := 0; start < len(src); {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		if lineDepth(src[start:end]) > max {
			return start, true
		}
		start = end + 1
	}
	return 0, false
}

func lineDepth(line []byte) int {
	depth, indent := 0, 0
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == ' ':
			indent++
		case c == '\t':
			indent += 4
		case c == '>':
			depth++
			i = skipBlank(line, i+1) - 1 // the space after a marker is not indentation
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			depth++
			i = skipBlank(line, i+1) - 1
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
				depth++
				i = skipBlank(line, j+1) - 1
				continue
			}
			return markerDepth(depth, indent)
		default:
			return markerDepth(depth, indent)
		}
	}
	return markerDepth(depth, indent)
}

// markerDepth counts indentation only on lines that nest by markers: an
// indented code line is not nesting.
func markerDepth(markers, indent int) int {
	if markers == 0 {
		return 0
	}
	return markers + indent/2
}

// refused is the document of a file that is not checked.
func refused(path string, text []byte, r *Refusal) *Document {
	return &Document{Path: path, Kind: KindOf(path), Text: text, Refused: r}
}

// loneCR returns the offset of the first CR not followed by LF, or -1.
func loneCR(src []byte) int {
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\r')
		if j < 0 {
			return -1
		}
		i += j
		if i+1 >= len(src) || src[i+1] != '\n' {
			return i
		}
		i++
	}
}

// skipBlank returns the index of the first byte at or after i that is not
// a space or tab.
func skipBlank(line []byte, i int) int {
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return i
}
