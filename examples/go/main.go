// Two Cognito users' passwords from a Go program, through the cognito-user-password provider
// plugin (install it first: see docs/plugin.md) and its Go SDK. An Automation API inline
// program: plain Go programs (`runtime: go`) need the Go language host, which could not be
// had where this was written. alice gets a permanent password, bob a temporary one.
//
//	COGNITO_USER_POOL_ID=us-east-1_AbC123 ALICE_PASSWORD=... BOB_PASSWORD=... go run . up
//	go run . destroy
//
// COGNITO_ENDPOINT points the plugin at a local emulator. The stack ("dev") lives in the
// backend PULUMI_BACKEND_URL names, its secrets encrypted with PULUMI_CONFIG_PASSPHRASE.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	cognito "github.com/cognito-user-password/pulumi-cognito-user-password/sdk/go/cognitouserpassword"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

const project = "cognito-passwords-go"

func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	poolID := pulumi.String(cfg.Require("userPoolId"))
	alice, err := cognito.NewUserPassword(ctx, "alice", &cognito.UserPasswordArgs{
		UserPoolId: poolID,
		Username:   pulumi.String("alice"),
		Password:   cfg.RequireSecret("alicePassword"),
	})
	if err != nil {
		return err
	}
	bob, err := cognito.NewUserPassword(ctx, "bob", &cognito.UserPasswordArgs{
		UserPoolId: poolID,
		Username:   pulumi.String("bob"),
		Password:   cfg.RequireSecret("bobPassword"),
		Permanent:  pulumi.Bool(false),
	})
	if err != nil {
		return err
	}
	ctx.Export("aliceStatus", alice.Status)
	ctx.Export("bobStatus", bob.Status)
	return nil
}

// configure sets the stack's configuration from the environment, the passwords as secrets.
func configure(ctx context.Context, stack auto.Stack) error {
	values := auto.ConfigMap{
		"userPoolId":                   {Value: os.Getenv("COGNITO_USER_POOL_ID")},
		"alicePassword":                {Value: os.Getenv("ALICE_PASSWORD"), Secret: true},
		"bobPassword":                  {Value: os.Getenv("BOB_PASSWORD"), Secret: true},
		"cognito-user-password:region": {Value: os.Getenv("AWS_REGION")},
	}
	if endpoint := os.Getenv("COGNITO_ENDPOINT"); endpoint != "" {
		values["cognito-user-password:endpoint"] = auto.ConfigValue{Value: endpoint}
	}
	return stack.SetAllConfig(ctx, values)
}

func run(command string) error {
	ctx := context.Background()
	stack, err := auto.UpsertStackInlineSource(ctx, "dev", project, program)
	if err != nil {
		return err
	}
	switch command {
	case "up":
		if err := configure(ctx, stack); err != nil {
			return err
		}
		result, err := stack.Up(ctx, optup.ProgressStreams(os.Stdout))
		if err != nil {
			return err
		}
		// The outputs as JSON on the last line; none of them holds a password.
		statuses := map[string]any{}
		for name, output := range result.Outputs {
			statuses[name] = output.Value
		}
		line, err := json.Marshal(statuses)
		if err != nil {
			return err
		}
		fmt.Println(string(line))
		return nil
	case "destroy":
		_, err := stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stdout))
		return err
	}
	return fmt.Errorf("unknown command %q: up or destroy", command)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: cognito-passwords-go up|destroy")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
