package dev.mercato.dashboard;

import dev.mercato.security.Caller;
import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import dev.mercato.web.SnakeCaseJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(
        name = "Developers",
        description = "The developer role: users who sign in to the dashboard at /dashboard with their own username "
                + "and password and manage their own credentials, granting only the scopes given here.")
@RestController
@RequestMapping(path = "/v2/users/{id}/developer", produces = "application/json")
class DevelopersV2Controller {

    private final DeveloperService developers;

    DevelopersV2Controller(DeveloperService developers) {
        this.developers = developers;
    }

    @SnakeCaseJson
    record DeveloperRequest(
            @Schema(
                    description = "The scopes the developer may grant their credentials; not 'admin'.",
                    example = "[\"products:read\", \"orders:read\"]")
            @NotEmpty
            @Size(max = 20)
            List<@NotBlank String> scopes) {}

    @SnakeCaseJson
    record DeveloperV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String userId,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String username,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            List<String> scopes,

            @Schema(
                    description = "When the user was first made a developer.",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            Instant grantedAt) {

        static DeveloperV2 from(Developer developer) {
            return new DeveloperV2(
                    developer.userId(),
                    developer.username(),
                    developer.scopes().stream().map(Scope::value).toList(),
                    developer.grantedAt());
        }
    }

    @Operation(
            summary = "Make a user a developer",
            description = "Gives the user the developer role with these scopes, or replaces the scopes of a developer. "
                    + "The user signs in to the dashboard with their own password (set with PUT "
                    + "/v2/users/{id}/password).")
    @ApiResponse(responseCode = "200", description = "The user is a developer with these scopes.")
    @ApiResponse(responseCode = "404", description = "No such user.")
    @RequiresScope(Scope.ADMIN)
    @PutMapping(consumes = "application/json")
    DeveloperV2 grant(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @Valid @RequestBody DeveloperRequest request) {
        return DeveloperV2.from(developers.grant(caller, id, Scope.parseAll(request.scopes())));
    }

    @Operation(summary = "Get a user's developer role")
    @ApiResponse(responseCode = "200", description = "The user is a developer.")
    @ApiResponse(responseCode = "404", description = "No such user, or the user is not a developer.")
    @RequiresScope(Scope.ADMIN)
    @GetMapping
    DeveloperV2 get(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return DeveloperV2.from(developers.get(caller, id));
    }

    @Operation(
            summary = "Take the developer role away",
            description = "The user can no longer sign in to the dashboard; credentials they created keep working "
                    + "until revoked.")
    @ApiResponse(responseCode = "204", description = "The user is no longer a developer.")
    @ApiResponse(responseCode = "404", description = "No such user, or the user is not a developer.")
    @RequiresScope(Scope.ADMIN)
    @DeleteMapping
    ResponseEntity<Void> revoke(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        developers.revoke(caller, id);
        return ResponseEntity.noContent().build();
    }
}
