module github.com/specls/specls

go 1.26

require (
	github.com/sabhiram/go-gitignore v0.0.0-20210923224102-525f6e181f06
	github.com/yuin/goldmark v1.8.7
	go.yaml.in/yaml/v3 v3.0.6
)

require github.com/stretchr/testify v1.11.1 // indirect
