package schema_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/netrunhq/netrun/schema"
)

// stepsDir holds the protocol plugins, whose option structs are the truth
// about the keys each shape takes.
const stepsDir = "../steps"

// TestProtocolShapes checks the keys of each protocol shape in the schema
// against the yaml tags of the Go struct that the plugin decodes it into,
// read from the plugin's source, so that an option added to a plugin (or
// renamed) shows up here until the schema has it too.
func TestProtocolShapes(t *testing.T) {
	shapes := []struct {
		def   string   // definition in the schema
		types []string // package.Type of the plugin structs, whose keys are united
	}{
		{"tlsClient", []string{"tlsconf.Options"}},
		{"streamExpectMapping", []string{"wire.Expect"}},
		{"smtpAuth", []string{"smtp.authOptions"}},
		{"pop3Auth", []string{"netconn.Auth"}},
		{"imapAuth", []string{"netconn.Auth"}},
		{"auth", []string{"smtp.authOptions", "netconn.Auth"}},
		{"smtpSend", []string{"smtp.sendSpec"}},
		{"smtpMail", []string{"mailform.Mail"}},
		{"mailAttachment", []string{"mailform.Attachment"}},
		{"smtpExpectMapping", []string{"lineproto.Expect"}},
		{"pop3Send", []string{"pop3.sendSpec"}},
		{"pop3ExpectMapping", []string{"pop3.expectSpec"}},
		{"pop3FetchMapping", []string{"pop3.fetchSpec"}},
		{"imapSend", []string{"imap.sendSpec"}},
		{"imapAppend", []string{"imap.appendSpec"}},
		{"imapMail", []string{"mailform.Message"}},
		{"imapDeleteMapping", []string{"imap.deleteSpec"}},
		{"imapMove", []string{"imap.moveSpec"}},
		{"imapFetchMapping", []string{"imap.fetchSpec"}},
		{"imapSearch", []string{"imap.searchSpec"}},
		{"ftpAuth", []string{"netconn.Auth"}},
		{"ftpSend", []string{"ftp.sendSpec"}},
		{"ftpUpload", []string{"ftp.uploadSpec"}},
		{"ftpRename", []string{"ftp.renameSpec"}},
		{"ftpFetchMapping", []string{"ftp.fetchSpec"}},
		{"httpAuth", []string{"netconn.Auth"}},
		{"httpSend", []string{"httpstep.sendSpec"}},
		{"httpFetchMapping", []string{"httpstep.fetchSpec"}},
		{"wsSend", []string{"ws.payloadMap"}},
		{"spawnMapping", []string{"program.spawnConfig"}},
		{"spawnReady", []string{"program.readyConfig"}},
		{"programExpect", []string{"program.expectConfig"}},
		{"nntpAuth", []string{"netconn.Auth"}},
		{"nntpSend", []string{"nntp.sendSpec"}},
		{"nntpPost", []string{"nntp.postSpec"}},
		{"nntpExpectMapping", []string{"lineproto.Expect"}},
		{"nntpFetch", []string{"nntp.fetchSpec"}},
		{"nntpOverview", []string{"nntp.overviewSpec"}},
	}
	defs := definitions(t)
	src := &goSource{fset: token.NewFileSet(), pkgs: map[string]map[string]*ast.StructType{}}
	for _, sh := range shapes {
		var want []string
		for _, typ := range sh.types {
			want = append(want, src.yamlKeys(t, typ)...)
		}
		got := propertyNames(defs[sh.def])
		if g, w := sorted(got), sorted(want); g != w {
			t.Errorf("schema definition %s has keys %s\nthe plugin structs %s take %s", sh.def, g, strings.Join(sh.types, ", "), w)
		}
	}

	// connect: the options of every protocol, beside the common keys
	// (pop3 and imap decode theirs into netconn.Options).
	var want []string
	for _, typ := range []string{"tcp.options", "udp.options", "smtp.options", "netconn.Options", "httpstep.options", "ws.options"} {
		want = append(want, src.yamlKeys(t, typ)...)
	}
	var got []string
	common := strings.Fields("connect name id as timeout retry assert save if continue points hint visibility")
	for _, k := range propertyNames(defs["connectStep"]) {
		if !contains(common, k) {
			got = append(got, k)
		}
	}
	if g, w := sorted(got), sorted(want); g != w {
		t.Errorf("connectStep takes the options %s\nthe plugins take %s", g, w)
	}
}

// definitions returns the schema's definitions.
func definitions(t *testing.T) map[string]map[string]any {
	t.Helper()
	var doc struct {
		Definitions map[string]map[string]any `json:"definitions"`
	}
	if err := json.Unmarshal(schema.JSON(), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Definitions
}

// propertyNames returns the keys of a definition's properties.
func propertyNames(def map[string]any) []string {
	props, _ := def["properties"].(map[string]any)
	var out []string
	for k := range props {
		out = append(out, k)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// goSource reads the struct types of the plugin packages under stepsDir.
type goSource struct {
	fset *token.FileSet
	pkgs map[string]map[string]*ast.StructType // package name → type name → struct
}

// structs returns the struct types of package pkg (a folder of stepsDir).
func (g *goSource) structs(t *testing.T, pkg string) map[string]*ast.StructType {
	t.Helper()
	if m, ok := g.pkgs[pkg]; ok {
		return m
	}
	m := map[string]*ast.StructType{}
	files, err := filepath.Glob(filepath.Join(stepsDir, pkg, "*.go"))
	if len(files) == 0 {
		files, err = filepath.Glob(filepath.Join(stepsDir, "internal", pkg, "*.go"))
	}
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in %s/%s", stepsDir, pkg)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(g.fset, f, data, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if ts, ok := n.(*ast.TypeSpec); ok {
				if st, ok := ts.Type.(*ast.StructType); ok {
					m[ts.Name.Name] = st
				}
			}
			return true
		})
	}
	g.pkgs[pkg] = m
	return m
}

// yamlKeys returns the YAML keys of the struct pkg.Type: the names of its
// yaml tags, and those of structs embedded with ",inline".
func (g *goSource) yamlKeys(t *testing.T, qualified string) []string {
	t.Helper()
	pkg, name, ok := strings.Cut(qualified, ".")
	if !ok {
		t.Fatalf("%q is not package.Type", qualified)
	}
	st, ok := g.structs(t, pkg)[name]
	if !ok {
		t.Fatalf("no struct type %s in %s/%s", name, stepsDir, pkg)
	}
	var keys []string
	for _, f := range st.Fields.List {
		tag := ""
		if f.Tag != nil {
			raw, err := strconv.Unquote(f.Tag.Value)
			if err != nil {
				t.Fatal(err)
			}
			tag = reflect.StructTag(raw).Get("yaml")
		}
		key, opts, _ := strings.Cut(tag, ",")
		switch {
		case opts == "inline":
			keys = append(keys, g.yamlKeys(t, embedded(pkg, f.Type))...)
		case key == "-":
		case key != "":
			keys = append(keys, key)
		default:
			for _, n := range f.Names {
				if n.IsExported() {
					t.Errorf("%s.%s has no yaml tag: add one, or a case here", qualified, n.Name)
				}
			}
		}
	}
	return keys
}

// embedded returns package.Type of an embedded field's type as written in
// package pkg: Mode there, or tlsconf.Mode.
func embedded(pkg string, e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return embedded(pkg, x.X)
	case *ast.Ident:
		return pkg + "." + x.Name
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			return id.Name + "." + x.Sel.Name
		}
	}
	return pkg + ".?"
}
