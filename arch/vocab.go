package arch

import (
	"strings"
	"sync"

	"github.com/specls/specls/internal/lazyregexp"
)

// The technology vocabulary: every word table the rules and the generators
// use to tell a service from a data store, a broker, a client or an
// external system, and a protocol from prose. One file, so that a word
// added for one rule counts for every rule and every generator.
//
// Tables of normalised phrases are matched as whole words against a name
// split by NameWords ("OrdersDB" -> "orders db"), never as substrings, so
// "Redistribution Service" is no Redis and "Postmaster" no Postgres.

// serviceSuffixes end a name without changing which service it names:
// "Auth Service", "auth-svc" and "AuthMS" are "auth".
var serviceSuffixes = map[string]bool{"service": true, "services": true, "svc": true, "microservice": true, "ms": true}

// mentionSuffixes are serviceSuffixes as prose may drop them when it
// mentions a service ("deploy Auth" for Auth Service). "ms" is left out:
// in prose it is milliseconds.
var mentionSuffixes = map[string]bool{"service": true, "services": true, "svc": true, "microservice": true}

// qualifierWords may lead or end a service name without changing which
// service it is: "API Gateway" ~ "Gateway", "Orders API" ~ "Orders".
var qualifierWords = map[string]bool{"api": true, "core": true, "backend": true, "internal": true, "grpc": true, "http": true, "rest": true, "main": true, "app": true, "server": true}

// serviceWords mark a graph node that is named like a service ("Billing
// Worker", "OrderService"): when nothing defines it, graph-service-undefined
// reports it and the Service Definitions generator writes it.
var serviceWords = []string{"service", "services", "svc", "microservice", "worker", "consumer", "processor", "daemon"}

// serviceHeadingWords keep a heading under Service Definitions a service
// even when it also has a sharedHeadingWords word ("Notification Service
// Overview").
var serviceHeadingWords = []string{"service", "services", "svc", "worker", "api", "gateway"}

// sharedHeadingWords mark a heading under Service Definitions that
// introduces shared material, not a service.
var sharedHeadingWords = []string{"overview", "summary", "shared", "common", "cross cutting", "conventions", "notes", "template", "patterns", "libraries", "glossary"}

// infraWords mark a node or name as infrastructure, a client or an external
// system rather than a service of the spec.
var infraWords = []string{
	"kafka", "redis", "postgres", "postgresql", "pg", "mysql", "mariadb", "mongo", "mongodb", "cassandra", "dynamodb",
	"elasticsearch", "opensearch", "rabbitmq", "nats", "sqs", "sns", "s3", "minio", "gcs", "blob", "memcached", "clickhouse",
	"bigquery", "snowflake", "db", "database", "databases", "cache", "queue", "queues", "topic", "topics", "bus", "stream", "streams",
	"broker", "storage", "bucket", "vault", "etcd", "consul", "zookeeper", "gateway", "ingress", "load balancer", "lb", "cdn",
	"kong", "traefik", "envoy", "nginx", "istio", "linkerd", "external", "third party", "3rd party", "stripe", "twilio",
	"sendgrid", "firebase", "apns", "fcm", "openai", "llm", "client", "clients", "browser", "mobile", "web app", "frontend",
	"spa", "ui", "prometheus", "grafana", "jaeger", "tempo", "loki", "otel", "collector", "sentry",
	"idp", "identity provider", "auth0", "okta", "keycloak", "smtp", "provider", "psp", "warehouse", "data lake", "lake",
	"cron", "scheduler", "k8s", "kubernetes", "registry", "schema registry", "event store", "event stream", "event bus",
	"webhook", "partner", "bank",
}

// outsideWords mark a node as a system outside the feature, even in
// parentheses: "Order Service (existing)".
var outsideWords = []string{"existing", "legacy", "external", "upstream", "third party", "3rd party", "outside", "partner"}

// passiveWords mark a node that never calls anything: a broker (data
// stores are passive too). An edge out of one ("Events --> Billing") is
// data flowing to a consumer, which depends on it, not the other way round.
var passiveWords = []string{"kafka", "rabbitmq", "nats", "sqs", "sns", "topic", "topics", "queue", "queues", "bus", "stream",
	"streams", "broker", "events", "event stream", "event bus", "event store", "pubsub", "pub sub"}

