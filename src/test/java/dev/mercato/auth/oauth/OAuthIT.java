package dev.mercato.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import dev.mercato.support.ApiTestSupport;
import dev.mercato.support.Response;
import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The OAuth 2.0 authorization server end to end, driven the way integrators will drive it: with a real OAuth
 * client library (Nimbus OAuth 2.0 SDK), discovering the endpoints from the metadata document.
 */
class OAuthIT extends ApiTestSupport {

    @Autowired
    SigningKeyStore signingKeys;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    private AuthorizationServerMetadata server;

    @BeforeEach
    void discover() throws Exception {
        server = AuthorizationServerMetadata.resolve(new Issuer(api.base()));
    }

    // ---- discovery ----

    @Test
    void metadataDescribesWhatTheServerSupports() throws Exception {
        assertThat(server.getIssuer().getValue()).isEqualTo(api.base());
        assertThat(server.getTokenEndpointURI()).isEqualTo(URI.create(api.base() + "/oauth/token"));
        assertThat(server.getJWKSetURI()).isEqualTo(URI.create(api.base() + "/oauth/jwks"));
        assertThat(server.getIntrospectionEndpointURI()).isEqualTo(URI.create(api.base() + "/oauth/introspect"));
        assertThat(server.getRevocationEndpointURI()).isEqualTo(URI.create(api.base() + "/oauth/revoke"));
        assertThat(server.getAuthorizationEndpointURI()).isEqualTo(URI.create(api.base() + "/oauth/authorize"));
        assertThat(server.getGrantTypes())
                .containsExactly(GrantType.CLIENT_CREDENTIALS, GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN);
        assertThat(server.getTokenEndpointAuthMethods())
                .containsExactlyInAnyOrder(
                        ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST);
        assertThat(server.getScopes().toStringList()).contains("products:read", "orders:write", "admin");

        Response openid = api.get("/.well-known/openid-configuration")
                .unvalidated()
                .send()
                .expect(200);
        Response oauth = api.get("/.well-known/oauth-authorization-server")
                .unvalidated()
                .send()
                .expect(200);
        assertThat(openid.json()).isEqualTo(oauth.json());
    }

    @Test
    void openApiDocumentsOfferOAuthClientCredentialsBesideBearer() {
        for (String document : List.of("/openapi/v1.json", "/openapi/v2.json")) {
            JsonNode openApi =
                    api.get(document).unvalidated().send().expect(200).json();
            JsonNode scheme = openApi.get("components").get("securitySchemes").get("oauth2");
            assertThat(scheme.get("type").asString()).as(document).isEqualTo("oauth2");
            JsonNode flow = scheme.get("flows").get("clientCredentials");
            assertThat(flow.get("tokenUrl").asString()).isEqualTo("/oauth/token");
            assertThat(flow.get("scopes").propertyNames()).contains("products:read", "admin");
        }
        JsonNode listProducts = api.get("/openapi/v2.json")
                .unvalidated()
                .send()
                .expect(200)
                .json()
                .get("paths")
                .get("/v2/products")
                .get("get");
        assertThat(listProducts.get("security").get(0).get("bearerAuth").get(0).asString())
                .isEqualTo("products:read");
        assertThat(listProducts.get("security").get(1).get("oauth2").get(0).asString())
                .isEqualTo("products:read");
    }

    @Test
    void jwksPublishesThePublicSigningKeysOnly() throws Exception {
        JWKSet keys = JWKSet.load(server.getJWKSetURI().toURL());

        assertThat(keys.getKeys()).isNotEmpty().allSatisfy(key -> {
            assertThat(key.isPrivate()).isFalse();
            assertThat(key.getKeyID()).startsWith("jwk_");
            assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        });
        assertThat(keys.getKeyByKeyId(signingKeys.signingKey().getKeyID())).isNotNull();
    }

    // ---- getting a token ----

