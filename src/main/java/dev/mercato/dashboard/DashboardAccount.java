package dev.mercato.dashboard;

import java.time.Instant;

/** An account that signs in to the dashboard. */
record DashboardAccount(String username, String role, String passwordHash, int failedSignIns, Instant lockedUntil) {

    static final String ADMIN = "admin";
    static final String DEVELOPER = "developer";

    boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }
}
