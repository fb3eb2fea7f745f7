package dev.mercato.support;

import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** What the fixture builders share: names no other test uses, and creating over the API as the admin. */
final class Fixtures {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Fixtures() {}

    /** A random suffix that keeps one test's data apart from every other test's on the shared server. */
    static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Posts {@code body} to {@code path} as the admin, expects 201 and returns the new resource's id. */
    static String create(Api api, String path, ObjectNode body) {
        return api.post(path, JSON.writeValueAsString(body))
                .asAdmin()
                .send()
                .expect(201)
                .json()
                .get("id")
                .asString();
    }
}