    @Test
    void clientCredentialsWithHttpBasicIssuesAnRfc9068AccessToken() throws Exception {
        Client client = registerClient("products:read", "users:read");

        HTTPResponse http = tokenRequest(client.basic(), new ClientCredentialsGrant(), "products:read")
                .send();
        AccessToken token = success(http);

        assertThat(http.getHeaderValue("Cache-Control")).contains("no-store");
        assertThat(token.getType().getValue()).isEqualTo("Bearer");
        assertThat(token.getLifetime()).isEqualTo(3600);
        assertThat(token.getScope().toStringList()).containsExactly("products:read");

        SignedJWT jwt = SignedJWT.parse(token.getValue());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        RSAKey key = (RSAKey) JWKSet.load(server.getJWKSetURI().toURL())
                .getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the token's kid is in the JWKS").isNotNull();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();

        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(api.base());
        assertThat(claims.getSubject()).isEqualTo(client.id());
        assertThat(claims.getAudience()).containsExactly("mercato-api");
        assertThat(claims.getStringClaim("client_id")).isEqualTo(client.id());
        assertThat(claims.getClaim("scope")).isEqualTo("products:read");
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime())
                .isEqualTo(3_600_000);
    }

    @Test
    void clientCredentialsWithTheSecretInTheFormWorksToo() throws Exception {
        Client client = registerClient("orders:read");

        AccessToken token = success(
                tokenRequest(client.post(), new ClientCredentialsGrant(), null).send());

        assertThat(token.getScope().toStringList()).containsExactly("orders:read");
        api.get("/v2/orders?limit=1").as(token.getValue()).send().expect(200);
    }

    @Test
    void jsonBodyAsInTheV2ReferenceGetsAToken() {
        Client client = registerClient("products:read", "products:write");

        Response response = api.post("/oauth/token", """
                {"grant_type": "client_credentials", "client_id": "%s", "client_secret": "%s"}""".formatted(client.id(), client.secret()))
                .unvalidated()
                .send()
                .expect(200);

        JsonNode body = response.json();
        assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asInt()).isEqualTo(3600);
        assertThat(body.get("scope").asString().split(" "))
                .containsExactlyInAnyOrder("products:read", "products:write");
        assertThat(response.header("Cache-Control")).contains("no-store");
        api.get("/v2/products?limit=1")
                .as(body.get("access_token").asString())
                .send()
                .expect(200);
    }

    @Test
    void jsonBodyMayNarrowTheScope() {
        Client client = registerClient("products:read", "products:write");

        JsonNode body = api.post("/oauth/token", """
                {"grant_type": "client_credentials", "client_id": "%s", "client_secret": "%s", "scope": "products:read"}""".formatted(client.id(), client.secret()))
                .unvalidated()
                .send()
                .expect(200)
                .json();

        assertThat(body.get("scope").asString()).isEqualTo("products:read");
    }

    @Test
    void noScopeRequestedGrantsAllTheClientsScopes() throws Exception {
        Client client = registerClient("users:read", "logs:read");

        AccessToken token = success(
                tokenRequest(client.basic(), new ClientCredentialsGrant(), null).send());

        assertThat(token.getScope().toStringList()).containsExactlyInAnyOrder("users:read", "logs:read");
    }

    // ---- refusals at the token endpoint ----

    @Test
    void wrongSecretIsInvalidClientWithABasicChallenge() throws Exception {
        Client client = registerClient("products:read");
        ClientAuthentication wrong = new ClientSecretBasic(new ClientID(client.id()), new Secret("mcs_wrong"));

        HTTPResponse http =
                tokenRequest(wrong, new ClientCredentialsGrant(), null).send();

        assertThat(error(http, 401)).isEqualTo("invalid_client");
        assertThat(http.getHeaderValue("WWW-Authenticate")).startsWith("Basic");
    }

    @Test
    void unknownClientIsInvalidClient() throws Exception {
        ClientAuthentication unknown = new ClientSecretPost(new ClientID("cli_doesnotexist"), new Secret("mcs_x"));

        assertThat(error(
                        tokenRequest(unknown, new ClientCredentialsGrant(), null)
                                .send(),
                        401))
                .isEqualTo("invalid_client");
    }

    @Test
    void missingClientAuthenticationIsInvalidClient() {
        Response response = api.post("/oauth/token", """
                {"grant_type": "client_credentials"}""").unvalidated().send().expect(401);

        assertThat(response.json().get("error").asString()).isEqualTo("invalid_client");
    }

    @Test
    void unsupportedGrantIsRefused() throws Exception {
        Client client = registerClient("products:read");
        AuthorizationGrant password = new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("pw"));

        assertThat(error(tokenRequest(client.basic(), password, null).send(), 400))
                .isEqualTo("unsupported_grant_type");
    }

    @Test
    void scopeBeyondTheClientsIsInvalidScope() throws Exception {
        Client client = registerClient("products:read");

        assertThat(error(
                        tokenRequest(client.basic(), new ClientCredentialsGrant(), "products:read admin")
                                .send(),
                        400))
                .isEqualTo("invalid_scope");
        assertThat(error(
                        tokenRequest(client.basic(), new ClientCredentialsGrant(), "products:delete")
                                .send(),
                        400))
                .isEqualTo("invalid_scope");
    }

    @Test
    void malformedJsonBodyIsInvalidRequest() {
        Response response = api.post("/oauth/token", "{\"grant_type\": ")
                .unvalidated()
                .send()
                .expect(400);
        assertThat(response.json().get("error").asString()).isEqualTo("invalid_request");
        assertThat(response.json().get("error_description").asString()).isNotBlank();

        Response notStrings = api.post("/oauth/token", """
                {"grant_type": "client_credentials", "client_id": 42}""").unvalidated().send().expect(400);
        assertThat(notStrings.json().get("error").asString()).isEqualTo("invalid_request");
    }

    @Test
    void wrongMethodOrUnknownOAuthPathAnswersInOAuthForm() {
        Response get = api.get("/oauth/token").unvalidated().send().expect(405);
        assertThat(get.json().get("error").asString()).isEqualTo("invalid_request");
        assertThat(get.header("Allow")).isEqualTo("POST");

        Response unknown = api.get("/oauth/nothing-here").unvalidated().send().expect(404);
        assertThat(unknown.json().get("error").asString()).isEqualTo("invalid_request");
    }

    @Test
    void authorizationRequestsSendTheUserToSignIn() {
        Client machine = registerClient("orders:read");
        Response refused = api.get("/oauth/authorize?response_type=code&client_id=" + machine.id())
                .unvalidated()
                .send()
                .expect(400);
        assertThat(refused.json().get("error").asString()).isEqualTo("unauthorized_client");

        JsonNode web = api.post("/v2/oauth-clients", """
                {"name": "%s", "scopes": ["orders:read"], "redirect_uris": ["https://app.example.com/callback"]}""".formatted(unique("web app")))
                .asAdmin()
                .send()
                .expect(201)
                .json();
        Response signIn = api.get("/oauth/authorize?response_type=code&client_id="
                        + web.get("client_id").asString()
                        + "&redirect_uri=https://app.example.com/callback&scope=orders:read"
                        + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256")
                .unvalidated()
                .send()
                .expect(302);
        assertThat(signIn.header("Location")).isEqualTo(api.base() + "/login");
    }

    // ---- using a token on the API ----

    @Test
    void tokenGrantsItsScopesAndNothingElse() throws Exception {
        Client client = registerClient("products:read");
        String token = accessToken(client);

        api.get("/v2/products?limit=1").as(token).send().expect(200);
        api.get("/products?limit=1").as(token).send().expect(200);

        Response denied = api.get("/v2/users?limit=1").as(token).send();
        JsonNode error = denied.expectError(403, "INSUFFICIENT_SCOPE");
        assertThat(error.get("details").asString()).isEqualTo("users:read");
        api.post("/v2/products", """
                {"name": "Not allowed", "price": 1, "currency": "USD", "stock": 1}""").as(token).send().expectError(403, "INSUFFICIENT_SCOPE");
    }

    @Test
    void adminTokenManagesClients() throws Exception {
        String token = accessToken(registerClient("admin"));

        api.get("/v2/oauth-clients?limit=1").as(token).send().expect(200);
        api.get("/v2/users?limit=1").as(token).send().expect(200);
    }

    // ---- introspection and revocation ----

    @Test
    void introspectionDescribesAnActiveToken() throws Exception {
        Client client = registerClient("products:read", "orders:read");
        String token = accessToken(client);

        TokenIntrospectionSuccessResponse introspected = introspect(client, token);

        assertThat(introspected.isActive()).isTrue();
        assertThat(introspected.getClientID().getValue()).isEqualTo(client.id());
        assertThat(introspected.getSubject().getValue()).isEqualTo(client.id());
        assertThat(introspected.getScope().toStringList()).containsExactlyInAnyOrder("products:read", "orders:read");
        assertThat(introspected.getExpirationTime()).isAfter(new Date());
        assertThat(introspected.getIssuer().getValue()).isEqualTo(api.base());
    }

    @Test
    void clientCredentialsTokensAreNotStoredYetIntrospectAndRevoke() throws Exception {
        Client client = registerClient("products:read");
        String first = accessToken(client);
        String second = accessToken(client);

        assertThat(jdbc.sql("select count(*) from oauth2_authorization where registered_client_id = ?")
                        .param(client.id())
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(introspect(client, first).isActive()).isTrue();
        assertThat(new TokenRevocationRequest(
                                server.getRevocationEndpointURI(), client.basic(), new BearerAccessToken(first))
                        .toHTTPRequest()
                        .send()
                        .getStatusCode())
                .isEqualTo(200);
        assertThat(introspect(client, first).isActive()).isFalse();
        assertThat(introspect(client, second).isActive())
                .as("only the revoked token")
                .isTrue();
        api.get("/v2/products?limit=1").as(second).send().expect(200);
    }

    @Test
    void introspectingAnExpiredOrForgedTokenAnswersInactive() throws Exception {
        Client client = registerClient("products:read");
        String expired = expiredToken(client);
        String forged = sign(
                claims(client).build(),
                new RSAKeyGenerator(2048)
                        .keyID(signingKeys.signingKey().getKeyID())
                        .generate());

        assertThat(introspect(client, sign(claims(client).build(), signingKeys.signingKey()))
                        .isActive())
                .as("the control: the same claims, signed by us and current")
                .isTrue();
        assertThat(introspect(client, expired).isActive()).isFalse();
        assertThat(introspect(client, forged).isActive()).isFalse();
    }

    @Test
    void introspectingAnUnknownTokenAnswersInactive() throws Exception {
        Client client = registerClient("products:read");

        assertThat(introspect(client, "not-a-token-we-issued").isActive()).isFalse();
    }

    @Test
    void revokedTokenIsRefusedAtOnceAndIntrospectsInactive() throws Exception {
        Client client = registerClient("products:read");
        String token = accessToken(client);
        api.get("/v2/products?limit=1").as(token).send().expect(200);

        HTTPResponse revoked = new TokenRevocationRequest(
                        server.getRevocationEndpointURI(), client.basic(), new BearerAccessToken(token))
                .toHTTPRequest()
                .send();

        assertThat(revoked.getStatusCode()).isEqualTo(200);
        expectRejected(api.get("/v2/products?limit=1").as(token).send(), "revoked");
        assertThat(introspect(client, token).isActive()).isFalse();
        // Revoking again, or revoking a token never issued, is not an error (RFC 7009).
        assertThat(new TokenRevocationRequest(
                                server.getRevocationEndpointURI(), client.basic(), new BearerAccessToken(token))
                        .toHTTPRequest()
                        .send()
                        .getStatusCode())
                .isEqualTo(200);
    }

    @Test
    void anotherClientsTokenLooksUnknownAndIsLeftAlone() throws Exception {
        Client owner = registerClient("products:read");
        String token = accessToken(owner);
        Client other = registerClient("products:read");

        HTTPResponse revoked = new TokenRevocationRequest(
                        server.getRevocationEndpointURI(), other.basic(), new BearerAccessToken(token))
                .toHTTPRequest()
                .send();

        assertThat(revoked.getStatusCode())
                .as("the answer for a token that does not exist (RFC 7009)")
                .isEqualTo(200);
        api.get("/v2/products?limit=1").as(token).send().expect(200);
        assertThat(introspect(other, token).isActive())
                .as("the answer for a token that does not exist")
                .isFalse();
        assertThat(introspect(owner, token).isActive()).isTrue();
    }

    // ---- tokens that must not work ----

    @Test
    void expiredTokenIsRefused() throws Exception {
        Client client = registerClient("products:read");

        String token = expiredToken(client);

        expectRejected(api.get("/v2/products?limit=1").as(token).send(), "expired");
    }

    @Test
    void tokenWeSignedOurselvesWithTheRealKeyWorks() throws Exception {
        // The control for the refusals below: the hand-made tokens differ from this one in one respect only.
        Client client = registerClient("products:read");

        api.get("/v2/products?limit=1")
                .as(sign(claims(client).build(), signingKeys.signingKey()))
                .send()
                .expect(200);
    }

    @Test
    void tokenSignedByAnotherKeyIsRefused() throws Exception {
        Client client = registerClient("products:read");
        RSAKey real = signingKeys.signingKey();
        RSAKey impostorWithOurKid =
                new RSAKeyGenerator(2048).keyID(real.getKeyID()).generate();
        RSAKey impostorWithItsOwnKid =
                new RSAKeyGenerator(2048).keyID("jwk_impostor").generate();

        expectRejected(
                api.get("/v2/products?limit=1")
                        .as(sign(claims(client).build(), impostorWithOurKid))
                        .send(),
                "signature");
        expectRejected(
                api.get("/v2/products?limit=1")
                        .as(sign(claims(client).build(), impostorWithItsOwnKid))
                        .send(),
                "signature");
    }

    @Test
    void unsignedTokenIsRefused() throws Exception {
        Client client = registerClient("products:read");
        String none = new PlainJWT(
                        new PlainHeader.Builder()
                                .type(new JOSEObjectType("at+jwt"))
                                .build(),
                        claims(client).build())
                .serialize();

        assertThat(none).endsWith(".");
        expectRejected(api.get("/v2/products?limit=1").as(none).send(), null);
    }

    @Test
    void hs256TokenKeyedWithThePublicKeyIsRefused() throws Exception {
        Client client = registerClient("products:read");
        RSAKey real = signingKeys.signingKey();
        SignedJWT confused = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(real.getKeyID())
                        .type(new JOSEObjectType("at+jwt"))
                        .build(),
                claims(client).build());
        confused.sign(new MACSigner(real.toRSAPublicKey().getEncoded()));

        expectRejected(api.get("/v2/products?limit=1").as(confused.serialize()).send(), null);
    }

    @Test
    void tamperedPayloadIsRefused() throws Exception {
        Client client = registerClient("products:read");
        String token = accessToken(client);
        String[] parts = token.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]));
        String elevated = payload.replace("\"scope\":\"products:read\"", "\"scope\":\"admin\"");
        assertThat(elevated).isNotEqualTo(payload);
        String tampered = parts[0] + "."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(elevated.getBytes()) + "."
                + parts[2];

        expectRejected(api.get("/v2/users?limit=1").as(tampered).send(), "signature");
    }

    @Test
    void tokenForAnotherAudienceIssuerOrTypeIsRefused() throws Exception {
        Client client = registerClient("products:read");
        RSAKey key = signingKeys.signingKey();

        expectRejected(
                api.get("/v2/products?limit=1")
                        .as(sign(claims(client).audience("another-api").build(), key))
                        .send(),
                null);
        expectRejected(
                api.get("/v2/products?limit=1")
                        .as(sign(claims(client).issuer("https://evil.example").build(), key))
                        .send(),
                null);
        SignedJWT plainJwtType = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims(client).build());
        plainJwtType.sign(new RSASSASigner(key));
        expectRejected(
                api.get("/v2/products?limit=1").as(plainJwtType.serialize()).send(), null);
    }

    @Test
    void unknownScopesInATokenAreIgnored() throws Exception {
        Client client = registerClient("products:read");

        String token = sign(
                claims(client).claim("scope", "products:read products:delete").build(), signingKeys.signingKey());

        api.get("/v2/products?limit=1").as(token).send().expect(200);
    }

    // ---- managing clients ----

    @Test
    void adminRegistersAClientWhoseSecretIsShownOnlyOnce() {
        String name = unique("integration");
        Response created = api.post("/v2/oauth-clients", """
                {"name": "%s", "scopes": ["products:read", "orders:write"]}""".formatted(name))
                .asAdmin()
                .send()
                .expect(201);

        JsonNode client = created.json();
        String id = client.get("client_id").asString();
        String secret = client.get("client_secret").asString();
        assertThat(id).startsWith("cli_");
        assertThat(secret).startsWith("mcs_").hasSize(47);
        assertThat(created.header("Location")).endsWith("/v2/oauth-clients/" + id);
        assertThat(created.header("Cache-Control")).contains("no-store");
        assertThat(client.get("name").asString()).isEqualTo(name);
        assertThat(strings(client.get("scopes"))).containsExactlyInAnyOrder("products:read", "orders:write");
        assertThat(strings(client.get("grant_types"))).containsExactly("client_credentials");
        assertThat(strings(client.get("redirect_uris"))).isEmpty();
        assertThat(client.get("created_at").asString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

        JsonNode fetched =
                api.get("/v2/oauth-clients/" + id).asAdmin().send().expect(200).json();
        assertThat(fetched.has("client_secret")).isFalse();
        assertThat(fetched.get("name").asString()).isEqualTo(name);

        Response list = api.get("/v2/oauth-clients?limit=100").asAdmin().send().expect(200);
        assertThat(list.header("X-Limit")).isEqualTo("100");
        assertThat(list.header("X-Total-Count")).isNotBlank();
        assertThat(StreamSupport.stream(list.json().spliterator(), false)
                        .map(item -> item.get("client_id").asString()))
                .contains(id);
        assertThat(list.body()).doesNotContain(secret).doesNotContain("client_secret");
    }

    @Test
    void clientWithRedirectUrisMayLaterUseTheEndUserFlow() {
        JsonNode client = api.post("/v2/oauth-clients", """
                {"name": "%s", "scopes": ["orders:read"],
                 "redirect_uris": ["https://app.example.com/callback", "http://127.0.0.1:8765/callback"]}""".formatted(unique("web app")))
                .asAdmin()
                .send()
                .expect(201)
                .json();

        assertThat(strings(client.get("redirect_uris")))
                .containsExactlyInAnyOrder("https://app.example.com/callback", "http://127.0.0.1:8765/callback");
        assertThat(strings(client.get("grant_types"))).containsExactlyInAnyOrder("authorization_code", "refresh_token");
    }

    @Test
    void aClientForTheEndUserFlowGetsClientCredentialsOnlyWhenItAsks() {
        String userFlow = """
                {"name": "%s", "scopes": ["orders:read"], "redirect_uris": ["https://app.example.com/callback"]%s}""";
        JsonNode appOnly = api.post("/v2/oauth-clients", userFlow.formatted(unique("app"), ""))
                .asAdmin()
                .send()
                .expect(201)
                .json();
        Response refused = api.post("/oauth/token", """
                {"grant_type": "client_credentials", "client_id": "%s", "client_secret": "%s"}""".formatted(
                                appOnly.get("client_id").asString(),
                                appOnly.get("client_secret").asString()))
                .unvalidated()
                .send();
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asString()).isEqualTo("unauthorized_client");

        JsonNode both = api.post(
                        "/v2/oauth-clients",
                        userFlow.formatted(
                                unique("app"), ", \"grant_types\": [\"authorization_code\", \"client_credentials\"]"))
                .asAdmin()
                .send()
                .expect(201)
                .json();
        assertThat(strings(both.get("grant_types")))
                .containsExactlyInAnyOrder("client_credentials", "authorization_code", "refresh_token");
        api.post("/oauth/token", """
                {"grant_type": "client_credentials", "client_id": "%s", "client_secret": "%s"}""".formatted(
                                both.get("client_id").asString(),
                                both.get("client_secret").asString()))
                .unvalidated()
                .send()
                .expect(200);
    }

    @Test
    void grantTypesThatCannotWorkAreRefusedSayingWhy() {
        String[][] cases = {
            {"[\"authorization_code\"]", "", "needs at least one redirect URI"},
            {"[\"client_credentials\"]", "https://app.example.com/cb", "Redirect URIs are for the authorization_code"},
            {"[\"refresh_token\"]", "https://app.example.com/cb", "comes with authorization_code only"},
            {"[\"password\"]", "", "Unknown grant type 'password'"},
        };
        for (String[] given : cases) {
            String uris = given[1].isEmpty() ? "" : ", \"redirect_uris\": [\"" + given[1] + "\"]";
            JsonNode error = api.post("/v2/oauth-clients", """
                    {"name": "%s", "scopes": ["orders:read"], "grant_types": %s%s}""".formatted(unique("bad"), given[0], uris))
                    .asAdmin()
                    .send()
                    .expectError(400, "INVALID_PARAMETER");
            assertThat(error.get("message").asString()).as(given[0]).contains(given[2]);
            assertThat(error.get("details").asString()).as(given[0]).startsWith("grant_types");
        }
    }

    @Test
    void rotatedSecretReplacesTheOldOneAtOnce() throws Exception {
        Client client = registerClient("products:read");
        String tokenBefore = accessToken(client);

        Response rotated = api.post("/v2/oauth-clients/" + client.id() + "/rotate-secret", "")
                .asAdmin()
                .send()
                .expect(200);

        assertThat(rotated.header("Cache-Control")).contains("no-store");
        Client renewed =
                new Client(client.id(), rotated.json().get("client_secret").asString());
        assertThat(renewed.secret()).startsWith("mcs_").isNotEqualTo(client.secret());
        assertThat(error(
                        tokenRequest(client.basic(), new ClientCredentialsGrant(), null)
                                .send(),
                        401))
                .isEqualTo("invalid_client");
        success(tokenRequest(renewed.basic(), new ClientCredentialsGrant(), null)
                .send());
        // Tokens already issued live out their hour (revoke them, or delete the client, to stop them).
        api.get("/v2/products?limit=1").as(tokenBefore).send().expect(200);
    }

    @Test
    void deletedClientsTokensStopWorkingAtOnce() throws Exception {
        Client client = registerClient("products:read");
        String token = accessToken(client);
        api.get("/v2/products?limit=1").as(token).send().expect(200);

        Response deleted =
                api.delete("/v2/oauth-clients/" + client.id()).asAdmin().send().expect(204);

        assertThat(deleted.body()).isEmpty();
        expectRejected(api.get("/v2/products?limit=1").as(token).send(), "revoked");
        api.get("/v2/oauth-clients/" + client.id()).asAdmin().send().expectError(404, "NOT_FOUND");
        assertThat(error(
                        tokenRequest(client.basic(), new ClientCredentialsGrant(), null)
                                .send(),
                        401))
                .isEqualTo("invalid_client");
        assertThat(introspect(registerClient("products:read"), token).isActive())
                .isFalse();
    }

    @Test
    void unknownClientIdAnswers404() {
        api.get("/v2/oauth-clients/cli_doesnotexist").asAdmin().send().expectError(404, "NOT_FOUND");
        api.delete("/v2/oauth-clients/cli_doesnotexist").asAdmin().send().expectError(404, "NOT_FOUND");
        api.post("/v2/oauth-clients/cli_doesnotexist/rotate-secret", "")
                .asAdmin()
                .send()
                .expectError(404, "NOT_FOUND");
    }

    @Test
    void onlyAdminsManageClients() throws Exception {
        String token = accessToken(registerClient("products:read", "users:write"));

        api.post("/v2/oauth-clients", """
                {"name": "escalation", "scopes": ["admin"]}""").as(token).send().expectError(403, "INSUFFICIENT_SCOPE");
        api.get("/v2/oauth-clients").as(token).send().expectError(403, "INSUFFICIENT_SCOPE");
        api.get("/v2/oauth-clients").send().expectError(401, "UNAUTHORIZED");
    }

    @Test
    void invalidRegistrationsAreRejectedNamingTheField() {
        assertThat(invalid("""
                {"scopes": ["products:read"]}""").get("details").asString()).isEqualTo("name (string)");
        assertThat(invalid("""
                {"name": "  ", "scopes": ["products:read"]}""").get("details").asString()).isEqualTo("name (string)");
        assertThat(invalid("""
                {"name": "no scopes", "scopes": []}""").get("details").asString()).isEqualTo("scopes (array)");
        JsonNode unknownScope = invalid("""
                {"name": "bad scope", "scopes": ["products:read", "products:delete"]}""");
        assertThat(unknownScope.get("message").asString()).contains("products:delete");
        assertThat(unknownScope.get("details").asString()).isEqualTo("scopes (array)");
        for (String uri : List.of(
                "http://app.example.com/cb",
                "https://app.example.com/cb#fragment",
                "/relative",
                "https://app.example.com/a,b")) {
            assertThat(invalid("""
                    {"name": "bad redirect", "scopes": ["orders:read"], "redirect_uris": ["%s"]}""".formatted(uri)).get("details").asString())
                    .as(uri)
                    .isEqualTo("redirect_uris (array)");
        }
        JsonNode unknownField =
                api.post("/v2/oauth-clients", """
                {"name": "extra", "scopes": ["products:read"], "client_secret": "mine"}""").asAdmin().send().expectError(400, "UNKNOWN_FIELD");
        assertThat(unknownField.get("details").asString()).isEqualTo("client_secret (string)");
    }

    // ---- fixtures ----

    record Client(String id, String secret) {

        ClientAuthentication basic() {
            return new ClientSecretBasic(new ClientID(id), new Secret(secret));
        }

        ClientAuthentication post() {
            return new ClientSecretPost(new ClientID(id), new Secret(secret));
        }
    }

    @org.junit.jupiter.api.Test
    void aClientsOwnRateLimitAppliesToItsTokens() throws Exception {
        JsonNode created = api.post("/v2/oauth-clients", """
                {"name": "%s", "scopes": ["products:read"], "rate_limit_per_minute": 3}""".formatted(unique("limited client")))
                .asAdmin()
                .send()
                .expect(201)
                .json();
        assertThat(created.get("rate_limit_per_minute").asInt()).isEqualTo(3);
        Client client = new Client(
                created.get("client_id").asString(),
                created.get("client_secret").asString());
        String token = accessToken(client);

        for (int i = 0; i < 3; i++) {
            assertThat(api.get("/v2/products?limit=1")
                            .as(token)
                            .send()
                            .expect(200)
                            .header("RateLimit-Policy"))
                    .isEqualTo("\"default\";q=3;w=60");
        }
        api.get("/v2/products?limit=1").as(token).send().expectError(429, "RATE_LIMITED");
        // Another client keeps the server's default.
        Client other = registerClient("products:read");
        api.get("/v2/products?limit=1").as(accessToken(other)).send().expect(200);
        api.post("/v2/oauth-clients", """
                {"name": "bad limit", "scopes": ["products:read"], "rate_limit_per_minute": 0}""").asAdmin().send().expectError(400, "INVALID_PARAMETER");
    }

    private Client registerClient(String... scopes) {
        JsonNode created = api.post(
                        "/v2/oauth-clients", """
                {"name": "%s", "scopes": ["%s"]}""".formatted(unique("it client"), String.join("\", \"", scopes)))
                .asAdmin()
                .send()
                .expect(201)
                .json();
        return new Client(
                created.get("client_id").asString(),
                created.get("client_secret").asString());
    }

    private HTTPRequest tokenRequest(ClientAuthentication client, AuthorizationGrant grant, String scope) {
        return new TokenRequest(
                        server.getTokenEndpointURI(),
                        client,
                        grant,
                        scope == null ? null : com.nimbusds.oauth2.sdk.Scope.parse(scope))
                .toHTTPRequest();
    }

    private String accessToken(Client client) throws Exception {
        return success(tokenRequest(client.basic(), new ClientCredentialsGrant(), null)
                        .send())
                .getValue();
    }

    private static AccessToken success(HTTPResponse http) throws Exception {
        TokenResponse response = TokenResponse.parse(http);
        assertThat(response.indicatesSuccess())
                .as("token response " + http.getBody())
                .isTrue();
        return ((AccessTokenResponse) response).getTokens().getAccessToken();
    }

    private static String error(HTTPResponse http, int status) throws Exception {
        assertThat(http.getStatusCode()).as("status of " + http.getBody()).isEqualTo(status);
        TokenErrorResponse error = TokenErrorResponse.parse(http);
        assertThat(error.getErrorObject().getDescription())
                .as("error_description")
                .isNotBlank();
        return error.getErrorObject().getCode();
    }

    private TokenIntrospectionSuccessResponse introspect(Client client, String token) throws Exception {
        TokenIntrospectionResponse response = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                        server.getIntrospectionEndpointURI(), client.basic(), new BearerAccessToken(token))
                .toHTTPRequest()
                .send());
        assertThat(response.indicatesSuccess()).isTrue();
        return response.toSuccessResponse();
    }

    /** A token of ours, issued two hours ago for one hour. */
    private String expiredToken(Client client) throws Exception {
        Instant issued = Instant.now().minusSeconds(7200);
        return sign(
                claims(client)
                        .issueTime(Date.from(issued))
                        .notBeforeTime(Date.from(issued))
                        .expirationTime(Date.from(issued.plusSeconds(3600)))
                        .build(),
                signingKeys.signingKey());
    }

    /** Claims of a valid access token for the client, as this server would issue it. */
    private JWTClaimsSet.Builder claims(Client client) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(api.base())
                .subject(client.id())
                .audience("mercato-api")
                .claim("client_id", client.id())
                .claim("scope", "products:read")
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)));
    }

    private static String sign(JWTClaimsSet claims, RSAKey key) {
        return TestTokens.sign(claims, key);
    }

    /** 401 with a Bearer challenge, and (when given) a message that says why. */
    private static void expectRejected(Response response, String reason) {
        JsonNode error = response.expectError(401, "INVALID_TOKEN");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
        if (reason != null) {
            assertThat(error.get("message").asString()).contains(reason);
        }
    }

    private JsonNode invalid(String body) {
        return api.post("/v2/oauth-clients", body).asAdmin().send().expectError(400, "INVALID_PARAMETER");
    }

    private static String unique(String stem) {
        return stem + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asString)
                .toList();
    }
}
