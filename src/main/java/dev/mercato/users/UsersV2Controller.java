package dev.mercato.users;

import dev.mercato.security.Caller;
import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import dev.mercato.shared.PageParams;
import dev.mercato.web.ETags;
import dev.mercato.web.JsonMergePatcher;
import dev.mercato.web.MergePatch;
import dev.mercato.web.PagedResponses;
import dev.mercato.web.SnakeCaseJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;
import tools.jackson.databind.JsonNode;

@Tag(name = "Users")
@RestController
@RequestMapping(path = "/v2/users", produces = "application/json")
class UsersV2Controller {

    private static final String VERSION = "v2";

    private final UserService users;
    private final JsonMergePatcher patcher;

    UsersV2Controller(UserService users, JsonMergePatcher patcher) {
        this.users = users;
        this.patcher = patcher;
    }

    @SnakeCaseJson
    record ProfileV2(
            @Size(max = 100) String firstName,
            @Size(max = 100) String lastName,

            @Schema(description = "E.164 phone number, needed for SMS.", example = "+14155550123")
            @Pattern(regexp = "\\+[1-9][0-9]{1,14}", message = "must be an E.164 number such as +14155550123")
            String phone) {

        static ProfileV2 from(User.Profile profile) {
            return new ProfileV2(profile.firstName(), profile.lastName(), profile.phone());
        }

        User.Profile toDomain() {
            return new User.Profile(firstName, lastName, phone);
        }
    }

