// Package arch is the architecture model of a tech spec: its services, the
// service dependency graph, the Communication Matrix, Data Ownership, the
// deployment phases, the Production Checklist and the libraries. The rules
// (diagnostics), the fix generators (codeactions) and the editor features
// (hover, go-to-definition) all read a tech spec through it, so they agree
// on what it says, and above all on which names are the same service: see
// SameService, the one name-matching function.
//
// Everything here is a pure function of a spec.Document; Model parses each
// artifact at most once per document.
//
// Imports point one way: spec <- config <- arch <- diagnostics <-
// codeactions <- server.
package arch
