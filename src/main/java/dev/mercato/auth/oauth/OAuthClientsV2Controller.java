package dev.mercato.auth.oauth;

import dev.mercato.security.Caller;
import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import dev.mercato.shared.PageParams;
import dev.mercato.web.PagedResponses;
import dev.mercato.web.SnakeCaseJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "OAuth clients", description = "OAuth 2.0 clients (client_credentials), managed by admins.")
@RestController
@RequestMapping(path = "/v2/oauth-clients", produces = "application/json")
class OAuthClientsV2Controller {

    private final OAuthClientService clients;

    OAuthClientsV2Controller(OAuthClientService clients) {
        this.clients = clients;
    }

    @SnakeCaseJson
    record CreateOAuthClientRequest(
            @NotBlank @Size(max = 100) String name,

            @Schema(
                    description = "Scopes the client may request; a token request naming none gets them all.",
                    example = "[\"products:read\"]")
            @NotEmpty
            @Size(max = 20)
            List<@NotBlank String> scopes,

            @Schema(
                    description = "Where the end-user flow (authorization_code with PKCE) may send the user back: "
                            + "https, or http on a loopback address. Up to 5, each at most 190 characters.")
            @Size(max = 5)
            List<@NotBlank @Size(max = 190) String> redirectUris,

            @ArraySchema(
                    schema = @Schema(allowableValues = {"client_credentials", "authorization_code", "refresh_token"}),
                    arraySchema =
                            @Schema(
                                    description = "The grants the client may use: client_credentials (it acts as "
                                            + "itself, on all the data its scopes reach), authorization_code (it "
                                            + "acts for a signed-in user who consented, on that user's data only; "
                                            + "needs redirect_uris; brings refresh_token). Omitted: "
                                            + "client_credentials without redirect_uris, authorization_code and "
                                            + "refresh_token alone with them."))
            @Size(max = 3)
            List<@NotBlank String> grantTypes,

            @Schema(
                    description = "API requests a minute for this client's tokens; omitted: the server's default.",
                    example = "600")
            @Min(value = 1, message = "must be between 1 and 1000000")
            @Max(value = 1_000_000, message = "must be between 1 and 1000000")
            Integer rateLimitPerMinute) {

        NewOAuthClient toNewClient() {
            return new NewOAuthClient(
                    name.trim(), Scope.parseAll(scopes), redirectUris, grantTypes, rateLimitPerMinute);
        }
    }

    @SnakeCaseJson
    record OAuthClientV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String clientId,

            @Schema(description = "The secret, returned only in the responses that create or rotate it.")
            String clientSecret,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String name,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            List<String> scopes,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            List<String> redirectUris,

            @Schema(description = "The grants the client may use.", requiredMode = Schema.RequiredMode.REQUIRED)
            List<String> grantTypes,

            @Schema(description = "API requests a minute for this client's tokens; absent: the server's default.")
            Integer rateLimitPerMinute,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant createdAt) {

        static OAuthClientV2 from(OAuthClient client, String plainSecret) {
            return new OAuthClientV2(
                    client.clientId(),
                    plainSecret,
                    client.name(),
                    client.scopes().stream().map(Scope::value).toList(),
                    client.redirectUris(),
                    client.grantTypes(),
                    client.rateLimitPerMinute(),
                    client.createdAt());
        }
    }

    @Operation(
            summary = "Register an OAuth client",
            description = "The client_secret is in this response only: store it now. Get tokens with it at "
                    + "POST /oauth/token (grant_type=client_credentials).")
    @ApiResponse(responseCode = "201", description = "The client was registered.")
    @RequiresScope(Scope.ADMIN)
    @PostMapping(consumes = "application/json")
    ResponseEntity<OAuthClientV2> create(
            @AuthenticationPrincipal Caller caller, @Valid @RequestBody CreateOAuthClientRequest request) {
        OAuthClientService.IssuedClient issued = clients.register(caller, request.toNewClient());
        // no-store: the plain secret must not be kept anywhere, by caches or by the Idempotency-Key store.
        return ResponseEntity.created(
                        URI.create("/v2/oauth-clients/" + issued.client().clientId()))
                .cacheControl(CacheControl.noStore())
                .body(OAuthClientV2.from(issued.client(), issued.plainSecret()));
    }

    @Operation(summary = "List OAuth clients", description = "Newest first.")
    @RequiresScope(Scope.ADMIN)
    @GetMapping
    ResponseEntity<List<OAuthClientV2>> list(
            @AuthenticationPrincipal Caller caller, @Valid @ParameterObject PageParams page) {
        return PagedResponses.of(clients.list(caller, page).map(client -> OAuthClientV2.from(client, null)), page);
    }

    @Operation(summary = "Get an OAuth client")
    @ApiResponse(responseCode = "200", description = "The client, without its secret.")
    @ApiResponse(responseCode = "404", description = "No such client.")
    @RequiresScope(Scope.ADMIN)
    @GetMapping("/{id}")
    OAuthClientV2 get(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return OAuthClientV2.from(clients.get(caller, id), null);
    }

    @Operation(
            summary = "Rotate a client's secret",
            description = "Returns a new client_secret, in this response only; the old secret stops working at "
                    + "once. Access tokens already issued keep working until they expire (revoke them at "
                    + "/oauth/revoke, or delete the client, to stop them).")
    @ApiResponse(responseCode = "200", description = "The client with its new secret.")
    @ApiResponse(responseCode = "404", description = "No such client.")
    @RequiresScope(Scope.ADMIN)
    @PostMapping("/{id}/rotate-secret")
    ResponseEntity<OAuthClientV2> rotateSecret(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        OAuthClientService.IssuedClient issued = clients.rotateSecret(caller, id);
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .body(OAuthClientV2.from(issued.client(), issued.plainSecret()));
    }

    @Operation(
            summary = "Delete an OAuth client",
            description = "The client can no longer get tokens, and every access token it holds stops working at once.")
    @ApiResponse(responseCode = "204", description = "The client is deleted.")
    @ApiResponse(responseCode = "404", description = "No such client.")
    @RequiresScope(Scope.ADMIN)
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        clients.delete(caller, id);
        return ResponseEntity.noContent().build();
    }
}
