package dev.mercato.shared;

/** The resource asked for does not exist, or the caller may not know that it does. */
public class NotFoundException extends DomainException {

    public NotFoundException(String resource, String id) {
        super("NOT_FOUND", "No " + resource + " with id '" + id + "' exists." + Ids.formatHint(resource, id), id);
    }
}
