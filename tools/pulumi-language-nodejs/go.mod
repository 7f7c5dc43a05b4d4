// Wrapper module that builds the Node.js language host (pulumi-language-nodejs), which plain
// `pulumi up` in a project folder needs. In recent Pulumi releases the host is a separate,
// untagged module that the Go module proxy does not serve; up to v3.68.0 it lived inside
// github.com/pulumi/pulumi/sdk/v3, which the proxy serves at that version. The host only
// starts the program through the project's own @pulumi/pulumi (its `cmd/run`), so the SDK
// version a program runs with is the project's, not this one.
// Built by scripts/ensure-language-host.sh.
module cognito-user-password/tools/pulumi-language-nodejs

go 1.26

require github.com/pulumi/pulumi/sdk/v3 v3.68.0

// Repeated from sdk/v3 v3.68.0's own go.mod: replace directives of a dependency do not apply.
replace golang.org/x/text => golang.org/x/text v0.3.6
