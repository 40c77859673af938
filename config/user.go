package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/specls/specls/internal/safefile"
)

// User is the user-level configuration, $XDG_CONFIG_HOME/specls/config.yaml
// (~/.config/specls/config.yaml when XDG_CONFIG_HOME is not set). Unlike a
// workspace's .specls.yaml, which comes with whatever repository was
// cloned, it is the user's own: the AI endpoint and the key variable it
// names are trusted (docs/security.md).
type User struct {
	// AI is the user's endpoint; a workspace's ai settings lie on top.
	AI AI `yaml:"ai"`
	// Trust grants workspaces what they may not take by themselves.
	Trust Trust `yaml:"trust"`

	// Path is the file read ("" when there is none).
	Path string `yaml:"-"`
}

// Trust lists what the user grants every workspace.
type Trust struct {
	// Endpoints are AI base URLs a workspace may name without asking.
	Endpoints []string `yaml:"endpoints"`
	// APIKeyEnvs are variables a workspace's ai.api-key-env may name,
	// besides those matching *_API_KEY.
	APIKeyEnvs []string `yaml:"api-key-envs"`
}

// UserPath returns the path of the user-level configuration file, or ""
// when neither XDG_CONFIG_HOME nor HOME is set.
func UserPath(getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	if d := getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "specls", "config.yaml")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".config", "specls", "config.yaml")
	}
	return ""
}

// LoadUser reads the user-level configuration at path; a missing file (or
// path "") gives an empty one.
func LoadUser(path string) (*User, error) {
	u := &User{}
	if path == "" {
		return u, nil
	}
	src, err := safefile.Read(path, safefile.Options{MaxSize: maxConfigSize})
	if errors.Is(err, fs.ErrNotExist) {
		return u, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read user config: %w", err)
	}
	u.Path = path
	if len(bytes.TrimSpace(src)) == 0 {
		return u, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(u); err != nil && !errors.Is(err, io.EOF) {
		return nil, toError(path, err)
	}
	u.Path = path
	if p := u.AI.Provider; p != "" && p != "openai" && p != "azure" {
		return nil, &FileError{Path: path, Line: keyLine(src, "provider"), Msg: fmt.Sprintf("unknown ai provider %q (want openai or azure)", p)}
	}
	return u, nil
}
