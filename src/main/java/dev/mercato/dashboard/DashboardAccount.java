package dev.mercato.dashboard;

/** The admin's dashboard account (developers sign in with their user's password instead). */
record DashboardAccount(String username, String role, String passwordHash) {

    static final String ADMIN = "admin";
}
