// Entry point for `pulumi up` in a project folder (Pulumi.yaml at the repository root points
// here). The demo runs the same program inline through the Automation API.
import { seedProgram } from "./program";

const seeded = seedProgram();
export const userPoolId = seeded.userPoolId;
export const appClientId = seeded.appClientId; // undefined unless seed:target is aws
export const users = seeded.users;
