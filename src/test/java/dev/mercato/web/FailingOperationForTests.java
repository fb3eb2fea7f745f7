package dev.mercato.web;

import dev.mercato.security.RequiresScope;
import dev.mercato.security.Scope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An operation that fails the way a bug would, so the end-to-end suite can see what a client gets from an
 * unexpected failure. Test sources only: it never exists in the built server.
 */
@RestController
class FailingOperationForTests {

    static final String PATH = "/v2/test-only/failure";
    static final String SECRET = "password=hunter2";

    @RequiresScope(Scope.ADMIN)
    @GetMapping(path = PATH, produces = "application/json")
    String fail() {
        throw new IllegalStateException("internal detail that must not leak: " + SECRET);
    }
}
