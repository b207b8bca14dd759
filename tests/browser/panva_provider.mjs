// A certified OpenID Provider (panva `oidc-provider` 9.x) for the browser tests.
//
// Started by tests/browser/conftest.py with its settings in the environment:
//   OP_PORT                      port to listen on (127.0.0.1)
//   OP_ISSUER                    issuer, exactly as the portal is configured (http://localhost:PORT)
//   OP_CLIENT_ID, OP_CLIENT_SECRET   the portal's confidential client
//   OP_REDIRECT_URI              the portal's /auth/callback
//   OP_POST_LOGOUT_REDIRECT_URI  the portal's /signed-out
//
// Development interactions are on: the login page accepts any login and password, then
// a consent page asks to "Continue". Prints "READY <issuer>" once it listens.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`panva_provider.mjs: ${name} is not set`);
    process.exit(2);
  }
  return value;
};

const port = Number(env('OP_PORT'));
const issuer = env('OP_ISSUER');

// Known people; any other login becomes a plain member of staff named after the login.
const PEOPLE = {
  'kim.lee': {
    name: 'Kim Lee',
    email: 'kim.lee@example.org',
    groups: ['portal-people-services'],
  },
};

function claimsFor(login) {
  const known = PEOPLE[login] ?? { name: login, email: `${login}@example.org`, groups: [] };
  return {
    sub: login,
    email: known.email,
    email_verified: true,
    name: known.name,
    groups: known.groups,
  };
}

// A signing key of our own (RS256) rather than the library's published development keys.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'browser-tests', alg: 'RS256', use: 'sig' };

const configuration = {
  clients: [
    {
      client_id: env('OP_CLIENT_ID'),
      client_secret: env('OP_CLIENT_SECRET'),
      redirect_uris: [env('OP_REDIRECT_URI')],
      post_logout_redirect_uris: [env('OP_POST_LOGOUT_REDIRECT_URI')],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return claimsFor(id);
      },
    };
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'groups'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
};

const provider = new Provider(issuer, configuration);
provider.on('server_error', (_ctx, error) => console.error('server_error', error));

const server = http.createServer(provider.callback());
server.listen(port, '127.0.0.1', () => {
  console.log(`READY ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.closeAllConnections();
    process.exit(0);
  });
}
