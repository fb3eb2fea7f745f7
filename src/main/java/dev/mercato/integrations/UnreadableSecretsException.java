package dev.mercato.integrations;

/**
 * The stored secrets of an integration cannot be decrypted with this server's keys: a server started with another
 * {@code mercato.encryption-key} (or another generated key file) than the one that stored them.
 */
public class UnreadableSecretsException extends IllegalStateException {

    private final String integrationId;

    UnreadableSecretsException(String integrationId, String reason) {
        super("The stored secrets of the " + integrationId + " integration cannot be decrypted: " + reason
                + ". Configure the key they were stored with, or set them again with PUT /v2/integrations/"
                + integrationId + ".");
        this.integrationId = integrationId;
    }

    public String integrationId() {
        return integrationId;
    }
}
