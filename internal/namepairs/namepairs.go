// Package namepairs is the one table of service-name pairs that every
// consumer of name matching is tested against: the rules (diagnostics),
// the fix generators (codeactions) and go-to-definition (server/assist),
// through arch.SameService and arch.NamesNode. When a pair's answer
// changes, it changes for all of them.
package namepairs

// Pair is two names and whether they stand for the same service.
type Pair struct {
	A, B string
	Same bool
}

// Pairs are names as Service Definitions headings, table cells and prose
// write them. No name holds ",", "/", "&", "+" or " and ": a Data
// Ownership cell splits there.
var Pairs = []Pair{
	{"Orders Service", "Orders", true},
	{"Orders Service", "orders-service", true},
	{"Orders Service", "OrdersService", true},
	{"Orders Service", "orders_svc", true},
	{"Orders Service", "Orders API", true},
	{"Orders Service", "The Orders Service", true},
	{"Orders Service", "Orders Service (v2)", true},
	{"API Gateway", "Gateway", true},
	{"Core Billing Service", "Billing", true},
	{"Auth Service", "AuthService", true},
	{"Auth Service", "auth", true},
	{"Notification Worker", "Notification Worker", true},
	// Different services, however alike.
	{"Orders", "Order Service", false}, // no plural folding: "News" is not "New"
	{"Users Service", "User Service", false},
	{"Tax Service", "Tax Rules Service", false},
	{"Fraud Check Service", "FraudSvc", false},
	{"Auth Service", "Authorization Service", false},
	{"Billing", "Ledger", false},
	{"Orders Service", "Order Events", false},
}

// NodePair is a name and a mermaid node ID[Label], and whether the name
// names the node.
type NodePair struct {
	Name, ID, Label string
	Same            bool
}

// NodePairs: a node is named by its ID, its label, or any name that is
// the same service as either.
var NodePairs = []NodePair{
	{"Orders Service", "Orders", "Order Service", true}, // by the ID
	{"Order Service", "Orders", "Order Service", true},  // by the label
	{"orders-service", "Orders", "Order Service", true},
	{"Orders", "Orders", "Order Service", true},
	{"Auth Service", "AuthSvc", "AuthSvc", true},
	{"API Gateway", "GW", "Gateway", true},
	{"Billing Service", "Bill", "Invoices", false},
	{"Tax Service", "TaxRules", "Tax Rules Service", false},
	{"Users", "U", "User Service", false},
}
