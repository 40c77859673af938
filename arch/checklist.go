package arch

import "github.com/specls/specls/spec"

// DefaultChecklist is the seed's Python Production Checklist.
var DefaultChecklist = []string{
	"Python 3.11+ with async/await throughout",
	"UV for dependency management",
	"FastAPI with Pydantic V2 validation",
	"SQLAlchemy 2.0 with async support",
	"gRPC with Protocol Buffers v3",
	"Structured logging with contextual data",
	"OpenTelemetry for distributed tracing",
	"pytest with async fixtures",
	"Type hints with mypy validation",
	"Ruff for linting and formatting",
	"Docker multi-stage builds",
	"Kubernetes readiness/liveness probes",
	"Prometheus metrics exposed",
	"Error handling with Sentry integration",
}

// ChecklistSection returns the Python Production Checklist section, or nil.
func ChecklistSection(d *spec.Document) *spec.Section {
	return FindSection(d, "python production checklist", "production checklist", "production readiness checklist", "production readiness")
}

// ChecklistTasks returns the task items of the checklist section.
func ChecklistTasks(d *spec.Document, sec *spec.Section) []*spec.TaskItem {
	var tasks []*spec.TaskItem
	for _, t := range d.Tasks {
		if sec.Span.Start <= t.Span.Start && t.Span.Start < sec.Span.End {
			tasks = append(tasks, t)
		}
	}
	return tasks
}