    @SnakeCaseJson
    record UserRequestV2(
            @Schema(
                    description = "3 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit.",
                    example = "alice",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            @NotNull
            @Pattern(
                    regexp = "[A-Za-z0-9][A-Za-z0-9_.-]{2,31}",
                    message = "must be 3 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit")
            String username,

            @Schema(example = "alice@example.com")
            @Email(regexp = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+", message = "must be a valid email address")
            @Size(max = 254)
            String email,

            @Schema(
                    allowableValues = {"active", "inactive"},
                    defaultValue = "active")
            @Pattern(regexp = "active|inactive", message = "must be 'active' or 'inactive'")
            String status,

            @Valid ProfileV2 profile) {

        static UserRequestV2 from(UserDraft user) {
            return new UserRequestV2(user.username(), user.email(), user.status(), ProfileV2.from(user.profile()));
        }

        UserDraft toDraft() {
            return new UserDraft(
                    username,
                    email,
                    status == null ? User.ACTIVE : status,
                    profile == null ? new User.Profile(null, null, null) : profile.toDomain());
        }
    }

    @SnakeCaseJson
    record UserSummaryV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String username,

            String email,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"active", "inactive"})
            String status,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant createdAt) {

        static UserSummaryV2 from(User user) {
            return new UserSummaryV2(user.id(), user.username(), user.email(), user.status(), user.createdAt());
        }
    }

    @SnakeCaseJson
    record UserV2(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String username,

            String email,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"active", "inactive"})
            String status,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant createdAt,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant updatedAt,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            ProfileV2 profile) {

        static UserV2 from(User user) {
            return new UserV2(
                    user.id(),
                    user.username(),
                    user.email(),
                    user.status(),
                    user.createdAt(),
                    user.updatedAt(),
                    ProfileV2.from(user.profile()));
        }
    }

    @Operation(summary = "List users", description = "Newest first.")
    @RequiresScope(Scope.USERS_READ)
    @GetMapping
    ResponseEntity<List<UserSummaryV2>> list(
            @AuthenticationPrincipal Caller caller,
            @Parameter(
                            description = "Filter users by status.",
                            schema = @Schema(allowableValues = {"active", "inactive"}))
                    @RequestParam(required = false)
                    @Pattern(regexp = "active|inactive", message = "must be 'active' or 'inactive'")
                    String status,
            @Valid @ParameterObject PageParams page) {
        return PagedResponses.of(users.list(caller, status, page).map(UserSummaryV2::from), page);
    }

    @Operation(summary = "Get a user", description = "Answers 304 when If-None-Match names the current ETag.")
    @ApiResponse(responseCode = "200", description = "The user.")
    @ApiResponse(responseCode = "304", description = "Not modified.", content = @Content)
    @ApiResponse(responseCode = "404", description = "No such user.")
    @RequiresScope(Scope.USERS_READ)
    @GetMapping("/{id}")
    ResponseEntity<UserV2> get(@AuthenticationPrincipal Caller caller, @PathVariable String id, WebRequest request) {
        User user = users.get(caller, id);
        return ETags.ok(request, VERSION, user.version(), () -> UserV2.from(user));
    }

    @Operation(summary = "Create a user")
    @ApiResponse(responseCode = "201", description = "The user was created.")
    @ApiResponse(responseCode = "409", description = "The username or email is taken.")
    @RequiresScope(Scope.USERS_WRITE)
    @PostMapping(consumes = "application/json")
    ResponseEntity<UserV2> create(@AuthenticationPrincipal Caller caller, @Valid @RequestBody UserRequestV2 request) {
        User user = users.create(caller, request.toDraft());
        return ResponseEntity.created(URI.create("/v2/users/" + user.id()))
                .eTag(ETags.of(VERSION, user.version()))
                .body(UserV2.from(user));
    }

    @Operation(summary = "Replace a user", description = "Fields left out are cleared; status defaults to active.")
    @ApiResponse(responseCode = "200", description = "The updated user.")
    @ApiResponse(responseCode = "404", description = "No such user.")
    @ApiResponse(responseCode = "409", description = "The username or email is taken.")
    @ApiResponse(responseCode = "412", description = "If-Match does not name the current version.")
    @RequiresScope(Scope.USERS_WRITE)
    @PutMapping(path = "/{id}", consumes = "application/json")
    ResponseEntity<UserV2> replace(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @Valid @RequestBody UserRequestV2 request,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return updated(users.replace(caller, id, request.toDraft(), ETags.expectedVersion(ifMatch, VERSION)));
    }

    @Operation(
            summary = "Update part of a user",
            description = "A JSON Merge Patch (RFC 7396): members replace, " + "null removes.")
    @ApiResponse(responseCode = "200", description = "The updated user.")
    @ApiResponse(responseCode = "404", description = "No such user.")
    @ApiResponse(responseCode = "409", description = "The username or email is taken.")
    @ApiResponse(responseCode = "412", description = "If-Match does not name the current version.")
    @RequiresScope(Scope.USERS_WRITE)
    @PatchMapping(
            path = "/{id}",
            consumes = {MergePatch.MEDIA_TYPE, "application/json"})
    ResponseEntity<UserV2> patch(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = UserRequestV2.class)))
                    @RequestBody
                    JsonNode patch,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return updated(users.update(
                caller,
                id,
                current -> patcher.patch(UserRequestV2.from(current), patch, UserRequestV2.class)
                        .toDraft(),
                ETags.expectedVersion(ifMatch, VERSION)));
    }

    @SnakeCaseJson
    record PasswordV2(
            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    format = "password",
                    description = "At least 8 characters, at most 72 bytes in UTF-8, and not easy to guess: a "
                            + "common password, or one close to it, is refused (zxcvbn's score of at least 2 of 4).")
            @NotNull
            String password,

            @Schema(
                    format = "password",
                    description = "The user's current password: required when an application acting for the user "
                            + "(a token the user authorized) changes it; the shop's own credentials set a password "
                            + "without it.")
            String currentPassword) {}

    @Operation(
            summary = "Set a user's password",
            description = "The password lets the user sign in to authorize "
                    + "an application. It is stored only as a bcrypt hash and never shown. Every token the user "
                    + "authorized ends with the change (access and refresh tokens).")
    @ApiResponse(responseCode = "204", description = "The password was set.")
    @ApiResponse(responseCode = "404", description = "No such user.")
    @RequiresScope(Scope.USERS_WRITE)
    @PutMapping(path = "/{id}/password", consumes = "application/json")
    ResponseEntity<Void> setPassword(
            @AuthenticationPrincipal Caller caller, @PathVariable String id, @Valid @RequestBody PasswordV2 request) {
        users.setPassword(caller, id, request.password(), request.currentPassword());
        return ResponseEntity.noContent().build();
    }

    @Operation(
            summary = "Unlock a user's sign-in",
            description = "After repeated wrong passwords (mercato.sign-in.max-failures) an account refuses to sign "
                    + "in for a while (mercato.sign-in.lockout); this lets it sign in again at once. Setting a new "
                    + "password does too.")
    @ApiResponse(responseCode = "204", description = "The user may sign in again.")
    @ApiResponse(responseCode = "404", description = "No such user.")
    @RequiresScope(Scope.ADMIN)
    @PostMapping("/{id}/unlock")
    ResponseEntity<Void> unlock(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        users.unlock(caller, id);
        return ResponseEntity.noContent().build();
    }

    @Operation(
            summary = "Remove a user's password",
            description = "The user can no longer sign in, and every token the user authorized ends.")
    @ApiResponse(responseCode = "204", description = "The password was removed.")
    @ApiResponse(responseCode = "404", description = "No such user.")
    @RequiresScope(Scope.USERS_WRITE)
    @DeleteMapping("/{id}/password")
    ResponseEntity<Void> removePassword(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        users.removePassword(caller, id);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Delete a user")
    @ApiResponse(responseCode = "204", description = "The user was deleted.")
    @ApiResponse(responseCode = "404", description = "No such user.")
    @ApiResponse(responseCode = "412", description = "If-Match does not name the current version.")
    @RequiresScope(Scope.USERS_WRITE)
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        users.delete(caller, id, ETags.expectedVersion(ifMatch, VERSION));
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<UserV2> updated(User user) {
        return ResponseEntity.ok().eTag(ETags.of(VERSION, user.version())).body(UserV2.from(user));
    }
}
