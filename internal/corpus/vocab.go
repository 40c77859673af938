package corpus

import "github.com/specls/specls/arch"

// The vocabulary the generator draws from: product domains, service names
// and the sentences that describe them. Realistic enough that a markdown
// parser and the rules see what they see in real specs (wrapped prose,
// nested lists, tables, fenced blocks of several languages).

type domain struct {
	name    string // "Clinic Appointment Scheduling"
	org     string // who uses it
	actor   string // primary user
	staff   string // internal user
	thing   string // what the feature is about
	things  string
	measure string // a measurable outcome
}

var domains = []domain{
	{"Clinic Appointment Scheduling", "Northside Health", "patient", "front-desk coordinator", "appointment", "appointments", "no-show rate"},
	{"Marketplace Order Checkout", "Bramble Market", "shopper", "seller", "order", "orders", "checkout conversion"},
	{"Freight Shipment Tracking", "Harbourline Logistics", "shipper", "dispatcher", "shipment", "shipments", "on-time delivery rate"},
	{"Subscription Billing", "Lumen Media", "subscriber", "billing analyst", "invoice", "invoices", "involuntary churn"},
	{"Warehouse Inventory Sync", "Cobalt Retail", "store manager", "stock planner", "stock level", "stock levels", "stock-out rate"},
	{"Restaurant Table Booking", "Saffron Group", "guest", "host", "reservation", "reservations", "table utilisation"},
	{"Insurance Claims Intake", "Meridian Mutual", "policyholder", "claims handler", "claim", "claims", "time to first decision"},
	{"Field Service Dispatch", "Voltline Utilities", "customer", "dispatcher", "work order", "work orders", "first-visit fix rate"},
	{"Loyalty Rewards", "Juniper Coffee", "member", "campaign manager", "reward", "rewards", "repeat visit rate"},
	{"Event Ticketing", "Redwood Arena", "fan", "box-office agent", "ticket", "tickets", "sell-through rate"},
	{"Employee Expense Reports", "Quarry Partners", "employee", "finance reviewer", "expense report", "expense reports", "reimbursement time"},
	{"Course Enrolment", "Larkspur University", "student", "registrar", "enrolment", "enrolments", "enrolment completion rate"},
	{"Parcel Locker Pickup", "Postal Nord", "recipient", "courier", "parcel", "parcels", "pickup success rate"},
	{"Car Sharing Trips", "Ampere Mobility", "driver", "fleet operator", "trip", "trips", "vehicle utilisation"},
	{"Pharmacy Refill Requests", "Greenleaf Pharmacy", "patient", "pharmacist", "refill", "refills", "refill turnaround"},
	{"Home Energy Reports", "Solstice Energy", "household", "energy advisor", "meter reading", "meter readings", "report open rate"},
}

// servicePrefixes × serviceQualifiers name up to a few hundred distinct
// services, enough for the largest generated specs.
var servicePrefixes = []string{
	"Identity", "Catalog", "Pricing", "Inventory", "Orders", "Payments", "Billing", "Ledger", "Fraud", "Search",
	"Notification", "Scheduling", "Shipping", "Routing", "Reporting", "Analytics", "Audit", "Consent", "Profile", "Media",
	"Documents", "Tariff", "Quota", "Loyalty", "Campaign", "Ticketing", "Capacity", "Dispatch", "Telemetry", "Geo",
	"Tax", "Refunds", "Disputes", "Partner", "Contracts", "Reviews", "Messaging", "Export", "Import", "Settlement",
}

// Every name has a qualifier, so no service name is a word of another's
// ("Tax" would be mentioned by "Tax Rules").
var serviceQualifiers = []string{"Core", "Intake", "Sync", "Query", "Archive", "Rules", "Jobs", "Batch"}

var purposes = []string{
	"owns the %s records and enforces their lifecycle rules",
	"answers every read of %s for the gateway and for other services",
	"keeps the history of %s changes and serves it to auditors",
	"validates incoming %s against the business rules before they are stored",
	"computes derived figures for %s and publishes them when they change",
	"manages the workflow state of %s from creation to closure",
}

