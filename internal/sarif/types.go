package sarif

// The subset of the SARIF 2.1.0 object model this package writes. Field
// names follow the specification (OASIS SARIF v2.1.0, section 3).

// Log is a sarifLog object.
type Log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []*Run `json:"runs"`
}

// Run is a run object: one invocation of one tool.
type Run struct {
	Tool               Tool                        `json:"tool"`
	Invocations        []Invocation                `json:"invocations,omitempty"`
	OriginalURIBaseIDs map[string]ArtifactLocation `json:"originalUriBaseIds,omitempty"`
	Results            []Result                    `json:"results"`
	ColumnKind         string                      `json:"columnKind,omitempty"`
}

// Tool is a tool object.
type Tool struct {
	Driver ToolComponent `json:"driver"`
}

// ToolComponent is a toolComponent object.
type ToolComponent struct {
	Name           string                `json:"name"`
	Version        string                `json:"version,omitempty"`
	InformationURI string                `json:"informationUri,omitempty"`
	Rules          []ReportingDescriptor `json:"rules,omitempty"`
}

// ReportingDescriptor is a reportingDescriptor object: one rule.
type ReportingDescriptor struct {
	ID                   string                    `json:"id"`
	Name                 string                    `json:"name,omitempty"`
	ShortDescription     *MultiformatMessageString `json:"shortDescription,omitempty"`
	FullDescription      *MultiformatMessageString `json:"fullDescription,omitempty"`
	Help                 *MultiformatMessageString `json:"help,omitempty"`
	HelpURI              string                    `json:"helpUri,omitempty"`
	DefaultConfiguration *ReportingConfiguration   `json:"defaultConfiguration,omitempty"`
	Properties           map[string]any            `json:"properties,omitempty"`
}

// ReportingConfiguration is a reportingConfiguration object.
type ReportingConfiguration struct {
	Enabled bool   `json:"enabled"`
	Level   string `json:"level,omitempty"`
}

// ReportingDescriptorReference is a reportingDescriptorReference object.
type ReportingDescriptorReference struct {
	ID    string `json:"id,omitempty"`
	Index int    `json:"index"`
}

// MultiformatMessageString is a multiformatMessageString object.
type MultiformatMessageString struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

// Message is a message object.
type Message struct {
	Text string `json:"text"`
}

// Invocation is an invocation object.
type Invocation struct {
	CommandLine                string         `json:"commandLine,omitempty"`
	ExecutionSuccessful        bool           `json:"executionSuccessful"`
	ExitCode                   *int           `json:"exitCode,omitempty"`
	ToolExecutionNotifications []Notification `json:"toolExecutionNotifications,omitempty"`
}

// Notification is a notification object.
type Notification struct {
	Level          string                        `json:"level,omitempty"`
	Message        Message                       `json:"message"`
	AssociatedRule *ReportingDescriptorReference `json:"associatedRule,omitempty"`
}

// Result is a result object: one diagnostic.
type Result struct {
	RuleID           string         `json:"ruleId"`
	RuleIndex        *int           `json:"ruleIndex,omitempty"`
	Level            string         `json:"level,omitempty"`
	Message          Message        `json:"message"`
	Locations        []Location     `json:"locations,omitempty"`
	RelatedLocations []Location     `json:"relatedLocations,omitempty"`
	Fixes            []Fix          `json:"fixes,omitempty"`
	Properties       map[string]any `json:"properties,omitempty"`
}

// Location is a location object.
type Location struct {
	ID               int               `json:"id,omitempty"`
	PhysicalLocation *PhysicalLocation `json:"physicalLocation,omitempty"`
	Message          *Message          `json:"message,omitempty"`
}

// PhysicalLocation is a physicalLocation object.
type PhysicalLocation struct {
	ArtifactLocation ArtifactLocation `json:"artifactLocation"`
	Region           *Region          `json:"region,omitempty"`
}

// ArtifactLocation is an artifactLocation object.
type ArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// Region is a region object: text (line/column) or binary (byte offsets).
type Region struct {
	StartLine   int  `json:"startLine,omitempty"`
	StartColumn int  `json:"startColumn,omitempty"`
	EndLine     int  `json:"endLine,omitempty"`
	EndColumn   int  `json:"endColumn,omitempty"`
	ByteOffset  *int `json:"byteOffset,omitempty"`
	ByteLength  *int `json:"byteLength,omitempty"`
}

// Fix is a fix object: a proposed change.
type Fix struct {
	Description     *Message         `json:"description,omitempty"`
	ArtifactChanges []ArtifactChange `json:"artifactChanges"`
}

// ArtifactChange is an artifactChange object.
type ArtifactChange struct {
	ArtifactLocation ArtifactLocation `json:"artifactLocation"`
	Replacements     []Replacement    `json:"replacements"`
}

// Replacement is a replacement object.
type Replacement struct {
	DeletedRegion   Region           `json:"deletedRegion"`
	InsertedContent *ArtifactContent `json:"insertedContent,omitempty"`
}

// ArtifactContent is an artifactContent object.
type ArtifactContent struct {
	Text string `json:"text"`
}
