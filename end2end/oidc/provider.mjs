// A real OpenID Provider (the certified `oidc-provider` package) for the single-sign-on tests.
// Prints "issuer <url>" once listening. Accounts: any login name; the login is the email, verified
// unless it starts with "unverified".
//
//   PORT=0 CLIENT_ID=unified-platform CLIENT_SECRET=... node oidc/provider.mjs
import Provider from "oidc-provider";

const port = Number(process.env.PORT ?? 0);
const clientId = process.env.CLIENT_ID ?? "unified-platform";
const clientSecret = process.env.CLIENT_SECRET ?? "test-client-secret";

async function start() {
  const { createServer } = await import("node:http");
  const server = createServer();
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        // A native client may use any loopback port (RFC 8252), so the app's random test port works.
        application_type: "native",
        redirect_uris: ["http://127.0.0.1/auth/sso/callback"],
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
      {
        client_id: "another-client",
        client_secret: "another-secret",
        application_type: "native",
        redirect_uris: ["http://127.0.0.1/auth/sso/callback"],
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    pkce: { required: () => true, methods: ["S256"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["unified-platform-test-cookie-key"] },
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: id.replace(/^unverified[-.]?/, ""), email_verified: !id.startsWith("unverified") };
        },
      };
    },
  });
  provider.proxy = false;
  server.on("request", provider.callback());
  console.log(`issuer ${issuer}`);
}

start().catch((error) => {
  console.error(error);
  process.exit(1);
});