// dataStoreWords mark a node as a data store: edges to it are data access,
// not communication the matrix must list, and the generators draw it as a
// cylinder.
var dataStoreWords = []string{"postgres", "postgresql", "pg", "mysql", "mariadb", "mongo", "mongodb", "cassandra", "dynamodb",
	"elasticsearch", "opensearch", "s3", "minio", "gcs", "blob", "memcached", "clickhouse", "bigquery", "snowflake", "db",
	"database", "databases", "cache", "redis", "storage", "bucket", "warehouse", "lake", "data lake", "store", "datastore", "sqlite"}

// Protocol families, for comparing an edge label with a matrix cell.
const (
	ProtoGRPC    = "gRPC"
	ProtoREST    = "REST"
	ProtoKafka   = "Kafka"
	ProtoGraphQL = "GraphQL"
)

// protocolWords name the protocol family of a label or cell, first match
// wins (so "gRPC over HTTP/2" is gRPC).
var protocolWords = []struct {
	name  string
	words []string
}{
	{ProtoGRPC, []string{"grpc", "grpc web", "protobuf"}},
	{ProtoKafka, []string{"kafka", "kafka topic", "aiokafka"}},
	{"AMQP", []string{"amqp", "rabbitmq", "rabbit"}},
	{"NATS", []string{"nats", "jetstream"}},
	{"SQS", []string{"sqs", "sns"}},
	{ProtoGraphQL, []string{"graphql"}},
	{"WebSocket", []string{"websocket", "websockets", "ws", "wss"}},
	{ProtoREST, []string{"rest", "http", "https", "openapi", "json http", "webhook", "webhooks"}},
	{"SQL", []string{"sql", "asyncpg", "postgres", "postgresql", "tcp"}},
	{"Redis", []string{"redis", "resp"}},
}

// syncFamilies are the protocol families of a synchronous call;
// asyncFamilies those of messaging.
var (
	syncFamilies  = map[string]bool{ProtoGRPC: true, ProtoREST: true, ProtoGraphQL: true}
	asyncFamilies = map[string]bool{ProtoKafka: true, "AMQP": true, "NATS": true, "SQS": true}
)

// protocolSpellings are the protocols a "Dependencies:" line may name, as
// the generators write them: the label of a generated edge keeps the
// author's protocol ("HTTP" stays HTTP, where ProtocolOf says REST).
var protocolSpellings = map[string]string{
	"grpc": "gRPC", "rest": "REST", "http": "HTTP", "https": "HTTPS", "graphql": "GraphQL",
	"websocket": "WebSocket", "websockets": "WebSocket", "kafka": "Kafka", "rabbitmq": "RabbitMQ",
	"amqp": "AMQP", "nats": "NATS", "sqs": "SQS", "sns": "SNS", "pub/sub": "Pub/Sub", "redis": "Redis", "sql": "SQL",
}

// protocolSpelling finds the first protocol of protocolSpellings in text.
var protocolSpelling = lazyregexp.New(`(?i)\b(grpc|rest|https?|graphql|websockets?|kafka|rabbitmq|amqp|nats|sqs|sns|pub/sub|redis|sql)\b`)

// infraProtocols give the protocol of an edge to infrastructure that the
// spec leaves unsaid, by a substring of the target's label; first match
// wins.
var infraProtocols = []struct{ sub, protocol string }{
	{"kafka", "Kafka"}, {"rabbit", "AMQP"}, {"nats", "NATS"}, {"redis", "Redis"},
	{"postgres", "SQL"}, {"mysql", "SQL"}, {"sql", "SQL"}, {"mongo", "MongoDB"},
}

// messagingPattern marks a protocol label of publish/subscribe messaging,
// for the Pattern column the generators write.
var messagingPattern = lazyregexp.New(`(?i)kafka|rabbit|amqp|nats|sqs|sns|pub.?sub|event|async|queue|topic`)

// databaseEngines are the database engines a Data Ownership cell or a
// service's section may name. Words are whole words; Proposed engines are
// the ones the Data Ownership generator writes for a service that names
// one (the others are stores, not a service's database).
var databaseEngines = []struct {
	Name     string
	Words    []string
	Proposed bool
}{
	{"PostgreSQL", []string{"postgresql", "postgres", "pg", "asyncpg"}, true},
	{"MySQL", []string{"mysql", "mariadb"}, true},
	{"MongoDB", []string{"mongodb", "mongo"}, true},
	{"DynamoDB", []string{"dynamodb"}, true},
	{"Cassandra", []string{"cassandra"}, true},
	{"SQLite", []string{"sqlite"}, true},
	{"Redis", []string{"redis"}, true},
	{"Valkey", []string{"valkey"}, false},
	{"Elasticsearch", []string{"elasticsearch"}, false},
	{"OpenSearch", []string{"opensearch"}, false},
	{"ClickHouse", []string{"clickhouse"}, false},
	{"S3", []string{"s3"}, false},
	{"MinIO", []string{"minio"}, false},
	{"Memcached", []string{"memcached"}, false},
	{"TimescaleDB", []string{"timescaledb"}, false},
}

