// Wrapper module that would build the Node.js language host (pulumi-language-nodejs) from
// the Go module proxy, like tools/pulumi-cli does for the CLI. The language host is its own
// module, github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3, never tagged:
// scripts/ensure-language-host.sh adds the require at a pseudo-version of a release commit.
// Only plain `pulumi up` in a project folder needs it; inline Automation API programs (the
// tests, the demo) do not.
module cognito-user-password/tools/pulumi-language-nodejs

go 1.26.6

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
