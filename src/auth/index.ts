export { createAuthenticator, type ApiKeyAuthenticator, type AuthenticatorOptions } from './authenticator.js';
export { authenticationPlugin, type AuthenticationPluginOptions } from './authentication.plugin.js';
export { ApiKeyStore, ApiKeyNameTakenError, type ApiKeySummary } from './api-key-store.js';
export { AuthenticationUnavailableError } from './errors.js';
export { createJwtVerifier, type JwtVerifier } from './jwt-verifier.js';
export * from './principal.js';
export * from './scopes.js';