// databaseRoleWords say what a database cell names without naming the
// instance: "PostgreSQL (orders_db)" and "orders managed database" are both
// the instance "orders".
var databaseRoleWords = map[string]bool{"database": true, "databases": true, "db": true, "instance": true, "cluster": true, "server": true, "managed": true, "rds": true, "aurora": true,
	"cloud": true, "sql": true, "primary": true, "replica": true, "replicas": true, "read": true, "schema": true, "keyspace": true, "namespace": true, "cache": true, "caching": true,
	"store": true, "storage": true, "the": true, "a": true, "an": true, "own": true, "its": true, "dedicated": true, "separate": true, "per": true, "service": true, "for": true, "with": true, "and": true, "ha": true}

// noDataWords, as a whole normalised cell, say a service owns no data.
var noDataWords = map[string]bool{"": true, "none": true, "n a": true, "na": true, "stateless": true, "no": true, "none stateless": true, "nothing": true}

// engineWordsRe matches a Proposed engine's word, for the generators.
var engineWordsRe = func() []*lazyregexp.Regexp {
	out := make([]*lazyregexp.Regexp, len(databaseEngines))
	for i, e := range databaseEngines {
		out[i] = lazyregexp.New(`(?i)\b(?:` + strings.Join(e.Words, "|") + `)\b`)
	}
	return out
}()

// engineSuffix is " in PostgreSQL" at the end of a schema line.
var engineSuffix = func() *lazyregexp.Regexp {
	var words []string
	for _, e := range databaseEngines {
		if e.Proposed {
			words = append(words, e.Words...)
		}
	}
	return lazyregexp.New(`(?i)\s+(in|on|using|with)\s+(` + strings.Join(words, "|") + `)$`)
}()

// graphHeadingWords name the section that holds the dependency graph.
var graphHeadingWords = []string{"dependency graph", "dependencies graph", "service graph", "service topology", "topology", "architecture diagram", "service map"}

// ImplementationWords name implementation technologies, and nothing else
// in any case: a PRD that names one leaks the design into the
// requirements (prd-implementation). None is longer than 16 bytes: the
// rule looks words up in a fixed buffer. ImplementationPairs are the
// two-word ones, by their first word.
var (
	ImplementationWords = strings.Fields("fastapi django sqlalchemy pydantic uvicorn asyncpg alembic postgresql postgres mysql mariadb mongodb redis dynamodb cassandra elasticsearch opensearch sqlite kafka rabbitmq grpc protobuf graphql websocket websockets kubernetes k8s docker helm terraform nginx istio envoy openapi swagger microservice microservices celery memcached clickhouse snowflake")
	ImplementationPairs = map[string]string{"protocol": "buffers", "aws": "lambda"}
)

// Communication Matrix patterns, as the rules and generators write them.
const (
	PatternRequestReply = "Request-Reply"
	PatternStreaming    = "Streaming"
	PatternPubSub       = "Pub-Sub"
)

// MatrixProtocols and MatrixPatterns are the values editors offer for a
// Communication Matrix's Protocol and Pattern columns.
var (
	MatrixProtocols = []string{ProtoGRPC, ProtoREST, ProtoKafka, "RabbitMQ", "NATS", "WebSocket", ProtoGraphQL}
	MatrixPatterns  = []string{PatternRequestReply, PatternStreaming, PatternPubSub, "Bidirectional Streaming", "Fire-and-Forget"}
)

// The tables above that name nodes, made quick to test (mentionsWords);
// built on first use, not at every start of specls.
var (
	infraTable     = sync.OnceValue(func() *wordTable { return newWordTable(infraWords) })
	dataStoreTable = sync.OnceValue(func() *wordTable { return newWordTable(dataStoreWords) })
	passiveTable   = sync.OnceValue(func() *wordTable { return newWordTable(passiveWords) })
	serviceTable   = sync.OnceValue(func() *wordTable { return newWordTable(serviceWords) })
)

// ExistingLabel is the mermaid declaration that marks a graph node as a
// system that exists outside the feature: Pay["Payments Service
// (existing)"]. The label is quoted, since its parentheses would otherwise
// open a shape; a double quote inside it becomes a single one.
func ExistingLabel(id, label string) string {
	return id + `["` + strings.ReplaceAll(label, `"`, "'") + ` (existing)"]`
}
