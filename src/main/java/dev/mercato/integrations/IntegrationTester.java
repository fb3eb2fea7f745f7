package dev.mercato.integrations;

import java.util.Set;

/**
 * Sends a real test through an integration, for {@code POST /v2/integrations/{id}/test}. Implemented by the
 * features that own the providers (notifications for smtp, sms and push; payments for stripe), so this feature
 * needs none of their types.
 */
public interface IntegrationTester {

    /** The integration ids this tester handles. */
    Set<String> integrationIds();

    /**
     * Tries the integration with the settings it runs with now.
     *
     * @param target where a test message goes: an email address (smtp), an E.164 number (sms), a user id (push);
     *     null for integrations that send nothing (payments)
     */
    Outcome test(String integrationId, String target);

    /** {@code error} says why the test failed, null when it passed. */
    record Outcome(boolean ok, String error) {

        public static Outcome passed() {
            return new Outcome(true, null);
        }

        public static Outcome failed(String error) {
            return new Outcome(false, error);
        }
    }
}
