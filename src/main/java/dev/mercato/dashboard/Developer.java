package dev.mercato.dashboard;

import dev.mercato.security.Scope;
import java.time.Instant;
import java.util.Set;

/**
 * A user given the developer role: they sign in to the dashboard with their own username and password and manage
 * their own credentials, which may hold only {@code scopes}.
 */
record Developer(String userId, String username, Set<Scope> scopes, Instant grantedAt) {}
