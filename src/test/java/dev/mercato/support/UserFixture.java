package dev.mercato.support;

import java.util.function.UnaryOperator;
import tools.jackson.databind.node.ObjectNode;

/**
 * A user to create over the API as the admin, {@code aUser().create()}: active, with a unique username and an email
 * address made from it, no profile. Each method sets what a test cares about; {@link #create()} returns the id.
 */
public final class UserFixture {

    private final Api api;
    private String username = "user_" + Fixtures.unique();
    /** The email address for the username, or null for none. */
    private UnaryOperator<String> email = name -> name + "@example.com";

    private String status;
    private final ObjectNode profile = Fixtures.JSON.createObjectNode();
    private String password;

    UserFixture(Api api) {
        this.api = api;
    }

    /** This username, and (unless set otherwise) {@code <username>@example.com} as the email address. */
    public UserFixture named(String username) {
        this.username = username;
        return this;
    }

    public UserFixture withEmail(String address) {
        this.email = name -> address;
        return this;
    }

    public UserFixture withoutEmail() {
        this.email = name -> null;
        return this;
    }

    public UserFixture withName(String firstName, String lastName) {
        profile.put("first_name", firstName).put("last_name", lastName);
        return this;
    }

    public UserFixture withPhone(String phone) {
        profile.put("phone", phone);
        return this;
    }

    public UserFixture inactive() {
        status = "inactive";
        return this;
    }

    /** Sets this password once the user exists, so that they can sign in. */
    public UserFixture withPassword(String password) {
        this.password = password;
        return this;
    }

    /** Creates the user; returns the id. */
    public String create() {
        ObjectNode body = Fixtures.JSON.createObjectNode().put("username", username);
        String address = email.apply(username);
        if (address != null) {
            body.put("email", address);
        }
        if (status != null) {
            body.put("status", status);
        }
        if (!profile.isEmpty()) {
            body.set("profile", profile);
        }
        String id = Fixtures.create(api, "/v2/users", body);
        if (password != null) {
            ObjectNode secret = Fixtures.JSON.createObjectNode().put("password", password);
            api.put("/v2/users/" + id + "/password", Fixtures.JSON.writeValueAsString(secret))
                    .asAdmin()
                    .send()
                    .expect(204);
        }
        return id;
    }
}
