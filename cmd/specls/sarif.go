package main

import (
	"encoding/json"
	"io"
	"path/filepath"

	"github.com/specls/specls/cmd/specls/internal/version"
	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
	"github.com/specls/specls/workspace"
)

// SARIF 2.1.0, the subset code-scanning services read.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool      `json:"tool"`
	Results    []sarifResult  `json:"results"`
	ColumnKind string         `json:"columnKind"`
	Properties map[string]any `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	HelpURI              string         `json:"helpUri"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifText       `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Properties       map[string]any  `json:"properties,omitempty"`
}

type sarifLocation struct {
	ID               int           `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifText    `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

func sarifLevel(s config.Severity) string {
	switch s {
	case config.Error:
		return "error"
	case config.Warning:
		return "warning"
	case config.Off:
		return "none"
	}
	return "note"
}

func sarifLoc(doc *spec.Document, path string, s spec.Span, names pathNames) sarifLocation {
	loc := location{1, 1, 1, 1}
	if doc != nil {
		loc = locate(doc, s, spec.UTF16)
	}
	return sarifLocation{PhysicalLocation: sarifPhysical{
		ArtifactLocation: sarifArtifact{URI: filepath.ToSlash(names.get(path))},
		Region:           sarifRegion{loc.Line, loc.Col, loc.EndLine, loc.EndCol},
	}}
}

type sarifReporter struct {
	w        io.Writer
	run      sarifRun
	index    map[string]int
	features []map[string]any
}

func newSARIFReporter(w io.Writer) *sarifReporter {
	all := rules.All()
	index := map[string]int{}
	driver := sarifDriver{Name: "specls", Version: version.String(), InformationURI: "https://github.com/specls/specls"}
	for i, r := range all {
		index[r.Code] = i
		help := r.Summary
		if r.Fix != "" {
			help += " Fix: " + r.Fix
		}
		props := map[string]any{}
		if r.Gate != "" {
			props["gate"] = r.Gate
		}
		driver.Rules = append(driver.Rules, sarifRule{
			ID: r.Code, Name: r.Code,
			ShortDescription:     sarifText{Text: r.Summary},
			FullDescription:      sarifText{Text: help},
			Help:                 sarifText{Text: help + " See " + r.Href(), Markdown: help + " See [docs/rules.md](" + r.Href() + ")."},
			HelpURI:              r.Href(),
			DefaultConfiguration: sarifConfig{Level: sarifLevel(r.Severity)},
			Properties:           props,
		})
	}
	return &sarifReporter{w: w, index: index, run: sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}, ColumnKind: "utf16CodeUnits"}}
}

func (s *sarifReporter) add(r workspace.Result) error {
	s.features = append(s.features, map[string]any{"dir": displayPath(r.Feature.Dir), "gates": r.Gates, "summary": diagnostics.Summary(r.Gates)})
	names := pathNames{}
	for _, f := range r.Findings {
		res := sarifResult{
			RuleID: f.Code, RuleIndex: s.index[f.Code], Level: sarifLevel(f.Severity),
			Message:   sarifText{Text: f.Text()},
			Locations: []sarifLocation{sarifLoc(docOf(r, f.Path), f.Path, f.Span, names)},
		}
		if f.Gate != "" {
			res.Properties = map[string]any{"gate": f.Gate}
		}
		for i, rel := range f.Related {
			l := sarifLoc(docOf(r, rel.Path), rel.Path, rel.Span, names)
			l.ID = i + 1
			l.Message = &sarifText{Text: rel.Message}
			res.RelatedLocations = append(res.RelatedLocations, l)
		}
		s.run.Results = append(s.run.Results, res)
	}
	return nil
}

func (s *sarifReporter) close() error {
	s.run.Properties = map[string]any{"features": s.features}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{s.run}}
	enc := json.NewEncoder(s.w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}
