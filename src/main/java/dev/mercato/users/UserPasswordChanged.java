package dev.mercato.users;

/** Published inside the transaction that sets or removes a user's password. */
public record UserPasswordChanged(String userId) {}
