package dev.mercato.jobs;

/** A failure that another attempt cannot fix (nothing configured, a request the provider refuses): no retry. */
public class PermanentJobFailure extends RuntimeException {

    public PermanentJobFailure(String message) {
        super(message);
    }
}
