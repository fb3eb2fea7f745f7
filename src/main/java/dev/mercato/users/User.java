package dev.mercato.users;

import java.time.Instant;

/** A user of the platform, shared by both API versions. */
public record User(
        String id,
        String username,
        String email,
        String status,
        Profile profile,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public static final String ACTIVE = "active";
    public static final String INACTIVE = "inactive";

    /** Personal details; any of them may be absent. The phone number is in E.164 form. */
    public record Profile(String firstName, String lastName, String phone) {}

    public boolean isActive() {
        return ACTIVE.equals(status);
    }
}
