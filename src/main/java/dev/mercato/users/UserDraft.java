package dev.mercato.users;

/** The writable fields of a user, for a create or a full replacement. */
public record UserDraft(String username, String email, String status, User.Profile profile) {}
