// Command gen-sdk generates the provider plugin's Python and Go SDKs from its package schema.
//
//	gen-sdk -schema schema.json -out sdk
//
// writes <out>/python (the `pulumi_cognito_user_password` package) and
// <out>/go/<package> (the Go package under the schema's go importBasePath); every file in
// those folders is generated, and files the generators no longer write are removed.
// <out>/go/go.mod and go.sum are the project's own and left alone.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	pygen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// The name the generated files give as their generator.
const tool = "cognito-user-password-gen-sdk"

// noDependencies is the schema loader for a package that references no other package:
// binding and the generators need a non-nil loader, and this one refuses every load.
type noDependencies struct{}

func (noDependencies) LoadPackage(pkg string, version *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema references no other package, yet %q was asked for", pkg)
}

func (l noDependencies) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, d.Version)
}

func (l noDependencies) LoadPackageReference(pkg string, version *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema references no other package, yet %q was asked for", pkg)
}

func (l noDependencies) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, d.Version)
}

func main() {
	schemaPath := flag.String("schema", "", "the package schema (JSON)")
	out := flag.String("out", "", "the SDKs' root folder (python/ and go/ are written under it)")
	flag.Parse()
	if *schemaPath == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*schemaPath, *out); err != nil {
		fmt.Fprintf(os.Stderr, "gen-sdk: %v\n", err)
		os.Exit(1)
	}
}

func run(schemaPath, out string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("reading %s: %w", schemaPath, err)
	}
	loader := noDependencies{}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{})
	if err != nil {
		return fmt.Errorf("binding the schema: %w", err)
	}
	if diags.HasErrors() {
		return fmt.Errorf("binding the schema: %s", diags.Error())
	}

	python, err := pygen.GeneratePackage(tool, pkg, nil, loader)
	if err != nil {
		return fmt.Errorf("generating the Python SDK: %w", err)
	}
	if err := replaceTree(filepath.Join(out, "python"), python); err != nil {
		return err
	}

	golang, err := gogen.GeneratePackage(tool, pkg, nil)
	if err != nil {
		return fmt.Errorf("generating the Go SDK: %w", err)
	}
	// The generator's paths start with the Go package's folder, which is replaced whole; files
	// beside it (.gitattributes) are written beside go.mod.
	folders := map[string]map[string][]byte{}
	for name, content := range golang {
		folder, rest, nested := strings.Cut(filepath.ToSlash(name), "/")
		if !nested {
			if err := writeFile(filepath.Join(out, "go", folder), content); err != nil {
				return err
			}
			continue
		}
		if folders[folder] == nil {
			folders[folder] = map[string][]byte{}
		}
		folders[folder][rest] = content
	}
	for folder, files := range folders {
		if err := replaceTree(filepath.Join(out, "go", folder), files); err != nil {
			return err
		}
	}
	return nil
}

// replaceTree makes dir hold exactly files (paths relative to dir).
func replaceTree(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, content := range files {
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(name)), content); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, content []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, content, 0o644)
}
