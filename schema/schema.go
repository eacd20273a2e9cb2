// Package schema holds the JSON Schema (draft-07) of netrun scenario files.
//
// Editors use it through yaml-language-server for completion, hovers and
// checks while a scenario is written:
//
//	# yaml-language-server: $schema=../schema/scenario.schema.json
//
// The loader in package engine is the authority on what a valid file is; the
// schema describes the same format for editors and is kept in step with it
// and with docs/format.md.
package schema

import (
	_ "embed" // for the schema file
)

//go:embed scenario.schema.json
var schemaJSON []byte

// JSON returns the scenario JSON Schema, draft-07, as printed by
// `netrun schema`. Each call returns a fresh copy that the caller may keep
// or change.
func JSON() []byte {
	return append([]byte(nil), schemaJSON...)
}
