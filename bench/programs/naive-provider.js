// What a first attempt at this resource usually looks like: an AWS SDK client made once, in
// the program, and captured by the provider's methods. Pulumi serializes everything a
// method's closure captures into the state of every resource (`__provider`), so the client
// (its config, credential provider, middleware stack, HTTP handler) goes with it, or the
// serialization fails. The state-size benchmark measures which. Plain CommonJS, loaded with
// Node's require, so the serialized text is what a user's program would produce.
"use strict";

const { CognitoIdentityProviderClient, AdminSetUserPasswordCommand } = require("@aws-sdk/client-cognito-identity-provider");

function naiveProvider(options) {
  const client = new CognitoIdentityProviderClient({ region: options.region, endpoint: options.endpoint });
  return {
    async create(inputs) {
      await client.send(
        new AdminSetUserPasswordCommand({ UserPoolId: inputs.userPoolId, Username: inputs.username, Password: inputs.password, Permanent: true }),
      );
      return { id: `${inputs.userPoolId}/${inputs.username}`, outs: { userPoolId: inputs.userPoolId, username: inputs.username } };
    },
    async diff() {
      return { changes: false };
    },
    async delete() {},
  };
}

module.exports = { naiveProvider };
