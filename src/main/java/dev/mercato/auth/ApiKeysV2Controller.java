package dev.mercato.auth;

import dev.mercato.security.Caller;
import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import dev.mercato.shared.PageParams;
import dev.mercato.web.PagedResponses;
import dev.mercato.web.SnakeCaseJson;
import io.swagger.v3.oas.annotations.Operation;
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
import java.util.Set;
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

@Tag(name = "API keys", description = "Bearer credentials for the API, managed by admins.")
@RestController
@RequestMapping(path = "/v2/api-keys", produces = "application/json")
class ApiKeysV2Controller {

    private final ApiKeyService keys;

    ApiKeysV2Controller(ApiKeyService keys) {
        this.keys = keys;
    }

    @SnakeCaseJson
    record CreateApiKeyRequest(
            @NotBlank @Size(max = 100) String name,

            @Schema(description = "Scopes the key grants.", example = "[\"products:read\"]") @NotEmpty @Size(max = 20)
            List<@NotBlank String> scopes,

            @Schema(description = "The user the key belongs to.")
            String userId,

            @Schema(description = "When the key stops working; never when absent.")
            Instant expiresAt,

            @Schema(
                    description = "Requests per minute this key may make (with a burst of as many); the server's "
                            + "default (mercato.rate-limit.requests-per-minute) when absent.",
                    example = "600",
                    minimum = "1",
                    maximum = "1000000")
            @Min(value = 1, message = "must be at least 1")
            @Max(value = 1_000_000, message = "must be at most 1000000")
            Integer rateLimitPerMinute) {

        Set<Scope> parsedScopes() {
            return Scope.parseAll(scopes);
        }
    }

    @SnakeCaseJson
    record ApiKeyV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String name,

            @Schema(description = "The key itself, returned only in the response that creates it.")
            String key,

            @Schema(
                    description = "The first characters of the key, to tell keys apart.",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String keyPrefix,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            List<String> scopes,

            String userId,

            @Schema(
                    description =
                            "The key's own limit in requests per minute; absent when it has the server's " + "default.")
            Integer rateLimitPerMinute,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant createdAt,

            Instant expiresAt,
            Instant revokedAt) {

        static ApiKeyV2 from(ApiKey key, String plainKey) {
            return new ApiKeyV2(
                    key.id(),
                    key.name(),
                    plainKey,
                    key.keyPrefix(),
                    key.scopes().stream().map(Scope::value).toList(),
                    key.userId(),
                    key.rateLimitPerMinute(),
                    key.createdAt(),
                    key.expiresAt(),
                    key.revokedAt());
        }
    }

    @Operation(summary = "Create an API key", description = "The key is in this response only: store it now.")
    @ApiResponse(responseCode = "201", description = "The key was created.")
    @ApiResponse(responseCode = "404", description = "The user_id names no user.")
    @RequiresScope(Scope.ADMIN)
    @PostMapping(consumes = "application/json")
    ResponseEntity<ApiKeyV2> create(
            @AuthenticationPrincipal Caller caller, @Valid @RequestBody CreateApiKeyRequest request) {
        ApiKeyService.IssuedKey issued = keys.issue(
                caller,
                request.name().trim(),
                request.parsedScopes(),
                request.userId(),
                request.expiresAt(),
                request.rateLimitPerMinute());
        // no-store: the plain key must not be kept anywhere, by caches or by the Idempotency-Key store.
        return ResponseEntity.created(URI.create("/v2/api-keys/" + issued.key().id()))
                .cacheControl(CacheControl.noStore())
                .body(ApiKeyV2.from(issued.key(), issued.plainKey()));
    }

    @Operation(summary = "List API keys", description = "Newest first; revoked keys show revoked_at.")
    @RequiresScope(Scope.ADMIN)
    @GetMapping
    ResponseEntity<List<ApiKeyV2>> list(
            @AuthenticationPrincipal Caller caller, @Valid @ParameterObject PageParams page) {
        return PagedResponses.of(keys.list(caller, page).map(key -> ApiKeyV2.from(key, null)), page);
    }

    @Operation(summary = "Get an API key")
    @ApiResponse(responseCode = "200", description = "The key, without its secret value.")
    @ApiResponse(responseCode = "404", description = "No such key.")
    @RequiresScope(Scope.ADMIN)
    @GetMapping("/{id}")
    ApiKeyV2 get(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return ApiKeyV2.from(keys.get(caller, id), null);
    }

    @Operation(summary = "Revoke an API key", description = "The key stops working at once on this server.")
    @ApiResponse(responseCode = "204", description = "The key is revoked.")
    @ApiResponse(responseCode = "404", description = "No such key.")
    @RequiresScope(Scope.ADMIN)
    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        keys.revoke(caller, id);
        return ResponseEntity.noContent().build();
    }
}
