package dev.mercato.shared;

/**
 * The caller expected a version of the resource that is no longer current. Carries the current version; the web
 * layer names it as that API version's entity tag.
 */
public class StaleVersionException extends DomainException {

    private final long currentVersion;

    public StaleVersionException(long currentVersion) {
        super("PRECONDITION_FAILED", "The resource has changed since the version named in If-Match.", null);
        this.currentVersion = currentVersion;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
