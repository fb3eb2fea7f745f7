package dev.mercato.users;

import dev.mercato.security.Caller;
import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import dev.mercato.shared.PageParams;
import dev.mercato.web.PagedResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Users")
@RestController
class UsersV1Controller {

    private final UserService users;

    UsersV1Controller(UserService users) {
        this.users = users;
    }

    record UserV1(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "usr_3fK9aQ2LxV7mN1pR8tZ4wB6c")
            String id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "johndoe")
            String username,

            @Schema(example = "john.doe@example.com") String email,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"active", "inactive"})
            String status,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            Instant createdAt) {

        static UserV1 from(User user) {
            return new UserV1(user.id(), user.username(), user.email(), user.status(), user.createdAt());
        }
    }

    @Operation(summary = "List users", description = "Newest first.")
    @RequiresScope(Scope.USERS_READ)
    @GetMapping(
            path = {"/users", "/v1/users"},
            produces = "application/json")
    ResponseEntity<List<UserV1>> list(
            @AuthenticationPrincipal Caller caller,
            @Parameter(
                            description = "Filter users by status.",
                            schema = @Schema(allowableValues = {"active", "inactive"}))
                    @RequestParam(required = false)
                    @Pattern(regexp = "active|inactive", message = "must be 'active' or 'inactive'")
                    String status,
            @Valid @ParameterObject PageParams page) {
        return PagedResponses.of(users.list(caller, status, page).map(UserV1::from), page);
    }
}
