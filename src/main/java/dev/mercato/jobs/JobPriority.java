package dev.mercato.jobs;

/** Due jobs run highest priority first; among equals, oldest first. */
public enum JobPriority {
    LOW(0),
    NORMAL(50),
    HIGH(100);

    private final int value;

    JobPriority(int value) {
        this.value = value;
    }

    int value() {
        return value;
    }
}