var patternsSync = []string{"Request-Reply", "Request-Reply", "Streaming"}

var libraries = []struct{ name, version, license, role string }{
	{"fastapi", ">=0.110.0", "MIT", "REST layer and OpenAPI generation"},
	{"pydantic", ">=2.6.0", "MIT", "Validation of requests and settings"},
	{"uvicorn[standard]", ">=0.27.0", "BSD-3-Clause", "ASGI server"},
	{"grpcio", ">=1.62.0", "Apache-2.0", "gRPC server and clients"},
	{"grpcio-tools", ">=1.62.0", "Apache-2.0", "Stub generation"},
	{"protobuf", ">=4.25.0", "BSD-3-Clause", "Message types"},
	{"sqlalchemy", ">=2.0.25", "MIT", "Async ORM"},
	{"asyncpg", ">=0.29.0", "Apache-2.0", "PostgreSQL driver"},
	{"alembic", ">=1.13.0", "MIT", "Schema migrations"},
	{"redis", ">=5.0.1", "MIT", "Cache client"},
	{"aiokafka", ">=0.10.0", "Apache-2.0", "Event producers and consumers"},
	{"httpx", ">=0.27.0", "BSD-3-Clause", "Outbound HTTP client"},
	{"tenacity", ">=8.2.3", "Apache-2.0", "Retries with backoff"},
	{"opentelemetry-api", ">=1.22.0", "Apache-2.0", "Tracing API"},
	{"opentelemetry-instrumentation-fastapi", ">=0.43b0", "Apache-2.0", "Request spans"},
	{"prometheus-client", ">=0.19.0", "Apache-2.0", "Metrics"},
	{"structlog", ">=24.1.0", "MIT", "Structured JSON logs"},
	{"sentry-sdk", ">=1.40.0", "MIT", "Error reporting"},
}

// checklist is the seed's Python Production Checklist, as the rules read it.
var checklist = arch.DefaultChecklist

var people = []string{"Lena Fischer", "Amara Osei", "Tomás Ruiz", "Mei Lin", "Priya Nair", "Jonas Berg", "Aiko Tanaka", "Sam Okafor", "Elif Kaya", "Noah Brandt"}

// Sentence fragments for PRD prose. %[1]s is the actor, %[2]s the thing,
// %[3]s the things, %[4]s the organisation, %[5]s the staff role.
var prdSentences = []string{
	"Today a %[1]s who wants to change a %[2]s has to call %[4]s and wait for a %[5]s to pick up.",
	"Every %[2]s passes through at least three hands before it is confirmed, and each hand-over adds a day.",
	"The %[5]s team keeps a spreadsheet of open %[3]s that is out of date by the afternoon.",
	"Complaints about %[3]s make up a third of the messages the support desk receives each week.",
	"A %[1]s cannot see the state of a %[2]s without asking, so most questions are about status.",
	"Mistakes made at intake are found late, when correcting them costs the most.",
	"Peak weeks double the volume of %[3]s while the size of the %[5]s team stays the same.",
	"This feature lets the %[1]s do it alone, at any hour, and tells them at once what happens next.",
	"It gives the %[5]s one current view of every %[2]s so that nobody works from a copy.",
	"The first release covers the most common case end to end; rarer cases follow in later phases.",
	"We measured the current process over six weeks across four sites before writing this document.",
	"Accessibility and plain language matter as much as speed: many users read these screens on a phone.",
}

var uxSentences = []string{
	"The %[1]s starts from the home screen, where the most recent %[3]s are listed with their state.",
	"Each step fits on one screen and can be completed with a keyboard or a screen reader alone.",
	"Errors say what went wrong and what to do next, in the words the %[1]s used to ask.",
	"The %[5]s sees the same %[2]s with the actions they are allowed to take beside it.",
	"Times are shown in the local time zone of the site, with the user's own zone beside them.",
	"Nothing is lost when the connection drops: the form keeps what was typed until it is sent.",
	"Confirmation messages repeat the key facts so that the %[1]s can check them without opening the app.",
}
