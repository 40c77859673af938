package config

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Limits bound the files specls checks, so that time and memory stay
// bounded on any input. Zero values mean the defaults (10 MB, 100 levels).
type Limits struct {
	// MaxFileSize is the largest spec file checked.
	MaxFileSize ByteSize `yaml:"max-file-size"`
	// MaxNesting is the deepest nesting of lists and block quotes.
	MaxNesting int `yaml:"max-nesting"`
}

// ByteSize is a size written as a number of bytes or with a unit: 512KB,
// 10MB, 1GB (powers of 1024).
type ByteSize int64

// UnmarshalYAML reads "10MB", "512KB" or a bare number of bytes; an empty
// value (an editor's untouched setting) means the default.
func (b *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	if strings.TrimSpace(n.Value) == "" {
		*b = 0
		return nil
	}
	v, err := ParseByteSize(n.Value)
	if err != nil {
		return lineError(n, err)
	}
	*b = v
	return nil
}

// ParseByteSize reads a size: a number of bytes, or one with KB, MB or GB.
func ParseByteSize(s string) (ByteSize, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("bad size %q (write e.g. 10MB or 512KB)", s)
	}
	return ByteSize(n * mult), nil
}

// maxConfigSize caps .specls.yaml and the user's config file: a
// configuration is a few KB.
const maxConfigSize = 1 << 20
