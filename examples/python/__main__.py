"""alice gets a permanent password, bob a temporary one he must change at his first sign-in."""
import pulumi
import pulumi_cognito_user_password as cognito

config = pulumi.Config()
pool_id = config.require("userPoolId")

alice = cognito.UserPassword(
    "alice",
    user_pool_id=pool_id,
    username="alice",
    password=config.require_secret("alicePassword"),
)
bob = cognito.UserPassword(
    "bob",
    user_pool_id=pool_id,
    username="bob",
    password=config.require_secret("bobPassword"),
    permanent=False,
)

pulumi.export("aliceStatus", alice.status)
pulumi.export("bobStatus", bob.status)
