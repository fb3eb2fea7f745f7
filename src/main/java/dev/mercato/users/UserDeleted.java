package dev.mercato.users;

/** Published inside the transaction that deletes a user. */
public record UserDeleted(String userId) {}
