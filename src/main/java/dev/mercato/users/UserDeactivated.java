package dev.mercato.users;

/**
 * Published inside the transaction that leaves a user inactive, so that what acts for the user (tokens the user
 * authorized) ends with it.
 */
public record UserDeactivated(String userId) {}
