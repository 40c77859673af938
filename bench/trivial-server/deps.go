//go:build deps

// Built with -tags deps (bench/startup.sh), the trivial server also links
// every package outside the standard library that specls's packages import,
// and so runs their package inits and starts a binary of their size: the
// floor of specls's start-up that specls's own code cannot go under.
// TestDepsAreSpecls keeps the list equal to what specls imports.
package main

import (
	_ "github.com/aymanbagabas/go-udiff"
	_ "github.com/bufbuild/protocompile/parser"
	_ "github.com/bufbuild/protocompile/reporter"
	_ "github.com/hashicorp/golang-lru/v2"
	_ "github.com/sabhiram/go-gitignore"
	_ "github.com/sashabaranov/go-openai"
	_ "github.com/yuin/goldmark/ast"
	_ "github.com/yuin/goldmark/extension/ast"
	_ "github.com/yuin/goldmark/parser"
	_ "github.com/yuin/goldmark/text"
	_ "github.com/yuin/goldmark/util"
	_ "go.lsp.dev/jsonrpc2"
	_ "go.lsp.dev/protocol"
	_ "go.lsp.dev/uri"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/term"
)
