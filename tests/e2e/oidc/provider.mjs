// A real OpenID Connect provider for the sign-in tests (oidc-provider, a certified implementation):
// one user per role, a "nobody" with no role, JWT access tokens for the Cam kết APIs carrying the unit
// and the roles. Its login page is the library's development interaction (any password).
// Environment: PORT, REDIRECT_URIS and POST_LOGOUT_URIS (comma-separated), ACCESS_TTL (seconds).
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 0);
const issuer = `http://127.0.0.1:${port}`;
const RESOURCE = 'urn:camket:api';
const AUDIENCE = process.env.AUDIENCE || 'camket';
const users = {
  'lan.office': { name: 'Nguyễn Thị Lan', unit: 'vp', roles: ['office'] },
  'minh.staff': { name: 'Trần Văn Minh', unit: 'ql-cndmst', roles: ['unit_staff'] },
  'hoa.head': { name: 'Lê Thị Hoa', unit: 'ql-cndmst', roles: ['unit_head'] },
  'hung.board': { name: 'Phạm Văn Hùng', unit: 'bgd', roles: ['board'] },
  'an.inspector': { name: 'Đỗ Văn An', unit: 'thanh-tra', roles: ['inspector'] },
  'nobody': { name: 'Người Chưa Có Vai Trò', unit: 'vp', roles: [] },
};
const list = (name) => (process.env[name] || '').split(',').filter(Boolean);
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-1', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'camket-dashboard', client_secret: 'test-secret', redirect_uris: list('REDIRECT_URIS'),
    post_logout_redirect_uris: list('POST_LOGOUT_URIS'), grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  }],
  jwks: { keys: [jwk] },
  cookies: { keys: ['camket-test-cookie-key'] },
  pkce: { required: () => true },
  claims: { openid: ['sub'], profile: ['name', 'unit', 'roles'] },
  async findAccount(_ctx, id) {
    const user = users[id];
    return user && { accountId: id, claims: async () => ({ sub: id, ...user }) };
  },
  async extraTokenClaims(_ctx, token) {
    const user = token.kind === 'AccessToken' ? users[token.accountId] : undefined;
    return user && { name: user.name, unit: user.unit, roles: user.roles };
  },
  async loadExistingGrant(ctx) { // consent is the Department's, not each user's: no consent page
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile');
    grant.addResourceScope(RESOURCE, 'camket:api');
    await grant.save();
    return grant;
  },
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  ttl: { AccessToken: Number(process.env.ACCESS_TTL || 600), Session: 3600, Grant: 3600, RefreshToken: 3600 },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => RESOURCE,
      useGrantedResource: async () => true,
      getResourceServerInfo: async () => ({ scope: 'camket:api', audience: AUDIENCE, accessTokenFormat: 'jwt',
                                             accessTokenTTL: Number(process.env.ACCESS_TTL || 600),
                                             jwt: { sign: { alg: 'RS256' } } }),
    },
  },
});
provider.listen(port, '127.0.0.1', () => console.log(`listening ${issuer}`));
