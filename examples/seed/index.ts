// Entry point for `pulumi up` in a project folder: Pulumi.yaml at the repository root points
// here, and `npm run demo` runs it that way against a local Cognito. Its stack outputs are the
// pool, the users' states and, when the program creates the pool (seed:target aws), the app client.
import { seedProgram } from "./program";

const seeded = seedProgram();
export = {
  userPoolId: seeded.userPoolId,
  users: seeded.users,
  ...(seeded.appClientId ? { appClientId: seeded.appClientId } : {}),
};
